/* rules.c - YAML rule files as a tree with FILE:LINE:COL marks. See rules.h. */
#include "rules.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

static void vymsg(const nk_ynode *at, const char *fmt, va_list ap)
{
	char msg[1024];
	vsnprintf(msg, sizeof msg, fmt, ap);
	if (at)
		nk_warn("%s:%ld:%ld: %s", at->file, at->line, at->col, msg);
	else
		nk_warn("%s", msg);
}

void nk_ydie(const nk_ynode *at, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vymsg(at, fmt, ap);
	va_end(ap);
	nk_exit_now(1);
}

void nk_ywarn(const nk_ynode *at, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vymsg(at, fmt, ap);
	va_end(ap);
}

/* ------------------------------------------------------------- loading */

/* Deepest nesting of lists and mappings a rule file may use. A rule needs
 * four levels; the limit keeps the recursive parse_node (and node_free) from
 * overflowing the stack on "[[[[..." (libyaml itself has no limit). */
enum { MAX_DEPTH = 64 };

typedef struct {
	yaml_parser_t p;
	const char *path; /* doc's copy */
	const char *shown;
	int depth; /* lists and mappings open around the current node */
	nk_in *in;
	size_t bytes, nodes; /* read, made so far (NK_YAML_*_MAX) */
	long line, col;	     /* 1-based position of the next byte read */
} loader;

static _Noreturn void syntax_die(loader *L)
{
	yaml_parser_t *p = &L->p;
	const char *what = p->problem ? p->problem : "cannot parse";
	yaml_mark_t m = p->problem_mark;
	if (p->error == YAML_READER_ERROR)
		nk_die(1, "%s: %s (byte %zu)", L->shown, what, p->problem_offset);
	if (p->context)
		nk_die(1, "%s:%zu:%zu: YAML syntax error: %s (%s that starts at %zu:%zu)",
		       L->shown, m.line + 1, m.column + 1, what, p->context + 
		       (strncmp(p->context, "while ", 6) ? 0 : 6),
		       p->context_mark.line + 1, p->context_mark.column + 1);
	nk_die(1, "%s:%zu:%zu: YAML syntax error: %s", L->shown, m.line + 1,
	       m.column + 1, what);
}

static void next_event(loader *L, yaml_event_t *e)
{
	if (!yaml_parser_parse(&L->p, e))
		syntax_die(L);
}

static nk_ynode *new_node(loader *L, nk_ykind k, const yaml_event_t *e)
{
	nk_ynode *n = nk_xmalloc(sizeof *n);
	memset(n, 0, sizeof *n);
	n->kind = k;
	n->file = L->shown;
	n->line = (long)e->start_mark.line + 1;
	n->col = (long)e->start_mark.column + 1;
	if (++L->nodes > NK_YAML_NODES_MAX)
		nk_ydie(n, "more than %d values, lists and mappings in a rule file",
			NK_YAML_NODES_MAX);
	return n;
}

static void push(nk_ynode *n, nk_ynode *kid, size_t *cap)
{
	if (n->n == *cap) {
		*cap = *cap ? *cap * 2 : 4;
		n->kid = nk_xrealloc(n->kid, *cap * sizeof *n->kid);
	}
	n->kid[n->n++] = kid;
}

static void reject_extras(loader *L, const yaml_event_t *e, const nk_ynode *n,
			  const unsigned char *anchor, const unsigned char *tag,
			  int implicit)
{
	(void)L;
	(void)e;
	if (anchor)
		nk_ydie(n, "anchors (&%s) are not supported in rule files", anchor);
	if (tag && !implicit)
		nk_ydie(n, "tags (%s) are not supported in rule files", tag);
}

typedef struct {
	const char *s;
	size_t i;
} keyref;

static int keyref_cmp(const void *a, const void *b)
{
	const keyref *x = a, *y = b;
	int c = strcmp(x->s, y->s);
	return c ? c : x->i < y->i ? -1 : x->i > y->i;
}

/* Die on the first key (in file order) that repeats an earlier one of the
 * mapping. Sorted, not pairwise: a mapping of 100,000 keys took 42 s. */
