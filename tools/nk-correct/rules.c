/* rules.c - nk-correct's rule files: every part loaded and checked, then the
 * rules ordered and checked for conflicts, before the first output byte.
 * See README "Writing a rule". */
#include "correct.h"

#include <stdlib.h>
#include <string.h>

const char *const act_name[] = {"cif_fob", "cif_fob", "exclude", "reassign",
				"add",	   "replace", "scale"};

static const char *const rule_keys[] = {"id", "source", "reason", "match", "after",
					"note", "cif_fob", "exclude", "reassign",
					"add", "replace", "scale", NULL};
static const char *const action_keys[] = {"cif_fob", "exclude", "reassign", "add",
					  "replace", "scale", NULL};
/* the selector's keys nk-correct reads (not hs_rev) */
static const char *const match_keys[] = {"counterpart", "reporter", "flow", "nk_flow",
					 "years", "hs", "source", NULL};

static nk_dec positive(const nk_ynode *v, const char *what)
{
	nk_dec f = nk_ydec(v, what);
	if (f <= 0)
		nk_ydie(v, "'%s' must be greater than 0: '%s'", what, v->str);
	return f;
}

static uint32_t iso3_of(const nk_ynode *v, const char *msg)
{
	uint32_t c = nk_iso3(v->str, v->len);
	if (c == NK_ISO3_BAD || c == NK_ISO3_EMPTY)
		nk_ydie(v, msg, v->str);
	return c;
}

static void load_cif(rule *r, const nk_ynode *v)
{
	if (v->kind == NK_Y_SCALAR) {
		if (strcmp(v->str, "none"))
			nk_ydie(v, "'cif_fob' must be none or a mapping with 'factor' or "
				   "'by_counterpart': '%s'",
				v->str);
		r->act = A_CIF_NONE;
		return;
	}
	static const char *const k[] = {"factor", "by_counterpart", "default", "imports", NULL};
	nk_ymap_keys(v, "cif_fob", k);
	r->act = A_CIF;
	const nk_ynode *f = nk_yget(v, "factor"), *t = nk_yget(v, "by_counterpart"),
		       *d = nk_yget(v, "default"), *im = nk_yget(v, "imports");
	if (im) { /* the DPRK's imports: fob (as the partners report them) or cif */
		if (im->kind != NK_Y_SCALAR || (strcmp(im->str, "fob") && strcmp(im->str, "cif")))
			nk_ydie(im, "'imports' must be fob (the partners' export values, "
				    "the default) or cif (times the factor)");
		r->cif_imports = !strcmp(im->str, "cif");
	}
	if (f && (t || d))
		nk_ydie(v, "'cif_fob': give either 'factor' or 'by_counterpart' (with an "
			   "optional 'default'), not both");
	if (!f && !t)
		nk_ydie(v, "'cif_fob': missing key 'factor' or 'by_counterpart'");
	if (f)
		r->factor = positive(f, "factor");
	if (d)
		r->factor = positive(d, "default");
	if (t) {
		nk_ymap(t, "by_counterpart");
		if (t->n == 0)
			nk_ydie(t, "'by_counterpart' is empty");
		r->ntab = t->n;
		r->tab_cp = nk_xmalloc(t->n * sizeof *r->tab_cp);
		r->tab_f = nk_xmalloc(t->n * sizeof *r->tab_f);
		for (size_t i = 0; i < t->n; i++) {
			r->tab_cp[i] = iso3_of(t->kid[2 * i],
					       "'by_counterpart' keys must be ISO3 codes: '%s'");
			r->tab_f[i] = positive(t->kid[2 * i + 1], "factor");
		}
		if (!d && !r->m.ncp) { /* no default: only the table's counterparts */
			r->m.ncp = r->ntab;
			r->m.cp = nk_xmalloc(r->ntab * sizeof *r->m.cp);
			memcpy(r->m.cp, r->tab_cp, r->ntab * sizeof *r->m.cp);
		}
	}
}

