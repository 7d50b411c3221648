/* Loading an example municipality: rules, roster and calendars from one folder. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patvers/calendar.h"
#include "patvers/example.h"
#include "patvers/rules.h"

static char *join(const char *dir, const char *name)
{
	size_t len = strlen(dir) + strlen(name) + 2;
	char *path = malloc(len);

	if (path)
		snprintf(path, len, "%s/%s", dir, name);
	return path;
}

/* Reads a whole file; *data is NULL (and PV_OK) when it does not exist
 * and `optional` is set. */
static enum pv_status read_all(const char *path, bool optional, char **data, size_t *len,
			       struct pv_error *err)
{
	FILE *fp = fopen(path, "rb");
	long size;

	*data = NULL;
	*len = 0;
	if (!fp) {
		if (optional && errno == ENOENT)
			return PV_OK;
		return pv_error_set(err, errno == ENOENT ? PV_ENOINPUT : PV_EIO,
				    "cannot open '%s': %s", path, strerror(errno));
	}
	if (fseek(fp, 0, SEEK_END) != 0 || (size = ftell(fp)) < 0 || fseek(fp, 0, SEEK_SET)) {
		fclose(fp);
		return pv_error_set(err, PV_EIO, "cannot read '%s': %s", path, strerror(errno));
	}
	*data = malloc((size_t)size + 1);
	if (!*data) {
		fclose(fp);
		return pv_error_set(err, PV_ESOFTWARE, "out of memory");
	}
	*len = fread(*data, 1, (size_t)size, fp);
	(*data)[*len] = '\0';
	if (ferror(fp)) {
		fclose(fp);
		free(*data);
		*data = NULL;
		return pv_error_set(err, PV_EIO, "cannot read '%s'", path);
	}
	fclose(fp);
	return PV_OK;
}

static enum pv_status load_rules(struct pv_db *db, const char *dir, bool *loaded,
				 struct pv_error *err)
{
	char *path = join(dir, "rules.json"), *text = NULL;
	struct pv_rules *rules = NULL;
	enum pv_status status;
	size_t len;

	*loaded = false;
	if (!path)
		return pv_error_set(err, PV_ESOFTWARE, "out of memory");
	status = read_all(path, true, &text, &len, err);
	if (status == PV_OK && text)
		status = pv_rules_parse(text, len, path, &rules, err);
	if (status == PV_OK && rules) {
		status = pv_rules_store(db, rules, err);
		*loaded = status == PV_OK;
	}
	pv_rules_free(rules);
	free(text);
	free(path);
	return status;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool is_calendar(const char *name)
{
	size_t n = strlen(name);

	return strncmp(name, "calendar-", 9) == 0 && n > 14 &&
	       strcmp(name + n - 5, ".json") == 0;
}

/* The calendar-*.json names in `dir`, sorted; caller frees each and the array. */
static enum pv_status calendar_files(const char *dir, char ***names, size_t *count,
				     struct pv_error *err)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t cap = 0;

	*names = NULL;
	*count = 0;
	if (!d)
		return pv_error_set(err, PV_ENOINPUT, "cannot open folder '%s': %s", dir,
				    strerror(errno));
	while ((e = readdir(d))) {
		if (!is_calendar(e->d_name))
			continue;
		if (*count == cap) {
			char **bigger = realloc(*names, (cap ? cap * 2 : 8) * sizeof *bigger);
			if (!bigger)
				break;
			*names = bigger;
			cap = cap ? cap * 2 : 8;
		}
		if (!((*names)[*count] = strdup(e->d_name)))
			break;
		(*count)++;
	}
	closedir(d);
	if (e)
		return pv_error_set(err, PV_ESOFTWARE, "out of memory");
	if (*count > 1)
		qsort(*names, *count, sizeof **names, cmp_names);
	return PV_OK;
}

static enum pv_status load_calendar(struct pv_db *db, const char *dir, const char *name,
				    struct pv_example_result *res, struct pv_error *err)
{
	char *path = join(dir, name), *text = NULL;
	enum pv_status status;
	size_t len;
	int year = 0;

	if (!path)
		return pv_error_set(err, PV_ESOFTWARE, "out of memory");
	status = read_all(path, false, &text, &len, err);
	if (status == PV_OK)
		status = pv_calendar_import(db, text, len, path, PV_CALENDAR_JSON, &year, err);
	if (status == PV_OK && res->ncalendars < sizeof res->calendars / sizeof res->calendars[0])
		res->calendars[res->ncalendars++] = year;
	free(text);
	free(path);
	return status;
}

enum pv_status pv_example_load(struct pv_db *db, const char *dir,
			       struct pv_example_result *result, struct pv_error *err)
{
	struct pv_example_result own;
	char **names = NULL;
	size_t count = 0;
	enum pv_status status;

	if (!result)
		result = &own;
	memset(result, 0, sizeof *result);
	status = load_rules(db, dir, &result->rules, err);
	if (status == PV_OK)
		status = pv_team_import_dir(db, dir, NULL, &result->team, err);
	if (status == PV_OK)
		status = calendar_files(dir, &names, &count, err);
	for (size_t i = 0; i < count; i++) {
		if (status == PV_OK)
			status = load_calendar(db, dir, names[i], result, err);
		free(names[i]);
	}
	free(names);
	return status;
}

bool pv_example_name_valid(const char *name)
{
	if (!*name || name[0] == '.' || strlen(name) > 64)
		return false;
	for (const char *s = name; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-' ||
		      *s == '_'))
			return false;
	return true;
}
