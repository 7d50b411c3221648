/* Reading CSV the way Norwegian Excel and school systems write it (libcsv). */
#ifndef PATVERS_CSVIO_H
#define PATVERS_CSVIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "patvers/error.h"

/*
 * RFC 4180 via libcsv in strict mode, streamed: memory stays bounded by
 * the longest record, whatever the file size. UTF-8 with or without BOM;
 * the separator (',' or ';') is detected from the header line; CRLF or LF.
 * Every field must be valid UTF-8 (the error suggests iconv for files
 * saved as Windows-1252). Errors carry file:line:column, where the line
 * is the line the record starts on and the column is the field number
 * (1-based).
 */

/* One record as the callback sees it: fields are NUL-terminated copies
 * valid only during the callback; `nfields` ≥ 1. */
struct pv_csv_record {
	long line;                 /* line the record starts on (1-based) */
	size_t nfields;
	char **fields;
	const size_t *lengths;
};

/* Called for every record, the header included (line 1, unless the file
 * starts with blank lines). Return PV_OK to go on; anything else stops the
 * read and is returned by pv_csv_read (fill err). */
typedef enum pv_status (*pv_csv_record_fn)(const struct pv_csv_record *rec,
					   void *arg, struct pv_error *err);

/* Reads all of `fp` (borrowed). `filename` names the input in errors.
 * libcsv runs in a thread of its own while `fn` is called in the
 * caller's, with the same records and the same outcome as
 * pv_csv_read_buffer on the same bytes; `fp` must not be touched by
 * anything else until it returns. */
enum pv_status pv_csv_read(FILE *fp, const char *filename, pv_csv_record_fn fn,
			   void *arg, struct pv_error *err);

/* Like pv_csv_read on a buffer in memory. */
enum pv_status pv_csv_read_buffer(const char *data, size_t len, const char *filename,
				  pv_csv_record_fn fn, void *arg, struct pv_error *err);

/*
 * Header mapping. A column spec names a field, its aliases (e.g. "elev"
 * for "student") and whether it is required. Headers are trimmed and
 * compared case-insensitively (also æ/ø/å against Æ/Ø/Å). Unknown
 * columns are ignored. A missing required column or two columns for one
 * field is a PV_EDATA error naming the header's line and column.
 */
struct pv_csv_column {
	const char *name;              /* canonical name, e.g. "student" */
	const char *const *aliases;    /* NULL-terminated, may be NULL */
	bool required;
};

/* Fills index[i] with the field number (0-based) of spec[i], or -1 when an
 * optional column is absent. `spec` has `count` entries. */
enum pv_status pv_csv_map_header(const struct pv_csv_record *header,
				 const struct pv_csv_column *spec, size_t count,
				 int *index, const char *filename, struct pv_error *err);

/* Trims ASCII white space at both ends in place; returns `s`. */
char *pv_csv_trim(char *s);

/* Case-insensitive equality for ASCII and the Norwegian letters æ ø å. */
bool pv_csv_name_equal(const char *a, const char *b);

#endif
