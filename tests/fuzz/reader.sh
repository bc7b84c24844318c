#!/bin/sh
# Fuzz the library's reader (plain and gzip input, header and row checks,
# decimals) through `nk-validate --contract -n` with AFL++ (Debian afl++).
#   sh tests/fuzz/reader.sh [SECONDS]      (default 300)
# Seeds: the nk-validate test cases. Work dir: /tmp/nk-fuzz-reader. Crashes
# land in its out/default/crashes/; the script prints the counts at the end.
set -eu
cd "$(dirname "$0")/../.."
secs=${1:-300}
w=/tmp/nk-fuzz-reader
rm -rf "$w" && mkdir -p "$w/in"
i=0
for f in tests/cases/nk-validate/*/stdin tests/cases/nk-validate/*/*.tsv \
	tests/cases/nk-validate/*/*.gz; do
	[ -f "$f" ] && cp "$f" "$w/in/s$i" && i=$((i + 1))
done
AFL_QUIET=1 afl-cc -O1 -g -D_GNU_SOURCE -DNK_VERSION='"fuzz"' -Itools/lib \
	tools/lib/*.c tools/nk-validate.c -o "$w/nk-validate" \
	-lisal -lcsv -lyaml -lcurl -lyajl -lz -lm -lpthread
AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1 \
	timeout "$secs" afl-fuzz -i "$w/in" -o "$w/out" -t 2000 -- \
	"$w/nk-validate" --contract -n @@ >"$w/log" 2>&1 || true
grep -E 'execs_done|saved_crashes|saved_hangs' "$w/out/default/fuzzer_stats"
