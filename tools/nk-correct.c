/* nk-correct - turn partner reports into DPRK trade and apply sourced correction rules
 * The mirror flip (a partner's import from PRK is a DPRK export), then the
 * rules of rules/corrections.yaml (or --rules FILE...), each applied visibly:
 * the ids that touched a row are in its `rules` column, every change is in
 * --audit, every removed row in --rejects. Rules are loaded and validated
 * completely before the first output byte. */
#include "lib/nk.h"
#include "lib/rules.h"

#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char help[] =
	"Usage: nk-correct [OPTION]... [FILE]...\n"
	"Turn partners' reports of trade with the DPRK (contract TSV in FILEs or\n"
	"standard input) into DPRK trade, and apply the correction rules.\n"
	"\n"
	"The mirror flip: a partner's import from PRK is a DPRK export (nk_flow X),\n"
	"a partner's export to PRK a DPRK import (nk_flow M); rows reported by PRK\n"
	"keep their own flow. Added columns: nk_flow, counterpart (the other\n"
	"country), value_reported (value_usd as it came in), value_usd (replaced:\n"
	"after corrections), rules (ids of the rules that touched the row, ';'-\n"
	"separated). Rows with no PRK side (e.g. the KOR rows of --with-partner KOR)\n"
	"are not DPRK trade: they are dropped, counted, and used by --screen.\n"
	"\n"
	"  -r, --rules=FILE       rule file (repeatable; applied in the order given,\n"
	"                         rules in file order unless 'after:' says otherwise);\n"
	"                         default: rules/corrections.yaml of the data directory\n"
	"      --reexports=MODE   re-exports/re-imports (flows RX, RM): exclude\n"
	"                         (default; to --rejects, counted), include, only\n"
	"  -a, --audit=FILE       one TSV line per changed, added, removed or\n"
	"                         reassigned row: rule, action, before, after, input line\n"
	"  -e, --explain          print which rules fire on the input, on how many rows\n"
	"                         and dollars (TSV on stdout) instead of the data\n"
	"  -s, --screen           print a misreport screen of counterpart-years (their\n"
	"                         HS profile with PRK against that with KOR) with\n"
	"                         suggested 'exclude' rules as YAML, instead of the data\n"
	"      --strict           a rule that matches nothing is an error, not a warning\n"
	"      --check-rules      load and validate the rules, read no input\n"
	"      --rejects=FILE     write dropped rows there (input columns, reason,\n"
	"                         rule, file, line)\n"
	"  -o, --output=FILE      write to FILE (atomically) instead of stdout\n"
	"  -q, --quiet            no progress and no summary on stderr\n"
	"  -h, --help             show this help and exit\n"
	"      --version          show the version and exit\n"
	"\n"
	"Rule actions: cif_fob (none, factor, by_counterpart), exclude, reassign,\n"
	"add, replace, scale; see the README section \"Writing a rule\". Two rules\n"
	"whose matches overlap are an error unless one says 'after:' the other.\n"
	"\n"
	"With no FILE, or when FILE is -, read standard input. Exit status: 0 success,\n"
	"1 bad data or rules (messages name FILE:LINE, rule files FILE:LINE:COL; with\n"
	"-o nothing is written), 2 usage error.\n";

/* ------------------------------------------------------------------ model */

#define MAXY 2100
#define MINY 1900
#define PRK_CODE ('P' | 'R' << 8 | 'K' << 16)
#define KOR_CODE ('K' | 'O' << 8 | 'R' << 16)
#define NOT_ISO 0xffffffffu

enum { F_M = 1, F_X = 2, F_RM = 4, F_RX = 8 };
enum { NK_X = 1, NK_M = 2 };
enum { A_CIF_NONE, A_CIF, A_EXCLUDE, A_REASSIGN, A_ADD, A_REPLACE, A_SCALE };
static const char *const act_name[] = {"cif_fob", "cif_fob", "exclude", "reassign",
				       "add", "replace", "scale"};

typedef struct {
	uint64_t b[4]; /* bit y-1900 for 1900..2155 */
} yearset;
static int ys_has(const yearset *s, int y)
{
	unsigned k = (unsigned)(y - MINY);
	return k < 256 && (s->b[k >> 6] >> (k & 63) & 1);
}
static void ys_add(yearset *s, int y)
{
	unsigned k = (unsigned)(y - MINY);
	s->b[k >> 6] |= (uint64_t)1 << (k & 63);
}
static int ys_any(const yearset *a, const yearset *b)
{
	for (int i = 0; i < 4; i++)
		if (a->b[i] & b->b[i])
			return 1;
	return 0;
}

typedef struct {
	const char **s; /* borrowed from the YAML tree */
	size_t n;
} strset;

typedef struct rule rule;
struct rule {
	const char *id;
	const char *src; /* the rule's `source` */
	const nk_ynode *node;
	int act, load_ix, order;
	/* match; an empty set / zero mask means "any" */
	uint32_t *cp;
	size_t ncp;
	uint32_t *rep;
	size_t nrep;
	int flows, nkflows, has_years;
	yearset years;
	strset hs, source;
	/* actions */
	nk_dec factor;	   /* A_CIF (default factor), A_SCALE */
	uint32_t *tab_cp;  /* A_CIF by_counterpart */
	nk_dec *tab_f;
	size_t ntab;
	const char *to_cp, *to_hs; /* A_REASSIGN */
	uint32_t to_cp_code;
	nk_dec value;	   /* A_REPLACE, A_ADD */
	const char *add_hs, *basis;
	nk_dec netwgt;	   /* A_ADD, -1 = unknown */
	int if_missing;
	yearset covered, present; /* A_ADD: years seen for the counterpart,
				     years where the flow is already reported */
	/* ordering */
	const char **after;
	size_t nafter;
	int *dep; /* indices of rules this one comes after */
	size_t ndep;
	/* A_REPLACE: the counterpart-flow-years set so far, and where */
	struct hit { uint32_t cp; int nkf, year; const char *file; long line; } *hit;
	size_t nhit, hitcap;
	/* what happened */
	uint64_t rows;
	nk_dec before, after_v;
};

typedef struct {
	rule *r;
	size_t n;
	nk_ydoc **docs;
	size_t ndocs;
	struct cand **cand; /* per counterpart seen, built on first sight */
	size_t cand_cap, cand_n;
	/* screen thresholds */
	const nk_ynode *screen;
} ruleset;

static uint32_t iso_code(const char *p, size_t n)
{
	if (n != 3)
		return n ? NOT_ISO : 0;
	return (uint32_t)(unsigned char)p[0] | (uint32_t)(unsigned char)p[1] << 8 |
	       (uint32_t)(unsigned char)p[2] << 16;
}

/* ------------------------------------------------------------ rule loading */

static const char *const rule_keys[] = {"id", "source", "reason", "match", "after",
					"note", "cif_fob", "exclude", "reassign",
					"add", "replace", "scale", NULL};
static const char *const action_keys[] = {"cif_fob", "exclude", "reassign", "add",
					  "replace", "scale", NULL};
static const char *const match_keys[] = {"counterpart", "reporter", "flow", "nk_flow",
					 "years", "hs", "source", NULL};

