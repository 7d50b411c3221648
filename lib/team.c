/* The team roster: the in-memory model, its database rows and the planner's queries. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "patvers/i18n.h"
#include "team-internal.h"

/* ---- arena ---- */

struct arena_block {
	struct arena_block *next;
	size_t used, size;
	max_align_t data[];
};

static void *arena_alloc(struct arena *a, size_t n)
{
	struct arena_block *b = a->head;
	size_t align = sizeof(max_align_t);

	n = (n + align - 1) / align * align;
	if (!b || b->size - b->used < n) {
		size_t size = n > 16384 ? n : 16384;
		b = malloc(sizeof *b + size);
		if (!b)
			return NULL;
		b->next = a->head;
		b->used = 0;
		b->size = size;
		a->head = b;
	}
	b->used += n;
	return (char *)b->data + b->used - n;
}

static void arena_free(struct arena *a)
{
	while (a->head) {
		struct arena_block *next = a->head->next;
		free(a->head);
		a->head = next;
	}
}

char *roster_strdup(struct pv_roster *r, const char *s)
{
	size_t len;
	char *copy;

	if (!s)
		return NULL;
	len = strlen(s) + 1;
	copy = arena_alloc(&r->arena, len);
	if (copy)
		memcpy(copy, s, len);
	return copy;
}

/* ---- slug index ---- */

static size_t hash_slug(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return (size_t)h;
}

static struct slug_slot *index_slot(const struct slug_index *ix, const char *key)
{
	size_t i;

	if (!ix->cap)
		return NULL;
	for (i = hash_slug(key) & (ix->cap - 1); ix->slots[i].key; i = (i + 1) & (ix->cap - 1))
		if (strcmp(ix->slots[i].key, key) == 0)
			return &ix->slots[i];
	return &ix->slots[i];
}

static bool index_grow(struct slug_index *ix)
{
	struct slug_index bigger = { 0 };

	bigger.cap = ix->cap ? ix->cap * 2 : 64;
	bigger.slots = calloc(bigger.cap, sizeof *bigger.slots);
	if (!bigger.slots)
		return false;
	for (size_t i = 0; i < ix->cap; i++) {
		if (!ix->slots[i].key)
			continue;
		*index_slot(&bigger, ix->slots[i].key) = ix->slots[i];
		bigger.used++;
	}
	free(ix->slots);
	*ix = bigger;
	return true;
}

/* Points `key` at record `idx` (new or replacing the old record). */
static bool index_put(struct slug_index *ix, const char *key, size_t idx)
{
	struct slug_slot *slot;

	if ((ix->used + 1) * 10 >= ix->cap * 7 && !index_grow(ix))
		return false;
	slot = index_slot(ix, key);
	if (!slot->key)
		ix->used++;
	slot->key = key;
	slot->idx = idx;
	return true;
}

static bool index_get(const struct slug_index *ix, const char *key, size_t *idx)
{
	const struct slug_slot *slot = key ? index_slot(ix, key) : NULL;

	if (!slot || !slot->key)
		return false;
	*idx = slot->idx;
	return true;
}

/* ---- small helpers shared by the team modules ---- */

enum pv_status roster_error(struct pv_error *err, const struct origin *at, int col,
			    const char *fmt, ...)
{
	char msg[sizeof err->message];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, _(fmt), ap);   /* translated */
	va_end(ap);
	if (at && at->file)
		return pv_error_set_at(err, PV_EDATA, at->file, at->line, col, "%s", msg);
	return pv_error_set(err, PV_EDATA, "%s", msg);
}

static enum pv_status no_memory(struct pv_error *err)
{
	return pv_error_set(err, PV_ESOFTWARE, "out of memory");
}

void team_fold(const char *in, char *out, size_t size)
{
	static const struct { const char *utf8, *ascii; } letters[] = {
		{ "\xc3\xa6", "ae" }, { "\xc3\x86", "ae" }, { "\xc3\xb8", "o" },
		{ "\xc3\x98", "o" }, { "\xc3\xa5", "a" }, { "\xc3\x85", "a" },
		{ "\xc3\xa9", "e" }, { "\xc3\x89", "e" },
	};
	size_t n = 0;

	if (!size)
		return;
	while (*in && n + 3 < size) {
		const char *add = NULL;
		char one[2] = { 0 };
		for (size_t i = 0; i < sizeof letters / sizeof letters[0]; i++)
			if (strncmp(in, letters[i].utf8, 2) == 0)
				add = letters[i].ascii;
		if (add) {
			in += 2;
		} else {
			char c = *in++;
			if (c == ' ' || c == '_' || c == '\t')
				c = '-';
			else if (c >= 'A' && c <= 'Z')
				c = (char)(c - 'A' + 'a');
			one[0] = c;
			add = one;
		}
		for (; *add && n + 1 < size; add++) {
			if (*add == '-' && (n == 0 || out[n - 1] == '-'))
				continue;
			out[n++] = *add;
		}
	}
	while (n && out[n - 1] == '-')
		n--;
	out[n] = '\0';
}

