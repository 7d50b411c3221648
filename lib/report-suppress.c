/* Prikking: which theme counts a public report may print, with secondary suppression. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "patvers/report.h"

/*
 * The published table is a flow: each row's total (its cases) flows into
 * the row, out through its cells into the theme columns, out through the
 * column totals into the grand total. A reader knows every published
 * number and, for a suppressed one, an interval: "<k" is 0..k-1, "*" is
 * k..G (G the grand total). Another table consistent with what is
 * published differs from the true one by a circulation, which splits
 * into cycles of the residual graph of the true table. So a suppressed
 * number can be worked out exactly iff no cycle passes through it: an
 * exact test with a graph search, no linear programming. To protect a
 * number that fails it, the cheapest path that closes such a cycle is
 * found with Dijkstra, counting published cells it would have to
 * suppress (zeros cheap, real counts dear), and those are suppressed.
 */

#define COST_ZERO 1
#define COST_HIDE 4
#define UNREACHED INT_MAX

struct table {
	const int *counts;
	size_t rows, cols;
	int below;
	long grand;
	enum pv_cell *cells;
	enum pv_cell *totals;
	int *ctotal;                /* column totals */
	/* search state: nodes are rows, then columns, then the total */
	size_t nodes;
	int *dist;
	long *via;                  /* element used to reach a node, -1 none */
	bool *done;
};

/* Elements: cells 0 .. rows*cols-1, then the column totals. */
static long cell_id(const struct table *t, size_t r, size_t c)
{
	return (long)(r * t->cols + c);
}

static long total_id(const struct table *t, size_t c)
{
	return (long)(t->rows * t->cols + c);
}

static int value_of(const struct table *t, long e)
{
	size_t n = t->rows * t->cols;

	return (size_t)e < n ? t->counts[e] : t->ctotal[(size_t)e - n];
}

static enum pv_cell *state_of(const struct table *t, long e)
{
	size_t n = t->rows * t->cols;

	return (size_t)e < n ? &t->cells[e] : &t->totals[(size_t)e - n];
}

static bool is_primary(const struct table *t, long e)
{
	int v = value_of(t, e);

	return v >= 1 && v < t->below;
}

/* The interval a reader knows for an element in state s. */
static void interval(const struct table *t, enum pv_cell s, int v, long *lo, long *hi)
{
	if (s == PV_CELL_SMALL) {
		*lo = 0;
		*hi = t->below - 1;
	} else if (s == PV_CELL_HIDDEN) {
		*lo = t->below;
		*hi = t->grand;
	} else {
		*lo = *hi = v;
	}
}

/* The state a published element would get if suppressed. */
static enum pv_cell suppressed_as(const struct table *t, long e)
{
	return value_of(t, e) < t->below ? PV_CELL_SMALL : PV_CELL_HIDDEN;
}

/*
 * The cost of moving element e by one unit up (dir +1) or down (-1) in
 * a table consistent with the publication: 0 when already suppressed
 * with room, the cost of suppressing it when `repair` allows it, or
 * UNREACHED. `skip` is the element under test.
 */
static int step_cost(const struct table *t, long e, int dir, bool repair, long skip)
{
	enum pv_cell s = *state_of(t, e);
	int v = value_of(t, e);
	long lo, hi;
	int cost = 0;

	if (e == skip)
		return UNREACHED;
	if (s == PV_CELL_SHOWN) {
		if (!repair || (v >= 1 && v < t->below))
			return UNREACHED;
		s = suppressed_as(t, e);
		cost = s == PV_CELL_SMALL ? COST_ZERO : COST_HIDE;
	}
	interval(t, s, v, &lo, &hi);
	if ((dir > 0 && v < hi) || (dir < 0 && v > lo))
		return cost;
	return UNREACHED;
}

static size_t row_node(size_t r)
{
	return r;
}

static size_t col_node(const struct table *t, size_t c)
{
	return t->rows + c;
}

