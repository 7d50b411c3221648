/* Absence screening: validate registrations as they stream past, keep per pupil only the school days they touch, apply the criteria. */
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "patvers/audit.h"
#include "patvers/csvio.h"
#include "patvers/fravaer.h"

/*
 * Memory. A pupil is a 32-byte record, its id in a shared arena and a
 * 4-byte hash slot (table at most half full); each school day with a
 * registration is one 8-byte `struct day`, kept sorted in an array that
 * grows by doubling. Rows on the same date fold into one day, so the
 * size is bounded by pupils × school days, whatever the number of rows:
 * at 640 000 pupils ~60 MB fixed, plus 8 bytes per distinct (pupil,
 * school day) with a registration — 80 MB for 10 M distinct ones, and at
 * most 190 school days × 8 B = 1.5 KB per pupil in a whole school year.
 */

#define DAY_UNDOC 1u   /* an `absent` row that is not documented */
#define DAY_LATE  2u
#define DAY_LEFT  4u

/* The days of a school year: 1 August .. 31 July (366 in a leap year). */
#define YEAR_DAYS 366

struct day {
	uint16_t day;     /* days since 1 August */
	uint16_t flags;
	uint16_t all;     /* minutes of every row, capped at day_minutes */
	uint16_t other;   /* minutes of rows not for known illness, capped */
};

struct student {
	const char *id;   /* in the arena */
	uint32_t school;  /* index into schools */
	uint32_t hash;
	uint16_t n, cap;
	struct day *days; /* sorted by day */
};

/* A school as the input names it, with its school days up to as_of. */
struct school {
	char *name;
	uint32_t hash;
	uint16_t *before; /* before[i]: school days in [0, i); ndays + 1 entries */
	uint16_t *list;   /* the school days, ascending; before[ndays] entries */
};

struct chunk {
	struct chunk *next;
	size_t used, size;
	char data[];
};

/* Per input file: where the columns are. */
enum col { C_STUDENT, C_SCHOOL, C_DATE, C_TYPE, C_MINUTES, C_DOCUMENTED, C_REASON,
	   C_COUNT };

struct input {
	const char *filename;
	bool have_header;
	size_t nfields;
	int index[C_COUNT];
};

struct pv_fravaer {
	struct pv_fravaer_params p;
	const struct pv_calendar *cal;
	char *only_school;
	int start_year;
	pv_date first;            /* 1 August */
	pv_date as_of;
	int ndays;                /* days from 1 August to as_of, inclusive */

	struct school *schools;
	size_t nschools, school_cap;
	uint32_t *school_slots;   /* index + 1; 0 is empty */
	size_t nschool_slots;
	size_t last_school;       /* the previous row's school, + 1 */

	struct student *students;
	size_t nstudents, student_cap;
	uint32_t *slots;          /* index + 1; 0 is empty */
	size_t nslots;

	struct chunk *arena;
	struct pv_fravaer_stats stats;

	struct pv_fravaer_flagged *flagged;
	size_t nflagged;
	bool finished;
};

static const struct {
	const char *code;
	int decimals;
} criteria[PV_FRV_COUNT] = {
	[PV_FRV_UNDOCUMENTED] = { "undocumented", 0 },
	[PV_FRV_HIGH_ABSENCE] = { "high_absence", 2 },
	[PV_FRV_REPEATED_LATENESS] = { "repeated_lateness", 0 },
	[PV_FRV_LEAVES_SCHOOL] = { "leaves_school", 0 },
	[PV_FRV_ABSENCE_20PCT] = { "absence_20pct", 4 },
};

const char *pv_fravaer_code(enum pv_fravaer_criterion c)
{
	return (unsigned)c < PV_FRV_COUNT ? criteria[c].code : NULL;
}

int pv_fravaer_decimals(enum pv_fravaer_criterion c)
{
	return (unsigned)c < PV_FRV_COUNT ? criteria[c].decimals : 0;
}

double pv_fravaer_value(enum pv_fravaer_criterion c, const struct pv_fravaer_hit *hit)
{
	long long scale = 1;

	for (int i = 0; i < pv_fravaer_decimals(c); i++)
		scale *= 10;
	if (hit->den <= 0)
		return 0;
	/* integer floor first, so the shown digits never depend on rounding */
	return (double)(hit->num * scale / hit->den) / (double)scale;
}

