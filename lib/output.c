/* The output emitter: collects one document, renders it as text, JSON, JSONL or CSV. */
#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "patvers/i18n.h"
#include "patvers/output.h"

#include "utf8-internal.h"

/* Deeper nesting than this is a bug in the caller, not data. */
#define MAX_DEPTH 64
/* A double carries no more digits than this; more would print noise. */
#define MAX_DECIMALS 17

/* ---- growable byte buffer: everything is rendered here first, so a
 * write error is caught in one place and reported with its errno ---- */

struct buf {
	char *s;
	size_t len;
	size_t cap;
	bool oom;
};

static bool buf_grow(struct buf *b, size_t n)
{
	size_t cap = b->cap ? b->cap : 256;
	char *p;

	if (b->len + n + 1 < b->len) {
		b->oom = true;
		return false;
	}
	if (b->len + n + 1 <= b->cap)
		return true;
	while (cap < b->len + n + 1)
		cap *= 2;
	p = realloc(b->s, cap);
	if (!p) {
		b->oom = true;
		return false;
	}
	b->s = p;
	b->cap = cap;
	return true;
}

/* Always leaves b->s allocated and NUL-terminated, even for n == 0. */
static void buf_add(struct buf *b, const char *s, size_t n)
{
	if (b->oom || !buf_grow(b, n))
		return;
	if (n)
		memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

static void buf_puts(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

static void buf_putc(struct buf *b, char c)
{
	buf_add(b, &c, 1);
}

static void buf_spaces(struct buf *b, size_t n)
{
	while (n--)
		buf_putc(b, ' ');
}

/* Text output never ends a line in spaces: drop those after `from`. */
static void buf_rtrim(struct buf *b, size_t from)
{
	while (b->len > from && b->s[b->len - 1] == ' ')
		b->s[--b->len] = '\0';
}

static void buf_truncate(struct buf *b, size_t len)
{
	if (b->s && len <= b->len) {
		b->len = len;
		b->s[len] = '\0';
	}
}

static void buf_free(struct buf *b)
{
	free(b->s);
	memset(b, 0, sizeof *b);
}

/* ---- UTF-8 ---- */

/*
 * A copy of s in which every byte that is not valid UTF-8 becomes U+FFFD:
 * one stray Latin-1 byte from an input file must not make jansson refuse
 * the value, nor put invalid UTF-8 into JSON. NULL when out of memory.
 */
static char *utf8_clean(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s);
	struct buf b = { 0 };

	buf_add(&b, "", 0);
	while (n) {
		size_t len = pv_utf8_seq(p, n);

		if (len)
			buf_add(&b, (const char *)p, len);
		else
			buf_puts(&b, "\xEF\xBF\xBD");
		len = len ? len : 1;
		p += len;
		n -= len;
	}
	if (b.oom) {
		buf_free(&b);
		return NULL;
	}
	return b.s;
}

/* s itself when it is all valid UTF-8, as nearly every string is, else a
 * cleaned copy left in *copy for the caller to free; NULL when out of
 * memory. Spares a copy per emitted key and string. */
static const char *utf8_valid_or_clean(const char *s, char **copy)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s);

	*copy = NULL;
	while (n) {
		size_t len = pv_utf8_seq(p, n);

		if (!len)
			return *copy = utf8_clean(s);
		p += len;
		n -= len;
	}
	return s;
}

/* Marks that take no column of their own (combining accents, as in
 * decomposed "å" from macOS files; zero-width spaces; BOM). */
static bool zero_width(unsigned long cp)
{
	return (cp >= 0x300 && cp <= 0x36F) || (cp >= 0x200B && cp <= 0x200F) ||
	       cp == 0xFEFF;
}

/* Columns s takes on a terminal: one per code point. Never wcwidth():
 * that depends on the locale and output must be byte-identical. */
static size_t display_width(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), w = 0;

	while (n) {
		size_t len = pv_utf8_seq(p, n);

		if (!len)
			len = 1;
		if (len == 1 || !zero_width(pv_utf8_decode(p, len)))
			w++;
		p += len;
		n -= len;
	}
	return w;
}

/* Upper case for column headings: ASCII and the Latin-1 letters (æøå). */
static void upper_in_place(char *s)
{
	unsigned char *p = (unsigned char *)s;

	for (; *p; p++) {
		if (*p >= 'a' && *p <= 'z')
			*p -= 'a' - 'A';
		else if (p[0] == 0xC3 && p[1] >= 0xA0 && p[1] <= 0xBE && p[1] != 0xB7)
			*++p -= 0x20;
	}
}

/* Control bytes from data could move the cursor or recolour a terminal;
 * text output shows them as spaces. */
static void text_clean_in_place(char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7F)
			*s = ' ';
}

/* The translation of `text` under a gettext message context, or `text`. */
static const char *in_context(const char *context, const char *text)
{
	char id[160];
	size_t nc = strlen(context), nt = strlen(text);
	const char *t;

	if (nc + nt + 2 > sizeof id)
		return text;
	/* "context\004text": how gettext stores a message with a context */
	memcpy(id, context, nc);
	id[nc] = '\004';
	memcpy(id + nc + 1, text, nt + 1);
	t = dgettext(PV_TEXTDOMAIN, id);
	return t == id ? text : t;
}

/*
 * A key as people read it in text output: its translation under the
 * message context "label" (po/extract collects the keys of every pv_out_*
 * call and column list), else the key itself. Data formats keep the key.
 */
static const char *label_of(const char *key)
{
	return in_context("label", key);
}

/* Writes a key as a label for people: translated, '_' read as a space. */
static void put_label(struct buf *b, const char *key)
{
	for (const char *p = label_of(key); *p; p++) {
		unsigned char c = *p;

		buf_putc(b, c == '_' || c < 0x20 || c == 0x7F ? ' ' : (char)c);
	}
}

/* ---- fixed-decimal numbers ---- */

/*
 * A pv_out_num value lives in the tree as an object whose only key is a
 * single NUL byte, holding the preformatted text. No caller can emit that
 * key (keys are C strings), so the marker cannot be forged, and the JSON
 * renderer writes the text as a raw number token: 0.20 stays 0.20.
 */
static const char NUM_KEY[1] = { '\0' };

static const char *num_text(const json_t *v)
{
	const json_t *s;

	if (!v || !json_is_object(v) || json_object_size(v) != 1)
		return NULL;
	s = json_object_getn(v, NUM_KEY, sizeof NUM_KEY);
	return s ? json_string_value(s) : NULL;
}

static bool is_map(const json_t *v)
{
	return v && json_is_object(v) && !num_text(v);
}

/* A map that prints as a block of its own ("key.sub" columns in CSV,
 * indented lines in text); an empty map prints as a plain "no value". */
static bool is_block(const json_t *v)
{
	return is_map(v) && json_object_size(v) > 0;
}

/* printf follows LC_NUMERIC (nb_NO writes "0,20"); output must not. */
static void point_in_place(char *buf)
{
	const char *dp = localeconv()->decimal_point;
	char *p;

	if (!dp || !*dp || strcmp(dp, ".") == 0)
		return;
	p = strstr(buf, dp);
	if (p) {
		size_t dl = strlen(dp);

		*p = '.';
		memmove(p + 1, p + dl, strlen(p + dl) + 1);
	}
}

