/* Unit tests for the CSV reader: Excel dialects, positions, strictness, limits. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "patvers/csvio.h"

/* Collects records as "line|field|field" strings. */
struct collected {
	char rows[16][256];
	size_t n;
	size_t total;
};

static enum pv_status collect(const struct pv_csv_record *rec, void *arg,
			      struct pv_error *err)
{
	struct collected *c = arg;

	(void)err;
	c->total++;
	if (c->n < 16) {
		char *row = c->rows[c->n++];
		snprintf(row, 256, "%ld", rec->line);
		for (size_t i = 0; i < rec->nfields; i++) {
			size_t used = strlen(row);
			snprintf(row + used, 256 - used, "|%s", rec->fields[i]);
		}
	}
	return PV_OK;
}

static enum pv_status read_text(const char *text, struct collected *c, struct pv_error *err)
{
	memset(c, 0, sizeof *c);
	return pv_csv_read_buffer(text, strlen(text), "in.csv", collect, c, err);
}

static void test_excel_dialect(void **state)
{
	struct collected c;
	struct pv_error err;

	(void)state;
	assert_int_equal(read_text("\xef\xbb\xbf" "elev;skole;dato\r\n"
				   "e1;\"Hof; skole\";01.09.2026\r\n"
				   "e2;Kjeldås skole;2026-09-02\r\n", &c, &err), PV_OK);
	assert_int_equal(c.n, 3);
	assert_string_equal(c.rows[0], "1|elev|skole|dato");
	assert_string_equal(c.rows[1], "2|e1|Hof; skole|01.09.2026");
	assert_string_equal(c.rows[2], "3|e2|Kjeldås skole|2026-09-02");
}

static void test_comma_and_lf(void **state)
{
	struct collected c;
	struct pv_error err;

	(void)state;
	assert_int_equal(read_text("a,b\n1,\"x \"\"quoted\"\"\"\n2,y", &c, &err), PV_OK);
	assert_int_equal(c.n, 3);
	assert_string_equal(c.rows[1], "2|1|x \"quoted\"");
	assert_string_equal(c.rows[2], "3|2|y");
}

static void test_multiline_field_and_blank_lines(void **state)
{
	struct collected c;
	struct pv_error err;

	(void)state;
	assert_int_equal(read_text("a;b\n\n1;\"two\nlines\"\n\n3;z\n", &c, &err), PV_OK);
	assert_int_equal(c.n, 3);
	assert_string_equal(c.rows[1], "3|1|two\nlines");
	assert_string_equal(c.rows[2], "6|3|z");
}

static void test_malformed_quote_position(void **state)
{
	struct collected c;
	struct pv_error err;

	(void)state;
	assert_int_equal(read_text("a;b;c\nx;y;z\n1;ab\"c;3\n", &c, &err), PV_EDATA);
	assert_string_equal(err.file, "in.csv");
	assert_int_equal(err.line, 3);
	assert_int_equal(err.column, 2);
	assert_non_null(strstr(err.message, "malformed CSV"));
}

static void test_unterminated_quote(void **state)
{
	struct collected c;
	struct pv_error err;

	(void)state;
	assert_int_equal(read_text("a;b\n1;\"open\n", &c, &err), PV_EDATA);
	assert_int_equal(err.line, 2);
	assert_non_null(strstr(err.message, "unterminated"));
}

static void test_invalid_utf8(void **state)
{
	struct collected c;
	struct pv_error err;

	(void)state;
	/* "Kjeld\xe5s" is Windows-1252 for Kjeldås. */
	assert_int_equal(read_text("a;b\n1;ok\n2;Kjeld\xe5s\n", &c, &err), PV_EDATA);
	assert_int_equal(err.line, 3);
	assert_int_equal(err.column, 2);
	assert_non_null(strstr(err.message, "iconv -f WINDOWS-1252 -t UTF-8"));
	/* Overlong encoding of '/' and a surrogate are rejected too. */
	assert_int_equal(read_text("a\n\xc0\xaf\n", &c, &err), PV_EDATA);
	assert_int_equal(read_text("a\n\xed\xa0\x80\n", &c, &err), PV_EDATA);
}

static void test_nul_byte(void **state)
{
	static const char data[] = "a;b\n1;x\0y\n";
	struct collected c;
	struct pv_error err;

	(void)state;
	memset(&c, 0, sizeof c);
	assert_int_equal(pv_csv_read_buffer(data, sizeof data - 1, "in.csv", collect, &c, &err),
			 PV_EDATA);
	assert_non_null(strstr(err.message, "NUL"));
}

static void test_limits(void **state)
{
	struct collected c;
	struct pv_error err;
	size_t n = 70000;
	char *big = malloc(n + 16);

	(void)state;
	/* an overlong field */
	memset(big, 'x', n);
	strcpy(big + n, "\n");
	assert_int_equal(read_text(big, &c, &err), PV_EDATA);
	assert_non_null(strstr(err.message, "longer than"));
	/* too many fields in one record */
	for (size_t i = 0; i < 5000; i++)
		memcpy(big + 2 * i, "x;", 2);
	strcpy(big + 10000, "\n");
	assert_int_equal(read_text(big, &c, &err), PV_EDATA);
	assert_non_null(strstr(err.message, "too many fields"));
	free(big);
}

