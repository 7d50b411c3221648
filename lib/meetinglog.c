/* The meeting log: building, validating, storing and loading logs, lists and actions. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patvers/i18n.h"
#include "patvers/anonymity.h"
#include "patvers/audit.h"
#include "patvers/consent.h"
#include "patvers/csvio.h"
#include "patvers/meetinglog.h"
#include "patvers/planedit.h"

#include "utf8-internal.h"

#define THEME_MAX 200
#define WHAT_MAX 500
#define EXPERIENCE_MAX 20000
#define COUNT_MAX 999
#define GUESTS_MAX 99

const char *pv_action_status_name(enum pv_action_status s)
{
	return s == PV_ACTION_DONE ? NC_("value", "done") : NC_("value", "open");
}

size_t pv_log_present(const struct pv_meeting_log *log)
{
	size_t n = log->leader ? 1 : 0;

	for (size_t i = 0; i < log->nattendees; i++)
		n += !log->leader || strcmp(log->attendees[i].person, log->leader) != 0;
	return n;
}

/* ---- the log and the storage behind it ---- */

struct log_box {
	struct pv_meeting_log log;      /* first: the box is freed through it */
	char **strings;
	size_t nstrings, strings_cap;
	size_t attendees_cap, guests_cap, cases_cap, actions_cap;
};

static struct log_box *box_of(struct pv_meeting_log *log)
{
	return (struct log_box *)log;
}

struct pv_meeting_log *pv_log_new(long long meeting)
{
	struct log_box *b = calloc(1, sizeof *b);

	if (!b)
		return NULL;
	b->log.meeting = meeting;
	b->log.experience = "";
	b->log.staff_consultations = -1;
	b->log.pupil_conversations = -1;
	return &b->log;
}

void pv_log_free(struct pv_meeting_log *log)
{
	struct log_box *b;

	if (!log)
		return;
	b = box_of(log);
	for (size_t i = 0; i < b->nstrings; i++)
		free(b->strings[i]);
	free(b->strings);
	free(log->attendees);
	free(log->guests);
	free(log->cases);
	free(log->actions);
	free(b);
}

void pv_log_array_free(struct pv_meeting_log **logs, size_t n)
{
	for (size_t i = 0; logs && i < n; i++)
		pv_log_free(logs[i]);
	free(logs);
}

/* Keeps the bytes [text, text + n) as a string the log owns. */
static const char *keep_n(struct pv_meeting_log *log, const char *text, size_t n, bool *oom)
{
	struct log_box *b = box_of(log);
	char *copy;

	if (b->nstrings == b->strings_cap) {
		size_t cap = b->strings_cap ? b->strings_cap * 2 : 32;
		char **grown = realloc(b->strings, cap * sizeof *grown);
		if (!grown) {
			*oom = true;
			return NULL;
		}
		b->strings = grown;
		b->strings_cap = cap;
	}
	copy = malloc(n + 1);
	if (!copy) {
		*oom = true;
		return NULL;
	}
	memcpy(copy, text, n);
	copy[n] = '\0';
	b->strings[b->nstrings++] = copy;
	return copy;
}

