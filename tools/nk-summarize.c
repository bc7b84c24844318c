/* nk-summarize - the tables researchers publish: totals, partners, sections, stages
 * The last stage. One pass over the corrected stream adds every row's
 * value_usd into exact sums (int64 thousandths) per report group; the
 * reports are made from those sums at the end, so they do not depend on row
 * order, and the sums can be written out (--partial) and added up later
 * (--merge) with the same result byte for byte. */
#include "lib/nk.h"

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
	"                       section..stage have an 'other' line for trade\n"
	"                       without a usable code at that level, so the lines\n"
	"                       of a year and flow add up to its total\n"
	"  -n, --top=N          partner: the N largest counterparts of each year and\n"
	"                       flow, then one 'other' line for the rest\n"
	"  -s, --section=S      chapter: only the chapters of section S (I..XXI);\n"
	"                       shares are of the section's trade\n"
	"  -l, --level=LEVEL    count only rows at LEVEL: total, hs2, hs4 or hs6\n"
	"                       (rows of source rule always count). Without it, a\n"
	"                       counterpart, year and flow of one source that holds\n"
	"                       rows at several levels (TOTAL and chapters) is an\n"
	"                       error: summing both would count the trade twice\n"
	"  -f, --format=FMT     tsv (default), json, or md (a markdown table)\n"
	"      --partial        write the exact running sums (a partial) instead of\n"
	"                       the reports, for --merge\n"
	"  -m, --merge          the FILEs are partials: add them up and write the\n"
	"                       reports a single run over all their input gives\n"
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
	"With no FILE, or when FILE is -, read standard input. Gzip input is\n"
	"decompressed. Exit status: 0 success, 1 bad data or I/O error, 2 usage\n"
	"error.\n";

/* ---------------------------------------------------------------- reports */

enum { R_YEAR, R_PARTNER, R_SECTION, R_CHAPTER, R_HS4, R_HS6, R_STAGE, R_N };
static const char *const rep_name[R_N] = {
	"year", "partner", "section", "chapter", "hs4", "hs6", "stage",
};
/* The column a report groups by (NULL: none beyond year and flow). */
static const char *const rep_col[R_N] = {
	NULL, "counterpart", "section", "hs2", "hs4", "hs6", "stage",
};

enum { LV_TOTAL, LV_HS2, LV_HS4, LV_HS6, LV_ANY };
static const char *const lv_name[LV_ANY + 1] = {"total", "hs2", "hs4", "hs6", "any"};

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
} opts;

static int lookup(const char *s, const char *const *names, int n)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(s, names[i]))
			return i;
	return -1;
}

static const char *const sec_roman[] = {
	"I",   "II",   "III", "IV", "V",   "VI",   "VII",   "VIII", "IX",  "X",   "XI",
	"XII", "XIII", "XIV", "XV", "XVI", "XVII", "XVIII", "XIX",  "XX",  "XXI",
};
enum { NSEC = sizeof sec_roman / sizeof *sec_roman };

static void parse_opts(opts *o, int argc, char **argv)
{
	enum { O_PARTIAL = NK_OPT_TOOL };
	static const struct option lo[] = {
		NK_COMMON_LONGOPTS,
		{"by", 1, 0, 'b'},
		{"top", 1, 0, 'n'},
		{"section", 1, 0, 's'},
		{"level", 1, 0, 'l'},
		{"format", 1, 0, 'f'},
		{"partial", 0, 0, O_PARTIAL},
		{"merge", 0, 0, 'm'},
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
					       "chapter, hs4, hs6, stage)", optarg);
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
				nk_usage_error("--level needs total, hs2, hs4 or hs6: '%s'", optarg);
			break;
		case 'f':
			o->format = lookup(optarg, fmts, 3);
			if (o->format < 0)
				nk_usage_error("--format needs tsv, json or md: '%s'", optarg);
			break;
		case O_PARTIAL: o->partial = 1; break;
		case 'm': o->merge = 1; break;
		default: nk_usage_error("unknown option");
		}
	}
	if (o->co.rejects)
		nk_usage_error("--rejects: nk-summarize drops no rows (it counts them)");
	if (o->partial && o->merge)
		nk_usage_error("--partial and --merge exclude each other");
	if (o->merge && optind >= argc)
		nk_usage_error("--merge needs the partial files");
	if (o->section && !(o->byset & 1u << R_CHAPTER))
		nk_usage_error("--section is the drill-down of --by chapter");
	if (o->top && o->nby && !(o->byset & 1u << R_PARTNER))
		nk_usage_error("--top applies to --by partner");
	if (!o->nby && !o->merge) {
		o->by[o->nby++] = R_YEAR;
		o->byset = 1u << R_YEAR;
	}
}

