/* nk-fetch-parse - read Comtrade, BACI and IMF DOTS downloads, emit the DPRK slice as contract TSV
 * The first stage. Detects the format of each input from its header (Comtrade
 * Plus CSV (also pandas-saved), bulk TSV (gzip), API JSON; legacy Comtrade
 * 35/22-column CSV; name-only totals tables; CEPII BACI; IMF DOTS bulk CSV),
 * keeps the rows whose reporter or partner is selected (default the DPRK),
 * applies the double-counting guards, maps area codes to ISO3 with
 * data/countries/m49-iso3.tsv (IMF codes: imf-iso3.tsv) and writes the
 * contract core columns.
 *
 * Shape: options, load the area table, open the output, then per file:
 * detect, map columns by name, stream rows (a fast scanner for the common
 * CSV row, libcsv for every other row), select, guard, convert, write. */
#include "lib/contract.h"
#include "lib/nk.h"
#include "lib/fetch.h"
#include "lib/json.h"

#include <csv.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

static const char help[] =
	"Usage: nk-fetch-parse [OPTION]... [FILE]...\n"
	"Read UN Comtrade, CEPII BACI or IMF DOTS files (or standard input) and write\n"
	"the rows whose reporter or partner is the DPRK (M49 408, PRK) as contract TSV.\n"
	"\n"
	"Formats, detected per file from the header (names matched case-insensitively):\n"
	"Comtrade Plus CSV (TradeData_*.csv, also as saved by pandas with a leading\n"
	"index column), Comtrade Plus bulk TSV (gzip or not), Comtrade Plus API JSON\n"
	"({\"count\":..,\"data\":[..]}), legacy Comtrade CSV (35 or 22 columns,\n"
	"numeric or letter flows), CEPII BACI CSV (t,i,j,k,v,q), name-only totals\n"
	"tables (date,value,reporter,partner: Comtrade's country names, --flow\n"
	"needed), IMF Direction of Trade Statistics bulk CSV (a column per year).\n"
	"Gzip input is decompressed; a BOM is dropped; CRLF is accepted.\n"
	"API JSON is read as it streams, one record at a time (flat memory): an\n"
	"answer found bad only at its end (cut off, \"count\" not the number of\n"
	"records, an \"error\") is an error (exit 1) after the records before it\n"
	"were processed: with -o no file is left, but on standard output some of\n"
	"their rows may have gone out; check the exit status (set -o pipefail).\n"
	"\n"
	"Selection (codes are ISO3 or numeric Comtrade/M49 codes, comma-separated):\n"
	"  -p, --partner=CODES     rows whose partner is one of CODES\n"
	"  -r, --reporter=CODES    rows whose reporter is one of CODES (with -p: both)\n"
	"  -a, --all               every row\n"
	"  -w, --with-partner=CODES  also rows whose partner is one of CODES (KOR)\n"
	"  (default: reporter or partner is 408 PRK)\n"
	"\n"
	"Double-counting guards (each removed row is counted and sent to --rejects):\n"
	"      --keep-world        keep rows whose partner is World (code 0)\n"
	"      --any-partner2      keep rows whose partner2Code is not 0 (World)\n"
	"      --any-mot           keep rows whose motCode is not 0 (all modes)\n"
	"      --any-customs       keep rows whose customsCode is not C00 (all)\n"
	"  Sub-flows (DX, FM, MIP, XOP, ...) and non-HS classifications (SITC, BEC)\n"
	"  are always removed: the tool writes M, X, RM, RX of HS data only.\n"
	"  IMF DOTS: trade balance rows and aggregates (Advanced Economies, Euro\n"
	"  Area, regions, ...) are always removed; World with --keep-world kept.\n"
	"      --dots-estimates    keep the DPRK's own DOTS rows (the IMF's estimates\n"
	"                          from its partners' rows, flag e: by default\n"
	"                          removed, they would count that trade twice)\n"
	"\n"
	NK_FETCH_HELP
	"  With --fetch, the query's partnerCode is --partner plus --with-partner\n"
	"  (default 408), its reporterCode --reporter (codes as numbers; ISO3 codes\n"
	"  become every number they map to); --any-partner2, --any-mot and\n"
	"  --any-customs drop those filters from the query. The answer is cached and\n"
	"  then read like a FILE (the selection and guards apply to it).\n"
	"\n"
	"Input:\n"
	"  -e, --encoding=ENC      auto (default: UTF-8 unless the first non-ASCII\n"
	"                          text is not UTF-8, then Latin-1), utf-8, latin1\n"
	"      --hs-rev=REV        HS revision (H0..H6) of BACI input whose file name\n"
	"                          does not say (BACI_HS92_... is H0, HS17 is H5)\n"
	"      --countries=FILE    area code table (default data/countries/m49-iso3.tsv)\n"
	"      --flow=X|M          (also) the flow of name-only totals tables, which\n"
	"                          do not say it: X the reporters' exports, M imports\n"
	"  -k, --keep-going        count bad rows, send them to --rejects, go on\n"
	"\n"
	"Output:\n"
	"  -o, --output=FILE       write to FILE (atomically) instead of stdout\n"
	"      --rejects=FILE      write removed and bad rows to FILE, with reasons\n"
	"  -q, --quiet             no progress and no summary on stderr\n"
	"  -h, --help              show this help and exit\n"
	"      --version           show the version and exit\n"
	"\n"
	"Output columns: the contract core columns, then reporter_desc, partner_desc,\n"
	"cmd_desc (as the source spells them) and flag (DOTS Status: e estimate).\n"
	"source is comtrade (Comtrade Plus), comtrade-legacy, baci, comtrade-totals\n"
	"or dots. DOTS codes are IMF codes (data/countries/imf-iso3.tsv); a selection\n"
	"picks them by ISO3. Exit status: 0 success, 1 bad input or I/O error, 2\n"
	"usage error.\n";

/* ------------------------------------------------------------ the record */

/* What every format is mapped to before selection and conversion. */
enum { R_YEAR, R_PERIOD, R_REP, R_PAR, R_P2, R_MOT, R_CUST, R_FLOW, R_FLOWTXT,
       R_CLS, R_HS, R_VALUE, R_CIF, R_FOB, R_NETWGT, R_QTY, R_QTYUNIT,
       R_QTYCODE, R_ALTQTYUNIT, R_REPDESC, R_PARDESC, R_CMDDESC, R_NETWGTEST,
       R_QTYEST, R_FLAG, R_IND, R_ATTR, R_N };

/* Names of the record's fields in messages where the format has no column
 * for them (a DOTS value's column is named by its year). */
static const char *const rname[R_N] = {
	[R_YEAR] = "year", [R_PERIOD] = "period", [R_FLOW] = "flow",
	[R_HS] = "commodity code", [R_VALUE] = "value", [R_FLAG] = "flag",
};

typedef enum { F_PLUS, F_LEGACY, F_BACI, F_TOTALS, F_DOTS, F_NFMT } fmt_t;

/* Source column names per format, R_* order; NULL = the format has none.
 * A leading '!' marks a required column. */
static const char *const colnames[F_NFMT][R_N] = {
	[F_PLUS] = {"!refYear", "!period", "!reporterCode", "!partnerCode",
		    "partner2Code", "motCode", "customsCode", "!flowCode", NULL,
		    "!classificationCode", "!cmdCode", "!primaryValue",
		    "cifvalue", "fobvalue", "netWgt", "qty", "qtyUnitAbbr",
		    "qtyUnitCode", NULL, "reporterDesc", "partnerDesc", "cmdDesc",
		    "isNetWgtEstimated", "isQtyEstimated"},
	[F_LEGACY] = {"!Year", "!Period", "!Reporter Code", "!Partner Code",
		      "2nd Partner Code", "Mode of Transport Code",
		      "Customs Proc. Code", "!Trade Flow Code", "Trade Flow",
		      "!Classification", "!Commodity Code", "!Trade Value (US$)",
		      "CIF Trade Value (US$)", "FOB Trade Value (US$)",
		      "Netweight (kg)", "Qty", "Qty Unit", "Qty Unit Code",
		      "Alt Qty Unit", "Reporter", "Partner", "Commodity"},
	[F_BACI] = {[R_YEAR] = "!t", [R_REP] = "!i", [R_PAR] = "!j", [R_HS] = "!k",
		    [R_VALUE] = "!v", [R_NETWGT] = "q"},
	/* name-only totals tables: names, no codes, no flow (--flow) */
	[F_TOTALS] = {[R_YEAR] = "!date", [R_VALUE] = "!value",
		      [R_REP] = "!reporter", [R_PAR] = "!partner"},
	/* IMF DOTS bulk CSV: the years are columns (dots_years) */
	[F_DOTS] = {[R_REP] = "!Country Code", [R_PAR] = "!Counterpart Country Code",
		    [R_IND] = "!Indicator Code", [R_ATTR] = "!Attribute",
		    [R_REPDESC] = "Country Name",
		    [R_PARDESC] = "Counterpart Country Name",
		    [R_CMDDESC] = "Indicator Name"},
};
static const char *const fmtname[F_NFMT] = {
	"a Comtrade Plus", "a legacy Comtrade", "a BACI", "a name-only totals",
	"an IMF DOTS"};
static const char *const srcname[F_NFMT] = {"comtrade", "comtrade-legacy", "baci",
					    "comtrade-totals", "dots"};

/* Output columns: the contract core (contract.h's names, in its order), then
 * our extras (README). Filled by out_names(). */
static const char *const extras[] = {"reporter_desc", "partner_desc", "cmd_desc", "flag"};
#define NOUT (NK_C_NCORE + sizeof extras / sizeof *extras)
static char *outcols[NOUT];
static void out_names(void)
{
	for (size_t i = 0; i < NOUT; i++)
		outcols[i] = (char *)(i < NK_C_NCORE ? nk_col_name[i] : extras[i - NK_C_NCORE]);
}

/* ------------------------------------------------------------- options */

#define NCODES 1000 /* Comtrade and BACI area codes are 0..999 */

typedef struct {
	nk_common co;
	const char *partner, *reporter, *with_partner; /* borrowed from argv */
	int all, keep_world, any_p2, any_mot, any_cust, keep_going;
	int dots_est;	  /* --dots-estimates */
	const char *flow; /* the flow of name-only totals tables (--flow) */
	int enc; /* 0 auto, 1 utf-8, 2 latin1 */
	const char *hs_rev;
	const char *countries;
	nk_fetch_opts fetch; /* --fetch and the query (lib/fetch.h) */
} opts;

