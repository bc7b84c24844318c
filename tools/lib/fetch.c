/* fetch.c - Comtrade Plus API client with an on-disk cache. See fetch.h. */
#include "fetch.h"
#include "json.h"
#include "nk.h"

#include <curl/curl.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define BACKOFF_MAX_S 300     /* longest back-off of our own */
#define RETRY_AFTER_MAX_S 600 /* longest Retry-After we wait for */
#define BODY_MAX ((size_t)2 << 30)

/* ---------------------------------------------------------------- options */

void nk_fetch_init(nk_fetch_opts *o)
{
	memset(o, 0, sizeof *o);
	o->partner2 = "0";
	o->customs = "C00";
	o->mot = "0";
}

static long num_arg(const char *name, const char *arg, long lo, long hi)
{
	int64_t v;
	if (nk_int_parse(arg, strlen(arg), &v) || v < lo || v > hi)
		nk_usage_error("--%s: not a number from %ld to %ld: '%s'", name,
			       lo, hi, arg);
	return (long)v;
}

int nk_fetch_opt(nk_fetch_opts *o, int c, const char *arg)
{
	switch (c) {
	case NK_OPT_FETCH: o->fetch = 1; break;
	case NK_OPT_URL: o->url = arg; break;
	case NK_OPT_CACHE_DIR: o->cache_dir = arg; break;
	case NK_OPT_OFFLINE: o->offline = 1; break;
	case NK_OPT_REFRESH: o->refresh = 1; break;
	case NK_OPT_TIMEOUT: o->timeout = num_arg("timeout", arg, 1, 86400); break;
	case NK_OPT_TRIES: o->tries = (int)num_arg("tries", arg, 1, 100); break;
	case NK_OPT_PERIOD: o->period = arg; break;
	case NK_OPT_CMD: o->cmd = arg; break;
	case NK_OPT_FLOW: o->flow = arg; break;
	case NK_OPT_TYPE_CODE: o->type_code = arg; break;
	case NK_OPT_FREQ: o->freq_code = arg; break;
	case NK_OPT_CL: o->cl_code = arg; break;
	case NK_OPT_PARTNER2: o->partner2 = arg; break;
	case NK_OPT_CUSTOMS: o->customs = arg; break;
	case NK_OPT_MOT: o->mot = arg; break;
	default: return 0;
	}
	return 1;
}

/* ---------------------------------------------------------- small strings */

typedef struct {
	char *p;
	size_t n, cap;
} buf;

static void buf_add(buf *b, const char *p, size_t n)
{
	if (b->cap - b->n <= n) {
		size_t cap = b->cap ? b->cap : 256;
		while (cap - b->n <= n)
			cap *= 2;
		b->p = nk_xrealloc(b->p, cap);
		b->cap = cap;
	}
	memcpy(b->p + b->n, p, n);
	b->n += n;
	b->p[b->n] = 0;
}

static void buf_cstr(buf *b, const char *s) { buf_add(b, s, strlen(s)); }

/* A query value: unreserved characters and ',' (Comtrade's list separator)
 * as they are, everything else percent-encoded. */
static void buf_enc(buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || strchr("-._~,", c)) {
			buf_add(b, (const char *)&c, 1);
		} else {
			char e[3] = {'%', hex[c >> 4], hex[c & 15]};
			buf_add(b, e, 3);
		}
	}
}

static const char *dflt(const char *s, const char *d) { return s && *s ? s : d; }

