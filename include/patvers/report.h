/* The half-year report to the rules' recipient (kommunalsjef Oppvekst): figures, prikking, formats. */
#ifndef PATVERS_REPORT_H
#define PATVERS_REPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "patvers/date.h"
#include "patvers/db.h"
#include "patvers/error.h"
#include "patvers/output.h"
#include "patvers/rules.h"

/*
 * The method asks for a report every half-year (15 June, 15 December)
 * with the number of meetings and cases and a few words on experiences.
 * A report has one row per reporting unit — every school, kindergarten
 * group (its kindergartens' veiledningsteam meetings, cases and notes
 * count there), kindergarten outside a group, the Nærværsteam and God
 * oppvekst — and a row for the municipality in total.
 *
 * Counting, for the half-year H (H1 1 Jan–30 Jun, H2 1 Jul–31 Dec) as of
 * day A (--as-of), over the row's main meetings (systemmøter; the
 * Nærværsteam's consultations; God oppvekst's meetings):
 *
 *   planned    every meeting of the plan dated in H, cancelled ones too
 *   held       status held (a log was written) and dated on or before A
 *   cancelled  status cancelled
 *   unlogged   status planned and dated before A: past, not logged
 *   upcoming   not cancelled, dated on or after A, not counted as held
 *
 * so planned = held + cancelled + unlogged + upcoming. Cases, themes,
 * actions, attendance and experiences come from the logs of held
 * meetings (any kind) of the row in H, dated on or before A.
 *
 * Status against the rule's minimum M over its window W (the half-year
 * for min_per_half; for God oppvekst's min_per_school_year the school
 * year that contains H), with H, U and P the held, unlogged and upcoming
 * meetings in W:
 *
 *   met       H >= M
 *   missed    H < M and either W has ended (A is after its last day) or
 *             H + U + P < M: even if every past meeting is logged and
 *             every planned one is held, the plan cannot reach M
 *   at risk   H < M, H + P < M <= H + U + P: M is reached only if
 *             meetings that are past but not logged are logged
 *   on track  H < M <= H + P
 *
 * Rows without a minimum in the rules (the Nærværsteam) have no status.
 *
 * Prikking (small-number suppression, as Udir does): a theme count of a
 * row, and a theme's municipality total, that is at least 1 and below
 * the rules' report.suppress_below (k) is not published: it shows as
 * "<k". So that no such number can be worked out by subtraction from
 * the published totals (a row's cases, a theme's total, the grand
 * total), further cells are suppressed: a zero shows as "<k" too (which
 * is true), a number of k or more as "*". See pv_suppress().
 *
 * Free text (reasons, experiences, notes) passed the anonymity guard
 * when it was stored; the report runs the guard again with the rules in
 * force and replaces every hit, and every consent reference the
 * database knows, by "[…]". Themes outside the rules' list (free text)
 * count as "annet". No case reference appears in any format.
 *
 * Ownership, once for the module: strings passed in are borrowed and
 * copied when kept; everything a struct pv_report points to is owned by
 * it and freed by pv_report_free().
 */

enum pv_report_status {
	PV_REPORT_NO_MINIMUM = 0,
	PV_REPORT_MET,
	PV_REPORT_ON_TRACK,
	PV_REPORT_AT_RISK,
	PV_REPORT_MISSED,
};
#define PV_REPORT_STATUSES 5

/* Machine names "none", "met", "on-track", "at-risk", "missed" (JSON,
 * CSV) and labels for people "-", "met", "on track", "at risk", "missed"
 * (static; English: the text output shows them as they are, the
 * documents translate them with _()). */
const char *pv_report_status_name(enum pv_report_status s);
const char *pv_report_status_label(enum pv_report_status s);

/* How a suppressible number is published. */
enum pv_cell {
	PV_CELL_SHOWN,    /* the number itself */
	PV_CELL_SMALL,    /* "<k": the number is below k (may be 0) */
	PV_CELL_HIDDEN,   /* "*": k or more, hidden to protect a "<k" */
};

/* The services whose attendance is reported, by their unit.service code:
 * "ppt", "barnevern", "helse", "bfs" (static; NULL out of range). */
#define PV_REPORT_SERVICES 4
const char *pv_report_service_name(int i);

/* One theme of a row. `count` is -1 unless cell is PV_CELL_SHOWN: a
 * suppressed number never leaves the library. */
