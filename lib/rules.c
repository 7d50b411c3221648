/* The method as data: the built-in rules, merging, validation and storage. */
#include <ctype.h>
#include <regex.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patvers/audit.h"
#include "patvers/date.h"
#include "patvers/i18n.h"
#include "patvers/rules.h"

#define RULES_SCHEMA "patvers/rules/1"

/*
 * The Holmestrand method (seeds/002, DESIGN.md "The method as data").
 * This text is the only copy of the defaults: it is the type template
 * for validation, the base every import is merged over, and what
 * `patvers rules export` prints. Its key order is the dump order.
 */
static const char default_rules[] =
	"{\n"
	"  \"schema\": \"patvers/rules/1\",\n"
	"  \"method\": \"Holmestrand\",\n"
	"  \"municipality\": \"Holmestrand kommune\",\n"
	"  \"recipient\": \"kommunalsjef Oppvekst\",\n"
	"  \"plan_deadline\": \"06-01\",\n"
	"  \"report_deadlines\": { \"H1\": \"06-15\", \"H2\": \"12-15\" },\n"
	"  \"clash_policy\": \"fail\",\n"
	"  \"meetings\": {\n"
	"    \"kindergarten_systemmote\": {\n"
	"      \"weekday\": \"thursday\",\n"
	"      \"start\": \"12:15\",\n"
	"      \"end\": \"13:45\",\n"
	"      \"fallback_weekdays\": [],\n"
	"      \"min_per_half\": 2,\n"
	"      \"group_size\": 3,\n"
	"      \"min_gap_days\": 21\n"
	"    },\n"
	"    \"school_systemmote\": {\n"
	"      \"weekday\": \"thursday\",\n"
	"      \"start\": \"12:30\",\n"
	"      \"end\": \"14:00\",\n"
	"      \"fallback_weekdays\": [\"tuesday\", \"wednesday\", \"monday\", \"friday\"],\n"
	"      \"min_per_half\": 2,\n"
	"      \"first_within_school_weeks\": 2,\n"
	"      \"min_gap_days\": 21\n"
	"    },\n"
	"    \"naervaer\": {\n"
	"      \"weekday\": \"tuesday\",\n"
	"      \"iso_weeks\": \"odd\",\n"
	"      \"start\": \"13:00\",\n"
	"      \"end\": \"15:00\"\n"
	"    },\n"
	"    \"god_oppvekst\": {\n"
	"      \"per_school_year\": 3,\n"
	"      \"min_per_school_year\": 2,\n"
	"      \"weekday\": \"thursday\",\n"
	"      \"start\": \"09:00\",\n"
	"      \"end\": \"11:00\"\n"
	"    },\n"
	"    \"apen_dor\": {\n"
	"      \"every_weeks\": 2,\n"
	"      \"minutes\": 120,\n"
	"      \"weekday\": \"wednesday\",\n"
	"      \"start\": \"09:00\"\n"
	"    }\n"
	"  },\n"
	"  \"roles\": {\n"
	"    \"school\": [\"rektor\", \"sosiallaerer\", \"radgiver\", \"ppt-radgiver\",\n"
	"               \"helsesykepleier\", \"barnevern-kontakt\"],\n"
	"    \"school_leader\": \"rektor\",\n"
	"    \"ungdomstrinn_only\": [\"radgiver\"],\n"
	"    \"kindergarten\": [\"styrer\", \"pedagogisk-leder\", \"ppt-radgiver\",\n"
	"                     \"bfs-kontakt\", \"barnevern-kontakt\"],\n"
	"    \"kindergarten_leader\": \"styrer\"\n"
	"  },\n"
	"  \"kindergarten_closed\": [\n"
	"    { \"from\": \"07-01\", \"to\": \"07-31\" },\n"
	"    { \"from\": \"12-24\", \"to\": \"12-31\" }\n"
	"  ],\n"
	"  \"themes\": [\"skolevegring\", \"psykisk helse\", \"vold/overgrep\", \"rus\",\n"
	"             \"familie\", \"språk\", \"atferd\", \"sosiale relasjoner\",\n"
	"             \"læring\", \"fravær\"],\n"
	"  \"agenda\": {\n"
	"    \"items\": [\"Presentasjon av innmeldte saker\",\n"
	"              \"Runde der alle er medvirkende i valg av sak eller tema for møtet\",\n"
	"              \"Nødvendige avklaringer: anonymisert drøfting, eller ved samtykke\",\n"
	"              \"Sikre deltakelse fra alle\",\n"
	"              \"Skisse til videre ansvarsfordeling: hvem gjør hva\",\n"
	"              \"Loggføre at møtet er gjennomført\"],\n"
	"    \"first_school_meeting\": [\"Hvordan organiserer vi arbeidet dette året\"]\n"
	"  },\n"
	"  \"anonymity\": { \"deny_patterns\": [] },\n"
	"  \"log\": { \"grace_days\": 3,\n"
	"           \"guest_roles\": [\"foresatt\", \"elev\", \"kontaktlærer\", \"lærer\",\n"
	"                           \"assistent\", \"helsestasjon\", \"fastlege\", \"bup\",\n"
	"                           \"tolk\", \"annen\"] },\n"
	"  \"consent\": { \"self_consent_age\": 15, \"expiry_warning_days\": 30 },\n"
	"  \"report\": { \"suppress_below\": 3 },\n"
	"  \"remind\": { \"within_days\": 14, \"plan_warning_from\": \"05-01\" },\n"
	"  \"fravaer\": {\n"
	"    \"day_minutes\": 360,\n"
	"    \"undocumented_dates\": 3,\n"
	"    \"high_absence_days\": 10,\n"
	"    \"lateness_dates\": 3,\n"
	"    \"lateness_window_days\": 28,\n"
	"    \"leaves_dates\": 2,\n"
	"    \"window_days\": 28,\n"
	"    \"window_min_school_days\": 10,\n"
	"    \"window_percent\": 20\n"
	"  },\n"
	"  \"stafett\": {\n"
	"    \"level0_decide_days\": 14,\n"
	"    \"retention_days\": 365,\n"
	"    \"guide\": [\n"
	"      { \"level\": 0, \"name\": \"undring og bekymring\", \"steps\": [\n"
	"        { \"who\": \"den som er bekymret\",\n"
	"          \"what\": \"Skriv undringen i stafettloggen, uten navn: bruk enhetens referanse\",\n"
	"          \"with\": \"\", \"days\": 0 },\n"
	"        { \"who\": \"den som er bekymret\",\n"
	"          \"what\": \"Drøft undringen anonymt med nærmeste leder\",\n"
	"          \"with\": \"nærmeste leder\", \"days\": 3 },\n"
	"        { \"who\": \"den som er bekymret\",\n"
	"          \"what\": \"Snakk med barnet og foreldrene om det du har sett\",\n"
	"          \"with\": \"barnet og foreldrene\", \"days\": 10 },\n"
	"        { \"who\": \"leder\",\n"
	"          \"what\": \"Bestem: avslutt saken, eller løft den til nivå 1 med samtykke\",\n"
	"          \"with\": \"den som er bekymret\", \"days\": 14 }\n"
	"      ] },\n"
	"      { \"level\": 1, \"name\": \"tiltak i egen tjeneste\", \"steps\": [\n"
	"        { \"who\": \"leder\",\n"
	"          \"what\": \"Utnevn stafettholder\",\n"
	"          \"with\": \"\", \"days\": 0 },\n"
	"        { \"who\": \"stafettholder\",\n"
	"          \"what\": \"Innhent samtykke fra foreldrene\",\n"
	"          \"with\": \"foreldrene\", \"days\": 7 },\n"
	"        { \"who\": \"stafettholder\",\n"
	"          \"what\": \"Sett mål og tiltak, hvert med ansvarlig og evalueringsdato\",\n"
	"          \"with\": \"barnet og foreldrene\", \"days\": 14 },\n"
	"        { \"who\": \"stafettholder\",\n"
	"          \"what\": \"Evaluer: avslutt, fortsett eller løft til nivå 2\",\n"
	"          \"with\": \"foreldrene\", \"days\": 56 }\n"
	"      ] },\n"
	"      { \"level\": 2, \"name\": \"enkel samhandling mellom to tjenester\", \"steps\": [\n"
	"        { \"who\": \"stafettholder\",\n"
	"          \"what\": \"Innhent samtykke som dekker den andre tjenesten\",\n"
	"          \"with\": \"foreldrene\", \"days\": 7 },\n"
	"        { \"who\": \"stafettholder\",\n"
	"          \"what\": \"Samarbeidsmøte: avklar mål, tiltak og hvem som er stafettholder\",\n"
	"          \"with\": \"foreldrene og den andre tjenesten\", \"days\": 21 },\n"
	"        { \"who\": \"stafettholder\",\n"
	"          \"what\": \"Før mål og tiltak i loggen, hvert med ansvarlig og evalueringsdato\",\n"
	"          \"with\": \"den andre tjenesten\", \"days\": 21 },\n"
	"        { \"who\": \"stafettholder\",\n"
	"          \"what\": \"Evaluer: avslutt, fortsett, trapp ned (nivå 1) eller løft (nivå 3)\",\n"
	"          \"with\": \"foreldrene og den andre tjenesten\", \"days\": 56 }\n"
	"      ] },\n"
	"      { \"level\": 3, \"name\": \"utvidet samhandling\", \"steps\": [\n"
	"        { \"who\": \"stafettholder\",\n"
	"          \"what\": \"Innhent samtykke for alle tjenestene som skal delta\",\n"
	"          \"with\": \"foreldrene\", \"days\": 7 },\n"
	"        { \"who\": \"leder\",\n"
	"          \"what\": \"Oppnevn koordinator; meld behovet til koordinerende enhet\",\n"
	"          \"with\": \"koordinerende enhet\", \"days\": 14 },\n"
	"        { \"who\": \"koordinator\",\n"
	"          \"what\": \"Vurder individuell plan og ansvarsgruppe\",\n"
	"          \"with\": \"foreldrene og tjenestene\", \"days\": 21 },\n"
	"        { \"who\": \"koordinator\",\n"
	"          \"what\": \"Ansvarsgruppemøte: felles mål, tiltak og ansvar i loggen\",\n"
	"          \"with\": \"ansvarsgruppen\", \"days\": 30 },\n"
	"        { \"who\": \"koordinator\",\n"
	"          \"what\": \"Evaluer jevnlig: avslutt eller trapp ned til nivå 2 eller 1\",\n"
	"          \"with\": \"ansvarsgruppen\", \"days\": 90 }\n"
	"      ] }\n"
	"    ]\n"
	"  }\n"
	"}\n";

