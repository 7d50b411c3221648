/* A stafettlogg for people: what is due, the next steps, the document and the Markdown export. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patvers/i18n.h"
#include "stafett-internal.h"

/* ---- the guide and what is due ---- */

bool pv_stafett_guide(const struct pv_rules *rules, int level, struct pv_stafett_level *out)
{
	const json_t *levels = pv_rules_get(rules, "stafett.guide"), *el, *steps, *step;
	size_t i;

	memset(out, 0, sizeof *out);
	if (level < 0 || level >= PV_STAFETT_LEVELS)
		return false;
	/* validated: four levels in order, 1..PV_STAFETT_MAX_STEPS steps each */
	el = json_array_get(levels, (size_t)level);
	if (!el)
		return false;
	out->level = level;
	out->name = json_string_value(json_object_get(el, "name"));
	steps = json_object_get(el, "steps");
	json_array_foreach(steps, i, step) {
		struct pv_stafett_step *s;

		if (out->nsteps == PV_STAFETT_MAX_STEPS)
			break;
		s = &out->steps[out->nsteps++];
		s->who = json_string_value(json_object_get(step, "who"));
		s->what = json_string_value(json_object_get(step, "what"));
		s->with = json_string_value(json_object_get(step, "with"));
		s->days = (int)json_integer_value(json_object_get(step, "days"));
	}
	return true;
}

void pv_stafett_due_on(const struct pv_stafett *log, const struct pv_rules *rules,
		       pv_date today, struct pv_stafett_due *due)
{
	memset(due, 0, sizeof *due);
	if (log->closed)
		return;
	if (log->level == 0) {
		due->decide_by = log->opened +
				 (pv_date)pv_rules_int(rules, "stafett.level0_decide_days");
		due->decision_overdue = today > due->decide_by;
		due->next = due->decide_by;
	}
	for (size_t i = 0; i < log->ntiltak; i++) {
		const struct pv_stafett_tiltak *t = &log->tiltak[i];

		if (t->ended)
			continue;
		due->evaluations_overdue += t->evaluate_by < today;
		if (!due->next || t->evaluate_by < due->next)
			due->next = t->evaluate_by;
	}
	due->overdue = due->decision_overdue || due->evaluations_overdue > 0;
}

/* ---- words ---- */

/*
 * The data formats (the JSON and CSV of show and export, the text
 * output's fields) are English whatever the locale; the Markdown export
 * is a document for people and follows LANG (include/patvers/i18n.h).
 * Words both use are marked N_() here and translated only for the
 * document.
 */

/* fmt as it is, or translated when `doc` (the Markdown export). */
static const char *tr(bool doc, const char *fmt) __attribute__((format_arg(2)));

static const char *tr(bool doc, const char *fmt)
{
	return doc ? _(fmt) : fmt;
}

static const char *who_of(const char *slug, const char *name)
{
	return name ? name : slug ? slug : "?";
}

/* The words for why a log was closed: its name (goal-met …) in the data,
 * translated in the document. */
static const char *reason_text(const char *name, bool doc)
{
	static const char *const words[] = {
		/* TRANSLATORS: why a stafettlogg was closed: its goal was met */
		N_("goal-met"),
		/* TRANSLATORS: why a stafettlogg was closed: the parents asked for it */
		N_("parents-request"),
		/* TRANSLATORS: why a stafettlogg was closed: the child moved away */
		N_("moved"),
		/* TRANSLATORS: why a stafettlogg was closed: another reason */
		N_("other"),
	};

	for (size_t i = 0; doc && name && i < sizeof words / sizeof words[0]; i++)
		if (strcmp(name, words[i]) == 0)
			return _(words[i]);
	return name ? name : "?";
}

/* One line saying what an entry records, for the timeline: English for
 * the data, translated for the document (doc). */
