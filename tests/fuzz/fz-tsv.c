/* fz-tsv - the contract TSV reader (tsv.c, text.c, in.c) and the contract's
 * row checks (contract.c), writing each row back through a layout (out.c)
 * to /dev/null: what nk-validate --contract and every stage do per row. */
#include "fuzz.h"
#include "contract.h"

#include <string.h>

static void one(const uint8_t *d, size_t n)
{
	char *paths[] = {nk_fuzz_path(d, n)};
	nk_tsv *t = nk_tsv_open(paths, 1);
	int ix[NK_C_N];
	nk_cols_bind(t, 0, ix);
	static const char *const add[] = {"hs6", "extra"};
	nk_layout *l = nk_layout_new(t, add, 2);
	nk_out *o = nk_out_open("/dev/null");
	nk_layout_header(o, t, l);
	char *buf = NULL;
	size_t cap = 0;
	while (nk_tsv_next(t)) {
		nk_row_check(t, ix);
		for (size_t i = 0; i < t->ncol; i++) {
			if (t->f[i].n + 1 > cap) {
				cap = 2 * (t->f[i].n + 1);
				buf = nk_xrealloc(buf, cap);
			}
			if (nk_unescape(t->f[i].p, t->f[i].n, buf) == (size_t)-1)
				nk_tsv_die(t, i, "bad escape");
		}
		nk_str a[2] = {t->f[0], {"x", 1}};
		nk_layout_row(o, l, t->f, a);
	}
	free(buf);
	nk_out_close(o);
	nk_layout_free(l);
	nk_tsv_close(t);
}
NK_FUZZ_TARGET(one)
