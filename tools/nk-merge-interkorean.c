/* nk-merge-interkorean - add inter-Korean trade (Ministry of Unification figures) to a stream
 * Mirror statistics leave out trade between the two Koreas; North Korea in
 * the World adds it from South Korea's Ministry of Unification (MOU). This
 * stage appends one or more rows per year of a sourced table
 * (data/interkorean/mou.tsv), split into segments (Kaesong, non-commercial)
 * only where a source publishes the split, and guards against counting
 * South Korea twice (mirror rows with counterpart KOR, or a second run). */
#include "lib/contract.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static const char help[] =
	"Usage: nk-merge-interkorean [OPTION]... [FILE]...\n"
	"Copy the contract TSV stream in FILEs (or standard input) and append the\n"
	"inter-Korean trade of South Korea's Ministry of Unification (MOU): rows with\n"
	"source 'mou', reporter and counterpart KOR, partner PRK, hs TOTAL, nk_flow\n"
	"X (the South's inbound shipments) or M (its outbound), and an added column\n"
	"'segment': kaesong, noncommercial, commercial (the rest, where both are\n"
	"published), or total (the part no published split covers; nk_flow empty\n"
	"where no direction is published). A year's rows add up to its total.\n"
	"\n"
	"      --table=FILE          the yearly table (columns year, total_usd,\n"
	"                            dprk_exports_usd, dprk_imports_usd, kaesong_usd,\n"
	"                            noncommercial_usd, source; optional note);\n"
	"                            default: data/interkorean/mou.tsv (shipped)\n"
	"      --kaesong=MODE        include (default), exclude or only the Kaesong\n"
	"                            industrial zone's trade\n"
	"      --noncommercial=MODE  include (default) or exclude non-commercial\n"
	"                            shipments (aid, social and cultural exchange)\n"
	"      --years=Y[-Y]         add only these years (default: every year)\n"
	"      --replace-kor         drop input rows whose counterpart is KOR (to\n"
	"                            --rejects, counted) and use MOU's figures\n"
	"      --keep-kor            keep them (they may count the same trade twice)\n"
	"      --rejects=FILE        write dropped rows there (input columns, reason,\n"
	"                            rule, file, line)\n"
	"  -o, --output=FILE         write to FILE (atomically) instead of stdout\n"
	"  -q, --quiet               no progress and no summary on stderr\n"
	"  -h, --help                show this help and exit\n"
	"      --version             show the version and exit\n"
	"\n"
	"Input rows with counterpart KOR are an error unless --replace-kor or\n"
	"--keep-kor is given; input that already holds source 'mou' rows (a second\n"
	"run) is an error. The summary on stderr names the years added, the gaps\n"
	"(years without a total, cells without a figure) and the switches.\n"
	"\n"
	"With no FILE, or when FILE is -, read standard input. Exit status: 0 success,\n"
	"1 bad data or table (messages name FILE:LINE and the field; with -o nothing\n"
	"is written), 2 usage error.\n";

/* ------------------------------------------------------------------ table */

/* Directions may miss their total by this much (the sources round to
 * $0.01-1 M and come from MOU, Customs and KITA, which differ slightly). */
#define TOLERANCE ((nk_dec)1000000 * NK_DEC_ONE)

enum { V_TOTAL, V_EXP, V_IMP, V_KAE, V_NONC, V_N };
static const char *const vcol[V_N] = {"total_usd", "dprk_exports_usd", "dprk_imports_usd",
				      "kaesong_usd", "noncommercial_usd"};

typedef struct {
	int year;
	unsigned known; /* bit per V_* */
	nk_dec v[V_N];
	long line;
} yrow;

typedef struct {
	yrow *r; /* sorted by year */
	size_t n;
} table;

static int has(const yrow *y, int k) { return y->known >> k & 1; }

/* a + b, or die naming the field. */
static nk_dec add_or_die(const nk_tsv *t, size_t col, nk_dec a, nk_dec b)
{
	nk_dec r;
	if (nk_dec_add(a, b, &r) != NK_DEC_OK)
		nk_tsv_die(t, col, nk_dec_strerror(NK_DEC_RANGE));
	return r;
}

/* One table row: every cell a non-negative number or empty; a value needs a
 * source and a total; parts fit in the total; both directions or neither,
 * and they add up to the total within TOLERANCE. */
