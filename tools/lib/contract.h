/* contract.h - the stream contract's columns and values, written once.
 *
 * README "The stream contract" in code: the core columns (and the columns
 * nk-correct adds, which the later stages read) with their types, and the
 * parsing and checking of their values. Every tool that reads or writes one
 * of these columns binds it by name here and checks its value here, so the
 * contract is spelled in one place (nk-validate --contract is a thin user).
 *
 * Two layers:
 * - pure parsers on a byte range (nk_flow_parse, nk_iso3, nk_year_parse,
 *   nk_num_parse, ...): no I/O, no allocation, never die; for rule files,
 *   options and tests;
 * - row checkers on the current row of an nk_tsv (nk_row_year, nk_row_num,
 *   ...): they return the parsed value or die with
 *   "nk-TOOL: FILE:LINE: field 'NAME': what is wrong: 'VALUE'" (nk_tsv_die).
 *
 * Ownership: nothing here allocates; names are static strings; every
 * pointer argument is borrowed for the call only. Stable API: other tools
 * code against it (nk-merge-interkorean, nk-summarize); add, do not change.
 */
#ifndef NK_CONTRACT_H
#define NK_CONTRACT_H

#include "nk.h"

/* ----------------------------------------------------------------- columns */

/* The contract's columns, in the order nk-fetch-parse writes the core.
 * NK_C_NCORE core columns every stream has (nk-validate --contract requires
 * them), then those nk-correct adds (the DPRK view; later stages read them). */
typedef enum {
	NK_C_SOURCE,	    /* text: comtrade, baci, mou, rule, ... */
	NK_C_YEAR,	    /* year: 4 digits, 1900..2100 */
	NK_C_PERIOD,	    /* period: YYYY or YYYYMM of the row's year */
	NK_C_REPORTER,	    /* ISO3 or empty */
	NK_C_REPORTER_M49,  /* text: the source's numeric code as given */
	NK_C_PARTNER,	    /* ISO3 or empty */
	NK_C_PARTNER_M49,   /* text */
	NK_C_FLOW,	    /* flow: M X RM RX */
	NK_C_HS_REV,	    /* hs_rev: H0..H6 or empty */
	NK_C_HS,	    /* hs: non-empty text (digits or TOTAL) */
	NK_C_VALUE_USD,	    /* number */
	NK_C_CIF_USD,	    /* number */
	NK_C_FOB_USD,	    /* number */
	NK_C_NETWGT_KG,	    /* number */
	NK_C_QTY,	    /* number */
	NK_C_QTY_UNIT,	    /* text */
	NK_C_NCORE,
	NK_C_NK_FLOW = NK_C_NCORE, /* nk_flow: X M (the DPRK's side) */
	NK_C_COUNTERPART,   /* ISO3 or empty */
	NK_C_VALUE_REPORTED, /* number */
	NK_C_RULES,	    /* text: rule ids, ';'-separated */
	NK_C_N
} nk_col;

/* How a column's values are checked (nk_row_check). */
typedef enum {
	NK_T_TEXT,   /* anything the text rules allow */
	NK_T_YEAR,   /* nk_year_parse */
	NK_T_PERIOD, /* nk_period_parse against the row's year */
	NK_T_ISO3,   /* nk_iso3, empty allowed */
	NK_T_FLOW,   /* nk_flow_parse */
	NK_T_NKFLOW, /* nk_nkflow_parse */
	NK_T_HSREV,  /* nk_hsrev_parse, empty allowed */
	NK_T_HS,     /* non-empty */
	NK_T_NUM,    /* nk_num_parse, empty allowed (unknown) */
} nk_ctype;

extern const char *const nk_col_name[NK_C_N]; /* "source", ..., "rules" */
extern const nk_ctype nk_col_type[NK_C_N];

/* A set of columns, for nk_cols_bind's `need`. */
#define NK_COL_BIT(c) ((uint32_t)1 << (c))
#define NK_COLS_CORE (NK_COL_BIT(NK_C_NCORE) - 1)

