#!/bin/sh
# nk-correct against mawk doing the equivalent flip-and-tag (mirror flip,
# counterpart, value kept as value_reported, an empty rules column; rows with
# no PRK side dropped) on the generated 10 M-row contract TSV, output to
# /dev/null. nk-correct runs with 100 rules loaded: the 7 shipped ones plus
# 93 generated scale/exclude rules on distinct counterpart-years (so some
# rows are changed, removed and audited as in real use). Then max RSS.
. "$(dirname "$0")/lib.sh"
T=$B/bin/nk-correct
f=$(bench_tsv)
bytes=$(stat -c %s "$f")

rules=$NK_BENCH_DIR/correct-rules.yaml
awk 'BEGIN {
	n = split("CHN RUS IND THA DEU BRA SGP NLD PAK MEX FRA USA JPN PHL VNM IDN MYS ZAF TUR ITA ESP POL BGD LKA NGA EGY CHE NOR HKG SAU", c, " ")
	print "rules:"
	for (i = 0; i < 93; i++) {
		printf "  - id: bench-%d\n    source: benchmark\n    reason: generated\n", i
		printf "    match: {counterpart: %s, years: %d", c[i % n + 1], 1995 + int(i / n) * 7
		if (i % 3 == 0) printf ", hs: \"85\"}\n    exclude: true\n"
		else printf "}\n    scale: 1.01\n"
	}
}' >"$rules"
"$T" --check-rules -r "$NK_ROOT/rules/corrections.yaml" -r "$rules"

awk=$NK_BENCH_DIR/correct.awk
cat >"$awk" <<'AWK'
BEGIN { FS = OFS = "\t" }
NR == 1 { for (i = 1; i <= NF; i++) { if ($i == "reporter") r = i; if ($i == "partner") p = i
	if ($i == "flow") fl = i; if ($i == "value_usd") v = i }
	print $0, "nk_flow", "counterpart", "value_reported", "rules"; next }
$p == "PRK" { print $0, ($fl == "M" || $fl == "RM") ? "X" : "M", $r, $v, ""; next }
$r == "PRK" { print $0, ($fl == "X" || $fl == "RX") ? "X" : "M", $p, $v, "" }
AWK

echo "nk-correct, $(wc -l <"$f") lines, $((bytes / 1000000)) MB, 100 rules, median of $NK_BENCH_RUNS"
bench nk-correct "$T -q -r $NK_ROOT/rules/corrections.yaml -r $rules $f >/dev/null" \
	mawk-flip "mawk -f $awk $f >/dev/null" \
	nk-correct-audit "$T -q -r $NK_ROOT/rules/corrections.yaml -r $rules --audit /dev/null $f >/dev/null"
report "$bytes" nk-correct mawk-flip nk-correct-audit
