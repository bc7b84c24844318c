/* screen.c - nk-correct --screen: counterpart-years whose trade with PRK
 * looks like their trade with KOR (a misreport of South Korea as North
 * Korea), printed with suggested `exclude` rules as YAML, changing nothing.
 * Doubles are fine here: the screen is a report for a person, not data. */
#include "correct.h"

#include <stdlib.h>
#include <string.h>

void screen_cfg_default(screen_cfg *c)
{
	static const char *def[] = {"8517", "8703", "89", "8471", "8528", "8542"};
	static size_t deflen[] = {4, 4, 2, 4, 4, 4};
	c->min_value = 1e6;
	c->min_cosine = 0.9;
	c->min_share = 0.5;
	c->min_ratio = 0;
	c->hs = (nk_strs){def, deflen, 6};
	c->hs_owned = 0;
}

void screen_cfg_load(screen_cfg *c, const nk_ynode *node)
{
	static const char *const k[] = {"min_value_usd", "min_cosine", "min_share",
					"min_ratio_to_kor", "hs", NULL};
	nk_ymap(node, "screen");
	nk_ymap_keys(node, "screen", k);
	const nk_ynode *v;
	if ((v = nk_yget(node, "min_value_usd")))
		c->min_value = (double)nk_ydec(v, "min_value_usd") / 1000;
	if ((v = nk_yget(node, "min_cosine")))
		c->min_cosine = (double)nk_ydec(v, "min_cosine") / 1000;
	if ((v = nk_yget(node, "min_share")))
		c->min_share = (double)nk_ydec(v, "min_share") / 1000;
	if ((v = nk_yget(node, "min_ratio_to_kor")))
		c->min_ratio = (double)nk_ydec(v, "min_ratio_to_kor") / 1000;
	if ((v = nk_yget(node, "hs"))) {
		screen_cfg_free(c);
		nk_strs_load_hs(&c->hs, v, "hs");
		c->hs_owned = 1;
	}
}

void screen_cfg_free(screen_cfg *c)
{
	if (c->hs_owned)
		nk_strs_free(&c->hs);
	c->hs_owned = 0;
}

/* One counterpart-year and the counterpart's own flow (M/X): its trade with
 * PRK and with KOR by HS chapter. */
typedef struct {
	uint32_t cp;
	int year, flow;
	double prk[100], kor[100], typical;
} cy;

struct screen {
	const screen_cfg *c;
	const nk_tsv *t; /* the rows' reader: where NK_SCREEN_MAX is reported */
	cy **tab; /* open addressing, kept half empty, grows */
	size_t cap, n;
};

screen *screen_new(const screen_cfg *c, const nk_tsv *t)
{
	screen *s = nk_xmalloc(sizeof *s);
	s->c = c;
	s->t = t;
	s->n = 0;
	s->cap = 4096;
	s->tab = nk_xmalloc(s->cap * sizeof *s->tab);
	memset(s->tab, 0, s->cap * sizeof *s->tab);
	return s;
}

static uint64_t cy_key(uint32_t cp, int year, int flow)
{
	return (uint64_t)cp | (uint64_t)(unsigned)year << 24 | (uint64_t)(unsigned)flow << 40;
}

static size_t cy_slot(cy **tab, size_t cap, uint32_t cp, int year, int flow)
{
	size_t h = nk_hash_slot(cy_key(cp, year, flow), cap);
	while (tab[h] && !(tab[h]->cp == cp && tab[h]->year == year && tab[h]->flow == flow))
		h = (h + 1) & (cap - 1);
	return h;
}

static void grow(screen *s)
{
	size_t ncap = 2 * s->cap;
	cy **nt = nk_xmalloc(ncap * sizeof *nt);
	memset(nt, 0, ncap * sizeof *nt);
	for (size_t i = 0; i < s->cap; i++)
		if (s->tab[i])
			nt[cy_slot(nt, ncap, s->tab[i]->cp, s->tab[i]->year, s->tab[i]->flow)] =
				s->tab[i];
	free(s->tab);
	s->tab = nt;
	s->cap = ncap;
}

