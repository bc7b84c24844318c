#!/bin/sh
# nk-fetch-parse throughput on a generated Comtrade-Plus-shaped CSV
# (tests/bench/fetch-parse-gen, NK_BENCH_ROWS rows, default 10 M, ~3.7 GB):
# nk-fetch-parse -p 408 (the partner slice, full CSV parsing of every kept
# row, guards, conversion) against the same partner filter in mawk (no CSV
# parsing: a quoted comma shifts its fields) and in DuckDB (@duckdb/node-api,
# 2 threads, read_csv + WHERE partnerCode = '408' + COPY TO TSV). Then gzip
# input against igzip -dc alone, and max RSS.
. "$(dirname "$0")/lib.sh"
f=$NK_BENCH_DIR/comtrade-plus-$NK_BENCH_ROWS.csv
[ -s "$f" ] || "$B/bench/fetch-parse-gen" "$NK_BENCH_ROWS" >"$f"
bytes=$(stat -c %s "$f")
P=$B/bin/nk-fetch-parse
echo "nk-fetch-parse, Comtrade Plus CSV, $NK_BENCH_ROWS rows, $((bytes / 1000000)) MB, median of $NK_BENCH_RUNS"
echo "  rows kept: nk-fetch-parse $($P -q -p 408 "$f" | tail -n +2 | wc -l)," \
	"mawk $(mawk -F, '$12=="\"408\""' "$f" | wc -l)"

# DuckDB through npm @duckdb/node-api, installed once under NK_BENCH_DIR
nodedir=$NK_BENCH_DIR/node
duck=""
if command -v node >/dev/null && command -v npm >/dev/null; then
	[ -d "$nodedir/node_modules/@duckdb/node-api" ] ||
		npm install --silent --no-audit --no-fund --prefix "$nodedir" @duckdb/node-api >/dev/null 2>&1 || true
	[ -d "$nodedir/node_modules/@duckdb/node-api" ] &&
		duck="NODE_PATH=$nodedir/node_modules node $NK_ROOT/tests/bench/fetch-parse-duckdb.cjs $f $NK_BENCH_DIR/duck.tsv 2"
fi
[ -n "$duck" ] || echo "  (DuckDB skipped: node/npm or @duckdb/node-api not available)"

if [ -n "$duck" ]; then
	bench nk-fetch-parse "$P -q -p 408 $f >/dev/null" \
		mawk-partner "mawk -F, '\$12==\"\\\"408\\\"\"' $f >/dev/null" \
		duckdb-2threads "$duck"
	report "$bytes" nk-fetch-parse mawk-partner duckdb-2threads
	echo "  (DuckDB rows kept: $(($(wc -l <"$NK_BENCH_DIR/duck.tsv") - 1)))"
else
	bench nk-fetch-parse "$P -q -p 408 $f >/dev/null" \
		mawk-partner "mawk -F, '\$12==\"\\\"408\\\"\"' $f >/dev/null"
	report "$bytes" nk-fetch-parse mawk-partner
fi
rss_plain=$(maxrss nk-fetch-parse)
bench nk-fetch-parse-all "$P -q --all $f >/dev/null"
report "$bytes" nk-fetch-parse-all
rss_all=$(maxrss nk-fetch-parse-all)
rss_gz=-

if command -v igzip >/dev/null; then
	gz=$f.gz
	[ -s "$gz" ] || igzip -1 -c "$f" >"$gz"
	gbytes=$(stat -c %s "$gz")
	echo "gzip input, $((gbytes / 1000000)) MB compressed (igzip -1)"
	bench nk-fetch-parse-gz "$P -q -p 408 $gz >/dev/null" \
		igzip-dc "igzip -dc $gz >/dev/null"
	report "$gbytes" nk-fetch-parse-gz igzip-dc
	rss_gz=$(maxrss nk-fetch-parse-gz)
fi
echo "  max RSS nk-fetch-parse: $rss_plain KB (-p 408), $rss_all KB (--all), $rss_gz KB (gzip)"
