#!/bin/sh
# The default chain end to end on generated Comtrade Plus CSV (tests/bench/
# fetch-parse-gen; 1 M rows, ~370 MB, then NK_BENCH_ROWS, default 10 M):
#
#   nk-fetch-parse | nk-normalize-hs | nk-correct | nk-merge-interkorean
#     | nk-summarize --by year --by partner
#
# against DuckDB (@duckdb/node-api, 2 threads; its time includes node's
# start-up) doing the same job in SQL (tests/bench/chain-duckdb.cjs: the
# slice with the same guards, the flip, GROUP BY year, counterpart, flow),
# and against nk-fetch-parse alone on the same file (the later stages should
# cost almost nothing: they see only the DPRK slice). The two results are
# checked equal (the partner report's exports and imports lines, without
# KOR, whose own reports the chain replaces with MOU's figures) before any
# time is quoted. nk-correct runs with tests/bench/chain-rules.yaml (no CIF/
# FOB adjustment, nothing added: DuckDB adds nothing either).
. "$(dirname "$0")/lib.sh"
P=$B/bin
rules=$NK_ROOT/tests/bench/chain-rules.yaml
codes=$NK_ROOT/data/countries/m49-iso3.tsv

node=$(duckdb_node)
duck=$node
[ -n "$duck" ] || echo "(DuckDB skipped: node/npm or @duckdb/node-api not available)"

for rows in 1000000 "$NK_BENCH_ROWS"; do
	f=$NK_BENCH_DIR/comtrade-plus-$rows.csv
	[ -s "$f" ] || "$B/bench/fetch-parse-gen" "$rows" >"$f"
	bytes=$(stat -c %s "$f")
	sum=$NK_BENCH_DIR/chain-$rows.tsv
	chain="$P/nk-fetch-parse -q $f | $P/nk-normalize-hs -q | $P/nk-correct -q -r $rules |
		$P/nk-merge-interkorean -q --replace-kor | $P/nk-summarize -q --by year --by partner > $sum"
	echo "default chain, Comtrade Plus CSV, $rows rows, $((bytes / 1000000)) MB, median of $NK_BENCH_RUNS"
	if [ -n "$duck" ]; then
		dq="$node $NK_ROOT/tests/bench/chain-duckdb.cjs $f $codes $NK_BENCH_DIR/duck-$rows.tsv 2"
		bench chain "$chain" fetch-parse-alone "$P/nk-fetch-parse -q $f >/dev/null" \
			duckdb-2threads "$dq"
		# the partner report's exports and imports lines without KOR, as
		# year flow counterpart value, against DuckDB's (numbers in shortest form)
		awk -F'\t' 'NF == 0 { t++; next } t == 1 && $1 != "year" && $2 != "total" && $4 != "KOR" &&
			$4 != "other" { print $1 "\t" $2 "\t" $4 "\t" $5 }' "$sum" | sort >"$NK_BENCH_DIR/a.tsv"
		awk -F'\t' 'NR > 1 { v = $4; if (v ~ /\./) { sub(/0+$/, "", v); sub(/\.$/, "", v) }; gsub(/"/, "", $3)
			print $1 "\t" $2 "\t" $3 "\t" v }' "$NK_BENCH_DIR/duck-$rows.tsv" | sort >"$NK_BENCH_DIR/b.tsv"
		if cmp -s "$NK_BENCH_DIR/a.tsv" "$NK_BENCH_DIR/b.tsv"; then
			echo "  results equal: $(wc -l <"$NK_BENCH_DIR/a.tsv") year-flow-counterpart sums"
		else
			echo "  RESULTS DIFFER (nktrade $NK_BENCH_DIR/a.tsv, DuckDB $NK_BENCH_DIR/b.tsv):"
			diff "$NK_BENCH_DIR/a.tsv" "$NK_BENCH_DIR/b.tsv" | head -5
		fi
		report "$bytes" chain fetch-parse-alone duckdb-2threads
	else
		bench chain "$chain" fetch-parse-alone "$P/nk-fetch-parse -q $f >/dev/null"
		report "$bytes" chain fetch-parse-alone
	fi
	awk -v a="$(median chain)" -v f="$(median fetch-parse-alone)" 'BEGIN {
		printf "  chain / nk-fetch-parse alone = %.2f (goal <= 1.10)\n", (f > 0 ? a / f : 0) }'
done
