/* nk-normalize-hs - restore and check HS codes, add chapter, section and production stage
 * The second stage. Tables come from data/hs/ (derived from the UN
 * correlation and HS->BEC Rev.4 tables by data/hs/build.py). */
#include "lib/contract.h"
#include "lib/nk.h"

#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char help[] =
	"Usage: nk-normalize-hs [OPTION]... [FILE]...\n"
	"Restore HS codes that lost their leading zeros, check them against the\n"
	"nomenclature of the row's HS revision (hs_rev), and add the columns hs6,\n"
	"hs4, hs2, section, hs_status (ok, restored, unknown, aggregate), bec4 (the\n"
	"BEC Rev.4 codes) and stage (capital, intermediate, consumption,\n"
	"unclassified, or mixed when the code spans several classes). Rows are\n"
	"never dropped; unknown codes are kept and counted.\n"
	"\n"
	"  -n, --names          also add section_name and chapter_name\n"
	"  -s, --strict         a code not in its revision's nomenclature is an error\n"
	"  -t, --to=REV         convert codes to HS revision REV (H0..H6) with the UN\n"
	"                       correlation tables, step by step (H6->H5->...); a code\n"
	"                       that maps to several codes is split into several rows,\n"
	"                       dividing value_usd, cif_usd, fob_usd, netwgt_kg and qty\n"
	"                       in equal shares (or by --weights) so that the rows sum\n"
	"                       exactly to the original; adds hs_from, hs_rev_from,\n"
	"                       hs_conv and rewrites hs and hs_rev\n"
	"  -w, --weights=FILE   split weights: TSV with columns from_rev, from_hs,\n"
	"                       to_rev, to_hs, weight (one adjacent-revision link per\n"
	"                       line, e.g. trade-weighted shares)\n"
	"      --rev-by-year    check a code whose hs_rev is empty against the HS\n"
	"                       revision in force in the row's year (HS1992 to 1995,\n"
	"                       HS1996 1996-2001, ... HS2022 from 2022); hs_rev\n"
	"                       stays empty (rows nk-correct adds carry none)\n"
	"      --motor-spirit=CLASS  class of BEC 321 motor spirit: unclassified\n"
	"                       (default, Central Statistical Bureau of Latvia, the\n"
	"                       BEC Rev.4 convention) or consumption (UN Comtrade wiki)\n"
	"  -d, --data-dir=DIR   read the tables from DIR/hs/ (default:\n"
	"                       $NK_DATADIR/data if set, else the data/ directory\n"
	"                       of the build tree or the installed one)\n"
	"      --rejects=FILE   accepted for uniform pipelines; no row is ever dropped\n"
	"  -o, --output=FILE    write to FILE (atomically) instead of stdout\n"
	"  -q, --quiet          no progress and no summary on stderr\n"
	"  -h, --help           show this help and exit\n"
	"      --version        show the version and exit\n"
	"\n"
	"Codes: TOTAL, 2-digit chapters and 4-digit headings are 'aggregate' (splits\n"
	"below their level empty); 1, 3 and 5 digits get one leading zero. A code\n"
	"that is not digits, or longer than 6 digits, and an hs_rev other than\n"
	"H0..H6 or empty, are errors. With no FILE, or when FILE is -, read standard\n"
	"input. Exit status: 0 success, 1 bad data or tables, 2 usage error.\n";

enum { NREV = 7, MAXENT = 65535, HSIZE = 1 << 17 };
enum { CL_CAP = 1, CL_INT = 2, CL_CONS = 4, CL_UNCL = 8 };
enum { AMT_MAX = 5 };

typedef struct {
	nk_common co;
	int names, strict;
	int to; /* -1 = no conversion */
	const char *weights, *datadir;
	int motor_consumption;
	int rev_by_year; /* an empty hs_rev: the revision in force in the row's year */
} opts;

/* ------------------------------------------------------------- tables */

typedef struct {
	int32_t code;  /* 6-digit code as a number (or heading, chapter) */
	uint8_t rev, level; /* level 6, 4 or 2 */
	uint8_t cls;   /* CL_* mask */
	uint32_t bec;  /* mask over bec_code[] */
	nk_str becs;   /* ';'-joined BEC codes, in pool */
} entry;

/* The correlation links from each entry to the next revision in one
 * direction, grouped by source entry (CSR: the links of entry e are
 * start[e]..start[e+1]), each group in target code order. */
typedef struct {
	uint32_t *start; /* nent + 1 */
	uint16_t *to;	 /* target entry */
	nk_dec *w;	 /* split weight */
	uint8_t *wset;	 /* weight given in --weights */
} links;

static struct {
	char dir[PATH_MAX + 16];
	entry *ent; /* ent[0] unused */
	size_t nent;
	/* 6-digit codes: open-addressing hash of rev * 1000000 + code + 1 */
	uint32_t hkey[HSIZE];
	uint16_t hval[HSIZE];
	int8_t becix[4][1000]; /* BEC code text -> bec_code[] index + 1 */
	uint16_t c4[NREV][10000], c2[NREV][100];
	/* BEC codes seen, and their classes */
	char bec_code[32][4];
	uint8_t bec_cls[32];
	int nbec;
	char cls_code[64][4];
	uint8_t cls_cls[64];
	int ncls;
	/* sections */
	int chap_sec[100]; /* -1 none */
	char sec_id[21][8];
	char *sec_name[21];
	char *chap_name[100];
	/* correlation: down = to rev-1, up = to rev+1 */
	links down, up;
	char *pool;
	size_t npool, cappool;
} T;

/* Entry id of 6-digit code c (0..999999) in revision rev, 0 if none. */
static inline uint16_t get6(int rev, int32_t c)
{
	uint32_t k = (uint32_t)rev * 1000000u + (uint32_t)c + 1u;
	for (size_t i = nk_hash_slot(k, HSIZE);; i = (i + 1) & (HSIZE - 1)) {
		if (T.hkey[i] == k)
			return T.hval[i];
		if (!T.hkey[i])
			return 0;
	}
}

