/* in.c - byte sources (file, stdin, gzip via ISA-L) and the line reader.
 * See nk.h. One buffer per source, reused; it only grows for lines longer
 * than the buffer, up to NK_LINE_MAX. */
#include "nk.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <isa-l/igzip_lib.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The sizes can be set at build time: the fuzz harnesses (tests/fuzz/)
 * build with tiny ones, so that small inputs cross every buffer end. */
#ifndef NK_IN_BUF
#define NK_IN_BUF (1u << 20) /* line buffer */
#endif
#ifndef NK_ZIN_BUF
#define NK_ZIN_BUF (1u << 18) /* compressed input buffer */
#endif
#define IN_BUF NK_IN_BUF
#define ZIN_BUF NK_ZIN_BUF

/* gzip input is inflated by a second thread into a ring of chunks, so that
 * decompression (ISA-L) and the caller's parsing overlap on two cores. */
#ifndef NK_GZ_CHUNK
#define NK_GZ_CHUNK (1u << 20)
#endif
#ifndef NK_GZ_STAGE
#define NK_GZ_STAGE (1u << 18)
#endif
#define GZ_CHUNK NK_GZ_CHUNK
#define GZ_SLOTS 4
#define GZ_STAGE NK_GZ_STAGE

typedef struct {
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t cv; /* signalled on every state change */
	char *slot[GZ_SLOTS];
	size_t len[GZ_SLOTS];
	int head, count; /* ready chunks: slot[head], ... (count of them) */
	int done;	 /* the thread has put its last chunk */
	int stop;	 /* the reader is closing: the thread must end */
	char err[256];	 /* set with done when the input was bad */
	size_t pos;	 /* read position in slot[head] (reader side) */
} gzpipe;

struct nk_in {
	const char *name;
	int fd;
	int eof;     /* no more bytes will come into buf */
	int raw_eof; /* the fd is at EOF */
	/* decompressed (or plain) bytes: buf[beg..end) unread, scan = where the
	 * search for '\n' resumes */
	char *buf;
	size_t cap, beg, end, scan;
	long lineno;
	uint64_t rawbytes; /* written by the gzip thread: atomic access */
	/* gzip (owned by the thread while it runs) */
	gzpipe *gz;
	unsigned char head[2];
	size_t nhead;
};

/* read(2) with EINTR retry; -1 with errno on error. */
static ssize_t raw_read(nk_in *in, void *p, size_t n)
{
	for (;;) {
		ssize_t r = read(in->fd, p, n);
		if (r >= 0) {
			if (r == 0)
				in->raw_eof = 1;
			__atomic_add_fetch(&in->rawbytes, (uint64_t)r, __ATOMIC_RELAXED);
			return r;
		}
		if (errno != EINTR)
			return -1;
	}
}

/* The inflating thread: compressed bytes from in->fd, chunks into the ring.
 * Multi-member gzip is one stream; a member cut short is an error. */
static void *gz_thread(void *arg)
{
	nk_in *in = arg;
	gzpipe *g = in->gz;
	struct inflate_state *s = nk_xmalloc(sizeof *s);
	unsigned char *zbuf = nk_xmalloc(ZIN_BUF);
	unsigned char *stage = nk_xmalloc(GZ_STAGE);
	memcpy(zbuf, in->head, in->nhead);
	const unsigned char *zp = zbuf; /* unread compressed bytes: zp[0..zlen) */
	size_t zlen = in->nhead;
	int member_open = 0, slot_i = 0;
	char err[256] = "";
	for (;;) {
		/* wait for a free slot */
		pthread_mutex_lock(&g->mu);
		while (g->count == GZ_SLOTS && !g->stop)
			pthread_cond_wait(&g->cv, &g->mu);
		int stop = g->stop;
		slot_i = (g->head + g->count) % GZ_SLOTS;
		pthread_mutex_unlock(&g->mu);
		if (stop)
			break;
		char *out = g->slot[slot_i];
		size_t got = 0, finished = 0;
		while (got < GZ_CHUNK && !finished && !err[0]) {
			if (zlen == 0 && !in->raw_eof) {
				ssize_t r = raw_read(in, zbuf, ZIN_BUF);
				zp = zbuf;
				if (r < 0) {
					snprintf(err, sizeof err, "%s: read error: %s",
						 in->name, strerror(errno));
					break;
				}
				zlen = (size_t)r;
			}
			if (!member_open) {
				if (zlen == 0 && in->raw_eof) {
					finished = 1; /* clean end after a whole member */
					break;
				}
				isal_inflate_init(s);
				s->crc_flag = ISAL_GZIP;
				member_open = 1;
			}
			/* ISA-L writes into a small private buffer that stays in
			 * this core's cache; one memcpy then publishes it. Writing
			 * into the ring directly, its stores to lines the reader
			 * had cached ran up to 1.3x slower (cross-core traffic). */
			size_t room = GZ_CHUNK - got;
			if (room > GZ_STAGE)
				room = GZ_STAGE;
			s->next_in = (uint8_t *)zp;
			s->avail_in = (uint32_t)zlen;
			s->next_out = stage;
			s->avail_out = (uint32_t)room;
			int rc = isal_inflate(s);
			if (rc < 0) {
				snprintf(err, sizeof err, "%s: corrupt gzip data (%s)", in->name,
					 rc == ISAL_INCORRECT_CHECKSUM ? "checksum mismatch"
					 : rc == ISAL_INVALID_WRAPPER  ? "bad header"
								       : "invalid deflate stream");
				break;
			}
			zp = s->next_in;
			zlen = s->avail_in;
			size_t n = room - s->avail_out;
			memcpy(out + got, stage, n);
			got += n;
			if (s->block_state == ISAL_BLOCK_FINISH)
				member_open = 0; /* next member, or the end */
			else if (in->raw_eof && zlen == 0 && n == 0)
				snprintf(err, sizeof err,
					 "%s: truncated gzip input (unexpected end of file)",
					 in->name);
		}
		pthread_mutex_lock(&g->mu);
		if (got) {
			g->len[slot_i] = got;
			g->count++;
		}
		if (finished || err[0]) {
			memcpy(g->err, err, sizeof err);
			g->done = 1;
		}
		pthread_cond_broadcast(&g->cv);
		int end = g->done;
		pthread_mutex_unlock(&g->mu);
		if (end)
			break;
	}
	free(s);
	free(zbuf);
	free(stage);
	return NULL;
}

