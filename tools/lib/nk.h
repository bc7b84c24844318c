/* nk.h - the nktrade shared library: input, TSV rows as field views, buffered
 * checked output, exact decimals, errors, progress.
 *
 * Conventions (read these once):
 * - Errors in data or I/O are fatal: the function prints
 *   "nk-TOOL: FILE:LINE: ..." on stderr and exits 1. Callers never see a
 *   partial result. Exit 2 is for usage errors (nk_usage_error).
 * - On any exit other than a committed success, every `-o` temp file that
 *   was opened with nk_out_open and not yet committed is unlinked (atexit and
 *   SIGINT/SIGTERM/SIGHUP), so no half-written output file is ever left.
 * - Ownership is stated per function: "borrowed" pointers stay valid until
 *   the call named; "owned" results are freed by the function named.
 * - Nothing here allocates per row or per field.
 */
#ifndef NK_H
#define NK_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifndef NK_VERSION
#define NK_VERSION "0.0.0"
#endif

/* A byte range: a field view into a buffer owned by someone else. */
typedef struct {
	const char *p;
	size_t n;
} nk_str;

/* The limits, in one place (README "Limits" states each, and
 * tests/limits.bats tests each at the limit and one past it). Real data
 * stays far below them; they keep an unattended run from being killed for
 * memory or running for hours on a wrong or hostile input: past each one,
 * the tool stops with a FILE:LINE (rule files FILE:LINE:COL) error, exit 1.
 *
 * A line, its '\n' included (a last line without one counts as if it had
 * it): the TSV reader, nk-fetch-parse's CSV records (a quoted field over
 * several lines too), nk-summarize's partials. A field is at most a line. */
#define NK_LINE_MAX ((size_t)64 << 20)
/* Columns of a header (the TSV reader, nk-fetch-parse's CSV files; a CSV
 * row may add one empty field after a trailing comma). A wider header (a
 * wrong separator, a file that is not a table) would cost memory per
 * column before any row is read. */
#define NK_COL_MAX ((size_t)65536)
/* Rules of nk-correct (all --rules files together) and entries of
 * nk-summarize's sanctions file: both are checked against each other in
 * pairs, and every row is matched against them. */
#define NK_RULES_MAX 10000
/* A YAML rule file: bytes, and nodes (values, lists and mappings): the
 * whole file is held as a tree while it is checked. */
#define NK_YAML_BYTES_MAX ((size_t)16 << 20)
#define NK_YAML_NODES_MAX 1000000
/* Groups of nk-summarize's sums (years x flows x report keys, over all the
 * reports asked for; the same for --merge of partials): each is a line of a
 * report, about 430 bytes of memory while the reports are made. */
#define NK_GROUPS_MAX ((size_t)2000000)
/* Different `source` values in nk-summarize's level check (comtrade, baci,
 * mou, rule, ...): each row's source is looked up among them. */
#define NK_SOURCES_MAX 1000
/* Counterpart-years (and flows) of nk-correct --screen: each holds its
 * chapter profiles, 1.6 KB. */
#define NK_SCREEN_MAX 100000
/* `lim`, or a lower one from the environment variable `env`, which only the
 * tests set (tests/limits.bats reaches a limit of millions with a few
 * rows); a value that is not a number below `lim` is ignored. */
size_t nk_limit(size_t lim, const char *env);

/* ---------------------------------------------------------------- errors */

/* Set the program name used in messages (basename of argv[0], also written
 * back to argv[0] so getopt's messages use it), LC_ALL=C, SIGPIPE ignored (a
 * write to a closed pipe ends the tool quietly with status 0), temp-file
 * cleanup handlers. Call first in main(). */
void nk_init(char **argv);
extern const char *nk_prog;

/* Remove uncommitted -o temp files and _exit(status) at once (no atexit
 * handlers, no stdio flush beyond stdout). Every fatal path ends here. */
_Noreturn void nk_exit_now(int status);
/* For in-process test harnesses only (tests/fuzz/): when set, nk_exit_now
 * calls it (after the steps above) instead of _exit; it must not return (it
 * longjmps back to the harness, which frees what the run left). NULL in
 * every tool. */
