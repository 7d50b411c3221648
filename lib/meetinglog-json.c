/* The meeting log as JSON (schema patvers/log/1): import and export. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patvers/i18n.h"
#include "patvers/meetinglog.h"

#define LOG_SCHEMA "patvers/log/1"

/* ---- reading ---- */

struct reader {
	const char *file;
	struct pv_error *err;
	char path[256];       /* the JSON path of the value being read */
};

static enum pv_status jfail(struct reader *r, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* "<file>: <path>.<key>: <what>" */
static enum pv_status jfail(struct reader *r, const char *key, const char *fmt, ...)
{
	char what[700];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof what, _(fmt), ap);   /* translated */
	va_end(ap);
	return pv_error_set_at(r->err, PV_EDATA, r->file, 0, 0, "%s%s%s: %s", r->path,
			       key && *r->path ? "." : "", key ? key : "", what);
}

/* The keys an object may have; anything else is refused, so a typo is
 * not silently ignored. */
static enum pv_status known_keys(struct reader *r, const json_t *obj, const char *const *keys)
{
	const char *key;
	json_t *value;

	json_object_foreach((json_t *)obj, key, value) {
		size_t i = 0;
		while (keys[i] && strcmp(keys[i], key) != 0)
			i++;
		if (!keys[i]) {
			char clean[64];
			size_t n = 0;
			for (; key[n] && n < sizeof clean - 1; n++)
				clean[n] = (unsigned char)key[n] < 0x20 ? '?' : key[n];
			clean[n] = '\0';
			return jfail(r, clean, "unknown key");
		}
	}
	return PV_OK;
}

/* A string member; *out NULL when absent. */
static enum pv_status get_string(struct reader *r, const json_t *obj, const char *key,
				 bool required, const char **out)
{
	const json_t *v = json_object_get(obj, key);

	*out = NULL;
	if (!v || json_is_null(v)) {
		if (required)
			return jfail(r, key, "missing");
		return PV_OK;
	}
	if (!json_is_string(v))
		return jfail(r, key, "expected a string");
	*out = json_string_value(v);
	return PV_OK;
}

static enum pv_status get_date(struct reader *r, const json_t *obj, const char *key,
			       bool required, pv_date *out)
{
	const char *text;
	enum pv_status status = get_string(r, obj, key, required, &text);

	*out = 0;
	if (status != PV_OK || !text)
		return status;
	if (!pv_date_parse(text, out))
		return jfail(r, key, "'%.40s' is not a date (YYYY-MM-DD)", text);
	return PV_OK;
}

/* An integer member in lo..hi; *out unchanged when absent. */
static enum pv_status get_int(struct reader *r, const json_t *obj, const char *key,
			      long long lo, long long hi, long long *out)
{
	const json_t *v = json_object_get(obj, key);

	if (!v || json_is_null(v))
		return PV_OK;
	if (!json_is_integer(v))
		return jfail(r, key, "expected an integer");
	if (json_integer_value(v) < lo || json_integer_value(v) > hi)
		return jfail(r, key, "%lld is out of range %lld..%lld",
			     (long long)json_integer_value(v), lo, hi);
	*out = json_integer_value(v);
	return PV_OK;
}

static enum pv_status get_array(struct reader *r, const json_t *obj, const char *key,
				const json_t **out)
{
	const json_t *v = json_object_get(obj, key);

	*out = NULL;
	if (!v || json_is_null(v))
		return PV_OK;
	if (!json_is_array(v))
		return jfail(r, key, "expected an array");
	*out = v;
	return PV_OK;
}

/* Pushes "[i]" or ".key[i]" onto the path; returns the old length. */
static size_t push(struct reader *r, const char *key, size_t i)
{
	size_t n = strlen(r->path);

	snprintf(r->path + n, sizeof r->path - n, "%s%s[%zu]", key && n ? "." : "",
		 key ? key : "", i);
	return n;
}

static void pop(struct reader *r, size_t n)
{
	r->path[n] = '\0';
}

/* The origin of the value at the current path: "meetings[0].cases[1]." */
static struct pv_log_origin here(struct reader *r, char buf[260])
{
	snprintf(buf, 260, "%s.", r->path);
	return (struct pv_log_origin){ 0, buf };
}

