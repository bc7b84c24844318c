#!/bin/sh
# Fuzz the library's reader (plain and gzip input, header and row checks,
# decimals) through `nk-validate --contract -n` with AFL++ (Debian afl++).
#   sh tests/fuzz/reader.sh [SECONDS]      (default 300)
# Seeds: the nk-validate test cases. Work dir: /tmp/nk-fuzz-reader. Crashes
# land in its out/default/crashes/; the script prints the counts at the end.
. "$(dirname "$0")/lib.sh"
fuzz_setup reader
i=0
for f in tests/cases/nk-validate/*/stdin tests/cases/nk-validate/*/*.tsv \
	tests/cases/nk-validate/*/*.gz; do
	[ -f "$f" ] && cp "$f" "$w/in/s$i" && i=$((i + 1))
done
fuzz_build nk-validate
fuzz_run "${1:-300}" -- "$w/nk-validate" --contract -n @@