char *nk_fetch_url(const nk_fetch_opts *o)
{
	buf b = {0};
	const char *base = dflt(o->url, NK_FETCH_URL);
	size_t n = strlen(base);
	while (n && base[n - 1] == '/')
		n--;
	buf_add(&b, base, n);
	buf_cstr(&b, "/data/v1/get/");
	buf_enc(&b, dflt(o->type_code, "C"));
	buf_cstr(&b, "/");
	buf_enc(&b, dflt(o->freq_code, "A"));
	buf_cstr(&b, "/");
	buf_enc(&b, dflt(o->cl_code, "HS"));
	const struct {
		const char *name, *val;
	} q[] = {
		{"reporterCode", o->reporter}, {"period", o->period},
		{"partnerCode", o->partner},   {"partner2Code", o->partner2},
		{"cmdCode", o->cmd},	       {"flowCode", o->flow},
		{"customsCode", o->customs},   {"motCode", o->mot},
	};
	char sep = '?';
	for (size_t i = 0; i < sizeof q / sizeof *q; i++) {
		if (!q[i].val || !*q[i].val)
			continue;
		buf_add(&b, &sep, 1);
		sep = '&';
		buf_cstr(&b, q[i].name);
		buf_cstr(&b, "=");
		buf_enc(&b, q[i].val);
	}
	char mr[64];
	snprintf(mr, sizeof mr, "%cmaxRecords=%d&includeDesc=true", sep,
		 NK_FETCH_MAX_RECORDS);
	buf_cstr(&b, mr);
	return b.p;
}

/* ------------------------------------------------------------------ cache */

static char *cache_dir(const nk_fetch_opts *o)
{
	buf b = {0};
	const char *x = getenv("XDG_CACHE_HOME"), *h = getenv("HOME");
	if (o->cache_dir && *o->cache_dir) {
		buf_cstr(&b, o->cache_dir);
	} else if (x && x[0] == '/') { /* XDG: relative values are ignored */
		buf_cstr(&b, x);
		buf_cstr(&b, "/nktrade");
	} else if (h && *h) {
		buf_cstr(&b, h);
		buf_cstr(&b, "/.cache/nktrade");
	} else {
		nk_die(2, "no cache directory: set --cache-dir, XDG_CACHE_HOME or HOME");
	}
	return b.p;
}

static uint64_t fnv1a64(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3ULL;
	}
	return h;
}

/* File-name-safe copy of a path part: [A-Za-z0-9] kept, else '_'. */
static void buf_safe(buf *b, const char *s)
{
	for (; *s; s++) {
		char c = *s;
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		      (c >= '0' && c <= '9')))
			c = '_';
		buf_add(b, &c, 1);
	}
}

char *nk_fetch_cache_path(const nk_fetch_opts *o)
{
	char *url = nk_fetch_url(o), *dir = cache_dir(o);
	buf b = {0};
	buf_cstr(&b, dir);
	buf_cstr(&b, "/comtrade-");
	buf_safe(&b, dflt(o->type_code, "C"));
	buf_cstr(&b, "-");
	buf_safe(&b, dflt(o->freq_code, "A"));
	buf_cstr(&b, "-");
	buf_safe(&b, dflt(o->cl_code, "HS"));
	char h[32];
	snprintf(h, sizeof h, "-%016llx.json", (unsigned long long)fnv1a64(url));
	buf_cstr(&b, h);
	free(url);
	free(dir);
	return b.p;
}

/* mkdir -p */
static void make_dir(const char *dir)
{
	char *d = nk_xstrdup(dir);
	for (char *p = d + 1;; p++) {
		if (*p && *p != '/')
			continue;
		char c = *p;
		*p = 0;
		if (mkdir(d, 0777) < 0 && errno != EEXIST)
			nk_die(1, "cache directory %s: cannot create: %s", d,
			       strerror(errno));
		*p = c;
		if (!c)
			break;
	}
	struct stat st;
	if (stat(d, &st) < 0 || !S_ISDIR(st.st_mode))
		nk_die(1, "cache directory %s: not a directory", d);
	free(d);
}

