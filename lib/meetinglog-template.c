/* The meeting log as an editor template (git-commit style) and back. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patvers/csvio.h"
#include "patvers/meetinglog.h"

/* ---- a growing string ---- */

struct sb {
	char *buf;
	size_t len, cap;
	bool oom;
};

static void sb_add(struct sb *s, const char *text, size_t n)
{
	if (s->oom)
		return;
	if (s->len + n + 1 > s->cap) {
		size_t cap = s->cap ? s->cap : 1024;
		char *grown;
		while (s->len + n + 1 > cap)
			cap *= 2;
		grown = realloc(s->buf, cap);
		if (!grown) {
			s->oom = true;
			return;
		}
		s->buf = grown;
		s->cap = cap;
	}
	memcpy(s->buf + s->len, text, n);
	s->len += n;
	s->buf[s->len] = '\0';
}

static void sb_printf(struct sb *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void sb_printf(struct sb *s, const char *fmt, ...)
{
	char small[512], *big = NULL;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0) {
		s->oom = true;
		return;
	}
	if ((size_t)n < sizeof small) {
		sb_add(s, small, (size_t)n);
		return;
	}
	big = malloc((size_t)n + 1);
	if (!big) {
		s->oom = true;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	va_end(ap);
	sb_add(s, big, (size_t)n);
	free(big);
}

/* ---- writing the template ---- */

/* Comment lines "# Label: a, b, c" wrapped at 72 columns. */
struct wrap {
	struct sb *s;
	size_t col;
	bool first;
};

static void wrap_begin(struct wrap *w, struct sb *s, const char *label)
{
	w->s = s;
	w->first = true;
	sb_printf(s, "# %s:", label);
	w->col = strlen(label) + 3;
}

static void wrap_item(struct wrap *w, const char *item)
{
	size_t n = strlen(item) + 2;

	if (!w->first)
		sb_add(w->s, ",", 1);
	if (w->col + n > 72 && !w->first) {
		sb_add(w->s, "\n#  ", 4);
		w->col = 3;
	}
	sb_printf(w->s, " %s", item);
	w->col += n;
	w->first = false;
}

static void wrap_end(struct wrap *w)
{
	sb_add(w->s, "\n", 1);
}

static void rules_list(struct sb *s, const struct pv_rules *rules, const char *label,
		       const char *path)
{
	const json_t *list = pv_rules_get(rules, path), *el;
	struct wrap w;
	size_t i;

	wrap_begin(&w, s, label);
	json_array_foreach(list, i, el)
		if (json_is_string(el))
			wrap_item(&w, json_string_value(el));
	wrap_end(&w);
}

static void help(struct sb *s, const struct pv_meeting *m, const struct pv_roster *roster,
		 const struct pv_rules *rules)
{
	const struct pv_unit *u = pv_roster_unit(roster, m->unit);
	const struct pv_assignment *team;
	char date[11], start[6], end[6], item[160];
	size_t n = 0;
	struct wrap w;

	sb_printf(s, "# Log for meeting %lld: %s at %s (%s)\n", m->id,
		  pv_meeting_kind_name(m->kind), u ? u->name : m->unit, m->unit);
	sb_printf(s, "# %s %s %s–%s\n", pv_weekday_name(pv_date_weekday(m->date)),
		  pv_date_format(m->date, date), pv_time_format(m->start, start),
		  pv_time_format(m->end, end));
	sb_printf(s, "#\n"
		  "# One item per line as \"key: value\"; lines starting with '#' are\n"
		  "# ignored. Save and quit to store the log; empty the file to store\n"
		  "# nothing.\n"
		  "#\n"
		  "#   leader: PERSON              who led the meeting (required)\n"
		  "#   attendee: PERSON            one line per person present\n"
		  "#   substitute: PERSON:FOR      PERSON came in place of FOR\n"
		  "#   guest: ROLE[:COUNT]         guests by role and count, never by name\n"
		  "#   case: anon: THEME           a case discussed anonymously\n"
		  "#   case: consent: REF: THEME   a case discussed with consent REF\n"
		  "#   action: WHO | WHAT | DUE    WHO a person id or a role, DUE a date;\n"
		  "#                               add \"| done DATE\" when it is done\n");
	if (m->kind == PV_MEETING_APEN_DOR)
		sb_printf(s, "#   staff-consultations: N      «Åpen dør»: talks with staff\n"
			  "#   pupil-conversations: N      «Åpen dør»: barnevern talked with pupils\n"
			  "#   parents-informed: DATE      when the parents were told\n");
	sb_printf(s, "#   experience:                 last: the rest of the file is the\n"
		  "#                               experiences from the cooperation\n"
		  "#\n"
		  "# Never write a child's name, national identity number, phone number\n"
		  "# or e-mail address: the log refuses them.\n"
		  "#\n");
	team = pv_roster_team(roster, m->unit, &n);
	wrap_begin(&w, s, "Team");
	for (size_t i = 0; i < n; i++) {
		snprintf(item, sizeof item, "%s (%s)", team[i].person->slug, team[i].role);
		wrap_item(&w, item);
	}
	wrap_end(&w);
	rules_list(s, rules, "Themes", "themes");
	rules_list(s, rules, "Guest roles", "log.guest_roles");
	sb_add(s, "\n", 1);
}

/* Prefills a new log from the plan: its leader and participants. */
static void from_plan(struct sb *s, const struct pv_meeting *m)
{
	sb_printf(s, "leader: %s\n", m->leader ? m->leader : "");
	for (size_t i = 0; i < m->nparticipants; i++) {
		const struct pv_participant *p = &m->participants[i];
		if (p->substitute_for)
			sb_printf(s, "substitute: %s:%s\n", p->person, p->substitute_for);
		else if (!m->leader || strcmp(p->person, m->leader) != 0)
			sb_printf(s, "attendee: %s\n", p->person);
	}
	sb_add(s, "case: \naction: \n", 16);
}

static void from_log(struct sb *s, const struct pv_meeting_log *log)
{
	char due[11], done[11];

	sb_printf(s, "leader: %s\n", log->leader ? log->leader : "");
	for (size_t i = 0; i < log->nattendees; i++) {
		const struct pv_log_attendee *a = &log->attendees[i];
		if (a->substitute_for)
			sb_printf(s, "substitute: %s:%s\n", a->person, a->substitute_for);
		else
			sb_printf(s, "attendee: %s\n", a->person);
	}
	for (size_t i = 0; i < log->nguests; i++)
		sb_printf(s, "guest: %s:%d\n", log->guests[i].role, log->guests[i].count);
	for (size_t i = 0; i < log->ncases; i++) {
		const struct pv_log_case *c = &log->cases[i];
		if (c->consent_ref)
			sb_printf(s, "case: consent: %s: %s\n", c->consent_ref, c->theme);
		else
			sb_printf(s, "case: anon: %s\n", c->theme);
	}
	for (size_t i = 0; i < log->nactions; i++) {
		const struct pv_log_action *a = &log->actions[i];
		if (a->id)
			sb_printf(s, "action #%lld: ", a->id);
		else
			sb_add(s, "action: ", 8);
		sb_printf(s, "%s | %s | %s", a->responsible, a->what, pv_date_format(a->due, due));
		if (a->status == PV_ACTION_DONE)
			sb_printf(s, " | done %s", pv_date_format(a->done, done));
		sb_add(s, "\n", 1);
	}
}

static void counts(struct sb *s, const struct pv_meeting_log *log)
{
	char date[11];

	sb_add(s, "staff-consultations:", 20);
	if (log && log->staff_consultations >= 0)
		sb_printf(s, " %d", log->staff_consultations);
	sb_add(s, "\npupil-conversations:", 21);
	if (log && log->pupil_conversations >= 0)
		sb_printf(s, " %d", log->pupil_conversations);
	sb_add(s, "\nparents-informed:", 18);
	if (log && log->parents_informed)
		sb_printf(s, " %s", pv_date_format(log->parents_informed, date));
	sb_add(s, "\n", 1);
}

char *pv_log_template(const struct pv_meeting *m, const struct pv_meeting_log *log,
		      const struct pv_roster *roster, const struct pv_rules *rules)
{
	struct sb s = { 0 };

	help(&s, m, roster, rules);
	if (log)
		from_log(&s, log);
	else
		from_plan(&s, m);
	if (m->kind == PV_MEETING_APEN_DOR)
		counts(&s, log);
	sb_printf(&s, "\nexperience:\n%s%s", log && log->experience ? log->experience : "",
		  log && log->experience && *log->experience ? "\n" : "");
	if (s.oom) {
		free(s.buf);
		return NULL;
	}
	return s.buf;
}

/* ---- reading it back ---- */

enum key {
	K_LEADER, K_ATTENDEE, K_SUBSTITUTE, K_GUEST, K_CASE, K_ACTION, K_STAFF, K_PUPIL,
	K_INFORMED, K_EXPERIENCE,
};

static const struct {
	const char *name;
	enum key key;
} keys[] = {
	{ "leader", K_LEADER }, { "møteleder", K_LEADER }, { "leder", K_LEADER },
	{ "attendee", K_ATTENDEE }, { "deltaker", K_ATTENDEE },
	{ "substitute", K_SUBSTITUTE }, { "stedfortreder", K_SUBSTITUTE },
	{ "guest", K_GUEST }, { "gjest", K_GUEST },
	{ "case", K_CASE }, { "sak", K_CASE },
	{ "action", K_ACTION }, { "tiltak", K_ACTION },
	{ "staff-consultations", K_STAFF }, { "pupil-conversations", K_PUPIL },
	{ "parents-informed", K_INFORMED },
	{ "experience", K_EXPERIENCE }, { "erfaringer", K_EXPERIENCE },
};

/* The key of "action #12" and similar: the name and an optional id. */
static bool parse_key(char *text, enum key *key, long long *id)
{
	char *hash = strchr(text, '#'), *end;

	*id = 0;
	if (hash) {
		*id = strtoll(hash + 1, &end, 10);
		if (end == hash + 1 || *end || *id <= 0)
			return false;
		*hash = '\0';
	}
	pv_csv_trim(text);
	for (char *p = text; *p; p++)
		if (*p == '_')
			*p = '-';
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		if (pv_csv_name_equal(text, keys[i].name)) {
			*key = keys[i].key;
			return !hash || *key == K_ACTION;
		}
	return false;
}

static bool blank(const char *s)
{
	return s[strspn(s, " \t\r\n")] == '\0';
}

/* A count line; an empty value means "not given". */
static enum pv_status parse_count(struct pv_meeting_log *log, struct pv_log_origin at,
				  const char *name, const char *value, int *out,
				  struct pv_error *err)
{
	char *end;
	long n;

	if (*out >= 0)
		return pv_error_set_at(err, PV_EDATA, log->file, at.line, 0, "%s: given twice",
				       name);
	if (!*value)
		return PV_OK;
	n = strtol(value, &end, 10);
	if (*end || n < 0 || n > 999)
		return pv_error_set_at(err, PV_EDATA, log->file, at.line, 0, "%s: '%s' is not a "
				       "count (0–999)", name, value);
	*out = (int)n;
	log->counts_at = at;
	return PV_OK;
}

/* One "key: value" line before the experience. */
static enum pv_status parse_line(struct pv_meeting_log *log, enum key key, long long id,
				 char *value, struct pv_log_origin at, struct pv_error *err)
{
	switch (key) {
	case K_LEADER:
		return *value ? pv_log_set_leader(log, value, at, err) : PV_OK;
	case K_ATTENDEE:
		return *value ? pv_log_add_attendee(log, value, NULL, at, err) : PV_OK;
	case K_SUBSTITUTE:
		return *value ? pv_log_parse_substitute(log, value, at, err) : PV_OK;
	case K_GUEST:
		return *value ? pv_log_parse_guest(log, value, at, err) : PV_OK;
	case K_CASE:
		return *value ? pv_log_parse_case(log, value, at, err) : PV_OK;
	case K_ACTION:
		if (!*value && id)
			return pv_error_set_at(err, PV_EDATA, log->file, at.line, 0, "action #%lld: "
					       "delete the whole line to drop an action", id);
		return *value ? pv_log_parse_action(log, value, id, at, err) : PV_OK;
	case K_STAFF:
		return parse_count(log, at, "staff-consultations", value,
				   &log->staff_consultations, err);
	case K_PUPIL:
		return parse_count(log, at, "pupil-conversations", value,
				   &log->pupil_conversations, err);
	case K_INFORMED:
		if (log->parents_informed)
			return pv_error_set_at(err, PV_EDATA, log->file, at.line, 0,
					       "parents-informed: given twice");
		if (*value && !pv_date_parse(value, &log->parents_informed))
			return pv_error_set_at(err, PV_EDATA, log->file, at.line, 0,
					       "parents-informed: '%s' is not a date", value);
		if (*value)
			log->counts_at = at;
		return PV_OK;
	case K_EXPERIENCE:
		break;
	}
	return PV_OK;
}

enum pv_status pv_log_parse_template(const char *text, size_t len, const char *file,
				     long long meeting, struct pv_meeting_log **out,
				     struct pv_error *err)
{
	struct pv_meeting_log *log;
	struct sb exp = { 0 };
	const char *p = text, *end = text + len;
	struct pv_log_origin exp_at = { 0, "" };
	bool any = false, in_exp = false, oom = false;
	char *line = NULL;
	long lineno = 0;
	enum pv_status status = PV_OK;

	*out = NULL;
	if (memchr(text, '\0', len))
		return pv_error_set_at(err, PV_EDATA, file, 0, 0, "the text holds a NUL byte");
	log = pv_log_new(meeting);
	if (!log)
		return pv_error_set(err, PV_ESOFTWARE, "out of memory");
	log->file = pv_log_keep(log, file, &oom);
	log->at = (struct pv_log_origin){ 0, "" };
	log->leader_at = log->experience_at = log->counts_at = log->at;
	while (status == PV_OK && p < end && !oom) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		char *colon, *value, *grown;
		struct pv_log_origin at;
		enum key key;
		long long id;

		lineno++;
		grown = realloc(line, n + 1);
		if (!grown) {
			oom = true;
			break;
		}
		line = grown;
		memcpy(line, p, n);
		line[n] = '\0';
		if (n && line[n - 1] == '\r')
			line[n - 1] = '\0';
		p = nl ? nl + 1 : end;
		if (line[strspn(line, " \t")] == '#')
			continue;
		if (in_exp) {
			if (!blank(line))
				any = true;
			sb_printf(&exp, "%s\n", line);
			continue;
		}
		if (blank(line))
			continue;
		any = true;
		at = (struct pv_log_origin){ lineno, "" };
		colon = strchr(line, ':');
		if (!colon) {
			status = pv_error_set_at(err, PV_EDATA, file, lineno, 0, "expected "
						 "'key: value' (see the comments at the top)");
			break;
		}
		*colon = '\0';
		value = pv_csv_trim(colon + 1);
		if (!parse_key(line, &key, &id)) {
			status = pv_error_set_at(err, PV_EDATA, file, lineno, 0, "unknown key "
						 "'%.60s' (see the comments at the top)", line);
			break;
		}
		if (key == K_EXPERIENCE) {
			in_exp = true;
			exp_at = at;
			if (*value)
				sb_printf(&exp, "%s\n", value);
			continue;
		}
		status = parse_line(log, key, id, value, at, err);
	}
	free(line);
	if (status == PV_OK && (oom || exp.oom))
		status = pv_error_set(err, PV_ESOFTWARE, "out of memory");
	if (status == PV_OK)
		status = pv_log_set_experience(log, exp.buf ? exp.buf : "", exp_at, err);
	free(exp.buf);
	if (status != PV_OK || !any) {
		pv_log_free(log);
		return status;
	}
	*out = log;
	return PV_OK;
}
