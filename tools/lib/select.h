/* select.h - the row selector: a `match:` mapping of a rule file, loaded
 * once and checked (FILE:LINE:COL), then matched against rows.
 *
 * nk-correct's rules select rows with it (rules/corrections.yaml), and
 * nk-summarize tags rows with it (rules/sanctions.yaml). A selector holds
 * every key a rule file may give; each user passes the keys it allows.
 *
 * Keys (all given keys must hold; a value is one item or a list):
 *   counterpart, reporter   ISO3 codes (3 capital letters)
 *   flow                    the reporter's M X RM RX
 *   nk_flow                 the DPRK's X M
 *   years                   2022, 2014-2019, [2015-2017, 2020] (1900..2100)
 *   hs                      code prefixes of digits ("27", "8517") or TOTAL
 *                           (which matches only TOTAL), against the code the
 *                           row's nk-normalize-hs columns restored
 *   hs_rev                  H0..H6
 *   source                  the row's `source`, exactly
 * An empty list is an error (it would match nothing).
 *
 * Ownership: an nk_sel owns its arrays (free with nk_sel_free); its strings
 * are borrowed from the YAML tree, valid until nk_ydoc_free. A row
 * (nk_selrow) holds views into the current row of an nk_tsv, valid until
 * the next nk_tsv_next. Matching allocates nothing.
 */
#ifndef NK_SELECT_H
#define NK_SELECT_H

#include "contract.h"
#include "rules.h"

/* Years 1900..2155, one bit each. */
typedef struct {
	uint64_t b[4];
} nk_years;
static inline int nk_years_has(const nk_years *s, int y)
{
	unsigned k = (unsigned)(y - NK_YEAR_MIN);
	return k < 256 && (s->b[k >> 6] >> (k & 63) & 1);
}
void nk_years_add(nk_years *s, int y);		     /* y in 1900..2155 */
int nk_years_meet(const nk_years *a, const nk_years *b); /* a year in both */
int nk_years_empty(const nk_years *s);

/* A list of strings with their lengths (the strings borrowed). */
typedef struct {
	const char **s;
	size_t *len;
	size_t n;
} nk_strs;

/* A selector. An empty list, a zero mask, has_years 0: that key is not
 * given (any value passes). Read-only for callers, except that a user may
 * narrow or widen a copy (nk_sel_copy) for its own overlap check. */
typedef struct {
	const nk_ynode *node; /* the match mapping (for messages) */
	uint32_t *cp, *rep;   /* counterpart, reporter: packed ISO3 */
	size_t ncp, nrep;
	int flows;	      /* NK_FLOW_* mask */
	int nkflows;	      /* NK_NKFLOW_* mask */
	int hsrevs;	      /* bit r for H<r> */
	int has_years;
	nk_years years;
	nk_strs hs, source;
} nk_sel;

/* Every key above; pass it, or a shorter NULL-terminated list, as
 * `allowed`. */
extern const char *const nk_sel_keys[];

/* Load a `match:` mapping into *s (zeroed first). `what` names it in
 * messages ("match"). Dies (FILE:LINE:COL, exit 1) on a node that is not a
 * mapping, a key not in `allowed` (NULL = nk_sel_keys; "unknown key 'K' in
 * WHAT (did you mean ...)"), or a bad value. An empty mapping loads as a
 * selector that passes every row: say so yourself if that is an error. */
void nk_sel_load(nk_sel *s, const nk_ynode *match, const char *what,
		 const char *const *allowed);
/* A copy with its own arrays (free with nk_sel_free). */
void nk_sel_copy(nk_sel *dst, const nk_sel *src);
/* Add a counterpart and/or an hs prefix to the lists that are given (a key
 * not given stays "any"): the rows a rule reaches include the rows it moves
 * there (nk-correct's reassign). cp 0 / hs NULL: not added. */
void nk_sel_widen(nk_sel *s, uint32_t cp, const char *hs);
void nk_sel_free(nk_sel *s);

/* Could one row be matched by both? Conservative: 1 unless some key's
 * values cannot meet (hs prefixes meet when one is a prefix of the other). */
int nk_sel_overlap(const nk_sel *a, const nk_sel *b);

/* A list of HS prefixes (a scalar or a list: digits or TOTAL), e.g. a
 * `hs:` outside a match. Owned arrays: free with nk_strs_free. */