static void put6(int rev, int32_t c, uint16_t id)
{
	uint32_t k = (uint32_t)rev * 1000000u + (uint32_t)c + 1u;
	size_t i = nk_hash_slot(k, HSIZE);
	while (T.hkey[i])
		i = (i + 1) & (HSIZE - 1);
	T.hkey[i] = k;
	T.hval[i] = id;
}

static const char *const rev_name[NREV] = {"H0", "H1", "H2", "H3", "H4", "H5", "H6"};

static int parse_rev(const char *p, size_t n)
{
	if (n == 2 && p[0] == 'H' && p[1] >= '0' && p[1] <= '6')
		return p[1] - '0';
	return -1;
}

/* A table read with the library's TSV reader: its columns found by name
 * (others may be there, in any order), each row checked (field count,
 * UTF-8, no NUL or CR) before it is used. */
typedef struct {
	char *path[1];
	nk_tsv *t;
	size_t col[5];
} tab;

static void tab_open(tab *t, const char *path, const char *const *cols, size_t n)
{
	t->path[0] = nk_xstrdup(path);
	t->t = nk_tsv_open(t->path, 1);
	for (size_t i = 0; i < n; i++)
		t->col[i] = nk_tsv_need(t->t, cols[i]);
}

static int tab_next(tab *t) { return nk_tsv_next(t->t); }

/* Field i (in the order of tab_open's cols) of the current row. */
static inline nk_str tab_f(const tab *t, size_t i) { return t->t->f[t->col[i]]; }

_Noreturn static void tab_die(const tab *t, size_t i, const char *what)
{
	nk_tsv_die(t->t, t->col[i], what);
}

static void tab_close(tab *t)
{
	nk_tsv_close(t->t);
	free(t->path[0]);
}

/* A table's value as a C string. Owned: free(). */
static char *tab_strdup(const tab *t, size_t i)
{
	nk_str v = tab_f(t, i);
	char *d = nk_xmalloc(v.n + 1);
	memcpy(d, v.p, v.n);
	d[v.n] = 0;
	return d;
}

static int32_t parse_code(nk_str s, size_t len)
{
	if (s.n != len)
		return -1;
	int32_t v = 0;
	for (size_t i = 0; i < s.n; i++) {
		if (s.p[i] < '0' || s.p[i] > '9')
			return -1;
		v = v * 10 + (s.p[i] - '0');
	}
	return v;
}

static const char *pool_add(const char *p, size_t n)
{
	if (T.npool + n + 1 > T.cappool) {
		/* pointers into the pool are taken only after loading: grow freely */
		T.cappool = (T.npool + n + 1) * 2;
		T.pool = nk_xrealloc(T.pool, T.cappool);
	}
	memcpy(T.pool + T.npool, p, n);
	T.pool[T.npool + n] = 0;
	const char *r = T.pool + T.npool; /* only valid until the next add */
	T.npool += n + 1;
	return r;
}

static uint8_t cls_of_word(nk_str s)
{
	static const struct { const char *w; uint8_t c; } words[] = {
		{"capital", CL_CAP}, {"intermediate", CL_INT},
		{"consumption", CL_CONS}, {"unclassified", CL_UNCL},
	};
	for (size_t i = 0; i < 4; i++)
		if (s.n == strlen(words[i].w) && !memcmp(s.p, words[i].w, s.n))
			return words[i].c;
	return 0;
}

static void load_classes(const opts *o)
{
	static const char *const cols[] = {"bec4", "class_csb", "class_wiki"};
	tab t;
	char path[sizeof T.dir + 32];
	snprintf(path, sizeof path, "%s/hs/bec4_class.tsv", T.dir);
	tab_open(&t, path, cols, 3);
	while (tab_next(&t)) {
		nk_str b = tab_f(&t, 0);
		if (b.n < 1 || b.n > 3 || T.ncls == 64)
			tab_die(&t, 0, "not a BEC code");
		size_t col = (o->motor_consumption && b.n == 3 && !memcmp(b.p, "321", 3)) ? 2 : 1;
		uint8_t c = cls_of_word(tab_f(&t, col));
		if (!c)
			tab_die(&t, col, "not capital, intermediate, consumption or unclassified");
		memcpy(T.cls_code[T.ncls], b.p, b.n);
		T.cls_code[T.ncls][b.n] = 0;
		T.cls_cls[T.ncls++] = c;
	}
	tab_close(&t);
}

/* Index of BEC code s in bec_code[], registering it (and its class) on
 * first sight. A code not in the class table (e.g. 32) takes the classes of
 * the codes it is the parent of (321, 322). Returns -1 if it has none. */
static int bec_index(nk_str s)
{
	int32_t num = parse_code(s, s.n);
	if (s.n < 1 || s.n > 3 || num < 0)
		return -1;
	if (T.becix[s.n][num])
		return T.becix[s.n][num] - 1;
	if (T.nbec == 32)
		return -1;
	uint8_t c = 0;
	for (int i = 0; i < T.ncls; i++) {
		size_t l = strlen(T.cls_code[i]);
		if (l >= s.n && !memcmp(T.cls_code[i], s.p, s.n))
			c |= T.cls_cls[i];
	}
	if (!c)
		return -1;
	memcpy(T.bec_code[T.nbec], s.p, s.n);
	T.bec_code[T.nbec][s.n] = 0;
	T.bec_cls[T.nbec] = c;
	T.becix[s.n][num] = (int8_t)(T.nbec + 1);
	return T.nbec++;
}

static uint16_t new_entry(int rev, int level, int32_t code)
{
	if (T.nent == MAXENT)
		nk_die(1, "%s/hs/nomenclature.tsv: more than %d codes", T.dir, MAXENT - 1);
	entry *e = &T.ent[T.nent];
	memset(e, 0, sizeof *e);
	e->rev = (uint8_t)rev;
	e->level = (uint8_t)level;
	e->code = code;
	return (uint16_t)T.nent++;
}

