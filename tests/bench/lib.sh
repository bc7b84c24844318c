# Shared by the benchmark scripts in tests/bench/ (sourced, not run).
# Benchmarks measure; they never fail the build. Timings are medians of
# NK_BENCH_RUNS runs (default 3), each command's runs interleaved with the
# others' so that machine noise hits all of them alike. Ratios, not absolute
# times, are what to read.
set -eu
export LC_ALL=C
NK_ROOT=$(cd "$(dirname "$0")/../.." && pwd)
B=$NK_ROOT/build
: "${NK_BENCH_DIR:=/tmp/nk-bench}"
: "${NK_BENCH_ROWS:=10000000}"
: "${NK_BENCH_RUNS:=3}"
mkdir -p "$NK_BENCH_DIR"

# bench_tsv: path of the generated contract TSV (NK_BENCH_ROWS rows), made once.
bench_tsv() {
	f=$NK_BENCH_DIR/contract-$NK_BENCH_ROWS.tsv
	[ -s "$f" ] || "$B/bench/gen-tsv" "$NK_BENCH_ROWS" >"$f"
	echo "$f"
}

# run_one NAME CMD: one timed run of sh -c CMD; appends "NAME SECONDS MAXRSS_KB".
run_one() {
	/usr/bin/time -f "%e %M" -o "$NK_BENCH_DIR/.t" sh -c "$2" || {
		echo "bench: '$1' failed: $2" >&2
		return 1
	}
	echo "$1 $(cat "$NK_BENCH_DIR/.t")" >>"$NK_BENCH_DIR/.runs"
}

# bench NAME1 CMD1 NAME2 CMD2 ...: NK_BENCH_RUNS interleaved rounds.
bench() {
	: >"$NK_BENCH_DIR/.runs"
	r=0
	while [ $r -lt "$NK_BENCH_RUNS" ]; do
		set -- "$@"
		i=1
		while [ $i -lt $# ]; do
			eval "n=\${$i}; c=\${$((i + 1))}"
			run_one "$n" "$c"
			i=$((i + 2))
		done
		r=$((r + 1))
	done
}

# median NAME: median seconds of NAME's runs; maxrss NAME: largest max RSS (KB).
median() {
	awk -v n="$1" '$1 == n { print $2 }' "$NK_BENCH_DIR/.runs" | sort -g |
		awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}
maxrss() {
	awk -v n="$1" '$1 == n && $3 > m { m = $3 } END { print m + 0 }' "$NK_BENCH_DIR/.runs"
}

# Names must not contain spaces.
# report BYTES NAME...: one line per NAME: median time, MB/s, max RSS, and the
# speed ratio of the first NAME to this one.
report() {
	bytes=$1
	shift
	base=$(median "$1")
	for n in "$@"; do
		t=$(median "$n")
		awk -v n="$n" -v t="$t" -v b="$bytes" -v base="$base" -v rss="$(maxrss "$n")" -v first="$1" 'BEGIN {
			printf "  %-28s %7.2f s %8.0f MB/s %8.1f MB max RSS", n, t, (t > 0 ? b / 1e6 / t : 0), rss / 1024
			if (n != first) printf "   speed %s/%s = %.2f", first, n, (base > 0 ? t / base : 0)
			printf "\n" }'
	done
}

# duckdb_node: print the command prefix ("NODE_PATH=... node") that runs a
# DuckDB script with npm @duckdb/node-api, installed once under NK_BENCH_DIR;
# print nothing when node, npm or the package is not available (the caller
# then skips DuckDB).
duckdb_node() {
	nodedir=$NK_BENCH_DIR/node
	command -v node >/dev/null && command -v npm >/dev/null || return 0
	[ -d "$nodedir/node_modules/@duckdb/node-api" ] ||
		npm install --silent --no-audit --no-fund --prefix "$nodedir" @duckdb/node-api >/dev/null 2>&1 || true
	[ ! -d "$nodedir/node_modules/@duckdb/node-api" ] || echo "NODE_PATH=$nodedir/node_modules node"
}
