/* gen-tsv - write a synthetic, deterministic contract TSV for benchmarks.
 *
 *   build/bench/gen-tsv ROWS [HSLIST] > big.tsv
 *
 * ROWS rows shaped like the DPRK slice that nk-fetch-parse emits: partners'
 * reports of trade with PRK (and some KOR rows, as --with-partner KOR gives),
 * years 1995-2023, HS6 codes drawn from HSLIST (one code per line, e.g. the
 * 6-digit codes of data/ or the reference nomenclature; a built-in list of
 * real codes otherwise), about 1 in 20 codes with its leading zero lost as
 * spreadsheets do. Values are random but the same for the same ROWS: this is
 * benchmark input, not data. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t rng = 0x9e3779b97f4a7c15ULL;
static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static const struct { const char *iso; int m49; } rep[] = {
	{"CHN", 156}, {"RUS", 643}, {"IND", 699}, {"THA", 764}, {"DEU", 276},
	{"BRA", 76},  {"SGP", 702}, {"NLD", 528}, {"PAK", 586}, {"MEX", 484},
	{"FRA", 251}, {"USA", 842}, {"JPN", 392}, {"PHL", 608}, {"VNM", 704},
	{"IDN", 360}, {"MYS", 458}, {"ZAF", 710}, {"TUR", 792}, {"ITA", 381},
	{"ESP", 724}, {"POL", 616}, {"BGD", 50},  {"LKA", 144}, {"NGA", 566},
	{"EGY", 818}, {"CHE", 757}, {"NOR", 579}, {"HKG", 344}, {"SAU", 682},
};
static const char *builtin[] = {
	"270900", "270112", "271012", "260111", "030749", "620342", "610910",
	"842911", "870323", "851712", "890190", "720839", "100630", "110100",
	"030111", "010121", "090111", "300490", "392690", "854231",
};

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: gen-tsv ROWS [HSLIST]\n");
		return 2;
	}
	long rows = atol(argv[1]);
	char **hs = (char **)builtin;
	size_t nhs = sizeof builtin / sizeof *builtin;
	if (argc > 2) {
		FILE *f = fopen(argv[2], "r");
		if (!f) {
			perror(argv[2]);
			return 1;
		}
		size_t cap = 1024;
		hs = malloc(cap * sizeof *hs);
		nhs = 0;
		char line[64];
		while (fgets(line, sizeof line, f)) {
			line[strcspn(line, "\r\n")] = 0;
			if (strlen(line) != 6)
				continue;
			if (nhs == cap)
				hs = realloc(hs, (cap *= 2) * sizeof *hs);
			hs[nhs++] = strdup(line);
		}
		fclose(f);
		if (!nhs) {
			fprintf(stderr, "gen-tsv: no 6-digit codes in %s\n", argv[2]);
			return 1;
		}
	}
	static char buf[1 << 16];
	setvbuf(stdout, buf, _IOFBF, sizeof buf);
	fputs("source\tyear\tperiod\treporter\treporter_m49\tpartner\tpartner_m49\t"
	      "flow\ths_rev\ths\tvalue_usd\tcif_usd\tfob_usd\tnetwgt_kg\tqty\tqty_unit\n",
	      stdout);
	static const char *revs[] = {"H0", "H1", "H2", "H3", "H4", "H5", "H6"};
	static const int revyear[] = {1995, 1996, 2002, 2007, 2012, 2017, 2022};
	for (long i = 0; i < rows; i++) {
		uint64_t r = next();
		int y = 1995 + (int)(r % 29);
		int rv = 0;
		for (int k = 0; k < 7; k++)
			if (y >= revyear[k])
				rv = k;
		int ri = (int)((r >> 8) % (sizeof rep / sizeof *rep));
		int kor = (r >> 16) % 10 == 0;
		int imp = (r >> 20) & 1;
		const char *code = hs[(r >> 24) % nhs];
		if ((r >> 40) % 20 == 0 && code[0] == '0')
			code++; /* leading zero lost */
		uint64_t v = next();
		long dollars = (long)(v % 50000000);
		int cents = (int)((v >> 32) % 1000);
		long kg = (long)((v >> 12) % 9000000);
		printf("comtrade\t%d\t%d\t%s\t%d\t%s\t%d\t%s\t%s\t%s\t%ld.%03d\t\t\t%ld\t%ld\t8\n",
		       y, y, rep[ri].iso, rep[ri].m49, kor ? "KOR" : "PRK",
		       kor ? 410 : 408, imp ? "M" : "X", revs[rv], code, dollars,
		       cents, kg, kg);
	}
	if (fflush(stdout) == EOF || ferror(stdout)) {
		perror("gen-tsv: write");
		return 1;
	}
	return 0;
}