enum { O_KEEP_WORLD = NK_OPT_TOOL, O_ANY_P2, O_ANY_MOT, O_ANY_CUST, O_HSREV,
       O_COUNTRIES, O_DOTS_EST };

static void parse_opts(opts *o, int argc, char **argv)
{
	static const struct option lo[] = {
		NK_COMMON_LONGOPTS,
		{"partner", 1, 0, 'p'},
		{"reporter", 1, 0, 'r'},
		{"all", 0, 0, 'a'},
		{"with-partner", 1, 0, 'w'},
		{"keep-world", 0, 0, O_KEEP_WORLD},
		{"any-partner2", 0, 0, O_ANY_P2},
		{"any-mot", 0, 0, O_ANY_MOT},
		{"any-customs", 0, 0, O_ANY_CUST},
		{"encoding", 1, 0, 'e'},
		{"hs-rev", 1, 0, O_HSREV},
		{"countries", 1, 0, O_COUNTRIES},
		{"keep-going", 0, 0, 'k'},
		{"dots-estimates", 0, 0, O_DOTS_EST},
		NK_FETCH_LONGOPTS,
		{0, 0, 0, 0},
	};
	int c;
	while ((c = getopt_long(argc, argv, NK_COMMON_SHORTOPTS "p:r:aw:e:k", lo, 0)) != -1) {
		if (nk_common_opt(&o->co, c, optarg, help) ||
		    nk_fetch_opt(&o->fetch, c, optarg))
			continue;
		switch (c) {
		case 'p': o->partner = optarg; break;
		case 'r': o->reporter = optarg; break;
		case 'a': o->all = 1; break;
		case 'w': o->with_partner = optarg; break;
		case O_KEEP_WORLD: o->keep_world = 1; break;
		case O_ANY_P2: o->any_p2 = 1; break;
		case O_ANY_MOT: o->any_mot = 1; break;
		case O_ANY_CUST: o->any_cust = 1; break;
		case 'e':
			if (!strcasecmp(optarg, "auto")) o->enc = 0;
			else if (!strcasecmp(optarg, "utf-8") || !strcasecmp(optarg, "utf8")) o->enc = 1;
			else if (!strcasecmp(optarg, "latin1") || !strcasecmp(optarg, "latin-1") ||
				 !strcasecmp(optarg, "iso-8859-1")) o->enc = 2;
			else nk_usage_error("unknown encoding '%s' (auto, utf-8, latin1)", optarg);
			break;
		case O_HSREV:
			if (strlen(optarg) != 2 || optarg[0] != 'H' || optarg[1] < '0' || optarg[1] > '6')
				nk_usage_error("--hs-rev: not an HS revision (H0..H6): '%s'", optarg);
			o->hs_rev = optarg;
			break;
		case O_COUNTRIES: o->countries = optarg; break;
		case 'k': o->keep_going = 1; break;
		case O_DOTS_EST: o->dots_est = 1; break;
		default: nk_usage_error("unknown option");
		}
	}
	if (o->all && (o->partner || o->reporter))
		nk_usage_error("--all excludes --partner and --reporter");
	nk_fetch_opts *f = &o->fetch;
	if (!f->fetch && (f->offline || f->refresh || f->url || f->cache_dir || f->period))
		nk_usage_error("--offline, --refresh, --url, --cache-dir and --period "
			       "go with --fetch");
	if (f->fetch && optind < argc)
		nk_usage_error("--fetch reads no FILE: '%s'", argv[optind]);
	f->quiet = o->co.quiet;
	/* --flow is the query's flowCode with --fetch, and the flow of
	 * name-only totals tables (checked when one is read) */
	o->flow = f->flow;
	if (o->any_p2)
		f->partner2 = NULL;
	if (o->any_mot)
		f->mot = NULL;
	if (o->any_cust)
		f->customs = NULL;
}

/* --fetch: the query's code lists from the selection sets (owned, or NULL). */
static char *code_list(const unsigned char *a, const unsigned char *b)
{
	char *l = NULL;
	size_t n = 0;
	for (int c = 0; c < NCODES; c++) {
		if (!a[c] && !(b && b[c]))
			continue;
		l = nk_xrealloc(l, n + 8);
		n += (size_t)snprintf(l + n, 8, "%s%d", n ? "," : "", c);
	}
	return l;
}

/* ------------------------------------------------------- the area table */

static char iso3[NCODES][4]; /* "" = no ISO3 */
static unsigned char known[NCODES];

static void load_countries(const char *path)
{
	char *p = path ? nk_xstrdup(path) : nk_datafile("data/countries/m49-iso3.tsv");
	char *paths[1] = {p};
	nk_tsv *t = nk_tsv_open(paths, 1);
	size_t cm = nk_tsv_need(t, "m49"), ci = nk_tsv_need(t, "iso3");
	while (nk_tsv_next(t)) {
		int64_t code;
		nk_str c = t->f[cm], i = t->f[ci];
		if (nk_int_parse(c.p, c.n, &code) || code < 0 || code >= NCODES)
			nk_tsv_die(t, cm, "not an area code 0..999");
		nk_row_iso3(t, ci);
		known[code] = 1;
		memcpy(iso3[code], i.p, i.n);
		iso3[code][i.n] = 0;
	}
	nk_tsv_close(t);
	free(p);
}

/* IMF DOTS: the IMF's country codes (data/countries/imf-iso3.tsv, made by
 * make-imf-iso3.py: sources there). `kind` says what a row of the code is. */
enum { K_UNKNOWN, K_COUNTRY, K_WORLD, K_AGGREGATE, K_NES };
static char imf_iso3[NCODES][4];
static unsigned char imf_kind[NCODES];
static int imf_loaded; /* the same table for every file and state: read once */

static void load_imf(void)
{
	static const char *const kinds[] = {"", "country", "world", "aggregate", "nes"};
	if (imf_loaded)
		return;
	imf_loaded = 1;
	char *p = nk_datafile("data/countries/imf-iso3.tsv");
	char *paths[1] = {p};
	nk_tsv *t = nk_tsv_open(paths, 1);
	size_t cc = nk_tsv_need(t, "imf"), ci = nk_tsv_need(t, "iso3"),
	       ck = nk_tsv_need(t, "kind");
	while (nk_tsv_next(t)) {
		int64_t code;
		nk_str c = t->f[cc], i = t->f[ci], k = t->f[ck];
		if (nk_int_parse(c.p, c.n, &code) || code < 0 || code >= NCODES)
			nk_tsv_die(t, cc, "not an IMF country code 0..999");
		nk_row_iso3(t, ci);
		int kind = 0;
		for (int j = 1; j < 5; j++)
			if (k.n == strlen(kinds[j]) && !memcmp(k.p, kinds[j], k.n))
				kind = j;
		if (!kind)
			nk_tsv_die(t, ck, "not a kind (country, world, aggregate, nes)");
		imf_kind[code] = (unsigned char)kind;
		memcpy(imf_iso3[code], i.p, i.n);
		imf_iso3[code][i.n] = 0;
	}
	nk_tsv_close(t);
	free(p);
}

/* Name-only totals tables: Comtrade's names of reporters and partners
 * (data/countries/comtrade-names.tsv, from Comtrade's own lists), sorted
 * for bsearch. */
typedef struct {
	int list; /* 0 reporter, 1 partner */
	char *name;
	int code;
} cname;
static cname *cnames;
static size_t ncnames;

static int cname_cmp(const void *a, const void *b)
{
	const cname *x = a, *y = b;
	return x->list != y->list ? x->list - y->list : strcmp(x->name, y->name);
}

static void load_names(void)
{
	char *p = nk_datafile("data/countries/comtrade-names.tsv");
	char *paths[1] = {p};
	nk_tsv *t = nk_tsv_open(paths, 1);
	size_t cl = nk_tsv_need(t, "list"), cn = nk_tsv_need(t, "name"),
	       cc = nk_tsv_need(t, "code");
	size_t cap = 0;
	while (nk_tsv_next(t)) {
		nk_str l = t->f[cl], n = t->f[cn], c = t->f[cc];
		int64_t code;
		if (nk_int_parse(c.p, c.n, &code) || code < 0 || code >= NCODES)
			nk_tsv_die(t, cc, "not an area code 0..999");
		int list = l.n == 8 && !memcmp(l.p, "reporter", 8) ? 0
			   : l.n == 7 && !memcmp(l.p, "partner", 7) ? 1 : -1;
		if (list < 0)
			nk_tsv_die(t, cl, "not a list (reporter, partner)");
		if (ncnames == cap) {
			cap = cap ? 2 * cap : 512;
			cnames = nk_xrealloc(cnames, cap * sizeof *cnames);
		}
		char *name = nk_xmalloc(n.n + 1);
		memcpy(name, n.p, n.n);
		name[n.n] = 0;
		cnames[ncnames++] = (cname){list, name, (int)code};
	}
	nk_tsv_close(t);
	free(p);
	qsort(cnames, ncnames, sizeof *cnames, cname_cmp);
}

/* The code of a reporter (list 0) or partner (1) name, or -1. */
static int name_code(int list, nk_str n, char *buf, size_t cap)
{
	if (n.n >= cap)
		return -1;
	memcpy(buf, n.p, n.n);
	buf[n.n] = 0;
	cname key = {list, buf, 0};
	const cname *c = bsearch(&key, cnames, ncnames, sizeof *cnames, cname_cmp);
	return c ? c->code : -1;
}

/* A code list "PRK,410" into a bitset. ISO3 codes select every numeric code
 * that maps to them (USA: 840, 841, 842). */
static void parse_codes(const char *opt, const char *list, unsigned char *set)
{
	char *dup = nk_xstrdup(list), *save = NULL;
	for (char *s = strtok_r(dup, ",", &save); s; s = strtok_r(NULL, ",", &save)) {
		int64_t v;
		if (!nk_int_parse(s, strlen(s), &v)) {
			if (v < 0 || v >= NCODES)
				nk_usage_error("%s: not an area code: '%s'", opt, s);
			set[v] = 1;
			continue;
		}
		int hit = 0;
		for (int c = 0; c < NCODES; c++)
			if (strlen(s) == 3 && !strcasecmp(iso3[c], s))
				set[c] = 1, hit = 1;
		if (!hit)
			nk_usage_error("%s: unknown area code '%s' (ISO3 or numeric)", opt, s);
	}
	free(dup);
}