static void entry_summary(const struct pv_stafett_entry *e, char *buf, size_t size, bool doc)
{
	const char *who = who_of(e->person, e->person_name);
	char d[11];

	switch (e->kind) {
	case PV_STAFETT_OPENED:
		snprintf(buf, size, tr(doc, N_("opened at level %d, holder %s: %s")), e->level,
			 who, e->text);
		break;
	case PV_STAFETT_GOAL:
		snprintf(buf, size, tr(doc, N_("goal: %s")), e->text);
		break;
	case PV_STAFETT_TILTAK:
		snprintf(buf, size, tr(doc, N_("tiltak %d, responsible %s, evaluate by %s: %s")),
			 e->tiltak, who, pv_date_format(e->due, d), e->text);
		break;
	case PV_STAFETT_EVALUATION:
		if (e->due)
			snprintf(buf, size, tr(doc, N_("tiltak %d evaluated, continues to %s: %s")),
				 e->tiltak, pv_date_format(e->due, d), e->text);
		else
			snprintf(buf, size, tr(doc, N_("tiltak %d evaluated and ended: %s")),
				 e->tiltak, e->text);
		break;
	case PV_STAFETT_NOTE:
		snprintf(buf, size, tr(doc, N_("note: %s")), e->text);
		break;
	case PV_STAFETT_LEVEL:
		snprintf(buf, size, tr(doc, N_("to level %d: %s")), e->level, e->text);
		break;
	case PV_STAFETT_HANDOVER:
		snprintf(buf, size, tr(doc, N_("handover to %s asked")), who);
		break;
	case PV_STAFETT_ACCEPTED:
		snprintf(buf, size, tr(doc, N_("handover accepted: %s holds the stafett")), who);
		break;
	case PV_STAFETT_DECLINED:
		if (*e->text)
			snprintf(buf, size, tr(doc, N_("handover declined by %s: %s")), who,
				 e->text);
		else
			snprintf(buf, size, tr(doc, N_("handover declined by %s")), who);
		break;
	case PV_STAFETT_CLOSED:
		snprintf(buf, size, tr(doc, N_("closed: %s")), reason_text(e->detail, doc));
		break;
	default:
		snprintf(buf, size, "%s", e->text);
	}
}

/* "running", "overdue" or "ended" (the data; the document translates it). */
static const char *tiltak_state(const struct pv_stafett_tiltak *t, pv_date today)
{
	if (t->ended)
		/* TRANSLATORS: a tiltak's state: it has ended */
		return N_("ended");
	if (t->evaluate_by < today)
		/* TRANSLATORS: a tiltak's state: its evaluation date has passed */
		return N_("overdue");
	/* TRANSLATORS: a tiltak's state: it goes on */
	return N_("running");
}

/* ---- the emitted document ---- */

static void out_date(struct pv_out *out, const char *key, pv_date d)
{
	char buf[11];

	if (d)
		pv_out_str(out, key, pv_date_format(d, buf));
	else
		pv_out_null(out, key);
}

static void emit_fields(struct pv_out *out, const struct pv_stafett *log,
			const struct pv_stafett_level *guide, const struct pv_stafett_due *due,
			const char *consent)
{
	pv_out_str(out, "ref", log->ref);
	pv_out_str(out, "unit", log->unit);
	pv_out_str(out, "unit_name", log->unit_name);
	pv_out_str(out, "state", log->closed ? "closed" : "open");
	pv_out_int(out, "level", log->level);
	pv_out_str(out, "level_name", guide->name);
	pv_out_str(out, "holder", log->holder);
	pv_out_str(out, "holder_name", log->holder_name);
	out_date(out, "opened", log->opened);
	out_date(out, "level_since", log->level_since);
	out_date(out, "decided", log->decided);
	out_date(out, "decide_by", due->decide_by);
	out_date(out, "next_due", due->next);
	pv_out_bool(out, "overdue", due->overdue);
	if (log->pending_to) {
		pv_out_begin_map(out, "pending_handover");
		pv_out_str(out, "to", log->pending_to);
		pv_out_str(out, "name", log->pending_to_name);
		out_date(out, "since", log->pending_since);
		pv_out_end_map(out);
	} else {
		pv_out_null(out, "pending_handover");
	}
	out_date(out, "closed", log->closed);
	pv_out_str(out, "close_reason", log->closed ? pv_stafett_reason_name(log->reason)
						   : NULL);
	out_date(out, "exported", log->exported);
	if (consent)
		pv_out_str(out, "consent", consent);
	pv_out_str(out, "concern", log->concern ? log->concern : "");
}

static void emit_goals(struct pv_out *out, const struct pv_stafett *log)
{
	static const char *const columns[] = { "number", "date", "text", NULL };
	int number = 0;

	pv_out_begin_table(out, "goals", columns);
	for (size_t i = 0; i < log->nentries; i++) {
		const struct pv_stafett_entry *e = &log->entries[i];

		if (e->kind != PV_STAFETT_GOAL)
			continue;
		pv_out_begin_record(out);
		pv_out_int(out, "number", ++number);
		out_date(out, "date", e->date);
		pv_out_str(out, "text", e->text);
		pv_out_end_record(out);
	}
	pv_out_end_table(out);
}

