/* fetch-parse-gen - write a synthetic, deterministic Comtrade-Plus-shaped CSV
 * for the nk-fetch-parse benchmark.
 *
 *   build/bench/fetch-parse-gen ROWS > TradeData_bench.csv
 *
 * The layout of the real TradeData_*.csv download (data/comtrade/): the same
 * 47-column header, every value quoted, empty values bare, a trailing comma
 * (48 fields on data rows), CRLF, Latin-1 ("C\xf4te d'Ivoire"). Rows are HS6
 * trade by partner for 30 reporters and 60 partners (real Comtrade codes and
 * names, including "China, Hong Kong SAR" with a comma inside quotes); about
 * 1 row in 60 has the DPRK (408) as partner; 1 in 20 rows is a
 * mode-of-transport or partner2 breakdown (the guards' work); 1 in 1000
 * cmdDesc holds an escaped quote "" (the libcsv path). Values are random but
 * the same for the same ROWS: this is benchmark input, not data.
 *
 *   build/bench/fetch-parse-gen ROWS json > answer.json
 *
 * writes the same rows as a Comtrade Plus API answer instead: one line
 * {"elapsedTime":..,"count":ROWS,"data":[{...},...],"error":""}, each record
 * with the 47 keys in the order and with the types of the real answers in
 * tests/fetch/fixtures/ (numbers bare, "2010.0"-style values, null for an
 * absent cifvalue/fobvalue, booleans), text in UTF-8. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t rng = 0x2545f4914f6cdd1dULL;
static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

typedef struct { int code; const char *iso, *name; } area;

static const area reps[] = {
	{156, "CHN", "China"}, {842, "USA", "USA"}, {276, "DEU", "Germany"},
	{392, "JPN", "Japan"}, {410, "KOR", "Rep. of Korea"}, {643, "RUS", "Russian Federation"},
	{699, "IND", "India"}, {251, "FRA", "France"}, {381, "ITA", "Italy"},
	{764, "THA", "Thailand"}, {704, "VNM", "Viet Nam"}, {76, "BRA", "Brazil"},
	{36, "AUS", "Australia"}, {124, "CAN", "Canada"}, {484, "MEX", "Mexico"},
	{528, "NLD", "Netherlands"}, {724, "ESP", "Spain"}, {757, "CHE", "Switzerland"},
	{579, "NOR", "Norway"}, {702, "SGP", "Singapore"}, {458, "MYS", "Malaysia"},
	{360, "IDN", "Indonesia"}, {608, "PHL", "Philippines"}, {586, "PAK", "Pakistan"},
	{792, "TUR", "T\xfcrkiye"}, {710, "ZAF", "South Africa"}, {344, "HKG", "China, Hong Kong SAR"},
	{490, "S19", "Other Asia, nes"}, {56, "BEL", "Belgium"}, {616, "POL", "Poland"},
};
static const area pars[] = {
	{408, "PRK", "Dem. People's Rep. of Korea"}, {384, "CIV", "C\xf4te d'Ivoire"},
	{4, "AFG", "Afghanistan"}, {8, "ALB", "Albania"}, {12, "DZA", "Algeria"},
	{32, "ARG", "Argentina"}, {50, "BGD", "Bangladesh"}, {68, "BOL", "Bolivia (Plurinational State of)"},
	{104, "MMR", "Myanmar"}, {116, "KHM", "Cambodia"}, {120, "CMR", "Cameroon"},
	{152, "CHL", "Chile"}, {170, "COL", "Colombia"}, {188, "CRI", "Costa Rica"},
	{191, "HRV", "Croatia"}, {203, "CZE", "Czechia"}, {208, "DNK", "Denmark"},
	{218, "ECU", "Ecuador"}, {818, "EGY", "Egypt"}, {231, "ETH", "Ethiopia"},
	{246, "FIN", "Finland"}, {266, "GAB", "Gabon"}, {288, "GHA", "Ghana"},
	{300, "GRC", "Greece"}, {320, "GTM", "Guatemala"}, {348, "HUN", "Hungary"},
	{352, "ISL", "Iceland"}, {364, "IRN", "Iran"}, {368, "IRQ", "Iraq"},
	{372, "IRL", "Ireland"}, {376, "ISR", "Israel"}, {398, "KAZ", "Kazakhstan"},
	{404, "KEN", "Kenya"}, {414, "KWT", "Kuwait"}, {418, "LAO", "Lao People's Dem. Rep."},
	{422, "LBN", "Lebanon"}, {434, "LBY", "Libya"}, {450, "MDG", "Madagascar"},
	{496, "MNG", "Mongolia"}, {504, "MAR", "Morocco"}, {508, "MOZ", "Mozambique"},
	{516, "NAM", "Namibia"}, {524, "NPL", "Nepal"}, {554, "NZL", "New Zealand"},
	{566, "NGA", "Nigeria"}, {512, "OMN", "Oman"}, {591, "PAN", "Panama"},
	{604, "PER", "Peru"}, {620, "PRT", "Portugal"}, {634, "QAT", "Qatar"},
	{642, "ROU", "Romania"}, {682, "SAU", "Saudi Arabia"}, {686, "SEN", "Senegal"},
	{144, "LKA", "Sri Lanka"}, {729, "SDN", "Sudan"}, {752, "SWE", "Sweden"},
	{760, "SYR", "Syria"}, {784, "ARE", "United Arab Emirates"}, {858, "URY", "Uruguay"},
	{862, "VEN", "Venezuela"},
};
#define N(a) (sizeof a / sizeof *a)

static const char *const hs[] = {
	"270900", "271019", "270112", "260111", "030389", "610910", "620342",
	"850440", "847130", "870323", "440399", "100630", "170199", "720851",
	"740311", "890190", "300490", "392690", "731815", "940360", "851712",
	"090111", "080510", "520100", "710812",
};

static const char header[] =
	"typeCode,freqCode,refPeriodId,refYear,refMonth,period,reporterCode,"
	"reporterISO,reporterDesc,flowCode,flowDesc,partnerCode,partnerISO,"
	"partnerDesc,partner2Code,partner2ISO,partner2Desc,classificationCode,"
	"classificationSearchCode,isOriginalClassification,cmdCode,cmdDesc,"
	"aggrLevel,isLeaf,customsCode,customsDesc,mosCode,motCode,motDesc,"
	"qtyUnitCode,qtyUnitAbbr,qty,isQtyEstimated,altQtyUnitCode,"
	"altQtyUnitAbbr,altQty,isAltQtyEstimated,netWgt,isNetWgtEstimated,"
	"grossWgt,isGrossWgtEstimated,cifvalue,fobvalue,primaryValue,"
	"legacyEstimationFlag,isReported,isAggregate\r\n";

/* A name as JSON text: Latin-1 bytes to UTF-8. */
static void json_name(const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c < 0x80) {
			putchar(c);
		} else {
			putchar(0xc0 | (c >> 6));
			putchar(0x80 | (c & 0x3f));
		}
	}
}

