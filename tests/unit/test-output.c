/* Unit tests for the output emitter: exact bytes in text, JSON, JSONL and CSV. */
#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "unit.h"

#include "patvers/output.h"

/* ---- helpers ---- */

typedef void (*build_fn)(struct pv_out *out);

struct run {
	enum pv_status status;
	struct pv_error err;
	char *text;            /* everything written, NUL-terminated */
	size_t len;
};

/* Builds a document with `build` into memory using `opts`. */
static struct run run_opts(const struct pv_out_options *opts, build_fn build)
{
	struct run r = { 0 };
	FILE *fp = open_memstream(&r.text, &r.len);
	struct pv_out *out;

	assert_non_null(fp);
	out = pv_out_new(fp, opts);
	assert_non_null(out);
	build(out);
	r.status = pv_out_end(out, &r.err);
	pv_out_free(out);
	assert_int_equal(fclose(fp), 0);
	return r;
}

static struct run run_format(enum pv_format format, build_fn build)
{
	struct pv_out_options opts = { .format = format };

	return run_opts(&opts, build);
}

/* Asserts a successful run wrote exactly `want` (byte for byte). */
static void expect_opts(const struct pv_out_options *opts, build_fn build, const char *want)
{
	struct run r = run_opts(opts, build);

	if (r.status != PV_OK)
		fail_msg("pv_out_end: %d %s", r.status, r.err.message);
	assert_int_equal(r.len, strlen(want));
	assert_memory_equal(r.text, want, r.len);
	free(r.text);
}

static void expect(enum pv_format format, build_fn build, const char *want)
{
	struct pv_out_options opts = { .format = format };

	expect_opts(&opts, build, want);
}

/* Asserts the run failed as misuse, wrote nothing, and said `why`. */
/* In every format: CSV and JSONL render the first table's records as
 * they end, and must still write nothing when a later call is misuse. */
static void expect_misuse(build_fn build, const char *why)
{
	for (enum pv_format f = PV_FORMAT_TEXT; f <= PV_FORMAT_CSV; f++) {
		struct run r = run_format(f, build);

		assert_int_equal(r.status, PV_ESOFTWARE);
		assert_int_equal(r.err.status, PV_ESOFTWARE);
		assert_string_equal(r.err.message, why);
		assert_int_equal(r.len, 0);
		free(r.text);
	}
}

static void rec_meeting(struct pv_out *o, const char *unit, const char *date,
			bool held, double score)
{
	pv_out_begin_record(o);
	pv_out_str(o, "unit", unit);
	pv_out_str(o, "date", date);
	pv_out_bool(o, "held", held);
	if (isnan(score))
		pv_out_null(o, "score");
	else
		pv_out_num(o, "score", score, 2);
	pv_out_end_record(o);
}

/* The reference document: two fields, a note, one table. */
static void build_sample(struct pv_out *o)
{
	static const char *const cols[] = { "unit", "date", "held", "score", NULL };

	pv_out_begin(o, "plan");
	pv_out_str(o, "school_year", "2026/27");
	pv_out_int(o, "planned", 2);
	pv_out_note(o, "%d meetings planned", 2);
	pv_out_begin_table(o, "meetings", cols);
	rec_meeting(o, "Kjeldås skole", "2026-08-20", true, 0.2);
	rec_meeting(o, "Hof skole", "2026-09-03", false, NAN);
	pv_out_end_table(o);
}

/* ---- the same document in every format ---- */

static void test_sample_text(void **state)
{
	(void)state;
	expect(PV_FORMAT_TEXT, build_sample,
	       "school year: 2026/27\n"
	       "planned:     2\n"
	       "\n"
	       "2 meetings planned\n"
	       "\n"
	       "meetings:\n"
	       "UNIT           DATE        HELD  SCORE\n"
	       "Kjeldås skole  2026-08-20  yes    0.20\n"
	       "Hof skole      2026-09-03  no        -\n");
}

static void test_sample_json(void **state)
{
	(void)state;
	expect(PV_FORMAT_JSON, build_sample,
	       "{\n"
	       "  \"schema\": \"patvers/plan/1\",\n"
	       "  \"school_year\": \"2026/27\",\n"
	       "  \"planned\": 2,\n"
	       "  \"meetings\": [\n"
	       "    {\n"
	       "      \"unit\": \"Kjeldås skole\",\n"
	       "      \"date\": \"2026-08-20\",\n"
	       "      \"held\": true,\n"
	       "      \"score\": 0.20\n"
	       "    },\n"
	       "    {\n"
	       "      \"unit\": \"Hof skole\",\n"
	       "      \"date\": \"2026-09-03\",\n"
	       "      \"held\": false,\n"
	       "      \"score\": null\n"
	       "    }\n"
	       "  ]\n"
	       "}\n");
}

static void test_sample_jsonl(void **state)
{
	(void)state;
	expect(PV_FORMAT_JSONL, build_sample,
	       "{\"date\":\"2026-08-20\",\"held\":true,\"score\":0.20,\"unit\":\"Kjeldås skole\"}\n"
	       "{\"date\":\"2026-09-03\",\"held\":false,\"score\":null,\"unit\":\"Hof skole\"}\n");
}

static void test_sample_csv(void **state)
{
	(void)state;
	expect(PV_FORMAT_CSV, build_sample,
	       "unit,date,held,score\r\n"
	       "Kjeldås skole,2026-08-20,true,0.20\r\n"
	       "Hof skole,2026-09-03,false,\r\n");
}

/* The JSON we write ourselves must be what jansson reads back. */
static void test_sample_json_parses(void **state)
{
	struct run r = run_format(PV_FORMAT_JSON, build_sample);
	json_error_t jerr;
	json_t *doc, *rec;
	double diff;

	(void)state;
	assert_int_equal(r.status, PV_OK);
	doc = json_loads(r.text, JSON_REJECT_DUPLICATES, &jerr);
	assert_non_null(doc);
	assert_string_equal(json_string_value(json_object_get(doc, "schema")), "patvers/plan/1");
	rec = json_array_get(json_object_get(doc, "meetings"), 0);
	assert_true(json_is_real(json_object_get(rec, "score")));
	diff = json_real_value(json_object_get(rec, "score")) - 0.2;
	assert_true(diff < 1e-12 && diff > -1e-12);
	json_decref(doc);
	free(r.text);
}

static void build_plain(struct pv_out *o)
{
	pv_out_begin(o, "x");
	pv_out_str(o, "quote", "a \"b\" \\ c\n\t\x01 æøå /");
	pv_out_int(o, "big", -9223372036854775807LL - 1);
	pv_out_begin_list(o, "empty_list");
	pv_out_end_list(o);
	pv_out_begin_map(o, "empty_map");
	pv_out_end_map(o);
	pv_out_begin_map(o, "m");
	pv_out_begin_list(o, "l");
	pv_out_int(o, NULL, 1);
	pv_out_begin_map(o, NULL);
	pv_out_bool(o, "t", true);
	pv_out_end_map(o);
	pv_out_end_list(o);
	pv_out_end_map(o);
}

/* Without pv_out_num values our layout is byte-identical to jansson's. */
static void test_json_layout_matches_jansson(void **state)
{
	struct run r = run_format(PV_FORMAT_JSON, build_plain);
	json_t *doc;
	char *dump;

	(void)state;
	assert_int_equal(r.status, PV_OK);
	doc = json_loads(r.text, 0, NULL);
	assert_non_null(doc);
	dump = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	assert_non_null(dump);
	assert_int_equal(r.len, strlen(dump) + 1);
	assert_memory_equal(r.text, dump, strlen(dump));
	assert_int_equal(r.text[r.len - 1], '\n');
	free(dump);
	json_decref(doc);
	free(r.text);
}