void screen_row(screen *s, uint32_t rc, uint32_t pc, int year, int flow, nk_str hs,
		int known, nk_dec v)
{
	if (pc != PRK_CODE && pc != KOR_CODE)
		return;
	if (rc == PRK_CODE || rc == KOR_CODE || rc == NK_ISO3_EMPTY)
		return;
	if ((flow != NK_FLOW_M && flow != NK_FLOW_X) || hs.n < 2 || hs.p[0] < '0' ||
	    hs.p[0] > '9')
		return; /* re-exports and TOTAL rows have no profile */
	int ch = (hs.n & 1) ? hs.p[0] - '0' : (hs.p[0] - '0') * 10 + hs.p[1] - '0';
	if (ch < 0 || ch > 99)
		return;
	if (!known || v <= 0)
		return;
	size_t h = cy_slot(s->tab, s->cap, rc, year, flow);
	cy *e = s->tab[h];
	if (!e) {
		if (s->n == NK_SCREEN_MAX) {
			char what[80];
			snprintf(what, sizeof what, "more than %d counterpart-years for --screen",
				 NK_SCREEN_MAX);
			nk_die_at(s->t->file, s->t->line, NULL, what, NULL, 0);
		}
		if (2 * (s->n + 1) > s->cap) {
			grow(s);
			h = cy_slot(s->tab, s->cap, rc, year, flow);
		}
		e = s->tab[h] = nk_xmalloc(sizeof *e);
		memset(e, 0, sizeof *e);
		e->cp = rc;
		e->year = year;
		e->flow = flow;
		s->n++;
	}
	double d = (double)v / 1000;
	if (pc == PRK_CODE) {
		e->prk[ch] += d;
		/* same even/odd rule for a lost leading zero */
		char code[16];
		size_t n = hs.n < 14 ? hs.n : 14;
		size_t off = 0;
		if (n & 1)
			code[off++] = '0';
		memcpy(code + off, hs.p, n);
		if (nk_strs_prefix(&s->c->hs, (nk_str){code, n + off}))
			e->typical += d;
	} else {
		e->kor[ch] += d;
	}
}

static int cy_cmp(const void *a, const void *b)
{
	const cy *x = *(cy *const *)a, *y = *(cy *const *)b;
	char cx[4], cy_[4];
	int c = memcmp(nk_iso3_str(x->cp, cx), nk_iso3_str(y->cp, cy_), 3);
	if (c)
		return c;
	if (x->year != y->year)
		return x->year - y->year;
	return x->flow - y->flow;
}

/* The table's entries, sorted: counterpart, year, flow. Owned: free(). */
static cy **sorted(const screen *s)
{
	cy **v = nk_xmalloc((s->n + 1) * sizeof *v);
	size_t n = 0;
	for (size_t i = 0; i < s->cap; i++)
		if (s->tab[i])
			v[n++] = s->tab[i];
	qsort(v, n, sizeof *v, cy_cmp);
	return v;
}

static void header(nk_out *o, const screen_cfg *c)
{
	char line[512];
	snprintf(line, sizeof line,
		 "# nk-correct --screen: counterpart-years whose trade with PRK looks like\n"
		 "# trade with South Korea. Flagged when PRK trade >= %.0f USD and (cosine of\n"
		 "# its HS-chapter profile with the KOR profile >= %.3f or share of",
		 c->min_value, c->min_cosine);
	nk_out_cstr(o, line);
	for (size_t i = 0; i < c->hs.n; i++) {
		nk_out_byte(o, ' ');
		nk_out_cstr(o, c->hs.s[i]);
	}
	snprintf(line, sizeof line,
		 " >= %.3f)%s.\n# The suggestions below change nothing: review each, cite a "
		 "source, then copy it into a rule file.\n"
		 "# counterpart\tyear\tflow\tprk_usd\tkor_usd\tcosine\ttypical_share\tflag\n",
		 c->min_share,
		 c->min_ratio > 0 ? " and PRK/KOR value ratio >= min_ratio_to_kor" : "");
	nk_out_cstr(o, line);
}

