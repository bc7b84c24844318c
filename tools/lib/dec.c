/* dec.c - exact decimals as int64 thousandths. See nk.h. */
#include "nk.h"

#include <string.h>

#define DEC_MAX ((unsigned __int128)INT64_MAX)

/* Divide by 10^k rounding half to even; sets *inexact if digits were lost. */
static unsigned __int128 shift_down(unsigned __int128 m, int k, int *inexact)
{
	while (k > 0) {
		unsigned __int128 p = 1;
		int step = k > 18 ? 18 : k;
		for (int i = 0; i < step; i++)
			p *= 10;
		unsigned __int128 q = m / p, r = m % p;
		if (r) {
			*inexact = 1;
			if (r * 2 > p || (r * 2 == p && (q & 1)))
				q++;
		}
		m = q;
		k -= step;
	}
	return m;
}

int nk_dec_parse(const char *p, size_t n, nk_dec *v)
{
	size_t i = 0;
	int neg = 0, inexact = 0;
	if (n == 0)
		return NK_DEC_EMPTY;
	if (p[0] == '-' || p[0] == '+') {
		neg = p[0] == '-';
		i++;
	}
	unsigned __int128 m = 0; /* mantissa digits (capped) */
	int scale = 0;		 /* m * 10^-scale */
	int digits = 0, dropped = 0;
	size_t start = i;
	for (; i < n && p[i] >= '0' && p[i] <= '9'; i++) {
		if (m < ((unsigned __int128)1 << 100))
			m = m * 10 + (unsigned)(p[i] - '0');
		else
			dropped++; /* integer digits beyond 30: surely out of range */
		digits++;
	}
	if (i < n && p[i] == '.') {
		i++;
		for (; i < n && p[i] >= '0' && p[i] <= '9'; i++) {
			if (m < ((unsigned __int128)1 << 100)) {
				m = m * 10 + (unsigned)(p[i] - '0');
				scale++;
			} else if (p[i] != '0')
				inexact = 1;
			digits++;
		}
	}
	if (digits == 0 || (i == start + 1 && p[start] == '.' && digits == 0))
		return NK_DEC_BAD;
	long ex = 0;
	if (i < n && (p[i] == 'e' || p[i] == 'E')) {
		i++;
		int eneg = 0;
		if (i < n && (p[i] == '-' || p[i] == '+'))
			eneg = p[i++] == '-';
		size_t es = i;
		for (; i < n && p[i] >= '0' && p[i] <= '9'; i++)
			if (ex < 10000)
				ex = ex * 10 + (p[i] - '0');
		if (i == es)
			return NK_DEC_BAD;
		if (eneg)
			ex = -ex;
	}
	if (i != n)
		return NK_DEC_BAD;
	if (dropped)
		return NK_DEC_RANGE;
	/* value = m * 10^(ex - scale); we want value * 1000 */
	long k = ex - scale + 3;
	if (m == 0)
		k = 0;
	if (k > 0) {
		for (long j = 0; j < k; j++) {
			m *= 10;
			if (m > DEC_MAX)
				return NK_DEC_RANGE;
		}
	} else if (k < 0) {
		m = k < -40 ? (inexact = 1, 0) : shift_down(m, (int)-k, &inexact);
	}
	if (m > DEC_MAX)
		return NK_DEC_RANGE;
	*v = neg ? -(nk_dec)m : (nk_dec)m;
	return inexact ? NK_DEC_INEXACT : NK_DEC_OK;
}

const char *nk_dec_strerror(int rc)
{
	switch (rc) {
	case NK_DEC_OK: return "ok";
	case NK_DEC_EMPTY: return "empty value";
	case NK_DEC_BAD: return "not a number";
	case NK_DEC_RANGE: return "number out of range";
	case NK_DEC_INEXACT: return "more than 3 decimal places";
	}
	return "bad number";
}

size_t nk_dec_fmt(nk_dec v, char *buf)
{
	char t[32], *e = t + sizeof t, *s = e;
	uint64_t u = v < 0 ? -(uint64_t)v : (uint64_t)v;
	unsigned frac = (unsigned)(u % 1000);
	u /= 1000;
	if (frac) {
		int nd = 3;
		while (frac % 10 == 0) {
			frac /= 10;
			nd--;
		}
		for (int i = 0; i < nd; i++) {
			*--s = (char)('0' + frac % 10);
			frac /= 10;
		}
		*--s = '.';
	}
	do
		*--s = (char)('0' + u % 10);
	while (u /= 10);
	if (v < 0)
		*--s = '-';
	size_t n = (size_t)(e - s);
	memcpy(buf, s, n);
	buf[n] = 0;
	return n;
}

