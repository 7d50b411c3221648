/* Absence screening: validate registrations as they stream past, keep per pupil only the school days they touch, apply the criteria. */
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sys/mman.h>

#include <sodium.h>

#include "patvers/audit.h"
#include "patvers/csvio.h"
#include "patvers/fravaer.h"
#include "patvers/i18n.h"

#include "bytes-internal.h"

/*
 * Memory: nothing of a row is kept once it is folded into its pupil, so
 * the size follows the pupils, never the rows. A pupil is a 40-byte
 * record plus 16–32 bytes of hash table (at most half full); each school
 * day with a registration for that pupil is one 6-byte `struct day` in a
 * sorted array with up to 2× room to grow, and any number of rows on one
 * date fold into it. So memory is about 100 B per pupil + at most 12 B
 * per (pupil, school day) with a registration:
 *
 *   bound per pupil, whole year: 100 B + 190 school days × 12 B ≈ 2.4 KB
 *   national, 640 000 pupils:     ≤ 1.6 GB even if all were absent daily
 *   10 M rows (≤ 10 M such days): ≤ 64 MB + 120 MB = 184 MB
 *
 * A dense array per pupil (a slot for every day of the year, as small as
 * 4 bytes) would cost 760 B–1.5 KB per pupil from the first row: 0.5–1 GB
 * at national scale, where real pupils have ~15 dates with a registration.
 */

#define DAY_UNDOC 1u   /* an `absent` row that is not documented */
#define DAY_LATE  2u
#define DAY_LEFT  4u

/* The days of a school year: 1 August .. 31 July (366 in a leap year). */
#define YEAR_DAYS 366

/* 6 bytes, not 8: at national scale the day arrays are most of the
 * memory, and every page of it costs a page fault the first time. */
struct day {
	uint16_t day;     /* days since 1 August */
	uint16_t mark;    /* the DAY_* flags << DAY_FLAG_SHIFT | minutes of every
			   * row, capped at day_minutes (at most 1440: 11 bits) */
	uint16_t other;   /* minutes of rows not for known illness, capped */
};

#define DAY_FLAG_SHIFT 11
#define DAY_MINUTES_MASK ((1u << DAY_FLAG_SHIFT) - 1)
#define MAX_DAY_MINUTES 1440   /* the rules' range of fravaer.day_minutes */
_Static_assert(MAX_DAY_MINUTES <= DAY_MINUTES_MASK, "a day's minutes fit in struct day");
_Static_assert((DAY_UNDOC | DAY_LATE | DAY_LEFT) << DAY_FLAG_SHIFT <= UINT16_MAX,
	       "the flags fit in struct day");

static unsigned day_flags(const struct day *d)
{
	return d->mark >> DAY_FLAG_SHIFT;
}

static unsigned day_all(const struct day *d)
{
	return d->mark & DAY_MINUTES_MASK;
}

/* Ids are short in practice: kept in the record, the lookup touches one
 * cache line less per row (in the arena when longer). */
#define INLINE_ID 16

struct student {
	uint32_t hash;
	uint32_t school;  /* index into schools */
	uint16_t n, cap;
	uint32_t len;     /* of the id */
	union {
		char in[INLINE_ID];      /* len < INLINE_ID */
		const char *out;         /* in the arena */
	} id;
	struct day *days; /* sorted by day */
};

/* A hash slot carries the hash, so a probe past another pupil does not
 * read that pupil's record. */
struct slot {
	uint32_t hash;
	uint32_t index;   /* + 1; 0 is empty */
};

/* A school as the input names it, with its school days up to as_of.
 * What every row asks (the name and whether a day is open) sits in the
 * record itself: a few thousand of them stay in the CPU cache. */
struct school {
	uint32_t hash;
	uint32_t len;
	char *long_name;  /* when the name does not fit in short_name */
	char short_name[40];
	uint64_t open[(YEAR_DAYS + 63) / 64];
	uint16_t *before; /* before[i]: school days in [0, i); ndays + 1 entries */
	uint16_t *list;   /* the school days, ascending; before[ndays] entries
			   * (both the common ones when shared) */
	bool shared;      /* its school days are the common ones */
};

/*
 * The school of every row is found through one 32-byte entry: the hash
 * table holds the name itself (when short) and whether the school has
 * the common calendar, whose days are one hot bitmap. Touching the
 * school records instead cost two cache misses per row, as the pupils'
 * data keeps pushing them out of the cache.
 */
#define SLOT_NAME 22
#define SLOT_LONG 255     /* len of a name kept only in the record */

struct school_slot {
	uint32_t hash;
	uint32_t index;   /* + 1; 0 is empty */
	uint8_t len;
	bool shared;
	char name[SLOT_NAME];
};

struct chunk {
	struct chunk *next;
	size_t used, size;
	char data[];
};

