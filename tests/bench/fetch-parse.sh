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
node=$(duckdb_node)
duck=${node:+"$node $NK_ROOT/tests/bench/fetch-parse-duckdb.cjs $f $NK_BENCH_DIR/duck.tsv 2"}
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

# API JSON (issue 4): a generated answer of NK_BENCH_JSON_ROWS records
# (fetch-parse-gen ROWS json; default 510000, ~500 MB on one line, the shape
# of the real answers in tests/fetch/fixtures/) read by nk-fetch-parse -p 408
# against mawk cutting records at '},{' and matching partner 408 (no JSON
# parsing); then the largest answer the API gives (99,999 records, ~99 MB)
# downloaded, checked and cached by fetch-get --refresh from the loopback test
# server. Memory must not grow with the answer: max RSS target < 50 MB.
# NK_BENCH_OLD=DIR with an older build's bin/nk-fetch-parse and
# bench/fetch-get (e.g. the jansson one) adds their times on the same input.
: "${NK_BENCH_JSON_ROWS:=510000}"
jf=$NK_BENCH_DIR/comtrade-plus-$NK_BENCH_JSON_ROWS.json
[ -s "$jf" ] || "$B/bench/fetch-parse-gen" "$NK_BENCH_JSON_ROWS" json >"$jf"
jcap=$NK_BENCH_DIR/comtrade-plus-99999.json
[ -s "$jcap" ] || "$B/bench/fetch-parse-gen" 99999 json >"$jcap"
jbytes=$(stat -c %s "$jf")
echo "nk-fetch-parse, Comtrade Plus API JSON, $NK_BENCH_JSON_ROWS records, $((jbytes / 1000000)) MB, median of $NK_BENCH_RUNS"
echo "  rows kept: nk-fetch-parse $($P -q -p 408 "$jf" | tail -n +2 | wc -l)," \
	"mawk (records with partner 408) $(mawk 'BEGIN { RS = "},{" } /"partnerCode":408,/' "$jf" | wc -l)"
old=${NK_BENCH_OLD:-}
if [ -n "$old" ] && [ -x "$old/bin/nk-fetch-parse" ]; then
	bench json-nk-fetch-parse "$P -q -p 408 $jf >/dev/null" \
		json-mawk-partner "mawk 'BEGIN { RS = \"},{\" } /\"partnerCode\":408,/' $jf >/dev/null" \
		json-old-build "$old/bin/nk-fetch-parse -q -p 408 $jf >/dev/null"
	report "$jbytes" json-nk-fetch-parse json-mawk-partner json-old-build
else
	bench json-nk-fetch-parse "$P -q -p 408 $jf >/dev/null" \
		json-mawk-partner "mawk 'BEGIN { RS = \"},{\" } /\"partnerCode\":408,/' $jf >/dev/null"
	report "$jbytes" json-nk-fetch-parse json-mawk-partner
fi
rss_json=$(maxrss json-nk-fetch-parse)

# --fetch: the loopback server of tests/fetch (127.0.0.1 only)
portf=$NK_BENCH_DIR/.port
: >"$portf"
python3 "$NK_ROOT/tests/fetch/server.py" --lifetime 3600 "ok:$jcap" >"$portf" 2>/dev/null &
srv=$!
i=0
while [ ! -s "$portf" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
port=$(cat "$portf")
G="COMTRADE_KEY=bench $B/bench/fetch-get -q --refresh --url http://127.0.0.1:$port --cache-dir $NK_BENCH_DIR/cache --period 2010 --reporter 156"
cbytes=$(stat -c %s "$jcap")
echo "fetch-get (nk_fetch: download, check, cache), 99999 records, $((cbytes / 1000000)) MB, loopback"
if [ -n "$old" ] && [ -x "$old/bench/fetch-get" ]; then
	bench json-fetch "$G >/dev/null" \
		json-fetch-old-build "COMTRADE_KEY=bench $old/bench/fetch-get -q --refresh --url http://127.0.0.1:$port --cache-dir $NK_BENCH_DIR/cache-old --period 2010 --reporter 156 >/dev/null"
	report "$cbytes" json-fetch json-fetch-old-build
else
	bench json-fetch "$G >/dev/null"
	report "$cbytes" json-fetch
fi
rss_fetch=$(maxrss json-fetch)
cmp -s "$(sh -c "$G")" "$jcap" || echo "  (the cached answer differs from the one served!)"
kill "$srv" 2>/dev/null || true
echo "  max RSS: nk-fetch-parse on $((jbytes / 1000000)) MB of JSON $rss_json KB, fetch-get on $((cbytes / 1000000)) MB $rss_fetch KB (target < 51200 KB)"
