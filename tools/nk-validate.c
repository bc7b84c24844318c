/* nk-validate - check a stream against the nktrade TSV contract, pass it on
 * Put it between two stages (or after your own tool) to catch a broken
 * stream at the line where it breaks. */
#include "lib/nk.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static const char help[] =
	"Usage: nk-validate [OPTION]... [FILE]...\n"
	"Check that the TSV stream in FILEs (or standard input) keeps the nktrade\n"
	"stream contract, and copy it to standard output unchanged.\n"
	"\n"
	"Always checked: a header line; unique, non-empty column names; every row\n"
	"with as many fields as the header; LF line ends; no NUL bytes; valid UTF-8;\n"
	"several FILEs carry the same header.\n"
	"\n"
	"  -c, --contract       also require the core columns and check their\n"
	"                       values (year, flow, hs_rev, ISO3 codes, decimals)\n"
	"  -r, --require=COLS   also require these columns (comma-separated)\n"
	"  -n, --no-output      check only, write nothing to standard output\n"
	"      --rejects=FILE   accepted for uniform pipelines: a header only (a bad\n"
	"                       row is an error, never dropped)\n"
	"  -o, --output=FILE    write to FILE (atomically) instead of stdout\n"
	"  -q, --quiet          no progress and no summary on stderr\n"
	"  -h, --help           show this help and exit\n"
	"      --version        show the version and exit\n"
	"\n"
	"With no FILE, or when FILE is -, read standard input. Gzip input is\n"
	"decompressed. Exit status: 0 the stream is valid, 1 it is not (the message\n"
	"names FILE:LINE and the field), 2 usage error.\n";

/* The core columns of the contract (README, "The stream contract"). */
static const char *const core[] = {
	"source",    "year",	    "period",	 "reporter", "reporter_m49",
	"partner",   "partner_m49", "flow",	 "hs_rev",   "hs",
	"value_usd", "cif_usd",	    "fob_usd",	 "netwgt_kg", "qty",
	"qty_unit",
};
enum { C_SOURCE, C_YEAR, C_PERIOD, C_REP, C_REPM49, C_PAR, C_PARM49, C_FLOW,
       C_HSREV, C_HS, C_VALUE, C_CIF, C_FOB, C_NETWGT, C_QTY, C_QTYUNIT,
       C_NCORE };

typedef struct {
	nk_common co;
	int contract;
	int no_output;
	char *require; /* borrowed from argv */
} opts;

static void parse_opts(opts *o, int argc, char **argv)
{
	static const struct option lo[] = {
		NK_COMMON_LONGOPTS,
		{"contract", 0, 0, 'c'},
		{"require", 1, 0, 'r'},
		{"no-output", 0, 0, 'n'},
		{0, 0, 0, 0},
	};
	int c;
	while ((c = getopt_long(argc, argv, NK_COMMON_SHORTOPTS "cr:n", lo, 0)) != -1) {
		if (nk_common_opt(&o->co, c, optarg, help))
			continue;
		switch (c) {
		case 'c': o->contract = 1; break;
		case 'r': o->require = optarg; break;
		case 'n': o->no_output = 1; break;
		default: nk_usage_error("unknown option");
		}
	}
	if (o->no_output && o->co.output)
		nk_usage_error("--no-output and --output exclude each other");
}

static int is_iso3(nk_str s)
{
	if (s.n == 0)
		return 1; /* unknown */
	if (s.n != 3)
		return 0;
	for (int i = 0; i < 3; i++)
		if (s.p[i] < 'A' || s.p[i] > 'Z')
			return 0;
	return 1;
}

static int one_of(nk_str s, const char *const *set)
{
	for (; *set; set++)
		if (strlen(*set) == s.n && !memcmp(*set, s.p, s.n))
			return 1;
	return 0;
}

static void check_core(const nk_tsv *t, const size_t *ix)
{
	static const char *const flows[] = {"M", "X", "RM", "RX", 0};
	static const char *const revs[] = {"H0", "H1", "H2", "H3", "H4", "H5", "H6", "", 0};
	const nk_str *f = t->f;
	int64_t y;
	if (nk_int_parse(f[ix[C_YEAR]].p, f[ix[C_YEAR]].n, &y) || y < 1900 || y > 2100)
		nk_tsv_die(t, ix[C_YEAR], "not a year");
	if (!one_of(f[ix[C_FLOW]], flows))
		nk_tsv_die(t, ix[C_FLOW], "not a flow (M, X, RM or RX)");
	if (!one_of(f[ix[C_HSREV]], revs))
		nk_tsv_die(t, ix[C_HSREV], "not an HS revision (H0..H6)");
	if (!is_iso3(f[ix[C_REP]]))
		nk_tsv_die(t, ix[C_REP], "not an ISO3 code");
	if (!is_iso3(f[ix[C_PAR]]))
		nk_tsv_die(t, ix[C_PAR], "not an ISO3 code");
	static const int money[] = {C_VALUE, C_CIF, C_FOB, C_NETWGT, C_QTY};
	for (size_t k = 0; k < sizeof money / sizeof *money; k++) {
		nk_str s = f[ix[money[k]]];
		nk_dec v;
		int rc = nk_dec_parse(s.p, s.n, &v);
		if (rc != NK_DEC_OK && rc != NK_DEC_EMPTY)
			nk_tsv_die(t, ix[money[k]], nk_dec_strerror(rc));
	}
	if (f[ix[C_HS]].n == 0)
		nk_tsv_die(t, ix[C_HS], "empty commodity code");
}

int main(int argc, char **argv)
{
	nk_init(argv);
	opts o = {0};
	parse_opts(&o, argc, argv);

	nk_tsv *t = nk_tsv_open(argv + optind, argc - optind);
	size_t ix[C_NCORE];
	if (o.contract)
		for (int i = 0; i < C_NCORE; i++)
			ix[i] = nk_tsv_need(t, core[i]);
	if (o.require)
		for (char *s = strtok(o.require, ","); s; s = strtok(NULL, ","))
			nk_tsv_need(t, s);

	nk_out *out = o.no_output ? NULL : nk_out_open(o.co.output);
	if (out) {
		nk_out_write(out, t->hdr, t->hdrlen);
		nk_out_byte(out, '\n');
	}
	nk_out *rej = nk_rej_open(o.co.rejects, t->col, t->ncol);
	nk_progress_start(o.co.quiet);
	while (nk_tsv_next(t)) {
		if (o.contract)
			check_core(t, ix);
		if (out) {
			nk_out_write(out, t->row.p, t->row.n);
			nk_out_byte(out, '\n');
		}
		nk_progress(t->rows, nk_tsv_bytes(t));
	}
	nk_progress_end();
	uint64_t rows = t->rows;
	size_t ncol = t->ncol;
	nk_tsv_close(t);
	nk_out_close_all((nk_out *[]){out, rej}, 2);
	if (!o.co.quiet && o.no_output)
		nk_warn("valid: %llu rows, %zu columns", (unsigned long long)rows, ncol);
	return 0;
}