/* Legacy Comtrade names the quantity unit ("Weight in kilograms"), Comtrade
 * Plus writes its abbreviation ("kg"); both number the units alike. The
 * legacy code gives the Plus form, so a unit reads the same from every
 * format. Codes and abbreviations: UN Comtrade Reference Tables, "Quantity
 * Unit" (the WCO recommended units; 1 is "No Quantity"). */
static const char *const qty_units[] = {
	[2] = "m\xc2\xb2", [3] = "1000 kWh", [4] = "m", [5] = "u", [6] = "2u",
	[7] = "l", [8] = "kg", [9] = "1000u", [10] = "u (jeu/pack)", [11] = "12u",
	[12] = "m\xc2\xb3", [13] = "carat",
};

/* The abbreviation for a legacy unit code, else `text` unchanged. */
static nk_str qty_abbr(nk_str code, nk_str text)
{
	int64_t c;
	if (nk_int_parse(code.p, code.n, &c) == 0 && c >= 0 &&
	    c < (int64_t)(sizeof qty_units / sizeof *qty_units) && qty_units[c])
		return (nk_str){qty_units[c], strlen(qty_units[c])};
	return text;
}

/* ------------------------------------------------------------- counters */

enum { G_P2, G_MOT, G_CUST, G_WORLD, G_SUBFLOW, G_CLS, G_BAL, G_IMPFOB, G_AGG, G_EST, G_N };
static const char *const gname[G_N] = {"partner2", "mot", "customs", "world",
				       "subflow", "classification", "balance",
				       "import-fob", "aggregate", "estimate"};
static const char *const greason[G_N] = {
	"partner2Code is not 0 (World): a second-partner breakdown repeats the partner total",
	"motCode is not 0: a mode-of-transport breakdown repeats the all-modes total",
	"customsCode is not C00: a customs-procedure breakdown repeats the total",
	"partner is World (0): the total over all partners",
	"sub-flow: part of M, X, RM or RX, counted there already",
	"classification is not HS (H0..H6)",
	"DOTS trade balance (TBG_USD): exports minus imports, not a flow",
	"DOTS imports FOB (TMG_FOB_USD): the same trade as the TMG_CIF_USD row "
	"(DOTS gives every reporter's imports CIF)",
	"DOTS aggregate (a group of countries): its trade is in its members' rows",
	"DOTS row with the DPRK as reporter: the IMF's estimate from the partners' "
	"rows (the DPRK does not report), it would count them twice "
	"(--dots-estimates keeps it)",
};

static struct {
	uint64_t read, outside, kept, guard[G_N], unknown, rounded, bad, nodata;
	uint64_t dots;	    /* DOTS values read (a row per year) */
	uint64_t subannual; /* DOTS quarterly and monthly columns skipped */
} st;

/* ------------------------------------------------------------- the state */

/* The DOTS bulk CSV has a row per country, indicator and counterpart, one
 * column per year; a row's Attribute is Value, and the Status row that may
 * follow it holds the flags of the same cells ("e" estimate). A Value row
 * is held until the next line says whether its Status row follows, then
 * written as one contract row per year with a value. */
typedef struct {
	size_t col;
	char name[8]; /* "2016" */
} ycol;

typedef struct {
	ycol *y; /* the year columns */
	size_t ny;
	/* the Value row waiting for its Status row, its fields copied */
	int have;
	long line;
	char *buf;
	size_t cap, len;
	nk_str *f;
	size_t nf, fcap;
} dots;

typedef struct {
	opts *o;
	nk_out *out, *rej;
	unsigned char rsel[NCODES], psel[NCODES], wsel[NCODES];
	/* the same selection over IMF codes, through their ISO3 (dots_select) */
	unsigned char d_rsel[NCODES], d_psel[NCODES], d_wsel[NCODES];
	int have_r, have_p, have_w;
	int maxyear;
	/* current file */
	const char *file;
	long line;
	fmt_t fmt;
	int enc; /* 0 undecided, 1 utf-8, 2 latin1 */
	char hs_rev_file[3]; /* BACI: from the file name */
	nk_str rec; /* the record's text (CSV, TSV), for the NUL check */
	const char *dots_col; /* DOTS: the year column of the value */
	char tcode[2][8];     /* totals: the codes of the names, as text */
	/* JSON: line is where the record begins; each value's own line */
	int json;
	const nk_json *jr;
	uint64_t recno;
	long vline[R_N];
	nk_str v[R_N]; /* the record */
	/* scratch for converted values and transcoded text */
	char *tx;
	size_t txcap;
	/* DOTS: the year columns and the held Value row (reused from file to
	 * file); the IMF codes selected (dots_select, once) */
	dots dots;
	int dots_sel;
	int header_done; /* the output's header is written (once) */
} state;

/* ------------------------------------------------------------ text output */

static int all_ascii(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)p[i] >= 0x80)
			return 0;
	return 1;
}

static void tx_need(state *s, size_t n)
{
	if (s->txcap < n) {
		s->txcap = n + 256;
		s->tx = nk_xrealloc(s->tx, s->txcap);
	}
}

/* Bad row: die, or with --keep-going count it and send it to --rejects. */
static int bad_row(state *s, int field, const char *what, const char *val, size_t n);

/* Text value in the file's encoding as a UTF-8 view (maybe in s->tx at
 * *off; s->tx must hold 2 * t->n bytes there). */
static int to_utf8(state *s, int field, nk_str *t, size_t *off)
{
	if (all_ascii(t->p, t->n))
		return 1;
	if (s->enc == 0)
		s->enc = nk_utf8_ok(t->p, t->n, NULL) ? 1 : 2;
	if (s->enc == 1) {
		if (!nk_utf8_ok(t->p, t->n, NULL))
			return bad_row(s, field, "invalid UTF-8 (try --encoding=latin1)", t->p, t->n);
		return 1;
	}
	char *d = s->tx + *off;
	size_t k = 0;
	for (size_t i = 0; i < t->n; i++) {
		unsigned char c = (unsigned char)t->p[i];
		if (c < 0x80) {
			d[k++] = (char)c;
		} else {
			d[k++] = (char)(0xc0 | (c >> 6));
			d[k++] = (char)(0x80 | (c & 0x3f));
		}
	}
	t->p = d;
	t->n = k;
	*off += k;
	return 1;
}

/* --------------------------------------------------------- row processing */

static const char *field_name(state *s, int r)
{
	const char *n = colnames[s->fmt][r];
	if (s->fmt == F_DOTS && r == R_VALUE)
		return s->dots_col;
	if (!n)
		return rname[r] ? rname[r] : "?";
	return n + (*n == '!');
}

/* ISO3 of an area code of the current format ("" if none or unknown). */
static const char *area_iso(const state *s, int64_t c)
{
	if (c < 0 || c >= NCODES)
		return "";
	return s->fmt == F_DOTS ? imf_iso3[c] : iso3[c];
}

static int area_known(const state *s, int64_t c)
{
	return c >= 0 && c < NCODES && (s->fmt == F_DOTS ? imf_kind[c] != K_UNKNOWN : known[c]);
}

/* A raw value into the rejects stream, a NUL byte (the reason of its
 * reject) written as U+FFFD: the rejects are contract TSV too. */
static void rej_text(nk_out *o, const char *p, size_t n)
{
	const char *z;
	while ((z = memchr(p, 0, n))) {
		nk_out_escaped(o, p, (size_t)(z - p));
		nk_out_cstr(o, "\xef\xbf\xbd");
		n -= (size_t)(z - p) + 1;
		p = z + 1;
	}
	nk_out_escaped(o, p, n);
}

static void rej_write(state *s, const char *reason, const char *rule, long line)
{
	if (!s->rej)
		return;
	/* the record as far as it goes, raw (escaped) */
	static const int map[NOUT] = {
		[NK_C_SOURCE] = -1, [NK_C_YEAR] = R_YEAR, [NK_C_PERIOD] = R_PERIOD,
		[NK_C_REPORTER] = -1, [NK_C_REPORTER_M49] = R_REP, [NK_C_PARTNER] = -1,
		[NK_C_PARTNER_M49] = R_PAR, [NK_C_FLOW] = R_FLOW, [NK_C_HS_REV] = R_CLS,
		[NK_C_HS] = R_HS, [NK_C_VALUE_USD] = R_VALUE, [NK_C_CIF_USD] = R_CIF,
		[NK_C_FOB_USD] = R_FOB, [NK_C_NETWGT_KG] = R_NETWGT, [NK_C_QTY] = R_QTY,
		[NK_C_QTY_UNIT] = R_QTYUNIT, [NK_C_NCORE] = R_REPDESC, R_PARDESC, R_CMDDESC,
		R_FLAG};
	for (size_t i = 0; i < NOUT; i++) {
		if (i == NK_C_SOURCE) {
			nk_out_cstr(s->rej, srcname[s->fmt]);
		} else if (map[i] >= 0) {
			nk_str v = s->v[map[i]];
			if (map[i] == R_FLOW && v.n == 0)
				v = s->v[R_FLOWTXT];
			rej_text(s->rej, v.p, v.n);
		} else {
			int64_t c;
			nk_str v = s->v[i == NK_C_REPORTER ? R_REP : R_PAR];
			if (!nk_int_parse(v.p, v.n, &c))
				nk_out_cstr(s->rej, area_iso(s, c));
		}
		nk_out_byte(s->rej, '\t');
	}
	nk_out_escaped(s->rej, reason, strlen(reason));
	nk_out_byte(s->rej, '\t');
	nk_out_cstr(s->rej, rule);
	nk_out_byte(s->rej, '\t');
	nk_out_escaped(s->rej, s->file, strlen(s->file));
	nk_out_byte(s->rej, '\t');
	nk_out_int(s->rej, line);
	nk_out_byte(s->rej, '\n');
}

static int bad_row(state *s, int field, const char *what, const char *val, size_t n)
{
	const char *fname = field >= 0 ? field_name(s, field) : NULL;
	long line = s->line;
	char wj[256];
	if (s->json) { /* the line of the value, and the record */
		if (field >= 0 && s->vline[field])
			line = s->vline[field];
		snprintf(wj, sizeof wj, "%s (record %llu)", what,
			 (unsigned long long)s->recno);
		what = wj;
	}
	if (!s->o->keep_going)
		nk_die_at(s->file, line, fname, what, val, n);
	st.bad++;
	if (s->rej) {
		char reason[320];
		if (fname)
			snprintf(reason, sizeof reason, "field '%s': %s", fname, what);
		else
			snprintf(reason, sizeof reason, "%s", what);
		rej_write(s, reason, "", line);
	}
	return 0;
}