static void test_json_escapes(void **state)
{
	(void)state;
	expect(PV_FORMAT_JSONL, build_plain,
	       "{\"big\":-9223372036854775808,\"empty_list\":[],\"empty_map\":{},"
	       "\"m\":{\"l\":[1,{\"t\":true}]},"
	       "\"quote\":\"a \\\"b\\\" \\\\ c\\n\\t\\u0001 æøå /\","
	       "\"schema\":\"patvers/x/1\"}\n");
}

/* ---- CSV ---- */

static void build_quoting(struct pv_out *o)
{
	pv_out_begin(o, "q");
	pv_out_begin_table(o, "rows", NULL);
	pv_out_begin_record(o);
	pv_out_str(o, "comma", "a,b");
	pv_out_str(o, "semi", "a;b");
	pv_out_str(o, "quote", "say \"hi\"");
	pv_out_str(o, "lf", "line1\nline2");
	pv_out_str(o, "cr", "x\ry");
	pv_out_str(o, "plain", "Hof skole");
	pv_out_end_record(o);
	pv_out_end_table(o);
}

static void test_csv_quoting(void **state)
{
	(void)state;
	expect(PV_FORMAT_CSV, build_quoting,
	       "comma,semi,quote,lf,cr,plain\r\n"
	       "\"a,b\",a;b,\"say \"\"hi\"\"\",\"line1\nline2\",\"x\ry\",Hof skole\r\n");
}

static void test_csv_semicolon(void **state)
{
	struct pv_out_options opts = { .format = PV_FORMAT_CSV, .csv_sep = ';' };

	(void)state;
	expect_opts(&opts, build_quoting,
		    "comma;semi;quote;lf;cr;plain\r\n"
		    "a,b;\"a;b\";\"say \"\"hi\"\"\";\"line1\nline2\";\"x\ry\";Hof skole\r\n");
}

static void test_csv_excel(void **state)
{
	/* excel wins over an explicit ',' */
	struct pv_out_options opts = { .format = PV_FORMAT_CSV, .csv_sep = ',', .excel = true };

	(void)state;
	expect_opts(&opts, build_sample,
		    "\xEF\xBB\xBF"
		    "unit;date;held;score\r\n"
		    "Kjeldås skole;2026-08-20;true;0.20\r\n"
		    "Hof skole;2026-09-03;false;\r\n");
}

static void build_formulas(struct pv_out *o)
{
	pv_out_begin(o, "f");
	pv_out_begin_table(o, "rows", NULL);
	pv_out_begin_record(o);
	pv_out_str(o, "eq", "=SUM(A1:A9)");
	pv_out_str(o, "plus", "+47 99");
	pv_out_str(o, "minus", "-5");
	pv_out_str(o, "at", "@cmd");
	pv_out_str(o, "tab", "\tx");
	pv_out_str(o, "cr", "\rx");
	pv_out_str(o, "quoted", "=1,2");
	pv_out_int(o, "int", -5);
	pv_out_num(o, "num", -1.5, 2);
	pv_out_str(o, "inner", "a=b");
	pv_out_end_record(o);
	pv_out_end_table(o);
}

static void test_csv_formula_guard(void **state)
{
	(void)state;
	expect(PV_FORMAT_CSV, build_formulas,
	       "eq,plus,minus,at,tab,cr,quoted,int,num,inner\r\n"
	       "'=SUM(A1:A9),'+47 99,'-5,'@cmd,'\tx,\"'\rx\",\"'=1,2\",-5,-1.50,a=b\r\n");
}

/* Only the CSV backend guards: JSON keeps the string as given. */
static void test_json_no_formula_guard(void **state)
{
	(void)state;
	expect(PV_FORMAT_JSONL, build_formulas,
	       "{\"at\":\"@cmd\",\"cr\":\"\\rx\",\"eq\":\"=SUM(A1:A9)\",\"inner\":\"a=b\","
	       "\"int\":-5,\"minus\":\"-5\",\"num\":-1.50,\"plus\":\"+47 99\","
	       "\"quoted\":\"=1,2\",\"tab\":\"\\tx\"}\n");
}

static void test_csv_write_field(void **state)
{
	char *text = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&text, &len);

	(void)state;
	assert_non_null(fp);
	pv_csv_write_field(fp, "plain", ',');
	fputc('|', fp);
	pv_csv_write_field(fp, "a,b", ',');
	fputc('|', fp);
	pv_csv_write_field(fp, "a,b", ';');
	fputc('|', fp);
	pv_csv_write_field(fp, "a;b", ';');
	fputc('|', fp);
	pv_csv_write_field(fp, "\"", ',');
	fputc('|', fp);
	pv_csv_write_field(fp, "-1", ',');
	fputc('|', fp);
	pv_csv_write_field(fp, "@x;y", ';');
	fputc('|', fp);
	pv_csv_write_field(fp, NULL, ',');
	fputc('|', fp);
	pv_csv_write_field(fp, "x,y", 0);   /* 0 means ',' */
	pv_csv_write_field(NULL, "ignored", ',');
	assert_int_equal(fclose(fp), 0);
	assert_string_equal(text, "plain|\"a,b\"|a,b|\"a;b\"|\"\"\"\"|'-1|\"'@x;y\"||\"x,y\"");
	free(text);
}

static void build_nested(struct pv_out *o)
{
	pv_out_begin(o, "team");
	pv_out_begin_table(o, "members", NULL);
	pv_out_begin_record(o);
	pv_out_str(o, "name", "Kari");
	pv_out_begin_list(o, "roles");
	pv_out_str(o, NULL, "ppt");
	pv_out_str(o, NULL, "leder");
	pv_out_end_list(o);
	pv_out_begin_map(o, "contact");
	pv_out_str(o, "phone", "+47 33 00 00 00");
	pv_out_begin_map(o, "office");
	pv_out_str(o, "room", "B2");
	pv_out_end_map(o);
	pv_out_end_map(o);
	pv_out_end_record(o);
	pv_out_begin_record(o);
	pv_out_str(o, "name", "Ola");
	pv_out_begin_list(o, "roles");
	pv_out_end_list(o);
	pv_out_str(o, "unit", "Hof skole");
	pv_out_end_record(o);
	pv_out_end_table(o);
}

/* Lists join with a space, maps become "key.sub" columns (in order of
 * first appearance across records), missing cells stay empty. */
static void test_csv_nested(void **state)
{
	(void)state;
	expect(PV_FORMAT_CSV, build_nested,
	       "name,roles,contact.phone,contact.office.room,unit\r\n"
	       "Kari,ppt leder,'+47 33 00 00 00,B2,\r\n"
	       "Ola,,,,Hof skole\r\n");
}

static void test_text_nested(void **state)
{
	(void)state;
	expect(PV_FORMAT_TEXT, build_nested,
	       "members:\n"
	       "NAME  ROLES       CONTACT.PHONE    CONTACT.OFFICE.ROOM  UNIT\n"
	       "Kari  ppt, leder  +47 33 00 00 00  B2                   -\n"
	       "Ola   -           -                -                    Hof skole\n");
}

static void build_declared_path(struct pv_out *o)
{
	static const char *const cols[] = { "contact.office.room", "name", "contact", "nope", NULL };

	pv_out_begin(o, "team");
	pv_out_begin_table(o, "members", cols);
	pv_out_begin_record(o);
	pv_out_str(o, "name", "Kari");
	pv_out_begin_map(o, "contact");
	pv_out_str(o, "phone", "1");
	pv_out_begin_map(o, "office");
	pv_out_str(o, "room", "B2");
	pv_out_end_map(o);
	pv_out_end_map(o);
	pv_out_end_record(o);
	pv_out_end_table(o);
}

/* A declared "a.b" column reaches into the map; a declared map column
 * shows its fields as k=v; an unknown column is empty. */
static void test_csv_declared_path(void **state)
{
	(void)state;
	expect(PV_FORMAT_CSV, build_declared_path,
	       "contact.office.room,name,contact,nope\r\n"
	       "B2,Kari,\"phone=1 office={\"\"room\"\":\"\"B2\"\"}\",\r\n");
}