struct pv_rules {
	json_t *doc;
};

/* ---- paths ---------------------------------------------------------- */

/*
 * Where the walk is, twice: `at` with real indices for messages
 * ("themes[2]") and `any` with "[]" for every index, which is what the
 * tables below are written against ("themes[]").
 */
struct path {
	char at[512];
	char any[512];
	size_t at_len, any_len;
};

struct path_mark {
	size_t at_len, any_len;
};

static void append(char *buf, size_t *len, size_t size, const char *text, size_t n)
{
	if (*len + n >= size)
		n = *len < size - 1 ? size - 1 - *len : 0;
	memcpy(buf + *len, text, n);
	*len += n;
	buf[*len] = '\0';
}

static struct path_mark path_mark(const struct path *p)
{
	return (struct path_mark){ p->at_len, p->any_len };
}

static void path_pop(struct path *p, struct path_mark m)
{
	p->at_len = m.at_len;
	p->any_len = m.any_len;
	p->at[m.at_len] = '\0';
	p->any[m.any_len] = '\0';
}

/* Keys come from the imported file: control bytes would reach the
 * terminal through the message, so they are shown as '?'. */
static void path_push_key(struct path *p, const char *key)
{
	char clean[128];
	size_t n = 0;

	for (; key[n] && n < sizeof clean - 1; n++)
		clean[n] = (unsigned char)key[n] < 0x20 || key[n] == 0x7f ? '?' : key[n];
	clean[n] = '\0';
	if (p->at_len) {
		append(p->at, &p->at_len, sizeof p->at, ".", 1);
		append(p->any, &p->any_len, sizeof p->any, ".", 1);
	}
	append(p->at, &p->at_len, sizeof p->at, clean, n);
	append(p->any, &p->any_len, sizeof p->any, clean, n);
}

static void path_push_index(struct path *p, size_t i)
{
	char idx[32];
	int n = snprintf(idx, sizeof idx, "[%zu]", i);

	append(p->at, &p->at_len, sizeof p->at, idx, (size_t)n);
	append(p->any, &p->any_len, sizeof p->any, "[]", 2);
}

