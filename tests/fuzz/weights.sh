#!/bin/sh
# Fuzz nk-normalize-hs's only configuration input, the --weights table
# (parsed with the library reader, checked against the correlation table,
# then used to split amounts), with AFL++ (Debian afl++):
#   nk-normalize-hs -q --to H4 --weights FILE  on a tiny fixed input.
#   sh tests/fuzz/weights.sh [SECONDS]      (default 600)
# The tool loads the HS tables (1.5 MB) before the weights; afl-cc builds
# fork after them (__AFL_INIT), so each run costs only the weights.
# Seeds: the weights of tests/cases/nk-normalize-hs/ and tests/fuzz/
# weights-seeds/. Work dir: /tmp/nk-fuzz-weights; the script prints the counts.
set -eu
cd "$(dirname "$0")/../.."
secs=${1:-600}
w=/tmp/nk-fuzz-weights
rm -rf "$w" && mkdir -p "$w/in"
for d in tests/cases/nk-normalize-hs/*/; do
	[ -f "$d/w.tsv" ] && cp "$d/w.tsv" "$w/in/$(basename "$d").tsv"
done
cp tests/fuzz/weights-seeds/*.tsv "$w/in/"
cp tests/cases/nk-normalize-hs/split-weights/stdin "$w/rows.tsv"
AFL_QUIET=1 afl-cc -O1 -g -D_GNU_SOURCE -DNK_VERSION='"fuzz"' \
	-DNK_DATADIR='"/nonexistent"' -Itools/lib tools/lib/*.c \
	tools/nk-normalize-hs.c -o "$w/nk-normalize-hs" \
	-lisal -lcsv -lyaml -lcurl -lyajl -lz -lm -lpthread
# The tables are found through NK_DATADIR (the repo root); the seed must
# convert cleanly, or the fuzzer would test nothing.
NK_DATADIR=$(pwd)
export NK_DATADIR
"$w/nk-normalize-hs" -q --to H4 --weights "$w/in/split-weights.tsv" \
	-o /dev/null "$w/rows.tsv" ||
	{ echo "weights.sh: the seed does not run; not fuzzing" >&2; exit 1; }
AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1 \
	timeout "$secs" afl-fuzz -i "$w/in" -o "$w/out" -t 2000 -- \
	"$w/nk-normalize-hs" -q --to H4 --weights @@ -o /dev/null "$w/rows.tsv" \
	>"$w/log" 2>&1 || true
grep -E 'execs_done|saved_crashes|saved_hangs' "$w/out/default/fuzzer_stats"
