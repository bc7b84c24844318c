/* fetch-parse.h - the body of the nk-fetch-parse harnesses (fz-comtrade,
 * fz-baci, fz-dots, fz-totals): the tool's source included with its main
 * renamed, its tables (areas, IMF codes, Comtrade's names) loaded once, and
 * each input read by the tool's own parse_file as nk-fetch-parse reads a
 * FILE: the format detected from the header, the columns mapped, every row
 * split (fast scanner, libcsv), selected, guarded, converted and written to
 * /dev/null. The harnesses differ in their saved corpus (seeded from real
 * files of one format each: tests/fuzz/seed.sh), which is where libFuzzer
 * starts and what make check replays.
 *
 * The first byte of an input picks the options (the rest is the file):
 *	0x01 --keep-going           0x02 --rejects (to /dev/null)
 *	0x04 --all                  0x08 --keep-world --any-partner2
 *	0x10 --any-mot --any-customs --dots-estimates
 *	0x60 encoding: auto, utf-8, latin1, auto with --with-partner KOR
 *	0x80 --flow M --hs-rev H5   (else --flow X, BACI's revision unknown)
 * An input of odd length is read twice, as two FILE arguments (the state
 * the tool keeps from file to file: DOTS's year columns and held row, the
 * header written once). */
#include "fuzz.h"

#define main fetch_parse_main
#include "../../tools/nk-fetch-parse.c"
#undef main

static void init(void)
{
	out_names();
	load_countries(NULL);
	load_imf();
	load_names();
}
NK_FUZZ_INIT(init)

static void one(const uint8_t *d, size_t n)
{
	if (n == 0)
		return;
	unsigned b = d[0];
	opts o = {0};
	o.keep_going = b & 1;
	o.all = !!(b & 4);
	o.keep_world = o.any_p2 = !!(b & 8);
	o.any_mot = o.any_cust = o.dots_est = !!(b & 16);
	o.enc = (b >> 5 & 3) == 3 ? 0 : (int)(b >> 5 & 3);
	o.flow = b & 0x80 ? "M" : "X";
	o.hs_rev = b & 0x80 ? "H5" : NULL;
	memset(&st, 0, sizeof st);
	state *s = nk_xmalloc(sizeof *s); /* 7 KB: off the stack */
	memset(s, 0, sizeof *s);
	s->o = &o;
	s->psel[408] = s->rsel[408] = 1;
	if ((b >> 5 & 3) == 3)
		parse_codes("--with-partner", "KOR", s->wsel), s->have_w = 1;
	s->maxyear = 2027; /* a fixed "next year": the same input, the same run */
	s->out = nk_out_open("/dev/null");
	s->rej = b & 2 ? nk_rej_open("/dev/null", outcols, NOUT) : NULL;
	rdr r = {0};
	const char *path = nk_fuzz_path(d + 1, n - 1);
	for (size_t i = 0; i < 1 + (n & 1); i++)
		parse_file(s, &r, path);
	out_header(s);
	nk_out_close_all((nk_out *[]){s->out, s->rej}, 2);
	free(r.f);
	free(r.uoff);
	free(r.rec);
	free(r.ub);
	free(s->tx);
	free(s->dots.y);
	free(s->dots.buf);
	free(s->dots.f);
	free(s);
}
NK_FUZZ_TARGET(one)