const char *pv_log_keep(struct pv_meeting_log *log, const char *text, bool *oom)
{
	return text ? keep_n(log, text, strlen(text), oom) : NULL;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* A trimmed copy of [text, text + n). */
static const char *keep_trimmed(struct pv_meeting_log *log, const char *text, size_t n,
				bool *oom)
{
	while (n > 0 && is_space(*text)) {
		text++;
		n--;
	}
	while (n > 0 && is_space(text[n - 1]))
		n--;
	return keep_n(log, text, n, oom);
}

/* Makes room for one more element in an array the log owns. */
static void *grow_array(void **arr, size_t *cap, size_t n, size_t size, bool *oom)
{
	if (n == *cap) {
		size_t c = *cap ? *cap * 2 : 8;
		void *grown = realloc(*arr, c * size);
		if (!grown) {
			*oom = true;
			return NULL;
		}
		*arr = grown;
		*cap = c;
	}
	return (char *)*arr + n * size;
}

static struct pv_log_origin keep_origin(struct pv_meeting_log *log, struct pv_log_origin at,
					bool *oom)
{
	return (struct pv_log_origin){ at.line, pv_log_keep(log, at.where ? at.where : "", oom) };
}

/* Fills err for an item: "<where><field>: <what>" at the log's file and
 * the item's line. */
static enum pv_status fail_at(struct pv_error *err, const struct pv_meeting_log *log,
			      struct pv_log_origin at, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static enum pv_status fail_at(struct pv_error *err, const struct pv_meeting_log *log,
			      struct pv_log_origin at, const char *field, const char *fmt, ...)
{
	char what[900];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof what, _(fmt), ap);   /* translated */
	va_end(ap);
	return pv_error_set_at(err, PV_EDATA, log->file, at.line, 0, "%s%s: %s",
			       at.where ? at.where : "", field, what);
}

static enum pv_status out_of_memory(struct pv_error *err)
{
	return pv_error_set(err, PV_ESOFTWARE, "out of memory");
}

enum pv_status pv_log_set_leader(struct pv_meeting_log *log, const char *person,
				 struct pv_log_origin at, struct pv_error *err)
{
	bool oom = false;

	if (log->leader)
		return fail_at(err, log, at, "leader", "given twice (one person leads)");
	log->leader = keep_trimmed(log, person, strlen(person), &oom);
	log->leader_at = keep_origin(log, at, &oom);
	if (!oom && !*log->leader)
		return fail_at(err, log, at, "leader", "name the person who led the meeting");
	return oom ? out_of_memory(err) : PV_OK;
}

enum pv_status pv_log_add_attendee(struct pv_meeting_log *log, const char *person,
				   const char *substitute_for, struct pv_log_origin at,
				   struct pv_error *err)
{
	struct log_box *b = box_of(log);
	struct pv_log_attendee *a;
	bool oom = false;

	a = grow_array((void **)&log->attendees, &b->attendees_cap, log->nattendees,
		       sizeof *a, &oom);
	if (!a)
		return out_of_memory(err);
	a->person = keep_trimmed(log, person, strlen(person), &oom);
	a->substitute_for = substitute_for ?
		keep_trimmed(log, substitute_for, strlen(substitute_for), &oom) : NULL;
	a->at = keep_origin(log, at, &oom);
	if (oom)
		return out_of_memory(err);
	log->nattendees++;
	if (!*a->person || (a->substitute_for && !*a->substitute_for))
		return fail_at(err, log, at, substitute_for ? "substitute" : "attendee",
			       "a person id is missing");
	return PV_OK;
}

enum pv_status pv_log_add_guest(struct pv_meeting_log *log, const char *role, int count,
				struct pv_log_origin at, struct pv_error *err)
{
	struct log_box *b = box_of(log);
	struct pv_log_guest *g;
	bool oom = false;

	g = grow_array((void **)&log->guests, &b->guests_cap, log->nguests, sizeof *g, &oom);
	if (!g)
		return out_of_memory(err);
	g->role = keep_trimmed(log, role, strlen(role), &oom);
	g->count = count;
	g->at = keep_origin(log, at, &oom);
	if (oom)
		return out_of_memory(err);
	log->nguests++;
	if (!*g->role)
		return fail_at(err, log, at, "guest", "give the guest's role (e.g. foresatt)");
	if (count < 1 || count > GUESTS_MAX)
		return fail_at(err, log, at, "guest", "the count must be 1–%d, not %d",
			       GUESTS_MAX, count);
	return PV_OK;
}

enum pv_status pv_log_add_case(struct pv_meeting_log *log, const char *consent_ref,
			       const char *theme, struct pv_log_origin at, struct pv_error *err)
{
	struct log_box *b = box_of(log);
	struct pv_log_case *c;
	bool oom = false;

	c = grow_array((void **)&log->cases, &b->cases_cap, log->ncases, sizeof *c, &oom);
	if (!c)
		return out_of_memory(err);
	c->id = 0;
	c->consent_ref = consent_ref ?
		keep_trimmed(log, consent_ref, strlen(consent_ref), &oom) : NULL;
	c->theme = keep_trimmed(log, theme, strlen(theme), &oom);
	c->at = keep_origin(log, at, &oom);
	if (oom)
		return out_of_memory(err);
	log->ncases++;
	if (!*c->theme)
		return fail_at(err, log, at, "case", "give a theme: anon:THEME or "
			       "consent:REF:THEME");
	if (c->consent_ref && !*c->consent_ref)
		return fail_at(err, log, at, "case", "give the consent's reference: "
			       "consent:REF:THEME");
	return PV_OK;
}

enum pv_status pv_log_add_action(struct pv_meeting_log *log, const struct pv_log_action *a,
				 struct pv_error *err)
{
	struct log_box *b = box_of(log);
	struct pv_log_action *c;
	bool oom = false;

	c = grow_array((void **)&log->actions, &b->actions_cap, log->nactions, sizeof *c, &oom);
	if (!c)
		return out_of_memory(err);
	*c = *a;
	c->responsible = a->responsible ?
		keep_trimmed(log, a->responsible, strlen(a->responsible), &oom) : NULL;
	c->what = a->what ? keep_trimmed(log, a->what, strlen(a->what), &oom) : NULL;
	c->at = keep_origin(log, a->at, &oom);
	if (oom)
		return out_of_memory(err);
	log->nactions++;
	if (!c->responsible || !*c->responsible)
		return fail_at(err, log, a->at, "action", "say who is responsible (a person id "
			       "or a role)");
	if (!c->what || !*c->what)
		return fail_at(err, log, a->at, "action", "say what is to be done");
	if (!c->due)
		return fail_at(err, log, a->at, "action", "give a due date");
	if (c->status == PV_ACTION_DONE && !c->done)
		return fail_at(err, log, a->at, "action", "a done action needs the date it was "
			       "done");
	if (c->status == PV_ACTION_OPEN)
		c->done = 0;
	return PV_OK;
}

enum pv_status pv_log_set_experience(struct pv_meeting_log *log, const char *text,
				     struct pv_log_origin at, struct pv_error *err)
{
	bool oom = false;

	log->experience = keep_trimmed(log, text ? text : "", text ? strlen(text) : 0, &oom);
	log->experience_at = keep_origin(log, at, &oom);
	return oom ? out_of_memory(err) : PV_OK;
}

/* ---- the shared text forms ---- */

/* [s, s + n) trimmed, as a NUL-terminated copy in buf (cut to size). */
static char *part(const char *s, size_t n, char *buf, size_t size)
{
	while (n > 0 && is_space(*s)) {
		s++;
		n--;
	}
	while (n > 0 && is_space(s[n - 1]))
		n--;
	if (n >= size)
		n = size - 1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	return buf;
}

enum pv_status pv_log_parse_substitute(struct pv_meeting_log *log, const char *text,
				       struct pv_log_origin at, struct pv_error *err)
{
	const char *colon = strchr(text, ':');
	char person[128], replaced[128];

	if (!colon)
		return fail_at(err, log, at, "substitute", "write PERSON:FOR (who came, in "
			       "place of whom), not '%s'", text);
	part(text, (size_t)(colon - text), person, sizeof person);
	part(colon + 1, strlen(colon + 1), replaced, sizeof replaced);
	if (!*person || !*replaced)
		return fail_at(err, log, at, "substitute", "write PERSON:FOR (who came, in "
			       "place of whom)");
	return pv_log_add_attendee(log, person, replaced, at, err);
}

enum pv_status pv_log_parse_guest(struct pv_meeting_log *log, const char *text,
				  struct pv_log_origin at, struct pv_error *err)
{
	const char *colon = strrchr(text, ':');
	char role[128], count[32], *end;
	long n = 1;

	if (colon) {
		part(text, (size_t)(colon - text), role, sizeof role);
		part(colon + 1, strlen(colon + 1), count, sizeof count);
		n = strtol(count, &end, 10);
		if (!*count || *end)
			return fail_at(err, log, at, "guest", "write ROLE or ROLE:COUNT, e.g. "
				       "foresatt:2");
	} else {
		part(text, strlen(text), role, sizeof role);
	}
	if (n < 1 || n > GUESTS_MAX)
		return fail_at(err, log, at, "guest", "the count must be 1–%d", GUESTS_MAX);
	return pv_log_add_guest(log, role, (int)n, at, err);
}

enum pv_status pv_log_parse_case(struct pv_meeting_log *log, const char *text,
				 struct pv_log_origin at, struct pv_error *err)
{
	const char *colon = strchr(text, ':'), *rest, *second;
	char kind[32], ref[128];

	if (!colon)
		return fail_at(err, log, at, "case", "write anon:THEME or consent:REF:THEME");
	part(text, (size_t)(colon - text), kind, sizeof kind);
	rest = colon + 1;
	if (pv_csv_name_equal(kind, "anon") || pv_csv_name_equal(kind, "anonym") ||
	    pv_csv_name_equal(kind, "anonymous"))
		return pv_log_add_case(log, NULL, rest, at, err);
	if (!pv_csv_name_equal(kind, "consent") && !pv_csv_name_equal(kind, "samtykke"))
		return fail_at(err, log, at, "case", "'%s' is neither anon nor consent: write "
			       "anon:THEME or consent:REF:THEME", kind);
	second = strchr(rest, ':');
	if (!second)
		return fail_at(err, log, at, "case", "write consent:REF:THEME");
	part(rest, (size_t)(second - rest), ref, sizeof ref);
	return pv_log_add_case(log, ref, second + 1, at, err);
}

enum pv_status pv_log_parse_action(struct pv_meeting_log *log, const char *text,
				   long long id, struct pv_log_origin at, struct pv_error *err)
{
	const char *p[5];
	size_t n = 0;
	char who[128], due[64], state[64];
	char *what = NULL;
	struct pv_log_action a = { .id = id, .at = at };
	enum pv_status status;

	p[n++] = text;
	for (const char *s = text; *s && n < 5; s++)
		if (*s == '|')
			p[n++] = s + 1;
	if (n < 3 || n > 4)
		return fail_at(err, log, at, "action", "write WHO|WHAT|DUE (a person id or "
			       "role, what to do, a date)");
	part(p[0], (size_t)(p[1] - p[0] - 1), who, sizeof who);
	what = malloc((size_t)(p[2] - p[1]));
	if (!what)
		return out_of_memory(err);
	part(p[1], (size_t)(p[2] - p[1] - 1), what, (size_t)(p[2] - p[1]));
	part(p[2], n == 4 ? (size_t)(p[3] - p[2] - 1) : strlen(p[2]), due, sizeof due);
	a.responsible = who;
	a.what = what;
	if (!pv_date_parse(due, &a.due)) {
		free(what);
		return fail_at(err, log, at, "action", "due date '%s' is not a date "
			       "(YYYY-MM-DD or DD.MM.YYYY)", due);
	}
	if (n == 4) {
		part(p[3], strlen(p[3]), state, sizeof state);
		if (pv_csv_name_equal(state, "open") || pv_csv_name_equal(state, "åpen")) {
			a.status = PV_ACTION_OPEN;
		} else if (strncmp(state, "done", 4) == 0 || strncmp(state, "utført", 7) == 0) {
			char date[64];
			size_t skip = state[0] == 'd' ? 4 : 7;
			part(state + skip, strlen(state + skip), date, sizeof date);
			a.status = PV_ACTION_DONE;
			if (!pv_date_parse(date, &a.done)) {
				free(what);
				return fail_at(err, log, at, "action", "write 'done DATE', e.g. "
					       "done 2026-10-01");
			}
		} else {
			free(what);
			return fail_at(err, log, at, "action", "the fourth part is 'open' or "
				       "'done DATE', not '%s'", state);
		}
	}
	status = pv_log_add_action(log, &a, err);
	free(what);
	return status;
}

/* ---- validation ---- */

static bool utf8_valid(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s);

	while (n) {
		size_t len = pv_utf8_seq(p, n);

		if (!len)
			return false;
		p += len;
		n -= len;
	}
	return true;
}

