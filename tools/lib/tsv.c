/* tsv.c - contract TSV reader (checked rows as field views), column layout,
 * rejects stream. See nk.h. */
#include "nk.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* Split `p` on TABs into f[0..cap), checking text on the way. NK_IN_SLACK
 * readable bytes must follow p + n. Returns the
 * number of fields found (may exceed cap: extra fields are only counted).
 * On bad text returns 0 with *msg and *at set. */
static size_t split(const char *p, size_t n, nk_str *f, size_t cap,
		    const char **msg, size_t *at)
{
	size_t nf = 0, start = 0, i = 0;
	int high = 0;
#define FIELD_END(j)                                                           \
	do {                                                                   \
		if (nf < cap) {                                                \
			f[nf].p = p + start;                                   \
			f[nf].n = (j) - start;                                 \
		}                                                              \
		nf++;                                                          \
		start = (j) + 1;                                               \
	} while (0)
#ifdef __SSE2__
	/* Whole 16-byte blocks, the last one reaching past the end of the
	 * line into the caller's slack (NK_IN_SLACK) with its bits masked. */
	const __m128i tab = _mm_set1_epi8('\t'), cr = _mm_set1_epi8('\r'),
		      nul = _mm_setzero_si128();
	for (; i < n; i += 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(p + i));
		unsigned keep = n - i >= 16 ? 0xffffu : (1u << (n - i)) - 1;
		unsigned bad = (unsigned)_mm_movemask_epi8(_mm_or_si128(
				       _mm_cmpeq_epi8(v, nul), _mm_cmpeq_epi8(v, cr))) &
			       keep;
		if (bad) {
			*at = i + (size_t)__builtin_ctz(bad);
			*msg = nk_text_bad_byte(p, n, *at);
			return 0;
		}
		high |= _mm_movemask_epi8(v) & (int)keep;
		unsigned tabs = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, tab)) & keep;
		while (tabs) {
			FIELD_END(i + (size_t)__builtin_ctz(tabs));
			tabs &= tabs - 1;
		}
	}
#else
	for (; i < n; i++) {
		unsigned char c = (unsigned char)p[i];
		if (c == '\t')
			FIELD_END(i);
		else if (c == 0 || c == '\r') {
			*at = i;
			*msg = nk_text_bad_byte(p, n, i);
			return 0;
		}
		high |= c & 0x80;
	}
#endif
	FIELD_END(n);
#undef FIELD_END
	if (high && !nk_utf8_ok(p, n, at)) {
		*msg = "invalid UTF-8";
		return 0;
	}
	return nf;
}

/* ------------------------------------------------------------------ TSV */

static void tsv_bad_text(const nk_tsv *t, const char *p, size_t n,
			 const char *msg, size_t at)
{
	/* name the field the bad byte is in */
	size_t col = 0, fs = 0;
	for (size_t i = 0; i < at; i++)
		if (p[i] == '\t') {
			col++;
			fs = i + 1;
		}
	size_t fe = fs;
	while (fe < n && p[fe] != '\t')
		fe++;
	const char *name = t->col && col < t->ncol ? t->col[col] : NULL;
	nk_die_at(t->file, t->line, name, msg, p + fs, fe - fs);
}

/* Read the header line of the current file into (line,len); 0 if empty. */
static int read_header(nk_tsv *t, const char **line, size_t *len)
{
	if (!nk_in_line(t->in, line, len))
		nk_die(1, "%s: empty input: no header line", t->file);
	t->line = 1;
	return 1;
}

static int cmp_idx(const void *a, const void *b, void *names)
{
	char **c = names;
	return strcmp(c[*(const size_t *)a], c[*(const size_t *)b]);
}

