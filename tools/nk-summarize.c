/* nk-summarize - the tables researchers publish: totals, partners, sections, stages
 * The last stage. One pass over the corrected stream adds every row's
 * value_usd into exact sums (int64 thousandths) per report group; the
 * reports are made from those sums at the end, so they do not depend on row
 * order, and the sums can be written out (--partial) and added up later
 * (--merge) with the same result byte for byte. */
#include "lib/contract.h"
#include "lib/rules.h"
#include "lib/select.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static const char help[] =
	"Usage: nk-summarize [OPTION]... [FILE]...\n"
	"   or: nk-summarize --merge [OPTION]... PARTIAL...\n"
	"Sum the DPRK trade in the corrected stream (after nk-correct and\n"
	"nk-merge-interkorean) into the tables researchers publish, in USD from\n"
	"the DPRK's view (exports = nk_flow X).\n"
	"\n"
	"  -b, --by=REPORT      a report (repeatable; default year):\n"
	"                         year     exports, imports, total, balance, deficit\n"
	"                                  as % of exports, year-on-year change, with\n"
	"                                  and without inter-Korean trade (source mou)\n"
	"                         partner  value and share per year, flow, counterpart\n"
	"                         section  per HS section (column section)\n"
	"                         chapter  per HS chapter (column hs2)\n"
	"                         hs4      per heading (column hs4)\n"
	"                         hs6      per subheading (column hs6)\n"
	"                         stage    per production stage (column stage)\n"
	"                         sanction per UN sanction of --sanctions and year:\n"
	"                                  the trade it covers (full, or partial where\n"
	"                                  the row's code is broader), before and after\n"
	"                                  its in-force date, and the use of a cap\n"
	"                       section..stage have an 'other' line for trade\n"
	"                       without a usable code at that level, so the lines\n"
	"                       of a year and flow add up to its total\n"
	"  -n, --top=N          partner: the N largest counterparts of each year and\n"
	"                       flow, then one 'other' line for the rest\n"
	"  -s, --section=S      chapter: only the chapters of section S (I..XXI);\n"
	"                       shares are of the section's trade\n"
	"  -l, --level=LEVEL    count only rows at LEVEL: total, hs2, hs4 or hs6; or\n"
	"                       coarsest: in each counterpart, year and flow of a\n"
	"                       source, only its coarsest level (TOTAL over chapters,\n"
	"                       chapter 27 over 270900). Rows of source rule always\n"
	"                       count. Without --level, a\n"
	"                       counterpart, year and flow of one source that holds\n"
	"                       rows at several levels (TOTAL and chapters) is an\n"
	"                       error: summing both would count the trade twice\n"
	"      --sanctions=FILE the rule file of --by sanction (default: the shipped\n"
	"                       rules/sanctions.yaml)\n"
	"  -f, --format=FMT     tsv (default), json, or md (a markdown table)\n"
	"      --partial        write the exact running sums (a partial) instead of\n"
	"                       the reports, for --merge\n"
	"  -m, --merge          the FILEs are partials: add them up and write the\n"
	"                       reports a single run over all their input gives\n"
	"                       (with --partial: one partial of them all)\n"
	"  -o, --output=FILE    write to FILE (atomically) instead of stdout\n"
	"  -q, --quiet          no progress and no summary on stderr\n"
	"  -h, --help           show this help and exit\n"
	"      --version        show the version and exit\n"
	"\n"
	"Columns read: year, nk_flow, counterpart, source, hs, value_usd, and\n"
	"those of the reports asked for. Rows with an empty value_usd (unknown) are\n"
	"counted on stderr, not summed. Shares are percentages with 2 decimals,\n"
	"rounded half to even; sums are exact. Several reports in TSV are written\n"
	"one after the other, separated by an empty line.\n"
	"\n"
	"Unknown is not 0: a sum over no rows is an empty cell (null in json, an\n"
	"en dash in md); rows that add up to 0 give 0. A year without partner rows\n"
	"of a flow has that flow unknown; where the stream holds inter-Korean rows\n"
	"(source mou) for some year, a year without any has every figure that\n"
	"includes inter-Korean trade unknown. A figure made of others is empty when\n"
	"one of them is: total (a counterpart's too) needs the year's exports and\n"
	"imports, balance and deficit_pct both, yoy_pct the total of this year\n"
	"and the year before, a share its part and its base (the year's flow),\n"
	"interkorean_pct interkorean and total.\n"
	"\n"
	"With no FILE, or when FILE is -, read standard input. Gzip input is\n"
	"decompressed. Exit status: 0 success, 1 bad data or I/O error, 2 usage\n"
	"error.\n";

/* ---------------------------------------------------------------- reports */

enum { R_YEAR, R_PARTNER, R_SECTION, R_CHAPTER, R_HS4, R_HS6, R_STAGE, R_SANCTION, R_N };
static const char *const rep_name[R_N] = {
	"year", "partner", "section", "chapter", "hs4", "hs6", "stage", "sanction",
};
/* The column a report groups by (NULL: none, or its own). */
static const char *const rep_col[R_N] = {
	NULL, "counterpart", "section", "hs2", "hs4", "hs6", "stage", NULL,
};

/* Levels of detail; --level picks one of the first four for every row, or
 * coarsest: per source, counterpart, year and flow, the coarsest present. */
enum { LV_TOTAL, LV_HS2, LV_HS4, LV_HS6, LV_COARSEST, LV_ANY };
static const char *const lv_name[LV_ANY + 1] = {"total", "hs2", "hs4", "hs6", "coarsest", "any"};

enum { FMT_TSV, FMT_JSON, FMT_MD };

typedef struct {
	nk_common co;
	int by[R_N]; /* reports in the order asked */
	int nby;
	unsigned byset;
	int format;
	long top; /* 0: every counterpart */
	const char *section;
	int level;
	int partial, merge;
	const char *sanctions; /* --sanctions FILE, NULL: the shipped one */
} opts;

static int lookup(const char *s, const char *const *names, int n)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(s, names[i]))
			return i;
	return -1;
}

static int str_is(nk_str s, const char *lit)
{
	size_t n = strlen(lit);
	return s.n == n && !memcmp(s.p, lit, n);
}

static const char *const sec_roman[] = {
	"I",   "II",   "III", "IV", "V",   "VI",   "VII",   "VIII", "IX",  "X",   "XI",
	"XII", "XIII", "XIV", "XV", "XVI", "XVII", "XVIII", "XIX",  "XX",  "XXI",
};
enum { NSEC = sizeof sec_roman / sizeof *sec_roman };

static void parse_opts(opts *o, int argc, char **argv)
{
	enum { O_PARTIAL = NK_OPT_TOOL, O_SANCTIONS };
	static const struct option lo[] = {
		NK_COMMON_LONGOPTS,
		{"by", 1, 0, 'b'},
		{"top", 1, 0, 'n'},
		{"section", 1, 0, 's'},
		{"level", 1, 0, 'l'},
		{"format", 1, 0, 'f'},
		{"partial", 0, 0, O_PARTIAL},
		{"merge", 0, 0, 'm'},
		{"sanctions", 1, 0, O_SANCTIONS},
		{0, 0, 0, 0},
	};
	static const char *const fmts[] = {"tsv", "json", "md"};
	o->level = LV_ANY;
	int c;
	while ((c = getopt_long(argc, argv, NK_COMMON_SHORTOPTS "b:n:s:l:f:m", lo, 0)) != -1) {
		if (nk_common_opt(&o->co, c, optarg, help))
			continue;
		switch (c) {
		case 'b': {
			int r = lookup(optarg, rep_name, R_N);
			if (r < 0)
				nk_usage_error("unknown report '%s' (year, partner, section, "
					       "chapter, hs4, hs6, stage, sanction)", optarg);
			if (!(o->byset & 1u << r)) {
				o->by[o->nby++] = r;
				o->byset |= 1u << r;
			}
			break;
		}
		case 'n': {
			char *e;
			o->top = strtol(optarg, &e, 10);
			if (*e || e == optarg || o->top < 1 || o->top > 100000)
				nk_usage_error("--top needs a whole number from 1 to 100000: '%s'",
					       optarg);
			break;
		}
		case 's':
			if (lookup(optarg, sec_roman, NSEC) < 0)
				nk_usage_error("--section needs an HS section I..XXI: '%s'", optarg);
			o->section = optarg;
			break;
		case 'l':
			o->level = lookup(optarg, lv_name, LV_ANY);
			if (o->level < 0)
				nk_usage_error("--level needs total, hs2, hs4, hs6 or coarsest: '%s'",
					       optarg);
			break;
		case 'f':
			o->format = lookup(optarg, fmts, 3);
			if (o->format < 0)
				nk_usage_error("--format needs tsv, json or md: '%s'", optarg);
			break;
		case O_PARTIAL: o->partial = 1; break;
		case 'm': o->merge = 1; break;
		case O_SANCTIONS: o->sanctions = optarg; break;
		default: nk_usage_error("unknown option");
		}
	}
	if (o->co.rejects)
		nk_usage_error("--rejects: nk-summarize drops no rows (it counts them)");
	if (o->merge && optind >= argc)
		nk_usage_error("--merge needs the partial files");
	if (o->section && !(o->byset & 1u << R_CHAPTER))
		nk_usage_error("--section is the drill-down of --by chapter");
	if (o->top && o->nby && !(o->byset & 1u << R_PARTNER))
		nk_usage_error("--top applies to --by partner");
	if (o->sanctions && !(o->byset & 1u << R_SANCTION) && !o->merge)
		nk_usage_error("--sanctions is the rule file of --by sanction");
	if (!o->nby && !o->merge) {
		o->by[o->nby++] = R_YEAR;
		o->byset = 1u << R_YEAR;
	}
}

/* ----------------------------------------------------------- sum groups */

/* A sum's key packed in 64 bits: report (4 bits), DPRK flow (2: X, M, or
 * unknown for a row with an empty nk_flow), inter-Korean (1: source mou),
 * year - 1900 (8), and the report's own key (49 bits, 0 = 'other' or
 * unknown): a counterpart's packed ISO3, a code + 1, a section or stage
 * number + 1. Integer keys need no string arena and take the library's one
 * hash (nk_hash_slot). */
enum { F_X, F_M, F_UNKNOWN };
#define R_GUARD 15 /* the level check's table: sub = source number << 24 | counterpart */
#define K_REP(k) ((int)((k) >> 60))
#define K_FLOW(k) ((int)((k) >> 58 & 3))
#define K_IK(k) ((int)((k) >> 57 & 1))
#define K_YEAR(k) ((int)((k) >> 49 & 255) + NK_YEAR_MIN)
#define K_SUB(k) ((k) & (((uint64_t)1 << 49) - 1))
static uint64_t kmake(int rep, int flow, int ik, int year, uint64_t sub)
{
	return (uint64_t)rep << 60 | (uint64_t)flow << 58 | (uint64_t)ik << 57 |
	       (uint64_t)(year - NK_YEAR_MIN) << 49 | sub;
}

/* One exact sum and its row count; in the level check's table, `sum` is
 * the set of levels seen (bit per LV_*). */
typedef struct {
	uint64_t key;
	nk_dec sum;
	uint64_t rows;
} group;

typedef struct {
	group *g;
	size_t n, cap;
	uint32_t *slot; /* 0 empty, else group index + 1 */
	size_t nslot;
} gtab;

static void gtab_grow(gtab *t)
{
	size_t ns = t->nslot ? t->nslot * 2 : 1024;
	uint32_t *s = calloc(ns, sizeof *s);
	if (!s)
		nk_die(1, "out of memory");
	for (size_t i = 0; i < t->n; i++) {
		size_t j = nk_hash_slot(t->g[i].key, ns);
		while (s[j])
			j = (j + 1) & (ns - 1);
		s[j] = (uint32_t)(i + 1);
	}
	free(t->slot);
	t->slot = s;
	t->nslot = ns;
}

/* Where a limit is reported (NK_GROUPS_MAX, NK_SOURCES_MAX): the row
 * (its field `field`) or the partial line being read. */
static const nk_tsv *at_tsv;
static nk_in *at_in;

static _Noreturn void limit_die(const char *field, const char *what, const char *val,
				size_t n)
{
	if (at_tsv)
		nk_die_at(at_tsv->file, at_tsv->line, field, what, val, n);
	if (at_in)
		nk_die_at(nk_in_name(at_in), nk_in_lineno(at_in), NULL, what, val, n);
	nk_die(1, "%s", what);
}

