/* Unit tests for tools/lib: prints "N passed, N failed" (sds testhelp style). */
#include "nk.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"

static int dec(const char *s, nk_dec *v) { return nk_dec_parse(s, strlen(s), v); }

static int fmt_is(nk_dec v, const char *want)
{
	char b[32];
	size_t n = nk_dec_fmt(v, b);
	return n == strlen(want) && !strcmp(b, want);
}

static void test_dec(void)
{
	nk_dec v = 0;
	CHECK(dec("894039906", &v) == NK_DEC_OK && v == 894039906000LL);
	CHECK(dec("14121885217.018", &v) == NK_DEC_OK && v == 14121885217018LL);
	CHECK(dec("-0.5", &v) == NK_DEC_OK && v == -500);
	CHECK(dec("+7", &v) == NK_DEC_OK && v == 7000);
	CHECK(dec(".25", &v) == NK_DEC_OK && v == 250);
	CHECK(dec("3.", &v) == NK_DEC_OK && v == 3000);
	CHECK(dec("1.2e3", &v) == NK_DEC_OK && v == 1200000);
	CHECK(dec("1.4121885217018E10", &v) == NK_DEC_OK && v == 14121885217018LL);
	CHECK(dec("5e-3", &v) == NK_DEC_OK && v == 5);
	CHECK(dec("0.0005", &v) == NK_DEC_INEXACT && v == 0);  /* half to even */
	CHECK(dec("0.0015", &v) == NK_DEC_INEXACT && v == 2);
	CHECK(dec("2.0004", &v) == NK_DEC_INEXACT && v == 2000);
	CHECK(dec("1.000000", &v) == NK_DEC_OK && v == 1000);
	CHECK(dec("", &v) == NK_DEC_EMPTY);
	CHECK(dec("12,5", &v) == NK_DEC_BAD);
	CHECK(dec("1 000", &v) == NK_DEC_BAD);
	CHECK(dec("abc", &v) == NK_DEC_BAD);
	CHECK(dec("-", &v) == NK_DEC_BAD);
	CHECK(dec(".", &v) == NK_DEC_BAD);
	CHECK(dec("1e", &v) == NK_DEC_BAD);
	CHECK(dec("nan", &v) == NK_DEC_BAD);
	CHECK(dec("9223372036854775.807", &v) == NK_DEC_OK && v == INT64_MAX);
	CHECK(dec("9223372036854776", &v) == NK_DEC_RANGE);
	CHECK(dec("1e300", &v) == NK_DEC_RANGE);
	CHECK(dec("123456789012345678901234567890123", &v) == NK_DEC_RANGE);
	CHECK(fmt_is(894039906000LL, "894039906"));
	CHECK(fmt_is(14121885217018LL, "14121885217.018"));
	CHECK(fmt_is(-500, "-0.5"));
	CHECK(fmt_is(0, "0"));
	CHECK(fmt_is(10, "0.01"));
	CHECK(fmt_is(INT64_MIN + 1, "-9223372036854775.807"));
	nk_dec r;
	CHECK(nk_dec_div(1060000, 1060, &r) == NK_DEC_OK && r == 1000000); /* 1060/1.06 */
	CHECK(nk_dec_div(1000, 3000, &r) == NK_DEC_OK && r == 333);
	CHECK(nk_dec_div(2000, 3000, &r) == NK_DEC_OK && r == 667);
	CHECK(nk_dec_div(1, 0, &r) == NK_DEC_RANGE);
	CHECK(nk_dec_mul(2500, 1500, &r) == NK_DEC_OK && r == 3750);
	CHECK(nk_dec_mul(-1, 500, &r) == NK_DEC_OK && r == 0); /* -0.0005 -> 0 */
	CHECK(nk_dec_mul(INT64_MAX, 2000, &r) == NK_DEC_RANGE);
	/* sum of parsed decimals is exact, whatever the order */
	const char *xs[] = {"0.1", "0.2", "0.3", "14121885217.018", "-0.6"};
	nk_dec a = 0, b = 0;
	for (int i = 0; i < 5; i++) {
		dec(xs[i], &v);
		a += v;
		dec(xs[4 - i], &v);
		b += v;
	}
	CHECK(a == b && fmt_is(a, "14121885217.018"));
	int64_t iv;
	CHECK(nk_int_parse("2022", 4, &iv) == 0 && iv == 2022);
	CHECK(nk_int_parse("-9223372036854775808", 20, &iv) == 0 && iv == INT64_MIN);
	CHECK(nk_int_parse("9223372036854775808", 19, &iv) == NK_DEC_RANGE);
	CHECK(nk_int_parse("20.5", 4, &iv) == NK_DEC_BAD);
	CHECK(nk_int_parse("", 0, &iv) == NK_DEC_EMPTY);
}