static void build_jsonl_nested(struct pv_out *o)
{
	pv_out_begin(o, "n");
	pv_out_str(o, "ignored", "top-level fields are not records");
	pv_out_begin_table(o, "rows", NULL);
	pv_out_begin_record(o);
	pv_out_str(o, "z", "last");
	pv_out_begin_map(o, "m");
	pv_out_int(o, "b", 2);
	pv_out_int(o, "a", 1);
	pv_out_end_map(o);
	pv_out_end_record(o);
	pv_out_end_table(o);
	pv_out_begin_table(o, "second", NULL);
	pv_out_begin_record(o);
	pv_out_int(o, "n", 1);
	pv_out_end_record(o);
	pv_out_end_table(o);
}

/* JSONL: keys sorted at every depth, only the first table. */
static void test_jsonl_sorted_first_table(void **state)
{
	(void)state;
	expect(PV_FORMAT_JSONL, build_jsonl_nested,
	       "{\"m\":{\"a\":1,\"b\":2},\"z\":\"last\"}\n");
	expect(PV_FORMAT_CSV, build_jsonl_nested,
	       "z,m.b,m.a\r\n"
	       "last,2,1\r\n");
}

/* ---- text ---- */

static void build_unicode(struct pv_out *o)
{
	pv_out_begin(o, "u");
	pv_out_begin_table(o, "schools", NULL);
	pv_out_begin_record(o);
	pv_out_str(o, "name", "Kjeldås skole");
	pv_out_int(o, "pupils", 7);
	pv_out_end_record(o);
	pv_out_begin_record(o);
	pv_out_str(o, "name", "Hof skole");
	pv_out_int(o, "pupils", 312);
	pv_out_end_record(o);
	pv_out_begin_record(o);
	pv_out_str(o, "name", "Bakkeløkka"); /* "å" decomposed: a + U+030A */
	pv_out_int(o, "pupils", 40);
	pv_out_end_record(o);
	pv_out_begin_record(o);
	pv_out_str(o, "name", "Gr\xc3\xa5" "a\xcc\x8a");
	pv_out_null(o, "pupils");
	pv_out_end_record(o);
	pv_out_end_table(o);
}

/* æøå take one column each (13 for "Kjeldås skole"); a combining ring
 * takes none; numbers are right-aligned; no trailing spaces. */
static void test_text_unicode_alignment(void **state)
{
	(void)state;
	expect(PV_FORMAT_TEXT, build_unicode,
	       "schools:\n"
	       "NAME           PUPILS\n"
	       "Kjeldås skole       7\n"
	       "Hof skole         312\n"
	       "Bakkeløkka         40\n"
	       "Gr\xc3\xa5" "a\xcc\x8a" "                -\n");
}

static void test_text_color(void **state)
{
	struct pv_out_options opts = { .format = PV_FORMAT_TEXT, .color = true };

	(void)state;
	expect_opts(&opts, build_unicode,
		    "schools:\n"
		    "\033[1mNAME           PUPILS\033[0m\n"
		    "Kjeldås skole       7\n"
		    "Hof skole         312\n"
		    "Bakkeløkka         40\n"
		    "Gr\xc3\xa5" "a\xcc\x8a" "                -\n");
}

static void build_trailing(struct pv_out *o)
{
	static const char *const cols[] = { "påmeldt_av", "note", NULL };

	pv_out_begin(o, "t");
	pv_out_begin_table(o, "rows", cols);
	pv_out_begin_record(o);
	pv_out_str(o, "påmeldt_av", "a");
	pv_out_str(o, "note", "");
	pv_out_end_record(o);
	pv_out_begin_record(o);
	pv_out_str(o, "påmeldt_av", "bb\x1b[31m");
	pv_out_str(o, "note", "tail  ");
	pv_out_end_record(o);
	pv_out_end_table(o);
}

/* Headings upper-case æøå too; empty last cells leave no trailing
 * spaces; an escape byte from data is shown as a space. */
static void test_text_trailing_and_controls(void **state)
{
	(void)state;
	expect(PV_FORMAT_TEXT, build_trailing,
	       "rows:\n"
	       "PÅMELDT_AV  NOTE\n"
	       "a\n"
	       "bb [31m     tail\n");
}

static void build_empty_table(struct pv_out *o)
{
	static const char *const cols[] = { "unit", "date", NULL };

	pv_out_begin(o, "plan");
	pv_out_str(o, "year", "2026/27");
	pv_out_begin_table(o, "meetings", cols);
	pv_out_end_table(o);
	pv_out_begin_table(o, "clashes", NULL);
	pv_out_end_table(o);
}

static void test_empty_table_text(void **state)
{
	(void)state;
	expect(PV_FORMAT_TEXT, build_empty_table,
	       "year: 2026/27\n"
	       "\n"
	       "meetings: (none)\n"
	       "\n"
	       "clashes: (none)\n");
}

static void test_empty_table_data(void **state)
{
	(void)state;
	expect(PV_FORMAT_JSON, build_empty_table,
	       "{\n"
	       "  \"schema\": \"patvers/plan/1\",\n"
	       "  \"year\": \"2026/27\",\n"
	       "  \"meetings\": [],\n"
	       "  \"clashes\": []\n"
	       "}\n");
	expect(PV_FORMAT_JSONL, build_empty_table, "");
	expect(PV_FORMAT_CSV, build_empty_table, "unit,date\r\n");
}

static void build_empty_undeclared(struct pv_out *o)
{
	pv_out_begin(o, "plan");
	pv_out_begin_table(o, "meetings", NULL);
	pv_out_end_table(o);
}

/* No records and no declared columns: there is no header to write. */
static void test_empty_table_no_columns_csv(void **state)
{
	struct pv_out_options opts = { .format = PV_FORMAT_CSV, .excel = true };

	(void)state;
	expect(PV_FORMAT_CSV, build_empty_undeclared, "");
	expect_opts(&opts, build_empty_undeclared, "\xEF\xBB\xBF");
}

static void build_fields_only(struct pv_out *o)
{
	pv_out_begin(o, "report");
	pv_out_str(o, "unit", "Hof skole");
	pv_out_str(o, "half_year", "2026-H2");
	pv_out_int(o, "held", 3);
	pv_out_num(o, "share", 0.75, 1);
	pv_out_bool(o, "on_time", true);
	pv_out_bool(o, "late", false);
	pv_out_null(o, "comment");
	pv_out_begin_list(o, "roles");
	pv_out_str(o, NULL, "ppt");
	pv_out_str(o, NULL, "=helse");
	pv_out_end_list(o);
	pv_out_begin_map(o, "leader");
	pv_out_str(o, "name", "Kari");
	pv_out_str(o, "role_title", "rektor");
	pv_out_end_map(o);
	pv_out_note(o, "deadline %s", "2026-12-15");
	pv_out_note(o, "second note");
}

static void test_fields_only_text(void **state)
{
	(void)state;
	expect(PV_FORMAT_TEXT, build_fields_only,
	       "unit:      Hof skole\n"
	       "half year: 2026-H2\n"
	       "held:      3\n"
	       "share:     0.8\n"
	       "on time:   yes\n"
	       "late:      no\n"
	       "comment:   -\n"
	       "roles:     ppt, =helse\n"
	       "leader:\n"
	       "  name:       Kari\n"
	       "  role title: rektor\n"
	       "\n"
	       "deadline 2026-12-15\n"
	       "second note\n");
}

static void test_fields_only_json(void **state)
{
	(void)state;
	expect(PV_FORMAT_JSON, build_fields_only,
	       "{\n"
	       "  \"schema\": \"patvers/report/1\",\n"
	       "  \"unit\": \"Hof skole\",\n"
	       "  \"half_year\": \"2026-H2\",\n"
	       "  \"held\": 3,\n"
	       "  \"share\": 0.8,\n"
	       "  \"on_time\": true,\n"
	       "  \"late\": false,\n"
	       "  \"comment\": null,\n"
	       "  \"roles\": [\n"
	       "    \"ppt\",\n"
	       "    \"=helse\"\n"
	       "  ],\n"
	       "  \"leader\": {\n"
	       "    \"name\": \"Kari\",\n"
	       "    \"role_title\": \"rektor\"\n"
	       "  }\n"
	       "}\n");
}

