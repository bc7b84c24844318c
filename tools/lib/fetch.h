/* fetch.h - Comtrade Plus API client with an on-disk cache (libcurl; the
 * body is checked as it streams in, lib/json.h).
 *
 * nk_fetch() downloads one `data/v1/get` query, checks the response (HTTP
 * 200, well-formed JSON object, "data" an array, "count" equal to its length,
 * no "error", not cut at the per-call record cap), stores it atomically in
 * the cache and returns the cache path. Retries with exponential back-off on
 * HTTP 429 and 5xx (honouring Retry-After), on timeouts, dropped connections,
 * truncated bodies and unparsable JSON; a clear error after the last try.
 *
 * The subscription key is read from $COMTRADE_KEY and sent only as the
 * `Ocp-Apim-Subscription-Key` header: it is never part of the URL, of the
 * cache key or file name, or of any message (server text is scrubbed of it).
 */
#ifndef NK_FETCH_H
#define NK_FETCH_H

/* The Comtrade Plus API base (no trailing slash). */
#define NK_FETCH_URL "https://comtradeapi.un.org"
/* Records per call the API returns at most (free tier); a response with this
 * many records is treated as cut, not as complete. */
#define NK_FETCH_MAX_RECORDS 100000

typedef struct {
	int fetch;	       /* --fetch was given (for the tool's use) */
	const char *url;       /* API base; NULL = NK_FETCH_URL */
	const char *cache_dir; /* NULL = $XDG_CACHE_HOME/nktrade, else
				  ~/.cache/nktrade */
	int offline;	       /* use the cache only; a miss is an error */
	int refresh;	       /* ignore the cache, always download */
	int quiet;	       /* no retry notes, no progress */
	long timeout;	       /* seconds to connect, and the longest wait
				  without a byte; 0 = 60 */
	int tries;	       /* attempts in all; 0 = 5 */
	long backoff_ms;       /* first back-off delay, doubled each try; 0 =
				  $NK_FETCH_BACKOFF_MS or 2000 */
	/* The query. NULL or "" = parameter not sent. type/freq/cl default to
	 * C, A, HS (path parts). nk_fetch_init sets partner2 "0", customs
	 * "C00", mot "0": the rows the pipeline keeps (no double counting). */
	const char *type_code, *freq_code, *cl_code;
	const char *reporter, *partner, *partner2, *period, *cmd, *flow;
	const char *customs, *mot;
} nk_fetch_opts;

/* Zero *o and set the query defaults above. */
void nk_fetch_init(nk_fetch_opts *o);

/* Download (or find in the cache) the response to the query in `o` and
 * return the path of the validated cached JSON file. Owned: the caller frees
 * it with free(). Dies (exit 1) with a message naming the URL (never the key)
 * after the last try, on an HTTP 4xx other than 429, on --offline with no
 * cache entry, or when the cache cannot be written; exit 2 when $COMTRADE_KEY
 * is needed and missing or --period is missing. `o` is borrowed for the
 * call. */
char *nk_fetch(const nk_fetch_opts *o);

/* The request URL for `o` (without the key). Owned: free(). */
char *nk_fetch_url(const nk_fetch_opts *o);
/* The cache file path for `o`: DIR/comtrade-T-F-CL-HASH.json, HASH the
 * 64-bit FNV-1a of the request URL. Owned: free(). */
char *nk_fetch_cache_path(const nk_fetch_opts *o);

/* Option handling shared by every tool that offers --fetch: add
 * NK_FETCH_LONGOPTS to the getopt_long table, call nk_fetch_opt() for each
 * option (returns 1 if it was one of these), and put NK_FETCH_HELP in --help.
 * --reporter and --partner are not here: a tool maps its own selection
 * options onto o->reporter and o->partner (M49 codes). */
enum {
	NK_OPT_FETCH = 0x1100, NK_OPT_URL, NK_OPT_CACHE_DIR, NK_OPT_OFFLINE,
	NK_OPT_REFRESH, NK_OPT_TIMEOUT, NK_OPT_TRIES, NK_OPT_PERIOD,
	NK_OPT_CMD, NK_OPT_FLOW, NK_OPT_TYPE_CODE, NK_OPT_FREQ, NK_OPT_CL,
	NK_OPT_PARTNER2, NK_OPT_CUSTOMS, NK_OPT_MOT,
};
#define NK_FETCH_LONGOPTS                                                      \
	{"fetch", 0, 0, NK_OPT_FETCH}, {"url", 1, 0, NK_OPT_URL},              \
	{"cache-dir", 1, 0, NK_OPT_CACHE_DIR},                                 \
	{"offline", 0, 0, NK_OPT_OFFLINE}, {"refresh", 0, 0, NK_OPT_REFRESH},  \
	{"timeout", 1, 0, NK_OPT_TIMEOUT}, {"tries", 1, 0, NK_OPT_TRIES},      \
	{"period", 1, 0, NK_OPT_PERIOD}, {"cmd", 1, 0, NK_OPT_CMD},            \
	{"flow", 1, 0, NK_OPT_FLOW}, {"type-code", 1, 0, NK_OPT_TYPE_CODE},    \
	{"freq", 1, 0, NK_OPT_FREQ}, {"cl", 1, 0, NK_OPT_CL},                  \
	{"partner2", 1, 0, NK_OPT_PARTNER2},                                   \
	{"customs", 1, 0, NK_OPT_CUSTOMS}, {"mot", 1, 0, NK_OPT_MOT}
#define NK_FETCH_HELP                                                          \
	"Fetching from the Comtrade Plus API (key in $COMTRADE_KEY):\n"        \
	"      --fetch          download the query below (or take it from the\n" \
	"                       cache) instead of reading FILEs\n"             \
	"      --period=P       periods, e.g. 2022 or 2019,2020 (required)\n"  \
	"      --cmd=CODES      commodity codes (default: all), e.g. TOTAL,27\n" \
	"      --flow=CODES     flows, e.g. M,X (default: all)\n"              \
	"      --type-code=T    C goods (default) or S services\n"             \
	"      --freq=F         A annual (default) or M monthly\n"             \
	"      --cl=CL          classification: HS (default), H0..H6, S1..S4\n" \
	"      --partner2=CODE  second partner (default 0, World; '' = all)\n" \
	"      --customs=CODE   customs procedure (default C00; '' = all)\n"   \
	"      --mot=CODE       mode of transport (default 0; '' = all)\n"     \
	"      --url=BASE       API base (default " NK_FETCH_URL ")\n"         \
	"      --cache-dir=DIR  cache (default $XDG_CACHE_HOME/nktrade or\n"   \
	"                       ~/.cache/nktrade)\n"                           \
	"      --offline        use the cache only; fail if the query is not in it\n" \
	"      --refresh        download again even if the query is cached\n"  \
	"      --timeout=SEC    connect timeout and longest stall (default 60)\n" \
	"      --tries=N        attempts on 429, 5xx, timeouts and broken\n"   \
	"                       responses, with exponential back-off (default 5;\n" \
	"                       first delay $NK_FETCH_BACKOFF_MS ms, default 2000)\n"
int nk_fetch_opt(nk_fetch_opts *o, int c, const char *arg);

#endif
