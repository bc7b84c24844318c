/* failalloc.so - make one allocation fail, for tests of the out-of-memory
 * paths (LD_PRELOAD; not with ASan, whose runtime must come first).
 *   NK_FAIL_ALLOC=N      the Nth call of malloc/calloc/realloc in the
 *                        process returns NULL (errno ENOMEM); 0 = none
 *   NK_ALLOC_COUNT=FILE  at exit, write how many calls there were
 * glibc's own functions (strdup, fopen, ...) allocate through these too. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);

static long calls, fail_at = -1;

static int fail_now(void)
{
	if (fail_at < 0) {
		const char *e = getenv("NK_FAIL_ALLOC");
		fail_at = e ? atol(e) : 0;
	}
	if (++calls == fail_at) {
		errno = ENOMEM;
		return 1;
	}
	return 0;
}

void *malloc(size_t n) { return fail_now() ? NULL : __libc_malloc(n); }
void *calloc(size_t k, size_t n) { return fail_now() ? NULL : __libc_calloc(k, n); }
void *realloc(void *p, size_t n) { return fail_now() ? NULL : __libc_realloc(p, n); }

__attribute__((destructor)) static void report(void)
{
	const char *path = getenv("NK_ALLOC_COUNT");
	long n = calls;
	if (path) {
		FILE *f = fopen(path, "w");
		if (f) {
			fprintf(f, "%ld\n", n);
			fclose(f);
		}
	}
}