void pv_fravaer_params_from_rules(const struct pv_rules *rules,
				  struct pv_fravaer_params *out)
{
	out->day_minutes = (int)pv_rules_int(rules, "fravaer.day_minutes");
	out->undocumented_dates = (int)pv_rules_int(rules, "fravaer.undocumented_dates");
	out->high_absence_days = (int)pv_rules_int(rules, "fravaer.high_absence_days");
	out->lateness_dates = (int)pv_rules_int(rules, "fravaer.lateness_dates");
	out->lateness_window_days = (int)pv_rules_int(rules, "fravaer.lateness_window_days");
	out->leaves_dates = (int)pv_rules_int(rules, "fravaer.leaves_dates");
	out->window_days = (int)pv_rules_int(rules, "fravaer.window_days");
	out->window_min_school_days =
		(int)pv_rules_int(rules, "fravaer.window_min_school_days");
	out->window_percent = (int)pv_rules_int(rules, "fravaer.window_percent");
}

/* ---- memory ---- */

/* A copy of s[0..len) in the arena, NUL-terminated; NULL when out of memory. */
static const char *arena_copy(struct pv_fravaer *f, const char *s, size_t len)
{
	struct chunk *c = f->arena;
	char *p;

	if (!c || c->size - c->used < len + 1) {
		size_t size = len + 1 > 65536 ? len + 1 : 1024 * 1024;

		c = malloc(sizeof *c + size);
		if (!c)
			return NULL;
		c->next = f->arena;
		c->used = 0;
		c->size = size;
		f->arena = c;
	}
	p = c->data + c->used;
	memcpy(p, s, len);
	p[len] = '\0';
	c->used += len + 1;
	return p;
}

/* FNV-1a: short ids, and fast enough that libcsv stays the bottleneck. */
static uint32_t hash_bytes(const char *s, size_t len, uint32_t h)
{
	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 16777619u;
	}
	return h;
}

static bool grow_slots(uint32_t **slots, size_t *nslots, size_t count,
		       const void *items, size_t item_size, size_t hash_offset)
{
	size_t n = *nslots ? *nslots * 2 : 1024;
	uint32_t *s;

	if (count * 2 < *nslots)
		return true;
	s = calloc(n, sizeof *s);
	if (!s)
		return false;
	for (size_t i = 0; i < count; i++) {
		uint32_t h;
		size_t k;

		memcpy(&h, (const char *)items + i * item_size + hash_offset, sizeof h);
		for (k = h & (n - 1); s[k]; k = (k + 1) & (n - 1))
			;
		s[k] = (uint32_t)i + 1;
	}
	free(*slots);
	*slots = s;
	*nslots = n;
	return true;
}

/* ---- schools ---- */

/* The school days of `name` from 1 August to as_of, from the calendar. */
static enum pv_status school_days(struct pv_fravaer *f, struct school *s,
				  struct pv_error *err)
{
	int n = 0;

	s->before = malloc((size_t)(f->ndays + 1) * sizeof *s->before);
	s->list = malloc((size_t)(f->ndays ? f->ndays : 1) * sizeof *s->list);
	if (!s->before || !s->list)
		return pv_error_set(err, PV_ESOFTWARE, "out of memory");
	for (int i = 0; i < f->ndays; i++) {
		s->before[i] = (uint16_t)n;
		if (pv_calendar_is_school_day(f->cal, s->name, f->first + i))
			s->list[n++] = (uint16_t)i;
	}
	s->before[f->ndays] = (uint16_t)n;
	return PV_OK;
}

static enum pv_status school_find(struct pv_fravaer *f, const char *name, size_t len,
				  size_t *out, struct pv_error *err)
{
	uint32_t h = hash_bytes(name, len, 2166136261u);
	size_t k, mask;
	struct school *s;
	enum pv_status st;

	if (f->last_school) {
		s = &f->schools[f->last_school - 1];
		if (s->hash == h && strcmp(s->name, name) == 0) {
			*out = f->last_school - 1;
			return PV_OK;
		}
	}
	mask = f->nschool_slots - 1;
	for (k = h & mask; f->nschool_slots && f->school_slots[k]; k = (k + 1) & mask) {
		s = &f->schools[f->school_slots[k] - 1];
		if (s->hash == h && strcmp(s->name, name) == 0) {
			*out = f->school_slots[k] - 1;
			f->last_school = *out + 1;
			return PV_OK;
		}
	}
	if (f->nschools == f->school_cap) {
		size_t cap = f->school_cap ? f->school_cap * 2 : 64;
		struct school *grown = realloc(f->schools, cap * sizeof *grown);
		if (!grown)
			return pv_error_set(err, PV_ESOFTWARE, "out of memory");
		f->schools = grown;
		f->school_cap = cap;
	}
	s = &f->schools[f->nschools];
	memset(s, 0, sizeof *s);
	s->hash = h;
	s->name = strdup(name);
	f->nschools++;
	if (!s->name)
		return pv_error_set(err, PV_ESOFTWARE, "out of memory");
	st = school_days(f, s, err);
	if (st != PV_OK)
		return st;
	if (!grow_slots(&f->school_slots, &f->nschool_slots, f->nschools - 1, f->schools,
			sizeof *f->schools, offsetof(struct school, hash)))
		return pv_error_set(err, PV_ESOFTWARE, "out of memory");
	mask = f->nschool_slots - 1;
	for (k = h & mask; f->school_slots[k]; k = (k + 1) & mask)
		;
	f->school_slots[k] = (uint32_t)f->nschools;
	*out = f->nschools - 1;
	f->last_school = f->nschools;
	return PV_OK;
}