struct pv_report_theme {
	const char *theme;
	int count;
	enum pv_cell cell;
};

/* A text of a row: a cancellation reason or an experience. */
struct pv_report_text {
	pv_date date;       /* the meeting's date; 0 for a report note */
	const char *unit;   /* the unit it belongs to (a group's kindergarten) */
	const char *kind;   /* the meeting kind ("systemmote"), or "note" */
	const char *text;   /* scrubbed (see above), never empty */
};

struct pv_report_row {
	const char *unit;          /* unit slug; "total" for the municipality */
	const char *name;          /* display name */
	const char *kind;          /* "school", "kindergarten-group",
				    * "kindergarten", "naervaer", "god-oppvekst",
				    * "total" */
	const char *meeting_kind;  /* the main meetings: "systemmote", "naervaer",
				    * "god-oppvekst" (NULL for the total) */
	int planned, held, cancelled, unlogged, upcoming;
	int minimum;               /* 0: the rules set none */
	bool per_school_year;      /* the minimum counts the school year */
	int counted;               /* held in the minimum's window */
	enum pv_report_status status;
	int veiledningsteam;       /* ad hoc veiledningsteam meetings held */
	int apen_dor;              /* «Åpen dør» meetings held */
	int cases, anonymous, consent;
	struct pv_report_theme *themes;  /* shown non-zero and suppressed ones,
					  * in the order of the theme columns */
	size_t nthemes;
	int actions_opened;        /* at meetings counted as held */
	int actions_done;          /* of those, done on or before A */
	int actions_overdue;       /* of those, not done by A and due before A */
	/* Attendance at the held main meetings: service_meetings[s] is how
	 * many count for service s (0 when s is not part of the row's team
	 * and never came), service_present[s] at how many s was present or
	 * stood in for (a person's service is the `service` of their home
	 * unit; a stedfortreder counts for the service of whom they
	 * replaced). */
	int service_meetings[PV_REPORT_SERVICES];
	int service_present[PV_REPORT_SERVICES];
	struct pv_report_text *cancellations;  /* main meetings, by date */
	size_t ncancellations;
	struct pv_report_text *experiences;    /* notes, then logs by date */
	size_t nexperiences;
};

struct pv_report {
	const char *municipality;  /* rules `municipality` */
	const char *recipient;     /* rules `recipient` */
	int year;                  /* calendar year */
	int half;                  /* 1 or 2 */
	pv_date from, to;          /* the half-year */
	pv_date due;               /* rules report_deadlines.H1 / .H2 in `year` */
	pv_date as_of;
	int suppress_below;        /* k: rules report.suppress_below */
	const char *unit;          /* the one row asked for, or NULL */
	bool no_data;              /* no meeting of any kind dated in the
				    * half-year for the rows shown */
	bool themes_withheld;      /* no theme count could be published safely:
				    * every row's themes are left out */
	bool suppressed;           /* some theme count shows as "<k" or "*" */
	bool sent;                 /* pv_report_mark_sent was recorded */
	pv_date sent_date;
	const char *sent_by;       /* NULL unless sent */
	struct pv_report_row *rows;  /* schools, groups, kindergartens outside a
				      * group, Nærværsteam, God oppvekst; by
				      * slug within each; only the one row
				      * with `unit` */
	size_t nrows;
	struct pv_report_row total;  /* the municipality (every row, whatever
				      * `unit` is); minimum 0, no status */
	int status_count[PV_REPORT_STATUSES];  /* over `rows` */
	const char *const *theme_columns;  /* the rules' themes, then "annet" */
	size_t ntheme_columns;
};

struct pv_report_options {
	int year;                  /* calendar year, 1900..2199 */
	int half;                  /* 1 or 2 */
	const char *unit;          /* NULL: every row; else a row's unit slug */
	pv_date as_of;
};

/*
 * Builds the report from the database: the plan, the logs, the roster,
 * the rules in force, the report notes and the sent mark. A `unit` that
 * is not a reporting unit is PV_EDATA (a kindergarten in a group names
 * its group). Read only. On success *out is owned by the caller: free
 * with pv_report_free().
 */
enum pv_status pv_report_build(struct pv_db *db, const struct pv_report_options *opts,
			       struct pv_report **out, struct pv_error *err);
void pv_report_free(struct pv_report *report);

