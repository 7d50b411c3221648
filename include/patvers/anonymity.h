/* The anonymity guard: keeps national ids, phone numbers and e-mail addresses out of free text. */
#ifndef PATVERS_ANONYMITY_H
#define PATVERS_ANONYMITY_H

#include <stdbool.h>
#include <stddef.h>

#include "patvers/error.h"
#include "patvers/rules.h"

/*
 * patvers stores no child's name or national id (DESIGN.md, "Privacy by
 * design"). Every module that stores free text a person typed — themes,
 * experiences, actions, reasons, notes — passes it through
 * pv_anonymity_check() first and stores nothing when it fails.
 *
 * What the guard finds (a "hit"):
 *
 *   fnr    an 11-digit fødselsnummer whose date part (DDMMYY) is a real
 *          date and whose two mod-11 check digits are right, written as
 *          11 digits or as 6 digits, one space, 5 digits
 *   dnr    a D-number: the same with 4 added to the first digit
 *   phone  a Norwegian phone number: 8 digits, the first 2–9, written
 *          12345678, 12 34 56 78 or 123 45 678, optionally after +47 or
 *          0047 (and one space); "2026 2027" is two years, not a number
 *   email  an e-mail address: local@domain.tld
 *   deny   a match of one of the rules' anonymity.deny_patterns (POSIX
 *          extended regular expressions, case-insensitive for ASCII)
 *
 * A number counts only as a whole: digits right before or after it make
 * it another, longer number. So dates (2026-11-23, 23.11.2026), times,
 * counts and 11-digit numbers with wrong check digits pass.
 *
 * Strings passed in are borrowed; nothing here keeps them.
 */

enum pv_anonymity_kind {
	PV_ANON_FNR,
	PV_ANON_DNR,
	PV_ANON_PHONE,
	PV_ANON_EMAIL,
	PV_ANON_DENY,
};

/* "fnr", "dnr", "phone", "email", "deny" (static). */
const char *pv_anonymity_kind_name(enum pv_anonymity_kind kind);

/* One hit: bytes [start, start + len) of the text. */
struct pv_anonymity_hit {
	enum pv_anonymity_kind kind;
	size_t start, len;
	int pattern;      /* PV_ANON_DENY: index into anonymity.deny_patterns; else -1 */
};

/*
 * The first hit in `text` (the leftmost; at one position the built-in
 * kinds before the deny patterns). `rules` may be NULL: then only the
 * built-in kinds are looked for. *found says whether there was one;
 * `hit` (may be NULL) gets it. PV_ESOFTWARE only when a deny pattern
 * does not compile (rules are validated, so never for stored rules).
 */
enum pv_status pv_anonymity_find(const struct pv_rules *rules, const char *text,
				 bool *found, struct pv_anonymity_hit *hit,
				 struct pv_error *err);

/*
 * The guard. PV_OK when `text` (NULL counts as empty) has no hit;
 * otherwise PV_EDATA with the message
 *
 *   <field>: looks like a national identity number: "elev ***********"
 *
 * naming `field` (may be NULL to leave it out; callers pass the option,
 * template key or JSON path, e.g. "meetings[0].cases[1].theme") and
 * showing the text with every hit masked by one '*' per character,
 * control characters as '?', cut around the first hit when long. The
 * masked text never holds the hit, so the message is safe to log.
 */
enum pv_status pv_anonymity_check(const struct pv_rules *rules, const char *field,
				  const char *text, struct pv_error *err);

/*
 * Whether `digits` (exactly 11 ASCII digits, nothing else) is a valid
 * fødselsnummer (*kind PV_ANON_FNR) or D-number (PV_ANON_DNR): a real
 * date (the century from the individual number where it tells, else any
 * of 1900–2099) and both mod-11 check digits right. `kind` may be NULL.
 */
bool pv_anonymity_id_number(const char *digits, enum pv_anonymity_kind *kind);

#endif