static bool school_open(const struct school *s, int i)
{
	return s->before[i + 1] != s->before[i];
}

/* ---- students ---- */

static struct student *student_find(struct pv_fravaer *f, size_t school, const char *id,
				    size_t len, struct pv_error *err)
{
	uint32_t h = hash_bytes(id, len, 2166136261u ^ (uint32_t)school * 0x9e3779b9u);
	size_t k, mask = f->nslots - 1;
	struct student *st;

	for (k = h & mask; f->nslots && f->slots[k]; k = (k + 1) & mask) {
		st = &f->students[f->slots[k] - 1];
		if (st->hash == h && st->school == school && strcmp(st->id, id) == 0)
			return st;
	}
	if (f->nstudents == f->student_cap) {
		size_t cap = f->student_cap ? f->student_cap * 2 : 1024;
		struct student *grown = realloc(f->students, cap * sizeof *grown);
		if (!grown)
			goto oom;
		f->students = grown;
		f->student_cap = cap;
	}
	if (f->nstudents >= UINT32_MAX / 2)
		goto oom;
	if (!grow_slots(&f->slots, &f->nslots, f->nstudents, f->students,
			sizeof *f->students, offsetof(struct student, hash)))
		goto oom;
	st = &f->students[f->nstudents];
	memset(st, 0, sizeof *st);
	st->id = arena_copy(f, id, len);
	if (!st->id)
		goto oom;
	st->school = (uint32_t)school;
	st->hash = h;
	mask = f->nslots - 1;
	for (k = h & mask; f->slots[k]; k = (k + 1) & mask)
		;
	f->slots[k] = (uint32_t)++f->nstudents;
	return st;
oom:
	pv_error_set(err, PV_ESOFTWARE, "out of memory");
	return NULL;
}

/* The entry for day i, made when missing; NULL when out of memory. */
static struct day *student_day(struct student *st, int i)
{
	size_t lo = 0, hi = st->n;

	if (st->n && st->days[st->n - 1].day <= i) {
		if (st->days[st->n - 1].day == i)
			return &st->days[st->n - 1];
		lo = st->n;   /* rows in date order append */
	} else {
		while (lo < hi) {
			size_t mid = (lo + hi) / 2;
			if (st->days[mid].day < i)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo < st->n && st->days[lo].day == i)
			return &st->days[lo];
	}
	if (st->n == st->cap) {
		uint16_t cap = st->cap ? (uint16_t)(st->cap * 2) : 2;
		struct day *grown = realloc(st->days, cap * sizeof *grown);
		if (!grown)
			return NULL;
		st->days = grown;
		st->cap = cap;
	}
	memmove(&st->days[lo + 1], &st->days[lo], (st->n - lo) * sizeof *st->days);
	st->n++;
	memset(&st->days[lo], 0, sizeof st->days[lo]);
	st->days[lo].day = (uint16_t)i;
	return &st->days[lo];
}

/* ---- rows ---- */

enum reg_type { REG_ABSENT, REG_LATE, REG_LEFT };

struct row {
	const char *student, *school;
	size_t student_len, school_len;
	pv_date date;
	enum reg_type type;
	long minutes;             /* -1: none given */
	bool documented;
	bool illness;
};

static bool one_of(const char *s, const char *const *names)
{
	for (; *names; names++)
		if (pv_csv_name_equal(s, *names))
			return true;
	return false;
}

static bool parse_type(const char *s, enum reg_type *out)
{
	static const char *const absent[] = { "absent", "fravær", "fravaer", NULL };
	static const char *const late[] = { "late", "forsent", "forsentkomming", NULL };
	static const char *const left[] = { "left", "forlot", "gått", NULL };

	if (one_of(s, absent))
		*out = REG_ABSENT;
	else if (one_of(s, late))
		*out = REG_LATE;
	else if (one_of(s, left))
		*out = REG_LEFT;
	else
		return false;
	return true;
}

/* "" is no; anything but the listed words is an error. */
static bool parse_documented(const char *s, bool *out)
{
	static const char *const yes[] = { "yes", "ja", "1", "true", NULL };
	static const char *const no[] = { "no", "nei", "0", "false", NULL };

	if (!*s || one_of(s, no))
		*out = false;
	else if (one_of(s, yes))
		*out = true;
	else
		return false;
	return true;
}

static bool parse_illness(const char *s)
{
	static const char *const illness[] = { "illness", "sykdom", "syk", NULL };

	return *s && one_of(s, illness);
}