static void load_nomenclature(void)
{
	static const char *const cols[] = {"hs_rev", "hs6", "bec4"};
	tab t;
	char path[sizeof T.dir + 32];
	snprintf(path, sizeof path, "%s/hs/nomenclature.tsv", T.dir);
	tab_open(&t, path, cols, 3);
	T.ent = nk_xmalloc(MAXENT * sizeof *T.ent);
	T.nent = 1;
	while (tab_next(&t)) {
		nk_str rv = tab_f(&t, 0), bl = tab_f(&t, 2);
		int rev = parse_rev(rv.p, rv.n);
		if (rev < 0)
			tab_die(&t, 0, "not an HS revision (H0..H6)");
		int32_t c = parse_code(tab_f(&t, 1), 6);
		if (c < 0)
			tab_die(&t, 1, "not a 6-digit code");
		if (get6(rev, c))
			tab_die(&t, 1, "code listed twice");
		uint16_t id = new_entry(rev, 6, c);
		entry *e = &T.ent[id];
		/* ';'-separated list */
		nk_str b[32];
		size_t nb = 0;
		const char *p = bl.p, *end = p + bl.n;
		while (bl.n && p <= end) {
			const char *q = memchr(p, ';', (size_t)(end - p));
			if (!q)
				q = end;
			if (nb == 32)
				tab_die(&t, 2, "too many BEC codes");
			b[nb++] = (nk_str){p, (size_t)(q - p)};
			p = q + 1;
		}
		for (size_t i = 0; i < nb; i++) {
			int k = bec_index(b[i]);
			if (k < 0)
				tab_die(&t, 2, "BEC code not in bec4_class.tsv");
			e->bec |= 1u << k;
			e->cls |= T.bec_cls[k];
		}
		if (!nb)
			e->cls = CL_UNCL;
		put6(rev, c, id);
		/* headings and chapters: the union of their subheadings */
		uint16_t *h4 = &T.c4[rev][c / 100], *h2 = &T.c2[rev][c / 10000];
		if (!*h4)
			*h4 = new_entry(rev, 4, c / 100);
		if (!*h2)
			*h2 = new_entry(rev, 2, c / 10000);
		e = &T.ent[id];
		T.ent[*h4].bec |= e->bec, T.ent[*h4].cls |= e->cls;
		T.ent[*h2].bec |= e->bec, T.ent[*h2].cls |= e->cls;
	}
	tab_close(&t);
	/* the ';'-joined BEC text of each entry, codes ordered by length then
	 * text (7, 21, 41, 111) */
	int order[32], no = 0;
	for (int i = 0; i < T.nbec; i++)
		order[no++] = i;
	for (int i = 1; i < no; i++)
		for (int j = i; j > 0; j--) {
			const char *a = T.bec_code[order[j - 1]], *b = T.bec_code[order[j]];
			if (strlen(a) < strlen(b) || (strlen(a) == strlen(b) && strcmp(a, b) <= 0))
				break;
			int x = order[j];
			order[j] = order[j - 1];
			order[j - 1] = x;
		}
	size_t *off = nk_xmalloc(T.nent * sizeof *off);
	for (size_t i = 1; i < T.nent; i++) {
		char buf[32 * 5];
		size_t n = 0;
		for (int k = 0; k < no; k++)
			if (T.ent[i].bec & (1u << order[k])) {
				if (n)
					buf[n++] = ';';
				size_t l = strlen(T.bec_code[order[k]]);
				memcpy(buf + n, T.bec_code[order[k]], l);
				n += l;
			}
		off[i] = T.npool;
		pool_add(buf, n);
		T.ent[i].becs.n = n;
	}
	for (size_t i = 1; i < T.nent; i++)
		T.ent[i].becs.p = T.pool + off[i];
	free(off);
}

static void load_sections(int names)
{
	static const char *const scols[] = {"section", "first_chapter", "last_chapter", "name"};
	static const char *const ccols[] = {"chapter", "name"};
	tab t;
	char path[sizeof T.dir + 32];
	for (int i = 0; i < 100; i++)
		T.chap_sec[i] = -1;
	snprintf(path, sizeof path, "%s/hs/sections.tsv", T.dir);
	tab_open(&t, path, scols, 4);
	int ns = 0;
	while (tab_next(&t)) {
		nk_str id = tab_f(&t, 0);
		if (ns == 21 || id.n < 1 || id.n > 5)
			tab_die(&t, 0, "not a section (I..XXI)");
		int32_t a = parse_code(tab_f(&t, 1), 2), b = parse_code(tab_f(&t, 2), 2);
		if (a < 1)
			tab_die(&t, 1, "not a chapter");
		if (b < a)
			tab_die(&t, 2, "not a chapter after first_chapter");
		memcpy(T.sec_id[ns], id.p, id.n);
		T.sec_id[ns][id.n] = 0;
		T.sec_name[ns] = names ? tab_strdup(&t, 3) : NULL;
		for (int c = a; c <= b; c++)
			T.chap_sec[c] = ns;
		ns++;
	}
	tab_close(&t);
	if (!names)
		return;
	snprintf(path, sizeof path, "%s/hs/chapters.tsv", T.dir);
	tab_open(&t, path, ccols, 2);
	while (tab_next(&t)) {
		int32_t c = parse_code(tab_f(&t, 0), 2);
		if (c < 0)
			tab_die(&t, 0, "not a 2-digit chapter");
		free(T.chap_name[c]);
		T.chap_name[c] = tab_strdup(&t, 1);
	}
	tab_close(&t);
}

static uint16_t lookup6(int rev, nk_str s)
{
	int32_t c = parse_code(s, 6);
	return c < 0 ? 0 : get6(rev, c);
}

typedef struct {
	uint16_t from, to;
} pair;

static int by_code(const void *a, const void *b)
{
	int32_t x = T.ent[*(const uint16_t *)a].code, y = T.ent[*(const uint16_t *)b].code;
	return (x > y) - (x < y);
}

/* Links grouped by source entry (a stable counting sort), each group in
 * target code order; every weight 1 (equal shares) until --weights. */
