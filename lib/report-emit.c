/* The half-year report through the emitter: JSON/JSONL, CSV one row per unit, text at 80 columns. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patvers/i18n.h"
#include "report-internal.h"

/* Text tables fit 80 columns with unit ids cut to this width. */
#define TEXT_UNIT_WIDTH 16
/* Free text in text tables wraps at this width (after unit and date). */
#define TEXT_WRAP 50

/* ---- JSON (and JSONL: the "units" records) ---- */

static void emit_themes(const struct pv_report *r, struct pv_out *out,
			const struct pv_report_row *row)
{
	char shown[16];

	if (r->themes_withheld) {
		pv_out_null(out, "themes");
		return;
	}
	pv_out_begin_list(out, "themes");
	for (size_t i = 0; i < row->nthemes; i++) {
		const struct pv_report_theme *t = &row->themes[i];

		pv_out_begin_map(out, NULL);
		pv_out_str(out, "theme", t->theme);
		if (t->cell == PV_CELL_SHOWN)
			pv_out_int(out, "count", t->count);
		else
			pv_out_null(out, "count");
		pv_out_bool(out, "suppressed", t->cell != PV_CELL_SHOWN);
		if (t->cell != PV_CELL_SHOWN)
			pv_out_str(out, "shown_as", report_cell_text(r, t, shown));
		pv_out_end_map(out);
	}
	pv_out_end_list(out);
}

static void emit_attendance(struct pv_out *out, const struct pv_report_row *row)
{
	pv_out_begin_map(out, "attendance");
	pv_out_int(out, "meetings", row->held);
	for (int s = 0; s < PV_REPORT_SERVICES; s++) {
		const char *name = pv_report_service_name(s);
		int of = row->service_meetings[s];

		if (!of) {
			pv_out_null(out, name);
			continue;
		}
		pv_out_begin_map(out, name);
		pv_out_int(out, "present", row->service_present[s]);
		pv_out_int(out, "of", of);
		pv_out_num(out, "share", (double)row->service_present[s] / of, 2);
		pv_out_end_map(out);
	}
	pv_out_end_map(out);
}

static void emit_texts(struct pv_out *out, const char *key, const struct pv_report_text *t,
		       size_t n, bool reasons)
{
	char date[11];

	pv_out_begin_list(out, key);
	for (size_t i = 0; i < n; i++) {
		pv_out_begin_map(out, NULL);
		pv_out_str(out, "date", t[i].date ? pv_date_format(t[i].date, date) : NULL);
		pv_out_str(out, "unit", t[i].unit);
		if (!reasons)
			pv_out_str(out, "source", strcmp(t[i].kind, "note") == 0 ? "note" : "log");
		pv_out_str(out, "kind", t[i].kind);
		pv_out_str(out, reasons ? "reason" : "text", t[i].text);
		pv_out_end_map(out);
	}
	pv_out_end_list(out);
}

/* One row's fields (a record of "units", or the "total" map). */
static void emit_row_fields(const struct pv_report *r, struct pv_out *out,
			    const struct pv_report_row *row, bool total)
{
	if (!total) {
		pv_out_str(out, "unit", row->unit);
		pv_out_str(out, "name", row->name);
		pv_out_str(out, "kind", row->kind);
	}
	pv_out_begin_map(out, "meetings");
	pv_out_str(out, "kind", row->meeting_kind);
	pv_out_int(out, "planned", row->planned);
	pv_out_int(out, "held", row->held);
	pv_out_int(out, "cancelled", row->cancelled);
	pv_out_int(out, "unlogged", row->unlogged);
	pv_out_int(out, "upcoming", row->upcoming);
	pv_out_end_map(out);
	if (!total) {
		if (row->minimum) {
			pv_out_int(out, "minimum", row->minimum);
			pv_out_str(out, "minimum_per", row->per_school_year ? "school-year"
									  : "half-year");
			pv_out_int(out, "counted", row->counted);
			pv_out_str(out, "status", pv_report_status_name(row->status));
		} else {
			pv_out_null(out, "minimum");
			pv_out_null(out, "minimum_per");
			pv_out_null(out, "counted");
			pv_out_null(out, "status");
		}
	}
	pv_out_int(out, "veiledningsteam", row->veiledningsteam);
	pv_out_int(out, "apen_dor", row->apen_dor);
	pv_out_begin_map(out, "cases");
	pv_out_int(out, "total", row->cases);
	pv_out_int(out, "anonymous", row->anonymous);
	pv_out_int(out, "consent", row->consent);
	pv_out_end_map(out);
	emit_themes(r, out, row);
	pv_out_begin_map(out, "actions");
	pv_out_int(out, "opened", row->actions_opened);
	pv_out_int(out, "done", row->actions_done);
	pv_out_int(out, "overdue", row->actions_overdue);
	pv_out_end_map(out);
	emit_attendance(out, row);
	if (!total) {
		emit_texts(out, "cancellations", row->cancellations, row->ncancellations, true);
		emit_texts(out, "experiences", row->experiences, row->nexperiences, false);
	}
}