/* A whole number >= 0 (digits only); large values saturate, as a day
 * is capped at day_minutes anyway. "" is -1. */
static bool parse_minutes(const char *s, long *out)
{
	long v = 0;

	if (!*s) {
		*out = -1;
		return true;
	}
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return false;
		if (v < 1000000)
			v = v * 10 + (*s - '0');
	}
	*out = v;
	return true;
}

/* Trims ASCII blanks in place: the end by writing a NUL, the start by
 * returning a later pointer. */
static char *trim(char *s, size_t len, size_t *out_len)
{
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\r' ||
		       s[len - 1] == '\n'))
		len--;
	s[len] = '\0';
	while (*s == ' ' || *s == '\t') {
		s++;
		len--;
	}
	*out_len = len;
	return s;
}

static enum pv_status bad(const struct input *in, const struct pv_csv_record *rec, int col,
			  struct pv_error *err, const char *what, const char *value)
{
	return pv_error_set_at(err, PV_EDATA, in->filename, rec->line, (long)col + 1,
			       "%s '%s'", what, value);
}

static enum pv_status parse_row(const struct input *in, const struct pv_csv_record *rec,
				struct row *r, struct pv_error *err)
{
	char *v[C_COUNT] = { 0 };
	size_t len[C_COUNT] = { 0 };

	if (rec->nfields != in->nfields)
		return pv_error_set_at(err, PV_EDATA, in->filename, rec->line,
				       (long)(rec->nfields < in->nfields ? rec->nfields :
					      in->nfields) + 1,
				       "the row has %zu field%s, the header %zu", rec->nfields,
				       rec->nfields == 1 ? "" : "s", in->nfields);
	for (int c = 0; c < C_COUNT; c++)
		if (in->index[c] >= 0)
			v[c] = trim(rec->fields[in->index[c]], rec->lengths[in->index[c]],
				    &len[c]);
	if (!len[C_STUDENT])
		return pv_error_set_at(err, PV_EDATA, in->filename, rec->line,
				       in->index[C_STUDENT] + 1L, "empty student");
	if (!len[C_SCHOOL])
		return pv_error_set_at(err, PV_EDATA, in->filename, rec->line,
				       in->index[C_SCHOOL] + 1L, "empty school");
	if (!pv_date_parse(v[C_DATE], &r->date))
		return bad(in, rec, in->index[C_DATE], err,
			   "not a date (YYYY-MM-DD or DD.MM.YYYY):", v[C_DATE]);
	if (!parse_type(v[C_TYPE], &r->type))
		return bad(in, rec, in->index[C_TYPE], err,
			   "unknown type (absent, late or left):", v[C_TYPE]);
	r->minutes = -1;
	if (v[C_MINUTES] && !parse_minutes(v[C_MINUTES], &r->minutes))
		return bad(in, rec, in->index[C_MINUTES], err,
			   "minutes must be a whole number >= 0, not", v[C_MINUTES]);
	r->documented = false;
	if (v[C_DOCUMENTED] && !parse_documented(v[C_DOCUMENTED], &r->documented))
		return bad(in, rec, in->index[C_DOCUMENTED], err,
			   "documented must be yes, no, ja, nei, 1, 0, true or false, not",
			   v[C_DOCUMENTED]);
	r->illness = v[C_REASON] && parse_illness(v[C_REASON]);
	r->student = v[C_STUDENT];
	r->student_len = len[C_STUDENT];
	r->school = v[C_SCHOOL];
	r->school_len = len[C_SCHOOL];
	return PV_OK;
}

static uint16_t add_capped(uint16_t have, long add, int cap)
{
	long sum = have + add;

	return (uint16_t)(sum > cap ? cap : sum);
}

/* Folds a valid row into the screening, or counts why it is ignored. */
static enum pv_status take_row(struct pv_fravaer *f, const struct row *r,
			       struct pv_error *err)
{
	enum pv_status status;
	size_t school = 0;
	struct student *st;
	struct day *d;
	long minutes;
	int i;

	if (f->only_school && strcmp(r->school, f->only_school) != 0) {
		f->stats.other_school++;
		return PV_OK;
	}
	if (r->date < f->first || r->date > f->as_of) {
		f->stats.outside++;
		return PV_OK;
	}
	status = school_find(f, r->school, r->school_len, &school, err);
	if (status != PV_OK)
		return status;
	i = (int)(r->date - f->first);
	if (!school_open(&f->schools[school], i)) {
		f->stats.non_school_day++;
		return PV_OK;
	}
	st = student_find(f, school, r->student, r->student_len, err);
	if (!st)
		return PV_ESOFTWARE;   /* out of memory, err filled */
	d = student_day(st, i);
	if (!d)
		return pv_error_set(err, PV_ESOFTWARE, "out of memory");
	/* no minutes: an absence is a whole day, lateness and leaving none */
	minutes = r->minutes >= 0 ? r->minutes : r->type == REG_ABSENT ? f->p.day_minutes : 0;
	d->all = add_capped(d->all, minutes, f->p.day_minutes);
	if (!r->illness)
		d->other = add_capped(d->other, minutes, f->p.day_minutes);
	if (r->type == REG_ABSENT && !r->documented)
		d->flags |= DAY_UNDOC;
	else if (r->type == REG_LATE)
		d->flags |= DAY_LATE;
	else if (r->type == REG_LEFT)
		d->flags |= DAY_LEFT;
	return PV_OK;
}