nk_tsv *nk_tsv_open(char *const *paths, int npaths)
{
	static char *const dash[] = {"-"};
	nk_tsv *t = nk_xmalloc(sizeof *t);
	memset(t, 0, sizeof *t);
	if (npaths == 0) {
		paths = dash;
		npaths = 1;
	}
	t->paths = paths;
	t->npaths = npaths;
	for (int i = 0; i < npaths; i++)
		nk_in_check(paths[i]);
	t->in = nk_in_open(paths[0]);
	t->file = nk_in_name(t->in);
	const char *line;
	size_t len;
	read_header(t, &line, &len);
	if (len >= 3 && !memcmp(line, "\xef\xbb\xbf", 3))
		nk_die_at(t->file, 1, NULL,
			  "byte-order mark at start of header (remove it)", NULL, 0);
	t->hdr = nk_xmalloc(len + NK_IN_SLACK);
	memset(t->hdr, 0, len + NK_IN_SLACK);
	memcpy(t->hdr, line, len);
	t->hdrlen = len;
	/* count columns, then split for real */
	const char *msg = NULL;
	size_t at = 0;
	size_t nf = split(line, len, NULL, 0, &msg, &at);
	if (!nf)
		tsv_bad_text(t, line, len, msg, at);
	if (nf > NK_COL_MAX) {
		char what[96];
		snprintf(what, sizeof what, "%zu columns, more than the %zu a header may have",
			 nf, NK_COL_MAX);
		nk_die_at(t->file, 1, NULL, what, NULL, 0);
	}
	nk_str *hf = nk_xmalloc(nf * sizeof *hf);
	split(t->hdr, len, hf, nf, &msg, &at);
	t->ncol = nf;
	t->col = nk_xmalloc(nf * sizeof *t->col);
	for (size_t i = 0; i < nf; i++) {
		char *s = nk_xmalloc(hf[i].n + 1);
		size_t k = nk_unescape(hf[i].p, hf[i].n, s);
		if (k == (size_t)-1)
			nk_die_at(t->file, 1, NULL, "bad escape in column name",
				  hf[i].p, hf[i].n);
		s[k] = 0;
		t->col[i] = s;
		if (k == 0) {
			char what[64];
			snprintf(what, sizeof what, "empty column name (column %zu)",
				 i + 1);
			nk_die_at(t->file, 1, NULL, what, NULL, 0);
		}
	}
	free(hf);
	/* duplicates: sort indices by name */
	size_t *ix = nk_xmalloc(nf * sizeof *ix);
	for (size_t i = 0; i < nf; i++)
		ix[i] = i;
	qsort_r(ix, nf, sizeof *ix, cmp_idx, t->col);
	for (size_t i = 1; i < nf; i++)
		if (!strcmp(t->col[ix[i]], t->col[ix[i - 1]]))
			nk_die_at(t->file, 1, NULL, "duplicate column name",
				  t->col[ix[i]], strlen(t->col[ix[i]]));
	free(ix);
	t->f = nk_xmalloc((nf + 1) * sizeof *t->f);
	return t;
}

int nk_tsv_next(nk_tsv *t)
{
	const char *line;
	size_t len;
	while (!nk_in_line(t->in, &line, &len)) {
		if (t->ipath + 1 >= t->npaths)
			return 0;
		t->bytes_done += nk_in_bytes(t->in);
		nk_in_close(t->in);
		t->in = nk_in_open(t->paths[++t->ipath]);
		t->file = nk_in_name(t->in);
		read_header(t, &line, &len);
		if (len != t->hdrlen || memcmp(line, t->hdr, len)) {
			char what[512];
			snprintf(what, sizeof what,
				 "header differs from the header of %s",
				 t->paths[0]);
			nk_die_at(t->file, 1, NULL, what, NULL, 0);
		}
	}
	t->line = nk_in_lineno(t->in);
	const char *msg = NULL;
	size_t at = 0;
	size_t nf = split(line, len, t->f, t->ncol, &msg, &at);
	if (!nf)
		tsv_bad_text(t, line, len, msg, at);
	if (nf != t->ncol) {
		char what[128];
		snprintf(what, sizeof what,
			 "expected %zu fields (as in the header), found %zu",
			 t->ncol, nf);
		nk_die_at(t->file, t->line, NULL, what, NULL, 0);
	}
	t->row.p = line;
	t->row.n = len;
	t->rows++;
	return 1;
}

int nk_tsv_col(const nk_tsv *t, const char *name)
{
	for (size_t i = 0; i < t->ncol; i++)
		if (!strcmp(t->col[i], name))
			return (int)i;
	return -1;
}

size_t nk_tsv_need(const nk_tsv *t, const char *name)
{
	int i = nk_tsv_col(t, name);
	if (i < 0)
		nk_die(1, "%s: missing required column '%s'", t->file, name);
	return (size_t)i;
}

void nk_tsv_die(const nk_tsv *t, size_t col, const char *what)
{
	nk_die_at(t->file, t->line, t->col[col], what, t->f[col].p, t->f[col].n);
}

uint64_t nk_tsv_bytes(const nk_tsv *t)
{
	return t->bytes_done + nk_in_bytes(t->in);
}

void nk_tsv_close(nk_tsv *t)
{
	if (!t)
		return;
	nk_in_close(t->in);
	for (size_t i = 0; i < t->ncol; i++)
		free(t->col[i]);
	free(t->col);
	free(t->f);
	free(t->hdr);
	free(t);
}