static void build_links(const pair *p, size_t n, links *L)
{
	uint32_t *st = nk_xmalloc((T.nent + 1) * sizeof *st);
	uint32_t *fill = nk_xmalloc((T.nent + 1) * sizeof *fill);
	memset(st, 0, (T.nent + 1) * sizeof *st);
	L->to = nk_xmalloc((n ? n : 1) * sizeof *L->to);
	L->w = nk_xmalloc((n ? n : 1) * sizeof *L->w);
	L->wset = nk_xmalloc(n ? n : 1);
	memset(L->wset, 0, n);
	for (size_t i = 0; i < n; i++) {
		st[p[i].from + 1]++;
		L->w[i] = NK_DEC_ONE;
	}
	for (size_t i = 1; i <= T.nent; i++)
		st[i] += st[i - 1];
	memcpy(fill, st, (T.nent + 1) * sizeof *fill);
	for (size_t i = 0; i < n; i++)
		L->to[fill[p[i].from]++] = p[i].to;
	for (size_t e = 0; e < T.nent; e++)
		for (uint32_t i = st[e] + 1; i < st[e + 1]; i++)
			if (T.ent[L->to[i]].code <= T.ent[L->to[i - 1]].code) {
				qsort(L->to + st[e], st[e + 1] - st[e], sizeof *L->to, by_code);
				break;
			}
	free(fill);
	L->start = st;
}

/* Index of the link from -> to, or -1. */
static int64_t find_link(const links *L, uint16_t from, uint16_t to)
{
	for (uint32_t i = L->start[from]; i < L->start[from + 1]; i++)
		if (L->to[i] == to)
			return i;
	return -1;
}

static void free_links(links *L)
{
	free(L->start);
	free(L->to);
	free(L->w);
	free(L->wset);
}

static void load_correlation(void)
{
	static const char *const cols[] = {"rev_new", "hs_new", "rev_old", "hs_old"};
	tab t;
	char path[sizeof T.dir + 32];
	snprintf(path, sizeof path, "%s/hs/correlation.tsv", T.dir);
	tab_open(&t, path, cols, 4);
	size_t n = 0, cap = 1 << 16;
	pair *dn = nk_xmalloc(cap * sizeof *dn), *up = nk_xmalloc(cap * sizeof *up);
	while (tab_next(&t)) {
		nk_str rvn = tab_f(&t, 0), hn = tab_f(&t, 1), rvo = tab_f(&t, 2), ho = tab_f(&t, 3);
		int rn = parse_rev(rvn.p, rvn.n), ro = parse_rev(rvo.p, rvo.n);
		if (rn < 1)
			tab_die(&t, 0, "not an HS revision (H1..H6)");
		if (ro != rn - 1)
			tab_die(&t, 2, "not the revision before rev_new");
		if (parse_code(hn, 6) < 0)
			tab_die(&t, 1, "not a 6-digit code");
		if (parse_code(ho, 6) < 0)
			tab_die(&t, 3, "not a 6-digit code");
		uint16_t a = lookup6(rn, hn), b = lookup6(ro, ho);
		if (!a) {
			char w[64];
			snprintf(w, sizeof w, "code not in the %s nomenclature", rev_name[rn]);
			tab_die(&t, 1, w);
		}
		if (!b) {
			char w[64];
			snprintf(w, sizeof w, "code not in the %s nomenclature", rev_name[ro]);
			tab_die(&t, 3, w);
		}
		if (n == cap) {
			cap *= 2;
			dn = nk_xrealloc(dn, cap * sizeof *dn);
			up = nk_xrealloc(up, cap * sizeof *up);
		}
		dn[n] = (pair){a, b};
		up[n] = (pair){b, a};
		n++;
	}
	tab_close(&t);
	build_links(dn, n, &T.down);
	build_links(up, n, &T.up);
	free(dn);
	free(up);
}

static void load_weights(const char *path)
{
	static const char *const cols[] = {"from_rev", "from_hs", "to_rev", "to_hs", "weight"};
	tab t;
	tab_open(&t, path, cols, 5);
	while (tab_next(&t)) {
		nk_str rvf = tab_f(&t, 0), rvt = tab_f(&t, 2), ws = tab_f(&t, 4);
		int rf = parse_rev(rvf.p, rvf.n), rt = parse_rev(rvt.p, rvt.n);
		if (rf < 0)
			tab_die(&t, 0, "not an HS revision (H0..H6)");
		if (rt < 0 || (rt != rf - 1 && rt != rf + 1))
			tab_die(&t, 2, "not the revision next to from_rev");
		uint16_t a = lookup6(rf, tab_f(&t, 1)), b = lookup6(rt, tab_f(&t, 3));
		if (!a)
			tab_die(&t, 1, "code not in the from_rev nomenclature");
		if (!b)
			tab_die(&t, 3, "code not in the to_rev nomenclature");
		links *L = rt < rf ? &T.down : &T.up;
		int64_t l = find_link(L, a, b);
		if (l < 0)
			tab_die(&t, 3, "no such link in the correlation table");
		nk_dec w;
		int rc = nk_dec_parse(ws.p, ws.n, &w);
		if (rc != NK_DEC_OK)
			tab_die(&t, 4, rc == NK_DEC_EMPTY ? "empty weight" : nk_dec_strerror(rc));
		if (w < 0)
			tab_die(&t, 4, "negative weight");
		L->w[l] = w;
		L->wset[l] = 1;
	}
	tab_close(&t);
	/* a code with any weight given: its other links weigh 0 */
	for (int dir = 0; dir < 2; dir++) {
		links *L = dir ? &T.up : &T.down;
		uint32_t *s = L->start;
		for (size_t e = 1; e < T.nent; e++) {
			int any = 0;
			nk_dec sum = 0;
			for (uint32_t i = s[e]; i < s[e + 1]; i++)
				any |= L->wset[i];
			if (!any)
				continue;
			for (uint32_t i = s[e]; i < s[e + 1]; i++) {
				if (!L->wset[i])
					L->w[i] = 0;
				if (sum > INT64_MAX - L->w[i])
					nk_die(1, "%s: weights of %s %06d too large", path,
					       rev_name[T.ent[e].rev], T.ent[e].code);
				sum += L->w[i];
			}
			if (!sum)
				nk_die(1, "%s: weights of %s %06d towards %s sum to zero", path,
				       rev_name[T.ent[e].rev], T.ent[e].code,
				       rev_name[T.ent[e].rev + (dir ? 1 : -1)]);
		}
	}
}

