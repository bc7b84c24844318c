/* fuzz.h - in-process fuzz harnesses for nktrade's readers.
 *
 * A harness is one small file, tests/fuzz/fz-NAME.c: a function that feeds
 * one input to a reader, and NK_FUZZ_TARGET naming it:
 *
 *	#include "fuzz.h"
 *	static void one(const uint8_t *d, size_t n)
 *	{
 *		nk_tsv *t = nk_tsv_open((char *[]){nk_fuzz_path(d, n)}, 1);
 *		while (nk_tsv_next(t))
 *			;
 *		nk_tsv_close(t);
 *	}
 *	NK_FUZZ_TARGET(one)
 *
 * The same file builds two ways: with clang's libFuzzer (tests/fuzz/run.sh,
 * `make fuzz`: coverage-guided, ASan+UBSan, millions of inputs in one
 * process) and with replay.c's main (`make`, in build/fuzz/ and
 * build/asan/fuzz/), which runs each saved input of tests/fuzz/corpus/NAME/
 * once (`make check`, tests/fuzz.bats).
 *
 * Errors: the library ends a run on bad input with nk_exit_now (exit 1).
 * Under a harness nk_exit_hook longjmps back to nk_fuzz_run, which undoes
 * what the run left behind, so every input starts from the same state:
 * - the threads it started (in.c's gzip reader is the only one; its
 *   argument is its nk_in): that nk_in is closed, which joins the thread;
 * - the files it opened: closed;
 * - the memory it allocated and did not free: freed. ASan's allocator hooks
 *   list every block allocated while the input runs; without ASan (the plain
 *   replay build) nothing is listed and those blocks leak, which a replay of
 *   a few hundred inputs affords.
 * A run that returns normally must leave nothing: LeakSanitizer reports a
 * leaked block, and a thread left running aborts the harness.
 *
 * Tool-internal readers (nk-summarize's --merge partials, a table of
 * nk-merge-interkorean, ...): the harness includes the tool's source with
 * its main renamed, and calls the tool's own static reader function:
 *
 *	#define main tool_main
 *	#include "../../tools/nk-TOOL.c"
 *	#undef main
 *	static void one(const uint8_t *d, size_t n) { read_partial(nk_fuzz_path(d, n)); ... }
 *	NK_FUZZ_TARGET(one)
 *
 * One-time set-up (tables a reader needs) goes in NK_FUZZ_INIT(fn), which
 * runs once before the first input; what it allocates is never freed by
 * the harness. Careful with a reader that keeps heap blocks in static
 * variables from one call to the next (a lazily loaded table, a buffer kept
 * for the next file): a block allocated during an input that fails is
 * freed, and the static would point into freed memory at the next input.
 * Load such tables in NK_FUZZ_INIT, and reset such buffers (to NULL) before
 * each input. README.md "Fuzzing" says how to run, save and add. */
#ifndef NK_FUZZ_H
#define NK_FUZZ_H

#include "nk.h"

#include <stddef.h>
#include <stdlib.h>
#include <stdint.h>

/* Run fn(d, n) as one input (see above). */
void nk_fuzz_run(void (*fn)(const uint8_t *, size_t), const uint8_t *d, size_t n);
/* A path that reads as the bytes d[0..n) (a memory file, /proc/self/fd/N),
 * for readers that open a path. Valid until the next call. */
char *nk_fuzz_path(const uint8_t *d, size_t n);
/* Inputs run so far that returned normally / ended in nk_exit_now. */
extern unsigned long nk_fuzz_ok, nk_fuzz_rejected;

#define NK_FUZZ_TARGET(fn)                                                     \
	int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);                \
	int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)                 \
	{                                                                      \
		nk_fuzz_run(fn, d, n);                                         \
		return 0;                                                      \
	}
#define NK_FUZZ_INIT(fn)                                                       \
	int LLVMFuzzerInitialize(int *argc, char ***argv);                     \
	int LLVMFuzzerInitialize(int *argc, char ***argv)                      \
	{                                                                      \
		(void)argc;                                                    \
		(void)argv;                                                    \
		fn();                                                          \
		return 0;                                                      \
	}

#endif