static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), row[65];

	if (lb > 64 || la > 64)
		return (size_t)-1;
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0];
		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j], best = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[lb];
}

const char *team_suggest(const char *word, const char *const *names, size_t count)
{
	const char *best = NULL;
	size_t best_d = 3;

	for (size_t i = 0; i < count; i++) {
		size_t d = edit_distance(word, names[i]);
		if (d < best_d) {
			best = names[i];
			best_d = d;
		}
	}
	return best;
}

bool team_slug_valid(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > 64 || s[0] == '-' || s[n - 1] == '-')
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-'))
			return false;
	return true;
}

static const char *parse_grade(const char *s, int *grade)
{
	int v = 0, digits = 0;

	while (*s == ' ')
		s++;
	for (; *s >= '0' && *s <= '9' && digits < 3; s++, digits++)
		v = v * 10 + (*s - '0');
	while (*s == ' ')
		s++;
	*grade = v;
	return digits ? s : NULL;
}

bool team_grades_parse(const char *text, int *from, int *to)
{
	const char *s = parse_grade(text, from);

	if (!s)
		return false;
	if (*s == '\0') {
		*to = *from;
	} else {
		/* '-' or the en dash Excel's autocorrect puts there */
		if (*s == '-')
			s++;
		else if (strncmp(s, "\xe2\x80\x93", 3) == 0)
			s += 3;
		else
			return false;
		s = parse_grade(s, to);
		if (!s || *s)
			return false;
	}
	return *from >= 1 && *from <= *to && *to <= 10;
}

/* ---- names of kinds, types and roles ---- */

const char *pv_unit_kind_name(enum pv_unit_kind kind)
{
	static const char *const names[] = { "school", "kindergarten", "kindergarten-group",
					     "service" };

	return (unsigned)kind < PV_UNIT_KINDS ? names[kind] : NULL;
}


static const struct {
	const char *folded;
	int kind;                   /* enum pv_unit_kind */
	const char *service;
} unit_types[] = {
	{ "skole", PV_UNIT_SCHOOL, NULL }, { "school", PV_UNIT_SCHOOL, NULL },
	{ "grunnskole", PV_UNIT_SCHOOL, NULL }, { "barneskole", PV_UNIT_SCHOOL, NULL },
	{ "ungdomsskole", PV_UNIT_SCHOOL, NULL }, { "barnehage", PV_UNIT_KINDERGARTEN, NULL },
	{ "kindergarten", PV_UNIT_KINDERGARTEN, NULL }, { "bhg", PV_UNIT_KINDERGARTEN, NULL },
	{ "barnehagegruppe", PV_UNIT_GROUP, NULL }, { "gruppe", PV_UNIT_GROUP, NULL },
	{ "bhg-gruppe", PV_UNIT_GROUP, NULL }, { "kindergarten-group", PV_UNIT_GROUP, NULL },
	{ "ppt", PV_UNIT_SERVICE, "ppt" }, { "pp-tjenesten", PV_UNIT_SERVICE, "ppt" },
	{ "pedagogisk-psykologisk-tjeneste", PV_UNIT_SERVICE, "ppt" },
	{ "bfs", PV_UNIT_SERVICE, "bfs" }, { "barne-og-familiesenteret", PV_UNIT_SERVICE, "bfs" },
	{ "familiesenteret", PV_UNIT_SERVICE, "bfs" },
	{ "barnevern", PV_UNIT_SERVICE, "barnevern" },
	{ "barneverntjenesten", PV_UNIT_SERVICE, "barnevern" },
	{ "barnevernstjenesten", PV_UNIT_SERVICE, "barnevern" },
	{ "barnevernet", PV_UNIT_SERVICE, "barnevern" },
	{ "helse", PV_UNIT_SERVICE, "helse" }, { "helsetjenesten", PV_UNIT_SERVICE, "helse" },
	{ "skolehelsetjenesten", PV_UNIT_SERVICE, "helse" },
	{ "helsestasjon", PV_UNIT_SERVICE, "helse" },
	{ "ke", PV_UNIT_SERVICE, "ke" }, { "koordinerende-enhet", PV_UNIT_SERVICE, "ke" },
	{ "naervaer", PV_UNIT_SERVICE, "naervaer" },
	{ "naervaersteam", PV_UNIT_SERVICE, "naervaer" },
	{ "god-oppvekst", PV_UNIT_SERVICE, "god-oppvekst" },
	{ "annen", PV_UNIT_SERVICE, "annen" }, { "tjeneste", PV_UNIT_SERVICE, "annen" },
	{ "service", PV_UNIT_SERVICE, "annen" },
};