/* Free text: valid UTF-8, not too long, and through the guard. */
static enum pv_status check_text(const struct pv_rules *rules, const struct pv_meeting_log *log,
				 struct pv_log_origin at, const char *field, const char *text,
				 size_t max, struct pv_error *err)
{
	char name[256];
	enum pv_status status;

	if (!utf8_valid(text))
		return fail_at(err, log, at, field, "not valid UTF-8 text");
	if (strlen(text) > max)
		return fail_at(err, log, at, field, "longer than %zu bytes", max);
	snprintf(name, sizeof name, "%s%s", at.where ? at.where : "", field);
	status = pv_anonymity_check(rules, name, text, err);
	if (status == PV_EDATA && log->file) {
		snprintf(err->file, sizeof err->file, "%s", log->file);
		err->line = at.line;
	}
	return status;
}

/* The entry of a rules string list equal to `text` (case-insensitive,
 * also æøå), borrowed from the rules; NULL when none. */
static const char *list_entry(const struct pv_rules *rules, const char *path, const char *text)
{
	const json_t *list = pv_rules_get(rules, path), *el;
	size_t i;

	json_array_foreach(list, i, el)
		if (json_is_string(el) && pv_csv_name_equal(json_string_value(el), text))
			return json_string_value(el);
	return NULL;
}

struct check {
	struct pv_db *db;
	const struct pv_rules *rules;
	const struct pv_roster *roster;
	struct pv_meeting_log *log;
	const struct pv_meeting *m;
	const struct pv_meeting_log *old;      /* the stored log, or NULL */
	const struct pv_log_store_options *opts;
	const char *services[32];              /* present at the meeting, sorted */
	size_t nservices;
};

static enum pv_status check_person(struct check *c, struct pv_log_origin at, const char *field,
				   const char *slug, struct pv_error *err)
{
	if (!pv_roster_person(c->roster, slug))
		return fail_at(err, c->log, at, field, "no person '%s' (see 'patvers team list')",
			       slug);
	return PV_OK;
}

static void add_service(struct check *c, const char *code)
{
	size_t at = 0;

	if (!code)
		return;
	while (at < c->nservices && strcmp(c->services[at], code) < 0)
		at++;
	if ((at < c->nservices && strcmp(c->services[at], code) == 0) ||
	    c->nservices == sizeof c->services / sizeof c->services[0])
		return;
	memmove(c->services + at + 1, c->services + at,
		(c->nservices - at) * sizeof c->services[0]);
	c->services[at] = code;
	c->nservices++;
}

static void add_person_service(struct check *c, const char *slug)
{
	const struct pv_person *p = pv_roster_person(c->roster, slug);
	const struct pv_unit *home = p ? pv_roster_unit(c->roster, p->home) : NULL;

	if (home && home->kind == PV_UNIT_SERVICE)
		add_service(c, home->service);
}

static enum pv_status check_people(struct check *c, struct pv_error *err)
{
	struct pv_meeting_log *log = c->log;
	size_t kept = 0;
	enum pv_status status;

	if (!log->leader || !*log->leader)
		return fail_at(err, log, log->leader_at, "leader", "who led the meeting? "
			       "(required)");
	status = check_person(c, log->leader_at, "leader", log->leader, err);
	if (status != PV_OK)
		return status;
	for (size_t i = 0; i < log->nattendees; i++) {
		struct pv_log_attendee *a = &log->attendees[i];
		const char *field = a->substitute_for ? "substitute" : "attendee";

		status = check_person(c, a->at, field, a->person, err);
		if (status == PV_OK && a->substitute_for)
			status = check_person(c, a->at, field, a->substitute_for, err);
		if (status != PV_OK)
			return status;
		if (a->substitute_for && strcmp(a->person, a->substitute_for) == 0)
			return fail_at(err, log, a->at, field, "'%s' cannot stand in for "
				       "themselves", a->person);
		/* the leader is present anyway; listing them again adds nothing */
		if (!a->substitute_for && strcmp(a->person, log->leader) == 0)
			continue;
		for (size_t k = 0; k < kept; k++)
			if (strcmp(log->attendees[k].person, a->person) == 0)
				return fail_at(err, log, a->at, field, "'%s' is listed twice",
					       a->person);
		log->attendees[kept++] = *a;
	}
	log->nattendees = kept;
	for (size_t i = 0; i < kept; i++) {
		const struct pv_log_attendee *a = &log->attendees[i];
		if (!a->substitute_for)
			continue;
		if (strcmp(a->substitute_for, log->leader) == 0 && strcmp(a->person, log->leader))
			return fail_at(err, log, a->at, "substitute", "'%s' led the meeting, so no "
				       "one stood in for them", a->substitute_for);
		for (size_t k = 0; k < kept; k++)
			if (strcmp(log->attendees[k].person, a->substitute_for) == 0)
				return fail_at(err, log, a->at, "substitute", "'%s' was present, "
					       "so no one stood in for them", a->substitute_for);
	}
	add_person_service(c, log->leader);
	for (size_t i = 0; i < kept; i++)
		add_person_service(c, log->attendees[i].person);
	return PV_OK;
}

static enum pv_status check_guests(struct check *c, struct pv_error *err)
{
	struct pv_meeting_log *log = c->log;

	for (size_t i = 0; i < log->nguests; i++) {
		struct pv_log_guest *g = &log->guests[i];
		const char *role = list_entry(c->rules, "log.guest_roles", g->role);
		enum pv_unit_kind kind;
		const char *service = NULL;

		if (!role)
			return fail_at(err, log, g->at, "guest", "'%s' is not a guest role in the "
				       "rules' log.guest_roles (guests are recorded by role, never "
				       "by name)", g->role);
		g->role = role;
		for (size_t k = 0; k < i; k++)
			if (strcmp(log->guests[k].role, role) == 0)
				return fail_at(err, log, g->at, "guest", "role '%s' is listed twice; "
					       "give the count once (%s:2)", role, role);
		if (pv_unit_type_parse(role, &kind, &service) && kind == PV_UNIT_SERVICE)
			add_service(c, service);
	}
	return PV_OK;
}

static enum pv_status check_cases(struct check *c, struct pv_error *err)
{
	struct pv_meeting_log *log = c->log;
	enum pv_status status = PV_OK;

	for (size_t i = 0; status == PV_OK && i < log->ncases; i++) {
		struct pv_log_case *k = &log->cases[i];
		const char *listed = list_entry(c->rules, "themes", k->theme);
		char why[1024];

		status = check_text(c->rules, log, k->at, "theme", k->theme, THEME_MAX, err);
		if (status != PV_OK)
			break;
		if (listed)
			k->theme = listed;
		if (!k->consent_ref)
			continue;
		status = pv_consent_ref_check(c->rules, NULL, k->consent_ref, err);
		if (status == PV_OK)
			status = pv_consent_check(c->db, k->consent_ref, c->m->date, c->services,
						  c->nservices, err);
		if (status == PV_EDATA) {
			snprintf(why, sizeof why, "%s", err->message);
			status = fail_at(err, log, k->at, "case", "%s; nothing is stored", why);
		}
	}
	return status;
}

/* WHO of an action: a person id, else a team role or a guest role. */
static enum pv_status resolve_responsible(struct check *c, struct pv_log_action *a,
					  struct pv_error *err)
{
	const char *role = NULL;

	if (pv_roster_person(c->roster, a->responsible)) {
		a->is_person = true;
		return PV_OK;
	}
	a->is_person = false;
	if (pv_team_role_parse(c->rules, a->responsible, &role) ||
	    (role = list_entry(c->rules, "log.guest_roles", a->responsible)) != NULL) {
		a->responsible = role;
		return PV_OK;
	}
	return fail_at(err, c->log, a->at, "action", "'%s' is neither a person id nor a role "
		       "(the team roles or the rules' log.guest_roles)", a->responsible);
}

static bool old_action(const struct pv_meeting_log *old, long long id)
{
	for (size_t i = 0; old && i < old->nactions; i++)
		if (old->actions[i].id == id)
			return true;
	return false;
}