static void emit_json(const struct pv_report *r, struct pv_out *out)
{
	char d[11];

	pv_out_str(out, "municipality", r->municipality);
	pv_out_str(out, "recipient", r->recipient);
	pv_out_int(out, "year", r->year);
	pv_out_str(out, "half", r->half == 1 ? "H1" : "H2");
	pv_out_str(out, "from", pv_date_format(r->from, d));
	pv_out_str(out, "to", pv_date_format(r->to, d));
	pv_out_str(out, "due", pv_date_format(r->due, d));
	pv_out_str(out, "as_of", pv_date_format(r->as_of, d));
	pv_out_str(out, "unit", r->unit);
	pv_out_bool(out, "no_data", r->no_data);
	pv_out_int(out, "suppress_below", r->suppress_below);
	pv_out_bool(out, "themes_withheld", r->themes_withheld);
	if (r->sent) {
		pv_out_begin_map(out, "sent");
		pv_out_str(out, "date", pv_date_format(r->sent_date, d));
		pv_out_str(out, "by", r->sent_by);
		pv_out_end_map(out);
	} else {
		pv_out_null(out, "sent");
	}
	pv_out_begin_map(out, "status_count");
	for (int s = PV_REPORT_MET; s < PV_REPORT_STATUSES; s++)
		pv_out_int(out, pv_report_status_name((enum pv_report_status)s),
			   r->status_count[s]);
	pv_out_end_map(out);
	pv_out_begin_list(out, "theme_columns");
	for (size_t i = 0; i < r->ntheme_columns; i++)
		pv_out_str(out, NULL, r->theme_columns[i]);
	pv_out_end_list(out);
	pv_out_begin_table(out, "units", NULL);
	for (size_t i = 0; !r->no_data && i < r->nrows; i++) {
		pv_out_begin_record(out);
		emit_row_fields(r, out, &r->rows[i], false);
		pv_out_end_record(out);
	}
	pv_out_end_table(out);
	if (r->unit || r->no_data) {
		pv_out_null(out, "total");
	} else {
		pv_out_begin_map(out, "total");
		emit_row_fields(r, out, &r->total, true);
		pv_out_end_map(out);
	}
}

/* ---- CSV: one row per unit, then the municipality ---- */

static const char *const csv_fixed[] = {
	"unit", "name", "kind", "meeting_kind", "planned", "held", "cancelled", "unlogged",
	"upcoming", "minimum", "minimum_per", "counted", "status", "veiledningsteam",
	"apen_dor", "cases", "anonymous", "consent", "actions_opened", "actions_done",
	"actions_overdue", "ppt_pct", "barnevern_pct", "helse_pct", "bfs_pct",
};
#define CSV_FIXED (sizeof csv_fixed / sizeof csv_fixed[0])

static void csv_record(const struct pv_report *r, struct pv_out *out,
		       const struct pv_report_row *row, char **theme_keys, bool total)
{
	char shown[16];

	pv_out_begin_record(out);
	pv_out_str(out, "unit", total ? NULL : row->unit);
	pv_out_str(out, "name", row->name);
	pv_out_str(out, "kind", row->kind);
	pv_out_str(out, "meeting_kind", row->meeting_kind);
	pv_out_int(out, "planned", row->planned);
	pv_out_int(out, "held", row->held);
	pv_out_int(out, "cancelled", row->cancelled);
	pv_out_int(out, "unlogged", row->unlogged);
	pv_out_int(out, "upcoming", row->upcoming);
	if (row->minimum) {
		pv_out_int(out, "minimum", row->minimum);
		pv_out_str(out, "minimum_per", row->per_school_year ? "school-year" : "half-year");
		pv_out_int(out, "counted", row->counted);
		pv_out_str(out, "status", pv_report_status_name(row->status));
	}
	pv_out_int(out, "veiledningsteam", row->veiledningsteam);
	pv_out_int(out, "apen_dor", row->apen_dor);
	pv_out_int(out, "cases", row->cases);
	pv_out_int(out, "anonymous", row->anonymous);
	pv_out_int(out, "consent", row->consent);
	pv_out_int(out, "actions_opened", row->actions_opened);
	pv_out_int(out, "actions_done", row->actions_done);
	pv_out_int(out, "actions_overdue", row->actions_overdue);
	for (int s = 0; s < PV_REPORT_SERVICES; s++) {
		int pct = report_percent(row->service_present[s], row->service_meetings[s]);

		if (pct >= 0)
			pv_out_int(out, csv_fixed[CSV_FIXED - PV_REPORT_SERVICES + (size_t)s], pct);
	}
	for (size_t c = 0; !r->themes_withheld && c < r->ntheme_columns; c++) {
		const struct pv_report_theme *t = NULL;

		for (size_t i = 0; i < row->nthemes && !t; i++)
			if (row->themes[i].theme == r->theme_columns[c])
				t = &row->themes[i];
		if (!t)
			pv_out_int(out, theme_keys[c], 0);
		else if (t->cell == PV_CELL_SHOWN)
			pv_out_int(out, theme_keys[c], t->count);
		else
			pv_out_str(out, theme_keys[c], report_cell_text(r, t, shown));
	}
	pv_out_end_record(out);
}

