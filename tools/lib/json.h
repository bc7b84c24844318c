/* json.h - streaming reader for Comtrade Plus API answers (libyajl 2).
 *
 * The answer is one JSON object:
 *   {"elapsedTime":"..","count":N,"data":[{record},...],"error":""}
 * Bytes are fed as they come (a file read in pieces, an HTTP body as it
 * arrives); the reader calls back once per element of "data" with that
 * record's scalar fields, and records the top-level "count", "error" and
 * "message" and whether "data" (or the legacy "dataset") was there. Memory
 * is bounded by one record, whatever the size of the answer.
 *
 * Fields are delivered in source order as (key, value text, type):
 * - numbers as their exact source text ("14121885217.018", "1e3"), never
 *   through a double;
 * - strings unescaped to UTF-8 (yajl checks the UTF-8);
 * - true/false as "true"/"false";
 * - null as absent (not delivered);
 * - a nested object or array inside a record is skipped (its contents are
 *   not kept) and delivered as type NK_JSON_NESTED with empty text, so the
 *   caller can refuse it under a key it needs.
 * Everything outside "data" is skipped the same way, except the top-level
 * "count", "error" and "message".
 *
 * Limits (each an error naming the byte offset): nesting deeper than
 * NK_JSON_DEPTH; one key or value longer than NK_JSON_VALUE_MAX (also more
 * than that much input without any value ending, e.g. blank space); one
 * record's text larger than NK_JSON_RECORD_MAX; a "data" element that is not
 * an object; a string or key holding \u0000 inside a record; "data", "count"
 * or "dataset" twice at the top level. After the first error the reader
 * takes no more input.
 */
#ifndef NK_JSON_H
#define NK_JSON_H

#include "nk.h"

#define NK_JSON_DEPTH 64
#define NK_JSON_VALUE_MAX ((size_t)1 << 20)
#define NK_JSON_RECORD_MAX ((size_t)4 << 20)
#define NK_JSON_TEXT 512 /* top-level error/message kept up to this - 1 */

enum { NK_JSON_STRING, NK_JSON_NUMBER, NK_JSON_BOOL, NK_JSON_NESTED };

/* One scalar field of a record. key and val are borrowed for the callback;
 * val.p is NUL-terminated. */
typedef struct {
	nk_str key, val;
	int type;  /* NK_JSON_* */
	long line; /* 1-based line of the value (a scalar never spans lines;
		      a nested object or array: the line where it begins) */
} nk_json_field;

/* Called at the end of each "data" element: rec is its number (1-based),
 * f[0..n) its fields in source order. May die; must not call back into the
 * reader. */
typedef void (*nk_json_rec_fn)(void *arg, uint64_t rec, const nk_json_field *f,
			       size_t n);

typedef struct nk_json_priv nk_json_priv;
typedef struct {
	/* read-only for callers; complete after nk_json_end */
	uint64_t records; /* elements of "data" so far */
	int root;	  /* the top-level value: 0 none yet, 1 object, 2 other */
	int data;	  /* "data": 0 absent, 1 an array, 2 another value */
	int dataset;	  /* the legacy "dataset" key was there */
	int has_count;	  /* "count" is an integer (in `count`) */
	int count_seen;	  /* "count" is there, whatever its type */
	int64_t count;
	char error[NK_JSON_TEXT];   /* top-level "error" string, "" if none */
	char message[NK_JSON_TEXT]; /* top-level "message" string, "" if none */
	uint64_t bytes;		    /* bytes fed so far */
	long rec_line; /* 1-based line where the current record's '{' is (valid
			  in the record callback) */
	/* set when nk_json_feed or nk_json_end fails */
	char why[256];	 /* what is wrong, e.g. "invalid object key (must be a
			    string)", "record 3: not an object" */
	int syntax;	 /* 1: the text is not JSON; 0: JSON, but outside the
			    limits above */
	uint64_t offset; /* byte offset (0-based) where it was found */
	long line, column; /* 1-based */
	nk_json_priv *p;
} nk_json;

/* A reader calling `fn(arg, ...)` per record (fn may be NULL: count only).
 * Owned: free with nk_json_free. */
nk_json *nk_json_new(nk_json_rec_fn fn, void *arg);
/* Feed the next n bytes. 0 ok; -1 on an error (why, syntax, offset, line,
 * column set; every later call fails the same way). */
int nk_json_feed(nk_json *j, const void *buf, size_t n);
/* End of input: 0 if the text was one whole JSON value, else -1 as above
 * (a cut answer ends here). */
int nk_json_end(nk_json *j);
void nk_json_free(nk_json *j);

#endif
