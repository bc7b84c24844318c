/* out.c - buffered, checked, atomic output. See nk.h. */
#include "nk.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef NK_OUT_BUF /* set at build time by the fuzz harnesses (tiny) */
#define NK_OUT_BUF (256u << 10)
#endif
#define OUT_BUF NK_OUT_BUF

static const char *oname(const nk_out *o)
{
	return o->path ? o->path : "standard output";
}

static void write_all(nk_out *o, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(o->fd, p, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EPIPE)
				nk_exit_now(0); /* reader went away: end quietly */
			nk_die(1, "write error: %s: %s", oname(o), strerror(errno));
		}
		p += w;
		n -= (size_t)w;
	}
}

nk_out *nk_out_open(const char *path)
{
	nk_out *o = nk_xmalloc(sizeof *o);
	memset(o, 0, sizeof *o);
	o->cap = OUT_BUF;
	o->buf = nk_xmalloc(o->cap);
	if (!path || !strcmp(path, "-")) {
		o->fd = 1;
		return o;
	}
	/* An existing non-regular file (/dev/null, a FIFO, a terminal) is
	 * written in place: renaming a temp file onto it would replace the
	 * device node itself (run as root, -o /dev/null made /dev/null a
	 * regular file). A symlink (/dev/stdout to a file, a user's link) is
	 * resolved, so the rename replaces its target, not the link. */
	struct stat sb, lsb;
	if (stat(path, &sb) == 0 && !S_ISREG(sb.st_mode)) {
		o->path = nk_xstrdup(path);
		o->fd = open(path, O_WRONLY);
		if (o->fd < 0)
			nk_die(1, "%s: cannot open: %s", path, strerror(errno));
		return o;
	}
	char *real = NULL;
	if (lstat(path, &lsb) == 0 && S_ISLNK(lsb.st_mode))
		real = realpath(path, NULL);
	o->path = nk_xstrdup(real ? real : path);
	free(real);
	path = o->path;
	size_t n = strlen(path);
	o->tmp = nk_xmalloc(n + 40);
	/* An unnamed file in the target's directory (O_TMPFILE): a run killed
	 * even by SIGKILL leaves nothing; nk_out_close links it in. Where the
	 * file system has no O_TMPFILE (or /proc, to link it by), a named
	 * temp file, removed on exit and on SIGINT/SIGTERM/SIGHUP. */
	const char *slash = strrchr(path, '/');
	char *dir = slash ? nk_xstrdup(path) : nk_xstrdup(".");
	if (slash)
		dir[slash == path ? 1 : slash - path] = '\0';
	o->fd = access("/proc/self/fd", X_OK) == 0
			? open(dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0666) : -1;
	free(dir);
	if (o->fd >= 0) {
		o->anon = 1;
		return o;
	}
	memcpy(o->tmp, path, n);
	memcpy(o->tmp + n, ".tmp.XXXXXX", 12);
	o->fd = mkstemp(o->tmp);
	if (o->fd < 0)
		nk_die(1, "%s: cannot create: %s", path, strerror(errno));
	nk_tmp_add(o->tmp);
	/* mkstemp makes 0600; give the file the mode a plain creat would */
	mode_t um = umask(0);
	umask(um);
	fchmod(o->fd, 0666 & ~um);
	return o;
}

/* Give the unnamed file a temp name beside the target (registered, so an
 * exit or signal before the rename removes it; a rename cannot be done onto
 * an existing FILE by linkat alone). */
static void link_anon(nk_out *o)
{
	char proc[64];
	snprintf(proc, sizeof proc, "/proc/self/fd/%d", o->fd);
	size_t n = strlen(o->path) + 40;
	for (int i = 0;; i++) {
		snprintf(o->tmp, n, "%s.tmp.%ld.%d", o->path, (long)getpid(), i);
		if (linkat(AT_FDCWD, proc, AT_FDCWD, o->tmp, AT_SYMLINK_FOLLOW) == 0) {
			nk_tmp_add(o->tmp);
			return;
		}
		if (errno != EEXIST || i == 100)
			nk_die(1, "%s: cannot create: %s", o->path, strerror(errno));
	}
}