static void json_row(long long r, int year, int exp, const area *rp, const area *pp,
		     int brk, const char *h, uint64_t v, unsigned frac, uint64_t kg)
{
	char val[48];
	snprintf(val, sizeof val, "%llu.%03u", (unsigned long long)v,
		 frac % 3 == 0 ? frac : 0);
	if (frac % 3 != 0)
		val[strlen(val) - 2] = 0; /* "123.0", as the API writes it */
	printf("%s{\"typeCode\":\"C\",\"freqCode\":\"A\",\"refPeriodId\":%d0101,"
	       "\"refYear\":%d,\"refMonth\":52,\"period\":\"%d\",\"reporterCode\":%d,"
	       "\"reporterISO\":\"%s\",\"reporterDesc\":\"",
	       r ? "," : "", year, year, year, rp->code, rp->iso);
	json_name(rp->name);
	printf("\",\"flowCode\":\"%s\",\"flowDesc\":\"%s\",\"partnerCode\":%d,"
	       "\"partnerISO\":\"%s\",\"partnerDesc\":\"",
	       exp ? "X" : "M", exp ? "Export" : "Import", pp->code, pp->iso);
	json_name(pp->name);
	if (brk == 1)
		printf("\",\"partner2Code\":156,\"partner2ISO\":\"CHN\",\"partner2Desc\":\"China\",");
	else
		printf("\",\"partner2Code\":0,\"partner2ISO\":\"W00\",\"partner2Desc\":\"World\",");
	printf("\"classificationCode\":\"H4\",\"classificationSearchCode\":\"HS\","
	       "\"isOriginalClassification\":true,\"cmdCode\":\"%s\",\"cmdDesc\":\"%s\","
	       "\"aggrLevel\":6,\"isLeaf\":true,\"customsCode\":\"C00\","
	       "\"customsDesc\":\"TOTAL CPC\",\"mosCode\":\"0\",\"motCode\":%s,"
	       "\"motDesc\":\"%s\",\"qtyUnitCode\":8,\"qtyUnitAbbr\":\"kg\",\"qty\":%llu.0,"
	       "\"isQtyEstimated\":false,\"altQtyUnitCode\":-1,\"altQtyUnitAbbr\":\"N/A\","
	       "\"altQty\":0.0,\"isAltQtyEstimated\":false,\"netWgt\":%llu.0,"
	       "\"isNetWgtEstimated\":false,\"grossWgt\":0.0,\"isGrossWgtEstimated\":false,",
	       h, (r % 1000 == 999)
		       ? "Petroleum oils, \\\"crude\\\", from bituminous minerals"
		       : "Commodity description, as Comtrade writes it",
	       brk == 0 ? "2100" : "0", brk == 0 ? "Sea" : "TOTAL MOT",
	       (unsigned long long)kg, (unsigned long long)kg);
	if (exp)
		printf("\"cifvalue\":null,\"fobvalue\":%s,", val);
	else
		printf("\"cifvalue\":%s,\"fobvalue\":null,", val);
	printf("\"primaryValue\":%s,\"legacyEstimationFlag\":0,\"isReported\":true,"
	       "\"isAggregate\":false}", val);
}