static int is_file(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* ---------------------------------------------------------------- network */

enum { OK, RETRY, FATAL };

static void scrub(char *dst, size_t cap, const char *src, size_t n,
		  const char *key);

typedef struct {
	CURL *h;
	const char *key; /* for scrubbing */
	int progress;	 /* show progress (stderr is a terminal) */
	long timeout;	 /* longest wait without a byte, seconds */
	double last;	 /* last progress line */
	double moved;	 /* last time a byte came (or the try began) */
	curl_off_t got;	 /* bytes at that time */
	int stalled;
	/* this try's body */
	long status;	 /* HTTP status, read at the first byte (0: none yet) */
	uint64_t bytes;	 /* body bytes so far */
	nk_out *cache;	 /* a 200 body goes here ... */
	nk_json *j;	 /* ... and through the checker */
	buf err;	 /* any other body: its first ERR_KEEP bytes */
	int verdict;	 /* RETRY or FATAL when the body was refused midway, else -1 */
	char *why;	 /* the reason then */
	size_t whycap;
} xfer;

#define ERR_KEEP ((size_t)64 << 10)

/* "response is not valid JSON: ..." for the checker's error. */
static void json_why(const xfer *x, char *why, size_t cap)
{
	char t[300];
	const nk_json *j = x->j;
	scrub(t, sizeof t, j->why, strlen(j->why), x->key);
	snprintf(why, cap, "response is %s: %s (line %ld, column %ld; %llu bytes)",
		 j->syntax ? "not valid JSON" : "not a Comtrade Plus answer", t,
		 j->line, j->column, (unsigned long long)x->bytes);
}

static int refuse(xfer *x, int verdict)
{
	x->verdict = verdict;
	return 0; /* curl ends the try with a write error */
}

/* A piece of the body: a 200 body is written to the cache temp and checked
 * as it comes, so it is never held in memory. */
static size_t on_body(char *p, size_t size, size_t n, void *arg)
{
	xfer *x = arg;
	size_t len = size * n;
	if (!x->status)
		curl_easy_getinfo(x->h, CURLINFO_RESPONSE_CODE, &x->status);
	x->bytes += len;
	if (x->status != 200) {
		size_t k = ERR_KEEP - x->err.n;
		buf_add(&x->err, p, len < k ? len : k);
		return len;
	}
	if (x->bytes > BODY_MAX) {
		snprintf(x->why, x->whycap, "response larger than %zu MiB", BODY_MAX >> 20);
		return refuse(x, FATAL);
	}
	nk_out_write(x->cache, p, len);
	if (nk_json_feed(x->j, p, len)) {
		json_why(x, x->why, x->whycap);
		return refuse(x, RETRY); /* a garbled body may come right next time */
	}
	if (x->j->records >= NK_FETCH_MAX_RECORDS) {
		/* no need for the rest (the API sends no more than its cap;
		 * the records counted so far may run past it by a piece) */
		snprintf(x->why, x->whycap,
			 "response holds %d records, the API's limit per call: the "
			 "result is probably cut; split the query (fewer periods, "
			 "reporters or codes)", NK_FETCH_MAX_RECORDS);
		return refuse(x, FATAL);
	}
	return len;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int on_progress(void *arg, curl_off_t dltotal, curl_off_t dlnow,
		       curl_off_t ultotal, curl_off_t ulnow)
{
	(void)ultotal, (void)ulnow;
	xfer *x = arg;
	double t = now();
	if (dlnow != x->got) {
		x->got = dlnow;
		x->moved = t;
	} else if (t - x->moved >= (double)x->timeout) {
		x->stalled = 1;
		return 1; /* abort this try */
	}
	if (!x->progress || t - x->last < 0.25)
		return 0;
	x->last = t;
	if (dltotal > 0)
		fprintf(stderr, "\r%s: downloading: %.1f of %.1f MB\033[K", nk_prog,
			dlnow / 1e6, dltotal / 1e6);
	else
		fprintf(stderr, "\r%s: downloading: %.1f MB\033[K", nk_prog,
			dlnow / 1e6);
	return 0;
}

/* Copy server or curl text into `dst` for a message: control bytes shown as
 * '?', cut at 160 bytes, every occurrence of the key replaced by "***". */
static void scrub(char *dst, size_t cap, const char *src, size_t n,
		  const char *key)
{
	size_t klen = key ? strlen(key) : 0, j = 0;
	for (size_t i = 0; i < n && j + 4 < cap && j < 160;) {
		if (klen && n - i >= klen && !memcmp(src + i, key, klen)) {
			memcpy(dst + j, "***", 3);
			j += 3;
			i += klen;
			continue;
		}
		unsigned char c = (unsigned char)src[i++];
		dst[j++] = c < 0x20 || c == 0x7f ? '?' : (char)c;
	}
	dst[j] = 0;
}

/* What the server said in an error body: its "message" or "error" string if
 * it is JSON, else the start of the body. */
static void server_text(char *dst, size_t cap, const buf *b, const char *key)
{
	dst[0] = 0;
	if (!b->n)
		return;
	nk_json *j = nk_json_new(NULL, NULL);
	const char *s = NULL;
	if (!nk_json_feed(j, b->p, b->n) && !nk_json_end(j) && j->root == 1)
		s = *j->message ? j->message : *j->error ? j->error : NULL;
	if (s)
		scrub(dst, cap, s, strlen(s), key);
	else
		scrub(dst, cap, b->p, b->n, key);
	nk_json_free(j);
}

/* The rules for a whole 200 body, before it is cached. */
static int check_end(xfer *x, char *why, size_t cap)
{
	nk_json *j = x->j;
	if (nk_json_end(j)) {
		json_why(x, why, cap);
		return RETRY; /* a cut or garbled body may come right next time */
	}
	if (j->root != 1) {
		snprintf(why, cap, "response is not a JSON object");
		return RETRY;
	}
	if (*j->error) {
		char t[200];
		scrub(t, sizeof t, j->error, strlen(j->error), x->key);
		snprintf(why, cap, "the API answered with an error: %s", t);
		return FATAL;
	}
	if (j->data != 1) {
		snprintf(why, cap, "response has no \"data\" array");
		return RETRY;
	}
	if (!j->has_count) {
		snprintf(why, cap, "response has no integer \"count\"");
		return RETRY;
	}
	if (j->count < 0 || (uint64_t)j->count != j->records) {
		snprintf(why, cap, "response holds %llu records but its \"count\" says %lld",
			 (unsigned long long)j->records, (long long)j->count);
		return RETRY;
	}
	return OK;
}

static void sleep_s(double s)
{
	struct timespec ts = {(time_t)s, (long)((s - (double)(time_t)s) * 1e9)};
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static long backoff_ms(const nk_fetch_opts *o)
{
	if (o->backoff_ms > 0)
		return o->backoff_ms;
	const char *e = getenv("NK_FETCH_BACKOFF_MS");
	int64_t v;
	if (e && *e && !nk_int_parse(e, strlen(e), &v) && v >= 0 && v <= 3600000)
		return (long)v;
	return 2000;
}

/* One attempt. Returns OK (body in the cache temp), RETRY or FATAL with
 * `why`. */
static int attempt(xfer *x, char *why, size_t cap, long *retry_after)
{
	CURL *h = x->h;
	char ebuf[CURL_ERROR_SIZE] = "";
	x->last = 0;
	x->moved = now();
	x->got = 0;
	x->stalled = 0;
	x->status = 0;
	x->bytes = 0;
	x->err.n = 0;
	x->verdict = -1;
	x->why = why;
	x->whycap = cap;
	nk_json_free(x->j);
	x->j = nk_json_new(NULL, NULL);
	nk_out_rewind(x->cache); /* empty for this try */
	*retry_after = -1;
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, ebuf);
	CURLcode rc = curl_easy_perform(h);
	if (x->progress)
		fprintf(stderr, "\r\033[K");
	if (x->verdict >= 0)
		return x->verdict; /* refused midway: `why` says why */
	if (rc != CURLE_OK) {
		char t[200];
		const char *m = *ebuf ? ebuf : curl_easy_strerror(rc);
		scrub(t, sizeof t, m, strlen(m), x->key);
		if (x->stalled)
			snprintf(why, cap, "timeout: no data for %ld s", x->timeout);
		else
			snprintf(why, cap, "%s", t);
		if (rc == CURLE_UNSUPPORTED_PROTOCOL || rc == CURLE_URL_MALFORMAT ||
		    rc == CURLE_WRITE_ERROR || rc == CURLE_OUT_OF_MEMORY)
			return FATAL;
		return RETRY;
	}
	long status = 0;
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
	if (status == 200)
		return check_end(x, why, cap);
	char t[200];
	server_text(t, sizeof t, &x->err, x->key);
	snprintf(why, cap, "HTTP %ld%s%s", status, *t ? ": " : "", t);
	if (status == 429 || status >= 500) {
		curl_off_t ra = -1;
		if (curl_easy_getinfo(h, CURLINFO_RETRY_AFTER, &ra) == CURLE_OK &&
		    ra > 0)
			*retry_after = (long)ra;
		return RETRY;
	}
	return FATAL;
}

char *nk_fetch(const nk_fetch_opts *o)
{
	if (!o->period || !*o->period)
		nk_usage_error("--fetch needs --period (e.g. --period=2022)");
	if (o->offline && o->refresh)
		nk_usage_error("--offline and --refresh exclude each other");
	char *url = nk_fetch_url(o);
	char *path = nk_fetch_cache_path(o);
	if (!o->refresh && is_file(path)) {
		free(url);
		return path;
	}
	if (o->offline)
		nk_die(1, "--offline: not in the cache: %s (looked for %s)", url, path);
	const char *key = getenv("COMTRADE_KEY");
	if (!key || !*key)
		nk_die(2, "COMTRADE_KEY is not set: put your Comtrade Plus "
			  "subscription key in it to use --fetch");
	for (const char *k = key; *k; k++)
		if ((unsigned char)*k < 0x20 || *k == 0x7f)
			nk_die(2, "COMTRADE_KEY contains a control character");
	char *dir = cache_dir(o);
	make_dir(dir); /* fail before the download, not after */
	/* the body goes to an unnamed file in the cache directory (see
	 * nk_out_open: a killed run leaves nothing), renamed onto the entry
	 * only once it has passed the check */
	nk_out *cache = nk_out_open(path);
	free(dir);

	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		nk_die(1, "cannot initialise libcurl");
	CURL *h = curl_easy_init();
	if (!h)
		nk_die(1, "cannot initialise libcurl");
	buf hdr = {0};
	buf_cstr(&hdr, "Ocp-Apim-Subscription-Key: ");
	buf_cstr(&hdr, key);
	struct curl_slist *hl = curl_slist_append(NULL, hdr.p);
	hl = curl_slist_append(hl, "Accept: application/json");
	/* the key is in curl's copy now; wipe ours */
	memset(hdr.p, 0, hdr.n);
	free(hdr.p);
	if (!hl)
		nk_die(1, "out of memory");
	long timeout = o->timeout > 0 ? o->timeout : 60;
	xfer x = {.h = h, .key = key, .progress = !o->quiet && isatty(2),
		  .timeout = timeout, .cache = cache};
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hl);
	curl_easy_setopt(h, CURLOPT_USERAGENT, "nktrade/" NK_VERSION);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L); /* key stays with the host */
	curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, timeout);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &x);
	/* the progress callback also ends a try that stalls for `timeout` */
	curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_progress);
	curl_easy_setopt(h, CURLOPT_XFERINFODATA, &x);

	int tries = o->tries > 0 ? o->tries : 5;
	double delay = backoff_ms(o) / 1000.0;
	char why[512];
	int rc = FATAL;
	for (int i = 1; i <= tries; i++) {
		long ra;
		rc = attempt(&x, why, sizeof why, &ra);
		if (rc != RETRY || i == tries)
			break;
		double wait = delay;
		if (ra > 0)
			wait = ra > RETRY_AFTER_MAX_S ? RETRY_AFTER_MAX_S : (double)ra;
		if (!o->quiet)
			nk_warn("%s: %s; try %d of %d in %g s", url, why, i + 1,
				tries, wait);
		sleep_s(wait);
		delay = delay * 2 > BACKOFF_MAX_S ? BACKOFF_MAX_S : delay * 2;
	}
	curl_easy_cleanup(h);
	curl_slist_free_all(hl);
	curl_global_cleanup();
	if (rc == RETRY)
		nk_die(1, "%s: %s (gave up after %d %s)", url, why, tries,
		       tries == 1 ? "try" : "tries");
	if (rc == FATAL)
		nk_die(1, "%s: %s", url, why);

	nk_out_close(cache);
	nk_json_free(x.j);
	free(x.err.p);
	free(url);
	return path;
}
