#!/bin/sh
# Fuzz the YAML rule loader (tools/lib/rules.c) and nk-correct's rule checks
# (load_rule, 'after' ordering, conflicts, then the rules applied to a tiny
# fixed input) through `nk-correct -r FILE` with AFL++ (Debian afl++).
#   sh tests/fuzz/rules.sh [SECONDS]      (default 600)
# Seeds: rules/corrections.yaml, the rule files of tests/cases/nk-correct/
# (valid and invalid) and tests/fuzz/rules-seeds/ (anchors, tags, several
# documents, deep nesting, a duplicate key, an empty file, block scalars);
# dictionary tests/fuzz/rules.dict. Input rows: tests/cases/nk-correct/
# actions/stdin. Work dir: /tmp/nk-fuzz-rules; crashes land in its
# out/default/crashes/, hangs (over 2 s) in hangs/; the script prints the
# counts. A clean "FILE:LINE:COL: ..." error with exit 1 is a success.
. "$(dirname "$0")/lib.sh"
fuzz_setup rules
cp rules/corrections.yaml "$w/in/corrections.yaml"
for d in tests/cases/nk-correct/*/; do
	[ -f "$d/rules.yaml" ] && cp "$d/rules.yaml" "$w/in/$(basename "$d").yaml"
done
cp tests/fuzz/rules-seeds/*.yaml "$w/in/"
cp tests/cases/nk-correct/actions/stdin "$w/rows.tsv"
fuzz_build nk-correct
# The seed rule file must apply cleanly, or the fuzzer would test nothing.
"$w/nk-correct" -q -r tests/cases/nk-correct/actions/rules.yaml -o /dev/null \
	"$w/rows.tsv" ||
	{ echo "rules.sh: the seed does not run; not fuzzing" >&2; exit 1; }
fuzz_run "${1:-600}" -x tests/fuzz/rules.dict -- \
	"$w/nk-correct" -q -r @@ -o /dev/null "$w/rows.tsv"