/* -0.001 rounds to "-0.00"; a sign on zero only confuses people. */
static void unsign_zero(char *buf)
{
	if (buf[0] == '-' && strspn(buf + 1, "0.") == strlen(buf + 1))
		memmove(buf, buf + 1, strlen(buf));
}

static void format_fixed(char *buf, size_t size, double value, int decimals)
{
	snprintf(buf, size, "%.*f", decimals, value);
	point_in_place(buf);
	unsign_zero(buf);
}

/* The shortest text that reads back as the same double, so a 0.2 from
 * rules.json comes out as 0.2 and not 0.20000000000000001; always with
 * a point or exponent, so JSON readers still see a real (2.0). */
static void format_shortest(char *buf, size_t size, double value)
{
	int prec;

	for (prec = 1; prec < 17; prec++) {
		snprintf(buf, size, "%.*g", prec, value);
		if (strtod(buf, NULL) == value)   /* both in the same locale */
			break;
	}
	if (prec == 17)
		snprintf(buf, size, "%.17g", value);
	point_in_place(buf);
	unsign_zero(buf);
	if (!strpbrk(buf, ".e") && strlen(buf) + 3 <= size)
		strcat(buf, ".0");
}

static json_t *num_from_text(const char *text)
{
	json_t *obj, *str;

	obj = json_object();
	str = json_string(text);
	if (!obj || !str) {
		json_decref(obj);
		json_decref(str);
		return NULL;
	}
	/* frees str on failure */
	if (json_object_setn_new_nocheck(obj, NUM_KEY, sizeof NUM_KEY, str)) {
		json_decref(obj);
		return NULL;
	}
	return obj;
}

static json_t *num_new(double value, int decimals)
{
	char text[400];   /* sign + 309 digits of DBL_MAX + point + decimals */

	if (!isfinite(value))
		return json_null();   /* JSON has no NaN or infinity */
	if (decimals < 0)
		decimals = 0;
	if (decimals > MAX_DECIMALS)
		decimals = MAX_DECIMALS;
	format_fixed(text, sizeof text, value, decimals);
	return num_from_text(text);
}

static json_t *num_shortest(double value)
{
	char text[40];

	if (!isfinite(value))
		return json_null();
	format_shortest(text, sizeof text, value);
	return num_from_text(text);
}

/* ---- the emitter ---- */

enum frame_kind { F_ROOT, F_TABLE, F_RECORD, F_MAP, F_LIST };

static const char *const frame_names[] = {
	[F_ROOT] = "document", [F_TABLE] = "table", [F_RECORD] = "record",
	[F_MAP] = "map", [F_LIST] = "list",
};

struct frame {
	enum frame_kind kind;
	json_t *node;          /* borrowed from the document */
};

struct table {
	char *name;            /* owned */
	json_t *records;       /* borrowed from the document */
	char **columns;        /* owned, NULL-terminated; NULL: every key */
	char *expand_key;      /* owned; text and CSV: a row per entry of this map */
	char *expand_column;   /* owned; the column holding the entry's key */
	size_t nrecords;       /* begun so far */
	/* Rendered record by record into pv_out.streamed, each record leaving
	 * the tree once rendered: the first table in JSONL, and in CSV when
	 * its columns are declared (else they depend on every record). A
	 * large table would otherwise be held twice, as a tree of small
	 * allocations and then as text. */
	bool streamed;
};

enum out_state { ST_NEW, ST_OPEN, ST_DONE };

struct pv_out {
	FILE *fp;
	enum pv_format format;
	char sep;
	bool excel;
	bool color;
	enum out_state state;
	json_t *root;          /* {"schema": …, fields and tables in order} */
	struct frame stack[MAX_DEPTH];
	int depth;
	struct table *tables;
	size_t ntables;
	char **notes;
	size_t nnotes;
	struct buf streamed;   /* the first table rendered so far, when streamed */
	bool failed;           /* misuse or out of memory: render nothing */
	char failure[512];
};

