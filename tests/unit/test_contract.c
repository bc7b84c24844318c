/* Unit tests for tools/lib/contract.c and nk_dec_add: prints "N passed, N failed". */
#include "contract.h"

#include <string.h>

#include "check.h"

#define S(x) x, strlen(x)

static void test_columns(void)
{
	CHECK(!strcmp(nk_col_name[NK_C_SOURCE], "source"));
	CHECK(!strcmp(nk_col_name[NK_C_QTY_UNIT], "qty_unit"));
	CHECK(!strcmp(nk_col_name[NK_C_NK_FLOW], "nk_flow"));
	CHECK(!strcmp(nk_col_name[NK_C_RULES], "rules"));
	CHECK(NK_C_NCORE == 16);
	int ok = 1;
	for (int c = 0; c < NK_C_N; c++)
		ok &= nk_col_name[c] != NULL && nk_col_name[c][0] != 0;
	CHECK(ok);
	CHECK(nk_col_type[NK_C_VALUE_USD] == NK_T_NUM);
	CHECK(nk_col_type[NK_C_COUNTERPART] == NK_T_ISO3);
	CHECK((NK_COLS_CORE & NK_COL_BIT(NK_C_QTY_UNIT)) && !(NK_COLS_CORE & NK_COL_BIT(NK_C_NK_FLOW)));
}

static void test_flows(void)
{
	CHECK(nk_flow_parse(S("M")) == NK_FLOW_M);
	CHECK(nk_flow_parse(S("X")) == NK_FLOW_X);
	CHECK(nk_flow_parse(S("RM")) == NK_FLOW_RM);
	CHECK(nk_flow_parse(S("RX")) == NK_FLOW_RX);
	CHECK(nk_flow_parse(S("")) == 0);
	CHECK(nk_flow_parse(S("m")) == 0);
	CHECK(nk_flow_parse(S("R")) == 0);
	CHECK(nk_flow_parse(S("RXX")) == 0);
	CHECK(nk_flow_parse(S("Import")) == 0);
	CHECK(!strcmp(nk_flow_name(NK_FLOW_RX), "RX"));
	CHECK(nk_nkflow_parse(S("X")) == NK_NKFLOW_X);
	CHECK(nk_nkflow_parse(S("M")) == NK_NKFLOW_M);
	CHECK(nk_nkflow_parse(S("RM")) == 0);
	CHECK(nk_nkflow_parse(S("")) == 0);
	CHECK(!strcmp(nk_nkflow_name(NK_NKFLOW_M), "M"));
}

static void test_iso3(void)
{
	char b[4];
	CHECK(nk_iso3(S("PRK")) == NK_ISO3_CODE('P', 'R', 'K'));
	CHECK(nk_iso3(S("")) == NK_ISO3_EMPTY);
	CHECK(nk_iso3(S("prk")) == NK_ISO3_BAD);
	CHECK(nk_iso3(S("PR")) == NK_ISO3_BAD);
	CHECK(nk_iso3(S("PRKX")) == NK_ISO3_BAD);
	CHECK(nk_iso3(S("P1K")) == NK_ISO3_BAD);
	CHECK(!strcmp(nk_iso3_str(nk_iso3(S("CHN")), b), "CHN"));
	CHECK(!strcmp(nk_iso3_str(NK_ISO3_EMPTY, b), ""));
}

