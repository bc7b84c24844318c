/* passthru - the smallest tool on the library: read contract TSV (checked:
 * field count, NUL, CR, UTF-8), write every row field by field through the
 * layout writer, as a stage that adds no column does. Used by
 * tests/bench/library.sh to measure the library's read+write throughput. */
#include "nk.h"

int main(int argc, char **argv)
{
	nk_init(argv);
	nk_tsv *t = nk_tsv_open(argv + 1, argc - 1);
	nk_layout *l = nk_layout_new(t, NULL, 0);
	nk_out *o = nk_out_open(NULL);
	nk_layout_header(o, t, l);
	while (nk_tsv_next(t))
		nk_layout_row(o, l, t->f, NULL);
	nk_layout_free(l);
	nk_tsv_close(t);
	nk_out_close(o);
	return 0;
}