/* ----------------------------------------------------------- sum groups */

/* One exact sum: a report, a year, a DPRK flow, inter-Korean or not, and
 * the report's key (counterpart, section, code, stage; "" is 'other').
 * The level check keeps its own table of the same shape: key = source and
 * counterpart, `mask` the levels seen. */
typedef struct {
	uint64_t h;
	nk_dec sum;
	uint64_t rows;
	uint32_t koff;
	uint16_t klen;
	uint8_t rep, flow, ik, mask;
	int32_t year;
} group;

typedef struct {
	group *g;
	size_t n, cap;
	uint32_t *slot; /* 0 empty, else group index + 1 */
	size_t nslot;
	char *arena;
	size_t alen, acap;
} gtab;

static uint64_t ghash(int rep, int year, int flow, int ik, const char *k, size_t n)
{
	const uint64_t m = 0x9e3779b97f4a7c15ULL;
	uint64_t h = ((uint64_t)(uint32_t)year << 24 | (uint64_t)rep << 16 |
		      (uint64_t)flow << 8 | (uint64_t)ik) * m;
	while (n >= 8) {
		uint64_t w;
		memcpy(&w, k, 8);
		h = (h ^ w) * m;
		h ^= h >> 32;
		k += 8;
		n -= 8;
	}
	uint64_t w = 0;
	memcpy(&w, k, n);
	h = (h ^ w ^ (uint64_t)n << 56) * m;
	return h ^ h >> 29;
}

static void gtab_grow(gtab *t)
{
	if (!t->arena) /* never NULL, so that empty keys compare with memcmp */
		t->arena = nk_xmalloc(t->acap = 65536);
	size_t ns = t->nslot ? t->nslot * 2 : 1024;
	uint32_t *s = calloc(ns, sizeof *s);
	if (!s)
		nk_die(1, "out of memory");
	for (size_t i = 0; i < t->n; i++) {
		size_t j = t->g[i].h & (ns - 1);
		while (s[j])
			j = (j + 1) & (ns - 1);
		s[j] = (uint32_t)(i + 1);
	}
	free(t->slot);
	t->slot = s;
	t->nslot = ns;
}

/* The group for the key, made (sum 0) if new. Returned pointer valid until
 * the next gfind on `t`. */
static group *gfind(gtab *t, int rep, int year, int flow, int ik, const char *k, size_t n)
{
	if (n > 65535)
		nk_die(1, "a report key longer than 65535 bytes");
	uint64_t h = ghash(rep, year, flow, ik, k, n);
	if (t->n * 2 >= t->nslot)
		gtab_grow(t);
	size_t j = h & (t->nslot - 1);
	for (uint32_t s; (s = t->slot[j]); j = (j + 1) & (t->nslot - 1)) {
		group *g = &t->g[s - 1];
		if (g->h == h && g->year == year && g->rep == rep && g->flow == flow &&
		    g->ik == ik && g->klen == n && !memcmp(t->arena + g->koff, k, n))
			return g;
	}
	if (t->n == UINT32_MAX - 1)
		nk_die(1, "more than 4 billion report groups");
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 1024;
		t->g = nk_xrealloc(t->g, t->cap * sizeof *t->g);
	}
	if (t->alen + n > t->acap) {
		while (t->alen + n > t->acap)
			t->acap = t->acap ? t->acap * 2 : 65536;
		t->arena = nk_xrealloc(t->arena, t->acap);
	}
	if (t->alen + n > UINT32_MAX)
		nk_die(1, "report keys over 4 GB");
	memcpy(t->arena + t->alen, k, n);
	group *g = &t->g[t->n];
	*g = (group){.h = h, .koff = (uint32_t)t->alen, .klen = (uint16_t)n,
		     .rep = (uint8_t)rep, .flow = (uint8_t)flow, .ik = (uint8_t)ik,
		     .year = year};
	t->alen += n;
	t->slot[j] = (uint32_t)++t->n;
	return g;
}