static int code_of(state *s, int r, int64_t *c)
{
	nk_str v = s->v[r];
	if (nk_int_parse(v.p, v.n, c) || *c < 0)
		return bad_row(s, r, "not an area code", v.p, v.n);
	return 1;
}

static int eq(nk_str v, const char *lit)
{
	size_t n = strlen(lit);
	return v.n == n && !strncasecmp(v.p, lit, n);
}

/* Flow: 0 bad, 1 ok (*out set), 2 sub-flow. */
static int map_flow(nk_str code, nk_str text, const char **out)
{
	static const char *const fl[] = {"M", "X", "RX", "RM"};
	if (code.n == 1 && code.p[0] >= '1' && code.p[0] <= '4') {
		*out = fl[code.p[0] - '1'];
		return 1;
	}
	nk_str t = code;
	if (t.n == 0 || (t.n == 1 && t.p[0] == '0'))
		t = text; /* legacy: letter forms in 'Trade Flow' */
	if (eq(t, "M") || eq(t, "Import")) { *out = "M"; return 1; }
	if (eq(t, "X") || eq(t, "Export")) { *out = "X"; return 1; }
	if (eq(t, "RX") || eq(t, "Re-Export") || eq(t, "Re-exports")) { *out = "RX"; return 1; }
	if (eq(t, "RM") || eq(t, "Re-Import") || eq(t, "Re-imports")) { *out = "RM"; return 1; }
	if (t.n >= 2 && t.n <= 4) {
		for (size_t i = 0; i < t.n; i++)
			if (t.p[i] < 'A' || t.p[i] > 'Z')
				return 0;
		return 2; /* DX, FM, MIP, XOP, ... */
	}
	return 0;
}

/* A decimal value to output text in buf (>= 40 bytes); scale 1 or 1000.
 * Returns 1 ok, 0 bad row. Empty stays empty. */
static int num(state *s, int r, int neg_ok, int scale, char *buf, size_t *len)
{
	nk_str v = s->v[r];
	*len = 0;
	if (v.n == 0)
		return 1;
	nk_dec d;
	int rc = nk_dec_parse(v.p, v.n, &d);
	if (rc == NK_DEC_INEXACT)
		st.rounded++;
	else if (rc)
		return bad_row(s, r, nk_dec_strerror(rc), v.p, v.n);
	if (d < 0 && !neg_ok)
		return bad_row(s, r, "negative value", v.p, v.n);
	if (scale != 1 && nk_dec_mul(d, (nk_dec)scale * NK_DEC_ONE, &d))
		return bad_row(s, r, "value too large", v.p, v.n);
	*len = nk_dec_fmt(d, buf);
	return 1;
}

static void guard(state *s, int g)
{
	st.guard[g]++;
	rej_write(s, greason[g], gname[g], s->line);
}

/* Selection on the raw codes; 1 = in the slice. */
static int selected(state *s, int64_t rep, int64_t par)
{
	if (s->o->all)
		return 1;
	int d = s->fmt == F_DOTS;
	const unsigned char *rs = d ? s->d_rsel : s->rsel, *ps = d ? s->d_psel : s->psel,
			    *ws = d ? s->d_wsel : s->wsel;
	if (s->have_w && par < NCODES && ws[par])
		return 1;
	int r = rep < NCODES && rs[rep];
	int p = par < NCODES && ps[par];
	if (s->have_r && s->have_p)
		return r && p;
	if (s->have_r)
		return r;
	if (s->have_p)
		return p;
	return r || p; /* default: reporter or partner PRK */
}

/* Quick selection test on the code fields only (no conversion). 1 = maybe
 * in the slice (process fully), 0 = outside (count it). */
static int quick_select(state *s, nk_str rep, nk_str par)
{
	int64_t r, p;
	if (nk_int_parse(rep.p, rep.n, &r) || nk_int_parse(par.p, par.n, &p) || r < 0 || p < 0)
		return 1; /* let process() report it */
	return selected(s, r, p);
}

static void out_text(state *s, int r)
{
	nk_str t = s->v[r];
	nk_out_escaped(s->out, t.p, t.n);
}

/* reporter_m49/partner_m49: the reporting system's code; the IMF's as
 * given ("001"), the others as numbers. */
static void out_code(state *s, int r, int64_t c)
{
	if (s->fmt == F_DOTS)
		out_text(s, r);
	else
		nk_out_int(s->out, c);
}

/* The contract has no NUL (and the rejects stream copies the fields): a
 * NUL in the record of a selected row is a bad row, named by its field
 * where the tool reads that field. Returns 0 (the row is bad). */
static int no_nul(state *s)
{
	for (int k = 0; k < R_N; k++)
		if (memchr(s->v[k].p, 0, s->v[k].n))
			return bad_row(s, k, "NUL byte (the contract allows none)",
				       s->v[k].p, s->v[k].n);
	return bad_row(s, -1, "NUL byte in a column the tool does not read "
			      "(the contract allows none)", NULL, 0);
}

/* The record in s->v: select, guard, check, convert, write. */
static void process(state *s)
{
	nk_str *v = s->v;
	st.read++;
	int64_t rep, par;
	if (!code_of(s, R_REP, &rep) || !code_of(s, R_PAR, &par))
		return;
	if (!selected(s, rep, par)) {
		st.outside++;
		return;
	}
	if (s->rec.n && memchr(s->rec.p, 0, s->rec.n) && !no_nul(s))
		return;
	/* guards */
	int64_t x;
	if (!s->o->any_p2 && v[R_P2].n && !(nk_int_parse(v[R_P2].p, v[R_P2].n, &x) == 0 && x == 0))
		return guard(s, G_P2);
	if (!s->o->any_mot && v[R_MOT].n && !(nk_int_parse(v[R_MOT].p, v[R_MOT].n, &x) == 0 && x == 0))
		return guard(s, G_MOT);
	if (!s->o->any_cust && v[R_CUST].n && !eq(v[R_CUST], "C00"))
		return guard(s, G_CUST);
	if (s->fmt == F_DOTS) {
		/* A country that reports its imports FOB has them in DOTS twice:
		 * TMG_FOB_USD as reported and TMG_CIF_USD (FOB x 1.06: Brazil
		 * 2016 9,376,363 = 8,845,626 x 1.06), like every other
		 * reporter's. The CIF row is kept, the FOB row counted. */
		if (v[R_FLOW].n == 0)
			return guard(s, eq(v[R_FLOWTXT], "TMG_FOB_USD") ? G_IMPFOB : G_BAL);
		int kr = rep < NCODES ? imf_kind[rep] : 0, kp = par < NCODES ? imf_kind[par] : 0;
		if ((kr == K_WORLD || kp == K_WORLD) && !s->o->keep_world)
			return guard(s, G_WORLD);
		if (kr == K_AGGREGATE || kp == K_AGGREGATE)
			return guard(s, G_AGG);
		/* The DPRK does not report to the IMF: every row DOTS gives it
		 * as reporter is the IMF's estimate from the partner rows. They
		 * are flagged e, except its trade with 910 (other countries
		 * n.i.e.), which is the same estimate (2016 imports 50,648 =
		 * 910's exports 47,780 x 1.06) without the flag. */
		if (!s->o->dots_est && !strcmp(area_iso(s, rep), "PRK"))
			return guard(s, G_EST);
	} else if (par == 0 && !s->o->keep_world) {
		return guard(s, G_WORLD);
	}
	const char *flow = "X";
	if (s->fmt != F_BACI) {
		int f = map_flow(v[R_FLOW], v[R_FLOWTXT], &flow);
		if (f == 0) {
			int fr = v[R_FLOW].n && !eq(v[R_FLOW], "0") ? R_FLOW : R_FLOWTXT;
			return (void)bad_row(s, fr, "not a flow code", v[fr].p, v[fr].n);
		}
		if (f == 2)
			return guard(s, G_SUBFLOW);
	}
	char hsrev[3] = "";
	if (s->fmt == F_BACI) {
		memcpy(hsrev, s->hs_rev_file, 3);
	} else if (s->fmt != F_DOTS && s->fmt != F_TOTALS) { /* TOTAL: no revision */
		nk_str c = v[R_CLS];
		if (c.n != 2 || c.p[0] != 'H' || c.p[1] < '0' || c.p[1] > '6')
			return guard(s, G_CLS);
		hsrev[0] = 'H', hsrev[1] = c.p[1], hsrev[2] = 0;
	}
	/* year and period */
	int64_t year;
	if (nk_int_parse(v[R_YEAR].p, v[R_YEAR].n, &year))
		return (void)bad_row(s, R_YEAR, "not a year", v[R_YEAR].p, v[R_YEAR].n);
	if (s->fmt == F_DOTS ? year < 1948 || year > s->maxyear : year < 1962 || year > s->maxyear)
		return (void)bad_row(s, R_YEAR, s->fmt == F_DOTS ? "year outside 1948..next year"
			: "year outside 1962..next year", v[R_YEAR].p, v[R_YEAR].n);
	nk_str per = v[s->fmt == F_BACI ? R_YEAR : R_PERIOD];
	{
		int64_t pv;
		int okp = !nk_int_parse(per.p, per.n, &pv) &&
			  ((per.n == 4 && pv == year) ||
			   (per.n == 6 && pv / 100 == year && pv % 100 >= 1 && pv % 100 <= 12));
		if (!okp)
			return (void)bad_row(s, R_PERIOD, "not a period YYYY or YYYYMM of the year", per.p, per.n);
	}
	nk_str hs = v[R_HS];
	if (hs.n == 0)
		return (void)bad_row(s, R_HS, "empty commodity code", hs.p, hs.n);
	/* numbers */
	int sc = s->fmt == F_BACI ? 1000 : 1;
	/* Comtrade Plus writes an unknown weight or quantity as an estimated
	 * 0 (most TOTAL rows): unknown is empty in the contract */
	nk_dec z;
	if (eq(v[R_NETWGTEST], "true") &&
	    nk_dec_parse(v[R_NETWGT].p, v[R_NETWGT].n, &z) == NK_DEC_OK && z == 0)
		v[R_NETWGT].n = 0;
	if (eq(v[R_QTYEST], "true") &&
	    nk_dec_parse(v[R_QTY].p, v[R_QTY].n, &z) == NK_DEC_OK && z == 0)
		v[R_QTY].n = 0;
	char nb[5][40];
	size_t nl[5];
	if (!num(s, R_VALUE, 0, sc, nb[0], &nl[0]) || !num(s, R_CIF, 0, 1, nb[1], &nl[1]) ||
	    !num(s, R_FOB, 0, 1, nb[2], &nl[2]) || !num(s, R_NETWGT, 0, sc, nb[3], &nl[3]))
		return;
	if (nl[0] == 0)
		return (void)bad_row(s, R_VALUE, "empty trade value", "", 0);
	/* quantity: none when the unit is "no quantity" (Plus -1, legacy 1) */
	nk_str qu = v[R_QTYUNIT];
	nk_str q = v[R_QTY];
	if (s->fmt == F_LEGACY && q.n == 0 && v[R_ALTQTYUNIT].n) {
		/* legacy API CSVs write the quantity under 'Alt Qty Unit' (the
		 * JSON field order under the CSV labels); take it when 'Qty' is
		 * empty and it is a number */
		nk_dec d;
		if (nk_dec_parse(v[R_ALTQTYUNIT].p, v[R_ALTQTYUNIT].n, &d) == NK_DEC_OK)
			q = v[R_ALTQTYUNIT];
	}
	if (eq(v[R_QTYCODE], "-1") || (s->fmt == F_LEGACY && eq(v[R_QTYCODE], "1")))
		q.n = 0, qu.n = 0;
	nk_str saveq = v[R_QTY];
	v[R_QTY] = q;
	int okq = num(s, R_QTY, 0, 1, nb[4], &nl[4]);
	v[R_QTY] = saveq;
	if (!okq)
		return;
	v[R_QTYUNIT] = qu;
	/* text: transcoded before the first byte of the row is written */
	static const int texts[] = {R_QTYUNIT, R_REPDESC, R_PARDESC, R_CMDDESC, R_FLAG};
	size_t need = 0, off = 0;
	for (size_t i = 0; i < sizeof texts / sizeof *texts; i++)
		need += 2 * v[texts[i]].n;
	tx_need(s, need);
	for (size_t i = 0; i < sizeof texts / sizeof *texts; i++)
		if (!to_utf8(s, texts[i], &v[texts[i]], &off))
			return;
	if (s->fmt == F_LEGACY) /* after transcoding: the table is UTF-8 */
		v[R_QTYUNIT] = qty_abbr(v[R_QTYCODE], v[R_QTYUNIT]);
	if (!area_known(s, rep) || !area_known(s, par))
		st.unknown++;
	st.kept++;
	nk_out *o = s->out;
	nk_out_cstr(o, srcname[s->fmt]);
	nk_out_byte(o, '\t');
	nk_out_int(o, year);
	nk_out_byte(o, '\t');
	nk_out_str(o, per);
	nk_out_byte(o, '\t');
	nk_out_cstr(o, area_iso(s, rep));
	nk_out_byte(o, '\t');
	out_code(s, R_REP, rep);
	nk_out_byte(o, '\t');
	nk_out_cstr(o, area_iso(s, par));
	nk_out_byte(o, '\t');
	out_code(s, R_PAR, par);
	nk_out_byte(o, '\t');
	nk_out_cstr(o, flow);
	nk_out_byte(o, '\t');
	nk_out_cstr(o, hsrev);
	nk_out_byte(o, '\t');
	nk_out_escaped(o, hs.p, hs.n);
	for (int i = 0; i < 5; i++) {
		nk_out_byte(o, '\t');
		nk_out_write(o, nb[i], nl[i]);
	}
	for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
		nk_out_byte(o, '\t');
		out_text(s, texts[i]);
	}
	nk_out_byte(o, '\n');
}

