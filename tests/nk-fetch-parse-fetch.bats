#!/usr/bin/env bats
# nk-fetch-parse --fetch: the Comtrade Plus API client (tools/lib/fetch.c).
# Every test starts its own HTTP server on 127.0.0.1 (tests/fetch/server.py,
# a free port) with a script of answers, and stops it in teardown. Nothing
# here contacts any other address. The fixture is a real Comtrade Plus
# response (tests/fetch/fixtures/SOURCES.md).
load lib/common

FIX=$NK_ROOT/tests/fetch/fixtures
OK=$FIX/api_get_C_A_HS_CHN_2010_TOTAL_compact.json
KEY='Key-s3cret-0123456789abcdef'

# One server for the whole file (python starts slowly on a busy machine);
# each test gives it a new script of answers with start_server.
setup_file() {
	local port=$BATS_FILE_TMPDIR/port
	python3 "$NK_ROOT/tests/fetch/server.py" --lifetime 600 \
		>"$port" 2>"$BATS_FILE_TMPDIR/server.err" 3>&- &
	export SRV_PID=$!
	local i
	for i in $(seq 400); do
		[ -s "$port" ] && break
		sleep 0.05
	done
	PORT=$(cat "$port")
	export PORT URL=http://127.0.0.1:$PORT
}

teardown_file() {
	kill "$SRV_PID" 2>/dev/null || true
	wait "$SRV_PID" 2>/dev/null || true
}

setup() {
	[ -n "$PORT" ] || fail "test server did not start: $(cat "$BATS_FILE_TMPDIR/server.err")"
	GET=$NK_BIN/../bench/fetch-get
	[ -x "$GET" ] || fail "no $GET (make)"
	export HOME=$BATS_TEST_TMPDIR/home XDG_CACHE_HOME=
	export COMTRADE_KEY=$KEY NK_FETCH_BACKOFF_MS=10
	CACHE=$BATS_TEST_TMPDIR/cache
	LOG=$BATS_TEST_TMPDIR/requests.log
}

# start_server ACTION...: the server's next answers, in order, the last one
# repeating (see server.py); requests are logged to $LOG from now on.
start_server() {
	local q="log=$LOG" a reply
	for a in "$@"; do q="$q&a=$a"; done
	exec 5<>"/dev/tcp/127.0.0.1/$PORT" || fail "cannot reach the test server"
	printf 'GET /_reset?%s HTTP/1.0\r\n\r\n' "$q" >&5
	reply=$(cat <&5)
	exec 5<&-
	[[ $reply == *reset* ]] || fail "test server did not reset: $reply"
}

requests() { if [ -f "$LOG" ]; then wc -l <"$LOG" | tr -d ' '; else echo 0; fi; }

fetch() { "$GET" --url "$URL" --cache-dir "$CACHE" --period 2010 --reporter 156 "$@"; }

no_cache_entry() {
	[ ! -d "$CACHE" ] || [ -z "$(find "$CACHE" -name '*.json' -type f)" ] ||
		fail "cache has an entry: $(ls -la "$CACHE")"
}

@test "fetch: the request has the documented shape and the key in its header" {
	start_server "ok:$OK"
	run --separate-stderr fetch --partner 408 --cmd TOTAL,27 --flow M,X
	assert_success
	assert_equal "$stderr" ""
	assert_equal "$(requests)" 1
	assert_equal "$(cat "$LOG")" "GET /data/v1/get/C/A/HS?reporterCode=156&period=2010&partnerCode=408&partner2Code=0&cmdCode=TOTAL,27&flowCode=M,X&customsCode=C00&motCode=0&maxRecords=100000&includeDesc=true key=$KEY"
	assert_file_exists "$output"
	cmp "$output" "$OK"
	[[ $output == "$CACHE"/comtrade-C-A-HS-????????????????.json ]]
}

@test "fetch: the second run is a cache hit, no request" {
	start_server "ok:$OK"
	run --separate-stderr fetch
	assert_success
	first=$output
	run --separate-stderr fetch
	assert_success
	assert_equal "$output" "$first"
	assert_equal "$(requests)" 1
}