static void check_duplicates(const nk_ynode *n)
{
	if (n->n < 2)
		return;
	keyref *k = nk_xmalloc(n->n * sizeof *k);
	for (size_t i = 0; i < n->n; i++)
		k[i] = (keyref){n->kid[2 * i]->str, i};
	qsort(k, n->n, sizeof *k, keyref_cmp);
	size_t dup = n->n, first = 0;
	for (size_t i = 1; i < n->n; i++)
		if (!strcmp(k[i].s, k[i - 1].s) && k[i].i < dup &&
		    (i < 2 || strcmp(k[i].s, k[i - 2].s))) {
			dup = k[i].i;
			first = k[i - 1].i;
		}
	free(k);
	if (dup < n->n)
		nk_ydie(n->kid[2 * dup], "duplicate key '%s' (first at line %ld)",
			n->kid[2 * dup]->str, n->kid[2 * first]->line);
}

static void enter(loader *L, const nk_ynode *n)
{
	if (++L->depth > MAX_DEPTH)
		nk_ydie(n, "lists and mappings nested deeper than %d levels", MAX_DEPTH);
}

/* Parse the node whose first event is `e` (consumed). */
static nk_ynode *parse_node(loader *L, yaml_event_t *e)
{
	nk_ynode *n;
	switch (e->type) {
	case YAML_ALIAS_EVENT: {
		nk_ynode at = {.file = L->shown,
			       .line = (long)e->start_mark.line + 1,
			       .col = (long)e->start_mark.column + 1};
		nk_ydie(&at, "aliases (*%s) are not supported in rule files",
			e->data.alias.anchor);
	}
	case YAML_SCALAR_EVENT:
		n = new_node(L, NK_Y_SCALAR, e);
		reject_extras(L, e, n, e->data.scalar.anchor, e->data.scalar.tag,
			      e->data.scalar.plain_implicit || e->data.scalar.quoted_implicit);
		n->len = e->data.scalar.length;
		if (memchr(e->data.scalar.value, 0, n->len))
			nk_ydie(n, "a NUL character (\\0) is not allowed in rule files");
		n->str = nk_xmalloc(n->len + 1);
		memcpy(n->str, e->data.scalar.value, n->len);
		n->str[n->len] = 0;
		n->quoted = e->data.scalar.style == YAML_SINGLE_QUOTED_SCALAR_STYLE ||
			    e->data.scalar.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE;
		yaml_event_delete(e);
		return n;
	case YAML_SEQUENCE_START_EVENT: {
		n = new_node(L, NK_Y_SEQ, e);
		reject_extras(L, e, n, e->data.sequence_start.anchor,
			      e->data.sequence_start.tag, e->data.sequence_start.implicit);
		enter(L, n);
		yaml_event_delete(e);
		size_t cap = 0;
		for (;;) {
			yaml_event_t k;
			next_event(L, &k);
			if (k.type == YAML_SEQUENCE_END_EVENT) {
				yaml_event_delete(&k);
				L->depth--;
				return n;
			}
			push(n, parse_node(L, &k), &cap);
		}
	}
	case YAML_MAPPING_START_EVENT: {
		n = new_node(L, NK_Y_MAP, e);
		reject_extras(L, e, n, e->data.mapping_start.anchor,
			      e->data.mapping_start.tag, e->data.mapping_start.implicit);
		enter(L, n);
		yaml_event_delete(e);
		size_t cap = 0, pairs = 0;
		for (;;) {
			yaml_event_t k;
			next_event(L, &k);
			if (k.type == YAML_MAPPING_END_EVENT) {
				yaml_event_delete(&k);
				n->n = pairs;
				check_duplicates(n);
				L->depth--;
				return n;
			}
			nk_ynode *key = parse_node(L, &k);
			if (key->kind != NK_Y_SCALAR)
				nk_ydie(key, "a mapping key must be a single value");
			yaml_event_t v;
			next_event(L, &v);
			nk_ynode *val = parse_node(L, &v);
			n->n = 2 * pairs;
			push(n, key, &cap);
			push(n, val, &cap);
			pairs++;
		}
	}
	default: {
		nk_ynode at = {.file = L->shown,
			       .line = (long)e->start_mark.line + 1,
			       .col = (long)e->start_mark.column + 1};
		nk_ydie(&at, "unexpected YAML event");
	}
	}
}

