/*
 * Translation set-up for the command line (see include/patvers/i18n.h).
 *
 * Only LC_MESSAGES and LC_CTYPE follow the environment. LC_NUMERIC,
 * LC_TIME and the rest stay "C", so numbers and dates in every data
 * format are the same whatever the user's locale.
 *
 * glibc translates only when setlocale(LC_MESSAGES, "") succeeds, i.e.
 * when the locale asked for (LC_ALL, else LC_MESSAGES, else LANG) is
 * installed; a fresh Debian machine often has no nb_NO.UTF-8. So when
 * that fails and the language asked for is Norwegian (nb, no or nn),
 * LC_MESSAGES falls back to C.UTF-8 and LANGUAGE is set to "nb" (unless
 * the user set LANGUAGE): gettext honours LANGUAGE whenever the message
 * locale is not plain "C". A Norwegian locale that is installed gets the
 * same LANGUAGE default, so "no" and "nn" users also get Bokmål rather
 * than English. Anything else (C, POSIX, en_*, unset) gives English.
 *
 * The catalogue is looked for in $PATVERS_LOCALEDIR when set (tests),
 * else in <directory of the binary>/locale when that exists (the build
 * tree: make writes $(O)/locale/nb/LC_MESSAGES/patvers.mo), else in
 * LOCALEDIR, $(PREFIX)/share/locale, where make install puts it.
 */
#include <limits.h>
#include <locale.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd.h"
#include "patvers/i18n.h"

#ifndef LOCALEDIR
#define LOCALEDIR "/usr/local/share/locale"
#endif

/* The locale the environment asks for messages, POSIX order; NULL: none. */
static const char *wanted_messages_locale(void)
{
	static const char *const vars[] = { "LC_ALL", "LC_MESSAGES", "LANG" };

	for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++) {
		const char *v = getenv(vars[i]);
		if (v && *v)
			return v;
	}
	return NULL;
}

/* "nb", "nb_NO.UTF-8", "no_NO", "nn_NO@…" → the language code; else NULL. */
static const char *norwegian(const char *name)
{
	static const char *const langs[] = { "nb", "no", "nn" };

	if (!name)
		return NULL;
	for (size_t i = 0; i < sizeof langs / sizeof langs[0]; i++)
		if (strncmp(name, langs[i], 2) == 0 &&
		    (name[2] == '\0' || name[2] == '_' || name[2] == '.' || name[2] == '@'))
			return langs[i];
	return NULL;
}

static bool is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* <directory of the running binary>/locale into buf when it exists. */
static bool build_tree_localedir(const char *argv0, char *buf, size_t size)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	char *slash;

	if (n > 0) {
		exe[n] = '\0';
	} else if (argv0 && strchr(argv0, '/') && strlen(argv0) < sizeof exe) {
		snprintf(exe, sizeof exe, "%s", argv0);
	} else {
		return false;
	}
	slash = strrchr(exe, '/');
	if (!slash)
		return false;
	*slash = '\0';
	if ((size_t)snprintf(buf, size, "%s/locale", *exe ? exe : "/") >= size)
		return false;
	return is_dir(buf);
}

void cmd_i18n_init(const char *argv0)
{
	const char *wanted = wanted_messages_locale();
	const char *lang = norwegian(wanted);
	const char *dir = getenv("PATVERS_LOCALEDIR");
	const char *language = getenv("LANGUAGE");
	char local[PATH_MAX + 16];

	setlocale(LC_CTYPE, "");
	if (!setlocale(LC_MESSAGES, "") && lang && !setlocale(LC_MESSAGES, "C.UTF-8"))
		setlocale(LC_MESSAGES, "C.utf8");
	if (lang && (!language || !*language))
		setenv("LANGUAGE", strcmp(lang, "nn") == 0 ? "nn:nb" : "nb", 1);

	if (!dir || !*dir)
		dir = build_tree_localedir(argv0, local, sizeof local) ? local : LOCALEDIR;
	bindtextdomain(PV_TEXTDOMAIN, dir);
	bind_textdomain_codeset(PV_TEXTDOMAIN, "UTF-8");
}