/* `pat` against a generic path: "*" stands for one key. */
static bool path_matches(const char *pat, const char *path)
{
	while (*pat) {
		if (*pat == '*') {
			size_t n = strcspn(path, ".[");
			if (n == 0)
				return false;
			path += n;
			pat++;
			continue;
		}
		if (*pat != *path)
			return false;
		pat++;
		path++;
	}
	return *path == '\0';
}

/* ---- JSON types ----------------------------------------------------- */

/* JSON's own types, with true and false as one and integer apart from
 * real: a count written as 2.0 is an error, not a rounding. */
enum kind { K_OBJECT, K_ARRAY, K_STRING, K_INTEGER, K_REAL, K_BOOLEAN, K_NULL };

/* For messages ("expected an integer, got a string"): translate with _(). */
static const char *const kind_names[] = {
	[K_OBJECT] = N_("an object"), [K_ARRAY] = N_("an array"), [K_STRING] = N_("a string"),
	[K_INTEGER] = N_("an integer"), [K_REAL] = N_("a real number"),
	[K_BOOLEAN] = N_("a boolean"), [K_NULL] = N_("null"),
};

static enum kind kind_of(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: return K_OBJECT;
	case JSON_ARRAY: return K_ARRAY;
	case JSON_STRING: return K_STRING;
	case JSON_INTEGER: return K_INTEGER;
	case JSON_REAL: return K_REAL;
	case JSON_TRUE:
	case JSON_FALSE: return K_BOOLEAN;
	default: return K_NULL;
	}
}

/* A value for a message: quoted by the caller, cut short, control bytes
 * replaced (it comes from the imported file). */
static const char *show(const char *text, char buf[80])
{
	size_t n = 0, max = 60;

	for (; text[n] && n < max; n++)
		buf[n] = (unsigned char)text[n] < 0x20 || text[n] == 0x7f ? '?' : text[n];
	if (text[n]) {
		while (n > 0 && ((unsigned char)text[n] & 0xc0) == 0x80)
			n--;	/* do not cut a UTF-8 sequence */
		memcpy(buf + n, "...", 3);
		n += 3;
	}
	buf[n] = '\0';
	return buf;
}

/* ---- validation context and errors ---------------------------------- */

struct vctx {
	const char *file;
	struct pv_error *err;
	struct path path;
};

/* "<file>: <path>: <what>" — the path is the locator, so no line. Like
 * pv_error_set, it translates `fmt` (po/extract knows it). */
static enum pv_status vfail(struct vctx *v, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static enum pv_status vfail(struct vctx *v, const char *fmt, ...)
{
	char what[768];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof what, _(fmt), ap);   /* translated */
	va_end(ap);
	return pv_error_set_at(v->err, PV_EDATA, v->file, 0, 0, "%s: %s",
			       v->path.at_len ? v->path.at : "(top level)", what);
}

/* ---- constraints ---------------------------------------------------- */

struct constraint;
typedef enum pv_status check_fn(struct vctx *v, const json_t *node,
				const struct constraint *c);

/*
 * One rule about the values at `path` (a generic path). Checks run after
 * the node and everything under it has the right type, so a check may
 * trust the types; cross-field checks are attached to the object that
 * holds both fields and name them in `arg` as "a|b".
 */
struct constraint {
	const char *path;
	check_fn *check;
	long long min, max;
	const char *arg;
};

/* Splits "a|b" into its two names. */
static void split_pair(const char *arg, char *a, char *b, size_t size)
{
	size_t n = strcspn(arg, "|");

	snprintf(a, size, "%.*s", (int)n, arg);
	snprintf(b, size, "%s", arg[n] ? arg + n + 1 : "");
}

static enum pv_status check_range(struct vctx *v, const json_t *node,
				  const struct constraint *c)
{
	long long n = json_integer_value(node);

	if (n < c->min || n > c->max)
		return vfail(v, "%lld is out of range %lld..%lld", n, c->min, c->max);
	return PV_OK;
}

static enum pv_status check_nonempty(struct vctx *v, const json_t *node,
				     const struct constraint *c)
{
	(void)c;
	if (json_string_length(node) == 0)
		return vfail(v, "must not be empty");
	return PV_OK;
}

static enum pv_status check_enum(struct vctx *v, const json_t *node,
				 const struct constraint *c)
{
	const char *s = json_string_value(node), *opt = c->arg;
	char list[256], buf[80];
	size_t len = 0;

	while (*opt) {
		size_t n = strcspn(opt, "|");
		if (strlen(s) == n && memcmp(s, opt, n) == 0)
			return PV_OK;
		opt += n + (opt[n] == '|');
	}
	if (!strchr(c->arg, '|'))
		return vfail(v, "expected '%s', got '%s'", c->arg, show(s, buf));
	list[0] = '\0';
	for (opt = c->arg; *opt; opt++)
		append(list, &len, sizeof list, *opt == '|' ? ", " : opt, *opt == '|' ? 2 : 1);
	return vfail(v, "'%s' is not one of: %s", show(s, buf), list);
}

static enum pv_status check_weekday(struct vctx *v, const json_t *node,
				    const struct constraint *c)
{
	char buf[80];

	(void)c;
	if (!pv_weekday_parse(json_string_value(node), NULL))
		return vfail(v, "'%s' is not a weekday", show(json_string_value(node), buf));
	return PV_OK;
}

static enum pv_status check_time(struct vctx *v, const json_t *node,
				 const struct constraint *c)
{
	char buf[80];

	(void)c;
	if (!pv_time_parse(json_string_value(node), NULL))
		return vfail(v, "'%s' is not a time (HH:MM)", show(json_string_value(node), buf));
	return PV_OK;
}

/* "MM-DD" of a yearly date; any day that exists in a leap year, so
 * 02-29 is allowed (its use in other years is the reader's concern). */
static bool monthday_parse(const char *s)
{
	int i;

	if (strlen(s) != 5 || s[2] != '-')
		return false;
	for (i = 0; i < 5; i++)
		if (i != 2 && !isdigit((unsigned char)s[i]))
			return false;
	return pv_date_from_ymd(2000, atoi(s), atoi(s + 3), NULL);
}

static enum pv_status check_monthday(struct vctx *v, const json_t *node,
				     const struct constraint *c)
{
	char buf[80];

	(void)c;
	if (!monthday_parse(json_string_value(node)))
		return vfail(v, "'%s' is not a month and day (MM-DD)",
			     show(json_string_value(node), buf));
	return PV_OK;
}