/* The group of `key`, made (sum 0) if new. Valid until the next gfind. */
static group *gfind(gtab *t, uint64_t key)
{
	if (t->n * 2 >= t->nslot)
		gtab_grow(t);
	size_t j = nk_hash_slot(key, t->nslot);
	for (uint32_t s; (s = t->slot[j]); j = (j + 1) & (t->nslot - 1))
		if (t->g[s - 1].key == key)
			return &t->g[s - 1];
	static size_t max;
	if (!max)
		max = nk_limit(NK_GROUPS_MAX, "NK_TEST_GROUPS_MAX");
	if (t->n == max) {
		char what[96];
		snprintf(what, sizeof what, "more than %zu report groups (years x flows x keys)", max);
		limit_die(NULL, what, NULL, 0);
	}
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 1024;
		t->g = nk_xrealloc(t->g, t->cap * sizeof *t->g);
	}
	group *g = &t->g[t->n];
	*g = (group){.key = key};
	t->slot[j] = (uint32_t)++t->n;
	return g;
}

/* Everything a run adds up: what a partial holds. Sources are numbered in
 * the order met (for the level check's keys; written as text). */
typedef struct {
	gtab sums, guard;
	/* --level coarsest: which rows count is known at the end only, so the
	 * sums of non-rule rows wait in `fine`, keyed by their level-check
	 * group (index in guard), level and sum (index in sums): gidx << 33 |
	 * level << 31 | kidx; `lvrows` counts their rows, key gidx << 2 | level */
	gtab fine, lvrows;
	int coarsest;
	size_t cur_gidx; /* the current row's level-check group and level */
	int cur_lv, cur_fine;
	char **src;
	size_t nsrc;
	uint64_t rows, unknown, off_level;
} state;

static void state_free(state *S)
{
	free(S->fine.g);
	free(S->fine.slot);
	free(S->lvrows.g);
	free(S->lvrows.slot);
	free(S->sums.g);
	free(S->sums.slot);
	free(S->guard.g);
	free(S->guard.slot);
	for (size_t i = 0; i < S->nsrc; i++)
		free(S->src[i]);
	free(S->src);
}

static size_t source_no(state *S, const char *p, size_t n)
{
	for (size_t i = 0; i < S->nsrc; i++)
		if (strlen(S->src[i]) == n && !memcmp(S->src[i], p, n))
			return i;
	if (S->nsrc == NK_SOURCES_MAX) {
		char what[64];
		snprintf(what, sizeof what, "more than %d different sources", NK_SOURCES_MAX);
		limit_die("source", what, p, n);
	}
	S->src = nk_xrealloc(S->src, (S->nsrc + 1) * sizeof *S->src);
	S->src[S->nsrc] = nk_xmalloc(n + 1);
	memcpy(S->src[S->nsrc], p, n);
	S->src[S->nsrc][n] = 0;
	return S->nsrc++;
}

/* -------------------------------------------------------------- sanctions */

/* rules/sanctions.yaml: one entry per UN Security Council measure and the
 * goods it names, as HS codes. Each entry becomes a row selector of the
 * library (select.h: the DPRK flow and the HS prefixes), so a row is tagged
 * with the same matcher nk-correct's rules use. */
enum { D_EXPORT_BAN, D_SUPPLY_BAN, D_CAP, ND };
static const char *const dir_name[ND] = {"dprk_export_ban", "supply_ban", "cap"};
enum { B_STATED, B_LIST, B_READING, NB };
static const char *const basis_name[NB] = {"stated", "list", "reading"};
enum { TAG_FULL, TAG_PARTIAL };
static const char *const tag_name[2] = {"full", "partial"};
enum { P_BEFORE, P_STRADDLE, P_AFTER };
static const char *const part_name[3] = {"before", "straddle", "after"};
enum { M_VALUE, M_KG, M_LITRES, NM };
static const char *const measure_name[NM] = {"value", "kg", "l"};

typedef struct {
	int y, m, d; /* m, d 0: not given (a month, a year) */
} ymd;

typedef struct {
	const char *id, *source, *goods, *exceptions, *note;
	int resolution, paragraph; /* paragraph 0: not given */
	ymd adopted, in_force;
	int dir, basis, hsrev, nkflow;
	nk_strs hs;
	nk_sel sel; /* nk_flow and hs (the strings of `hs`) */
	int has_cap;
	nk_dec cap_value, cap_tonnes, cap_barrels, bpt; /* -1: not given */
	ymd cap_from;
} sanction;

typedef struct {
	nk_ydoc *doc;
	sanction *e;
	size_t n;
	char digest[17]; /* FNV-1a of the file's bytes: partials must agree */
} sanctions;

static sanctions SANC; /* loaded once for --by sanction */

static const char *ystr_opt(const nk_ynode *m, const char *key)
{
	const nk_ynode *v = nk_yget(m, key);
	return v ? nk_ystr(v, key, 1) : NULL;
}

/* YYYY-MM-DD or YYYY-MM (a source that gives the month only). */
static ymd ydate(const nk_ynode *n, const char *what)
{
	const char *s = nk_ystr(n, what, 1);
	ymd d = {0, 0, 0};
	int k = 0;
	if (sscanf(s, "%4d-%2d-%2d%n", &d.y, &d.m, &d.d, &k) == 3 && (size_t)k == strlen(s) &&
	    strlen(s) == 10) {
		static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
		if (d.m >= 1 && d.m <= 12 && d.d >= 1 && d.d <= mdays[d.m - 1] &&
		    d.y >= NK_YEAR_MIN && d.y <= NK_YEAR_MAX &&
		    (d.m != 2 || d.d < 29 || (d.y % 4 == 0 && (d.y % 100 || d.y % 400 == 0))))
			return d;
	} else if (sscanf(s, "%4d-%2d%n", &d.y, &d.m, &k) == 2 && (size_t)k == strlen(s) &&
		   strlen(s) == 7 && d.m >= 1 && d.m <= 12 && d.y >= NK_YEAR_MIN &&
		   d.y <= NK_YEAR_MAX) {
		d.d = 0;
		return d;
	}
	nk_ydie(n, "'%s' must be a date YYYY-MM-DD (or YYYY-MM): '%s'", what, s);
}

static int ymd_cmp(ymd a, ymd b)
{
	if (a.y != b.y)
		return a.y < b.y ? -1 : 1;
	if (a.m != b.m)
		return a.m < b.m ? -1 : 1;
	return (a.d > b.d) - (a.d < b.d);
}

/* A value of a fixed list, with "did you mean" for a near miss. */
static int yword(const nk_ynode *n, const char *what, const char *const *names, int nn)
{
	const char *s = nk_ystr(n, what, 1);
	for (int i = 0; i < nn; i++)
		if (!strcmp(s, names[i]))
			return i;
	const char *best = nk_nearest(s, names, (size_t)nn);
	if (best)
		nk_ydie(n, "unknown %s '%s' (did you mean '%s'?)", what, s, best);
	char list[160] = "";
	for (int i = 0; i < nn; i++)
		snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s",
			 i ? (i == nn - 1 ? " or " : ", ") : "", names[i]);
	nk_ydie(n, "unknown %s '%s' (%s)", what, s, list);
}

/* The 6-digit codes of the HS revisions the entries name
 * (data/hs/nomenclature.tsv), sorted, to check each code and prefix. */
typedef struct {
	int32_t *c[7];
	size_t n[7];
} nomen;

static void nomen_load(nomen *N, unsigned revs)
{
	char *path = nk_datafile("data/hs/nomenclature.tsv");
	char *paths[1] = {path};
	nk_tsv *t = nk_tsv_open(paths, 1);
	size_t ir = nk_tsv_need(t, "hs_rev"), ic = nk_tsv_need(t, "hs6");
	size_t cap[7] = {0};
	while (nk_tsv_next(t)) {
		int r = nk_hsrev_parse(t->f[ir].p, t->f[ir].n);
		if (r < 0 || !(revs & 1u << r))
			continue;
		int64_t v;
		if (t->f[ic].n != 6 || nk_int_parse(t->f[ic].p, 6, &v))
			nk_tsv_die(t, ic, "not a 6-digit code");
		if (N->n[r] == cap[r])
			N->c[r] = nk_xrealloc(N->c[r], (cap[r] = cap[r] ? 2 * cap[r] : 8192) * sizeof(int32_t));
		N->c[r][N->n[r]++] = (int32_t)v;
	}
	nk_tsv_close(t);
	free(path);
	for (int r = 0; r < 7; r++)
		for (size_t i = 1; i < N->n[r]; i++)
			if (N->c[r][i] < N->c[r][i - 1])
				nk_die(1, "data/hs/nomenclature.tsv: codes of H%d are not sorted", r);
}

/* Is some code of revision r in [lo, hi)? */
static int nomen_has(const nomen *N, int r, int32_t lo, int32_t hi)
{
	size_t a = 0, b = N->n[r];
	while (a < b) {
		size_t m = (a + b) / 2;
		if (N->c[r][m] < lo)
			a = m + 1;
		else
			b = m;
	}
	return a < N->n[r] && N->c[r][a] < hi;
}

static const char *const hs_year[7] = {"HS1992", "HS1996", "HS2002", "HS2007",
				       "HS2012", "HS2017", "HS2022"};

static void load_cap(sanction *e, const nk_ynode *c)
{
	static const char *const keys[] = {"flow", "value_usd", "tonnes", "barrels",
					   "barrels_per_tonne", "per", "from", "rule", NULL};
	nk_ymap(c, "cap");
	nk_ymap_keys(c, "cap", keys);
	static const char *const flows[] = {"dprk_export", "supply"};
	e->nkflow = yword(nk_yneed(c, "cap", "flow"), "cap flow", flows, 2) ? NK_NKFLOW_M
									      : NK_NKFLOW_X;
	e->has_cap = 1;
	const nk_ynode *v;
	nk_dec *num[] = {&e->cap_value, &e->cap_tonnes, &e->cap_barrels, &e->bpt};
	static const char *const nkeys[] = {"value_usd", "tonnes", "barrels", "barrels_per_tonne"};
	for (int i = 0; i < 4; i++) {
		*num[i] = -1;
		if ((v = nk_yget(c, nkeys[i])) && (*num[i] = nk_ydec(v, nkeys[i])) <= 0)
			nk_ydie(v, "'%s' must be greater than 0: '%s'", nkeys[i], v->str);
	}
	static const char *const pers[] = {"year"};
	yword(nk_yneed(c, "cap", "per"), "cap period", pers, 1);
	static const char *const rules[] = {"lower"};
	if ((v = nk_yget(c, "rule")))
		yword(v, "cap rule", rules, 1);
	e->cap_from = e->in_force;
	if ((v = nk_yget(c, "from")))
		e->cap_from = ydate(v, "from");
}

static void load_entry(sanction *e, const nk_ynode *m, const nomen *N)
{
	static const char *const keys[] = {"id", "resolution", "paragraph", "adopted", "in_force",
					   "direction", "hs_rev", "hs", "cap", "exceptions",
					   "basis", "source", "goods", "note", NULL};
	nk_ymap(m, "a sanction");
	nk_ymap_keys(m, "a sanction", keys);
	const nk_ynode *v = nk_yneed(m, "a sanction", "id");
	e->id = nk_ystr(v, "id", 1);
	for (const char *p = e->id; *p; p++)
		if (!(*p >= 'a' && *p <= 'z') && !(*p >= 'A' && *p <= 'Z') &&
		    !(*p >= '0' && *p <= '9') && !strchr("-_.", *p))
			nk_ydie(v, "'id' may hold letters, digits and -_. only: '%s'", e->id);
	e->resolution = (int)nk_yint(nk_yneed(m, "a sanction", "resolution"), "resolution", 1, 99999);
	if ((v = nk_yget(m, "paragraph")))
		e->paragraph = (int)nk_yint(v, "paragraph", 1, 9999);
	e->adopted = ydate(nk_yneed(m, "a sanction", "adopted"), "adopted");
	v = nk_yneed(m, "a sanction", "in_force");
	e->in_force = ydate(v, "in_force");
	if (ymd_cmp(e->in_force, e->adopted) < 0)
		nk_ydie(v, "'in_force' %s is before 'adopted' %s", v->str,
			nk_yget(m, "adopted")->str);
	e->dir = yword(nk_yneed(m, "a sanction", "direction"), "direction", dir_name, ND);
	v = nk_yneed(m, "a sanction", "hs_rev");
	e->hsrev = nk_hsrev_parse(nk_ystr(v, "hs_rev", 1), v->len);
	if (e->hsrev < 0)
		nk_ydie(v, "'hs_rev' must be H0..H6: '%s'", v->str);
	v = nk_yneed(m, "a sanction", "hs");
	nk_strs_load_hs(&e->hs, v, "hs");
	for (size_t i = 0; i < e->hs.n; i++) {
		const nk_ynode *it = v->kind == NK_Y_SEQ ? v->kid[i] : v;
		size_t n = e->hs.len[i];
		if (n != 2 && n != 4 && n != 6)
			nk_ydie(it, "'hs' codes are chapters, headings or subheadings (2, 4 or 6 "
				    "digits): '%s'", e->hs.s[i]);
		int32_t lo = atoi(e->hs.s[i]), span = n == 2 ? 10000 : n == 4 ? 100 : 1;
		if (!nomen_has(N, e->hsrev, lo * span, (lo + 1) * span))
			nk_ydie(it, "'%s' is not a code of H%d (%s)", e->hs.s[i], e->hsrev,
				hs_year[e->hsrev]);
	}
	e->basis = yword(nk_yneed(m, "a sanction", "basis"), "basis", basis_name, NB);
	e->source = nk_ystr(nk_yneed(m, "a sanction", "source"), "source", 1);
	e->goods = ystr_opt(m, "goods");
	e->exceptions = ystr_opt(m, "exceptions");
	e->note = ystr_opt(m, "note");
	e->cap_value = e->cap_tonnes = e->cap_barrels = e->bpt = -1;
	v = nk_yget(m, "cap");
	if (e->dir == D_CAP) {
		if (!v)
			nk_ydie(m, "a sanction of direction 'cap' needs 'cap' (flow, per, and "
				   "value_usd, tonnes or barrels)");
		load_cap(e, v);
	} else {
		if (v)
			nk_ydie(v, "'cap' belongs to a sanction of direction 'cap'");
		e->nkflow = e->dir == D_EXPORT_BAN ? NK_NKFLOW_X : NK_NKFLOW_M;
	}
	e->sel.node = m;
	e->sel.nkflows = e->nkflow;
	e->sel.hs = e->hs;
}

