/* fz-rules - nk-correct's rule files, loaded as nk-correct -r loads them
 * (tools/nk-correct/rules.c and screen.c included here): the YAML tree,
 * every rule's match: (the library's row selector, select.c), actions and
 * sources, the screen: thresholds, the order (after:) and the conflict
 * check between rules that can meet. */
#include "fuzz.h"

#include "../../tools/nk-correct/rules.c"
#include "../../tools/nk-correct/screen.c"

static void one(const uint8_t *d, size_t n)
{
	ruleset rs;
	memset(&rs, 0, sizeof rs);
	const char *paths[] = {nk_fuzz_path(d, n)};
	rules_load(&rs, paths, 1);
	rules_free(&rs);
}
NK_FUZZ_TARGET(one)
