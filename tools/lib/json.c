/* json.c - streaming reader for Comtrade Plus API answers. See json.h.
 *
 * yajl calls back per token; the callbacks follow where the token is:
 * depth 0 the top-level value, 1 a member of the top-level object, 2 an
 * element of "data", 3 a field of a record. Any other value (under an
 * unknown key, inside a record field) is skipped by counting its containers
 * in `skip`, keeping nothing. */
#include "json.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yajl/yajl_parse.h>

#define SLICE ((size_t)64 << 10) /* bytes per yajl_parse call */

enum { K_OTHER, K_DATA, K_COUNT, K_ERROR, K_MESSAGE, K_DATASET };

typedef struct {
	size_t ko, kn, vo, vn;
	int type;
	long line;
} fld;

struct nk_json_priv {
	nk_json *j;
	yajl_handle h;
	nk_json_rec_fn fn;
	void *arg;
	int depth; /* containers open, not counting skipped ones */
	int skip;  /* containers open inside the value being skipped */
	int topkey; /* K_* of the current top-level member */
	int failed; /* an error is set: no more input */
	/* the current record: keys and values in txt, NUL after each */
	char *txt;
	size_t ntxt, txtcap;
	fld *f;
	size_t nf, fcap;
	nk_json_field *fv;
	size_t fvcap;
	size_t key_o, key_n;
	/* where we are */
	const char *slice;    /* the slice being parsed, `slice_n` bytes */
	size_t slice_n;
	uint64_t slice_start; /* its offset */
	size_t scan;	      /* its bytes counted into `lines` so far */
	size_t nl;	      /* its first '\n' at or after scan (slice_n: none) */
	int event;	      /* a callback came during this slice */
	uint64_t gap;	      /* bytes since the last slice with a callback */
	long lines;	      /* '\n' before slice_start + scan */
	uint64_t line_start;  /* offset after the last '\n' before that */
};

/* ---------------------------------------------------------------- errors */

/* Our own error from a callback: stop the parse (yajl reports "client
 * cancelled"; nk_json_feed then fills in where). */