static void emit_csv(const struct pv_report *r, struct pv_out *out)
{
	size_t n = CSV_FIXED + r->ntheme_columns;
	const char **columns = calloc(n + 1, sizeof *columns);
	char **theme_keys = calloc(r->ntheme_columns + 1, sizeof *theme_keys);
	bool ok = columns && theme_keys;

	for (size_t i = 0; ok && i < CSV_FIXED; i++)
		columns[i] = csv_fixed[i];
	for (size_t c = 0; ok && c < r->ntheme_columns; c++) {
		size_t len = strlen(r->theme_columns[c]) + 7;

		theme_keys[c] = malloc(len);
		ok = theme_keys[c] != NULL;
		if (ok) {
			snprintf(theme_keys[c], len, "theme:%s", r->theme_columns[c]);
			columns[CSV_FIXED + c] = theme_keys[c];
		}
	}
	if (ok) {
		pv_out_begin_table(out, "units", columns);
		for (size_t i = 0; !r->no_data && i < r->nrows; i++)
			csv_record(r, out, &r->rows[i], theme_keys, false);
		if (!r->no_data && !r->unit)
			csv_record(r, out, &r->total, theme_keys, true);
		pv_out_end_table(out);
	} else {
		/* the emitter reports it at pv_out_end: an unbalanced document */
		pv_out_begin_table(out, "units", NULL);
	}
	for (size_t c = 0; theme_keys && c < r->ntheme_columns; c++)
		free(theme_keys[c]);
	free(theme_keys);
	free(columns);
}

/* ---- text: narrow tables ---- */

/* The unit id cut to the text width into buf: its start, "…" and its end,
 * which tells "barnehagegruppe-nord" from "barnehagegruppe-sor". */
static const char *text_unit(const char *slug, char buf[64])
{
	size_t n = strlen(slug), head = (TEXT_UNIT_WIDTH - 1) / 2;
	size_t tail = TEXT_UNIT_WIDTH - 1 - head;

	if (n <= TEXT_UNIT_WIDTH)
		return slug;
	/* ids are ASCII slugs (team import checks), so bytes are columns */
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)slug[i] >= 0x80)
			return slug;
	snprintf(buf, 64, "%.*s…%s", (int)head, slug, slug + n - tail);
	return buf;
}

static const char *row_label(const struct pv_report_row *row, bool total, char buf[64])
{
	/* unit ids are lower case, so the total can never be taken for one */
	return total ? "TOTAL" : text_unit(row->unit, buf);
}

static void text_meetings(const struct pv_report *r, struct pv_out *out)
{
	static const char *const cols[] = {
		"unit", "planned", "held", "cancelled", "unlogged", "upcoming", "min", "status",
		NULL,
	};
	char buf[64], min[16];

	pv_out_begin_table(out, "meetings", cols);
	for (size_t i = 0; i <= r->nrows; i++) {
		bool total = i == r->nrows;
		const struct pv_report_row *row = total ? &r->total : &r->rows[i];

		if (total && r->unit)
			break;
		pv_out_begin_record(out);
		pv_out_str(out, "unit", row_label(row, total, buf));
		pv_out_int(out, "planned", row->planned);
		pv_out_int(out, "held", row->held);
		pv_out_int(out, "cancelled", row->cancelled);
		pv_out_int(out, "unlogged", row->unlogged);
		pv_out_int(out, "upcoming", row->upcoming);
		pv_out_str(out, "min", report_minimum_text(row, min));
		/* text only: for people, in their language */
		pv_out_str(out, "status", total ? "-" : _(pv_report_status_label(row->status)));
		pv_out_end_record(out);
	}
	pv_out_end_table(out);
}