/* Feeds libyaml, which holds a scalar whole however long it is: past
 * NK_YAML_BYTES_MAX the file is an error at the first byte beyond (its
 * line and column counted here as libyaml would: characters, not bytes). */
static int read_handler(void *data, unsigned char *buf, size_t size, size_t *got)
{
	loader *L = data;
	size_t n = nk_in_read(L->in, buf, size);
	size_t ok = NK_YAML_BYTES_MAX - L->bytes < n ? NK_YAML_BYTES_MAX - L->bytes : n;
	for (size_t i = 0; i < ok; i++)
		if (buf[i] == '\n')
			L->line++, L->col = 1;
		else if ((buf[i] & 0xc0) != 0x80)
			L->col++;
	if (ok < n)
		nk_die(1, "%s:%ld:%ld: a rule file may hold at most %zu MiB", L->shown,
		       L->line, L->col, NK_YAML_BYTES_MAX >> 20);
	L->bytes += n;
	*got = n;
	return 1;
}

nk_ydoc *nk_ydoc_load(const char *path)
{
	nk_ydoc *d = nk_xmalloc(sizeof *d);
	d->path = nk_xstrdup(path);
	d->root = NULL;
	loader L = {.path = d->path, .line = 1, .col = 1};
	nk_in *in = L.in = nk_in_open(path);
	L.shown = nk_in_name(in);
	if (L.shown != path && strcmp(L.shown, path) != 0) {
		free(d->path);
		d->path = nk_xstrdup(L.shown);
	}
	L.shown = d->path;
	if (!yaml_parser_initialize(&L.p))
		nk_die(1, "out of memory");
	yaml_parser_set_input(&L.p, read_handler, &L);
	yaml_event_t e;
	next_event(&L, &e); /* stream start */
	yaml_event_delete(&e);
	next_event(&L, &e);
	if (e.type == YAML_DOCUMENT_START_EVENT) {
		yaml_event_delete(&e);
		next_event(&L, &e);
		d->root = parse_node(&L, &e);
		next_event(&L, &e); /* document end */
		yaml_event_delete(&e);
		next_event(&L, &e);
		if (e.type == YAML_DOCUMENT_START_EVENT) {
			nk_ynode at = {.file = L.shown,
				       .line = (long)e.start_mark.line + 1,
				       .col = (long)e.start_mark.column + 1};
			nk_ydie(&at, "a rule file holds one YAML document, not several");
		}
	}
	yaml_event_delete(&e);
	yaml_parser_delete(&L.p);
	nk_in_close(in);
	return d;
}

static void node_free(nk_ynode *n)
{
	if (!n)
		return;
	size_t k = n->kind == NK_Y_MAP ? 2 * n->n : n->kind == NK_Y_SEQ ? n->n : 0;
	for (size_t i = 0; i < k; i++)
		node_free(n->kid[i]);
	free(n->kid);
	free(n->str);
	free(n);
}

void nk_ydoc_free(nk_ydoc *d)
{
	if (!d)
		return;
	node_free(d->root);
	free(d->path);
	free(d);
}

/* ------------------------------------------------------------- getters */

static const char *kind_name(nk_ykind k)
{
	return k == NK_Y_MAP ? "a mapping" : k == NK_Y_SEQ ? "a list" : "a single value";
}

static void want(const nk_ynode *n, nk_ykind k, const char *what)
{
	if (n->kind != k)
		nk_ydie(n, "'%s' must be %s, not %s", what, kind_name(k), kind_name(n->kind));
}

const nk_ynode *nk_ymap(const nk_ynode *n, const char *what)
{
	want(n, NK_Y_MAP, what);
	return n;
}

const nk_ynode *nk_yseq(const nk_ynode *n, const char *what)
{
	want(n, NK_Y_SEQ, what);
	return n;
}

const char *nk_ystr(const nk_ynode *n, const char *what, int nonempty)
{
	want(n, NK_Y_SCALAR, what);
	if (nonempty) {
		const char *p = n->str;
		while (*p == ' ' || *p == '\t' || *p == '\n')
			p++;
		if (!*p)
			nk_ydie(n, "'%s' must not be empty", what);
	}
	return n->str;
}