/* Role slugs are stored with team members and typed on the command
 * line, so they are kept to [a-z0-9-]. */
static enum pv_status check_slug(struct vctx *v, const json_t *node,
				 const struct constraint *c)
{
	const char *s = json_string_value(node);
	char buf[80];

	(void)c;
	if (!*s || strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789-") != strlen(s))
		return vfail(v, "'%s' is not a role name (a-z, 0-9 and '-')", show(s, buf));
	return PV_OK;
}

static enum pv_status check_regex(struct vctx *v, const json_t *node,
				  const struct constraint *c)
{
	const char *s = json_string_value(node);
	char why[160], buf[80];
	regex_t re;
	int rc;

	(void)c;
	rc = regcomp(&re, s, REG_EXTENDED | REG_NOSUB);
	if (rc == 0) {
		regfree(&re);
		return PV_OK;
	}
	regerror(rc, &re, why, sizeof why);
	return vfail(v, "'%s' is not a POSIX extended regular expression: %s",
		     show(s, buf), why);
}

static enum pv_status check_count(struct vctx *v, const json_t *node,
				  const struct constraint *c)
{
	long long n = (long long)json_array_size(node);

	if (n == 0 && c->min > 0)
		return vfail(v, "must not be empty");
	if (n < c->min || n > c->max)
		return vfail(v, "has %lld elements, expected %lld..%lld", n, c->min, c->max);
	return PV_OK;
}

/* Strings in an array appear once; the later one is named. */
static enum pv_status check_unique(struct vctx *v, const json_t *node,
				   const struct constraint *c)
{
	size_t i, j, n = json_array_size(node);
	struct path_mark m = path_mark(&v->path);
	char buf[80];

	(void)c;
	for (i = 1; i < n; i++) {
		const char *s = json_string_value(json_array_get(node, i));
		for (j = 0; j < i; j++) {
			if (strcmp(s, json_string_value(json_array_get(node, j))) != 0)
				continue;
			path_push_index(&v->path, i);
			vfail(v, "'%s' appears twice", show(s, buf));
			path_pop(&v->path, m);
			return PV_EDATA;
		}
	}
	return PV_OK;
}

/* Start and end of one meeting rule: end strictly after start. */
static enum pv_status check_after(struct vctx *v, const json_t *obj,
				  const struct constraint *c)
{
	char a[32], b[32];
	const char *sa, *sb;
	int ta, tb;
	enum pv_status rc = PV_OK;

	split_pair(c->arg, a, b, sizeof a);
	sa = json_string_value(json_object_get(obj, a));
	sb = json_string_value(json_object_get(obj, b));
	if (!sa || !sb || !pv_time_parse(sa, &ta) || !pv_time_parse(sb, &tb))
		return PV_OK;
	if (tb <= ta) {
		struct path_mark m = path_mark(&v->path);
		path_push_key(&v->path, b);
		rc = vfail(v, "%s %s is not after %s %s", b, sb, a, sa);
		path_pop(&v->path, m);
	}
	return rc;
}

/* A start time plus a duration in minutes must end the same day. */
static enum pv_status check_in_day(struct vctx *v, const json_t *obj,
				   const struct constraint *c)
{
	char a[32], b[32];
	const char *start;
	json_t *dur;
	int t;
	enum pv_status rc = PV_OK;

	split_pair(c->arg, a, b, sizeof a);
	start = json_string_value(json_object_get(obj, a));
	dur = json_object_get(obj, b);
	if (!start || !json_is_integer(dur) || !pv_time_parse(start, &t))
		return PV_OK;
	if (t + json_integer_value(dur) > 24 * 60) {
		struct path_mark m = path_mark(&v->path);
		path_push_key(&v->path, b);
		rc = vfail(v, "%s %s plus %lld minutes ends after midnight", a, start,
			   (long long)json_integer_value(dur));
		path_pop(&v->path, m);
	}
	return rc;
}

/* Integer a not greater than integer b (a minimum and its maximum). */
static enum pv_status check_le(struct vctx *v, const json_t *obj,
			       const struct constraint *c)
{
	char a[32], b[32];
	json_t *ja, *jb;
	enum pv_status rc = PV_OK;

	split_pair(c->arg, a, b, sizeof a);
	ja = json_object_get(obj, a);
	jb = json_object_get(obj, b);
	if (!json_is_integer(ja) || !json_is_integer(jb))
		return PV_OK;
	if (json_integer_value(ja) > json_integer_value(jb)) {
		struct path_mark m = path_mark(&v->path);
		path_push_key(&v->path, a);
		rc = vfail(v, "%s %lld is greater than %s %lld", a,
			   (long long)json_integer_value(ja), b,
			   (long long)json_integer_value(jb));
		path_pop(&v->path, m);
	}
	return rc;
}

static bool array_has_string(const json_t *arr, const char *s)
{
	size_t i;
	json_t *el;

	json_array_foreach(arr, i, el)
		if (json_is_string(el) && strcmp(json_string_value(el), s) == 0)
			return true;
	return false;
}

/* Fails for the string `s` (already pushed on the path) when it is not
 * an element of member `list` of the object at `obj_path`. */
static enum pv_status need_member(struct vctx *v, const char *obj_path,
				  const json_t *arr, const char *list, const char *s)
{
	char buf[80];

	if (array_has_string(arr, s))
		return PV_OK;
	return vfail(v, "'%s' is not listed in %s%s%s", show(s, buf), obj_path,
		     *obj_path ? "." : "", list);
}

/* String member a is one of the strings in array member b. */
static enum pv_status check_member(struct vctx *v, const json_t *obj,
				   const struct constraint *c)
{
	char a[32], b[32], here[512];
	const char *s;
	json_t *arr;
	struct path_mark m = path_mark(&v->path);
	enum pv_status rc;

	split_pair(c->arg, a, b, sizeof a);
	s = json_string_value(json_object_get(obj, a));
	arr = json_object_get(obj, b);
	if (!s || !json_is_array(arr))
		return PV_OK;
	snprintf(here, sizeof here, "%s", v->path.at);
	path_push_key(&v->path, a);
	rc = need_member(v, here, arr, b, s);
	path_pop(&v->path, m);
	return rc;
}

/* Every string of array member a is in array member b. */
static enum pv_status check_subset(struct vctx *v, const json_t *obj,
				   const struct constraint *c)
{
	char a[32], b[32], here[512];
	json_t *sub, *arr, *el;
	size_t i;
	struct path_mark m = path_mark(&v->path);
	enum pv_status rc = PV_OK;

	split_pair(c->arg, a, b, sizeof a);
	sub = json_object_get(obj, a);
	arr = json_object_get(obj, b);
	if (!json_is_array(sub) || !json_is_array(arr))
		return PV_OK;
	snprintf(here, sizeof here, "%s", v->path.at);
	json_array_foreach(sub, i, el) {
		path_push_key(&v->path, a);
		path_push_index(&v->path, i);
		rc = need_member(v, here, arr, b, json_string_value(el));
		path_pop(&v->path, m);
		if (rc)
			break;
	}
	return rc;
}

/*
 * Fallback weekdays (array member b) are other days than the meeting's
 * own weekday (member a), each once. Compared as days, since "tirsdag"
 * and "tuesday" are the same day.
 */
static enum pv_status check_fallbacks(struct vctx *v, const json_t *obj,
				      const struct constraint *c)
{
	char a[32], b[32], buf[80];
	bool seen[8] = { false };
	enum pv_weekday day, own;
	json_t *arr, *el;
	size_t i;
	struct path_mark m = path_mark(&v->path);
	enum pv_status rc = PV_OK;

	split_pair(c->arg, a, b, sizeof a);
	arr = json_object_get(obj, b);
	if (!json_is_array(arr) ||
	    !pv_weekday_parse(json_string_value(json_object_get(obj, a)), &own))
		return PV_OK;
	json_array_foreach(arr, i, el) {
		if (!pv_weekday_parse(json_string_value(el), &day))
			continue;
		path_push_key(&v->path, b);
		path_push_index(&v->path, i);
		if (day == own)
			rc = vfail(v, "'%s' is the meeting's own weekday",
				   show(json_string_value(el), buf));
		else if (seen[day])
			rc = vfail(v, "'%s' appears twice", show(json_string_value(el), buf));
		path_pop(&v->path, m);
		if (rc)
			return rc;
		seen[day] = true;
	}
	return PV_OK;
}

/* The stafett guide lists the levels 0, 1, 2, 3 in order, each once:
 * `stafett show` finds a case's next steps by its level. */
static enum pv_status check_guide_levels(struct vctx *v, const json_t *node,
					 const struct constraint *c)
{
	struct path_mark m = path_mark(&v->path);
	enum pv_status rc = PV_OK;
	json_t *el;
	size_t i;

	(void)c;
	json_array_foreach(node, i, el) {
		long long level = json_integer_value(json_object_get(el, "level"));

		if (level == (long long)i)
			continue;
		path_push_index(&v->path, i);
		path_push_key(&v->path, "level");
		rc = vfail(v, "expected level %zu here: the guide lists the levels 0, 1, 2 and 3 "
			   "in order", i);
		path_pop(&v->path, m);
		break;
	}
	return rc;
}

/* Table rows: a check on one value, a range of an integer, a range of
 * an array's length, a choice of strings, a check on two members. */
#define CHECK(p, fn)		{ .path = p, .check = fn }
#define RANGE(p, lo, hi)	{ .path = p, .check = check_range, .min = lo, .max = hi }
#define LENGTH(p, lo, hi)	{ .path = p, .check = check_count, .min = lo, .max = hi }
#define ONE_OF(p, values)	{ .path = p, .check = check_enum, .arg = values }
#define PAIR(p, fn, names)	{ .path = p, .check = fn, .arg = names }

/*
 * What each value may be beyond its type. Every integer in the defaults
 * must have a check_range row here (validation refuses one without), so
 * no count is ever unbounded.
 */
static const struct constraint constraints[] = {
	ONE_OF("schema", RULES_SCHEMA),
	CHECK("method", check_nonempty),
	CHECK("municipality", check_nonempty),
	CHECK("recipient", check_nonempty),
	CHECK("plan_deadline", check_monthday),
	CHECK("report_deadlines.*", check_monthday),
	ONE_OF("clash_policy", "fail|substitute"),

	CHECK("meetings.*.weekday", check_weekday),
	CHECK("meetings.*.fallback_weekdays[]", check_weekday),
	PAIR("meetings.*", check_fallbacks, "weekday|fallback_weekdays"),
	CHECK("meetings.*.start", check_time),
	CHECK("meetings.*.end", check_time),
	PAIR("meetings.*", check_after, "start|end"),
	RANGE("meetings.*.min_per_half", 1, 20),
	RANGE("meetings.*.min_gap_days", 0, 90),
	RANGE("meetings.kindergarten_systemmote.group_size", 2, 10),
	RANGE("meetings.school_systemmote.first_within_school_weeks", 1, 20),
	ONE_OF("meetings.naervaer.iso_weeks", "odd|even|all"),
	RANGE("meetings.god_oppvekst.per_school_year", 1, 12),
	RANGE("meetings.god_oppvekst.min_per_school_year", 1, 12),
	PAIR("meetings.god_oppvekst", check_le, "min_per_school_year|per_school_year"),
	RANGE("meetings.apen_dor.every_weeks", 1, 8),
	RANGE("meetings.apen_dor.minutes", 15, 480),
	PAIR("meetings.apen_dor", check_in_day, "start|minutes"),

	LENGTH("roles.school", 1, 50),
	LENGTH("roles.kindergarten", 1, 50),
	LENGTH("roles.ungdomstrinn_only", 0, 50),
	CHECK("roles.school", check_unique),
	CHECK("roles.kindergarten", check_unique),
	CHECK("roles.ungdomstrinn_only", check_unique),
	CHECK("roles.*[]", check_slug),
	CHECK("roles.school_leader", check_slug),
	CHECK("roles.kindergarten_leader", check_slug),
	PAIR("roles", check_member, "school_leader|school"),
	PAIR("roles", check_member, "kindergarten_leader|kindergarten"),
	PAIR("roles", check_subset, "ungdomstrinn_only|school"),

	CHECK("kindergarten_closed[].from", check_monthday),
	CHECK("kindergarten_closed[].to", check_monthday),
	LENGTH("themes", 1, 200),
	CHECK("themes", check_unique),
	CHECK("themes[]", check_nonempty),
	LENGTH("agenda.items", 1, 50),
	CHECK("agenda.items[]", check_nonempty),
	LENGTH("agenda.first_school_meeting", 0, 50),
	CHECK("agenda.first_school_meeting[]", check_nonempty),
	/* an empty pattern matches everything and would deny all free text */
	CHECK("anonymity.deny_patterns[]", check_nonempty),
	CHECK("anonymity.deny_patterns[]", check_regex),

	RANGE("log.grace_days", 0, 60),
	/* guests are recorded by role and count, never by name */
	LENGTH("log.guest_roles", 1, 100),
	CHECK("log.guest_roles", check_unique),
	CHECK("log.guest_roles[]", check_nonempty),
	RANGE("consent.self_consent_age", 12, 18),
	RANGE("consent.expiry_warning_days", 0, 365),
	RANGE("report.suppress_below", 0, 100),
	RANGE("remind.within_days", 1, 366),
	CHECK("remind.plan_warning_from", check_monthday),

	RANGE("fravaer.day_minutes", 1, 1440),
	RANGE("fravaer.undocumented_dates", 1, 365),
	RANGE("fravaer.high_absence_days", 1, 366),
	RANGE("fravaer.lateness_dates", 1, 365),
	RANGE("fravaer.lateness_window_days", 1, 366),
	RANGE("fravaer.leaves_dates", 1, 365),
	RANGE("fravaer.window_days", 1, 366),
	RANGE("fravaer.window_min_school_days", 1, 366),
	RANGE("fravaer.window_percent", 1, 100),
	PAIR("fravaer", check_le, "window_min_school_days|window_days"),

	RANGE("stafett.level0_decide_days", 1, 90),
	/* 0: a closed log may be purged as soon as it is exported */
	RANGE("stafett.retention_days", 0, 3650),
	LENGTH("stafett.guide", 4, 4),
	CHECK("stafett.guide", check_guide_levels),
	RANGE("stafett.guide[].level", 0, 3),
	CHECK("stafett.guide[].name", check_nonempty),
	LENGTH("stafett.guide[].steps", 1, 20),
	CHECK("stafett.guide[].steps[].who", check_nonempty),
	CHECK("stafett.guide[].steps[].what", check_nonempty),
	RANGE("stafett.guide[].steps[].days", 0, 365),
};

/* Arrays that are empty in the defaults cannot show their element type;
 * it is given here. */
static const struct {
	const char *path;
	enum kind kind;
} empty_array_elements[] = {
	{ "meetings.*.fallback_weekdays", K_STRING },
	{ "anonymity.deny_patterns", K_STRING },
};

#define COUNT(a) (sizeof (a) / sizeof (a)[0])

static enum pv_status run_constraints(struct vctx *v, const json_t *node)
{
	bool ranged = false;
	size_t i;
	enum pv_status rc;

	for (i = 0; i < COUNT(constraints); i++) {
		const struct constraint *c = &constraints[i];
		if (!path_matches(c->path, v->path.any))
			continue;
		ranged |= c->check == check_range;
		rc = c->check(v, node, c);
		if (rc)
			return rc;
	}
	if (json_is_integer(node) && !ranged)
		return pv_error_set(v->err, PV_ESOFTWARE,
				    "rules: no range for the integer '%s'", v->path.any);
	return PV_OK;
}

/* ---- the walk ------------------------------------------------------- */

static enum pv_status visit(struct vctx *v, const json_t *node, enum kind want,
			    const json_t *tmpl);

static enum pv_status fail_type(struct vctx *v, enum kind want, const json_t *node)
{
	enum kind got = kind_of(node);
	char *text, buf[80];
	enum pv_status rc;

	if (got == K_OBJECT || got == K_ARRAY || got == K_NULL)
		return vfail(v, "expected %s, got %s", _(kind_names[want]), _(kind_names[got]));
	if (got == K_STRING)
		return vfail(v, "expected %s, got %s '%s'", _(kind_names[want]),
			     _(kind_names[got]), show(json_string_value(node), buf));
	text = json_dumps(node, JSON_ENCODE_ANY);
	rc = vfail(v, "expected %s, got %s '%s'", _(kind_names[want]), _(kind_names[got]),
		   text ? show(text, buf) : "?");
	free(text);
	return rc;
}

/* Keys of the template only, and all of them (the merge fills them in
 * at the top; elements of arrays of objects must be complete). */
static enum pv_status visit_object(struct vctx *v, const json_t *node,
				   const json_t *tmpl)
{
	struct path_mark m = path_mark(&v->path);
	const char *key;
	json_t *child, *t;
	enum pv_status rc = PV_OK;

	json_object_foreach((json_t *)node, key, child) {
		path_push_key(&v->path, key);
		t = json_object_get(tmpl, key);
		rc = t ? visit(v, child, kind_of(t), t) : vfail(v, "unknown key");
		path_pop(&v->path, m);
		if (rc)
			return rc;
	}
	json_object_foreach((json_t *)tmpl, key, t) {
		if (json_object_get(node, key))
			continue;
		path_push_key(&v->path, key);
		rc = vfail(v, "key is missing");
		path_pop(&v->path, m);
		return rc;
	}
	return PV_OK;
}

static enum pv_status visit_array(struct vctx *v, const json_t *node,
				  const json_t *tmpl)
{
	struct path_mark m = path_mark(&v->path);
	const json_t *et = json_array_get(tmpl, 0);
	enum kind ek = K_NULL;
	json_t *el;
	size_t i;
	enum pv_status rc;

	if (et) {
		ek = kind_of(et);
	} else {
		for (i = 0; i < COUNT(empty_array_elements); i++)
			if (path_matches(empty_array_elements[i].path, v->path.any))
				break;
		if (i == COUNT(empty_array_elements))
			return pv_error_set(v->err, PV_ESOFTWARE,
					    "rules: no element type for '%s'", v->path.any);
		ek = empty_array_elements[i].kind;
	}
	json_array_foreach(node, i, el) {
		path_push_index(&v->path, i);
		rc = visit(v, el, ek, et);
		path_pop(&v->path, m);
		if (rc)
			return rc;
	}
	return PV_OK;
}

/* Every string here is a one-line label, name or pattern that ends up
 * in reports and on terminals. */
static bool has_control(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return true;
	return false;
}

/* Type first, then what is inside, then this node's own constraints,
 * so cross-field checks see well-typed members. */
static enum pv_status visit(struct vctx *v, const json_t *node, enum kind want,
			    const json_t *tmpl)
{
	enum pv_status rc = PV_OK;

	if (kind_of(node) != want)
		return fail_type(v, want, node);
	if (want == K_STRING && has_control(json_string_value(node)))
		return vfail(v, "contains a control character");
	if (want == K_OBJECT)
		rc = visit_object(v, node, tmpl);
	else if (want == K_ARRAY)
		rc = visit_array(v, node, tmpl);
	return rc ? rc : run_constraints(v, node);
}

static enum pv_status validate(const json_t *doc, const json_t *defaults,
			       const char *file, struct pv_error *err)
{
	struct vctx v = { .file = file, .err = err };

	return visit(&v, doc, K_OBJECT, defaults);
}

/* ---- merging and ordering ------------------------------------------- */

/* Objects merge key by key; arrays and scalars replace. -1 on OOM. */
static int merge(json_t *dst, const json_t *src)
{
	const char *key;
	json_t *val, *d;

	json_object_foreach((json_t *)src, key, val) {
		d = json_object_get(dst, key);
		if (json_is_object(d) && json_is_object(val)) {
			if (merge(d, val))
				return -1;
		} else if (json_object_set_new(dst, key, json_deep_copy(val))) {
			return -1;
		}
	}
	return 0;
}

/* A copy of validated `node` with every object's keys in the template's
 * order (elements of arrays of objects included), so dumps are stable
 * whatever order the imported file used. NULL on OOM. */
static json_t *ordered(const json_t *node, const json_t *tmpl)
{
	const char *key;
	json_t *out, *t, *child;
	size_t i;

	if (json_is_object(node) && json_is_object(tmpl)) {
		out = json_object();
		json_object_foreach((json_t *)tmpl, key, t) {
			child = json_object_get(node, key);
			if (out && child && json_object_set_new(out, key, ordered(child, t))) {
				json_decref(out);
				out = NULL;
			}
		}
		return out;
	}
	if (json_is_array(node) && json_array_size(tmpl) > 0) {
		out = json_array();
		json_array_foreach(node, i, child) {
			if (out && json_array_append_new(out,
							 ordered(child, json_array_get(tmpl, 0)))) {
				json_decref(out);
				out = NULL;
			}
		}
		return out;
	}
	return json_deep_copy(node);
}

static enum pv_status no_memory(struct pv_error *err)
{
	return pv_error_set(err, PV_ESOFTWARE, "out of memory");
}

static enum pv_status load_defaults(json_t **out, struct pv_error *err)
{
	json_error_t jerr;

	*out = json_loads(default_rules, JSON_REJECT_DUPLICATES, &jerr);
	if (!*out)
		return pv_error_set(err, PV_ESOFTWARE, "built-in rules:%d:%d: %s",
				    jerr.line, jerr.column, jerr.text);
	return PV_OK;
}

/* The defaults with `user` (may be NULL) merged over them, validated
 * and in the defaults' key order. */
static enum pv_status rules_from(const json_t *user, const char *file,
				 struct pv_rules **out, struct pv_error *err)
{
	json_t *defaults = NULL, *doc = NULL;
	enum pv_status rc;

	*out = NULL;
	rc = load_defaults(&defaults, err);
	if (rc)
		return rc;
	doc = json_deep_copy(defaults);
	if (!doc || (user && merge(doc, user))) {
		rc = no_memory(err);
		goto done;
	}
	rc = validate(doc, defaults, file, err);
	if (rc)
		goto done;
	*out = calloc(1, sizeof **out);
	if (!*out || !((*out)->doc = ordered(doc, defaults))) {
		free(*out);
		*out = NULL;
		rc = no_memory(err);
	}
done:
	json_decref(doc);
	json_decref(defaults);
	return rc;
}

/* ---- public API ----------------------------------------------------- */

enum pv_status pv_rules_default(struct pv_rules **out, struct pv_error *err)
{
	enum pv_status rc = rules_from(NULL, "built-in rules", out, err);

	/* the defaults failing their own checks is a bug, not bad input */
	if (rc == PV_EDATA && err)
		err->status = rc = PV_ESOFTWARE;
	return rc;
}

static long clamp_position(int n)
{
	return n > 0 ? n : 0;
}

enum pv_status pv_rules_parse(const char *text, size_t len, const char *filename,
			      struct pv_rules **out, struct pv_error *err)
{
	json_error_t jerr;
	json_t *user;
	enum pv_status rc;

	*out = NULL;
	user = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!user)
		return pv_error_set_at(err, PV_EDATA, filename, clamp_position(jerr.line),
				       clamp_position(jerr.column), "%s", jerr.text);
	if (!json_is_object(user))
		rc = pv_error_set_at(err, PV_EDATA, filename, 0, 0,
				     "expected a JSON object at the top level, got %s",
				     _(kind_names[kind_of(user)]));
	else
		rc = rules_from(user, filename, out, err);
	json_decref(user);
	return rc;
}