/* Load and check the whole file before the first row is read. */
/* The entries of the loaded file L->doc, each code checked against the
 * nomenclature: `pre` if given (holding at least the revisions the entries
 * name; a fuzz harness loads it once), else the revisions named, loaded
 * here. */
static void sanctions_read(sanctions *L, const nomen *pre)
{
	const nk_ynode *root = L->doc->root;
	if (!root)
		nk_die(1, "%s: empty sanctions file", L->doc->path);
	static const char *const top[] = {"sanctions", NULL};
	nk_ymap(root, "the sanctions file");
	nk_ymap_keys(root, "the sanctions file", top);
	const nk_ynode *seq = nk_yseq(nk_yneed(root, "the sanctions file", "sanctions"),
				      "sanctions");
	if (!seq->n)
		nk_ydie(seq, "'sanctions' is empty");
	if (seq->n > NK_RULES_MAX)
		nk_ydie(seq->kid[NK_RULES_MAX], "more than %d sanctions", NK_RULES_MAX);
	unsigned revs = 0;
	for (size_t i = 0; i < seq->n; i++) {
		const nk_ynode *r = nk_yget(seq->kid[i], "hs_rev");
		int h = r && r->kind == NK_Y_SCALAR ? nk_hsrev_parse(r->str, r->len) : -1;
		revs |= h >= 0 ? 1u << h : 0;
	}
	nomen N = {0};
	if (!pre)
		nomen_load(&N, revs);
	L->n = seq->n;
	L->e = nk_xmalloc(L->n * sizeof *L->e);
	memset(L->e, 0, L->n * sizeof *L->e);
	for (size_t i = 0; i < L->n; i++) {
		load_entry(&L->e[i], seq->kid[i], pre ? pre : &N);
		for (size_t j = 0; j < i; j++)
			if (!strcmp(L->e[j].id, L->e[i].id))
				nk_ydie(nk_yget(seq->kid[i], "id"), "duplicate id '%s' (first at %ld:%ld)",
					L->e[i].id, nk_yget(seq->kid[j], "id")->line,
					nk_yget(seq->kid[j], "id")->col);
	}
	for (int r = 0; r < 7; r++)
		free(N.c[r]);
}

static void sanctions_load(sanctions *L, const char *path)
{
	char *def = path ? NULL : nk_datafile("rules/sanctions.yaml");
	L->doc = nk_ydoc_load(path ? path : def);
	sanctions_read(L, NULL);
	/* the fingerprint partials carry: the same bytes, the same sanctions */
	nk_in *in = nk_in_open(L->doc->path);
	uint64_t h = 0xcbf29ce484222325ULL;
	char buf[65536];
	for (size_t n; (n = nk_in_read(in, buf, sizeof buf));)
		for (size_t i = 0; i < n; i++)
			h = (h ^ (unsigned char)buf[i]) * 0x100000001b3ULL;
	nk_in_close(in);
	snprintf(L->digest, sizeof L->digest, "%016llx", (unsigned long long)h);
	free(def);
}

static void sanctions_free(sanctions *L)
{
	for (size_t i = 0; i < L->n; i++)
		nk_strs_free(&L->e[i].hs);
	free(L->e);
	if (L->doc)
		nk_ydoc_free(L->doc);
}

/* Is the row's code broader than one of the entry's codes (chapter 27
 * against coal 2701)? Such a row holds sanctioned goods and others: it is
 * tagged 'partial', never counted as sanctioned in full. */
static int broader(const sanction *e, nk_str code)
{
	if (!code.n || str_is(code, "TOTAL"))
		return 0;
	const char *one[1] = {code.p};
	size_t len[1] = {code.n};
	char buf[16];
	if (code.n >= sizeof buf)
		return 0;
	memcpy(buf, code.p, code.n);
	buf[code.n] = 0;
	one[0] = buf;
	nk_strs rowcode = {one, len, 1};
	for (size_t i = 0; i < e->hs.n; i++)
		if (e->hs.len[i] > code.n &&
		    nk_strs_prefix(&rowcode, (nk_str){e->hs.s[i], e->hs.len[i]}))
			return 1;
	return 0;
}

/* Where a row falls against the entry's in-force date: an annual row of
 * the year it came into force (or a monthly row of its month) straddles it,
 * unless the date is the first of the period. */
static int part_of(const sanction *e, int year, int month)
{
	ymd f = e->in_force;
	if (year != f.y)
		return year < f.y ? P_BEFORE : P_AFTER;
	if (!month)
		return f.m == 1 && f.d == 1 ? P_AFTER : P_STRADDLE;
	if (month != f.m)
		return month < f.m ? P_BEFORE : P_AFTER;
	return f.d == 1 ? P_AFTER : P_STRADDLE;
}

/* sanction report key: entry + 1 (16 bits), tag, part, measure. */
static uint64_t sanc_sub(size_t e, int tag, int part, int measure)
{
	return (uint64_t)(e + 1) << 5 | (uint64_t)tag << 4 | (uint64_t)part << 2 | (uint64_t)measure;
}
#define SANC_E(sub) ((size_t)((sub) >> 5) - 1)
#define SANC_TAG(sub) ((int)((sub) >> 4 & 1))
#define SANC_PART(sub) ((int)((sub) >> 2 & 3))
#define SANC_M(sub) ((int)((sub) & 3))

/* ------------------------------------------------------------ report keys */

static const char *const stage_name[] = {
	"capital", "intermediate", "consumption", "unclassified", "mixed",
};
enum { NSTAGE = sizeof stage_name / sizeof *stage_name };
static const int code_len[R_N] = {[R_CHAPTER] = 2, [R_HS4] = 4, [R_HS6] = 6};

/* The report key of a value (text as in the stream): 0 for empty ('other'),
 * else the packed key; -1 if the text is not a value of that column. */
static int64_t sub_parse(int rep, const char *p, size_t n)
{
	if (!n)
		return 0;
	switch (rep) {
	case R_SANCTION: { /* ID:tag:part:measure (partials only) */
		char b[256], *f[4];
		if (n >= sizeof b)
			return -1;
		memcpy(b, p, n);
		b[n] = 0;
		f[0] = b;
		for (int i = 1; i < 4; i++) {
			char *c = strchr(f[i - 1], ':');
			if (!c)
				return -1;
			*c = 0;
			f[i] = c + 1;
		}
		int tag = lookup(f[1], tag_name, 2), part = lookup(f[2], part_name, 3);
		int m = lookup(f[3], measure_name, NM);
		for (size_t e = 0; e < SANC.n; e++)
			if (!strcmp(SANC.e[e].id, f[0]) && tag >= 0 && part >= 0 && m >= 0)
				return (int64_t)sanc_sub(e, tag, part, m);
		return -1;
	}
	case R_PARTNER: {
		uint32_t c = nk_iso3(p, n);
		return c == NK_ISO3_BAD ? -1 : (int64_t)c;
	}
	case R_SECTION:
	case R_STAGE: {
		const char *const *names = rep == R_SECTION ? sec_roman : stage_name;
		int nn = rep == R_SECTION ? NSEC : NSTAGE;
		for (int i = 0; i < nn; i++)
			if (strlen(names[i]) == n && !memcmp(names[i], p, n))
				return i + 1;
		return -1;
	}
	case R_CHAPTER:
	case R_HS4:
	case R_HS6: {
		if ((int)n != code_len[rep])
			return -1;
		int64_t v = 0;
		for (size_t i = 0; i < n; i++) {
			if (p[i] < '0' || p[i] > '9')
				return -1;
			v = v * 10 + (p[i] - '0');
		}
		return v + 1;
	}
	}
	return -1;
}

/* The text of a report key ("" for 0) into buf (>= 256 bytes). */
static const char *sub_text(int rep, uint64_t sub, char *buf)
{
	buf[0] = 0;
	if (!sub)
		return buf;
	switch (rep) {
	case R_SANCTION:
		snprintf(buf, 256, "%s:%s:%s:%s", SANC.e[SANC_E(sub)].id, tag_name[SANC_TAG(sub)],
			 part_name[SANC_PART(sub)], measure_name[SANC_M(sub)]);
		return buf;
	case R_PARTNER: return nk_iso3_str((uint32_t)sub, buf);
	case R_SECTION: return sec_roman[sub - 1];
	case R_STAGE: return stage_name[sub - 1];
	case R_CHAPTER:
	case R_HS4:
	case R_HS6:
		snprintf(buf, 16, "%0*llu", code_len[rep], (unsigned long long)(sub - 1));
		return buf;
	}
	return buf;
}

/* Order of report keys in a report: counterparts alphabetically, codes,
 * sections and stages by number; 'other' (0) last. */
static uint64_t sub_order(int rep, uint64_t sub)
{
	if (!sub)
		return UINT64_MAX;
	if (rep == R_PARTNER) /* packed first letter lowest: turn round */
		return (sub & 0xff) << 16 | (sub & 0xff00) | (sub >> 16 & 0xff);
	return sub;
}

/* ------------------------------------------------------------- reading */

enum { C_YEAR, C_FLOW, C_CP, C_SOURCE, C_HS, C_VALUE, C_NBASE };

typedef struct {
	const opts *o;
	nk_tsv *t;
	size_t ix[C_NBASE];
	size_t rcol[R_N];  /* per report: its key column */
	int status, hsrev; /* hs_status, hs_rev columns or -1 */
	int section;	   /* section column or -1 (chapter drill-down) */
	uint64_t section_sub;
	nk_selcols sc;	   /* sanction: the code the selectors match */
	int period, netwgt, qty, qty_unit; /* sanction: columns or -1 */
	const char *last_src; /* the last source met and its number */
	size_t last_srclen, last_srcno;
	char *srcbuf;
} reader;

static void need(reader *R, size_t *ix, int c, const char *col, const char *what)
{
	if (c < 0)
		c = nk_tsv_col(R->t, col);
	if (c < 0)
		nk_die(1, "%s: missing column '%s' (%s)", R->t->file, col, what);
	*ix = (size_t)c;
}

static void reader_cols(reader *R)
{
	int ix[NK_C_N];
	nk_cols_bind(R->t, 0, ix);
	static const int base[C_NBASE] = {
		NK_C_YEAR, NK_C_NK_FLOW, NK_C_COUNTERPART, NK_C_SOURCE, NK_C_HS, NK_C_VALUE_USD,
	};
	for (int i = 0; i < C_NBASE; i++)
		need(R, &R->ix[i], ix[base[i]], nk_col_name[base[i]],
		     "every report needs it: run nk-correct first");
	for (int k = 0; k < R->o->nby; k++) {
		int r = R->o->by[k];
		if (!rep_col[r])
			continue;
		char what[80];
		snprintf(what, sizeof what, "report '%s' needs it%s", rep_name[r],
			 r >= R_SECTION ? ": run nk-normalize-hs first" : "");
		need(R, &R->rcol[r], -1, rep_col[r], what);
	}
	R->status = nk_tsv_col(R->t, "hs_status");
	R->hsrev = ix[NK_C_HS_REV];
	if (R->o->byset & 1u << R_SANCTION) {
		size_t c;
		need(R, &c, ix[NK_C_PERIOD], "period",
		     "report 'sanction' needs it (before and after the in-force date)");
		R->period = (int)c;
		R->netwgt = ix[NK_C_NETWGT_KG];
		R->qty = ix[NK_C_QTY];
		R->qty_unit = ix[NK_C_QTY_UNIT];
		nk_selcols_bind(&R->sc, R->t, 0);
	}
	R->section = -1;
	if (R->o->section) {
		size_t c;
		need(R, &c, -1, "section", "--section needs it: run nk-normalize-hs first");
		R->section = (int)c;
		R->section_sub = (uint64_t)sub_parse(R_SECTION, R->o->section,
						     strlen(R->o->section));
	}
}