/*
 * Rows wait in a small batch before they are folded in. Each pupil's
 * record and day array sit somewhere in a few hundred MB, so a row costs
 * three cache misses in a row (hash slot, record, days); walking a batch
 * three times with prefetches lets the misses of many rows overlap. The
 * batch is fixed in size: memory still does not grow with the rows.
 */
#define BATCH 64
#define BATCH_ID_BYTES 8192

struct pending {
	uint32_t hash;
	uint32_t school;
	uint32_t len;
	uint16_t day;
	uint16_t minutes;         /* capped at day_minutes */
	uint8_t flags;
	bool illness;
	const char *id;           /* in batch_ids */
	const struct student *guess;
};

/* Day arrays hold 4, 8, …, 512 days (a year has at most 366); grown ones
 * go back to a free list of their size for the next pupil, so the arrays
 * cost neither malloc headers nor malloc's bookkeeping. */
#define DAY_CLASSES 8
#define DAY_MIN_CAP 4

/* Per input file: where the columns are. */
enum col { C_STUDENT, C_SCHOOL, C_DATE, C_TYPE, C_MINUTES, C_DOCUMENTED, C_REASON,
	   C_COUNT };

struct input {
	const char *filename;
	bool have_header;
	size_t nfields;
	int index[C_COUNT];
	/* the date of the row before: exports come in date order, so most
	 * rows repeat it and need no parsing */
	char last_date[10];
	pv_date last_date_value;
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
	struct school_slot *school_slots;
	size_t nschool_slots;
	size_t last_slot;         /* the previous row's school's slot, + 1 */
	uint64_t common_open[(YEAR_DAYS + 63) / 64];
	/* Most schools have the common school days: one copy of their index
	 * stays in the cache while the criteria walk pupil after pupil. */
	uint16_t *common_before, *common_list;

	struct student *students;
	size_t nstudents, student_cap;
	struct slot *slots;
	size_t nslots;

	struct chunk *arena;
	struct chunk *pool;       /* day arrays are carved from here */
	void *free_days[DAY_CLASSES];
	struct pv_fravaer_stats stats;

	struct pending batch[BATCH];
	size_t nbatch;
	char batch_ids[BATCH_ID_BYTES];
	size_t batch_used;

	struct pv_fravaer_flagged *flagged;
	size_t nflagged;
	char *flagged_ids;        /* their student ids, in their order */
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

/*
 * The big tables are read at random, one row at a time: with 4 KB pages
 * nearly every access also misses the TLB. Huge pages (where the system
 * allows them) saved about a fifth of the time at national scale.
 */
#define HUGE_PAGE (2u * 1024 * 1024)

static void *big_calloc(size_t size)
{
	void *p = NULL;

	if (size < HUGE_PAGE)
		return calloc(1, size);
	size = (size + HUGE_PAGE - 1) / HUGE_PAGE * HUGE_PAGE;
	if (posix_memalign(&p, HUGE_PAGE, size) != 0)
		return NULL;
#ifdef MADV_HUGEPAGE
	madvise(p, size, MADV_HUGEPAGE);
#endif
	memset(p, 0, size);
	return p;
}

/* Asks for huge pages for the whole 2 MB pages inside [p, p + size). */
static void advise_huge(void *p, size_t size)
{
#ifdef MADV_HUGEPAGE
	uintptr_t from = ((uintptr_t)p + HUGE_PAGE - 1) / HUGE_PAGE * HUGE_PAGE;
	uintptr_t to = ((uintptr_t)p + size) / HUGE_PAGE * HUGE_PAGE;

	if (to > from)
		madvise((void *)from, to - from, MADV_HUGEPAGE);
#else
	(void)p;
	(void)size;
#endif
}

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

/* Room for 4 << cls days: from the free list, else carved from the pool. */
static struct day *days_alloc(struct pv_fravaer *f, int cls)
{
	size_t size = (size_t)(DAY_MIN_CAP << cls) * sizeof(struct day);
	struct chunk *c = f->pool;
	void *p = f->free_days[cls];