int main(int argc, char **argv)
{
	int json = argc == 3 && !strcmp(argv[2], "json");
	if (argc != 2 && !json) {
		fprintf(stderr, "usage: fetch-parse-gen ROWS [json] > file\n");
		return 2;
	}
	long long rows = atoll(argv[1]);
	static char obuf[1 << 20];
	setvbuf(stdout, obuf, _IOFBF, sizeof obuf);
	if (json)
		printf("{\"elapsedTime\":\"0.1 secs\",\"count\":%lld,\"data\":[", rows);
	else
		fputs(header, stdout);
	for (long long r = 0; r < rows; r++) {
		uint64_t x = next();
		const area *rp = &reps[x % N(reps)];
		x >>= 8;
		/* partner: PRK in ~1/60 rows */
		const area *pp = (x % 60 == 0) ? &pars[0] : &pars[1 + (x >> 6) % (N(pars) - 1)];
		if (pp->code == rp->code)
			pp = &pars[2];
		x >>= 16;
		int year = 2000 + (int)(x % 24);
		x >>= 5;
		int exp = (int)(x & 1);
		x >>= 1;
		const char *h = hs[x % N(hs)];
		x >>= 5;
		int brk = (int)(x % 20); /* 0: mot breakdown, 1: partner2 breakdown */
		x >>= 5;
		uint64_t v = next() % 500000000ULL + 1;
		unsigned frac = (unsigned)(next() % 1000);
		uint64_t kg = v / 3 + 1;
		char val[48];
		if (frac % 3 == 0)
			snprintf(val, sizeof val, "%llu.%03u", (unsigned long long)v, frac);
		else
			snprintf(val, sizeof val, "%llu", (unsigned long long)v);
		if (json) {
			json_row(r, year, exp, rp, pp, brk, h, v, frac, kg);
			continue;
		}
		const char *desc = (r % 1000 == 999)
			? "Petroleum oils, \"\"crude\"\", from bituminous minerals"
			: "Commodity description, as Comtrade writes it";
		printf("\"C\",\"A\",\"%d0101\",\"%d\",\"52\",\"%d\",\"%d\",\"%s\",\"%s\","
		       "\"%s\",\"%s\",\"%d\",\"%s\",\"%s\",",
		       year, year, year, rp->code, rp->iso, rp->name, exp ? "X" : "M",
		       exp ? "Export" : "Import", pp->code, pp->iso, pp->name);
		if (brk == 1)
			printf("\"156\",\"CHN\",\"China\",");
		else
			printf("\"0\",\"W00\",\"World\",");
		printf("\"H4\",\"HS\",\"true\",\"%s\",\"%s\",\"6\",\"true\",\"C00\","
		       "\"TOTAL CPC\",\"0\",\"%s\",\"%s\",\"8\",\"kg\",\"%llu\",\"false\","
		       "\"-1\",\"N/A\",\"0\",\"false\",\"%llu\",\"false\",\"0\",\"false\",",
		       h, desc, brk == 0 ? "2100" : "0", brk == 0 ? "Sea" : "TOTAL MOT",
		       (unsigned long long)kg, (unsigned long long)kg);
		if (exp)
			printf(",\"%s\",\"%s\",\"0\",\"true\",\"false\",\r\n", val, val);
		else
			printf("\"%s\",,\"%s\",\"0\",\"true\",\"false\",\r\n", val, val);
	}
	if (json)
		fputs("],\"error\":\"\"}", stdout);
	if (fflush(stdout) || ferror(stdout))
		return 1;
	return 0;
}
