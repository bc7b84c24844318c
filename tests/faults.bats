#!/usr/bin/env bats
# Faults every tool must survive, one loop over every tool in NK_BIN (the
# README's "Files and streams", "Exit status" and "Messages" are the spec):
# a full disk, a closed pipe, a run killed mid-write, two runs on one -o
# FILE, unwritable outputs, and inputs that cannot be read.
load lib/common

# Inputs of each tool: ARGS (options that make it write every row), SMALL (a
# real input from tests/, no warnings), BIG (tens of MB, made by setup_file
# with the generators `make` builds), HEAD (what its output's first line
# starts with), HOLDS=1 for a tool that writes only at the end of its input
# (a summary). A tool not named here reads contract TSV, like every stage.
tool_cfg() {
	ARGS="" SMALL=$NK_ROOT/tests/cases/nk-normalize-hs/real-crude/stdin
	BIG=$BATS_FILE_TMPDIR/big.tsv HEAD=$'^source\tyear\tperiod\t' HOLDS=
	case $(basename "$1") in
	nk-summarize)
		ARGS="--by hs6 --by partner" SMALL=$NK_ROOT/tests/cases/nk-summarize/_data/small.tsv
		BIG=$BATS_FILE_TMPDIR/big-dprk.tsv HEAD=$'^year\tflow\ths6\t' HOLDS=1 ;;
	nk-fetch-parse)
		ARGS="--all" SMALL=$NK_ROOT/tests/cases/nk-fetch-parse/_data/plus-real-subset.csv
		BIG=$BATS_FILE_TMPDIR/big.csv ;;
	nk-correct)
		SMALL=$NK_ROOT/tests/data/nk-correct/chn-deu-usa-prk-kor-2022.tsv ;;
	nk-merge-interkorean) # reads nk-correct's output (counterpart, nk_flow)
		SMALL=$NK_ROOT/tests/cases/nk-merge-interkorean/_data/stream.tsv
		BIG=$BATS_FILE_TMPDIR/big-dprk.tsv ;;
	esac
}

setup_file() {
	local gen=$NK_ROOT/build/bench
	[ -x "$gen/gen-tsv" ] && [ -x "$gen/fetch-parse-gen" ] || {
		echo "faults.bats: run make first (build/bench generators missing)" >&2
		return 1
	}
	"$gen/gen-tsv" 300000 >"$BATS_FILE_TMPDIR/big.tsv"          # 24 MB
	"$gen/fetch-parse-gen" 100000 >"$BATS_FILE_TMPDIR/big.csv"  # 37 MB
	# codes split and the DPRK view (nk_flow, counterpart), for the summary
	"$NK_BIN/nk-normalize-hs" -q "$BATS_FILE_TMPDIR/big.tsv" |
		"$NK_BIN/nk-correct" -q -o "$BATS_FILE_TMPDIR/big-dprk.tsv" -
}

# Every tool, and at least the four there are today.
tools() {
	local n=0
	for t in "$NK_BIN"/nk-*; do
		[ -x "$t" ] && { echo "$t"; n=$((n + 1)); }
	done
	[ "$n" -ge 4 ]
}

@test "faults: stdout on a full disk (/dev/full) is exit 1 with one 'write error' line" {
	for t in $(tools); do
		tool_cfg "$t"
		n=$(basename "$t")
		# a small input fails when the output is flushed at the end, a big
		# one in mid-stream; --help writes through stdio
		for run in "$ARGS -q $SMALL" "$ARGS -q $BIG" "--help"; do
			run --separate-stderr bash -c "exec $t $run >/dev/full"
			[ "$status" -eq 1 ] || fail "$n $run: exit $status, expected 1"
			assert_equal "$stderr" "$n: write error: standard output: No space left on device"
		done
		# -o onto a device writes it in place
		run --separate-stderr "$t" $ARGS -q -o /dev/full "$SMALL"
		assert_failure 1
		assert_equal "$stderr" "$n: write error: /dev/full: No space left on device"
	done
}

@test "faults: a closed pipe (| head -1) ends the tool with status 0 and nothing on stderr" {
	for t in $(tools); do
		tool_cfg "$t"
		# without -q: a closed pipe must not print a summary either
		run --separate-stderr bash -c "$t $ARGS '$BIG' | head -1; echo \"\${PIPESTATUS[0]}\""
		[ "${lines[1]}" = 0 ] || fail "$(basename "$t"): exit ${lines[1]} on a closed pipe: $stderr"
		assert_equal "$stderr" ""
		assert_regex "${lines[0]}" "$HEAD" # the header came
	done
}