static enum pv_status read_attendees(struct reader *r, struct pv_meeting_log *log,
				     const json_t *m)
{
	const json_t *list, *el;
	char where[260];
	size_t i, n;
	enum pv_status status = get_array(r, m, "attendees", &list);

	json_array_foreach(list, i, el) {
		if (status != PV_OK)
			break;
		n = push(r, "attendees", i);
		if (!json_is_string(el))
			status = jfail(r, NULL, "expected a person id");
		else
			status = pv_log_add_attendee(log, json_string_value(el), NULL,
						     here(r, where), r->err);
		pop(r, n);
	}
	if (status == PV_OK)
		status = get_array(r, m, "substitutes", &list);
	json_array_foreach(list, i, el) {
		static const char *const keys[] = { "person", "for", NULL };
		const char *person = NULL, *replaced = NULL;

		if (status != PV_OK)
			break;
		n = push(r, "substitutes", i);
		if (!json_is_object(el))
			status = jfail(r, NULL, "expected an object {\"person\": …, \"for\": …}");
		if (status == PV_OK)
			status = known_keys(r, el, keys);
		if (status == PV_OK)
			status = get_string(r, el, "person", true, &person);
		if (status == PV_OK)
			status = get_string(r, el, "for", true, &replaced);
		if (status == PV_OK)
			status = pv_log_add_attendee(log, person, replaced, here(r, where), r->err);
		pop(r, n);
	}
	return status;
}

static enum pv_status read_guests(struct reader *r, struct pv_meeting_log *log,
				  const json_t *m)
{
	static const char *const keys[] = { "role", "count", NULL };
	const json_t *list, *el;
	char where[260];
	size_t i, n;
	enum pv_status status = get_array(r, m, "guests", &list);

	json_array_foreach(list, i, el) {
		const char *role = NULL;
		long long count = 1;

		if (status != PV_OK)
			break;
		n = push(r, "guests", i);
		if (!json_is_object(el))
			status = jfail(r, NULL, "expected an object {\"role\": …, \"count\": …}");
		if (status == PV_OK)
			status = known_keys(r, el, keys);
		if (status == PV_OK)
			status = get_string(r, el, "role", true, &role);
		if (status == PV_OK)
			status = get_int(r, el, "count", 1, 99, &count);
		if (status == PV_OK)
			status = pv_log_add_guest(log, role, (int)count, here(r, where), r->err);
		pop(r, n);
	}
	return status;
}

static enum pv_status read_cases(struct reader *r, struct pv_meeting_log *log,
				 const json_t *m)
{
	static const char *const keys[] = { "theme", "consent", NULL };
	const json_t *list, *el;
	char where[260];
	size_t i, n;
	enum pv_status status = get_array(r, m, "cases", &list);

	json_array_foreach(list, i, el) {
		const char *theme = NULL, *ref = NULL;

		if (status != PV_OK)
			break;
		n = push(r, "cases", i);
		if (!json_is_object(el))
			status = jfail(r, NULL, "expected an object {\"theme\": …}");
		if (status == PV_OK)
			status = known_keys(r, el, keys);
		if (status == PV_OK)
			status = get_string(r, el, "theme", true, &theme);
		if (status == PV_OK)
			status = get_string(r, el, "consent", false, &ref);
		if (status == PV_OK)
			status = pv_log_add_case(log, ref, theme, here(r, where), r->err);
		pop(r, n);
	}
	return status;
}

static enum pv_status read_action(struct reader *r, struct pv_meeting_log *log,
				  const json_t *el)
{
	static const char *const keys[] = { "person", "role", "what", "due", "status", "done",
					    NULL };
	struct pv_log_action a = { 0 };
	const char *person = NULL, *role = NULL, *state = NULL;
	char where[260];
	enum pv_status status;

	if (!json_is_object(el))
		return jfail(r, NULL, "expected an object {\"person\"|\"role\": …, \"what\": …, "
			     "\"due\": …}");
	status = known_keys(r, el, keys);
	if (status == PV_OK)
		status = get_string(r, el, "person", false, &person);
	if (status == PV_OK)
		status = get_string(r, el, "role", false, &role);
	if (status == PV_OK && !person == !role)
		status = jfail(r, NULL, "give either \"person\" or \"role\"");
	if (status == PV_OK)
		status = get_string(r, el, "what", true, &a.what);
	if (status == PV_OK)
		status = get_date(r, el, "due", true, &a.due);
	if (status == PV_OK)
		status = get_string(r, el, "status", false, &state);
	if (status == PV_OK && state && strcmp(state, "open") && strcmp(state, "done"))
		status = jfail(r, "status", "'%.40s' is not open or done", state);
	if (status == PV_OK)
		status = get_date(r, el, "done", false, &a.done);
	if (status != PV_OK)
		return status;
	a.status = state && strcmp(state, "done") == 0 ? PV_ACTION_DONE : PV_ACTION_OPEN;
	if (a.status == PV_ACTION_OPEN && a.done)
		return jfail(r, "done", "an open action has no done date");
	a.responsible = person ? person : role;
	a.at = here(r, where);
	return pv_log_add_action(log, &a, r->err);
}