static enum pv_status check_actions(struct check *c, struct pv_error *err)
{
	struct pv_meeting_log *log = c->log;
	char d1[11], d2[11];
	enum pv_status status = PV_OK;

	for (size_t i = 0; status == PV_OK && i < log->nactions; i++) {
		struct pv_log_action *a = &log->actions[i];

		if (a->id && !old_action(c->old, a->id))
			return fail_at(err, log, a->at, "action", "#%lld is not an action of meeting "
				       "%lld", a->id, c->m->id);
		for (size_t k = 0; a->id && k < i; k++)
			if (log->actions[k].id == a->id)
				return fail_at(err, log, a->at, "action", "#%lld is listed twice",
					       a->id);
		status = resolve_responsible(c, a, err);
		if (status == PV_OK)
			status = check_text(c->rules, log, a->at, "what", a->what, WHAT_MAX, err);
		if (status != PV_OK)
			break;
		if (a->due < c->m->date)
			return fail_at(err, log, a->at, "action", "due date %s is before the meeting "
				       "(%s)", pv_date_format(a->due, d1),
				       pv_date_format(c->m->date, d2));
		if (a->status == PV_ACTION_DONE && a->done < c->m->date)
			return fail_at(err, log, a->at, "action", "done on %s, before the meeting "
				       "(%s)", pv_date_format(a->done, d1),
				       pv_date_format(c->m->date, d2));
	}
	return status;
}

static enum pv_status check_counts(struct check *c, struct pv_error *err)
{
	struct pv_meeting_log *log = c->log;
	bool any = log->staff_consultations >= 0 || log->pupil_conversations >= 0 ||
		   log->parents_informed;
	char d1[11], d2[11];

	if (any && c->m->kind != PV_MEETING_APEN_DOR)
		return fail_at(err, log, log->counts_at, "counts", "staff consultations, pupil "
			       "conversations and parents informed belong to «Åpen dør» (apen-dor) "
			       "meetings; meeting %lld is a %s", c->m->id,
			       pv_meeting_kind_name(c->m->kind));
	if (log->staff_consultations > COUNT_MAX || log->pupil_conversations > COUNT_MAX)
		return fail_at(err, log, log->counts_at, "counts", "a count is at most %d",
			       COUNT_MAX);
	if (!log->parents_informed)
		return PV_OK;
	if (log->pupil_conversations <= 0)
		return fail_at(err, log, log->counts_at, "parents-informed", "the parents are "
			       "told after pupil conversations; none are recorded");
	if (log->parents_informed < c->m->date)
		return fail_at(err, log, log->counts_at, "parents-informed", "%s is before the "
			       "meeting (%s)", pv_date_format(log->parents_informed, d1),
			       pv_date_format(c->m->date, d2));
	if (log->parents_informed > c->opts->today)
		return fail_at(err, log, log->counts_at, "parents-informed", "%s is after today "
			       "(%s)", pv_date_format(log->parents_informed, d1),
			       pv_date_format(c->opts->today, d2));
	return PV_OK;
}

/* "meetings[1]: " for a log whose origin is "meetings[1].", else "". */
static const char *log_prefix(const struct pv_meeting_log *log, char buf[160])
{
	size_t n = log->at.where ? strlen(log->at.where) : 0;

	if (n && log->at.where[n - 1] == '.')
		n--;
	snprintf(buf, 160, "%.*s%s", (int)n, n ? log->at.where : "", n ? ": " : "");
	return buf;
}

/* The meeting a JSON log names must be the one it says (unit, kind,
 * date), so a file meant for another database is refused. */
static enum pv_status check_expected(struct check *c, struct pv_error *err)
{
	const struct pv_meeting *m = c->m;
	const struct pv_meeting_log *log = c->log;
	struct pv_log_origin none = { 0, log->at.where ? log->at.where : "" };
	char d1[11], d2[11];

	if (log->expect_unit && strcmp(log->expect_unit, m->unit) != 0)
		return fail_at(err, log, none, "unit", "meeting %lld is at '%s', not '%s' (a log "
			       "for another database?)", m->id, m->unit, log->expect_unit);
	if (log->expect_kind) {
		enum pv_meeting_kind kind;
		if (!pv_meeting_kind_parse(log->expect_kind, &kind) || kind != m->kind)
			return fail_at(err, log, none, "kind", "meeting %lld is a %s, not '%s'",
				       m->id, pv_meeting_kind_name(m->kind), log->expect_kind);
	}
	if (log->expect_date && log->expect_date != m->date)
		return fail_at(err, log, none, "date", "meeting %lld is on %s, not %s", m->id,
			       pv_date_format(m->date, d1), pv_date_format(log->expect_date, d2));
	return PV_OK;
}

static enum pv_status check_meeting(struct check *c, struct pv_error *err)
{
	const struct pv_meeting *m = c->m;
	const struct pv_meeting_log *log = c->log;
	char d1[11], d2[11], pre[160];
	enum pv_status status = check_expected(c, err);

	log_prefix(log, pre);
	if (status != PV_OK)
		return status;
	if (m->status == PV_MEETING_CANCELLED)
		return pv_error_set_at(err, PV_EDATA, log->file, 0, 0, "%smeeting %lld was "
				       "cancelled; it cannot be logged as held", pre, m->id);
	if (m->date > c->opts->today)
		return pv_error_set_at(err, PV_EDATA, log->file, 0, 0, "%smeeting %lld is on %s, "
				       "after today (%s): log it when it has been held",
				       pre, m->id, pv_date_format(m->date, d1),
				       pv_date_format(c->opts->today, d2));
	if (c->old && !c->opts->replace)
		return pv_error_set_at(err, PV_EDATA, log->file, 0, 0, "%smeeting %lld is "
				       "already logged; change the log with 'patvers log edit %lld'",
				       pre, m->id, m->id);
	return PV_OK;
}

static enum pv_status validate(struct check *c, struct pv_error *err)
{
	const struct pv_unit *u = pv_roster_unit(c->roster, c->m->unit);
	enum pv_status status = check_meeting(c, err);

	if (u && u->kind == PV_UNIT_SERVICE)
		add_service(c, u->service);
	if (status == PV_OK)
		status = check_people(c, err);
	if (status == PV_OK)
		status = check_guests(c, err);
	if (status == PV_OK)
		status = check_text(c->rules, c->log, c->log->experience_at, "experience",
				    c->log->experience, EXPERIENCE_MAX, err);
	if (status == PV_OK)
		status = check_counts(c, err);
	if (status == PV_OK)
		status = check_actions(c, err);
	/* last: the consent check needs every service present */
	if (status == PV_OK)
		status = check_cases(c, err);
	return status;
}

/* ---- loading a meeting ---- */

enum pv_status pv_log_meeting(struct pv_db *db, long long id, const char *uid,
			      struct pv_plan **plan, const struct pv_meeting **m,
			      struct pv_error *err)
{
	sqlite3_stmt *st;
	struct pv_plan_filter f = { .include_cancelled = true };
	enum pv_status status;
	int rc;

	*plan = NULL;
	*m = NULL;
	status = pv_db_prepare(db, "SELECT id, date FROM meeting WHERE id = ?1 OR"
			       " (?1 = 0 AND uid = ?2)", &st, err);
	if (status != PV_OK)
		return status;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, uid, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		id = sqlite3_column_int64(st, 0);
		if (!pv_date_parse((const char *)sqlite3_column_text(st, 1), &f.from))
			status = pv_error_set(err, PV_EDATA, "meeting %lld: a stored date does "
					      "not parse (run 'patvers db check')", id);
		f.to = f.from;
	} else if (rc == SQLITE_DONE) {
		status = id ? pv_error_set(err, PV_EDATA, "no meeting with id %lld", id)
			    : pv_error_set(err, PV_EDATA, "no meeting with uid '%s'",
					   uid ? uid : "");
	} else {
		status = pv_db_fail(db, "cannot read meetings", err);
	}
	sqlite3_finalize(st);
	if (status == PV_OK)
		status = pv_plan_load(db, &f, plan, err);
	if (status == PV_OK && !(*m = pv_plan_find(*plan, id)))
		status = pv_error_set(err, PV_EDATA, "no meeting with id %lld", id);
	if (status != PV_OK) {
		pv_plan_free(*plan);
		*plan = NULL;
	}
	return status;
}

