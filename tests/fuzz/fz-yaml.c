/* fz-yaml - the YAML loader of rule files (rules.c, libyaml): the document
 * tree with FILE:LINE:COL on every node, then the typed getters and the
 * unknown-key check on what the tree holds, as a rule loader calls them. */
#include "fuzz.h"
#include "rules.h"

#include <string.h>

static const char *const keys[] = {"id", "source", "reason", "match", "exclude",
				   "factor", "years", "hs", "after", NULL};

static void walk(const nk_ynode *y, int depth)
{
	/* every node has a place; at most 64 lists or mappings around a node */
	if (!y || y->line < 1 || y->col < 1 || depth > 65)
		abort();
	if (y->kind == NK_Y_SCALAR) {
		if (strlen(y->str) != y->len)
			abort(); /* a NUL in a scalar is an error, never kept */
		nk_dec v;
		nk_dec_parse(y->str, y->len, &v);
		nk_edit_distance(y->str, "factor", 2);
		return;
	}
	size_t k = y->kind == NK_Y_MAP ? 2 * y->n : y->n;
	for (size_t i = 0; i < k; i++)
		walk(y->kid[i], depth + 1);
}

static void one(const uint8_t *d, size_t n)
{
	nk_ydoc *doc = nk_ydoc_load(nk_fuzz_path(d, n));
	if (doc->root) {
		walk(doc->root, 1);
		/* the getters die on what a rule could not be: exercise them
		 * on the first value (they end the run through nk_exit_now) */
		const nk_ynode *r = doc->root;
		if (r->kind == NK_Y_MAP && r->n) {
			nk_yget(r, "rules");
			const nk_ynode *v = r->kid[1];
			switch (n % 5) {
			case 0: nk_ymap_keys(r, "rule", keys); break;
			case 1: nk_ydec(v, "value"); break;
			case 2: nk_yint(v, "year", 1900, 2100); break;
			case 3: nk_ybool(v, "flag"); break;
			case 4: nk_ystr(nk_yseq(v, "list")->n ? v->kid[0] : v, "item", 1); break;
			}
		}
	}
	nk_ydoc_free(doc);
}
NK_FUZZ_TARGET(one)