static void check_row(const nk_tsv *t, const size_t *ix, size_t isrc, yrow *y)
{
	for (int k = 0; k < V_N; k++) {
		if (!nk_row_num(t, ix[k], &y->v[k]))
			continue; /* empty: no figure */
		if (y->v[k] < 0)
			nk_tsv_die(t, ix[k], "negative value");
		y->known |= 1u << k;
	}
	if (!y->known)
		return; /* a gap year: no figure */
	if (t->f[isrc].n == 0)
		nk_tsv_die(t, isrc, "empty: every figure needs its source");
	if (!has(y, V_TOTAL)) {
		int k = V_EXP;
		while (!has(y, k))
			k++;
		nk_tsv_die(t, ix[k], "a figure for a year without a total");
	}
	if (has(y, V_EXP) != has(y, V_IMP))
		nk_tsv_die(t, ix[has(y, V_EXP) ? V_EXP : V_IMP],
			   "one direction without the other (give both or neither)");
	if (has(y, V_KAE) && y->v[V_KAE] > y->v[V_TOTAL])
		nk_tsv_die(t, ix[V_KAE], "Kaesong part larger than the total");
	if (has(y, V_NONC) && y->v[V_NONC] > y->v[V_TOTAL])
		nk_tsv_die(t, ix[V_NONC], "non-commercial part larger than the total");
	if (has(y, V_KAE) && has(y, V_NONC) &&
	    add_or_die(t, ix[V_NONC], y->v[V_KAE], y->v[V_NONC]) > y->v[V_TOTAL])
		nk_tsv_die(t, ix[V_NONC], "Kaesong and non-commercial parts larger than the total");
	if (has(y, V_EXP)) {
		nk_dec sum = add_or_die(t, ix[V_IMP], y->v[V_EXP], y->v[V_IMP]);
		nk_dec d = sum - y->v[V_TOTAL];
		if (d > TOLERANCE || d < -TOLERANCE) {
			char what[160], a[32], b[32];
			nk_dec_fmt(sum, a);
			nk_dec_fmt(y->v[V_TOTAL], b);
			snprintf(what, sizeof what,
				 "directions add up to %s, not to the total %s "
				 "(more than the 1000000 tolerance)", a, b);
			nk_tsv_die(t, ix[V_TOTAL], what);
		}
	}
}

static int yrow_cmp(const void *a, const void *b)
{
	const yrow *x = a, *y = b;
	return (x->year > y->year) - (x->year < y->year);
}

static void load_table(table *tb, const char *path)
{
	char *paths[1] = {(char *)path};
	nk_tsv *t = nk_tsv_open(paths, 1);
	size_t ix[V_N];
	size_t iyear = nk_tsv_need(t, "year"), isrc = nk_tsv_need(t, "source");
	for (int k = 0; k < V_N; k++)
		ix[k] = nk_tsv_need(t, vcol[k]);
	size_t cap = 0;
	while (nk_tsv_next(t)) {
		if (tb->n == cap)
			tb->r = nk_xrealloc(tb->r, (cap = cap ? 2 * cap : 64) * sizeof *tb->r);
		yrow *y = &tb->r[tb->n];
		memset(y, 0, sizeof *y);
		y->year = nk_row_year(t, iyear);
		for (size_t i = 0; i < tb->n; i++)
			if (tb->r[i].year == y->year) {
				char what[64];
				snprintf(what, sizeof what, "year given twice (first on line %ld)",
					 tb->r[i].line);
				nk_tsv_die(t, iyear, what);
			}
		y->line = t->line;
		check_row(t, ix, isrc, y);
		tb->n++;
	}
	if (tb->n == 0)
		nk_die(1, "%s: the table has no years", t->file);
	nk_tsv_close(t);
	qsort(tb->r, tb->n, sizeof *tb->r, yrow_cmp);
}

/* ---------------------------------------------------------------- options */

enum { K_INCLUDE, K_EXCLUDE, K_ONLY };
static const char *const kmode[] = {"include", "exclude", "only"};

typedef struct {
	nk_common co;
	const char *table;
	int kaesong, noncommercial; /* K_* */
	int ylo, yhi;		    /* 0 = open */
	int replace_kor, keep_kor;
} opts;

enum { O_TABLE = NK_OPT_TOOL, O_KAESONG, O_NONC, O_YEARS, O_REPLACE, O_KEEP };

static int mode_arg(const char *opt, const char *arg, int nmodes)
{
	for (int i = 0; i < nmodes; i++)
		if (!strcmp(arg, kmode[i]))
			return i;
	nk_usage_error("--%s: '%s' is not %s", opt, arg,
		       nmodes == 3 ? "include, exclude or only" : "include or exclude");
}