# feed FIFO FILE LINES: write the first LINES lines of FILE to FIFO, then
# (once $BATS_TEST_TMPDIR/go-FIFO's name exists) the rest; in the background,
# so that a tool that died early cannot hang the test. Sets FEEDER.
feed() {
	local go=$1.go
	(
		head -n "$3" "$2"
		i=0
		while [ ! -e "$go" ] && [ "$i" -lt 600 ]; do sleep 0.02; i=$((i + 1)); done
		tail -n +"$(($3 + 1))" "$2"
	) >"$1" &
	FEEDER=$!
}

# wait_for PID TEST...: poll (up to 10 s) until the test holds or PID ended.
wait_for() {
	local pid=$1 i=0
	shift
	until "$@"; do
		kill -0 "$pid" 2>/dev/null || return 1
		[ "$i" -lt 500 ] || return 1
		sleep 0.02
		i=$((i + 1))
	done
}

# written PID N: the process has written at least N bytes.
written() {
	local w
	w=$(awk '/^wchar/ {print $2}' "/proc/$1/io" 2>/dev/null) || return 1
	[ "${w:-0}" -ge "$2" ]
}

# kill_mid_run TOOL SIGNAL OLD: -o FILE on a large input fed through a FIFO
# that stays open, killed once the tool has written 256 KiB (so it is
# mid-write); OLD=1 puts an older FILE there first. Then the output directory
# holds FILE with its old content, or nothing: no FILE, no temp file.
kill_mid_run() {
	local t=$1 sig=$2 old=$3 d
	d=$BATS_TEST_TMPDIR/kill-$(basename "$t")-$sig-$old
	mkdir -p "$d/o"
	mkfifo "$d/in"
	[ "$old" = 1 ] && printf 'old\n' >"$d/o/out"
	feed "$d/in" "$BIG" 10000 # and no more: the go file never comes
	"$t" -q $ARGS -o "$d/o/out" "$d/in" 2>"$d/err" &
	local pid=$! st=0
	if [ -n "$HOLDS" ]; then # it holds its output: killed once its -o temp is open
		wait_for "$pid" opened_in "$pid" "$d/o" || true
	else
		wait_for "$pid" written "$pid" 262144 || true
	fi
	kill "-$sig" "$pid"
	wait "$pid" || st=$?
	kill "$FEEDER" 2>/dev/null || true
	wait "$FEEDER" || true
	local want=143
	[ "$sig" = KILL ] && want=137
	# killed by the signal, not ended on its own (the FIFO never ends)
	[ "$st" -eq "$want" ] || fail "$(basename "$t") -o, SIG$sig: exit $st, expected $want: $(cat "$d/err")"
	if [ "$old" = 1 ]; then
		assert_equal "$(ls -A "$d/o")" "out"
		assert_equal "$(cat "$d/o/out")" "old"
	else
		assert_equal "$(ls -A "$d/o")" ""
	fi
}

@test "faults: -o FILE killed mid-run (SIGTERM, SIGKILL) leaves no FILE, an older FILE unchanged, no temp file" {
	# an unnamed temp file (O_TMPFILE) is what makes SIGKILL leave nothing
	python3 -c 'import os, sys; os.open(sys.argv[1], os.O_TMPFILE | os.O_WRONLY)' \
		"$BATS_TEST_TMPDIR" 2>/dev/null || skip "no O_TMPFILE on this file system"
	# each tool gets both signals, one with an older FILE; the tools take
	# turns, so every signal meets both cases
	k=0
	for t in $(tools); do
		tool_cfg "$t"
		kill_mid_run "$t" TERM $((k % 2))
		kill_mid_run "$t" KILL $(((k + 1) % 2))
		k=$((k + 1))
	done
}

# opened_in PID DIR: the process has a file in DIR open (its -o temp file).
opened_in() {
	ls -l "/proc/$1/fd" 2>/dev/null | grep -q -- "-> $2/"
}