/* True when a row missed its minimum, or the report has no data (nothing
 * was held): what `--exit-code` reports as 1. */
bool pv_report_findings(const struct pv_report *report);

/*
 * Emits the report through `out` (borrowed) as a document of kind
 * "report" (schema patvers/report/1), shaped for the emitter's format:
 * JSON and JSONL the full document with a "units" table; CSV one row per
 * unit and one for the municipality ("total"), with a column per theme;
 * text a header and narrow tables (meetings, cases, attendance, themes,
 * cancelled, experiences) that fit 80 columns. Calls pv_out_begin; the
 * caller calls pv_out_end.
 */
void pv_report_emit(const struct pv_report *report, struct pv_out *out);

/*
 * The report as a document for people, in a malloc'ed NUL-terminated
 * string the caller frees: Markdown to paste into an e-mail, or one
 * self-contained XHTML file for print on A4 (inline CSS with @page, an
 * inline SVG chart with one bar pair — planned, held — per row and the
 * minimum marked; no external resources; well-formed XML). The same
 * report gives the same bytes.
 */
enum pv_status pv_report_markdown(const struct pv_report *report, char **text,
				  struct pv_error *err);
enum pv_status pv_report_html(const struct pv_report *report, char **text,
			      struct pv_error *err);

/* ---- what units write, and the sent mark ---- */

/*
 * Stores `text` as the unit's note for the half-year (replacing the one
 * there), or removes it when text is NULL (PV_EDATA when there is none).
 * The unit may be a reporting unit or a kindergarten; the text must be
 * non-empty, at most 4000 bytes, and pass the anonymity guard. Audit row
 * (without the text). Caller's write transaction.
 */
enum pv_status pv_report_note_set(struct pv_db *db, const struct pv_rules *rules,
				  const char *unit, int year, int half, const char *text,
				  struct pv_error *err);

/*
 * Records that the report for the half-year was sent on `date` by `by`
 * (non-empty) to the rules' recipient, with an audit row. A half-year
 * already marked is PV_EDATA naming when and by whom. With `undo` the
 * mark is removed instead (date and by ignored; PV_EDATA when there is
 * none). Caller's write transaction.
 */
enum pv_status pv_report_mark_sent(struct pv_db *db, int year, int half, pv_date date,
				   const char *by, bool undo, struct pv_error *err);

/* Whether the half-year's report was marked sent; when it was, *date
 * and *by (malloc'ed, caller frees; may be NULL not to ask) say when
 * and by whom. For reminders. */
enum pv_status pv_report_sent_get(struct pv_db *db, int year, int half, bool *sent,
				  pv_date *date, char **by, struct pv_error *err);

/* ---- prikking ---- */

/*
 * Chooses which cells of a table to suppress. `counts` (borrowed) is
 * rows × cols, row-major; every row's total (the sum of its cells), every
 * column's total and the grand total are published unless suppressed
 * here. Fills cells[rows × cols] and totals[cols] (the column totals).
 *
 * Primary: every cell and column total with 1 <= count < below is
 * PV_CELL_SMALL. Secondary: while a reader could work out a primary
 * number exactly, knowing the published numbers, that a "<k" lies in
 * 0..k-1 and a "*" in k..grand total, the cheapest set of further cells
 * on a cycle through it is suppressed (zeros as "<k", cost 1; numbers of
 * k or more as "*", cost 4; ties by position). Exact: a number can be
 * worked out iff no cycle through it exists in the residual graph of the
 * table (rows, columns, the total row); see pv_suppress_disclosed.
 * When no pattern protects some number (a single theme column, say)
 * *withheld is set and no cell of the table may be published.
 * `below` <= 1 suppresses nothing. PV_ESOFTWARE when out of memory.
 */
enum pv_status pv_suppress(const int *counts, size_t rows, size_t cols, int below,
			   enum pv_cell *cells, enum pv_cell *totals, bool *withheld,
			   struct pv_error *err);

/* How many primary numbers (cells and column totals with 1 <= count <
 * below) a reader could work out exactly from a publication with the
 * given pattern; 0 for a safe one. -1 when out of memory. The arrays are
 * borrowed, shaped as for pv_suppress. */
long pv_suppress_disclosed(const int *counts, size_t rows, size_t cols, int below,
			   const enum pv_cell *cells, const enum pv_cell *totals);

#endif