static void test_fields_only_jsonl(void **state)
{
	(void)state;
	expect(PV_FORMAT_JSONL, build_fields_only,
	       "{\"comment\":null,\"half_year\":\"2026-H2\",\"held\":3,\"late\":false,"
	       "\"leader\":{\"name\":\"Kari\",\"role_title\":\"rektor\"},\"on_time\":true,"
	       "\"roles\":[\"ppt\",\"=helse\"],\"schema\":\"patvers/report/1\","
	       "\"share\":0.8,\"unit\":\"Hof skole\"}\n");
}

static void test_fields_only_csv(void **state)
{
	struct pv_out_options opts = { .format = PV_FORMAT_CSV, .excel = true };

	(void)state;
	expect(PV_FORMAT_CSV, build_fields_only,
	       "field,value\r\n"
	       "unit,Hof skole\r\n"
	       "half_year,2026-H2\r\n"
	       "held,3\r\n"
	       "share,0.8\r\n"
	       "on_time,true\r\n"
	       "late,false\r\n"
	       "comment,\r\n"
	       "roles,ppt =helse\r\n"
	       "leader.name,Kari\r\n"
	       "leader.role_title,rektor\r\n");
	expect_opts(&opts, build_fields_only,
		    "\xEF\xBB\xBF"
		    "field;value\r\n"
		    "unit;Hof skole\r\n"
		    "half_year;2026-H2\r\n"
		    "held;3\r\n"
		    "share;0.8\r\n"
		    "on_time;true\r\n"
		    "late;false\r\n"
		    "comment;\r\n"
		    "roles;ppt =helse\r\n"
		    "leader.name;Kari\r\n"
		    "leader.role_title;rektor\r\n");
}

static void build_empty_doc(struct pv_out *o)
{
	pv_out_begin(o, "nothing");
}

static void test_empty_document(void **state)
{
	(void)state;
	expect(PV_FORMAT_TEXT, build_empty_doc, "");
	expect(PV_FORMAT_JSON, build_empty_doc,
	       "{\n  \"schema\": \"patvers/nothing/1\"\n}\n");
	expect(PV_FORMAT_JSONL, build_empty_doc, "{\"schema\":\"patvers/nothing/1\"}\n");
	expect(PV_FORMAT_CSV, build_empty_doc, "field,value\r\n");
}

/* ---- numbers, null and booleans ---- */

static void build_nums(struct pv_out *o)
{
	pv_out_begin(o, "n");
	pv_out_begin_table(o, "nums", NULL);
	pv_out_begin_record(o);
	pv_out_num(o, "a", 0.2, 2);
	pv_out_num(o, "b", 3.14159, 3);
	pv_out_num(o, "c", 7.0, 0);
	pv_out_num(o, "d", -0.001, 2);   /* no "-0.00" */
	pv_out_num(o, "e", 1e6, 1);
	pv_out_num(o, "f", -2.5, 1);
	pv_out_num(o, "g", NAN, 2);      /* no NaN in JSON: null */
	pv_out_num(o, "h", INFINITY, 2);
	pv_out_num(o, "i", 0.5, -3);     /* negative decimals: 0 */
	pv_out_num(o, "j", 0.1, 1);
	pv_out_end_record(o);
	pv_out_end_table(o);
}

static void test_num_decimals(void **state)
{
	(void)state;
	expect(PV_FORMAT_JSONL, build_nums,
	       "{\"a\":0.20,\"b\":3.142,\"c\":7,\"d\":0.00,\"e\":1000000.0,\"f\":-2.5,"
	       "\"g\":null,\"h\":null,\"i\":0,\"j\":0.1}\n");
	expect(PV_FORMAT_CSV, build_nums,
	       "a,b,c,d,e,f,g,h,i,j\r\n"
	       "0.20,3.142,7,0.00,1000000.0,-2.5,,,0,0.1\r\n");
	expect(PV_FORMAT_TEXT, build_nums,
	       "nums:\n"
	       "   A      B  C     D          E     F  G  H  I    J\n"
	       "0.20  3.142  7  0.00  1000000.0  -2.5  -  -  0  0.1\n");
}

/* The locale test needs a locale whose decimal point is a comma. */
static const char *const comma_locales[] = { "nb_NO.UTF-8", "nb_NO.utf8", "de_DE.UTF-8", NULL };

static bool comma_locale_available(void)
{
	char *old = setlocale(LC_NUMERIC, NULL);
	char *saved = old ? strdup(old) : NULL;
	bool found = false;
	size_t i;

	for (i = 0; !found && comma_locales[i]; i++)
		found = setlocale(LC_NUMERIC, comma_locales[i]) &&
			strcmp(localeconv()->decimal_point, ",") == 0;
	setlocale(LC_NUMERIC, saved ? saved : "C");
	free(saved);
	return found;
}

/* A Norwegian LC_NUMERIC must not turn 0.20 into 0,20 anywhere. Only
 * registered when such a locale is installed (see main). */
static void test_num_ignores_locale(void **state)
{
	char *old = setlocale(LC_NUMERIC, NULL);
	char *saved = old ? strdup(old) : NULL;
	size_t i;

	(void)state;
	for (i = 0; comma_locales[i]; i++)
		if (setlocale(LC_NUMERIC, comma_locales[i]))
			break;
	assert_string_equal(localeconv()->decimal_point, ",");
	expect(PV_FORMAT_JSONL, build_nums,
	       "{\"a\":0.20,\"b\":3.142,\"c\":7,\"d\":0.00,\"e\":1000000.0,\"f\":-2.5,"
	       "\"g\":null,\"h\":null,\"i\":0,\"j\":0.1}\n");
	expect(PV_FORMAT_TEXT, build_fields_only,
	       "unit:      Hof skole\n"
	       "half year: 2026-H2\n"
	       "held:      3\n"
	       "share:     0.8\n"
	       "on time:   yes\n"
	       "late:      no\n"
	       "comment:   -\n"
	       "roles:     ppt, =helse\n"
	       "leader:\n"
	       "  name:       Kari\n"
	       "  role title: rektor\n"
	       "\n"
	       "deadline 2026-12-15\n"
	       "second note\n");
	setlocale(LC_NUMERIC, saved ? saved : "C");
	free(saved);
}

static void build_null_bool(struct pv_out *o)
{
	pv_out_begin(o, "nb");
	pv_out_bool(o, "yes", true);
	pv_out_bool(o, "no", false);
	pv_out_null(o, "nil");
	pv_out_str(o, "null_str", NULL);
	pv_out_begin_table(o, "rows", NULL);
	pv_out_begin_record(o);
	pv_out_bool(o, "t", true);
	pv_out_bool(o, "f", false);
	pv_out_null(o, "n");
	pv_out_str(o, "s", NULL);
	pv_out_end_record(o);
	pv_out_end_table(o);
}

static void test_null_bool(void **state)
{
	(void)state;
	expect(PV_FORMAT_TEXT, build_null_bool,
	       "yes:      yes\n"
	       "no:       no\n"
	       "nil:      -\n"
	       "null str: -\n"
	       "\n"
	       "rows:\n"
	       "T    F   N  S\n"
	       "yes  no  -  -\n");
	expect(PV_FORMAT_CSV, build_null_bool, "t,f,n,s\r\ntrue,false,,\r\n");
	expect(PV_FORMAT_JSONL, build_null_bool, "{\"f\":false,\"n\":null,\"s\":null,\"t\":true}\n");
	expect(PV_FORMAT_JSON, build_null_bool,
	       "{\n"
	       "  \"schema\": \"patvers/nb/1\",\n"
	       "  \"yes\": true,\n"
	       "  \"no\": false,\n"
	       "  \"nil\": null,\n"
	       "  \"null_str\": null,\n"
	       "  \"rows\": [\n"
	       "    {\n"
	       "      \"t\": true,\n"
	       "      \"f\": false,\n"
	       "      \"n\": null,\n"
	       "      \"s\": null\n"
	       "    }\n"
	       "  ]\n"
	       "}\n");
}