static size_t total_node(const struct table *t)
{
	return t->rows + t->cols;
}

static void relax(struct table *t, size_t from, size_t to, long e, int cost)
{
	if (cost == UNREACHED || t->dist[from] == UNREACHED)
		return;
	if (t->dist[from] + cost < t->dist[to]) {
		t->dist[to] = t->dist[from] + cost;
		t->via[to] = e;
	}
}

/*
 * Shortest paths from `src` (O(nodes²) Dijkstra; the tables are small).
 * Arcs: row r -> column c raises cell (r,c); column c -> row r lowers
 * it; column c -> total raises the column total; total -> column c
 * lowers it. Nodes are settled in index order among equals, so the
 * result is the same on every run.
 */
static void search(struct table *t, size_t src, bool repair, long skip)
{
	for (size_t i = 0; i < t->nodes; i++) {
		t->dist[i] = UNREACHED;
		t->via[i] = -1;
		t->done[i] = false;
	}
	t->dist[src] = 0;
	for (;;) {
		size_t u = t->nodes;

		for (size_t i = 0; i < t->nodes; i++)
			if (!t->done[i] && t->dist[i] != UNREACHED &&
			    (u == t->nodes || t->dist[i] < t->dist[u]))
				u = i;
		if (u == t->nodes)
			break;
		t->done[u] = true;
		if (u < t->rows) {
			for (size_t c = 0; c < t->cols; c++) {
				long e = cell_id(t, u, c);
				relax(t, u, col_node(t, c), e, step_cost(t, e, +1, repair, skip));
			}
		} else if (u < t->rows + t->cols) {
			size_t c = u - t->rows;
			for (size_t r = 0; r < t->rows; r++) {
				long e = cell_id(t, r, c);
				relax(t, u, row_node(r), e, step_cost(t, e, -1, repair, skip));
			}
			relax(t, u, total_node(t), total_id(t, c),
			      step_cost(t, total_id(t, c), +1, repair, skip));
		} else {
			for (size_t c = 0; c < t->cols; c++) {
				long e = total_id(t, c);
				relax(t, u, col_node(t, c), e, step_cost(t, e, -1, repair, skip));
			}
		}
	}
}

/* The two ends of element e's arc when it is raised. */
static void arc_of(const struct table *t, long e, size_t *from, size_t *to)
{
	size_t n = t->rows * t->cols;

	if ((size_t)e < n) {
		*from = row_node((size_t)e / t->cols);
		*to = col_node(t, (size_t)e % t->cols);
	} else {
		*from = col_node(t, (size_t)e - n);
		*to = total_node(t);
	}
}

/*
 * The cheapest cycle through element e: raise e (its arc, then a path
 * back from its head to its tail) or lower it (a path from tail to head,
 * then its arc backwards). Returns the cost (UNREACHED when none) and,
 * when `apply`, suppresses the published elements on the chosen path.
 */
static int cycle_cost(struct table *t, long e, bool repair, bool apply)
{
	enum pv_cell s = *state_of(t, e);
	int v = value_of(t, e), up = UNREACHED, down = UNREACHED;
	size_t from, to, start, end;
	long lo, hi;

	interval(t, s == PV_CELL_SHOWN ? suppressed_as(t, e) : s, v, &lo, &hi);
	arc_of(t, e, &from, &to);
	if (v < hi) {
		search(t, to, repair, e);
		up = t->dist[from];
	}
	if (v > lo) {
		int d;
		/* a second search only when it can win */
		if (up == 0)
			return 0;
		search(t, from, repair, e);
		d = t->dist[to];
		if (d < up) {
			down = d;
		} else if (apply && up != UNREACHED) {
			search(t, to, repair, e);   /* restore the path of `up` */
		}
	}
	if (!apply)
		return up < down ? up : down;
	if (up == UNREACHED && down == UNREACHED)
		return UNREACHED;
	start = down < up ? from : to;
	end = down < up ? to : from;
	for (size_t n = end; n != start;) {
		long via = t->via[n];
		size_t a, b;

		if (*state_of(t, via) == PV_CELL_SHOWN)
			*state_of(t, via) = suppressed_as(t, via);
		arc_of(t, via, &a, &b);
		/* walked forwards when raised, backwards when lowered */
		n = n == b ? a : b;
	}
	return down < up ? down : up;
}

