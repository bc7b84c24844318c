/* err.c - messages, exit (and the temp files every exit removes), common
 * options, progress. See nk.h. */
#include "nk.h"

#include <errno.h>
#include <locale.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

const char *nk_prog = "nk";

/* ------------------------------------------------------- temp files */

/* The temp files not yet committed: every way out but a committed success
 * (nk_exit_now, exit, a signal) removes them, so the list lives here, beside
 * those ways out. */
#define MAX_TMP 16
static char *volatile tmps[MAX_TMP];

static void tmp_cleanup(void)
{
	for (int i = 0; i < MAX_TMP; i++)
		if (tmps[i])
			unlink(tmps[i]);
}

void nk_tmp_add(char *path)
{
	for (int i = 0; i < MAX_TMP; i++)
		if (!tmps[i]) {
			tmps[i] = path;
			return;
		}
	nk_die(1, "too many output files");
}

void nk_tmp_forget(const char *path)
{
	for (int i = 0; i < MAX_TMP; i++)
		if (tmps[i] == path)
			tmps[i] = NULL;
}

/* ------------------------------------------------------- exit, messages */

static void on_signal(int sig)
{
	tmp_cleanup(); /* only unlink(): async-signal-safe */
	signal(sig, SIG_DFL);
	raise(sig);
}

void nk_init(char **argv)
{
	const char *slash = strrchr(argv[0], '/');
	nk_prog = slash ? slash + 1 : argv[0];
	argv[0] = (char *)nk_prog;
	setenv("LC_ALL", "C", 1);
	setlocale(LC_ALL, "C");
	signal(SIGPIPE, SIG_IGN);
	atexit(tmp_cleanup);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGHUP, on_signal);
}

/* Leave after an error or a closed pipe: remove uncommitted temp files and
 * _exit, so no buffered output is flushed after the fact and LeakSanitizer
 * judges only the success paths (memory held at a fatal exit is no leak). */
void (*nk_exit_hook)(int status);

_Noreturn void nk_exit_now(int status)
{
	fflush(stdout);
	tmp_cleanup();
	if (nk_exit_hook)
		nk_exit_hook(status); /* a fuzz harness: does not return */
	_exit(status);
}

static void vmsg(const char *fmt, va_list ap)
{
	fflush(stdout);
	fprintf(stderr, "%s: ", nk_prog);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void nk_die(int status, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vmsg(fmt, ap);
	va_end(ap);
	nk_exit_now(status);
}

void nk_warn(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vmsg(fmt, ap);
	va_end(ap);
}

void nk_usage_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vmsg(fmt, ap);
	va_end(ap);
	fprintf(stderr, "Try '%s --help' for more information.\n", nk_prog);
	nk_exit_now(2);
}

static void print_at(const char *file, long line, const char *field,
		     const char *what, const char *val, size_t vlen)
{
	fprintf(stderr, "%s: %s", nk_prog, file ? file : "<stdin>");
	if (line > 0)
		fprintf(stderr, ":%ld", line);
	fputs(": ", stderr);
	if (field)
		fprintf(stderr, "field '%s': ", field);
	fputs(what, stderr);
	if (val) {
		size_t n = vlen > 80 ? 80 : vlen, at;
		/* bytes of invalid UTF-8 are shown as \xNN, not passed raw */
		int raw8 = !nk_text_check(val, n, &at);
		fputs(": '", stderr);
		for (size_t i = 0; i < n; i++) {
			unsigned char c = (unsigned char)val[i];
			if (c >= 0x80 && !raw8)
				fprintf(stderr, "\\x%02x", c);
			else if (c == '\t')
				fputs("\\t", stderr);
			else if (c == '\n')
				fputs("\\n", stderr);
			else if (c == '\r')
				fputs("\\r", stderr);
			else if (c < 0x20 || c == 0x7f)
				fprintf(stderr, "\\x%02x", c);
			else
				fputc(c, stderr);
		}
		fputs(vlen > 80 ? "'..." : "'", stderr);
	}
	fputc('\n', stderr);
}

void nk_die_at(const char *file, long line, const char *field,
	       const char *what, const char *val, size_t vlen)
{
	fflush(stdout);
	print_at(file, line, field, what, val, vlen);
	nk_exit_now(1);
}

void nk_warn_at(const char *file, long line, const char *field,
		const char *what, const char *val, size_t vlen)
{
	print_at(file, line, field, what, val, vlen);
}

void *nk_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		nk_die(1, "out of memory (%zu bytes)", n);
	return p;
}

void *nk_xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		nk_die(1, "out of memory (%zu bytes)", n);
	return p;
}

char *nk_xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;
	return memcpy(nk_xmalloc(n), s, n);
}

size_t nk_limit(size_t lim, const char *env)
{
	const char *v = getenv(env);
	char *end;
	if (!v || *v < '0' || *v > '9')
		return lim;
	errno = 0;
	unsigned long long x = strtoull(v, &end, 10);
	return *end || errno || x >= lim ? lim : (size_t)x;
}

static void print_or_die(const char *s)
{
	if (fputs(s, stdout) == EOF || fflush(stdout) == EOF) {
		if (errno == EPIPE)
			nk_exit_now(0);
		nk_die(1, "write error: standard output: %s", strerror(errno));
	}
	if (fclose(stdout) == EOF)
		nk_die(1, "write error: standard output: %s", strerror(errno));
}

int nk_common_opt(nk_common *co, int c, const char *arg, const char *help)
{
	switch (c) {
	case 'h':
		print_or_die(help);
		exit(0);
	case NK_OPT_VERSION: {
		char v[128];
		snprintf(v, sizeof v, "%s (nktrade) %s\n", nk_prog, NK_VERSION);
		print_or_die(v);
		exit(0);
	}
	case 'o':
		co->output = arg;
		return 1;
	case 'q':
		co->quiet = 1;
		return 1;
	case NK_OPT_REJECTS:
		co->rejects = arg;
		return 1;
	case '?':
	case ':':
		/* getopt already printed what was wrong */
		fprintf(stderr, "Try '%s --help' for more information.\n", nk_prog);
		nk_exit_now(2);
	}
	return 0;
}

/* ---------------------------------------------------------------- progress */

uint64_t nk_progress_next_ = UINT64_MAX;
static struct timespec t0, tlast;
static int progress_shown;

static double since(const struct timespec *a)
{
	struct timespec b;
	clock_gettime(CLOCK_MONOTONIC, &b);
	return (double)(b.tv_sec - a->tv_sec) + (b.tv_nsec - a->tv_nsec) / 1e9;
}

void nk_progress_start(int quiet)
{
	if (quiet || !isatty(2))
		return;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	tlast = t0;
	nk_progress_next_ = 65536;
}

void nk_progress_slow(uint64_t rows, uint64_t bytes)
{
	nk_progress_next_ = rows + 65536;
	if (since(&tlast) < 0.5)
		return;
	clock_gettime(CLOCK_MONOTONIC, &tlast);
	double s = since(&t0);
	fprintf(stderr, "\r%s: %.1f M rows, %.0f MB, %.0f MB/s\033[K", nk_prog,
		rows / 1e6, bytes / 1e6, s > 0 ? bytes / 1e6 / s : 0.0);
	progress_shown = 1;
}

void nk_progress_end(void)
{
	if (progress_shown)
		fputs("\r\033[K", stderr);
	progress_shown = 0;
	nk_progress_next_ = UINT64_MAX;
}