static void text_cases(const struct pv_report *r, struct pv_out *out)
{
	static const char *const cols[] = {
		"unit", "vteam", "apen_dor", "cases", "anon", "consent", "actions", "done",
		"overdue", NULL,
	};
	char buf[64];

	pv_out_begin_table(out, "cases_and_actions", cols);
	for (size_t i = 0; i <= r->nrows; i++) {
		bool total = i == r->nrows;
		const struct pv_report_row *row = total ? &r->total : &r->rows[i];

		if (total && r->unit)
			break;
		pv_out_begin_record(out);
		pv_out_str(out, "unit", row_label(row, total, buf));
		pv_out_int(out, "vteam", row->veiledningsteam);
		pv_out_int(out, "apen_dor", row->apen_dor);
		pv_out_int(out, "cases", row->cases);
		pv_out_int(out, "anon", row->anonymous);
		pv_out_int(out, "consent", row->consent);
		pv_out_int(out, "actions", row->actions_opened);
		pv_out_int(out, "done", row->actions_done);
		pv_out_int(out, "overdue", row->actions_overdue);
		pv_out_end_record(out);
	}
	pv_out_end_table(out);
}

static void text_attendance(const struct pv_report *r, struct pv_out *out)
{
	static const char *const cols[] = {
		"unit", "meetings", "ppt", "barnevern", "helse", "bfs", NULL,
	};
	char buf[64], pct[16];

	pv_out_begin_table(out, "attendance", cols);
	for (size_t i = 0; i <= r->nrows; i++) {
		bool total = i == r->nrows;
		const struct pv_report_row *row = total ? &r->total : &r->rows[i];

		if (total && r->unit)
			break;
		pv_out_begin_record(out);
		pv_out_str(out, "unit", row_label(row, total, buf));
		pv_out_int(out, "meetings", row->held);
		for (int s = 0; s < PV_REPORT_SERVICES; s++) {
			int p = report_percent(row->service_present[s], row->service_meetings[s]);

			if (p < 0)
				snprintf(pct, sizeof pct, "-");
			else
				snprintf(pct, sizeof pct, "%d%%", p);
			pv_out_str(out, pv_report_service_name(s), pct);
		}
		pv_out_end_record(out);
	}
	pv_out_end_table(out);
}

static void text_themes(const struct pv_report *r, struct pv_out *out)
{
	static const char *const cols[] = { "unit", "theme", "count", NULL };
	char buf[64], shown[16];

	pv_out_begin_table(out, "themes", cols);
	for (size_t i = 0; i <= r->nrows; i++) {
		bool total = i == r->nrows;
		const struct pv_report_row *row = total ? &r->total : &r->rows[i];

		if (total && r->unit)
			break;
		for (size_t k = 0; k < row->nthemes; k++) {
			pv_out_begin_record(out);
			pv_out_str(out, "unit", k ? "" : row_label(row, total, buf));
			pv_out_str(out, "theme", row->themes[k].theme);
			pv_out_str(out, "count", report_cell_text(r, &row->themes[k], shown));
			pv_out_end_record(out);
		}
	}
	pv_out_end_table(out);
}

/* Length in bytes of the next line of at most `width` columns of s,
 * broken at a space where there is one; *skip is what to jump over after
 * it (the space or line break). */
static size_t wrap_line(const char *s, size_t width, size_t *skip)
{
	size_t i = 0, w = 0, space = 0;
	bool have_space = false;

	*skip = 0;
	while (s[i] && s[i] != '\n') {
		size_t next = i + 1;

		while (s[next] && ((unsigned char)s[next] & 0xC0) == 0x80)
			next++;
		if (w + 1 > width)
			break;
		if (s[i] == ' ') {
			space = i;
			have_space = true;
		}
		w++;
		i = next;
	}
	if (!s[i] || s[i] == '\n') {
		*skip = s[i] == '\n';
		return i;
	}
	if (s[i] == ' ') {
		*skip = 1;
		return i;
	}
	if (have_space && space > 0) {
		*skip = 1;
		return space;
	}
	return i;   /* one word wider than the column: cut it */
}