@test "fetch: --offline uses the cache and never the network; a miss is an error" {
	start_server "ok:$OK"
	run --separate-stderr fetch --offline
	assert_failure 1
	assert_equal "$(requests)" 0
	[[ $stderr == "fetch-get: --offline: not in the cache: $URL/data/v1/get/C/A/HS?"*" (looked for $CACHE/"*.json")" ]]
	run --separate-stderr fetch
	assert_success
	path=$output
	start_server "status:500"
	COMTRADE_KEY= run --separate-stderr fetch --offline --print
	assert_success
	assert_equal "$output" "$(cat "$OK")"
	assert_equal "$(requests)" 0
}

@test "fetch: --refresh downloads again and replaces the entry" {
	start_server "ok:$OK" "ok:$FIX/api_get_C_A_HS_CHN_2010_TOTAL_pretty.json"
	run --separate-stderr fetch
	assert_success
	run --separate-stderr fetch --refresh
	assert_success
	assert_equal "$(requests)" 2
	cmp "$output" "$FIX/api_get_C_A_HS_CHN_2010_TOTAL_pretty.json"
	run --separate-stderr fetch --offline --refresh
	assert_failure 2
}

@test "fetch: 429 with Retry-After 1 waits 1 s (not the 10 ms back-off), then succeeds" {
	start_server "status:429:1" "ok:$OK"
	t0=$(date +%s%N)
	run --separate-stderr fetch
	t1=$(date +%s%N)
	assert_success
	assert_equal "$(requests)" 2
	[ $(( (t1 - t0) / 1000000 )) -ge 1000 ] || fail "waited only $(( (t1 - t0) / 1000000 )) ms"
	[[ $stderr == *": HTTP 429: test server refused key ***; try 2 of 5 in 1 s" ]]
	cmp "$output" "$OK"
}

@test "fetch: 503 with Retry-After as an HTTP date 3 s ahead waits until then" {
	start_server "status:503:date+3" "ok:$OK"
	t0=$(date +%s%N)
	# our own back-off is 0.1 s here, so only the date can make it wait seconds
	NK_FETCH_BACKOFF_MS=100 run --separate-stderr fetch
	t1=$(date +%s%N)
	assert_success
	assert_equal "$(requests)" 2
	# the date has whole seconds, 2-3 s after the answer was made; it is read
	# a little later (up to a second more on a loaded machine), and libcurl
	# subtracts time(), a coarse clock that can lag the server's clock by a
	# few ms across a second boundary (once in a CI run it gave 4): 1 to 4 s
	[ $(( (t1 - t0) / 1000000 )) -ge 1900 ] || fail "waited only $(( (t1 - t0) / 1000000 )) ms"
	[[ $stderr == *": HTTP 503: test server refused key ***; try 2 of 5 in "[1234]" s" ]] ||
		fail "unexpected stderr: $stderr"
	cmp "$output" "$OK"
}

@test "fetch: 5xx backs off exponentially and gives up after --tries with a clear error" {
	start_server "status:503"
	NK_FETCH_BACKOFF_MS=100 run --separate-stderr fetch --tries 3
	assert_failure 1
	assert_equal "$(requests)" 3
	[[ ${stderr_lines[0]} == *": HTTP 503: test server refused key ***; try 2 of 3 in 0.1 s" ]]
	[[ ${stderr_lines[1]} == *": HTTP 503: test server refused key ***; try 3 of 3 in 0.2 s" ]]
	[[ ${stderr_lines[2]} == "fetch-get: $URL/data/v1/get/C/A/HS?"*": HTTP 503: test server refused key *** (gave up after 3 tries)" ]]
	no_cache_entry
}

@test "fetch: a 500 then a good answer succeeds" {
	start_server "status:500" "ok:$OK"
	run --separate-stderr fetch -q
	assert_success
	assert_equal "$stderr" ""
	assert_equal "$(requests)" 2
}