/* ---- strings ---- */

static void build_bad_utf8(struct pv_out *o)
{
	pv_out_begin(o, "u");
	pv_out_str(o, "latin1", "Kjeld\xe5s");        /* Latin-1 å */
	pv_out_str(o, "overlong", "\xc0\xaf");
	pv_out_str(o, "surrogate", "\xed\xa0\x80");
	pv_out_str(o, "cut", "ab\xe2\x82");
}

/* Invalid UTF-8 from input files becomes U+FFFD, so JSON stays valid. */
static void test_invalid_utf8_replaced(void **state)
{
	(void)state;
	expect(PV_FORMAT_JSONL, build_bad_utf8,
	       "{\"cut\":\"ab\xEF\xBF\xBD\xEF\xBF\xBD\",\"latin1\":\"Kjeld\xEF\xBF\xBDs\","
	       "\"overlong\":\"\xEF\xBF\xBD\xEF\xBF\xBD\",\"schema\":\"patvers/u/1\","
	       "\"surrogate\":\"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\"}\n");
}

static void build_multi_table(struct pv_out *o)
{
	pv_out_begin(o, "m");
	pv_out_note(o, "only a note");
	pv_out_begin_table(o, "first_table", NULL);
	pv_out_begin_record(o);
	pv_out_str(o, "a", "1");
	pv_out_end_record(o);
	pv_out_end_table(o);
	pv_out_begin_table(o, "second", NULL);
	pv_out_begin_record(o);
	pv_out_str(o, "b", "2");
	pv_out_end_record(o);
	pv_out_end_table(o);
}

/* Without fields the notes come first; every table is its own section. */
static void test_text_multi_table(void **state)
{
	(void)state;
	expect(PV_FORMAT_TEXT, build_multi_table,
	       "only a note\n"
	       "\n"
	       "first table:\n"
	       "A\n"
	       "1\n"
	       "\n"
	       "second:\n"
	       "B\n"
	       "2\n");
	expect(PV_FORMAT_CSV, build_multi_table, "a\r\n1\r\n");
}

/* Identical calls give identical bytes, in every format. */
static void test_deterministic(void **state)
{
	enum pv_format f;

	(void)state;
	for (f = PV_FORMAT_TEXT; f <= PV_FORMAT_CSV; f++) {
		struct run a = run_format(f, build_fields_only);
		struct run b = run_format(f, build_fields_only);

		assert_int_equal(a.status, PV_OK);
		assert_int_equal(a.len, b.len);
		assert_memory_equal(a.text, b.text, a.len);
		free(a.text);
		free(b.text);
	}
}

/* ---- pv_out_json ---- */

static json_t *rules_value(void)
{
	json_error_t jerr;
	json_t *v = json_loads("{\"groups\": 3, \"window\": {\"from\": \"12:15\", \"to\": \"13:45\"},"
			       " \"share\": 0.2, \"whole\": 2.0, \"tiny\": 1e-7, \"sum\": 0.30000000000000004,"
			       " \"huge\": 1e300, \"neg\": -0.0, \"days\": [\"thu\", \"tue\"],"
			       " \"on\": true, \"off\": false, \"none\": null}",
			       JSON_DECODE_ANY, &jerr);

	assert_non_null(v);
	return v;
}

static void build_json_value(struct pv_out *o)
{
	json_t *v = rules_value();

	pv_out_begin(o, "rules");
	pv_out_json(o, "rule", v);
	pv_out_begin_list(o, "items");
	pv_out_json(o, NULL, json_object_get(v, "groups"));
	pv_out_json(o, NULL, NULL);
	pv_out_end_list(o);
	json_decref(v);
}

/* Reals come out in their shortest exact form, still as reals. */
static void test_out_json_jsonl(void **state)
{
	(void)state;
	expect(PV_FORMAT_JSONL, build_json_value,
	       "{\"items\":[3,null],\"rule\":{\"days\":[\"thu\",\"tue\"],\"groups\":3,"
	       "\"huge\":1e+300,\"neg\":0.0,\"none\":null,\"off\":false,\"on\":true,"
	       "\"share\":0.2,\"sum\":0.30000000000000004,\"tiny\":1e-07,\"whole\":2.0,"
	       "\"window\":{\"from\":\"12:15\",\"to\":\"13:45\"}},"
	       "\"schema\":\"patvers/rules/1\"}\n");
}

static void test_out_json_text(void **state)
{
	(void)state;
	expect(PV_FORMAT_TEXT, build_json_value,
	       "rule:\n"
	       "  groups: 3\n"
	       "  window:\n"
	       "    from: 12:15\n"
	       "    to:   13:45\n"
	       "  share:  0.2\n"
	       "  whole:  2.0\n"
	       "  tiny:   1e-07\n"
	       "  sum:    0.30000000000000004\n"
	       "  huge:   1e+300\n"
	       "  neg:    0.0\n"
	       "  days:   thu, tue\n"
	       "  on:     yes\n"
	       "  off:    no\n"
	       "  none:   -\n"
	       "items: 3, -\n");
}

static void build_json_by_calls(struct pv_out *o)
{
	pv_out_begin(o, "x");
	pv_out_begin_table(o, "t", NULL);
	pv_out_begin_record(o);
	pv_out_str(o, "name", "Hof skole");
	pv_out_begin_map(o, "m");
	pv_out_int(o, "a", -5);
	pv_out_begin_list(o, "l");
	pv_out_bool(o, NULL, true);
	pv_out_null(o, NULL);
	pv_out_end_list(o);
	pv_out_end_map(o);
	pv_out_end_record(o);
	pv_out_end_table(o);
}

static void build_json_by_value(struct pv_out *o)
{
	json_t *rec = json_pack("{s:s, s:{s:I, s:[b, n]}}", "name", "Hof skole",
				"m", "a", (json_int_t)-5, "l", 1);

	assert_non_null(rec);
	pv_out_begin(o, "x");
	pv_out_begin_table(o, "t", NULL);
	pv_out_begin_record(o);
	pv_out_json(o, "name", json_object_get(rec, "name"));
	pv_out_json(o, "m", json_object_get(rec, "m"));
	pv_out_end_record(o);
	pv_out_end_table(o);
	json_decref(rec);
}

/* A value given whole renders byte for byte like the same calls. */
static void test_out_json_like_calls(void **state)
{
	enum pv_format f;

	(void)state;
	for (f = PV_FORMAT_TEXT; f <= PV_FORMAT_CSV; f++) {
		struct run a = run_format(f, build_json_by_calls);
		struct run b = run_format(f, build_json_by_value);

		assert_int_equal(a.status, PV_OK);
		assert_int_equal(b.status, PV_OK);
		assert_int_equal(a.len, b.len);
		assert_memory_equal(a.text, b.text, a.len);
		free(a.text);
		free(b.text);
	}
	expect(PV_FORMAT_CSV, build_json_by_value,
	       "name,m.a,m.l\r\nHof skole,-5,true \r\n");
}

static void build_json_too_deep(struct pv_out *o)
{
	json_t *root = json_array(), *cur = root;
	int i;

	for (i = 0; i < 100; i++) {
		json_t *next = json_array();

		json_array_append_new(cur, next);
		cur = next;
	}
	pv_out_begin(o, "x");
	pv_out_json(o, "deep", root);
	json_decref(root);
}

static void build_json_no_key(struct pv_out *o)
{
	json_t *v = json_integer(1);

	pv_out_begin(o, "x");
	pv_out_json(o, NULL, v);
	json_decref(v);
}

static void test_out_json_misuse(void **state)
{
	(void)state;
	expect_misuse(build_json_too_deep, "output misuse: nesting deeper than 64");
	expect_misuse(build_json_no_key, "output misuse: pv_out_json without a key");
}

