/* Unit tests for tools/lib/select.c: prints "N passed, N failed". Rule files
 * are written to a temp file and loaded with the library's YAML loader; the
 * loader's and selector's error messages are tested through nk-correct's
 * table cases. */
#include "select.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"

static nk_ydoc *doc(const char *yaml)
{
	char path[] = "/tmp/nk-test-select-XXXXXX";
	int fd = mkstemp(path);
	if (fd < 0 || write(fd, yaml, strlen(yaml)) != (ssize_t)strlen(yaml))
		abort();
	close(fd);
	nk_ydoc *d = nk_ydoc_load(path);
	unlink(path);
	return d;
}

/* The selector under key `k` of the document's root mapping. */
static void sel(nk_sel *s, const nk_ydoc *d, const char *k)
{
	nk_sel_load(s, nk_yget(d->root, k), "match", NULL);
}

static nk_selrow row(const char *cp, const char *rep, const char *flow, const char *nkf,
		     int year, int hsrev, const char *hs, const char *src)
{
	nk_selrow r = {0};
	r.cp = nk_iso3(cp, strlen(cp));
	r.rep = nk_iso3(rep, strlen(rep));
	r.flow = nk_flow_parse(flow, strlen(flow));
	r.nkflow = nk_nkflow_parse(nkf, strlen(nkf));
	r.year = year;
	r.hsrev = hsrev;
	r.hs = (nk_str){hs, strlen(hs)};
	r.source = (nk_str){src, strlen(src)};
	return r;
}

static void test_match(void)
{
	nk_ydoc *d = doc("a: {counterpart: [CHN, RUS], nk_flow: X, years: [2014-2016, 2023]}\n"
			 "b: {hs: [\"27\", \"8517\"], flow: [M, RM]}\n"
			 "c: {hs: TOTAL, source: comtrade}\n"
			 "d: {hs_rev: [H0, H6], reporter: CHN}\n"
			 "e: {}\n"
			 "f: {years: 2019 - 2021}\n");
	nk_sel a, b, c, dd, e, f;
	sel(&a, d, "a");
	sel(&b, d, "b");
	sel(&c, d, "c");
	sel(&dd, d, "d");
	sel(&e, d, "e");
	sel(&f, d, "f");
	CHECK(a.ncp == 2 && a.nkflows == NK_NKFLOW_X && a.has_years);
	CHECK(nk_years_has(&a.years, 2015) && !nk_years_has(&a.years, 2017) &&
	      nk_years_has(&a.years, 2023));
	CHECK(nk_years_has(&f.years, 2019) && nk_years_has(&f.years, 2021) &&
	      !nk_years_has(&f.years, 2022));

	nk_selrow r = row("CHN", "CHN", "M", "X", 2015, 6, "270900", "comtrade");
	CHECK(nk_sel_match(&a, &r));
	CHECK(nk_sel_match(&b, &r));
	CHECK(!nk_sel_match(&c, &r)); /* TOTAL is not a prefix of 270900 */
	CHECK(nk_sel_match(&dd, &r));
	CHECK(nk_sel_match(&e, &r)); /* no key: every row */
	r.year = 2017;
	CHECK(!nk_sel_match(&a, &r));
	r.year = 2015;
	r.nkflow = NK_NKFLOW_M;
	CHECK(!nk_sel_match(&a, &r));
	r.cp = nk_iso3("KOR", 3);
	r.nkflow = NK_NKFLOW_X;
	CHECK(!nk_sel_match(&a, &r));
	r.flow = NK_FLOW_X;
	CHECK(!nk_sel_match(&b, &r));
	r.flow = NK_FLOW_RM;
	CHECK(nk_sel_match(&b, &r));
	r.hs = (nk_str){"8517", 4};
	CHECK(nk_sel_match(&b, &r));
	r.hs = (nk_str){"851", 3}; /* shorter than the prefix */
	CHECK(!nk_sel_match(&b, &r));
	r.hsrev = 3;
	CHECK(!nk_sel_match(&dd, &r));
	r.hsrev = -1; /* unknown never matches a given key */
	CHECK(!nk_sel_match(&dd, &r));
	nk_selrow t = row("CHN", "CHN", "M", "X", 2015, 6, "TOTAL", "comtrade");
	CHECK(nk_sel_match(&c, &t));
	t.source = (nk_str){"comtrade-legacy", 15};
	CHECK(!nk_sel_match(&c, &t)); /* source is exact, not a prefix */
	t.source = (nk_str){"comtrad", 7};
	CHECK(!nk_sel_match(&c, &t));
	nk_selrow tt = row("CHN", "CHN", "M", "X", 2015, 6, "TOTALS", "comtrade");
	CHECK(!nk_sel_match(&c, &tt)); /* TOTAL matches only TOTAL */

	/* overlap */
	CHECK(nk_sel_overlap(&a, &b)); /* disjoint keys: conservative */
	CHECK(nk_sel_overlap(&a, &f) == 0); /* years 2014-2016, 2023 vs 2019-2021 */
	nk_years_add(&f.years, 2016);
	CHECK(nk_sel_overlap(&a, &f));
	CHECK(!nk_sel_overlap(&b, &c)); /* 27/8517 vs TOTAL */
	nk_ydoc *d2 = doc("p: {hs: \"85\", counterpart: KOR}\nq: {hs: \"851712\", counterpart: [USA, KOR]}\n"
			  "r: {hs: \"86\"}\ns: {counterpart: CHN, hs: \"85\"}\n");
	nk_sel p, q, rr, s;
	sel(&p, d2, "p");
	sel(&q, d2, "q");
	sel(&rr, d2, "r");
	sel(&s, d2, "s");
	CHECK(nk_sel_overlap(&p, &q) && nk_sel_overlap(&q, &p)); /* prefix either way */
	CHECK(!nk_sel_overlap(&p, &rr));
	CHECK(!nk_sel_overlap(&s, &p)); /* CHN vs KOR */
	/* widen: a rule moving CHN rows to KOR reaches KOR's rows */
	nk_sel w;
	nk_sel_copy(&w, &s);
	nk_sel_widen(&w, nk_iso3("KOR", 3), NULL);
	CHECK(nk_sel_overlap(&w, &p) && w.ncp == 2 && s.ncp == 1);
	nk_sel_widen(&w, 0, "86");
	CHECK(nk_sel_overlap(&w, &rr) && w.hs.n == 2 && s.hs.n == 1);
	nk_sel any;
	nk_sel_copy(&any, &e);
	nk_sel_widen(&any, nk_iso3("KOR", 3), "86"); /* "any" stays any */
	CHECK(any.ncp == 0 && any.hs.n == 0);

	/* candidate index */
	const nk_sel *v[] = {&a, NULL, &s, &e, &q};
	nk_selindex *x = nk_selindex_new(v, 5);
	const int *l = nk_selindex_get(x, nk_iso3("CHN", 3));
	CHECK(l[0] == 0 && l[1] == 2 && l[2] == 3 && l[3] == -1);
	l = nk_selindex_get(x, nk_iso3("KOR", 3));
	CHECK(l[0] == 3 && l[1] == 4 && l[2] == -1);
	/* many counterparts: the table grows, answers stay right */
	int ok = 1;
	for (int i = 0; i < 3000; i++) {
		char c3[3] = {(char)('A' + i / 676), (char)('A' + i / 26 % 26), (char)('A' + i % 26)};
		l = nk_selindex_get(x, nk_iso3(c3, 3));
		int is_chn = !memcmp(c3, "CHN", 3), is_kor = !memcmp(c3, "KOR", 3),
		    is_usa = !memcmp(c3, "USA", 3), is_rus = !memcmp(c3, "RUS", 3);
		int k = 0;
		if (is_chn || is_rus)
			ok &= l[k++] == 0;
		if (is_chn)
			ok &= l[k++] == 2;
		ok &= l[k++] == 3;
		if (is_kor || is_usa)
			ok &= l[k++] == 4;
		ok &= l[k] == -1;
	}
	CHECK(ok);
	CHECK(nk_selindex_get(x, nk_iso3("CHN", 3))[1] == 2);
	nk_selindex_free(x);

	nk_sel *all[] = {&a, &b, &c, &dd, &e, &f, &p, &q, &rr, &s, &w, &any};
	for (size_t i = 0; i < sizeof all / sizeof *all; i++)
		nk_sel_free(all[i]);
	nk_ydoc_free(d);
	nk_ydoc_free(d2);
}