void nk_in_check(const char *path)
{
	struct stat sb;
	if (!strcmp(path, "-"))
		return;
	if (access(path, R_OK) < 0)
		nk_in_close(nk_in_open(path)); /* dies with the reason */
	if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode))
		nk_die(1, "%s: read error: %s", path, strerror(EISDIR));
}

nk_in *nk_in_open(const char *path)
{
	nk_in *in = nk_xmalloc(sizeof *in);
	memset(in, 0, sizeof *in);
	if (!strcmp(path, "-")) {
		in->name = "<stdin>";
		in->fd = 0;
	} else {
		in->name = path;
		in->fd = open(path, O_RDONLY);
		if (in->fd < 0)
			nk_die(1, "%s: cannot open: %s", path, strerror(errno));
	}
	in->cap = IN_BUF;
	in->buf = nk_xmalloc(in->cap + NK_IN_SLACK);
	memset(in->buf, 0, in->cap + NK_IN_SLACK);
	/* sniff the gzip magic: read until we have 2 bytes or EOF */
	while (in->nhead < 2 && !in->raw_eof) {
		ssize_t r = raw_read(in, in->head + in->nhead, 2 - in->nhead);
		if (r < 0)
			nk_die(1, "%s: read error: %s", in->name, strerror(errno));
		in->nhead += (size_t)r;
	}
	if (in->nhead == 2 && in->head[0] == 0x1f && in->head[1] == 0x8b) {
		gzpipe *g = nk_xmalloc(sizeof *g);
		memset(g, 0, sizeof *g);
		for (int i = 0; i < GZ_SLOTS; i++)
			g->slot[i] = nk_xmalloc(GZ_CHUNK);
		pthread_mutex_init(&g->mu, NULL);
		pthread_cond_init(&g->cv, NULL);
		in->gz = g;
		if (pthread_create(&g->th, NULL, gz_thread, in))
			nk_die(1, "%s: cannot start the gzip thread", in->name);
	} else {
		memcpy(in->buf, in->head, in->nhead);
		in->end = in->nhead;
	}
	return in;
}

const char *nk_in_name(const nk_in *in) { return in->name; }
long nk_in_lineno(const nk_in *in) { return in->lineno; }
uint64_t nk_in_bytes(const nk_in *in)
{
	return __atomic_load_n(&in->rawbytes, __ATOMIC_RELAXED);
}

/* Copy inflated bytes from the ring into buf[end..cap). 0 = end of data. */
static size_t gz_fill(nk_in *in)
{
	gzpipe *g = in->gz;
	pthread_mutex_lock(&g->mu);
	while (g->count == 0 && !g->done)
		pthread_cond_wait(&g->cv, &g->mu);
	if (g->count == 0) {
		/* all data consumed: the end, or the error that came after it */
		pthread_mutex_unlock(&g->mu);
		if (g->err[0])
			nk_die(1, "%s", g->err);
		return 0;
	}
	int h = g->head;
	pthread_mutex_unlock(&g->mu);
	size_t n = g->len[h] - g->pos;
	if (n > in->cap - in->end)
		n = in->cap - in->end;
	memcpy(in->buf + in->end, g->slot[h] + g->pos, n);
	in->end += n;
	g->pos += n;
	if (g->pos == g->len[h]) {
		g->pos = 0;
		pthread_mutex_lock(&g->mu);
		g->head = (g->head + 1) % GZ_SLOTS;
		g->count--;
		pthread_cond_broadcast(&g->cv);
		pthread_mutex_unlock(&g->mu);
	}
	return n;
}