/* The level of a commodity code: TOTAL, or digits (1-2 a chapter, 3-4 a
 * heading, 5-6 a subheading: a lost leading zero keeps the level). */
static int code_level(const nk_tsv *t, size_t col)
{
	nk_str s = t->f[col];
	if (str_is(s, "TOTAL"))
		return LV_TOTAL;
	if (s.n == 0 || s.n > 6)
		nk_tsv_die(t, col, "not an HS code (1 to 6 digits, or TOTAL)");
	for (size_t i = 0; i < s.n; i++)
		if (s.p[i] < '0' || s.p[i] > '9')
			nk_tsv_die(t, col, "not an HS code (1 to 6 digits, or TOTAL)");
	return (int)(s.n + 1) / 2;
}

static void add_to(const nk_tsv *t, group *g, nk_dec v)
{
	if (nk_dec_add(g->sum, v, &g->sum) != NK_DEC_OK)
		nk_die_at(t->file, t->line, "value_usd",
			  "the sum leaves the exact range (+-9.2e15)", NULL, 0);
	g->rows++;
}

/* Add a row's value to the sum of `key`; under --level coarsest (a row not
 * added by a rule) to that sum's share of the row's level-check group and
 * level, which resolve_coarsest adds in or leaves out at the end. */
static void addv(const nk_tsv *t, state *S, uint64_t key, nk_dec v)
{
	group *g = gfind(&S->sums, key);
	if (S->cur_fine) {
		uint64_t kidx = (uint64_t)(g - S->sums.g);
		g = gfind(&S->fine, (uint64_t)S->cur_gidx << 33 | (uint64_t)S->cur_lv << 31 | kidx);
	}
	add_to(t, g, v);
}

/* The report key of row field `col`, checked. */
static uint64_t row_sub(const reader *R, int rep, size_t col)
{
	static const char *const what[R_N] = {
		[R_PARTNER] = "not an ISO3 code",
		[R_SECTION] = "not an HS section (I..XXI)",
		[R_CHAPTER] = "not a 2-digit chapter",
		[R_HS4] = "not a 4-digit heading",
		[R_HS6] = "not a 6-digit subheading",
		[R_STAGE] = "not a stage (capital, intermediate, consumption, "
			    "unclassified, mixed)",
	};
	nk_str s = R->t->f[col];
	int64_t sub = sub_parse(rep, s.p, s.n);
	if (sub < 0)
		nk_tsv_die(R->t, col, what[rep]);
	return (uint64_t)sub;
}

/* --by sanction: the entries the row falls under, each adding its value
 * (and its weight, and its quantity in litres, where known) to the entry's
 * sums for the year, full or partial, before or after its in-force date. */
static void tag_row(reader *R, state *S, int year, int flow, int ik, nk_dec v)
{
	const nk_tsv *t = R->t;
	nk_selrow row = {.year = -1, .hsrev = -1};
	row.nkflow = flow == F_X ? NK_NKFLOW_X : NK_NKFLOW_M;
	row.hs = nk_sel_code(&R->sc, t->f);
	int month = nk_row_period(t, (size_t)R->period, year);
	nk_dec kg = 0, l = 0;
	int has_kg = R->netwgt >= 0 && nk_row_num(t, (size_t)R->netwgt, &kg);
	int has_l = R->qty >= 0 && R->qty_unit >= 0 && str_is(t->f[R->qty_unit], "l") &&
		    nk_row_num(t, (size_t)R->qty, &l);
	for (size_t e = 0; e < SANC.n; e++) {
		const sanction *s = &SANC.e[e];
		int tag = nk_sel_match(&s->sel, &row) ? TAG_FULL
			  : row.nkflow == s->nkflow && broader(s, row.hs) ? TAG_PARTIAL : -1;
		if (tag < 0)
			continue;
		int part = part_of(s, year, month);
		addv(t, S, kmake(R_SANCTION, flow, ik, year, sanc_sub(e, tag, part, M_VALUE)), v);
		if (has_kg)
			addv(t, S, kmake(R_SANCTION, flow, ik, year, sanc_sub(e, tag, part, M_KG)), kg);
		if (has_l)
			addv(t, S, kmake(R_SANCTION, flow, ik, year, sanc_sub(e, tag, part, M_LITRES)),
			     l);
	}
}

static void read_row(reader *R, state *S)
{
	const nk_tsv *t = R->t;
	const nk_str *f = t->f;
	int year = nk_row_year(t, R->ix[C_YEAR]);
	int flow = F_UNKNOWN; /* an empty nk_flow: direction not known */
	if (f[R->ix[C_FLOW]].n)
		flow = nk_row_nkflow(t, R->ix[C_FLOW]) == NK_NKFLOW_X ? F_X : F_M;
	nk_dec v;
	int known = nk_row_num(t, R->ix[C_VALUE], &v);
	nk_str src = f[R->ix[C_SOURCE]];
	int added = str_is(src, "rule"), ik = str_is(src, "mou");
	int lv = code_level(t, R->ix[C_HS]);
	uint32_t cp = nk_row_iso3(t, R->ix[C_CP]);
	S->rows++;
	if (!added) {
		if (R->o->level <= LV_HS6 && lv != R->o->level) {
			S->off_level++;
			return;
		}
		if (src.n != R->last_srclen || memcmp(src.p, R->last_src, src.n)) {
			R->last_srcno = source_no(S, src.p, src.n);
			R->last_src = S->src[R->last_srcno];
			R->last_srclen = src.n;
		}
		group *g = gfind(&S->guard, kmake(R_GUARD, flow, 0, year,
						  (uint64_t)R->last_srcno << 24 | cp));
		g->sum |= 1 << lv;
		S->cur_gidx = (size_t)(g - S->guard.g);
		S->cur_lv = lv;
	}
	S->cur_fine = S->coarsest && !added;
	if (!known) {
		S->unknown++;
		return;
	}
	if (S->cur_fine)
		gfind(&S->lvrows, (uint64_t)S->cur_gidx << 2 | (uint64_t)lv)->rows++;
	for (int i = 0; i < R->o->nby; i++) {
		int r = R->o->by[i];
		uint64_t sub = 0;
		if (r == R_SANCTION) {
			if (flow != F_UNKNOWN)
				tag_row(R, S, year, flow, ik, v);
			continue;
		}
		if (r == R_PARTNER)
			sub = cp;
		else if (rep_col[r])
			sub = row_sub(R, r, R->rcol[r]);
		if (r == R_CHAPTER && R->section >= 0 &&
		    row_sub(R, R_SECTION, (size_t)R->section) != R->section_sub)
			continue;
		/* a code checked and not found in its revision is 'other'; one
		 * that could not be checked (no hs_rev, as on rows rules add)
		 * keeps its code */
		if ((r == R_HS4 || r == R_HS6) && R->status >= 0 && R->hsrev >= 0 &&
		    f[R->hsrev].n && str_is(f[R->status], "unknown"))
			sub = 0;
		addv(t, S, kmake(r, flow, ik, year, sub), v);
	}
}

static void read_stream(const opts *o, char **paths, int npaths, state *S)
{
	reader R = {.o = o, .last_src = ""};
	R.t = nk_tsv_open(paths, npaths);
	at_tsv = R.t;
	at_in = NULL;
	reader_cols(&R);
	R.last_srclen = (size_t)-1;
	nk_progress_start(o->co.quiet);
	while (nk_tsv_next(R.t)) {
		read_row(&R, S);
		nk_progress(R.t->rows, nk_tsv_bytes(R.t));
	}
	nk_progress_end();
	nk_tsv_close(R.t);
	at_tsv = NULL;
}

/* ---------------------------------------------------------- level check */

static void levels_text(unsigned mask, char *buf, size_t n)
{
	buf[0] = 0;
	for (int l = 0; l <= LV_HS6; l++)
		if (mask & 1u << l) {
			size_t k = strlen(buf);
			snprintf(buf + k, n - k, "%s%s", k ? "," : "", lv_name[l]);
		}
}

static const char *const flow_letter[3] = {"X", "M", ""};

/* The level check's keys in the order of their text: source, counterpart,
 * year, flow (the same for any row order and any split into partials). */
static const state *sort_state;
static int guard_cmp(const void *a, const void *b)
{
	uint64_t x = (*(const group *const *)a)->key, y = (*(const group *const *)b)->key;
	int c = strcmp(sort_state->src[K_SUB(x) >> 24], sort_state->src[K_SUB(y) >> 24]);
	if (c)
		return c;
	uint64_t cx = sub_order(R_PARTNER, K_SUB(x) & 0xffffff);
	uint64_t cy = sub_order(R_PARTNER, K_SUB(y) & 0xffffff);
	if (cx != cy)
		return cx < cy ? -1 : 1;
	if (K_YEAR(x) != K_YEAR(y))
		return K_YEAR(x) < K_YEAR(y) ? -1 : 1;
	return (K_FLOW(x) > K_FLOW(y)) - (K_FLOW(x) < K_FLOW(y));
}

static const group **guard_sorted(const state *S)
{
	const group **v = nk_xmalloc((S->guard.n + 1) * sizeof *v);
	for (size_t i = 0; i < S->guard.n; i++)
		v[i] = &S->guard.g[i];
	sort_state = S;
	qsort(v, S->guard.n, sizeof *v, guard_cmp);
	return v;
}

/* --level coarsest, at the end: each waiting sum counts if its level is
 * the coarsest of its group; rows of the others are counted as left out.
 * Sums that nothing reached are dropped, so no report shows an empty line
 * for them. */
static void resolve_coarsest(state *S)
{
	for (size_t i = 0; i < S->fine.n; i++) {
		uint64_t k = S->fine.g[i].key;
		uint64_t mask = (uint64_t)S->guard.g[k >> 33].sum;
		if (!mask)
			nk_die(1, "a partial's fine line has no levels line");
		if ((int)(k >> 31 & 3) != __builtin_ctzll(mask))
			continue;
		group *g = &S->sums.g[k & 0x7fffffff];
		if (nk_dec_add(g->sum, S->fine.g[i].sum, &g->sum) != NK_DEC_OK)
			nk_die(1, "a sum leaves the exact range (+-9.2e15)");
		g->rows += S->fine.g[i].rows;
	}
	for (size_t i = 0; i < S->lvrows.n; i++) {
		uint64_t k = S->lvrows.g[i].key;
		uint64_t mask = (uint64_t)S->guard.g[k >> 2].sum;
		if (!mask)
			nk_die(1, "a partial's lvrows line has no levels line");
		if ((int)(k & 3) != __builtin_ctzll(mask))
			S->off_level += S->lvrows.g[i].rows;
	}
	gtab kept = {0};
	for (size_t i = 0; i < S->sums.n; i++)
		if (S->sums.g[i].rows)
			*gfind(&kept, S->sums.g[i].key) = S->sums.g[i];
	free(S->sums.g);
	free(S->sums.slot);
	S->sums = kept;
	free(S->fine.g);
	free(S->fine.slot);
	S->fine = (gtab){0};
	free(S->lvrows.g);
	free(S->lvrows.slot);
	S->lvrows = (gtab){0};
}

/* Several levels in one source, counterpart, year and flow: the first such
 * (in sorted order, so the message is the same for any row order) stops the
 * run. */
static void check_levels(const state *S)
{
	const group **v = guard_sorted(S);
	size_t bad = 0, first = 0;
	for (size_t i = 0; i < S->guard.n; i++) {
		uint64_t m = (uint64_t)v[i]->sum;
		if (m & (m - 1) && !bad++)
			first = i;
	}
	if (bad) {
		uint64_t k = v[first]->key;
		char lv[64], cp[16];
		levels_text((unsigned)v[first]->sum, lv, sizeof lv);
		nk_iso3_str((uint32_t)(K_SUB(k) & 0xffffff), cp);
		const char *fl = flow_letter[K_FLOW(k)];
		nk_die(1, "counterpart '%s', %d, nk_flow '%s', source '%s' has rows at "
			  "several levels (%s): summing them counts the trade twice; pick "
			  "one with --level (%zu counterpart-year-flows so in all)",
		       cp, K_YEAR(k), fl, S->src[K_SUB(k) >> 24], lv, bad);
	}
	free(v);
}

/* ------------------------------------------------------------- partials */

/* A partial is the state as text: a version line, the options that shape
 * the sums, then one line per sum, per level-check key and per counter.
 * Sums are exact, so adding partials gives the sums of one run. */