@test "fetch: 401 fails at once, and the key the server echoed is not printed" {
	start_server "status:401"
	run --separate-stderr fetch
	assert_failure 1
	assert_equal "$(requests)" 1
	[[ $stderr == "fetch-get: $URL/"*": HTTP 401: test server refused key ***" ]]
	no_cache_entry
}

@test "fetch: the key is never printed, in a cache file name, or in the URL" {
	start_server "status:429:1" "status:500" "trunc:$OK" "badjson" "ok:$OK"
	run fetch --tries 5  # stdout and stderr together
	assert_success
	refute_output --partial "$KEY"
	refute_output --partial "s3cret"
	start_server "status:403"
	run fetch --refresh --tries 2
	assert_failure 1
	assert_output --partial "HTTP 403: test server refused key ***"
	refute_output --partial "s3cret"
	[ -z "$(find "$CACHE" -name '*s3cret*')" ]
	assert_equal "$(grep -c " key=$KEY\$" "$LOG")" 1  # sent, as a header
	run grep -F -- "$KEY" <(sed 's/ key=.*//' "$LOG")
	assert_failure
	run --separate-stderr "$GET" --url "$URL" --cache-dir "$CACHE" --period 2010 --url-only
	refute_output --partial "$KEY"
	# another key: same cache entry
	COMTRADE_KEY=other run --separate-stderr "$GET" --url "$URL" --cache-dir "$CACHE" --period 2010 --reporter 156 --url-only
	a=${lines[1]}
	run --separate-stderr "$GET" --url "$URL" --cache-dir "$CACHE" --period 2010 --reporter 156 --url-only
	assert_equal "${lines[1]}" "$a"
}

@test "fetch: the cache key is the request: another query, another entry" {
	run --separate-stderr "$GET" --cache-dir "$CACHE" --period 2010 --reporter 156 --url-only
	a=${lines[1]}
	run --separate-stderr "$GET" --cache-dir "$CACHE" --period 2011 --reporter 156 --url-only
	b=${lines[1]}
	run --separate-stderr "$GET" --cache-dir "$CACHE" --period 2010 --reporter 156 --cmd 27 --url-only
	c=${lines[1]}
	run --separate-stderr "$GET" --url http://127.0.0.1:1 --cache-dir "$CACHE" --period 2010 --reporter 156 --url-only
	d=${lines[1]}
	[ "$a" != "$b" ] && [ "$a" != "$c" ] && [ "$b" != "$c" ] && [ "$a" != "$d" ]
	assert_equal "${lines[0]}" "http://127.0.0.1:1/data/v1/get/C/A/HS?reporterCode=156&period=2010&partner2Code=0&customsCode=C00&motCode=0&maxRecords=100000&includeDesc=true"
}

@test "fetch: query values are percent-encoded (no parameter injection)" {
	run --separate-stderr "$GET" --url http://127.0.0.1:1/ --cache-dir "$CACHE" --period 2010 --cmd '27&reporterCode=1 #' --partner2= --customs= --mot= --url-only
	assert_success
	assert_equal "${lines[0]}" "http://127.0.0.1:1/data/v1/get/C/A/HS?period=2010&cmdCode=27%26reporterCode%3D1%20%23&maxRecords=100000&includeDesc=true"
}

@test "fetch: a truncated body is retried and never cached" {
	start_server "trunc:$OK" "ok:$OK"
	run --separate-stderr fetch
	assert_success
	assert_equal "$(requests)" 2
	[[ ${stderr_lines[0]} == *": transfer closed with "*" bytes remaining to read; try 2 of 5 in 0.01 s" ]]
	cmp "$output" "$OK"
}

@test "fetch: always truncated: error after the last try, no cache entry" {
	start_server "trunc:$OK"
	run --separate-stderr fetch --tries 2
	assert_failure 1
	assert_equal "$(requests)" 2
	[[ ${stderr_lines[1]} == *"(gave up after 2 tries)" ]]
	no_cache_entry
}

