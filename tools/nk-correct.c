/* nk-correct - turn partner reports into DPRK trade and apply sourced correction rules
 * The mirror flip (a partner's import from PRK is a DPRK export), then the
 * rules of rules/corrections.yaml (or --rules FILE...), each applied visibly:
 * the ids that touched a row are in its `rules` column, every change is in
 * --audit, every removed row in --rejects. Rules are loaded and validated
 * completely before the first output byte. */
#include "nk-correct/correct.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

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
	"Rule actions: cif_fob (none, factor, by_counterpart, imports), exclude,\n"
	"reassign, add, replace, scale; see the README section \"Writing a rule\".\n"
	"Two rules whose matches overlap are an error unless one says 'after:' the\n"
	"other.\n"
	"\n"
	"With no FILE, or when FILE is -, read standard input. Exit status: 0 success,\n"
	"1 bad data or rules (messages name FILE:LINE, rule files FILE:LINE:COL; with\n"
	"-o nothing is written), 2 usage error.\n";


/* -------------------------------------------------------------- options */

enum { RE_EXCLUDE, RE_INCLUDE, RE_ONLY };
typedef struct {
	nk_common co;
	const char **rules; /* the -r files, or the shipped one */
	int nrules;
	char *defrules;	    /* owned: the shipped rule file's path */
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
	o->rules = nk_xmalloc(((size_t)argc + 1) * sizeof *o->rules);
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
	if (!o->nrules)
		o->rules[o->nrules++] = o->defrules = nk_datafile("rules/corrections.yaml");
	if (o->explain + o->screen + o->check_only > 1)
		nk_usage_error("--explain, --screen and --check-rules exclude each other");
	if (o->audit && !strcmp(o->audit, "-") && !o->co.output)
		nk_usage_error("--audit - needs -o FILE for the data (both would go to stdout)");
	if ((o->explain || o->screen || o->check_only) && o->audit)
		nk_usage_error("--audit writes what a data run changes; it does not go with "
			       "--explain, --screen or --check-rules");
}

/* --------------------------------------------------------------- the run */

/* The columns nk-correct adds (nk_layout: replaced in place on a re-run). */
static const char *const added[] = {"nk_flow", "counterpart", "value_reported",
				    "value_usd", "rules"};
enum { AD_NKFLOW, AD_CP, AD_REPORTED, AD_VALUE, AD_RULES, AD_N };

typedef struct {
	nk_tsv *t;
	nk_selcols c; /* the contract's columns and nk-normalize-hs's */
	int ix_val;   /* the value rules start from: value_usd, or value_reported
			 when the input is nk-correct's own output (a re-run) */
	int rerun;
	nk_out *out, *rej, *aud;
	nk_layout *lay;
	ruleset *rs;
	const opts *o;
	screen *scr;
	nk_years seen_years;
	char *ids; /* the `rules` column of the current row */
	size_t idcap;
	nk_str *fcopy; /* the fields of a row a reassign changed */
	/* counts */
	uint64_t in, out_rows, mirrored, own, reex, notdprk, excluded, changed, addedrows,
		readded;
} run;

/* One row on its way through the rules. */
typedef struct {
	nk_selrow k;	   /* what rules match; counterpart and hs move with reassign */
	nk_str cp;	   /* the counterpart's text */
	int mirrored;	   /* a partner's report (partner PRK), not PRK's own */
	nk_str val;	   /* the value rules start from, as read (checked) */
	nk_dec v;	   /* ... and as it stands now, once parsed */
	int known;	   /* 0: unknown (empty) */
	int parsed;	   /* v holds the value (most rows never need it) */
	const int *cand;   /* candidate rules (order indices, -1 ended) */
	int ci;		   /* the next one to try */
	const nk_str *fin; /* the fields to write: the row, or R->fcopy */
	size_t nids;	   /* bytes of R->ids */
} row;

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
	nk_out_cstr(o, nk_nkflow_name(nkf));
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

