/* fz-json - the streaming JSON reader (json.c, libyajl) fed in pieces of
 * varying size, the way nk-fetch-parse feeds a file or an HTTP body; each
 * record's numbers parsed with nk_dec_parse. */
#include "fuzz.h"
#include "json.h"

#include <string.h>

static void rec(void *arg, uint64_t r, const nk_json_field *f, size_t n)
{
	(void)r;
	for (size_t i = 0; i < n; i++) {
		if (f[i].val.p[f[i].val.n] != 0)
			abort(); /* json.h: val.p is NUL-terminated */
		if (f[i].type == NK_JSON_NUMBER) {
			nk_dec v;
			nk_dec_parse(f[i].val.p, f[i].val.n, &v);
		}
		*(size_t *)arg += f[i].key.n;
	}
}

static void one(const uint8_t *d, size_t n)
{
	size_t keys = 0;
	nk_json *j = nk_json_new(rec, &keys);
	/* the first byte sets the piece size: 1..64 bytes */
	size_t piece = n ? (size_t)(d[0] & 63) + 1 : 1;
	int rc = 0;
	for (size_t at = 0; at < n && rc == 0; at += piece)
		rc = nk_json_feed(j, d + at, n - at < piece ? n - at : piece);
	if (rc == 0)
		rc = nk_json_end(j);
	if (rc != 0) {
		if (!j->why[0] || j->line < 1 || j->column < 1)
			abort(); /* an error says what and where */
		/* as nk-fetch-parse does: a message, then exit 1 */
		char why[sizeof j->why];
		long line = j->line, col = j->column;
		memcpy(why, j->why, sizeof why);
		nk_json_free(j);
		nk_die(1, "<input>:%ld:%ld: %s", line, col, why);
	}
	nk_json_free(j);
}
NK_FUZZ_TARGET(one)