/* Find the contract columns of `t` by name: ix[c] = column index, or -1 if
 * the header has no such column. Every column in `need` must be there: the
 * first missing one (in nk_col order) dies with nk_tsv_need's message
 * "FILE: missing required column 'NAME'". ix has NK_C_N entries. */
void nk_cols_bind(const nk_tsv *t, uint32_t need, int *ix);

/* ------------------------------------------------------------------ values */

/* flow, the reporter's view, as a bit so a set of flows is a mask. */
enum { NK_FLOW_M = 1, NK_FLOW_X = 2, NK_FLOW_RM = 4, NK_FLOW_RX = 8 };
/* nk_flow, the DPRK's view. */
enum { NK_NKFLOW_X = 1, NK_NKFLOW_M = 2 };

/* "M" "X" "RM" "RX" -> NK_FLOW_*, anything else 0. (The checks a tool runs
 * on every row are inline: they cost a few compares.) */
static inline int nk_flow_parse(const char *p, size_t n)
{
	if (n == 1)
		return p[0] == 'M' ? NK_FLOW_M : p[0] == 'X' ? NK_FLOW_X : 0;
	if (n == 2 && p[0] == 'R')
		return p[1] == 'M' ? NK_FLOW_RM : p[1] == 'X' ? NK_FLOW_RX : 0;
	return 0;
}
/* "X" "M" -> NK_NKFLOW_*, anything else 0. */
static inline int nk_nkflow_parse(const char *p, size_t n)
{
	if (n != 1)
		return 0;
	return p[0] == 'X' ? NK_NKFLOW_X : p[0] == 'M' ? NK_NKFLOW_M : 0;
}
/* The text of one NK_FLOW_* / NK_NKFLOW_* value (static). */
const char *nk_flow_name(int flow);
const char *nk_nkflow_name(int nkflow);

/* ISO3 codes packed in 24 bits (first letter lowest), so they compare and
 * hash as integers. */
#define NK_ISO3_CODE(a, b, c) ((uint32_t)(a) | (uint32_t)(b) << 8 | (uint32_t)(c) << 16)
#define NK_ISO3_EMPTY 0u	   /* empty text: unknown */
#define NK_ISO3_BAD 0xffffffffu /* not three capital letters */
/* Three capital letters -> the packed code; "" -> NK_ISO3_EMPTY; else
 * NK_ISO3_BAD. */
static inline uint32_t nk_iso3(const char *p, size_t n)
{
	if (n == 0)
		return NK_ISO3_EMPTY;
	if (n != 3 || (unsigned)(p[0] - 'A') > 25 || (unsigned)(p[1] - 'A') > 25 ||
	    (unsigned)(p[2] - 'A') > 25)
		return NK_ISO3_BAD;
	return NK_ISO3_CODE((unsigned char)p[0], (unsigned char)p[1], (unsigned char)p[2]);
}
/* The text of a packed code into buf (>= 4 bytes, NUL-terminated); "" for
 * NK_ISO3_EMPTY. Returns buf. */
char *nk_iso3_str(uint32_t code, char *buf);

/* Years are 4 digits in 1900..2100. */
#define NK_YEAR_MIN 1900
#define NK_YEAR_MAX 2100
/* The year, or -1 if the text is not one. */
static inline int nk_year_parse(const char *p, size_t n)
{
	if (n != 4)
		return -1;
	unsigned d0 = (unsigned)(p[0] - '0'), d1 = (unsigned)(p[1] - '0'),
		 d2 = (unsigned)(p[2] - '0'), d3 = (unsigned)(p[3] - '0');
	if (d0 > 9 || d1 > 9 || d2 > 9 || d3 > 9)
		return -1;
	int y = (int)(d0 * 1000 + d1 * 100 + d2 * 10 + d3);
	return y >= NK_YEAR_MIN && y <= NK_YEAR_MAX ? y : -1;
}
/* A period of `year`: "YYYY" (annual, returns 0) or "YYYYMM" (returns the
 * month 1..12); -1 if not a period of that year. year < 0: any year. */
