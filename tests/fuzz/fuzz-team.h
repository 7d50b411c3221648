/* The team targets' body: import one CSV over a small roster, export, import the export. */
#ifndef PATVERS_TESTS_FUZZ_TEAM_H
#define PATVERS_TESTS_FUZZ_TEAM_H

#include "fuzz.h"
#include "patvers/team.h"

/* A roster already in the database (the Holmestrand units and a few
 * people), so inputs also change and move records instead of only adding
 * them, and the example people.csv seed imports whole. */
static const char fuzz_team_units[] =
	"id;navn;type;trinn;gruppe\n"
	"botne;Botne skole;skole;1-7;\n"
	"ekeberg;Ekeberg skole;skole;1-7;\n"
	"galleberg;Galleberg skole;skole;1-7;\n"
	"gjoklep;Gj\xc3\xb8""klep ungdomsskole;skole;8-10;\n"
	"hof;Hof skole;skole;1-10;\n"
	"kjeldas;Kjeld\xc3\xa5""s skole;skole;1-7;\n"
	"kleiverud;Kleiverud skole;skole;1-7;\n"
	"klokkerjordet;Klokkerjordet skole;skole;1-10;\n"
	"selvik;Selvik skole;skole;1-7;\n"
	"bhg-nord;Barnehagegruppe nord;barnehagegruppe;;\n"
	"eidsfoss;Eidsfoss barnehage;barnehage;;bhg-nord\n"
	"furuly;Furuly barnehage;barnehage;;bhg-nord\n"
	"solbakken;Solbakken barnehage;barnehage;;bhg-nord\n"
	"bhg-sande;Barnehagegruppe Sande;barnehagegruppe;;\n"
	"bjerkely;Bjerkely barnehage;barnehage;;bhg-sande\n"
	"grette;Grette barnehage;barnehage;;bhg-sande\n"
	"kongshaug;Kongshaug barnehage;barnehage;;bhg-sande\n"
	"bhg-sentrum;Barnehagegruppe sentrum;barnehagegruppe;;\n"
	"eikelund;Eikelund barnehage;barnehage;;bhg-sentrum\n"
	"fredly;Fredly barnehage;barnehage;;bhg-sentrum\n"
	"gullhaug;Gullhaug barnehage;barnehage;;bhg-sentrum\n"
	"bhg-sor;Barnehagegruppe s\xc3\xb8""r;barnehagegruppe;;\n"
	"bakkeli;Bakkeli barnehage;barnehage;;bhg-sor\n"
	"lilleby;Lilleby barnehage;barnehage;;bhg-sor\n"
	"vestly;Vestly barnehage;barnehage;;bhg-sor\n"
	"barnevern;Barneverntjenesten;barnevern;;\n"
	"bfs;Barne- og familiesenteret (BFS);bfs;;\n"
	"god-oppvekst;God oppvekst Holmestrand;god-oppvekst;;\n"
	"helse;Skolehelsetjenesten;helse;;\n"
	"ke;Koordinerende enhet (Tjenestekontoret);ke;;\n"
	"naervaer;N\xc3\xa6""rv\xc3\xa6""rsteam;naervaer;;\n"
	"ppt;PPT Holmestrand;ppt;;\n";

static const char fuzz_team_people[] =
	"id;navn;epost;tjeneste;rolle;enheter;stedfortreder\n"
	"anne;Anne Rektor;anne@example.org;hof;rektor;hof;bjorn\n"
	"bjorn;Bj\xc3\xb8rn Inspekt\xc3\xb8r;bjorn@example.org;hof;inspektor;hof;\n"
	"kari;Kari PPT;kari@example.org;ppt;ppt-radgiver;\"hof, gjoklep, furuly\";\n";

static inline struct pv_db *fuzz_team_db(void)
{
	static bool done;
	struct pv_db *db = fuzz_db();
	struct pv_error err;
	struct pv_team_import_options opts = { 0 };

	if (done)
		return db;
	done = true;
	if (pv_db_begin(db, &err) != PV_OK ||
	    pv_team_import(db, fuzz_team_units, strlen(fuzz_team_units), "units.csv",
			   fuzz_team_people, strlen(fuzz_team_people), "people.csv", &opts,
			   NULL, &err) != PV_OK ||
	    pv_db_commit(db, &err) != PV_OK)
		fuzz_die("cannot set up the roster", &err);
	return db;
}

/* The roster's own export, imported back, must change nothing: the
 * export promises to write what the import reads. */
static inline void fuzz_team_round_trip(struct pv_db *db)
{
	struct pv_team_import_options opts = { 0 };
	struct pv_team_counts c = { 0 };
	char *units = NULL, *people = NULL;
	size_t units_len = 0, people_len = 0;
	FILE *u = open_memstream(&units, &units_len);
	FILE *p = open_memstream(&people, &people_len);
	struct pv_error err;
	enum pv_status status;

	if (!u || !p)
		abort();
	status = pv_team_export(db, u, p, &err);
	fclose(u);
	fclose(p);
	if (status != PV_OK)
		fuzz_die("export", &err);
	status = pv_team_import(db, units, units_len, "export-units.csv", people, people_len,
				"export-people.csv", &opts, &c, &err);
	if (status != PV_OK) {
		fprintf(stderr, "fuzz: the export does not import: %s:%ld:%ld: %s\n%s\n%s\n",
			err.file, err.line, err.column, err.message, units, people);
		abort();
	}
	if (c.units_added || c.units_changed || c.units_removed || c.people_added ||
	    c.people_changed || c.people_removed || c.assignments_added ||
	    c.assignments_removed) {
		fprintf(stderr, "fuzz: importing the export changed the roster\n%s\n%s\n",
			units, people);
		abort();
	}
	free(units);
	free(people);
}

/* Imports `data` as units.csv (people false) or people.csv (people true). */
static inline void fuzz_team(const uint8_t *data, size_t size, bool people)
{
	struct pv_db *db = fuzz_team_db();
	struct pv_team_import_options opts = { 0 };
	struct pv_error err;
	enum pv_status status;
	const char *text = (const char *)data;

	if (pv_db_begin(db, &err) != PV_OK)
		fuzz_die("begin", &err);
	if (people)
		status = pv_team_import(db, NULL, 0, NULL, text, size, "people.csv", &opts,
					NULL, &err);
	else
		status = pv_team_import(db, text, size, "units.csv", NULL, 0, NULL, &opts,
					NULL, &err);
	fuzz_check_status(status, &err);
	if (status == PV_OK)
		fuzz_team_round_trip(db);
	pv_db_rollback(db);
}

#endif
