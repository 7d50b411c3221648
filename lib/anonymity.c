/* The anonymity guard: national ids, phone numbers, e-mail and deny patterns in free text. */
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patvers/anonymity.h"
#include "patvers/date.h"

static const char *const kind_names[] = { "fnr", "dnr", "phone", "email", "deny" };

const char *pv_anonymity_kind_name(enum pv_anonymity_kind kind)
{
	return (unsigned)kind <= PV_ANON_DENY ? kind_names[kind] : "unknown";
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_alnum(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* ---- fødselsnummer and D-number ---- */

/* The two mod-11 check digits of d[0..8]; false when one would be 10
 * (no number is issued with it). */
static bool check_digits(const int d[11], int *k1, int *k2)
{
	static const int w1[9] = { 3, 7, 6, 1, 8, 9, 4, 5, 2 };
	static const int w2[10] = { 5, 4, 3, 2, 7, 6, 5, 4, 3, 2 };
	int s = 0;

	for (int i = 0; i < 9; i++)
		s += w1[i] * d[i];
	*k1 = (11 - s % 11) % 11;
	if (*k1 == 10)
		return false;
	s = 0;
	for (int i = 0; i < 9; i++)
		s += w2[i] * d[i];
	s += w2[9] * *k1;
	*k2 = (11 - s % 11) % 11;
	return *k2 != 10;
}

/*
 * Whether day.month of the two-digit year yy is a real date. The
 * individual number (digits 7–9) fixes the century for most numbers
 * (Skatteetaten's table); where it does not, any of 1900–2099 will do,
 * so the guard errs towards refusing.
 */
static bool real_date(int day, int month, int yy, int individual)
{
	int century = 0;

	if (individual <= 499)
		century = 1900;
	else if (individual <= 749 && yy >= 54)
		century = 1800;
	else if (individual >= 500 && yy <= 39)
		century = 2000;
	else if (individual >= 900 && yy >= 40)
		century = 1900;
	if (century)
		return pv_date_from_ymd(century + yy, month, day, NULL);
	return pv_date_from_ymd(1900 + yy, month, day, NULL) ||
	       pv_date_from_ymd(2000 + yy, month, day, NULL);
}

bool pv_anonymity_id_number(const char *digits, enum pv_anonymity_kind *kind)
{
	int d[11], k1, k2, day, month, yy;
	bool dnr;

	for (int i = 0; i < 11; i++) {
		if (!is_digit(digits[i]))
			return false;
		d[i] = digits[i] - '0';
	}
	if (digits[11] != '\0')
		return false;
	if (!check_digits(d, &k1, &k2) || k1 != d[9] || k2 != d[10])
		return false;
	day = d[0] * 10 + d[1];
	month = d[2] * 10 + d[3];
	yy = d[4] * 10 + d[5];
	dnr = d[0] >= 4;
	if (dnr)
		day -= 40;
	if (!real_date(day, month, yy, d[6] * 100 + d[7] * 10 + d[8]))
		return false;
	if (kind)
		*kind = dnr ? PV_ANON_DNR : PV_ANON_FNR;
	return true;
}

/* ---- hits ---- */

struct hits {
	struct pv_anonymity_hit *v;
	size_t n, cap;
	bool oom;
};

static void add_hit(struct hits *h, enum pv_anonymity_kind kind, size_t start, size_t len,
		    int pattern)
{
	if (h->n == h->cap) {
		size_t cap = h->cap ? h->cap * 2 : 8;
		struct pv_anonymity_hit *grown = realloc(h->v, cap * sizeof *grown);
		if (!grown) {
			h->oom = true;
			return;
		}
		h->v = grown;
		h->cap = cap;
	}
	h->v[h->n++] = (struct pv_anonymity_hit){ kind, start, len, pattern };
}

/* Length of the digit run at t[i]. */
static size_t digit_run(const char *t, size_t i)
{
	size_t n = 0;

	while (is_digit(t[i + n]))
		n++;
	return n;
}

/* An 11-digit number starting at t[i] (a run start): "DDMMYYIIIKK" or
 * "DDMMYY IIIKK". */
static void find_id_number(const char *t, size_t i, struct hits *h)
{
	size_t run = digit_run(t, i);
	enum pv_anonymity_kind kind;
	char digits[12];

	if (run == 11) {
		memcpy(digits, t + i, 11);
		digits[11] = '\0';
		if (pv_anonymity_id_number(digits, &kind))
			add_hit(h, kind, i, 11, -1);
	} else if (run == 6 && t[i + 6] == ' ' && digit_run(t, i + 7) == 5) {
		memcpy(digits, t + i, 6);
		memcpy(digits + 6, t + i + 7, 5);
		digits[11] = '\0';
		if (pv_anonymity_id_number(digits, &kind))
			add_hit(h, kind, i, 12, -1);
	}
}

/* The ways people write the 8 digits of a Norwegian phone number. */
static const int groupings[][5] = {
	{ 8, 0 },
	{ 2, 2, 2, 2, 0 },
	{ 3, 2, 3, 0 },
};

/* Length of a phone number's 8 digits at t[j] in one of the groupings,
 * or 0. The first digit is 2–9; no digit may follow. */
static size_t phone_digits(const char *t, size_t j)
{
	if (t[j] < '2' || t[j] > '9')
		return 0;
	for (size_t g = 0; g < sizeof groupings / sizeof groupings[0]; g++) {
		size_t k = j;
		bool ok = true;

		for (int p = 0; ok && groupings[g][p]; p++) {
			if (p > 0) {
				ok = t[k] == ' ';
				k++;
			}
			ok = ok && digit_run(t, k) == (size_t)groupings[g][p];
			k += (size_t)groupings[g][p];
		}
		if (ok)
			return k - j;
	}
	return 0;
}

/* A phone number starting at t[i]: the prefix +47 / 0047 (then an
 * optional space) or straight at a digit run. */
static void find_phone(const char *t, size_t i, bool run_start, struct hits *h)
{
	size_t j = 0, n;

	if (strncmp(t + i, "+47", 3) == 0)
		j = i + 3;
	else if (run_start && strncmp(t + i, "0047", 4) == 0)
		j = i + 4;
	if (j) {
		if (t[j] == ' ')
			j++;
		n = phone_digits(t, j);
		if (n) {
			add_hit(h, PV_ANON_PHONE, i, j + n - i, -1);
			return;
		}
	}
	if (run_start && (n = phone_digits(t, i)) > 0)
		add_hit(h, PV_ANON_PHONE, i, n, -1);
}

/* Bytes of UTF-8 sequences count as letters: addresses may hold them. */
static bool local_char(char c)
{
	return is_alnum(c) || (unsigned char)c >= 0x80 || strchr("._%+-!#$&'*/=?^`{|}~", c);
}

static bool domain_char(char c)
{
	return is_alnum(c) || (unsigned char)c >= 0x80 || c == '.' || c == '-';
}

static bool letter_or_utf8(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (unsigned char)c >= 0x80;
}

/* An address around the '@' at t[at]: local@domain.tld, the top-level
 * domain at least two letters. A sentence's full stop is not part of it. */
static void find_email(const char *t, size_t at, struct hits *h)
{
	size_t start = at, end = at + 1, dot = 0;

	while (start > 0 && local_char(t[start - 1]))
		start--;
	while (start < at && t[start] == '.')
		start++;
	while (domain_char(t[end]))
		end++;
	while (end > at + 1 && (t[end - 1] == '.' || t[end - 1] == '-'))
		end--;
	if (start == at || end == at + 1 || t[at + 1] == '.')
		return;
	for (size_t k = at + 1; k < end; k++)
		if (t[k] == '.')
			dot = k;
	if (!dot || end - dot - 1 < 2)
		return;
	for (size_t k = dot + 1; k < end; k++)
		if (!letter_or_utf8(t[k]))
			return;
	add_hit(h, PV_ANON_EMAIL, start, end - start, -1);
}

static void find_builtin(const char *t, struct hits *h)
{
	for (size_t i = 0; t[i]; i++) {
		bool run_start = is_digit(t[i]) && (i == 0 || !is_digit(t[i - 1]));

		if (run_start)
			find_id_number(t, i, h);
		if (run_start || t[i] == '+')
			find_phone(t, i, run_start, h);
		if (t[i] == '@')
			find_email(t, i, h);
	}
}

/* Every non-empty match of each deny pattern. */
static enum pv_status find_denied(const struct pv_rules *rules, const char *t, struct hits *h,
				  struct pv_error *err)
{
	const json_t *list = rules ? pv_rules_get(rules, "anonymity.deny_patterns") : NULL;
	const json_t *el;
	size_t idx;

	json_array_foreach(list, idx, el) {
		const char *pattern = json_string_value(el);
		regex_t re;
		regmatch_t m;
		size_t off = 0, len = strlen(t);
		int rc;

		if (!pattern || !*pattern)
			continue;
		rc = regcomp(&re, pattern, REG_EXTENDED | REG_ICASE);
		if (rc != 0) {
			char why[160];
			regerror(rc, &re, why, sizeof why);
			return pv_error_set(err, PV_ESOFTWARE,
					    "anonymity.deny_patterns[%zu] does not compile: %s",
					    idx, why);
		}
		while (off <= len &&
		       regexec(&re, t + off, 1, &m, off ? REG_NOTBOL : 0) == 0) {
			size_t s = off + (size_t)m.rm_so, e = off + (size_t)m.rm_eo;
			if (e > s)
				add_hit(h, PV_ANON_DENY, s, e - s, (int)idx);
			off = e > s ? e : s + 1;
		}
		regfree(&re);
	}
	return PV_OK;
}

static enum pv_status collect(const struct pv_rules *rules, const char *text, struct hits *h,
			      struct pv_error *err)
{
	enum pv_status status;

	find_builtin(text, h);
	status = find_denied(rules, text, h, err);
	if (status == PV_OK && h->oom)
		status = pv_error_set(err, PV_ESOFTWARE, "out of memory");
	return status;
}

/* The leftmost hit; the built-in kinds were collected first, so they win
 * a tie. */
static const struct pv_anonymity_hit *first_hit(const struct hits *h)
{
	const struct pv_anonymity_hit *best = NULL;

	for (size_t i = 0; i < h->n; i++)
		if (!best || h->v[i].start < best->start)
			best = &h->v[i];
	return best;
}

enum pv_status pv_anonymity_find(const struct pv_rules *rules, const char *text,
				 bool *found, struct pv_anonymity_hit *hit,
				 struct pv_error *err)
{
	struct hits h = { 0 };
	const struct pv_anonymity_hit *best;
	enum pv_status status = collect(rules, text ? text : "", &h, err);

	*found = false;
	if (status == PV_OK && (best = first_hit(&h)) != NULL) {
		*found = true;
		if (hit)
			*hit = *best;
	}
	free(h.v);
	return status;
}

/* ---- the masked message ---- */

static bool masked(const struct hits *h, size_t i)
{
	for (size_t k = 0; k < h->n; k++)
		if (i >= h->v[k].start && i < h->v[k].start + h->v[k].len)
			return true;
	return false;
}

/* Moves i back to the start of its UTF-8 sequence. */
static size_t char_start(const char *t, size_t i)
{
	while (i > 0 && ((unsigned char)t[i] & 0xc0) == 0x80)
		i--;
	return i;
}

#define CONTEXT 40      /* bytes shown on each side of the hit in a long text */
#define SHOWN_MAX 300   /* the most bytes of text a message shows */

/* Length of the UTF-8 character at t[i] (1 for a stray byte). */
static size_t char_len(const char *t, size_t i)
{
	size_t n = 1;

	if ((unsigned char)t[i] >= 0xc0)
		while (n < 4 && ((unsigned char)t[i + n] & 0xc0) == 0x80)
			n++;
	return n;
}

/* The text between from and to with every hit masked: one '*' per
 * character (a character is masked when any of its bytes is in a hit, so
 * a deny pattern that matched part of a sequence leaves no stray byte),
 * control characters as '?'. */
static void render(const char *t, size_t from, size_t to, const struct hits *h,
		   char *buf, size_t size)
{
	size_t n = 0;

	if (from > 0) {
		memcpy(buf + n, "…", 3);
		n += 3;
	}
	for (size_t i = from; i < to && n + 8 < size;) {
		size_t cl = char_len(t, i);
		bool hide = false;

		for (size_t k = 0; k < cl; k++)
			hide = hide || masked(h, i + k);
		if (hide) {
			buf[n++] = '*';
		} else if ((unsigned char)t[i] < 0x20 || t[i] == 0x7f) {
			buf[n++] = '?';
		} else {
			memcpy(buf + n, t + i, cl);
			n += cl;
		}
		i += cl;
	}
	if (t[to]) {
		memcpy(buf + n, "…", 3);
		n += 3;
	}
	buf[n] = '\0';
}

enum pv_status pv_anonymity_check(const struct pv_rules *rules, const char *field,
				  const char *text, struct pv_error *err)
{
	static const char *const what[] = {
		[PV_ANON_FNR] = "looks like a national identity number",
		[PV_ANON_DNR] = "looks like a D-number (national identity number)",
		[PV_ANON_PHONE] = "looks like a phone number",
		[PV_ANON_EMAIL] = "looks like an e-mail address",
	};
	struct hits h = { 0 };
	const struct pv_anonymity_hit *best;
	char shown[SHOWN_MAX * 2], reason[96];
	size_t len, from, to;
	enum pv_status status;

	if (!text)
		return PV_OK;
	status = collect(rules, text, &h, err);
	if (status != PV_OK || !(best = first_hit(&h))) {
		free(h.v);
		return status;
	}
	len = strlen(text);
	from = 0;
	to = len;
	if (len > SHOWN_MAX) {
		from = best->start > CONTEXT ? char_start(text, best->start - CONTEXT) : 0;
		to = best->start + best->len + CONTEXT;
		if (to - from > SHOWN_MAX)
			to = from + SHOWN_MAX;
		to = to < len ? char_start(text, to) : len;
	}
	render(text, from, to, &h, shown, sizeof shown);
	if (best->kind == PV_ANON_DENY)
		snprintf(reason, sizeof reason, "matches anonymity.deny_patterns[%d]",
			 best->pattern);
	else
		snprintf(reason, sizeof reason, "%s", what[best->kind]);
	free(h.v);
	if (field && *field)
		return pv_error_set(err, PV_EDATA, "%s: %s: \"%s\"", field, reason, shown);
	return pv_error_set(err, PV_EDATA, "%s: \"%s\"", reason, shown);
}
