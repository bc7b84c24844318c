/* fz-merge - nk-summarize --merge's partial reader (a reader inside the
 * tool: its source is included with main renamed): the version line, the
 * options, the sum/levels/count lines, then the level check and every report
 * written from the merged state in the format the input's length picks. */
#include "fuzz.h"

#define main summarize_main
#include "../../tools/nk-summarize.c"
#undef main

static void one(const uint8_t *d, size_t n)
{
	opts o = {0};
	o.level = LV_ANY;
	o.merge = 1;
	o.format = (int)(n % 3); /* tsv, json, md */
	state S = {0};
	char by0[128];
	read_partial(&o, &S, nk_fuzz_path(d, n), 1, by0);
	check_levels(&S);
	nk_out *out = nk_out_open("/dev/null");
	if (n & 4)
		write_partial(&o, &S, out);
	else
		write_reports(&o, &S, out);
	nk_out_close(out);
	state_free(&S);
}
NK_FUZZ_TARGET(one)