static void fail(struct pv_out *out, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Records the first misuse; later calls are ignored and pv_out_end
 * reports it, so a bug in a command never crashes the tool. */
static void fail(struct pv_out *out, const char *fmt, ...)
{
	va_list ap;

	if (out->failed)
		return;
	out->failed = true;
	va_start(ap, fmt);
	vsnprintf(out->failure, sizeof out->failure, fmt, ap);
	va_end(ap);
}

static void fail_oom(struct pv_out *out)
{
	fail(out, "output: out of memory");
}

/* True when an emit call may go ahead; records the misuse otherwise. */
static bool ready(struct pv_out *out, const char *call)
{
	if (out->failed)
		return false;
	if (out->state == ST_NEW) {
		fail(out, "output misuse: %s before pv_out_begin", call);
		return false;
	}
	if (out->state == ST_DONE) {
		fail(out, "output misuse: %s after pv_out_end", call);
		return false;
	}
	return true;
}

static struct frame *top(struct pv_out *out)
{
	return &out->stack[out->depth - 1];
}

bool pv_format_parse(const char *name, enum pv_format *out)
{
	static const struct {
		const char *name;
		enum pv_format format;
	} formats[] = {
		{ "text", PV_FORMAT_TEXT }, { "json", PV_FORMAT_JSON },
		{ "jsonl", PV_FORMAT_JSONL }, { "csv", PV_FORMAT_CSV },
	};
	size_t i;

	for (i = 0; name && i < sizeof formats / sizeof formats[0]; i++) {
		if (strcmp(name, formats[i].name) == 0) {
			if (out)
				*out = formats[i].format;
			return true;
		}
	}
	return false;
}

static void apply_options(struct pv_out *out, const struct pv_out_options *opts)
{
	out->format = opts->format;
	out->excel = opts->excel;
	out->color = opts->color;
	out->sep = opts->csv_sep ? opts->csv_sep : ',';
	if (out->format != PV_FORMAT_TEXT && out->format != PV_FORMAT_JSON &&
	    out->format != PV_FORMAT_JSONL && out->format != PV_FORMAT_CSV) {
		fail(out, "output misuse: unknown format %d", (int)out->format);
		out->format = PV_FORMAT_TEXT;
	}
	if (out->sep != ',' && out->sep != ';')
		fail(out, "output misuse: CSV separator must be ',' or ';'");
	if (out->excel)
		out->sep = ';';
}

struct pv_out *pv_out_new(FILE *fp, const struct pv_out_options *opts)
{
	static const struct pv_out_options defaults = { .format = PV_FORMAT_TEXT };
	struct pv_out *out = calloc(1, sizeof *out);

	if (!out)
		return NULL;
	out->fp = fp;
	apply_options(out, opts ? opts : &defaults);
	if (!fp)
		fail(out, "output misuse: no output stream");
	return out;
}

static void free_strv(char **v)
{
	size_t i;

	for (i = 0; v && v[i]; i++)
		free(v[i]);
	free(v);
}

void pv_out_free(struct pv_out *out)
{
	size_t i;

	if (!out)
		return;
	for (i = 0; i < out->ntables; i++) {
		free(out->tables[i].name);
		free_strv(out->tables[i].columns);
		free(out->tables[i].expand_key);
		free(out->tables[i].expand_column);
	}
	free(out->tables);
	for (i = 0; i < out->nnotes; i++)
		free(out->notes[i]);
	free(out->notes);
	buf_free(&out->streamed);
	json_decref(out->root);
	free(out);
}

enum pv_format pv_out_format(const struct pv_out *out)
{
	return out ? out->format : PV_FORMAT_TEXT;
}

void pv_out_begin(struct pv_out *out, const char *kind)
{
	struct buf schema = { 0 };
	json_t *s;

	if (!out || out->failed)
		return;
	if (out->state != ST_NEW) {
		fail(out, "output misuse: pv_out_begin called twice");
		return;
	}
	if (!kind || !*kind) {
		fail(out, "output misuse: pv_out_begin without a kind");
		return;
	}
	buf_puts(&schema, "patvers/");
	buf_puts(&schema, kind);
	buf_puts(&schema, "/1");
	out->root = json_object();
	s = schema.oom ? NULL : json_string(schema.s);
	buf_free(&schema);
	if (!out->root || !s) {
		json_decref(s);
		fail_oom(out);
		return;
	}
	if (json_object_set_new(out->root, "schema", s)) {   /* frees s */
		fail_oom(out);
		return;
	}
	out->state = ST_OPEN;
	out->stack[0] = (struct frame){ F_ROOT, out->root };
	out->depth = 1;
}

/* Adds v (stolen) to object `obj` under `key`; returns v (borrowed) or
 * NULL after recording why. */
static json_t *put_field(struct pv_out *out, const char *call, json_t *obj,
			 const char *key, json_t *v)
{
	const char *k;
	char *copy;

	if (!key) {
		json_decref(v);
		fail(out, "output misuse: %s without a key", call);
		return NULL;
	}
	k = utf8_valid_or_clean(key, &copy);
	if (!k) {
		json_decref(v);
		fail_oom(out);
		return NULL;
	}
	/* a second value would silently replace the first in JSON */
	if (json_object_get(obj, k)) {
		fail(out, "output misuse: duplicate key '%s'", k);
		json_decref(v);
		free(copy);
		return NULL;
	}
	if (json_object_set_new_nocheck(obj, k, v)) {   /* frees v on failure */
		free(copy);
		fail_oom(out);
		return NULL;
	}
	free(copy);
	return v;
}

/* Puts v (stolen) where the emitter stands: a field of the document, the
 * record or the map, or the next item of a list. */
static json_t *put(struct pv_out *out, const char *call, const char *key, json_t *v)
{
	struct frame *f;

	if (!ready(out, call)) {
		json_decref(v);
		return NULL;
	}
	if (!v) {
		fail_oom(out);
		return NULL;
	}
	f = top(out);
	switch (f->kind) {
	case F_LIST:
		if (json_array_append_new(f->node, v)) {
			fail_oom(out);
			return NULL;
		}
		return v;
	case F_TABLE:
		json_decref(v);
		fail(out, "output misuse: %s in a table outside a record", call);
		return NULL;
	default:
		return put_field(out, call, f->node, key, v);
	}
}

static void push(struct pv_out *out, enum frame_kind kind, json_t *node)
{
	if (out->depth == MAX_DEPTH) {
		fail(out, "output misuse: nesting deeper than %d", MAX_DEPTH);
		return;
	}
	out->stack[out->depth++] = (struct frame){ kind, node };
}

static void pop(struct pv_out *out, enum frame_kind kind, const char *call)
{
	if (!out || !ready(out, call))
		return;
	if (top(out)->kind != kind) {
		fail(out, "output misuse: %s while a %s is open", call,
		     frame_names[top(out)->kind]);
		return;
	}
	out->depth--;
}

static json_t *string_new(const char *value)
{
	const char *clean;
	char *copy;
	json_t *s;

	if (!value)
		return json_null();
	clean = utf8_valid_or_clean(value, &copy);
	if (!clean)
		return NULL;
	s = json_string_nocheck(clean);
	free(copy);
	return s;
}

void pv_out_str(struct pv_out *out, const char *key, const char *value)
{
	if (out)
		put(out, "pv_out_str", key, string_new(value));
}

void pv_out_word(struct pv_out *out, const char *key, const char *word)
{
	bool text = out && out->format == PV_FORMAT_TEXT;

	pv_out_str(out, key, text && word ? in_context("value", word) : word);
}

void pv_out_int(struct pv_out *out, const char *key, long long value)
{
	if (out)
		put(out, "pv_out_int", key, json_integer(value));
}

void pv_out_num(struct pv_out *out, const char *key, double value, int decimals)
{
	if (out)
		put(out, "pv_out_num", key, num_new(value, decimals));
}

void pv_out_bool(struct pv_out *out, const char *key, bool value)
{
	if (out)
		put(out, "pv_out_bool", key, json_boolean(value));
}

void pv_out_null(struct pv_out *out, const char *key)
{
	if (out)
		put(out, "pv_out_null", key, json_null());
}

static json_t *copy_json(struct pv_out *out, const json_t *v, int depth);

static json_t *copy_object(struct pv_out *out, const json_t *v, int depth)
{
	json_t *obj = json_object(), *val, *item;
	const char *key;
	char *k;

	if (!obj)
		return NULL;
	json_object_foreach((json_t *)v, key, val) {
		item = copy_json(out, val, depth + 1);
		k = item ? utf8_clean(key) : NULL;
		if (!k || json_object_set_new(obj, k, item)) {
			if (!k)
				json_decref(item);
			free(k);
			json_decref(obj);
			return NULL;
		}
		free(k);
	}
	return obj;
}

static json_t *copy_array(struct pv_out *out, const json_t *v, int depth)
{
	json_t *arr = json_array(), *item;
	size_t i;

	if (!arr)
		return NULL;
	for (i = 0; i < json_array_size(v); i++) {
		item = copy_json(out, json_array_get(v, i), depth + 1);
		if (!item || json_array_append_new(arr, item)) {
			json_decref(arr);
			return NULL;
		}
	}
	return arr;
}

/* A copy of a caller's jansson value made of the emitter's own nodes, so
 * it renders exactly as if it had been emitted call by call; reals keep
 * their shortest exact form. NULL when out of memory or too deep. */
static json_t *copy_json(struct pv_out *out, const json_t *v, int depth)
{
	if (!v)
		return json_null();
	if (depth > MAX_DEPTH) {
		fail(out, "output misuse: nesting deeper than %d", MAX_DEPTH);
		return NULL;
	}
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		return copy_object(out, v, depth);
	case JSON_ARRAY:
		return copy_array(out, v, depth);
	case JSON_STRING:
		return string_new(json_string_value(v));
	case JSON_INTEGER:
		return json_integer(json_integer_value(v));
	case JSON_REAL:
		return num_shortest(json_real_value(v));
	case JSON_TRUE:
		return json_true();
	case JSON_FALSE:
		return json_false();
	default:
		return json_null();
	}
}

void pv_out_json(struct pv_out *out, const char *key, const struct json_t *value)
{
	if (!out || out->failed)
		return;
	put(out, "pv_out_json", key, copy_json(out, value, out->depth + 1));
}

static void begin_container(struct pv_out *out, const char *call, const char *key,
			    enum frame_kind kind)
{
	json_t *node;

	if (!out)
		return;
	if (!out->failed && out->depth == MAX_DEPTH) {
		fail(out, "output misuse: nesting deeper than %d", MAX_DEPTH);
		return;
	}
	node = put(out, call, key, kind == F_LIST ? json_array() : json_object());
	if (node)
		push(out, kind, node);
}

void pv_out_begin_map(struct pv_out *out, const char *key)
{
	begin_container(out, "pv_out_begin_map", key, F_MAP);
}