void nk_out_dec(nk_out *o, nk_dec v)
{
	char b[32];
	nk_out_write(o, b, nk_dec_fmt(v, b));
}

/* q = round_half_even(num / den) for den > 0 */
static int div_round(__int128 num, __int128 den, nk_dec *r)
{
	int neg = num < 0;
	unsigned __int128 a = neg ? -(unsigned __int128)num : (unsigned __int128)num;
	unsigned __int128 d = (unsigned __int128)den;
	unsigned __int128 q = a / d, rem = a % d;
	if (rem * 2 > d || (rem * 2 == d && (q & 1)))
		q++;
	if (q > DEC_MAX)
		return NK_DEC_RANGE;
	*r = neg ? -(nk_dec)q : (nk_dec)q;
	return NK_DEC_OK;
}

int nk_dec_mul(nk_dec a, nk_dec b, nk_dec *r)
{
	return div_round((__int128)a * b, 1000, r);
}

int nk_dec_div(nk_dec a, nk_dec b, nk_dec *r)
{
	if (b == 0)
		return NK_DEC_RANGE;
	__int128 num = (__int128)a * 1000, den = b;
	if (den < 0) {
		num = -num;
		den = -den;
	}
	return div_round(num, den, r);
}

int nk_dec_add(nk_dec a, nk_dec b, nk_dec *r)
{
	nk_dec s;
	if (__builtin_add_overflow(a, b, &s) || s == INT64_MIN)
		return NK_DEC_RANGE;
	*r = s;
	return NK_DEC_OK;
}

int nk_int_parse(const char *p, size_t n, int64_t *v)
{
	size_t i = 0;
	int neg = 0;
	if (n == 0)
		return NK_DEC_EMPTY;
	if (p[0] == '-' || p[0] == '+') {
		neg = p[0] == '-';
		i++;
	}
	if (i == n)
		return NK_DEC_BAD;
	uint64_t u = 0;
	for (; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return NK_DEC_BAD;
		if (u > (UINT64_MAX - 9) / 10)
			return NK_DEC_RANGE;
		u = u * 10 + (unsigned)(p[i] - '0');
	}
	if (u > (uint64_t)INT64_MAX + (uint64_t)neg)
		return NK_DEC_RANGE;
	*v = neg ? (int64_t)(0 - u) : (int64_t)u;
	return NK_DEC_OK;
}

/* a * w / W and its remainder; in 64 bits when the product fits (nearly
 * always: a split amount below 9.2e12 with equal shares). */
static inline uint64_t muldiv(uint64_t a, uint64_t w, uint64_t W, uint64_t *rem)
{
	unsigned __int128 p = (unsigned __int128)a * w;
	if (!(uint64_t)(p >> 64)) {
		uint64_t q = (uint64_t)p / W;
		*rem = (uint64_t)p - q * W;
		return q;
	}
	*rem = (uint64_t)(p % W);
	return (uint64_t)(p / W);
}

/* The remainders are kept in part[] itself (they are below the sum of the
 * weights, so they fit; -1 marks one that got a thousandth), then replaced
 * by the parts: no scratch memory. */
void nk_dec_split(nk_dec v, const nk_dec *w, size_t m, nk_dec *part)
{
	uint64_t a = v < 0 ? -(uint64_t)v : (uint64_t)v, W = 0, given = 0, r;
	for (size_t i = 0; i < m; i++)
		W += (uint64_t)w[i];
	for (size_t i = 0; i < m; i++) {
		given += muldiv(a, (uint64_t)w[i], W, &r);
		part[i] = (nk_dec)r;
	}
	/* a - given < m thousandths are left: one each to the largest
	 * remainders, ties to the lower index. The remainders sum to
	 * (a - given) * W, so while any is left to give, some remainder not yet
	 * chosen is above 0 (a weight of 0 has remainder 0: never chosen). */
	for (uint64_t left = a - given; left > 0; left--) {
		size_t best = 0;
		for (size_t i = 1; i < m; i++)
			if (part[i] > part[best])
				best = i;
		part[best] = -1;
	}
	for (size_t i = 0; i < m; i++) {
		uint64_t q = muldiv(a, (uint64_t)w[i], W, &r) + (part[i] == -1);
		part[i] = v < 0 ? -(nk_dec)q : (nk_dec)q;
	}
}
