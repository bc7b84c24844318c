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

static int digit(char c) { return c >= '0' && c <= '9'; }

int nk_period_parse(const char *p, size_t n, int year)
{
	if (n != 4 && n != 6)
		return -1;
	int y = nk_year_parse(p, 4);
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

int nk_num_slow(const char *p, size_t n, nk_dec *v)
{
	nk_dec d;
	int rc = nk_dec_parse(p, n, &d);
	if (rc == NK_DEC_OK && v)
		*v = d;
	return rc;
}

/* --------------------------------------------------------- row checkers */

int nk_row_period(const nk_tsv *t, size_t col, int year)
{
	nk_str s = t->f[col];
	int m = nk_period_parse(s.p, s.n, year);
	if (m < 0)
		nk_tsv_die(t, col, year < 0 ? "not a period (YYYY or YYYYMM)"
					    : "not a period of the row's year (YYYY or YYYYMM)");
	return m;
}

int nk_row_hsrev(const nk_tsv *t, size_t col)
{
	nk_str s = t->f[col];
	int r = nk_hsrev_parse(s.p, s.n);
	if (r == -2)
		nk_tsv_die(t, col, "not an HS revision (H0..H6)");
	return r;
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
			if (t->f[col].n)
				nk_row_flow(t, col);
			break;
		case NK_T_NKFLOW:
			if (t->f[col].n)
				nk_row_nkflow(t, col);
			break;
		case NK_T_HSREV: nk_row_hsrev(t, col); break;
		case NK_T_HS: nk_row_hs(t, col); break;
		case NK_T_NUM: nk_row_num(t, col, &v); break;
		}
	}
}