static const struct pv_csv_column columns[C_COUNT] = {
	[C_STUDENT] = { "student", (const char *const[]){ "elev", NULL }, true },
	[C_SCHOOL] = { "school", (const char *const[]){ "skole", NULL }, true },
	[C_DATE] = { "date", (const char *const[]){ "dato", NULL }, true },
	[C_TYPE] = { "type", NULL, true },
	[C_MINUTES] = { "minutes", (const char *const[]){ "minutter", NULL }, false },
	[C_DOCUMENTED] = { "documented", (const char *const[]){ "dokumentert", NULL }, false },
	[C_REASON] = { "reason", (const char *const[]){ "årsak", "arsak", NULL }, false },
};

struct reading {
	struct pv_fravaer *f;
	struct input in;
};

static enum pv_status on_record(const struct pv_csv_record *rec, void *arg,
				struct pv_error *err)
{
	struct reading *rd = arg;
	struct row r;
	enum pv_status st;

	if (!rd->in.have_header) {
		st = pv_csv_map_header(rec, columns, C_COUNT, rd->in.index, rd->in.filename,
				       err);
		rd->in.have_header = true;
		rd->in.nfields = rec->nfields;
		return st;
	}
	st = parse_row(&rd->in, rec, &r, err);
	if (st != PV_OK)
		return st;
	rd->f->stats.rows++;
	return take_row(rd->f, &r, err);
}

static enum pv_status read_any(struct pv_fravaer *f, FILE *fp, const char *data, size_t len,
			       const char *filename, struct pv_error *err)
{
	struct reading rd = { .f = f, .in = { .filename = filename } };
	enum pv_status st;

	if (f->finished)
		return pv_error_set(err, PV_ESOFTWARE, "screening already finished");
	st = fp ? pv_csv_read(fp, filename, on_record, &rd, err) :
		  pv_csv_read_buffer(data, len, filename, on_record, &rd, err);
	if (st == PV_OK && !rd.in.have_header)
		st = pv_error_set_at(err, PV_EDATA, filename, 1, 0,
				     "empty file: expected a header with student, school, date "
				     "and type");
	return st;
}

enum pv_status pv_fravaer_read(struct pv_fravaer *f, FILE *fp, const char *filename,
			       struct pv_error *err)
{
	return read_any(f, fp, NULL, 0, filename, err);
}

enum pv_status pv_fravaer_read_buffer(struct pv_fravaer *f, const char *data, size_t len,
				      const char *filename, struct pv_error *err)
{
	return read_any(f, NULL, data, len, filename, err);
}

/* ---- the criteria ---- */

static void hit(struct pv_fravaer_hit *h, pv_date first, long long num, long long den)
{
	h->met = true;
	h->first = first;
	h->num = num;
	h->den = den;
}

/* The n-th date carrying `flag` (n = threshold) and how many there are. */
static void count_dates(const struct pv_fravaer *f, const struct student *st,
			unsigned flag, int threshold, struct pv_fravaer_hit *h)
{
	int count = 0;
	pv_date first = 0;

	for (size_t i = 0; i < st->n; i++) {
		if (!(st->days[i].flags & flag))
			continue;
		if (++count == threshold)
			first = f->first + st->days[i].day;
	}
	if (count >= threshold)
		hit(h, first, count, 1);
}

static void high_absence(const struct pv_fravaer *f, const struct student *st,
			 struct pv_fravaer_hit *h)
{
	long long need = (long long)f->p.high_absence_days * f->p.day_minutes, sum = 0;
	pv_date first = 0;

	for (size_t i = 0; i < st->n; i++) {
		long long before = sum;

		sum += st->days[i].all;
		if (before < need && sum >= need)
			first = f->first + st->days[i].day;
	}
	if (sum >= need)
		hit(h, first, sum, f->p.day_minutes);
}

/* Late dates in the window [d − (W − 1), d] ending at each late date d. */
static void lateness(const struct pv_fravaer *f, const struct student *st,
		     struct pv_fravaer_hit *h)
{
	int window = f->p.lateness_window_days, best = 0, count = 0;
	size_t lo = 0;
	pv_date first = 0;
	bool met = false;

