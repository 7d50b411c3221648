/* CSV input: libcsv in strict mode, streamed line by line for positions. */
#include <csv.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "patvers/csvio.h"

/* Bounds that keep memory small whatever a file contains. */
#define MAX_FIELD_BYTES (64 * 1024)
#define MAX_FIELDS 4096
#define CHUNK (256 * 1024)

struct reader {
	struct csv_parser parser;
	const char *filename;
	pv_csv_record_fn fn;
	void *arg;
	struct pv_error *err;
	enum pv_status status;

	long line;            /* line being fed */
	long record_line;     /* line the current record started on */
	bool at_record_start; /* the next non-blank line starts a record */
	bool record_ended;    /* cb2 fired while feeding the current line */
	bool sep_known;
	bool bom_checked;

	/* Field buffers live as long as the reader and are reused record
	 * after record: a malloc and free per field was a third of the time
	 * of reading a large file. */
	char **fields;
	size_t *lengths;
	size_t *sizes;        /* allocated bytes of fields[i] */
	size_t nfields, cap;
};

#define ONES  0x0101010101010101ull
#define HIGHS 0x8080808080808080ull

/* True when the 8 bytes at s are all ASCII and none is NUL: the common
 * case, checked a word at a time. */
static bool plain_word(const unsigned char *s)
{
	uint64_t v;

	memcpy(&v, s, sizeof v);
	return !(v & HIGHS) && !((v - ONES) & ~v & HIGHS);
}

/* Strict UTF-8: no overlong forms, no surrogates, nothing above U+10FFFF. */
static bool valid_utf8(const unsigned char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		unsigned char c = s[i];
		size_t len;
		unsigned int cp;

		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf) {
			len = 2;
			cp = c & 0x1f;
		} else if (c >= 0xe0 && c <= 0xef) {
			len = 3;
			cp = c & 0x0f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			len = 4;
			cp = c & 0x07;
		} else {
			return false;
		}
		if (i + len > n)
			return false;
		for (size_t k = 1; k < len; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return false;
			cp = (cp << 6) | (s[i + k] & 0x3f);
		}
		if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return false;
		i += len;
	}
	return true;
}

static void fail_at(struct reader *r, long column, const char *what)
{
	if (r->status == PV_OK)
		r->status = pv_error_set_at(r->err, PV_EDATA, r->filename, r->record_line,
					    column, "%s", what);
}

static bool grow_fields(struct reader *r)
{
	size_t cap = r->cap ? r->cap * 2 : 16;
	char **fields = realloc(r->fields, cap * sizeof *fields);
	size_t *lengths, *sizes;

	if (!fields)
		return false;
	r->fields = fields;
	lengths = realloc(r->lengths, cap * sizeof *lengths);
	if (!lengths)
		return false;
	r->lengths = lengths;
	sizes = realloc(r->sizes, cap * sizeof *sizes);
	if (!sizes)
		return false;
	r->sizes = sizes;
	for (size_t i = r->cap; i < cap; i++) {
		r->fields[i] = NULL;
		r->sizes[i] = 0;
	}
	r->cap = cap;
	return true;
}

/* Checks one field: "" when it is fine, else what is wrong. */
static const char *field_problem(const unsigned char *s, size_t len)
{
	size_t i = 0;

	while (i + 8 <= len && plain_word(s + i))
		i += 8;
	while (i < len && s[i] && s[i] < 0x80)   /* the short tail of most fields */
		i++;
	if (i == len)
		return "";
	if (memchr(s + i, '\0', len - i))
		return "NUL byte in field";
	if (!valid_utf8(s + i, len - i))
		return "not valid UTF-8 (if the file is from Excel, convert it with "
		       "'iconv -f WINDOWS-1252 -t UTF-8')";
	return "";
}

/* Room for len + 1 bytes in field buffer i. */
static bool field_room(struct reader *r, size_t i, size_t len)
{
	size_t size = r->sizes[i] ? r->sizes[i] : 32;
	char *p;

	if (r->sizes[i] > len)
		return true;
	while (size <= len)
		size *= 2;
	p = realloc(r->fields[i], size);
	if (!p)
		return false;
	r->fields[i] = p;
	r->sizes[i] = size;
	return true;
}