static int split_is(nk_dec v, const nk_dec *w, size_t m, const nk_dec *want)
{
	nk_dec part[8];
	nk_dec_split(v, w, m, part);
	return !memcmp(part, want, m * sizeof *part);
}

static void test_dec_split(void)
{
	/* equal shares: the leftover thousandth to the lower index */
	CHECK(split_is(1000, (nk_dec[]){1, 1, 1}, 3, (nk_dec[]){334, 333, 333}));
	CHECK(split_is(-1000, (nk_dec[]){1, 1, 1}, 3, (nk_dec[]){-334, -333, -333}));
	CHECK(split_is(2, (nk_dec[]){1000, 1000, 1000}, 3, (nk_dec[]){1, 1, 0}));
	/* largest remainders first: 7 by 1:2:3:4 is 0.7 1.4 2.1 2.8 */
	CHECK(split_is(7, (nk_dec[]){1, 2, 3, 4}, 4, (nk_dec[]){1, 1, 2, 3}));
	/* a weight of 0 gets nothing, even when its index is lowest */
	CHECK(split_is(3, (nk_dec[]){0, 1, 1}, 3, (nk_dec[]){0, 2, 1}));
	CHECK(split_is(5, (nk_dec[]){7}, 1, (nk_dec[]){5}));
	CHECK(split_is(0, (nk_dec[]){1, 1}, 2, (nk_dec[]){0, 0}));
	/* products beyond 64 bits (python: a*w//W with a = W = INT64_MAX - 1) */
	CHECK(split_is(INT64_MAX, (nk_dec[]){INT64_MAX / 2, INT64_MAX / 2 - 5, 5}, 3,
		       (nk_dec[]){4611686018427387904, 4611686018427387898, 5}));
	/* pseudo-random: the parts sum to v and each is within 1 of v*w/W */
	uint64_t x = 12345;
	int ok = 1;
	for (int k = 0; k < 2000; k++) {
		nk_dec w[8], part[8], v;
		size_t m = 1 + k % 8;
		x = x * 6364136223846793005u + 1442695040888963407u;
		v = (nk_dec)(x >> 20) - (nk_dec)(x >> 21);
		__int128 W = 0, sum = 0;
		for (size_t i = 0; i < m; i++) {
			x = x * 6364136223846793005u + 1442695040888963407u;
			w[i] = (nk_dec)(x >> 40) % 5000;
			W += w[i];
		}
		if (!W)
			w[0] = W = 1;
		nk_dec_split(v, w, m, part);
		for (size_t i = 0; i < m; i++) {
			__int128 exact = (__int128)v * w[i] / W; /* toward 0 */
			sum += part[i];
			if (part[i] - exact > 1 || exact - part[i] > 1 || (!w[i] && part[i]))
				ok = 0;
		}
		if (sum != v)
			ok = 0;
	}
	CHECK(ok);
}

static void test_text(void)
{
	size_t at;
	CHECK(nk_text_check("abc", 3, &at) == NULL);
	CHECK(nk_text_check("C\xc3\xb4te", 5, &at) == NULL);
	CHECK(nk_text_check("C\xf4te", 4, &at) != NULL && at == 1); /* Latin-1 */
	CHECK(nk_text_check("\xe2\x82", 2, &at) != NULL);	     /* cut short */
	CHECK(nk_text_check("\xc0\xaf", 2, &at) != NULL);	     /* overlong */
	CHECK(nk_text_check("\xed\xa0\x80", 3, &at) != NULL);	     /* surrogate */
	CHECK(nk_text_check("\xf0\x9f\x98\x80", 4, &at) == NULL);    /* emoji */
	CHECK(nk_text_check("a\0b", 3, &at) != NULL && at == 1);
	CHECK(nk_text_check("ab\r", 3, &at) != NULL && at == 2);
	CHECK(!strcmp(nk_text_check("ab\r", 3, &at), "CRLF line end (contract TSV ends lines with LF only)"));
	CHECK(!strcmp(nk_text_check("a\rb", 3, &at), "carriage return inside a value (write it as \\r)"));
	/* nk_utf8_ok alone: the offset of the first bad sequence, or none */
	CHECK(nk_utf8_ok("C\xc3\xb4te", 5, &at) == 1);
	CHECK(nk_utf8_ok("ab\xc3\xb4\xf4x", 6, &at) == 0 && at == 4);
	CHECK(nk_utf8_ok("\xf4\x90\x80\x80", 4, NULL) == 0); /* above U+10FFFF */
	CHECK(nk_utf8_ok("\xc1\xbf", 2, NULL) == 0);	       /* overlong */
	CHECK(nk_utf8_ok("\xef\xbf\xbf", 3, NULL) == 1);	       /* U+FFFF */
	CHECK(nk_utf8_ok("", 0, NULL) == 1);
	char d[16];
	CHECK(nk_unescape("a\\tb\\\\c\\n", 9, d) == 6 && !memcmp(d, "a\tb\\c\n", 6));
	CHECK(nk_unescape("a\\x", 3, d) == (size_t)-1);
	CHECK(nk_unescape("a\\", 2, d) == (size_t)-1);
}