/* A scalar or a list of scalars, as nodes. */
static size_t items(const nk_ynode *v, const char *what, const nk_ynode ***out)
{
	static const nk_ynode *one[1];
	if (v->kind == NK_Y_SCALAR) {
		one[0] = v;
		*out = one;
		return 1;
	}
	nk_yseq(v, what);
	if (v->n == 0)
		nk_ydie(v, "'%s' is an empty list: it would match nothing", what);
	*out = (const nk_ynode **)v->kid;
	return v->n;
}

static int is_iso3(const char *s)
{
	return strlen(s) == 3 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' &&
	       s[1] <= 'Z' && s[2] >= 'A' && s[2] <= 'Z';
}

static uint32_t *iso_list(const nk_ynode *v, const char *what, size_t *n)
{
	const nk_ynode **it;
	*n = items(v, what, &it);
	uint32_t *c = nk_xmalloc(*n * sizeof *c);
	for (size_t i = 0; i < *n; i++) {
		const char *s = nk_ystr(it[i], what, 1);
		if (!is_iso3(s))
			nk_ydie(it[i], "'%s' must be an ISO3 code (3 capital letters): '%s'",
				what, s);
		c[i] = iso_code(s, 3);
	}
	return c;
}

static int flow_mask(const nk_ynode *v, const char *what, int nk)
{
	const nk_ynode **it;
	size_t n = items(v, what, &it);
	int m = 0;
	for (size_t i = 0; i < n; i++) {
		const char *s = nk_ystr(it[i], what, 1);
		if (nk) {
			if (!strcmp(s, "X"))
				m |= NK_X;
			else if (!strcmp(s, "M"))
				m |= NK_M;
			else
				nk_ydie(it[i], "'nk_flow' must be X or M: '%s'", s);
		} else {
			if (!strcmp(s, "M"))
				m |= F_M;
			else if (!strcmp(s, "X"))
				m |= F_X;
			else if (!strcmp(s, "RM"))
				m |= F_RM;
			else if (!strcmp(s, "RX"))
				m |= F_RX;
			else
				nk_ydie(it[i], "'flow' must be M, X, RM or RX: '%s'", s);
		}
	}
	return m;
}

static int parse_year(const nk_ynode *at, const char *p, size_t n)
{
	int64_t y;
	if (nk_int_parse(p, n, &y) != 0 || y < MINY || y > MAXY)
		nk_ydie(at, "'years': not a year (%d-%d): '%.*s'", MINY, MAXY, (int)n, p);
	return (int)y;
}

static void year_list(const nk_ynode *v, yearset *ys)
{
	const nk_ynode **it;
	size_t n = items(v, "years", &it);
	for (size_t i = 0; i < n; i++) {
		const char *s = nk_ystr(it[i], "years", 1);
		const char *dash = strchr(s, '-');
		int a, b;
		if (dash && dash != s) {
			const char *e = dash + 1;
			while (*e == ' ')
				e++;
			size_t la = (size_t)(dash - s);
			while (la && s[la - 1] == ' ')
				la--;
			a = parse_year(it[i], s, la);
			b = parse_year(it[i], e, strlen(e));
			if (b < a)
				nk_ydie(it[i], "'years': range is reversed: '%s' (write %d-%d)",
					s, b, a);
		} else {
			a = b = parse_year(it[i], s, strlen(s));
		}
		for (int y = a; y <= b; y++)
			ys_add(ys, y);
	}
}

static int is_hs(const char *s)
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

static void str_list(const nk_ynode *v, const char *what, strset *ss, int hs)
{
	const nk_ynode **it;
	ss->n = items(v, what, &it);
	ss->s = nk_xmalloc(ss->n * sizeof *ss->s);
	for (size_t i = 0; i < ss->n; i++) {
		ss->s[i] = nk_ystr(it[i], what, 1);
		if (hs && !is_hs(ss->s[i]))
			nk_ydie(it[i], "'hs' must be digits (a code or a prefix) or TOTAL: '%s'",
				ss->s[i]);
	}
}

static nk_dec positive(const nk_ynode *v, const char *what)
{
	nk_dec f = nk_ydec(v, what);
	if (f <= 0)
		nk_ydie(v, "'%s' must be greater than 0: '%s'", what, v->str);
	return f;
}

static void load_match(rule *r, const nk_ynode *m)
{
	nk_ymap_keys(m, "match", match_keys);
	const nk_ynode *v;
	if ((v = nk_yget(m, "counterpart")))
		r->cp = iso_list(v, "counterpart", &r->ncp);
	if ((v = nk_yget(m, "reporter")))
		r->rep = iso_list(v, "reporter", &r->nrep);
	if ((v = nk_yget(m, "flow")))
		r->flows = flow_mask(v, "flow", 0);
	if ((v = nk_yget(m, "nk_flow")))
		r->nkflows = flow_mask(v, "nk_flow", 1);
	if ((v = nk_yget(m, "years"))) {
		year_list(v, &r->years);
		r->has_years = 1;
	}
	if ((v = nk_yget(m, "hs")))
		str_list(v, "hs", &r->hs, 1);
	if ((v = nk_yget(m, "source")))
		str_list(v, "source", &r->source, 0);
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
	static const char *const k[] = {"factor", "by_counterpart", "default", NULL};
	nk_ymap_keys(v, "cif_fob", k);
	r->act = A_CIF;
	const nk_ynode *f = nk_yget(v, "factor"), *t = nk_yget(v, "by_counterpart"),
		       *d = nk_yget(v, "default");
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
			const nk_ynode *key = t->kid[2 * i];
			if (!is_iso3(key->str))
				nk_ydie(key, "'by_counterpart' keys must be ISO3 codes: '%s'",
					key->str);
			r->tab_cp[i] = iso_code(key->str, 3);
			r->tab_f[i] = positive(t->kid[2 * i + 1], "factor");
		}
		if (!d && !r->ncp) { /* no default: only the table's counterparts */
			r->ncp = r->ntab;
			r->cp = nk_xmalloc(r->ntab * sizeof *r->cp);
			memcpy(r->cp, r->tab_cp, r->ntab * sizeof *r->cp);
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
	if (!is_hs(r->add_hs) || !strcmp(r->add_hs, "TOTAL"))
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
	if (r->ncp != 1)
		nk_ydie(m, "an 'add' rule needs 'counterpart' with one country");
	if (r->nkflows != NK_X && r->nkflows != NK_M)
		nk_ydie(m, "an 'add' rule needs 'nk_flow' X or M");
	if (!r->has_years)
		nk_ydie(m, "an 'add' rule needs 'years'");
}