	if (p) {
		memcpy(&f->free_days[cls], p, sizeof p);   /* the next one */
		return p;
	}
	if (!c || c->size - c->used < size) {
		/* grows with the pupils: 64 KB chunks first, 4 MB ones later */
		size_t bytes = f->nstudents > 50000 ? 2 * HUGE_PAGE : 65536;

		c = big_calloc(bytes);
		if (!c)
			return NULL;
		c->next = f->pool;
		c->used = 0;
		c->size = bytes - sizeof *c;
		f->pool = c;
	}
	p = c->data + c->used;
	c->used += size;
	return p;
}

static void days_release(struct pv_fravaer *f, struct day *days, int cls)
{
	memcpy(days, &f->free_days[cls], sizeof f->free_days[cls]);
	f->free_days[cls] = days;
}

static int days_class(uint16_t cap)
{
	int cls = 0;

	while ((DAY_MIN_CAP << cls) < cap)
		cls++;
	return cls;
}

static uint64_t mix(uint64_t h, uint64_t w)
{
	h = (h ^ w) * 0xff51afd7ed558ccdull;
	return h ^ h >> 32;
}

/* Eight bytes at a time, the tail as overlapping loads (never past the
 * end): every row hashes its school and its pupil, and byte-wise FNV-1a
 * cost more than the table lookups. Only the tables' layout depends on
 * it, never the output. */
static uint32_t hash_bytes(const char *s, size_t len, uint64_t seed)
{
	uint64_t h = seed ^ len * 0x9e3779b97f4a7c15ull;
	size_t i = 0;

	for (; i + 8 < len; i += 8)
		h = mix(h, pv_load64(s + i));
	if (len >= 8)
		h = mix(h, pv_load64(s + len - 8));
	else if (len >= 4)
		h = mix(h, pv_load32(s) | (uint64_t)pv_load32(s + len - 4) << 32);
	else if (len)
		h = mix(h, (uint64_t)(unsigned char)s[0] << 16 |
			   (uint64_t)(unsigned char)s[len / 2] << 8 | (unsigned char)s[len - 1]);
	h *= 0xc4ceb9fe1a85ec53ull;
	return (uint32_t)(h ^ h >> 33);
}

/* Keeps a table at most half full: doubles it and re-inserts `count`
 * items whose hashes `hash_of` gives. */
static bool grow_slots(struct slot **slots, size_t *nslots, size_t count,
		       uint32_t (*hash_of)(const struct pv_fravaer *, size_t),
		       const struct pv_fravaer *f)
{
	size_t n = *nslots ? *nslots * 2 : 1024;
	struct slot *s;

	if ((count + 1) * 2 <= *nslots)
		return true;
	s = big_calloc(n * sizeof *s);
	if (!s)
		return false;
	for (size_t i = 0; i < count; i++) {
		uint32_t h = hash_of(f, i);
		size_t k;

		for (k = h & (n - 1); s[k].index; k = (k + 1) & (n - 1))
			;
		s[k] = (struct slot){ h, (uint32_t)i + 1 };
	}
	free(*slots);
	*slots = s;
	*nslots = n;
	return true;
}

static void slot_put(struct slot *slots, size_t nslots, uint32_t h, size_t index)
{
	size_t k;

	for (k = h & (nslots - 1); slots[k].index; k = (k + 1) & (nslots - 1))
		;
	slots[k] = (struct slot){ h, (uint32_t)index + 1 };
}

/* ---- schools ---- */

static const char *school_name(const struct school *s)
{
	return s->len < sizeof s->short_name ? s->short_name : s->long_name;
}

static bool day_open(const uint64_t *days, int i)
{
	return days[i / 64] >> (i % 64) & 1;
}

/* The index of the school days in `open` (the first ndays days): before
 * and list as in struct school; false when out of memory (the caller
 * frees what was made). */
static bool index_days(const uint64_t *open, int ndays, uint16_t **before, uint16_t **list)
{
	int n = 0;

	*before = malloc((size_t)(ndays + 1) * sizeof **before);
	*list = malloc((size_t)(ndays ? ndays : 1) * sizeof **list);
	if (!*before || !*list)
		return false;
	for (int i = 0; i < ndays; i++) {
		(*before)[i] = (uint16_t)n;
		if (day_open(open, i))
			(*list)[n++] = (uint16_t)i;
	}
	(*before)[ndays] = (uint16_t)n;
	return true;
}

/* The school days of the school from 1 August to as_of, from the calendar. */
static enum pv_status school_days(struct pv_fravaer *f, struct school *s,
				  struct pv_error *err)
{
	for (int i = 0; i < f->ndays; i++)
		if (pv_calendar_is_school_day(f->cal, school_name(s), f->first + i))
			s->open[i / 64] |= 1ull << (i % 64);
	s->shared = memcmp(s->open, f->common_open, sizeof s->open) == 0;
	if (s->shared) {
		s->before = f->common_before;
		s->list = f->common_list;
	} else if (!index_days(s->open, f->ndays, &s->before, &s->list)) {
		return pv_error_set(err, PV_ESOFTWARE, "out of memory");
	}
	return PV_OK;
}

static void school_slot_put(struct school_slot *slots, size_t nslots,
			    const struct school *s, size_t index)
{
	size_t k, mask = nslots - 1;
	struct school_slot *sl;

	for (k = s->hash & mask; slots[k].index; k = (k + 1) & mask)
		;
	sl = &slots[k];
	sl->hash = s->hash;
	sl->index = (uint32_t)index + 1;
	sl->shared = s->shared;
	sl->len = s->len <= SLOT_NAME ? (uint8_t)s->len : SLOT_LONG;
	if (s->len <= SLOT_NAME)
		memcpy(sl->name, school_name(s), s->len);
}

/* Keeps the table at most 3/4 full (a few thousand schools: 128 KB). */
static bool school_slots_grow(struct pv_fravaer *f)
{
	size_t n = f->nschool_slots ? f->nschool_slots * 2 : 256;
	struct school_slot *slots;

	if ((f->nschools + 1) * 4 <= f->nschool_slots * 3)
		return true;
	slots = calloc(n, sizeof *slots);
	if (!slots)
		return false;
	for (size_t i = 0; i < f->nschools; i++)
		school_slot_put(slots, n, &f->schools[i], i);
	free(f->school_slots);
	f->school_slots = slots;
	f->nschool_slots = n;
	f->last_slot = 0;
	return true;
}

static bool slot_is(const struct pv_fravaer *f, const struct school_slot *sl, uint32_t h,
		    const char *name, size_t len)
{
	const struct school *s;

	if (sl->hash != h)
		return false;
	if (sl->len != SLOT_LONG)
		return sl->len == len && pv_bytes_equal(sl->name, name, len);
	s = &f->schools[sl->index - 1];
	return s->len == len && memcmp(school_name(s), name, len) == 0;
}

/* The school's days as a bitmap (the common one when it has no days of
 * its own). */
static const uint64_t *slot_days(const struct pv_fravaer *f, const struct school_slot *sl)
{
	return sl->shared ? f->common_open : f->schools[sl->index - 1].open;
}

static enum pv_status school_add(struct pv_fravaer *f, uint32_t h, const char *name,
				 size_t len, struct pv_error *err)
{
	struct school *s;
	enum pv_status st;

	if (f->nschools == f->school_cap) {
		size_t cap = f->school_cap ? f->school_cap * 2 : 64;
		struct school *grown = realloc(f->schools, cap * sizeof *grown);
		if (!grown)
			return pv_error_set(err, PV_ESOFTWARE, "out of memory");
		f->schools = grown;
		f->school_cap = cap;
	}
	if (!school_slots_grow(f))
		return pv_error_set(err, PV_ESOFTWARE, "out of memory");
	s = &f->schools[f->nschools];
	memset(s, 0, sizeof *s);
	s->hash = h;
	s->len = (uint32_t)len;
	if (len >= sizeof s->short_name && !(s->long_name = malloc(len + 1)))
		return pv_error_set(err, PV_ESOFTWARE, "out of memory");
	memcpy(s->long_name ? s->long_name : s->short_name, name, len + 1);
	f->nschools++;
	st = school_days(f, s, err);
	if (st != PV_OK)
		return st;
	school_slot_put(f->school_slots, f->nschool_slots, s, f->nschools - 1);
	return PV_OK;
}

/* The school named name[0..len) (made when new): its index and days. */
static enum pv_status school_find(struct pv_fravaer *f, const char *name, size_t len,
				  size_t *out, const uint64_t **days, struct pv_error *err)
{
	uint32_t h = hash_bytes(name, len, 0);
	enum pv_status st;
	size_t k, mask;

	if (f->last_slot && slot_is(f, &f->school_slots[f->last_slot - 1], h, name, len)) {
		k = f->last_slot - 1;
		goto found;
	}
	for (;;) {
		mask = f->nschool_slots - 1;
		for (k = h & mask; f->nschool_slots && f->school_slots[k].index;
		     k = (k + 1) & mask)
			if (slot_is(f, &f->school_slots[k], h, name, len))
				goto found;
		st = school_add(f, h, name, len, err);
		if (st != PV_OK)
			return st;
	}
found:
	f->last_slot = k + 1;
	*out = f->school_slots[k].index - 1;
	*days = slot_days(f, &f->school_slots[k]);
	return PV_OK;
}

/* ---- students ---- */

static const char *student_id(const struct student *st)
{
	return st->len < INLINE_ID ? st->id.in : st->id.out;
}

static uint32_t student_hash(const struct pv_fravaer *f, size_t i)
{
	return f->students[i].hash;
}

static bool student_is(const struct student *st, size_t school, const char *id, size_t len)
{
	return st->school == school && st->len == len &&
	       pv_bytes_equal(student_id(st), id, len);
}

static uint32_t student_key(size_t school, const char *id, size_t len)
{
	return hash_bytes(id, len, school + 1);
}

/* The pupil (school, id) whose student_key is h, made when new. */
static struct student *student_find(struct pv_fravaer *f, uint32_t h, size_t school,
				    const char *id, size_t len, struct pv_error *err)
{
	size_t k, mask = f->nslots - 1;
	struct student *st;

	for (k = h & mask; f->nslots && f->slots[k].index; k = (k + 1) & mask) {
		const struct slot *sl = &f->slots[k];

		if (sl->hash == h && student_is(&f->students[sl->index - 1], school, id, len))
			return &f->students[sl->index - 1];
	}
	if (f->nstudents >= UINT32_MAX / 2 || len > UINT32_MAX)
		goto oom;
	if (f->nstudents == f->student_cap) {
		size_t cap = f->student_cap ? f->student_cap * 2 : 1024;
		/* realloc: a large block moves by remapping its pages, which
		 * neither copies nor faults them in again */
		struct student *grown = realloc(f->students, cap * sizeof *grown);
		if (!grown)
			goto oom;
		advise_huge(grown, cap * sizeof *grown);
		f->students = grown;
		f->student_cap = cap;
	}
	if (!grow_slots(&f->slots, &f->nslots, f->nstudents, student_hash, f))
		goto oom;
	st = &f->students[f->nstudents];
	memset(st, 0, sizeof *st);
	st->len = (uint32_t)len;
	if (len < INLINE_ID) {
		pv_bytes_copy(st->id.in, id, len);
	} else {
		st->id.out = arena_copy(f, id, len);
		if (!st->id.out)
			goto oom;
	}
	st->school = (uint32_t)school;
	st->hash = h;
	slot_put(f->slots, f->nslots, h, f->nstudents++);
	return st;
oom:
	pv_error_set(err, PV_ESOFTWARE, "out of memory");
	return NULL;
}

/* The entry for day i, made when missing; NULL when out of memory. */
static struct day *student_day(struct pv_fravaer *f, struct student *st, int i)
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
		int cls = st->cap ? days_class(st->cap) + 1 : 0;
		struct day *grown;