static void gtab_free(gtab *t)
{
	free(t->g);
	free(t->slot);
	free(t->arena);
}

/* Everything a run adds up: what a partial holds. */
typedef struct {
	gtab sums, guard;
	uint64_t rows, unknown, off_level;
} state;

/* ------------------------------------------------------------- reading */

enum { C_YEAR, C_FLOW, C_CP, C_SOURCE, C_HS, C_VALUE, C_NBASE };

typedef struct {
	const opts *o;
	nk_tsv *t;
	size_t ix[C_NBASE];
	size_t rcol[R_N];    /* per report: its key column */
	int status, hsrev;   /* hs_status, hs_rev columns or -1 */
	int section;	     /* section column or -1 (chapter drill-down) */
} reader;

static void need(reader *R, size_t *ix, const char *col, const char *what)
{
	int c = nk_tsv_col(R->t, col);
	if (c < 0)
		nk_die(1, "%s: missing column '%s' (%s)", R->t->file, col, what);
	*ix = (size_t)c;
}

static void reader_cols(reader *R)
{
	static const char *const base[C_NBASE] = {
		"year", "nk_flow", "counterpart", "source", "hs", "value_usd",
	};
	for (int i = 0; i < C_NBASE; i++)
		need(R, &R->ix[i], base[i], "every report needs it: run nk-correct first");
	for (int k = 0; k < R->o->nby; k++) {
		int r = R->o->by[k];
		if (!rep_col[r])
			continue;
		char what[80];
		snprintf(what, sizeof what, "report '%s' needs it%s", rep_name[r],
			 r >= R_SECTION ? ": run nk-normalize-hs first" : "");
		need(R, &R->rcol[r], rep_col[r], what);
	}
	R->status = nk_tsv_col(R->t, "hs_status");
	R->hsrev = nk_tsv_col(R->t, "hs_rev");
	R->section = -1;
	if (R->o->section) {
		size_t c;
		need(R, &c, "section", "--section needs it: run nk-normalize-hs first");
		R->section = (int)c;
	}
}

static int str_is(nk_str s, const char *lit)
{
	size_t n = strlen(lit);
	return s.n == n && !memcmp(s.p, lit, n);
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
	if (__builtin_add_overflow(g->sum, v, &g->sum))
		nk_die_at(t->file, t->line, "value_usd",
			  "the sum leaves the exact range (+-9.2e15)", NULL, 0);
	g->rows++;
}

static void read_row(reader *R, state *S)
{
	const nk_tsv *t = R->t;
	const nk_str *f = t->f;
	int64_t year;
	if (nk_int_parse(f[R->ix[C_YEAR]].p, f[R->ix[C_YEAR]].n, &year) || year < 1900 ||
	    year > 2100)
		nk_tsv_die(t, R->ix[C_YEAR], "not a year (1900..2100)");
	nk_str fl = f[R->ix[C_FLOW]];
	if (fl.n != 1 || (fl.p[0] != 'X' && fl.p[0] != 'M'))
		nk_tsv_die(t, R->ix[C_FLOW], "not a DPRK flow (X or M)");
	int flow = fl.p[0] == 'M';
	nk_dec v;
	int rc = nk_dec_parse(f[R->ix[C_VALUE]].p, f[R->ix[C_VALUE]].n, &v);
	if (rc != NK_DEC_OK && rc != NK_DEC_EMPTY)
		nk_tsv_die(t, R->ix[C_VALUE], nk_dec_strerror(rc));
	nk_str src = f[R->ix[C_SOURCE]];
	int added = str_is(src, "rule"), ik = str_is(src, "mou");
	int lv = code_level(t, R->ix[C_HS]);
	S->rows++;
	if (!added) {
		if (R->o->level != LV_ANY && lv != R->o->level) {
			S->off_level++;
			return;
		}
		/* the level check: key source TAB counterpart */
		nk_str cp = f[R->ix[C_CP]];
		char k[256];
		if (src.n + 1 + cp.n > sizeof k)
			nk_tsv_die(t, R->ix[C_SOURCE], "source and counterpart too long");
		memcpy(k, src.p, src.n);
		k[src.n] = '\t';
		memcpy(k + src.n + 1, cp.p, cp.n);
		gfind(&S->guard, 0, (int)year, flow, 0, k, src.n + 1 + cp.n)->mask |=
			(uint8_t)(1u << lv);
	}
	if (rc == NK_DEC_EMPTY) {
		S->unknown++;
		return;
	}
	for (int i = 0; i < R->o->nby; i++) {
		int r = R->o->by[i];
		nk_str key = {"", 0};
		if (rep_col[r])
			key = f[R->rcol[r]];
		if (r == R_CHAPTER && R->section >= 0 && !str_is(f[R->section], R->o->section))
			continue;
		/* a code checked and not found in its revision is 'other'; one
		 * that could not be checked (no hs_rev, as on rows rules add)
		 * keeps its code */
		if ((r == R_HS4 || r == R_HS6) && R->status >= 0 && R->hsrev >= 0 &&
		    f[R->hsrev].n && str_is(f[R->status], "unknown"))
			key.n = 0;
		add_to(t, gfind(&S->sums, r, (int)year, flow, ik, key.p, key.n), v);
	}
}