/* ---- errors ---- */

static void test_write_error(void **state)
{
	struct pv_out_options opts = { .format = PV_FORMAT_JSON };
	FILE *fp = fopen("/dev/full", "w");
	struct pv_out *out;
	struct pv_error err;

	(void)state;
	assert_non_null(fp);
	out = pv_out_new(fp, &opts);
	assert_non_null(out);
	build_sample(out);
	assert_int_equal(pv_out_end(out, &err), PV_EIO);
	assert_int_equal(err.status, PV_EIO);
	assert_string_equal(err.message, "cannot write output: No space left on device");
	pv_out_free(out);
	fclose(fp);
}

/* A stream that already failed is reported even if the flush works. */
static void test_write_error_sticky(void **state)
{
	struct pv_out_options opts = { .format = PV_FORMAT_TEXT };
	FILE *fp = fopen("/dev/null", "r");   /* writing to it fails */
	struct pv_out *out;
	struct pv_error err;

	(void)state;
	assert_non_null(fp);
	out = pv_out_new(fp, &opts);
	assert_non_null(out);
	build_sample(out);
	assert_int_equal(pv_out_end(out, &err), PV_EIO);
	assert_int_equal(strncmp(err.message, "cannot write output: ", 21), 0);
	pv_out_free(out);
	fclose(fp);
}

static void build_open_record(struct pv_out *o)
{
	pv_out_begin(o, "x");
	pv_out_begin_table(o, "t", NULL);
	pv_out_begin_record(o);
	pv_out_str(o, "a", "b");
	pv_out_end_table(o);   /* record still open */
}

static void build_unclosed(struct pv_out *o)
{
	pv_out_begin(o, "x");
	pv_out_begin_map(o, "m");
}

static void build_extra_end(struct pv_out *o)
{
	pv_out_begin(o, "x");
	pv_out_end_map(o);
	pv_out_str(o, "after", "ignored");
}

static void build_no_begin(struct pv_out *o)
{
	pv_out_str(o, "a", "b");
}

static void build_nothing(struct pv_out *o)
{
	(void)o;
}

static void build_begin_twice(struct pv_out *o)
{
	pv_out_begin(o, "x");
	pv_out_begin(o, "y");
}

static void build_outside_record(struct pv_out *o)
{
	pv_out_begin(o, "x");
	pv_out_begin_table(o, "t", NULL);
	pv_out_int(o, "n", 1);
}

static void build_no_key(struct pv_out *o)
{
	pv_out_begin(o, "x");
	pv_out_begin_map(o, "m");
	pv_out_int(o, NULL, 1);
}

static void build_duplicate(struct pv_out *o)
{
	pv_out_begin(o, "x");
	pv_out_int(o, "n", 1);
	pv_out_int(o, "n", 2);
}

/* The first record is complete (CSV and JSONL have rendered it) when
 * the second one goes wrong. */
static void build_duplicate_late(struct pv_out *o)
{
	static const char *const cols[] = { "n", NULL };

	pv_out_begin(o, "x");
	pv_out_begin_table(o, "t", cols);
	pv_out_begin_record(o);
	pv_out_int(o, "n", 1);
	pv_out_end_record(o);
	pv_out_begin_record(o);
	pv_out_int(o, "n", 2);
	pv_out_int(o, "n", 3);
	pv_out_end_record(o);
	pv_out_end_table(o);
}

static void build_schema_key(struct pv_out *o)
{
	pv_out_begin(o, "x");
	pv_out_str(o, "schema", "mine");
}

static void build_nested_table(struct pv_out *o)
{
	pv_out_begin(o, "x");
	pv_out_begin_table(o, "t", NULL);
	pv_out_begin_record(o);
	pv_out_begin_table(o, "inner", NULL);
}

static void build_record_outside(struct pv_out *o)
{
	pv_out_begin(o, "x");
	pv_out_begin_record(o);
}

static void build_no_kind(struct pv_out *o)
{
	pv_out_begin(o, NULL);
}

static void build_too_deep(struct pv_out *o)
{
	int i;

	pv_out_begin(o, "x");
	for (i = 0; i < 100; i++)
		pv_out_begin_list(o, i ? NULL : "l");
	for (i = 0; i < 100; i++)
		pv_out_end_list(o);
}

static void test_misuse(void **state)
{
	(void)state;
	expect_misuse(build_open_record,
		      "output misuse: pv_out_end_table while a record is open");
	expect_misuse(build_unclosed, "output misuse: pv_out_end with an open map");
	expect_misuse(build_extra_end,
		      "output misuse: pv_out_end_map while a document is open");
	expect_misuse(build_no_begin, "output misuse: pv_out_str before pv_out_begin");
	expect_misuse(build_begin_twice, "output misuse: pv_out_begin called twice");
	expect_misuse(build_outside_record,
		      "output misuse: pv_out_int in a table outside a record");
	expect_misuse(build_no_key, "output misuse: pv_out_int without a key");
	expect_misuse(build_duplicate, "output misuse: duplicate key 'n'");
	expect_misuse(build_duplicate_late, "output misuse: duplicate key 'n'");
	expect_misuse(build_schema_key, "output misuse: duplicate key 'schema'");
	expect_misuse(build_nested_table,
		      "output misuse: pv_out_begin_table inside a record");
	expect_misuse(build_record_outside,
		      "output misuse: pv_out_begin_record outside a table");
	expect_misuse(build_no_kind, "output misuse: pv_out_begin without a kind");
	expect_misuse(build_too_deep, "output misuse: nesting deeper than 64");
}

/* ---- expanded tables: one row per entry of a nested map ---- */

static void expand_flag(struct pv_out *o, const char *code, long long value,
			const char *first)
{
	pv_out_begin_map(o, code);
	pv_out_int(o, "value", value);
	pv_out_str(o, "first", first);
	pv_out_end_map(o);
}

/* Two students with criteria, one with none, one whose criteria are not
 * a map: declared columns. */
static void build_expanded(struct pv_out *o)
{
	static const char *const cols[] = { "school", "student", "criterion", "value",
					    "first", NULL };

	pv_out_begin(o, "fravaer");
	pv_out_str(o, "as_of", "2026-11-23");
	pv_out_begin_table(o, "students", cols);
	pv_out_table_expand(o, "criteria", "criterion");
	pv_out_begin_record(o);
	pv_out_str(o, "student", "e1");
	pv_out_str(o, "school", "hof");
	pv_out_begin_map(o, "criteria");
	expand_flag(o, "undocumented", 3, "2026-09-10");
	expand_flag(o, "leaves_school", 2, "2026-10-01");
	pv_out_end_map(o);
	pv_out_end_record(o);
	pv_out_begin_record(o);
	pv_out_str(o, "student", "e2");
	pv_out_str(o, "school", "hof");
	pv_out_begin_map(o, "criteria");
	pv_out_end_map(o);
	pv_out_end_record(o);
	pv_out_begin_record(o);
	pv_out_str(o, "student", "e3");
	pv_out_str(o, "school", "botne");
	pv_out_begin_map(o, "criteria");
	pv_out_begin_map(o, "high_absence");
	pv_out_num(o, "value", 10.5, 2);
	pv_out_str(o, "first", "2026-11-02");
	pv_out_end_map(o);
	pv_out_end_map(o);
	pv_out_end_record(o);
	pv_out_begin_record(o);
	pv_out_str(o, "student", "e4");
	pv_out_str(o, "school", "botne");
	pv_out_int(o, "criteria", 7);
	pv_out_end_record(o);
	pv_out_end_table(o);
}

static void test_expand_csv(void **state)
{
	(void)state;
	expect(PV_FORMAT_CSV, build_expanded,
	       "school,student,criterion,value,first\r\n"
	       "hof,e1,undocumented,3,2026-09-10\r\n"
	       "hof,e1,leaves_school,2,2026-10-01\r\n"
	       "botne,e3,high_absence,10.50,2026-11-02\r\n");
}