#define PARTIAL_VERSION "nk-summarize partial 1 (nktrade " NK_VERSION ")"

static void by_text(const opts *o, char *buf, size_t n)
{
	buf[0] = 0;
	for (int i = 0; i < o->nby; i++) {
		size_t k = strlen(buf);
		snprintf(buf + k, n - k, "%s%s", i ? "," : "", rep_name[o->by[i]]);
	}
}

/* Sums by report, year, key (in the report's order), flow, inter-Korean. */
static int sum_cmp(const void *a, const void *b)
{
	uint64_t x = (*(const group *const *)a)->key, y = (*(const group *const *)b)->key;
	if (K_REP(x) != K_REP(y))
		return K_REP(x) < K_REP(y) ? -1 : 1;
	if (K_YEAR(x) != K_YEAR(y))
		return K_YEAR(x) < K_YEAR(y) ? -1 : 1;
	uint64_t ox = sub_order(K_REP(x), K_SUB(x)), oy = sub_order(K_REP(y), K_SUB(y));
	if (ox != oy)
		return ox < oy ? -1 : 1;
	return (x > y) - (x < y);
}

/* --level coarsest's waiting sums and row counts, in the order of their
 * text (sum, then level-check group, then level). */
static int fine_cmp(const void *a, const void *b)
{
	uint64_t x = (*(const group *const *)a)->key, y = (*(const group *const *)b)->key;
	const group *sx = &sort_state->sums.g[x & 0x7fffffff], *sy = &sort_state->sums.g[y & 0x7fffffff];
	int c = sum_cmp(&sx, &sy);
	if (c)
		return c;
	const group *gx = &sort_state->guard.g[x >> 33], *gy = &sort_state->guard.g[y >> 33];
	if ((c = guard_cmp(&gx, &gy)))
		return c;
	return (x > y) - (x < y);
}

static int lvrows_cmp(const void *a, const void *b)
{
	uint64_t x = (*(const group *const *)a)->key, y = (*(const group *const *)b)->key;
	const group *gx = &sort_state->guard.g[x >> 2], *gy = &sort_state->guard.g[y >> 2];
	int c = guard_cmp(&gx, &gy);
	return c ? c : (x > y) - (x < y);
}

static void write_fine(const state *S, nk_out *out)
{
	const group **v = nk_xmalloc((S->fine.n + S->lvrows.n + 1) * sizeof *v);
	sort_state = S;
	for (size_t i = 0; i < S->fine.n; i++)
		v[i] = &S->fine.g[i];
	qsort(v, S->fine.n, sizeof *v, fine_cmp);
	char b[512], kb[256], cp[16];
	for (size_t i = 0; i < S->fine.n; i++) {
		uint64_t fk = v[i]->key, k = S->sums.g[fk & 0x7fffffff].key;
		uint64_t gk = S->guard.g[fk >> 33].key;
		int r = K_REP(k);
		nk_iso3_str((uint32_t)(K_SUB(gk) & 0xffffff), cp);
		snprintf(b, sizeof b, "fine\t%s\t%d\t%s\t%d\t%s\t%s\t%s\t%s\t", rep_name[r],
			 K_YEAR(k), flow_letter[K_FLOW(k)], K_IK(k), sub_text(r, K_SUB(k), kb),
			 S->src[K_SUB(gk) >> 24], cp, lv_name[fk >> 31 & 3]);
		nk_out_cstr(out, b);
		nk_out_dec(out, v[i]->sum);
		nk_out_byte(out, '\t');
		nk_out_int(out, (int64_t)v[i]->rows);
		nk_out_byte(out, '\n');
	}
	for (size_t i = 0; i < S->lvrows.n; i++)
		v[i] = &S->lvrows.g[i];
	qsort(v, S->lvrows.n, sizeof *v, lvrows_cmp);
	for (size_t i = 0; i < S->lvrows.n; i++) {
		uint64_t lk = v[i]->key, gk = S->guard.g[lk >> 2].key;
		nk_iso3_str((uint32_t)(K_SUB(gk) & 0xffffff), cp);
		snprintf(b, sizeof b, "lvrows\t%s\t%s\t%d\t%s\t%s\t%llu\n", S->src[K_SUB(gk) >> 24],
			 cp, K_YEAR(gk), flow_letter[K_FLOW(gk)], lv_name[lk & 3],
			 (unsigned long long)v[i]->rows);
		nk_out_cstr(out, b);
	}
	free(v);
}

static void write_partial(const opts *o, const state *S, nk_out *out)
{
	char b[256];
	nk_out_cstr(out, PARTIAL_VERSION "\n");
	by_text(o, b, sizeof b);
	nk_out_cstr(out, "option\tby\t");
	nk_out_cstr(out, b);
	nk_out_cstr(out, "\noption\tlevel\t");
	nk_out_cstr(out, lv_name[o->level]);
	nk_out_cstr(out, "\noption\tsection\t");
	nk_out_cstr(out, o->section ? o->section : "");
	nk_out_cstr(out, "\n");
	if (SANC.n) {
		nk_out_cstr(out, "option\tsanctions\t");
		nk_out_cstr(out, SANC.digest);
		nk_out_cstr(out, "\n");
	}
	const group **v = nk_xmalloc((S->sums.n + 1) * sizeof *v);
	for (size_t i = 0; i < S->sums.n; i++)
		v[i] = &S->sums.g[i];
	qsort(v, S->sums.n, sizeof *v, sum_cmp);
	for (size_t i = 0; i < S->sums.n; i++) {
		uint64_t k = v[i]->key;
		int r = K_REP(k);
		char kb[256];
		if (!v[i]->rows) /* made for --level coarsest's waiting sums only */
			continue;
		snprintf(b, sizeof b, "sum\t%s\t%d\t%s\t%d\t%s\t", rep_name[r], K_YEAR(k),
			 flow_letter[K_FLOW(k)], K_IK(k), sub_text(r, K_SUB(k), kb));
		nk_out_cstr(out, b);
		nk_out_dec(out, v[i]->sum);
		nk_out_byte(out, '\t');
		nk_out_int(out, (int64_t)v[i]->rows);
		nk_out_byte(out, '\n');
	}
	free(v);
	v = guard_sorted(S);
	for (size_t i = 0; i < S->guard.n; i++) {
		uint64_t k = v[i]->key;
		char cp[16], lv[64];
		nk_iso3_str((uint32_t)(K_SUB(k) & 0xffffff), cp);
		levels_text((unsigned)v[i]->sum, lv, sizeof lv);
		nk_out_cstr(out, "levels\t");
		nk_out_cstr(out, S->src[K_SUB(k) >> 24]);
		snprintf(b, sizeof b, "\t%s\t%d\t%s\t%s\n", cp, K_YEAR(k),
			 flow_letter[K_FLOW(k)], lv);
		nk_out_cstr(out, b);
	}
	free(v);
	if (S->coarsest)
		write_fine(S, out);
	snprintf(b, sizeof b, "count\trows\t%llu\ncount\tunknown_value\t%llu\n"
			      "count\toff_level\t%llu\n",
		 (unsigned long long)S->rows, (unsigned long long)S->unknown,
		 (unsigned long long)S->off_level);
	nk_out_cstr(out, b);
}

/* Split a partial's line on TABs into at most `max` fields; returns the
 * count (max + 1 if there are more). */
static size_t split(char *p, size_t n, nk_str *f, size_t max)
{
	size_t k = 0;
	const char *s = p, *e = p + n;
	for (;;) {
		const char *t = memchr(s, '\t', (size_t)(e - s));
		if (k == max)
			return max + 1;
		f[k++] = (nk_str){s, (size_t)((t ? t : e) - s)};
		if (!t)
			return k;
		s = t + 1;
	}
}

static int parse_u64(nk_str s, uint64_t *v)
{
	int64_t x;
	if (nk_int_parse(s.p, s.n, &x) || x < 0)
		return 0;
	*v = (uint64_t)x;
	return 1;
}

static int lookup_n(nk_str s, const char *const *names, int n)
{
	for (int i = 0; i < n; i++)
		if (str_is(s, names[i]))
			return i;
	return -1;
}

/* A partial's FLOW field: X, M, empty (unknown direction); -1 otherwise. */
static int partial_flow(nk_str s)
{
	return s.n == 0 ? F_UNKNOWN : str_is(s, "X") ? F_X : str_is(s, "M") ? F_M : -1;
}

/* The sum key of partial fields REPORT YEAR FLOW IK KEY; 0 if they are not
 * one of this run's reports. */
static int sum_key(const opts *o, const nk_str *f, uint64_t *key)
{
	int r = -1;
	for (int i = 0; i < o->nby; i++)
		if (str_is(f[0], rep_name[o->by[i]]))
			r = o->by[i];
	int y = nk_year_parse(f[1].p, f[1].n);
	int fl = partial_flow(f[2]);
	int64_t sub = r < 0				? -1
		      : rep_col[r] || r == R_SANCTION	? sub_parse(r, f[4].p, f[4].n)
		      : f[4].n				? -1
							: 0;
	if (r < 0 || y < 0 || fl < 0 || !(str_is(f[3], "0") || str_is(f[3], "1")) || sub < 0)
		return 0;
	*key = kmake(r, fl, f[3].p[0] == '1', y, (uint64_t)sub);
	return 1;
}

/* Read one partial into S. The first one sets the options (o->by, level,
 * section unless given on the command line); every other must agree. */