/* --data-dir, else the shipped tables (nk_datafile). */
static void find_datadir(const opts *o)
{
	if (o->datadir) {
		snprintf(T.dir, sizeof T.dir, "%s", o->datadir);
		return;
	}
	static const char tail[] = "/hs/nomenclature.tsv";
	char *p = nk_datafile("data/hs/nomenclature.tsv");
	size_t n = strlen(p) - (sizeof tail - 1);
	snprintf(T.dir, sizeof T.dir, "%.*s", (int)n, p);
	free(p);
}

static void free_tables(void)
{
	free(T.ent);
	free(T.pool);
	free_links(&T.down);
	free_links(&T.up);
	for (int i = 0; i < 21; i++)
		free(T.sec_name[i]);
	for (int i = 0; i < 100; i++)
		free(T.chap_name[i]);
}

/* ------------------------------------------------------------- options */

static void parse_opts(opts *o, int argc, char **argv)
{
	enum { OPT_MOTOR = NK_OPT_TOOL, OPT_REVYEAR };
	static const struct option lo[] = {
		NK_COMMON_LONGOPTS,
		{"names", 0, 0, 'n'},
		{"strict", 0, 0, 's'},
		{"to", 1, 0, 't'},
		{"weights", 1, 0, 'w'},
		{"data-dir", 1, 0, 'd'},
		{"motor-spirit", 1, 0, OPT_MOTOR},
		{"rev-by-year", 0, 0, OPT_REVYEAR},
		{0, 0, 0, 0},
	};
	int c;
	o->to = -1;
	while ((c = getopt_long(argc, argv, NK_COMMON_SHORTOPTS "nst:w:d:", lo, 0)) != -1) {
		if (nk_common_opt(&o->co, c, optarg, help))
			continue;
		switch (c) {
		case 'n': o->names = 1; break;
		case 's': o->strict = 1; break;
		case 't':
			o->to = parse_rev(optarg, strlen(optarg));
			if (o->to < 0)
				nk_usage_error("--to: not an HS revision (H0..H6): '%s'", optarg);
			break;
		case 'w': o->weights = optarg; break;
		case 'd': o->datadir = optarg; break;
		case OPT_REVYEAR: o->rev_by_year = 1; break;
		case OPT_MOTOR:
			if (!strcmp(optarg, "consumption"))
				o->motor_consumption = 1;
			else if (strcmp(optarg, "unclassified"))
				nk_usage_error("--motor-spirit: not 'unclassified' or 'consumption': '%s'", optarg);
			break;
		default: nk_usage_error("unknown option");
		}
	}
	if (o->weights && o->to < 0)
		nk_usage_error("--weights needs --to");
}

/* ------------------------------------------------------------- streaming */

enum { ST_OK, ST_RESTORED, ST_UNKNOWN, ST_AGGREGATE, ST_N };
static const char *const st_name[ST_N] = {"ok", "restored", "unknown", "aggregate"};
static const char *const stage_name[16] = {
	"", "capital", "intermediate", "mixed", "consumption", "mixed", "mixed", "mixed",
	"unclassified", "mixed", "mixed", "mixed", "mixed", "mixed", "mixed", "mixed",
};

/* A parsed code: digits restored to even length, and what it is. */
typedef struct {
	char d[8];
	int len;   /* 0 = TOTAL */
	int status;
	uint16_t eid; /* 0 = not in the nomenclature (or no revision) */
	int rev;
} code;

/* Indexes of the columns added (into add[]). */
enum { A_HS, A_HSREV, A_AMT0, A_HS6 = A_AMT0 + AMT_MAX, A_HS4, A_HS2, A_SEC,
       A_SECNAME, A_CHAPNAME, A_STATUS, A_BEC, A_STAGE, A_FROM, A_REVFROM, A_CONV,
       A_N };

typedef struct {
	const opts *o;
	nk_tsv *t;
	nk_out *out;
	nk_layout *lay;
	size_t ihs, irev, iyear; /* iyear: only with --rev-by-year */
	int iamt[AMT_MAX]; /* input column or -1 */
	int addmap[A_N];   /* index into the layout's add list, or -1 */
	nk_str add[A_N];
	const char *addnames[A_N];
	uint64_t nst[ST_N], nstage[16], norev, nconv[4], nsplit_rows, nsplit_out;
	/* conversion scratch */
	uint16_t *cur, *nxt;
	nk_dec *camt, *namt; /* AMT_MAX per item */
	int32_t *slot;	     /* per entry id: index in nxt or -1 */
	size_t cap;
	nk_dec *parts;	     /* one item's split: AMT_MAX * pcap */
	uint32_t pcap;
	int amt_empty[AMT_MAX];
	/* fast path (no --to, all added columns appended): the added text of
	 * each (entry, restored) once built, in cache_pool */
	int fast;
	size_t nadd;
	uint32_t *cache_off, *cache_len; /* 2 per entry; len 0 = not built */
	char *cache_pool;
	size_t cache_n, cache_cap;
	char *sfx;
	size_t sfx_cap;
	char numbuf[AMT_MAX][32];
} run;

