/* nk-validate - check a stream against the nktrade TSV contract, pass it on
 * Put it between two stages (or after your own tool) to catch a broken
 * stream at the line where it breaks. */
#include "lib/contract.h"
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
	"  -c, --contract       also require the core columns and check the values\n"
	"                       of the contract's columns (year, period, flow,\n"
	"                       hs_rev, ISO3 codes, numbers; nk_flow, counterpart\n"
	"                       and value_reported where present)\n"
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

int main(int argc, char **argv)
{
	nk_init(argv);
	opts o = {0};
	parse_opts(&o, argc, argv);

	nk_tsv *t = nk_tsv_open(argv + optind, argc - optind);
	int ix[NK_C_N];
	if (o.contract)
		nk_cols_bind(t, NK_COLS_CORE, ix);
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
			nk_row_check(t, ix);
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