static void emit_tiltak(struct pv_out *out, const struct pv_stafett *log, pv_date today)
{
	static const char *const columns[] = {
		"number", "what", "responsible", "started", "evaluate_by", "ended", "state", NULL,
	};

	pv_out_begin_table(out, "tiltak", columns);
	for (size_t i = 0; i < log->ntiltak; i++) {
		const struct pv_stafett_tiltak *t = &log->tiltak[i];

		pv_out_begin_record(out);
		pv_out_int(out, "number", t->number);
		pv_out_str(out, "what", t->what);
		pv_out_str(out, "responsible", t->responsible);
		pv_out_str(out, "responsible_name", t->responsible_name);
		out_date(out, "started", t->started);
		out_date(out, "evaluate_by", t->evaluate_by);
		out_date(out, "evaluated", t->evaluated);
		out_date(out, "ended", t->ended);
		pv_out_int(out, "evaluations", t->evaluations);
		pv_out_str(out, "state", tiltak_state(t, today));
		pv_out_end_record(out);
	}
	pv_out_end_table(out);
}

static void emit_timeline(struct pv_out *out, const struct pv_stafett *log)
{
	static const char *const columns[] = { "date", "kind", "summary", NULL };
	char summary[2600];

	pv_out_begin_table(out, "timeline", columns);
	for (size_t i = 0; i < log->nentries; i++) {
		const struct pv_stafett_entry *e = &log->entries[i];

		entry_summary(e, summary, sizeof summary, false);
		pv_out_begin_record(out);
		out_date(out, "date", e->date);
		pv_out_str(out, "kind", pv_stafett_kind_name(e->kind));
		pv_out_str(out, "person", e->person);
		if (e->level >= 0)
			pv_out_int(out, "level", e->level);
		else
			pv_out_null(out, "level");
		if (e->tiltak)
			pv_out_int(out, "tiltak", e->tiltak);
		else
			pv_out_null(out, "tiltak");
		out_date(out, "due", e->due);
		pv_out_str(out, "detail", e->detail);
		pv_out_str(out, "text", e->text);
		pv_out_str(out, "summary", summary);
		pv_out_end_record(out);
	}
	pv_out_end_table(out);
}

static void emit_next_steps(struct pv_out *out, const struct pv_stafett *log,
			    const struct pv_stafett_level *guide, pv_date today)
{
	static const char *const columns[] = { "due", "who", "what", "with", NULL };

	pv_out_begin_table(out, "next_steps", columns);
	for (size_t i = 0; i < guide->nsteps; i++) {
		const struct pv_stafett_step *s = &guide->steps[i];
		pv_date due = log->level_since + s->days;

		pv_out_begin_record(out);
		pv_out_int(out, "step", (long long)i + 1);
		out_date(out, "due", due);
		pv_out_bool(out, "past", due < today);
		pv_out_str(out, "who", s->who);
		pv_out_str(out, "what", s->what);
		pv_out_str(out, "with", s->with);
		pv_out_end_record(out);
	}
	pv_out_end_table(out);
}

void pv_stafett_emit(struct pv_out *out, const char *kind, const struct pv_stafett *log,
		     const struct pv_rules *rules, pv_date today, const char *consent)
{
	struct pv_stafett_level guide;
	struct pv_stafett_due due;

	pv_stafett_guide(rules, log->level, &guide);
	pv_stafett_due_on(log, rules, today, &due);
	pv_out_begin(out, kind);
	emit_fields(out, log, &guide, &due, consent);
	if (log->pending_to)
		pv_out_note(out, "a handover to %s is pending: 'patvers stafett accept %s --by %s'",
			    who_of(log->pending_to, log->pending_to_name), log->ref,
			    log->pending_to);
	if (due.decision_overdue)
		pv_out_note(out, "the level-0 concern is overdue for a decision: close the log "
			    "or raise its level");
	if (due.evaluations_overdue)
		pv_out_note(out, "%d tiltak overdue for evaluation", due.evaluations_overdue);
	emit_goals(out, log);
	emit_tiltak(out, log, today);
	emit_timeline(out, log);
	if (!log->closed)
		emit_next_steps(out, log, &guide, today);
}

/* ---- Markdown ---- */

/* Text as one Markdown line (also inside a table cell): characters with
 * a meaning escaped, line breaks and tabs as spaces. */
static void md_text(FILE *fp, const char *s)
{
	for (; s && *s; s++) {
		if (strchr("\\`*_[]<>|#~", *s))
			fputc('\\', fp);
		fputc(*s == '\n' || *s == '\t' || *s == '\r' ? ' ' : *s, fp);
	}
}

/* A translated sentence with its arguments as one Markdown line; like the
 * timeline, cut at 2600 bytes if memory runs out for a longer one. */