extern void (*nk_exit_hook)(int status);
/* The registry of temp files that nk_exit_now, exit and SIGINT/SIGTERM/
 * SIGHUP remove (nk_out registers its named temp files until the rename).
 * `path` is borrowed until nk_tmp_forget. Dies past 16 files. */
void nk_tmp_add(char *path);
void nk_tmp_forget(const char *path);
/* "nk-TOOL: <message>\n" on stderr, nk_exit_now(status). */
_Noreturn void nk_die(int status, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* "nk-TOOL: <message>\n" on stderr, no exit. */
void nk_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "nk-TOOL: <message>\nTry 'nk-TOOL --help' for more information.\n", exit 2 */
_Noreturn void nk_usage_error(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));
/* "nk-TOOL: FILE:LINE: field 'FIELD': WHAT: 'VALUE'" and exit 1. `field` may
 * be NULL (no "field" part), `val` may be NULL (no value part); the value is
 * printed with control bytes escaped and cut at 80 bytes. */
_Noreturn void nk_die_at(const char *file, long line, const char *field,
			 const char *what, const char *val, size_t vlen);
/* Same message as nk_die_at without exiting (for --keep-going summaries). */
void nk_warn_at(const char *file, long line, const char *field,
		const char *what, const char *val, size_t vlen);

/* malloc/realloc/strdup that die on out-of-memory. Caller frees with free(). */
void *nk_xmalloc(size_t n);
void *nk_xrealloc(void *p, size_t n);
char *nk_xstrdup(const char *s);

/* ---------------------------------------------------------- common options */

/* Options every tool has. Fill with nk_common_opt() from the tool's
 * getopt_long loop; strings are borrowed from argv. */
typedef struct {
	const char *output;  /* -o FILE, NULL = stdout */
	const char *rejects; /* --rejects FILE, NULL = none */
	int quiet;	     /* -q/--quiet: no progress, no summary */
} nk_common;

enum { NK_OPT_VERSION = 0x1000, NK_OPT_REJECTS, NK_OPT_TOOL /* tools start here */ };
#define NK_COMMON_SHORTOPTS "ho:q"
#define NK_COMMON_LONGOPTS                                                     \
	{"help", 0, 0, 'h'}, {"output", 1, 0, 'o'}, {"quiet", 0, 0, 'q'},      \
	{"version", 0, 0, NK_OPT_VERSION}, {"rejects", 1, 0, NK_OPT_REJECTS}

/* Handle one common option. 'h' prints `help` to stdout and exits 0;
 * --version prints "nk-TOOL (nktrade) VERSION" and exits 0; '?' and ':' are
 * usage errors (exit 2). Returns 1 if `c` was common, 0 otherwise. */
int nk_common_opt(nk_common *co, int c, const char *arg, const char *help);

/* ------------------------------------------------------------------ input */

/* A byte source: a file or stdin ("-"), gzip detected by its magic bytes and
 * decompressed transparently (multi-member gzip is one stream). */
typedef struct nk_in nk_in;

/* Open `path` ("-" = stdin). Dies if it cannot be opened. Owned: free with
 * nk_in_close. `path` is borrowed until nk_in_close. */
nk_in *nk_in_open(const char *path);
/* Die as nk_in_open or its first read would if `path` ("-" passes) cannot be
 * opened or is a directory, without opening it (a FIFO is left unread). For
 * checking every input before the first output byte. */
void nk_in_check(const char *path);
/* Next line without its '\n' (a final line without '\n' is returned too).
 * *line is borrowed: valid until the next call on `in` or nk_in_close.
 * At least NK_IN_SLACK readable (initialised, meaningless) bytes follow
 * *line + *len, so a scanner may load whole 16-byte blocks past the end.
 * Returns 1 for a line, 0 at end of input. Dies on read errors, truncated or
 * corrupt gzip, and lines over NK_LINE_MAX. Never validates content. */
enum { NK_IN_SLACK = 16 };
int nk_in_line(nk_in *in, const char **line, size_t *len);
/* Raw read of up to `n` decompressed bytes; 0 at end. For parsers that do
 * their own framing (CSV, JSON). After nk_in_line calls it continues with
 * the byte after the last line returned (nk-fetch-parse sniffs the first
 * line, then hands the rest to a JSON parser); do not call nk_in_line after
 * nk_in_read. */
