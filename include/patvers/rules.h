/* The method as data: the rules document, its defaults and validation. */
#ifndef PATVERS_RULES_H
#define PATVERS_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>

#include "patvers/date.h"
#include "patvers/db.h"
#include "patvers/error.h"

/*
 * The rules in force are the built-in Holmestrand defaults with the
 * municipality's imported document merged over them (objects merge key
 * by key; arrays and scalars replace). Every threshold, weekday and time
 * window the other modules use is read from here by its JSON path, e.g.
 * pv_rules_int(r, "fravaer.day_minutes").
 */
struct pv_rules;

/* The built-in default rules (schema "patvers/rules/1").
 * Caller frees with pv_rules_free(). */
enum pv_status pv_rules_default(struct pv_rules **out, struct pv_error *err);

/*
 * Parses a rules document (`text`, `len` bytes; `filename` for messages),
 * merges it over the defaults and validates the result: unknown keys,
 * wrong types, duplicate keys and impossible values (a time window whose
 * end is not after its start, a weekday that does not exist, a count out
 * of range) are PV_EDATA errors that name the JSON path
 * ("meetings.school_systemmote.end") or the line and column of a syntax
 * error. Caller frees *out with pv_rules_free().
 */
enum pv_status pv_rules_parse(const char *text, size_t len, const char *filename,
			      struct pv_rules **out, struct pv_error *err);

/* The rules in force in the database (the defaults when none were
 * imported). Caller frees with pv_rules_free(). */
enum pv_status pv_rules_load(struct pv_db *db, struct pv_rules **out,
			     struct pv_error *err);

/* Stores `rules` as the rules in force and writes an audit row. Must run
 * inside the caller's write transaction. */
enum pv_status pv_rules_store(struct pv_db *db, const struct pv_rules *rules,
			      struct pv_error *err);

/* Sets "municipality" in the rules in force (loads, changes, stores with
 * an audit row). Must run inside the caller's write transaction. */
enum pv_status pv_rules_set_municipality(struct pv_db *db, const char *name,
					 struct pv_error *err);

void pv_rules_free(struct pv_rules *rules);

/* The whole document, borrowed: valid until pv_rules_free(). */
const json_t *pv_rules_json(const struct pv_rules *rules);

/*
 * Typed look-ups by dotted path. The document is validated, so a path
 * that the defaults define always exists with its type; asking for a path
 * that does not exist is a programming error and returns 0 / NULL.
 * Strings are borrowed (valid until pv_rules_free()).
 */
const json_t *pv_rules_get(const struct pv_rules *rules, const char *path);
long long pv_rules_int(const struct pv_rules *rules, const char *path);
const char *pv_rules_str(const struct pv_rules *rules, const char *path);
bool pv_rules_bool(const struct pv_rules *rules, const char *path);

/* For a meeting rule ("meetings.school_systemmote"): 0 when `w` is its
 * weekday, n ≥ 1 when it is the n-th of its fallback_weekdays, -1 when
 * neither (or the rule has no weekday). */
int pv_rules_weekday_rank(const struct pv_rules *rules, const char *rule, enum pv_weekday w);

/* The document as pretty JSON text ending in a newline, keys in the
 * defaults' order. Caller frees with free(). */
char *pv_rules_dump(const struct pv_rules *rules);

#endif