void nk_out_flush(nk_out *o)
{
	write_all(o, o->buf, o->len);
	o->len = 0;
}

void nk_out_rewind(nk_out *o)
{
	o->len = 0;
	if (ftruncate(o->fd, 0) < 0 || lseek(o->fd, 0, SEEK_SET) < 0)
		nk_die(1, "%s: cannot truncate: %s", oname(o), strerror(errno));
}

/* Make room by writing the complete lines in the buffer and keeping the
 * line begun, so that whatever a fatal error leaves on a stream ends with
 * a whole row. A buffer with no '\n' (a line longer than it) is written. */
static void flush_lines(nk_out *o)
{
	const char *nl = memrchr(o->buf, '\n', o->len);
	size_t k = nl ? (size_t)(nl - o->buf) + 1 : o->len;
	write_all(o, o->buf, k);
	memmove(o->buf, o->buf + k, o->len - k);
	o->len -= k;
}

void nk_out_slow(nk_out *o, const void *p, size_t n)
{
	flush_lines(o);
	if (o->cap - o->len >= n) {
		memcpy(o->buf + o->len, p, n);
		o->len += n;
		return;
	}
	nk_out_flush(o); /* a line longer than the buffer */
	if (n >= o->cap)
		write_all(o, p, n);
	else {
		memcpy(o->buf, p, n);
		o->len = n;
	}
}

void nk_out_cstr(nk_out *o, const char *s) { nk_out_write(o, s, strlen(s)); }

void nk_out_escaped(nk_out *o, const char *p, size_t n)
{
	size_t i = 0, start = 0;
	for (; i < n; i++) {
		char e;
		switch (p[i]) {
		case '\t': e = 't'; break;
		case '\n': e = 'n'; break;
		case '\r': e = 'r'; break;
		case '\\': e = '\\'; break;
		default: continue;
		}
		nk_out_write(o, p + start, i - start);
		nk_out_byte(o, '\\');
		nk_out_byte(o, e);
		start = i + 1;
	}
	nk_out_write(o, p + start, n - start);
}

void nk_out_int(nk_out *o, int64_t v)
{
	char b[24], *e = b + sizeof b, *s = e;
	uint64_t u = v < 0 ? -(uint64_t)v : (uint64_t)v;
	do
		*--s = (char)('0' + u % 10);
	while (u /= 10);
	if (v < 0)
		*--s = '-';
	nk_out_write(o, s, (size_t)(e - s));
}

/* Everything written and synced, the file linked under its temp name: only
 * the rename is left. Dies on any error (the temp files are removed). */
static void out_finish(nk_out *o)
{
	nk_out_flush(o);
	if (o->fd == 1) {
		/* anything printed through stdio too */
		if (fflush(stdout) == EOF && errno == EPIPE)
			nk_exit_now(0);
		if (fclose(stdout) == EOF)
			nk_die(1, "write error: standard output: %s", strerror(errno));
		return;
	}
	if (fsync(o->fd) < 0 && errno != EINVAL && errno != EROFS)
		nk_die(1, "write error: %s: %s", o->path, strerror(errno));
	if (o->anon)
		link_anon(o);
	if (close(o->fd) < 0)
		nk_die(1, "write error: %s: %s", o->path, strerror(errno));
}

static void out_commit(nk_out *o)
{
	if (o->fd != 1 && o->tmp) {
		if (rename(o->tmp, o->path) < 0)
			nk_die(1, "%s: cannot rename into place: %s", o->path,
			       strerror(errno));
		nk_tmp_forget(o->tmp);
	}
	free(o->tmp);
	free(o->path);
	free(o->buf);
	free(o);
}

void nk_out_close_all(nk_out *const *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (v[i])
			out_finish(v[i]);
	for (size_t i = 0; i < n; i++)
		if (v[i])
			out_commit(v[i]);
}

void nk_out_close(nk_out *o)
{
	nk_out_close_all(&o, 1);
}
