/* The one emitter every command prints through: text, JSON, JSONL, CSV. */
#ifndef PATVERS_OUTPUT_H
#define PATVERS_OUTPUT_H

#include <stdbool.h>
#include <stdio.h>

#include "patvers/error.h"

/*
 * A command describes its result once, as a document: a few top-level
 * fields and zero or more named tables of records. The emitter collects
 * the calls and renders them in the chosen format when pv_out_end() is
 * called, the way notmuch's sprinter does, so every command supports
 * every format with the same calls. (CSV and JSONL render the records of
 * the first table as each one ends and keep only the text, so a large
 * table costs its output's size rather than a tree; still nothing is
 * written before pv_out_end.)
 *
 *   json   one pretty-printed document {"schema":"patvers/<kind>/1", …};
 *          keys in the order they were emitted, indent 2, UTF-8 as is
 *   jsonl  one compact line, sorted keys, per record of the first table
 *          (a document without tables: the document on one line); the
 *          records carry no "schema" key; top-level fields and later
 *          tables are not written
 *   csv    header row + one row per record of the first table (RFC 4180,
 *          CRLF; a document without tables: rows "field,value"); nested
 *          lists are joined with spaces, nested maps become "key.sub"
 *          columns; booleans true/false, null an empty cell; a first table
 *          with no records and no declared columns writes no header
 *   text   for people: the top-level fields as "label: value" lines
 *          (the label is the key translated under the gettext context
 *          "label" where po/nb.po has it, and '_' in it reads as a space;
 *          column headings and yes/no are translated the same way; a map
 *          as indented lines below
 *          its label), then the notes, then each table as "name:" and
 *          aligned columns (UTF-8 aware, numbers right-aligned), or
 *          "name: (none)" when it has no records; a blank line between
 *          sections; null is "-", booleans "yes"/"no". A document that
 *          is one scalar field and nothing else prints as the bare value
 *          (a string with its own line breaks);
 *          one that is one table with one declared column and nothing else
 *          prints the values one per line, without title or heading
 *
 * Output is deterministic: nothing is added that the caller did not emit
 * (only the JSON "schema" key). In strings that are not valid UTF-8 each
 * bad byte becomes U+FFFD.
 *
 * Misuse (an emit call before pv_out_begin, a value without a key outside
 * a list, a duplicate key, "schema" as a top-level key, a table inside a
 * record, unbalanced begin/end) never crashes: the first one is recorded,
 * later calls are ignored, and pv_out_end writes nothing and reports it.
 */

enum pv_format { PV_FORMAT_TEXT, PV_FORMAT_JSON, PV_FORMAT_JSONL, PV_FORMAT_CSV };

struct pv_out_options {
	enum pv_format format;
	char csv_sep;   /* ',' (default when 0) or ';'; anything else is misuse */
	bool excel;     /* CSV for Norwegian Excel: UTF-8 BOM and ';' (wins over csv_sep) */
	bool color;     /* text only: bold table headers (caller decides tty/NO_COLOR) */
};

struct pv_out;

/* Parses "text", "json", "jsonl" or "csv". */
bool pv_format_parse(const char *name, enum pv_format *out);

/* New emitter writing to `fp` (borrowed; must outlive the emitter).
 * Free with pv_out_free(). Returns NULL only when out of memory. */
struct pv_out *pv_out_new(FILE *fp, const struct pv_out_options *opts);
void pv_out_free(struct pv_out *out);

enum pv_format pv_out_format(const struct pv_out *out);

/* Starts the document; `kind` names its schema ("plan" → "patvers/plan/1").
 * Must be called once, before any other emit call. */
void pv_out_begin(struct pv_out *out, const char *kind);

/*
 * Values. Outside a table they are top-level fields of the document;
 * inside a record they are fields of the record; inside a list (key is
 * ignored, pass NULL) they are list items. Strings are copied.
 * A NULL string is emitted as JSON null.
 */