static void read_stream(const opts *o, char **paths, int npaths, state *S)
{
	reader R = {.o = o};
	R.t = nk_tsv_open(paths, npaths);
	reader_cols(&R);
	nk_progress_start(o->co.quiet);
	while (nk_tsv_next(R.t)) {
		read_row(&R, S);
		nk_progress(R.t->rows, nk_tsv_bytes(R.t));
	}
	nk_progress_end();
	nk_tsv_close(R.t);
}

/* ---------------------------------------------------------- level check */

static void levels_text(unsigned mask, char *buf, size_t n)
{
	buf[0] = 0;
	for (int l = 0; l < LV_ANY; l++)
		if (mask & 1u << l) {
			size_t k = strlen(buf);
			snprintf(buf + k, n - k, "%s%s", k ? ", " : "", lv_name[l]);
		}
}

static int gcmp_guard(const void *a, const void *b);
static const gtab *sort_tab; /* for qsort's comparators */

/* Several levels in one source, counterpart, year and flow: the first such
 * (in sorted order, so the message is the same for any row order) stops the
 * run. */
static void check_levels(const state *S)
{
	size_t n = 0;
	const group **v = nk_xmalloc((S->guard.n + 1) * sizeof *v);
	for (size_t i = 0; i < S->guard.n; i++) {
		unsigned m = S->guard.g[i].mask;
		if (m & (m - 1))
			v[n++] = &S->guard.g[i];
	}
	if (!n) {
		free(v);
		return;
	}
	sort_tab = &S->guard;
	qsort(v, n, sizeof *v, gcmp_guard);
	const group *g = v[0];
	const char *k = S->guard.arena + g->koff;
	const char *tab = memchr(k, '\t', g->klen);
	int sl = (int)(tab - k), cl = (int)(g->klen - (size_t)sl - 1);
	char lv[64];
	levels_text(g->mask, lv, sizeof lv);
	nk_die(1, "counterpart '%.*s', %d, nk_flow %c, source '%.*s' has rows at several "
		  "levels (%s): summing them counts the trade twice; pick one with "
		  "--level (%zu counterpart-year-flows so in all)",
	       cl, tab + 1, (int)g->year, g->flow ? 'M' : 'X', sl, k, lv, n);
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

/* A key as read (contract-escaped) as its text; an invalid escape stays as
 * written. */
static char *str_text(const char *p, size_t n)
{
	char *s = nk_xmalloc(n + 1);
	size_t k = nk_unescape(p, n, s);
	if (k == (size_t)-1) {
		memcpy(s, p, n);
		k = n;
	}
	s[k] = 0;
	return s;
}

static nk_dec dadd(nk_dec a, nk_dec b)
{
	nk_dec r;
	if (__builtin_add_overflow(a, b, &r))
		nk_die(1, "a report total leaves the exact range (+-9.2e15)");
	return r;
}

static const char *const flow_name[3] = {"exports", "imports", "total"};

/* The groups of report `rep`, sorted by year, key, flow, ik. */
static int gcmp(const void *a, const void *b)
{
	const group *x = *(const group *const *)a, *y = *(const group *const *)b;
	if (x->rep != y->rep)
		return x->rep < y->rep ? -1 : 1;
	if (x->year != y->year)
		return x->year < y->year ? -1 : 1;
	size_t n = x->klen < y->klen ? x->klen : y->klen;
	int c = memcmp(sort_tab->arena + x->koff, sort_tab->arena + y->koff, n);
	if (c)
		return c;
	if (x->klen != y->klen)
		return x->klen < y->klen ? -1 : 1;
	if (x->flow != y->flow)
		return x->flow < y->flow ? -1 : 1;
	return (x->ik > y->ik) - (x->ik < y->ik);
}

static int gcmp_guard(const void *a, const void *b)
{
	const group *x = *(const group *const *)a, *y = *(const group *const *)b;
	size_t n = x->klen < y->klen ? x->klen : y->klen;
	int c = memcmp(sort_tab->arena + x->koff, sort_tab->arena + y->koff, n);
	if (c)
		return c;
	if (x->klen != y->klen)
		return x->klen < y->klen ? -1 : 1;
	if (x->year != y->year)
		return x->year < y->year ? -1 : 1;
	return (x->flow > y->flow) - (x->flow < y->flow);
}

static const group **groups_of(const gtab *t, int rep, size_t *n)
{
	const group **v = nk_xmalloc((t->n + 1) * sizeof *v);
	*n = 0;
	for (size_t i = 0; i < t->n; i++)
		if (rep < 0 || t->g[i].rep == rep)
			v[(*n)++] = &t->g[i];
	sort_tab = t;
	qsort(v, *n, sizeof *v, gcmp);
	return v;
}

/* year: one line per year. [flow][ik] sums. */
static void table_year(const state *S, table *T)
{
	static const char *const col[] = {
		"year", "exports", "imports", "total", "balance", "deficit_pct", "yoy_pct",
		"interkorean", "interkorean_pct", "exports_excl_ik", "imports_excl_ik",
		"total_excl_ik", "balance_excl_ik", "deficit_pct_excl_ik", "yoy_pct_excl_ik",
	};
	static const unsigned char num[] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
	*T = (table){.name = "year", .ncol = 15, .col = col, .num = num};
	size_t n;
	const group **v = groups_of(&S->sums, R_YEAR, &n);
	int prev_year = 0;
	nk_dec prev[2] = {0, 0};
	for (size_t i = 0; i < n;) {
		int y = v[i]->year;
		nk_dec s[2][2] = {{0, 0}, {0, 0}};
		for (; i < n && v[i]->year == y; i++)
			s[v[i]->flow][v[i]->ik] = v[i]->sum;
		nk_dec ex = dadd(s[0][0], s[0][1]), im = dadd(s[1][0], s[1][1]);
		nk_dec tot = dadd(ex, im), ik = dadd(s[0][1], s[1][1]);
		nk_dec tot0 = dadd(s[0][0], s[1][0]);
		char *c[15] = {
			int_text(y),
			dec_text(ex),
			dec_text(im),
			dec_text(tot),
			dec_text(dadd(ex, -im)),
			pct_text(dadd(im, -ex), ex),
			prev_year == y - 1 ? pct_text(dadd(tot, -prev[0]), prev[0]) : nk_xstrdup(""),
			dec_text(ik),
			pct_text(ik, tot),
			dec_text(s[0][0]),
			dec_text(s[1][0]),
			dec_text(tot0),
			dec_text(dadd(s[0][0], -s[1][0])),
			pct_text(dadd(s[1][0], -s[0][0]), s[0][0]),
			prev_year == y - 1 ? pct_text(dadd(tot0, -prev[1]), prev[1]) : nk_xstrdup(""),
		};
		trow(T, c);
		prev_year = y;
		prev[0] = tot;
		prev[1] = tot0;
	}
	free(v);
}

/* partner: per year and flow (exports, imports, total), counterparts by
 * value (largest first, then by code), --top N then 'other'. */
typedef struct {
	const char *k;
	size_t kn;
	nk_dec v[3][2]; /* [flow][ik] */
	unsigned has;	/* flows present */
} cpart;

static int cp_flow; /* for cpcmp */
static int cpcmp(const void *a, const void *b)
{
	const cpart *x = a, *y = b;
	nk_dec vx = dadd(x->v[cp_flow][0], x->v[cp_flow][1]);
	nk_dec vy = dadd(y->v[cp_flow][0], y->v[cp_flow][1]);
	if (vx != vy)
		return vx > vy ? -1 : 1;
	size_t n = x->kn < y->kn ? x->kn : y->kn;
	int c = memcmp(x->k, y->k, n);
	return c ? c : (x->kn > y->kn) - (x->kn < y->kn);
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
	cpart *cp = nk_xmalloc((n + 1) * sizeof *cp);
	for (size_t i = 0; i < n;) {
		int y = v[i]->year;
		size_t m = 0;
		/* one cpart per counterpart of the year (groups sorted by key) */
		for (; i < n && v[i]->year == y; m++) {
			const group *g = v[i];
			cpart *c = &cp[m];
			*c = (cpart){.k = S->sums.arena + g->koff, .kn = g->klen};
			for (; i < n && v[i]->year == y && v[i]->klen == c->kn &&
			       !memcmp(S->sums.arena + v[i]->koff, c->k, c->kn); i++) {
				c->v[v[i]->flow][v[i]->ik] = v[i]->sum;
				c->has |= 1u << v[i]->flow | 4u;
			}
			for (int ik = 0; ik < 2; ik++)
				c->v[2][ik] = dadd(c->v[0][ik], c->v[1][ik]);
		}
		for (int f = 0; f < 3; f++) {
			nk_dec tot[2] = {0, 0};
			for (size_t j = 0; j < m; j++)
				for (int ik = 0; ik < 2; ik++)
					tot[ik] = dadd(tot[ik], cp[j].v[f][ik]);
			nk_dec all = dadd(tot[0], tot[1]);
			cp_flow = f;
			qsort(cp, m, sizeof *cp, cpcmp);
			long rank = 0;
			nk_dec rest[2] = {0, 0};
			for (size_t j = 0; j < m; j++) {
				if (!(cp[j].has & 1u << f))
					continue;
				nk_dec val = dadd(cp[j].v[f][0], cp[j].v[f][1]);
				if (o->top && rank >= o->top) {
					for (int ik = 0; ik < 2; ik++)
						rest[ik] = dadd(rest[ik], cp[j].v[f][ik]);
					continue;
				}
				rank++;
				int only_ik = cp[j].v[f][0] == 0 && cp[j].v[f][1] != 0;
				char *c[8] = {
					int_text(y),
					nk_xstrdup(flow_name[f]),
					int_text(rank),
					str_text(cp[j].k, cp[j].kn),
					dec_text(val),
					pct_text(val, all),
					dec_text(cp[j].v[f][0]),
					only_ik ? nk_xstrdup("") : pct_text(cp[j].v[f][0], tot[0]),
				};
				trow(T, c);
			}
			if (o->top) {
				nk_dec val = dadd(rest[0], rest[1]);
				char *c[8] = {
					int_text(y),	     nk_xstrdup(flow_name[f]), nk_xstrdup(""),
					nk_xstrdup("other"), dec_text(val),	       pct_text(val, all),
					dec_text(rest[0]),   pct_text(rest[0], tot[0]),
				};
				trow(T, c);
			}
		}
	}
	free(cp);
	free(v);
}

/* The order of a key in a dimension report: sections by number, stages in
 * the order of the README, codes as text; 'other' ("") last. */
static const char *const stage_order[] = {
	"capital", "intermediate", "consumption", "unclassified", "mixed",
};
static int dim_rank(int rep, const char *k, size_t n)
{
	if (!n)
		return 1000;
	char b[16];
	if (n >= sizeof b)
		return 999;
	memcpy(b, k, n);
	b[n] = 0;
	if (rep == R_SECTION) {
		int i = lookup(b, sec_roman, NSEC);
		return i < 0 ? 999 : i;
	}
	if (rep == R_STAGE) {
		int i = lookup(b, stage_order, 5);
		return i < 0 ? 999 : i;
	}
	return 0;
}

typedef struct {
	const char *k;
	size_t kn;
	int rank;
	nk_dec v[3];
	unsigned has;
} dkey;

static int dkcmp(const void *a, const void *b)
{
	const dkey *x = a, *y = b;
	if (x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	size_t n = x->kn < y->kn ? x->kn : y->kn;
	int c = memcmp(x->k, y->k, n);
	return c ? c : (x->kn > y->kn) - (x->kn < y->kn);
}

/* section, chapter, hs4, hs6, stage: per year and flow, one line per key
 * and always an 'other' line, so the lines add up to the year's total. */
static void table_dim(const state *S, const opts *o, int rep, table *T)
{
	static const char *col[R_N][5];
	static const unsigned char num[] = {1, 0, 0, 1, 1};
	const char *kc = rep == R_CHAPTER ? "chapter" : rep_name[rep];
	col[rep][0] = "year";
	col[rep][1] = "flow";
	col[rep][2] = kc;
	col[rep][3] = "value_usd";
	col[rep][4] = "share_pct";
	*T = (table){.name = rep_name[rep], .ncol = 5, .col = col[rep], .num = num};
	size_t n;
	const group **v = groups_of(&S->sums, rep, &n);
	dkey *dk = nk_xmalloc((n + 2) * sizeof *dk);
	for (size_t i = 0; i < n;) {
		int y = v[i]->year;
		size_t m = 0;
		int have_other = 0;
		for (; i < n && v[i]->year == y; m++) {
			const group *g = v[i];
			dkey *d = &dk[m];
			*d = (dkey){.k = S->sums.arena + g->koff, .kn = g->klen};
			d->rank = dim_rank(rep, d->k, d->kn);
			have_other |= d->kn == 0;
			for (; i < n && v[i]->year == y && v[i]->klen == d->kn &&
			       !memcmp(S->sums.arena + v[i]->koff, d->k, d->kn); i++) {
				d->v[v[i]->flow] = dadd(d->v[v[i]->flow], v[i]->sum);
				d->has |= 1u << v[i]->flow | 4u;
			}
			d->v[2] = dadd(d->v[0], d->v[1]);
		}
		if (!have_other && !(rep == R_CHAPTER && o->section))
			dk[m++] = (dkey){.k = "", .kn = 0, .rank = 1000, .has = 7};
		qsort(dk, m, sizeof *dk, dkcmp);
		for (int f = 0; f < 3; f++) {
			nk_dec tot = 0;
			for (size_t j = 0; j < m; j++)
				tot = dadd(tot, dk[j].v[f]);
			for (size_t j = 0; j < m; j++) {
				if (!(dk[j].has & 1u << f) && dk[j].kn)
					continue;
				char *c[5] = {
					int_text(y),
					nk_xstrdup(flow_name[f]),
					dk[j].kn ? str_text(dk[j].k, dk[j].kn) : nk_xstrdup("other"),
					dec_text(dk[j].v[f]),
					pct_text(dk[j].v[f], tot),
				};
				trow(T, c);
			}
		}
	}
	free(dk);
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

static void write_md(nk_out *out, const table *T, int first)
{
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
			else
				md_cell(out, s);
			nk_out_cstr(out, " |");
		}
		nk_out_byte(out, '\n');
	}
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

	state S = {0};
	nk_out *out = nk_out_open(o.co.output);
	read_stream(&o, argv + optind, argc - optind, &S);
	check_levels(&S);
	write_reports(&o, &S, out);
	nk_out_close(out);
	if (!o.co.quiet)
		nk_warn("%llu rows: %llu summed, %llu with unknown value_usd (not summed), "
			"%llu not at --level %s (not summed)",
			(unsigned long long)S.rows,
			(unsigned long long)(S.rows - S.unknown - S.off_level),
			(unsigned long long)S.unknown, (unsigned long long)S.off_level,
			lv_name[o.level]);
	gtab_free(&S.sums);
	gtab_free(&S.guard);
	return 0;
}