static void reject(run *R, const char *reason, const char *rule_id)
{
	nk_rej_row(R->rej, R->t->f, R->t->ncol, reason, rule_id, R->t->file, R->t->line);
}

/* The row's value (0 when unknown), parsed on first use: checked on every
 * row, needed on the few a rule changes. */
static nk_dec row_value(row *w)
{
	if (!w->parsed) {
		w->v = 0;
		if (w->known)
			nk_num_parse(w->val.p, w->val.n, &w->v);
		w->parsed = 1;
	}
	return w->v;
}

/* Step 1, key: read and check the row's columns, turn it to the DPRK's
 * view (the mirror flip). Rows that are not DPRK trade, rows an earlier run
 * added, re-exports (by --reexports) leave here: 0. */
static int key_row(run *R, row *w)
{
	nk_tsv *t = R->t;
	const int *ix = R->c.ix;
	nk_str *f = t->f;
	int flow = nk_row_flow(t, (size_t)ix[NK_C_FLOW]);
	int year = nk_row_year(t, (size_t)ix[NK_C_YEAR]);
	uint32_t rc = nk_row_iso3(t, (size_t)ix[NK_C_REPORTER]);
	uint32_t pc = nk_row_iso3(t, (size_t)ix[NK_C_PARTNER]);
	nk_row_hs(t, (size_t)ix[NK_C_HS]);
	w->val = f[R->ix_val];
	w->known = nk_row_num(t, (size_t)R->ix_val, NULL);
	w->parsed = 0;
	R->in++;

	nk_str hs = R->c.hs_status < 0 ? f[ix[NK_C_HS]] : nk_sel_code(&R->c, f);
	w->mirrored = pc == PRK_CODE;
	if (pc == PRK_CODE) { /* the partner's view turned round */
		w->cp = f[ix[NK_C_REPORTER]];
		w->k.cp = rc;
		w->k.nkflow = (flow & (NK_FLOW_M | NK_FLOW_RM)) ? NK_NKFLOW_X : NK_NKFLOW_M;
	} else if (rc == PRK_CODE) {
		w->cp = f[ix[NK_C_PARTNER]];
		w->k.cp = pc;
		w->k.nkflow = (flow & (NK_FLOW_X | NK_FLOW_RX)) ? NK_NKFLOW_X : NK_NKFLOW_M;
	} else {
		if (R->scr)
			screen_row(R->scr, rc, pc, year, flow, hs, w->known, row_value(w));
		R->notdprk++;
		reject(R, "not DPRK trade (no PRK side)", "");
		return 0;
	}
	nk_str src = f[ix[NK_C_SOURCE]];
	if (R->rerun && src.n == 4 && !memcmp(src.p, "rule", 4)) {
		/* made by an `add` rule in the earlier run: made again if a rule
		 * still adds it */
		R->readded++;
		reject(R, "added by a rule in an earlier run", "");
		return 0;
	}
	nk_years_add(&R->seen_years, year);
	if (R->scr)
		screen_row(R->scr, rc, pc, year, flow, hs, w->known, row_value(w));
	int reex = (flow & (NK_FLOW_RM | NK_FLOW_RX)) != 0;
	R->reex += reex;
	if (reex && R->o->reexports == RE_EXCLUDE) {
		reject(R, "re-export or re-import (--reexports exclude)", "");
		return 0;
	}
	if (!reex && R->o->reexports == RE_ONLY) {
		reject(R, "not a re-export (--reexports only)", "");
		return 0;
	}
	if (w->mirrored)
		R->mirrored++;
	else
		R->own++;
	w->k.rep = rc;
	w->k.flow = flow;
	w->k.year = year;
	w->k.hsrev = -1; /* nk-correct's rules have no hs_rev */
	w->k.hs = hs;
	w->k.source = src;
	w->cand = nk_selindex_get(R->rs->cand, w->k.cp);
	w->ci = 0;
	w->fin = f;
	w->nids = 0;
	return 1;
}