/* ------------------------------------------------------------- CSV rows */

typedef struct {
	nk_in *in;
	char delim;
	int quoted;
	nk_str *f;
	size_t nf, fcap;
	size_t ndelim; /* delimiters outside quotes in the current record */
	char *rec; /* a multi-line record, assembled */
	size_t reccap;
	char *ub; /* libcsv's unquoted fields */
	size_t ublen, ubcap;
	size_t *uoff; /* field offsets into ub (fields as offset/len pairs) */
	size_t nrec_cb;
	int csv_err;
	struct csv_parser cp;
} rdr;

static void f_grow(rdr *r)
{
	r->fcap = r->fcap ? 2 * r->fcap : 64;
	r->f = nk_xrealloc(r->f, r->fcap * sizeof *r->f);
	r->uoff = nk_xrealloc(r->uoff, r->fcap * sizeof *r->uoff);
}

static inline void f_push(rdr *r, const char *p, size_t n)
{
	if (__builtin_expect(r->nf == r->fcap, 0))
		f_grow(r);
	r->f[r->nf].p = p;
	r->f[r->nf].n = n;
	r->nf++;
}

/* Bits set (SWAR: the x86-64 baseline has no POPCNT instruction, and
 * libgcc's fallback is a call). */
static inline unsigned pop64(uint64_t x)
{
	x = x - ((x >> 1) & 0x5555555555555555u);
	x = (x & 0x3333333333333333u) + ((x >> 2) & 0x3333333333333333u);
	x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0fu;
	return (unsigned)((x * 0x0101010101010101u) >> 56);
}

#ifdef __SSE2__
/* Bit k set where p[k] == c, for k < 64. */
static inline uint64_t eq64(const char *p, __m128i c)
{
	uint64_t m = 0;
	for (int k = 0; k < 4; k++) {
		__m128i x = _mm_loadu_si128((const __m128i *)(p + 16 * k));
		m |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x, c)) << (16 * k);
	}
	return m;
}

/* Bit k set where p[k] == c, for k < 16. */
static inline uint64_t eq16(const char *p, __m128i c)
{
	__m128i x = _mm_loadu_si128((const __m128i *)p);
	return (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x, c));
}
#endif

/* Of a block's delimiter bits `dm`, those outside quotes, from its quote
 * bits `qm` and *in (all ones when the block starts inside quotes); `top` is
 * the block's last bit. Sets *in for the next block. */
static inline uint64_t outside_quotes(uint64_t dm, uint64_t qm, uint64_t *in, int top)
{
	/* inside[k] = parity of the quotes up to k: prefix XOR */
	qm ^= qm << 1;
	qm ^= qm << 2;
	qm ^= qm << 4;
	qm ^= qm << 8;
	qm ^= qm << 16;
	qm ^= qm << 32;
	qm ^= *in;
	*in = (uint64_t)0 - (qm >> top & 1);
	return dm & ~qm;
}

/* How many delimiters `d` in p[0..n) are outside double quotes (p starts
 * outside; with `quoted` 0, every one counts); *odd = 1 if the quotes are
 * unbalanced at the end (a quoted field goes on past the line). One pass:
 * the record's width and whether it spans lines. */
static size_t count_delims(const char *p, size_t n, char d, int quoted, unsigned *odd)
{
	size_t c = 0, i = 0;
	uint64_t in = 0; /* all ones while inside quotes across blocks */
#ifdef __SSE2__
	const __m128i v = _mm_set1_epi8(d), q = _mm_set1_epi8('"');
	for (; i + 64 <= n; i += 64) {
		uint64_t dm = eq64(p + i, v);
		if (quoted)
			dm = outside_quotes(dm, eq64(p + i, q), &in, 63);
		c += pop64(dm);
	}
	for (; i + 16 <= n; i += 16) {
		uint64_t dm = eq16(p + i, v);
		if (quoted)
			dm = outside_quotes(dm, eq16(p + i, q), &in, 15);
		c += pop64(dm);
	}
#endif
	for (; i < n; i++) {
		if (quoted && p[i] == '"')
			in = ~in;
		else if (p[i] == d && !in)
			c++;
	}
	*odd = (unsigned)(in & 1);
	return c;
}

/* Split the record into r->f, at most `limit` fields. Returns 1, or 0 if the
 * row needs the full CSV parser (an escaped quote "", text after a closing
 * quote, a quote inside a bare field). */
static int fast_split(rdr *r, const char *p, size_t n, size_t limit)
{
	const char *e = p + n;
	char d = r->delim;
	r->nf = 0;
	if (r->quoted) {
		/* CSV fields are short: a byte loop beats a memchr call each */
		for (;;) {
			if (r->nf == limit)
				return 1;
			const char *q;
			if (p < e && *p == '"') {
				for (q = p + 1; q < e && *q != '"'; q++)
					;
				if (q == e || (q + 1 < e && q[1] != d))
					return 0;
				f_push(r, p + 1, (size_t)(q - p - 1));
				if (q + 1 == e)
					return 1;
				p = q + 2;
			} else {
				for (q = p; q < e && *q != d; q++)
					if (*q == '"')
						return 0;
				f_push(r, p, (size_t)(q - p));
				if (q == e)
					return 1;
				p = q + 1;
			}
		}
	}
	for (;;) { /* TSV: no quoting */
		if (r->nf == limit)
			return 1;
		const char *q = memchr(p, d, (size_t)(e - p));
		const char *fe = q ? q : e;
		f_push(r, p, (size_t)(fe - p));
		if (!q)
			return 1;
		p = q + 1;
	}
}

static void cb_field(void *s, size_t len, void *data)
{
	rdr *r = data;
	if (r->ublen + len + 1 > r->ubcap) {
		r->ubcap = 2 * (r->ublen + len + 1) + 1024;
		r->ub = nk_xrealloc(r->ub, r->ubcap);
	}
	if (len)
		memcpy(r->ub + r->ublen, s, len);
	f_push(r, NULL, len);
	r->uoff[r->nf - 1] = r->ublen;
	r->ublen += len;
}
static void cb_rec(int c, void *data)
{
	(void)c;
	((rdr *)data)->nrec_cb++;
}

/* Full CSV parse of one record with libcsv (strict). 0 = malformed. */
static int slow_split(rdr *r, const char *p, size_t n)
{
	r->nf = 0;
	r->ublen = 0;
	r->nrec_cb = 0;
	csv_init(&r->cp, CSV_STRICT | CSV_STRICT_FINI);
	csv_set_delim(&r->cp, (unsigned char)r->delim);
	int ok = csv_parse(&r->cp, p, n, cb_field, cb_rec, r) == n;
	ok = ok && csv_fini(&r->cp, cb_field, cb_rec, r) == 0;
	csv_free(&r->cp);
	if (!ok || r->nrec_cb != 1)
		return 0;
	for (size_t i = 0; i < r->nf; i++)
		r->f[i].p = r->ub + r->uoff[i];
	return 1;
}