static void test_expand_text(void **state)
{
	(void)state;
	expect(PV_FORMAT_TEXT, build_expanded,
	       "as of: 2026-11-23\n"
	       "\n"
	       "students:\n"
	       "SCHOOL  STUDENT  CRITERION      VALUE  FIRST\n"
	       "hof     e1       undocumented       3  2026-09-10\n"
	       "hof     e1       leaves_school      2  2026-10-01\n"
	       "botne   e3       high_absence   10.50  2026-11-02\n");
}

/* The data formats keep the records as emitted. */
static void test_expand_json_jsonl(void **state)
{
	(void)state;
	expect(PV_FORMAT_JSONL, build_expanded,
	       "{\"criteria\":{\"leaves_school\":{\"first\":\"2026-10-01\",\"value\":2},"
	       "\"undocumented\":{\"first\":\"2026-09-10\",\"value\":3}},"
	       "\"school\":\"hof\",\"student\":\"e1\"}\n"
	       "{\"criteria\":{},\"school\":\"hof\",\"student\":\"e2\"}\n"
	       "{\"criteria\":{\"high_absence\":{\"first\":\"2026-11-02\",\"value\":10.50}},"
	       "\"school\":\"botne\",\"student\":\"e3\"}\n"
	       "{\"criteria\":7,\"school\":\"botne\",\"student\":\"e4\"}\n");
}

/* Undeclared columns: record fields in order, the entry's key in place
 * of the map, then the entry's fields; scalar entries keep the map's
 * name; an entry field named like a record field loses to the record's. */
static void build_expanded_scalars(struct pv_out *o)
{
	pv_out_begin(o, "x");
	pv_out_begin_table(o, "t", NULL);
	pv_out_table_expand(o, "tags", "tag");
	pv_out_begin_record(o);
	pv_out_str(o, "id", "a");
	pv_out_begin_map(o, "tags");
	pv_out_int(o, "red", 1);
	pv_out_null(o, "blue");
	pv_out_end_map(o);
	pv_out_str(o, "note", "n");
	pv_out_end_record(o);
	pv_out_begin_record(o);
	pv_out_str(o, "id", "b");
	pv_out_begin_map(o, "tags");
	pv_out_begin_map(o, "green");
	pv_out_str(o, "id", "shadowed");
	pv_out_int(o, "level", 2);
	pv_out_end_map(o);
	pv_out_end_map(o);
	pv_out_end_record(o);
	pv_out_end_table(o);
}

static void test_expand_undeclared(void **state)
{
	(void)state;
	expect(PV_FORMAT_CSV, build_expanded_scalars,
	       "id,tag,tags,note,level\r\n"
	       "a,red,1,n,\r\n"
	       "a,blue,,n,\r\n"
	       "b,green,,,2\r\n");
}

/* Nothing to expand: the empty-table rules hold. */
static void build_expanded_empty(struct pv_out *o)
{
	static const char *const cols[] = { "student", "criterion", NULL };

	pv_out_begin(o, "x");
	pv_out_begin_table(o, "students", cols);
	pv_out_table_expand(o, "criteria", "criterion");
	pv_out_begin_record(o);
	pv_out_str(o, "student", "e1");
	pv_out_end_record(o);
	pv_out_end_table(o);
}

static void test_expand_empty(void **state)
{
	(void)state;
	expect(PV_FORMAT_CSV, build_expanded_empty, "student,criterion\r\n");
	expect(PV_FORMAT_TEXT, build_expanded_empty, "students: (none)\n");
}

static void build_expand_outside(struct pv_out *o)
{
	pv_out_begin(o, "x");
	pv_out_table_expand(o, "a", "b");
}

static void build_expand_late(struct pv_out *o)
{
	pv_out_begin(o, "x");
	pv_out_begin_table(o, "t", NULL);
	pv_out_begin_record(o);
	pv_out_end_record(o);
	pv_out_table_expand(o, "a", "b");
	pv_out_end_table(o);
}

static void build_expand_twice(struct pv_out *o)
{
	pv_out_begin(o, "x");
	pv_out_begin_table(o, "t", NULL);
	pv_out_table_expand(o, "a", "b");
	pv_out_table_expand(o, "a", "b");
	pv_out_end_table(o);
}

static void build_expand_null(struct pv_out *o)
{
	pv_out_begin(o, "x");
	pv_out_begin_table(o, "t", NULL);
	pv_out_table_expand(o, NULL, "b");
	pv_out_end_table(o);
}

static void test_expand_misuse(void **state)
{
	(void)state;
	expect_misuse(build_expand_outside,
		      "output misuse: pv_out_table_expand outside a table");
	expect_misuse(build_expand_late,
		      "output misuse: pv_out_table_expand after records or twice");
	expect_misuse(build_expand_twice,
		      "output misuse: pv_out_table_expand after records or twice");
	expect_misuse(build_expand_null,
		      "output misuse: pv_out_table_expand without a key or column");
}

/* A command that writes its own output never calls pv_out_begin: the
 * emitter adds nothing, in any format. */
static void test_never_begun(void **state)
{
	enum pv_format f;

	(void)state;
	for (f = PV_FORMAT_TEXT; f <= PV_FORMAT_CSV; f++)
		expect(f, build_nothing, "");
}

/* ... but it still flushes the stream and reports a write error. */
static void test_never_begun_write_error(void **state)
{
	FILE *fp = fopen("/dev/full", "w");
	struct pv_out *out;
	struct pv_error err;

	(void)state;
	assert_non_null(fp);
	out = pv_out_new(fp, NULL);
	assert_non_null(out);
	fputs("BEGIN:VCALENDAR\r\n", fp);   /* the command's own output */
	assert_int_equal(pv_out_end(out, &err), PV_EIO);
	assert_string_equal(err.message, "cannot write output: No space left on device");
	pv_out_free(out);
	fclose(fp);
}

static void test_end_twice(void **state)
{
	char *text = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&text, &len);
	struct pv_out_options opts = { .format = PV_FORMAT_JSONL };
	struct pv_out *out = pv_out_new(fp, &opts);
	struct pv_error err;

	(void)state;
	build_empty_doc(out);
	assert_int_equal(pv_out_end(out, &err), PV_OK);
	assert_int_equal(pv_out_end(out, &err), PV_ESOFTWARE);
	assert_string_equal(err.message, "output misuse: pv_out_end called twice");
	pv_out_int(out, "late", 1);   /* ignored, no crash */
	pv_out_free(out);
	fclose(fp);
	assert_string_equal(text, "{\"schema\":\"patvers/nothing/1\"}\n");
	free(text);
}

static void test_bad_options(void **state)
{
	struct pv_out_options opts = { .format = PV_FORMAT_CSV, .csv_sep = '|' };
	struct pv_out *out;
	struct pv_error err;

	(void)state;
	out = pv_out_new(stdout, &opts);
	assert_non_null(out);
	build_sample(out);
	assert_int_equal(pv_out_end(out, &err), PV_ESOFTWARE);
	assert_string_equal(err.message, "output misuse: CSV separator must be ',' or ';'");
	pv_out_free(out);

	out = pv_out_new(NULL, NULL);
	assert_non_null(out);
	build_sample(out);
	assert_int_equal(pv_out_end(out, &err), PV_ESOFTWARE);
	assert_string_equal(err.message, "output misuse: no output stream");
	pv_out_free(out);
}