static void years_arg(opts *o, const char *arg)
{
	const char *dash = strchr(arg, '-');
	size_t n1 = dash ? (size_t)(dash - arg) : strlen(arg);
	o->ylo = nk_year_parse(arg, n1);
	o->yhi = dash ? nk_year_parse(dash + 1, strlen(dash + 1)) : o->ylo;
	if (o->ylo < 0 || o->yhi < 0)
		nk_usage_error("--years: '%s' is not a year or a range YYYY-YYYY", arg);
	if (o->ylo > o->yhi)
		nk_usage_error("--years: range is reversed: '%s' (write %d-%d)", arg, o->yhi,
			       o->ylo);
}

static void parse_opts(opts *o, int argc, char **argv)
{
	static const struct option lo[] = {
		NK_COMMON_LONGOPTS,
		{"table", 1, 0, O_TABLE},
		{"kaesong", 1, 0, O_KAESONG},
		{"noncommercial", 1, 0, O_NONC},
		{"years", 1, 0, O_YEARS},
		{"replace-kor", 0, 0, O_REPLACE},
		{"keep-kor", 0, 0, O_KEEP},
		{0, 0, 0, 0},
	};
	int c;
	while ((c = getopt_long(argc, argv, NK_COMMON_SHORTOPTS, lo, 0)) != -1) {
		if (nk_common_opt(&o->co, c, optarg, help))
			continue;
		switch (c) {
		case O_TABLE: o->table = optarg; break;
		case O_KAESONG: o->kaesong = mode_arg("kaesong", optarg, 3); break;
		case O_NONC: o->noncommercial = mode_arg("noncommercial", optarg, 2); break;
		case O_YEARS: years_arg(o, optarg); break;
		case O_REPLACE: o->replace_kor = 1; break;
		case O_KEEP: o->keep_kor = 1; break;
		default: nk_usage_error("unknown option");
		}
	}
	if (o->replace_kor && o->keep_kor)
		nk_usage_error("--replace-kor and --keep-kor exclude each other");
}

/* ---------------------------------------------------------------- segments */

enum { S_KAESONG, S_NONC, S_COMMERCIAL, S_TOTAL };
static const char *const seg_name[] = {"kaesong", "noncommercial", "commercial", "total"};

/* One row to append. nkflow: 0 unknown, NK_NKFLOW_X or NK_NKFLOW_M. */
typedef struct {
	int seg, nkflow;
	nk_dec v;
} part;

/* Split a year's total into rows that add up to it exactly, inventing
 * nothing: by segment where the table has a Kaesong or non-commercial part
 * (no source splits a segment by direction, so nk_flow stays empty), else by
 * direction where the two add up to the total exactly, else one row. The
 * rest after the published parts is `commercial` when both parts are known
 * (then it is exactly that), else `total`; a rest of 0 is not written.
 * Returns the number of parts (at most 3). */
static int split_year(const yrow *y, part *p)
{
	int n = 0;
	nk_dec rest = y->v[V_TOTAL];
	if (has(y, V_KAE) || has(y, V_NONC)) {
		if (has(y, V_KAE)) {
			p[n++] = (part){S_KAESONG, 0, y->v[V_KAE]};
			rest -= y->v[V_KAE];
		}
		if (has(y, V_NONC)) {
			p[n++] = (part){S_NONC, 0, y->v[V_NONC]};
			rest -= y->v[V_NONC];
		}
		if (rest)
			p[n++] = (part){has(y, V_KAE) && has(y, V_NONC) ? S_COMMERCIAL : S_TOTAL,
					0, rest};
		return n;
	}
	nk_dec both;
	if (has(y, V_EXP) && nk_dec_add(y->v[V_EXP], y->v[V_IMP], &both) == NK_DEC_OK &&
	    both == y->v[V_TOTAL]) {
		p[n++] = (part){S_TOTAL, NK_NKFLOW_X, y->v[V_EXP]};
		p[n++] = (part){S_TOTAL, NK_NKFLOW_M, y->v[V_IMP]};
		return n;
	}
	p[n++] = (part){S_TOTAL, 0, rest};
	return n;
}

/* Does the switch keep a row of this segment? A `total` row may hold
 * Kaesong or non-commercial trade that no source separates: `exclude` keeps
 * it (and the summary says so), Kaesong `only` drops it. */
