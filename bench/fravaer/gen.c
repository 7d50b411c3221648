/* Generates realistic absence registrations at national scale for the fravaer benchmark. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * usage: gen ROWS PUPILS [SEED] > file.csv
 *
 * One school year (2025/26, 18 August – 19 June), exported the way a
 * school system does: ';', Norwegian headers, DD.MM.YYYY, in date order.
 * About 2 800 schools (Norway has ~2 800 grunnskoler); pupils are spread
 * over them. Absence is skewed as in real life: 5 % of the pupils give a
 * quarter of the rows and report less of it. 1 % of the rows fall on weekends (registration
 * mistakes the screening must ignore). Deterministic for a seed.
 */

static uint64_t state = 0x9e3779b97f4a7c15ull;

/* xorshift64*: fast, and the same stream on every platform. */
static uint64_t next(void)
{
	state ^= state >> 12;
	state ^= state << 25;
	state ^= state >> 27;
	return state * 0x2545f4914f6cdd1dull;
}

static uint32_t below(uint32_t n)
{
	return (uint32_t)((next() >> 32) * n >> 32);
}

static int is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

struct ymd {
	int y, m, d, wday;   /* wday: 0 = Monday */
};

static void step(struct ymd *t)
{
	static const int len[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int n = len[t->m - 1] + (t->m == 2 && is_leap(t->y));

	t->wday = (t->wday + 1) % 7;
	if (++t->d > n) {
		t->d = 1;
		if (++t->m > 12) {
			t->m = 1;
			t->y++;
		}
	}
}

static int before(const struct ymd *t, int y, int m, int d)
{
	return t->y != y ? t->y < y : t->m != m ? t->m < m : t->d < d;
}

int main(int argc, char **argv)
{
	static const char *const absent_reason[] = { "sykdom", "sykdom", "sykdom", "sykdom",
		"sykdom", "sykdom", "sykdom", "tannlege", "tannlege", "permisjon", "", "", "", "",
		"", "", "", "", "", "" };
	long long rows, pupils, written = 0;
	int schools, days = 0;
	struct ymd t = { 2025, 8, 18, 0 };   /* Monday 18 August 2025 */
	static char obuf[1 << 20];

	if (argc < 3) {
		fprintf(stderr, "usage: gen ROWS PUPILS [SEED]\n");
		return 64;
	}
	rows = atoll(argv[1]);
	pupils = atoll(argv[2]);
	if (argc > 3)
		state ^= (uint64_t)atoll(argv[3]) * 0x100000001b3ull;
	if (rows < 1 || pupils < 1 || pupils > 100000000) {
		fprintf(stderr, "gen: ROWS and PUPILS must be positive\n");
		return 64;
	}
	schools = pupils < 2800 * 20 ? (int)(pupils / 20) + 1 : 2800;
	setvbuf(stdout, obuf, _IOFBF, sizeof obuf);
	/* school days of the fallback calendar: weekdays, 18 Aug – 19 Jun */
	for (struct ymd c = t; before(&c, 2026, 6, 20); step(&c))
		days += c.wday < 5;
	fputs("elev;skole;dato;type;minutter;dokumentert;årsak\n", stdout);
	for (int k = 0; before(&t, 2026, 6, 20); step(&t)) {
		long long today;

		if (t.wday >= 5) {
			today = rows / days / 100;   /* weekend mistakes */
		} else {
			today = rows / days + (k < rows % days);
			k++;
		}
		for (long long i = 0; i < today && written < rows; i++, written++) {
			/* a quarter of the rows go to the 5 % most absent pupils */
			int worrying = below(4) == 0;
			uint64_t p = worrying ? below((uint32_t)(pupils / 20 + 1)) :
				     below((uint32_t)pupils);
			uint64_t id = (p * 2654435761u) % (uint64_t)pupils;
			uint32_t kind = below(100), doc = below(100);
			const char *type, *why = "";
			char minutes[8] = "";

			if (kind < 73) {
				type = below(4) ? "fravær" : "Fravær";
				why = absent_reason[below(20)];
				if (below(2))
					snprintf(minutes, sizeof minutes, "%u", 45 * (1 + below(6)));
			} else if (kind < 98) {
				type = "forsent";
				snprintf(minutes, sizeof minutes, "%u", 5 + below(56));
			} else {
				type = "forlot";
				snprintf(minutes, sizeof minutes, "%u", 60 + below(241));
			}
			/* parents report most absence; the worrying kind less */
			doc = doc < (worrying ? 50u : 92u);
			printf("E%07llu;skole-%04llu;%02d.%02d.%04d;%s;%s;%s;%s\n",
			       (unsigned long long)id, (unsigned long long)(id % (uint64_t)schools),
			       t.d, t.m, t.y, type, minutes, doc ? "ja" : "nei", why);
		}
	}
	/* rounding left a few: put them on the last school day */
	for (; written < rows; written++)
		printf("E%07llu;skole-%04llu;19.06.2026;forsent;10;nei;\n",
		       (unsigned long long)(written % pupils),
		       (unsigned long long)(written % pupils % (uint64_t)schools));
	return fflush(stdout) ? 74 : 0;
}
