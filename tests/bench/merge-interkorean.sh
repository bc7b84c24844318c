#!/bin/sh
# nk-merge-interkorean against mawk doing the same copy: the guard on each
# row (source mou, counterpart KOR), an empty segment column appended, the
# MOU rows (made here from the shipped table's totals) at the end. Input: the
# generated contract TSV through nk-correct (the stream this stage reads),
# output to /dev/null. Then max RSS.
. "$(dirname "$0")/lib.sh"
T=$B/bin/nk-merge-interkorean
src=$(bench_tsv)
f=$NK_BENCH_DIR/merge-in-$NK_BENCH_ROWS.tsv
[ -s "$f" ] || "$B/bin/nk-correct" -q "$src" >"$f" 2>/dev/null
bytes=$(stat -c %s "$f")

awk=$NK_BENCH_DIR/merge.awk
cat >"$awk" <<'AWK'
BEGIN { FS = OFS = "\t" }
FNR == 1 && NR > 1 { next }
NR == 1 { for (i = 1; i <= NF; i++) { c[$i] = i; n = NF } print $0, "segment"; next }
FILENAME != tab { if ($c["source"] == "mou" || $c["counterpart"] == "KOR") exit 1; print $0, ""; next }
FNR > 1 && $2 != "" { for (i = 1; i <= n; i++) o[i] = ""; o[c["source"]] = "mou"; o[c["year"]] = $1
	o[c["reporter"]] = "KOR"; o[c["partner"]] = "PRK"; o[c["counterpart"]] = "KOR"; o[c["hs"]] = "TOTAL"
	o[c["value_usd"]] = $2; s = o[1]; for (i = 2; i <= n; i++) s = s OFS o[i]; print s, "total" }
AWK
tab=$NK_ROOT/data/interkorean/mou.tsv

echo "nk-merge-interkorean, $(wc -l <"$f") lines, $((bytes / 1000000)) MB, median of $NK_BENCH_RUNS"
bench nk-merge-interkorean "$T -q $f >/dev/null" \
	mawk-copy "mawk -v tab=$tab -f $awk $f $tab >/dev/null"
report "$bytes" nk-merge-interkorean mawk-copy