static void read_partial(opts *o, state *S, const char *path, int first, char *by0)
{
	nk_in *in = at_in = nk_in_open(path);
	at_tsv = NULL;
	const char *name = nk_in_name(in);
	const char *line;
	size_t len;
	nk_str f[12];
	char b[512];
#define PDIE(...)                                                                   \
	do {                                                                        \
		snprintf(b, sizeof b, __VA_ARGS__);                                 \
		nk_die_at(name, nk_in_lineno(in), NULL, b, NULL, 0);                 \
	} while (0)
	if (!nk_in_line(in, &line, &len) || len != strlen(PARTIAL_VERSION) ||
	    memcmp(line, PARTIAL_VERSION, len)) {
		if (len > 13 && !memcmp(line, "nk-summarize ", 13))
			PDIE("a partial of another version (this is '%s')", PARTIAL_VERSION);
		PDIE("not an nk-summarize partial (no '%s' line): give --merge the "
		     "files of --partial", PARTIAL_VERSION);
	}
	/* by, level, section; then sanctions, written only for --by sanction
	 * (a line that is not it is the first data line: `pending`) */
	static const char *const optname[] = {"by", "level", "section", "sanctions"};
	int pending = 0;
	for (int i = 0; i < 4; i++) {
		char *mline;
		if (!nk_in_line(in, &line, &len)) {
			if (i == 3 && !(o->byset & 1u << R_SANCTION))
				break;
			PDIE("cut short: no option '%s'", optname[i]);
		}
		mline = nk_xmalloc(len + 1);
		memcpy(mline, line, len);
		mline[len] = 0;
		size_t nf = split(mline, len, f, 3);
		if (nf != 3 || !str_is(f[0], "option") || !str_is(f[1], optname[i])) {
			free(mline);
			if (i == 3 && !(o->byset & 1u << R_SANCTION)) {
				pending = 1;
				break;
			}
			PDIE("expected the line 'option TAB %s TAB ...'", optname[i]);
		}
		char v[128];
		snprintf(v, sizeof v, "%.*s", (int)f[2].n, f[2].p);
		free(mline);
		if (i == 0) {
			if (first && !o->nby) {
				char w[128];
				memcpy(w, v, sizeof w);
				for (char *t = strtok(w, ","); t; t = strtok(NULL, ",")) {
					int r = lookup(t, rep_name, R_N);
					if (r < 0 || o->byset & 1u << r)
						PDIE("not a report set: '%s'", v);
					o->by[o->nby++] = r;
					o->byset |= 1u << r;
				}
			}
			if (first)
				by_text(o, by0, 128);
			if (strcmp(v, by0))
				PDIE("a partial of --by %s, not of --by %s: made with another "
				     "report set", v, by0);
		} else if (i == 1) {
			int l = lookup(v, lv_name, LV_ANY + 1);
			if (first && o->level == LV_ANY && l >= 0)
				o->level = l;
			if (l != o->level)
				PDIE("a partial made with --level %s, not %s", v, lv_name[o->level]);
		} else if (i == 3) {
			if (first && o->byset & 1u << R_SANCTION && !SANC.n)
				sanctions_load(&SANC, o->sanctions);
			if (strcmp(v, SANC.n ? SANC.digest : ""))
				PDIE("a partial made with another sanctions file (fingerprint '%s', "
				     "this one '%s')", v, SANC.n ? SANC.digest : "");
		} else {
			if (first && !o->section && *v) {
				int s = lookup(v, sec_roman, NSEC);
				if (s < 0)
					PDIE("not a section: '%s'", v);
				o->section = sec_roman[s];
			}
			if (strcmp(v, o->section ? o->section : ""))
				PDIE("a partial made with --section '%s', not '%s'", v,
				     o->section ? o->section : "");
		}
	}
	S->coarsest = o->level == LV_COARSEST;
	char *buf = NULL;
	size_t cap = 0;
	while (pending || nk_in_line(in, &line, &len)) {
		pending = 0; /* line is still the one the option loop read */
		if (len + 1 > cap)
			buf = nk_xrealloc(buf, cap = len + 1);
		memcpy(buf, line, len);
		size_t nf = split(buf, len, f, 11);
		if (str_is(f[0], "sum") || str_is(f[0], "fine")) {
			/* sum REPORT YEAR FLOW IK KEY VALUE ROWS; fine adds SOURCE
			 * COUNTERPART LEVEL before VALUE (--level coarsest) */
			int fine = f[0].p[0] == 'f';
			size_t iv = fine ? 9 : 6;
			uint64_t key;
			nk_dec v;
			uint64_t rows;
			/* the count first: past nf, f[] holds views of an earlier
			 * line, into a buffer realloc may have freed */
			if (nf != iv + 2 || !sum_key(o, f + 1, &key) ||
			    nk_num_parse(f[iv].p, f[iv].n, &v) != NK_DEC_OK || !parse_u64(f[iv + 1], &rows))
				PDIE("not a %s line of this partial's reports", fine ? "fine" : "sum");
			group *g = gfind(&S->sums, key);
			if (fine) {
				uint32_t cp = nk_iso3(f[7].p, f[7].n);
				int l = lookup_n(f[8], lv_name, LV_HS6 + 1);
				if (!S->coarsest || cp == NK_ISO3_BAD || l < 0)
					PDIE("not a fine line of a --level coarsest partial");
				size_t sn = source_no(S, f[6].p, f[6].n);
				group *gg = gfind(&S->guard, kmake(R_GUARD, K_FLOW(key), 0, K_YEAR(key),
								   (uint64_t)sn << 24 | cp));
				uint64_t kidx = (uint64_t)(g - S->sums.g);
				g = gfind(&S->fine, (uint64_t)(gg - S->guard.g) << 33 | (uint64_t)l << 31 | kidx);
			}
			if (nk_dec_add(g->sum, v, &g->sum) != NK_DEC_OK)
				PDIE("the sum leaves the exact range (+-9.2e15)");
			g->rows += rows;
		} else if (str_is(f[0], "lvrows")) {
			/* lvrows SOURCE COUNTERPART YEAR FLOW LEVEL ROWS; past nf, f[]
			 * holds views of an earlier line: count first */
			if (nf != 7)
				PDIE("not an lvrows line of a --level coarsest partial");
			int y = nk_year_parse(f[3].p, f[3].n);
			int fl = partial_flow(f[4]);
			uint32_t cp = nk_iso3(f[2].p, f[2].n);
			int l = lookup_n(f[5], lv_name, LV_HS6 + 1);
			uint64_t rows;
			if (!S->coarsest || y < 0 || fl < 0 || cp == NK_ISO3_BAD || l < 0 ||
			    !parse_u64(f[6], &rows))
				PDIE("not an lvrows line of a --level coarsest partial");
			size_t sn = source_no(S, f[1].p, f[1].n);
			group *gg = gfind(&S->guard, kmake(R_GUARD, fl, 0, y, (uint64_t)sn << 24 | cp));
			gfind(&S->lvrows, (uint64_t)(gg - S->guard.g) << 2 | (uint64_t)l)->rows += rows;
		} else if (str_is(f[0], "levels")) {
			if (nf != 6)
				PDIE("not a levels line");
			int y = nk_year_parse(f[3].p, f[3].n);
			int fl = partial_flow(f[4]);
			uint32_t cp = nk_iso3(f[2].p, f[2].n);
			unsigned mask = 0;
			char lv[64];
			if (f[5].n >= sizeof lv) /* not cut: what is past the cut is unread */
				PDIE("not a levels line");
			snprintf(lv, sizeof lv, "%.*s", (int)f[5].n, f[5].p);
			for (char *t = strtok(lv, ","); t; t = strtok(NULL, ",")) {
				int l = lookup(t, lv_name, LV_HS6 + 1);
				mask |= l < 0 ? 1u << 31 : 1u << l;
			}
			if (y < 0 || fl < 0 || cp == NK_ISO3_BAD || !mask || mask >> 31)
				PDIE("not a levels line");
			size_t sn = source_no(S, f[1].p, f[1].n);
			gfind(&S->guard, kmake(R_GUARD, fl, 0, y, (uint64_t)sn << 24 | cp))->sum |=
				mask;
		} else if (str_is(f[0], "count")) {
			if (nf != 3)
				PDIE("not a count line");
			uint64_t v, *c = str_is(f[1], "rows") ? &S->rows
				       : str_is(f[1], "unknown_value") ? &S->unknown
				       : str_is(f[1], "off_level") ? &S->off_level : NULL;
			if (!c || !parse_u64(f[2], &v))
				PDIE("not a count line");
			*c += v;
		} else {
			PDIE("not a line of a partial (sum, levels or count)");
		}
	}
#undef PDIE
	free(buf);
	nk_in_close(in);
	at_in = NULL;
}

static void read_partials(opts *o, char **paths, int n, state *S)
{
	char by0[128];
	for (int i = 0; i < n; i++)
		nk_in_check(paths[i]);
	for (int i = 0; i < n; i++)
		read_partial(o, S, paths[i], i == 0, by0);
}

/* ---------------------------------------------------------------- tables */

/* A report as text cells, then written in the format asked. */
typedef struct {
	const char *name;
	size_t ncol;
	const char *const *col;
	const unsigned char *num; /* per column: 1 numeric (JSON number) */
	char **cell;		  /* nrow * ncol, owned */
	size_t nrow, cap;
} table;

static void trow(table *T, char **cells)
{
	if (T->nrow == T->cap) {
		T->cap = T->cap ? T->cap * 2 : 64;
		T->cell = nk_xrealloc(T->cell, T->cap * T->ncol * sizeof *T->cell);
	}
	memcpy(T->cell + T->nrow * T->ncol, cells, T->ncol * sizeof *cells);
	T->nrow++;
}

static void tfree(table *T)
{
	for (size_t i = 0; i < T->nrow * T->ncol; i++)
		free(T->cell[i]);
	free(T->cell);
}

static char *dec_text(nk_dec v)
{
	char b[32];
	nk_dec_fmt(v, b);
	return nk_xstrdup(b);
}

static char *int_text(long long v)
{
	char b[32];
	snprintf(b, sizeof b, "%lld", v);
	return nk_xstrdup(b);
}

/* 100 * num / den with 2 decimals, rounded half to even; "" if den is 0. */
static char *pct_text(nk_dec num, nk_dec den)
{
	if (den == 0)
		return nk_xstrdup("");
	__int128 a = (__int128)num * 10000, d = den;
	int neg = (a < 0) != (d < 0);
	if (a < 0)
		a = -a;
	if (d < 0)
		d = -d;
	__int128 q = a / d, r = a % d;
	if (2 * r > d || (2 * r == d && (q & 1)))
		q++;
	char b[64];
	unsigned long long u = (unsigned long long)q;
	snprintf(b, sizeof b, "%s%llu.%02llu", neg && q ? "-" : "", u / 100, u % 100);
	return nk_xstrdup(b);
}

/* A sum's text, or empty where no row went into it (unknown, not 0). */
static char *dec_or_empty(int known, nk_dec v)
{
	return known ? dec_text(v) : nk_xstrdup("");
}

static nk_dec dadd(nk_dec a, nk_dec b)
{
	nk_dec r;
	if (nk_dec_add(a, b, &r) != NK_DEC_OK)
		nk_die(1, "a report total leaves the exact range (+-9.2e15)");
	return r;
}

static const char *const flow_name[3] = {"exports", "imports", "total"};

/* The sums of report `rep` sorted by year, then key (in the report's
 * order), flow, inter-Korean. */
static int sort_rep;
static int gcmp(const void *a, const void *b)
{
	uint64_t x = (*(const group *const *)a)->key, y = (*(const group *const *)b)->key;
	if (K_YEAR(x) != K_YEAR(y))
		return K_YEAR(x) < K_YEAR(y) ? -1 : 1;
	uint64_t ox = sub_order(sort_rep, K_SUB(x)), oy = sub_order(sort_rep, K_SUB(y));
	if (ox != oy)
		return ox < oy ? -1 : 1;
	return (x > y) - (x < y);
}

static const group **groups_of(const gtab *t, int rep, size_t *n)
{
	const group **v = nk_xmalloc((t->n + 1) * sizeof *v);
	*n = 0;
	for (size_t i = 0; i < t->n; i++)
		if (K_REP(t->g[i].key) == rep)
			v[(*n)++] = &t->g[i];
	sort_rep = rep;
	qsort(v, *n, sizeof *v, gcmp);
	return v;
}

/* Which data sets a report's year holds. A figure is a sum over rows; where
 * no row went into it, it is unknown (an empty cell), never 0. Two data sets
 * meet in a year: the partners' mirror rows (with the rows rules add), and
 * MOU's inter-Korean rows (source mou). A year without partner rows of a
 * flow has that flow unknown (the shipped data hold no DPRK exports for
 * 2018-2020). Where the stream holds inter-Korean rows for some year, a
 * year without any is a gap in that data set (MOU published nothing), so
 * every figure that includes inter-Korean trade is unknown that year; a
 * stream without any (nk-merge-interkorean not run) has no such gap. */
typedef struct {
	int part[2]; /* partner rows of exports, imports */
	int ik;	     /* inter-Korean rows */
} cover;

static int stream_has_ik(const group *const *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (K_IK(v[i]->key))
			return 1;
	return 0;
}

/* The coverage of the year of v[i] (v sorted by year first). */
static cover year_cover(const group *const *v, size_t i, size_t n)
{
	cover c = {{0, 0}, 0};
	int y = K_YEAR(v[i]->key);
	for (; i < n && K_YEAR(v[i]->key) == y; i++) {
		uint64_t k = v[i]->key;
		if (!v[i]->rows)
			continue;
		if (K_IK(k))
			c.ik = 1;
		else if (K_FLOW(k) != F_UNKNOWN)
			c.part[K_FLOW(k)] = 1;
	}
	return c;
}

/* Is the year's total of flow f (exports, imports, total) known, with
 * inter-Korean trade (ik 1) or without (0)? */
static int flow_known(cover c, int ik_in, int f, int with_ik)
{
	int p = f == 2 ? c.part[F_X] && c.part[F_M] : c.part[f];
	return p && (!with_ik || c.ik || !ik_in);
}

static char *pct_or_empty(int known, nk_dec num, nk_dec den)
{
	return known ? pct_text(num, den) : nk_xstrdup("");
}

/* year: one line per year. Trade of unknown direction (an empty nk_flow,
 * MOU years with totals only) is in total, not in exports or imports.
 * Each figure is empty where a sum it needs has no rows (see cover). */