void pv_rules_free(struct pv_rules *rules)
{
	if (!rules)
		return;
	json_decref(rules->doc);
	free(rules);
}

const json_t *pv_rules_json(const struct pv_rules *rules)
{
	return rules ? rules->doc : NULL;
}

/* One step of a dotted path: "[N]" into an array or a key into an
 * object. Returns where the next step starts, or NULL. */
static const char *path_step(const json_t **node, const char *p)
{
	char key[128];
	size_t n;

	if (*p == '[') {
		char *end;
		unsigned long i;
		if (!isdigit((unsigned char)p[1]))
			return NULL;
		i = strtoul(p + 1, &end, 10);
		if (*end != ']')
			return NULL;
		*node = json_array_get(*node, i);
		return end + 1;
	}
	n = strcspn(p, ".[");
	if (n == 0 || n >= sizeof key)
		return NULL;
	memcpy(key, p, n);
	key[n] = '\0';
	*node = json_object_get(*node, key);
	return p + n;
}

const json_t *pv_rules_get(const struct pv_rules *rules, const char *path)
{
	const json_t *node;
	const char *p = path;

	if (!rules || !path || !*path)
		return NULL;
	node = rules->doc;
	while (node && p && *p) {
		p = path_step(&node, p);
		if (p && *p == '.' && !*++p)
			return NULL;	/* a trailing dot */
	}
	return p ? node : NULL;
}

