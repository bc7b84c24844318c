/* select.c - the row selector of rule files. See select.h. */
#include "select.h"

#include <stdlib.h>
#include <string.h>

const char *const nk_sel_keys[] = {"counterpart", "reporter", "flow", "nk_flow", "years",
				   "hs", "hs_rev", "source", NULL};

/* ---------------------------------------------------------------- years */

void nk_years_add(nk_years *s, int y)
{
	unsigned k = (unsigned)(y - NK_YEAR_MIN);
	if (k < 256)
		s->b[k >> 6] |= (uint64_t)1 << (k & 63);
}

int nk_years_meet(const nk_years *a, const nk_years *b)
{
	for (int i = 0; i < 4; i++)
		if (a->b[i] & b->b[i])
			return 1;
	return 0;
}

int nk_years_empty(const nk_years *s)
{
	return !(s->b[0] | s->b[1] | s->b[2] | s->b[3]);
}

/* -------------------------------------------------------------- loading */

/* A scalar or a non-empty list of scalars, as nodes. */
static size_t items(const nk_ynode *v, const char *what, const nk_ynode *const **out)
{
	if (v->kind == NK_Y_SCALAR) {
		*out = (const nk_ynode *const *)NULL;
		return 1;
	}
	nk_yseq(v, what);
	if (v->n == 0)
		nk_ydie(v, "'%s' is an empty list: it would match nothing", what);
	*out = (const nk_ynode *const *)v->kid;
	return v->n;
}
#define ITEM(v, it, i) ((it) ? (it)[i] : (v))

static uint32_t *iso_list(const nk_ynode *v, const char *what, size_t *n)
{
	const nk_ynode *const *it;
	*n = items(v, what, &it);
	uint32_t *c = nk_xmalloc(*n * sizeof *c);
	for (size_t i = 0; i < *n; i++) {
		const char *s = nk_ystr(ITEM(v, it, i), what, 1);
		c[i] = nk_iso3(s, strlen(s));
		if (c[i] == NK_ISO3_BAD || c[i] == NK_ISO3_EMPTY)
			nk_ydie(ITEM(v, it, i),
				"'%s' must be an ISO3 code (3 capital letters): '%s'", what, s);
	}
	return c;
}

static int flow_mask(const nk_ynode *v, const char *what, int nk)
{
	const nk_ynode *const *it;
	size_t n = items(v, what, &it);
	int m = 0;
	for (size_t i = 0; i < n; i++) {
		const char *s = nk_ystr(ITEM(v, it, i), what, 1);
		int f = nk ? nk_nkflow_parse(s, strlen(s)) : nk_flow_parse(s, strlen(s));
		if (!f)
			nk_ydie(ITEM(v, it, i), nk ? "'nk_flow' must be X or M: '%s'"
						   : "'flow' must be M, X, RM or RX: '%s'",
				s);
		m |= f;
	}
	return m;
}

static int hsrev_mask(const nk_ynode *v, const char *what)
{
	const nk_ynode *const *it;
	size_t n = items(v, what, &it);
	int m = 0;
	for (size_t i = 0; i < n; i++) {
		const char *s = nk_ystr(ITEM(v, it, i), what, 1);
		int r = nk_hsrev_parse(s, strlen(s));
		if (r < 0)
			nk_ydie(ITEM(v, it, i), "'%s' must be H0..H6: '%s'", what, s);
		m |= 1 << r;
	}
	return m;
}

static int year_of(const nk_ynode *at, const char *p, size_t n)
{
	int y = nk_year_parse(p, n);
	if (y < 0)
		nk_ydie(at, "'years': not a year (%d-%d): '%.*s'", NK_YEAR_MIN, NK_YEAR_MAX,
			(int)n, p);
	return y;
}