/* Step 2, match: the next rule, in order, whose match holds for the row as
 * it stands (NULL: none left). */
static rule *next_match(run *R, row *w)
{
	for (int i; (i = w->cand[w->ci]) >= 0;) {
		w->ci++;
		if (nk_sel_match(&R->rs->r[i].m, &w->k))
			return &R->rs->r[i];
	}
	return NULL;
}

static int starts_with(nk_str h, const char *p)
{
	size_t n = strlen(p);
	return h.n >= n && !memcmp(h.p, p, n);
}

/* A sum for --explain. One beyond the contract's range cannot be written
 * exactly: marked, and --explain says so (a data run needs no sum). */
static void add_to(nk_dec *sum, nk_dec v, rule *r)
{
	if (nk_dec_add(*sum, v, sum) != NK_DEC_OK)
		r->sum_range = 1;
}

/* A replace sets one figure (a published total) for a counterpart, flow and
 * year: a second row of the same key would count it twice. */
static void replace_once(run *R, rule *r, const row *w)
{
	for (size_t i = 0; i < r->nhit; i++) {
		const struct hit *h = &r->hit[i];
		if (h->cp == w->k.cp && h->nkf == w->k.nkflow && h->year == w->k.year) {
			char what[512];
			snprintf(what, sizeof what,
				 "rule '%s' (%s:%ld:%ld) sets one value for %.*s %s %d but "
				 "matches a second row (the first: %s:%ld); narrow its "
				 "match (e.g. hs: TOTAL)",
				 r->id, r->node->file, r->node->line, r->node->col,
				 (int)w->cp.n, w->cp.p, nk_nkflow_name(w->k.nkflow), w->k.year,
				 h->file, h->line);
			nk_die_at(R->t->file, R->t->line, NULL, what, NULL, 0);
		}
	}
	if (r->nhit == r->hitcap) {
		r->hitcap = r->hitcap ? 2 * r->hitcap : 8;
		r->hit = nk_xrealloc(r->hit, r->hitcap * sizeof *r->hit);
	}
	r->hit[r->nhit++] = (struct hit){w->k.cp, w->k.nkflow, w->k.year, R->t->file,
					 R->t->line};
}

/* reassign: the row moves to another counterpart and/or code; the later
 * rules are those of its new counterpart. */
static void reassign(run *R, const rule *r, row *w, char *note, size_t cap)
{
	nk_tsv *t = R->t;
	if (w->fin == t->f) {
		memcpy(R->fcopy, t->f, t->ncol * sizeof *R->fcopy);
		w->fin = R->fcopy;
	}
	if (r->to_cp) {
		snprintf(note, cap, "counterpart %.*s -> %s", (int)w->cp.n, w->cp.p, r->to_cp);
		w->cp = (nk_str){r->to_cp, 3};
		w->k.cp = r->to_cp_code;
		int at = (int)(r - R->rs->r);
		w->cand = nk_selindex_get(R->rs->cand, w->k.cp);
		for (w->ci = 0; w->cand[w->ci] >= 0 && w->cand[w->ci] <= at; w->ci++)
			;
	}
	if (r->to_hs) {
		size_t o = strlen(note);
		snprintf(note + o, cap - o, "%shs %.*s -> %s", o ? "; " : "", (int)w->k.hs.n,
			 w->k.hs.p, r->to_hs);
		w->k.hs = (nk_str){r->to_hs, strlen(r->to_hs)};
		R->fcopy[R->c.ix[NK_C_HS]] = w->k.hs;
	}
}

static void add_id(run *R, row *w, const char *id)
{
	size_t n = strlen(id);
	if (w->nids + n + 1 > R->idcap) {
		R->idcap = 2 * (w->nids + n + 1);
		R->ids = nk_xrealloc(R->ids, R->idcap);
	}
	if (w->nids)
		R->ids[w->nids++] = ';';
	memcpy(R->ids + w->nids, id, n);
	w->nids += n;
}