size_t nk_in_read(nk_in *in, void *buf, size_t n);
/* Look ahead without consuming: at least min(want, 512 KiB) unread bytes
 * (fewer only at the end of input) from *p, borrowed until the next call on
 * `in`. Returns how many. The next nk_in_line or nk_in_read starts at *p
 * (nk-fetch-parse sniffs JSON without reading a whole one-line document). */
size_t nk_in_peek(nk_in *in, size_t want, const char **p);
/* The path of a file shipped with nktrade, `rel` relative to the data root
 * (the directory that holds rules/ and data/): $NK_DATADIR/rel when
 * NK_DATADIR is set; else the first that exists of BIN/../share/nktrade/rel
 * (an installed tree) and DIR/rel for each directory DIR above the binary
 * (the source tree: build/bin, build/asan/bin); else the compiled-in install
 * path. Never fails: opening a missing file reports it. Owned: free(). */
char *nk_datafile(const char *rel);
const char *nk_in_name(const nk_in *in); /* "-" shows as "<stdin>" */
long nk_in_lineno(const nk_in *in);	  /* number of the last line returned */
uint64_t nk_in_bytes(const nk_in *in);	  /* raw (compressed) bytes read */
void nk_in_close(nk_in *in);


/* ------------------------------------------------------------ text (text.c) */

/* The contract's text rules, in one leaf that calls nothing else here. */

/* Whether p[0..n) is valid UTF-8: no overlong forms, no surrogates, nothing
 * above U+10FFFF, no sequence cut at the end. 1 = valid; 0 = not, and *at
 * (if `at` is not NULL) is the offset of the first bad sequence. */
int nk_utf8_ok(const char *p, size_t n, size_t *at);
/* Check one line of contract TSV text: no NUL, no CR, valid UTF-8. Returns
 * NULL if fine, else a static message ("invalid UTF-8", ...) and sets *at to
 * the offending byte offset. */
const char *nk_text_check(const char *p, size_t n, size_t *at);
/* The static message for p[at], a NUL or a CR in a line of n bytes (a CR
 * at the end is a CRLF line end). */
const char *nk_text_bad_byte(const char *p, size_t n, size_t at);

/* -------------------------------------------------------------------- TSV */

/* A contract TSV stream over one or more inputs with one header. All files
 * must carry the same header (byte for byte); it is read once and the other
 * files' headers are checked and skipped. Each row is checked (field count,
 * NUL, CR, UTF-8) before it is returned. */
typedef struct {
	/* read-only for callers */
	size_t ncol;	  /* columns in the header */
	char **col;	  /* header names, unescaped; owned by the nk_tsv */
	char *hdr;	  /* the header line as read (no '\n'), hdrlen bytes */
	size_t hdrlen;
	nk_str *f;	  /* fields of the current row (still escaped);
			     borrowed until the next nk_tsv_next */
	nk_str row;	  /* the whole current row, without '\n' */
	const char *file; /* current file name (for messages) */
	long line;	  /* current line number in that file */
	uint64_t rows;	  /* data rows returned so far, all files */
	/* private */
	nk_in *in;
	char *const *paths;
	int npaths, ipath;
	uint64_t bytes_done;
} nk_tsv;

/* Open the inputs (npaths == 0 means stdin) and read the header. All named
 * files are checked for readability first. Dies on an empty input (no
 * header), more than NK_COL_MAX columns, an empty or duplicate column name,
 * or bad text. `paths` is borrowed until nk_tsv_close. Owned result: free
 * with nk_tsv_close. */
nk_tsv *nk_tsv_open(char *const *paths, int npaths);
/* Advance to the next data row. 1 = row in t->f / t->row, 0 = end. */
int nk_tsv_next(nk_tsv *t);
/* Column index of `name`, or -1. */
int nk_tsv_col(const nk_tsv *t, const char *name);
/* Column index of `name`; dies with "FILE: missing required column 'name'". */
size_t nk_tsv_need(const nk_tsv *t, const char *name);
/* Die with "FILE:LINE: field 'COL': WHAT: 'VALUE'" for field `col` of the
 * current row. */