static void table_year(const state *S, table *T)
{
	static const char *const col[] = {
		"year", "exports", "imports", "total", "balance", "deficit_pct", "yoy_pct",
		"interkorean", "interkorean_pct", "exports_excl_ik", "imports_excl_ik",
		"total_excl_ik", "balance_excl_ik", "deficit_pct_excl_ik", "yoy_pct_excl_ik",
		"unknown_flow",
	};
	enum { NC = sizeof col / sizeof *col };
	static const unsigned char num[NC] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
	*T = (table){.name = "year", .ncol = NC, .col = col, .num = num};
	size_t n;
	const group **v = groups_of(&S->sums, R_YEAR, &n);
	int ik_in = stream_has_ik(v, n);
	int prev_year = 0, prev_known[2] = {0, 0};
	nk_dec prev[2] = {0, 0};
	for (size_t i = 0; i < n;) {
		int y = K_YEAR(v[i]->key);
		cover cv = year_cover(v, i, n);
		nk_dec s[3][2] = {{0, 0}, {0, 0}, {0, 0}}; /* [flow][ik] */
		uint64_t r[3][2] = {{0, 0}, {0, 0}, {0, 0}};
		for (; i < n && K_YEAR(v[i]->key) == y; i++) {
			s[K_FLOW(v[i]->key)][K_IK(v[i]->key)] = v[i]->sum;
			r[K_FLOW(v[i]->key)][K_IK(v[i]->key)] = v[i]->rows;
		}
		nk_dec ex = dadd(s[F_X][0], s[F_X][1]), im = dadd(s[F_M][0], s[F_M][1]);
		nk_dec unk = dadd(s[F_UNKNOWN][0], s[F_UNKNOWN][1]);
		nk_dec tot = dadd(dadd(ex, im), unk);
		nk_dec ik = dadd(dadd(s[F_X][1], s[F_M][1]), s[F_UNKNOWN][1]);
		nk_dec tot0 = dadd(dadd(s[F_X][0], s[F_M][0]), s[F_UNKNOWN][0]);
		int kex = flow_known(cv, ik_in, F_X, 1), kim = flow_known(cv, ik_in, F_M, 1);
		int ktot = kex && kim;
		int kex0 = cv.part[F_X], kim0 = cv.part[F_M], ktot0 = kex0 && kim0;
		int yoy = prev_year == y - 1;
		char *c[NC] = {
			int_text(y),
			dec_or_empty(kex, ex),
			dec_or_empty(kim, im),
			dec_or_empty(ktot, tot),
			dec_or_empty(ktot, dadd(ex, -im)),
			pct_or_empty(ktot, dadd(im, -ex), ex),
			pct_or_empty(ktot && yoy && prev_known[0], dadd(tot, -prev[0]), prev[0]),
			dec_or_empty(cv.ik, ik),
			pct_or_empty(cv.ik && ktot, ik, tot),
			dec_or_empty(kex0, s[F_X][0]),
			dec_or_empty(kim0, s[F_M][0]),
			dec_or_empty(ktot0, tot0),
			dec_or_empty(ktot0, dadd(s[F_X][0], -s[F_M][0])),
			pct_or_empty(ktot0, dadd(s[F_M][0], -s[F_X][0]), s[F_X][0]),
			pct_or_empty(ktot0 && yoy && prev_known[1], dadd(tot0, -prev[1]), prev[1]),
			dec_or_empty(r[F_UNKNOWN][0] + r[F_UNKNOWN][1] > 0, unk),
		};
		trow(T, c);
		prev_year = y;
		prev[0] = tot;
		prev[1] = tot0;
		prev_known[0] = ktot;
		prev_known[1] = ktot0;
	}
	free(v);
}

/* partner: per year and flow (exports, imports, total), counterparts by
 * value (largest first, then by code), --top N then 'other'. */
typedef struct {
	uint64_t sub;
	nk_dec v[3][2];	 /* [exports, imports, total][ik] */
	uint64_t r[3][2]; /* their rows: 0 is an unknown sum, not 0 */
	unsigned has;	 /* flows present */
} cpart;

static int cp_flow; /* for cpcmp */
static int cpcmp(const void *a, const void *b)
{
	const cpart *x = a, *y = b;
	nk_dec vx = dadd(x->v[cp_flow][0], x->v[cp_flow][1]);
	nk_dec vy = dadd(y->v[cp_flow][0], y->v[cp_flow][1]);
	if (vx != vy)
		return vx > vy ? -1 : 1;
	uint64_t ox = sub_order(R_PARTNER, x->sub), oy = sub_order(R_PARTNER, y->sub);
	return (ox > oy) - (ox < oy);
}

/* Fold a year's sums of one key: [flow][ik] with unknown-direction trade
 * in total only. */
static void fold(const group *const *v, size_t *i, size_t n, nk_dec out[3][2],
		 uint64_t rows[3][2], unsigned *has)
{
	uint64_t k0 = v[*i]->key;
	for (; *i < n && K_YEAR(v[*i]->key) == K_YEAR(k0) &&
	       K_SUB(v[*i]->key) == K_SUB(k0); (*i)++) {
		uint64_t k = v[*i]->key;
		int fl = K_FLOW(k), ik = K_IK(k);
		if (fl != F_UNKNOWN) {
			out[fl][ik] = dadd(out[fl][ik], v[*i]->sum);
			rows[fl][ik] += v[*i]->rows;
			*has |= 1u << fl;
		}
		out[2][ik] = dadd(out[2][ik], v[*i]->sum);
		rows[2][ik] += v[*i]->rows;
		*has |= 4u;
	}
}

static void table_partner(const state *S, const opts *o, table *T)
{
	static const char *const col[] = {
		"year", "flow", "rank", "counterpart", "value_usd", "share_pct",
		"value_excl_ik", "share_excl_ik_pct",
	};
	static const unsigned char num[] = {1, 0, 1, 0, 1, 1, 1, 1};
	*T = (table){.name = "partner", .ncol = 8, .col = col, .num = num};
	size_t n;
	const group **v = groups_of(&S->sums, R_PARTNER, &n);
	int ik_in = stream_has_ik(v, n);
	cpart *cp = nk_xmalloc((n + 1) * sizeof *cp);
	for (size_t i = 0; i < n;) {
		int y = K_YEAR(v[i]->key);
		cover cv = year_cover(v, i, n);
		size_t m = 0;
		for (; i < n && K_YEAR(v[i]->key) == y; m++) {
			cp[m] = (cpart){.sub = K_SUB(v[i]->key)};
			fold(v, &i, n, cp[m].v, cp[m].r, &cp[m].has);
		}
		for (int f = 0; f < 3; f++) {
			nk_dec tot[2] = {0, 0};
			for (size_t j = 0; j < m; j++)
				for (int ik = 0; ik < 2; ik++)
					tot[ik] = dadd(tot[ik], cp[j].v[f][ik]);
			nk_dec all = dadd(tot[0], tot[1]);
			/* the shares' bases: the year's flow with and without
			 * inter-Korean trade, where known */
			int kall = flow_known(cv, ik_in, f, 1), kall0 = flow_known(cv, ik_in, f, 0);
			/* a counterpart's total of partner rows needs both of the
			 * year's flows known, as the year table's total does; its
			 * inter-Korean rows are MOU's own totals */
			int kpart = f != 2 || (cv.part[F_X] && cv.part[F_M]);
			cp_flow = f;
			qsort(cp, m, sizeof *cp, cpcmp);
			long rank = 0;
			nk_dec rest[2] = {0, 0};
			uint64_t rrows[2] = {0, 0};
			for (size_t j = 0; j < m; j++) {
				if (!(cp[j].has & 1u << f))
					continue;
				nk_dec val = dadd(cp[j].v[f][0], cp[j].v[f][1]);
				if (o->top && rank >= o->top) {
					for (int ik = 0; ik < 2; ik++) {
						rest[ik] = dadd(rest[ik], cp[j].v[f][ik]);
						rrows[ik] += cp[j].r[f][ik];
					}
					continue;
				}
				rank++;
				int k0 = cp[j].r[f][0] > 0 && kpart;
				int k = k0 || (!cp[j].r[f][0] && cp[j].r[f][1] > 0);
				char kb[256];
				char *c[8] = {
					int_text(y),
					nk_xstrdup(flow_name[f]),
					int_text(rank),
					nk_xstrdup(sub_text(R_PARTNER, cp[j].sub, kb)),
					dec_or_empty(k, val),
					pct_or_empty(k && kall, val, all),
					dec_or_empty(k0, cp[j].v[f][0]),
					pct_or_empty(k0 && kall0, cp[j].v[f][0], tot[0]),
				};
				trow(T, c);
			}
			if (o->top) {
				nk_dec val = dadd(rest[0], rest[1]);
				int k0 = rrows[0] > 0 && kpart;
				int k = k0 || (!rrows[0] && rrows[1] > 0);
				char *c[8] = {
					int_text(y),
					nk_xstrdup(flow_name[f]),
					nk_xstrdup(""),
					nk_xstrdup("other"),
					dec_or_empty(k, val),
					pct_or_empty(k && kall, val, all),
					dec_or_empty(k0, rest[0]),
					pct_or_empty(k0 && kall0, rest[0], tot[0]),
				};
				trow(T, c);
			}
		}
	}
	free(cp);
	free(v);
}

/* section, chapter, hs4, hs6, stage: per year and flow, one line per key
 * and an 'other' line (empty if no row; not in a --section drill-down), so the
 * lines add up to the year's total. */
static void table_dim(const state *S, const opts *o, int rep, table *T)
{
	static const char *col[R_N][5];
	static const unsigned char num[] = {1, 0, 0, 1, 1};
	col[rep][0] = "year";
	col[rep][1] = "flow";
	col[rep][2] = rep == R_CHAPTER ? "chapter" : rep_name[rep];
	col[rep][3] = "value_usd";
	col[rep][4] = "share_pct";
	*T = (table){.name = rep_name[rep], .ncol = 5, .col = col[rep], .num = num};
	size_t n;
	const group **v = groups_of(&S->sums, rep, &n);
	int ik_in = stream_has_ik(v, n);
	cpart *dk = nk_xmalloc((n + 2) * sizeof *dk);
	for (size_t i = 0; i < n;) {
		int y = K_YEAR(v[i]->key);
		cover cv = year_cover(v, i, n);
		size_t m = 0;
		for (; i < n && K_YEAR(v[i]->key) == y; m++) {
			dk[m] = (cpart){.sub = K_SUB(v[i]->key)};
			fold(v, &i, n, dk[m].v, dk[m].r, &dk[m].has);
		}
		if ((!m || dk[m - 1].sub) && !(rep == R_CHAPTER && o->section))
			dk[m++] = (cpart){.sub = 0, .has = 7}; /* 'other' sorts last */
		for (int f = 0; f < 3; f++) {
			nk_dec tot = 0;
			for (size_t j = 0; j < m; j++)
				tot = dadd(tot, dadd(dk[j].v[f][0], dk[j].v[f][1]));
			int ktot = flow_known(cv, ik_in, f, 1);
			for (size_t j = 0; j < m; j++) {
				if (!(dk[j].has & 1u << f) && dk[j].sub)
					continue;
				nk_dec val = dadd(dk[j].v[f][0], dk[j].v[f][1]);
				int k = dk[j].r[f][0] + dk[j].r[f][1] > 0;
				char kb[256];
				char *c[5] = {
					int_text(y),
					nk_xstrdup(flow_name[f]),
					nk_xstrdup(dk[j].sub ? sub_text(rep, dk[j].sub, kb) : "other"),
					dec_or_empty(k, val),
					pct_or_empty(k && ktot, val, tot),
				};
				trow(T, c);
			}
		}
	}
	free(dk);
	free(v);
}

/* sanction: per entry (in file order), year, tag (full, partial) and part
 * (before, straddle, after its in-force date): the value, the weight in
 * tonnes and barrels where known, and for a cap entry in a year wholly
 * under its cap, the use of the cap. */
static int sanc_cmp(const void *a, const void *b)
{
	uint64_t x = (*(const group *const *)a)->key, y = (*(const group *const *)b)->key;
	uint64_t sx = K_SUB(x) >> 2, sy = K_SUB(y) >> 2; /* entry, tag, part */
	if (SANC_E(K_SUB(x)) != SANC_E(K_SUB(y)))
		return SANC_E(K_SUB(x)) < SANC_E(K_SUB(y)) ? -1 : 1;
	if (K_YEAR(x) != K_YEAR(y))
		return K_YEAR(x) < K_YEAR(y) ? -1 : 1;
	if (sx != sy)
		return sx < sy ? -1 : 1;
	return (x > y) - (x < y);
}

#define LITRES_PER_BARREL_E9 158987294928LL /* 158.987294928 l, in 1e-9 l */