static enum pv_status stop_at_two(const struct pv_csv_record *rec, void *arg,
				  struct pv_error *err)
{
	(void)arg;
	if (rec->line == 2)
		return pv_error_set_at(err, PV_EDATA, "in.csv", rec->line, 1, "stop");
	return PV_OK;
}

static void test_callback_stops(void **state)
{
	struct pv_error err;
	const char *text = "a\n1\n2\n";

	(void)state;
	assert_int_equal(pv_csv_read_buffer(text, strlen(text), "in.csv", stop_at_two, NULL, &err),
			 PV_EDATA);
	assert_string_equal(err.message, "stop");
}

static void test_stream_across_chunks(void **state)
{
	struct collected c;
	struct pv_error err;
	FILE *fp = tmpfile();
	long rows = 40000;

	(void)state;
	assert_non_null(fp);
	fputs("\xef\xbb\xbfstudent;school\r\n", fp);
	for (long i = 0; i < rows; i++)
		fprintf(fp, "e%ld;\"skole; nr %ld\"\r\n", i, i % 7);
	rewind(fp);
	memset(&c, 0, sizeof c);
	assert_int_equal(pv_csv_read(fp, "big.csv", collect, &c, &err), PV_OK);
	assert_int_equal(c.total, (size_t)rows + 1);
	assert_string_equal(c.rows[0], "1|student|school");
	assert_string_equal(c.rows[15], "16|e14|skole; nr 0");
	fclose(fp);
}

static void test_stream_error_line(void **state)
{
	struct collected c;
	struct pv_error err;
	FILE *fp = tmpfile();

	(void)state;
	fputs("a;b\n", fp);
	for (int i = 0; i < 30000; i++)
		fputs("1;2\n", fp);
	fputs("1;x\"y\n", fp);
	rewind(fp);
	memset(&c, 0, sizeof c);
	assert_int_equal(pv_csv_read(fp, "big.csv", collect, &c, &err), PV_EDATA);
	assert_int_equal(err.line, 30002);
	fclose(fp);
}

/*
 * Fields of a clean chunk (no quote, no NUL, only whole UTF-8) skip their
 * own check; one that began in the chunk before does not. Each case puts
 * a field across the 256 KiB boundary at which input is fed to libcsv:
 * `before` ends the first chunk, `after` begins the next, both clean
 * apart from what the case is about; `line` and `column` are where the
 * error is (line 1: the line the crossing field begins on), or line 0
 * when the file is fine and has `last` records between the crossing one
 * and the 1000 rows that end it.
 */
#define FEED_CHUNK (256 * 1024)
#define ACROSS(before, after, line, column, last) \
	read_across(before, after, sizeof(after) - 1, line, column, last)

static void read_across(const char *before, const char *after, size_t after_len, long line,
			long column, long last)
{
	size_t cap = 2 * FEED_CHUNK + 64, len = 0, lines = 1;
	char *data = malloc(cap);
	struct collected c;
	struct pv_error err;
	enum pv_status st;

	assert_non_null(data);
	len += (size_t)snprintf(data, cap, "a;b\n");
	while (len + strlen(before) + 4 < FEED_CHUNK) {   /* "x;y\n" rows up to it */
		memcpy(data + len, "x;y\n", 4);
		len += 4;
		lines++;
	}
	while (len + strlen(before) < FEED_CHUNK)
		data[len++] = 'z';           /* part of the field that crosses */
	memcpy(data + len, before, strlen(before));
	len += strlen(before);
	assert_int_equal(len, FEED_CHUNK);
	memcpy(data + len, after, after_len);   /* it may hold a NUL */
	len += after_len;
	for (int i = 0; i < 1000; i++)
		len += (size_t)snprintf(data + len, cap - len, "x;y\n");
	memset(&c, 0, sizeof c);
	st = pv_csv_read_buffer(data, len, "in.csv", collect, &c, &err);
	if (line) {
		assert_int_equal(st, PV_EDATA);
		assert_int_equal(err.line, line + (long)lines);
		assert_int_equal(err.column, column);
	} else {
		assert_int_equal(st, PV_OK);
		assert_int_equal(c.total, lines + 1 + (size_t)last + 1000);
	}
	free(data);
}

static void test_fields_across_chunks(void **state)
{
	(void)state;
	/* bad UTF-8 at the end of a chunk, its field ending in a clean one */
	ACROSS("x;\xe5", "s\n", 1, 2, 0);
	/* a clean chunk, and bad UTF-8 in the field's part in the next */
	ACROSS("x;", "\xe5s\n", 1, 2, 0);
	/* a NUL in the next chunk's part */
	ACROSS("x;a", "\0b\n", 1, 2, 0);
	/* a two-byte letter cut in two by the boundary is fine */
	ACROSS("x;\xc3", "\xa5\n", 0, 0, 0);
	/* a quoted field with line breaks that crosses: the lines after it
	 * keep their numbers */
	ACROSS("x;\"a\n", "b\n\"\nx;y\nx;\"\n\n\"\n", 0, 0, 2);
	ACROSS("x;\"a\n", "b\n\"\nx;y\nx;\xff\n", 5, 2, 0);
}