static enum pv_status read_actions(struct reader *r, struct pv_meeting_log *log,
				   const json_t *m)
{
	const json_t *list, *el;
	size_t i, n;
	enum pv_status status = get_array(r, m, "actions", &list);

	json_array_foreach(list, i, el) {
		if (status != PV_OK)
			break;
		n = push(r, "actions", i);
		status = read_action(r, log, el);
		pop(r, n);
	}
	return status;
}

static enum pv_status read_meeting(struct reader *r, const json_t *m,
				   struct pv_meeting_log **out)
{
	static const char *const keys[] = {
		"meeting", "uid", "date", "unit", "kind", "leader", "attendees", "substitutes",
		"guests", "cases", "actions", "staff_consultations", "pupil_conversations",
		"parents_informed", "experience", NULL,
	};
	/* a cancelled meeting has its reason and nothing of a log */
	static const char *const cancelled_keys[] = {
		"meeting", "uid", "date", "unit", "kind", "cancelled", NULL,
	};
	const char *reason = NULL;
	struct pv_meeting_log *log;
	long long id = 0, staff = -1, pupil = -1;
	const char *uid = NULL, *unit = NULL, *kind = NULL, *leader = NULL, *experience = NULL;
	char where[260];
	bool oom = false;
	enum pv_status status;

	*out = NULL;
	if (!json_is_object(m))
		return jfail(r, NULL, "expected an object, one per meeting");
	status = get_string(r, m, "cancelled", false, &reason);
	if (status == PV_OK)
		status = known_keys(r, m, reason ? cancelled_keys : keys);
	if (status == PV_OK && reason && !*reason)
		status = jfail(r, "cancelled", "give the reason the meeting was cancelled");
	if (status == PV_OK)
		status = get_int(r, m, "meeting", 1, (long long)1 << 53, &id);
	if (status == PV_OK)
		status = get_string(r, m, "uid", false, &uid);
	if (status == PV_OK && !id && !uid)
		status = jfail(r, NULL, "name the meeting with \"meeting\" (its id) or \"uid\"");
	if (status != PV_OK)
		return status;
	log = pv_log_new(id);
	if (!log)
		return pv_error_set(r->err, PV_ESOFTWARE, "out of memory");
	log->file = pv_log_keep(log, r->file, &oom);
	log->at = here(r, where);
	log->at.where = pv_log_keep(log, log->at.where, &oom);
	log->leader_at = log->experience_at = log->counts_at = log->at;
	log->uid = id ? NULL : pv_log_keep(log, uid, &oom);
	status = get_string(r, m, "unit", false, &unit);
	if (status == PV_OK)
		status = get_string(r, m, "kind", false, &kind);
	if (status == PV_OK)
		status = get_date(r, m, "date", false, &log->expect_date);
	if (status == PV_OK) {
		log->expect_unit = pv_log_keep(log, unit, &oom);
		log->expect_kind = pv_log_keep(log, kind, &oom);
		log->cancel_reason = pv_log_keep(log, reason, &oom);
		if (reason) {
			if (oom)
				status = pv_error_set(r->err, PV_ESOFTWARE, "out of memory");
			if (status != PV_OK) {
				pv_log_free(log);
				return status;
			}
			*out = log;
			return PV_OK;
		}
		status = get_string(r, m, "leader", true, &leader);
	}
	if (status == PV_OK)
		status = pv_log_set_leader(log, leader, log->at, r->err);
	if (status == PV_OK)
		status = read_attendees(r, log, m);
	if (status == PV_OK)
		status = read_guests(r, log, m);
	if (status == PV_OK)
		status = read_cases(r, log, m);
	if (status == PV_OK)
		status = read_actions(r, log, m);
	if (status == PV_OK)
		status = get_int(r, m, "staff_consultations", 0, 999, &staff);
	if (status == PV_OK)
		status = get_int(r, m, "pupil_conversations", 0, 999, &pupil);
	if (status == PV_OK)
		status = get_date(r, m, "parents_informed", false, &log->parents_informed);
	if (status == PV_OK)
		status = get_string(r, m, "experience", false, &experience);
	if (status == PV_OK)
		status = pv_log_set_experience(log, experience, log->at, r->err);
	if (status == PV_OK && oom)
		status = pv_error_set(r->err, PV_ESOFTWARE, "out of memory");
	log->staff_consultations = (int)staff;
	log->pupil_conversations = (int)pupil;
	if (status != PV_OK) {
		pv_log_free(log);
		return status;
	}
	*out = log;
	return PV_OK;
}

