#!/bin/sh
# nk-summarize --by partner (one thread: exact sums per year, flow and
# counterpart, shares and ranks) on the generated contract TSV turned into
# the DPRK view by nk-correct (NK_BENCH_ROWS rows, default 10 M), against
# DuckDB with 2 threads (@duckdb/node-api: read_csv + GROUP BY year,
# counterpart, nk_flow + sum as DECIMAL(18,3) + COPY TO TSV) and mawk doing
# the same GROUP BY in one pass (floating-point sums). Then max RSS.
. "$(dirname "$0")/lib.sh"
S=$B/bin/nk-summarize
f=$NK_BENCH_DIR/summarize-$NK_BENCH_ROWS.tsv
[ -s "$f" ] || "$B/bin/nk-correct" -q "$(bench_tsv)" 2>/dev/null >"$f"
bytes=$(stat -c %s "$f")

awk=$NK_BENCH_DIR/summarize.awk
cat >"$awk" <<'AWK'
BEGIN { FS = OFS = "\t" }
NR == 1 { for (i = 1; i <= NF; i++) { if ($i == "year") y = i; if ($i == "counterpart") c = i
	if ($i == "nk_flow") fl = i; if ($i == "value_usd") v = i }; next }
{ s[$y OFS $c OFS $fl] += $v }
END { print "year", "counterpart", "nk_flow", "value_usd"; for (k in s) printf "%s\t%.3f\n", k, s[k] }
AWK

node=$(duckdb_node)
duck=${node:+"$node $NK_ROOT/tests/bench/summarize-duckdb.cjs $f $NK_BENCH_DIR/duck-summarize.tsv 2"}

echo "nk-summarize --by partner, $(($(wc -l <"$f") - 1)) rows, $((bytes / 1000000)) MB, median of $NK_BENCH_RUNS"
if [ -n "$duck" ]; then
	bench nk-summarize "$S -q --by partner $f >/dev/null" \
		duckdb-2threads "$duck" \
		mawk-groupby "mawk -f $awk $f >/dev/null"
	report "$bytes" nk-summarize duckdb-2threads mawk-groupby
	# the same sums: DuckDB's groups against nk-summarize's exports/imports lines
	"$S" -q --by partner "$f" | awk -F'\t' 'NR > 1 && $2 != "total" { s += $5 } END { printf "  check: nk-summarize sum %.0f", s }'
	awk -F'\t' 'NR > 1 { s += $4 } END { printf ", DuckDB sum %.0f (whole dollars; awk adds in floating point)\n", s }' "$NK_BENCH_DIR/duck-summarize.tsv"
else
	echo "  (DuckDB skipped: node/npm or @duckdb/node-api not available)"
	bench nk-summarize "$S -q --by partner $f >/dev/null" \
		mawk-groupby "mawk -f $awk $f >/dev/null"
	report "$bytes" nk-summarize mawk-groupby
fi
