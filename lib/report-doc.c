/* The half-year report as documents for people: Markdown for e-mail, printable XHTML with an SVG chart. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patvers/i18n.h"
#include "report-internal.h"
#include "utf8-internal.h"

/*
 * The documents are in the language of the messages (LANG, see
 * include/patvers/i18n.h): every word of ours goes through _(), one label
 * or one whole sentence per message, never with Markdown or XHTML in it;
 * the markup is added here and translated text is escaped like data.
 * Numbers and dates stay as they are in every language.
 */

/* The tables' columns, translated when written; "n" in the next string
 * marks a column of numbers (right-aligned). */
static const char *const meeting_cols[] = {
	N_("Unit"),
	/* TRANSLATORS: a column: the meetings planned in the half-year */
	N_("Planned"),
	/* TRANSLATORS: a column: the meetings held */
	N_("Held"),
	N_("Cancelled"),
	/* TRANSLATORS: a column: past meetings neither logged as held nor cancelled */
	N_("Not logged"),
	/* TRANSLATORS: a column: the meetings still ahead in the half-year */
	N_("Still planned"),
	/* TRANSLATORS: a column: the minimum number of meetings in the rules */
	N_("Minimum"),
	/* TRANSLATORS: a column: met, on track, at risk or missed */
	N_("Status"),
	NULL,
};
static const char meeting_kinds[] = "-nnnnnn-";

static const char *const case_cols[] = {
	N_("Unit"), "Veiledningsteam", "Åpen dør",
	/* TRANSLATORS: a column: the cases discussed */
	N_("Cases"),
	/* TRANSLATORS: a column: cases discussed anonymously */
	N_("Anonymous"),
	/* TRANSLATORS: a column: cases discussed with the parents' consent */
	N_("With consent"),
	/* TRANSLATORS: a column: the actions (tiltak) agreed in the meetings */
	N_("Actions"),
	/* TRANSLATORS: a column: the actions done */
	N_("Done"),
	/* TRANSLATORS: a column: the actions not done by their date */
	N_("Overdue"),
	NULL,
};
static const char case_kinds[] = "-nnnnnnnn";

static const char *const theme_cols[] = {
	N_("Unit"),
	/* TRANSLATORS: a column: the cases' themes, each with its number of cases */
	N_("Themes (cases)"),
	NULL,
};
static const char theme_kinds[] = "--";

static const char *const attendance_cols[] = {
	N_("Unit"),
	/* TRANSLATORS: a column: the number of meetings held */
	N_("Meetings held"),
	"PPT", "Barnevern", "Helse", "BFS", NULL,
};
static const char attendance_kinds[] = "-nnnnn";

/* The sentences both documents write. */
#define REPORT_TITLE _("«På tvers»: half-year report %s")
/* TRANSLATORS: what the meetings table counts for each kind of unit */
#define MEETINGS_LEGEND _("Systemmøter; for the Nærværsteam its consultations, for God " \
			  "oppvekst its meetings.")
/* TRANSLATORS: after the meetings legend in the printable report, under the chart */
#define CHART_LEGEND _("Bars: planned and held; the line marks the minimum.")
/* TRANSLATORS: e.g. God oppvekst: the minimum counts the school year 2026/27 (1 held so far). */
#define SCHOOL_YEAR_NOTE _("%s: the minimum counts the school year %s (%d held so far).")
#define THEMES_WITHHELD _("Too few cases to publish any theme count safely.")
/* TRANSLATORS: under the themes table; <3 is how a number below 3 is shown */
#define PRIKKING_NOTE _("<%d: fewer than %d, not published (prikking). So that none can be " \
			"worked out by subtraction, some zeros show as <%d too and some " \
			"larger numbers as *.")
#define ATTENDANCE_LEGEND \
	_("Share of the meetings held where the service was present or stood in for.")
/* TRANSLATORS: the whole report when there is no data; %s is the half-year, H1 2026 */
#define NO_DATA _("No meetings are planned, held or logged in %s: there is nothing to report.")
/* TRANSLATORS: the same for one unit: in H1 2026 for alfa (the unit's id) */
#define NO_DATA_UNIT _("No meetings are planned, held or logged in %s for %s: there is " \
		       "nothing to report.")

static const char *meeting_kind_label(const char *kind)
{
	static const struct {
		const char *kind, *label;
	} labels[] = {
		{ "systemmote", "systemmøte" },
		{ "veiledningsteam", "veiledningsteam" },
		{ "naervaer", "Nærværsteam" },
		{ "god-oppvekst", "God oppvekst" },
		{ "apen-dor", "«Åpen dør»" },
		/* TRANSLATORS: a unit's own note in the half-year report */
		{ "note", N_("note") },
	};

	for (size_t i = 0; kind && i < sizeof labels / sizeof labels[0]; i++)
		if (strcmp(kind, labels[i].kind) == 0)
			return _(labels[i].label);
	return kind ? kind : "";
}