	for (size_t i = 0; i < st->n; i++) {
		if (!(st->days[i].flags & DAY_LATE))
			continue;
		count++;
		while (st->days[i].day - st->days[lo].day >= window) {
			if (st->days[lo].flags & DAY_LATE)
				count--;
			lo++;
		}
		if (count > best)
			best = count;
		if (!met && count >= f->p.lateness_dates) {
			met = true;
			first = f->first + st->days[i].day;
		}
	}
	if (met)
		hit(h, first, best, 1);
}

/*
 * For each school day d: the window [max(d − (W − 1), 1 Aug), d], S its
 * school days, A the capped non-illness minutes on them; met when
 * S >= min and A * 100 >= percent * S * day_minutes. Only days whose
 * window holds a registration can change anything, so the walk starts at
 * the first registration and ends W − 1 days after the last.
 */
static void share(const struct pv_fravaer *f, const struct student *st,
		  const struct school *sc, struct pv_fravaer_hit *h)
{
	const struct pv_fravaer_params *p = &f->p;
	long long total = 0, a = 0, best_a = 0, best_s = 1;
	int end, k;
	size_t in = 0, out = 0;
	pv_date first = 0;
	bool met = false;

	for (size_t i = 0; i < st->n; i++)
		total += st->days[i].other;
	/* even all of it in one window of the fewest school days falls short */
	if (!st->n || total * 100 < (long long)p->window_percent * p->window_min_school_days *
				    p->day_minutes)
		return;
	end = st->days[st->n - 1].day + p->window_days - 1;
	if (end > f->ndays - 1)
		end = f->ndays - 1;
	for (k = sc->before[st->days[0].day]; k < sc->before[f->ndays] && sc->list[k] <= end;
	     k++) {
		int d = sc->list[k], lo = d - (p->window_days - 1);
		long long s;

		if (lo < 0)
			lo = 0;
		for (; in < st->n && st->days[in].day <= d; in++)
			a += st->days[in].other;
		for (; out < in && st->days[out].day < lo; out++)
			a -= st->days[out].other;
		s = sc->before[d + 1] - sc->before[lo];
		if (s < p->window_min_school_days)
			continue;
		if (!met && a * 100 >= (long long)p->window_percent * s * p->day_minutes) {
			met = true;
			first = f->first + d;
		}
		if (a * best_s > best_a * s) {
			best_a = a;
			best_s = s;
		}
	}
	if (met)
		hit(h, first, best_a, best_s * p->day_minutes);
}

static bool screen_student(const struct pv_fravaer *f, const struct student *st,
			   struct pv_fravaer_flagged *out)
{
	const struct pv_fravaer_params *p = &f->p;
	struct pv_fravaer_hit *h = out->hits;

	memset(out, 0, sizeof *out);
	count_dates(f, st, DAY_UNDOC, p->undocumented_dates, &h[PV_FRV_UNDOCUMENTED]);
	high_absence(f, st, &h[PV_FRV_HIGH_ABSENCE]);
	lateness(f, st, &h[PV_FRV_REPEATED_LATENESS]);
	count_dates(f, st, DAY_LEFT, p->leaves_dates, &h[PV_FRV_LEAVES_SCHOOL]);
	share(f, st, &f->schools[st->school], &h[PV_FRV_ABSENCE_20PCT]);
	for (int c = 0; c < PV_FRV_COUNT; c++) {
		if (h[c].met) {
			out->school = f->schools[st->school].name;
			out->student = st->id;
			return true;
		}
	}
	return false;
}

static int cmp_flagged(const void *a, const void *b)
{
	const struct pv_fravaer_flagged *x = a, *y = b;
	int c = strcmp(x->school, y->school);

	return c ? c : strcmp(x->student, y->student);
}

enum pv_status pv_fravaer_finish(struct pv_fravaer *f, struct pv_error *err)
{
	size_t cap = 0;

	if (f->finished)
		return pv_error_set(err, PV_ESOFTWARE, "screening already finished");
	f->finished = true;
	f->stats.students = (long long)f->nstudents;
	for (size_t i = 0; i < f->nstudents; i++) {
		struct pv_fravaer_flagged one;

		if (!screen_student(f, &f->students[i], &one))
			continue;
		if (f->nflagged == cap) {
			size_t n = cap ? cap * 2 : 64;
			struct pv_fravaer_flagged *grown = realloc(f->flagged, n * sizeof *grown);
			if (!grown)
				return pv_error_set(err, PV_ESOFTWARE, "out of memory");
			f->flagged = grown;
			cap = n;
		}
		f->flagged[f->nflagged++] = one;
	}
	if (f->nflagged)
		qsort(f->flagged, f->nflagged, sizeof *f->flagged, cmp_flagged);
	return PV_OK;
}