static void load_rule(ruleset *rs, const nk_ynode *rn)
{
	nk_ymap_keys(rn, "a rule", rule_keys);
	rule *r = &rs->r[rs->n];
	memset(r, 0, sizeof *r);
	r->node = rn;
	r->load_ix = (int)rs->n;
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

	const nk_ynode *act = NULL;
	const char *actname = NULL;
	for (const char *const *a = action_keys; *a; a++) {
		const nk_ynode *v = nk_yget(rn, *a);
		if (!v)
			continue;
		if (act)
			nk_ydie(v, "rule '%s' has two actions, '%s' and '%s': one rule, one "
				   "action",
				r->id, actname, *a);
		act = v;
		actname = *a;
	}
	if (!act)
		nk_ydie(rn, "rule '%s' has no action (one of cif_fob, exclude, reassign, "
			    "add, replace, scale)",
			r->id);
	const nk_ynode *m = nk_yget(rn, "match");
	if (m) {
		nk_ymap(m, "match");
		load_match(r, m);
	}
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
		static const char *const k[] = {"counterpart", "hs", NULL};
		nk_ymap_keys(act, "reassign", k);
		r->act = A_REASSIGN;
		const nk_ynode *c = nk_yget(act, "counterpart"), *h = nk_yget(act, "hs");
		if (!c && !h)
			nk_ydie(act, "'reassign' needs 'counterpart' or 'hs'");
		if (c) {
			r->to_cp = nk_ystr(c, "counterpart", 1);
			if (!is_iso3(r->to_cp))
				nk_ydie(c, "'counterpart' must be an ISO3 code: '%s'", r->to_cp);
			if (!strcmp(r->to_cp, "PRK"))
				nk_ydie(c, "'counterpart' cannot be PRK itself");
			r->to_cp_code = iso_code(r->to_cp, 3);
		}
		if (h) {
			r->to_hs = nk_ystr(h, "hs", 1);
			if (!is_hs(r->to_hs))
				nk_ydie(h, "'hs' must be a commodity code or TOTAL: '%s'",
					r->to_hs);
		}
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
		const nk_ynode **it;
		r->nafter = items(af, "after", &it);
		r->after = nk_xmalloc(r->nafter * sizeof *r->after);
		for (size_t i = 0; i < r->nafter; i++)
			r->after[i] = nk_ystr(it[i], "after", 1);
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
		rs->screen = nk_ymap(nk_yget(d->root, "screen"), "screen");
	if (rl->kind == NK_Y_SCALAR && rl->len == 0 && !rl->quoted)
		return; /* "rules:" with nothing: a file of screen settings */
	nk_yseq(rl, "rules");
	for (size_t i = 0; i < rl->n; i++) {
		if (rs->n == *cap) {
			*cap = *cap ? *cap * 2 : 64;
			rs->r = nk_xrealloc(rs->r, *cap * sizeof *rs->r);
		}
		nk_ymap(rl->kid[i], "rule");
		load_rule(rs, rl->kid[i]);
	}
}

/* Could some row be matched by both a and b? (conservative) */
static int sets_meet(const uint32_t *a, size_t na, const uint32_t *b, size_t nb)
{
	if (!na || !nb)
		return 1;
	for (size_t i = 0; i < na; i++)
		for (size_t j = 0; j < nb; j++)
			if (a[i] == b[j])
				return 1;
	return 0;
}

static int hs_meet(const strset *a, const strset *b)
{
	if (!a->n || !b->n)
		return 1;
	for (size_t i = 0; i < a->n; i++)
		for (size_t j = 0; j < b->n; j++) {
			size_t la = strlen(a->s[i]), lb = strlen(b->s[j]);
			if (!strncmp(a->s[i], b->s[j], la < lb ? la : lb))
				return 1;
		}
	return 0;
}

static int str_meet(const strset *a, const strset *b)
{
	if (!a->n || !b->n)
		return 1;
	for (size_t i = 0; i < a->n; i++)
		for (size_t j = 0; j < b->n; j++)
			if (!strcmp(a->s[i], b->s[j]))
				return 1;
	return 0;
}

static int eff_flows(const rule *r)
{
	return r->act == A_CIF ? (r->flows ? r->flows : F_M | F_RM) & (F_M | F_RM)
			       : r->flows;
}

static int overlap(const rule *a, const rule *b)
{
	int fa = eff_flows(a), fb = eff_flows(b);
	if (fa && fb && !(fa & fb))
		return 0;
	if (a->nkflows && b->nkflows && !(a->nkflows & b->nkflows))
		return 0;
	if (a->has_years && b->has_years && !ys_any(&a->years, &b->years))
		return 0;
	/* a reassign also reaches the rows it moves: its target counts too */
	int cp = sets_meet(a->cp, a->ncp, b->cp, b->ncp) ||
		 (a->to_cp && sets_meet(&a->to_cp_code, 1, b->cp, b->ncp)) ||
		 (b->to_cp && sets_meet(a->cp, a->ncp, &b->to_cp_code, 1));
	strset ah = {(const char **)&a->to_hs, 1}, bh = {(const char **)&b->to_hs, 1};
	int hs = hs_meet(&a->hs, &b->hs) || (a->to_hs && hs_meet(&ah, &b->hs)) ||
		 (b->to_hs && hs_meet(&a->hs, &bh));
	return cp && hs && sets_meet(a->rep, a->nrep, b->rep, b->nrep) &&
	       str_meet(&a->source, &b->source);
}

/* The rules ordered against rule i through 'after' chains: up[x] when x
 * comes after i, down[x] when i comes after x. One pass each over the rules
 * in order (a rule's 'after' targets come before it), not a search per pair:
 * that was cubic (2,000 chained rules took 18 s). */
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

