/* What the stafett modules share: the checks and writes every change makes. */
#ifndef PATVERS_STAFETT_INTERNAL_H
#define PATVERS_STAFETT_INTERNAL_H

#include "patvers/stafett.h"

/* The newest log of `ref`, which must be open, with `date` not before it
 * was opened. On success *logs (caller frees) holds it and *log points
 * into it; on failure both are NULL. */
enum pv_status stafett_open_log(struct pv_db *db, const struct pv_rules *rules,
				const char *ref, pv_date date, struct pv_stafett_logs **logs,
				const struct pv_stafett **log, struct pv_error *err);

/* The anonymity guard and a length limit on free text (`field` names it
 * in messages); `required`: not empty or blank. */
enum pv_status stafett_guard(const struct pv_rules *rules, const char *field,
			     const char *text, bool required, struct pv_error *err);

/* A person in the roster; `service` gets their home unit's service code
 * ("" for none). PV_EDATA naming `field` when there is no such person. */
enum pv_status stafett_person(struct pv_db *db, const char *field, const char *slug,
			      char service[32], struct pv_error *err);

/* A unit in the roster (PV_EDATA naming --unit otherwise). */
enum pv_status stafett_unit(struct pv_db *db, const char *slug, struct pv_error *err);

/* The consents of `ref`, if any, belong to `unit`. */
enum pv_status stafett_consent_unit(struct pv_db *db, const char *ref, const char *unit,
				    struct pv_error *err);

/* pv_stafett_consent_check with the newcomer's service known
 * (`new_service` NULL or "" for none). */
enum pv_status stafett_consent(struct pv_db *db, const struct pv_stafett *log, int level,
			       pv_date date, const char *newcomer, const char *new_service,
			       struct pv_error *err);

/* Appends a timeline entry (see enum pv_stafett_kind for the fields;
 * level -1, tiltak 0, due 0 and NULL strings for none) and clears the
 * log's export date. */
enum pv_status stafett_entry_add(struct pv_db *db, long long log, enum pv_stafett_kind kind,
				 pv_date date, const char *person, int level, int tiltak,
				 pv_date due, const char *detail, const char *text,
				 struct pv_error *err);

/* One statement; `types` gives each parameter: 'i' long long, 's' string
 * (NULL binds NULL), 'd' pv_date (0 binds NULL; at most 8). */
enum pv_status stafett_exec(struct pv_db *db, struct pv_error *err, const char *sql,
			    const char *types, ...);

/* The audit row "stafett ID (unit U): <fmt>". */
enum pv_status stafett_audit(struct pv_db *db, long long log, const char *unit,
			     struct pv_error *err, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

#endif