/* ---- the screening object ---- */

static bool params_valid(const struct pv_fravaer_params *p)
{
	return p->day_minutes >= 1 && p->day_minutes <= 1440 &&
	       p->undocumented_dates >= 1 && p->high_absence_days >= 1 &&
	       p->high_absence_days <= YEAR_DAYS && p->lateness_dates >= 1 &&
	       p->lateness_window_days >= 1 && p->lateness_window_days <= YEAR_DAYS &&
	       p->leaves_dates >= 1 && p->window_days >= 1 && p->window_days <= YEAR_DAYS &&
	       p->window_min_school_days >= 1 && p->window_percent >= 1 &&
	       p->window_percent <= 100;
}

enum pv_status pv_fravaer_new(const struct pv_fravaer_options *opts,
			      const struct pv_calendar *cal, struct pv_fravaer **out,
			      struct pv_error *err)
{
	struct pv_fravaer *f;
	pv_date last;

	*out = NULL;
	if (!params_valid(&opts->params))
		return pv_error_set(err, PV_EUSAGE, "absence thresholds out of range");
	if (pv_calendar_year(cal) != pv_school_year_of(opts->as_of)) {
		char y[8];
		return pv_error_set(err, PV_EUSAGE, "the calendar is not of the school year %s",
				    pv_school_year_format(pv_school_year_of(opts->as_of), y));
	}
	f = calloc(1, sizeof *f);
	if (!f)
		return pv_error_set(err, PV_ESOFTWARE, "out of memory");
	f->p = opts->params;
	f->cal = cal;
	f->as_of = opts->as_of;
	f->start_year = pv_school_year_of(opts->as_of);
	pv_school_year_bounds(f->start_year, &f->first, &last);
	f->ndays = (int)(opts->as_of - f->first) + 1;
	if (opts->school && !(f->only_school = strdup(opts->school))) {
		free(f);
		return pv_error_set(err, PV_ESOFTWARE, "out of memory");
	}
	*out = f;
	return PV_OK;
}

void pv_fravaer_free(struct pv_fravaer *f)
{
	if (!f)
		return;
	for (size_t i = 0; i < f->nstudents; i++)
		free(f->students[i].days);
	free(f->students);
	free(f->slots);
	for (size_t i = 0; i < f->nschools; i++) {
		free(f->schools[i].name);
		free(f->schools[i].before);
		free(f->schools[i].list);
	}
	free(f->schools);
	free(f->school_slots);
	while (f->arena) {
		struct chunk *next = f->arena->next;
		free(f->arena);
		f->arena = next;
	}
	free(f->flagged);
	free(f->only_school);
	free(f);
}

void pv_fravaer_get_stats(const struct pv_fravaer *f, struct pv_fravaer_stats *out)
{
	*out = f->stats;
	out->students = (long long)f->nstudents;
}

int pv_fravaer_school_year(const struct pv_fravaer *f)
{
	return f->start_year;
}

size_t pv_fravaer_flagged_count(const struct pv_fravaer *f)
{
	return f->nflagged;
}

const struct pv_fravaer_flagged *pv_fravaer_flagged_at(const struct pv_fravaer *f, size_t i)
{
	return i < f->nflagged ? &f->flagged[i] : NULL;
}

/* ---- reported before (--new-since-last) ---- */

#define KEY_BYTES crypto_auth_hmacsha256_KEYBYTES

/* The database's HMAC key, made (random) on first use. */
static enum pv_status hmac_key(struct pv_db *db, unsigned char key[KEY_BYTES],
			       struct pv_error *err)
{
	char hex[2 * KEY_BYTES + 1];
	sqlite3_stmt *stmt;
	enum pv_status st;
	size_t len = 0;
	int rc;

	st = pv_db_prepare(db, "SELECT hmac_key FROM fravaer_key WHERE id = 1", &stmt, err);
	if (st != PV_OK)
		return st;
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		const char *text = (const char *)sqlite3_column_text(stmt, 0);
		if (!text || sodium_hex2bin(key, KEY_BYTES, text, strlen(text), NULL, &len,
					    NULL) != 0 || len != KEY_BYTES)
			st = pv_error_set(err, PV_EDATA, "database: the absence key is damaged");
	} else if (rc != SQLITE_DONE) {
		st = pv_db_fail(db, "cannot read the absence key", err);
	}
	sqlite3_finalize(stmt);
	if (st != PV_OK || rc == SQLITE_ROW)
		return st;
	crypto_auth_hmacsha256_keygen(key);
	sodium_bin2hex(hex, sizeof hex, key, KEY_BYTES);
	st = pv_db_prepare(db, "INSERT INTO fravaer_key (id, hmac_key) VALUES (1, ?)", &stmt,
			   err);
	if (st != PV_OK)
		return st;
	sqlite3_bind_text(stmt, 1, hex, -1, SQLITE_STATIC);
	if (sqlite3_step(stmt) != SQLITE_DONE)
		st = pv_db_fail(db, "cannot store the absence key", err);
	sqlite3_finalize(stmt);
	sodium_memzero(hex, sizeof hex);
	return st;
}

