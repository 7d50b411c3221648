/* CSV input: libcsv in strict mode, fed whole chunks; records reach the caller in batches. */
#include <csv.h>
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "patvers/csvio.h"

#include "bytes-internal.h"
#include "utf8-internal.h"

/* Bounds that keep memory small whatever a file contains. */
#define MAX_FIELD_BYTES (64 * 1024)
#define MAX_FIELDS 4096
#define CHUNK (256 * 1024)

/* A batch is handed over when it holds this many records or bytes: few
 * enough to stay in the CPU cache, many enough that handing over costs
 * nothing per record. */
#define BATCH_RECORDS 1024
#define BATCH_BYTES (64 * 1024)

/* Records parsed and not yet given to the callback. Their fields lie back
 * to back in `bytes`, each NUL-terminated: the one copy out of libcsv's
 * buffer, which it reuses for the next field. */
struct batch {
	/* each batch in cache lines of its own: the parser fills one while
	 * the callback's thread empties the next */
	_Alignas(64) char *bytes;
	size_t nbytes, bytes_cap;
	size_t *starts;           /* per field: its offset in bytes */
	size_t *lengths;
	size_t nfields, fields_cap;
	struct span {
		long line;
		size_t first, n;      /* its fields: starts[first .. first + n) */
	} *records;
	size_t nrecords, records_cap;
};

/* The caller's side: the callback and what it needs. */
struct consumer {
	_Alignas(64) pv_csv_record_fn fn;   /* lines of its own, as struct reader */
	void *arg;
	struct pv_error *err;
	enum pv_status status;
	char **fields;            /* one record's fields, pointing into a batch */
	size_t cap;
};

/* The parsing side. Its error stays its own until every record before
 * the one at fault has been given to the callback, which may fail first. */
struct reader {
	/* the parser's thread writes it for every field: in cache lines of
	 * its own, or the callback's thread, writing its state beside it on
	 * the stack, costs both a cache miss each time */
	_Alignas(64) struct csv_parser parser;
	const char *filename;
	struct pv_error err;
	enum pv_status status;
	bool stop;                /* the callback failed: parse no further */

	long line;                /* 1 + the line breaks parsed so far */
	long record_line;         /* line the record being parsed starts on */
	bool sep_known;
	bool bom_checked;
	bool last_clean;          /* the chunk fed last was clean (chunk_clean) */
	bool fields_clean;        /* so is this one: its fields need no check */

	struct batch *batch;      /* being filled */
	size_t first;             /* the current record's first field in it */
	struct consumer *to;      /* handed over to at once, or */
	struct pipe *pipe;        /* through the batches of a pipeline */
};

/*
 * Reading a stream, libcsv runs in a thread of its own and the callback
 * in the caller's: parsing is most of the work, and the callback gets the
 * same records in the same order as without the thread. The batches go
 * round a ring: the parser fills one while the callback takes another.
 */
#define RING 4

struct pipe {
	_Alignas(64) pthread_mutex_t lock;
	pthread_cond_t changed;
	struct batch ring[RING];
	size_t filled, taken;     /* batches handed over, given back: ever */
	bool done;                /* the parser has handed over its last */
	bool stop;                /* the callback failed */
	struct reader *r;
	FILE *fp;
	char *buf;
};

#define ONES  0x0101010101010101ull
#define HIGHS 0x8080808080808080ull

/* True when the 8 bytes at s are all printable ASCII (no control byte:
 * no NUL, no line break): the common case, checked a word at a time. */
static bool plain_word(const unsigned char *s)
{
	uint64_t v;

	memcpy(&v, s, sizeof v);
	return !(v & HIGHS) && !((v - 0x20 * ONES) & ~v & HIGHS);
}

/* True when s[0..len) holds no NUL, no quote and nothing but whole,
 * strict UTF-8 sequences: then no field of it needs a check of its own,
 * and none holds a line break (only a quoted field can). A word at a
 * time; at a word with a special byte, from that byte on. */
static bool chunk_clean(const unsigned char *s, size_t len)
{
	const uint64_t quotes = '"' * ONES;
	size_t i = 0;

	while (i < len) {
		if (i + 8 <= len) {
			uint64_t v, special;

			memcpy(&v, s + i, sizeof v);
			/* a byte with the high bit set, or a zero byte in v or
			 * in v ^ quotes: the has-zero-byte test can also flag a
			 * byte above a true zero, never below, so the lowest
			 * flagged byte is a real one */
			special = (v | ((v - ONES) & ~v) |
				   (((v ^ quotes) - ONES) & ~(v ^ quotes))) & HIGHS;
			if (!special) {
				i += 8;
				continue;
			}
			i += (size_t)__builtin_ctzll(special) / 8;
		}
		if (s[i] == '\0' || s[i] == '"')
			return false;
		if (s[i] < 0x80) {
			i++;
		} else if (s[i] >= 0xc2 && s[i] <= 0xdf && i + 1 < len &&
			   (s[i + 1] & 0xc0) == 0x80) {
			i += 2;   /* æ, ø, å: the letters that bring most chunks here */
		} else {
			size_t n = pv_utf8_seq(s + i, len - i);

			if (!n)
				return false;
			i += n;
		}
	}
	return true;
}