/* Next record (one or more lines: a quoted field may hold newlines). */
static int next_record(rdr *r, const char **rec, size_t *len, long *line)
{
	const char *l;
	size_t n;
	if (!nk_in_line(r->in, &l, &n))
		return 0;
	*line = nk_in_lineno(r->in);
	unsigned odd;
	r->ndelim = count_delims(l, n, r->delim, r->quoted, &odd);
	if (odd) {
		size_t k = 0;
		size_t q = 1;
		for (;;) {
			if (k + n + 1 > r->reccap) {
				r->reccap = 2 * (k + n + 1);
				r->rec = nk_xrealloc(r->rec, r->reccap);
			}
			memcpy(r->rec + k, l, n);
			k += n;
			if (!(q & 1))
				break;
			if (!nk_in_line(r->in, &l, &n))
				nk_die(1, "%s:%ld: unterminated quoted field at end of file",
				       nk_in_name(r->in), *line);
			if (k + n + 2 > NK_LINE_MAX) /* its line ends counted */
				nk_die(1, "%s:%ld: record longer than %zu MiB (a quoted field "
					  "runs over several lines)",
				       nk_in_name(r->in), *line, NK_LINE_MAX >> 20);
			r->rec[k++] = '\n';
			count_delims(l, n, r->delim, 1, &odd);
			q ^= odd;
		}
		l = r->rec;
		n = k;
		r->ndelim = count_delims(l, n, r->delim, 1, &odd);
	}
	if (n && l[n - 1] == '\r')
		n--;
	*rec = l;
	*len = n;
	return 1;
}

static void split_or_die(state *s, rdr *r, const char *p, size_t n, size_t limit, int *ok)
{
	*ok = 1;
	/* wider than any header (NK_COL_MAX, and a trailing delimiter): not
	 * split, which would take memory per field */
	int wide = r->ndelim > NK_COL_MAX;
	if (!wide && fast_split(r, p, n, limit))
		return;
	if (wide || !slow_split(r, p, n)) {
		*ok = 0;
		for (int i = 0; i < R_N; i++) /* the rejects row: no fields */
			s->v[i] = (nk_str){"", 0};
		char what[96];
		snprintf(what, sizeof what, "%zu fields, more than a header may have (%zu)",
			 r->ndelim + 1, NK_COL_MAX);
		bad_row(s, -1, wide ? what : "malformed CSV (stray or unbalanced quote)",
			wide ? NULL : p, wide ? 0 : n);
	}
}

/* A header field without BACI's padding. */
static nk_str hdr_name(nk_str h)
{
	while (h.n && h.p[h.n - 1] == ' ')
		h.n--;
	while (h.n && *h.p == ' ')
		h.p++, h.n--;
	return h;
}

/* A column the tool reads named twice in the header (names match
 * case-insensitively) is an error: which one to read would be a guess. */
static void dup_columns(state *s, rdr *r, int f, const long *col)
{
	for (int k = 0; k < R_N; k++) {
		if (col[k] < 0)
			continue;
		const char *nm = colnames[f][k];
		nm += *nm == '!';
		nk_str a = hdr_name(r->f[col[k]]);
		for (size_t i = (size_t)col[k] + 1; i < r->nf; i++) {
			nk_str b = hdr_name(r->f[i]);
			if (a.n == b.n && !strncasecmp(a.p, b.p, a.n))
				nk_die(1, "%s:%ld: columns %ld '%.*s' and %zu '%.*s' both "
					  "name '%s' (names match case-insensitively): "
					  "which one to read would be a guess", s->file,
				       s->line, col[k] + 1, (int)a.n, a.p, i + 1,
				       (int)b.n, b.p, nm);
		}
	}
}

/* A column without a name: only a pandas index (first) or the empty field
 * after a trailing comma (last) have none. */
static void unnamed_columns(state *s, rdr *r)
{
	for (size_t i = 1; i + 1 < r->nf; i++)
		if (hdr_name(r->f[i]).n == 0)
			nk_die(1, "%s:%ld: column %zu has no name (only the first, a pandas "
				  "index, or the last, after a trailing comma, may have none)",
			       s->file, s->line, i + 1);
}

/* Header: detect the format; fill col[] (index per R_*, -1 absent). */
static fmt_t detect(state *s, rdr *r, const char *p, size_t n, long *col, size_t *ncol)
{
	if (n >= 3 && !memcmp(p, "\xef\xbb\xbf", 3))
		p += 3, n -= 3;
	r->delim = memchr(p, '\t', n) && !memchr(p, ',', n) ? '\t' : ',';
	r->quoted = r->delim == ',';
	unsigned odd;
	r->ndelim = count_delims(p, n, r->delim, r->quoted, &odd);
	if (r->ndelim >= NK_COL_MAX) {
		char what[96];
		snprintf(what, sizeof what, "%zu columns, more than the %zu a header may have",
			 r->ndelim + 1, NK_COL_MAX);
		nk_die_at(s->file, s->line, NULL, what, NULL, 0);
	}
	/* not split_or_die: a header is no row to skip with --keep-going (nor
	 * a record for --rejects) */
	if (!fast_split(r, p, n, SIZE_MAX) && !slow_split(r, p, n))
		nk_die_at(s->file, s->line, NULL, "malformed CSV (stray or unbalanced quote)",
			  p, n);
	*ncol = r->nf;
	int best = -1, bestfound = 0;
	const char *bestmiss = NULL;
	for (int f = 0; f < F_NFMT; f++) {
		int found = 0;
		const char *miss = NULL;
		for (int k = 0; k < R_N; k++) {
			col[k] = -1;
			const char *nm = colnames[f][k];
			if (!nm)
				continue;
			int req = *nm == '!';
			nm += req;
			for (size_t i = 0; i < r->nf; i++) {
				/* BACI's names are padded in some versions */
				nk_str h = hdr_name(r->f[i]);
				if (strlen(nm) == h.n && !strncasecmp(nm, h.p, h.n)) {
					col[k] = (long)i;
					break;
				}
			}
			if (req && col[k] >= 0)
				found++;
			else if (req && !miss)
				miss = nm;
		}
		if (!miss) {
			dup_columns(s, r, f, col);
			unnamed_columns(s, r);
			return (fmt_t)f;
		}
		if (found > bestfound)
			best = f, bestfound = found, bestmiss = miss;
	}
	if (best >= 0 && bestfound >= 2)
		nk_die(1, "%s:%ld: %s header without its column '%s'", s->file, s->line,
		       fmtname[best], bestmiss);
	nk_die(1, "%s:%ld: unknown format: expected a Comtrade Plus header "
		  "(refYear, reporterCode, partnerCode, flowCode, cmdCode, "
		  "primaryValue, ...), a legacy Comtrade header (Classification, "
		  "Year, ..., Trade Value (US$)), BACI (t,i,j,k,v,q), a totals table "
		  "(date,value,reporter,partner), IMF DOTS (Country Code, ..., "
		  "Attribute, years) or Comtrade Plus API JSON", s->file, s->line);
}

static void baci_rev(state *s, const char *path)
{
	static const char *const tag[] = {"HS92", "HS96", "HS02", "HS07", "HS12", "HS17", "HS22"};
	s->hs_rev_file[0] = 0;
	const char *b = strrchr(path, '/');
	b = b ? b + 1 : path;
	for (int i = 0; i < 7; i++)
		if (strstr(b, tag[i])) {
			s->hs_rev_file[0] = 'H';
			s->hs_rev_file[1] = (char)('0' + i);
			s->hs_rev_file[2] = 0;
			return;
		}
	if (s->o->hs_rev)
		memcpy(s->hs_rev_file, s->o->hs_rev, 3);
}

static nk_str trim(nk_str v)
{
	while (v.n && (*v.p == ' '))
		v.p++, v.n--;
	while (v.n && v.p[v.n - 1] == ' ')
		v.n--;
	return v;
}

/* The record's fields into s->v by the header's columns. */
static void map_fields(state *s, const nk_str *f, size_t nf, const long *col)
{
	for (int k = 0; k < R_N; k++) {
		s->v[k].n = 0;
		s->v[k].p = "";
		if (col[k] >= 0 && (size_t)col[k] < nf)
			s->v[k] = s->fmt == F_BACI ? trim(f[col[k]]) : f[col[k]];
	}
	if (s->fmt == F_BACI && (eq(s->v[R_NETWGT], "NA")))
		s->v[R_NETWGT].n = 0;
}

/* A name-only totals row: names to codes (through Comtrade's own lists),
 * the date to year and period, the flow from --flow, hs TOTAL. 0 = a bad
 * row (reported). */
static int totals_row(state *s)
{
	nk_str *v = s->v;
	nk_str d = v[R_YEAR];
	v[R_REPDESC] = v[R_REP];
	v[R_PARDESC] = v[R_PAR];
	if (d.n != 10 || memcmp(d.p + 4, "-01-01", 6))
		return bad_row(s, R_YEAR, "not the date of a year (YYYY-01-01)", d.p, d.n);
	v[R_YEAR].n = 4;
	v[R_PERIOD] = v[R_YEAR];
	for (int i = 0; i < 2; i++) {
		int r = i ? R_PAR : R_REP;
		nk_str n = v[r];
		char buf[256];
		int c = name_code(i, n, buf, sizeof buf);
		if (c < 0) {
			v[r] = (nk_str){"", 0};
			return bad_row(s, r, i ? "unknown partner name (not in Comtrade's "
						 "partner list, data/countries/comtrade-names.tsv)"
					       : "unknown reporter name (not in Comtrade's "
						 "reporter list, data/countries/comtrade-names.tsv)",
				       n.p, n.n);
		}
		v[r] = (nk_str){s->tcode[i], (size_t)snprintf(s->tcode[i], sizeof s->tcode[i], "%d", c)};
	}
	v[R_FLOW] = (nk_str){s->o->flow, strlen(s->o->flow)};
	v[R_HS] = (nk_str){"TOTAL", 5};
	return 1;
}

/* ------------------------------------------------------------ IMF DOTS */