static int keep_seg(const opts *o, int seg)
{
	if (o->kaesong == K_ONLY)
		return seg == S_KAESONG;
	if (seg == S_KAESONG)
		return o->kaesong == K_INCLUDE;
	if (seg == S_NONC)
		return o->noncommercial == K_INCLUDE;
	return 1;
}

/* ----------------------------------------------------------------- stream */

/* Columns the appended rows need (README, nk-merge-interkorean); they also
 * fill period, flow and value_reported where the stream has them. */
#define NEEDED                                                                        \
	(NK_COL_BIT(NK_C_SOURCE) | NK_COL_BIT(NK_C_YEAR) | NK_COL_BIT(NK_C_REPORTER) |    \
	 NK_COL_BIT(NK_C_PARTNER) | NK_COL_BIT(NK_C_HS) | NK_COL_BIT(NK_C_VALUE_USD) |    \
	 NK_COL_BIT(NK_C_NK_FLOW) | NK_COL_BIT(NK_C_COUNTERPART))

typedef struct {
	const opts *o;
	const table *tb;
	nk_tsv *t;
	int ix[NK_C_N];
	int iseg; /* an input `segment` column, or -1 */
	nk_layout *lay;
	nk_out *out, *rej;
	uint64_t in, out_rows, kor_dropped, kor_kept, added;
	uint64_t kor_years[(NK_YEAR_MAX - NK_YEAR_MIN) / 64 + 1]; /* of the dropped rows */
} run;

static int field_is(nk_str f, const char *s)
{
	return f.n == strlen(s) && !memcmp(f.p, s, f.n);
}

static void copy_rows(run *R)
{
	nk_tsv *t = R->t;
	nk_str seg = {"", 0};
	while (nk_tsv_next(t)) {
		R->in++;
		if (field_is(t->f[R->ix[NK_C_SOURCE]], "mou"))
			nk_tsv_die(t, R->ix[NK_C_SOURCE],
				   "the stream already holds MOU rows (was nk-merge-interkorean run "
				   "before?): adding them again would count inter-Korean trade twice");
		if (nk_row_iso3(t, R->ix[NK_C_COUNTERPART]) == NK_ISO3_CODE('K', 'O', 'R')) {
			if (R->o->replace_kor) {
				nk_rej_row(R->rej, t->f, t->ncol,
					   "counterpart KOR: replaced by MOU inter-Korean figures",
					   "replace-kor", t->file, t->line);
				R->kor_dropped++;
				unsigned yk = (unsigned)(nk_row_year(t, R->ix[NK_C_YEAR]) - NK_YEAR_MIN);
				R->kor_years[yk / 64] |= (uint64_t)1 << (yk % 64);
				continue;
			}
			if (!R->o->keep_kor)
				nk_tsv_die(t, R->ix[NK_C_COUNTERPART],
					   "South Korea as counterpart: MOU's inter-Korean figures "
					   "would count this trade twice (give --replace-kor to drop "
					   "these rows, --keep-kor to keep them)");
			R->kor_kept++;
		}
		if (R->iseg >= 0)
			seg = t->f[R->iseg];
		nk_layout_row(R->out, R->lay, t->f, &seg);
		R->out_rows++;
		nk_progress(t->rows, nk_tsv_bytes(t));
	}
}

static int in_years(const opts *o, int y)
{
	return !o->ylo || (y >= o->ylo && y <= o->yhi);
}

