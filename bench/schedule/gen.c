/* Generates a large, realistic municipality (units.csv, people.csv) for the schedule benchmark. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/*
 * usage: gen [-n UNITS] [-s SEED] [-m MAX_UNITS] [-k MAX_SERIES] DIR
 *
 * Writes DIR/units.csv and DIR/people.csv (DIR is made if missing) in the
 * format `patvers team import` reads (';', UTF-8 with a BOM, CRLF,
 * Norwegian headers), and a summary on stderr. Deterministic for a seed.
 *
 * The municipality is split into districts (bydeler) of about 70 units.
 * Each district has its own PPT, BFS, barnevern, school health service,
 * Nærværsteam and God oppvekst; one Koordinerende enhet serves all. The
 * rest are schools (60 % 1-7, 25 % 8-10, 15 % 1-10) and kindergartens in
 * groups of three, about 30 % / 70 % of those units.
 *
 * Every school team is complete (rektor with an inspektør as
 * stedfortreder, sosiallærer, rådgiver where the grades reach 8-10,
 * PPT advisor, health nurse, barnevern contact) and every kindergarten
 * (styrer with the pedagogisk leder as stedfortreder, PPT advisor, BFS
 * contact, barnevern contact). The shared staff are sized so the plan is
 * feasible under the default rules: a PPT advisor or barnevern contact
 * serves at most MAX_UNITS units (default 8) in at most MAX_SERIES meeting
 * series (schools or kindergarten groups; default 4, i.e. 8 systemmøter a
 * half-year against 17 school Thursdays), a nurse at most MAX_SERIES
 * schools, a BFS contact whole kindergarten groups up to MAX_UNITS
 * kindergartens. Each kind of staff walks the district's schools and
 * groups in its own order, so teams overlap the way real ones do rather
 * than in neat blocks. Every shared person has a colleague of the same
 * role as stedfortreder.
 *
 * The Nærværsteam of a district is the first PPT advisor (koordinator),
 * nurse and barnevern contact, who keep one unit free for it, and the
 * rådgiver of an 8-10 school; God oppvekst is the four service leaders,
 * a rektor and a styrer. No one serves more than MAX_UNITS units.
 */

static uint64_t state = 0x9e3779b97f4a7c15ull;

/* xorshift64*: the same stream on every platform. */
static uint64_t next(void)
{
	state ^= state >> 12;
	state ^= state << 25;
	state ^= state >> 27;
	return state * 0x2545f4914f6cdd1dull;
}

static unsigned below(unsigned n)
{
	return (unsigned)(((next() >> 32) * n) >> 32);
}

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);

	if (!p) {
		fprintf(stderr, "gen: out of memory\n");
		exit(70);
	}
	return p;
}

/* ---- names ---- */