/* libcsv: one field ended. */
static void on_field(void *data, size_t len, void *arg)
{
	struct reader *r = arg;
	const char *problem;
	size_t i = r->nfields;

	if (r->status != PV_OK)
		return;
	if (i >= MAX_FIELDS) {
		fail_at(r, (long)i + 1, "too many fields in one record");
		return;
	}
	if (len > MAX_FIELD_BYTES) {
		fail_at(r, (long)i + 1, "field longer than 65536 bytes");
		return;
	}
	problem = field_problem(data, len);
	if (*problem) {
		fail_at(r, (long)i + 1, problem);
		return;
	}
	if ((i == r->cap && !grow_fields(r)) || !field_room(r, i, len)) {
		r->status = pv_error_set(r->err, PV_ESOFTWARE, "out of memory");
		return;
	}
	memcpy(r->fields[i], data, len);
	r->fields[i][len] = '\0';
	r->lengths[i] = len;
	r->nfields++;
	r->at_record_start = false;
}

static void clear_fields(struct reader *r)
{
	r->nfields = 0;
}

static void free_fields(struct reader *r)
{
	for (size_t i = 0; i < r->cap; i++)
		free(r->fields[i]);
	free(r->fields);
	free(r->lengths);
	free(r->sizes);
}

/* libcsv: one record ended. */
static void on_record(int terminator, void *arg)
{
	struct reader *r = arg;

	(void)terminator;
	if (r->status == PV_OK && r->nfields > 0) {
		struct pv_csv_record rec = {
			.line = r->record_line,
			.nfields = r->nfields,
			.fields = r->fields,
			.lengths = r->lengths,
		};
		r->status = r->fn(&rec, r->arg, r->err);
	}
	clear_fields(r);
	r->record_ended = true;
	r->at_record_start = true;
}

/* The separator is ';' when the header line has more semicolons than
 * commas outside quotes (Norwegian Excel), else ','. */
static void detect_separator(struct reader *r, const char *line, size_t len)
{
	size_t commas = 0, semicolons = 0;
	bool quoted = false;

	for (size_t i = 0; i < len; i++) {
		if (line[i] == '"')
			quoted = !quoted;
		else if (!quoted && line[i] == ',')
			commas++;
		else if (!quoted && line[i] == ';')
			semicolons++;
	}
	csv_set_delim(&r->parser, semicolons > commas ? ';' : ',');
	r->sep_known = true;
}

static bool blank_line(const char *line, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (line[i] != '\r' && line[i] != '\n')
			return false;
	return true;
}

/* Feeds one line (with its '\n', if any) to the parser. */
static void feed_line(struct reader *r, const char *line, size_t len)
{
	if (!r->bom_checked) {
		r->bom_checked = true;
		if (len >= 3 && memcmp(line, "\xef\xbb\xbf", 3) == 0) {
			line += 3;
			len -= 3;
		}
	}
	if (!r->sep_known && !blank_line(line, len))
		detect_separator(r, line, len);
	r->record_ended = false;
	if (r->at_record_start)
		r->record_line = r->line;
	if (csv_parse(&r->parser, line, len, on_field, on_record, r) != len &&
	    r->status == PV_OK)
		fail_at(r, (long)r->nfields + 1,
			csv_error(&r->parser) == CSV_EPARSE ?
			"malformed CSV: a quote inside an unquoted field or text after a "
			"closing quote" : csv_strerror(csv_error(&r->parser)));
	if (r->status == PV_OK && r->parser.entry_pos > MAX_FIELD_BYTES)
		fail_at(r, (long)r->nfields + 1, "field longer than 65536 bytes");
	/* A line that ends inside a quoted field continues the record. */
	if (!r->record_ended && !blank_line(line, len))
		r->at_record_start = false;
	if (len && line[len - 1] == '\n')
		r->line++;
}

static void feed(struct reader *r, const char *data, size_t len)
{
	while (len && r->status == PV_OK) {
		const char *nl = memchr(data, '\n', len);
		size_t n = nl ? (size_t)(nl - data) + 1 : len;

		feed_line(r, data, n);
		data += n;
		len -= n;
	}
}

static enum pv_status start(struct reader *r, const char *filename, pv_csv_record_fn fn,
			    void *arg, struct pv_error *err)
{
	memset(r, 0, sizeof *r);
	r->filename = filename;
	r->fn = fn;
	r->arg = arg;
	r->err = err;
	r->line = 1;
	r->record_line = 1;
	r->at_record_start = true;
	if (csv_init(&r->parser, CSV_STRICT | CSV_STRICT_FINI) != 0)
		return pv_error_set(err, PV_ESOFTWARE, "out of memory");
	/* libcsv grows a field's buffer by this much at a time (128 bytes by
	 * default): an overlong field, fed a chunk at a time before it is
	 * refused, took thousands of reallocs, each a copy under ASan. */
	csv_set_blk_size(&r->parser, 16 * 1024);
	return PV_OK;
}