/* Append the MOU rows of the selected years, in year order. */
static void add_rows(run *R)
{
	const nk_tsv *t = R->t;
	nk_str *f = nk_xmalloc(t->ncol * sizeof *f);
	char year[8], val[32];
	for (size_t i = 0; i < R->tb->n; i++) {
		const yrow *y = &R->tb->r[i];
		if (!has(y, V_TOTAL) || !in_years(R->o, y->year))
			continue;
		part p[3];
		int np = split_year(y, p);
		snprintf(year, sizeof year, "%d", y->year);
		for (int k = 0; k < np; k++) {
			if (!keep_seg(R->o, p[k].seg))
				continue;
			for (size_t c = 0; c < t->ncol; c++)
				f[c] = (nk_str){"", 0};
			size_t vn = nk_dec_fmt(p[k].v, val);
			/* the South reports: its import (M) is a DPRK export (X) */
			const char *nkf = p[k].nkflow ? nk_nkflow_name(p[k].nkflow) : "";
			const char *flw = p[k].nkflow == NK_NKFLOW_X   ? nk_flow_name(NK_FLOW_M)
					  : p[k].nkflow == NK_NKFLOW_M ? nk_flow_name(NK_FLOW_X)
								       : "";
			const char *fill[NK_C_N] = {
				[NK_C_SOURCE] = "mou",	      [NK_C_YEAR] = year,
				[NK_C_PERIOD] = year,	      [NK_C_REPORTER] = "KOR",
				[NK_C_PARTNER] = "PRK",	      [NK_C_FLOW] = flw,
				[NK_C_HS] = "TOTAL",	      [NK_C_VALUE_USD] = val,
				[NK_C_NK_FLOW] = nkf,	      [NK_C_COUNTERPART] = "KOR",
				[NK_C_VALUE_REPORTED] = val,
			};
			for (int c = 0; c < NK_C_N; c++)
				if (R->ix[c] >= 0 && fill[c])
					f[R->ix[c]] = (nk_str){fill[c], fill[c] == val ? vn
										 : strlen(fill[c])};
			nk_str seg = {seg_name[p[k].seg], strlen(seg_name[p[k].seg])};
			nk_layout_row(R->out, R->lay, f, &seg);
			R->added++;
		}
	}
	free(f);
}

/* ------------------------------------------------------------------ summary */

static const yrow *find_year(const table *tb, int year)
{
	for (size_t i = 0; i < tb->n; i++)
		if (tb->r[i].year == year)
			return &tb->r[i];
	return NULL;
}

/* Predicates on a year of the selected range, for year_list. A year the
 * table does not list counts as one with no figure. */
typedef int (*ypred)(const run *R, int year);
static int p_nototal(const run *R, int year)
{
	const yrow *y = find_year(R->tb, year);
	return !y || !has(y, V_TOTAL);
}
static int p_nocell(const run *R, int year, int k)
{
	const yrow *y = find_year(R->tb, year);
	return y && has(y, V_TOTAL) && !has(y, k);
}
static int p_nodir(const run *R, int year) { return p_nocell(R, year, V_EXP); }
static int p_nokae(const run *R, int year) { return p_nocell(R, year, V_KAE); }
static int p_nononc(const run *R, int year) { return p_nocell(R, year, V_NONC); }
static int p_dirunused(const run *R, int year)
{
	const yrow *y = find_year(R->tb, year);
	part p[3];
	return y && has(y, V_EXP) && split_year(y, p) && p[0].nkflow == 0;
}
static int p_added(const run *R, int year)
{
	const yrow *y = find_year(R->tb, year);
	part p[3];
	int n = y && has(y, V_TOTAL) && in_years(R->o, year) ? split_year(y, p) : 0;
	for (int k = 0; k < n; k++)
		if (keep_seg(R->o, p[k].seg))
			return 1;
	return 0;
}
static int p_kor(const run *R, int year)
{
	unsigned k = (unsigned)(year - NK_YEAR_MIN);
	return R->kor_years[k / 64] >> (k % 64) & 1;
}
static int p_unreplaced(const run *R, int year)
{
	return p_kor(R, year) && !p_added(R, year);
}

/* The years in lo..hi for which `pred` holds, as "1990, 1993-1994"; "none"
 * if none. */
static void span_list(const run *R, ypred pred, int lo, int hi, char *buf, size_t cap)
{
	size_t len = 0;
	for (int y = lo; y <= hi; y++) {
		if (!pred(R, y))
			continue;
		int e = y;
		while (e < hi && pred(R, e + 1))
			e++;
		int w = e > y ? snprintf(buf + len, cap - len, "%s%d-%d", len ? ", " : "", y, e)
			      : snprintf(buf + len, cap - len, "%s%d", len ? ", " : "", y);
		if (w < 0 || (size_t)w >= cap - len)
			break;
		len += (size_t)w;
		y = e;
	}
	if (!len)
		snprintf(buf, cap, "none");
}

/* The same over the selected years (--years, else the table's span). */
static void year_list(const run *R, ypred pred, char *buf, size_t cap)
{
	int lo = R->o->ylo ? R->o->ylo : R->tb->r[0].year;
	int hi = R->o->ylo ? R->o->yhi : R->tb->r[R->tb->n - 1].year;
	span_list(R, pred, lo, hi, buf, cap);
}