@test "faults: two concurrent runs on one -o FILE leave one whole output, never a mix" {
	for t in $(tools); do
		tool_cfg "$t"
		n=$(basename "$t")
		d=$BATS_TEST_TMPDIR/$n
		mkdir -p "$d/o"
		# two different inputs, so that a mix would show
		head -n 3001 "$BIG" >"$d/a"
		{ head -n 1 "$BIG"; tail -n +3002 "$BIG" | head -n 3000; } >"$d/b"
		"$t" -q $ARGS -o "$d/ref-a" "$d/a"
		"$t" -q $ARGS -o "$d/ref-b" "$d/b"
		! cmp -s "$d/ref-a" "$d/ref-b"
		# both runs hold their temp file before either may end
		mkfifo "$d/fa" "$d/fb"
		feed "$d/fa" "$d/a" 1000
		fa=$FEEDER
		feed "$d/fb" "$d/b" 1000
		fb=$FEEDER
		"$t" -q $ARGS -o "$d/o/out" "$d/fa" &
		pa=$!
		"$t" -q $ARGS -o "$d/o/out" "$d/fb" &
		pb=$!
		wait_for "$pa" opened_in "$pa" "$d/o" || fail "$n: no temp file opened"
		wait_for "$pb" opened_in "$pb" "$d/o" || fail "$n: no temp file opened"
		touch "$d/fa.go" "$d/fb.go"
		wait "$pa" || fail "$n: first concurrent run failed"
		wait "$pb" || fail "$n: second concurrent run failed"
		wait "$fa" "$fb"
		cmp -s "$d/o/out" "$d/ref-a" || cmp -s "$d/o/out" "$d/ref-b" ||
			fail "$n: -o FILE of two concurrent runs is neither run's output"
		assert_equal "$(ls -A "$d/o")" "out"
	done
}

@test "faults: -o into a missing directory, --rejects and --audit on a full disk: exit 1, no output file" {
	mkdir "$BATS_TEST_TMPDIR/w" && cd "$BATS_TEST_TMPDIR/w"
	for t in $(tools); do
		tool_cfg "$t"
		n=$(basename "$t")
		run --separate-stderr "$t" -q $ARGS -o "$PWD/none/out" "$SMALL"
		assert_failure 1
		assert_equal "$stderr" "$n: $PWD/none/out: cannot create: No such file or directory"
		assert_file_not_exists "$PWD/none"
		for opt in --rejects --audit; do
			"$t" --help | grep -q -- "$opt=" || continue
			# the -o file is complete before the side stream fails
			run --separate-stderr "$t" -q $ARGS "$opt" /dev/full -o out "$SMALL"
			assert_failure 1
			assert_equal "$stderr" "$n: write error: /dev/full: No space left on device"
			assert_file_not_exists out
		done
		assert_equal "$(ls -A)" ""
	done
}

@test "faults: an input that is a directory or missing among several: exit 1, 'nk-TOOL: PATH: ...', no output" {
	mkdir "$BATS_TEST_TMPDIR/w" && cd "$BATS_TEST_TMPDIR/w"
	mkdir dir
	for t in $(tools); do
		tool_cfg "$t"
		n=$(basename "$t")
		run --separate-stderr "$t" -q $ARGS -o out "$SMALL" dir
		assert_failure 1
		assert_equal "$stderr" "$n: dir: read error: Is a directory"
		assert_file_not_exists out
		# every input is checked before the first output byte (a big first
		# input would otherwise be on stdout already)
		run --separate-stderr bash -c "set -o pipefail; $t -q $ARGS '$BIG' dir | wc -c"
		assert_failure 1
		assert_equal "$stderr" "$n: dir: read error: Is a directory"
		assert_output 0
		run --separate-stderr "$t" -q $ARGS "$SMALL" "$PWD/missing" "$SMALL"
		assert_failure 1
		assert_equal "$stderr" "$n: $PWD/missing: cannot open: No such file or directory"
		assert_output ""
		assert_equal "$(ls -A)" "dir"
	done
}

@test "faults: an unreadable input (mode 000): exit 1, 'nk-TOOL: PATH: cannot open: Permission denied', no output" {
	# root reads a mode-000 file anyway: as root the tools run as nobody
	as=""
	if [ "$(id -u)" -eq 0 ]; then
		command -v setpriv >/dev/null || skip "root, and no setpriv to run as another user"
		as="setpriv --reuid=65534 --regid=65534 --clear-groups"
	fi
	# a directory the other user can reach (bats' own is private)
	d=$(mktemp -d /tmp/nk-faults.XXXXXX)
	chmod 1777 "$d"
	for t in $(tools); do
		tool_cfg "$t"
		n=$(basename "$t")
		cp "$SMALL" "$d/in"
		chmod 000 "$d/in"
		run --separate-stderr $as "$t" -q $ARGS -o "$d/out" "$SMALL" "$d/in"
		rm -f "$d/in"
		if [ "$status" -ne 1 ] || [ "$stderr" != "$n: $d/in: cannot open: Permission denied" ] ||
			[ -n "$(ls -A "$d")" ]; then
			ls -A "$d" >&2
			rm -rf "$d"
			fail "$n: exit $status: $stderr"
		fi
	done
	rm -rf "$d"
}