static void text_wrapped(struct pv_out *out, const char *unit, const char *date,
			 const char *key, const char *text)
{
	const char *p = text;
	bool first = true;

	while (first || *p) {
		size_t skip, n = wrap_line(p, TEXT_WRAP, &skip);
		char *line = strndup(p, n);

		pv_out_begin_record(out);
		pv_out_str(out, "unit", first ? unit : "");
		pv_out_str(out, "date", first ? date : "");
		pv_out_str(out, key, line ? line : "");
		pv_out_end_record(out);
		free(line);
		p += n + skip;
		first = false;
		if (!n && !skip)
			break;
	}
}

static void text_texts(const struct pv_report *r, struct pv_out *out, bool reasons)
{
	static const char *const reason_cols[] = { "unit", "date", "reason", NULL };
	static const char *const text_cols[] = { "unit", "date", "text", NULL };
	char buf[64], date[11];

	pv_out_begin_table(out, reasons ? "cancelled" : "experiences",
			   reasons ? reason_cols : text_cols);
	for (size_t i = 0; i < r->nrows; i++) {
		const struct pv_report_row *row = &r->rows[i];
		const struct pv_report_text *t = reasons ? row->cancellations : row->experiences;
		size_t n = reasons ? row->ncancellations : row->nexperiences;

		for (size_t k = 0; k < n; k++)
			text_wrapped(out, text_unit(t[k].unit, buf),
				     t[k].date ? pv_date_format(t[k].date, date) : "note",
				     reasons ? "reason" : "text", t[k].text);
	}
	pv_out_end_table(out);
}

static void emit_text(const struct pv_report *r, struct pv_out *out)
{
	char d1[11], d2[11], period[16], line[160];
	int used = 0;

	pv_out_str(out, "municipality", r->municipality);
	pv_out_str(out, "recipient", r->recipient);
	snprintf(line, sizeof line, "%s (%s – %s)", report_period_name(r, period),
		 pv_date_format(r->from, d1), pv_date_format(r->to, d2));
	pv_out_str(out, "period", line);
	if (r->unit)
		pv_out_str(out, "unit", r->unit);
	pv_out_str(out, "due", pv_date_format(r->due, d1));
	pv_out_str(out, "as_of", pv_date_format(r->as_of, d1));
	if (r->sent) {
		snprintf(line, sizeof line, _("%s by %s"), pv_date_format(r->sent_date, d1),
			 r->sent_by);
		pv_out_str(out, "sent", line);
	} else {
		pv_out_str(out, "sent", _("not yet"));
	}
	if (r->no_data) {
		if (r->unit)
			pv_out_note(out, "No meetings are planned, held or logged in %s for %s: "
				    "there is nothing to report.", period, r->unit);
		else
			pv_out_note(out, "No meetings are planned, held or logged in %s: there is "
				    "nothing to report.", period);
		return;
	}
	line[0] = '\0';
	for (int s = PV_REPORT_MET; s < PV_REPORT_STATUSES; s++) {
		if (!r->status_count[s])
			continue;
		used += snprintf(line + used, sizeof line - (size_t)used, "%s%d %s",
				 used ? ", " : "", r->status_count[s],
				 _(pv_report_status_label((enum pv_report_status)s)));
	}
	pv_out_str(out, "status", used ? line : "-");
	if (r->suppressed)
		pv_out_note(out, "<%d: fewer than %d (prikking). So that none can be worked out "
			    "by\nsubtraction, some zeros show as <%d too and some larger "
			    "numbers as *.", r->suppress_below, r->suppress_below,
			    r->suppress_below);
	if (r->themes_withheld)
		pv_out_note(out, "Themes: too few cases to publish any theme count safely.");
	for (size_t i = 0; i < r->nrows; i++)
		if (r->rows[i].per_school_year)
			pv_out_note(out, "%s: the minimum counts the school year %d/%02d.",
				    r->rows[i].unit, r->half == 2 ? r->year : r->year - 1,
				    (r->half == 2 ? r->year + 1 : r->year) % 100);
	text_meetings(r, out);
	text_cases(r, out);
	text_attendance(r, out);
	if (!r->themes_withheld)
		text_themes(r, out);
	text_texts(r, out, true);
	text_texts(r, out, false);
}

void pv_report_emit(const struct pv_report *report, struct pv_out *out)
{
	pv_out_begin(out, "report");
	switch (pv_out_format(out)) {
	case PV_FORMAT_CSV:
		emit_csv(report, out);
		break;
	case PV_FORMAT_TEXT:
		emit_text(report, out);
		break;
	default:
		emit_json(report, out);
	}
}
