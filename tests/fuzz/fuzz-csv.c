/* Fuzz target: the CSV reader itself (pv_csv_read_buffer), against pv_csv_read on a stream. */
#include "fuzz.h"
#include "patvers/csvio.h"

/* A digest of the records, to compare the two readers. */
struct digest {
	unsigned long long hash;
	size_t records;
	bool mapped;
};

static const char *const student_aliases[] = { "elev", NULL };
static const struct pv_csv_column columns[] = {
	{ "student", student_aliases, true },
	{ "date", NULL, false },
};

static enum pv_status on_record(const struct pv_csv_record *rec, void *arg,
				struct pv_error *err)
{
	struct digest *d = arg;
	int index[2];

	if (rec->nfields < 1 || rec->line < 1)
		abort();
	for (size_t i = 0; i < rec->nfields; i++) {
		if (strlen(rec->fields[i]) != rec->lengths[i])
			abort();
		for (size_t k = 0; k < rec->lengths[i]; k++)
			d->hash = d->hash * 1099511628211ull + (unsigned char)rec->fields[i][k];
		d->hash = d->hash * 31 + (unsigned long long)rec->line;
	}
	if (d->records++ == 0 &&
	    pv_csv_map_header(rec, columns, 2, index, "fuzz.csv", err) == PV_OK) {
		d->mapped = true;
		if (index[0] < 0 || (size_t)index[0] >= rec->nfields)
			abort();
	}
	pv_error_clear(err);
	return PV_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct digest a = { 0 }, b = { 0 };
	struct pv_error ea, eb;
	enum pv_status sa, sb;
	FILE *fp;

	sa = pv_csv_read_buffer((const char *)data, size, "fuzz.csv", on_record, &a, &ea);
	fuzz_check_status(sa, &ea);
	/* fmemopen of zero bytes fails on some libcs; nothing to compare then. */
	if (size == 0)
		return 0;
	fp = fmemopen((void *)data, size, "rb");
	if (!fp)
		abort();
	sb = pv_csv_read(fp, "fuzz.csv", on_record, &b, &eb);
	fclose(fp);
	if (sa != sb || a.hash != b.hash || a.records != b.records ||
	    (sa != PV_OK && (ea.line != eb.line || ea.column != eb.column ||
			     strcmp(ea.message, eb.message) != 0))) {
		fprintf(stderr, "fuzz: the buffer and stream readers disagree\n");
		abort();
	}
	return 0;
}