size_t nk_unescape(const char *s, size_t n, char *d)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] != '\\') {
			d[k++] = s[i];
			continue;
		}
		if (++i == n)
			return (size_t)-1;
		switch (s[i]) {
		case 't': d[k++] = '\t'; break;
		case 'n': d[k++] = '\n'; break;
		case 'r': d[k++] = '\r'; break;
		case '\\': d[k++] = '\\'; break;
		default: return (size_t)-1;
		}
	}
	return k;
}

/* --------------------------------------------------------------- layout */

nk_layout *nk_layout_new(const nk_tsv *t, const char *const *add, size_t nadd)
{
	nk_layout *l = nk_xmalloc(sizeof *l);
	l->nin = t->ncol;
	l->nadd = nadd;
	l->names = add;
	l->t = t;
	l->slot = nk_xmalloc((t->ncol + 1) * sizeof *l->slot);
	l->tail = nk_xmalloc((nadd + 1) * sizeof *l->tail);
	l->repl = nk_xmalloc((nadd + 1) * sizeof *l->repl);
	l->ntail = 0;
	l->nrepl = 0;
	for (size_t i = 0; i < t->ncol; i++)
		l->slot[i] = -1;
	for (size_t a = 0; a < nadd; a++) {
		int c = nk_tsv_col(t, add[a]);
		if (c >= 0) {
			l->slot[c] = (int)a;
			l->repl[l->nrepl++] = (size_t)c;
		}
		else
			l->tail[l->ntail++] = a;
	}
	return l;
}

void nk_layout_header(nk_out *o, const nk_tsv *t, const nk_layout *l)
{
	for (size_t i = 0; i < l->nin; i++) {
		if (i)
			nk_out_byte(o, '\t');
		nk_out_escaped(o, t->col[i], strlen(t->col[i]));
	}
	for (size_t j = 0; j < l->ntail; j++) {
		if (l->nin || j)
			nk_out_byte(o, '\t');
		nk_out_cstr(o, l->names[l->tail[j]]);
	}
	nk_out_byte(o, '\n');
}

void nk_layout_row(nk_out *o, const nk_layout *l, const nk_str *in,
		   const nk_str *add)
{
	/* One copy when the output is the row as read: `in` is the reader's
	 * own field array (views into one line) and every replacement is the
	 * field's own view. Same bytes as the field-by-field path. */
	int same = in == l->t->f && l->nin > 0;
	for (size_t k = 0; same && k < l->nrepl; k++) {
		size_t i = l->repl[k];
		same = add[l->slot[i]].p == in[i].p && add[l->slot[i]].n == in[i].n;
	}
	if (same) {
		nk_out_write(o, l->t->row.p, l->t->row.n);
	} else {
		for (size_t i = 0; i < l->nin; i++) {
			if (i)
				nk_out_byte(o, '\t');
			nk_out_str(o, l->slot[i] < 0 ? in[i] : add[l->slot[i]]);
		}
	}
	for (size_t j = 0; j < l->ntail; j++) {
		if (l->nin || j)
			nk_out_byte(o, '\t');
		nk_out_str(o, add[l->tail[j]]);
	}
	nk_out_byte(o, '\n');
}

void nk_layout_free(nk_layout *l)
{
	if (!l)
		return;
	free(l->slot);
	free(l->tail);
	free(l->repl);
	free(l);
}

/* -------------------------------------------------------------- rejects */

nk_out *nk_rej_open(const char *path, char *const *names, size_t ncol)
{
	if (!path)
		return NULL;
	nk_out *o = nk_out_open(path);
	for (size_t i = 0; i < ncol; i++) {
		nk_out_escaped(o, names[i], strlen(names[i]));
		nk_out_byte(o, '\t');
	}
	nk_out_cstr(o, "reason\trule\tfile\tline\n");
	return o;
}

void nk_rej_row(nk_out *o, const nk_str *f, size_t nf, const char *reason,
		const char *rule, const char *file, long line)
{
	if (!o)
		return;
	for (size_t i = 0; i < nf; i++) {
		nk_out_str(o, f[i]);
		nk_out_byte(o, '\t');
	}
	nk_out_escaped(o, reason, strlen(reason));
	nk_out_byte(o, '\t');
	nk_out_escaped(o, rule ? rule : "", rule ? strlen(rule) : 0);
	nk_out_byte(o, '\t');
	nk_out_escaped(o, file ? file : "", file ? strlen(file) : 0);
	nk_out_byte(o, '\t');
	nk_out_int(o, line);
	nk_out_byte(o, '\n');
}