static enum pv_status finish(struct reader *r)
{
	if (r->status == PV_OK && csv_fini(&r->parser, on_field, on_record, r) != 0)
		fail_at(r, (long)r->nfields + 1, "unterminated quoted field at the end of the file");
	free_fields(r);
	csv_free(&r->parser);
	return r->status;
}

enum pv_status pv_csv_read_buffer(const char *data, size_t len, const char *filename,
				  pv_csv_record_fn fn, void *arg, struct pv_error *err)
{
	struct reader r;
	enum pv_status status = start(&r, filename, fn, arg, err);

	if (status != PV_OK)
		return status;
	feed(&r, data, len);
	return finish(&r);
}

static const char *last_newline(const char *buf, size_t len)
{
	while (len--)
		if (buf[len] == '\n')
			return buf + len;
	return NULL;
}

enum pv_status pv_csv_read(FILE *fp, const char *filename, pv_csv_record_fn fn,
			   void *arg, struct pv_error *err)
{
	struct reader r;
	enum pv_status status = start(&r, filename, fn, arg, err);
	char *buf = malloc(CHUNK);
	size_t carry = 0;

	if (status != PV_OK) {
		free(buf);
		return status;
	}
	if (!buf)
		r.status = pv_error_set(err, PV_ESOFTWARE, "out of memory");
	/* Whole lines are fed; a partial last line waits for the next read. */
	while (r.status == PV_OK) {
		size_t n = fread(buf + carry, 1, CHUNK - carry, fp), have = carry + n;
		const char *last_nl;
		size_t whole;

		if (n == 0) {
			if (ferror(fp))
				r.status = pv_error_set(err, PV_EIO, "cannot read '%s': %s",
							filename, strerror(errno));
			else
				feed(&r, buf, have);
			break;
		}
		last_nl = last_newline(buf, have);
		whole = last_nl ? (size_t)(last_nl - buf) + 1 : (have == CHUNK ? have : 0);
		feed(&r, buf, whole);
		carry = have - whole;
		memmove(buf, buf + whole, carry);
	}
	free(buf);
	return finish(&r);
}

char *pv_csv_trim(char *s)
{
	size_t len = strlen(s), start = 0;

	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\r' ||
		       s[len - 1] == '\n'))
		len--;
	while (start < len && (s[start] == ' ' || s[start] == '\t'))
		start++;
	memmove(s, s + start, len - start);
	s[len - start] = '\0';
	return s;
}

/* Folds one character to lower case: ASCII, and Æ Ø Å (C3 86/98/85) to
 * æ ø å (C3 A6/B8/A5). Advances *s past it. */
static unsigned fold_char(const unsigned char **s)
{
	unsigned c = *(*s)++;

	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 'a';
	if (c == 0xc3 && **s) {
		unsigned d = *(*s)++;
		if (d == 0x86 || d == 0x98 || d == 0x85)
			d += 0x20;
		return 0xc300 | d;
	}
	return c;
}

bool pv_csv_name_equal(const char *a, const char *b)
{
	const unsigned char *x = (const unsigned char *)a, *y = (const unsigned char *)b;

	while (*x && *y)
		if (fold_char(&x) != fold_char(&y))
			return false;
	return *x == '\0' && *y == '\0';
}

static bool header_matches(const char *header, const struct pv_csv_column *col)
{
	if (pv_csv_name_equal(header, col->name))
		return true;
	for (const char *const *alias = col->aliases; alias && *alias; alias++)
		if (pv_csv_name_equal(header, *alias))
			return true;
	return false;
}

enum pv_status pv_csv_map_header(const struct pv_csv_record *header,
				 const struct pv_csv_column *spec, size_t count,
				 int *index, const char *filename, struct pv_error *err)
{
	for (size_t i = 0; i < count; i++)
		index[i] = -1;
	for (size_t f = 0; f < header->nfields; f++) {
		char *name = pv_csv_trim(header->fields[f]);

		for (size_t i = 0; i < count; i++) {
			if (!header_matches(name, &spec[i]))
				continue;
			if (index[i] >= 0)
				return pv_error_set_at(err, PV_EDATA, filename, header->line,
						       (long)f + 1,
						       "two columns for '%s' (columns %d and %zu)",
						       spec[i].name, index[i] + 1, f + 1);
			index[i] = (int)f;
		}
	}
	for (size_t i = 0; i < count; i++)
		if (spec[i].required && index[i] < 0)
			return pv_error_set_at(err, PV_EDATA, filename, header->line, 0,
					       "missing required column '%s'", spec[i].name);
	return PV_OK;
}