bool pv_unit_type_parse(const char *text, enum pv_unit_kind *kind, const char **service)
{
	char folded[128];

	team_fold(text, folded, sizeof folded);
	for (size_t i = 0; i < sizeof unit_types / sizeof unit_types[0]; i++) {
		if (strcmp(folded, unit_types[i].folded) == 0) {
			*kind = unit_types[i].kind;
			*service = unit_types[i].service;
			return true;
		}
	}
	return false;
}

const char *pv_unit_type_name(const struct pv_unit *unit)
{
	switch (unit->kind) {
	case PV_UNIT_SCHOOL:
		return "skole";
	case PV_UNIT_KINDERGARTEN:
		return "barnehage";
	case PV_UNIT_GROUP:
		return "barnehagegruppe";
	default:
		return unit->service ? unit->service : "annen";
	}
}

struct pv_apen_dor_plan pv_unit_apen_dor(const struct pv_unit *school,
					 const struct pv_rules *rules)
{
	struct pv_apen_dor_plan plan = school->apen_dor;

	/* the rules were validated: their weekday and start parse */
	if (!plan.every_weeks)
		plan.every_weeks = (int)pv_rules_int(rules, "meetings.apen_dor.every_weeks");
	if (!plan.minutes)
		plan.minutes = (int)pv_rules_int(rules, "meetings.apen_dor.minutes");
	if (!plan.start)
		pv_time_parse(pv_rules_str(rules, "meetings.apen_dor.start"), &plan.start);
	if (!plan.weekday)
		pv_weekday_parse(pv_rules_str(rules, "meetings.apen_dor.weekday"), &plan.weekday);
	return plan;
}

/* Roles services use besides the rules' lists. */
static const char *const service_roles[] = {
	"leder", "nestleder", "fagleder", "koordinator", "psykolog", "saksbehandler",
	"medlem", "inspektor", "assisterende-rektor", "assisterende-styrer",
};
#define SERVICE_ROLES (sizeof service_roles / sizeof service_roles[0])

/* Spellings people write, folded, and the role they mean. */
static const struct { const char *folded, *role; } role_aliases[] = {
	{ "barnevernkontakt", "barnevern-kontakt" },
	{ "barnevernskontakt", "barnevern-kontakt" },
	{ "barnevern", "barnevern-kontakt" },
	{ "kontaktperson-barnevern", "barnevern-kontakt" },
	{ "bfskontakt", "bfs-kontakt" },
	{ "bfs", "bfs-kontakt" },
	{ "kontaktperson-bfs", "bfs-kontakt" },
	{ "helsesoster", "helsesykepleier" },
	{ "skolehelsesykepleier", "helsesykepleier" },
	{ "ppt", "ppt-radgiver" },
	{ "pp-radgiver", "ppt-radgiver" },
	{ "ped-leder", "pedagogisk-leder" },
	{ "pedleder", "pedagogisk-leder" },
	{ "kommunepsykolog", "psykolog" },
	{ "sosiallerer", "sosiallaerer" },
};

/* Calls fn for every role the rules and the service list allow. */
static void each_role(const struct pv_rules *rules,
		      bool (*fn)(const char *role, void *arg), void *arg)
{
	static const char *const lists[] = { "roles.school", "roles.kindergarten",
					     "roles.ungdomstrinn_only" };
	static const char *const leaders[] = { "roles.school_leader",
					       "roles.kindergarten_leader" };
	const json_t *value;
	size_t i;

	for (size_t l = 0; rules && l < 3; l++) {
		const json_t *list = pv_rules_get(rules, lists[l]);
		json_array_foreach(list, i, value)
			if (json_is_string(value) && fn(json_string_value(value), arg))
				return;
	}
	for (size_t l = 0; rules && l < 2; l++) {
		const char *leader = pv_rules_str(rules, leaders[l]);
		if (leader && fn(leader, arg))
			return;
	}
	for (i = 0; i < SERVICE_ROLES; i++)
		if (fn(service_roles[i], arg))
			return;
}

struct role_match {
	const char *want;
	const char *found;
};

static bool match_role(const char *role, void *arg)
{
	struct role_match *m = arg;

	if (strcmp(role, m->want) != 0)
		return false;
	m->found = role;
	return true;
}

bool pv_team_role_parse(const struct pv_rules *rules, const char *text,
			const char **canonical)
{
	char folded[128];
	struct role_match m = { folded, NULL };

	team_fold(text, folded, sizeof folded);
	for (size_t i = 0; i < sizeof role_aliases / sizeof role_aliases[0]; i++)
		if (strcmp(folded, role_aliases[i].folded) == 0)
			m.want = role_aliases[i].role;
	each_role(rules, match_role, &m);
	if (m.found)
		*canonical = m.found;
	return m.found != NULL;
}

struct role_names {
	const char *names[128];
	size_t count;
};