/* Write through nk_out into a temp file, read it back. */
static char *roundtrip_out(void (*fn)(nk_out *), size_t *len)
{
	char path[] = "/tmp/nk-unit-XXXXXX";
	int fd = mkstemp(path);
	close(fd);
	nk_out *o = nk_out_open(path);
	fn(o);
	nk_out_close(o);
	FILE *f = fopen(path, "rb");
	static char buf[1 << 20];
	*len = fread(buf, 1, sizeof buf, f);
	fclose(f);
	unlink(path);
	return buf;
}

static void write_escaped(nk_out *o)
{
	nk_out_escaped(o, "a\tb\nc\rd\\e", 9);
	nk_out_byte(o, '|');
	nk_out_int(o, -42);
	nk_out_byte(o, '|');
	nk_out_dec(o, 14121885217018LL);
}

static void write_big(nk_out *o)
{
	for (int i = 0; i < 100000; i++)
		nk_out_write(o, "0123456789", 10); /* 1 MB through a 256 KiB buffer */
}

static void test_out(void)
{
	size_t n;
	char *s = roundtrip_out(write_escaped, &n);
	const char *want = "a\\tb\\nc\\rd\\\\e|-42|14121885217.018";
	CHECK(n == strlen(want) && !memcmp(s, want, n));
	s = roundtrip_out(write_big, &n);
	CHECK(n == 1000000 && !memcmp(s + 999990, "0123456789", 10));
	/* no temp file left beside the target */
	CHECK(access("/tmp/nk-unit-out.tsv.tmp", F_OK) != 0);
}

static void test_in(void)
{
	/* a multi-member gzip file is one stream; lines cross buffer ends */
	char dir[] = "/tmp/nk-unit-dXXXXXX";
	CHECK(mkdtemp(dir) != NULL);
	char cmd[512];
	snprintf(cmd, sizeof cmd,
		 "cd %s && printf 'h\\na\\n' | gzip -c > t.gz && "
		 "printf 'b\\nlast' | gzip -c >> t.gz && "
		 "head -c 300000 /dev/zero | tr '\\0' x > long && echo >> long && echo y >> long",
		 dir);
	CHECK(system(cmd) == 0);
	char p[600];
	snprintf(p, sizeof p, "%s/t.gz", dir);
	nk_in *in = nk_in_open(p);
	const char *l;
	size_t n;
	const char *want[] = {"h", "a", "b", "last"};
	int i = 0, ok = 1;
	while (nk_in_line(in, &l, &n)) {
		ok &= i < 4 && n == strlen(want[i]) && !memcmp(l, want[i], n);
		i++;
	}
	CHECK(ok && i == 4 && nk_in_lineno(in) == 4);
	nk_in_close(in);
	snprintf(p, sizeof p, "%s/long", dir);
	in = nk_in_open(p);
	CHECK(nk_in_line(in, &l, &n) && n == 300000 && l[299999] == 'x');
	CHECK(nk_in_line(in, &l, &n) && n == 1 && l[0] == 'y');
	CHECK(!nk_in_line(in, &l, &n));
	nk_in_close(in);
	/* members and lines cross the inflater's stage (256 KiB) and ring slot
	 * (1 MiB) ends: 700000 numbered lines, ~4.7 MB, in two members */
	snprintf(cmd, sizeof cmd,
		 "cd %s && seq 1 400000 | gzip -c > big.gz && seq 400001 700000 | gzip -1 -c >> big.gz", dir);
	CHECK(system(cmd) == 0);
	snprintf(p, sizeof p, "%s/big.gz", dir);
	in = nk_in_open(p);
	long k = 0;
	ok = 1;
	while (nk_in_line(in, &l, &n)) {
		char num[16];
		int w = snprintf(num, sizeof num, "%ld", ++k);
		ok &= (size_t)w == n && !memcmp(l, num, n);
	}
	CHECK(ok && k == 700000);
	nk_in_close(in);
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	CHECK(system(cmd) == 0);
}