static void test_years(void)
{
	CHECK(nk_year_parse(S("2015")) == 2015);
	CHECK(nk_year_parse(S("1900")) == 1900);
	CHECK(nk_year_parse(S("2100")) == 2100);
	CHECK(nk_year_parse(S("1899")) == -1);
	CHECK(nk_year_parse(S("2101")) == -1);
	CHECK(nk_year_parse(S("20l4")) == -1);
	CHECK(nk_year_parse(S("+2015")) == -1);
	CHECK(nk_year_parse(S("02015")) == -1);
	CHECK(nk_year_parse(S("")) == -1);
	CHECK(nk_period_parse(S("2015"), 2015) == 0);
	CHECK(nk_period_parse(S("201503"), 2015) == 3);
	CHECK(nk_period_parse(S("201512"), 2015) == 12);
	CHECK(nk_period_parse(S("201513"), 2015) == -1);
	CHECK(nk_period_parse(S("201500"), 2015) == -1);
	CHECK(nk_period_parse(S("2016"), 2015) == -1);
	CHECK(nk_period_parse(S("201601"), 2015) == -1);
	CHECK(nk_period_parse(S("201601"), -1) == 1);
	CHECK(nk_period_parse(S("20151"), 2015) == -1);
	CHECK(nk_period_parse(S(""), 2015) == -1);
	CHECK(nk_hsrev_parse(S("H0")) == 0);
	CHECK(nk_hsrev_parse(S("H6")) == 6);
	CHECK(nk_hsrev_parse(S("")) == -1);
	CHECK(nk_hsrev_parse(S("H7")) == -2);
	CHECK(nk_hsrev_parse(S("HS")) == -2);
}

static int num(const char *s, nk_dec *v) { return nk_num_parse(s, strlen(s), v); }

static void test_numbers(void)
{
	nk_dec v = 42;
	CHECK(num("894039906", &v) == NK_DEC_OK && v == 894039906000LL);
	CHECK(num("14121885217.018", &v) == NK_DEC_OK && v == 14121885217018LL);
	CHECK(num("-0.5", &v) == NK_DEC_OK && v == -500);
	CHECK(num("0", &v) == NK_DEC_OK && v == 0);
	CHECK(num("1.50", &v) == NK_DEC_OK && v == 1500);
	CHECK(num("6804128143.0", &v) == NK_DEC_OK && v == 6804128143000LL);
	v = 42;
	CHECK(num("", &v) == NK_DEC_EMPTY && v == 42);
	/* check only */
	CHECK(nk_num_parse("12.5", 4, NULL) == NK_DEC_OK && nk_num_parse("NaN", 3, NULL) == NK_DEC_BAD &&
	      nk_num_parse("99999999999999999", 17, NULL) == NK_DEC_RANGE && nk_num_parse("1.0001", 6, NULL) == NK_DEC_INEXACT);
	CHECK(nk_year_parse("2019", 4) == 2019 && nk_year_parse("1999", 4) == 1999);
	/* what a stream must not carry */
	CHECK(num("NaN", &v) == NK_DEC_BAD);
	CHECK(num("nan", &v) == NK_DEC_BAD);
	CHECK(num("inf", &v) == NK_DEC_BAD);
	CHECK(num("1e309", &v) == NK_DEC_BAD);
	CHECK(num("1e3", &v) == NK_DEC_BAD);
	CHECK(num("1.2E3", &v) == NK_DEC_BAD);
	CHECK(num("12,5", &v) == NK_DEC_BAD);
	CHECK(num("1 000", &v) == NK_DEC_BAD);
	CHECK(num("+7", &v) == NK_DEC_BAD);
	CHECK(num(".5", &v) == NK_DEC_BAD);
	CHECK(num("3.", &v) == NK_DEC_BAD);
	CHECK(num("-", &v) == NK_DEC_BAD);
	CHECK(num("--1", &v) == NK_DEC_BAD);
	CHECK(num("1.2.3", &v) == NK_DEC_BAD);
	CHECK(num(" 1", &v) == NK_DEC_BAD);
	CHECK(num("1\t", &v) == NK_DEC_BAD);
	/* more than 3 decimals: exact zeros pass, others do not */
	CHECK(num("1.000000", &v) == NK_DEC_OK && v == 1000);
	CHECK(num("2.0004", &v) == NK_DEC_INEXACT);
	/* the range edge on both paths (15 integer digits is the fast one) */
	CHECK(num("999999999999999.999", &v) == NK_DEC_OK && v == 999999999999999999LL);
	CHECK(num("-999999999999999.999", &v) == NK_DEC_OK && v == -999999999999999999LL);
	CHECK(num("9223372036854775.807", &v) == NK_DEC_OK && v == INT64_MAX);
	CHECK(num("-9223372036854775.807", &v) == NK_DEC_OK && v == -INT64_MAX);
	CHECK(num("9223372036854775.808", &v) == NK_DEC_RANGE);
	CHECK(num("9223372036854776", &v) == NK_DEC_RANGE);
	CHECK(num("123456789012345678901234567890", &v) == NK_DEC_RANGE);
	CHECK(num("0000000000000000001", &v) == NK_DEC_OK && v == 1000);
	/* the fast path agrees with nk_dec_parse on every short form */
	int same = 1;
	char b[40];
	for (int64_t x = -200000; x <= 200000; x += 7) {
		for (int d = 0; d <= 3; d++) {
			int64_t ip = x / 1000, fp = (x < 0 ? -x : x) % 1000;
			int n = d == 0 ? snprintf(b, sizeof b, "%lld", (long long)ip)
				       : snprintf(b, sizeof b, "%s%lld.%0*lld",
						  x < 0 && ip == 0 ? "-" : "", (long long)ip, d,
						  (long long)(d == 3 ? fp : d == 2 ? fp / 10 : fp / 100));
			nk_dec a = 1, c = 2;
			int ra = nk_num_parse(b, (size_t)n, &a), rc = nk_dec_parse(b, (size_t)n, &c);
			same &= ra == rc && a == c;
		}
	}
	CHECK(same);
}