long long pv_rules_int(const struct pv_rules *rules, const char *path)
{
	return json_integer_value(pv_rules_get(rules, path));
}

const char *pv_rules_str(const struct pv_rules *rules, const char *path)
{
	return json_string_value(pv_rules_get(rules, path));
}

bool pv_rules_bool(const struct pv_rules *rules, const char *path)
{
	return json_is_true(pv_rules_get(rules, path));
}

char *pv_rules_dump(const struct pv_rules *rules)
{
	char *text, *out;
	size_t n;

	if (!rules)
		return NULL;
	text = json_dumps(rules->doc, JSON_INDENT(2));
	if (!text)
		return NULL;
	n = strlen(text);
	out = malloc(n + 2);
	if (out) {
		memcpy(out, text, n);
		memcpy(out + n, "\n", 2);
	}
	free(text);
	return out;
}

/* ---- storage -------------------------------------------------------- */

enum pv_status pv_rules_load(struct pv_db *db, struct pv_rules **out,
			     struct pv_error *err)
{
	sqlite3_stmt *stmt;
	enum pv_status rc;
	int step;

	*out = NULL;
	rc = pv_db_prepare(db, "SELECT document FROM rules WHERE id = 1", &stmt, err);
	if (rc)
		return rc;
	step = sqlite3_step(stmt);
	if (step == SQLITE_ROW)
		/* merged over today's defaults, so keys added since it was
		 * stored take their default */
		rc = pv_rules_parse((const char *)sqlite3_column_text(stmt, 0),
				    (size_t)sqlite3_column_bytes(stmt, 0),
				    "stored rules", out, err);
	else if (step == SQLITE_DONE)
		rc = pv_rules_default(out, err);
	else
		rc = pv_db_fail(db, "reading the rules", err);
	sqlite3_finalize(stmt);
	return rc;
}