static void parse_row_code(run *R, code *c)
{
	const nk_tsv *t = R->t;
	nk_str s = t->f[R->ihs], rv = t->f[R->irev];
	c->rev = -1;
	if (rv.n) {
		c->rev = parse_rev(rv.p, rv.n);
		if (c->rev < 0)
			nk_tsv_die(t, R->irev, "not an HS revision this tool knows (H0..H6)");
	} else if (R->o->rev_by_year) {
		/* the first year of H1..H6; HS1992 (H0) before 1996 */
		static const int from[NREV] = {0, 1996, 2002, 2007, 2012, 2017, 2022};
		int y = nk_row_year(t, R->iyear);
		for (c->rev = NREV - 1; c->rev > 0 && y < from[c->rev]; c->rev--)
			;
	}
	c->eid = 0;
	if (s.n == 5 && !memcmp(s.p, "TOTAL", 5)) {
		c->len = 0;
		c->status = ST_AGGREGATE;
		return;
	}
	if (s.n == 0)
		nk_tsv_die(t, R->ihs, "empty commodity code");
	for (size_t i = 0; i < s.n; i++)
		if (s.p[i] < '0' || s.p[i] > '9')
			nk_tsv_die(t, R->ihs, "not an HS code (digits or TOTAL)");
	if (s.n > 6)
		nk_tsv_die(t, R->ihs, "HS code longer than 6 digits");
	int pad = (int)(s.n & 1);
	c->d[0] = '0';
	memcpy(c->d + pad, s.p, s.n);
	c->len = (int)s.n + pad;
	int32_t v = 0;
	for (int i = 0; i < c->len; i++)
		v = v * 10 + (c->d[i] - '0');
	if (c->rev >= 0)
		c->eid = c->len == 6 ? get6(c->rev, v) : c->len == 4 ? T.c4[c->rev][v] : T.c2[c->rev][v];
	if (!c->eid)
		c->status = ST_UNKNOWN;
	else if (c->len < 6)
		c->status = ST_AGGREGATE;
	else
		c->status = pad ? ST_RESTORED : ST_OK;
	if (c->status == ST_UNKNOWN && R->o->strict) {
		char w[64];
		if (c->rev < 0)
			snprintf(w, sizeof w, "code cannot be checked: hs_rev is empty");
		else
			snprintf(w, sizeof w, "code not in the %s nomenclature", rev_name[c->rev]);
		nk_tsv_die(t, R->ihs, w);
	}
}

static inline void set_add(run *R, int a, const char *p, size_t n)
{
	if (R->addmap[a] >= 0)
		R->add[R->addmap[a]] = (nk_str){p, n};
}

/* Fill the code-derived columns for code digits d (len 0/2/4/6) and entry. */
static void fill_code(run *R, const char *d, int len, uint16_t eid, int status)
{
	set_add(R, A_HS6, d, len == 6 ? 6 : 0);
	set_add(R, A_HS4, d, len >= 4 ? 4 : 0);
	set_add(R, A_HS2, d, len >= 2 ? 2 : 0);
	int ch = len >= 2 ? (d[0] - '0') * 10 + (d[1] - '0') : -1;
	int sec = ch >= 0 ? T.chap_sec[ch] : -1;
	const char *sid = sec >= 0 ? T.sec_id[sec] : "";
	set_add(R, A_SEC, sid, strlen(sid));
	if (R->o->names) {
		const char *sn = sec >= 0 ? T.sec_name[sec] : "";
		const char *cn = ch >= 0 && T.chap_name[ch] ? T.chap_name[ch] : "";
		set_add(R, A_SECNAME, sn, strlen(sn));
		set_add(R, A_CHAPNAME, cn, strlen(cn));
	}
	set_add(R, A_STATUS, st_name[status], strlen(st_name[status]));
	if (eid) {
		const entry *e = &T.ent[eid];
		const char *sg = stage_name[e->cls];
		set_add(R, A_BEC, e->becs.p, e->becs.n);
		set_add(R, A_STAGE, sg, strlen(sg));
	} else {
		set_add(R, A_BEC, "", 0);
		set_add(R, A_STAGE, "", 0);
	}
	R->nstage[eid ? T.ent[eid].cls : 0]++;
}

static void emit(run *R)
{
	nk_layout_row(R->out, R->lay, R->t->f, R->add);
}

static void grow(run *R, size_t need)
{
	if (need <= R->cap)
		return;
	size_t c = R->cap ? R->cap : 64;
	while (c < need)
		c *= 2;
	R->cur = nk_xrealloc(R->cur, c * sizeof *R->cur);
	R->nxt = nk_xrealloc(R->nxt, c * sizeof *R->nxt);
	R->camt = nk_xrealloc(R->camt, c * AMT_MAX * sizeof *R->camt);
	R->namt = nk_xrealloc(R->namt, c * AMT_MAX * sizeof *R->namt);
	R->cap = c;
}

/* Parse the row's amounts into R->camt[0..], the first item of a walk.
 * Returns how many are there (not empty). A bad one is noted in *bad (its
 * index into iamt) and *badrc, not fatal here: a code whose split merges
 * back into one code keeps its values as written, like a 1:1 code. */
static int parse_amounts(run *R, int *which, int *bad, int *badrc)
{
	int namt = 0;
	for (int k = 0; k < AMT_MAX; k++) {
		R->amt_empty[k] = 1;
		if (R->iamt[k] < 0)
			continue;
		nk_str s = R->t->f[R->iamt[k]];
		nk_dec v;
		int rc = nk_dec_parse(s.p, s.n, &v);
		if (rc == NK_DEC_EMPTY)
			continue;
		if (rc != NK_DEC_OK && *bad < 0) {
			*bad = k;
			*badrc = rc;
		}
		R->amt_empty[k] = 0;
		R->camt[namt] = v;
		which[namt++] = k;
	}
	return namt;
}

/* Convert the row's code (entry c->eid in revision c->rev) to revision o->to
 * in one walk, one revision at a time: the set of codes reached and, from
 * the first code that maps to several, their share of each amount (merging
 * equal codes). Writes one or more rows. Returns 0 if the code cannot be
 * converted (a code on the way has no link): nothing written then. */