static bool collect_role(const char *role, void *arg)
{
	struct role_names *n = arg;

	if (n->count < 128)
		n->names[n->count++] = role;
	return false;
}

void team_role_hint(const struct pv_rules *rules, const char *text, char *buf, size_t size)
{
	struct role_names n = { .count = 0 };
	char folded[128];
	const char *best;

	team_fold(text, folded, sizeof folded);
	each_role(rules, collect_role, &n);
	best = team_suggest(folded, n.names, n.count);
	if (best)
		snprintf(buf, size, _("; did you mean '%s'?"), best);
	else
		snprintf(buf, size, _("; see 'patvers team --help' for the roles"));
}

bool pv_team_email_valid(const char *email)
{
	static const char local_ok[] = "!#$%&'*+/=?^_`{|}~.-";
	const char *at = strchr(email, '@'), *s, *label;
	size_t len = strlen(email);

	if (!at || at == email || at - email > 64 || len > 254 || strchr(at + 1, '@'))
		return false;
	if (email[0] == '.' || at[-1] == '.')
		return false;
	for (s = email; s < at; s++) {
		bool alnum = (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
			     (*s >= '0' && *s <= '9');
		if (!alnum && !strchr(local_ok, *s))
			return false;
		if (*s == '.' && s[1] == '.')
			return false;
	}
	/* domain: dot-separated labels of letters, digits and inner '-';
	 * at least two labels, the last one letters only */
	label = at + 1;
	if (!strchr(label, '.'))
		return false;
	for (;;) {
		const char *end = label;
		bool letters_only = true;
		while (*end && *end != '.') {
			char c = *end;
			bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
			if (!letter && !(c >= '0' && c <= '9') && c != '-')
				return false;
			letters_only = letters_only && letter;
			end++;
		}
		if (end == label || end - label > 63 || *label == '-' || end[-1] == '-')
			return false;
		if (!*end)
			return letters_only && end - label >= 2;
		label = end + 1;
	}
}

/* ---- building ---- */

static void add_role_order(struct pv_roster *r, struct role_order *o, const char *role)
{
	for (size_t i = 0; i < o->count; i++)
		if (strcmp(o->names[i], role) == 0)
			return;
	if (o->count < sizeof o->names / sizeof o->names[0])
		o->names[o->count++] = roster_strdup(r, role);
}

static void build_role_order(struct pv_roster *r, const struct pv_rules *rules)
{
	static const char *const lists[2] = { "roles.school", "roles.kindergarten" };
	const json_t *v;
	size_t i;

	r->leader[0] = roster_strdup(r, pv_rules_str(rules, "roles.school_leader"));
	r->leader[1] = roster_strdup(r, pv_rules_str(rules, "roles.kindergarten_leader"));
	for (int k = 0; k < 2; k++) {
		if (r->leader[k])
			add_role_order(r, &r->order[k], r->leader[k]);
		json_array_foreach(pv_rules_get(rules, lists[k]), i, v)
			if (json_is_string(v))
				add_role_order(r, &r->order[k], json_string_value(v));
	}
}

enum pv_status roster_new(const struct pv_rules *rules, struct pv_roster **out,
			  struct pv_error *err)
{
	struct pv_roster *r = calloc(1, sizeof *r);

	*out = NULL;
	if (!r)
		return no_memory(err);
	r->rules = rules;
	if (rules)
		build_role_order(r, rules);
	*out = r;
	return PV_OK;
}

void pv_roster_free(struct pv_roster *r)
{
	if (!r)
		return;
	free(r->units);
	free(r->people);
	free(r->asg);
	free(r->unit_ix.slots);
	free(r->person_ix.slots);
	free(r->all_units);
	for (int k = 0; k < PV_UNIT_KINDS; k++)
		free(r->kind_units[k]);
	free(r->all_people);
	free(r->by_unit);
	free(r->by_person);
	free(r->members);
	arena_free(&r->arena);
	free(r);
}

bool team_grow(void **items, size_t *cap, size_t count, size_t size)
{
	void *bigger;
	size_t n;

	if (count < *cap)
		return true;
	n = *cap ? *cap * 2 : 32;
	bigger = realloc(*items, n * size);
	if (!bigger)
		return false;
	*items = bigger;
	*cap = n;
	return true;
}

struct unit_rec *roster_find_unit(struct pv_roster *r, const char *slug)
{
	size_t i;

	if (!index_get(&r->unit_ix, slug, &i) || r->units[i].deleted)
		return NULL;
	return &r->units[i];
}

struct person_rec *roster_find_person(struct pv_roster *r, const char *slug)
{
	size_t i;

	if (!index_get(&r->person_ix, slug, &i) || r->people[i].deleted)
		return NULL;
	return &r->people[i];
}

/* Replacing appends the new record and retires the old one, so records
 * stay in the order they were read and errors come in file order. */
struct unit_rec *roster_put_unit(struct pv_roster *r, const struct unit_rec *u)
{
	struct unit_rec *old = roster_find_unit(r, u->pub.slug), *rec;
	size_t old_idx = old ? (size_t)(old - r->units) : 0;

	if (!team_grow((void **)&r->units, &r->units_cap, r->nunits, sizeof *r->units))
		return NULL;
	rec = &r->units[r->nunits];
	*rec = *u;
	rec->deleted = false;
	rec->pub.slug = roster_strdup(r, u->pub.slug);
	rec->pub.name = roster_strdup(r, u->pub.name);
	rec->pub.group = roster_strdup(r, u->pub.group);
	rec->pub.service = roster_strdup(r, u->pub.service);
	rec->at.file = roster_strdup(r, u->at.file);
	if (!rec->pub.slug || !rec->pub.name || (u->pub.group && !rec->pub.group) ||
	    (u->pub.service && !rec->pub.service) || (u->at.file && !rec->at.file) ||
	    !index_put(&r->unit_ix, rec->pub.slug, r->nunits))
		return NULL;
	if (old)
		r->units[old_idx].deleted = true;
	r->nunits++;
	return rec;
}

struct person_rec *roster_put_person(struct pv_roster *r, const struct person_rec *p)
{
	struct person_rec *old = roster_find_person(r, p->pub.slug), *rec;
	size_t old_idx = old ? (size_t)(old - r->people) : 0;

	if (!team_grow((void **)&r->people, &r->people_cap, r->npeople, sizeof *r->people))
		return NULL;
	rec = &r->people[r->npeople];
	*rec = *p;
	rec->deleted = false;
	rec->pub.slug = roster_strdup(r, p->pub.slug);
	rec->pub.name = roster_strdup(r, p->pub.name);
	rec->pub.email = roster_strdup(r, p->pub.email);
	rec->pub.home = roster_strdup(r, p->pub.home);
	rec->pub.substitute = roster_strdup(r, p->pub.substitute);
	rec->at.file = roster_strdup(r, p->at.file);
	if (!rec->pub.slug || !rec->pub.name || !rec->pub.email || !rec->pub.home ||
	    (p->pub.substitute && !rec->pub.substitute) || (p->at.file && !rec->at.file) ||
	    !index_put(&r->person_ix, rec->pub.slug, r->npeople))
		return NULL;
	if (old)
		r->people[old_idx].deleted = true;
	r->npeople++;
	return rec;
}

bool roster_put_asg(struct pv_roster *r, const struct asg_rec *a, bool *added)
{
	struct asg_rec *rec;

	*added = false;
	/* Linear: a person's row names a handful of units. */
	for (size_t i = r->nasg; i-- > 0;) {
		const struct asg_rec *x = &r->asg[i];
		if (!x->deleted && strcmp(x->person, a->person) == 0 &&
		    strcmp(x->unit, a->unit) == 0 && strcmp(x->role, a->role) == 0)
			return true;
	}
	if (!team_grow((void **)&r->asg, &r->asg_cap, r->nasg, sizeof *r->asg))
		return false;
	rec = &r->asg[r->nasg];
	*rec = *a;
	rec->deleted = false;
	rec->person = roster_strdup(r, a->person);
	rec->unit = roster_strdup(r, a->unit);
	rec->role = roster_strdup(r, a->role);
	rec->at.file = roster_strdup(r, a->at.file);
	if (!rec->person || !rec->unit || !rec->role || (a->at.file && !rec->at.file))
		return false;
	r->nasg++;
	*added = true;
	return true;
}

void roster_delete_unit(struct pv_roster *r, const char *slug)
{
	struct unit_rec *u = roster_find_unit(r, slug);

	if (u)
		u->deleted = true;
}

void roster_delete_person(struct pv_roster *r, const char *slug)
{
	struct person_rec *p = roster_find_person(r, slug);

	if (p)
		p->deleted = true;
}

/* ---- sorted views ---- */

/* qsort has no context argument; finishing is single-threaded, and the
 * roster being sorted is parked here for the comparators. */
static const struct pv_roster *sorting;

static size_t role_rank(const struct role_order *o, const char *role)
{
	for (size_t i = 0; i < o->count; i++)
		if (strcmp(o->names[i], role) == 0)
			return i;
	return o->count;
}

/* In a unit's team: the kind's order first, the rest by name. */
static int compare_roles(const struct pv_unit *u, const char *a, const char *b)
{
	const struct role_order *o = &sorting->order[u->kind == PV_UNIT_KINDERGARTEN];
	size_t ra = role_rank(o, a), rb = role_rank(o, b);

	if (ra != rb)
		return ra < rb ? -1 : 1;
	return strcmp(a, b);
}

static int cmp_unit_ptr(const void *a, const void *b)
{
	const struct pv_unit *x = *(const struct pv_unit *const *)a;
	const struct pv_unit *y = *(const struct pv_unit *const *)b;

	return strcmp(x->slug, y->slug);
}

static int cmp_member(const void *a, const void *b)
{
	const struct pv_unit *x = *(const struct pv_unit *const *)a;
	const struct pv_unit *y = *(const struct pv_unit *const *)b;
	int c = strcmp(x->group, y->group);

	return c ? c : strcmp(x->slug, y->slug);
}

static int cmp_person_ptr(const void *a, const void *b)
{
	const struct pv_person *x = *(const struct pv_person *const *)a;
	const struct pv_person *y = *(const struct pv_person *const *)b;

	return strcmp(x->slug, y->slug);
}

static int cmp_by_unit(const void *a, const void *b)
{
	const struct pv_assignment *x = a, *y = b;
	int c = strcmp(x->unit->slug, y->unit->slug);

	if (!c)
		c = compare_roles(x->unit, x->role, y->role);
	return c ? c : strcmp(x->person->slug, y->person->slug);
}

static int cmp_by_person(const void *a, const void *b)
{
	const struct pv_assignment *x = a, *y = b;
	int c = strcmp(x->person->slug, y->person->slug);

	if (!c)
		c = strcmp(x->unit->slug, y->unit->slug);
	return c ? c : strcmp(x->role, y->role);
}

static void drop_views(struct pv_roster *r)
{
	free(r->all_units);
	for (int k = 0; k < PV_UNIT_KINDS; k++) {
		free(r->kind_units[k]);
		r->kind_units[k] = NULL;
		r->nkind_units[k] = 0;
	}
	free(r->all_people);
	free(r->by_unit);
	free(r->by_person);
	free(r->members);
	r->all_units = NULL;
	r->all_people = NULL;
	r->by_unit = r->by_person = NULL;
	r->members = NULL;
	r->nall_units = r->nall_people = r->nassignments = r->nmembers = 0;
}

static bool build_unit_views(struct pv_roster *r)
{
	size_t n = 0;

	r->all_units = malloc((r->nunits + 1) * sizeof *r->all_units);
	r->members = malloc((r->nunits + 1) * sizeof *r->members);
	for (int k = 0; k < PV_UNIT_KINDS; k++)
		r->kind_units[k] = malloc((r->nunits + 1) * sizeof *r->kind_units[k]);
	for (int k = 0; k < PV_UNIT_KINDS; k++)
		if (!r->kind_units[k])
			return false;
	if (!r->all_units || !r->members)
		return false;
	for (size_t i = 0; i < r->nunits; i++) {
		const struct pv_unit *u = &r->units[i].pub;
		if (r->units[i].deleted)
			continue;
		r->all_units[n++] = u;
		r->kind_units[u->kind][r->nkind_units[u->kind]++] = u;
		if (u->kind == PV_UNIT_KINDERGARTEN && u->group)
			r->members[r->nmembers++] = u;
	}
	r->nall_units = n;
	qsort(r->all_units, n, sizeof *r->all_units, cmp_unit_ptr);
	for (int k = 0; k < PV_UNIT_KINDS; k++)
		qsort(r->kind_units[k], r->nkind_units[k], sizeof *r->kind_units[k],
		      cmp_unit_ptr);
	qsort(r->members, r->nmembers, sizeof *r->members, cmp_member);
	return true;
}

static bool build_people_views(struct pv_roster *r)
{
	size_t n = 0;

	r->all_people = malloc((r->npeople + 1) * sizeof *r->all_people);
	r->by_unit = malloc((r->nasg + 1) * sizeof *r->by_unit);
	r->by_person = malloc((r->nasg + 1) * sizeof *r->by_person);
	if (!r->all_people || !r->by_unit || !r->by_person)
		return false;
	for (size_t i = 0; i < r->npeople; i++)
		if (!r->people[i].deleted)
			r->all_people[n++] = &r->people[i].pub;
	r->nall_people = n;
	qsort(r->all_people, n, sizeof *r->all_people, cmp_person_ptr);
	n = 0;
	/* Assignments whose person or unit is gone are dropped from the views;
	 * validation reports them where that is an error. */
	for (size_t i = 0; i < r->nasg; i++) {
		const struct asg_rec *a = &r->asg[i];
		const struct unit_rec *u;
		const struct person_rec *p;
		if (a->deleted)
			continue;
		u = roster_find_unit(r, a->unit);
		p = roster_find_person(r, a->person);
		if (!u || !p)
			continue;
		r->by_unit[n] = (struct pv_assignment){ &p->pub, &u->pub, a->role };
		n++;
	}
	r->nassignments = n;
	memcpy(r->by_person, r->by_unit, n * sizeof *r->by_unit);
	qsort(r->by_unit, n, sizeof *r->by_unit, cmp_by_unit);
	qsort(r->by_person, n, sizeof *r->by_person, cmp_by_person);
	return true;
}

enum pv_status roster_finish(struct pv_roster *r, struct pv_error *err)
{
	bool ok;

	drop_views(r);
	sorting = r;
	ok = build_unit_views(r) && build_people_views(r);
	sorting = NULL;
	return ok ? PV_OK : no_memory(err);
}

/* ---- the public queries ---- */

const struct pv_unit *const *pv_roster_units(const struct pv_roster *r,
					     enum pv_unit_kind kind, size_t *count)
{
	if ((unsigned)kind >= PV_UNIT_KINDS) {
		*count = 0;
		return NULL;
	}
	*count = r->nkind_units[kind];
	return r->kind_units[kind];
}

const struct pv_unit *const *pv_roster_all_units(const struct pv_roster *r, size_t *count)
{
	*count = r->nall_units;
	return r->all_units;
}

const struct pv_unit *pv_roster_unit(const struct pv_roster *r, const char *slug)
{
	const struct unit_rec *u = roster_find_unit((struct pv_roster *)r, slug);

	return u ? &u->pub : NULL;
}

const struct pv_person *const *pv_roster_people(const struct pv_roster *r, size_t *count)
{
	*count = r->nall_people;
	return r->all_people;
}

const struct pv_person *pv_roster_person(const struct pv_roster *r, const char *slug)
{
	const struct person_rec *p = roster_find_person((struct pv_roster *)r, slug);

	return p ? &p->pub : NULL;
}

const struct pv_person *pv_roster_substitute(const struct pv_roster *r, const char *person)
{
	const struct pv_person *p = pv_roster_person(r, person);

	return p && p->substitute ? pv_roster_person(r, p->substitute) : NULL;
}

/* The run of `items` (sorted by key) whose key is `slug`. */
static const void *slice(const void *items, size_t n, size_t size, const char *slug,
			 const char *(*key)(const void *), size_t *count)
{
	const char *base = items;
	size_t lo = 0, hi = n, end;

	*count = 0;
	if (!slug)
		return NULL;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(key(base + mid * size), slug) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (end = lo; end < n && strcmp(key(base + end * size), slug) == 0; end++)
		;
	*count = end - lo;
	return *count ? base + lo * size : NULL;
}

static const char *unit_key(const void *a)
{
	return ((const struct pv_assignment *)a)->unit->slug;
}

static const char *person_key(const void *a)
{
	return ((const struct pv_assignment *)a)->person->slug;
}

static const char *group_key(const void *a)
{
	return (*(const struct pv_unit *const *)a)->group;
}

const struct pv_assignment *pv_roster_team(const struct pv_roster *r, const char *unit,
					   size_t *count)
{
	return slice(r->by_unit, r->nassignments, sizeof *r->by_unit, unit, unit_key, count);
}

const struct pv_assignment *pv_roster_serves(const struct pv_roster *r, const char *person,
					     size_t *count)
{
	return slice(r->by_person, r->nassignments, sizeof *r->by_person, person, person_key,
		     count);
}

const struct pv_unit *const *pv_roster_group_members(const struct pv_roster *r,
						     const char *group, size_t *count)
{
	return slice(r->members, r->nmembers, sizeof *r->members, group, group_key, count);
}

const struct pv_person *pv_roster_leader(const struct pv_roster *r, const char *unit)
{
	const struct pv_unit *u = pv_roster_unit(r, unit);
	const struct pv_assignment *team;
	const char *leader;
	size_t n;

	if (!u || (u->kind != PV_UNIT_SCHOOL && u->kind != PV_UNIT_KINDERGARTEN))
		return NULL;
	leader = r->leader[u->kind == PV_UNIT_SCHOOL ? 0 : 1];
	team = pv_roster_team(r, unit, &n);
	/* Sorted by role rank, then person slug: the first match is the one. */
	for (size_t i = 0; leader && i < n; i++)
		if (strcmp(team[i].role, leader) == 0)
			return team[i].person;
	return NULL;
}

/* ---- validation ---- */

static enum pv_status validate_unit(struct pv_roster *r, struct unit_rec *u,
				    struct pv_error *err)
{
	const struct person_rec *same = roster_find_person(r, u->pub.slug);
	const struct pv_unit *g;

	/* A clash with a person read from the input is that row's fault. */
	if (same && !same->at.file)
		return roster_error(err, &u->at, u->col_id,
				    "id '%s' is already a person's id; one id names one thing",
				    u->pub.slug);
	if (!u->pub.group)
		return PV_OK;
	if (u->pub.kind != PV_UNIT_KINDERGARTEN)
		return roster_error(err, &u->at, u->col_group,
				    "only kindergartens belong to a kindergarten group, "
				    "not %s '%s'", pv_unit_type_name(&u->pub), u->pub.slug);
	g = pv_roster_unit(r, u->pub.group);
	if (!g)
		return roster_error(err, &u->at, u->col_group,
				    "unknown kindergarten group '%s' for '%s'", u->pub.group,
				    u->pub.slug);
	if (g->kind == PV_UNIT_GROUP)
		return PV_OK;
	/* A unit turned into something else while kindergartens still point
	 * at it: blame the record that came from the input. */
	if (!u->at.file) {
		struct unit_rec *gr = roster_find_unit(r, g->slug);
		if (gr->at.file)
			return roster_error(err, &gr->at, gr->col_type,
					    "'%s' is the group of kindergarten '%s'; it must "
					    "stay a barnehagegruppe", g->slug, u->pub.slug);
	}
	return roster_error(err, &u->at, u->col_group,
			    "'%s' is a %s, not a barnehagegruppe", g->slug,
			    pv_unit_type_name(g));
}

enum pv_status roster_validate_units(struct pv_roster *r, struct pv_error *err)
{
	for (size_t i = 0; i < r->nunits; i++) {
		enum pv_status status;
		if (r->units[i].deleted)
			continue;
		status = validate_unit(r, &r->units[i], err);
		if (status != PV_OK)
			return status;
	}
	return PV_OK;
}

static enum pv_status validate_person(struct pv_roster *r, struct person_rec *p,
				      struct pv_error *err)
{
	const struct pv_person *sub;

	if (roster_find_unit(r, p->pub.slug))
		return roster_error(err, &p->at, p->col_id,
				    "id '%s' is already a unit's id; one id names one thing",
				    p->pub.slug);
	if (!roster_find_unit(r, p->pub.home))
		return roster_error(err, &p->at, p->col_home, "unknown unit '%s' for '%s'",
				    p->pub.home, p->pub.slug);
	if (!p->pub.substitute)
		return PV_OK;
	if (strcmp(p->pub.substitute, p->pub.slug) == 0)
		return roster_error(err, &p->at, p->col_sub,
				    "'%s' cannot be their own substitute", p->pub.slug);
	sub = pv_roster_person(r, p->pub.substitute);
	if (!sub)
		return roster_error(err, &p->at, p->col_sub, "unknown substitute '%s' for '%s'",
				    p->pub.substitute, p->pub.slug);
	return PV_OK;
}

/* E-mail addresses compare case-insensitively; sorting finds repeats. */
struct email_ref {
	const char *email;
	size_t idx;
};

static int cmp_email(const void *a, const void *b)
{
	const struct email_ref *x = a, *y = b;
	int c = strcasecmp(x->email, y->email);

	if (c)
		return c;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

static enum pv_status validate_emails(struct pv_roster *r, struct pv_error *err)
{
	struct email_ref *refs = malloc((r->npeople + 1) * sizeof *refs);
	const struct person_rec *bad = NULL, *first = NULL;
	size_t n = 0;

	if (!refs)
		return no_memory(err);
	for (size_t i = 0; i < r->npeople; i++)
		if (!r->people[i].deleted)
			refs[n++] = (struct email_ref){ r->people[i].pub.email, i };
	qsort(refs, n, sizeof *refs, cmp_email);
	/* Report the repeat that comes first in the input. */
	for (size_t i = 1; i < n; i++) {
		if (strcasecmp(refs[i].email, refs[i - 1].email) != 0)
			continue;
		if (!bad || refs[i].idx < (size_t)(bad - r->people)) {
			bad = &r->people[refs[i].idx];
			first = &r->people[refs[i - 1].idx];
		}
	}
	free(refs);
	if (bad)
		return roster_error(err, &bad->at, bad->col_email,
				    "e-mail address '%s' is already used by '%s'", bad->pub.email,
				    first->pub.slug);
	return PV_OK;
}

static enum pv_status validate_asg(struct pv_roster *r, const struct asg_rec *a,
				   struct pv_error *err)
{
	if (!roster_find_person(r, a->person))
		return roster_error(err, &a->at, a->col, "unknown person '%s'", a->person);
	if (!roster_find_unit(r, a->unit))
		return roster_error(err, &a->at, a->col, "unknown unit '%s' for '%s'", a->unit,
				    a->person);
	return PV_OK;
}

enum pv_status roster_validate_people(struct pv_roster *r, struct pv_error *err)
{
	enum pv_status status = PV_OK;

	for (size_t i = 0; status == PV_OK && i < r->npeople; i++)
		if (!r->people[i].deleted)
			status = validate_person(r, &r->people[i], err);
	for (size_t i = 0; status == PV_OK && i < r->nasg; i++)
		if (!r->asg[i].deleted)
			status = validate_asg(r, &r->asg[i], err);
	if (status == PV_OK)
		status = validate_emails(r, err);
	return status;
}
