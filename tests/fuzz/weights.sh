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
. "$(dirname "$0")/lib.sh"
fuzz_setup weights
for d in tests/cases/nk-normalize-hs/*/; do
	[ -f "$d/w.tsv" ] && cp "$d/w.tsv" "$w/in/$(basename "$d").tsv"
done
cp tests/fuzz/weights-seeds/*.tsv "$w/in/"
cp tests/cases/nk-normalize-hs/split-weights/stdin "$w/rows.tsv"
fuzz_build nk-normalize-hs
# The seed must convert cleanly, or the fuzzer would test nothing.
"$w/nk-normalize-hs" -q --to H4 --weights "$w/in/split-weights.tsv" \
	-o /dev/null "$w/rows.tsv" ||
	{ echo "weights.sh: the seed does not run; not fuzzing" >&2; exit 1; }
fuzz_run "${1:-600}" -- \
	"$w/nk-normalize-hs" -q --to H4 --weights @@ -o /dev/null "$w/rows.tsv"