@test "fetch: bad JSON is not cached" {
	start_server "badjson"
	run --separate-stderr fetch --tries 2
	assert_failure 1
	[[ ${stderr_lines[1]} == *": response is not valid JSON: "*"(line 1, column 43; 46 bytes) (gave up after 2 tries)" ]]
	no_cache_entry
}

@test "fetch: a count that does not match the records is not cached" {
	start_server "count:$OK"
	run --separate-stderr fetch --tries 1
	assert_failure 1
	[[ $stderr == *": response holds 4 records but its \"count\" says 5 (gave up after 1 try)" ]]
	no_cache_entry
}

@test "fetch: an error reported inside a 200 answer fails at once" {
	start_server "apierror"
	run --separate-stderr fetch
	assert_failure 1
	assert_equal "$(requests)" 1
	[[ $stderr == *": the API answered with an error: Invalid period" ]]
	no_cache_entry
}

@test "fetch: a response with as many records as the API's cap is refused as cut" {
	big=$BATS_TEST_TMPDIR/big.json
	python3 -c 'import json,sys; json.dump({"count":100000,"data":[{"r":i} for i in range(100000)],"error":""}, open(sys.argv[1],"w"))' "$big"
	start_server "ok:$big"
	run --separate-stderr fetch
	assert_failure 1
	assert_equal "$(requests)" 1
	[[ $stderr == *": response holds 100000 records, the API's limit per call: the result is probably cut; split the query (fewer periods, reporters or codes)" ]]
	no_cache_entry
}

@test "fetch: an empty answer (count 0) is a valid answer and is cached" {
	empty=$BATS_TEST_TMPDIR/empty.json
	printf '{"elapsedTime":"0.01 secs","count":0,"data":[],"error":""}' >"$empty"
	start_server "ok:$empty"
	run --separate-stderr fetch
	assert_success
	cmp "$output" "$empty"
}

@test "fetch: a response slower than --timeout is a timeout, retried, then an error" {
	start_server "slow:3:$OK"
	t0=$(date +%s)
	run --separate-stderr fetch --timeout 1 --tries 2
	t1=$(date +%s)
	assert_failure 1
	assert_equal "$(requests)" 2
	[[ ${stderr_lines[1]} == *": timeout: no data for 1 s (gave up after 2 tries)" ]]
	[ $((t1 - t0)) -lt 6 ]
	no_cache_entry
}

@test "fetch: a stall mid-body is a timeout; a slow but steady body is fine" {
	start_server "stall:3:$OK" "drip:1:$OK"
	run --separate-stderr fetch --timeout 1 --tries 2
	assert_success
	assert_equal "$(requests)" 2
	[[ ${stderr_lines[0]} == *": timeout: no data for 1 s; try 2 of 2 in 0.01 s" ]]
	cmp "$output" "$OK"
}

@test "fetch: killed mid-transfer leaves no cache entry; the next run downloads again" {
	start_server "drip:6:$OK" "ok:$OK"
	"$GET" --url "$URL" --cache-dir "$CACHE" --period 2010 --reporter 156 3>&- &
	pid=$!
	for i in $(seq 100); do [ "$(requests)" -ge 1 ] && break; sleep 0.05; done
	sleep 1
	kill -9 "$pid"
	wait "$pid" 2>/dev/null || true
	no_cache_entry
	[ -z "$(ls -A "$CACHE")" ] || fail "cache not empty: $(ls -A "$CACHE")"
	run --separate-stderr fetch --offline
	assert_failure 1
	run --separate-stderr fetch
	assert_success
	assert_equal "$(requests)" 2
	cmp "$output" "$OK"
}

@test "fetch: no COMTRADE_KEY is a usage error before any request" {
	start_server "ok:$OK"
	COMTRADE_KEY= run --separate-stderr fetch
	assert_failure 2
	assert_equal "$stderr" "fetch-get: COMTRADE_KEY is not set: put your Comtrade Plus subscription key in it to use --fetch"
	assert_equal "$(requests)" 0
}