static void load_add(rule *r, const nk_ynode *v, const nk_ynode *rn)
{
	static const char *const k[] = {"hs", "value_usd", "tonnes", "price_usd_per_t",
					"price_source", "netwgt_kg", "basis", "if_missing",
					NULL};
	nk_ymap_keys(v, "add", k);
	r->act = A_ADD;
	r->add_hs = nk_ystr(nk_yneed(v, "add", "hs"), "hs", 1);
	if (!nk_hs_code_ok(r->add_hs) || !strcmp(r->add_hs, "TOTAL"))
		nk_ydie(nk_yget(v, "hs"), "'add': 'hs' must be a commodity code: '%s'",
			r->add_hs);
	static const char *const bases[] = {"reported", "estimate", "reconciliation", NULL};
	const nk_ynode *b = nk_yneed(v, "add", "basis");
	r->basis = nk_ystr(b, "basis", 1);
	const char *const *bp;
	for (bp = bases; *bp && strcmp(*bp, r->basis); bp++)
		;
	if (!*bp)
		nk_ydie(b, "'basis' must be reported (a published figure), estimate "
			   "(tonnes x price) or reconciliation (a published total minus "
			   "the mirror figure): '%s'",
			r->basis);
	const nk_ynode *val = nk_yget(v, "value_usd"), *t = nk_yget(v, "tonnes"),
		       *p = nk_yget(v, "price_usd_per_t"), *ps = nk_yget(v, "price_source");
	r->netwgt = -1;
	if (val && (t || p))
		nk_ydie(v, "'add': give 'value_usd' or 'tonnes' and 'price_usd_per_t', "
			   "not both");
	if (val) {
		r->value = positive(val, "value_usd");
		if (!strcmp(r->basis, "estimate"))
			nk_ydie(b, "'basis: estimate' is for tonnes x price; a given "
				   "'value_usd' is 'reported' or 'reconciliation'");
	} else {
		if (!t || !p)
			nk_ydie(v, "'add': missing key '%s' (the value is 'value_usd', or "
				   "'tonnes' x 'price_usd_per_t')",
				t ? "price_usd_per_t" : p ? "tonnes" : "value_usd");
		if (!ps)
			nk_ydie(v, "'add': missing key 'price_source' (where the price per "
				   "tonne comes from)");
		nk_ystr(ps, "price_source", 1);
		if (strcmp(r->basis, "estimate"))
			nk_ydie(b, "tonnes x price is an estimate: write 'basis: estimate'");
		nk_dec tn = positive(t, "tonnes"), pr = positive(p, "price_usd_per_t");
		if (nk_dec_mul(tn, pr, &r->value) != NK_DEC_OK)
			nk_ydie(t, "'tonnes' x 'price_usd_per_t' is out of range");
		if (nk_dec_mul(tn, 1000 * NK_DEC_ONE, &r->netwgt) != NK_DEC_OK)
			nk_ydie(t, "'tonnes' is out of range");
	}
	const nk_ynode *w = nk_yget(v, "netwgt_kg");
	if (w) {
		if (t)
			nk_ydie(w, "'netwgt_kg' follows from 'tonnes'; give one of them");
		r->netwgt = positive(w, "netwgt_kg");
	}
	const nk_ynode *im = nk_yget(v, "if_missing");
	r->if_missing = im ? nk_ybool(im, "if_missing") : 0;
	/* the added rows need one counterpart, one DPRK flow, known years */
	const nk_ynode *m = nk_yget(rn, "match");
	static const char *const addmatch[] = {"counterpart", "nk_flow", "years", NULL};
	nk_ymap_keys(m, "the match of an 'add' rule", addmatch);
	if (r->m.ncp != 1)
		nk_ydie(m, "an 'add' rule needs 'counterpart' with one country");
	if (r->m.nkflows != NK_NKFLOW_X && r->m.nkflows != NK_NKFLOW_M)
		nk_ydie(m, "an 'add' rule needs 'nk_flow' X or M");
	if (!r->m.has_years)
		nk_ydie(m, "an 'add' rule needs 'years'");
}

