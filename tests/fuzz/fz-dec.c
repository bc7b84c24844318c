/* fz-dec - the number parsers (dec.c's nk_dec_parse and nk_int_parse,
 * contract.c's strict nk_num_parse) and the exact split, with their
 * promises checked: the shortest text parses back to the same value, the
 * strict parser never accepts what the general one refuses and agrees with
 * it, and a split sums exactly to what was split. */
#include "fuzz.h"
#include "contract.h"

#include <string.h>

static void one(const uint8_t *d, size_t n)
{
	const char *p = (const char *)d;
	nk_dec v = 0, w = 0;
	int rc = nk_dec_parse(p, n, &v);
	if (rc == NK_DEC_OK || rc == NK_DEC_INEXACT) {
		char b[32];
		size_t k = nk_dec_fmt(v, b);
		nk_dec back;
		if (nk_dec_parse(b, k, &back) != NK_DEC_OK || back != v || strlen(b) != k)
			abort();
	}
	int rs = nk_num_parse(p, n, &w);
	if (rs == NK_DEC_OK && (rc != NK_DEC_OK || w != v))
		abort();
	/* an integer is the same number to both parsers */
	int64_t iv;
	if (nk_int_parse(p, n, &iv) == NK_DEC_OK && iv <= INT64_MAX / 1000 &&
	    iv >= -(INT64_MAX / 1000) && (rc != NK_DEC_OK || v != iv * 1000))
		abort();
	/* the split: v into up to 16 parts weighted by the input's bytes */
	if (rc == NK_DEC_OK && n) {
		nk_dec wt[16], part[16];
		size_t m = (size_t)(d[n - 1] & 15) + 1;
		__int128 W = 0, sum = 0;
		for (size_t i = 0; i < m; i++)
			W += wt[i] = i < n ? d[i] * (nk_dec)(i + 1) * 12345 : 0;
		if (!W)
			W = wt[0] = 1;
		nk_dec_split(v, wt, m, part);
		for (size_t i = 0; i < m; i++) {
			__int128 exact = (__int128)v * wt[i] / W;
			if (part[i] - exact > 1 || exact - part[i] > 1)
				abort();
			sum += part[i];
		}
		if (sum != v)
			abort();
	}
}
NK_FUZZ_TARGET(one)
