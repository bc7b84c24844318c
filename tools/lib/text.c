/* text.c - the contract's text checks: UTF-8, NUL, CR. See nk.h.
 * A leaf: it calls nothing else in the library, so the reader (tsv.c), the
 * messages (err.c) and nk-fetch-parse can all use it. */
#include "nk.h"

int nk_utf8_ok(const char *p, size_t n, size_t *at)
{
	const unsigned char *s = (const unsigned char *)p;
	size_t i = 0;
	while (i < n) {
		unsigned c = s[i];
		if (c < 0x80) {
			i++;
			continue;
		}
		size_t k;
		unsigned min, cp;
		if (c >= 0xc2 && c <= 0xdf) {
			k = 1; min = 0x80; cp = c & 0x1f;
		} else if (c >= 0xe0 && c <= 0xef) {
			k = 2; min = 0x800; cp = c & 0x0f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			k = 3; min = 0x10000; cp = c & 0x07;
		} else {
			goto bad;
		}
		for (size_t j = 1; j <= k; j++) {
			if (i + j >= n || (s[i + j] & 0xc0) != 0x80)
				goto bad;
			cp = (cp << 6) | (s[i + j] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			goto bad;
		i += k + 1;
	}
	return 1;
bad:
	if (at)
		*at = i;
	return 0;
}

const char *nk_text_bad_byte(const char *p, size_t n, size_t at)
{
	if (p[at] == 0)
		return "NUL byte in input";
	if (at == n - 1)
		return "CRLF line end (contract TSV ends lines with LF only)";
	return "carriage return inside a value (write it as \\r)";
}

const char *nk_text_check(const char *p, size_t n, size_t *at)
{
	int high = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];
		if (c == 0 || c == '\r') {
			*at = i;
			return nk_text_bad_byte(p, n, i);
		}
		high |= c & 0x80;
	}
	if (high && !nk_utf8_ok(p, n, at))
		return "invalid UTF-8";
	return NULL;
}