/* Every entry point tolerates a NULL emitter. */
static void test_null_emitter(void **state)
{
	struct pv_error err;

	(void)state;
	pv_out_begin(NULL, "x");
	pv_out_str(NULL, "a", "b");
	pv_out_int(NULL, "a", 1);
	pv_out_num(NULL, "a", 1.0, 1);
	pv_out_bool(NULL, "a", true);
	pv_out_null(NULL, "a");
	pv_out_begin_map(NULL, "m");
	pv_out_end_map(NULL);
	pv_out_begin_list(NULL, "l");
	pv_out_end_list(NULL);
	pv_out_begin_table(NULL, "t", NULL);
	pv_out_begin_record(NULL);
	pv_out_end_record(NULL);
	pv_out_end_table(NULL);
	pv_out_note(NULL, "x");
	pv_out_json(NULL, "a", NULL);
	pv_out_free(NULL);
	assert_int_equal(pv_out_format(NULL), PV_FORMAT_TEXT);
	assert_int_equal(pv_out_end(NULL, &err), PV_ESOFTWARE);
	assert_int_equal(pv_out_end(NULL, NULL), PV_ESOFTWARE);
}

static void test_format_parse(void **state)
{
	enum pv_format f = PV_FORMAT_TEXT;
	struct pv_out_options opts = { .format = PV_FORMAT_JSONL };
	struct pv_out *out;

	(void)state;
	assert_true(pv_format_parse("json", &f));
	assert_int_equal(f, PV_FORMAT_JSON);
	assert_true(pv_format_parse("jsonl", &f));
	assert_int_equal(f, PV_FORMAT_JSONL);
	assert_true(pv_format_parse("csv", &f));
	assert_int_equal(f, PV_FORMAT_CSV);
	assert_true(pv_format_parse("text", &f));
	assert_int_equal(f, PV_FORMAT_TEXT);
	f = PV_FORMAT_CSV;
	assert_false(pv_format_parse("JSON", &f));
	assert_false(pv_format_parse("tsv", &f));
	assert_false(pv_format_parse("", &f));
	assert_false(pv_format_parse("json ", &f));
	assert_false(pv_format_parse(NULL, &f));
	assert_int_equal(f, PV_FORMAT_CSV);   /* untouched on failure */
	out = pv_out_new(stdout, &opts);
	assert_int_equal(pv_out_format(out), PV_FORMAT_JSONL);
	pv_out_free(out);
}

/* Freeing an emitter mid-document (a command bailing out) leaks nothing. */
static void test_free_unfinished(void **state)
{
	struct pv_out *out = pv_out_new(stdout, NULL);

	(void)state;
	build_nested(out);
	pv_out_begin_table(out, "open", NULL);
	pv_out_begin_record(out);
	pv_out_begin_map(out, "m");
	pv_out_note(out, "unfinished");
	pv_out_free(out);
}

/* ---- bare shapes ---- */

static void build_id_list(struct pv_out *out)
{
	static const char *const columns[] = { "id", NULL };

	pv_out_begin(out, "ids");
	pv_out_begin_table(out, "units", columns);
	pv_out_begin_record(out);
	pv_out_str(out, "id", "hof");
	pv_out_str(out, "name", "Hof skole");
	pv_out_end_record(out);
	pv_out_begin_record(out);
	pv_out_str(out, "id", "kjeldas");
	pv_out_str(out, "name", "Kjeldås skole");
	pv_out_end_record(out);
	pv_out_end_table(out);
}

static void build_id_list_with_field(struct pv_out *out)
{
	build_id_list(out);
	pv_out_int(out, "count", 2);
}

static void test_one_column_table_prints_bare_lines(void **state)
{
	(void)state;
	expect(PV_FORMAT_TEXT, build_id_list, "hof\nkjeldas\n");
	/* the data formats keep every field */
	expect(PV_FORMAT_CSV, build_id_list, "id\r\nhof\r\nkjeldas\r\n");
	expect(PV_FORMAT_JSONL, build_id_list,
	       "{\"id\":\"hof\",\"name\":\"Hof skole\"}\n"
	       "{\"id\":\"kjeldas\",\"name\":\"Kjeldås skole\"}\n");
}

static void test_bare_only_when_nothing_else(void **state)
{
	(void)state;
	expect(PV_FORMAT_TEXT, build_id_list_with_field,
	       "count: 2\n\nunits:\nID\nhof\nkjeldas\n");
}

static void build_markdown(struct pv_out *out)
{
	pv_out_begin(out, "agenda");
	pv_out_str(out, "markdown", "# Systemmøte\n\n1. Saker\x1b[2J\n2. Logg");
}

/* A text of several lines (an agenda) prints as it is, one line break at
 * the end; control characters other than line breaks become spaces. */
static void test_bare_string_keeps_its_lines(void **state)
{
	(void)state;
	expect(PV_FORMAT_TEXT, build_markdown, "# Systemmøte\n\n1. Saker [2J\n2. Logg\n");
	expect(PV_FORMAT_JSONL, build_markdown,
	       "{\"markdown\":\"# Systemmøte\\n\\n1. Saker\\u001b[2J\\n2. Logg\",\"schema\":\"patvers/agenda/1\"}\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bare_string_keeps_its_lines),
		cmocka_unit_test(test_one_column_table_prints_bare_lines),
		cmocka_unit_test(test_bare_only_when_nothing_else),
		cmocka_unit_test(test_sample_text),
		cmocka_unit_test(test_sample_json),
		cmocka_unit_test(test_sample_jsonl),
		cmocka_unit_test(test_sample_csv),
		cmocka_unit_test(test_sample_json_parses),
		cmocka_unit_test(test_json_layout_matches_jansson),
		cmocka_unit_test(test_json_escapes),
		cmocka_unit_test(test_csv_quoting),
		cmocka_unit_test(test_csv_semicolon),
		cmocka_unit_test(test_csv_excel),
		cmocka_unit_test(test_csv_formula_guard),
		cmocka_unit_test(test_json_no_formula_guard),
		cmocka_unit_test(test_csv_write_field),
		cmocka_unit_test(test_csv_nested),
		cmocka_unit_test(test_text_nested),
		cmocka_unit_test(test_csv_declared_path),
		cmocka_unit_test(test_jsonl_sorted_first_table),
		cmocka_unit_test(test_text_unicode_alignment),
		cmocka_unit_test(test_text_color),
		cmocka_unit_test(test_text_trailing_and_controls),
		cmocka_unit_test(test_empty_table_text),
		cmocka_unit_test(test_empty_table_data),
		cmocka_unit_test(test_empty_table_no_columns_csv),
		cmocka_unit_test(test_fields_only_text),
		cmocka_unit_test(test_fields_only_json),
		cmocka_unit_test(test_fields_only_jsonl),
		cmocka_unit_test(test_fields_only_csv),
		cmocka_unit_test(test_empty_document),
		cmocka_unit_test(test_num_decimals),
		cmocka_unit_test(test_null_bool),
		cmocka_unit_test(test_invalid_utf8_replaced),
		cmocka_unit_test(test_text_multi_table),
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_out_json_jsonl),
		cmocka_unit_test(test_out_json_text),
		cmocka_unit_test(test_out_json_like_calls),
		cmocka_unit_test(test_out_json_misuse),
		cmocka_unit_test(test_write_error),
		cmocka_unit_test(test_write_error_sticky),
		cmocka_unit_test(test_misuse),
		cmocka_unit_test(test_expand_csv),
		cmocka_unit_test(test_expand_text),
		cmocka_unit_test(test_expand_json_jsonl),
		cmocka_unit_test(test_expand_undeclared),
		cmocka_unit_test(test_expand_empty),
		cmocka_unit_test(test_expand_misuse),
		cmocka_unit_test(test_never_begun),
		cmocka_unit_test(test_never_begun_write_error),
		cmocka_unit_test(test_end_twice),
		cmocka_unit_test(test_bad_options),
		cmocka_unit_test(test_null_emitter),
		cmocka_unit_test(test_format_parse),
		cmocka_unit_test(test_free_unfinished),
		/* last: only run when a comma locale is installed */
		cmocka_unit_test(test_num_ignores_locale),
	};
	size_t n = sizeof tests / sizeof tests[0];

	/* a cmocka skip reads as "not ok" in TAP, so leave the test out */
	if (!comma_locale_available())
		n--;
	return _cmocka_run_group_tests("output", tests, n, NULL, NULL);
}