static int fail(nk_json_priv *P, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static int fail(nk_json_priv *P, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(P->j->why, sizeof P->j->why, fmt, ap);
	va_end(ap);
	P->j->syntax = 0;
	P->failed = 1;
	return 0;
}

/* A key for a message: at most 40 bytes, control bytes as '?'. */
static const char *show(const char *p, size_t n, char *buf)
{
	size_t k = 0;
	for (size_t i = 0; i < n && k < 40; i++)
		buf[k++] = (unsigned char)p[i] < 0x20 ? '?' : p[i];
	buf[k] = 0;
	return buf;
}

/* Count the '\n' of the slice up to byte `off` into the position. Called
 * per value: up to the next '\n' (found once) it is a compare, so a
 * one-line answer costs one memchr per slice. */
static void count_lines(nk_json_priv *P, size_t off)
{
	if (off > P->slice_n)
		off = P->slice_n;
	if (off <= P->scan)
		return;
	while (P->nl < off) {
		P->lines++;
		P->line_start = P->slice_start + P->nl + 1;
		const char *q = memchr(P->slice + P->nl + 1, '\n', P->slice_n - P->nl - 1);
		P->nl = q ? (size_t)(q - P->slice) : P->slice_n;
	}
	P->scan = off;
}

/* A new slice p[0..n): nothing of it counted yet. */
static void slice_begin(nk_json_priv *P, const char *p, size_t n)
{
	const char *q = memchr(p, '\n', n);
	P->slice = p;
	P->slice_n = n;
	P->scan = 0;
	P->nl = q ? (size_t)(q - p) : n;
}

/* The line (1-based) of the token a callback is called for: yajl has
 * consumed the slice up to its end. */
static long cur_line(nk_json_priv *P)
{
	if (P->nl < P->slice_n) /* else no '\n' left in the slice */
		count_lines(P, yajl_get_bytes_consumed(P->h));
	return P->lines + 1;
}

/* Set offset, line and column of the error at byte `off` of the slice. */
static void place(nk_json_priv *P, size_t off)
{
	nk_json *j = P->j;
	count_lines(P, off);
	j->offset = P->slice_start + off;
	j->line = P->lines + 1;
	j->column = (long)(j->offset - P->line_start) + 1;
	P->failed = 1;
}

/* -------------------------------------------------------------- records */

static int rec_add(nk_json_priv *P, const void *p, size_t n, size_t *off)
{
	if (P->ntxt + n + 1 + (P->nf + 1) * sizeof(fld) > NK_JSON_RECORD_MAX)
		return fail(P, "record %llu: larger than %zu MiB",
			    (unsigned long long)P->j->records, NK_JSON_RECORD_MAX >> 20);
	if (P->txtcap - P->ntxt < n + 1) {
		size_t cap = P->txtcap ? P->txtcap : 4096;
		while (cap - P->ntxt < n + 1)
			cap *= 2;
		P->txt = nk_xrealloc(P->txt, cap);
		P->txtcap = cap;
	}
	*off = P->ntxt;
	memcpy(P->txt + P->ntxt, p, n);
	P->ntxt += n;
	P->txt[P->ntxt++] = 0;
	return 1;
}

static int field(nk_json_priv *P, int type, const char *p, size_t n)
{
	char kb[48];
	if (type == NK_JSON_STRING && memchr(p, 0, n))
		return fail(P, "record %llu: key '%s': string holds \\u0000",
			    (unsigned long long)P->j->records,
			    show(P->txt + P->key_o, P->key_n, kb));
	if (P->nf == P->fcap) {
		P->fcap = P->fcap ? 2 * P->fcap : 64;
		P->f = nk_xrealloc(P->f, P->fcap * sizeof *P->f);
	}
	fld *f = &P->f[P->nf];
	if (!rec_add(P, p, n, &f->vo))
		return 0;
	f->ko = P->key_o;
	f->kn = P->key_n;
	f->vn = n;
	f->type = type;
	f->line = cur_line(P);
	P->nf++;
	return 1;
}

static int rec_end(nk_json_priv *P)
{
	if (!P->fn)
		return 1;
	if (P->fvcap < P->nf) {
		P->fvcap = P->fcap;
		P->fv = nk_xrealloc(P->fv, P->fvcap * sizeof *P->fv);
	}
	for (size_t i = 0; i < P->nf; i++) {
		fld *f = &P->f[i];
		P->fv[i].key.p = P->txt + f->ko;
		P->fv[i].key.n = f->kn;
		P->fv[i].val.p = P->txt + f->vo;
		P->fv[i].val.n = f->vn;
		P->fv[i].type = f->type;
		P->fv[i].line = f->line;
	}
	P->fn(P->arg, P->j->records, P->fv, P->nf);
	return 1;
}

/* ------------------------------------------------------------ callbacks */

static void keep_text(char *dst, const char *p, size_t n)
{
	if (n >= NK_JSON_TEXT) {
		n = NK_JSON_TEXT - 1;
		while (n && ((unsigned char)p[n] & 0xc0) == 0x80)
			n--; /* not inside a UTF-8 sequence */
	}
	const char *z = memchr(p, 0, n);
	if (z)
		n = (size_t)(z - p);
	memcpy(dst, p, n);
	dst[n] = 0;
}

/* A scalar (type, text) or the start of a container (container 1). */
static int value(nk_json_priv *P, int type, const char *p, size_t n, int container)
{
	nk_json *j = P->j;
	P->event = 1;
	if (n > NK_JSON_VALUE_MAX)
		return fail(P, "a value longer than %zu MiB", NK_JSON_VALUE_MAX >> 20);
	if (P->skip) {
		if (container && ++P->skip + P->depth > NK_JSON_DEPTH)
			return fail(P, "nesting deeper than %d levels", NK_JSON_DEPTH);
		return 1;
	}
	int enter = 0; /* 1: the container is ours (depth), 0: skip it */
	switch (P->depth) {
	case 0:
		j->root = container == 1 && type == 'm' ? 1 : 2;
		enter = j->root == 1;
		break;
	case 1:
		switch (P->topkey) {
		case K_DATA:
			j->data = container && type == 'a' ? 1 : 2;
			enter = j->data == 1;
			break;
		case K_COUNT:
			if (type == NK_JSON_NUMBER && !container)
				j->has_count = !nk_int_parse(p, n, &j->count);
			break;
		case K_ERROR:
			if (type == NK_JSON_STRING && !container)
				keep_text(j->error, p, n);
			break;
		case K_MESSAGE:
			if (type == NK_JSON_STRING && !container)
				keep_text(j->message, p, n);
			break;
		}
		break;
	case 2:
		j->records++;
		if (!container || type != 'm')
			return fail(P, "record %llu: not an object",
				    (unsigned long long)j->records);
		P->nf = 0;
		P->ntxt = 0;
		j->rec_line = cur_line(P);
		enter = 1;
		break;
	case 3:
		if (container) {
			if (!field(P, NK_JSON_NESTED, "", 0))
				return 0;
		} else if (type >= 0) {
			return field(P, type, p, n);
		}
		break;
	}
	if (!container)
		return 1;
	if (enter) {
		P->depth++;
		return 1;
	}
	P->skip = 1;
	if (P->depth + 1 > NK_JSON_DEPTH)
		return fail(P, "nesting deeper than %d levels", NK_JSON_DEPTH);
	return 1;
}

static int end(nk_json_priv *P)
{
	P->event = 1;
	if (P->skip) {
		P->skip--;
		return 1;
	}
	if (P->depth == 3 && !rec_end(P))
		return 0;
	P->depth--;
	return 1;
}

static int cb_null(void *c) { return value(c, -1, "", 0, 0); }
static int cb_bool(void *c, int b)
{
	return value(c, NK_JSON_BOOL, b ? "true" : "false", b ? 4 : 5, 0);
}
static int cb_number(void *c, const char *p, size_t n)
{
	return value(c, NK_JSON_NUMBER, p, n, 0);
}
static int cb_string(void *c, const unsigned char *p, size_t n)
{
	return value(c, NK_JSON_STRING, (const char *)p, n, 0);
}
static int cb_start_map(void *c) { return value(c, 'm', "", 0, 1); }
static int cb_start_array(void *c) { return value(c, 'a', "", 0, 1); }
static int cb_end(void *c) { return end(c); }

static int cb_key(void *c, const unsigned char *k, size_t n)
{
	nk_json_priv *P = c;
	nk_json *j = P->j;
	const char *p = (const char *)k;
	P->event = 1;
	if (n > NK_JSON_VALUE_MAX)
		return fail(P, "a key longer than %zu MiB", NK_JSON_VALUE_MAX >> 20);
	if (P->skip)
		return 1;
	if (P->depth == 1) {
#define IS(s) (n == sizeof s - 1 && !memcmp(p, s, n))
		P->topkey = IS("data")	   ? K_DATA
			    : IS("count")   ? K_COUNT
			    : IS("error")   ? K_ERROR
			    : IS("message") ? K_MESSAGE
			    : IS("dataset") ? K_DATASET
					    : K_OTHER;
#undef IS
		int *seen = P->topkey == K_DATA	     ? &j->data
			    : P->topkey == K_COUNT   ? &j->count_seen
			    : P->topkey == K_DATASET ? &j->dataset
						     : NULL;
		if (seen && *seen)
			return fail(P, "top-level key '%.*s' given twice", (int)n, p);
		if (P->topkey == K_DATA)
			j->data = 2; /* until its value says array */
		else if (seen)
			*seen = 1;
		return 1;
	}
	if (P->depth == 3) {
		if (memchr(p, 0, n))
			return fail(P, "record %llu: a key holds \\u0000",
				    (unsigned long long)j->records);
		P->key_n = n;
		return rec_add(P, p, n, &P->key_o);
	}
	return 1;
}

static const yajl_callbacks cbs = {
	.yajl_null = cb_null,
	.yajl_boolean = cb_bool,
	.yajl_number = cb_number,
	.yajl_string = cb_string,
	.yajl_start_map = cb_start_map,
	.yajl_map_key = cb_key,
	.yajl_end_map = cb_end,
	.yajl_start_array = cb_start_array,
	.yajl_end_array = cb_end,
};

/* ---------------------------------------------------------------- feeding */

nk_json *nk_json_new(nk_json_rec_fn fn, void *arg)
{
	nk_json *j = nk_xmalloc(sizeof *j);
	memset(j, 0, sizeof *j);
	nk_json_priv *P = nk_xmalloc(sizeof *P);
	memset(P, 0, sizeof *P);
	j->p = P;
	P->j = j;
	P->fn = fn;
	P->arg = arg;
	P->h = yajl_alloc(&cbs, NULL, P);
	if (!P->h)
		nk_die(1, "out of memory");
	return j;
}

/* After yajl_parse or yajl_complete_parse on the slice returned st. */
static int check(nk_json_priv *P, yajl_status st)
{
	size_t n = P->slice_n;
	nk_json *j = P->j;
	if (st == yajl_status_ok)
		return 0;
	size_t off = yajl_get_bytes_consumed(P->h);
	if (off > n)
		off = n;
	if (st == yajl_status_error) {
		unsigned char *e = yajl_get_error(P->h, 0, NULL, 0);
		const char *t = (const char *)e;
		/* "parse error: invalid object key (must be a string)\n" */
		const char *colon = e ? strstr(t, "error: ") : NULL;
		if (colon)
			t = colon + 7;
		snprintf(j->why, sizeof j->why, "%s", e ? t : "syntax error");
		size_t l = strlen(j->why);
		while (l && strchr("\n .", j->why[l - 1]))
			j->why[--l] = 0;
		if (e)
			yajl_free_error(P->h, e);
		j->syntax = 1;
		/* yajl has consumed the offending token: point at its last
		 * byte (its first, when it is one byte long and in this
		 * slice) */
		if (off > 0)
			off--;
	}
	place(P, off);
	return -1;
}

int nk_json_feed(nk_json *j, const void *buf, size_t n)
{
	nk_json_priv *P = j->p;
	const char *p = buf;
	while (n) {
		if (P->failed)
			return -1;
		size_t k = n < SLICE ? n : SLICE;
		P->event = 0;
		slice_begin(P, p, k);
		yajl_status st = yajl_parse(P->h, (const unsigned char *)p, k);
		if (check(P, st))
			return -1;
		P->gap = P->event ? 0 : P->gap + k;
		if (P->gap > NK_JSON_VALUE_MAX) {
			fail(P, "more than %zu MiB without a value ending (a value or "
				"blank space that long)", NK_JSON_VALUE_MAX >> 20);
			place(P, k);
			return -1;
		}
		count_lines(P, k);
		P->slice_start += k;
		j->bytes += k;
		p += k;
		n -= k;
	}
	return P->failed ? -1 : 0;
}

int nk_json_end(nk_json *j)
{
	nk_json_priv *P = j->p;
	if (P->failed)
		return -1;
	slice_begin(P, "", 0);
	yajl_status st = yajl_complete_parse(P->h);
	return check(P, st);
}

void nk_json_free(nk_json *j)
{
	if (!j)
		return;
	yajl_free(j->p->h);
	free(j->p->txt);
	free(j->p->f);
	free(j->p->fv);
	free(j->p);
	free(j);
}