		if (cls >= DAY_CLASSES)
			return NULL;   /* cannot happen: a year has 366 days */
		grown = days_alloc(f, cls);
		if (!grown)
			return NULL;
		if (st->n) {
			memcpy(grown, st->days, st->n * sizeof *grown);
			days_release(f, st->days, cls - 1);
		}
		st->days = grown;
		st->cap = (uint16_t)(DAY_MIN_CAP << cls);
	}
	if (lo < st->n)   /* rows in date order append: no call */
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

/* s[0..len) is the literal byte for byte: the spellings school systems
 * write, tried before the comparison that folds case. */
#define SAME(s, len, lit) ((len) == sizeof(lit) - 1 && memcmp(s, lit, sizeof(lit) - 1) == 0)

static bool parse_type(const char *s, size_t len, enum reg_type *out)
{
	static const char *const absent[] = { "absent", "fravær", "fravaer", NULL };
	static const char *const late[] = { "late", "forsent", "forsentkomming", NULL };
	static const char *const left[] = { "left", "forlot", "gått", NULL };

	if (SAME(s, len, "fravær") || SAME(s, len, "absent"))
		*out = REG_ABSENT;
	else if (SAME(s, len, "forsent") || SAME(s, len, "late"))
		*out = REG_LATE;
	else if (SAME(s, len, "forlot") || SAME(s, len, "left"))
		*out = REG_LEFT;
	else if (one_of(s, absent))
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
static bool parse_documented(const char *s, size_t len, bool *out)
{
	static const char *const yes[] = { "yes", "ja", "1", "true", NULL };
	static const char *const no[] = { "no", "nei", "0", "false", NULL };

	if (!len || SAME(s, len, "nei"))
		*out = false;
	else if (SAME(s, len, "ja"))
		*out = true;
	else if (one_of(s, no))
		*out = false;
	else if (one_of(s, yes))
		*out = true;
	else
		return false;
	return true;
}

static bool parse_illness(const char *s, size_t len)
{
	static const char *const illness[] = { "illness", "sykdom", "syk", NULL };

	return len && (SAME(s, len, "sykdom") || one_of(s, illness));
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
			       "%s '%s'", _(what), value);   /* po/extract knows bad() */
}