/* ---- batches ---- */

static bool batch_room(struct batch *b, size_t len)
{
	if (b->nfields == b->fields_cap) {
		size_t cap = b->fields_cap ? b->fields_cap * 2 : 64;
		size_t *starts = realloc(b->starts, cap * sizeof *starts), *lengths;

		if (!starts)
			return false;
		b->starts = starts;
		lengths = realloc(b->lengths, cap * sizeof *lengths);
		if (!lengths)
			return false;
		b->lengths = lengths;
		b->fields_cap = cap;
	}
	if (b->bytes_cap - b->nbytes < len + 1) {
		size_t cap = b->bytes_cap ? b->bytes_cap : 4096;
		char *bytes;

		while (cap - b->nbytes < len + 1)
			cap *= 2;
		bytes = realloc(b->bytes, cap);
		if (!bytes)
			return false;
		b->bytes = bytes;
		b->bytes_cap = cap;
	}
	return true;
}

static bool batch_add_record(struct batch *b, long line, size_t first)
{
	if (b->nrecords == b->records_cap) {
		size_t cap = b->records_cap ? b->records_cap * 2 : 64;
		struct span *records = realloc(b->records, cap * sizeof *records);

		if (!records)
			return false;
		b->records = records;
		b->records_cap = cap;
	}
	b->records[b->nrecords++] = (struct span){ line, first, b->nfields - first };
	return true;
}

static bool batch_full(const struct batch *b)
{
	return b->nrecords >= BATCH_RECORDS || b->nbytes >= BATCH_BYTES;
}

static void batch_clear(struct batch *b)
{
	b->nbytes = b->nfields = b->nrecords = 0;
}

static void batch_free(struct batch *b)
{
	free(b->bytes);
	free(b->starts);
	free(b->lengths);
	free(b->records);
}

/* Gives the batch's records to the callback, in order, until one fails. */
static void deliver(struct consumer *c, struct batch *b)
{
	for (size_t r = 0; r < b->nrecords && c->status == PV_OK; r++) {
		const struct span *s = &b->records[r];
		struct pv_csv_record rec = {
			.line = s->line,
			.nfields = s->n,
			.lengths = b->lengths + s->first,
		};

		if (s->n > c->cap) {
			size_t cap = s->n > 2 * c->cap ? s->n : 2 * c->cap;
			char **fields = realloc(c->fields, cap * sizeof *fields);

			if (!fields) {
				c->status = pv_error_set(c->err, PV_ESOFTWARE, "out of memory");
				break;
			}
			c->fields = fields;
			c->cap = cap;
		}
		for (size_t k = 0; k < s->n; k++)
			c->fields[k] = b->bytes + b->starts[s->first + k];
		rec.fields = c->fields;
		c->status = c->fn(&rec, c->arg, c->err);
	}
	batch_clear(b);
}

/* The parser's side of the ring: publishes the batch, waits for room. */
static void pipe_put(struct pipe *p, struct reader *r)
{
	pthread_mutex_lock(&p->lock);
	p->filled++;
	pthread_cond_broadcast(&p->changed);
	while (p->filled - p->taken == RING && !p->stop)
		pthread_cond_wait(&p->changed, &p->lock);
	r->stop = p->stop;
	pthread_mutex_unlock(&p->lock);
	r->batch = &p->ring[p->filled % RING];
}

/* The callback's side: every batch in order, until the last or a failure. */
static void pipe_take(struct pipe *p, struct consumer *c)
{
	for (;;) {
		struct batch *b;

		pthread_mutex_lock(&p->lock);
		while (p->taken == p->filled && !p->done)
			pthread_cond_wait(&p->changed, &p->lock);
		b = p->taken < p->filled ? &p->ring[p->taken % RING] : NULL;
		pthread_mutex_unlock(&p->lock);
		if (!b)
			return;
		deliver(c, b);
		pthread_mutex_lock(&p->lock);
		p->taken++;
		p->stop = c->status != PV_OK;
		pthread_cond_broadcast(&p->changed);
		pthread_mutex_unlock(&p->lock);
		if (c->status != PV_OK)
			return;
	}
}

