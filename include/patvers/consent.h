/* Consents (samtykke): who may discuss a child with which services, from when, until when. */
#ifndef PATVERS_CONSENT_H
#define PATVERS_CONSENT_H

#include <stdbool.h>
#include <stddef.h>

#include "patvers/date.h"
#include "patvers/db.h"
#include "patvers/error.h"
#include "patvers/rules.h"

/*
 * A consent is recorded under the unit's own reference key (REF), never
 * a name or national id: the unit keeps the key's meaning in its own
 * records. One REF belongs to one unit and may carry several consents
 * over time (a renewal, another service); on a date D a service is
 * covered when some consent of the REF covers it and is valid on D:
 * given on or before D, not expired (the expiry date is its last valid
 * day) and not withdrawn (a withdrawal takes effect on its date).
 *
 * Ownership, once for the module: strings passed in are borrowed;
 * everything a struct pv_consents hands out is owned by it and valid
 * until pv_consents_free().
 */

enum pv_consent_giver { PV_CONSENT_FORESATT, PV_CONSENT_ELEV };
enum pv_consent_form { PV_CONSENT_WRITTEN, PV_CONSENT_ORAL };

/* "foresatt", "elev"; "written", "oral" (static). Parse also accepts
 * "foresatte", "parent"; "skriftlig", "muntlig" (case-insensitive). */
const char *pv_consent_giver_name(enum pv_consent_giver g);
bool pv_consent_giver_parse(const char *text, enum pv_consent_giver *out);
const char *pv_consent_form_name(enum pv_consent_form f);
bool pv_consent_form_parse(const char *text, enum pv_consent_form *out);

/*
 * A REF is 1–32 of A–Z a–z 0–9 . _ - with at least one digit (so a bare
 * name such as "ola" or "kari.nordmann" is refused; use the unit's case
 * key, e.g. "HOF-2026-07") and passes the anonymity guard (an 11-digit
 * national id is refused). PV_EDATA naming `field` (may be NULL).
 */
enum pv_status pv_consent_ref_check(const struct pv_rules *rules, const char *field,
				    const char *ref, struct pv_error *err);

/* One consent. Dates are 0 when not set. */
struct pv_consent {
	long long id;
	const char *ref;
	const char *unit;                 /* unit slug */
	const char *const *services;      /* service codes ("ppt"), sorted */
	size_t nservices;
	enum pv_consent_giver given_by;
	enum pv_consent_form form;
	pv_date given;
	pv_date expires;                  /* last valid day, or 0: until withdrawn */
	pv_date withdrawn;                /* or 0 */
};

/* "active", "expired", "withdrawn" or "future" on `day` (static). */
const char *pv_consent_state(const struct pv_consent *c, pv_date day);

/* What `consent add` records (borrowed). */
struct pv_consent_spec {
	const char *ref;
	const char *unit;
	const char *services;             /* "ppt,barnevern" (',' or spaces; aliases
					   * such as "barneverntjenesten" accepted) */
	enum pv_consent_giver given_by;
	enum pv_consent_form form;
	pv_date given;
	pv_date expires;                  /* 0: none */
	int age;                          /* the pupil's age when given_by is elev;
					   * -1 when not known (never stored) */
};

/*
 * Records a consent, with an audit row naming its id and counts only.
 * Refuses (PV_EDATA) a bad REF, an unknown unit or service, a REF that
 * belongs to another unit, an expiry before the date, and a consent given
 * by the pupil (elev) without an age at or above the rules'
 * consent.self_consent_age. `rules` borrowed. *id (may be NULL) gets the
 * new id. Caller's write transaction.
 */
enum pv_status pv_consent_add(struct pv_db *db, const struct pv_rules *rules,
			      const struct pv_consent_spec *spec, long long *id,
			      struct pv_error *err);

/* Withdraws every consent of `ref` not yet withdrawn, as of `date`
 * (refused when before a consent's date). *count (may be NULL) gets how
 * many; none is PV_EDATA. One audit row per consent. Caller's write
 * transaction. */
enum pv_status pv_consent_withdraw(struct pv_db *db, const char *ref, pv_date date,
				   int *count, struct pv_error *err);

/* A list of consents in REF, date, id order. */
struct pv_consents;

/* Which consents to load; NULL / 0 fields do not filter. */
struct pv_consent_filter {
	const char *ref;
	const char *unit;
	pv_date expiring_from;     /* with expiring_to: active on expiring_from and */
	pv_date expiring_to;       /* expiring on or before expiring_to */
};

enum pv_status pv_consents_load(struct pv_db *db, const struct pv_consent_filter *filter,
				struct pv_consents **out, struct pv_error *err);
void pv_consents_free(struct pv_consents *list);
size_t pv_consents_count(const struct pv_consents *list);
const struct pv_consent *pv_consents_at(const struct pv_consents *list, size_t i);

/*
 * Whether the consents of `ref` allow a case at a meeting on `date` where
 * the services `services` (`nservices` codes, borrowed) are present.
 * PV_OK when every service is covered by a consent valid on the date;
 * otherwise PV_EDATA with a message that names the reason: no consent
 * with that REF, given after the date, expired on D, withdrawn on D, or
 * the services not covered ("does not cover barnevern; it covers ppt").
 */
enum pv_status pv_consent_check(struct pv_db *db, const char *ref, pv_date date,
				const char *const *services, size_t nservices,
				struct pv_error *err);

#endif
