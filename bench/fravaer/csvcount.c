/* The floor for any libcsv-based reader: parse a ';' CSV file and count fields, nothing else. */
#include <csv.h>
#include <stdio.h>
#include <stdlib.h>

struct counts {
	unsigned long long fields, records;
};

static void on_field(void *data, size_t len, void *arg)
{
	(void)data;
	(void)len;
	((struct counts *)arg)->fields++;
}

static void on_record(int c, void *arg)
{
	(void)c;
	((struct counts *)arg)->records++;
}

int main(int argc, char **argv)
{
	static char buf[256 * 1024];
	struct csv_parser p;
	struct counts n = { 0, 0 };
	FILE *fp = argc > 1 ? fopen(argv[1], "rb") : stdin;
	size_t got;

	if (!fp || csv_init(&p, CSV_STRICT | CSV_STRICT_FINI) != 0) {
		perror("csvcount");
		return 66;
	}
	csv_set_delim(&p, ';');
	while ((got = fread(buf, 1, sizeof buf, fp)) > 0) {
		if (csv_parse(&p, buf, got, on_field, on_record, &n) != got) {
			fprintf(stderr, "csvcount: %s\n", csv_strerror(csv_error(&p)));
			return 65;
		}
	}
	csv_fini(&p, on_field, on_record, &n);
	csv_free(&p);
	printf("%llu records, %llu fields\n", n.records, n.fields);
	return 0;
}
