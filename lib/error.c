/* Filling and formatting struct pv_error. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "patvers/error.h"
#include "patvers/i18n.h"

void pv_error_clear(struct pv_error *err)
{
	if (err)
		memset(err, 0, sizeof *err);
}

/* The format is translated here (text domain "patvers"), so the modules
 * need not mark their messages; xgettext extracts them by keyword. */
static void set_message(struct pv_error *err, const char *fmt, va_list ap)
{
	vsnprintf(err->message, sizeof err->message, _(fmt), ap);
}

enum pv_status pv_error_set(struct pv_error *err, enum pv_status status,
			    const char *fmt, ...)
{
	if (err) {
		va_list ap;
		pv_error_clear(err);
		err->status = status;
		va_start(ap, fmt);
		set_message(err, fmt, ap);
		va_end(ap);
	}
	return status;
}

enum pv_status pv_error_set_at(struct pv_error *err, enum pv_status status,
			       const char *file, long line, long column,
			       const char *fmt, ...)
{
	if (err) {
		va_list ap;
		pv_error_clear(err);
		err->status = status;
		if (file)
			snprintf(err->file, sizeof err->file, "%s", file);
		err->line = line;
		err->column = column;
		va_start(ap, fmt);
		set_message(err, fmt, ap);
		va_end(ap);
	}
	return status;
}

void pv_error_format(const struct pv_error *err, char *buf, size_t size)
{
	char where[320] = "";

	if (err->file[0] && err->line > 0 && err->column > 0)
		snprintf(where, sizeof where, "%s:%ld:%ld: ", err->file, err->line, err->column);
	else if (err->file[0] && err->line > 0)
		snprintf(where, sizeof where, "%s:%ld: ", err->file, err->line);
	else if (err->file[0])
		snprintf(where, sizeof where, "%s: ", err->file);
	snprintf(buf, size, "%s%s", where, err->message);
}