static void summary(const run *R, const char *table_name)
{
	const opts *o = R->o;
	char a[1024], b[1024], c[1024], d[1024];
	year_list(R, p_added, a, sizeof a);
	char kor[1200] = "no KOR rows in the input";
	if (R->kor_dropped) {
		span_list(R, p_unreplaced, NK_YEAR_MIN, NK_YEAR_MAX, b, sizeof b);
		int all = !strcmp(b, "none");
		snprintf(kor, sizeof kor, "%llu KOR rows dropped (--replace-kor; %s%s)",
			 (unsigned long long)R->kor_dropped,
			 all ? "MOU rows replace them in each of their years"
			     : "no MOU row for their years ", all ? "" : b);
	} else if (R->kor_kept) {
		snprintf(kor, sizeof kor, "%llu KOR rows kept (--keep-kor: may count twice)",
			 (unsigned long long)R->kor_kept);
	}
	nk_warn("%llu rows in, %llu out; %llu MOU rows added for years %s; %s",
		(unsigned long long)R->in, (unsigned long long)R->out_rows + R->added,
		(unsigned long long)R->added, a, kor);
	char yrs[32] = "all";
	if (o->ylo)
		snprintf(yrs, sizeof yrs, o->ylo < o->yhi ? "%d-%d" : "%d", o->ylo, o->yhi);
	nk_warn("switches: --kaesong %s, --noncommercial %s, --years %s, table %s",
		kmode[o->kaesong], kmode[o->noncommercial], yrs, table_name);
	year_list(R, p_nototal, a, sizeof a);
	year_list(R, p_nodir, b, sizeof b);
	year_list(R, p_nokae, c, sizeof c);
	year_list(R, p_nononc, d, sizeof d);
	const char *gap[] = {"no total", a, "no directions", b, "no Kaesong part", c,
			     "no non-commercial part", d};
	char g[4200];
	size_t gl = 0;
	for (int k = 0; k < 8; k += 2)
		if (strcmp(gap[k + 1], "none"))
			gl += (size_t)snprintf(g + gl, sizeof g - gl, "%s%s %s", gl ? "; " : "",
					       gap[k], gap[k + 1]);
	nk_warn("gaps: %s", gl ? g : "none");
	year_list(R, p_dirunused, a, sizeof a);
	if (strcmp(a, "none"))
		nk_warn("directions published but not written (the rows are split by segment, "
			"or the directions do not add up to the total exactly): %s", a);
	if (o->kaesong != K_INCLUDE && strcmp(c, "none"))
		nk_warn("--kaesong %s: no Kaesong part published for %s: their rows (segment "
			"total) are %s", kmode[o->kaesong], c,
			o->kaesong == K_ONLY ? "left out" : "kept and may hold Kaesong trade");
	if (o->noncommercial == K_EXCLUDE && o->kaesong != K_ONLY && strcmp(d, "none"))
		nk_warn("--noncommercial exclude: no non-commercial part published for %s: "
			"their rows (segment total) are kept and may hold non-commercial trade",
			d);
}

int main(int argc, char **argv)
{
	nk_init(argv);
	opts o = {0};
	parse_opts(&o, argc, argv);

	/* 1. the table, completely, before any input or output */
	table tb = {0};
	char *deftable = o.table ? NULL : nk_datafile("data/interkorean/mou.tsv");
	load_table(&tb, o.table ? o.table : deftable);

	/* 2. the input's columns */
	run R = {.o = &o, .tb = &tb};
	R.t = nk_tsv_open(argv + optind, argc - optind);
	nk_cols_bind(R.t, NEEDED, R.ix);
	R.iseg = nk_tsv_col(R.t, "segment");

	/* 3. outputs */
	static const char *const added[] = {"segment"};
	R.out = nk_out_open(o.co.output);
	R.lay = nk_layout_new(R.t, added, 1);
	nk_layout_header(R.out, R.t, R.lay);
	R.rej = nk_rej_open(o.co.rejects, R.t->col, R.t->ncol);

	/* 4. stream, then the MOU rows */
	nk_progress_start(o.co.quiet);
	copy_rows(&R);
	nk_progress_end();
	add_rows(&R);

	/* 5. close */
	nk_out_close_all((nk_out *[]){R.out, R.rej}, 2);
	if (!o.co.quiet)
		summary(&R, o.table ? o.table : "data/interkorean/mou.tsv");
	nk_layout_free(R.lay);
	nk_tsv_close(R.t);
	free(tb.r);
	free(deftable);
	return 0;
}