/* The date in s[0..len) (NUL-terminated), false when it is none. */
static bool parse_date(struct input *in, const char *s, size_t len, pv_date *out)
{
	if (len == 10 && memcmp(s, in->last_date, 10) == 0) {
		*out = in->last_date_value;
		return true;
	}
	if (!pv_date_parse(s, out))
		return false;
	memcpy(in->last_date, s, 10);   /* a date is 10 bytes */
	in->last_date_value = *out;
	return true;
}

static enum pv_status parse_row(struct input *in, const struct pv_csv_record *rec,
				struct row *r, struct pv_error *err)
{
	char *v[C_COUNT] = { 0 };
	size_t len[C_COUNT] = { 0 };

	if (rec->nfields != in->nfields)
		return pv_error_set_at(err, PV_EDATA, in->filename, rec->line,
				       (long)(rec->nfields < in->nfields ? rec->nfields :
					      in->nfields) + 1,
				       rec->nfields == 1 ? N_("the row has %zu field, the header %zu")
				       : N_("the row has %zu fields, the header %zu"), rec->nfields,
				       in->nfields);
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
	if (!parse_date(in, v[C_DATE], len[C_DATE], &r->date))
		return bad(in, rec, in->index[C_DATE], err,
			   "not a date (YYYY-MM-DD or DD.MM.YYYY):", v[C_DATE]);
	if (!parse_type(v[C_TYPE], len[C_TYPE], &r->type))
		return bad(in, rec, in->index[C_TYPE], err,
			   "unknown type (absent, late or left):", v[C_TYPE]);
	r->minutes = -1;
	if (v[C_MINUTES] && !parse_minutes(v[C_MINUTES], &r->minutes))
		return bad(in, rec, in->index[C_MINUTES], err,
			   "minutes must be a whole number >= 0, not", v[C_MINUTES]);
	r->documented = false;
	if (v[C_DOCUMENTED] &&
	    !parse_documented(v[C_DOCUMENTED], len[C_DOCUMENTED], &r->documented))
		return bad(in, rec, in->index[C_DOCUMENTED], err,
			   "documented must be yes, no, ja, nei, 1, 0, true or false, not",
			   v[C_DOCUMENTED]);
	r->illness = v[C_REASON] && parse_illness(v[C_REASON], len[C_REASON]);
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

/* Folds one registration into its pupil's day. */
static enum pv_status apply(struct pv_fravaer *f, const struct pending *p,
			    struct pv_error *err)
{
	struct student *st = student_find(f, p->hash, p->school, p->id, p->len, err);
	struct day *d;

