/* fetch-get - test driver for tools/lib/fetch.c: run one nk_fetch() query and
 * print the cache path it returns (or, with --print, the cached body).
 * Used by tests/nk-fetch-parse-fetch.bats; nk-fetch-parse --fetch is the tool
 * analysts use. */
#include "fetch.h"
#include "nk.h"

#include <getopt.h>
#include <stdlib.h>

static const char help[] = "Usage: fetch-get [--reporter=M49] [--partner=M49] "
			   "[--print] [FETCH OPTION]...\n\n" NK_FETCH_HELP;

int main(int argc, char **argv)
{
	nk_init(argv);
	enum { O_REPORTER = NK_OPT_TOOL, O_PARTNER, O_PRINT, O_URLONLY };
	static const struct option lo[] = {
		NK_COMMON_LONGOPTS,
		NK_FETCH_LONGOPTS,
		{"reporter", 1, 0, O_REPORTER},
		{"partner", 1, 0, O_PARTNER},
		{"print", 0, 0, O_PRINT},
		{"url-only", 0, 0, O_URLONLY},
		{0, 0, 0, 0},
	};
	nk_common co = {0};
	nk_fetch_opts fo;
	nk_fetch_init(&fo);
	int print = 0, urlonly = 0, c;
	while ((c = getopt_long(argc, argv, NK_COMMON_SHORTOPTS, lo, 0)) != -1) {
		if (nk_common_opt(&co, c, optarg, help) || nk_fetch_opt(&fo, c, optarg))
			continue;
		switch (c) {
		case O_REPORTER: fo.reporter = optarg; break;
		case O_PARTNER: fo.partner = optarg; break;
		case O_PRINT: print = 1; break;
		case O_URLONLY: urlonly = 1; break;
		default: nk_usage_error("unknown option");
		}
	}
	fo.quiet = co.quiet;
	if (urlonly) {
		char *u = nk_fetch_url(&fo), *p = nk_fetch_cache_path(&fo);
		printf("%s\n%s\n", u, p);
		free(u);
		free(p);
		return 0;
	}
	char *path = nk_fetch(&fo);
	nk_out *out = nk_out_open(co.output);
	if (print) {
		nk_in *in = nk_in_open(path);
		char b[65536];
		size_t n;
		while ((n = nk_in_read(in, b, sizeof b)))
			nk_out_write(out, b, n);
		nk_in_close(in);
	} else {
		nk_out_cstr(out, path);
		nk_out_byte(out, '\n');
	}
	nk_out_close(out);
	free(path);
	return 0;
}
