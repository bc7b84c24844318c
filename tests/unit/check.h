/* check.h - the unit tests' one assertion: CHECK(cond) counts a pass or
 * prints the failing condition with its line; main() ends with
 * CHECK_REPORT(), which prints "N passed, N failed" (read by tests/run.sh)
 * and gives the exit status. */
#ifndef NK_CHECK_H
#define NK_CHECK_H

#include <stdio.h>

static int passed, failed;
#define CHECK(cond)                                                            \
	do {                                                                   \
		if (cond)                                                      \
			passed++;                                              \
		else {                                                         \
			failed++;                                              \
			printf("FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond);  \
		}                                                              \
	} while (0)
#define CHECK_REPORT()                                                         \
	(printf("%d passed, %d failed\n", passed, failed), failed != 0)

#endif
