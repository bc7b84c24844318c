/* fz-gzip - the input layer (in.c): gzip detected by its magic bytes and
 * inflated by a second thread (ISA-L) into a ring, lines read across chunk
 * ends, nk_in_peek and nk_in_read after lines as nk-fetch-parse uses them. */
#include "fuzz.h"

static void one(const uint8_t *d, size_t n)
{
	nk_in *in = nk_in_open(nk_fuzz_path(d, n));
	const char *line, *p;
	size_t len, lines = 0;
	/* the first byte chooses how the input is taken: lines, or a peek and
	 * raw reads after a few lines (the JSON sniffing path) */
	if (n && d[0] & 1) {
		while (nk_in_line(in, &line, &len))
			lines++;
	} else {
		char buf[4096];
		for (int i = 0; i < 2 && nk_in_line(in, &line, &len); i++)
			lines++;
		nk_in_peek(in, 1024, &p);
		while (nk_in_read(in, buf, n % sizeof buf + 1))
			;
	}
	(void)lines;
	nk_in_close(in);
}
NK_FUZZ_TARGET(one)