enum pv_status pv_log_parse_json(const char *text, size_t len, const char *file,
				 struct pv_meeting_log ***logs, size_t *n,
				 struct pv_error *err)
{
	static const char *const keys[] = { "schema", "meetings", NULL };
	struct reader r = { .file = file, .err = err };
	struct pv_meeting_log **out = NULL;
	const json_t *meetings = NULL, *el;
	const char *schema = NULL;
	json_error_t je;
	json_t *doc;
	size_t i;
	enum pv_status status;

	*logs = NULL;
	*n = 0;
	doc = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
	if (!doc)
		return pv_error_set_at(err, PV_EDATA, file, je.line, je.column, "%s", je.text);
	if (!json_is_object(doc)) {
		json_decref(doc);
		return pv_error_set_at(err, PV_EDATA, file, 0, 0, "expected an object "
				       "{\"schema\": \"%s\", \"meetings\": […]}", LOG_SCHEMA);
	}
	status = known_keys(&r, doc, keys);
	if (status == PV_OK)
		status = get_string(&r, doc, "schema", true, &schema);
	if (status == PV_OK && strcmp(schema, LOG_SCHEMA) != 0)
		status = jfail(&r, "schema", "'%.40s' is not %s", schema, LOG_SCHEMA);
	if (status == PV_OK)
		status = get_array(&r, doc, "meetings", &meetings);
	if (status == PV_OK && !meetings)
		status = jfail(&r, "meetings", "missing");
	if (status == PV_OK && json_array_size(meetings) > 0) {
		out = calloc(json_array_size(meetings), sizeof *out);
		if (!out)
			status = pv_error_set(err, PV_ESOFTWARE, "out of memory");
	}
	json_array_foreach(meetings, i, el) {
		size_t mark;

		if (status != PV_OK)
			break;
		mark = push(&r, "meetings", i);
		status = read_meeting(&r, el, &out[i]);
		pop(&r, mark);
	}
	if (status != PV_OK) {
		pv_log_array_free(out, json_array_size(meetings));
		json_decref(doc);
		return status;
	}
	*logs = out;
	*n = json_array_size(meetings);
	json_decref(doc);
	return PV_OK;
}

/* ---- writing ---- */

static int set_str(json_t *obj, const char *key, const char *value)
{
	return json_object_set_new(obj, key, value ? json_string(value) : json_null());
}

static int set_date(json_t *obj, const char *key, pv_date d)
{
	char buf[11];

	return set_str(obj, key, pv_date_format(d, buf));
}