@test "fetch: no --period is a usage error" {
	run --separate-stderr "$GET" --cache-dir "$CACHE" --reporter 156
	assert_failure 2
	assert_equal "${stderr_lines[0]}" "fetch-get: --fetch needs --period (e.g. --period=2022)"
	run --separate-stderr "$GET" --cache-dir "$CACHE" --period 2010 --tries 0
	assert_failure 2
	assert_equal "${stderr_lines[0]}" "fetch-get: --tries: not a number from 1 to 100: '0'"
}

@test "fetch: default cache dir is \$XDG_CACHE_HOME/nktrade, else ~/.cache/nktrade" {
	start_server "ok:$OK"
	XDG_CACHE_HOME=$BATS_TEST_TMPDIR/xdg run --separate-stderr "$GET" --url "$URL" --period 2010
	assert_success
	[[ $output == "$BATS_TEST_TMPDIR/xdg/nktrade/comtrade-C-A-HS-"*.json ]]
	assert_file_exists "$output"
	run --separate-stderr "$GET" --url "$URL" --period 2010
	assert_success
	[[ $output == "$HOME/.cache/nktrade/comtrade-C-A-HS-"*.json ]]
	assert_file_exists "$output"
}

@test "fetch: a cache dir that cannot be made fails before the download" {
	start_server "ok:$OK"
	: >"$BATS_TEST_TMPDIR/file"
	run --separate-stderr "$GET" --url "$URL" --cache-dir "$BATS_TEST_TMPDIR/file/sub" --period 2010
	assert_failure 1
	assert_equal "$stderr" "fetch-get: cache directory $BATS_TEST_TMPDIR/file/sub: cannot create: Not a directory"
	assert_equal "$(requests)" 0
}

@test "fetch: a refused connection is retried, then a clear error" {
	# nothing listens on 127.0.0.1 port 1
	run --separate-stderr "$GET" --url http://127.0.0.1:1 --cache-dir "$CACHE" --period 2010 --tries 2
	assert_failure 1
	[[ ${stderr_lines[1]} == "fetch-get: http://127.0.0.1:1/"*": Failed to connect to 127.0.0.1 port 1"*"(gave up after 2 tries)" ]]
}

@test "fetch: progress on a terminal only" {
	start_server "drip:1:$OK"
	run script -qec "$GET --url $URL --cache-dir $CACHE --period 2010 --reporter 156" /dev/null
	assert_success
	assert_output --partial "downloading:"
	run --separate-stderr fetch --refresh
	assert_success
	assert_equal "$stderr" ""
}

# ---- nk-fetch-parse --fetch: the library wired into the tool

nkfetch() { nk-fetch-parse --fetch --url "$URL" --cache-dir "$CACHE" --period 2010 "$@"; }

@test "nk-fetch-parse --fetch: same TSV as reading the response file; the query follows the selection" {
	start_server "ok:$OK"
	run --separate-stderr nk-fetch-parse -q --reporter CHN "$OK"
	assert_success
	want=$output
	[ "${#lines[@]}" -eq 5 ]  # header + China's 4 records
	run --separate-stderr nkfetch -q --reporter CHN
	assert_success
	assert_equal "$output" "$want"
	assert_equal "$stderr" ""
	assert_equal "$(cat "$LOG")" "GET /data/v1/get/C/A/HS?reporterCode=156&period=2010&partner2Code=0&customsCode=C00&motCode=0&maxRecords=100000&includeDesc=true key=$KEY"
	# again, offline, without a key: from the cache
	start_server "status:500"
	COMTRADE_KEY= run --separate-stderr nkfetch -q --reporter CHN --offline
	assert_success
	assert_equal "$output" "$want"
	assert_equal "$(requests)" 0
}

