/* Status codes and error reports shared by every libpatvers module. */
#ifndef PATVERS_ERROR_H
#define PATVERS_ERROR_H

#include <stddef.h>

/*
 * A status is also the process exit code the command line uses for it
 * (sysexits, DESIGN.md), so cmd/ never needs a mapping table.
 */
enum pv_status {
	PV_OK = 0,
	PV_FINDINGS = 1,      /* checks found something (with --exit-code) */
	PV_EUSAGE = 64,       /* bad command line */
	PV_EDATA = 65,        /* bad input data */
	PV_ENOINPUT = 66,     /* input file or database missing */
	PV_EUNSAT = 69,       /* the rules cannot be satisfied */
	PV_ESOFTWARE = 70,    /* internal error */
	PV_ECANTCREAT = 73,   /* cannot create output */
	PV_EIO = 74,          /* I/O error */
	PV_EBUSY = 75,        /* database busy, try again */
};

/*
 * What went wrong, filled by the function that failed. `file` is empty
 * and `line`/`column` are 0 when the error has no input position.
 * The struct owns no heap memory: it can live on the stack and needs no
 * release.
 */
struct pv_error {
	enum pv_status status;
	char file[256];
	long line;
	long column;
	char message[1024];
};

/* Resets `err` to "no error". */
void pv_error_clear(struct pv_error *err);

/* Fills `err` (may be NULL) and returns `status`, so callers can write
 * `return pv_error_set(err, PV_EDATA, "bad %s", x);`. */
enum pv_status pv_error_set(struct pv_error *err, enum pv_status status,
			    const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Like pv_error_set, with the input position at fault. `file` may be NULL. */
enum pv_status pv_error_set_at(struct pv_error *err, enum pv_status status,
			       const char *file, long line, long column,
			       const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

/* Writes "file:line:col: message" (the position parts only when set) into
 * buf, always NUL-terminated. */
void pv_error_format(const struct pv_error *err, char *buf, size_t size);

#endif