/* One line per counterpart-year; returns whether it is flagged. Leaves the
 * figures the suggested rule quotes in e (prk[0] cosine, kor[0] share,
 * typical the PRK total). */
static int measure(nk_out *o, const screen_cfg *c, cy *e)
{
	double tp = 0, tk = 0, dot = 0, np = 0, nq = 0;
	for (int ch = 0; ch < 100; ch++) {
		tp += e->prk[ch];
		tk += e->kor[ch];
		dot += e->prk[ch] * e->kor[ch];
		np += e->prk[ch] * e->prk[ch];
		nq += e->kor[ch] * e->kor[ch];
	}
	double cosv = (np > 0 && nq > 0) ? dot / __builtin_sqrt(np * nq) : -1;
	double share = tp > 0 ? e->typical / tp : 0;
	int flag = tp >= c->min_value && (cosv >= c->min_cosine || share >= c->min_share) &&
		   (c->min_ratio <= 0 || (tk > 0 && tp / tk >= c->min_ratio));
	char cs[16], cp[4], line[512];
	if (cosv < 0)
		snprintf(cs, sizeof cs, "n/a");
	else
		snprintf(cs, sizeof cs, "%.3f", cosv);
	snprintf(line, sizeof line, "# %s\t%d\t%s\t%.0f\t%.0f\t%s\t%.3f\t%s\n",
		 nk_iso3_str(e->cp, cp), e->year, e->flow == NK_FLOW_M ? "M" : "X", tp, tk, cs,
		 share, flag ? "FLAG" : "");
	nk_out_cstr(o, line);
	e->prk[0] = cosv;
	e->kor[0] = share;
	e->typical = tp;
	return flag;
}

static void suggest(nk_out *o, const cy *e)
{
	char cp[4], line[1024];
	nk_iso3_str(e->cp, cp);
	char lc[4] = {(char)(cp[0] | 32), (char)(cp[1] | 32), (char)(cp[2] | 32), 0};
	snprintf(line, sizeof line,
		 "  - id: screen-%s-%d-%s\n"
		 "    source: \"REVIEW: nk-correct --screen suggestion; cite the publication "
		 "that names this misreport before use\"\n"
		 "    reason: \"%s %s PRK %.0f USD; cosine with its KOR profile %.3f; share of "
		 "South-Korea-typical codes %.3f\"\n"
		 "    match: {counterpart: %s, years: %d, nk_flow: %s}\n"
		 "    exclude: true\n",
		 lc, e->year, e->flow == NK_FLOW_M ? "x" : "m", cp,
		 e->flow == NK_FLOW_M ? "imports from" : "exports to", e->typical, e->prk[0],
		 e->kor[0], cp, e->year, e->flow == NK_FLOW_M ? "X" : "M");
	nk_out_cstr(o, line);
}

void screen_report(screen *s, const char *output)
{
	cy **v = sorted(s);
	nk_out *o = nk_out_open(output);
	header(o, s->c);
	char *flags = nk_xmalloc(s->n + 1);
	int flagged = 0;
	for (size_t i = 0; i < s->n; i++)
		flagged += flags[i] = (char)measure(o, s->c, v[i]);
	nk_out_cstr(o, flagged ? "rules:\n" : "rules: []\n");
	for (size_t i = 0; i < s->n; i++)
		if (flags[i])
			suggest(o, v[i]);
	nk_out_close(o);
	free(flags);
	free(v);
}

void screen_free(screen *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->cap; i++)
		free(s->tab[i]);
	free(s->tab);
	free(s);
}
