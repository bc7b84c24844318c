/* fz-sanctions - nk-summarize's sanctions file (rules/sanctions.yaml, --by
 * sanction; a reader inside the tool: its source is included with main
 * renamed): each input is read as the file, every entry checked (keys, ids,
 * dates in order, HS revision, each code in the nomenclature, caps), then
 * each loaded entry is asked what tagging asks: is a chapter, heading or
 * code broader than its goods, and which part of a month falls before or
 * after it is in force. The nomenclature (data/hs/nomenclature.tsv, all
 * revisions) is loaded once, not per input. */
#include "fuzz.h"

#define main summarize_main
#include "../../tools/nk-summarize.c"
#undef main

static nomen ALL;

static void init(void)
{
	nomen_load(&ALL, 0x7f);
}
NK_FUZZ_INIT(init)

static void one(const uint8_t *d, size_t n)
{
	sanctions L = {0};
	L.doc = nk_ydoc_load(nk_fuzz_path(d, n));
	sanctions_read(&L, &ALL);
	static const char *const codes[] = {"27", "2701", "270112", "TOTAL", "8703"};
	int k = 0;
	for (size_t i = 0; i < L.n; i++) {
		for (size_t c = 0; c < sizeof codes / sizeof *codes; c++)
			k += broader(&L.e[i], (nk_str){codes[c], strlen(codes[c])});
		k += part_of(&L.e[i], 2017, 0) + part_of(&L.e[i], 2017, 12) +
		     part_of(&L.e[i], 2016, 3);
	}
	(void)k;
	sanctions_free(&L);
}
NK_FUZZ_TARGET(one)