/* ---- loading a log ---- */

static enum pv_status step_rows(struct pv_db *db, sqlite3_stmt *st, long long meeting,
				enum pv_status (*row)(struct pv_meeting_log *, sqlite3_stmt *,
						      struct pv_error *),
				struct pv_meeting_log *log, struct pv_error *err)
{
	enum pv_status status = PV_OK;
	int rc;

	sqlite3_bind_int64(st, 1, meeting);
	while (status == PV_OK && (rc = sqlite3_step(st)) == SQLITE_ROW)
		status = row(log, st, err);
	if (status == PV_OK && rc != SQLITE_DONE)
		status = pv_db_fail(db, "cannot read the meeting log", err);
	sqlite3_finalize(st);
	return status;
}

static const char *col(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

static pv_date col_date(sqlite3_stmt *st, int i)
{
	pv_date d = 0;

	if (col(st, i) && !pv_date_parse(col(st, i), &d))
		d = 0;
	return d;
}

static const struct pv_log_origin stored = { 0, "" };

static enum pv_status attendee_row(struct pv_meeting_log *log, sqlite3_stmt *st,
				   struct pv_error *err)
{
	return pv_log_add_attendee(log, col(st, 0), col(st, 1), stored, err);
}

static enum pv_status guest_row(struct pv_meeting_log *log, sqlite3_stmt *st,
				struct pv_error *err)
{
	return pv_log_add_guest(log, col(st, 0), sqlite3_column_int(st, 1), stored, err);
}

static enum pv_status case_row(struct pv_meeting_log *log, sqlite3_stmt *st,
			       struct pv_error *err)
{
	enum pv_status status = pv_log_add_case(log, col(st, 1), col(st, 2), stored, err);

	if (status == PV_OK)
		log->cases[log->ncases - 1].id = sqlite3_column_int64(st, 0);
	return status;
}

static enum pv_status action_row(struct pv_meeting_log *log, sqlite3_stmt *st,
				 struct pv_error *err)
{
	struct pv_log_action a = {
		.id = sqlite3_column_int64(st, 0),
		.responsible = col(st, 1) ? col(st, 1) : col(st, 2),
		.is_person = col(st, 1) != NULL,
		.what = col(st, 3),
		.due = col_date(st, 4),
		.status = col(st, 5) && strcmp(col(st, 5), "done") == 0 ? PV_ACTION_DONE
									 : PV_ACTION_OPEN,
		.done = col_date(st, 6),
		.at = stored,
	};

	return pv_log_add_action(log, &a, err);
}

enum pv_status pv_log_load(struct pv_db *db, long long meeting, struct pv_meeting_log **out,
			   struct pv_error *err)
{
	static const char *const sql[] = {
		"SELECT person, substitute_for FROM meeting_log_attendee WHERE meeting = ?"
		" ORDER BY position",
		"SELECT role, headcount FROM meeting_log_guest WHERE meeting = ? ORDER BY position",
		"SELECT id, consent_ref, theme FROM meeting_case WHERE meeting = ?"
		" ORDER BY position, id",
		"SELECT id, person, role, what, due, status, done_date FROM meeting_action"
		" WHERE meeting = ? ORDER BY position, id",
	};
	enum pv_status (*const rows[])(struct pv_meeting_log *, sqlite3_stmt *,
				       struct pv_error *) = {
		attendee_row, guest_row, case_row, action_row,
	};
	struct pv_meeting_log *log = NULL;
	sqlite3_stmt *st;
	bool oom = false;
	int rc;
	enum pv_status status = pv_db_prepare(db, "SELECT leader, experience,"
					      " staff_consultations, pupil_conversations,"
					      " parents_informed FROM meeting_log WHERE meeting = ?",
					      &st, err);

	*out = NULL;
	if (status != PV_OK)
		return status;
	sqlite3_bind_int64(st, 1, meeting);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		log = pv_log_new(meeting);
		if (!log) {
			status = out_of_memory(err);
		} else {
			log->leader = pv_log_keep(log, col(st, 0), &oom);
			log->leader_at = stored;
			log->experience = pv_log_keep(log, col(st, 1) ? col(st, 1) : "", &oom);
			log->experience_at = stored;
			log->staff_consultations = sqlite3_column_type(st, 2) == SQLITE_NULL ? -1 :
				sqlite3_column_int(st, 2);
			log->pupil_conversations = sqlite3_column_type(st, 3) == SQLITE_NULL ? -1 :
				sqlite3_column_int(st, 3);
			log->parents_informed = col_date(st, 4);
			log->counts_at = stored;
			if (oom)
				status = out_of_memory(err);
		}
	} else if (rc != SQLITE_DONE) {
		status = pv_db_fail(db, "cannot read the meeting log", err);
	}
	sqlite3_finalize(st);
	for (size_t i = 0; log && status == PV_OK && i < 4; i++) {
		status = pv_db_prepare(db, sql[i], &st, err);
		if (status == PV_OK)
			status = step_rows(db, st, meeting, rows[i], log, err);
	}
	if (status != PV_OK) {
		pv_log_free(log);
		return status;
	}
	*out = log;
	return PV_OK;
}

/* ---- writing ---- */

static enum pv_status run(struct pv_db *db, sqlite3_stmt *st, const char *what,
			  struct pv_error *err)
{
	enum pv_status status = PV_OK;

	if (sqlite3_step(st) != SQLITE_DONE)
		status = pv_db_fail(db, what, err);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return status;
}

/* Runs one statement bound to the meeting id alone. */
static enum pv_status exec_for(struct pv_db *db, const char *sql, long long meeting,
			       struct pv_error *err)
{
	sqlite3_stmt *st;
	enum pv_status status = pv_db_prepare(db, sql, &st, err);

	if (status != PV_OK)
		return status;
	sqlite3_bind_int64(st, 1, meeting);
	status = run(db, st, "cannot write the meeting log", err);
	sqlite3_finalize(st);
	return status;
}

static enum pv_status write_head(struct pv_db *db, const struct pv_meeting_log *log,
				 long long meeting, bool exists, struct pv_error *err)
{
	static const char insert[] =
		"INSERT INTO meeting_log (leader, experience, staff_consultations,"
		" pupil_conversations, parents_informed, meeting) VALUES (?, ?, ?, ?, ?, ?)";
	static const char update[] =
		"UPDATE meeting_log SET leader = ?, experience = ?, staff_consultations = ?,"
		" pupil_conversations = ?, parents_informed = ? WHERE meeting = ?";
	sqlite3_stmt *st;
	char informed[11];
	enum pv_status status = pv_db_prepare(db, exists ? update : insert, &st, err);

	if (status != PV_OK)
		return status;
	sqlite3_bind_text(st, 1, log->leader, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, log->experience ? log->experience : "", -1, SQLITE_STATIC);
	if (log->staff_consultations >= 0)
		sqlite3_bind_int(st, 3, log->staff_consultations);
	if (log->pupil_conversations >= 0)
		sqlite3_bind_int(st, 4, log->pupil_conversations);
	if (log->parents_informed)
		sqlite3_bind_text(st, 5, pv_date_format(log->parents_informed, informed), -1,
				  SQLITE_STATIC);
	sqlite3_bind_int64(st, 6, meeting);
	status = run(db, st, "cannot write the meeting log", err);
	sqlite3_finalize(st);
	return status;
}

static enum pv_status write_attendees(struct pv_db *db, const struct pv_meeting_log *log,
				      long long meeting, struct pv_error *err)
{
	sqlite3_stmt *st;
	enum pv_status status = exec_for(db, "DELETE FROM meeting_log_attendee WHERE meeting = ?",
					 meeting, err);

	if (status == PV_OK)
		status = pv_db_prepare(db, "INSERT INTO meeting_log_attendee (meeting, person,"
				       " substitute_for, position) VALUES (?, ?, ?, ?)", &st, err);
	if (status != PV_OK)
		return status;
	for (size_t i = 0; status == PV_OK && i < log->nattendees; i++) {
		sqlite3_bind_int64(st, 1, meeting);
		sqlite3_bind_text(st, 2, log->attendees[i].person, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, log->attendees[i].substitute_for, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 4, (long long)i);
		status = run(db, st, "cannot write the meeting log", err);
	}
	sqlite3_finalize(st);
	return status;
}