void pv_out_end_map(struct pv_out *out)
{
	pop(out, F_MAP, "pv_out_end_map");
}

void pv_out_begin_list(struct pv_out *out, const char *key)
{
	begin_container(out, "pv_out_begin_list", key, F_LIST);
}

void pv_out_end_list(struct pv_out *out)
{
	pop(out, F_LIST, "pv_out_end_list");
}

/* A sanitised, owned copy of a NULL-terminated column list. */
static bool copy_columns(const char *const *columns, char ***copy)
{
	size_t n = 0, i;
	char **v;

	*copy = NULL;
	if (!columns)
		return true;
	while (columns[n])
		n++;
	v = calloc(n + 1, sizeof *v);
	if (!v)
		return false;
	for (i = 0; i < n; i++) {
		v[i] = utf8_clean(columns[i]);
		if (!v[i]) {
			free_strv(v);
			return false;
		}
	}
	*copy = v;
	return true;
}

static void csv_table(const struct pv_out *out, const struct table *t, bool header,
		      struct buf *b);
static void jsonl_records(const json_t *records, struct buf *b);

/* Renders the records a streamed table holds (at its start none: the CSV
 * header) and takes them out of the tree. */
static void stream_table(struct pv_out *out, struct table *t, bool header)
{
	if (out->format == PV_FORMAT_CSV)
		csv_table(out, t, header, &out->streamed);
	else
		jsonl_records(t->records, &out->streamed);
	json_array_clear(t->records);
}

void pv_out_begin_table(struct pv_out *out, const char *name,
			const char *const *columns)
{
	static const char call[] = "pv_out_begin_table";
	struct table t = { 0 }, *tables;

	if (!out || !ready(out, call))
		return;
	if (top(out)->kind != F_ROOT) {
		fail(out, "output misuse: %s inside a %s", call, frame_names[top(out)->kind]);
		return;
	}
	tables = realloc(out->tables, (out->ntables + 1) * sizeof *tables);
	if (!tables || !copy_columns(columns, &t.columns) ||
	    (name && !(t.name = utf8_clean(name)))) {
		if (tables)
			out->tables = tables;
		free_strv(t.columns);
		fail_oom(out);
		return;
	}
	out->tables = tables;
	t.records = put(out, call, name, json_array());
	if (!t.records) {
		free(t.name);
		free_strv(t.columns);
		return;
	}
	t.streamed = !out->ntables && (out->format == PV_FORMAT_JSONL ||
				       (out->format == PV_FORMAT_CSV && t.columns));
	out->tables[out->ntables++] = t;
	push(out, F_TABLE, t.records);
	if (t.streamed)
		stream_table(out, &out->tables[out->ntables - 1], true);
}

void pv_out_table_expand(struct pv_out *out, const char *key, const char *entry_column)
{
	static const char call[] = "pv_out_table_expand";
	struct table *t;

	if (!out || !ready(out, call))
		return;
	if (top(out)->kind != F_TABLE) {
		fail(out, "output misuse: %s outside a table", call);
		return;
	}
	t = &out->tables[out->ntables - 1];
	if (!key || !entry_column) {
		fail(out, "output misuse: %s without a key or column", call);
		return;
	}
	if (t->expand_key || t->nrecords) {
		fail(out, "output misuse: %s after records or twice", call);
		return;
	}
	t->expand_key = utf8_clean(key);
	t->expand_column = utf8_clean(entry_column);
	if (!t->expand_key || !t->expand_column)
		fail_oom(out);
}

void pv_out_end_table(struct pv_out *out)
{
	pop(out, F_TABLE, "pv_out_end_table");
}

void pv_out_begin_record(struct pv_out *out)
{
	static const char call[] = "pv_out_begin_record";
	json_t *rec;

	if (!out || !ready(out, call))
		return;
	if (top(out)->kind != F_TABLE) {
		fail(out, "output misuse: %s outside a table", call);
		return;
	}
	rec = json_object();
	if (!rec || json_array_append_new(top(out)->node, rec)) {
		fail_oom(out);
		return;
	}
	out->tables[out->ntables - 1].nrecords++;
	push(out, F_RECORD, rec);
}

void pv_out_end_record(struct pv_out *out)
{
	pop(out, F_RECORD, "pv_out_end_record");
	/* popped (else it failed): the record's table is the last one */
	if (out && !out->failed && out->tables[out->ntables - 1].streamed)
		stream_table(out, &out->tables[out->ntables - 1], false);
}

static char *vformat(const char *fmt, va_list ap)
{
	va_list copy;
	int n;
	char *s;

	va_copy(copy, ap);
	n = vsnprintf(NULL, 0, fmt, copy);
	va_end(copy);
	if (n < 0)
		return NULL;
	s = malloc((size_t)n + 1);
	if (s)
		vsnprintf(s, (size_t)n + 1, fmt, ap);
	return s;
}

void pv_out_note(struct pv_out *out, const char *fmt, ...)
{
	va_list ap;
	char *raw, *note, **notes;

	if (!out || !ready(out, "pv_out_note"))
		return;
	if (!fmt) {
		fail(out, "output misuse: pv_out_note without a format");
		return;
	}
	va_start(ap, fmt);
	raw = vformat(_(fmt), ap);   /* a note is for people: translated */
	va_end(ap);
	note = raw ? utf8_clean(raw) : NULL;
	free(raw);
	notes = note ? realloc(out->notes, (out->nnotes + 1) * sizeof *notes) : NULL;
	if (!notes) {
		free(note);
		fail_oom(out);
		return;
	}
	out->notes = notes;
	out->notes[out->nnotes++] = note;
}

/* ---- JSON and JSONL ---- */

static void json_put_string(struct buf *b, const char *s)
{
	char esc[8];

	buf_putc(b, '"');
	for (; *s; s++) {
		unsigned char c = *s;

		switch (c) {
		case '"': buf_puts(b, "\\\""); break;
		case '\\': buf_puts(b, "\\\\"); break;
		case '\b': buf_puts(b, "\\b"); break;
		case '\f': buf_puts(b, "\\f"); break;
		case '\n': buf_puts(b, "\\n"); break;
		case '\r': buf_puts(b, "\\r"); break;
		case '\t': buf_puts(b, "\\t"); break;
		default:
			if (c < 0x20) {
				snprintf(esc, sizeof esc, "\\u%04x", c);
				buf_puts(b, esc);
			} else {
				buf_putc(b, (char)c);   /* UTF-8 as is */
			}
		}
	}
	buf_putc(b, '"');
}

static void json_newline(struct buf *b, bool pretty, int depth)
{
	if (pretty) {
		buf_putc(b, '\n');
		buf_spaces(b, 2 * (size_t)depth);
	}
}