/* The year columns of the header (in r->f): YYYY is read; quarters YYYYQn
 * and months YYYYMn are skipped and counted (they repeat the year's trade:
 * reading both would count it twice); any other column is an error. */
static void dots_years(state *s, rdr *r, const long *col, dots *d)
{
	d->ny = 0;
	for (size_t i = 0; i < r->nf; i++) {
		int known_col = 0;
		for (int k = 0; k < R_N; k++)
			known_col |= col[k] == (long)i;
		nk_str h = hdr_name(r->f[i]);
		if (known_col || (h.n == 0 && i + 1 == r->nf))
			continue;
		int digits = h.n >= 4;
		for (size_t j = 0; j < 4 && j < h.n; j++)
			digits &= h.p[j] >= '0' && h.p[j] <= '9';
		if (digits && h.n == 4) {
			d->y = nk_xrealloc(d->y, (d->ny + 1) * sizeof *d->y);
			d->y[d->ny].col = i;
			memcpy(d->y[d->ny].name, h.p, 4);
			d->y[d->ny++].name[4] = 0;
			continue;
		}
		if (digits && h.n >= 6 && h.n <= 7 && (h.p[4] == 'Q' || h.p[4] == 'M')) {
			st.subannual++;
			continue;
		}
		nk_die(1, "%s:%ld: column %zu '%.*s': not a year (DOTS has a column per "
			  "year, YYYY; quarters YYYYQn and months YYYYMn are skipped)",
		       s->file, s->line, i + 1, (int)(h.n > 80 ? 80 : h.n), h.p);
	}
	if (d->ny == 0)
		nk_die(1, "%s:%ld: an IMF DOTS header without a year column", s->file, s->line);
}

static void dots_keep(dots *d, const rdr *r, long line)
{
	size_t need = 1;
	for (size_t i = 0; i < r->nf; i++)
		need += r->f[i].n;
	if (d->cap < need) {
		d->cap = need + 256;
		d->buf = nk_xrealloc(d->buf, d->cap);
	}
	if (d->fcap < r->nf) {
		d->fcap = r->nf;
		d->f = nk_xrealloc(d->f, d->fcap * sizeof *d->f);
	}
	size_t k = 0;
	for (size_t i = 0; i < r->nf; i++) {
		if (r->f[i].n)
			memcpy(d->buf + k, r->f[i].p, r->f[i].n);
		d->f[i] = (nk_str){d->buf + k, r->f[i].n};
		k += r->f[i].n;
	}
	d->nf = r->nf;
	d->len = k;
	d->line = line;
	d->have = 1;
}

static int same(nk_str a, nk_str b)
{
	return a.n == b.n && !memcmp(a.p, b.p, a.n);
}

/* Write the held Value row, with the flags of its Status row (NULL: none). */
static void dots_flush(state *s, dots *d, const long *col, const nk_str *flags)
{
	static const struct {
		const char *code, *flow;
		int val;
	} ind[] = {
		{"TXG_FOB_USD", "X", R_FOB}, /* exports FOB */
		{"TMG_CIF_USD", "M", R_CIF}, /* imports CIF */
		{"TMG_FOB_USD", "", R_FOB},  /* imports FOB: guard */
		{"TBG_USD", "", -1},	     /* balance: guard */
	};
	if (!d->have)
		return;
	d->have = 0;
	long line = s->line;
	s->line = d->line;
	map_fields(s, d->f, d->nf, col);
	nk_str ic = s->v[R_IND];
	int x = -1;
	for (int i = 0; i < 4; i++)
		if (eq(ic, ind[i].code))
			x = i;
	if (x < 0) {
		st.read++;
		bad_row(s, R_IND, "unknown indicator (TXG_FOB_USD, TMG_CIF_USD, "
				  "TMG_FOB_USD, TBG_USD)", ic.p, ic.n);
		s->line = line;
		return;
	}
	for (size_t j = 0; j < d->ny; j++) {
		nk_str val = d->f[d->y[j].col];
		if (val.n == 0)
			continue; /* no figure for that year */
		st.dots++;
		map_fields(s, d->f, d->nf, col); /* process() may change the views */
		nk_str *v = s->v;
		v[R_YEAR] = v[R_PERIOD] = (nk_str){d->y[j].name, 4};
		v[R_VALUE] = val;
		if (ind[x].val >= 0)
			v[ind[x].val] = val;
		v[R_FLOW] = (nk_str){ind[x].flow, strlen(ind[x].flow)};
		v[R_FLOWTXT] = ic;
		v[R_HS] = (nk_str){"TOTAL", 5};
		if (flags)
			v[R_FLAG] = flags[d->y[j].col];
		s->dots_col = d->y[j].name;
		s->rec = (nk_str){d->buf, d->len};
		process(s);
	}
	s->line = line;
}

/* Map the split record's fields to the columns and check its width: 1 if it
 * has the header's number of fields (a trailing delimiter, as Comtrade Plus
 * CSV writes, gives one empty field more and is allowed), else 0 with the
 * message in what. */
static int fields_fit(state *s, const rdr *r, const long *col, size_t ncol,
		      char *what, size_t wn)
{
	size_t nf = r->nf;
	if (nf == ncol + 1 && r->f[nf - 1].n == 0)
		nf--;
	map_fields(s, r->f, r->nf, col);
	if (nf == ncol)
		return 1;
	snprintf(what, wn, "%zu fields, the header has %zu", nf, ncol);
	return 0;
}

static void parse_dots(state *s, rdr *r, const long *col, size_t ncol, dots *d)
{
	const char *p;
	size_t n;
	while (next_record(r, &p, &n, &s->line)) {
		int ok;
		nk_progress(st.read, nk_in_bytes(r->in));
		if (n == 0)
			continue;
		split_or_die(s, r, p, n, SIZE_MAX, &ok);
		if (!ok) {
			st.read++;
			continue;
		}
		char what[96];
		if (!fields_fit(s, r, col, ncol, what, sizeof what)) {
			dots_flush(s, d, col, NULL);
			st.read++;
			bad_row(s, -1, what, NULL, 0);
			continue;
		}
		nk_str a = r->f[col[R_ATTR]];
		if (eq(a, "Value")) {
			dots_flush(s, d, col, NULL);
			dots_keep(d, r, s->line);
		} else if (eq(a, "Status") && d->have &&
			   same(d->f[col[R_REP]], r->f[col[R_REP]]) &&
			   same(d->f[col[R_IND]], r->f[col[R_IND]]) &&
			   same(d->f[col[R_PAR]], r->f[col[R_PAR]])) {
			dots_flush(s, d, col, r->f);
		} else {
			dots_flush(s, d, col, NULL);
			map_fields(s, r->f, r->nf, col);
			st.read++;
			bad_row(s, R_ATTR, eq(a, "Status")
				? "a Status row without the Value row of its country, "
				  "indicator and counterpart just before it"
				: "not Value or Status", a.p, a.n);
		}
	}
	dots_flush(s, d, col, NULL);
}

/* The IMF codes selected, through their ISO3: a selection names countries
 * (ISO3, or Comtrade codes that stand for them: 408 is PRK, IMF 954). */
static void dots_select(state *s)
{
	if (s->dots_sel)
		return;
	s->dots_sel = 1;
	load_imf();
	for (int m = 0; m < NCODES; m++) {
		if (!(s->rsel[m] | s->psel[m] | s->wsel[m]) || !iso3[m][0])
			continue;
		for (int c = 0; c < NCODES; c++)
			if (!strcmp(imf_iso3[c], iso3[m])) {
				s->d_rsel[c] |= s->rsel[m];
				s->d_psel[c] |= s->psel[m];
				s->d_wsel[c] |= s->wsel[m];
			}
	}
}

static void out_header(state *s)
{
	if (s->header_done)
		return;
	s->header_done = 1;
	for (size_t i = 0; i < NOUT; i++) {
		nk_out_cstr(s->out, outcols[i]);
		nk_out_byte(s->out, i + 1 < NOUT ? '\t' : '\n');
	}
}

static void parse_delimited(state *s, rdr *r, const char *hp, size_t hn)
{
	long col[R_N];
	size_t ncol;
	s->fmt = detect(s, r, hp, hn, col, &ncol);
	if (s->fmt == F_BACI)
		baci_rev(s, s->file);
	if (s->fmt == F_TOTALS && (!s->o->flow || (strcmp(s->o->flow, "X") &&
						      strcmp(s->o->flow, "M"))))
		nk_usage_error("%s:%ld: a name-only totals table (date,value,reporter,"
			       "partner) does not say its flow: give --flow X (the "
			       "reporters' exports) or --flow M (imports)%s%s%s", s->file,
			       s->line, s->o->flow ? ", not '" : "", s->o->flow ? s->o->flow : "",
			       s->o->flow ? "'" : "");
	if (s->fmt == F_TOTALS && !cnames)
		load_names();
	int unnamed_last = ncol > 1 && hdr_name(r->f[ncol - 1]).n == 0;
	if (s->fmt == F_DOTS) {
		dots_select(s);
		dots_years(s, r, col, &s->dots);
		out_header(s);
		parse_dots(s, r, col, ncol, &s->dots);
		return;
	}
	out_header(s);
	size_t limit = (size_t)(col[R_REP] > col[R_PAR] ? col[R_REP] : col[R_PAR]) + 1;
	int quick = !s->o->all && s->fmt != F_TOTALS;
	const char *p;
	size_t n;
	while (next_record(r, &p, &n, &s->line)) {
		int ok;
		nk_progress(st.read, nk_in_bytes(r->in));
		if (n == 0) {
			continue; /* blank line (e.g. at the end of a file) */
		}
		if (quick && fast_split(r, p, n, limit) && r->nf == limit) {
			/* outside the slice, with the right number of fields
			 * (delimiters outside quotes, counted by next_record); any
			 * other row takes the full parse, which says what is wrong */
			size_t nf = r->ndelim + 1;
			if ((nf == ncol || (nf == ncol + 1 && p[n - 1] == r->delim)) &&
			    !quick_select(s, r->f[col[R_REP]], r->f[col[R_PAR]])) {
				st.read++;
				st.outside++;
				continue;
			}
		}
		split_or_die(s, r, p, n, SIZE_MAX, &ok);
		if (!ok) {
			st.read++;
			continue;
		}
		if (s->fmt == F_LEGACY && r->nf >= 1 && r->f[0].n >= 26 &&
		    !memcmp(r->f[0].p, "No data matches your query", 26)) {
			st.nodata++;
			continue;
		}
		char what[96];
		if (!fields_fit(s, r, col, ncol, what, sizeof what)) {
			st.read++;
			bad_row(s, -1, what, NULL, 0);
			continue;
		}
		if (unnamed_last && r->f[ncol - 1].n) {
			st.read++;
			bad_row(s, -1, "a value in the unnamed last column (a pandas index "
				       "column comes first)", r->f[ncol - 1].p, r->f[ncol - 1].n);
			continue;
		}
		if (s->fmt == F_TOTALS && !totals_row(s)) {
			st.read++;
			continue;
		}
		s->rec = (nk_str){p, n};
		process(s);
	}
}