/* One --audit line for rule r on the row: the value before (known_before)
 * and as it stands now (w->v; with `after` 0, none: a removal). Formatted
 * only when there is an audit. */
static void audit_change(run *R, const rule *r, const row *w, int known_before,
			 nk_dec before, int after, const char *note)
{
	if (!R->aud)
		return;
	char b0[32], b1[32];
	size_t n0 = known_before ? nk_dec_fmt(before, b0) : 0;
	size_t n1 = after && w->known ? nk_dec_fmt(w->v, b1) : 0;
	audit_row(R, r, R->t->file, R->t->line, w->k.year, w->cp, w->k.nkflow, w->k.hs, b0,
		  n0, b1, n1, note);
}

/* Step 3, apply: rule r to the row. 0 when the rule removed it. */
static int apply_rule(run *R, rule *r, row *w)
{
	nk_tsv *t = R->t;
	if (r->act == A_ADD) { /* only observed here; its rows come at the end */
		nk_years_add(&r->covered, w->k.year);
		if (starts_with(w->k.hs, r->add_hs) && w->known && row_value(w) != 0)
			nk_years_add(&r->present, w->k.year);
		return 1;
	}
	nk_dec fac = r->factor;
	int mul = r->act == A_SCALE; /* else cif_fob divides */
	if (r->act == A_CIF) {
		/* partners' imports (CIF) are divided; with imports: cif their
		 * exports (FOB) are multiplied: the DPRK's imports valued CIF */
		if (!w->mirrored)
			return 1;
		if (!(w->k.flow & (NK_FLOW_M | NK_FLOW_RM))) {
			if (!r->cif_imports || !(w->k.flow & (NK_FLOW_X | NK_FLOW_RX)))
				return 1;
			mul = 1;
		}
		for (size_t j = 0; j < r->ntab; j++)
			if (r->tab_cp[j] == w->k.cp)
				fac = r->tab_f[j];
		if (fac == 0)
			return 1; /* not in the table and no default */
	}
	char note[96] = "";
	int known_before = w->known;
	nk_dec before = row_value(w);
	r->rows++;
	if (known_before)
		add_to(&r->before, before, r);
	switch (r->act) {
	case A_EXCLUDE:
		R->excluded++;
		audit_change(R, r, w, known_before, before, 0, "removed");
		reject(R, "excluded by rule", r->id);
		return 0;
	case A_SCALE:
	case A_CIF:
		if (w->known && (mul ? nk_dec_mul(w->v, fac, &w->v)
				     : nk_dec_div(w->v, fac, &w->v)) != NK_DEC_OK)
			nk_tsv_die(t, (size_t)R->ix_val, "value out of range after a rule");
		if (R->aud) {
			char fb[32];
			nk_dec_fmt(fac, fb);
			snprintf(note, sizeof note, "%s %s", mul ? "x" : "/", fb);
		}
		break;
	case A_REPLACE:
		replace_once(R, r, w);
		w->v = r->value;
		w->known = w->parsed = 1;
		snprintf(note, sizeof note, "replaced");
		break;
	case A_REASSIGN:
		reassign(R, r, w, note, sizeof note);
		break;
	}
	if (w->known)
		add_to(&r->after_v, w->v, r);
	audit_change(R, r, w, known_before, before, 1, note);
	add_id(R, w, r->id);
	return 1;
}

