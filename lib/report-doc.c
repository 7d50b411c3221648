/* The half-year report as documents for people: Markdown for e-mail, printable XHTML with an SVG chart. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report-internal.h"

static const char *const service_labels[PV_REPORT_SERVICES] = {
	"PPT", "Barnevern", "Helse", "BFS",
};

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
		{ "note", "note" },
	};

	for (size_t i = 0; kind && i < sizeof labels / sizeof labels[0]; i++)
		if (strcmp(kind, labels[i].kind) == 0)
			return labels[i].label;
	return kind ? kind : "";
}

/* "2 met, 1 on track" or "-" into buf. */
static char *status_summary(const struct pv_report *r, char *buf, size_t size)
{
	size_t used = 0;

	buf[0] = '\0';
	for (int s = PV_REPORT_MET; s < PV_REPORT_STATUSES && used < size; s++) {
		if (!r->status_count[s])
			continue;
		used += (size_t)snprintf(buf + used, size - used, "%s%d %s", used ? ", " : "",
					 r->status_count[s],
					 pv_report_status_label((enum pv_report_status)s));
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

static void md_header(const struct pv_report *r, struct sb *b)
{
	char period[16], d1[11], d2[11], status[160];

	sb_printf(b, "# «På tvers»: half-year report %s\n\n", report_period_name(r, period));
	sb_puts(b, "**");
	md_text(b, r->municipality);
	sb_puts(b, "** to ");
	md_text(b, r->recipient);
	sb_puts(b, "\n\n| | |\n|---|---|\n");
	sb_printf(b, "| Period | %s – %s |\n", pv_date_format(r->from, d1),
		  pv_date_format(r->to, d2));
	if (r->unit) {
		sb_puts(b, "| Unit | ");
		md_text(b, r->rows[0].name);
		sb_puts(b, " |\n");
	}
	sb_printf(b, "| Due | %s |\n", pv_date_format(r->due, d1));
	sb_printf(b, "| As of | %s |\n", pv_date_format(r->as_of, d1));
	if (r->sent) {
		sb_printf(b, "| Sent | %s by ", pv_date_format(r->sent_date, d1));
		md_text(b, r->sent_by);
		sb_puts(b, " |\n");
	} else {
		sb_puts(b, "| Sent | not yet |\n");
	}
	if (!r->no_data)
		sb_printf(b, "| Status | %s |\n", status_summary(r, status, sizeof status));
}

static void md_meetings(const struct pv_report *r, struct sb *b)
{
	const struct pv_report_row *row;
	bool total;
	char min[16];

	sb_puts(b, "\n## Meetings\n\n"
		"Systemmøter; for the Nærværsteam its consultations, for God oppvekst its "
		"meetings.\n\n"
		"| Unit | Planned | Held | Cancelled | Not logged | Still planned | Minimum "
		"| Status |\n|---|--:|--:|--:|--:|--:|--:|---|\n");
	for (size_t i = 0; (row = line_at(r, i, &total)); i++) {
		sb_puts(b, "| ");
		md_unit(b, row, total);
		sb_printf(b, " | %d | %d | %d | %d | %d | %s | %s |\n", row->planned, row->held,
			  row->cancelled, row->unlogged, row->upcoming,
			  report_minimum_text(row, min),
			  total ? "" : pv_report_status_label(row->status));
	}
	for (size_t i = 0; i < r->nrows; i++)
		if (r->rows[i].per_school_year) {
			char sy[16];
			/* a blank line first: a line right under a table is a row */
			sb_putc(b, '\n');
			md_text(b, r->rows[i].name);
			sb_printf(b, ": the minimum counts the school year %s (%d held so far).\n",
				  school_year_text(r, sy), r->rows[i].counted);
		}
}

static void md_cases(const struct pv_report *r, struct sb *b)
{
	const struct pv_report_row *row;
	bool total;
	sb_puts(b, "\n## Cases and actions\n\n"
		"| Unit | Veiledningsteam | Åpen dør | Cases | Anonymous | With consent "
		"| Actions | Done | Overdue |\n|---|--:|--:|--:|--:|--:|--:|--:|--:|\n");
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

	sb_puts(b, "\n## Themes\n\n");
	if (r->themes_withheld) {
		sb_puts(b, "Too few cases to publish any theme count safely.\n");
		return;
	}
	sb_puts(b, "| Unit | Themes (cases) |\n|---|---|\n");
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
	if (r->suppressed)
		sb_printf(b, "\n\\<%d: fewer than %d, not published (prikking). So that none "
			  "can be worked out by subtraction, some zeros show as \\<%d too and "
			  "some larger numbers as \\*.\n", r->suppress_below, r->suppress_below,
			  r->suppress_below);
}

static void md_attendance(const struct pv_report *r, struct sb *b)
{
	const struct pv_report_row *row;
	bool total;
	sb_puts(b, "\n## Service attendance\n\n"
		"Share of the meetings held where the service was present or stood in for.\n\n"
		"| Unit | Meetings held | PPT | Barnevern | Helse | BFS |\n"
		"|---|--:|--:|--:|--:|--:|\n");
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

	sb_puts(b, reasons ? "\n## Cancelled meetings\n\n" : "\n## Experiences\n");
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
				sb_puts(b, "*Note");
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
	if (!any)
		sb_puts(b, reasons ? "None.\n" : "\nNone written.\n");
}

enum pv_status pv_report_markdown(const struct pv_report *r, char **text,
				  struct pv_error *err)
{
	struct sb b = { 0 };
	char period[16];

	md_header(r, &b);
	if (r->no_data) {
		sb_printf(&b, "\nNo meetings are planned, held or logged in %s",
			  report_period_name(r, period));
		if (r->unit) {
			sb_puts(&b, " for ");
			md_text(&b, r->unit);
		}
		sb_puts(&b, ": there is nothing to report.\n");
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
 * for an invalid byte (length 1). */
static long utf8_next(const unsigned char *s, size_t *len)
{
	unsigned long cp;
	size_t n;

	if (s[0] < 0x80) {
		*len = 1;
		return s[0];
	}
	if (s[0] >= 0xC2 && s[0] <= 0xDF) {
		n = 2;
		cp = s[0] & 0x1F;
	} else if (s[0] >= 0xE0 && s[0] <= 0xEF) {
		n = 3;
		cp = s[0] & 0x0F;
	} else if (s[0] >= 0xF0 && s[0] <= 0xF4) {
		n = 4;
		cp = s[0] & 0x07;
	} else {
		*len = 1;
		return -1;
	}
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80) {
			*len = 1;
			return -1;
		}
		cp = cp << 6 | (s[i] & 0x3F);
	}
	*len = n;
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
	    (cp >= 0xD800 && cp <= 0xDFFF))
		return -1;
	return (long)cp;
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

static void html_header(const struct pv_report *r, struct sb *b)
{
	char period[16], d1[11], d2[11], status[160];

	report_period_name(r, period);
	sb_puts(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE html>\n"
		"<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\" xml:lang=\"en\">\n"
		"<head>\n<meta charset=\"UTF-8\"/>\n<title>«På tvers»: half-year report ");
	sb_puts(b, period);
	sb_puts(b, " – ");
	xml_text(b, r->municipality);
	sb_puts(b, "</title>\n<style>\n");
	sb_puts(b, html_style);
	sb_puts(b, "</style>\n</head>\n<body>\n");
	sb_printf(b, "<h1>«På tvers»: half-year report %s</h1>\n<p class=\"to\"><strong>",
		  period);
	xml_text(b, r->municipality);
	sb_puts(b, "</strong> to ");
	xml_text(b, r->recipient);
	sb_puts(b, "</p>\n<table class=\"facts\">\n");
	sb_printf(b, "<tr><th>Period</th><td>%s – %s</td></tr>\n", pv_date_format(r->from, d1),
		  pv_date_format(r->to, d2));
	if (r->unit) {
		sb_puts(b, "<tr><th>Unit</th><td>");
		xml_text(b, r->rows[0].name);
		sb_puts(b, "</td></tr>\n");
	}
	sb_printf(b, "<tr><th>Due</th><td>%s</td></tr>\n", pv_date_format(r->due, d1));
	sb_printf(b, "<tr><th>As of</th><td>%s</td></tr>\n", pv_date_format(r->as_of, d1));
	if (r->sent) {
		sb_printf(b, "<tr><th>Sent</th><td>%s by ", pv_date_format(r->sent_date, d1));
		xml_text(b, r->sent_by);
		sb_puts(b, "</td></tr>\n");
	} else {
		sb_puts(b, "<tr><th>Sent</th><td>not yet</td></tr>\n");
	}
	if (!r->no_data) {
		sb_puts(b, "<tr><th>Status</th><td>");
		xml_text(b, status_summary(r, status, sizeof status));
		sb_puts(b, "</td></tr>\n");
	}
	sb_puts(b, "</table>\n");
}

#define CHART_LABEL 200      /* room for the unit names */
#define CHART_BARS 400       /* the longest bar */
#define CHART_ROW 24
#define CHART_TOP 22

/* One bar pair per row (planned above held) and the minimum as a line. */
static void html_chart(const struct pv_report *r, struct sb *b)
{
	int max = 1, height = CHART_TOP + (int)r->nrows * CHART_ROW + 6;

	for (size_t i = 0; i < r->nrows; i++) {
		const struct pv_report_row *row = &r->rows[i];
		if (row->planned > max)
			max = row->planned;
		if (row->held > max)
			max = row->held;
		if (row->minimum > max)
			max = row->minimum;
	}
	sb_printf(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" "
		  "viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" role=\"img\">\n",
		  CHART_LABEL + CHART_BARS + 80, height, CHART_LABEL + CHART_BARS + 80, height);
	sb_puts(b, "<title>Meetings planned and held per unit; the dark line marks the "
		"minimum</title>\n");
	sb_printf(b, "<g class=\"legend\"><rect x=\"%d\" y=\"4\" width=\"12\" height=\"8\" "
		  "fill=\"#a9c4e0\"/><text x=\"%d\" y=\"12\">planned</text>"
		  "<rect x=\"%d\" y=\"4\" width=\"12\" height=\"8\" fill=\"#1f4e79\"/>"
		  "<text x=\"%d\" y=\"12\">held</text>"
		  "<line x1=\"%d\" y1=\"2\" x2=\"%d\" y2=\"14\" stroke=\"#a31515\" "
		  "stroke-width=\"2\"/><text x=\"%d\" y=\"12\">minimum</text></g>\n",
		  CHART_LABEL, CHART_LABEL + 16, CHART_LABEL + 80, CHART_LABEL + 96,
		  CHART_LABEL + 150, CHART_LABEL + 150, CHART_LABEL + 156);
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
		sb_printf(b, "<text x=\"%d\" y=\"%d\">%d of %d held</text></g>\n",
			  CHART_LABEL + wm + 8, top + 14, row->held, row->planned);
	}
	sb_puts(b, "</svg>\n");
}

static void html_meetings(const struct pv_report *r, struct sb *b)
{
	const struct pv_report_row *row;
	bool total;
	char min[16], sy[16];

	sb_puts(b, "<h2>Meetings</h2>\n<p class=\"legend\">Systemmøter; for the Nærværsteam "
		"its consultations, for God oppvekst its meetings. Bars: planned and held; "
		"the line marks the minimum.</p>\n");
	html_chart(r, b);
	sb_puts(b, "<table>\n<tr><th>Unit</th><th class=\"n\">Planned</th>"
		"<th class=\"n\">Held</th><th class=\"n\">Cancelled</th>"
		"<th class=\"n\">Not logged</th><th class=\"n\">Still planned</th>"
		"<th class=\"n\">Minimum</th><th>Status</th></tr>\n");
	for (size_t i = 0; (row = line_at(r, i, &total)); i++) {
		html_row_start(b, row, total);
		html_num(b, row->planned);
		html_num(b, row->held);
		html_num(b, row->cancelled);
		html_num(b, row->unlogged);
		html_num(b, row->upcoming);
		sb_printf(b, "<td class=\"n\">%s</td>", report_minimum_text(row, min));
		if (total)
			sb_puts(b, "<td></td></tr>\n");
		else
			sb_printf(b, "<td class=\"%s\">%s</td></tr>\n",
				  pv_report_status_name(row->status),
				  pv_report_status_label(row->status));
	}
	sb_puts(b, "</table>\n");
	for (size_t i = 0; i < r->nrows; i++)
		if (r->rows[i].per_school_year) {
			sb_puts(b, "<p class=\"legend\">");
			xml_text(b, r->rows[i].name);
			sb_printf(b, ": the minimum counts the school year %s (%d held so far).</p>\n",
				  school_year_text(r, sy), r->rows[i].counted);
		}
}

static void html_cases(const struct pv_report *r, struct sb *b)
{
	const struct pv_report_row *row;
	bool total;
	sb_puts(b, "<h2>Cases and actions</h2>\n<table>\n<tr><th>Unit</th>"
		"<th class=\"n\">Veiledningsteam</th><th class=\"n\">Åpen dør</th>"
		"<th class=\"n\">Cases</th><th class=\"n\">Anonymous</th>"
		"<th class=\"n\">With consent</th><th class=\"n\">Actions</th>"
		"<th class=\"n\">Done</th><th class=\"n\">Overdue</th></tr>\n");
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

	sb_puts(b, "<h2>Themes</h2>\n");
	if (r->themes_withheld) {
		sb_puts(b, "<p>Too few cases to publish any theme count safely.</p>\n");
		return;
	}
	sb_puts(b, "<table>\n<tr><th>Unit</th><th>Themes (cases)</th></tr>\n");
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
	if (r->suppressed)
		sb_printf(b, "<p class=\"legend\">&lt;%d: fewer than %d, not published "
			  "(prikking). So that none can be worked out by subtraction, some zeros "
			  "show as &lt;%d too and some larger numbers as *.</p>\n",
			  r->suppress_below, r->suppress_below, r->suppress_below);
}

static void html_attendance(const struct pv_report *r, struct sb *b)
{
	const struct pv_report_row *row;
	bool total;
	sb_puts(b, "<h2>Service attendance</h2>\n<p class=\"legend\">Share of the meetings "
		"held where the service was present or stood in for.</p>\n<table>\n"
		"<tr><th>Unit</th><th class=\"n\">Meetings held</th>");
	for (int s = 0; s < PV_REPORT_SERVICES; s++)
		sb_printf(b, "<th class=\"n\">%s</th>", service_labels[s]);
	sb_puts(b, "</tr>\n");
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

	sb_puts(b, reasons ? "<h2>Cancelled meetings</h2>\n" : "<h2>Experiences</h2>\n");
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
			sb_puts(b, "<h3>");
			xml_text(b, row->name);
			sb_puts(b, "</h3>\n<ul>\n");
		}
		for (size_t k = 0; k < n; k++) {
			sb_puts(b, "<li>");
			if (reasons) {
				xml_text(b, row->name);
				sb_printf(b, ", %s: ", pv_date_format(t[k].date, date));
			} else {
				sb_puts(b, "<em>");
				if (t[k].date)
					sb_printf(b, "%s, %s", pv_date_format(t[k].date, date),
						  meeting_kind_label(t[k].kind));
				else
					sb_puts(b, "Note");
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
		sb_puts(b, reasons ? "<p>None.</p>\n" : "<p>None written.</p>\n");
}

enum pv_status pv_report_html(const struct pv_report *r, char **text, struct pv_error *err)
{
	struct sb b = { 0 };
	char period[16];

	html_header(r, &b);
	if (r->no_data) {
		sb_printf(&b, "<p class=\"nodata\">No meetings are planned, held or logged in "
			  "%s", report_period_name(r, period));
		if (r->unit) {
			sb_puts(&b, " for ");
			xml_text(&b, r->unit);
		}
		sb_puts(&b, ": there is nothing to report.</p>\n");
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