static const char *status_text(enum pv_report_status s)
{
	return _(pv_report_status_label(s));
}

/* "2 met, 1 on track" or "-" into buf, translated. */
static char *status_summary(const struct pv_report *r, char *buf, size_t size)
{
	size_t used = 0;

	buf[0] = '\0';
	for (int s = PV_REPORT_MET; s < PV_REPORT_STATUSES && used < size; s++) {
		if (!r->status_count[s])
			continue;
		used += (size_t)snprintf(buf + used, size - used, "%s%d %s", used ? ", " : "",
					 r->status_count[s],
					 status_text((enum pv_report_status)s));
	}
	if (!used)
		snprintf(buf, size, "-");
	return buf;
}

static char *school_year_text(const struct pv_report *r, char buf[16])
{
	int start = r->half == 2 ? r->year : r->year - 1;

	snprintf(buf, 16, "%d/%02d", start, (start + 1) % 100);
	return buf;
}

/* The minimum for a table: "2", "-" or, per school year, "2/yr". */
static char *minimum_text(const struct pv_report_row *row, char buf[16])
{
	if (row->minimum && row->per_school_year)
		/* TRANSLATORS: a minimum per school year in a table cell: 2/yr */
		snprintf(buf, 16, _("%d/yr"), row->minimum);
	else
		report_minimum_text(row, buf);
	return buf;
}

/* How text is written into a document: md_text or xml_text. */
typedef void escape_fn(struct sb *b, const char *text);