/* The filled batch goes to the callback. */
static void hand_over(struct reader *r)
{
	if (r->pipe) {
		pipe_put(r->pipe, r);
	} else {
		deliver(r->to, r->batch);
		r->stop = r->to->status != PV_OK;
	}
	r->first = 0;
}

/* ---- parsing ---- */

/* The line of the record being parsed: before its first field, the line
 * after the last line break. */
static long record_line(const struct reader *r)
{
	return r->batch->nfields > r->first ? r->record_line : r->line;
}

static void fail_at(struct reader *r, long column, const char *what)
{
	if (r->status == PV_OK)
		r->status = pv_error_set_at(&r->err, PV_EDATA, r->filename, record_line(r),
					    column, "%s", what);
}

static void fail_oom(struct reader *r)
{
	if (r->status == PV_OK)
		r->status = pv_error_set(&r->err, PV_ESOFTWARE, "out of memory");
}

/* Checks one field and counts the line breaks in it (only a quoted field
 * has any): "" when it is fine, else what is wrong. */
static const char *field_problem(const unsigned char *s, size_t len, long *breaks)
{
	size_t i = 0;
	bool nul = false, bad = false;

	while (i + 8 <= len && plain_word(s + i))
		i += 8;
	while (i < len && s[i] >= 0x20 && s[i] < 0x80)   /* the short tail of most fields */
		i++;
	/* the rest in one pass (a NUL is reported before bad UTF-8); a bad
	 * byte is passed one at a time, so every NUL and LF is seen */
	while (i < len) {
		size_t n = pv_utf8_seq(s + i, len - i);

		if (!n)
			bad = true;
		else if (s[i] == '\0')
			nul = true;
		else if (s[i] == '\n')
			++*breaks;
		i += n ? n : 1;
	}
	if (nul)
		return "NUL byte in field";
	if (bad)
		return "not valid UTF-8 (if the file is from Excel, convert it with "
		       "'iconv -f WINDOWS-1252 -t UTF-8')";
	return "";
}

/* libcsv: one field ended. */
static void on_field(void *data, size_t len, void *arg)
{
	struct reader *r = arg;
	struct batch *b = r->batch;
	size_t i = b->nfields - r->first;
	const char *problem;
	long breaks = 0;

	if (r->status != PV_OK || r->stop)
		return;
	if (i == 0)
		r->record_line = r->line;
	if (i >= MAX_FIELDS) {
		fail_at(r, (long)i + 1, "too many fields in one record");
		return;
	}
	if (len > MAX_FIELD_BYTES) {
		fail_at(r, (long)i + 1, "field longer than 65536 bytes");
		return;
	}
	problem = r->fields_clean ? "" : field_problem(data, len, &breaks);
	if (*problem) {
		fail_at(r, (long)i + 1, problem);
		return;
	}
	if (!batch_room(b, len)) {
		fail_oom(r);
		return;
	}
	pv_bytes_copy(b->bytes + b->nbytes, data, len);
	b->bytes[b->nbytes + len] = '\0';
	b->starts[b->nfields] = b->nbytes;
	b->lengths[b->nfields++] = len;
	b->nbytes += len + 1;
	r->line += breaks;
}

/* libcsv: one record ended, or (CSV_REPALL_NL) a line break outside any
 * record: every unquoted LF comes here, so the lines can be counted
 * although libcsv is fed whole chunks. */
static void on_record(int terminator, void *arg)
{
	struct reader *r = arg;
	struct batch *b = r->batch;

	if (r->status != PV_OK || r->stop)
		return;
	if (b->nfields > r->first) {
		if (!batch_add_record(b, r->record_line, r->first)) {
			fail_oom(r);
			return;
		}
		r->first = b->nfields;
	}
	if (terminator == '\n')
		r->line++;
	if (batch_full(b))
		hand_over(r);
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

/* Feeds one chunk to the parser; the header line decides the separator
 * (lines of nothing but line breaks before it do not count). */
static void feed(struct reader *r, const char *data, size_t len)
{
	bool clean;

	if (!r->bom_checked) {
		r->bom_checked = true;
		if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0) {
			data += 3;
			len -= 3;
		}
	}
	if (!r->sep_known) {
		size_t start = 0;

		while (start < len && (data[start] == '\r' || data[start] == '\n'))
			start++;
		if (start < len) {
			const char *nl = memchr(data + start, '\n', len - start);

			detect_separator(r, data + start,
					 nl ? (size_t)(nl - data) - start : len - start);
		}
	}
	/* a field may have begun in the chunk before: both must be clean */
	clean = chunk_clean((const unsigned char *)data, len);
	r->fields_clean = clean && r->last_clean;
	r->last_clean = clean;
	if (csv_parse(&r->parser, data, len, on_field, on_record, r) != len &&
	    r->status == PV_OK && !r->stop)
		fail_at(r, (long)(r->batch->nfields - r->first) + 1,
			csv_error(&r->parser) == CSV_EPARSE ?
			"malformed CSV: a quote inside an unquoted field or text after a "
			"closing quote" : csv_strerror(csv_error(&r->parser)));
	/* a field still open at the end of the chunk must not grow unbounded */
	if (r->status == PV_OK && r->parser.entry_pos > MAX_FIELD_BYTES)
		fail_at(r, (long)(r->batch->nfields - r->first) + 1,
			"field longer than 65536 bytes");
}