static void md_printf(FILE *fp, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void md_printf(FILE *fp, const char *fmt, ...)
{
	char small[2600], *big = NULL;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof small && (big = malloc((size_t)n + 1))) {
		va_start(ap, fmt);
		vsnprintf(big, (size_t)n + 1, fmt, ap);
		va_end(ap);
	}
	md_text(fp, big ? big : small);
	free(big);
}

static void md_person(FILE *fp, const char *slug, const char *name)
{
	if (name) {
		md_text(fp, name);
		fputs(" (", fp);
	}
	md_text(fp, slug);
	if (name)
		fputc(')', fp);
}

/* "| label | ": a line of the facts table up to its value. */
static void md_label(FILE *fp, const char *label)
{
	fputs("| ", fp);
	md_text(fp, label);
	fputs(" | ", fp);
}

static void md_row(FILE *fp, const char *label, const char *value)
{
	md_label(fp, label);
	md_text(fp, value);
	fputs(" |\n", fp);
}

static void md_heading(FILE *fp, const char *text)
{
	fputs("\n## ", fp);
	md_text(fp, text);
	fputs("\n\n", fp);
}

/* The head of a table: the columns (NULL-terminated; "#", the number
 * column, as it is), then the rule line. */
static void md_head(FILE *fp, const char *const *cols)
{
	size_t n = 0;

	for (; cols[n]; n++) {
		fputs("| ", fp);
		if (strcmp(cols[n], "#") == 0)
			fputc('#', fp);
		else
			md_text(fp, cols[n]);
		fputc(' ', fp);
	}
	fputs("|\n", fp);
	for (size_t i = 0; i < n; i++)
		fputs("|---", fp);
	fputs("|\n", fp);
}

static void md_header(FILE *fp, const struct pv_stafett *log,
		      const struct pv_stafett_level *guide, pv_date today)
{
	char d1[11], d2[11];

	fputs("# Stafettlogg ", fp);
	md_text(fp, log->ref);
	fputs("\n\n| | |\n|---|---|\n", fp);
	md_label(fp, _("Unit"));
	md_person(fp, log->unit, log->unit_name);
	fputs(" |\n", fp);
	/* TRANSLATORS: a fact of the exported stafettlogg: open or closed */
	md_label(fp, _("State"));
	if (log->closed)
		/* TRANSLATORS: the state of a stafettlogg: closed on a date, for a reason */
		md_printf(fp, _("closed %s: %s"), pv_date_format(log->closed, d1),
			  reason_text(pv_stafett_reason_name(log->reason), true));
	else
		/* TRANSLATORS: the state of a stafettlogg */
		md_text(fp, _("open"));
	fputs(" |\n", fp);
	/* TRANSLATORS: a fact of the exported stafettlogg: its BTI level */
	md_label(fp, _("Level"));
	/* TRANSLATORS: the level: its number, its name (since the day it got there) */
	md_printf(fp, _("%d: %s (since %s)"), log->level, guide->name ? guide->name : "",
		  pv_date_format(log->level_since, d1));
	fputs(" |\n| Stafettholder | ", fp);
	md_person(fp, log->holder, log->holder_name);
	fputs(" |\n", fp);
	/* TRANSLATORS: a fact of the exported stafettlogg: the day it was opened */
	md_row(fp, _("Opened"), pv_date_format(log->opened, d1));
	/* TRANSLATORS: a fact of the exported stafettlogg: the day the level-0
	 * concern was decided on (the log left level 0) */
	md_row(fp, _("Decided (level 0 left)"),
	       log->decided ? pv_date_format(log->decided, d1) : "-");
	if (log->pending_to) {
		/* TRANSLATORS: a fact of the exported stafettlogg: a handover
		 * asked for and not yet accepted */
		md_label(fp, _("Handover pending"));
		if (log->pending_to_name)
			/* TRANSLATORS: the handover pending: to Name (id) since a date */
			md_printf(fp, _("to %s (%s) since %s"), log->pending_to_name,
				  log->pending_to, pv_date_format(log->pending_since, d2));
		else
			md_printf(fp, _("to %s since %s"), log->pending_to,
				  pv_date_format(log->pending_since, d2));
		fputs(" |\n", fp);
	}
	/* TRANSLATORS: a fact of the exported stafettlogg: the day it shows the log as of */
	md_row(fp, _("As of"), pv_date_format(today, d1));
	/* TRANSLATORS: a heading: what gave concern about the child */
	md_heading(fp, _("Concern"));
	md_text(fp, log->concern);
	fputs("\n", fp);
}

