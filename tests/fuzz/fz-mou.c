/* fz-mou - nk-merge-interkorean's MOU table (data/interkorean/mou.tsv; a
 * reader inside the tool: its source is included with main renamed): each
 * input is loaded as --table, and what the loader promises is checked (years
 * in order, each once; a year's rows add up to its total exactly, no part
 * negative), then the tool runs on a small fixed stream (two CHN rows, three
 * KOR rows) with the table: its rows, the MOU rows appended, the summary.
 *
 * The first byte of an input picks the options (the rest is the table):
 *	0x03 --kaesong include, exclude, only, include
 *	0x04 --noncommercial exclude
 *	0x18 --replace-kor, --keep-kor, neither (an error at the first KOR
 *	     row), --replace-kor
 *	0xe0 --years: none, else a 7-year range from 1986 + 4 x (1..7) */
#include "fuzz.h"

#define main merge_interkorean_main
#include "../../tools/nk-merge-interkorean.c"
#undef main

#include <sys/mman.h>
#include <unistd.h>

static char stream[64]; /* the fixed stream, a memory file */

static void init(void)
{
	static const char rows[] =
		"source\tyear\tperiod\treporter\treporter_m49\tpartner\tpartner_m49\tflow\t"
		"hs_rev\ths\tvalue_usd\tcif_usd\tfob_usd\tnetwgt_kg\tqty\tqty_unit\tnk_flow\t"
		"counterpart\tvalue_reported\trules\n"
		"comtrade\t2022\t2022\tCHN\t156\tPRK\t408\tM\tH6\tTOTAL\t133677748\t133677748\t"
		"\t\t\t\tX\tCHN\t133677748\t\n"
		"comtrade\t2005\t2005\tCHN\t156\tPRK\t408\tX\tH2\tTOTAL\t894039906\t\t894039906"
		"\t\t\t\tM\tCHN\t894039906\t\n"
		"comtrade-legacy\t1995\t1995\tKOR\t410\tPRK\t408\tX\tH0\t27\t4582820\t\t\t\t\t"
		"\tM\tKOR\t4582820\t\n"
		"comtrade-legacy\t2007\t2007\tKOR\t410\tPRK\t408\tM\tH1\t44\t39123\t\t\t\t\t"
		"\tX\tKOR\t39123\t\n"
		"comtrade-legacy\t2016\t2016\tKOR\t410\tPRK\t408\tM\tH4\t44\t4343\t\t\t\t\t"
		"\tX\tKOR\t4343\t\n";
	int fd = memfd_create("nk-fuzz-stream", 0);
	if (fd < 0 || write(fd, rows, sizeof rows - 1) != (ssize_t)(sizeof rows - 1))
		abort();
	snprintf(stream, sizeof stream, "/proc/self/fd/%d", fd);
}
NK_FUZZ_INIT(init)

/* What load_table promises its callers (split_year's exact parts). */
static void check_table(const table *tb)
{
	for (size_t i = 0; i < tb->n; i++) {
		const yrow *y = &tb->r[i];
		if (i && y->year <= tb->r[i - 1].year)
			abort(); /* not in order, or a year twice */
		if (!has(y, V_TOTAL)) {
			if (y->known)
				abort(); /* a figure without a total */
			continue;
		}
		part p[3];
		int np = split_year(y, p);
		nk_dec sum = 0;
		for (int k = 0; k < np; k++) {
			if (p[k].v < 0)
				abort();
			sum += p[k].v;
		}
		if (sum != y->v[V_TOTAL])
			abort();
	}
}

static void one(const uint8_t *d, size_t n)
{
	if (n == 0)
		return;
	unsigned b = d[0];
	opts o = {0};
	o.kaesong = (b & 3) == 3 ? K_INCLUDE : (int)(b & 3);
	o.noncommercial = b & 4 ? K_EXCLUDE : K_INCLUDE;
	o.replace_kor = (b >> 3 & 3) == 0 || (b >> 3 & 3) == 3;
	o.keep_kor = (b >> 3 & 3) == 1;
	if (b >> 5) {
		o.ylo = 1986 + 4 * (int)(b >> 5);
		o.yhi = o.ylo + 6;
	}
	o.co.quiet = 1;
	table tb = {0};
	load_table(&tb, nk_fuzz_path(d + 1, n - 1));
	check_table(&tb);

	run R = {.o = &o, .tb = &tb};
	char *paths[1] = {stream};
	R.t = nk_tsv_open(paths, 1);
	nk_cols_bind(R.t, NEEDED, R.ix);
	R.iseg = nk_tsv_col(R.t, "segment");
	static const char *const added[] = {"segment"};
	R.out = nk_out_open("/dev/null");
	R.lay = nk_layout_new(R.t, added, 1);
	nk_layout_header(R.out, R.t, R.lay);
	R.rej = nk_rej_open("/dev/null", R.t->col, R.t->ncol);
	copy_rows(&R);
	add_rows(&R);
	nk_out_close_all((nk_out *[]){R.out, R.rej}, 2);
	summary(&R, "fuzz");
	nk_layout_free(R.lay);
	nk_tsv_close(R.t);
	free(tb.r);
}
NK_FUZZ_TARGET(one)
