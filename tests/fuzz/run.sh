#!/bin/sh
# Fuzz one harness of tests/fuzz/ (fz-NAME.c) with libFuzzer (clang, ASan +
# UBSan, in-process: see fuzz.h), or all of them one after the other:
#   sh tests/fuzz/run.sh NAME|all [SECONDS] [libFuzzer options]  (default 600 s)
#   sh tests/fuzz/run.sh --save NAME   merge what the last run found into the
#                                      saved corpus tests/fuzz/corpus/NAME/
#                                      (minimised: the fewest inputs that keep
#                                      every feature, or past 300 KB every
#                                      edge; make check replays it)
# Work dir /tmp/nk-fuzz-NAME: the binary, corpus/ (what is found), seed/
# (tests/fuzz/seed.sh's cuts of real files, for the harnesses it knows),
# crash-*/timeout-*/leak-* files, log. Prints execs, coverage,
# time and findings; exits 1 if anything was found.
set -eu
cd "$(dirname "$0")/../.."
NK_DATADIR=$(pwd)
export NK_DATADIR
CC=${FUZZ_CC:-clang}
command -v "$CC" >/dev/null || { echo "run.sh: $CC not found (Debian: apt-get install clang)" >&2; exit 2; }

# The largest input each harness is given (bytes): enough for several rows,
# records or rules; more only slows each execution.
max_len() {
	case $1 in
	dec) echo 64 ;;
	gzip) echo 16384 ;;
	*) echo 4096 ;;
	esac
}

# The dictionary a harness uses: NAME.dict; the nk-fetch-parse harnesses
# (fetch-parse.h) share one.
dict() {
	case $1 in
	comtrade | baci | dots | totals) echo fetch-parse ;;
	sanctions) echo yaml ;;
	*) echo "$1" ;;
	esac
}

# Buffers as small as they go, so that inputs of a few KiB cross the ends of
# the line buffer, the gzip ring and the output buffer (and no run pays for
# megabytes of buffers).
SIZES="-DNK_IN_BUF=256 -DNK_ZIN_BUF=64 -DNK_GZ_CHUNK=512 -DNK_GZ_STAGE=128 -DNK_OUT_BUF=256"

# the version make builds (nk-summarize's partials name it on their first line)
VERSION=$(sed -n 's/^VERSION *:= *//p' Makefile)

build() {
	w=/tmp/nk-fuzz-$1
	mkdir -p "$w/corpus"
	$CC -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
		-D_GNU_SOURCE -DNK_VERSION="\"$VERSION\"" -DNK_DATADIR='"/nonexistent"' $SIZES \
		-Itools/lib -Itests/fuzz tools/lib/*.c tests/fuzz/fuzz.c "tests/fuzz/fz-$1.c" \
		-Wl,--wrap=pthread_create -Wl,--wrap=pthread_join \
		-lisal -lcsv -lyaml -lcurl -lyajl -lz -lm -lpthread -o "$w/fz-$1"
}

fuzz() {
	name=$1 secs=$2
	shift 2
	build "$name"
	c=tests/fuzz/corpus/$name
	[ -d "$c" ] || c=
	rm -rf "$w/seed"
	sh tests/fuzz/seed.sh "$name" "$w/seed" >/dev/null
	s=$w/seed
	[ -n "$(ls "$s")" ] || s=
	# a dictionary of the format's tokens, if there is one
	d=tests/fuzz/$(dict "$name").dict
	[ -f "$d" ] && set -- -dict="$d" "$@"
	ASAN_OPTIONS=detect_leaks=1 "$w/fz-$name" -max_total_time="$secs" -max_len="$(max_len "$name")" \
		-timeout=10 -rss_limit_mb=2048 -close_fd_mask=3 -print_final_stats=1 \
		-artifact_prefix="$w/" "$@" "$w/corpus" $c $s >"$w/log" 2>&1 || true
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$w/log")
	done_line=$(grep -E '^#[0-9]+.*(DONE|pulse|NEW|REDUCE)' "$w/log" | tail -1)
	found=$(ls "$w" | grep -cE '^(crash|timeout|leak|oom|slow-unit)-' || true)
	echo "$name: ${execs:-?} execs in ${secs} s; last: ${done_line:-?}; findings: $found"
	[ "$found" -eq 0 ] || { ls "$w" | grep -E '^(crash|timeout|leak|oom)-' | sed "s|^|  $w/|"; return 1; }
}

save() {
	w=/tmp/nk-fuzz-$1
	c=tests/fuzz/corpus/$1
	[ -x "$w/fz-$1" ] || build "$1"
	# every feature (edges and their hit counts); past 300 KB, every edge
	# only (-use_counters=0): make check replays it, and it goes in git
	for counters in 1 0; do
		rm -rf "$w/merged" && mkdir -p "$w/merged" "$c"
		"$w/fz-$1" -merge=1 -use_counters=$counters -max_len="$(max_len "$1")" -close_fd_mask=3 \
			"$w/merged" "$c" "$w/corpus" $(ls -d "$w/seed" 2>/dev/null) >"$w/merge.log" 2>&1
		[ "$(du -sk --apparent-size "$w/merged" | cut -f1)" -le 300 ] && break
	done
	rm -f "$c"/* && cp "$w/merged"/* "$c/"
	echo "$1: $(ls "$c" | wc -l) inputs, $(du -sk --apparent-size "$c" | cut -f1) KiB in $c"
}

case ${1:-} in
--save) save "$2" ;;
all)
	secs=${2:-600}
	rc=0
	for f in tests/fuzz/fz-*.c; do
		n=${f##*/fz-}
		fuzz "${n%.c}" "$secs" || rc=1
	done
	exit $rc ;;
'') sed -n '2,14s/^# \{0,1\}//p' "$0" >&2; exit 2 ;;
*)
	n=$1
	secs=${2:-600}
	shift
	[ $# -gt 0 ] && shift
	fuzz "$n" "$secs" "$@" ;;
esac