int nk_period_parse(const char *p, size_t n, int year);

/* hs_rev "H0".."H6" -> 0..6; "" -> -1 (unknown); anything else -2. */
int nk_hsrev_parse(const char *p, size_t n);

/* A contract number: [-]digits[.digits], no '+', no exponent, no
 * separators, at most 3 decimals that are not zero, within +-9.2e15.
 * Returns NK_DEC_OK (*v set), NK_DEC_EMPTY (empty: unknown, *v untouched),
 * NK_DEC_BAD ("NaN", "12,5", "1e3", "+1", ".5"), NK_DEC_RANGE or
 * NK_DEC_INEXACT (*v untouched for both). nk_dec_strerror names each.
 * v may be NULL: check only. The common value (up to 15 integer digits and
 * 3 decimals) is read inline; others go through nk_dec_parse. */
int nk_num_slow(const char *p, size_t n, nk_dec *v);
static inline int nk_num_parse(const char *p, size_t n, nk_dec *v)
{
	if (n == 0)
		return NK_DEC_EMPTY;
	size_t i = p[0] == '-', d0 = i;
	uint64_t u = 0;
	for (unsigned d; i < n && (d = (unsigned)(p[i] - '0')) <= 9; i++)
		u = u * 10 + d;
	size_t nint = i - d0, nfrac = 0;
	if (i < n && p[i] == '.') {
		size_t f0 = ++i;
		for (unsigned d; i < n && (d = (unsigned)(p[i] - '0')) <= 9; i++)
			u = u * 10 + d;
		nfrac = i - f0;
		if (nfrac == 0)
			return NK_DEC_BAD;
	}
	if (i != n || nint == 0)
		return NK_DEC_BAD;
	if (nint > 15 || nfrac > 3) /* rare: the exact general parser */
		return nk_num_slow(p, n, v);
	if (v) { /* u < 10^(15 + nfrac): in thousandths below 10^18 */
		u *= nfrac == 0 ? 1000 : nfrac == 1 ? 100 : nfrac == 2 ? 10 : 1;
		*v = p[0] == '-' ? -(nk_dec)u : (nk_dec)u;
	}
	return NK_DEC_OK;
}

/* --------------------------------------------------------- row checkers */

/* Each checks field `col` of t's current row (an index from nk_cols_bind)
 * and returns its value, or dies with
 * "FILE:LINE: field 'NAME': <what is wrong>: 'VALUE'" and exit 1. */
int nk_row_period(const nk_tsv *t, size_t col, int year); /* month or 0 */
int nk_row_hsrev(const nk_tsv *t, size_t col);	      /* 0..6 or -1 */
static inline int nk_row_year(const nk_tsv *t, size_t col)
{
	int y = nk_year_parse(t->f[col].p, t->f[col].n);
	if (y < 0)
		nk_tsv_die(t, col, "not a year");
	return y;
}
static inline int nk_row_flow(const nk_tsv *t, size_t col) /* NK_FLOW_* */
{
	int f = nk_flow_parse(t->f[col].p, t->f[col].n);
	if (!f)
		nk_tsv_die(t, col, "not a flow (M, X, RM or RX)");
	return f;
}
static inline int nk_row_nkflow(const nk_tsv *t, size_t col) /* NK_NKFLOW_* */
{
	int f = nk_nkflow_parse(t->f[col].p, t->f[col].n);
	if (!f)
		nk_tsv_die(t, col, "not a DPRK flow (X or M)");
	return f;
}
static inline uint32_t nk_row_iso3(const nk_tsv *t, size_t col) /* code or EMPTY */
{
	uint32_t c = nk_iso3(t->f[col].p, t->f[col].n);
	if (c == NK_ISO3_BAD)
		nk_tsv_die(t, col, "not an ISO3 code");
	return c;
}
static inline void nk_row_hs(const nk_tsv *t, size_t col) /* non-empty */
{
	if (t->f[col].n == 0)
		nk_tsv_die(t, col, "empty commodity code");
}
/* Bytes p[0..8) that are not ASCII digits, as a mask: byte i -> bit 8i+7. */
static inline uint64_t nk_nondigits8_(const char *p)
{
	uint64_t x;
	__builtin_memcpy(&x, p, 8);
	uint64_t a = x ^ 0x3030303030303030ull; /* a digit's byte becomes 0..9 */
	return (((a & 0x7f7f7f7f7f7f7f7full) + 0x7676767676767676ull) | a) & 0x8080808080808080ull;
}
/* The count of digits at p (at most `n`), eight bytes at a time. Reads up
 * to 8 bytes past p + n: only for fields of an nk_tsv row, which
 * NK_IN_SLACK readable bytes follow. */
