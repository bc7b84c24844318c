/* replay.c - main() for a harness of tests/fuzz/ built without libFuzzer:
 * runs each input named (a file, or every file of a directory, in name
 * order) once through LLVMFuzzerTestOneInput, and prints how many ran.
 * make check replays the saved corpora this way (tests/fuzz.bats). */
#include "fuzz.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

static void one(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		exit(2);
	}
	size_t cap = 4096, n = 0, k;
	uint8_t *d = malloc(cap);
	while (d && (k = fread(d + n, 1, cap - n, f)) > 0)
		if ((n += k) == cap)
			d = realloc(d, cap *= 2);
	if (!d || ferror(f)) {
		fprintf(stderr, "replay: %s: cannot read\n", path);
		exit(2);
	}
	fclose(f);
	LLVMFuzzerTestOneInput(d, n);
	free(d);
}

int main(int argc, char **argv)
{
	if (LLVMFuzzerInitialize)
		LLVMFuzzerInitialize(&argc, &argv);
	for (int i = 1; i < argc; i++) {
		struct stat sb;
		if (stat(argv[i], &sb) == 0 && S_ISDIR(sb.st_mode)) {
			struct dirent **e;
			int n = scandir(argv[i], &e, NULL, alphasort);
			if (n < 0) {
				fprintf(stderr, "replay: %s: %s\n", argv[i], strerror(errno));
				return 2;
			}
			for (int j = 0; j < n; j++) {
				if (e[j]->d_name[0] != '.') {
					char p[4096];
					snprintf(p, sizeof p, "%s/%s", argv[i], e[j]->d_name);
					one(p);
				}
				free(e[j]);
			}
			free(e);
		} else {
			one(argv[i]);
		}
	}
	printf("%lu inputs: %lu read to the end, %lu rejected\n",
	       nk_fuzz_ok + nk_fuzz_rejected, nk_fuzz_ok, nk_fuzz_rejected);
	return 0;
}