/* A (translated) sentence with its arguments, escaped by esc into b. */
static void put_escaped(struct sb *b, escape_fn *esc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void put_escaped(struct sb *b, escape_fn *esc, const char *fmt, ...)
{
	struct sb t = { 0 };
	va_list ap;
	char *s;

	va_start(ap, fmt);
	sb_vprintf(&t, fmt, ap);
	va_end(ap);
	s = sb_take(&t);
	if (!s) {
		b->oom = true;
		return;
	}
	esc(b, s);
	free(s);
}

/* s escaped by esc as a new string between before and after (both
 * markup), or NULL when memory ran out (then b is marked). Caller frees. */
static char *escaped(struct sb *b, escape_fn *esc, const char *before, const char *s,
		     const char *after)
{
	struct sb t = { 0 };
	char *out;

	sb_puts(&t, before);
	esc(&t, s);
	sb_puts(&t, after);
	out = sb_take(&t);
	if (!out)
		b->oom = true;
	return out;
}

/* "<municipality> to <recipient>", the municipality emphasised with
 * strong_on and strong_off. */
static void put_to(struct sb *b, escape_fn *esc, const struct pv_report *r,
		   const char *strong_on, const char *strong_off)
{
	char *from = escaped(b, esc, strong_on, r->municipality, strong_off);
	char *to = escaped(b, esc, "", r->recipient, "");

	if (from && to)
		/* TRANSLATORS: under the title: Fjordvik kommune to kommunalsjef Oppvekst */
		sb_printf(b, _("%s to %s"), from, to);
	free(from);
	free(to);
}

/* ---- Markdown ---- */

/* Text as one Markdown line: characters with a meaning escaped, line
 * breaks and tabs as spaces. */
static void md_text(struct sb *b, const char *s)
{
	for (; *s; s++) {
		if (strchr("\\`*_[]<>|#~", *s))
			sb_putc(b, '\\');
		sb_putc(b, *s == '\n' || *s == '\t' || *s == '\r' ? ' ' : *s);
	}
}

/* The head of a table: the columns (NULL-terminated, translated here),
 * then the rule line. */
static void md_head(struct sb *b, const char *const *cols, const char *rule)
{
	for (; *cols; cols++) {
		sb_puts(b, "| ");
		md_text(b, _(*cols));
		sb_putc(b, ' ');
	}
	sb_puts(b, "|\n");
	sb_puts(b, rule);
	sb_putc(b, '\n');
}

/* A section's heading and the blank line after it. */
static void md_heading(struct sb *b, const char *text)
{
	sb_puts(b, "\n## ");
	md_text(b, text);
	sb_puts(b, "\n\n");
}

/* One line of the facts table: label, then the value as it is. */
static void md_fact(struct sb *b, const char *label)
{
	sb_puts(b, "| ");
	md_text(b, label);
	sb_puts(b, " | ");
}

static void md_unit(struct sb *b, const struct pv_report_row *row, bool total)
{
	if (total) {
		sb_puts(b, "**");
		md_text(b, row->name);
		sb_puts(b, "**");
		return;
	}
	md_text(b, row->name);
	sb_puts(b, " (");
	md_text(b, row->unit);
	sb_putc(b, ')');
}

/* The i-th line of a table: the rows, then the municipality unless the
 * report is one unit's; NULL after the last. */
static const struct pv_report_row *line_at(const struct pv_report *r, size_t i, bool *total)
{
	*total = i == r->nrows;
	if (i < r->nrows)
		return &r->rows[i];
	return i == r->nrows && !r->unit ? &r->total : NULL;
}

/* How a document writes one fact under its title: the label cell, the
 * value escaped with `text`, then `end`. */
struct fact_style {
	void (*label)(struct sb *b, const char *label);
	escape_fn *text;
	const char *end;
};

/* The facts under the title, the same in Markdown and HTML: period, unit,
 * due, as of, sent and (with data) status. */
static void put_facts(const struct pv_report *r, struct sb *b, const struct fact_style *st)
{
	char d1[11], d2[11], status[160];

	/* TRANSLATORS: a fact at the top of the report: the half-year's dates */
	st->label(b, _("Period"));
	sb_printf(b, "%s – %s%s", pv_date_format(r->from, d1), pv_date_format(r->to, d2),
		  st->end);
	if (r->unit) {
		st->label(b, _("Unit"));
		st->text(b, r->rows[0].name);
		sb_puts(b, st->end);
	}
	/* TRANSLATORS: a fact at the top of the report: its deadline */
	st->label(b, _("Due"));
	sb_printf(b, "%s%s", pv_date_format(r->due, d1), st->end);
	/* TRANSLATORS: a fact at the top of the report: the day the figures count to */
	st->label(b, _("As of"));
	sb_printf(b, "%s%s", pv_date_format(r->as_of, d1), st->end);
	/* TRANSLATORS: a fact at the top of the report: when it was sent */
	st->label(b, _("Sent"));
	if (r->sent)
		/* TRANSLATORS: when and by whom the report was sent: 2026-12-14 by Ada Aas */
		put_escaped(b, st->text, _("%s by %s"), pv_date_format(r->sent_date, d1),
			    r->sent_by);
	else
		/* TRANSLATORS: the report is not sent yet */
		st->text(b, _("not yet"));
	sb_puts(b, st->end);
	if (!r->no_data) {
		st->label(b, _("Status"));
		st->text(b, status_summary(r, status, sizeof status));
		sb_puts(b, st->end);
	}
}

static void md_header(const struct pv_report *r, struct sb *b)
{
	char period[16];

	sb_puts(b, "# ");
	put_escaped(b, md_text, REPORT_TITLE, report_period_name(r, period));
	sb_puts(b, "\n\n");
	put_to(b, md_text, r, "**", "**");
	sb_puts(b, "\n\n| | |\n|---|---|\n");
	put_facts(r, b, &(const struct fact_style){ md_fact, md_text, " |\n" });
}

static void md_meetings(const struct pv_report *r, struct sb *b)
{
	const struct pv_report_row *row;
	bool total;
	char min[16];

	md_heading(b, _("Meetings"));
	md_text(b, MEETINGS_LEGEND);
	sb_puts(b, "\n\n");
	md_head(b, meeting_cols, "|---|--:|--:|--:|--:|--:|--:|---|");
	for (size_t i = 0; (row = line_at(r, i, &total)); i++) {
		sb_puts(b, "| ");
		md_unit(b, row, total);
		sb_printf(b, " | %d | %d | %d | %d | %d | %s | ", row->planned, row->held,
			  row->cancelled, row->unlogged, row->upcoming, minimum_text(row, min));
		md_text(b, total ? "" : status_text(row->status));
		sb_puts(b, " |\n");
	}
	for (size_t i = 0; i < r->nrows; i++)
		if (r->rows[i].per_school_year) {
			char sy[16];
			/* a blank line first: a line right under a table is a row */
			sb_putc(b, '\n');
			put_escaped(b, md_text, SCHOOL_YEAR_NOTE, r->rows[i].name,
				    school_year_text(r, sy), r->rows[i].counted);
			sb_putc(b, '\n');
		}
}

static void md_cases(const struct pv_report *r, struct sb *b)
{
	const struct pv_report_row *row;
	bool total;
	md_heading(b, _("Cases and actions"));
	md_head(b, case_cols, "|---|--:|--:|--:|--:|--:|--:|--:|--:|");
	for (size_t i = 0; (row = line_at(r, i, &total)); i++) {
		sb_puts(b, "| ");
		md_unit(b, row, total);
		sb_printf(b, " | %d | %d | %d | %d | %d | %d | %d | %d |\n", row->veiledningsteam,
			  row->apen_dor, row->cases, row->anonymous, row->consent,
			  row->actions_opened, row->actions_done, row->actions_overdue);
	}
}

static void md_themes(const struct pv_report *r, struct sb *b)
{
	const struct pv_report_row *row;
	bool total;
	char shown[16];

	md_heading(b, _("Themes"));
	if (r->themes_withheld) {
		md_text(b, THEMES_WITHHELD);
		sb_putc(b, '\n');
		return;
	}
	md_head(b, theme_cols, "|---|---|");
	for (size_t i = 0; (row = line_at(r, i, &total)); i++) {
		sb_puts(b, "| ");
		md_unit(b, row, total);
		sb_puts(b, " | ");
		for (size_t k = 0; k < row->nthemes; k++) {
			sb_puts(b, k ? ", " : "");
			md_text(b, row->themes[k].theme);
			sb_putc(b, ' ');
			md_text(b, report_cell_text(r, &row->themes[k], shown));
		}
		sb_puts(b, row->nthemes ? " |\n" : "- |\n");
	}
	if (r->suppressed) {
		sb_putc(b, '\n');
		put_escaped(b, md_text, PRIKKING_NOTE, r->suppress_below, r->suppress_below,
			    r->suppress_below);
		sb_putc(b, '\n');
	}
}

static void md_attendance(const struct pv_report *r, struct sb *b)
{
	const struct pv_report_row *row;
	bool total;
	md_heading(b, _("Service attendance"));
	md_text(b, ATTENDANCE_LEGEND);
	sb_puts(b, "\n\n");
	md_head(b, attendance_cols, "|---|--:|--:|--:|--:|--:|");
	for (size_t i = 0; (row = line_at(r, i, &total)); i++) {
		sb_puts(b, "| ");
		md_unit(b, row, total);
		sb_printf(b, " | %d |", row->held);
		for (int s = 0; s < PV_REPORT_SERVICES; s++) {
			int p = report_percent(row->service_present[s], row->service_meetings[s]);
			if (p < 0)
				sb_puts(b, " - |");
			else
				sb_printf(b, " %d %% |", p);
		}
		sb_putc(b, '\n');
	}
}

static void md_texts(const struct pv_report *r, struct sb *b, bool reasons)
{
	bool any = false;
	char date[11];

	if (reasons) {
		md_heading(b, _("Cancelled meetings"));
	} else {
		sb_puts(b, "\n## ");
		md_text(b, _("Experiences"));
		sb_putc(b, '\n');
	}
	for (size_t i = 0; i < r->nrows; i++) {
		const struct pv_report_row *row = &r->rows[i];
		const struct pv_report_text *t = reasons ? row->cancellations : row->experiences;
		size_t n = reasons ? row->ncancellations : row->nexperiences;

		if (!n)
			continue;
		any = true;
		if (!reasons) {
			sb_puts(b, "\n### ");
			md_text(b, row->name);
			sb_puts(b, "\n\n");
		}
		for (size_t k = 0; k < n; k++) {
			sb_puts(b, "- ");
			if (reasons) {
				md_text(b, row->name);
				sb_printf(b, ", %s: ", pv_date_format(t[k].date, date));
			} else if (!t[k].date) {
				sb_puts(b, "*");
				/* TRANSLATORS: before a unit's own note in the report */
				md_text(b, _("Note"));
				if (strcmp(t[k].unit, row->unit) != 0) {
					sb_puts(b, ", ");
					md_text(b, t[k].unit);
				}
				sb_puts(b, ":* ");
			} else {
				sb_printf(b, "*%s, %s", pv_date_format(t[k].date, date),
					  meeting_kind_label(t[k].kind));
				if (strcmp(t[k].unit, row->unit) != 0) {
					sb_puts(b, ", ");
					md_text(b, t[k].unit);
				}
				sb_puts(b, ":* ");
			}
			md_text(b, t[k].text);
			sb_putc(b, '\n');
		}
	}
	if (!any && reasons) {
		/* TRANSLATORS: no meeting was cancelled */
		md_text(b, _("None."));
		sb_putc(b, '\n');
	} else if (!any) {
		sb_putc(b, '\n');
		/* TRANSLATORS: no unit wrote experiences or notes */
		md_text(b, _("None written."));
		sb_putc(b, '\n');
	}
}

enum pv_status pv_report_markdown(const struct pv_report *r, char **text,
				  struct pv_error *err)
{
	struct sb b = { 0 };
	char period[16];

	md_header(r, &b);
	if (r->no_data) {
		sb_putc(&b, '\n');
		if (r->unit)
			put_escaped(&b, md_text, NO_DATA_UNIT, report_period_name(r, period),
				    r->unit);
		else
			put_escaped(&b, md_text, NO_DATA, report_period_name(r, period));
		sb_putc(&b, '\n');
	} else {
		md_meetings(r, &b);
		md_cases(r, &b);
		md_themes(r, &b);
		md_attendance(r, &b);
		md_texts(r, &b, true);
		md_texts(r, &b, false);
	}
	*text = sb_take(&b);
	return *text ? PV_OK : pv_error_set(err, PV_ESOFTWARE, "out of memory");
}

/* ---- XHTML ---- */

/* The next code point of valid UTF-8 at s (its length in *len), or -1
 * for an invalid byte (length 1). s is NUL-terminated. */
static long utf8_next(const unsigned char *s, size_t *len)
{
	size_t n = pv_utf8_seq(s, strnlen((const char *)s, 4));

	*len = n ? n : 1;
	return n ? (long)pv_utf8_decode(s, n) : -1;
}

/* Text as XML character data or attribute value: markup escaped, bytes
 * that are not UTF-8 and characters XML 1.0 forbids replaced, so the
 * document stays well-formed whatever the database holds. */
static void xml_text(struct sb *b, const char *text)
{
	const unsigned char *s = (const unsigned char *)text;

	while (*s) {
		size_t len;
		long cp = utf8_next(s, &len);

		if (cp < 0 || cp == 0xFFFE || cp == 0xFFFF)
			sb_puts(b, "\xEF\xBF\xBD");
		else if (cp == '&')
			sb_puts(b, "&amp;");
		else if (cp == '<')
			sb_puts(b, "&lt;");
		else if (cp == '>')
			sb_puts(b, "&gt;");
		else if (cp == '"')
			sb_puts(b, "&quot;");
		else if (cp < 0x20 && cp != '\n' && cp != '\t')
			sb_putc(b, ' ');
		else
			sb_add(b, (const char *)s, len);
		s += len;
	}
}

static const char html_style[] =
	"@page { size: A4; margin: 16mm 14mm 18mm 14mm; }\n"
	"body { font-family: 'Segoe UI', Arial, Helvetica, sans-serif; font-size: 10pt;"
	" color: #111; margin: 0; }\n"
	"h1 { font-size: 16pt; margin: 0 0 2mm 0; }\n"
	"h2 { font-size: 12pt; margin: 6mm 0 2mm 0; border-bottom: 1px solid #999; }\n"
	"h3 { font-size: 10.5pt; margin: 3mm 0 1mm 0; }\n"
	"p.to { margin: 0 0 3mm 0; }\n"
	"table { border-collapse: collapse; width: 100%; margin: 1mm 0 2mm 0; }\n"
	"th, td { border: 1px solid #bbb; padding: 1mm 1.5mm; vertical-align: top; }\n"
	"th { background: #eef2f6; text-align: left; font-weight: 600; }\n"
	"td.n, th.n { text-align: right; }\n"
	"tr { page-break-inside: avoid; }\n"
	"tr.total td { font-weight: 600; background: #f6f6f6; }\n"
	"table.facts { width: auto; }\n"
	"table.facts th { background: none; border: none; padding-left: 0; }\n"
	"table.facts td { border: none; }\n"
	".met { color: #1a6b2a; } .on-track { color: #2a4f8a; }"
	" .at-risk { color: #9a6400; } .missed { color: #a31515; font-weight: 600; }\n"
	"p.legend, p.nodata { font-size: 9pt; color: #333; }\n"
	"p.nodata { font-size: 11pt; font-weight: 600; }\n"
	"svg.chart { width: 100%; height: auto; margin: 1mm 0 2mm 0; }\n"
	"svg.chart text { font-family: inherit; font-size: 10px; fill: #111; }\n"
	"ul { margin: 1mm 0; padding-left: 5mm; }\n"
	"li { margin: 0 0 1mm 0; page-break-inside: avoid; }\n";

/* <tag attributes>text</tag> and a line break. */
static void html_element(struct sb *b, const char *tag, const char *attributes,
			 const char *text)
{
	sb_printf(b, "<%s%s>", tag, attributes);
	xml_text(b, text);
	sb_printf(b, "</%s>\n", tag);
}

/* The head row of a table: the columns (NULL-terminated, translated
 * here), those marked 'n' in kinds as numbers. */
static void html_head(struct sb *b, const char *const *cols, const char *kinds)
{
	sb_puts(b, "<tr>");
	for (size_t i = 0; cols[i]; i++) {
		sb_puts(b, kinds[i] == 'n' ? "<th class=\"n\">" : "<th>");
		xml_text(b, _(cols[i]));
		sb_puts(b, "</th>");
	}
	sb_puts(b, "</tr>\n");
}

static void html_unit(struct sb *b, const struct pv_report_row *row, bool total)
{
	xml_text(b, row->name);
	if (!total) {
		sb_puts(b, " <small>(");
		xml_text(b, row->unit);
		sb_puts(b, ")</small>");
	}
}

static void html_row_start(struct sb *b, const struct pv_report_row *row, bool total)
{
	sb_puts(b, total ? "<tr class=\"total\"><td>" : "<tr><td>");
	html_unit(b, row, total);
	sb_puts(b, "</td>");
}

static void html_num(struct sb *b, int n)
{
	sb_printf(b, "<td class=\"n\">%d</td>", n);
}

/* <tr><th>label</th><td> */
static void html_fact(struct sb *b, const char *label)
{
	sb_puts(b, "<tr><th>");
	xml_text(b, label);
	sb_puts(b, "</th><td>");
}

static void html_header(const struct pv_report *r, struct sb *b)
{
	char period[16];
	/* TRANSLATORS: the language tag of the printable report (nb, nn, de …) */
	const char *lang = _("en");

	report_period_name(r, period);
	sb_puts(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE html>\n"
		"<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"");
	xml_text(b, lang);
	sb_puts(b, "\" xml:lang=\"");
	xml_text(b, lang);
	sb_puts(b, "\">\n<head>\n<meta charset=\"UTF-8\"/>\n<title>");
	put_escaped(b, xml_text, REPORT_TITLE, period);
	sb_puts(b, " – ");
	xml_text(b, r->municipality);
	sb_puts(b, "</title>\n<style>\n");
	sb_puts(b, html_style);
	sb_puts(b, "</style>\n</head>\n<body>\n<h1>");
	put_escaped(b, xml_text, REPORT_TITLE, period);
	sb_puts(b, "</h1>\n<p class=\"to\">");
	put_to(b, xml_text, r, "<strong>", "</strong>");
	sb_puts(b, "</p>\n<table class=\"facts\">\n");
	put_facts(r, b, &(const struct fact_style){ html_fact, xml_text, "</td></tr>\n" });
	sb_puts(b, "</table>\n");
}

#define CHART_LABEL 200      /* room for the unit names */
#define CHART_BARS 400       /* the longest bar */
#define CHART_ROW 24
#define CHART_TOP 22
#define CHART_RIGHT 80       /* room for "2 of 3 held" right of the bars */

/* About how wide text is drawn, in the chart's units (10px type, 5.5 a
 * character), so that a longer translation moves what follows it. */
static int chart_text_width(const char *text)
{
	return (int)(report_width(text, strlen(text)) * 11 / 2);
}

/* "2 of 3 held" for a row, into buf. */
static char *chart_figures(const struct pv_report_row *row, char *buf, size_t size)
{
	/* TRANSLATORS: in the chart, right of a unit's bars: 2 of 3 planned meetings held */
	snprintf(buf, size, _("%d of %d held"), row->held, row->planned);
	return buf;
}

/* One bar pair per row (planned above held) and the minimum as a line. */
static void html_chart(const struct pv_report *r, struct sb *b)
{
	int max = 1, height = CHART_TOP + (int)r->nrows * CHART_ROW + 6, right = CHART_RIGHT;
	/* TRANSLATORS: the chart's legend: the light bar (meetings planned) */
	const char *planned = _("planned");
	/* TRANSLATORS: the chart's legend: the dark bar (meetings held) */
	const char *held = _("held");
	/* TRANSLATORS: the chart's legend: the line (the minimum of meetings) */
	const char *minimum = _("minimum");
	int x_held, x_min, width;
	char figures[96];

	for (size_t i = 0; i < r->nrows; i++) {
		const struct pv_report_row *row = &r->rows[i];
		int w = 8 + chart_text_width(chart_figures(row, figures, sizeof figures));

		if (row->planned > max)
			max = row->planned;
		if (row->held > max)
			max = row->held;
		if (row->minimum > max)
			max = row->minimum;
		if (w > right)
			right = w;
	}
	/* the legend's second and third entries, after the text before them */
	x_held = CHART_LABEL + 16 + chart_text_width(planned) + 12;
	if (x_held < CHART_LABEL + 80)
		x_held = CHART_LABEL + 80;
	x_min = x_held + 16 + chart_text_width(held) + 12;
	if (x_min < x_held + 70)
		x_min = x_held + 70;
	width = CHART_LABEL + CHART_BARS + right;
	sb_printf(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" "
		  "viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" role=\"img\">\n",
		  width, height, width, height);
	/* TRANSLATORS: the chart's title (shown as its tooltip and read by screen readers) */
	html_element(b, "title", "",
		     _("Meetings planned and held per unit; the dark line marks the minimum"));
	sb_printf(b, "<g class=\"legend\"><rect x=\"%d\" y=\"4\" width=\"12\" height=\"8\" "
		  "fill=\"#a9c4e0\"/><text x=\"%d\" y=\"12\">", CHART_LABEL, CHART_LABEL + 16);
	xml_text(b, planned);
	sb_printf(b, "</text><rect x=\"%d\" y=\"4\" width=\"12\" height=\"8\" fill=\"#1f4e79\"/>"
		  "<text x=\"%d\" y=\"12\">", x_held, x_held + 16);
	xml_text(b, held);
	sb_printf(b, "</text><line x1=\"%d\" y1=\"2\" x2=\"%d\" y2=\"14\" stroke=\"#a31515\" "
		  "stroke-width=\"2\"/><text x=\"%d\" y=\"12\">", x_min, x_min, x_min + 6);
	xml_text(b, minimum);
	sb_puts(b, "</text></g>\n");
	for (size_t i = 0; i < r->nrows; i++) {
		const struct pv_report_row *row = &r->rows[i];
		int top = CHART_TOP + (int)i * CHART_ROW;
		int wp = row->planned * CHART_BARS / max, wh = row->held * CHART_BARS / max;
		int wm = row->minimum * CHART_BARS / max;
		char name[128];
		size_t n = strlen(row->name);

		/* long names are cut so they stay left of the bars */
		if (report_width(row->name, n) > 32) {
			size_t keep = 0, w = 0;
			while (keep < n && w < 31) {
				keep++;
				while (keep < n && ((unsigned char)row->name[keep] & 0xC0) == 0x80)
					keep++;
				w++;
			}
			snprintf(name, sizeof name, "%.*s…", (int)keep, row->name);
		} else {
			snprintf(name, sizeof name, "%s", row->name);
		}
		sb_puts(b, "<g class=\"unit\" data-unit=\"");
		xml_text(b, row->unit);
		sb_printf(b, "\"><text x=\"0\" y=\"%d\">", top + 14);
		xml_text(b, name);
		sb_printf(b, "</text><rect class=\"planned\" x=\"%d\" y=\"%d\" width=\"%d\" "
			  "height=\"9\" fill=\"#a9c4e0\"/><rect class=\"held\" x=\"%d\" y=\"%d\" "
			  "width=\"%d\" height=\"9\" fill=\"#1f4e79\"/>", CHART_LABEL, top + 2, wp,
			  CHART_LABEL, top + 11, wh);
		if (row->minimum) {
			int x = CHART_LABEL + wm;
			sb_printf(b, "<line class=\"minimum\" x1=\"%d\" y1=\"%d\" x2=\"%d\" "
				  "y2=\"%d\" stroke=\"#a31515\" stroke-width=\"2\"/>", x, top,
				  x, top + 22);
		}
		/* the figures after the longest of the bars and the minimum */
		if (wm < wp)
			wm = wp;
		if (wm < wh)
			wm = wh;
		sb_printf(b, "<text x=\"%d\" y=\"%d\">", CHART_LABEL + wm + 8, top + 14);
		xml_text(b, chart_figures(row, figures, sizeof figures));
		sb_puts(b, "</text></g>\n");
	}
	sb_puts(b, "</svg>\n");
}

static void html_meetings(const struct pv_report *r, struct sb *b)
{
	const struct pv_report_row *row;
	bool total;
	char min[16], sy[16];

	html_element(b, "h2", "", _("Meetings"));
	sb_puts(b, "<p class=\"legend\">");
	xml_text(b, MEETINGS_LEGEND);
	sb_putc(b, ' ');
	xml_text(b, CHART_LEGEND);
	sb_puts(b, "</p>\n");
	html_chart(r, b);
	sb_puts(b, "<table>\n");
	html_head(b, meeting_cols, meeting_kinds);
	for (size_t i = 0; (row = line_at(r, i, &total)); i++) {
		html_row_start(b, row, total);
		html_num(b, row->planned);
		html_num(b, row->held);
		html_num(b, row->cancelled);
		html_num(b, row->unlogged);
		html_num(b, row->upcoming);
		sb_puts(b, "<td class=\"n\">");
		xml_text(b, minimum_text(row, min));
		sb_puts(b, "</td>");
		if (total) {
			sb_puts(b, "<td></td></tr>\n");
		} else {
			sb_printf(b, "<td class=\"%s\">", pv_report_status_name(row->status));
			xml_text(b, status_text(row->status));
			sb_puts(b, "</td></tr>\n");
		}
	}
	sb_puts(b, "</table>\n");
	for (size_t i = 0; i < r->nrows; i++)
		if (r->rows[i].per_school_year) {
			sb_puts(b, "<p class=\"legend\">");
			put_escaped(b, xml_text, SCHOOL_YEAR_NOTE, r->rows[i].name,
				    school_year_text(r, sy), r->rows[i].counted);
			sb_puts(b, "</p>\n");
		}
}

static void html_cases(const struct pv_report *r, struct sb *b)
{
	const struct pv_report_row *row;
	bool total;

	html_element(b, "h2", "", _("Cases and actions"));
	sb_puts(b, "<table>\n");
	html_head(b, case_cols, case_kinds);
	for (size_t i = 0; (row = line_at(r, i, &total)); i++) {
		html_row_start(b, row, total);
		html_num(b, row->veiledningsteam);
		html_num(b, row->apen_dor);
		html_num(b, row->cases);
		html_num(b, row->anonymous);
		html_num(b, row->consent);
		html_num(b, row->actions_opened);
		html_num(b, row->actions_done);
		html_num(b, row->actions_overdue);
		sb_puts(b, "</tr>\n");
	}
	sb_puts(b, "</table>\n");
}

static void html_themes(const struct pv_report *r, struct sb *b)
{
	const struct pv_report_row *row;
	bool total;
	char shown[16];

	html_element(b, "h2", "", _("Themes"));
	if (r->themes_withheld) {
		html_element(b, "p", "", THEMES_WITHHELD);
		return;
	}
	sb_puts(b, "<table>\n");
	html_head(b, theme_cols, theme_kinds);
	for (size_t i = 0; (row = line_at(r, i, &total)); i++) {
		html_row_start(b, row, total);
		sb_puts(b, "<td>");
		for (size_t k = 0; k < row->nthemes; k++) {
			sb_puts(b, k ? ", " : "");
			xml_text(b, row->themes[k].theme);
			sb_putc(b, ' ');
			xml_text(b, report_cell_text(r, &row->themes[k], shown));
		}
		sb_puts(b, row->nthemes ? "</td></tr>\n" : "-</td></tr>\n");
	}
	sb_puts(b, "</table>\n");
	if (r->suppressed) {
		sb_puts(b, "<p class=\"legend\">");
		put_escaped(b, xml_text, PRIKKING_NOTE, r->suppress_below, r->suppress_below,
			    r->suppress_below);
		sb_puts(b, "</p>\n");
	}
}

static void html_attendance(const struct pv_report *r, struct sb *b)
{
	const struct pv_report_row *row;
	bool total;

	html_element(b, "h2", "", _("Service attendance"));
	html_element(b, "p", " class=\"legend\"", ATTENDANCE_LEGEND);
	sb_puts(b, "<table>\n");
	html_head(b, attendance_cols, attendance_kinds);
	for (size_t i = 0; (row = line_at(r, i, &total)); i++) {
		html_row_start(b, row, total);
		html_num(b, row->held);
		for (int s = 0; s < PV_REPORT_SERVICES; s++) {
			int p = report_percent(row->service_present[s], row->service_meetings[s]);
			if (p < 0)
				sb_puts(b, "<td class=\"n\">-</td>");
			else
				sb_printf(b, "<td class=\"n\">%d %%</td>", p);
		}
		sb_puts(b, "</tr>\n");
	}
	sb_puts(b, "</table>\n");
}

static void html_texts(const struct pv_report *r, struct sb *b, bool reasons)
{
	bool any = false;
	char date[11];

	html_element(b, "h2", "", reasons ? _("Cancelled meetings") : _("Experiences"));
	for (size_t i = 0; i < r->nrows; i++) {
		const struct pv_report_row *row = &r->rows[i];
		const struct pv_report_text *t = reasons ? row->cancellations : row->experiences;
		size_t n = reasons ? row->ncancellations : row->nexperiences;

		if (!n)
			continue;
		if (!any && reasons)
			sb_puts(b, "<ul>\n");
		any = true;
		if (!reasons) {
			html_element(b, "h3", "", row->name);
			sb_puts(b, "<ul>\n");
		}
		for (size_t k = 0; k < n; k++) {
			sb_puts(b, "<li>");
			if (reasons) {
				xml_text(b, row->name);
				sb_printf(b, ", %s: ", pv_date_format(t[k].date, date));
			} else {
				sb_puts(b, "<em>");
				if (t[k].date) {
					sb_printf(b, "%s, ", pv_date_format(t[k].date, date));
					xml_text(b, meeting_kind_label(t[k].kind));
				} else {
					xml_text(b, _("Note"));
				}
				if (strcmp(t[k].unit, row->unit) != 0) {
					sb_puts(b, ", ");
					xml_text(b, t[k].unit);
				}
				sb_puts(b, ":</em> ");
			}
			xml_text(b, t[k].text);
			sb_puts(b, "</li>\n");
		}
		if (!reasons)
			sb_puts(b, "</ul>\n");
	}
	if (any && reasons)
		sb_puts(b, "</ul>\n");
	if (!any)
		html_element(b, "p", "", reasons ? _("None.") : _("None written."));
}

enum pv_status pv_report_html(const struct pv_report *r, char **text, struct pv_error *err)
{
	struct sb b = { 0 };
	char period[16];

	html_header(r, &b);
	if (r->no_data) {
		sb_puts(&b, "<p class=\"nodata\">");
		if (r->unit)
			put_escaped(&b, xml_text, NO_DATA_UNIT, report_period_name(r, period),
				    r->unit);
		else
			put_escaped(&b, xml_text, NO_DATA, report_period_name(r, period));
		sb_puts(&b, "</p>\n");
	} else {
		html_meetings(r, &b);
		html_cases(r, &b);
		html_themes(r, &b);
		html_attendance(r, &b);
		html_texts(r, &b, true);
		html_texts(r, &b, false);
	}
	sb_puts(&b, "</body>\n</html>\n");
	*text = sb_take(&b);
	return *text ? PV_OK : pv_error_set(err, PV_ESOFTWARE, "out of memory");
}