static int cmp_keys(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void json_put(struct buf *b, const json_t *v, int depth, bool pretty, bool sorted);

static void json_put_object(struct buf *b, const json_t *v, int depth, bool pretty,
			    bool sorted)
{
	size_t n = json_object_size(v), i = 0;
	const char **keys, *key;
	json_t *val;

	if (!n) {
		buf_puts(b, "{}");
		return;
	}
	keys = malloc(n * sizeof *keys);
	if (!keys) {
		b->oom = true;
		return;
	}
	json_object_foreach((json_t *)v, key, val)
		keys[i++] = key;
	if (sorted)
		qsort(keys, n, sizeof *keys, cmp_keys);
	buf_putc(b, '{');
	for (i = 0; i < n; i++) {
		if (i)
			buf_putc(b, ',');
		json_newline(b, pretty, depth + 1);
		json_put_string(b, keys[i]);
		buf_puts(b, pretty ? ": " : ":");
		json_put(b, json_object_get(v, keys[i]), depth + 1, pretty, sorted);
	}
	free(keys);
	json_newline(b, pretty, depth);
	buf_putc(b, '}');
}

static void json_put_array(struct buf *b, const json_t *v, int depth, bool pretty,
			   bool sorted)
{
	size_t i, n = json_array_size(v);

	if (!n) {
		buf_puts(b, "[]");
		return;
	}
	buf_putc(b, '[');
	for (i = 0; i < n; i++) {
		if (i)
			buf_putc(b, ',');
		json_newline(b, pretty, depth + 1);
		json_put(b, json_array_get(v, i), depth + 1, pretty, sorted);
	}
	json_newline(b, pretty, depth);
	buf_putc(b, ']');
}

/* Our own writer rather than json_dumps(): only so can a pv_out_num value
 * come out as the exact token it was formatted to. The layout matches
 * json_dumps(JSON_INDENT(2)) and json_dumps(JSON_COMPACT). */
static void json_put(struct buf *b, const json_t *v, int depth, bool pretty, bool sorted)
{
	const char *num = num_text(v);
	char tmp[32];

	if (num) {
		buf_puts(b, num);
		return;
	}
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		json_put_object(b, v, depth, pretty, sorted);
		break;
	case JSON_ARRAY:
		json_put_array(b, v, depth, pretty, sorted);
		break;
	case JSON_STRING:
		json_put_string(b, json_string_value(v));
		break;
	case JSON_INTEGER:
		snprintf(tmp, sizeof tmp, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		buf_puts(b, tmp);
		break;
	case JSON_TRUE:
		buf_puts(b, "true");
		break;
	case JSON_FALSE:
		buf_puts(b, "false");
		break;
	default:   /* null; reals are never built here */
		buf_puts(b, "null");
	}
}

static void render_json(const struct pv_out *out, struct buf *b)
{
	json_put(b, out->root, 0, true, false);
	buf_putc(b, '\n');
}

static void jsonl_records(const json_t *records, struct buf *b)
{
	size_t i;

	for (i = 0; i < json_array_size(records); i++) {
		json_put(b, json_array_get(records, i), 0, false, true);
		buf_putc(b, '\n');
	}
}

/* What a streamed table rendered as its records ended. */
static void put_streamed(const struct pv_out *out, struct buf *b)
{
	if (out->streamed.oom)
		b->oom = true;
	else
		buf_add(b, out->streamed.s, out->streamed.len);
}

static void render_jsonl(const struct pv_out *out, struct buf *b)
{
	if (!out->ntables) {
		json_put(b, out->root, 0, false, true);
		buf_putc(b, '\n');
	} else if (out->tables[0].streamed) {
		put_streamed(out, b);
	} else {
		jsonl_records(out->tables[0].records, b);
	}
}

/* ---- cells: one value as text, shared by the text and CSV backends ---- */

struct cell_style {
	const char *none;      /* null, missing, empty list or map */
	const char *yes;
	const char *no;
	const char *join;      /* between list items and map fields */
};

static const struct cell_style csv_style = { "", "true", "false", " " };

/* Text for people: yes and no in the reader's language, looked up once
 * (the language is set before anything is printed), not once a cell. */
static const struct cell_style *text_style(void)
{
	static struct cell_style style = { "-", NULL, NULL, ", " };

	if (!style.yes) {
		style.yes = _("yes");
		style.no = _("no");
	}
	return &style;
}

static void cell_put(struct buf *b, const json_t *v, const struct cell_style *st);

/* Containers inside a list or map have no flat form: compact JSON. */
static void cell_put_item(struct buf *b, const json_t *v, const struct cell_style *st)
{
	if (json_is_array(v) || is_map(v))
		json_put(b, v, 0, false, false);
	else
		cell_put(b, v, st);
}

static void cell_put_list(struct buf *b, const json_t *v, const struct cell_style *st)
{
	size_t i;

	for (i = 0; i < json_array_size(v); i++) {
		if (i)
			buf_puts(b, st->join);
		cell_put_item(b, json_array_get(v, i), st);
	}
}

static void cell_put_map(struct buf *b, const json_t *v, const struct cell_style *st)
{
	const char *key;
	json_t *val;
	bool first = true;

	json_object_foreach((json_t *)v, key, val) {
		if (!first)
			buf_puts(b, st->join);
		first = false;
		buf_puts(b, key);
		buf_putc(b, '=');
		cell_put_item(b, val, st);
	}
}

static void cell_put(struct buf *b, const json_t *v, const struct cell_style *st)
{
	char tmp[32];

	if (num_text(v)) {
		buf_puts(b, num_text(v));
		return;
	}
	if (!v || json_is_null(v) ||
	    (json_is_array(v) && !json_array_size(v)) ||
	    (json_is_object(v) && !json_object_size(v))) {
		buf_puts(b, st->none);
		return;
	}
	switch (json_typeof(v)) {
	case JSON_STRING:
		buf_puts(b, json_string_value(v));
		break;
	case JSON_INTEGER:
		snprintf(tmp, sizeof tmp, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		buf_puts(b, tmp);
		break;
	case JSON_TRUE:
		buf_puts(b, st->yes);
		break;
	case JSON_FALSE:
		buf_puts(b, st->no);
		break;
	case JSON_ARRAY:
		cell_put_list(b, v, st);
		break;
	default:
		cell_put_map(b, v, st);
	}
}

/* The cell as an owned string (text: control bytes made spaces). */
static char *cell_string(const json_t *v, const struct cell_style *st, bool text)
{
	struct buf b = { 0 };

	buf_add(&b, "", 0);
	cell_put(&b, v, st);
	if (b.oom) {
		buf_free(&b);
		return NULL;
	}
	if (text)
		text_clean_in_place(b.s);
	return b.s;
}

static bool is_number(const json_t *v)
{
	return v && (json_is_integer(v) || num_text(v));
}

/* ---- rows: what the tabular formats show of a table ---- */

/*
 * A row is a record, or (pv_out_table_expand) one entry of the record's
 * map: the record's fields with the map's place taken by the entry's key
 * (under the entry column), then the entry's fields when it is a map,
 * else the entry itself under the map's name; a record field wins over an
 * entry field of the same name. Rows point into the tree: nothing of the
 * records is copied, which for a large table was most of the work.
 */
struct row {
	const json_t *rec;
	const char *ekey;         /* the entry's key; NULL: the record itself */
	const json_t *entry;
	json_t *ekey_value;       /* owned: ekey as a JSON string */
};

struct rows {
	struct row *v;
	size_t n, cap;
};

static void rows_release(struct rows *rs)
{
	for (size_t i = 0; i < rs->n; i++)
		json_decref(rs->v[i].ekey_value);
	free(rs->v);
	memset(rs, 0, sizeof *rs);
}

/* Appends r (its ekey_value stolen, also on failure). */
static bool rows_add(struct rows *rs, struct row r)
{
	if (rs->n == rs->cap) {
		size_t cap = rs->cap ? rs->cap * 2 : 16;
		struct row *v = realloc(rs->v, cap * sizeof *v);

		if (!v) {
			json_decref(r.ekey_value);
			return false;
		}
		rs->v = v;
		rs->cap = cap;
	}
	rs->v[rs->n++] = r;
	return true;
}

/* The table's rows into rs (release with rows_release); -1 when out of
 * memory. */
static int rows_of(const struct table *t, struct rows *rs)
{
	memset(rs, 0, sizeof *rs);
	for (size_t i = 0; i < json_array_size(t->records); i++) {
		const json_t *rec = json_array_get(t->records, i), *map, *entry;
		const char *ekey;

		if (!t->expand_key) {
			if (!rows_add(rs, (struct row){ .rec = rec }))
				goto oom;
			continue;
		}
		map = json_object_get(rec, t->expand_key);
		if (!is_map(map))
			continue;
		json_object_foreach((json_t *)map, ekey, entry) {
			struct row r = { rec, ekey, entry, json_string(ekey) };

			if (!r.ekey_value || !rows_add(rs, r))
				goto oom;
		}
	}
	return 0;
oom:
	rows_release(rs);
	return -1;
}

static bool key_is(const char *key, size_t len, const char *name)
{
	return strlen(name) == len && memcmp(key, name, len) == 0;
}

/* The row's field key[0..len) (see struct row), NULL when it has none. */
static const json_t *row_getn(const struct table *t, const struct row *r, const char *key,
			      size_t len)
{
	const json_t *in_rec;

	if (!r->ekey)
		return json_object_getn(r->rec, key, len);
	if (key_is(key, len, t->expand_column))
		return r->ekey_value;
	if (key_is(key, len, t->expand_key))
		return is_map(r->entry) ? NULL : r->entry;
	in_rec = json_object_getn(r->rec, key, len);
	if (in_rec)
		return in_rec;
	return is_map(r->entry) ? json_object_getn(r->entry, key, len) : NULL;
}

/* The value for column `path` in the row: the field itself, or "a.b"
 * through the nested map "a". */
static const json_t *row_lookup(const struct table *t, const struct row *r, const char *path)
{
	const json_t *v = row_getn(t, r, path, strlen(path)), *sub;
	const char *dot;

	if (v)
		return v;
	for (dot = strchr(path, '.'); dot; dot = strchr(dot + 1, '.')) {
		sub = row_getn(t, r, path, (size_t)(dot - path));
		if (is_map(sub)) {
			struct row inner = { .rec = sub };

			v = row_lookup(t, &inner, dot + 1);
			if (v)
				return v;
		}
	}
	return NULL;
}

/* ---- table columns ---- */

struct columns {
	const char **names;    /* borrowed */
	size_t n;
	json_t *seen;          /* discovered names, an ordered set */
};

static int discover(json_t *seen, const json_t *obj, struct buf *path);

/* Adds the column of one field to `seen`, or of each field inside it
 * when it is a map ("key.sub"). */
static int discover_field(json_t *seen, const char *key, const json_t *val, struct buf *path)
{
	size_t mark = path->len;
	int rc = 0;

	if (mark)
		buf_putc(path, '.');
	buf_puts(path, key);
	if (path->oom)
		return -1;
	if (is_block(val))
		rc = discover(seen, val, path);
	else if (!json_object_get(seen, path->s) &&
		 json_object_set_new(seen, path->s, json_null()))
		rc = -1;
	buf_truncate(path, mark);
	return rc;
}

/* Adds every key path of obj to `seen` in order. */
static int discover(json_t *seen, const json_t *obj, struct buf *path)
{
	const char *key;
	json_t *val;

	json_object_foreach((json_t *)obj, key, val)
		if (discover_field(seen, key, val, path))
			return -1;
	return 0;
}

/* The entry's own fields of an expanded row, in their order. */
static int discover_entry(json_t *seen, const struct table *t, const struct row *r,
			  struct buf *path)
{
	const char *key;
	json_t *val;

	if (!is_map(r->entry))
		return discover_field(seen, t->expand_key, r->entry, path);
	json_object_foreach((json_t *)r->entry, key, val)
		if (row_getn(t, r, key, strlen(key)) == val &&
		    discover_field(seen, key, val, path))
			return -1;
	return 0;
}

/* The row's columns in the order of its fields (see struct row). */
static int discover_row(json_t *seen, const struct table *t, const struct row *r,
			struct buf *path)
{
	const char *key;
	json_t *val;

	if (!r->ekey)
		return discover(seen, r->rec, path);
	json_object_foreach((json_t *)r->rec, key, val) {
		int rc = strcmp(key, t->expand_key) != 0 ?
			 discover_field(seen, key, row_getn(t, r, key, strlen(key)), path) :
			 discover_field(seen, t->expand_column, r->ekey_value, path) ||
			 discover_entry(seen, t, r, path);

		if (rc)
			return -1;
	}
	return 0;
}

static int discover_columns(const struct table *t, const struct rows *rs, struct columns *c)
{
	struct buf path = { 0 };
	const char *key;
	json_t *val;

	c->seen = json_object();
	if (!c->seen)
		return -1;
	buf_add(&path, "", 0);
	for (size_t i = 0; i < rs->n; i++) {
		if (discover_row(c->seen, t, &rs->v[i], &path)) {
			buf_free(&path);
			return -1;
		}
	}
	buf_free(&path);
	c->names = malloc((json_object_size(c->seen) + 1) * sizeof *c->names);
	if (!c->names)
		return -1;
	json_object_foreach(c->seen, key, val)
		c->names[c->n++] = key;
	return 0;
}

/* The declared columns, else those the rows have. */
static int columns_get(const struct table *t, const struct rows *rs, struct columns *c)
{
	memset(c, 0, sizeof *c);
	if (!t->columns)
		return discover_columns(t, rs, c);
	c->names = (const char **)t->columns;
	while (c->names[c->n])
		c->n++;
	return 0;
}

static void columns_release(const struct table *t, struct columns *c)
{
	if (!t->columns)
		free(c->names);
	json_decref(c->seen);
}

/* ---- CSV ---- */

/* OWASP's list of first characters a spreadsheet takes as a formula. */
static bool formula_start(char c)
{
	return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
}

static bool csv_needs_quotes(const char *s, char sep)
{
	return strchr(s, sep) || strpbrk(s, "\"\r\n");
}

static void csv_field(struct buf *b, const char *s, char sep, bool guard)
{
	bool quote = csv_needs_quotes(s, sep);
	const char *q;

	if (quote)
		buf_putc(b, '"');
	if (guard && formula_start(s[0]))
		buf_putc(b, '\'');
	for (; (q = strchr(s, '"')); s = q + 1) {   /* each quote doubled */
		buf_add(b, s, (size_t)(q - s) + 1);
		buf_putc(b, '"');
	}
	buf_puts(b, s);
	if (quote)
		buf_putc(b, '"');
}

void pv_csv_write_field(FILE *fp, const char *value, char sep)
{
	const char *s = value ? value : "";
	bool quote;

	if (!fp)
		return;
	sep = sep ? sep : ',';
	quote = csv_needs_quotes(s, sep);
	if (quote)
		putc('"', fp);
	if (formula_start(s[0]))
		putc('\'', fp);
	for (; *s; s++) {
		if (*s == '"')
			putc('"', fp);
		putc(*s, fp);
	}
	if (quote)
		putc('"', fp);
}

/* Numbers and booleans are data a spreadsheet should read as such: no
 * guard, or -5 would turn into text. Everything else is guarded. */
static void csv_cell(struct buf *b, const json_t *v, char sep)
{
	char *s;
	bool plain = is_number(v) || (v && json_is_boolean(v));

	/* the common cells, without a copy made by cell_string */
	if (v && json_is_string(v)) {
		csv_field(b, json_string_value(v), sep, true);
		return;
	}
	if (num_text(v)) {
		csv_field(b, num_text(v), sep, false);
		return;
	}
	s = cell_string(v, &csv_style, false);
	if (!s) {
		b->oom = true;
		return;
	}
	csv_field(b, s, sep, !plain);
	free(s);
}

static void csv_fields(const json_t *obj, struct buf *path, char sep, struct buf *b)
{
	const char *key;
	json_t *val;

	json_object_foreach((json_t *)obj, key, val) {
		size_t mark = path->len;

		if (mark)
			buf_putc(path, '.');
		buf_puts(path, key);
		if (path->oom) {
			b->oom = true;
			return;
		}
		if (is_block(val)) {
			csv_fields(val, path, sep, b);
		} else {
			csv_field(b, path->s, sep, true);
			buf_putc(b, sep);
			csv_cell(b, val, sep);
			buf_puts(b, "\r\n");
		}
		buf_truncate(path, mark);
	}
}

static void csv_document(const struct pv_out *out, struct buf *b)
{
	struct buf path = { 0 };
	const char *key;
	json_t *val;

	buf_puts(b, "field");
	buf_putc(b, out->sep);
	buf_puts(b, "value\r\n");
	buf_add(&path, "", 0);
	json_object_foreach(out->root, key, val) {
		if (strcmp(key, "schema") == 0)
			continue;   /* the schema names the JSON layout */
		buf_truncate(&path, 0);
		buf_puts(&path, key);
		if (is_block(val)) {
			csv_fields(val, &path, out->sep, b);
		} else {
			csv_field(b, key, out->sep, true);
			buf_putc(b, out->sep);
			csv_cell(b, val, out->sep);
			buf_puts(b, "\r\n");
		}
	}
	if (path.oom)
		b->oom = true;
	buf_free(&path);
}

static void csv_rows(const struct pv_out *out, const struct table *t, const struct rows *rs,
		     bool header, struct buf *b)
{
	struct columns c;
	size_t i, r;

	if (columns_get(t, rs, &c)) {
		columns_release(t, &c);
		b->oom = true;
		return;
	}
	for (i = 0; header && i < c.n; i++) {
		if (i)
			buf_putc(b, out->sep);
		csv_field(b, c.names[i], out->sep, true);
	}
	if (header && c.n)
		buf_puts(b, "\r\n");
	for (r = 0; c.n && r < rs->n; r++) {
		for (i = 0; i < c.n; i++) {
			if (i)
				buf_putc(b, out->sep);
			csv_cell(b, row_lookup(t, &rs->v[r], c.names[i]), out->sep);
		}
		buf_puts(b, "\r\n");
	}
	columns_release(t, &c);
}

/* The table's rows, after its header row when `header`. */
static void csv_table(const struct pv_out *out, const struct table *t, bool header,
		      struct buf *b)
{
	struct rows rs;

	if (rows_of(t, &rs)) {
		b->oom = true;
		return;
	}
	csv_rows(out, t, &rs, header, b);
	rows_release(&rs);
}

static void render_csv(const struct pv_out *out, struct buf *b)
{
	if (out->excel)
		buf_puts(b, "\xEF\xBB\xBF");
	if (!out->ntables)
		csv_document(out, b);
	else if (out->tables[0].streamed)
		put_streamed(out, b);
	else
		csv_table(out, &out->tables[0], true, b);
}

/* ---- text ---- */

static bool is_table(const struct pv_out *out, const json_t *v)
{
	size_t i;

	for (i = 0; i < out->ntables; i++)
		if (out->tables[i].records == v)
			return true;
	return false;
}

static bool text_skip(const struct pv_out *out, const json_t *obj, const char *key,
		      const json_t *v)
{
	return obj == out->root && (strcmp(key, "schema") == 0 || is_table(out, v));
}

/* "label: value" lines, values aligned; a map as indented lines below
 * its label. */
static void text_fields(const struct pv_out *out, const json_t *obj, size_t indent,
			struct buf *b)
{
	const char *key;
	json_t *val;
	size_t width = 0;

	json_object_foreach((json_t *)obj, key, val) {
		if (!text_skip(out, obj, key, val) && !is_block(val) &&
		    display_width(label_of(key)) > width)
			width = display_width(label_of(key));
	}
	json_object_foreach((json_t *)obj, key, val) {
		char *s;
		size_t mark;

		if (text_skip(out, obj, key, val))
			continue;
		buf_spaces(b, indent);
		put_label(b, key);
		buf_putc(b, ':');
		if (is_block(val)) {
			buf_putc(b, '\n');
			text_fields(out, val, indent + 2, b);
			continue;
		}
		mark = b->len;
		s = cell_string(val, text_style(), true);
		if (!s) {
			b->oom = true;
			return;
		}
		buf_spaces(b, width - display_width(label_of(key)) + 1);
		buf_puts(b, s);
		buf_rtrim(b, mark);
		buf_putc(b, '\n');
		free(s);
	}
}

/* Text of several lines for people: its own line breaks kept, any other
 * control character (one that moves the cursor) as a space. */
static void buf_put_lines(struct buf *b, const char *text)
{
	for (const char *p = text; *p; p++) {
		unsigned char c = *p;

		buf_putc(b, c == '\n' || (c >= 0x20 && c != 0x7F) ? (char)c : ' ');
	}
}

static void text_notes(const struct pv_out *out, struct buf *b)
{
	for (size_t i = 0; i < out->nnotes; i++) {
		buf_put_lines(b, out->notes[i]);
		buf_putc(b, '\n');
	}
}

struct grid {
	size_t rows;           /* data rows; row 0 of cells is the header */
	size_t cols;
	char **cells;          /* (rows + 1) * cols, owned */
	size_t *width;
	bool *right;           /* numbers are right-aligned */
};

static void grid_free(struct grid *g)
{
	size_t i;

	for (i = 0; g->cells && i < (g->rows + 1) * g->cols; i++)
		free(g->cells[i]);
	free(g->cells);
	free(g->width);
	free(g->right);
}

static int grid_header(struct grid *g, const struct columns *c)
{
	size_t i;

	for (i = 0; i < c->n; i++) {
		g->cells[i] = strdup(label_of(c->names[i]));
		if (!g->cells[i])
			return -1;
		upper_in_place(g->cells[i]);
		text_clean_in_place(g->cells[i]);
	}
	return 0;
}

/* Fills the cells; a column is right-aligned when it holds a number and
 * nothing but numbers and empty values. */
static int grid_fill(struct grid *g, const struct table *t, const struct rows *rs,
		     const struct columns *c)
{
	size_t r, i, n;
	bool *text_seen = calloc(g->cols ? g->cols : 1, sizeof *text_seen);

	if (!text_seen || grid_header(g, c)) {
		free(text_seen);
		return -1;
	}
	for (r = 0; r < g->rows; r++) {
		for (i = 0; i < g->cols; i++) {
			const json_t *v = row_lookup(t, &rs->v[r], c->names[i]);

			n = (r + 1) * g->cols + i;
			g->cells[n] = cell_string(v, text_style(), true);
			if (!g->cells[n]) {
				free(text_seen);
				return -1;
			}
			if (is_number(v))
				g->right[i] = true;
			else if (v && !json_is_null(v))
				text_seen[i] = true;
		}
	}
	for (i = 0; i < g->cols; i++)
		g->right[i] = g->right[i] && !text_seen[i];
	free(text_seen);
	return 0;
}

static int grid_build(struct grid *g, const struct table *t, const struct rows *rs,
		      const struct columns *c)
{
	size_t i, n;

	memset(g, 0, sizeof *g);
	g->rows = rs->n;
	g->cols = c->n;
	g->cells = calloc((g->rows + 1) * g->cols, sizeof *g->cells);
	g->width = calloc(g->cols, sizeof *g->width);
	g->right = calloc(g->cols, sizeof *g->right);
	if (!g->cells || !g->width || !g->right || grid_fill(g, t, rs, c))
		return -1;
	for (n = 0; n < (g->rows + 1) * g->cols; n++) {
		size_t w = display_width(g->cells[n]);

		i = n % g->cols;
		if (w > g->width[i])
			g->width[i] = w;
	}
	return 0;
}

static void grid_line(const struct grid *g, size_t row, struct buf *b)
{
	size_t i, start = b->len;

	for (i = 0; i < g->cols; i++) {
		const char *s = g->cells[row * g->cols + i];
		size_t pad = g->width[i] - display_width(s);

		if (i)
			buf_puts(b, "  ");
		if (g->right[i])
			buf_spaces(b, pad);
		buf_puts(b, s);
		if (!g->right[i])
			buf_spaces(b, pad);
	}
	buf_rtrim(b, start);
}

static void text_rows(const struct pv_out *out, const struct table *t, const struct rows *rs,
		      struct buf *b)
{
	struct columns c;
	struct grid g;
	size_t r;

	memset(&g, 0, sizeof g);
	put_label(b, t->name);
	if (!rs->n) {
		buf_puts(b, ": ");
		buf_puts(b, _("(none)"));
		buf_putc(b, '\n');
		return;
	}
	buf_puts(b, ":\n");
	if (columns_get(t, rs, &c)) {
		b->oom = true;
	} else if (c.n && grid_build(&g, t, rs, &c)) {
		b->oom = true;
	} else if (c.n) {
		if (out->color)
			buf_puts(b, "\033[1m");
		grid_line(&g, 0, b);
		if (out->color)
			buf_puts(b, "\033[0m");
		buf_putc(b, '\n');
		for (r = 1; r <= g.rows; r++) {
			grid_line(&g, r, b);
			buf_putc(b, '\n');
		}
	}
	grid_free(&g);
	columns_release(t, &c);
}

static void text_table(const struct pv_out *out, const struct table *t, struct buf *b)
{
	struct rows rs;

	if (rows_of(t, &rs)) {
		b->oom = true;
		return;
	}
	text_rows(out, t, &rs, b);
	rows_release(&rs);
}

/* The document's top-level fields other than the schema and tables. */
static size_t field_count(const struct pv_out *out, json_t **only)
{
	const char *key;
	json_t *val;
	size_t n = 0;

	json_object_foreach(out->root, key, val) {
		if (strcmp(key, "schema") == 0 || is_table(out, val))
			continue;
		*only = val;
		n++;
	}
	return n;
}

static bool text_bare_line(struct buf *b, const json_t *v)
{
	char *s = cell_string(v, text_style(), true);

	if (s) {
		buf_puts(b, s);
		buf_putc(b, '\n');
		free(s);
	} else {
		b->oom = true;
	}
	return true;
}

/*
 * Two shapes print bare, so that commands compose in shell scripts: a
 * document that is one scalar field and nothing else prints the value
 * (`patvers db path`; a string as it is, line breaks and all: `schedule
 * agenda`); a document that is one table of one declared
 * column and nothing else prints the values one per line, with no title
 * or heading (lists of ids for completion and scripts).
 */
static bool text_bare(const struct pv_out *out, struct buf *b)
{
	json_t *only = NULL, *rec;
	size_t fields = field_count(out, &only), i;
	const struct table *t = out->ntables == 1 ? &out->tables[0] : NULL;

	if (out->nnotes)
		return false;
	if (fields == 1 && !out->ntables && json_is_string(only)) {
		/* a text of its own (an agenda in Markdown) keeps its lines */
		const char *text = json_string_value(only);
		buf_put_lines(b, text);
		if (!*text || text[strlen(text) - 1] != '\n')
			buf_putc(b, '\n');
		return true;
	}
	if (fields == 1 && !out->ntables && !is_block(only))
		return text_bare_line(b, only);
	if (fields || !t || !t->columns || !t->columns[0] || t->columns[1] || t->expand_key)
		return false;
	json_array_foreach(t->records, i, rec) {
		json_t *v = json_object_get(rec, t->columns[0]);
		if (v)
			text_bare_line(b, v);
	}
	return true;
}

/* Sections (fields, notes, each table) are separated by one blank line. */
static void render_text(const struct pv_out *out, struct buf *b)
{
	size_t i;

	if (text_bare(out, b))
		return;
	text_fields(out, out->root, 0, b);
	if (out->nnotes) {
		if (b->len)
			buf_putc(b, '\n');
		text_notes(out, b);
	}
	for (i = 0; i < out->ntables; i++) {
		if (b->len)
			buf_putc(b, '\n');
		text_table(out, &out->tables[i], b);
	}
}

/* ---- the end ---- */

static void render(const struct pv_out *out, struct buf *b)
{
	switch (out->format) {
	case PV_FORMAT_JSON:
		render_json(out, b);
		break;
	case PV_FORMAT_JSONL:
		render_jsonl(out, b);
		break;
	case PV_FORMAT_CSV:
		render_csv(out, b);
		break;
	default:
		render_text(out, b);
	}
}

static enum pv_status write_out(FILE *fp, const struct buf *b, struct pv_error *err)
{
	int e;

	errno = 0;
	if (b->len && fwrite(b->s, 1, b->len, fp) != b->len)
		goto fail;
	if (fflush(fp) == EOF || ferror(fp))
		goto fail;
	return PV_OK;
fail:
	e = errno ? errno : EIO;
	return pv_error_set(err, PV_EIO, "cannot write output: %s", strerror(e));
}

/* Records why the document cannot be rendered, if it cannot. */
static void check_balance(struct pv_out *out)
{
	if (out->failed)
		return;
	if (out->state == ST_DONE)
		fail(out, "output misuse: pv_out_end called twice");
	else if (out->depth > 1)
		fail(out, "output misuse: pv_out_end with an open %s",
		     frame_names[top(out)->kind]);
}

enum pv_status pv_out_end(struct pv_out *out, struct pv_error *err)
{
	struct buf b = { 0 };
	enum pv_status st;
	bool begun;

	if (!out)
		return pv_error_set(err, PV_ESOFTWARE, "output misuse: no emitter");
	check_balance(out);
	begun = out->state == ST_OPEN;
	out->state = ST_DONE;
	if (out->failed)
		return pv_error_set(err, PV_ESOFTWARE, "%s", out->failure);
	/* never begun: the command wrote its own output; still flush it */
	if (begun)
		render(out, &b);
	if (b.oom) {
		buf_free(&b);
		return pv_error_set(err, PV_ESOFTWARE, "output: out of memory");
	}
	st = write_out(out->fp, &b, err);
	buf_free(&b);
	return st;
}
