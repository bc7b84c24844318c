/* correct.h - nk-correct's parts, shared between its files (not a library:
 * only tools/nk-correct.c and tools/nk-correct/ include it).
 *
 *   tools/nk-correct.c          options, the run (key, match, apply, emit), main
 *   tools/nk-correct/rules.c    loading, checking and ordering the rule files
 *   tools/nk-correct/screen.c   --screen: the misreport screen
 *   tools/nk-correct/explain.c  --explain, and what each rule did after a run
 *
 * Rows are selected by the library's selector (tools/lib/select.h); the
 * contract's columns are bound and checked by tools/lib/contract.h. */
#ifndef NK_CORRECT_H
#define NK_CORRECT_H

#include "../lib/contract.h"
#include "../lib/nk.h"
#include "../lib/rules.h"
#include "../lib/select.h"

#define PRK_CODE NK_ISO3_CODE('P', 'R', 'K')
#define KOR_CODE NK_ISO3_CODE('K', 'O', 'R')

enum { A_CIF_NONE, A_CIF, A_EXCLUDE, A_REASSIGN, A_ADD, A_REPLACE, A_SCALE };
extern const char *const act_name[];

/* A replace rule's key seen so far (one figure per key), and where. */
struct hit {
	uint32_t cp;
	int nkf, year;
	const char *file;
	long line;
};

typedef struct {
	const char *id;
	const char *src; /* the rule's `source` */
	const nk_ynode *node;
	int act, load_ix, order;
	nk_sel m;     /* which rows it touches */
	nk_sel reach; /* for the overlap check: also the rows it moves (reassign)
			 and only the flows it can change (cif_fob) */
	/* actions */
	nk_dec factor;	  /* A_CIF (default factor), A_SCALE */
	int cif_imports;  /* A_CIF imports: cif, the DPRK's imports valued CIF */
	uint32_t *tab_cp; /* A_CIF by_counterpart */
	nk_dec *tab_f;
	size_t ntab;
	const char *to_cp, *to_hs; /* A_REASSIGN */
	uint32_t to_cp_code;
	nk_dec value; /* A_REPLACE, A_ADD */
	const char *add_hs, *basis;
	nk_dec netwgt; /* A_ADD, -1 = unknown */
	int if_missing;
	nk_years covered, present; /* A_ADD: years seen for the counterpart,
				      years where the flow is already reported */
	/* ordering */
	const char **after;
	size_t nafter;
	int *dep; /* indices of rules this one comes after */
	size_t ndep;
	struct hit *hit; /* A_REPLACE */
	size_t nhit, hitcap;
	/* what happened */
	uint64_t rows;
	nk_dec before, after_v;
	int sum_range; /* a sum left the contract's range */
} rule;

/* --screen's thresholds: defaults, or the last rule file's `screen:`. */
typedef struct {
	double min_value, min_cosine, min_share, min_ratio;
	nk_strs hs; /* South-Korea-typical codes */
	int hs_owned;
} screen_cfg;

typedef struct {
	rule *r; /* in application order once loaded */
	size_t n;
	nk_ydoc **docs;
	size_t ndocs;
	nk_selindex *cand; /* candidate rules by counterpart */
	screen_cfg screen;
} ruleset;

/* rules.c: load every file, check every part of it (rules and screen:),
 * order the rules, reject overlapping rules with no stated order. Dies
 * with FILE:LINE:COL. */
void rules_load(ruleset *rs, const char *const *paths, int npaths);
void rules_free(ruleset *rs);

/* screen.c */
void screen_cfg_default(screen_cfg *c);
void screen_cfg_load(screen_cfg *c, const nk_ynode *node); /* checks every key */
void screen_cfg_free(screen_cfg *c);
typedef struct screen screen;
screen *screen_new(const screen_cfg *c, const nk_tsv *t); /* t borrowed */
/* One row: a counterpart's trade with PRK or KOR (others are ignored). */
void screen_row(screen *s, uint32_t rep, uint32_t par, int year, int flow, nk_str hs,
		int known, nk_dec v);
void screen_report(screen *s, const char *output);
void screen_free(screen *s);

/* explain.c: after the run. `seen` is the input's years. */
int rule_status(const rule *r, const nk_years *seen, const char **what);
/* Warn (--strict: fail) for each rule that matched no row. */
void rules_check_unmatched(const ruleset *rs, const nk_years *seen, int strict);
void explain(const ruleset *rs, const nk_years *seen, const char *output);

#endif