static void test_prefixes(void)
{
	nk_ydoc *d = doc("hs: [\"0301\", \"27\", TOTAL]\n");
	nk_strs h;
	nk_strs_load_hs(&h, nk_yget(d->root, "hs"), "hs");
	CHECK(h.n == 3 && h.len[0] == 4);
	CHECK(nk_strs_prefix(&h, (nk_str){"030111", 6}));
	CHECK(!nk_strs_prefix(&h, (nk_str){"30111", 5}));
	CHECK(nk_strs_prefix(&h, (nk_str){"TOTAL", 5}));
	CHECK(!nk_strs_prefix(&h, (nk_str){"2", 1}));
	nk_strs_free(&h);
	nk_ydoc_free(d);
	CHECK(nk_hs_code_ok("8517") && nk_hs_code_ok("TOTAL") && !nk_hs_code_ok("85.17") &&
	      !nk_hs_code_ok("") && !nk_hs_code_ok("12345678901"));
}

static void test_years(void)
{
	nk_years y = {{0}};
	CHECK(nk_years_empty(&y));
	nk_years_add(&y, 1900);
	nk_years_add(&y, 2100);
	nk_years_add(&y, 2200); /* outside: ignored */
	CHECK(nk_years_has(&y, 1900) && nk_years_has(&y, 2100) && !nk_years_has(&y, 2200) &&
	      !nk_years_has(&y, 1899) && !nk_years_empty(&y));
}

int main(void)
{
	nk_init((char *[]){"test_select", NULL});
	test_match();
	test_prefixes();
	test_years();
	return CHECK_REPORT();
}