static void md_goals(FILE *fp, const struct pv_stafett *log)
{
	char d[11];
	int number = 0;

	/* TRANSLATORS: a heading: the goals of the stafettlogg */
	md_heading(fp, _("Goals"));
	for (size_t i = 0; i < log->nentries; i++) {
		const struct pv_stafett_entry *e = &log->entries[i];

		if (e->kind != PV_STAFETT_GOAL)
			continue;
		fprintf(fp, "%d. ", ++number);
		md_text(fp, e->text);
		fprintf(fp, " (%s)\n", pv_date_format(e->date, d));
	}
	if (!number) {
		/* TRANSLATORS: no goals, no tiltak */
		md_text(fp, _("None."));
		fputc('\n', fp);
	}
}

static void md_tiltak(FILE *fp, const struct pv_stafett *log, pv_date today)
{
	char d1[11], d2[11], d3[11];
	const char *const cols[] = {
		"#",
		/* TRANSLATORS: the columns of the tiltak table: what is done, who
		 * is responsible, when it started, the day it is evaluated by, when
		 * it ended, how often it was evaluated, its state */
		_("What"), _("Responsible"), _("Started"), _("Evaluate by"), _("Ended"),
		_("Evaluations"), _("State"), NULL,
	};

	md_heading(fp, "Tiltak");
	if (!log->ntiltak) {
		md_text(fp, _("None."));
		fputc('\n', fp);
		return;
	}
	md_head(fp, cols);
	for (size_t i = 0; i < log->ntiltak; i++) {
		const struct pv_stafett_tiltak *t = &log->tiltak[i];

		fprintf(fp, "| %d | ", t->number);
		md_text(fp, t->what);
		fputs(" | ", fp);
		md_person(fp, t->responsible, t->responsible_name);
		fprintf(fp, " | %s | %s | %s | %d | ", pv_date_format(t->started, d1),
			pv_date_format(t->evaluate_by, d2),
			t->ended ? pv_date_format(t->ended, d3) : "-", t->evaluations);
		md_text(fp, _(tiltak_state(t, today)));
		fputs(" |\n", fp);
	}
}

static void md_timeline(FILE *fp, const struct pv_stafett *log)
{
	char d[11], summary[2600];
	const char *const cols[] = {
		/* TRANSLATORS: the columns of the timeline: the date and what happened */
		_("Date"), _("Entry"), NULL,
	};

	/* TRANSLATORS: a heading: every entry of the stafettlogg in order */
	md_heading(fp, _("Timeline"));
	md_head(fp, cols);
	for (size_t i = 0; i < log->nentries; i++) {
		entry_summary(&log->entries[i], summary, sizeof summary, true);
		fprintf(fp, "| %s | ", pv_date_format(log->entries[i].date, d));
		md_text(fp, summary);
		fputs(" |\n", fp);
	}
}

static void md_next_steps(FILE *fp, const struct pv_stafett *log,
			  const struct pv_stafett_level *guide)
{
	char d[11];
	const char *const cols[] = {
		/* TRANSLATORS: the columns of the next steps: by when, who does
		 * it, what, together with whom */
		_("Due"), _("Who"), _("What"), _("With"), NULL,
	};

	fputs("\n## ", fp);
	/* TRANSLATORS: a heading: the steps of the guide for the log's level */
	md_printf(fp, _("Next steps (level %d: %s)"), log->level,
		  guide->name ? guide->name : "");
	fputs("\n\n", fp);
	md_head(fp, cols);
	for (size_t i = 0; i < guide->nsteps; i++) {
		const struct pv_stafett_step *s = &guide->steps[i];

		fprintf(fp, "| %s | ", pv_date_format(log->level_since + s->days, d));
		md_text(fp, s->who);
		fputs(" | ", fp);
		md_text(fp, s->what);
		fputs(" | ", fp);
		md_text(fp, *s->with ? s->with : "-");
		fputs(" |\n", fp);
	}
}

enum pv_status pv_stafett_markdown(const struct pv_stafett *log, const struct pv_rules *rules,
				   pv_date today, char **text, struct pv_error *err)
{
	struct pv_stafett_level guide;
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	*text = NULL;
	if (!fp)
		return pv_error_set(err, PV_ESOFTWARE, "out of memory");
	pv_stafett_guide(rules, log->level, &guide);
	md_header(fp, log, &guide, today);
	md_goals(fp, log);
	md_tiltak(fp, log, today);
	md_timeline(fp, log);
	if (!log->closed)
		md_next_steps(fp, log, &guide);
	if (ferror(fp) | fclose(fp)) {
		free(buf);
		return pv_error_set(err, PV_ESOFTWARE, "out of memory");
	}
	*text = buf;
	return PV_OK;
}
