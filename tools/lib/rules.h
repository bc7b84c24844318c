/* rules.h - YAML rule files loaded with libyaml into a small tree whose every
 * node carries FILE:LINE:COL, with typed getters that die with messages a
 * person can act on ("FILE:LINE:COL: unknown key 'factr' (did you mean
 * 'factor'?)"). Generic: nk-correct loads rules/corrections.yaml with it,
 * nk-summarize rules/sanctions.yaml.
 *
 * Supported YAML: block and flow mappings and sequences, plain and quoted
 * scalars, comments. Anchors, aliases and tags are rejected (a rule file is
 * read by people; it must say what it means where it says it). Duplicate
 * keys in a mapping, a NUL character in a scalar, lists or mappings
 * nested deeper than 64 levels and a file over NK_YAML_BYTES_MAX bytes or
 * NK_YAML_NODES_MAX nodes (nk.h) are errors. Scalars are kept as text exactly as
 * written (`hs: 0101` is the text "0101"); the getters type them.
 */
#ifndef NK_RULES_H
#define NK_RULES_H

#include "nk.h"

typedef enum { NK_Y_SCALAR, NK_Y_SEQ, NK_Y_MAP } nk_ykind;

typedef struct nk_ynode nk_ynode;
struct nk_ynode {
	nk_ykind kind;
	const char *file; /* borrowed from the nk_ydoc (its path) */
	long line, col;	  /* 1-based position of the node's first character */
	char *str;	  /* scalar text, NUL-terminated (owned by the doc) */
	size_t len;	  /* scalar length */
	int quoted;	  /* scalar was quoted ('' or "") */
	size_t n;	  /* SEQ: items; MAP: key/value pairs */
	nk_ynode **kid;	  /* SEQ: n items; MAP: 2n nodes, key then value */
};

/* A loaded document: its root node and everything under it. */
typedef struct {
	char *path;
	nk_ynode *root; /* NULL for an empty document */
} nk_ydoc;

/* Load one YAML file ("-" = stdin). Dies (exit 1) on a missing file, a YAML
 * syntax error ("FILE:LINE:COL: <libyaml problem> <context>"), several
 * documents, an alias/anchor/tag, a duplicate key, a NUL in a scalar,
 * nesting deeper than 64 levels, more than NK_YAML_BYTES_MAX bytes or
 * NK_YAML_NODES_MAX nodes. Owned: free with nk_ydoc_free. */
nk_ydoc *nk_ydoc_load(const char *path);
void nk_ydoc_free(nk_ydoc *d);

/* "nk-TOOL: FILE:LINE:COL: <message>" on stderr; nk_ydie exits 1. */
_Noreturn void nk_ydie(const nk_ynode *at, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void nk_ywarn(const nk_ynode *at, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Kind checks: die with "'what' must be a mapping/list/single value". */
const nk_ynode *nk_ymap(const nk_ynode *n, const char *what);
const nk_ynode *nk_yseq(const nk_ynode *n, const char *what);
/* A scalar's text (borrowed until nk_ydoc_free); dies if not a scalar or,
 * when nonempty is set, if empty. */
const char *nk_ystr(const nk_ynode *n, const char *what, int nonempty);
/* A decimal (nk_dec_parse rules: exact, at most 3 decimals, no separators). */
nk_dec nk_ydec(const nk_ynode *n, const char *what);
/* An integer in [lo, hi]. */
int64_t nk_yint(const nk_ynode *n, const char *what, int64_t lo, int64_t hi);
/* true/false (also yes/no). */
int nk_ybool(const nk_ynode *n, const char *what);

/* Check a mapping's keys against `allowed` (NULL-terminated): an unknown key
 * dies with "unknown key 'K' in WHAT (did you mean 'X'?)" when a known key is
 * within edit distance 2, else with the list of allowed keys. */
void nk_ymap_keys(const nk_ynode *map, const char *what,
		  const char *const *allowed);
/* The value for `key` in a mapping, or NULL. */
const nk_ynode *nk_yget(const nk_ynode *map, const char *key);
/* The value, dying with "WHAT: missing key 'KEY'" at the mapping if absent. */
const nk_ynode *nk_yneed(const nk_ynode *map, const char *what, const char *key);

/* Edit distance (Levenshtein), capped: returns at most cap + 1. */
size_t nk_edit_distance(const char *a, const char *b, size_t cap);
/* For "did you mean": the first of names[0..n) nearest to s within an edit
 * distance of 2, or NULL. Borrows: the result is one of names. */
const char *nk_nearest(const char *s, const char *const *names, size_t n);

#endif