_Noreturn void nk_tsv_die(const nk_tsv *t, size_t col, const char *what);
/* Input bytes read so far (for progress). */
uint64_t nk_tsv_bytes(const nk_tsv *t);
void nk_tsv_close(nk_tsv *t);

/* Unescape a contract value (\t \n \r \\) into `dst` (at least n bytes).
 * Returns the new length, or (size_t)-1 on an invalid escape. */
size_t nk_unescape(const char *src, size_t n, char *dst);

/* ----------------------------------------------------------------- output */

/* A buffered (256 KiB) writer on stdout or on a file written atomically. */
typedef struct nk_out nk_out;

/* path NULL or "-" = stdout. Otherwise a temp file beside `path` that
 * nk_out_close renames onto it: an unnamed one (O_TMPFILE), so that even a
 * SIGKILL leaves nothing; where the file system has none, a named one that an
 * exit or signal removes. Dies if the file cannot be created. Owned: free
 * with nk_out_close. */
nk_out *nk_out_open(const char *path);
/* Flush, fsync and close; rename a file into place; for stdout also check
 * fclose(stdout). Dies (exit 1) on any write error; EPIPE exits 0 quietly. */
void nk_out_close(nk_out *o);
/* Close the outputs of one run together (NULL entries skipped): all are
 * flushed, synced and checked before any file is renamed into place, so a
 * write error on one (--rejects on a full disk) leaves no -o file of the
 * others either. Frees them all. */
void nk_out_close_all(nk_out *const *v, size_t n);

struct nk_out {
	char *buf;
	size_t len, cap;
	int fd;
	char *path, *tmp; /* owned */
	int anon;	  /* fd is an unnamed O_TMPFILE file, linked in at close */
};
/* The buffer is written in whole lines while the stream runs (a line begun
 * stays buffered), so a stream cut by a fatal error ends with a whole row. */
void nk_out_flush(nk_out *o); /* everything, at once */
/* Drop everything written so far (buffer and file) to start over: a download
 * retried from its first byte. Dies if the output cannot be truncated (a
 * pipe). */
void nk_out_rewind(nk_out *o);
void nk_out_slow(nk_out *o, const void *p, size_t n);
static inline void nk_out_write(nk_out *o, const void *p, size_t n)
{
	if (o->cap - o->len >= n) {
		__builtin_memcpy(o->buf + o->len, p, n);
		o->len += n;
	} else {
		nk_out_slow(o, p, n);
	}
}
static inline void nk_out_byte(nk_out *o, char c)
{
	if (o->len == o->cap)
		nk_out_slow(o, &c, 1);
	else
		o->buf[o->len++] = c;
}
static inline void nk_out_str(nk_out *o, nk_str s) { nk_out_write(o, s.p, s.n); }
void nk_out_cstr(nk_out *o, const char *s);
/* Write raw bytes as one contract value: TAB, LF, CR, '\' become \t \n \r \\. */
void nk_out_escaped(nk_out *o, const char *p, size_t n);
/* Write a signed integer in decimal. */
void nk_out_int(nk_out *o, int64_t v);

/* ---------------------------------------------------------------- layout */

/* Output columns of a tool that adds columns: the input columns in order,
 * then the added ones; an added column that already exists in the input
 * replaces it in place (so a stage can be re-run on its own output). */
typedef struct {
	size_t nin, nadd;
	int *slot;   /* per input column: index into add[] replacing it, or -1 */
	size_t *tail; /* added columns appended at the end, in order */
	size_t ntail;
	size_t nrepl; /* input columns replaced */
	size_t *repl; /* their indices */
	const char *const *names; /* borrowed */
	const nk_tsv *t; /* borrowed: whose rows can be copied whole */
} nk_layout;

/* Owned: free with nk_layout_free. `add` names and `t` are borrowed. */
nk_layout *nk_layout_new(const nk_tsv *t, const char *const *add, size_t nadd);
void nk_layout_header(nk_out *o, const nk_tsv *t, const nk_layout *l);
/* Write the row: input fields `in` with added values `add` (already
 * escaped), TAB-separated, '\n' ended. When `in` is t->f (the row as read)
 * and every replacement is the field's own view, the row is copied in one
 * go; fields a tool built (any other array) are written one by one. */