static int convert(run *R, const code *c)
{
	int to = R->o->to, step = to < c->rev ? -1 : 1;
	const links *L = step < 0 ? &T.down : &T.up;
	const uint32_t *rs = step < 0 ? T.up.start : T.down.start; /* reverse links */
	size_t n = 1;
	grow(R, 1);
	R->cur[0] = c->eid;
	int kind = 1;	/* 1 = 1:1, 2 = n:1, 3 = 1:n */
	int namt = -1;	/* amounts carried: -1 = not yet (no split so far) */
	int which[AMT_MAX], bad = -1, badrc = 0;
	for (int r = c->rev; r != to; r += step) {
		size_t m = 0;
		for (size_t i = 0; i < n; i++) {
			uint16_t e = R->cur[i];
			uint32_t s = L->start[e], k = L->start[e + 1] - s;
			if (!k)
				return 0;
			grow(R, m + k);
			if (k > 1 && namt < 0) /* first split: n is still 1 */
				namt = parse_amounts(R, which, &bad, &badrc);
			if (k > R->pcap) {
				R->pcap = k * 2;
				R->parts = nk_xrealloc(R->parts, R->pcap * AMT_MAX * sizeof *R->parts);
			}
			for (int a = 0; a < namt && bad < 0; a++) {
				nk_dec v = R->camt[i * AMT_MAX + a];
				if (k == 1)
					R->parts[a] = v;
				else
					nk_dec_split(v, &L->w[s], k, R->parts + (size_t)a * k);
			}
			for (uint32_t j = 0; j < k; j++) {
				uint16_t x = L->to[s + j];
				if (rs[x + 1] - rs[x] > 1 && kind < 2)
					kind = 2;
				if (R->slot[x] < 0) {
					R->slot[x] = (int32_t)m;
					R->nxt[m] = x;
					for (int a = 0; a < namt; a++)
						R->namt[m * AMT_MAX + a] = 0;
					m++;
				}
				size_t at = (size_t)R->slot[x];
				for (int a = 0; a < namt && bad < 0; a++)
					R->namt[at * AMT_MAX + a] +=
						k == 1 ? R->parts[a] : R->parts[(size_t)a * k + j];
			}
		}
		for (size_t i = 0; i < m; i++)
			R->slot[R->nxt[i]] = -1;
		uint16_t *sw = R->cur;
		R->cur = R->nxt;
		R->nxt = sw;
		nk_dec *sa = R->camt;
		R->camt = R->namt;
		R->namt = sa;
		n = m;
	}
	if (n > 1)
		kind = 3;
	static const char *const kn[4] = {"", "1:1", "n:1", "1:n"};
	set_add(R, A_CONV, kn[kind], 3);
	set_add(R, A_HSREV, rev_name[to], 2);
	if (n == 1) { /* one code: amounts pass as they are */
		const entry *e = &T.ent[R->cur[0]];
		char d[8];
		snprintf(d, sizeof d, "%06d", e->code);
		set_add(R, A_HS, d, 6);
		fill_code(R, d, 6, R->cur[0], c->status);
		emit(R);
		R->nconv[kind]++;
		return 1;
	}
	if (bad >= 0)
		nk_tsv_die(R->t, (size_t)R->iamt[bad],
			   badrc == NK_DEC_INEXACT ? "more than 3 decimals, cannot split exactly"
						 : nk_dec_strerror(badrc));
	/* rows in code order */
	uint16_t *ids = R->nxt; /* free now: a copy of cur to sort */
	memcpy(ids, R->cur, n * sizeof *ids);
	qsort(ids, n, sizeof *ids, by_code);
	for (size_t i = 0; i < n; i++)
		R->slot[R->cur[i]] = (int32_t)i;
	for (size_t i = 0; i < n; i++) {
		const entry *e = &T.ent[ids[i]];
		size_t at = (size_t)R->slot[ids[i]];
		char d[8];
		snprintf(d, sizeof d, "%06d", e->code);
		set_add(R, A_HS, d, 6);
		for (int a = 0; a < namt; a++) {
			int k = which[a];
			size_t len = nk_dec_fmt(R->camt[at * AMT_MAX + a], R->numbuf[k]);
			set_add(R, A_AMT0 + k, R->numbuf[k], len);
		}
		for (int k = 0; k < AMT_MAX; k++)
			if (R->amt_empty[k] && R->iamt[k] >= 0)
				set_add(R, A_AMT0 + k, "", 0);
		fill_code(R, d, 6, ids[i], c->status);
		emit(R);
	}
	for (size_t i = 0; i < n; i++)
		R->slot[R->cur[i]] = -1;
	R->nconv[3]++;
	R->nsplit_rows++;
	R->nsplit_out += n;
	return 1;
}

/* The added columns of the current add[] as one "\t..." text in R->sfx. */
static size_t build_suffix(run *R)
{
	size_t n = 0;
	for (size_t i = 0; i < R->nadd; i++)
		n += 1 + R->add[i].n;
	if (n > R->sfx_cap) {
		R->sfx_cap = n * 2;
		R->sfx = nk_xrealloc(R->sfx, R->sfx_cap);
	}
	char *p = R->sfx;
	for (size_t i = 0; i < R->nadd; i++) {
		*p++ = '\t';
		memcpy(p, R->add[i].p, R->add[i].n);
		p += R->add[i].n;
	}
	return n;
}

static void process_fast(run *R, const code *c)
{
	nk_out *o = R->out;
	nk_out_write(o, R->t->row.p, R->t->row.n);
	if (c->eid) {
		size_t k = (size_t)c->eid * 2 + (c->status == ST_RESTORED);
		if (!R->cache_len[k]) {
			fill_code(R, c->d, c->len, c->eid, c->status);
			size_t n = build_suffix(R);
			if (R->cache_n + n > R->cache_cap) {
				R->cache_cap = (R->cache_n + n) * 2;
				R->cache_pool = nk_xrealloc(R->cache_pool, R->cache_cap);
			}
			memcpy(R->cache_pool + R->cache_n, R->sfx, n);
			R->cache_off[k] = (uint32_t)R->cache_n;
			R->cache_len[k] = (uint32_t)n;
			R->cache_n += n;
		} else {
			R->nstage[T.ent[c->eid].cls]++;
		}
		nk_out_write(o, R->cache_pool + R->cache_off[k], R->cache_len[k]);
	} else {
		fill_code(R, c->d, c->len, c->eid, c->status);
		nk_out_write(o, R->sfx, build_suffix(R));
	}
	nk_out_byte(o, '\n');
}