static enum pv_status stop_at_20000(const struct pv_csv_record *rec, void *arg,
				    struct pv_error *err)
{
	size_t *seen = arg;

	if (++*seen == 20000)
		return pv_error_set_at(err, PV_EDATA, "big.csv", rec->line, 1, "stop");
	return PV_OK;
}

/* On a stream libcsv runs ahead in a thread of its own: the callback's
 * failure still ends the read, and wins over a parse error further on. */
static void test_stream_callback_stops(void **state)
{
	struct pv_error err;
	FILE *fp = tmpfile();
	size_t seen = 0;

	(void)state;
	assert_non_null(fp);
	for (int i = 0; i < 60000; i++)
		fputs("1;2\n", fp);
	fputs("1;x\"y\n", fp);
	rewind(fp);
	assert_int_equal(pv_csv_read(fp, "big.csv", stop_at_20000, &seen, &err), PV_EDATA);
	assert_string_equal(err.message, "stop");
	assert_int_equal(err.line, 20000);
	assert_int_equal(seen, 20000);
	fclose(fp);
}

/* A line of blanks is no record, and the records after it keep their
 * own lines. */
static void test_blank_line_positions(void **state)
{
	struct collected c;
	struct pv_error err;

	(void)state;
	assert_int_equal(read_text("a;b\n  \n1;x\r\n\t\n2;\"y\nz\"\n3;w\n", &c, &err), PV_OK);
	assert_int_equal(c.n, 4);
	assert_string_equal(c.rows[1], "3|1|x");
	assert_string_equal(c.rows[2], "5|2|y\nz");
	assert_string_equal(c.rows[3], "7|3|w");
	assert_int_equal(read_text("a;b\n \n1;\"x\"y\n", &c, &err), PV_EDATA);
	assert_int_equal(err.line, 3);
	assert_int_equal(err.column, 2);
}

static const char *const student_aliases[] = { "elev", NULL };
static const char *const reason_aliases[] = { "årsak", "arsak", NULL };
static const struct pv_csv_column spec[] = {
	{ "student", student_aliases, true },
	{ "school", NULL, true },
	{ "reason", reason_aliases, false },
	{ "minutes", NULL, false },
};

static enum pv_status map_first(const struct pv_csv_record *rec, void *arg,
				struct pv_error *err)
{
	int *index = arg;

	if (rec->line != 1)
		return PV_OK;
	return pv_csv_map_header(rec, spec, 4, index, "h.csv", err);
}

static enum pv_status map_text(const char *text, int *index, struct pv_error *err)
{
	return pv_csv_read_buffer(text, strlen(text), "h.csv", map_first, index, err);
}

static void test_header_mapping(void **state)
{
	int index[4];
	struct pv_error err;

	(void)state;
	assert_int_equal(map_text(" ELEV ; ekstra;School;ÅRSAK\n", index, &err), PV_OK);
	assert_int_equal(index[0], 0);
	assert_int_equal(index[1], 2);
	assert_int_equal(index[2], 3);
	assert_int_equal(index[3], -1);
	assert_int_equal(map_text("elev;student;school\n", index, &err), PV_EDATA);
	assert_int_equal(err.line, 1);
	assert_int_equal(err.column, 2);
	assert_non_null(strstr(err.message, "two columns for 'student'"));
	assert_int_equal(map_text("elev;dato\n", index, &err), PV_EDATA);
	assert_non_null(strstr(err.message, "missing required column 'school'"));
}

static void test_name_equal_and_trim(void **state)
{
	char s[] = "  padded \t";

	(void)state;
	assert_true(pv_csv_name_equal("Årsak", "årsak"));
	assert_true(pv_csv_name_equal("FRAVÆR", "fravær"));
	assert_true(pv_csv_name_equal("Søndag", "SØNDAG"));
	assert_false(pv_csv_name_equal("arsak", "årsak"));
	assert_false(pv_csv_name_equal("elev", "elever"));
	assert_string_equal(pv_csv_trim(s), "padded");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_excel_dialect),
		cmocka_unit_test(test_comma_and_lf),
		cmocka_unit_test(test_multiline_field_and_blank_lines),
		cmocka_unit_test(test_malformed_quote_position),
		cmocka_unit_test(test_unterminated_quote),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_nul_byte),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_callback_stops),
		cmocka_unit_test(test_stream_across_chunks),
		cmocka_unit_test(test_fields_across_chunks),
		cmocka_unit_test(test_stream_error_line),
		cmocka_unit_test(test_stream_callback_stops),
		cmocka_unit_test(test_blank_line_positions),
		cmocka_unit_test(test_header_mapping),
		cmocka_unit_test(test_name_equal_and_trim),
	};
	return cmocka_run_group_tests_name("csvio", tests, NULL, NULL);
}
