/*
 * Translation (gettext) — the one place for it. Private to patvers (not
 * installed as an API): libpatvers and the command line both use the
 * "patvers" text domain, which main() binds (cmd/i18n.c).
 *
 *   _("text")    translated now
 *   N_("text")   marks a literal in a static table (the command tables'
 *                summaries and help); translate it with _() when printed
 *   NC_("value", "planned")
 *                marks a word of a fixed vocabulary (a status, a kind, a
 *                weekday) that data formats keep as it is and text output
 *                shows translated: see pv_out_word() (lib/output.c)
 *
 * Error reports need no marking: pv_error_set(), pv_error_set_at()
 * (lib/error.c), cmd_usage_error() and cmd_note() (cmd/cmd.c) and
 * pv_out_note() (lib/output.c) translate their format string themselves,
 * as do the library's error helpers roster_error, jfail, fail_at, vfail
 * (rules) and bad (fravaer) and the message of pv_db_fail(), and
 * po/extract tells xgettext to extract the format argument of each. A new
 * helper that formats an error message must do the same and be added
 * there. Messages assembled from pieces cannot be translated: write one
 * whole sentence per message. Never translate data: JSON keys, CSV headers, record
 * keys, slugs, kind names, values — anything a script reads (text output's
 * labels and vocabulary words are translated by the emitter, for people).
 */
#ifndef PATVERS_I18N_H
#define PATVERS_I18N_H

#include <libintl.h>

#define PV_TEXTDOMAIN "patvers"

#define _(s) dgettext(PV_TEXTDOMAIN, s)
#define N_(s) (s)
#define NC_(context, s) (s)

#endif
