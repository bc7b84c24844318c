#!/bin/sh
# nk-normalize-hs against mawk doing the equivalent lookup-and-append on the
# same generated 10 M-row contract TSV (gen-tsv with every real 6-digit code
# of data/hs/nomenclature.tsv), output to /dev/null. mawk gets the lookup
# table ready-made (rev, hs6 -> section, bec4, stage, as nk-normalize-hs
# derives it), restores the zero and appends the same 7 columns. Then the
# start-up time (tables loaded, header-only input) and max RSS.
. "$(dirname "$0")/lib.sh"
T=$B/bin/nk-normalize-hs
codes=$NK_BENCH_DIR/hs6-codes.txt
tail -n +2 "$NK_ROOT/data/hs/nomenclature.tsv" | cut -f2 | sort -u >"$codes"
f=$NK_BENCH_DIR/normalize-hs-$NK_BENCH_ROWS.tsv
[ -s "$f" ] || "$B/bench/gen-tsv" "$NK_BENCH_ROWS" "$codes" >"$f"
bytes=$(stat -c %s "$f")

# the lookup table for mawk
lk=$NK_BENCH_DIR/hs-lookup.tsv
{ printf 'hs_rev\ths\n'; tail -n +2 "$NK_ROOT/data/hs/nomenclature.tsv" | cut -f1,2; } |
	"$T" -q | cut -f1,2,6,8,9 >"$lk"
awk=$NK_BENCH_DIR/normalize-hs.awk
cat >"$awk" <<'AWK'
BEGIN { FS = OFS = "\t" }
NR == FNR { if (FNR > 1) { k = $1 SUBSEP $2; sec[k] = $3; bec[k] = $4; stg[k] = $5 }; next }
FNR == 1 { for (i = 1; i <= NF; i++) { if ($i == "hs") ch = i; if ($i == "hs_rev") cr = i }
	print $0, "hs6", "hs4", "hs2", "section", "hs_status", "bec4", "stage"; next }
{ c = $ch; st = "ok"; if (length(c) % 2) { c = "0" c; st = "restored" }
  k = $cr SUBSEP c
  if (k in sec) { s = sec[k]; b = bec[k]; g = stg[k] } else { st = "unknown"; s = b = g = "" }
  print $0, c, substr(c, 1, 4), substr(c, 1, 2), s, st, b, g }
AWK
# the same output for known codes (mawk gives unknown ones no section)
a=$(head -n 200000 "$f" | "$T" -q | awk -F'\t' '$21 != "unknown"' | md5sum)
b=$(head -n 200000 "$f" | mawk -f "$awk" "$lk" - | awk -F'\t' '$21 != "unknown"' | md5sum)
[ "$a" = "$b" ] || echo "  WARNING: mawk and nk-normalize-hs outputs differ"

echo "nk-normalize-hs, $(wc -l <"$f") lines, $((bytes / 1000000)) MB, median of $NK_BENCH_RUNS"
bench normalize-hs "$T -q $f >/dev/null" \
	mawk-lookup "mawk -f $awk $lk $f >/dev/null" \
	normalize-hs-to-H6 "$T -q --to H6 $f >/dev/null"
report "$bytes" normalize-hs mawk-lookup normalize-hs-to-H6

h=$NK_BENCH_DIR/header.tsv
head -n 1 "$f" >"$h"
# start-up: 11 runs each on a header-only input, median wall and CPU time
startup() {
	for i in 1 2 3 4 5 6 7 8 9 10 11; do
		/usr/bin/time -f "%e %U %S" -o "$NK_BENCH_DIR/.s" "$T" -q "$@" "$h" >/dev/null
		cat "$NK_BENCH_DIR/.s"
	done >"$NK_BENCH_DIR/.su"
	w=$(cut -d' ' -f1 "$NK_BENCH_DIR/.su" | sort -g | sed -n 6p)
	c=$(awk '{ print $2 + $3 }' "$NK_BENCH_DIR/.su" | sort -g | sed -n 6p)
	echo "$w s wall, $c s CPU"
}
echo "  start-up (tables loaded, no rows), median of 11: $(startup); --to H0 (+ correlation): $(startup --to H0); --names: $(startup --names)"