static enum pv_status write_guests(struct pv_db *db, const struct pv_meeting_log *log,
				   long long meeting, struct pv_error *err)
{
	sqlite3_stmt *st;
	enum pv_status status = exec_for(db, "DELETE FROM meeting_log_guest WHERE meeting = ?",
					 meeting, err);

	if (status == PV_OK)
		status = pv_db_prepare(db, "INSERT INTO meeting_log_guest (meeting, role,"
				       " headcount, position) VALUES (?, ?, ?, ?)", &st, err);
	if (status != PV_OK)
		return status;
	for (size_t i = 0; status == PV_OK && i < log->nguests; i++) {
		sqlite3_bind_int64(st, 1, meeting);
		sqlite3_bind_text(st, 2, log->guests[i].role, -1, SQLITE_STATIC);
		sqlite3_bind_int(st, 3, log->guests[i].count);
		sqlite3_bind_int64(st, 4, (long long)i);
		status = run(db, st, "cannot write the meeting log", err);
	}
	sqlite3_finalize(st);
	return status;
}

static enum pv_status write_cases(struct pv_db *db, struct pv_meeting_log *log,
				  long long meeting, struct pv_error *err)
{
	sqlite3_stmt *st;
	enum pv_status status = exec_for(db, "DELETE FROM meeting_case WHERE meeting = ?",
					 meeting, err);

	if (status == PV_OK)
		status = pv_db_prepare(db, "INSERT INTO meeting_case (meeting, position,"
				       " consent_ref, theme) VALUES (?, ?, ?, ?)", &st, err);
	if (status != PV_OK)
		return status;
	for (size_t i = 0; status == PV_OK && i < log->ncases; i++) {
		sqlite3_bind_int64(st, 1, meeting);
		sqlite3_bind_int64(st, 2, (long long)i);
		sqlite3_bind_text(st, 3, log->cases[i].consent_ref, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, log->cases[i].theme, -1, SQLITE_STATIC);
		status = run(db, st, "cannot write the meeting log", err);
		log->cases[i].id = sqlite3_last_insert_rowid(pv_db_handle(db));
	}
	sqlite3_finalize(st);
	return status;
}

static void bind_action(sqlite3_stmt *st, const struct pv_log_action *a, size_t position,
			char due[11], char done[11])
{
	sqlite3_bind_int64(st, 1, (long long)position);
	sqlite3_bind_text(st, 2, a->is_person ? a->responsible : NULL, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, a->is_person ? NULL : a->responsible, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, a->what, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, pv_date_format(a->due, due), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, pv_action_status_name(a->status), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, a->status == PV_ACTION_DONE ? pv_date_format(a->done, done)
			  : NULL, -1, SQLITE_STATIC);
}

/* Actions keep their ids across edits: the ones still listed are updated,
 * the others deleted, new ones inserted. */
static enum pv_status write_actions(struct pv_db *db, struct pv_meeting_log *log,
				    const struct pv_meeting_log *old, long long meeting,
				    struct pv_error *err)
{
	sqlite3_stmt *del = NULL, *ins = NULL, *upd = NULL;
	char due[11], done[11];
	enum pv_status status = pv_db_prepare(db, "DELETE FROM meeting_action WHERE id = ?",
					      &del, err);

	if (status == PV_OK)
		status = pv_db_prepare(db, "INSERT INTO meeting_action (position, person, role,"
				       " what, due, status, done_date, meeting) VALUES (?, ?, ?, ?,"
				       " ?, ?, ?, ?)", &ins, err);
	if (status == PV_OK)
		status = pv_db_prepare(db, "UPDATE meeting_action SET position = ?, person = ?,"
				       " role = ?, what = ?, due = ?, status = ?, done_date = ?"
				       " WHERE id = ? AND meeting = ?", &upd, err);
	for (size_t i = 0; status == PV_OK && old && i < old->nactions; i++) {
		bool kept = false;
		for (size_t k = 0; k < log->nactions && !kept; k++)
			kept = log->actions[k].id == old->actions[i].id;
		if (kept)
			continue;
		sqlite3_bind_int64(del, 1, old->actions[i].id);
		status = run(db, del, "cannot write the meeting log", err);
	}
	for (size_t i = 0; status == PV_OK && i < log->nactions; i++) {
		struct pv_log_action *a = &log->actions[i];
		sqlite3_stmt *st = a->id ? upd : ins;

		bind_action(st, a, i, due, done);
		if (a->id) {
			sqlite3_bind_int64(st, 8, a->id);
			sqlite3_bind_int64(st, 9, meeting);
		} else {
			sqlite3_bind_int64(st, 8, meeting);
		}
		status = run(db, st, "cannot write the meeting log", err);
		if (status == PV_OK && !a->id)
			a->id = sqlite3_last_insert_rowid(pv_db_handle(db));
	}
	sqlite3_finalize(del);
	sqlite3_finalize(ins);
	sqlite3_finalize(upd);
	return status;
}

static enum pv_status audit_log(struct pv_db *db, const struct pv_meeting *m,
				const struct pv_meeting_log *log, bool changed,
				struct pv_error *err)
{
	char summary[400], date[11];
	int consent = 0, guests = 0;
	int n;

	for (size_t i = 0; i < log->ncases; i++)
		consent += log->cases[i].consent_ref != NULL;
	for (size_t i = 0; i < log->nguests; i++)
		guests += log->guests[i].count;
	/* ids and counts only: never a theme, a text or a REF */
	n = snprintf(summary, sizeof summary, "meeting %lld (%s %s %s): log %s: %zu present, "
		     "%d guests, %zu cases (%d with consent), %zu actions", m->id,
		     pv_meeting_kind_name(m->kind), m->unit, pv_date_format(m->date, date),
		     changed ? "changed" : "held", pv_log_present(log), guests, log->ncases,
		     consent, log->nactions);
	if (log->staff_consultations >= 0 || log->pupil_conversations >= 0)
		snprintf(summary + n, sizeof summary - (size_t)n, ", %d staff consultations, %d "
			 "pupil conversations%s", log->staff_consultations > 0 ?
			 log->staff_consultations : 0, log->pupil_conversations > 0 ?
			 log->pupil_conversations : 0, log->parents_informed ?
			 ", parents informed" : "");
	return pv_audit_append(db, "meeting-log", summary, err);
}