void nk_strs_load_hs(nk_strs *ss, const nk_ynode *v, const char *what);
void nk_strs_free(nk_strs *ss);
/* Does code `h` start with one of the prefixes (TOTAL only equals TOTAL)? */
static inline int nk_strs_prefix(const nk_strs *hs, nk_str h)
{
	for (size_t i = 0; i < hs->n; i++) {
		size_t n = hs->len[i];
		if (h.n >= n && !__builtin_memcmp(h.p, hs->s[i], n)) {
			if (n == 5 && h.n != 5 && hs->s[i][0] == 'T')
				continue; /* TOTAL matches only TOTAL */
			return 1;
		}
	}
	return 0;
}
/* Digits (1..10) or TOTAL: a commodity code a rule may write. */
int nk_hs_code_ok(const char *s);

/* ------------------------------------------------------------------ rows */

/* The columns a selector reads, bound by name once (nk_selcols_bind). */
typedef struct {
	int ix[NK_C_N];	    /* nk_cols_bind */
	int hs_status;	    /* nk-normalize-hs's columns, -1 if absent */
	int hs_code[3];	    /* hs6, hs4, hs2 */
} nk_selcols;
/* nk_cols_bind(t, need, c->ix) plus nk-normalize-hs's columns. */
void nk_selcols_bind(nk_selcols *c, const nk_tsv *t, uint32_t need);

/* One row as a selector sees it. Unknown: 0 (codes, flows), -1 (year,
 * hsrev), an empty view; a key given never matches an unknown value. */
typedef struct {
	uint32_t cp, rep; /* packed ISO3 */
	int flow, nkflow; /* NK_FLOW_*, NK_NKFLOW_* */
	int year, hsrev;
	nk_str hs;	  /* the code matched: restored (nk_sel_code) */
	nk_str source;
} nk_selrow;

/* The code rules match: `hs`, or the code nk-normalize-hs restored (a
 * lost leading zero put back: hs6, else hs4, else hs2) when the row's
 * hs_status is `restored`. A view into the row. */
nk_str nk_sel_code(const nk_selcols *c, const nk_str *f);
/* Fill *r from t's current row: every bound column among counterpart,
 * reporter, flow, nk_flow, year, hs_rev, hs, source, each checked as
 * contract.h's row checkers do (they die with FILE:LINE: field 'NAME'). */
void nk_selrow_read(nk_selrow *r, const nk_tsv *t, const nk_selcols *c);

/* Does the row pass every key of s? Inline: it runs per row and rule. */
static inline int nk_sel_in_(const uint32_t *v, size_t n, uint32_t c)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] == c)
			return 1;
	return 0;
}
static inline int nk_sel_match(const nk_sel *s, const nk_selrow *r)
{
	if (s->has_years && !nk_years_has(&s->years, r->year))
		return 0;
	if (s->nkflows && !(s->nkflows & r->nkflow))
		return 0;
	if (s->flows && !(s->flows & r->flow))
		return 0;
	if (s->hsrevs && (r->hsrev < 0 || !(s->hsrevs >> r->hsrev & 1)))
		return 0;
	if (s->ncp && !nk_sel_in_(s->cp, s->ncp, r->cp))
		return 0;
	if (s->nrep && !nk_sel_in_(s->rep, s->nrep, r->rep))
		return 0;
	if (s->hs.n && !nk_strs_prefix(&s->hs, r->hs))
		return 0;
	if (s->source.n) {
		size_t j;
		for (j = 0; j < s->source.n; j++)
			if (r->source.n == s->source.len[j] &&
			    !__builtin_memcmp(r->source.p, s->source.s[j], r->source.n))
				break;
		if (j == s->source.n)
			return 0;
	}
	return 1;
}

/* ----------------------------------------------------- candidate index */

/* For many selectors in order: which of them can match a row of a given
 * counterpart (their counterpart list holds it, or they give none). Built
 * per counterpart on first sight, kept in a table that grows. */
typedef struct nk_selindex nk_selindex;
/* sels[i] NULL: never a candidate. `sels` (n pointers) is copied; the
 * selectors are borrowed until nk_selindex_free. Owned result. */
nk_selindex *nk_selindex_new(const nk_sel *const *sels, size_t n);
/* The indices into sels of the candidates for cp, ascending, -1 ended.
 * Borrowed until nk_selindex_free. */
const int *nk_selindex_get(nk_selindex *x, uint32_t cp);
void nk_selindex_free(nk_selindex *x);

#endif