static inline size_t nk_digits_(const char *p, size_t n)
{
	size_t i = 0;
	for (;;) {
		uint64_t m = nk_nondigits8_(p + i);
		if (m) {
			i += (size_t)__builtin_ctzll(m) >> 3;
			return i < n ? i : n;
		}
		i += 8;
		if (i >= n)
			return n;
	}
}
/* nk_num_parse's answer without the value, for a field of an nk_tsv row
 * (nk_digits_ reads past it): no branch per digit. */
static inline int nk_num_check_row_(const char *p, size_t n)
{
	if (n == 0)
		return NK_DEC_EMPTY;
	size_t i = p[0] == '-';
	size_t nint = nk_digits_(p + i, n - i);
	i += nint;
	if (i == n)
		return nint == 0 ? NK_DEC_BAD : nint > 15 ? nk_num_slow(p, n, 0) : NK_DEC_OK;
	if (p[i] != '.' || nint == 0)
		return NK_DEC_BAD;
	size_t nfrac = nk_digits_(p + i + 1, n - i - 1);
	if (nfrac == 0 || i + 1 + nfrac != n)
		return NK_DEC_BAD;
	return nint > 15 || nfrac > 3 ? nk_num_slow(p, n, 0) : NK_DEC_OK;
}
/* 1 and *v set for a number, 0 for an empty (unknown) value. v may be
 * NULL: check only (faster). */
static inline int nk_row_num(const nk_tsv *t, size_t col, nk_dec *v)
{
	int rc = v ? nk_num_parse(t->f[col].p, t->f[col].n, v)
		   : nk_num_check_row_(t->f[col].p, t->f[col].n);
	if (rc == NK_DEC_OK)
		return 1;
	if (rc != NK_DEC_EMPTY)
		nk_tsv_die(t, col, nk_dec_strerror(rc));
	return 0;
}

/* Check every bound column (ix[c] >= 0) of the current row by its type
 * (nk_col_type), in nk_col order; the period against the row's year when
 * both are bound. For nk-validate --contract and any tool that copies the
 * contract columns through unread. An empty flow or nk_flow passes (unknown
 * direction, like an empty ISO3); any other text must be a flow. */
void nk_row_check(const nk_tsv *t, const int *ix);

/* ------------------------------------------------------------------- hash */

/* The one hash for the tools' hash tables (open addressing, power-of-two
 * sizes): Fibonacci hashing of an integer key (pack composite keys into 64
 * bits), the slot taken from the product's top bits, which spread runs of
 * nearby keys evenly. cap is a power of two. */
static inline size_t nk_hash_slot(uint64_t key, size_t cap)
{
	uint64_t h = key * 0x9E3779B97F4A7C15ull;
	return cap > 1 ? (size_t)(h >> (64 - __builtin_ctzll(cap))) : 0;
}

#endif