/* Run `input` through a layout adding `add` (each row gets `vals`); return
 * the output text (static buffer) and the layout's replaced-column count. */
static const char *layout_run(const char *input, const char **add,
			      const nk_str *vals, size_t nadd, size_t *nrepl)
{
	static char buf[512];
	char dir[] = "/tmp/nk-unit-lXXXXXX";
	CHECK(mkdtemp(dir) != NULL);
	char p[600], q[600];
	snprintf(p, sizeof p, "%s/in.tsv", dir);
	snprintf(q, sizeof q, "%s/out.tsv", dir);
	FILE *f = fopen(p, "w");
	fputs(input, f);
	fclose(f);
	char *paths[] = {p};
	nk_tsv *t = nk_tsv_open(paths, 1);
	nk_layout *l = nk_layout_new(t, add, nadd);
	*nrepl = l->nrepl;
	nk_out *o = nk_out_open(q);
	nk_layout_header(o, t, l);
	while (nk_tsv_next(t))
		nk_layout_row(o, l, t->f, vals);
	nk_out_close(o);
	nk_layout_free(l);
	nk_tsv_close(t);
	memset(buf, 0, sizeof buf);
	f = fopen(q, "r");
	CHECK(fread(buf, 1, sizeof buf - 1, f) > 0);
	fclose(f);
	snprintf(p, sizeof p, "rm -rf %s", dir);
	CHECK(system(p) == 0);
	return buf;
}

static void test_layout(void)
{
	size_t nrepl;
	/* an added column that exists is replaced in place, others appended */
	const char *add[] = {"hs6", "stage"};
	nk_str v[2] = {{"010121", 6}, {"new", 3}};
	const char *got = layout_run("a\tstage\tb\n1\told\t2\n", add, v, 2, &nrepl);
	CHECK(nrepl == 1 && !strcmp(got, "a\tstage\tb\ths6\n1\tnew\t2\t010121\n"));
	/* append only: the row span is copied in one go, bytes unchanged */
	const char *add2[] = {"d"};
	nk_str v2[1] = {{"D", 1}};
	got = layout_run("a\tb\tc\n1\t\t3\n\tx\\ty\t\n", add2, v2, 1, &nrepl);
	CHECK(nrepl == 0 && !strcmp(got, "a\tb\tc\td\n1\t\t3\tD\n\tx\\ty\t\tD\n"));
	/* a replacement equal in text but another view is still written */
	const char *add3[] = {"b"};
	nk_str v3[1] = {{"2", 1}};
	got = layout_run("a\tb\n1\t2\n", add3, v3, 1, &nrepl);
	CHECK(nrepl == 1 && !strcmp(got, "a\tb\n1\t2\n"));
	/* fields a tool built itself (not one line) are written one by one */
	char t1[] = "x", t2[] = "yz";
	nk_str built[2] = {{t1, 1}, {t2, 2}};
	const char *none[] = {"c"};
	nk_str vc[1] = {{"C", 1}};
	char dir[] = "/tmp/nk-unit-bXXXXXX";
	CHECK(mkdtemp(dir) != NULL);
	char q[600];
	snprintf(q, sizeof q, "%s/in.tsv", dir);
	FILE *f = fopen(q, "w");
	fputs("a\tb\n", f);
	fclose(f);
	char *paths[] = {q};
	nk_tsv *t = nk_tsv_open(paths, 1);
	nk_layout *l = nk_layout_new(t, none, 1);
	snprintf(q, sizeof q, "%s/out.tsv", dir);
	nk_out *o = nk_out_open(q);
	nk_layout_row(o, l, built, vc);
	nk_out_close(o);
	nk_layout_free(l);
	nk_tsv_close(t);
	char buf[64] = {0};
	f = fopen(q, "r");
	CHECK(fread(buf, 1, sizeof buf - 1, f) == 7);
	fclose(f);
	CHECK(!strcmp(buf, "x\tyz\tC\n"));
	snprintf(q, sizeof q, "rm -rf %s", dir);
	CHECK(system(q) == 0);
}

int main(int argc, char **argv)
{
	(void)argc;
	nk_init(argv);
	test_dec();
	test_dec_split();
	test_text();
	test_out();
	test_in();
	test_layout();
	return CHECK_REPORT();
}