static void process(run *R)
{
	code c;
	parse_row_code(R, &c);
	R->nst[c.status]++;
	if (!R->t->f[R->irev].n)
		R->norev++;
	if (R->fast) {
		process_fast(R, &c);
		return;
	}
	if (R->o->to >= 0) {
		nk_str hs = R->t->f[R->ihs], rv = R->t->f[R->irev];
		set_add(R, A_FROM, hs.p, hs.n);
		set_add(R, A_REVFROM, rv.p, rv.n);
		set_add(R, A_HS, hs.p, hs.n);
		set_add(R, A_HSREV, rv.p, rv.n);
		/* --to writes the amounts as converted ones, also where a
		 * code passes 1:1 as written: each must be a contract number
		 * (FILE:LINE: field 'value_usd': ...) or empty */
		for (int k = 0; k < AMT_MAX; k++)
			if (R->iamt[k] >= 0) {
				nk_row_num(R->t, (size_t)R->iamt[k], NULL);
				set_add(R, A_AMT0 + k, R->t->f[R->iamt[k]].p, R->t->f[R->iamt[k]].n);
			}
		if (c.rev == R->o->to) {
			set_add(R, A_CONV, "same", 4);
		} else if (c.len == 6 && c.eid && convert(R, &c)) {
			return;
		} else {
			set_add(R, A_CONV, "none", 4);
			R->nconv[0]++;
		}
	}
	fill_code(R, c.d, c.len, c.eid, c.status);
	emit(R);
}

static void open_run(run *R, const opts *o, char **paths, int npaths)
{
	static const char *const names[A_N] = {
		"hs", "hs_rev", "value_usd", "cif_usd", "fob_usd", "netwgt_kg", "qty",
		"hs6", "hs4", "hs2", "section", "section_name", "chapter_name",
		"hs_status", "bec4", "stage", "hs_from", "hs_rev_from", "hs_conv",
	};
	R->o = o;
	R->t = nk_tsv_open(paths, npaths);
	R->ihs = nk_tsv_need(R->t, "hs");
	R->irev = nk_tsv_need(R->t, "hs_rev");
	if (o->rev_by_year)
		R->iyear = nk_tsv_need(R->t, "year");
	const char **add = R->addnames; /* borrowed by the layout */
	size_t nadd = 0;
	for (int a = 0; a < A_N; a++) {
		R->addmap[a] = -1;
		int conv = a < A_HS6 || a >= A_FROM;
		if (conv && o->to < 0)
			continue;
		if ((a == A_SECNAME || a == A_CHAPNAME) && !o->names)
			continue;
		if (a >= A_AMT0 && a < A_AMT0 + AMT_MAX) {
			R->iamt[a - A_AMT0] = nk_tsv_col(R->t, names[a]);
			if (o->to < 0 || R->iamt[a - A_AMT0] < 0)
				continue;
		}
		R->addmap[a] = (int)nadd;
		add[nadd++] = names[a];
	}
	if (o->to < 0)
		for (int k = 0; k < AMT_MAX; k++)
			R->iamt[k] = -1;
	R->lay = nk_layout_new(R->t, add, nadd);
	R->nadd = nadd;
	R->fast = o->to < 0 && R->lay->ntail == nadd;
	if (R->fast) {
		R->cache_off = nk_xmalloc(MAXENT * 2 * sizeof *R->cache_off);
		R->cache_len = nk_xmalloc(MAXENT * 2 * sizeof *R->cache_len);
		memset(R->cache_len, 0, MAXENT * 2 * sizeof *R->cache_len);
	}
	R->slot = nk_xmalloc(MAXENT * sizeof *R->slot);
	for (int i = 0; i < MAXENT; i++)
		R->slot[i] = -1;
}

static void summary(const run *R)
{
	uint64_t mixed = 0;
	for (int i = 0; i < 16; i++)
		if (!strcmp(stage_name[i], "mixed"))
			mixed += R->nstage[i];
	nk_warn("rows %llu: ok %llu, restored %llu, unknown %llu, aggregate %llu, "
		"empty hs_rev %llu%s",
		(unsigned long long)R->t->rows, (unsigned long long)R->nst[ST_OK],
		(unsigned long long)R->nst[ST_RESTORED], (unsigned long long)R->nst[ST_UNKNOWN],
		(unsigned long long)R->nst[ST_AGGREGATE], (unsigned long long)R->norev,
		R->o->rev_by_year ? " (checked against their year's revision)" : "");
	nk_warn("stage: capital %llu, intermediate %llu, consumption %llu, unclassified %llu, "
		"mixed %llu, none %llu",
		(unsigned long long)R->nstage[CL_CAP], (unsigned long long)R->nstage[CL_INT],
		(unsigned long long)R->nstage[CL_CONS], (unsigned long long)R->nstage[CL_UNCL],
		(unsigned long long)mixed, (unsigned long long)R->nstage[0]);
	if (R->o->to >= 0)
		nk_warn("to %s: 1:1 %llu, n:1 %llu, split %llu into %llu rows, not converted %llu",
			rev_name[R->o->to], (unsigned long long)R->nconv[1],
			(unsigned long long)R->nconv[2], (unsigned long long)R->nsplit_rows,
			(unsigned long long)R->nsplit_out, (unsigned long long)R->nconv[0]);
}

int main(int argc, char **argv)
{
	nk_init(argv);
	opts o = {0};
	parse_opts(&o, argc, argv);

	find_datadir(&o);
	load_classes(&o);
	load_nomenclature();
	load_sections(o.names);
	if (o.to >= 0)
		load_correlation();
	if (o.weights)
		load_weights(o.weights);

	run R = {0};
	open_run(&R, &o, argv + optind, argc - optind);
	nk_out *rej = nk_rej_open(o.co.rejects, R.t->col, R.t->ncol);
	R.out = nk_out_open(o.co.output);
	nk_layout_header(R.out, R.t, R.lay);
	nk_progress_start(o.co.quiet);
	while (nk_tsv_next(R.t)) {
		process(&R);
		nk_progress(R.t->rows, nk_tsv_bytes(R.t));
	}
	nk_progress_end();
	nk_out_close_all((nk_out *[]){R.out, rej}, 2);
	if (!o.co.quiet) /* after the checked close: a failed run prints no counts */
		summary(&R);
	nk_tsv_close(R.t);
	nk_layout_free(R.lay);
	free(R.slot);
	free(R.cur);
	free(R.nxt);
	free(R.camt);
	free(R.namt);
	free(R.parts);
	free(R.cache_off);
	free(R.cache_len);
	free(R.cache_pool);
	free(R.sfx);
	free_tables();
	return 0;
}