static bool same_text(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static bool same_action(const struct pv_log_action *a, const struct pv_log_action *b);

/* Whether the validated log `log` says what the stored `old` says, so an
 * edit that changed nothing writes nothing and leaves no audit row. */
static bool same_log(const struct pv_meeting_log *old, const struct pv_meeting_log *log)
{
	if (!old || !same_text(old->leader, log->leader) ||
	    !same_text(old->experience, log->experience) ||
	    old->staff_consultations != log->staff_consultations ||
	    old->pupil_conversations != log->pupil_conversations ||
	    old->parents_informed != log->parents_informed ||
	    old->nattendees != log->nattendees || old->nguests != log->nguests ||
	    old->ncases != log->ncases || old->nactions != log->nactions)
		return false;
	for (size_t i = 0; i < log->nattendees; i++)
		if (!same_text(old->attendees[i].person, log->attendees[i].person) ||
		    !same_text(old->attendees[i].substitute_for, log->attendees[i].substitute_for))
			return false;
	for (size_t i = 0; i < log->nguests; i++)
		if (!same_text(old->guests[i].role, log->guests[i].role) ||
		    old->guests[i].count != log->guests[i].count)
			return false;
	for (size_t i = 0; i < log->ncases; i++)
		if (!same_text(old->cases[i].consent_ref, log->cases[i].consent_ref) ||
		    !same_text(old->cases[i].theme, log->cases[i].theme))
			return false;
	for (size_t i = 0; i < log->nactions; i++)
		if (old->actions[i].id != log->actions[i].id ||
		    !same_action(&old->actions[i], &log->actions[i]))
			return false;
	return true;
}

static bool same_action(const struct pv_log_action *a, const struct pv_log_action *b)
{
	return same_text(a->responsible, b->responsible) && a->is_person == b->is_person &&
	       same_text(a->what, b->what) && a->due == b->due && a->status == b->status &&
	       a->done == b->done;
}

/*
 * Actions without an id (from JSON or the command line) that are the
 * stored action at the same position, unchanged, keep its id: importing
 * an export again with --replace then changes nothing, and the ids people
 * use with 'log action done' stay.
 */
static void adopt_action_ids(struct pv_meeting_log *log, const struct pv_meeting_log *old)
{
	for (size_t i = 0; old && i < log->nactions && i < old->nactions; i++) {
		bool taken = false;

		if (log->actions[i].id || !same_action(&log->actions[i], &old->actions[i]))
			continue;
		for (size_t k = 0; k < log->nactions && !taken; k++)
			taken = log->actions[k].id == old->actions[i].id;
		if (!taken)
			log->actions[i].id = old->actions[i].id;
	}
}

static enum pv_status write_log(struct check *c, bool *changed, struct pv_error *err)
{
	struct pv_db *db = c->db;
	struct pv_meeting_log *log = c->log;
	const struct pv_meeting *m = c->m;
	struct pv_meeting held;
	enum pv_status status = PV_OK;

	adopt_action_ids(log, c->old);
	*changed = !same_log(c->old, log);
	if (!*changed) {
		for (size_t i = 0; i < log->ncases; i++)
			log->cases[i].id = c->old->cases[i].id;
		return PV_OK;
	}
	status = write_head(db, log, m->id, c->old != NULL, err);
	if (status == PV_OK)
		status = write_attendees(db, log, m->id, err);
	if (status == PV_OK)
		status = write_guests(db, log, m->id, err);
	if (status == PV_OK)
		status = write_cases(db, log, m->id, err);
	if (status == PV_OK)
		status = write_actions(db, log, c->old, m->id, err);
	if (status == PV_OK && m->status != PV_MEETING_HELD) {
		/* through the schedule module, which raises the SEQUENCE */
		held = *m;
		held.status = PV_MEETING_HELD;
		status = pv_meeting_update(db, &held, NULL, err);
	}
	if (status == PV_OK)
		status = audit_log(db, m, log, c->old != NULL, err);
	return status;
}

/* A JSON log that says the meeting was cancelled: through pv_log_cancel. */
static enum pv_status store_cancelled(struct check *c, bool *changed, struct pv_error *err)
{
	const struct pv_meeting *m = c->m;
	char pre[160], why[1024];
	enum pv_status status = check_expected(c, err);

	log_prefix(c->log, pre);
	*changed = false;
	if (status != PV_OK)
		return status;
	if (c->old)
		return pv_error_set_at(err, PV_EDATA, c->log->file, 0, 0, "%smeeting %lld is "
				       "logged as held; it cannot be cancelled", pre, m->id);
	if (m->status == PV_MEETING_CANCELLED && !c->opts->replace)
		return pv_error_set_at(err, PV_EDATA, c->log->file, 0, 0, "%smeeting %lld is "
				       "already cancelled", pre, m->id);
	*changed = m->status != PV_MEETING_CANCELLED ||
		   !same_text(m->cancel_reason, c->log->cancel_reason);
	status = pv_log_cancel(c->db, c->rules, m->id, c->log->cancel_reason, err);
	if (status == PV_EDATA) {
		snprintf(why, sizeof why, "%s", err->message);
		status = pv_error_set_at(err, PV_EDATA, c->log->file, 0, 0, "%s%s", pre, why);
	}
	return status;
}

enum pv_status pv_log_store(struct pv_db *db, const struct pv_rules *rules,
			    const struct pv_roster *roster, struct pv_meeting_log *log,
			    const struct pv_log_store_options *opts, struct pv_error *err)
{
	struct pv_roster *own = NULL;
	struct pv_plan *plan = NULL;
	struct pv_meeting_log *old = NULL;
	const struct pv_meeting *m = NULL;
	struct check c = { .db = db, .rules = rules, .log = log, .opts = opts };
	bool changed = false;
	enum pv_status status = PV_OK;

	if (!roster) {
		status = pv_roster_load(db, rules, &own, err);
		roster = own;
	}
	if (status == PV_OK) {
		status = pv_log_meeting(db, log->meeting, log->uid, &plan, &m, err);
		if (status == PV_EDATA && log->file) {
			char why[1024], pre[160];
			snprintf(why, sizeof why, "%s", err->message);
			pv_error_set_at(err, PV_EDATA, log->file, 0, 0, "%s%s",
					log_prefix(log, pre), why);
		}
	}
	if (status == PV_OK) {
		log->meeting = m->id;
		status = pv_log_load(db, m->id, &old, err);
	}
	c.roster = roster;
	c.m = m;
	c.old = old;
	if (status == PV_OK && log->cancel_reason) {
		status = store_cancelled(&c, &changed, err);
	} else if (status == PV_OK) {
		status = validate(&c, err);
		if (status == PV_OK)
			status = write_log(&c, &changed, err);
	}
	if (opts->changed)
		*opts->changed = status == PV_OK && changed;
	pv_log_free(old);
	pv_plan_free(plan);
	pv_roster_free(own);
	return status;
}

/* ---- cancel, parents informed, actions done ---- */

static enum pv_status has_log(struct pv_db *db, long long meeting, bool *yes,
			      struct pv_error *err)
{
	sqlite3_stmt *st;
	enum pv_status status = pv_db_prepare(db, "SELECT 1 FROM meeting_log WHERE meeting = ?",
					      &st, err);
	int rc;

	*yes = false;
	if (status != PV_OK)
		return status;
	sqlite3_bind_int64(st, 1, meeting);
	rc = sqlite3_step(st);
	*yes = rc == SQLITE_ROW;
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		status = pv_db_fail(db, "cannot read the meeting log", err);
	sqlite3_finalize(st);
	return status;
}

enum pv_status pv_log_cancel(struct pv_db *db, const struct pv_rules *rules,
			     long long meeting, const char *reason, struct pv_error *err)
{
	bool logged = false;
	enum pv_status status;

	if (!reason || !*reason)
		return pv_error_set(err, PV_EUSAGE, "a cancellation needs a reason");
	if (!utf8_valid(reason))
		return pv_error_set(err, PV_EDATA, "reason: not valid UTF-8 text");
	if (strlen(reason) > THEME_MAX)
		return pv_error_set(err, PV_EDATA, "reason: longer than %d bytes", THEME_MAX);
	status = pv_anonymity_check(rules, "reason", reason, err);
	if (status == PV_OK)
		status = has_log(db, meeting, &logged, err);
	if (status == PV_OK && logged)
		return pv_error_set(err, PV_EDATA, "meeting %lld is logged as held; it cannot be "
				    "cancelled", meeting);
	if (status == PV_OK)
		status = pv_plan_cancel(db, meeting, reason, err);
	return status;
}

enum pv_status pv_log_parents_informed(struct pv_db *db, long long meeting, pv_date date,
				       struct pv_error *err)
{
	struct pv_meeting_log *log = NULL;
	char d1[11], d2[11], summary[160];
	struct pv_plan *plan = NULL;
	const struct pv_meeting *m = NULL;
	sqlite3_stmt *st;
	enum pv_status status = pv_log_meeting(db, meeting, NULL, &plan, &m, err);

	if (status == PV_OK)
		status = pv_log_load(db, meeting, &log, err);
	if (status == PV_OK && !log)
		status = pv_error_set(err, PV_EDATA, "meeting %lld has no log yet", meeting);
	if (status == PV_OK && log->pupil_conversations <= 0)
		status = pv_error_set(err, PV_EDATA, "meeting %lld has no pupil conversations "
				      "recorded", meeting);
	if (status == PV_OK && date < m->date)
		status = pv_error_set(err, PV_EDATA, "%s is before the meeting (%s)",
				      pv_date_format(date, d1), pv_date_format(m->date, d2));
	if (status == PV_OK)
		status = pv_db_prepare(db, "UPDATE meeting_log SET parents_informed = ?"
				       " WHERE meeting = ?", &st, err);
	if (status == PV_OK) {
		sqlite3_bind_text(st, 1, pv_date_format(date, d1), -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, meeting);
		status = run(db, st, "cannot write the meeting log", err);
		sqlite3_finalize(st);
	}
	if (status == PV_OK) {
		snprintf(summary, sizeof summary, "meeting %lld: parents informed on %s", meeting,
			 d1);
		status = pv_audit_append(db, "meeting-log", summary, err);
	}
	pv_log_free(log);
	pv_plan_free(plan);
	return status;
}

enum pv_status pv_log_action_done(struct pv_db *db, long long id, pv_date date,
				  struct pv_error *err)
{
	sqlite3_stmt *st;
	char d1[11], d2[11], summary[160];
	long long meeting = 0;
	pv_date mdate = 0, done = 0;
	int rc;
	enum pv_status status = pv_db_prepare(db, "SELECT a.meeting, m.date, a.status,"
					      " a.done_date FROM meeting_action a JOIN meeting m"
					      " ON m.id = a.meeting WHERE a.id = ?", &st, err);

	if (status != PV_OK)
		return status;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		meeting = sqlite3_column_int64(st, 0);
		mdate = col_date(st, 1);
		if (col(st, 2) && strcmp(col(st, 2), "done") == 0)
			done = col_date(st, 3);
	} else if (rc == SQLITE_DONE) {
		status = pv_error_set(err, PV_EDATA, "no action with id %lld (see 'patvers log "
				      "actions')", id);
	} else {
		status = pv_db_fail(db, "cannot read actions", err);
	}
	sqlite3_finalize(st);
	if (status == PV_OK && done)
		status = pv_error_set(err, PV_EDATA, "action %lld is already done (%s)", id,
				      pv_date_format(done, d1));
	if (status == PV_OK && date < mdate)
		status = pv_error_set(err, PV_EDATA, "%s is before the action's meeting (%s)",
				      pv_date_format(date, d1), pv_date_format(mdate, d2));
	if (status == PV_OK)
		status = pv_db_prepare(db, "UPDATE meeting_action SET status = 'done',"
				       " done_date = ? WHERE id = ?", &st, err);
	if (status == PV_OK) {
		sqlite3_bind_text(st, 1, pv_date_format(date, d1), -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, id);
		status = run(db, st, "cannot write actions", err);
		sqlite3_finalize(st);
	}
	if (status == PV_OK) {
		snprintf(summary, sizeof summary, "action %lld (meeting %lld): done on %s", id,
			 meeting, d1);
		status = pv_audit_append(db, "meeting-log", summary, err);
	}
	return status;
}