static void table_sanction(const state *S, table *T)
{
	static const char *const col[] = {
		"year", "id", "resolution", "paragraph", "direction", "basis", "tag", "part",
		"value_usd", "rows", "netwgt_kg", "netwgt_rows", "tonnes", "barrels",
		"barrels_rows", "cap_value_usd",
		"cap_value_pct", "cap_tonnes", "cap_tonnes_pct", "cap_barrels",
		"cap_barrels_pct", "barrels_per_tonne",
	};
	enum { NC = sizeof col / sizeof *col };
	static const unsigned char num[NC] = {1, 0, 1, 1, 0, 0, 0, 0, 1, 1, 1,
					      1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
	*T = (table){.name = "sanction", .ncol = NC, .col = col, .num = num};
	const group **v = nk_xmalloc((S->sums.n + 1) * sizeof *v);
	size_t n = 0;
	for (size_t i = 0; i < S->sums.n; i++)
		if (K_REP(S->sums.g[i].key) == R_SANCTION)
			v[n++] = &S->sums.g[i];
	qsort(v, n, sizeof *v, sanc_cmp);
	for (size_t i = 0; i < n;) {
		uint64_t k0 = v[i]->key;
		const sanction *e = &SANC.e[SANC_E(K_SUB(k0))];
		int y = K_YEAR(k0), tag = SANC_TAG(K_SUB(k0)), part = SANC_PART(K_SUB(k0));
		nk_dec m[NM] = {0, 0, 0};
		int has[NM] = {0, 0, 0};
		uint64_t rows[NM] = {0, 0, 0};
		for (; i < n && K_YEAR(v[i]->key) == y && K_SUB(v[i]->key) >> 2 == K_SUB(k0) >> 2;
		     i++) {
			int mm = SANC_M(K_SUB(v[i]->key));
			m[mm] = dadd(m[mm], v[i]->sum);
			has[mm] = 1;
			rows[mm] += v[i]->rows;
		}
		nk_dec tonnes = 0, barrels = 0;
		int has_t = has[M_KG] && nk_dec_div(m[M_KG], 1000 * NK_DEC_ONE, &tonnes) == NK_DEC_OK;
		int has_b = 0;
		uint64_t brows = 0;
		if (has_t && e->bpt > 0) {
			has_b = nk_dec_mul(tonnes, e->bpt, &barrels) == NK_DEC_OK;
			brows = rows[M_KG];
		} else if (has[M_LITRES]) {
			brows = rows[M_LITRES];
			__int128 q = (__int128)m[M_LITRES] * 1000000000, d = LITRES_PER_BARREL_E9;
			__int128 b = q / d, r = q % d;
			if (r < 0)
				r = -r;
			if (2 * r > d || (2 * r == d && (b & 1)))
				b += q < 0 ? -1 : 1;
			barrels = (nk_dec)b;
			has_b = 1;
		}
		ymd f = e->cap_from;
		int cap = e->has_cap && tag == TAG_FULL &&
			  (y > f.y || (y == f.y && f.m == 1 && f.d == 1));
		/* the use of a cap in tonnes or barrels needs them for every
		 * row: from some rows only, it would be a lower bound */
		int all_t = has_t && rows[M_KG] == rows[M_VALUE];
		int all_b = has_b && brows == rows[M_VALUE];
		char *c[NC] = {
			int_text(y),
			nk_xstrdup(e->id),
			int_text(e->resolution),
			e->paragraph ? int_text(e->paragraph) : nk_xstrdup(""),
			nk_xstrdup(dir_name[e->dir]),
			nk_xstrdup(basis_name[e->basis]),
			nk_xstrdup(tag_name[tag]),
			nk_xstrdup(part_name[part]),
			dec_or_empty(rows[M_VALUE] > 0, m[M_VALUE]),
			int_text((long long)rows[M_VALUE]),
			dec_or_empty(has[M_KG], m[M_KG]),
			int_text((long long)rows[M_KG]),
			dec_or_empty(has_t, tonnes),
			dec_or_empty(has_b, barrels),
			int_text((long long)brows),
			dec_or_empty(cap && e->cap_value > 0, e->cap_value),
			pct_or_empty(cap && e->cap_value > 0 && rows[M_VALUE], m[M_VALUE], e->cap_value),
			dec_or_empty(cap && e->cap_tonnes > 0, e->cap_tonnes),
			pct_or_empty(cap && e->cap_tonnes > 0 && all_t, tonnes, e->cap_tonnes),
			dec_or_empty(cap && e->cap_barrels > 0, e->cap_barrels),
			pct_or_empty(cap && e->cap_barrels > 0 && all_b, barrels, e->cap_barrels),
			dec_or_empty(e->bpt > 0, e->bpt),
		};
		trow(T, c);
	}
	free(v);
}

/* --------------------------------------------------------------- writing */

static void write_tsv(nk_out *out, const table *T)
{
	for (size_t c = 0; c < T->ncol; c++) {
		nk_out_cstr(out, T->col[c]);
		nk_out_byte(out, c + 1 < T->ncol ? '\t' : '\n');
	}
	for (size_t r = 0; r < T->nrow; r++)
		for (size_t c = 0; c < T->ncol; c++) {
			const char *s = T->cell[r * T->ncol + c];
			nk_out_escaped(out, s, strlen(s));
			nk_out_byte(out, c + 1 < T->ncol ? '\t' : '\n');
		}
}

static void json_str(nk_out *out, const char *s)
{
	nk_out_byte(out, '"');
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;
		if (ch == '"' || ch == '\\') {
			nk_out_byte(out, '\\');
			nk_out_byte(out, (char)ch);
		} else if (ch < 0x20) {
			char b[8];
			snprintf(b, sizeof b, "\\u%04x", ch);
			nk_out_cstr(out, b);
		} else {
			nk_out_byte(out, (char)ch);
		}
	}
	nk_out_byte(out, '"');
}

static void write_json(nk_out *out, const table *T, int first, int last)
{
	nk_out_cstr(out, first ? "{" : ",\n");
	json_str(out, T->name);
	nk_out_cstr(out, ": [");
	for (size_t r = 0; r < T->nrow; r++) {
		nk_out_cstr(out, r ? ",\n  {" : "\n  {");
		for (size_t c = 0; c < T->ncol; c++) {
			const char *s = T->cell[r * T->ncol + c];
			if (c)
				nk_out_cstr(out, ", ");
			json_str(out, T->col[c]);
			nk_out_cstr(out, ": ");
			if (!*s)
				nk_out_cstr(out, "null");
			else if (T->num[c])
				nk_out_cstr(out, s);
			else
				json_str(out, s);
		}
		nk_out_byte(out, '}');
	}
	nk_out_cstr(out, T->nrow ? "\n]" : "]");
	if (last)
		nk_out_cstr(out, "}\n");
}

/* A number for people: thousands separated by commas, decimals kept. */
static void md_num(nk_out *out, const char *s)
{
	if (*s == '-')
		nk_out_byte(out, *s++);
	size_t d = strcspn(s, ".");
	for (size_t i = 0; i < d; i++) {
		if (i && (d - i) % 3 == 0)
			nk_out_byte(out, ',');
		nk_out_byte(out, s[i]);
	}
	nk_out_cstr(out, s + d);
}

static void md_cell(nk_out *out, const char *s)
{
	for (; *s; s++) {
		if (*s == '|' || *s == '\\')
			nk_out_byte(out, '\\');
		if (*s == '\n' || *s == '\t')
			nk_out_byte(out, ' ');
		else
			nk_out_byte(out, *s);
	}
}

/* In markdown an empty number is shown as NO_FIGURE, explained under the
 * table: an empty cell reads as a layout slip, 0 would be a figure. */
#define NO_FIGURE "\xe2\x80\x93" /* EN DASH */

static void write_md(nk_out *out, const table *T, int first)
{
	int dash = 0;
	if (!first)
		nk_out_byte(out, '\n');
	nk_out_cstr(out, "## ");
	nk_out_cstr(out, T->name);
	nk_out_cstr(out, "\n\n|");
	for (size_t c = 0; c < T->ncol; c++) {
		nk_out_byte(out, ' ');
		nk_out_cstr(out, T->col[c]);
		nk_out_cstr(out, " |");
	}
	nk_out_cstr(out, "\n|");
	for (size_t c = 0; c < T->ncol; c++)
		nk_out_cstr(out, T->num[c] && c ? "---:|" : "---|");
	nk_out_byte(out, '\n');
	for (size_t r = 0; r < T->nrow; r++) {
		nk_out_byte(out, '|');
		for (size_t c = 0; c < T->ncol; c++) {
			const char *s = T->cell[r * T->ncol + c];
			nk_out_byte(out, ' ');
			if (T->num[c] && c && *s)
				md_num(out, s);
			else if (T->num[c] && c)
				nk_out_cstr(out, NO_FIGURE), dash = 1;
			else
				md_cell(out, s);
			nk_out_cstr(out, " |");
		}
		nk_out_byte(out, '\n');
	}
	if (dash)
		nk_out_cstr(out, "\n" NO_FIGURE " no figure: no rows for it, a figure it is made of "
				 "is unknown, a base of 0, or it does not apply (see nk-summarize(1))\n");
}

/* On stderr: rows counted and not summed, and the years whose trade is
 * partly of unknown direction (in total, not in exports or imports). */
/* Years as ranges ("1988, 1990, 1993-1994") into b (n bytes). */
static void year_ranges(const int *y, size_t ny, char *b, size_t n)
{
	b[0] = 0;
	for (size_t i = 0, j; i < ny; i = j + 1) {
		for (j = i; j + 1 < ny && y[j + 1] == y[j] + 1; j++)
			;
		size_t k = strlen(b);
		if (j > i)
			snprintf(b + k, n - k, "%s%d-%d", k ? ", " : "", y[i], y[j]);
		else
			snprintf(b + k, n - k, "%s%d", k ? ", " : "", y[i]);
	}
}

/* The years of the report whose cells are empty for want of rows: no
 * partner rows of a flow, no inter-Korean rows in a stream that has them
 * (the coverage the tables use; read from a report that holds every row). */
static void gaps(const opts *o, const state *S)
{
	int rep = -1;
	for (int i = 0; i < o->nby && rep != R_YEAR; i++) {
		int r = o->by[i];
		if (r != R_SANCTION && !(r == R_CHAPTER && o->section) && (rep < 0 || r == R_YEAR))
			rep = r;
	}
	if (rep < 0)
		return;
	size_t n;
	const group **v = groups_of(&S->sums, rep, &n);
	int ik_in = stream_has_ik(v, n);
	int y[3][NK_YEAR_MAX - NK_YEAR_MIN + 1];
	size_t ny[3] = {0, 0, 0};
	for (size_t i = 0; i < n; i++) {
		if (i && K_YEAR(v[i]->key) == K_YEAR(v[i - 1]->key))
			continue;
		cover c = year_cover(v, i, n);
		int yr = K_YEAR(v[i]->key);
		if (!c.part[F_X])
			y[0][ny[0]++] = yr;
		if (!c.part[F_M])
			y[1][ny[1]++] = yr;
		if (ik_in && !c.ik)
			y[2][ny[2]++] = yr;
	}
	free(v);
	static const char *const what[3] = {"partners' exports", "partners' imports",
					    "inter-Korean (source mou)"};
	char b[2048] = "", r[1024];
	for (int k = 0; k < 3; k++) {
		if (!ny[k])
			continue;
		year_ranges(y[k], ny[k], r, sizeof r);
		size_t l = strlen(b);
		snprintf(b + l, sizeof b - l, "%s%s %s", l ? "; " : "", what[k], r);
	}
	if (*b)
		nk_warn("no rows, so empty cells (unknown, not 0): %s", b);
}

static void summary(const opts *o, const state *S)
{
	nk_warn("%llu rows: %llu summed, %llu with unknown value_usd (not summed), "
		"%llu not at --level %s (not summed)",
		(unsigned long long)S->rows,
		(unsigned long long)(S->rows - S->unknown - S->off_level),
		(unsigned long long)S->unknown, (unsigned long long)S->off_level,
		lv_name[o->level]);
	char b[512] = "";
	int last = -1;
	size_t n;
	const group **v = groups_of(&S->sums, o->by[0], &n);
	for (size_t i = 0; i < n; i++) {
		int y = K_YEAR(v[i]->key);
		if (K_FLOW(v[i]->key) != F_UNKNOWN || y == last)
			continue;
		size_t k = strlen(b);
		if (k < sizeof b - 16)
			snprintf(b + k, sizeof b - k, "%s%d", k ? ", " : "", y);
		last = y;
	}
	free(v);
	if (*b)
		nk_warn("trade of unknown direction (empty nk_flow) in total only, not in "
			"exports or imports: %s", b);
	gaps(o, S);
}

static void write_reports(const opts *o, const state *S, nk_out *out)
{
	for (int i = 0; i < o->nby; i++) {
		int r = o->by[i];
		table T;
		if (r == R_YEAR)
			table_year(S, &T);
		else if (r == R_PARTNER)
			table_partner(S, o, &T);
		else if (r == R_SANCTION)
			table_sanction(S, &T);
		else
			table_dim(S, o, r, &T);
		if (o->format == FMT_TSV) {
			if (i)
				nk_out_byte(out, '\n');
			write_tsv(out, &T);
		} else if (o->format == FMT_JSON) {
			write_json(out, &T, i == 0, i == o->nby - 1);
		} else {
			write_md(out, &T, i == 0);
		}
		tfree(&T);
	}
}

int main(int argc, char **argv)
{
	nk_init(argv);
	opts o = {0};
	parse_opts(&o, argc, argv);

	if (!o.merge && o.byset & 1u << R_SANCTION)
		sanctions_load(&SANC, o.sanctions);
	state S = {.coarsest = o.level == LV_COARSEST};
	nk_out *out = nk_out_open(o.co.output);
	if (o.merge)
		read_partials(&o, argv + optind, argc - optind, &S);
	else
		read_stream(&o, argv + optind, argc - optind, &S);
	if (o.level == LV_COARSEST && !o.partial)
		resolve_coarsest(&S);
	if (o.level != LV_COARSEST)
		check_levels(&S);
	if (o.partial)
		write_partial(&o, &S, out);
	else
		write_reports(&o, &S, out);
	nk_out_close(out);
	if (!o.co.quiet)
		summary(&o, &S);
	state_free(&S);
	sanctions_free(&SANC);
	return 0;
}