static const char *const places[] = {
	"Berg", "Haug", "Sol", "Lund", "Bjerke", "Eik", "Fjell", "Skog", "Strand", "Vik",
	"Ås", "Dal", "Nes", "Mo", "Li", "Rud", "Bakke", "Holm", "Grønn", "Sand",
	"Hov", "Myr", "Tveit", "Øvre", "Nedre", "Kvern", "Furu", "Bjørk", "Lyng", "Stein",
	"Hage", "Løkke", "Tjern", "Elve", "Bekk", "Mølle", "Kirke", "Torg", "Bro", "Brønn",
};
static const char *const endings[] = {
	"li", "haug", "åsen", "vang", "bakken", "dalen", "lia", "tun", "stad", "heim",
	"vika", "jordet", "skogen", "sletta", "toppen", "enga", "moen", "gården", "lunden", "kollen",
};
static const char *const districts[] = {
	"nord", "sor", "ost", "vest", "sentrum", "fjell", "strand", "dal", "skog", "elv",
	"bro", "vik", "haug", "nes", "berg", "li", "mo", "sand", "holm", "tveit",
};
static const char *const firsts[] = {
	"Anne", "Kari", "Ingrid", "Marit", "Liv", "Hilde", "Silje", "Nora", "Ida", "Thea",
	"Sofie", "Maren", "Åse", "Sigrid", "Ragnhild", "Tone", "Berit", "Guro", "Solveig", "Heidi",
	"Ole", "Lars", "Knut", "Per", "Erik", "Jon", "Arne", "Bjørn", "Håkon", "Even",
	"Øystein", "Geir", "Terje", "Trond", "Stian", "Magnus", "Sindre", "Espen", "Rune", "Jørgen",
};
static const char *const lasts[] = {
	"Hansen", "Johansen", "Olsen", "Larsen", "Andersen", "Pedersen", "Nilsen", "Kristiansen",
	"Jensen", "Karlsen", "Berg", "Haugen", "Hagen", "Eriksen", "Johnsen", "Solberg",
	"Bakken", "Moen", "Lie", "Strand", "Dahl", "Lunde", "Næss", "Sæther", "Aas",
	"Ødegård", "Nygård", "Strøm", "Sørensen", "Jørgensen", "Rønning", "Holm", "Vik",
	"Bråten", "Løken", "Grønli", "Brekke", "Fjeld", "Tangen", "Myhre",
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* An id from a name: lower case ASCII, æ ø å spelt ae o a, spaces as '-'. */
static void slugify(const char *name, char *out, size_t size)
{
	size_t n = 0;

	for (const unsigned char *s = (const unsigned char *)name; *s && n + 3 < size; s++) {
		if (*s == 0xc3 && s[1]) {
			unsigned char c = *++s;
			if (c == 0xa6 || c == 0x86) {
				out[n++] = 'a';
				out[n++] = 'e';
			} else if (c == 0xb8 || c == 0x98) {
				out[n++] = 'o';
			} else if (c == 0xa5 || c == 0x85) {
				out[n++] = 'a';
			}
		} else if (*s >= 'A' && *s <= 'Z') {
			out[n++] = (char)(*s - 'A' + 'a');
		} else if ((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9')) {
			out[n++] = (char)*s;
		} else if (n && out[n - 1] != '-') {
			out[n++] = '-';
		}
	}
	out[n] = 0;
}

/* The i-th place name: Berg + li = Bergli; numbered after 800. */
static void place_name(unsigned i, char *out, size_t size)
{
	unsigned p = i % COUNT(places), e = (i / COUNT(places)) % COUNT(endings);
	unsigned round = i / (COUNT(places) * COUNT(endings));

	if (round)
		snprintf(out, size, "%s%s %u", places[p], endings[e], round + 1);
	else
		snprintf(out, size, "%s%s", places[p], endings[e]);
}

/* ---- the municipality ---- */

enum ukind { SCHOOL, KINDERGARTEN, GROUP, SERVICE };

struct unit {
	char id[64];
	char name[96];
	enum ukind kind;
	const char *type;            /* skole, barnehage, barnehagegruppe, ppt, … */
	int grades_from, grades_to;  /* schools */
	int group;                   /* kindergartens: index of their group */
	int district;
	int members[3];              /* groups: their kindergartens */
};

struct person {
	char id[80];
	char name[64];
	const char *home;
	const char *role;
	char serves[1024];           /* the enheter cell */
	int substitute;              /* index, -1: none */
	int units;                   /* units served (for the summary) */
	int series;
};

static struct unit *units;
static size_t nunits;
static struct person *people;
static size_t npeople, cap_people;
static unsigned name_counter;

static struct unit *add_unit(enum ukind kind, const char *type, int district)
{
	struct unit *u = &units[nunits++];

	memset(u, 0, sizeof *u);
	u->kind = kind;
	u->type = type;
	u->district = district;
	u->group = -1;
	return u;
}

static int unit_index(const char *id)
{
	for (size_t i = 0; i < nunits; i++)
		if (strcmp(units[i].id, id) == 0)
			return (int)i;
	return -1;
}

static int add_person(const char *home, const char *role)
{
	struct person *p;
	char slug[64];

	if (npeople == cap_people) {
		cap_people = cap_people ? cap_people * 2 : 1024;
		people = realloc(people, cap_people * sizeof *people);
		if (!people) {
			fprintf(stderr, "gen: out of memory\n");
			exit(70);
		}
	}
	p = &people[npeople];
	memset(p, 0, sizeof *p);
	snprintf(p->name, sizeof p->name, "%s %s", firsts[below(COUNT(firsts))],
		 lasts[below(COUNT(lasts))]);
	slugify(p->name, slug, sizeof slug);
	snprintf(p->id, sizeof p->id, "%s-%u", slug, ++name_counter);
	p->home = home;
	p->role = role;
	p->substitute = -1;
	return (int)npeople++;
}

static void serve(int person, const char *unit, const char *role)
{
	struct person *p = &people[person];
	size_t n = strlen(p->serves);

	snprintf(p->serves + n, sizeof p->serves - n, "%s%s%s%s", n ? ", " : "", unit,
		 role ? ":" : "", role ? role : "");
}

/* One thing a shared person serves: a school (1 unit) or a kindergarten
 * group (its three kindergartens, one meeting series). */
struct item {
	int unit;                    /* the school or the group */
};

static int item_units(const struct item *it)
{
	return units[it->unit].kind == GROUP ? 3 : 1;
}

/*
 * Packs the items, in the order given, into people of one role: a new
 * person when the next item would take the current one over max_units
 * units or max_series series. Returns the number of people made; their
 * indexes are first, first+1, … The first keeps one unit free for the
 * Nærværsteam. Colleagues stand in for each other in a ring.
 */
static int pack(const struct item *items, size_t n, const char *home, const char *role,
		int max_units, int max_series)
{
	int first = (int)npeople, cur = -1;

	for (size_t i = 0; i < n; i++) {
		int size = item_units(&items[i]);
		const struct unit *u = &units[items[i].unit];
		int cap = cur == first ? max_units - 1 : max_units;

		if (cur < 0 || people[cur].units + size > cap ||
		    people[cur].series + 1 > max_series)
			cur = add_person(home, role);
		people[cur].units += size;
		people[cur].series++;
		if (u->kind == GROUP) {
			for (int k = 0; k < 3; k++)
				serve(cur, units[u->members[k]].id, NULL);
		} else {
			serve(cur, u->id, NULL);
		}
	}
	for (int i = first; i < (int)npeople; i++)
		people[i].substitute = (int)npeople - first > 1 ?
				       first + (i - first + 1) % ((int)npeople - first) : -1;
	return (int)npeople - first;
}

/*
 * The order a kind of staff walks its district: neighbours stay together
 * (the schools and groups as they lie, interleaved) but every kind starts
 * at another place and now and then two neighbours swap, so a nurse's
 * four schools are not the PPT advisor's four.
 */
static void walk_order(struct item *items, size_t n, size_t offset)
{
	struct item *copy = xcalloc(n, sizeof *copy);

	for (size_t i = 0; i < n; i++)
		copy[i] = items[(i + offset) % n];
	for (size_t i = 0; i + 1 < n; i++)
		if (below(4) == 0) {
			struct item t = copy[i];
			copy[i] = copy[i + 1];
			copy[i + 1] = t;
		}
	memcpy(items, copy, n * sizeof *copy);
	free(copy);
}

static void csv_cell(FILE *f, const char *s)
{
	if (strpbrk(s, ";\"\n")) {
		fputc('"', f);
		for (; *s; s++) {
			if (*s == '"')
				fputc('"', f);
			fputc(*s, f);
		}
		fputc('"', f);
	} else {
		fputs(s, f);
	}
}

static FILE *open_out(const char *dir, const char *file)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", dir, file);
	f = fopen(path, "w");
	if (!f) {
		perror(path);
		exit(73);
	}
	return f;
}

static void usage(void)
{
	fprintf(stderr, "usage: gen [-n UNITS] [-s SEED] [-m MAX_UNITS] [-k MAX_SERIES] DIR\n");
	exit(64);
}

int main(int argc, char **argv)
{
	long want = 1000, seed = 1, max_units = 8, max_series = 4;
	int c, ndistricts, nschools, ngroups, rest;
	size_t nppt = 0, nnurse = 0, nbv = 0, nbfs = 0, nlead = 0, nlocal = 0;
	FILE *f;

	while ((c = getopt(argc, argv, "n:s:m:k:")) != -1) {
		switch (c) {
		case 'n':
			want = strtol(optarg, NULL, 10);
			break;
		case 's':
			seed = strtol(optarg, NULL, 10);
			break;
		case 'm':
			max_units = strtol(optarg, NULL, 10);
			break;
		case 'k':
			max_series = strtol(optarg, NULL, 10);
			break;
		default:
			usage();
		}
	}
	if (optind + 1 != argc)
		usage();
	if (want < 12 || want > 100000 || max_units < 4 || max_series < 1) {
		fprintf(stderr, "gen: need 12-100000 units, -m >= 4, -k >= 1\n");
		return 64;
	}
	state ^= (uint64_t)seed * 0xbf58476d1ce4e5b9ull;
	for (int i = 0; i < 8; i++)
		next();

	/* districts of about 70 units: 6 services each, 1 KE for all */
	ndistricts = (int)((want + 35) / 70);
	if (ndistricts < 1)
		ndistricts = 1;
	rest = (int)want - 1 - 6 * ndistricts;
	ngroups = rest * 7 / 10 / 4;
	nschools = rest - 4 * ngroups;
	if (nschools < 1) {
		fprintf(stderr, "gen: %ld units are too few\n", want);
		return 64;
	}
	units = xcalloc((size_t)want, sizeof *units);

	/* services per district, then schools and kindergarten groups spread
	 * over the districts in turn */
	static const char *const services[][2] = {
		{ "ppt", "PPT" }, { "bfs", "Barne- og familiesenteret" },
		{ "barnevern", "Barneverntjenesten" }, { "helse", "Skolehelsetjenesten" },
		{ "naervaer", "Nærværsteam" }, { "god-oppvekst", "God oppvekst" },
	};
	int *service_of = xcalloc((size_t)ndistricts * 6, sizeof *service_of);
	for (int d = 0; d < ndistricts; d++)
		for (int k = 0; k < 6; k++) {
			struct unit *u = add_unit(SERVICE, services[k][0], d);
			unsigned round = (unsigned)d / COUNT(districts);

			if (round)
				snprintf(u->id, sizeof u->id, "%s-%s%u", services[k][0],
					 districts[d % (int)COUNT(districts)], round + 1);
			else
				snprintf(u->id, sizeof u->id, "%s-%s", services[k][0],
					 districts[d % (int)COUNT(districts)]);
			snprintf(u->name, sizeof u->name, "%s bydel %s", services[k][1],
				 u->id + strlen(services[k][0]) + 1);
			service_of[d * 6 + k] = (int)(u - units);
		}
	{
		struct unit *u = add_unit(SERVICE, "ke", 0);
		snprintf(u->id, sizeof u->id, "ke");
		snprintf(u->name, sizeof u->name, "Koordinerende enhet");
	}
	for (int i = 0; i < nschools; i++) {
		struct unit *u = add_unit(SCHOOL, "skole", i % ndistricts);
		char place[48], slug[48];
		unsigned r = below(100);

		place_name(name_counter++, place, sizeof place);
		slugify(place, slug, sizeof slug);
		u->grades_from = r < 60 ? 1 : r < 85 ? 8 : 1;
		u->grades_to = r < 60 ? 7 : 10;
		snprintf(u->id, sizeof u->id, "%s-skole", slug);
		snprintf(u->name, sizeof u->name, "%s %s", place,
			 u->grades_from == 8 ? "ungdomsskole" : "skole");
	}
	for (int i = 0; i < ngroups; i++) {
		struct unit *g = add_unit(GROUP, "barnehagegruppe", i % ndistricts);
		int gi = (int)(g - units);

		snprintf(g->id, sizeof g->id, "bhg-%s-%d", districts[g->district % (int)COUNT(districts)],
			 i / ndistricts + 1);
		if (g->district >= (int)COUNT(districts))
			snprintf(g->id, sizeof g->id, "bhg-%s%d-%d",
				 districts[g->district % (int)COUNT(districts)],
				 g->district / (int)COUNT(districts) + 1, i / ndistricts + 1);
		snprintf(g->name, sizeof g->name, "Barnehagegruppe %s", g->id + 4);
		for (int k = 0; k < 3; k++) {
			struct unit *u = add_unit(KINDERGARTEN, "barnehage", g->district);
			char place[48], slug[48];

			place_name(name_counter++, place, sizeof place);
			slugify(place, slug, sizeof slug);
			snprintf(u->id, sizeof u->id, "%s-bhg", slug);
			snprintf(u->name, sizeof u->name, "%s barnehage", place);
			u->group = gi;
			units[gi].members[k] = (int)(u - units);
		}
	}
	name_counter = 0;

	/* local staff: complete school and kindergarten teams */
	for (size_t i = 0; i < nunits; i++) {
		struct unit *u = &units[i];

		if (u->kind == SCHOOL) {
			int rektor = add_person(u->id, "rektor");
			int insp = add_person(u->id, "inspektor");
			people[rektor].substitute = insp;
			people[insp].substitute = rektor;
			add_person(u->id, "sosiallaerer");
			nlocal += 3;
			if (u->grades_to >= 8) {
				add_person(u->id, "radgiver");
				nlocal++;
			}
		} else if (u->kind == KINDERGARTEN) {
			int styrer = add_person(u->id, "styrer");
			int ped = add_person(u->id, "pedagogisk-leder");
			people[styrer].substitute = ped;
			nlocal += 2;
		}
	}

	/* shared staff, district by district */
	for (int d = 0; d < ndistricts; d++) {
		struct item *all = xcalloc(nunits, sizeof *all), *walk = xcalloc(nunits, sizeof *walk);
		size_t nall = 0, nschool_items = 0, ngroup_items = 0;
		struct item *schools = xcalloc(nunits, sizeof *schools);
		struct item *groups = xcalloc(nunits, sizeof *groups);
		const char *ppt = units[service_of[d * 6]].id, *bfs = units[service_of[d * 6 + 1]].id;
		const char *bv = units[service_of[d * 6 + 2]].id, *helse = units[service_of[d * 6 + 3]].id;
		const char *naervaer = units[service_of[d * 6 + 4]].id;
		const char *god = units[service_of[d * 6 + 5]].id;
		int first_ppt, first_nurse, first_bv, first_bfs, n;
		int leaders[4];

		for (size_t i = 0; i < nunits; i++) {
			if (units[i].district != d)
				continue;
			if (units[i].kind == SCHOOL)
				schools[nschool_items++].unit = (int)i;
			else if (units[i].kind == GROUP)
				groups[ngroup_items++].unit = (int)i;
		}
		/* as they lie: a school, then a group, … in proportion */
		for (size_t s = 0, g = 0; s < nschool_items || g < ngroup_items;) {
			if (g < ngroup_items &&
			    (s >= nschool_items || g * nschool_items < s * ngroup_items))
				all[nall++] = groups[g++];
			else
				all[nall++] = schools[s++];
		}

		memcpy(walk, all, nall * sizeof *walk);
		walk_order(walk, nall, 0);
		first_ppt = (int)npeople;
		n = pack(walk, nall, ppt, "ppt-radgiver", (int)max_units, (int)max_series);
		nppt += (size_t)n;

		memcpy(walk, schools, nschool_items * sizeof *walk);
		walk_order(walk, nschool_items, nschool_items / 3);
		first_nurse = (int)npeople;
		nnurse += (size_t)pack(walk, nschool_items, helse, "helsesykepleier",
				       (int)max_units, (int)max_series);

		memcpy(walk, all, nall * sizeof *walk);
		walk_order(walk, nall, nall / 2);
		first_bv = (int)npeople;
		nbv += (size_t)pack(walk, nall, bv, "barnevern-kontakt", (int)max_units,
				    (int)max_series);

		memcpy(walk, groups, ngroup_items * sizeof *walk);
		walk_order(walk, ngroup_items, ngroup_items / 2);
		first_bfs = (int)npeople;
		nbfs += (size_t)pack(walk, ngroup_items, bfs, "bfs-kontakt", (int)max_units,
				     (int)max_series);

		/* the services' leaders: members of God oppvekst, a colleague as
		 * stedfortreder */
		leaders[0] = add_person(ppt, "leder");
		serve(leaders[0], ppt, NULL);
		people[leaders[0]].substitute = first_ppt;
		leaders[1] = add_person(bfs, "leder");
		serve(leaders[1], bfs, NULL);
		people[leaders[1]].substitute = ngroup_items ? first_bfs : first_ppt;
		leaders[2] = add_person(bv, "leder");
		serve(leaders[2], bv, NULL);
		people[leaders[2]].substitute = first_bv;
		leaders[3] = add_person(helse, "leder");
		serve(leaders[3], helse, NULL);
		people[leaders[3]].substitute = nschool_items ? first_nurse : first_ppt;
		nlead += 4;
		for (int k = 0; k < 4; k++)
			serve(leaders[k], god, "medlem");

		/* Nærværsteam: a PPT advisor coordinates; a nurse, a barnevern
		 * contact and a rådgiver (the district's first 8-10 school) */
		if (n > 0) {
			serve(first_ppt, naervaer, "koordinator");
			people[first_ppt].units++;
		}
		if (nschool_items) {
			serve(first_nurse, naervaer, "helsesykepleier");
			people[first_nurse].units++;
		}
		serve(first_bv, naervaer, "barnevern-kontakt");
		people[first_bv].units++;
		for (size_t i = 0; i < npeople; i++) {
			const struct person *p = &people[i];
			int u;

			if (strcmp(p->role, "radgiver") != 0)
				continue;
			u = unit_index(p->home);
			if (u >= 0 && units[u].district == d) {
				serve((int)i, p->home, NULL);
				serve((int)i, naervaer, "medlem");
				break;
			}
		}
		/* God oppvekst also has a rektor and a styrer of the district */
		for (int k = 0; k < 2; k++) {
			const char *role = k ? "styrer" : "rektor";

			for (size_t i = 0; i < npeople; i++) {
				int u;

				if (strcmp(people[i].role, role) != 0)
					continue;
				u = unit_index(people[i].home);
				if (u >= 0 && units[u].district == d) {
					serve((int)i, people[i].home, NULL);
					serve((int)i, god, "medlem");
					break;
				}
			}
		}
		free(all);
		free(walk);
		free(schools);
		free(groups);
	}
	{
		int koord = add_person("ke", "koordinator"), sb = add_person("ke", "saksbehandler");
		people[koord].substitute = sb;
		people[sb].substitute = koord;
		nlead += 2;
	}

	if (mkdir(argv[optind], 0777) != 0 && errno != EEXIST) {
		perror(argv[optind]);
		return 73;
	}
	f = open_out(argv[optind], "units.csv");
	fputs("\xef\xbb\xbfid;navn;type;trinn;gruppe\r\n", f);
	for (size_t i = 0; i < nunits; i++) {
		const struct unit *u = &units[i];

		csv_cell(f, u->id);
		fputc(';', f);
		csv_cell(f, u->name);
		fprintf(f, ";%s;", u->type);
		if (u->kind == SCHOOL)
			fprintf(f, "%d-%d", u->grades_from, u->grades_to);
		fputc(';', f);
		if (u->kind == KINDERGARTEN)
			fputs(units[u->group].id, f);
		fputs("\r\n", f);
	}
	if (fclose(f) != 0) {
		perror("units.csv");
		return 74;
	}

	f = open_out(argv[optind], "people.csv");
	fputs("\xef\xbb\xbfid;navn;epost;tjeneste;rolle;enheter;stedfortreder\r\n", f);
	for (size_t i = 0; i < npeople; i++) {
		const struct person *p = &people[i];

		fprintf(f, "%s;", p->id);
		csv_cell(f, p->name);
		fprintf(f, ";%s@kommune.example;%s;%s;", p->id, p->home, p->role);
		csv_cell(f, p->serves);
		fprintf(f, ";%s\r\n", p->substitute >= 0 ? people[p->substitute].id : "");
	}
	if (fclose(f) != 0) {
		perror("people.csv");
		return 74;
	}
	{
		int most = 0;
		for (size_t i = 0; i < npeople; i++)
			if (people[i].units > most)
				most = people[i].units;
		max_units = most;
	}
	fprintf(stderr,
		"gen: %zu units (%d district%s, %d schools, %d kindergarten groups of 3, %d services), "
		"%zu people (%zu local; shared: %zu PPT, %zu nurses, %zu barnevern, %zu BFS, "
		"%zu leaders; the busiest serves %ld units)\n",
		nunits, ndistricts, ndistricts == 1 ? "" : "s", nschools, ngroups, 6 * ndistricts + 1, npeople, nlocal, nppt,
		nnurse, nbv, nbfs, nlead, max_units);
	free(units);
	free(people);
	free(service_of);
	return 0;
}