/* Read more bytes into buf[end..cap). Returns bytes added, 0 at EOF. */
static size_t fill(nk_in *in)
{
	if (in->eof)
		return 0;
	size_t got;
	if (in->gz) {
		got = gz_fill(in);
	} else {
		ssize_t r = raw_read(in, in->buf + in->end, in->cap - in->end);
		if (r < 0)
			nk_die(1, "%s: read error: %s", in->name, strerror(errno));
		got = (size_t)r;
		in->end += got;
	}
	if (got == 0)
		in->eof = 1;
	return got;
}

/* Make room at the end of buf: move unread bytes to the front, grow if full. */
static void make_room(nk_in *in)
{
	if (in->beg > 0) {
		size_t n = in->end - in->beg;
		memmove(in->buf, in->buf + in->beg, n);
		in->scan -= in->beg;
		in->end = n;
		in->beg = 0;
	}
	if (in->end == in->cap) {
		if (in->cap >= NK_LINE_MAX)
			nk_die(1, "%s:%ld: line longer than %zu MiB", in->name,
			       in->lineno + 1, NK_LINE_MAX >> 20);
		in->buf = nk_xrealloc(in->buf, 2 * in->cap + NK_IN_SLACK);
		memset(in->buf + in->cap + NK_IN_SLACK, 0, in->cap);
		in->cap *= 2;
	}
}

int nk_in_line(nk_in *in, const char **line, size_t *len)
{
	for (;;) {
		char *nl = memchr(in->buf + in->scan, '\n', in->end - in->scan);
		if (nl) {
			*line = in->buf + in->beg;
			*len = (size_t)(nl - (in->buf + in->beg));
			in->beg = in->scan = (size_t)(nl - in->buf) + 1;
			in->lineno++;
			return 1;
		}
		in->scan = in->end;
		make_room(in);
		if (!fill(in)) {
			if (in->beg == in->end)
				return 0;
			/* last line without '\n' */
			*line = in->buf + in->beg;
			*len = in->end - in->beg;
			in->beg = in->scan = in->end;
			in->lineno++;
			return 1;
		}
	}
}

size_t nk_in_read(nk_in *in, void *p, size_t n)
{
	if (in->beg == in->end) {
		in->beg = in->end = in->scan = 0;
		if (!fill(in))
			return 0;
	}
	size_t k = in->end - in->beg;
	if (k > n)
		k = n;
	memcpy(p, in->buf + in->beg, k);
	in->beg += k;
	in->scan = in->beg;
	return k;
}

size_t nk_in_peek(nk_in *in, size_t want, const char **p)
{
	if (want > IN_BUF / 2)
		want = IN_BUF / 2;
	while (in->end - in->beg < want && !in->eof) {
		if (in->end == in->cap)
			make_room(in); /* moves the unread bytes to the front */
		fill(in);
	}
	*p = in->buf + in->beg;
	return in->end - in->beg;
}

void nk_in_close(nk_in *in)
{
	if (!in)
		return;
	gzpipe *g = in->gz;
	if (g) {
		pthread_mutex_lock(&g->mu);
		g->stop = 1;
		pthread_cond_broadcast(&g->cv);
		pthread_mutex_unlock(&g->mu);
		pthread_join(g->th, NULL);
		for (int i = 0; i < GZ_SLOTS; i++)
			free(g->slot[i]);
		pthread_mutex_destroy(&g->mu);
		pthread_cond_destroy(&g->cv);
		free(g);
	}
	if (in->fd > 0)
		close(in->fd);
	free(in->buf);
	free(in);
}

char *nk_datafile(const char *rel)
{
	char buf[PATH_MAX + 64];
	const char *env = getenv("NK_DATADIR");
	if (env && *env) {
		snprintf(buf, sizeof buf, "%s/%s", env, rel);
		return nk_xstrdup(buf);
	}
	char dir[PATH_MAX], real[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", dir, sizeof dir - 1);
	if (n > 0) {
		dir[n] = 0;
		char *s = strrchr(dir, '/');
		if (s) {
			*s = 0;
			snprintf(buf, sizeof buf, "%s/../share/nktrade/%s", dir, rel);
			if (access(buf, R_OK) == 0)
				return nk_xstrdup(realpath(buf, real) ? real : buf);
		}
		for (int up = 0; up < 4 && (s = strrchr(dir, '/')); up++) {
			*s = 0;
			snprintf(buf, sizeof buf, "%s/%s", dir, rel);
			if (access(buf, R_OK) == 0)
				return nk_xstrdup(buf);
		}
	}
#ifdef NK_DATADIR
	snprintf(buf, sizeof buf, "%s/%s", NK_DATADIR, rel);
#else
	snprintf(buf, sizeof buf, "%s", rel);
#endif
	return nk_xstrdup(buf);
}