static void load_reassign(rule *r, const nk_ynode *act)
{
	static const char *const k[] = {"counterpart", "hs", NULL};
	nk_ymap_keys(act, "reassign", k);
	r->act = A_REASSIGN;
	const nk_ynode *c = nk_yget(act, "counterpart"), *h = nk_yget(act, "hs");
	if (!c && !h)
		nk_ydie(act, "'reassign' needs 'counterpart' or 'hs'");
	if (c) {
		r->to_cp = nk_ystr(c, "counterpart", 1);
		r->to_cp_code = iso3_of(c, "'counterpart' must be an ISO3 code: '%s'");
		if (r->to_cp_code == PRK_CODE)
			nk_ydie(c, "'counterpart' cannot be PRK itself");
	}
	if (h) {
		r->to_hs = nk_ystr(h, "hs", 1);
		if (!nk_hs_code_ok(r->to_hs))
			nk_ydie(h, "'hs' must be a commodity code or TOTAL: '%s'", r->to_hs);
	}
}

/* The rule's one action, checked: dies on none or two. */
static const nk_ynode *the_action(const rule *r, const nk_ynode *rn, const char **name)
{
	const nk_ynode *act = NULL;
	for (const char *const *a = action_keys; *a; a++) {
		const nk_ynode *v = nk_yget(rn, *a);
		if (!v)
			continue;
		if (act)
			nk_ydie(v, "rule '%s' has two actions, '%s' and '%s': one rule, one "
				   "action",
				r->id, *name, *a);
		act = v;
		*name = *a;
	}
	if (!act)
		nk_ydie(rn, "rule '%s' has no action (one of cif_fob, exclude, reassign, "
			    "add, replace, scale)",
			r->id);
	return act;
}