@test "nk-fetch-parse --fetch: default query is partner 408; -p, -w and --any-* shape it" {
	start_server "ok:$OK"
	run --separate-stderr nkfetch --cmd TOTAL
	assert_success
	assert_equal "$output" "$(nk-fetch-parse -q "$OK")"  # no DPRK rows: header only
	[ "${#lines[@]}" -eq 1 ]
	[[ $stderr == *"0 kept, 4 outside the slice"* ]]
	run --separate-stderr nkfetch -q -r CHN -p DEU -w KOR --any-customs --any-mot --flow M
	assert_success
	[ "${#lines[@]}" -eq 3 ]  # header + CHN's two M rows from DEU (276)
	run --separate-stderr nkfetch -q --any-partner2 --refresh
	assert_success
	assert_equal "$(sed 's/ key=.*//' "$LOG")" "GET /data/v1/get/C/A/HS?period=2010&partnerCode=408&partner2Code=0&cmdCode=TOTAL&customsCode=C00&motCode=0&maxRecords=100000&includeDesc=true
GET /data/v1/get/C/A/HS?reporterCode=156&period=2010&partnerCode=276,280,410&partner2Code=0&flowCode=M&maxRecords=100000&includeDesc=true
GET /data/v1/get/C/A/HS?period=2010&partnerCode=408&customsCode=C00&motCode=0&maxRecords=100000&includeDesc=true"
}

@test "nk-fetch-parse --fetch: a failed download writes nothing, not even a header" {
	start_server "status:502"
	run --separate-stderr nkfetch --tries 2 -o "$BATS_TEST_TMPDIR/out.tsv"
	assert_failure 1
	assert_equal "$output" ""
	[[ ${stderr_lines[1]} == "nk-fetch-parse: $URL/data/v1/get/C/A/HS?"*": HTTP 502: test server refused key *** (gave up after 2 tries)" ]]
	assert_file_not_exists "$BATS_TEST_TMPDIR/out.tsv"
	[ -z "$(ls -A "$BATS_TEST_TMPDIR" | grep out.tsv)" ]
	run --separate-stderr nkfetch --tries 2
	assert_failure 1
	assert_equal "$output" ""
}

@test "nk-fetch-parse --fetch: usage errors" {
	run --separate-stderr nk-fetch-parse --fetch --period 2010 "$OK"
	assert_failure 2
	assert_equal "${stderr_lines[0]}" "nk-fetch-parse: --fetch reads no FILE: '$OK'"
	run --separate-stderr nk-fetch-parse --offline "$OK"
	assert_failure 2
	assert_equal "${stderr_lines[0]}" "nk-fetch-parse: --offline, --refresh, --url, --cache-dir and --period go with --fetch"
	run --separate-stderr nk-fetch-parse --fetch --cache-dir "$CACHE"
	assert_failure 2
	assert_equal "${stderr_lines[0]}" "nk-fetch-parse: --fetch needs --period (e.g. --period=2022)"
}

@test "fetch: JSON that is no Comtrade answer (a record not an object) is retried, then refused, not cached" {
	odd=$BATS_TEST_TMPDIR/odd.json
	printf '{"count":1,"data":[7],"error":""}' >"$odd"
	start_server "ok:$odd"
	run --separate-stderr fetch --tries 2
	assert_failure 1
	assert_equal "$(requests)" 2
	[[ ${stderr_lines[1]} == *": response is not a Comtrade Plus answer: record 1: not an object (line 1, column 21; 33 bytes) (gave up after 2 tries)" ]]
	no_cache_entry
}

@test "fetch: only the first 64 KiB of an error body are kept: a longer one shows its start" {
	small=$BATS_TEST_TMPDIR/small-error.json big=$BATS_TEST_TMPDIR/big-error.json
	printf '{"statusCode":403,"message":"Out of call volume quota"}' >"$small"
	python3 -c 'import json,sys; json.dump({"statusCode":403,"padding":"x" * 70000,"message":"Out of call volume quota"}, open(sys.argv[1],"w"))' "$big"
	start_server "body:403:$small"
	run --separate-stderr fetch
	assert_failure 1
	[[ $stderr == *": HTTP 403: Out of call volume quota" ]]
	start_server "body:403:$big"
	run --separate-stderr fetch
	assert_failure 1
	[[ $stderr == *': HTTP 403: {"statusCode": 403, "padding": "xxx'* ]]
	no_cache_entry
}