	if (!st)
		return PV_ESOFTWARE;   /* out of memory, err filled */
	d = student_day(f, st, p->day);
	if (!d)
		return pv_error_set(err, PV_ESOFTWARE, "out of memory");
	d->mark = (uint16_t)((day_flags(d) | p->flags) << DAY_FLAG_SHIFT |
			     add_capped((uint16_t)day_all(d), p->minutes, f->p.day_minutes));
	if (!p->illness)
		d->other = add_capped(d->other, p->minutes, f->p.day_minutes);
	return PV_OK;
}

/* Folds in the batch: two passes of prefetches, then the real work in
 * row order (the guesses are only hints; apply() looks up properly). */
static enum pv_status flush(struct pv_fravaer *f, struct pv_error *err)
{
	size_t mask = f->nslots - 1;
	enum pv_status st = PV_OK;

	for (size_t i = 0; i < f->nbatch; i++) {
		struct pending *p = &f->batch[i];

		p->guess = NULL;
		for (size_t k = p->hash & mask; f->nslots && f->slots[k].index;
		     k = (k + 1) & mask) {
			if (f->slots[k].hash == p->hash) {
				p->guess = &f->students[f->slots[k].index - 1];
				__builtin_prefetch(p->guess);
				break;
			}
		}
	}
	for (size_t i = 0; i < f->nbatch; i++) {
		const struct student *g = f->batch[i].guess;

		if (g && g->hash == f->batch[i].hash && g->n)
			__builtin_prefetch(&g->days[g->n - 1], 1);
	}
	for (size_t i = 0; i < f->nbatch && st == PV_OK; i++)
		st = apply(f, &f->batch[i], err);
	f->nbatch = 0;
	f->batch_used = 0;
	return st;
}

/* Queues a registration (its id copied into the batch). */
static enum pv_status stage(struct pv_fravaer *f, struct pending *p, struct pv_error *err)
{
	enum pv_status st;

	if (p->len >= sizeof f->batch_ids) {   /* a huge id: no queueing */
		st = flush(f, err);
		return st == PV_OK ? apply(f, p, err) : st;
	}
	if (f->nbatch == BATCH || f->batch_used + p->len + 1 > sizeof f->batch_ids) {
		st = flush(f, err);
		if (st != PV_OK)
			return st;
	}
	pv_bytes_copy(f->batch_ids + f->batch_used, p->id, p->len);
	f->batch_ids[f->batch_used + p->len] = '\0';
	p->id = f->batch_ids + f->batch_used;
	f->batch_used += p->len + 1;
	if (f->nslots)
		__builtin_prefetch(&f->slots[p->hash & (f->nslots - 1)]);
	f->batch[f->nbatch++] = *p;
	return PV_OK;
}

/* Folds a valid row into the screening, or counts why it is ignored. */
static enum pv_status take_row(struct pv_fravaer *f, const struct row *r,
			       struct pv_error *err)
{
	enum pv_status status;
	size_t school = 0;
	const uint64_t *days = NULL;
	struct pending p;
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
	status = school_find(f, r->school, r->school_len, &school, &days, err);
	if (status != PV_OK)
		return status;
	i = (int)(r->date - f->first);
	if (!day_open(days, i)) {
		f->stats.non_school_day++;
		return PV_OK;
	}
	/* no minutes: an absence is a whole day, lateness and leaving none */
	minutes = r->minutes >= 0 ? r->minutes : r->type == REG_ABSENT ? f->p.day_minutes : 0;
	p = (struct pending){
		.hash = student_key(school, r->student, r->student_len),
		.school = (uint32_t)school,
		.len = (uint32_t)r->student_len,
		.day = (uint16_t)i,
		.minutes = add_capped(0, minutes, f->p.day_minutes),
		.flags = r->type == REG_ABSENT ? (r->documented ? 0 : DAY_UNDOC) :
			 r->type == REG_LATE ? DAY_LATE : DAY_LEFT,
		.illness = r->illness,
		.id = r->student,
	};
	return stage(f, &p, err);
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
	if (st == PV_OK)
		st = flush(f, err);
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
		if (!(day_flags(&st->days[i]) & flag))
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