/* Resolve after:, order the rules, reject overlapping rules with no order. */
static void order_rules(ruleset *rs)
{
	for (size_t i = 0; i < rs->n; i++) {
		rule *r = &rs->r[i];
		r->dep = nk_xmalloc((r->nafter + 1) * sizeof *r->dep);
		const nk_ynode *af = nk_yget(r->node, "after");
		for (size_t k = 0; k < r->nafter; k++) {
			size_t j;
			for (j = 0; j < rs->n && strcmp(rs->r[j].id, r->after[k]); j++)
				;
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
	/* Kahn, lowest load index first: file order unless after: says otherwise */
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
	/* conflicts: two rules that can touch the same rows, in no stated order */
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
	free(done);
	/* sort by order */
	rule *sorted = nk_xmalloc(rs->n * sizeof *sorted + 1);
	for (size_t i = 0; i < rs->n; i++)
		sorted[rs->r[i].order] = rs->r[i];
	free(rs->r);
	rs->r = sorted;
}

/* -------------------------------------------------------------- options */

enum { RE_EXCLUDE, RE_INCLUDE, RE_ONLY };
typedef struct {
	nk_common co;
	const char **rules;
	int nrules;
	const char *audit;
	int explain, screen, strict, check_only, reexports;
} opts;

enum { OPT_REEXPORTS = NK_OPT_TOOL, OPT_STRICT, OPT_CHECK };

static void parse_opts(opts *o, int argc, char **argv)
{
	static const struct option lo[] = {
		NK_COMMON_LONGOPTS,
		{"rules", 1, 0, 'r'},
		{"audit", 1, 0, 'a'},
		{"explain", 0, 0, 'e'},
		{"screen", 0, 0, 's'},
		{"strict", 0, 0, OPT_STRICT},
		{"check-rules", 0, 0, OPT_CHECK},
		{"reexports", 1, 0, OPT_REEXPORTS},
		{0, 0, 0, 0},
	};
	int c;
	o->rules = nk_xmalloc((size_t)argc * sizeof *o->rules);
	while ((c = getopt_long(argc, argv, NK_COMMON_SHORTOPTS "r:a:es", lo, 0)) != -1) {
		if (nk_common_opt(&o->co, c, optarg, help))
			continue;
		switch (c) {
		case 'r': o->rules[o->nrules++] = optarg; break;
		case 'a': o->audit = optarg; break;
		case 'e': o->explain = 1; break;
		case 's': o->screen = 1; break;
		case OPT_STRICT: o->strict = 1; break;
		case OPT_CHECK: o->check_only = 1; break;
		case OPT_REEXPORTS:
			if (!strcmp(optarg, "exclude"))
				o->reexports = RE_EXCLUDE;
			else if (!strcmp(optarg, "include"))
				o->reexports = RE_INCLUDE;
			else if (!strcmp(optarg, "only"))
				o->reexports = RE_ONLY;
			else
				nk_usage_error("--reexports must be exclude, include or only: '%s'",
					       optarg);
			break;
		default: nk_usage_error("unknown option");
		}
	}
	if (o->explain + o->screen + o->check_only > 1)
		nk_usage_error("--explain, --screen and --check-rules exclude each other");
	if (o->audit && !strcmp(o->audit, "-") && !o->co.output)
		nk_usage_error("--audit - needs -o FILE for the data (both would go to stdout)");
	if ((o->explain || o->screen || o->check_only) && o->audit)
		nk_usage_error("--audit writes what a data run changes; it does not go with "
			       "--explain, --screen or --check-rules");
}

/* ------------------------------------------------------------ candidates */

/* The rules that can fire for a counterpart, in order; a hash table of
 * them by counterpart, grown as counterparts are seen. */
typedef struct cand {
	uint32_t cp;
	int l[]; /* order indices, -1 ended */
} candset;

static void cand_put(candset **tab, size_t cap, candset *c)
{
	size_t h = (c->cp * 2654435761u) & (cap - 1);
	while (tab[h])
		h = (h + 1) & (cap - 1);
	tab[h] = c;
}

static const candset *candidates(ruleset *rs, uint32_t cp)
{
	if (rs->cand_cap) {
		size_t h = (cp * 2654435761u) & (rs->cand_cap - 1);
		for (; rs->cand[h]; h = (h + 1) & (rs->cand_cap - 1))
			if (rs->cand[h]->cp == cp)
				return rs->cand[h];
	}
	candset *c = nk_xmalloc(sizeof *c + (rs->n + 1) * sizeof *c->l);
	memset(c, 0, sizeof *c);
	c->cp = cp;
	int k = 0;
	for (size_t i = 0; i < rs->n; i++) {
		const rule *r = &rs->r[i];
		if (r->act == A_CIF_NONE)
			continue;
		if (r->ncp) {
			size_t j;
			for (j = 0; j < r->ncp && r->cp[j] != cp; j++)
				;
			if (j == r->ncp)
				continue;
		}
		c->l[k++] = (int)i;
	}
	c->l[k] = -1;
	if (2 * (rs->cand_n + 1) > rs->cand_cap) { /* keep the table half empty */
		size_t ncap = rs->cand_cap ? 2 * rs->cand_cap : 64;
		candset **nt = nk_xmalloc(ncap * sizeof *nt);
		memset(nt, 0, ncap * sizeof *nt);
		for (size_t i = 0; i < rs->cand_cap; i++)
			if (rs->cand[i])
				cand_put(nt, ncap, rs->cand[i]);
		free(rs->cand);
		rs->cand = nt;
		rs->cand_cap = ncap;
	}
	cand_put(rs->cand, rs->cand_cap, c);
	rs->cand_n++;
	return c;
}

/* --------------------------------------------------------------- the run */

enum { C_SOURCE, C_YEAR, C_PERIOD, C_REP, C_REPM49, C_PAR, C_PARM49, C_FLOW, C_HSREV,
       C_HS, C_VALUE, C_CIF, C_FOB, C_NETWGT, C_QTY, C_QTYUNIT, C_N };
static const char *const core[] = {"source", "year", "period", "reporter", "reporter_m49",
				   "partner", "partner_m49", "flow", "hs_rev", "hs",
				   "value_usd", "cif_usd", "fob_usd", "netwgt_kg", "qty",
				   "qty_unit"};
static const char *const added[] = {"nk_flow", "counterpart", "value_reported",
				    "value_usd", "rules"};
enum { AD_NKFLOW, AD_CP, AD_REPORTED, AD_VALUE, AD_RULES, AD_N };

typedef struct {
	nk_tsv *t;
	int ix[C_N]; /* -1 if absent (only for optional columns) */
	int ix_val;  /* the value rules start from: value_usd, or value_reported
			when the input is nk-correct's own output (a re-run) */
	int rerun;
	int ix_status, ix_code[3]; /* nk-normalize-hs's hs_status, hs6, hs4, hs2 */
	nk_out *out, *rej, *aud;
	nk_layout *lay;
	ruleset *rs;
	opts *o;
	yearset seen_years;
	/* counts */
	uint64_t in, out_rows, mirrored, own, reex, notdprk, excluded, changed, addedrows,
		 readded;
	/* screen */
	struct scr *scr;
} run;

static int field_eq(nk_str f, const char *s)
{
	size_t n = strlen(s);
	return f.n == n && !memcmp(f.p, s, n);
}

static int hs_match(const strset *hs, nk_str h)
{
	for (size_t i = 0; i < hs->n; i++) {
		size_t n = strlen(hs->s[i]);
		if (h.n >= n && !memcmp(h.p, hs->s[i], n)) {
			if (n == 5 && !strcmp(hs->s[i], "TOTAL") && h.n != 5)
				continue;
			return 1;
		}
	}
	return 0;
}

static void audit_row(run *R, const rule *r, const char *file, long line, int year,
		      nk_str cp, int nkf, nk_str hs, const char *before, size_t nb,
		      const char *after, size_t na, const char *note)
{
	nk_out *o = R->aud;
	if (!o)
		return;
	nk_out_cstr(o, r->id);
	nk_out_byte(o, '\t');
	nk_out_cstr(o, act_name[r->act]);
	nk_out_byte(o, '\t');
	if (file)
		nk_out_escaped(o, file, strlen(file));
	nk_out_byte(o, '\t');
	if (line > 0)
		nk_out_int(o, line);
	nk_out_byte(o, '\t');
	nk_out_int(o, year);
	nk_out_byte(o, '\t');
	nk_out_str(o, cp);
	nk_out_byte(o, '\t');
	nk_out_cstr(o, nkf == NK_X ? "X" : "M");
	nk_out_byte(o, '\t');
	nk_out_str(o, hs);
	nk_out_byte(o, '\t');
	nk_out_write(o, before, nb);
	nk_out_byte(o, '\t');
	nk_out_write(o, after, na);
	nk_out_byte(o, '\t');
	nk_out_escaped(o, note, strlen(note));
	nk_out_byte(o, '\n');
}

static void need_value(const nk_tsv *t, size_t col, nk_str f, nk_dec *v, int *known)
{
	int rc = nk_dec_parse(f.p, f.n, v);
	if (rc == NK_DEC_EMPTY) {
		*known = 0;
		return;
	}
	if (rc != NK_DEC_OK)
		nk_tsv_die(t, col, nk_dec_strerror(rc));
	*known = 1;
}

/* A replace sets one figure (a published total) for a counterpart, flow and
 * year: a second row of the same key would count it twice. */
static void replace_once(run *R, rule *r, uint32_t cpc, nk_str cp, int nkf, int year)
{
	for (size_t i = 0; i < r->nhit; i++) {
		const struct hit *h = &r->hit[i];
		if (h->cp == cpc && h->nkf == nkf && h->year == year) {
			char what[512];
			snprintf(what, sizeof what,
				 "rule '%s' (%s:%ld:%ld) sets one value for %.*s %s %d but "
				 "matches a second row (the first: %s:%ld); narrow its "
				 "match (e.g. hs: TOTAL)",
				 r->id, r->node->file, r->node->line, r->node->col, (int)cp.n, cp.p,
				 nkf == NK_X ? "X" : "M", year, h->file, h->line);
			nk_die_at(R->t->file, R->t->line, NULL, what, NULL, 0);
		}
	}
	if (r->nhit == r->hitcap) {
		r->hitcap = r->hitcap ? 2 * r->hitcap : 8;
		r->hit = nk_xrealloc(r->hit, r->hitcap * sizeof *r->hit);
	}
	r->hit[r->nhit++] = (struct hit){cpc, nkf, year, R->t->file, R->t->line};
}

/* The code rules match: `hs`, or the code nk-normalize-hs restored (a lost
 * leading zero put back) when its columns say so. */
static nk_str row_code(const run *R, const nk_str *f)
{
	nk_str hs = f[R->ix[C_HS]];
	if (R->ix_status >= 0 && field_eq(f[R->ix_status], "restored"))
		for (int k = 0; k < 3; k++)
			if (R->ix_code[k] >= 0 && f[R->ix_code[k]].n)
				return f[R->ix_code[k]];
	return hs;
}

static void screen_row(run *R, nk_str *f, uint32_t rc, uint32_t pc, int year);

static void process_row(run *R)
{
	nk_tsv *t = R->t;
	nk_str *f = t->f;
	ruleset *rs = R->rs;
	nk_str rep = f[R->ix[C_REP]], par = f[R->ix[C_PAR]], fl = f[R->ix[C_FLOW]];
	uint32_t rc = iso_code(rep.p, rep.n), pc = iso_code(par.p, par.n);
	int flow;
	if (fl.n == 1 && fl.p[0] == 'M')
		flow = F_M;
	else if (fl.n == 1 && fl.p[0] == 'X')
		flow = F_X;
	else if (fl.n == 2 && fl.p[0] == 'R' && fl.p[1] == 'M')
		flow = F_RM;
	else if (fl.n == 2 && fl.p[0] == 'R' && fl.p[1] == 'X')
		flow = F_RX;
	else
		nk_tsv_die(t, (size_t)R->ix[C_FLOW], "not a flow (M, X, RM or RX)");
	int64_t y64;
	nk_str yf = f[R->ix[C_YEAR]];
	if (nk_int_parse(yf.p, yf.n, &y64) != 0 || y64 < MINY || y64 > MAXY)
		nk_tsv_die(t, (size_t)R->ix[C_YEAR], "not a year");
	int year = (int)y64;
	R->in++;

	nk_str cp;
	uint32_t cpc;
	int nkf;
	if (pc == PRK_CODE) { /* mirror: the partner's view turned round */
		cp = rep;
		cpc = rc;
		nkf = (flow & (F_M | F_RM)) ? NK_X : NK_M;
	} else if (rc == PRK_CODE) {
		cp = par;
		cpc = pc;
		nkf = (flow & (F_X | F_RX)) ? NK_X : NK_M;
	} else {
		if (R->scr)
			screen_row(R, f, rc, pc, year);
		R->notdprk++;
		nk_rej_row(R->rej, f, t->ncol, "not DPRK trade (no PRK side)", "",
			   t->file, t->line);
		return;
	}
	if (R->rerun && field_eq(f[R->ix[C_SOURCE]], "rule")) {
		/* a row an `add` rule made in the earlier run: made again below
		 * if a rule still adds it */
		R->readded++;
		nk_rej_row(R->rej, f, t->ncol, "added by a rule in an earlier run", "",
			   t->file, t->line);
		return;
	}
	ys_add(&R->seen_years, year);
	if (R->scr)
		screen_row(R, f, rc, pc, year);
	int reex = (flow & (F_RM | F_RX)) != 0;
	if (reex)
		R->reex++;
	if (reex && R->o->reexports == RE_EXCLUDE) {
		nk_rej_row(R->rej, f, t->ncol, "re-export or re-import (--reexports exclude)",
			   "", t->file, t->line);
		return;
	}
	if (!reex && R->o->reexports == RE_ONLY) {
		nk_rej_row(R->rej, f, t->ncol, "not a re-export (--reexports only)", "",
			   t->file, t->line);
		return;
	}
	if (pc == PRK_CODE)
		R->mirrored++;
	else
		R->own++;

	nk_str hs = row_code(R, f);
	nk_str val = f[R->ix_val];
	nk_dec v = 0;
	int known = -1; /* -1: not parsed yet */
	char idbuf[4096];
	size_t idn = 0;
	static nk_str *fcopy;
	static size_t fcap;
	const nk_str *fin = f;

	const int *cand = candidates(rs, cpc)->l;
	for (int ci = 0; cand[ci] >= 0; ci++) {
		rule *r = &rs->r[cand[ci]];
		if (r->has_years && !ys_has(&r->years, year))
			continue;
		if (r->nkflows && !(r->nkflows & nkf))
			continue;
		if (r->flows && !(r->flows & flow))
			continue;
		if (r->nrep) {
			size_t j;
			for (j = 0; j < r->nrep && r->rep[j] != rc; j++)
				;
			if (j == r->nrep)
				continue;
		}
		if (r->hs.n && !hs_match(&r->hs, hs))
			continue;
		if (r->source.n) {
			size_t j;
			for (j = 0; j < r->source.n && !field_eq(f[R->ix[C_SOURCE]], r->source.s[j]); j++)
				;
			if (j == r->source.n)
				continue;
		}
		if (r->act == A_ADD) { /* only observed here; rows added at the end */
			ys_add(&r->covered, year);
			if (hs_match(&(strset){&r->add_hs, 1}, hs)) {
				if (known < 0)
					need_value(t, (size_t)R->ix_val, val, &v, &known);
				if (known && v != 0)
					ys_add(&r->present, year);
			}
			continue;
		}
		if (r->act == A_CIF && !(pc == PRK_CODE && (flow & (F_M | F_RM))))
			continue; /* only partners' imports are valued CIF */
		if (known < 0)
			need_value(t, (size_t)R->ix_val, val, &v, &known);
		char b0[32], b1[32];
		size_t n0 = known ? nk_dec_fmt(v, b0) : 0, n1 = 0;
		char note[96] = "";
		nk_dec nv = v;
		int nknown = known;
		r->rows++;
		if (known)
			r->before += v;
		switch (r->act) {
		case A_EXCLUDE:
			R->excluded++;
			audit_row(R, r, t->file, t->line, year, cp, nkf, hs, b0, n0, "", 0,
				  "removed");
			nk_rej_row(R->rej, f, t->ncol, "excluded by rule", r->id, t->file,
				   t->line);
			return;
		case A_SCALE:
		case A_CIF: {
			nk_dec fac = r->factor;
			for (size_t j = 0; j < r->ntab; j++)
				if (r->tab_cp[j] == cpc)
					fac = r->tab_f[j];
			if (r->act == A_CIF && fac == 0) {
				r->rows--;
				if (known)
					r->before -= v;
				continue; /* not in the table and no default */
			}
			if (known) {
				int e = r->act == A_SCALE ? nk_dec_mul(v, fac, &nv)
							  : nk_dec_div(v, fac, &nv);
				if (e != NK_DEC_OK)
					nk_tsv_die(t, (size_t)R->ix_val,
						   "value out of range after a rule");
			}
			char fb[32];
			nk_dec_fmt(fac, fb);
			snprintf(note, sizeof note, "%s %s", r->act == A_SCALE ? "x" : "/", fb);
			break;
		}
		case A_REPLACE:
			replace_once(R, r, cpc, cp, nkf, year);
			nv = r->value;
			nknown = 1;
			snprintf(note, sizeof note, "replaced");
			break;
		case A_REASSIGN:
			if (fin == f) {
				if (fcap < t->ncol) {
					free(fcopy);
					fcap = t->ncol;
					fcopy = nk_xmalloc(fcap * sizeof *fcopy);
				}
				memcpy(fcopy, f, t->ncol * sizeof *fcopy);
				fin = fcopy;
			}
			if (r->to_cp) {
				snprintf(note, sizeof note, "counterpart %.*s -> %s", (int)cp.n,
					 cp.p, r->to_cp);
				cp = (nk_str){r->to_cp, 3};
				cpc = r->to_cp_code;
				/* continue with the rules of the new counterpart */
				const int *nc = candidates(rs, cpc)->l;
				int k = 0;
				while (nc[k] >= 0 && nc[k] <= cand[ci])
					k++;
				cand = nc;
				ci = k - 1;
			}
			if (r->to_hs) {
				size_t o = strlen(note);
				snprintf(note + o, sizeof note - o, "%shs %.*s -> %s", o ? "; " : "",
					 (int)hs.n, hs.p, r->to_hs);
				hs = (nk_str){r->to_hs, strlen(r->to_hs)};
				fcopy[R->ix[C_HS]] = hs;
			}
			break;
		}
		v = nv;
		known = nknown;
		if (known) {
			r->after_v += v;
			n1 = nk_dec_fmt(v, b1);
		}
		audit_row(R, r, t->file, t->line, year, cp, nkf, hs, b0, n0, b1, n1, note);
		size_t il = strlen(r->id);
		if (idn + il + 1 < sizeof idbuf) {
			if (idn)
				idbuf[idn++] = ';';
			memcpy(idbuf + idn, r->id, il);
			idn += il;
		}
	}
	if (idn)
		R->changed++;
	if (!R->out)
		return;
	nk_str add[AD_N];
	add[AD_NKFLOW] = (nk_str){nkf == NK_X ? "X" : "M", 1};
	add[AD_CP] = cp;
	add[AD_REPORTED] = val;
	char vb[32];
	if (idn && known > 0)
		add[AD_VALUE] = (nk_str){vb, nk_dec_fmt(v, vb)};
	else if (idn && known == 0)
		add[AD_VALUE] = (nk_str){"", 0};
	else
		add[AD_VALUE] = val;
	add[AD_RULES] = (nk_str){idbuf, idn};
	R->out_rows++;
	nk_layout_row(R->out, R->lay, fin, add);
}

/* ------------------------------------------------------------ the screen */

/* Per counterpart-year and the counterpart's own flow (M/X): its trade with
 * PRK and with KOR by HS chapter. Doubles are fine here: the screen is a
 * report for a person, not data. */
typedef struct {
	uint32_t cp;
	int year, flow;
	double prk[100], kor[100], typical;
} cy;

struct scr {
	cy **tab;
	size_t cap, n;
	double min_value, min_cosine, min_share, min_ratio;
	strset hs;
	const char *hsdefault[8];
};

static void screen_open(run *R)
{
	struct scr *s = nk_xmalloc(sizeof *s);
	memset(s, 0, sizeof *s);
	s->cap = 4096;
	s->tab = nk_xmalloc(s->cap * sizeof *s->tab);
	memset(s->tab, 0, s->cap * sizeof *s->tab);
	/* defaults, overridden by the rule file's `screen:` */
	s->min_value = 1e6;
	s->min_cosine = 0.9;
	s->min_share = 0.5;
	s->min_ratio = 0;
	static const char *const def[] = {"8517", "8703", "89", "8471", "8528", "8542"};
	for (int i = 0; i < 6; i++)
		s->hsdefault[i] = def[i];
	s->hs.s = s->hsdefault;
	s->hs.n = 6;
	const nk_ynode *c = R->rs->screen;
	if (c) {
		static const char *const k[] = {"min_value_usd", "min_cosine", "min_share",
						"min_ratio_to_kor", "hs", NULL};
		nk_ymap_keys(c, "screen", k);
		const nk_ynode *v;
		if ((v = nk_yget(c, "min_value_usd")))
			s->min_value = (double)nk_ydec(v, "min_value_usd") / 1000;
		if ((v = nk_yget(c, "min_cosine")))
			s->min_cosine = (double)nk_ydec(v, "min_cosine") / 1000;
		if ((v = nk_yget(c, "min_share")))
			s->min_share = (double)nk_ydec(v, "min_share") / 1000;
		if ((v = nk_yget(c, "min_ratio_to_kor")))
			s->min_ratio = (double)nk_ydec(v, "min_ratio_to_kor") / 1000;
		if ((v = nk_yget(c, "hs"))) {
			strset ss;
			str_list(v, "hs", &ss, 1);
			s->hs.n = ss.n < 8 ? ss.n : 8;
			for (size_t i = 0; i < s->hs.n; i++)
				s->hsdefault[i] = ss.s[i];
			free(ss.s);
		}
	}
	R->scr = s;
}

static void screen_row(run *R, nk_str *f, uint32_t rc, uint32_t pc, int year)
{
	struct scr *s = R->scr;
	if (pc != PRK_CODE && pc != KOR_CODE)
		return;
	if (rc == PRK_CODE || rc == KOR_CODE || rc == 0 || rc == NOT_ISO)
		return;
	nk_str fl = f[R->ix[C_FLOW]], hs = row_code(R, f), val = f[R->ix_val];
	if (fl.n != 1 || hs.n < 2 || hs.p[0] < '0' || hs.p[0] > '9')
		return; /* re-exports and TOTAL rows have no profile */
	int flow = fl.p[0] == 'M' ? F_M : F_X;
	int ch = (hs.n & 1) ? hs.p[0] - '0' : (hs.p[0] - '0') * 10 + hs.p[1] - '0';
	if (ch < 0 || ch > 99)
		return;
	nk_dec v;
	if (nk_dec_parse(val.p, val.n, &v) != NK_DEC_OK || v <= 0)
		return;
	size_t h = ((rc * 2654435761u) ^ (uint32_t)year * 40503u ^ (uint32_t)flow) & (s->cap - 1);
	while (s->tab[h] && !(s->tab[h]->cp == rc && s->tab[h]->year == year &&
			      s->tab[h]->flow == flow))
		h = (h + 1) & (s->cap - 1);
	cy *e = s->tab[h];
	if (!e) {
		if (2 * (s->n + 1) > s->cap)
			nk_die(1, "--screen: more than %zu counterpart-years", s->cap / 2);
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
		nk_str c = {code, n + off};
		if (hs_match(&s->hs, c))
			e->typical += d;
	} else {
		e->kor[ch] += d;
	}
}

static int cy_cmp(const void *a, const void *b)
{
	const cy *x = *(cy *const *)a, *y = *(cy *const *)b;
	char cx[4], cy_[4];
	memcpy(cx, &x->cp, 3);
	memcpy(cy_, &y->cp, 3);
	int c = memcmp(cx, cy_, 3);
	if (c)
		return c;
	if (x->year != y->year)
		return x->year - y->year;
	return x->flow - y->flow;
}

static void screen_report(run *R)
{
	struct scr *s = R->scr;
	cy **v = nk_xmalloc((s->n + 1) * sizeof *v);
	size_t n = 0;
	for (size_t i = 0; i < s->cap; i++)
		if (s->tab[i])
			v[n++] = s->tab[i];
	qsort(v, n, sizeof *v, cy_cmp);
	nk_out *o = nk_out_open(R->o->co.output);
	char line[512];
	snprintf(line, sizeof line,
		 "# nk-correct --screen: counterpart-years whose trade with PRK looks like\n"
		 "# trade with South Korea. Flagged when PRK trade >= %.0f USD and (cosine of\n"
		 "# its HS-chapter profile with the KOR profile >= %.3f or share of",
		 s->min_value, s->min_cosine);
	nk_out_cstr(o, line);
	for (size_t i = 0; i < s->hs.n; i++) {
		nk_out_byte(o, ' ');
		nk_out_cstr(o, s->hs.s[i]);
	}
	snprintf(line, sizeof line,
		 " >= %.3f)%s.\n# The suggestions below change nothing: review each, cite a "
		 "source, then copy it into a rule file.\n"
		 "# counterpart\tyear\tflow\tprk_usd\tkor_usd\tcosine\ttypical_share\tflag\n",
		 s->min_share, s->min_ratio > 0 ? " and PRK/KOR value ratio >= min_ratio_to_kor" : "");
	nk_out_cstr(o, line);
	int flagged = 0;
	char *flags = nk_xmalloc(n + 1);
	for (size_t i = 0; i < n; i++) {
		cy *e = v[i];
		double tp = 0, tk = 0, dot = 0, np = 0, nq = 0;
		for (int c = 0; c < 100; c++) {
			tp += e->prk[c];
			tk += e->kor[c];
			dot += e->prk[c] * e->kor[c];
			np += e->prk[c] * e->prk[c];
			nq += e->kor[c] * e->kor[c];
		}
		double cosv = (np > 0 && nq > 0) ? dot / __builtin_sqrt(np * nq) : -1;
		double share = tp > 0 ? e->typical / tp : 0;
		int flag = tp >= s->min_value && (cosv >= s->min_cosine || share >= s->min_share) &&
			   (s->min_ratio <= 0 || (tk > 0 && tp / tk >= s->min_ratio));
		flags[i] = (char)flag;
		flagged += flag;
		char cs[16];
		if (cosv < 0)
			snprintf(cs, sizeof cs, "n/a");
		else
			snprintf(cs, sizeof cs, "%.3f", cosv);
		snprintf(line, sizeof line, "# %.3s\t%d\t%s\t%.0f\t%.0f\t%s\t%.3f\t%s\n",
			 (const char *)&e->cp, e->year, e->flow == F_M ? "M" : "X", tp, tk, cs,
			 share, flag ? "FLAG" : "");
		nk_out_cstr(o, line);
		e->prk[0] = cosv; /* keep for the rules below */
		e->kor[0] = share;
		e->typical = tp;
	}
	nk_out_cstr(o, flagged ? "rules:\n" : "rules: []\n");
	for (size_t i = 0; i < n; i++) {
		if (!flags[i])
			continue;
		cy *e = v[i];
		char cp[4] = {0};
		memcpy(cp, &e->cp, 3);
		char lc[4] = {(char)(cp[0] | 32), (char)(cp[1] | 32), (char)(cp[2] | 32), 0};
		snprintf(line, sizeof line,
			 "  - id: screen-%s-%d-%s\n"
			 "    source: \"REVIEW: nk-correct --screen suggestion; cite the publication "
			 "that names this misreport before use\"\n"
			 "    reason: \"%s %s PRK %.0f USD; cosine with its KOR profile %.3f; share of "
			 "South-Korea-typical codes %.3f\"\n"
			 "    match: {counterpart: %s, years: %d, nk_flow: %s}\n"
			 "    exclude: true\n",
			 lc, e->year, e->flow == F_M ? "x" : "m", cp,
			 e->flow == F_M ? "imports from" : "exports to", e->typical, e->prk[0],
			 e->kor[0], cp, e->year, e->flow == F_M ? "X" : "M");
		nk_out_cstr(o, line);
	}
	nk_out_close(o);
	free(flags);
	free(v);
}

static void screen_free(run *R)
{
	struct scr *s = R->scr;
	if (!s)
		return;
	for (size_t i = 0; i < s->cap; i++)
		free(s->tab[i]);
	free(s->tab);
	free(s);
}

/* Rows the `add` rules estimate, after the input, in rule order then year. */
static void add_rows(run *R)
{
	ruleset *rs = R->rs;
	nk_tsv *t = R->t;
	nk_str *in = nk_xmalloc((t->ncol + 1) * sizeof *in);
	for (size_t i = 0; i < rs->n; i++) {
		rule *r = &rs->r[i];
		if (r->act != A_ADD)
			continue;
		for (int y = MINY; y <= MAXY; y++) {
			if (!ys_has(&r->years, y) || !ys_has(&r->covered, y))
				continue;
			if (r->if_missing && ys_has(&r->present, y))
				continue;
			char yb[8], vb[32], wb[32], cpb[4];
			snprintf(yb, sizeof yb, "%d", y);
			memcpy(cpb, &r->cp[0], 3);
			cpb[3] = 0;
			nk_str ys = {yb, 4}, cps = {cpb, 3}, hs = {r->add_hs, strlen(r->add_hs)};
			nk_str vs = {vb, nk_dec_fmt(r->value, vb)};
			nk_str ws = {wb, r->netwgt >= 0 ? nk_dec_fmt(r->netwgt, wb) : 0};
			r->rows++;
			r->after_v += r->value;
			R->addedrows++;
			char note[64];
			snprintf(note, sizeof note, "added; basis: %s", r->basis);
			audit_row(R, r, NULL, 0, y, cps, r->nkflows, hs, "", 0, vs.p, vs.n, note);
			if (!R->out)
				continue;
			for (size_t k = 0; k < t->ncol; k++)
				in[k] = (nk_str){"", 0};
			nk_str set[C_N] = {
				[C_SOURCE] = {"rule", 4},
				[C_YEAR] = ys,
				[C_PERIOD] = ys,
				[C_REP] = cps,
				[C_PAR] = {"PRK", 3},
				[C_PARM49] = {"408", 3},
				[C_FLOW] = {r->nkflows == NK_M ? "X" : "M", 1},
				[C_HS] = hs,
				[C_VALUE] = vs,
				[C_NETWGT] = ws,
			};
			for (int c = 0; c < C_N; c++)
				if (R->ix[c] >= 0 && set[c].p)
					in[R->ix[c]] = set[c];
			nk_str add[AD_N] = {
				[AD_NKFLOW] = {r->nkflows == NK_X ? "X" : "M", 1},
				[AD_CP] = cps,
				[AD_REPORTED] = {"", 0},
				[AD_VALUE] = vs,
				[AD_RULES] = {r->id, strlen(r->id)},
			};
			R->out_rows++;
			nk_layout_row(R->out, R->lay, in, add);
		}
	}
	free(in);
}

/* After the run: rules that fired on nothing warn (--strict: fail). A rule
 * whose years are all outside the input's years is not applicable, not
 * wrong, and says nothing. */
static int status_of(const run *R, const rule *r, const char **what)
{
	if (r->act == A_CIF_NONE) {
		*what = "declares no CIF/FOB adjustment";
		return 0;
	}
	if (r->rows) {
		*what = "fired";
		return 0;
	}
	if (r->has_years && !ys_any(&r->years, &R->seen_years)) {
		*what = "not applicable: its years are not in the input";
		return 0;
	}
	if (r->act == A_ADD && r->if_missing && (r->present.b[0] | r->present.b[1] |
						 r->present.b[2] | r->present.b[3])) {
		*what = "not needed: the flow is reported";
		return 0;
	}
	*what = "matches no row";
	return 1;
}

static void check_unmatched(run *R)
{
	int bad = 0;
	for (size_t i = 0; i < R->rs->n; i++) {
		const rule *r = &R->rs->r[i];
		const char *what;
		if (status_of(R, r, &what)) {
			nk_ywarn(r->node, "%s: rule '%s' matches no row", R->o->strict ? "error" : "warning", r->id);
			bad = 1;
		}
	}
	if (bad && R->o->strict)
		nk_exit_now(1);
}

static void explain(run *R)
{
	nk_out *o = nk_out_open(R->o->co.output);
	nk_out_cstr(o, "order\trule\taction\trows\tvalue_before_usd\tvalue_after_usd\t"
		       "change_usd\tstatus\tfile\n");
	for (size_t i = 0; i < R->rs->n; i++) {
		const rule *r = &R->rs->r[i];
		const char *what;
		status_of(R, r, &what);
		nk_out_int(o, (int64_t)i + 1);
		nk_out_byte(o, '\t');
		nk_out_cstr(o, r->id);
		nk_out_byte(o, '\t');
		nk_out_cstr(o, act_name[r->act]);
		nk_out_byte(o, '\t');
		nk_out_int(o, (int64_t)r->rows);
		nk_out_byte(o, '\t');
		nk_out_dec(o, r->before);
		nk_out_byte(o, '\t');
		nk_out_dec(o, r->act == A_EXCLUDE ? 0 : r->after_v);
		nk_out_byte(o, '\t');
		nk_out_dec(o, (r->act == A_EXCLUDE ? 0 : r->after_v) - r->before);
		nk_out_byte(o, '\t');
		nk_out_cstr(o, what);
		nk_out_byte(o, '\t');
		char loc[64];
		snprintf(loc, sizeof loc, ":%ld:%ld", r->node->line, r->node->col);
		nk_out_escaped(o, r->node->file, strlen(r->node->file));
		nk_out_cstr(o, loc);
		nk_out_byte(o, '\n');
	}
	nk_out_close(o);
}

static void free_rules(ruleset *rs)
{
	for (size_t i = 0; i < rs->n; i++) {
		rule *r = &rs->r[i];
		free(r->cp);
		free(r->rep);
		free(r->hs.s);
		free(r->source.s);
		free(r->tab_cp);
		free(r->tab_f);
		free(r->after);
		free(r->dep);
		free(r->hit);
	}
	free(rs->r);
	for (size_t i = 0; i < rs->cand_cap; i++)
		free(rs->cand[i]);
	free(rs->cand);
	for (size_t i = 0; i < rs->ndocs; i++)
		nk_ydoc_free(rs->docs[i]);
	free(rs->docs);
}

int main(int argc, char **argv)
{
	nk_init(argv);
	opts o = {0};
	parse_opts(&o, argc, argv);

	/* 1. the rules, completely, before any input or output */
	ruleset rs = {0};
	char *defrules = NULL;
	if (!o.nrules) {
		defrules = nk_datafile("rules/corrections.yaml");
		o.rules[o.nrules++] = defrules;
	}
	size_t cap = 0;
	for (int i = 0; i < o.nrules; i++)
		load_file(&rs, o.rules[i], &cap);
	order_rules(&rs);
	if (o.check_only) {
		if (!o.co.quiet)
			nk_warn("%zu rules OK in %d file%s", rs.n, o.nrules,
				o.nrules == 1 ? "" : "s");
		free_rules(&rs);
		free(defrules);
		free(o.rules);
		return 0;
	}

	/* 2. the input's columns */
	run R = {0};
	R.rs = &rs;
	R.o = &o;
	R.t = nk_tsv_open(argv + optind, argc - optind);
	static const int needed[] = {C_SOURCE, C_YEAR, C_REP, C_PAR, C_FLOW, C_HS, C_VALUE};
	for (int c = 0; c < C_N; c++)
		R.ix[c] = nk_tsv_col(R.t, core[c]);
	for (size_t k = 0; k < sizeof needed / sizeof *needed; k++)
		R.ix[needed[k]] = (int)nk_tsv_need(R.t, core[needed[k]]);
	/* nk-correct's own output: start again from the values as reported */
	int rep = nk_tsv_col(R.t, "value_reported");
	R.rerun = rep >= 0 && nk_tsv_col(R.t, "rules") >= 0;
	R.ix_val = R.rerun ? rep : R.ix[C_VALUE];
	R.ix_status = nk_tsv_col(R.t, "hs_status");
	R.ix_code[0] = nk_tsv_col(R.t, "hs6");
	R.ix_code[1] = nk_tsv_col(R.t, "hs4");
	R.ix_code[2] = nk_tsv_col(R.t, "hs2");
	if (o.screen)
		screen_open(&R);

	/* 3. outputs */
	int data = !o.explain && !o.screen;
	if (data) {
		R.out = nk_out_open(o.co.output);
		R.lay = nk_layout_new(R.t, added, AD_N);
		nk_layout_header(R.out, R.t, R.lay);
	}
	R.rej = nk_rej_open(o.co.rejects, R.t->col, R.t->ncol);
	if (o.audit) {
		R.aud = nk_out_open(o.audit);
		nk_out_cstr(R.aud, "rule\taction\tfile\tline\tyear\tcounterpart\tnk_flow\ths\t"
				   "value_before\tvalue_after\tnote\n");
	}

	/* 4. stream */
	nk_progress_start(o.co.quiet);
	while (nk_tsv_next(R.t)) {
		process_row(&R);
		nk_progress(R.t->rows, nk_tsv_bytes(R.t));
	}
	nk_progress_end();
	add_rows(&R);
	check_unmatched(&R);

	/* 5. close */
	if (o.explain)
		explain(&R);
	if (o.screen)
		screen_report(&R);
	nk_out_close_all((nk_out *[]){R.out, R.rej, R.aud}, 3);
	char rr[96] = "";
	if (R.rerun)
		snprintf(rr, sizeof rr, ", %llu added by an earlier run (made again)",
			 (unsigned long long)R.readded);
	if (!o.co.quiet)
		nk_warn("%llu rows in, %llu out (%llu mirrored, %llu reported by PRK); "
			"dropped: %llu not DPRK trade, %llu re-exports (%s), %llu excluded "
			"by rules%s; %llu rows changed and %llu added by %zu rules",
			(unsigned long long)R.in, (unsigned long long)R.out_rows,
			(unsigned long long)R.mirrored, (unsigned long long)R.own,
			(unsigned long long)R.notdprk, (unsigned long long)R.reex,
			o.reexports == RE_EXCLUDE ? "excluded" :
			o.reexports == RE_INCLUDE ? "kept" : "kept, only these",
			(unsigned long long)R.excluded, rr, (unsigned long long)R.changed,
			(unsigned long long)R.addedrows, rs.n);
	screen_free(&R);
	nk_layout_free(R.lay);
	nk_tsv_close(R.t);
	free_rules(&rs);
	free(defrules);
	free(o.rules);
	return 0;
}