/* The row checker's check-only path (eight bytes at a time, reading past
 * the field into the row's slack) agrees with nk_num_parse on random text,
 * whatever the bytes after the field are. */
static void test_row_check(void)
{
	static const char alpha[] = "0123456789012345678901234567890123456789.-e,N ";
	uint64_t x = 88172645463325252ull;
	int same = 1, tested = 0;
	for (int k = 0; k < 300000; k++) {
		char buf[64];
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		size_t n = (size_t)(x % 24);
		for (size_t i = 0; i < n; i++) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			buf[i] = alpha[x % (sizeof alpha - 1)];
		}
		/* the slack: digits (the worst case for a scanner), or junk */
		memset(buf + n, (k & 1) ? '7' : 'x', sizeof buf - n);
		nk_dec v;
		int a = nk_num_parse(buf, n, &v), b = nk_num_check_row_(buf, n);
		same &= a == b;
		tested += a == NK_DEC_OK;
	}
	CHECK(same);
	CHECK(tested > 1000); /* enough valid numbers among them */
	char b2[40] = "1234567890123456.5" "7777777777777777777";
	CHECK(nk_num_check_row_(b2, 18) == NK_DEC_OK); /* 16 digits: the slow path */
	CHECK(nk_num_check_row_(b2, 16) == NK_DEC_OK);
	CHECK(nk_num_check_row_("99999999999999999999" "7777777777777777", 20) == NK_DEC_RANGE);
}

static void test_add_hash(void)
{
	nk_dec r = 7;
	CHECK(nk_dec_add(1500, -500, &r) == NK_DEC_OK && r == 1000);
	CHECK(nk_dec_add(INT64_MAX, 0, &r) == NK_DEC_OK && r == INT64_MAX);
	r = 7;
	CHECK(nk_dec_add(INT64_MAX, 1, &r) == NK_DEC_RANGE && r == 7);
	CHECK(nk_dec_add(-INT64_MAX, -1, &r) == NK_DEC_RANGE && r == 7);
	CHECK(nk_dec_add(-INT64_MAX, INT64_MAX, &r) == NK_DEC_OK && r == 0);
	/* slots stay in the table; nearby keys spread out */
	int in = 1;
	for (uint64_t k = 0; k < 1000; k++)
		in &= nk_hash_slot(k, 64) < 64 && nk_hash_slot(k, 1) == 0;
	CHECK(in);
	unsigned char used[256] = {0};
	size_t distinct = 0;
	for (uint64_t k = 0; k < 128; k++) {
		size_t s = nk_hash_slot(k, 256);
		distinct += !used[s];
		used[s] = 1;
	}
	CHECK(distinct >= 120); /* random slots would give about 100 */
}

int main(void)
{
	test_columns();
	test_flows();
	test_iso3();
	test_years();
	test_numbers();
	test_row_check();
	test_add_hash();
	return CHECK_REPORT();
}