static void year_list(const nk_ynode *v, nk_years *ys)
{
	const nk_ynode *const *it;
	size_t n = items(v, "years", &it);
	for (size_t i = 0; i < n; i++) {
		const nk_ynode *at = ITEM(v, it, i);
		const char *s = nk_ystr(at, "years", 1);
		const char *dash = strchr(s, '-');
		int a, b;
		if (dash && dash != s) { /* "2014-2019", also "2014 - 2019" */
			const char *e = dash + 1;
			while (*e == ' ')
				e++;
			size_t la = (size_t)(dash - s);
			while (la && s[la - 1] == ' ')
				la--;
			a = year_of(at, s, la);
			b = year_of(at, e, strlen(e));
			if (b < a)
				nk_ydie(at, "'years': range is reversed: '%s' (write %d-%d)", s, b, a);
		} else {
			a = b = year_of(at, s, strlen(s));
		}
		for (int y = a; y <= b; y++)
			nk_years_add(ys, y);
	}
}

int nk_hs_code_ok(const char *s)
{
	if (!strcmp(s, "TOTAL"))
		return 1;
	size_t n = strlen(s);
	if (n == 0 || n > 10)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

static void str_list(const nk_ynode *v, const char *what, nk_strs *ss, int hs)
{
	const nk_ynode *const *it;
	ss->n = items(v, what, &it);
	ss->s = nk_xmalloc(ss->n * sizeof *ss->s);
	ss->len = nk_xmalloc(ss->n * sizeof *ss->len);
	for (size_t i = 0; i < ss->n; i++) {
		ss->s[i] = nk_ystr(ITEM(v, it, i), what, 1);
		ss->len[i] = strlen(ss->s[i]);
		if (hs && !nk_hs_code_ok(ss->s[i]))
			nk_ydie(ITEM(v, it, i),
				"'%s' must be digits (a code or a prefix) or TOTAL: '%s'", what,
				ss->s[i]);
	}
}

void nk_strs_load_hs(nk_strs *ss, const nk_ynode *v, const char *what)
{
	str_list(v, what, ss, 1);
}

void nk_strs_free(nk_strs *ss)
{
	free(ss->s);
	free(ss->len);
	ss->s = NULL;
	ss->len = NULL;
	ss->n = 0;
}

void nk_sel_load(nk_sel *s, const nk_ynode *m, const char *what,
		 const char *const *allowed)
{
	memset(s, 0, sizeof *s);
	nk_ymap(m, what);
	nk_ymap_keys(m, what, allowed ? allowed : nk_sel_keys);
	s->node = m;
	const nk_ynode *v;
	if ((v = nk_yget(m, "counterpart")))
		s->cp = iso_list(v, "counterpart", &s->ncp);
	if ((v = nk_yget(m, "reporter")))
		s->rep = iso_list(v, "reporter", &s->nrep);
	if ((v = nk_yget(m, "flow")))
		s->flows = flow_mask(v, "flow", 0);
	if ((v = nk_yget(m, "nk_flow")))
		s->nkflows = flow_mask(v, "nk_flow", 1);
	if ((v = nk_yget(m, "years"))) {
		year_list(v, &s->years);
		s->has_years = 1;
	}
	if ((v = nk_yget(m, "hs")))
		str_list(v, "hs", &s->hs, 1);
	if ((v = nk_yget(m, "hs_rev")))
		s->hsrevs = hsrev_mask(v, "hs_rev");
	if ((v = nk_yget(m, "source")))
		str_list(v, "source", &s->source, 0);
}

static void *dup_arr(const void *p, size_t n, size_t size)
{
	if (!n)
		return NULL;
	void *d = nk_xmalloc(n * size);
	memcpy(d, p, n * size);
	return d;
}

void nk_sel_copy(nk_sel *d, const nk_sel *s)
{
	*d = *s;
	d->cp = dup_arr(s->cp, s->ncp, sizeof *s->cp);
	d->rep = dup_arr(s->rep, s->nrep, sizeof *s->rep);
	d->hs.s = dup_arr(s->hs.s, s->hs.n, sizeof *s->hs.s);
	d->hs.len = dup_arr(s->hs.len, s->hs.n, sizeof *s->hs.len);
	d->source.s = dup_arr(s->source.s, s->source.n, sizeof *s->source.s);
	d->source.len = dup_arr(s->source.len, s->source.n, sizeof *s->source.len);
}

void nk_sel_widen(nk_sel *s, uint32_t cp, const char *hs)
{
	if (cp && s->ncp) {
		s->cp = nk_xrealloc(s->cp, (s->ncp + 1) * sizeof *s->cp);
		s->cp[s->ncp++] = cp;
	}
	if (hs && s->hs.n) {
		s->hs.s = nk_xrealloc(s->hs.s, (s->hs.n + 1) * sizeof *s->hs.s);
		s->hs.len = nk_xrealloc(s->hs.len, (s->hs.n + 1) * sizeof *s->hs.len);
		s->hs.s[s->hs.n] = hs;
		s->hs.len[s->hs.n++] = strlen(hs);
	}
}

void nk_sel_free(nk_sel *s)
{
	free(s->cp);
	free(s->rep);
	nk_strs_free(&s->hs);
	nk_strs_free(&s->source);
	s->cp = s->rep = NULL;
	s->ncp = s->nrep = 0;
}

/* -------------------------------------------------------------- overlap */

static int codes_meet(const uint32_t *a, size_t na, const uint32_t *b, size_t nb)
{
	if (!na || !nb)
		return 1;
	for (size_t i = 0; i < na; i++)
		for (size_t j = 0; j < nb; j++)
			if (a[i] == b[j])
				return 1;
	return 0;
}

static int prefixes_meet(const nk_strs *a, const nk_strs *b)
{
	if (!a->n || !b->n)
		return 1;
	for (size_t i = 0; i < a->n; i++)
		for (size_t j = 0; j < b->n; j++) {
			size_t n = a->len[i] < b->len[j] ? a->len[i] : b->len[j];
			if (!memcmp(a->s[i], b->s[j], n))
				return 1;
		}
	return 0;
}

static int strs_meet(const nk_strs *a, const nk_strs *b)
{
	if (!a->n || !b->n)
		return 1;
	for (size_t i = 0; i < a->n; i++)
		for (size_t j = 0; j < b->n; j++)
			if (a->len[i] == b->len[j] && !memcmp(a->s[i], b->s[j], a->len[i]))
				return 1;
	return 0;
}

static int masks_meet(int a, int b) { return !a || !b || (a & b); }

int nk_sel_overlap(const nk_sel *a, const nk_sel *b)
{
	return masks_meet(a->flows, b->flows) && masks_meet(a->nkflows, b->nkflows) &&
	       masks_meet(a->hsrevs, b->hsrevs) &&
	       (!a->has_years || !b->has_years || nk_years_meet(&a->years, &b->years)) &&
	       codes_meet(a->cp, a->ncp, b->cp, b->ncp) &&
	       codes_meet(a->rep, a->nrep, b->rep, b->nrep) &&
	       prefixes_meet(&a->hs, &b->hs) && strs_meet(&a->source, &b->source);
}

/* ----------------------------------------------------------------- rows */

void nk_selcols_bind(nk_selcols *c, const nk_tsv *t, uint32_t need)
{
	nk_cols_bind(t, need, c->ix);
	c->hs_status = nk_tsv_col(t, "hs_status");
	c->hs_code[0] = nk_tsv_col(t, "hs6");
	c->hs_code[1] = nk_tsv_col(t, "hs4");
	c->hs_code[2] = nk_tsv_col(t, "hs2");
}

nk_str nk_sel_code(const nk_selcols *c, const nk_str *f)
{
	if (c->hs_status >= 0) {
		nk_str st = f[c->hs_status];
		if (st.n == 8 && !memcmp(st.p, "restored", 8))
			for (int k = 0; k < 3; k++)
				if (c->hs_code[k] >= 0 && f[c->hs_code[k]].n)
					return f[c->hs_code[k]];
	}
	return c->ix[NK_C_HS] >= 0 ? f[c->ix[NK_C_HS]] : (nk_str){"", 0};
}

void nk_selrow_read(nk_selrow *r, const nk_tsv *t, const nk_selcols *c)
{
	const int *ix = c->ix;
	memset(r, 0, sizeof *r);
	r->year = r->hsrev = -1;
	r->hs = (nk_str){"", 0};
	r->source = (nk_str){"", 0};
	if (ix[NK_C_COUNTERPART] >= 0)
		r->cp = nk_row_iso3(t, (size_t)ix[NK_C_COUNTERPART]);
	if (ix[NK_C_REPORTER] >= 0)
		r->rep = nk_row_iso3(t, (size_t)ix[NK_C_REPORTER]);
	if (ix[NK_C_FLOW] >= 0)
		r->flow = nk_row_flow(t, (size_t)ix[NK_C_FLOW]);
	if (ix[NK_C_NK_FLOW] >= 0)
		r->nkflow = nk_row_nkflow(t, (size_t)ix[NK_C_NK_FLOW]);
	if (ix[NK_C_YEAR] >= 0)
		r->year = nk_row_year(t, (size_t)ix[NK_C_YEAR]);
	if (ix[NK_C_HS_REV] >= 0)
		r->hsrev = nk_row_hsrev(t, (size_t)ix[NK_C_HS_REV]);
	if (ix[NK_C_HS] >= 0) {
		nk_row_hs(t, (size_t)ix[NK_C_HS]);
		r->hs = nk_sel_code(c, t->f);
	}
	if (ix[NK_C_SOURCE] >= 0)
		r->source = t->f[ix[NK_C_SOURCE]];
}

/* ------------------------------------------------------ candidate index */

typedef struct {
	uint32_t cp;
	int l[]; /* indices, -1 ended */
} candset;

struct nk_selindex {
	const nk_sel **sel;
	size_t nsel;
	candset **tab; /* open addressing by nk_hash_slot, kept half empty */
	size_t cap, n;
};

nk_selindex *nk_selindex_new(const nk_sel *const *sels, size_t n)
{
	nk_selindex *x = nk_xmalloc(sizeof *x);
	memset(x, 0, sizeof *x);
	x->sel = nk_xmalloc((n + 1) * sizeof *x->sel);
	memcpy(x->sel, sels, n * sizeof *x->sel);
	x->nsel = n;
	return x;
}

static void cand_put(candset **tab, size_t cap, candset *c)
{
	size_t h = nk_hash_slot(c->cp, cap);
	while (tab[h])
		h = (h + 1) & (cap - 1);
	tab[h] = c;
}

const int *nk_selindex_get(nk_selindex *x, uint32_t cp)
{
	if (x->cap)
		for (size_t h = nk_hash_slot(cp, x->cap); x->tab[h]; h = (h + 1) & (x->cap - 1))
			if (x->tab[h]->cp == cp)
				return x->tab[h]->l;
	candset *c = nk_xmalloc(sizeof *c + (x->nsel + 1) * sizeof *c->l);
	c->cp = cp;
	int k = 0;
	for (size_t i = 0; i < x->nsel; i++) {
		const nk_sel *s = x->sel[i];
		if (s && (!s->ncp || nk_sel_in_(s->cp, s->ncp, cp)))
			c->l[k++] = (int)i;
	}
	c->l[k] = -1;
	if (2 * (x->n + 1) > x->cap) {
		size_t ncap = x->cap ? 2 * x->cap : 64;
		candset **nt = nk_xmalloc(ncap * sizeof *nt);
		memset(nt, 0, ncap * sizeof *nt);
		for (size_t i = 0; i < x->cap; i++)
			if (x->tab[i])
				cand_put(nt, ncap, x->tab[i]);
		free(x->tab);
		x->tab = nt;
		x->cap = ncap;
	}
	cand_put(x->tab, x->cap, c);
	x->n++;
	return c->l;
}

void nk_selindex_free(nk_selindex *x)
{
	if (!x)
		return;
	for (size_t i = 0; i < x->cap; i++)
		free(x->tab[i]);
	free(x->tab);
	free(x->sel);
	free(x);
}
