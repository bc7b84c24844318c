/* contract.c - the stream contract's columns and values. See contract.h. */
#include "contract.h"

#include <string.h>

const char *const nk_col_name[NK_C_N] = {
	[NK_C_SOURCE] = "source",	    [NK_C_YEAR] = "year",
	[NK_C_PERIOD] = "period",	    [NK_C_REPORTER] = "reporter",
	[NK_C_REPORTER_M49] = "reporter_m49", [NK_C_PARTNER] = "partner",
	[NK_C_PARTNER_M49] = "partner_m49", [NK_C_FLOW] = "flow",
	[NK_C_HS_REV] = "hs_rev",	    [NK_C_HS] = "hs",
	[NK_C_VALUE_USD] = "value_usd",	    [NK_C_CIF_USD] = "cif_usd",
	[NK_C_FOB_USD] = "fob_usd",	    [NK_C_NETWGT_KG] = "netwgt_kg",
	[NK_C_QTY] = "qty",		    [NK_C_QTY_UNIT] = "qty_unit",
	[NK_C_NK_FLOW] = "nk_flow",	    [NK_C_COUNTERPART] = "counterpart",
	[NK_C_VALUE_REPORTED] = "value_reported", [NK_C_RULES] = "rules",
};

const nk_ctype nk_col_type[NK_C_N] = {
	[NK_C_SOURCE] = NK_T_TEXT,	   [NK_C_YEAR] = NK_T_YEAR,
	[NK_C_PERIOD] = NK_T_PERIOD,	   [NK_C_REPORTER] = NK_T_ISO3,
	[NK_C_REPORTER_M49] = NK_T_TEXT,   [NK_C_PARTNER] = NK_T_ISO3,
	[NK_C_PARTNER_M49] = NK_T_TEXT,	   [NK_C_FLOW] = NK_T_FLOW,
	[NK_C_HS_REV] = NK_T_HSREV,	   [NK_C_HS] = NK_T_HS,
	[NK_C_VALUE_USD] = NK_T_NUM,	   [NK_C_CIF_USD] = NK_T_NUM,
	[NK_C_FOB_USD] = NK_T_NUM,	   [NK_C_NETWGT_KG] = NK_T_NUM,
	[NK_C_QTY] = NK_T_NUM,		   [NK_C_QTY_UNIT] = NK_T_TEXT,
	[NK_C_NK_FLOW] = NK_T_NKFLOW,	   [NK_C_COUNTERPART] = NK_T_ISO3,
	[NK_C_VALUE_REPORTED] = NK_T_NUM,  [NK_C_RULES] = NK_T_TEXT,
};

void nk_cols_bind(const nk_tsv *t, uint32_t need, int *ix)
{
	for (int c = 0; c < NK_C_N; c++)
		ix[c] = (need & NK_COL_BIT(c)) ? (int)nk_tsv_need(t, nk_col_name[c])
					       : nk_tsv_col(t, nk_col_name[c]);
}

/* ------------------------------------------------------------------ values */

int nk_flow_parse(const char *p, size_t n)
{
	if (n == 1)
		return p[0] == 'M' ? NK_FLOW_M : p[0] == 'X' ? NK_FLOW_X : 0;
	if (n == 2 && p[0] == 'R')
		return p[1] == 'M' ? NK_FLOW_RM : p[1] == 'X' ? NK_FLOW_RX : 0;
	return 0;
}

int nk_nkflow_parse(const char *p, size_t n)
{
	if (n != 1)
		return 0;
	return p[0] == 'X' ? NK_NKFLOW_X : p[0] == 'M' ? NK_NKFLOW_M : 0;
}

const char *nk_flow_name(int flow)
{
	switch (flow) {
	case NK_FLOW_M: return "M";
	case NK_FLOW_X: return "X";
	case NK_FLOW_RM: return "RM";
	case NK_FLOW_RX: return "RX";
	}
	return "?";
}

const char *nk_nkflow_name(int nkflow)
{
	return nkflow == NK_NKFLOW_X ? "X" : nkflow == NK_NKFLOW_M ? "M" : "?";
}

static int upper(char c) { return c >= 'A' && c <= 'Z'; }
static int digit(char c) { return c >= '0' && c <= '9'; }

uint32_t nk_iso3(const char *p, size_t n)
{
	if (n == 0)
		return NK_ISO3_EMPTY;
	if (n != 3 || !upper(p[0]) || !upper(p[1]) || !upper(p[2]))
		return NK_ISO3_BAD;
	return NK_ISO3_CODE((unsigned char)p[0], (unsigned char)p[1], (unsigned char)p[2]);
}

char *nk_iso3_str(uint32_t code, char *buf)
{
	if (code == NK_ISO3_EMPTY || code == NK_ISO3_BAD) {
		buf[0] = 0;
		return buf;
	}
	buf[0] = (char)(code & 0xff);
	buf[1] = (char)(code >> 8 & 0xff);
	buf[2] = (char)(code >> 16 & 0xff);
	buf[3] = 0;
	return buf;
}

static int year4(const char *p)
{
	if (!digit(p[0]) || !digit(p[1]) || !digit(p[2]) || !digit(p[3]))
		return -1;
	int y = (p[0] - '0') * 1000 + (p[1] - '0') * 100 + (p[2] - '0') * 10 + (p[3] - '0');
	return y >= NK_YEAR_MIN && y <= NK_YEAR_MAX ? y : -1;
}

int nk_year_parse(const char *p, size_t n)
{
	return n == 4 ? year4(p) : -1;
}