static void load_id(ruleset *rs, rule *r, const nk_ynode *rn)
{
	const nk_ynode *idn = nk_yneed(rn, "rule", "id");
	r->id = nk_ystr(idn, "id", 1);
	for (const char *p = r->id; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' || *p == '.'))
			nk_ydie(idn, "'id' may hold letters, digits, '-', '_' and '.': '%s'",
				r->id);
	for (size_t i = 0; i < rs->n; i++)
		if (!strcmp(rs->r[i].id, r->id))
			nk_ydie(idn, "duplicate rule id '%s' (first at %s:%ld:%ld)", r->id,
				rs->r[i].node->file, rs->r[i].node->line, rs->r[i].node->col);
	const nk_ynode *s = nk_yget(rn, "source");
	if (!s)
		nk_ydie(rn, "rule '%s': missing key 'source' (the publication, table or "
			    "page the correction comes from)",
			r->id);
	r->src = nk_ystr(s, "source", 1);
	if (!nk_yget(rn, "reason"))
		nk_ydie(rn, "rule '%s': missing key 'reason'", r->id);
	nk_ystr(nk_yget(rn, "reason"), "reason", 1);
	if (nk_yget(rn, "note"))
		nk_ystr(nk_yget(rn, "note"), "note", 0);
}

static void load_rule(ruleset *rs, const nk_ynode *rn)
{
	nk_ymap_keys(rn, "a rule", rule_keys);
	rule *r = &rs->r[rs->n];
	memset(r, 0, sizeof *r);
	r->node = rn;
	r->load_ix = (int)rs->n;
	load_id(rs, r, rn);
	const char *actname = NULL;
	const nk_ynode *act = the_action(r, rn, &actname);
	const nk_ynode *m = nk_yget(rn, "match");
	if (m)
		nk_sel_load(&r->m, m, "match", match_keys);
	int empty = !m || m->n == 0;
	if (!strcmp(actname, "cif_fob")) {
		load_cif(r, act);
	} else if (!strcmp(actname, "exclude")) {
		if (!nk_ybool(act, "exclude"))
			nk_ydie(act, "'exclude: false' does nothing; remove the rule");
		r->act = A_EXCLUDE;
	} else if (!strcmp(actname, "scale")) {
		r->act = A_SCALE;
		r->factor = positive(act, "scale");
	} else if (!strcmp(actname, "replace")) {
		static const char *const k[] = {"value_usd", NULL};
		nk_ymap_keys(act, "replace", k);
		r->act = A_REPLACE;
		r->value = nk_ydec(nk_yneed(act, "replace", "value_usd"), "value_usd");
		if (r->value < 0)
			nk_ydie(nk_yget(act, "value_usd"), "'value_usd' must not be negative");
	} else if (!strcmp(actname, "reassign")) {
		load_reassign(r, act);
	} else {
		if (empty)
			nk_ydie(rn, "rule '%s': an 'add' rule needs a match (counterpart, "
				    "nk_flow, years)",
				r->id);
		load_add(r, act, rn);
	}
	if (empty && r->act != A_CIF_NONE && r->act != A_CIF)
		nk_ydie(m ? m : rn, "rule '%s': %s would hit every row; say which rows "
				    "(counterpart, years, hs, ...)",
			r->id, m ? "an empty match" : "a rule without 'match'");
	const nk_ynode *af = nk_yget(rn, "after");
	if (af) {
		if (af->kind == NK_Y_SCALAR) {
			r->nafter = 1;
			r->after = nk_xmalloc(sizeof *r->after);
			r->after[0] = nk_ystr(af, "after", 1);
		} else {
			nk_yseq(af, "after");
			if (af->n == 0)
				nk_ydie(af, "'after' is an empty list: it would match nothing");
			r->nafter = af->n;
			r->after = nk_xmalloc(r->nafter * sizeof *r->after);
			for (size_t i = 0; i < r->nafter; i++)
				r->after[i] = nk_ystr(af->kid[i], "after", 1);
		}
	}
	rs->n++;
}

static void load_file(ruleset *rs, const char *path, size_t *cap)
{
	nk_ydoc *d = nk_ydoc_load(path);
	rs->docs = nk_xrealloc(rs->docs, (rs->ndocs + 1) * sizeof *rs->docs);
	rs->docs[rs->ndocs++] = d;
	if (!d->root)
		nk_die(1, "%s: empty rule file (no 'rules:')", d->path);
	static const char *const top[] = {"rules", "screen", "version", NULL};
	nk_ymap_keys(d->root, "the rule file", top);
	const nk_ynode *rl = nk_yneed(d->root, "the rule file", "rules");
	if (nk_yget(d->root, "screen"))
		screen_cfg_load(&rs->screen, nk_yget(d->root, "screen"));
	if (rl->kind == NK_Y_SCALAR && rl->len == 0 && !rl->quoted)
		return; /* "rules:" with nothing: a file of screen settings */
	nk_yseq(rl, "rules");
	for (size_t i = 0; i < rl->n; i++) {
		if (rs->n == NK_RULES_MAX)
			nk_ydie(rl->kid[i], "more than %d rules (all rule files together)",
				NK_RULES_MAX);
		if (rs->n == *cap) {
			*cap = *cap ? *cap * 2 : 64;
			rs->r = nk_xrealloc(rs->r, *cap * sizeof *rs->r);
		}
		nk_ymap(rl->kid[i], "rule");
		load_rule(rs, rl->kid[i]);
	}
}

/* ------------------------------------------------------------ ordering */

/* The rows a rule can touch, for the overlap check: a cif_fob rule only
 * partners' imports (valued CIF), and with imports: cif their exports; a
 * reassign also the rows it moves. */
static void make_reach(rule *r)
{
	nk_sel_copy(&r->reach, &r->m);
	if (r->act == A_CIF) {
		int fl = NK_FLOW_M | NK_FLOW_RM | (r->cif_imports ? NK_FLOW_X | NK_FLOW_RX : 0);
		r->reach.flows = (r->m.flows ? r->m.flows : fl) & fl;
	}
	if (r->act == A_REASSIGN)
		nk_sel_widen(&r->reach, r->to_cp ? r->to_cp_code : 0, r->to_hs);
}

/* The rows a rule changes where it matches them (a cif_fob rule: only
 * partners' imports, and exports with imports: cif). */
static const nk_sel *touch(const rule *r)
{
	return r->act == A_CIF ? &r->reach : &r->m;
}

/* Can a and b touch the same row: one where it matches, the other where it
 * reaches (a row that a reassign moved may then be matched by the other). */
static int overlap(const rule *a, const rule *b)
{
	return nk_sel_overlap(&a->reach, touch(b)) || nk_sel_overlap(touch(a), &b->reach);
}

/* The rules ordered against rule i through 'after' chains: up[x] when x
 * comes after i, down[x] when i comes after x. One pass each over the rules
 * in order (a rule's 'after' targets come before it), not a search per
 * pair. */
static void ordered_with(const ruleset *rs, const int *byorder, size_t i,
			 char *up, char *down)
{
	memset(up, 0, rs->n);
	memset(down, 0, rs->n);
	up[i] = down[i] = 1;
	for (size_t pos = (size_t)rs->r[i].order + 1; pos < rs->n; pos++) {
		const rule *x = &rs->r[byorder[pos]];
		for (size_t k = 0; k < x->ndep; k++)
			if (up[x->dep[k]]) {
				up[byorder[pos]] = 1;
				break;
			}
	}
	for (size_t pos = (size_t)rs->r[i].order + 1; pos-- > 0;) {
		const rule *x = &rs->r[byorder[pos]];
		if (down[byorder[pos]])
			for (size_t k = 0; k < x->ndep; k++)
				down[x->dep[k]] = 1;
	}
}

static int byid_cmp(const void *a, const void *b, void *rs)
{
	const rule *r = ((const ruleset *)rs)->r;
	return strcmp(r[*(const int *)a].id, r[*(const int *)b].id);
}

/* The rule with id `id`, or rs->n: a binary search in `byid`, the rule
 * indices sorted by id (ids are unique), so that many rules with long
 * 'after' lists stay a sort and not a scan per entry. */
static size_t find_id(const ruleset *rs, const int *byid, const char *id)
{
	size_t lo = 0, hi = rs->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(rs->r[byid[mid]].id, id);
		if (!c)
			return (size_t)byid[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return rs->n;
}

/* after: ids to rule indices; dies on an unknown id (did you mean) or self. */
static void resolve_after(ruleset *rs)
{
	int *byid = nk_xmalloc((rs->n + 1) * sizeof *byid);
	for (size_t i = 0; i < rs->n; i++)
		byid[i] = (int)i;
	qsort_r(byid, rs->n, sizeof *byid, byid_cmp, rs);
	for (size_t i = 0; i < rs->n; i++) {
		rule *r = &rs->r[i];
		r->dep = nk_xmalloc((r->nafter + 1) * sizeof *r->dep);
		const nk_ynode *af = nk_yget(r->node, "after");
		for (size_t k = 0; k < r->nafter; k++) {
			size_t j = find_id(rs, byid, r->after[k]);
			const nk_ynode *at = af->kind == NK_Y_SEQ ? af->kid[k] : af;
			if (j == rs->n) {
				const char *best = NULL;
				size_t bd = 3;
				for (size_t q = 0; q < rs->n; q++) {
					size_t d = nk_edit_distance(r->after[k], rs->r[q].id, 2);
					if (d < bd) {
						bd = d;
						best = rs->r[q].id;
					}
				}
				if (best)
					nk_ydie(at, "'after': no rule '%s' (did you mean '%s'?)",
						r->after[k], best);
				nk_ydie(at, "'after': no rule '%s'", r->after[k]);
			}
			if (j == i)
				nk_ydie(at, "'after': rule '%s' cannot come after itself", r->id);
			r->dep[r->ndep++] = (int)j;
		}
	}
	free(byid);
}

/* Kahn, lowest load index first: file order unless after: says otherwise. */
static void topo_order(ruleset *rs)
{
	char *done = nk_xmalloc(rs->n + 1);
	memset(done, 0, rs->n + 1);
	for (size_t pos = 0; pos < rs->n; pos++) {
		size_t pick = rs->n;
		for (size_t i = 0; i < rs->n && pick == rs->n; i++) {
			if (done[i])
				continue;
			size_t k;
			for (k = 0; k < rs->r[i].ndep && done[rs->r[i].dep[k]]; k++)
				;
			if (k == rs->r[i].ndep)
				pick = i;
		}
		if (pick == rs->n) {
			for (size_t i = 0; i < rs->n; i++)
				if (!done[i])
					nk_ydie(nk_yget(rs->r[i].node, "after"),
						"'after': rules '%s' and '%s' wait for each other "
						"(a cycle)",
						rs->r[i].id, rs->r[rs->r[i].dep[0]].id);
		}
		done[pick] = 1;
		rs->r[pick].order = (int)pos;
	}
	free(done);
}

/* Two rules that can touch the same rows, in no stated order: an error. */
static void check_conflicts(const ruleset *rs)
{
	int *byorder = nk_xmalloc(rs->n * sizeof *byorder + 1);
	for (size_t i = 0; i < rs->n; i++)
		byorder[rs->r[i].order] = (int)i;
	char *up = nk_xmalloc(rs->n + 1), *down = nk_xmalloc(rs->n + 1);
	for (size_t i = 0; i < rs->n; i++) {
		if (rs->r[i].act == A_CIF_NONE)
			continue;
		int known = 0; /* up/down hold rule i's */
		for (size_t j = i + 1; j < rs->n; j++) {
			if (rs->r[j].act == A_CIF_NONE)
				continue;
			if ((rs->r[i].act == A_ADD) != (rs->r[j].act == A_ADD))
				continue; /* added rows are not matched by rules */
			if (!overlap(&rs->r[i], &rs->r[j]))
				continue;
			if (!known) {
				ordered_with(rs, byorder, i, up, down);
				known = 1;
			}
			if (up[j] || down[j])
				continue;
			const nk_ynode *b = rs->r[j].node;
			nk_ydie(b, "rules '%s' (%s:%ld) and '%s' can match the same rows and "
				   "their order is not stated: add 'after: %s' to one of them",
				rs->r[i].id, rs->r[i].node->file, rs->r[i].node->line,
				rs->r[j].id, rs->r[i].id);
		}
	}
	free(up);
	free(down);
	free(byorder);
}

void rules_load(ruleset *rs, const char *const *paths, int npaths)
{
	memset(rs, 0, sizeof *rs);
	screen_cfg_default(&rs->screen);
	size_t cap = 0;
	for (int i = 0; i < npaths; i++)
		load_file(rs, paths[i], &cap);
	for (size_t i = 0; i < rs->n; i++)
		make_reach(&rs->r[i]);
	resolve_after(rs);
	topo_order(rs);
	check_conflicts(rs);
	rule *sorted = nk_xmalloc(rs->n * sizeof *sorted + 1);
	for (size_t i = 0; i < rs->n; i++)
		sorted[rs->r[i].order] = rs->r[i];
	free(rs->r);
	rs->r = sorted;
	/* the candidates for a row: by counterpart; cif_fob: none changes nothing */
	const nk_sel **sel = nk_xmalloc((rs->n + 1) * sizeof *sel);
	for (size_t i = 0; i < rs->n; i++)
		sel[i] = rs->r[i].act == A_CIF_NONE ? NULL : &rs->r[i].m;
	rs->cand = nk_selindex_new(sel, rs->n);
	free(sel);
}

void rules_free(ruleset *rs)
{
	for (size_t i = 0; i < rs->n; i++) {
		rule *r = &rs->r[i];
		nk_sel_free(&r->m);
		nk_sel_free(&r->reach);
		free(r->tab_cp);
		free(r->tab_f);
		free(r->after);
		free(r->dep);
		free(r->hit);
	}
	free(rs->r);
	nk_selindex_free(rs->cand);
	screen_cfg_free(&rs->screen);
	for (size_t i = 0; i < rs->ndocs; i++)
		nk_ydoc_free(rs->docs[i]);
	free(rs->docs);
}