static json_t *action_json(const struct pv_log_action *a)
{
	json_t *o = json_object();

	if (!o)
		return NULL;
	if (set_str(o, a->is_person ? "person" : "role", a->responsible) ||
	    set_str(o, "what", a->what) || set_date(o, "due", a->due) ||
	    set_str(o, "status", pv_action_status_name(a->status)) ||
	    (a->status == PV_ACTION_DONE && set_date(o, "done", a->done))) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/* The meeting's identity: what an import checks it against. */
static bool set_identity(json_t *o, const struct pv_meeting *m)
{
	return json_object_set_new(o, "meeting", json_integer(m->id)) ||
	       set_str(o, "uid", m->uid) || set_date(o, "date", m->date) ||
	       set_str(o, "unit", m->unit) || set_str(o, "kind", pv_meeting_kind_name(m->kind));
}

static json_t *cancelled_json(const struct pv_meeting *m)
{
	json_t *o = json_object();

	if (o && (set_identity(o, m) ||
		  set_str(o, "cancelled", m->cancel_reason ? m->cancel_reason : "-"))) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/* One meeting's log, the keys in the order the format documents. */
static json_t *log_json(const struct pv_meeting *m, const struct pv_meeting_log *log)
{
	json_t *o = json_object(), *att = json_array(), *subs = json_array();
	json_t *guests = json_array(), *cases = json_array(), *actions = json_array();
	bool bad = !o || !att || !subs || !guests || !cases || !actions;

	for (size_t i = 0; !bad && i < log->nattendees; i++) {
		const struct pv_log_attendee *a = &log->attendees[i];
		if (!a->substitute_for) {
			bad = json_array_append_new(att, json_string(a->person)) != 0;
			continue;
		}
		json_t *s = json_object();
		bad = !s || set_str(s, "person", a->person) ||
		      set_str(s, "for", a->substitute_for) || json_array_append_new(subs, s);
	}
	for (size_t i = 0; !bad && i < log->nguests; i++) {
		json_t *g = json_object();
		bad = !g || set_str(g, "role", log->guests[i].role) ||
		      json_object_set_new(g, "count", json_integer(log->guests[i].count)) ||
		      json_array_append_new(guests, g);
	}
	for (size_t i = 0; !bad && i < log->ncases; i++) {
		json_t *c = json_object();
		bad = !c || set_str(c, "theme", log->cases[i].theme) ||
		      (log->cases[i].consent_ref &&
		       set_str(c, "consent", log->cases[i].consent_ref)) ||
		      json_array_append_new(cases, c);
	}
	for (size_t i = 0; !bad && i < log->nactions; i++) {
		json_t *a = action_json(&log->actions[i]);
		bad = !a || json_array_append_new(actions, a);
	}
	if (!bad)
		bad = set_identity(o, m) || set_str(o, "leader", log->leader);
	if (!bad) {
		bad = json_object_set(o, "attendees", att) ||
		      json_object_set(o, "substitutes", subs) ||
		      json_object_set(o, "guests", guests) ||
		      json_object_set(o, "cases", cases) ||
		      json_object_set(o, "actions", actions);
	}
	if (!bad && log->staff_consultations >= 0)
		bad = json_object_set_new(o, "staff_consultations",
					  json_integer(log->staff_consultations));
	if (!bad && log->pupil_conversations >= 0)
		bad = json_object_set_new(o, "pupil_conversations",
					  json_integer(log->pupil_conversations));
	if (!bad && log->parents_informed)
		bad = set_date(o, "parents_informed", log->parents_informed);
	if (!bad)
		bad = set_str(o, "experience", log->experience ? log->experience : "");
	json_decref(att);
	json_decref(subs);
	json_decref(guests);
	json_decref(cases);
	json_decref(actions);
	if (bad) {
		json_decref(o);
		return NULL;
	}
	return o;
}

enum pv_status pv_log_export(struct pv_db *db, const struct pv_log_filter *filter,
			     json_t **doc, struct pv_error *err)
{
	struct pv_plan_filter pf = { .include_cancelled = true };
	struct pv_plan *plan = NULL;
	json_t *out = json_object(), *meetings = json_array();
	enum pv_status status = PV_OK;

	*doc = NULL;
	if (filter) {
		pf.unit = filter->unit;
		pf.from = filter->from;
		pf.to = filter->to;
	}
	if (!out || !meetings || set_str(out, "schema", LOG_SCHEMA) ||
	    json_object_set(out, "meetings", meetings))
		status = pv_error_set(err, PV_ESOFTWARE, "out of memory");
	if (status == PV_OK)
		status = pv_plan_load(db, &pf, &plan, err);
	for (size_t i = 0; status == PV_OK && i < pv_plan_count(plan); i++) {
		const struct pv_meeting *m = pv_plan_at(plan, i);
		struct pv_meeting_log *log = NULL;
		json_t *o;

		if (m->status == PV_MEETING_CANCELLED) {
			o = cancelled_json(m);
			if (!o || json_array_append_new(meetings, o))
				status = pv_error_set(err, PV_ESOFTWARE, "out of memory");
			continue;
		}
		status = pv_log_load(db, m->id, &log, err);
		if (status != PV_OK || !log)
			continue;
		o = log_json(m, log);
		if (!o || json_array_append_new(meetings, o))
			status = pv_error_set(err, PV_ESOFTWARE, "out of memory");
		pv_log_free(log);
	}
	pv_plan_free(plan);
	json_decref(meetings);
	if (status != PV_OK) {
		json_decref(out);
		return status;
	}
	*doc = out;
	return PV_OK;
}