struct diff {
	int count;
	char paths[600];
	size_t len;
};

/* Counts the values of `doc` that differ from the defaults (a changed
 * array counts once) and lists their paths while they fit. */
static void diff_walk(const json_t *doc, const json_t *tmpl, struct path *p,
		      struct diff *d)
{
	struct path_mark m = path_mark(p);
	const char *key;
	json_t *t;

	if (json_is_object(doc) && json_is_object(tmpl)) {
		json_object_foreach((json_t *)tmpl, key, t) {
			path_push_key(p, key);
			diff_walk(json_object_get(doc, key), t, p, d);
			path_pop(p, m);
		}
		return;
	}
	if (json_equal((json_t *)doc, (json_t *)tmpl))
		return;
	if (d->count++ == 0)
		append(d->paths, &d->len, sizeof d->paths, p->at, p->at_len);
	else if (d->len + p->at_len + 8 < sizeof d->paths) {
		append(d->paths, &d->len, sizeof d->paths, ", ", 2);
		append(d->paths, &d->len, sizeof d->paths, p->at, p->at_len);
	} else if (d->len + 5 < sizeof d->paths && strcmp(d->paths + d->len - 3, "...") != 0) {
		append(d->paths, &d->len, sizeof d->paths, ", ...", 5);
	}
}