void nk_layout_row(nk_out *o, const nk_layout *l, const nk_str *in,
		   const nk_str *add);
void nk_layout_free(nk_layout *l);

/* ---------------------------------------------------------------- rejects */

/* A rejects stream: the input columns, then `reason`, `rule`, `file`, `line`.
 * Returns NULL when path is NULL (then nk_rej_row is a no-op). Owned: close
 * with nk_out_close. `names` borrowed for the call. */
nk_out *nk_rej_open(const char *path, char *const *names, size_t ncol);
/* One rejected row: fields (escaped), reason, rule id ("" if none). */
void nk_rej_row(nk_out *o, const nk_str *f, size_t nf, const char *reason,
		const char *rule, const char *file, long line);

/* --------------------------------------------------------------- decimals */

/* Money and quantities in exact fixed point: int64 thousandths. */
typedef int64_t nk_dec;
#define NK_DEC_ONE ((nk_dec)1000)
enum {
	NK_DEC_OK = 0,
	NK_DEC_EMPTY,	/* empty text (unknown, never 0) */
	NK_DEC_BAD,	/* not a number */
	NK_DEC_RANGE,	/* beyond +-9.2e15 */
	NK_DEC_INEXACT, /* more than 3 decimals: *v rounded half to even */
};
/* Parse [-+]digits[.digits][e[-+]digits] ("14121885217.018", "1.2e3").
 * No locale, no spaces, no thousands separators. */
int nk_dec_parse(const char *p, size_t n, nk_dec *v);
const char *nk_dec_strerror(int rc); /* "not a number", ... */
/* Shortest exact text: 894039906, 14121885217.018, -0.5. `buf` >= 32 bytes.
 * Returns the length (no NUL written past it... one is written). */
size_t nk_dec_fmt(nk_dec v, char *buf);
void nk_out_dec(nk_out *o, nk_dec v);
/* a * b and a / b for two decimals, rounded half to even. Return NK_DEC_OK
 * or NK_DEC_RANGE (also for division by zero). */
int nk_dec_mul(nk_dec a, nk_dec b, nk_dec *r);
int nk_dec_div(nk_dec a, nk_dec b, nk_dec *r);
/* a + b, exact. NK_DEC_OK, or NK_DEC_RANGE when the sum leaves the
 * contract's range (+-INT64_MAX thousandths; *r untouched). For sums over
 * many rows, which a plain += would wrap silently. */
int nk_dec_add(nk_dec a, nk_dec b, nk_dec *r);
/* Split v exactly into m parts in proportion to the weights w[0..m) (each
 * >= 0, their sum > 0 and at most INT64_MAX): part i is |v| * w[i] / sum
 * rounded down, and the thousandths left over go one each to the parts with
 * the largest remainders, ties to the lower index (largest remainder
 * method); a negative v (> INT64_MIN, as every parsed value) is split as
 * -v and the parts negated. The parts sum to v exactly; a weight of 0 gets 0.
 * Writes part[0..m); allocates nothing. */
void nk_dec_split(nk_dec v, const nk_dec *w, size_t m, nk_dec *part);
/* Parse a plain non-negative/negative integer (no decimals). 0 ok, else
 * NK_DEC_* code. */
int nk_int_parse(const char *p, size_t n, int64_t *v);

/* --------------------------------------------------------------- progress */

/* Progress on stderr ("nk-x: 1.2 M rows, 340 MB, 512 MB/s"), only when
 * stderr is a terminal and quiet is 0. Call nk_progress(rows, bytes) per row:
 * it costs a compare until 65536 rows have passed. nk_progress_end clears. */
void nk_progress_start(int quiet);
extern uint64_t nk_progress_next_;
void nk_progress_slow(uint64_t rows, uint64_t bytes);
static inline void nk_progress(uint64_t rows, uint64_t bytes)
{
	if (rows >= nk_progress_next_)
		nk_progress_slow(rows, bytes);
}
void nk_progress_end(void);

#endif