/* ---------------------------------------------------------------- JSON */

/* Comtrade Plus API JSON, read as it streams (lib/json.h): each element of
 * "data" goes to process() as it ends, so memory stays flat whatever the
 * size of the answer. The checks that need the whole answer ("count" equal
 * to the records, "error" empty) come at its end: by then rows before it may
 * be written; the exit status is 1 and -o leaves no file. */

#define JSON_BUF ((size_t)256 << 10)

/* The keys we read: the Comtrade Plus CSV header names (the API JSON has
 * the same 47 fields). */
static int jkeys_n;
static struct {
	const char *name;
	size_t len;
	int k; /* R_* */
} jkeys[R_N];

static void jkeys_init(void)
{
	if (jkeys_n)
		return;
	for (int k = 0; k < R_N; k++) {
		const char *n = colnames[F_PLUS][k];
		if (!n)
			continue;
		n += *n == '!';
		jkeys[jkeys_n].name = n;
		jkeys[jkeys_n].len = strlen(n);
		jkeys[jkeys_n++].k = k;
	}
}

static int jkey(nk_str key)
{
	for (int i = 0; i < jkeys_n; i++)
		if (jkeys[i].len == key.n && !memcmp(jkeys[i].name, key.p, key.n))
			return jkeys[i].k;
	return -1;
}

_Static_assert(R_N <= 32, "json_rec keeps the keys seen in a 32-bit mask");

static void json_rec(void *arg, uint64_t rec, const nk_json_field *f, size_t n)
{
	state *s = arg;
	uint32_t seen = 0;
	s->recno = rec;
	s->line = s->jr->rec_line;
	for (int k = 0; k < R_N; k++) {
		s->v[k].p = "";
		s->v[k].n = 0;
		s->vline[k] = 0;
	}
	for (size_t i = 0; i < n; i++) {
		int k = jkey(f[i].key);
		if (k < 0)
			continue;
		const char *name = colnames[F_PLUS][k];
		name += *name == '!';
		if (seen & (1u << k))
			nk_die(1, "%s:%ld: record %llu: key '%s' given twice", s->file,
			       f[i].line, (unsigned long long)rec, name);
		seen |= 1u << k;
		if (f[i].type == NK_JSON_NESTED)
			nk_die(1, "%s:%ld: record %llu: key '%s': not a value (an object "
				  "or array)", s->file, f[i].line, (unsigned long long)rec, name);
		s->v[k] = f[i].val;
		s->vline[k] = f[i].line;
	}
	for (int k = 0; k < R_N; k++) {
		const char *name = colnames[F_PLUS][k];
		if (name && *name == '!' && !(seen & (1u << k)))
			nk_die(1, "%s:%ld: record %llu: missing required key '%s' (absent "
				  "or null)", s->file, s->line, (unsigned long long)rec, name + 1);
	}
	process(s);
}

static void parse_json(state *s, nk_in *in)
{
	s->fmt = F_PLUS;
	out_header(s);
	jkeys_init();
	const char *p;
	if (nk_in_peek(in, 3, &p) >= 3 && !memcmp(p, "\xef\xbb\xbf", 3)) {
		char bom[3];
		nk_in_read(in, bom, 3); /* yajl takes no BOM */
	}
	nk_json *j = nk_json_new(json_rec, s);
	s->json = 1;
	s->jr = j;
	char *buf = nk_xmalloc(JSON_BUF);
	size_t n;
	int rc = 0;
	while (!rc && (n = nk_in_read(in, buf, JSON_BUF))) {
		rc = nk_json_feed(j, buf, n);
		nk_progress(st.read, nk_in_bytes(in));
	}
	if (!rc)
		rc = nk_json_end(j);
	if (rc)
		nk_die(1, "%s:%ld:%ld: %s%s (byte %llu)", s->file, j->line, j->column,
		       j->syntax ? "not valid JSON: " : "", j->why,
		       (unsigned long long)j->offset);
	if (*j->error)
		nk_die(1, "%s: the API answered with an error: %s", s->file, j->error);
	if (j->data != 1 && j->dataset)
		nk_die(1, "%s: legacy Comtrade API JSON (\"dataset\") is not supported; "
			  "use its CSV download", s->file);
	if (j->data != 1)
		nk_die(1, "%s: unknown format: expected Comtrade Plus API JSON "
			  "({\"count\":..., \"data\":[...]})", s->file);
	if (j->has_count && (j->count < 0 || (uint64_t)j->count != j->records))
		nk_die(1, "%s: 'count' is %lld but 'data' holds %llu records (truncated response?)",
		       s->file, (long long)j->count, (unsigned long long)j->records);
	free(buf);
	nk_json_free(j);
	s->json = 0;
	s->jr = NULL;
}

/* ---------------------------------------------------------------- files */

static void parse_file(state *s, rdr *r, const char *path)
{
	nk_in *in = nk_in_open(path);
	s->file = nk_in_name(in);
	s->enc = s->o->enc;
	s->line = 0;
	s->rec = (nk_str){"", 0};
	r->in = in;
	const char *l;
	/* JSON is sniffed from the first bytes, not the first line: an API
	 * answer is one line of any length */
	size_t n = nk_in_peek(in, 4096, &l);
	if (n == 0)
		nk_die(1, "%s: empty input (no header)", s->file);
	size_t k = 0;
	if (n >= 3 && !memcmp(l, "\xef\xbb\xbf", 3))
		k = 3;
	while (k < n && (l[k] == ' ' || l[k] == '\t' || l[k] == '\r' || l[k] == '\n'))
		k++;
	if (k < n && (l[k] == '{' || l[k] == '[')) {
		parse_json(s, in);
	} else {
		if (!nk_in_line(in, &l, &n))
			nk_die(1, "%s: empty input (no header)", s->file);
		s->line = 1;
		if (n && l[n - 1] == '\r')
			n--;
		parse_delimited(s, r, l, n);
	}
	nk_in_close(in);
}

static void summary(void)
{
	nk_warn("%llu rows read, %llu kept, %llu outside the slice; guards removed: "
		"partner2 %llu, mot %llu, customs %llu, world %llu, subflow %llu, "
		"non-HS %llu; %llu kept with an unknown area code; %llu values "
		"rounded to 3 decimals; %llu bad rows skipped; %llu 'no data' responses",
		(unsigned long long)st.read, (unsigned long long)st.kept,
		(unsigned long long)st.outside, (unsigned long long)st.guard[G_P2],
		(unsigned long long)st.guard[G_MOT], (unsigned long long)st.guard[G_CUST],
		(unsigned long long)st.guard[G_WORLD], (unsigned long long)st.guard[G_SUBFLOW],
		(unsigned long long)st.guard[G_CLS], (unsigned long long)st.unknown,
		(unsigned long long)st.rounded, (unsigned long long)st.bad,
		(unsigned long long)st.nodata);
	if (st.dots || st.subannual)
		nk_warn("IMF DOTS: %llu values read (a row per year); removed: trade "
			"balance %llu, imports FOB (also given CIF) %llu, aggregates %llu, "
			"the DPRK's own rows (IMF estimates) %llu; "
			"%llu quarterly or monthly columns skipped",
			(unsigned long long)st.dots, (unsigned long long)st.guard[G_BAL],
			(unsigned long long)st.guard[G_IMPFOB],
			(unsigned long long)st.guard[G_AGG], (unsigned long long)st.guard[G_EST],
			(unsigned long long)st.subannual);
}

int main(int argc, char **argv)
{
	nk_init(argv);
	opts o = {0};
	nk_fetch_init(&o.fetch);
	parse_opts(&o, argc, argv);
	out_names();
	load_countries(o.countries);

	static state s;
	s.o = &o;
	if (o.partner)
		parse_codes("--partner", o.partner, s.psel), s.have_p = 1;
	if (o.reporter)
		parse_codes("--reporter", o.reporter, s.rsel), s.have_r = 1;
	if (o.with_partner)
		parse_codes("--with-partner", o.with_partner, s.wsel), s.have_w = 1;
	if (!s.have_p && !s.have_r)
		s.psel[408] = s.rsel[408] = 1;
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	s.maxyear = tm.tm_year + 1900 + 1;

	char *stdin_only[] = {"-"};
	char **paths = optind < argc ? argv + optind : stdin_only;
	int npaths = optind < argc ? argc - optind : 1;
	char *fetched = NULL, *qrep = NULL, *qpar = NULL;
	if (o.fetch.fetch) {
		if (!o.all) {
			qrep = o.reporter ? code_list(s.rsel, NULL) : NULL;
			qpar = o.partner || !o.reporter ? code_list(s.psel, s.wsel) : NULL;
		}
		o.fetch.reporter = qrep;
		o.fetch.partner = qpar;
		fetched = nk_fetch(&o.fetch);
		paths = &fetched;
		npaths = 1;
	}
	for (int i = 0; i < npaths; i++)
		nk_in_check(paths[i]);

	s.out = nk_out_open(o.co.output);
	s.rej = nk_rej_open(o.co.rejects, outcols, NOUT);
	rdr r = {0};
	nk_progress_start(o.co.quiet);
	for (int i = 0; i < npaths; i++)
		parse_file(&s, &r, paths[i]);
	nk_progress_end();
	out_header(&s);
	free(r.f);
	free(r.uoff);
	free(r.rec);
	free(r.ub);
	free(s.tx);
	free(s.dots.y);
	free(s.dots.buf);
	free(s.dots.f);
	free(fetched);
	free(qrep);
	free(qpar);
	nk_out_close_all((nk_out *[]){s.out, s.rej}, 2);
	if (!o.co.quiet)
		summary();
	return 0;
}
