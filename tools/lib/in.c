/* in.c - byte sources (file, stdin, gzip via ISA-L) and the line reader.
 * See nk.h. One buffer per source, reused; it only grows for lines longer
 * than the buffer, up to NK_LINE_MAX. */
#include "nk.h"

#include <errno.h>
#include <fcntl.h>
#include <isa-l/igzip_lib.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define IN_BUF (1u << 20)  /* line buffer */
#define ZIN_BUF (1u << 18) /* compressed input buffer */

struct nk_in {
	const char *name;
	int fd;
	int eof;      /* no more bytes will come into buf */
	int raw_eof;  /* the fd is at EOF */
	/* decompressed (or plain) bytes: buf[beg..end) unread, scan = where the
	 * search for '\n' resumes */
	char *buf;
	size_t cap, beg, end, scan;
	long lineno;
	uint64_t rawbytes;
	/* gzip */
	int gz;
	struct inflate_state *zs;
	unsigned char *zbuf;
	size_t zlen; /* bytes in zbuf not yet given to inflate */
	int member_open; /* inside a gzip member */
};

static size_t raw_read(nk_in *in, void *p, size_t n)
{
	for (;;) {
		ssize_t r = read(in->fd, p, n);
		if (r >= 0) {
			if (r == 0)
				in->raw_eof = 1;
			in->rawbytes += (uint64_t)r;
			return (size_t)r;
		}
		if (errno != EINTR)
			nk_die(1, "%s: read error: %s", in->name, strerror(errno));
	}
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
	in->buf = nk_xmalloc(in->cap);
	/* sniff the gzip magic: read until we have 2 bytes or EOF */
	unsigned char head[2];
	size_t h = 0;
	while (h < 2 && !in->raw_eof)
		h += raw_read(in, head + h, 2 - h);
	if (h == 2 && head[0] == 0x1f && head[1] == 0x8b) {
		in->gz = 1;
		in->zs = nk_xmalloc(sizeof *in->zs);
		in->zbuf = nk_xmalloc(ZIN_BUF);
		memcpy(in->zbuf, head, 2);
		in->zlen = 2;
	} else {
		memcpy(in->buf, head, h);
		in->end = h;
	}
	return in;
}

const char *nk_in_name(const nk_in *in) { return in->name; }
long nk_in_lineno(const nk_in *in) { return in->lineno; }
uint64_t nk_in_bytes(const nk_in *in) { return in->rawbytes; }

/* Append decompressed bytes to buf[end..cap). Returns bytes added; 0 = EOF. */
static size_t gz_fill(nk_in *in)
{
	struct inflate_state *s = in->zs;
	for (;;) {
		if (in->zlen == 0 && !in->raw_eof)
			in->zlen = raw_read(in, in->zbuf, ZIN_BUF);
		if (!in->member_open) {
			if (in->zlen == 0 && in->raw_eof)
				return 0; /* clean end after a whole member */
			isal_inflate_init(s);
			s->crc_flag = ISAL_GZIP;
			in->member_open = 1;
		}
		s->next_in = in->zbuf;
		s->avail_in = (uint32_t)in->zlen;
		s->next_out = (uint8_t *)in->buf + in->end;
		s->avail_out = (uint32_t)(in->cap - in->end);
		int rc = isal_inflate(s);
		if (rc < 0)
			nk_die(1, "%s: corrupt gzip data (%s)", in->name,
			       rc == ISAL_INCORRECT_CHECKSUM ? "checksum mismatch"
			       : rc == ISAL_INVALID_WRAPPER  ? "bad header"
							     : "invalid deflate stream");
		size_t used = in->zlen - s->avail_in;
		memmove(in->zbuf, in->zbuf + used, s->avail_in);
		in->zlen = s->avail_in;
		size_t got = (size_t)((char *)s->next_out - (in->buf + in->end));
		in->end += got;
		if (s->block_state == ISAL_BLOCK_FINISH)
			in->member_open = 0; /* next member, or the end */
		else if (in->raw_eof && in->zlen == 0 && got == 0)
			nk_die(1, "%s: truncated gzip input (unexpected end of file)",
			       in->name);
		if (got)
			return got;
	}
}

/* Read more bytes into buf[end..cap). Returns bytes added, 0 at EOF. */
static size_t fill(nk_in *in)
{
	if (in->eof)
		return 0;
	size_t got;
	if (in->gz) {
		got = gz_fill(in); /* advances end itself */
	} else {
		got = raw_read(in, in->buf + in->end, in->cap - in->end);
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
		in->cap *= 2;
		in->buf = nk_xrealloc(in->buf, in->cap);
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

void nk_in_close(nk_in *in)
{
	if (!in)
		return;
	if (in->fd > 0)
		close(in->fd);
	free(in->zs);
	free(in->zbuf);
	free(in->buf);
	free(in);
}