static long elements(const struct table *t)
{
	return (long)(t->rows * t->cols + t->cols);
}

/* The first primary number a reader could work out, or -1. */
static long first_disclosed(struct table *t, long *count)
{
	long first = -1;

	if (count)
		*count = 0;
	for (long e = 0; e < elements(t); e++) {
		if (!is_primary(t, e))
			continue;
		/* a primary number that is published is disclosed outright */
		if (*state_of(t, e) == PV_CELL_SHOWN ||
		    (*state_of(t, e) == PV_CELL_HIDDEN) ||
		    cycle_cost(t, e, false, false) == UNREACHED) {
			if (first < 0)
				first = e;
			if (!count)
				break;
			(*count)++;
		}
	}
	return first;
}

static bool table_init(struct table *t, const int *counts, size_t rows, size_t cols,
		       int below, enum pv_cell *cells, enum pv_cell *totals)
{
	memset(t, 0, sizeof *t);
	t->counts = counts;
	t->rows = rows;
	t->cols = cols;
	t->below = below;
	t->cells = cells;
	t->totals = totals;
	t->nodes = rows + cols + 1;
	t->ctotal = calloc(cols ? cols : 1, sizeof *t->ctotal);
	t->dist = calloc(t->nodes, sizeof *t->dist);
	t->via = calloc(t->nodes, sizeof *t->via);
	t->done = calloc(t->nodes, sizeof *t->done);
	if (!t->ctotal || !t->dist || !t->via || !t->done)
		return false;
	for (size_t r = 0; r < rows; r++)
		for (size_t c = 0; c < cols; c++) {
			t->ctotal[c] += counts[r * cols + c];
			t->grand += counts[r * cols + c];
		}
	return true;
}

static void table_release(struct table *t)
{
	free(t->ctotal);
	free(t->dist);
	free(t->via);
	free(t->done);
}

long pv_suppress_disclosed(const int *counts, size_t rows, size_t cols, int below,
			   const enum pv_cell *cells, const enum pv_cell *totals)
{
	struct table t;
	long count = 0;

	if (below <= 1)
		return 0;
	/* the search only reads the states; the casts do not write */
	if (!table_init(&t, counts, rows, cols, below, (enum pv_cell *)cells,
			(enum pv_cell *)totals)) {
		table_release(&t);
		return -1;
	}
	first_disclosed(&t, &count);
	table_release(&t);
	return count;
}

enum pv_status pv_suppress(const int *counts, size_t rows, size_t cols, int below,
			   enum pv_cell *cells, enum pv_cell *totals, bool *withheld,
			   struct pv_error *err)
{
	struct table t;
	long e;

	*withheld = false;
	for (size_t i = 0; i < rows * cols; i++)
		cells[i] = PV_CELL_SHOWN;
	for (size_t c = 0; c < cols; c++)
		totals[c] = PV_CELL_SHOWN;
	if (below <= 1)
		return PV_OK;
	if (!table_init(&t, counts, rows, cols, below, cells, totals)) {
		table_release(&t);
		return pv_error_set(err, PV_ESOFTWARE, "out of memory");
	}
	for (e = 0; e < elements(&t); e++)
		if (is_primary(&t, e))
			*state_of(&t, e) = PV_CELL_SMALL;
	/* every round suppresses at least one more element, so this ends */
	while ((e = first_disclosed(&t, NULL)) >= 0) {
		if (cycle_cost(&t, e, true, true) == UNREACHED) {
			*withheld = true;
			break;
		}
	}
	table_release(&t);
	return PV_OK;
}
