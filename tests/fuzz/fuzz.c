/* fuzz.c - the harness side of tests/fuzz/fuzz.h: nk_exit_hook's longjmp
 * and the undoing of what a run left (threads, files, memory). */
#include "fuzz.h"

#include <dirent.h>
#include <locale.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

unsigned long nk_fuzz_ok, nk_fuzz_rejected;

/* ---------------------------------------------------- memory of one run */

/* ASan's (and GCC's libasan's) hooks; absent (NULL) without ASan. */
int __sanitizer_install_malloc_and_free_hooks(
	void (*m)(const volatile void *, size_t), void (*f)(const volatile void *))
	__attribute__((weak));

/* The blocks allocated during the run and not yet freed: open addressing
 * over addresses (0 empty, 1 removed), the slots used listed in `used` so
 * that emptying the table costs what the run used. Past 3/4 full the run's
 * further blocks are not listed (they leak if it fails). */
enum { TBITS = 20, TSIZE = 1 << TBITS };
static uintptr_t slot[TSIZE];
static uint32_t used[TSIZE];
static size_t nused;
static int armed, full;
static int lock;
/* Set while glibc's pthread_create runs: what it allocates (the new thread's
 * TLS, kept with the stacks it caches for the next thread) outlives the run. */
static __thread int in_libc;

static size_t hash(uintptr_t p)
{
	return (size_t)(((uint64_t)p >> 4) * 0x9E3779B97F4A7C15ull >> (64 - TBITS));
}

static void take(void)
{
	while (__atomic_test_and_set(&lock, __ATOMIC_ACQUIRE))
		;
}
static void give(void) { __atomic_clear(&lock, __ATOMIC_RELEASE); }

static void on_malloc(const volatile void *vp, size_t n)
{
	(void)n;
	uintptr_t p = (uintptr_t)vp;
	if (!__atomic_load_n(&armed, __ATOMIC_RELAXED) || !p || in_libc)
		return;
	take();
	if (nused >= TSIZE / 4 * 3) {
		full = 1;
	} else {
		size_t i = hash(p);
		while (slot[i] > 1)
			i = (i + 1) & (TSIZE - 1);
		if (!slot[i])
			used[nused++] = (uint32_t)i;
		slot[i] = p;
	}
	give();
}

static void on_free(const volatile void *vp)
{
	uintptr_t p = (uintptr_t)vp;
	if (!__atomic_load_n(&armed, __ATOMIC_RELAXED) || !p)
		return;
	take();
	for (size_t i = hash(p); slot[i]; i = (i + 1) & (TSIZE - 1))
		if (slot[i] == p) {
			slot[i] = 1;
			break;
		}
	give();
}

/* Stop listing; free what is listed if `release`; empty the table. */
static void track_end(int release)
{
	__atomic_store_n(&armed, 0, __ATOMIC_SEQ_CST);
	for (size_t k = 0; k < nused; k++) {
		uintptr_t p = slot[used[k]];
		if (p > 1 && release)
			free((void *)p);
		slot[used[k]] = 0;
	}
	nused = 0;
	full = 0;
}

/* ------------------------------------------------- threads of one run */

/* in.c starts one thread per gzip input, with its nk_in as argument. The
 * link wraps pthread_create/pthread_join (-Wl,--wrap) to list them. */
int __real_pthread_create(pthread_t *, const pthread_attr_t *, void *(*)(void *), void *);
int __real_pthread_join(pthread_t, void **);
int __wrap_pthread_create(pthread_t *, const pthread_attr_t *, void *(*)(void *), void *);
int __wrap_pthread_join(pthread_t, void **);

enum { MAXTH = 64 };
static struct {
	pthread_t th;
	void *arg;
} threads[MAXTH];
static int nthreads;

int __wrap_pthread_create(pthread_t *th, const pthread_attr_t *a,
			  void *(*fn)(void *), void *arg)
{
	in_libc = 1;
	int rc = __real_pthread_create(th, a, fn, arg);
	in_libc = 0;
	if (rc == 0 && __atomic_load_n(&armed, __ATOMIC_RELAXED)) {
		if (nthreads == MAXTH)
			abort(); /* more gzip inputs open at once than any reader opens */
		threads[nthreads].th = *th;
		threads[nthreads++].arg = arg;
	}
	return rc;
}

int __wrap_pthread_join(pthread_t th, void **ret)
{
	for (int i = 0; i < nthreads; i++)
		if (pthread_equal(threads[i].th, th)) {
			threads[i] = threads[--nthreads];
			break;
		}
	return __real_pthread_join(th, ret);
}

/* ----------------------------------------------------- files of one run */

enum { MAXFD = 4096 };
static unsigned char fd_before[MAXFD]; /* open before the first input */

static void fds_snapshot(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	if (!d)
		abort();
	while ((e = readdir(d)))
		if (e->d_name[0] != '.' && atoi(e->d_name) < MAXFD)
			fd_before[atoi(e->d_name)] = 1;
	closedir(d);
}

/* Close every file opened since the snapshot. */
static void fds_close_new(void)
{
	int fds[MAXFD], n = 0;
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	if (!d)
		abort();
	while ((e = readdir(d)))
		if (e->d_name[0] != '.' && n < MAXFD) {
			int fd = atoi(e->d_name);
			if (fd != dirfd(d) && (fd >= MAXFD || !fd_before[fd]))
				fds[n++] = fd;
		}
	closedir(d);
	for (int i = 0; i < n; i++)
		close(fds[i]);
}

/* ------------------------------------------------------------ the run */

static int memfd = -1;
static char mempath[64];
static jmp_buf jb;

static void setup(void)
{
	if (memfd >= 0)
		return;
	nk_prog = "nk-fuzz";
	setenv("LC_ALL", "C", 1);
	setlocale(LC_ALL, "C");
	memfd = memfd_create("nk-fuzz-input", 0);
	if (memfd < 0)
		abort();
	snprintf(mempath, sizeof mempath, "/proc/self/fd/%d", memfd);
	if (__sanitizer_install_malloc_and_free_hooks)
		__sanitizer_install_malloc_and_free_hooks(on_malloc, on_free);
}

char *nk_fuzz_path(const uint8_t *d, size_t n)
{
	setup();
	if (ftruncate(memfd, 0) < 0 || (n && pwrite(memfd, d, n, 0) != (ssize_t)n))
		abort();
	return mempath;
}

static void back_to_harness(int status) { longjmp(jb, status + 1); }

void nk_fuzz_run(void (*fn)(const uint8_t *, size_t), const uint8_t *d, size_t n)
{
	static int first = 1;
	setup();
	if (first) {
		fds_snapshot();
		first = 0;
	}
	nk_exit_hook = back_to_harness;
	nused = 0;
	__atomic_store_n(&armed, 1, __ATOMIC_SEQ_CST);
	if (setjmp(jb) == 0) {
		fn(d, n);
		if (nthreads) {
			fprintf(stderr, "nk-fuzz: the run returned with a thread left running\n");
			abort();
		}
		track_end(0);
		nk_fuzz_ok++;
	} else {
		/* closing an nk_in joins its gzip thread (and drops it from
		 * the list) and frees its blocks, still listed */
		while (nthreads)
			nk_in_close(threads[nthreads - 1].arg);
		fds_close_new();
		track_end(1);
		nk_fuzz_rejected++;
	}
	nk_exit_hook = NULL;
}