int nk_period_parse(const char *p, size_t n, int year)
{
	if (n != 4 && n != 6)
		return -1;
	int y = year4(p);
	if (y < 0 || (year >= 0 && y != year))
		return -1;
	if (n == 4)
		return 0;
	if (!digit(p[4]) || !digit(p[5]))
		return -1;
	int m = (p[4] - '0') * 10 + (p[5] - '0');
	return m >= 1 && m <= 12 ? m : -1;
}

int nk_hsrev_parse(const char *p, size_t n)
{
	if (n == 0)
		return -1;
	if (n == 2 && p[0] == 'H' && p[1] >= '0' && p[1] <= '6')
		return p[1] - '0';
	return -2;
}

int nk_num_parse(const char *p, size_t n, nk_dec *v)
{
	if (n == 0)
		return NK_DEC_EMPTY;
	size_t i = p[0] == '-';
	size_t d0 = i;
	uint64_t u = 0;
	for (; i < n && digit(p[i]); i++)
		u = u * 10 + (unsigned)(p[i] - '0'); /* wraps on long input: unused then */
	size_t nint = i - d0, nfrac = 0;
	if (nint == 0)
		return NK_DEC_BAD;
	if (i < n && p[i] == '.') {
		size_t f0 = ++i;
		for (; i < n && digit(p[i]); i++)
			u = u * 10 + (unsigned)(p[i] - '0');
		nfrac = i - f0;
		if (nfrac == 0)
			return NK_DEC_BAD;
	}
	if (i != n)
		return NK_DEC_BAD;
	if (nint > 15 || nfrac > 3) /* rare: the exact general parser */
		return nk_dec_parse(p, n, v);
	/* u < 10^(15 + nfrac): in thousandths below 10^18, no overflow */
	static const uint64_t scale[] = {1000, 100, 10, 1};
	u *= scale[nfrac];
	*v = p[0] == '-' ? -(nk_dec)u : (nk_dec)u;
	return NK_DEC_OK;
}

/* --------------------------------------------------------- row checkers */

static nk_str fld(const nk_tsv *t, size_t col) { return t->f[col]; }

int nk_row_year(const nk_tsv *t, size_t col)
{
	nk_str s = fld(t, col);
	int y = nk_year_parse(s.p, s.n);
	if (y < 0)
		nk_tsv_die(t, col, "not a year");
	return y;
}

int nk_row_period(const nk_tsv *t, size_t col, int year)
{
	nk_str s = fld(t, col);
	int m = nk_period_parse(s.p, s.n, year);
	if (m < 0)
		nk_tsv_die(t, col, year < 0 ? "not a period (YYYY or YYYYMM)"
					    : "not a period of the row's year (YYYY or YYYYMM)");
	return m;
}

int nk_row_flow(const nk_tsv *t, size_t col)
{
	nk_str s = fld(t, col);
	int f = nk_flow_parse(s.p, s.n);
	if (!f)
		nk_tsv_die(t, col, "not a flow (M, X, RM or RX)");
	return f;
}

int nk_row_nkflow(const nk_tsv *t, size_t col)
{
	nk_str s = fld(t, col);
	int f = nk_nkflow_parse(s.p, s.n);
	if (!f)
		nk_tsv_die(t, col, "not a DPRK flow (X or M)");
	return f;
}

uint32_t nk_row_iso3(const nk_tsv *t, size_t col)
{
	nk_str s = fld(t, col);
	uint32_t c = nk_iso3(s.p, s.n);
	if (c == NK_ISO3_BAD)
		nk_tsv_die(t, col, "not an ISO3 code");
	return c;
}

int nk_row_hsrev(const nk_tsv *t, size_t col)
{
	nk_str s = fld(t, col);
	int r = nk_hsrev_parse(s.p, s.n);
	if (r == -2)
		nk_tsv_die(t, col, "not an HS revision (H0..H6)");
	return r;
}

void nk_row_hs(const nk_tsv *t, size_t col)
{
	if (fld(t, col).n == 0)
		nk_tsv_die(t, col, "empty commodity code");
}

int nk_row_num(const nk_tsv *t, size_t col, nk_dec *v)
{
	nk_str s = fld(t, col);
	int rc = nk_num_parse(s.p, s.n, v);
	if (rc == NK_DEC_OK)
		return 1;
	if (rc == NK_DEC_EMPTY)
		return 0;
	nk_tsv_die(t, col, nk_dec_strerror(rc));
}

void nk_row_check(const nk_tsv *t, const int *ix)
{
	int year = -1;
	nk_dec v;
	for (int c = 0; c < NK_C_N; c++) {
		if (ix[c] < 0)
			continue;
		size_t col = (size_t)ix[c];
		switch (nk_col_type[c]) {
		case NK_T_TEXT: break;
		case NK_T_YEAR: year = nk_row_year(t, col); break;
		case NK_T_PERIOD: nk_row_period(t, col, year); break;
		case NK_T_ISO3: nk_row_iso3(t, col); break;
		/* An empty direction is unknown (an inter-Korean total
		 * no source splits); a tool that needs one calls
		 * nk_row_flow/nk_row_nkflow itself. */
		case NK_T_FLOW:
			if (fld(t, col).n)
				nk_row_flow(t, col);
			break;
		case NK_T_NKFLOW:
			if (fld(t, col).n)
				nk_row_nkflow(t, col);
			break;
		case NK_T_HSREV: nk_row_hsrev(t, col); break;
		case NK_T_HS: nk_row_hs(t, col); break;
		case NK_T_NUM: nk_row_num(t, col, &v); break;
		}
	}
}