nk_dec nk_ydec(const nk_ynode *n, const char *what)
{
	want(n, NK_Y_SCALAR, what);
	nk_dec v;
	int rc = nk_dec_parse(n->str, n->len, &v);
	if (rc == NK_DEC_EMPTY)
		nk_ydie(n, "'%s' must be a number, not empty", what);
	if (rc != NK_DEC_OK)
		nk_ydie(n, "'%s': %s: '%s'", what, nk_dec_strerror(rc), n->str);
	return v;
}

int64_t nk_yint(const nk_ynode *n, const char *what, int64_t lo, int64_t hi)
{
	want(n, NK_Y_SCALAR, what);
	int64_t v;
	if (nk_int_parse(n->str, n->len, &v) != 0)
		nk_ydie(n, "'%s' must be a whole number: '%s'", what, n->str);
	if (v < lo || v > hi)
		nk_ydie(n, "'%s' must be between %lld and %lld: '%s'", what,
			(long long)lo, (long long)hi, n->str);
	return v;
}

int nk_ybool(const nk_ynode *n, const char *what)
{
	want(n, NK_Y_SCALAR, what);
	if (!strcmp(n->str, "true") || !strcmp(n->str, "yes"))
		return 1;
	if (!strcmp(n->str, "false") || !strcmp(n->str, "no"))
		return 0;
	nk_ydie(n, "'%s' must be true or false: '%s'", what, n->str);
}

size_t nk_edit_distance(const char *a, const char *b, size_t cap)
{
	size_t la = strlen(a), lb = strlen(b);
	if ((la > lb ? la - lb : lb - la) > cap)
		return cap + 1;
	if (lb > 63)
		return cap + 1;
	size_t row[64];
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0], best;
		row[0] = i;
		best = row[0];
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t v = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < v)
				v = up + 1;
			if (row[j - 1] + 1 < v)
				v = row[j - 1] + 1;
			row[j] = v;
			diag = up;
			if (v < best)
				best = v;
		}
		if (best > cap)
			return cap + 1;
	}
	return row[lb] > cap ? cap + 1 : row[lb];
}

const char *nk_nearest(const char *s, const char *const *names, size_t n)
{
	const char *best = NULL;
	size_t bd = 3;
	for (size_t i = 0; i < n; i++) {
		size_t d = nk_edit_distance(s, names[i], 2);
		if (d < bd) {
			bd = d;
			best = names[i];
		}
	}
	return best;
}

void nk_ymap_keys(const nk_ynode *map, const char *what, const char *const *allowed)
{
	want(map, NK_Y_MAP, what);
	for (size_t i = 0; i < map->n; i++) {
		const nk_ynode *k = map->kid[2 * i];
		const char *const *a;
		for (a = allowed; *a; a++)
			if (!strcmp(*a, k->str))
				break;
		if (*a)
			continue;
		for (a = allowed; *a; a++)
			;
		const char *best = nk_nearest(k->str, allowed, (size_t)(a - allowed));
		if (best)
			nk_ydie(k, "unknown key '%s' in %s (did you mean '%s'?)", k->str,
				what, best);
		char list[512];
		size_t off = 0;
		list[0] = 0;
		for (a = allowed; *a && off < sizeof list - 40; a++)
			off += (size_t)snprintf(list + off, sizeof list - off, "%s%s",
						a == allowed ? "" : ", ", *a);
		nk_ydie(k, "unknown key '%s' in %s (known: %s)", k->str, what, list);
	}
}

const nk_ynode *nk_yget(const nk_ynode *map, const char *key)
{
	if (!map || map->kind != NK_Y_MAP)
		return NULL;
	for (size_t i = 0; i < map->n; i++)
		if (!strcmp(map->kid[2 * i]->str, key))
			return map->kid[2 * i + 1];
	return NULL;
}

const nk_ynode *nk_yneed(const nk_ynode *map, const char *what, const char *key)
{
	const nk_ynode *v = nk_yget(map, key);
	if (!v)
		nk_ydie(map, "%s: missing key '%s'", what, key);
	return v;
}