static enum pv_status store_summary(const struct pv_rules *rules, char *buf,
				    size_t size, struct pv_error *err)
{
	struct diff d = { 0 };
	struct path p = { 0 };
	json_t *defaults;
	enum pv_status rc = load_defaults(&defaults, err);

	if (rc)
		return rc;
	diff_walk(rules->doc, defaults, &p, &d);
	json_decref(defaults);
	if (d.count == 0)
		snprintf(buf, size, "imported rules: the same as the defaults");
	else
		snprintf(buf, size, "imported rules: %d %s from the defaults (%s)",
			 d.count, d.count == 1 ? "value differs" : "values differ", d.paths);
	return PV_OK;
}

/* Writes the document as the rules in force, with `summary` in the audit. */
static enum pv_status store_document(struct pv_db *db, const struct pv_rules *rules,
				     const char *summary, struct pv_error *err)
{
	static const char sql[] =
		"INSERT INTO rules (id, document) VALUES (1, ?)"
		" ON CONFLICT (id) DO UPDATE SET document = excluded.document";
	sqlite3_stmt *stmt;
	char *text;
	enum pv_status rc;

	text = pv_rules_dump(rules);
	if (!text)
		return no_memory(err);
	rc = pv_db_prepare(db, sql, &stmt, err);
	if (rc == PV_OK) {
		if (sqlite3_bind_text(stmt, 1, text, -1, SQLITE_STATIC) != SQLITE_OK ||
		    sqlite3_step(stmt) != SQLITE_DONE)
			rc = pv_db_fail(db, "storing the rules", err);
		sqlite3_finalize(stmt);
	}
	free(text);
	if (rc)
		return rc;
	return pv_audit_append(db, "rules", summary, err);
}

enum pv_status pv_rules_store(struct pv_db *db, const struct pv_rules *rules,
			      struct pv_error *err)
{
	char summary[768];
	enum pv_status rc = store_summary(rules, summary, sizeof summary, err);

	if (rc)
		return rc;
	return store_document(db, rules, summary, err);
}

enum pv_status pv_rules_set_municipality(struct pv_db *db, const char *name,
					 struct pv_error *err)
{
	struct pv_rules *current, *changed = NULL;
	char summary[300];
	json_t *doc;
	enum pv_status rc;

	rc = pv_rules_load(db, &current, err);
	if (rc)
		return rc;
	doc = json_deep_copy(current->doc);
	pv_rules_free(current);
	if (!doc)
		return no_memory(err);
	if (json_object_set_new(doc, "municipality", json_string(name)) != 0)
		rc = pv_error_set(err, PV_EDATA, "municipality: not valid UTF-8 text");
	else
		rc = rules_from(doc, "--municipality", &changed, err);
	json_decref(doc);
	if (rc)
		return rc;
	snprintf(summary, sizeof summary, "set municipality to '%.200s'", name);
	rc = store_document(db, changed, summary, err);
	pv_rules_free(changed);
	return rc;
}

int pv_rules_weekday_rank(const struct pv_rules *rules, const char *rule, enum pv_weekday w)
{
	char path[128];
	const json_t *list;
	enum pv_weekday fw;
	size_t i;
	json_t *v;

	snprintf(path, sizeof path, "%s.weekday", rule);
	if (pv_weekday_parse(pv_rules_str(rules, path), &fw) && fw == w)
		return 0;
	snprintf(path, sizeof path, "%s.fallback_weekdays", rule);
	list = pv_rules_get(rules, path);
	json_array_foreach(list, i, v)
		if (pv_weekday_parse(json_string_value(v), &fw) && fw == w)
			return (int)i + 1;
	return -1;
}