void pv_out_str(struct pv_out *out, const char *key, const char *value);
/* A word of a fixed vocabulary (a status, a kind, a weekday; marked
 * NC_("value", …) where it is defined): data formats write it as it is,
 * text output in the reader's language. */
void pv_out_word(struct pv_out *out, const char *key, const char *word);
void pv_out_int(struct pv_out *out, const char *key, long long value);
/* A decimal number printed with `decimals` digits after the point in
 * every format (so output never depends on float formatting): 0.2 with 2
 * decimals is 0.20, also as the JSON number token. The point is '.' in any
 * locale; decimals are clamped to 0..17; "-0.00" prints as "0.00"; NaN and
 * infinity are emitted as null. */
void pv_out_num(struct pv_out *out, const char *key, double value, int decimals);
void pv_out_bool(struct pv_out *out, const char *key, bool value);
void pv_out_null(struct pv_out *out, const char *key);

/* A jansson value (borrowed; copied; NULL is null), rendered like the
 * same tree built with the calls above. Reals print in their shortest
 * form that reads back exactly, always with a point or exponent (0.2,
 * 2.0, 1e-07). */
struct json_t;
void pv_out_json(struct pv_out *out, const char *key, const struct json_t *value);

/* Nested containers inside a record or at top level. */
void pv_out_begin_map(struct pv_out *out, const char *key);
void pv_out_end_map(struct pv_out *out);
void pv_out_begin_list(struct pv_out *out, const char *key);
void pv_out_end_list(struct pv_out *out);

/*
 * Tables, at top level only; `name` is their key in the document.
 * `columns` (copied) is a NULL-terminated list of the record keys shown in
 * text and CSV, in order (NULL: every key, in order of first appearance
 * across records, nested maps as "key.sub"); a declared "key.sub" reaches
 * into the nested map "key". In text output each column is headed by its
 * key in upper case.
 */
void pv_out_begin_table(struct pv_out *out, const char *name,
			const char *const *columns);
/*
 * Makes the table just begun (call right after pv_out_begin_table) show
 * one row per entry of each record's nested map `key` in text and CSV,
 * for results that JSON nests ("criteria" per student) but spreadsheets
 * want flat (one row per student and criterion). On each row the entry's
 * key is the column `entry_column`; an entry that is a map lends its
 * fields as columns of their own, a scalar entry is the column `key`; the
 * record's other fields repeat on every row (where an entry field has the
 * name of a record field, the record's is kept). A record whose `key` is
 * absent, null, empty or not a map gives no row. JSON and JSONL keep the
 * records as emitted. `key` and `entry_column` are copied.
 */
void pv_out_table_expand(struct pv_out *out, const char *key, const char *entry_column);

void pv_out_begin_record(struct pv_out *out);
void pv_out_end_record(struct pv_out *out);
void pv_out_end_table(struct pv_out *out);

/* A line for people: printed in text output only (after the fields,
 * before the tables), ignored by the data formats. Allowed anywhere
 * between pv_out_begin and pv_out_end. */
void pv_out_note(struct pv_out *out, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * Renders the document and flushes the stream; call it once. A command
 * that never called pv_out_begin() (it wrote a file of its own) renders
 * nothing, but the stream is still flushed and checked. Returns PV_OK
 * (err untouched); PV_EIO ("cannot write output: <strerror>") when
 * writing fails, e.g. on a full disk; PV_ESOFTWARE when the emit calls
 * were unbalanced or misused (then nothing is written) or memory ran out.
 * `err` may be NULL.
 */
enum pv_status pv_out_end(struct pv_out *out, struct pv_error *err);

/* Writes one CSV field with RFC 4180 quoting (when it holds `sep`, a
 * quote, CR or LF) and the formula guard (a cell starting with = + - @,
 * tab or CR gets a leading '). NULL writes an empty field; sep 0 means ','.
 * Shared by every CSV writer in patvers. */
void pv_csv_write_field(FILE *fp, const char *value, char sep);

#endif