static bool start(struct reader *r, struct batch *b, struct consumer *to,
		  const char *filename)
{
	memset(r, 0, sizeof *r);
	r->filename = filename;
	r->line = 1;
	r->record_line = 1;
	r->last_clean = true;
	r->batch = b;
	r->to = to;
	if (csv_init(&r->parser, CSV_STRICT | CSV_STRICT_FINI | CSV_REPALL_NL) != 0) {
		fail_oom(r);
		return false;
	}
	/* libcsv grows a field's buffer by this much at a time (128 bytes by
	 * default): an overlong field, fed a chunk at a time before it is
	 * refused, took thousands of reallocs, each a copy under ASan. */
	csv_set_blk_size(&r->parser, 16 * 1024);
	return true;
}

/* Ends the input: the last record, the last batch. */
static void finish(struct reader *r)
{
	if (r->status == PV_OK && !r->stop &&
	    csv_fini(&r->parser, on_field, on_record, r) != 0)
		fail_at(r, (long)(r->batch->nfields - r->first) + 1,
			"unterminated quoted field at the end of the file");
	if (!r->stop)
		hand_over(r);
	csv_free(&r->parser);
}

/* What the read comes to: the callback's failure, else the parser's. */
static enum pv_status outcome(struct reader *r, struct consumer *c)
{
	free(c->fields);
	if (c->status != PV_OK)
		return c->status;
	if (r->status != PV_OK && c->err)
		*c->err = r->err;
	return r->status;
}

enum pv_status pv_csv_read_buffer(const char *data, size_t len, const char *filename,
				  pv_csv_record_fn fn, void *arg, struct pv_error *err)
{
	struct consumer c = { .fn = fn, .arg = arg, .err = err };
	struct batch b = { 0 };
	struct reader r;
	enum pv_status st;

	/* in the chunks a stream is read in, so both find the same errors */
	if (start(&r, &b, &c, filename)) {
		for (size_t at = 0; at < len && r.status == PV_OK && !r.stop; at += CHUNK)
			feed(&r, data + at, len - at < CHUNK ? len - at : CHUNK);
		finish(&r);
	}
	st = outcome(&r, &c);
	batch_free(&b);
	return st;
}

/* Parses all of fp, then hands over the last batch. */
static void read_stream(struct reader *r, FILE *fp, char *buf)
{
	while (r->status == PV_OK && !r->stop) {
		size_t n = fread(buf, 1, CHUNK, fp);

		if (n)
			feed(r, buf, n);
		if (n < CHUNK && ferror(fp))
			r->status = pv_error_set(&r->err, PV_EIO, "cannot read '%s': %s",
						 r->filename, strerror(errno));
		else if (n < CHUNK)
			break;
	}
	finish(r);
}

/* The parser's thread. */
static void *parse_thread(void *arg)
{
	struct pipe *p = arg;

	read_stream(p->r, p->fp, p->buf);
	pthread_mutex_lock(&p->lock);
	p->done = true;
	pthread_cond_broadcast(&p->changed);
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

enum pv_status pv_csv_read(FILE *fp, const char *filename, pv_csv_record_fn fn,
			   void *arg, struct pv_error *err)
{
	struct consumer c = { .fn = fn, .arg = arg, .err = err };
	struct pipe p = { .lock = PTHREAD_MUTEX_INITIALIZER,
			  .changed = PTHREAD_COND_INITIALIZER, .fp = fp };
	struct reader r;
	pthread_t thread;
	enum pv_status st;

	p.r = &r;
	p.buf = malloc(CHUNK);
	if (!p.buf)
		return pv_error_set(err, PV_ESOFTWARE, "out of memory");
	if (start(&r, &p.ring[0], &c, filename)) {
		r.pipe = &p;
		if (pthread_create(&thread, NULL, parse_thread, &p) == 0) {
			pipe_take(&p, &c);
			pthread_join(thread, NULL);
		} else {
			/* no thread to be had: the same, one batch at a time */
			r.pipe = NULL;
			read_stream(&r, fp, p.buf);
		}
	}
	free(p.buf);
	st = outcome(&r, &c);
	for (size_t i = 0; i < RING; i++)
		batch_free(&p.ring[i]);
	return st;
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