		sum += day_all(&st->days[i]);
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
		if (!(day_flags(&st->days[i]) & DAY_LATE))
			continue;
		count++;
		while (st->days[i].day - st->days[lo].day >= window) {
			if (day_flags(&st->days[lo]) & DAY_LATE)
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
	long long most = 0, a = 0, best_a = 0, best_s = 1;
	/* A window with less absence than this can neither meet the rule
	 * (it needs window_min_school_days) nor hold the highest share of a
	 * pupil who meets it (its share is under window_percent). */
	long long least = (long long)p->window_percent * p->window_min_school_days *
			  p->day_minutes;
	int end, k;
	size_t in = 0, out = 0;
	pv_date first = 0;
	bool met = false;

	/* the most absence in any window: most pupils stop here */
	for (size_t i = 0; i < st->n; i++) {
		a += st->days[i].other;
		for (; st->days[i].day - st->days[out].day >= p->window_days; out++)
			a -= st->days[out].other;
		if (a > most)
			most = a;
	}
	if (most * 100 < least)
		return;
	a = 0;
	out = 0;
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
		if (a * 100 < least) {   /* so until the next registration */
			if (in == st->n)
				break;
			k = sc->before[st->days[in].day] - 1;
			continue;
		}
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
			out->school = school_name(&f->schools[st->school]);
			out->student = student_id(st);
			return true;
		}
	}
	return false;
}

/* A flagged pupil as the threads find it, with its school for the sort. */
struct found {
	struct pv_fravaer_flagged fl;
	uint32_t school;
	uint32_t id_len;
};

/*
 * The pupils are screened in blocks that two threads take in turn (the
 * screening only reads). Fixed halves left one thread idle for half the
 * time: the pupils met first in a file tend to be the ones with the most
 * registrations.
 */
#define SCREEN_BLOCK 4096

struct screening {
	const struct pv_fravaer *f;
	atomic_size_t *next;      /* the first pupil of the next block to take */
	struct found *found;      /* owned: the flagged pupils of its blocks */
	size_t n, cap;
	bool oom;
};

/* Asks for every cache line of the pupil's day array. */
static void prefetch_days(const struct student *st)
{
	const char *from = (const char *)st->days;

	for (size_t k = 0; k < st->n * sizeof *st->days; k += 64)
		__builtin_prefetch(from + k);
}

static bool screen_one(struct screening *s, size_t i)
{
	const struct student *st = &s->f->students[i];
	struct found *one;

	if (s->n == s->cap) {
		size_t n = s->cap ? s->cap * 2 : 256;
		struct found *grown = realloc(s->found, n * sizeof *grown);

		if (!grown)
			return false;
		s->found = grown;
		s->cap = n;
	}
	one = &s->found[s->n];
	if (screen_student(s->f, st, &one->fl)) {
		one->school = st->school;
		one->id_len = st->len;
		s->n++;
	}
	return true;
}

static void *screen_blocks(void *arg)
{
	struct screening *s = arg;
	const struct pv_fravaer *f = s->f;
	size_t from;

	while (!s->oom && (from = atomic_fetch_add(s->next, SCREEN_BLOCK)) < f->nstudents) {
		size_t to = f->nstudents - from < SCREEN_BLOCK ? f->nstudents : from + SCREEN_BLOCK;

		for (size_t i = from; i < to && !s->oom; i++) {
			/* the day arrays are all over memory: ask for a few ahead */
			if (i + 16 < to)
				prefetch_days(&f->students[i + 16]);
			s->oom = !screen_one(s, i);
		}
	}
	return NULL;
}

/* The output order, school by name and then student id, sorted as
 * small keys (the flagged records are ~180 bytes) whose first part, the
 * school's rank by name, settles most comparisons without a strcmp. */
struct order {
	uint32_t rank;
	uint32_t at;              /* into the two threads' found, one after the other */
	const char *student;
};

