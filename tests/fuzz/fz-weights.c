/* fz-weights - nk-normalize-hs's --weights table (a reader inside the tool,
 * not in the library): the tool's source is included with its main renamed,
 * the HS tables loaded once, and each input loaded as a weights file onto
 * the correlation links, which are reset to equal shares after each input. */
#include "fuzz.h"

#define main normalize_hs_main
#include "../../tools/nk-normalize-hs.c"
#undef main

static nk_dec *w0[2]; /* the links' weights after loading: equal shares */

static void init(void)
{
	opts o = {0};
	find_datadir(&o);
	load_classes(&o);
	load_nomenclature();
	load_sections(0);
	load_correlation();
	links *L[2] = {&T.down, &T.up};
	for (int i = 0; i < 2; i++) {
		size_t n = L[i]->start[T.nent] * sizeof(nk_dec);
		w0[i] = nk_xmalloc(n);
		memcpy(w0[i], L[i]->w, n);
	}
}
NK_FUZZ_INIT(init)

static void one(const uint8_t *d, size_t n)
{
	links *L[2] = {&T.down, &T.up};
	for (int i = 0; i < 2; i++) {
		memcpy(L[i]->w, w0[i], L[i]->start[T.nent] * sizeof(nk_dec));
		memset(L[i]->wset, 0, L[i]->start[T.nent]);
	}
	load_weights(nk_fuzz_path(d, n));
}
NK_FUZZ_TARGET(one)