/* Step 4, emit: the row with the columns nk-correct adds. */
static void emit_row(run *R, const row *w)
{
	if (w->nids)
		R->changed++;
	if (!R->out)
		return;
	char vb[32];
	nk_str add[AD_N];
	add[AD_NKFLOW] = (nk_str){nk_nkflow_name(w->k.nkflow), 1};
	add[AD_CP] = w->cp;
	add[AD_REPORTED] = w->val;
	if (!w->nids)
		add[AD_VALUE] = w->val;
	else if (w->known)
		add[AD_VALUE] = (nk_str){vb, nk_dec_fmt(w->v, vb)};
	else
		add[AD_VALUE] = (nk_str){"", 0};
	add[AD_RULES] = (nk_str){R->ids, w->nids};
	R->out_rows++;
	nk_layout_row(R->out, R->lay, w->fin, add);
}

static void process_row(run *R)
{
	row w;
	if (!key_row(R, &w))
		return;
	for (rule *r; (r = next_match(R, &w));)
		if (!apply_rule(R, r, &w))
			return;
	emit_row(R, &w);
}

/* The rows the `add` rules estimate, after the input, in rule order then
 * year: one per year of the rule that the input covers for its counterpart
 * (and, with if_missing, where the flow is not reported). */
static void add_rows(run *R)
{
	ruleset *rs = R->rs;
	nk_tsv *t = R->t;
	const int *ix = R->c.ix;
	nk_str *in = nk_xmalloc((t->ncol + 1) * sizeof *in);
	for (size_t i = 0; i < rs->n; i++) {
		rule *r = &rs->r[i];
		if (r->act != A_ADD)
			continue;
		for (int y = NK_YEAR_MIN; y <= NK_YEAR_MAX; y++) {
			if (!nk_years_has(&r->m.years, y) || !nk_years_has(&r->covered, y))
				continue;
			if (r->if_missing && nk_years_has(&r->present, y))
				continue;
			char yb[16], vb[32], wb[32], cpb[4];
			snprintf(yb, sizeof yb, "%d", y);
			nk_str ys = {yb, 4}, cps = {nk_iso3_str(r->m.cp[0], cpb), 3};
			nk_str hs = {r->add_hs, strlen(r->add_hs)};
			nk_str vs = {vb, nk_dec_fmt(r->value, vb)};
			nk_str ws = {wb, r->netwgt >= 0 ? nk_dec_fmt(r->netwgt, wb) : 0};
			r->rows++;
			add_to(&r->after_v, r->value, r);
			R->addedrows++;
			char note[64];
			snprintf(note, sizeof note, "added; basis: %s", r->basis);
			audit_row(R, r, NULL, 0, y, cps, r->m.nkflows, hs, "", 0, vs.p, vs.n, note);
			if (!R->out)
				continue;
			for (size_t k = 0; k < t->ncol; k++)
				in[k] = (nk_str){"", 0};
			nk_str set[NK_C_NCORE] = {
				[NK_C_SOURCE] = {"rule", 4},
				[NK_C_YEAR] = ys,
				[NK_C_PERIOD] = ys,
				[NK_C_REPORTER] = cps,
				[NK_C_PARTNER] = {"PRK", 3},
				[NK_C_PARTNER_M49] = {"408", 3},
				[NK_C_FLOW] = {r->m.nkflows == NK_NKFLOW_M ? "X" : "M", 1},
				[NK_C_HS] = hs,
				[NK_C_VALUE_USD] = vs,
				[NK_C_NETWGT_KG] = ws,
			};
			for (int c = 0; c < NK_C_NCORE; c++)
				if (ix[c] >= 0 && set[c].p)
					in[ix[c]] = set[c];
			nk_str add[AD_N] = {
				[AD_NKFLOW] = {nk_nkflow_name(r->m.nkflows), 1},
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

/* The input's columns, and the outputs (data, or --explain/--screen's
 * report at the end; --rejects; --audit). */
static void run_open(run *R, char *const *paths, int npaths)
{
	const opts *o = R->o;
	R->t = nk_tsv_open(paths, npaths);
	nk_selcols_bind(&R->c, R->t,
			NK_COL_BIT(NK_C_SOURCE) | NK_COL_BIT(NK_C_YEAR) |
				NK_COL_BIT(NK_C_REPORTER) | NK_COL_BIT(NK_C_PARTNER) |
				NK_COL_BIT(NK_C_FLOW) | NK_COL_BIT(NK_C_HS) |
				NK_COL_BIT(NK_C_VALUE_USD));
	/* nk-correct's own output: start again from the values as reported */
	int rep = R->c.ix[NK_C_VALUE_REPORTED];
	R->rerun = rep >= 0 && R->c.ix[NK_C_RULES] >= 0;
	R->ix_val = R->rerun ? rep : R->c.ix[NK_C_VALUE_USD];
	R->fcopy = nk_xmalloc((R->t->ncol + 1) * sizeof *R->fcopy);
	R->ids = nk_xmalloc(R->idcap = 256);
	if (o->screen)
		R->scr = screen_new(&R->rs->screen, R->t);
	if (!o->explain && !o->screen) {
		R->out = nk_out_open(o->co.output);
		R->lay = nk_layout_new(R->t, added, AD_N);
		nk_layout_header(R->out, R->t, R->lay);
	}
	R->rej = nk_rej_open(o->co.rejects, R->t->col, R->t->ncol);
	if (o->audit) {
		R->aud = nk_out_open(o->audit);
		nk_out_cstr(R->aud, "rule\taction\tfile\tline\tyear\tcounterpart\tnk_flow\ths\t"
				    "value_before\tvalue_after\tnote\n");
	}
}

static void summary(const run *R)
{
	if (R->o->co.quiet)
		return;
	char rr[96] = "";
	if (R->rerun)
		snprintf(rr, sizeof rr, ", %llu added by an earlier run (made again)",
			 (unsigned long long)R->readded);
	int re = R->o->reexports;
	nk_warn("%llu rows in, %llu out (%llu mirrored, %llu reported by PRK); "
		"dropped: %llu not DPRK trade, %llu re-exports (%s), %llu excluded "
		"by rules%s; %llu rows changed and %llu added by %zu rules",
		(unsigned long long)R->in, (unsigned long long)R->out_rows,
		(unsigned long long)R->mirrored, (unsigned long long)R->own,
		(unsigned long long)R->notdprk, (unsigned long long)R->reex,
		re == RE_EXCLUDE ? "excluded" : re == RE_INCLUDE ? "kept" : "kept, only these",
		(unsigned long long)R->excluded, rr, (unsigned long long)R->changed,
		(unsigned long long)R->addedrows, R->rs->n);
}

static void run_free(run *R)
{
	screen_free(R->scr);
	nk_layout_free(R->lay);
	nk_tsv_close(R->t);
	free(R->ids);
	free(R->fcopy);
}

int main(int argc, char **argv)
{
	nk_init(argv);
	opts o = {0};
	parse_opts(&o, argc, argv);
	ruleset rs; /* every rule file, checked completely, before any input */
	rules_load(&rs, o.rules, o.nrules);
	if (o.check_only) {
		if (!o.co.quiet)
			nk_warn("%zu rules OK in %d file%s", rs.n, o.nrules, o.nrules == 1 ? "" : "s");
	} else {
		run R = {.rs = &rs, .o = &o};
		run_open(&R, argv + optind, argc - optind);
		nk_progress_start(o.co.quiet);
		while (nk_tsv_next(R.t)) {
			process_row(&R);
			nk_progress(R.t->rows, nk_tsv_bytes(R.t));
		}
		nk_progress_end();
		add_rows(&R);
		rules_check_unmatched(&rs, &R.seen_years, o.strict);
		if (o.explain)
			explain(&rs, &R.seen_years, o.co.output);
		if (o.screen)
			screen_report(R.scr, o.co.output);
		nk_out_close_all((nk_out *[]){R.out, R.rej, R.aud}, 3);
		summary(&R);
		run_free(&R);
	}
	rules_free(&rs);
	free(o.defrules);
	free(o.rules);
	return 0;
}