static int cmp_order(const void *a, const void *b)
{
	const struct order *x = a, *y = b;

	if (x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	return strcmp(x->student, y->student);
}

struct named {
	const char *name;
	uint32_t index;
};

static int cmp_named(const void *a, const void *b)
{
	return strcmp(((const struct named *)a)->name, ((const struct named *)b)->name);
}

/* rank[i]: the place of school i among the schools sorted by name
 * (owned by the caller); NULL when out of memory. */
static uint32_t *school_ranks(const struct pv_fravaer *f)
{
	struct named *byname = malloc((f->nschools + 1) * sizeof *byname);
	uint32_t *rank = malloc((f->nschools + 1) * sizeof *rank);

	if (!byname || !rank) {
		free(byname);
		free(rank);
		return NULL;
	}
	for (size_t i = 0; i < f->nschools; i++)
		byname[i] = (struct named){ school_name(&f->schools[i]), (uint32_t)i };
	if (f->nschools)
		qsort(byname, f->nschools, sizeof *byname, cmp_named);
	for (size_t i = 0; i < f->nschools; i++)
		rank[byname[i].index] = (uint32_t)i;
	free(byname);
	return rank;
}

static const struct found *found_at(const struct screening half[2], size_t at)
{
	return at < half[0].n ? &half[0].found[at] : &half[1].found[at - half[0].n];
}

/*
 * The found pupils of both threads into f->flagged, sorted, their ids
 * copied in that order: the output then reads them one after the other
 * instead of from pupils all over memory (a cache miss each).
 */
static bool gather(struct pv_fravaer *f, const struct screening half[2])
{
	size_t n = half[0].n + half[1].n, bytes = 1, used = 0;
	struct order *order = malloc((n + 1) * sizeof *order);
	uint32_t *rank = school_ranks(f);

	for (size_t i = 0; i < n; i++)
		bytes += found_at(half, i)->id_len + 1;
	f->flagged = malloc((n + 1) * sizeof *f->flagged);
	f->flagged_ids = malloc(bytes);
	if (!order || !rank || !f->flagged || !f->flagged_ids) {
		free(order);
		free(rank);
		return false;
	}
	for (size_t i = 0; i < n; i++) {
		const struct found *fd = found_at(half, i);

		order[i] = (struct order){ rank[fd->school], (uint32_t)i, fd->fl.student };
	}
	if (n)
		qsort(order, n, sizeof *order, cmp_order);
	for (size_t i = 0; i < n; i++) {
		const struct found *fd = found_at(half, order[i].at);

		if (i + 8 < n)
			__builtin_prefetch(order[i + 8].student);
		f->flagged[i] = fd->fl;
		f->flagged[i].student = memcpy(f->flagged_ids + used, fd->fl.student,
					       fd->id_len + 1);
		used += fd->id_len + 1;
	}
	f->nflagged = n;
	free(order);
	free(rank);
	return true;
}

enum pv_status pv_fravaer_finish(struct pv_fravaer *f, struct pv_error *err)
{
	atomic_size_t next = 0;
	struct screening half[2] = { { .f = f, .next = &next }, { .f = f, .next = &next } };
	pthread_t thread;
	bool ok;

	if (f->finished)
		return pv_error_set(err, PV_ESOFTWARE, "screening already finished");
	f->finished = true;
	f->stats.students = (long long)f->nstudents;
	if (f->nstudents > SCREEN_BLOCK &&
	    pthread_create(&thread, NULL, screen_blocks, &half[1]) == 0) {
		screen_blocks(&half[0]);
		pthread_join(thread, NULL);
	} else {   /* few pupils, or no thread to be had: all in this one */
		screen_blocks(&half[0]);
	}
	ok = !half[0].oom && !half[1].oom && gather(f, half);
	free(half[0].found);
	free(half[1].found);
	if (!ok)
		return pv_error_set(err, PV_ESOFTWARE, "out of memory");
	return PV_OK;
}

/* ---- the screening object ---- */

static bool params_valid(const struct pv_fravaer_params *p)
{
	return p->day_minutes >= 1 && p->day_minutes <= MAX_DAY_MINUTES &&
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
	for (int i = 0; i < f->ndays; i++)
		if (pv_calendar_is_school_day(cal, NULL, f->first + i))
			f->common_open[i / 64] |= 1ull << (i % 64);
	if (!index_days(f->common_open, f->ndays, &f->common_before, &f->common_list) ||
	    (opts->school && !(f->only_school = strdup(opts->school)))) {
		pv_fravaer_free(f);
		return pv_error_set(err, PV_ESOFTWARE, "out of memory");
	}
	*out = f;
	return PV_OK;
}

static void free_chunks(struct chunk *c)
{
	while (c) {
		struct chunk *next = c->next;
		free(c);
		c = next;
	}
}

void pv_fravaer_free(struct pv_fravaer *f)
{
	if (!f)
		return;
	free(f->students);
	free(f->slots);
	for (size_t i = 0; i < f->nschools; i++) {
		free(f->schools[i].long_name);
		if (!f->schools[i].shared) {
			free(f->schools[i].before);
			free(f->schools[i].list);
		}
	}
	free(f->common_before);
	free(f->common_list);
	free(f->schools);
	free(f->school_slots);
	free_chunks(f->arena);
	free_chunks(f->pool);
	free(f->flagged);
	free(f->flagged_ids);
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