/* ---- lists ---- */

enum pv_status pv_log_list(struct pv_db *db, const struct pv_log_filter *filter,
			   pv_log_summary_fn fn, void *arg, int *count, struct pv_error *err)
{
	static const char sql[] =
		"SELECT l.leader,"
		" (SELECT count(*) FROM meeting_log_attendee a WHERE a.meeting = l.meeting"
		"   AND a.person <> l.leader),"
		" (SELECT coalesce(sum(g.headcount), 0) FROM meeting_log_guest g"
		"   WHERE g.meeting = l.meeting),"
		" (SELECT count(*) FROM meeting_case c WHERE c.meeting = l.meeting),"
		" (SELECT count(*) FROM meeting_case c WHERE c.meeting = l.meeting"
		"   AND c.consent_ref IS NOT NULL),"
		" (SELECT count(*) FROM meeting_action a WHERE a.meeting = l.meeting),"
		" (SELECT count(*) FROM meeting_action a WHERE a.meeting = l.meeting"
		"   AND a.status = 'open'),"
		" l.pupil_conversations, l.parents_informed"
		" FROM meeting_log l WHERE l.meeting = ?";
	struct pv_plan_filter pf = { .unit = filter->unit, .from = filter->from,
				     .to = filter->to, .include_cancelled = true };
	struct pv_plan *plan = NULL;
	sqlite3_stmt *st = NULL;
	int n = 0;
	enum pv_status status = pv_plan_load(db, &pf, &plan, err);

	if (status == PV_OK)
		status = pv_db_prepare(db, sql, &st, err);
	for (size_t i = 0; status == PV_OK && i < pv_plan_count(plan); i++) {
		const struct pv_meeting *m = pv_plan_at(plan, i);
		struct pv_log_summary s = { .meeting = m, .pupil_conversations = -1 };
		int rc;

		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, m->id);
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW) {
			s.logged = true;
			s.leader = col(st, 0);
			s.present = 1 + sqlite3_column_int(st, 1);
			s.guests = sqlite3_column_int(st, 2);
			s.cases = sqlite3_column_int(st, 3);
			s.consent_cases = sqlite3_column_int(st, 4);
			s.actions = sqlite3_column_int(st, 5);
			s.open_actions = sqlite3_column_int(st, 6);
			if (sqlite3_column_type(st, 7) != SQLITE_NULL)
				s.pupil_conversations = sqlite3_column_int(st, 7);
			s.parents_informed = col_date(st, 8);
		} else if (rc != SQLITE_DONE) {
			status = pv_db_fail(db, "cannot read the meeting log", err);
			break;
		}
		if (filter->unlogged && (s.logged || m->status == PV_MEETING_CANCELLED ||
					 m->date >= filter->today))
			continue;
		if (filter->parents_not_informed &&
		    (!s.logged || s.pupil_conversations <= 0 || s.parents_informed))
			continue;
		n++;
		if (fn)
			fn(&s, arg);
	}
	sqlite3_finalize(st);
	pv_plan_free(plan);
	if (count)
		*count = n;
	return status;
}

enum pv_status pv_log_actions(struct pv_db *db, const struct pv_action_filter *filter,
			      pv_log_action_fn fn, void *arg, int *count, struct pv_error *err)
{
	static const char sql[] =
		"SELECT a.id, a.person, a.role, a.what, a.due, a.status, a.done_date,"
		" a.meeting, m.date, m.unit FROM meeting_action a"
		" JOIN meeting m ON m.id = a.meeting"
		" WHERE (?1 IS NULL OR m.unit = ?1 OR m.host = ?1"
		"        OR m.unit IN (SELECT group_slug FROM unit WHERE slug = ?1))"
		"  AND (?2 = 0 OR a.status = 'open')"
		"  AND (?3 IS NULL OR (a.status = 'open' AND a.due < ?3))"
		" ORDER BY a.due, a.id";
	sqlite3_stmt *st;
	char today[11];
	int n = 0, rc;
	enum pv_status status = pv_db_prepare(db, sql, &st, err);

	if (status != PV_OK)
		return status;
	sqlite3_bind_text(st, 1, filter->unit, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, filter->open || filter->overdue);
	if (filter->overdue)
		sqlite3_bind_text(st, 3, pv_date_format(filter->today, today), -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct pv_log_action a = {
			.id = sqlite3_column_int64(st, 0),
			.responsible = col(st, 1) ? col(st, 1) : col(st, 2),
			.is_person = col(st, 1) != NULL,
			.what = col(st, 3),
			.due = col_date(st, 4),
			.status = col(st, 5) && strcmp(col(st, 5), "done") == 0 ?
				PV_ACTION_DONE : PV_ACTION_OPEN,
			.done = col_date(st, 6),
		};
		struct pv_log_action_row row = {
			.action = &a,
			.meeting = sqlite3_column_int64(st, 7),
			.meeting_date = col_date(st, 8),
			.unit = col(st, 9),
		};
		n++;
		if (fn)
			fn(&row, arg);
	}
	if (rc != SQLITE_DONE)
		status = pv_db_fail(db, "cannot read actions", err);
	sqlite3_finalize(st);
	if (count)
		*count = n;
	return status;
}