/* HMAC over "year NUL school NUL student NUL code" as hex: NUL cannot
 * occur in a CSV field (the reader rejects it), so the parts cannot run
 * into each other. */
static void pair_hash(const unsigned char key[KEY_BYTES], int year, const char *school,
		      const char *student, const char *code,
		      char hex[2 * crypto_auth_hmacsha256_BYTES + 1])
{
	crypto_auth_hmacsha256_state state;
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	char y[16];

	snprintf(y, sizeof y, "%d", year);
	crypto_auth_hmacsha256_init(&state, key, KEY_BYTES);
	crypto_auth_hmacsha256_update(&state, (const unsigned char *)y, strlen(y) + 1);
	crypto_auth_hmacsha256_update(&state, (const unsigned char *)school, strlen(school) + 1);
	crypto_auth_hmacsha256_update(&state, (const unsigned char *)student,
				      strlen(student) + 1);
	crypto_auth_hmacsha256_update(&state, (const unsigned char *)code, strlen(code));
	crypto_auth_hmacsha256_final(&state, mac);
	sodium_bin2hex(hex, 2 * crypto_auth_hmacsha256_BYTES + 1, mac, sizeof mac);
}

struct marker {
	struct pv_db *db;
	sqlite3_stmt *insert;     /* INSERT … ON CONFLICT DO NOTHING */
	unsigned char key[KEY_BYTES];
	size_t fresh, known;
};

/* True when the pair is new (and records it). */
static enum pv_status mark(struct marker *m, int year, const struct pv_fravaer_flagged *fl,
			   int c, bool *fresh, struct pv_error *err)
{
	char hex[2 * crypto_auth_hmacsha256_BYTES + 1];

	pair_hash(m->key, year, fl->school, fl->student, pv_fravaer_code(c), hex);
	sqlite3_reset(m->insert);
	sqlite3_bind_text(m->insert, 1, hex, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(m->insert, 2, year);
	if (sqlite3_step(m->insert) != SQLITE_DONE)
		return pv_db_fail(m->db, "cannot record reported flags", err);
	*fresh = sqlite3_changes(pv_db_handle(m->db)) > 0;
	return PV_OK;
}

static enum pv_status keep_new(struct pv_fravaer *f, struct marker *m, size_t *students,
			       struct pv_error *err)
{
	size_t kept = 0;

	for (size_t i = 0; i < f->nflagged; i++) {
		struct pv_fravaer_flagged *fl = &f->flagged[i];
		bool any = false;

		for (int c = 0; c < PV_FRV_COUNT; c++) {
			bool fresh = false;
			enum pv_status st;

			if (!fl->hits[c].met)
				continue;
			st = mark(m, f->start_year, fl, c, &fresh, err);
			if (st != PV_OK)
				return st;
			fl->hits[c].met = fresh;
			any |= fresh;
			if (fresh)
				m->fresh++;
			else
				m->known++;
		}
		if (any)
			f->flagged[kept++] = *fl;
	}
	f->nflagged = kept;
	*students = kept;
	return PV_OK;
}

enum pv_status pv_fravaer_keep_new(struct pv_fravaer *f, struct pv_db *db, size_t *fresh,
				   struct pv_error *err)
{
	struct marker m = { .db = db };
	enum pv_status st;
	size_t students = 0;
	char summary[256], y[8];

	if (!f->finished)
		return pv_error_set(err, PV_ESOFTWARE, "screening not finished");
	if (sodium_init() < 0)
		return pv_error_set(err, PV_ESOFTWARE, "cannot initialise libsodium");
	st = hmac_key(db, m.key, err);
	if (st == PV_OK)
		st = pv_db_prepare(db,
				   "INSERT INTO fravaer_reported (hash, school_year) VALUES (?, ?) "
				   "ON CONFLICT (hash) DO NOTHING", &m.insert, err);
	if (st == PV_OK)
		st = keep_new(f, &m, &students, err);
	sqlite3_finalize(m.insert);
	sodium_memzero(m.key, sizeof m.key);
	if (st != PV_OK)
		return st;
	snprintf(summary, sizeof summary,
		 "absence screening %s: %zu new flag%s for %zu pupil%s, %zu reported before",
		 pv_school_year_format(f->start_year, y), m.fresh, m.fresh == 1 ? "" : "s",
		 students, students == 1 ? "" : "s", m.known);
	st = pv_audit_append(db, "fravaer", summary, err);
	if (st == PV_OK && fresh)
		*fresh = m.fresh;
	return st;
}
