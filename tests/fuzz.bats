#!/usr/bin/env bats
# The saved fuzz corpora (tests/fuzz/corpus/NAME/, found by libFuzzer and
# minimised: sh tests/fuzz/run.sh --save NAME) replayed through the harness
# tests/fuzz/fz-NAME.c built with replay.c's main: each input once, in one
# process (ASan+UBSan and LeakSanitizer in the build/asan run). A crash
# found once stays fixed: its input is kept in the corpus and, named, in
# tests/fuzz/crashes/NAME-WHAT (replayed below).
load lib/common

FUZZ=$(cd "$NK_BIN/.." && pwd)/fuzz

replay() {
	[ -x "$FUZZ/fz-$1" ] || fail "$FUZZ/fz-$1 not built (make)"
	[ -n "$(ls "$NK_ROOT/tests/fuzz/corpus/$1")" ] || fail "empty corpus tests/fuzz/corpus/$1"
	run --separate-stderr "$FUZZ/fz-$1" "$NK_ROOT/tests/fuzz/corpus/$1"
	[ "$status" -eq 0 ] || { printf '%s\n' "$stderr" | tail -30 >&2; fail "fz-$1: exit $status"; }
	# every input ran, and some were read to the end (the harness reaches
	# past the first check) and some rejected (error paths are replayed)
	n=$(ls "$NK_ROOT/tests/fuzz/corpus/$1" | wc -l)
	[[ $output =~ ^$n\ inputs:\ ([0-9]+)\ read\ to\ the\ end,\ ([0-9]+)\ rejected$ ]] || fail "fz-$1: $output"
	[ "${BASH_REMATCH[1]}" -gt 0 ] || fail "fz-$1: no input read to the end"
	[ "$1" = dec ] || [ "${BASH_REMATCH[2]}" -gt 0 ] || fail "fz-$1: no input rejected"
}

@test "fuzz corpus: contract TSV reader and row checks (fz-tsv)"   { replay tsv; }
@test "fuzz corpus: input layer, gzip ring (fz-gzip)"            { replay gzip; }
@test "fuzz corpus: streaming JSON reader (fz-json)"             { replay json; }
@test "fuzz corpus: YAML rule-file loader and getters (fz-yaml)" { replay yaml; }
@test "fuzz corpus: number parsers and the exact split (fz-dec)" { replay dec; }
@test "fuzz corpus: nk-normalize-hs --weights (fz-weights)"      { replay weights; }
@test "fuzz corpus: nk-correct's rule files (fz-rules)"          { replay rules; }
@test "fuzz corpus: nk-summarize --merge partials (fz-merge)"     { replay merge; }
@test "fuzz corpus: nk-fetch-parse, Comtrade CSV/TSV/JSON (fz-comtrade)" { replay comtrade; }
@test "fuzz corpus: nk-fetch-parse, BACI (fz-baci)"               { replay baci; }
@test "fuzz corpus: nk-fetch-parse, IMF DOTS (fz-dots)"           { replay dots; }
@test "fuzz corpus: nk-fetch-parse, name-only totals (fz-totals)" { replay totals; }
@test "fuzz corpus: nk-merge-interkorean's MOU table (fz-mou)"    { replay mou; }
@test "fuzz corpus: nk-summarize's sanctions file (fz-sanctions)"  { replay sanctions; }

@test "fuzz corpus: every harness has a saved corpus" {
	for f in "$NK_ROOT"/tests/fuzz/fz-*.c; do
		n=${f##*/fz-}
		[ -d "$NK_ROOT/tests/fuzz/corpus/${n%.c}" ] || fail "no tests/fuzz/corpus/${n%.c}/ for $f"
		grep -q "replay ${n%.c};" "$BATS_TEST_FILENAME" || fail "fuzz.bats does not replay ${n%.c}"
	done
}

@test "fuzz harness: a run that fails in mid-read leaves no thread, file or block behind" {
	# a gzip input cut short fails while its inflating thread runs, 300
	# times in one process allowed 256 open files: ASan (build/asan) would
	# see a leak or a freed block in use, and without the harness's undoing
	# the files would run out
	d=$BATS_TEST_TMPDIR/in
	mkdir -p "$d"
	head -c 20000 /dev/urandom | base64 | gzip -1 | head -c 4000 >"$d/cut.gz"
	printf 'a\tb\n1\t2\n' | gzip >"$d/ok.gz"
	for i in $(seq 1 299); do cp "$d/cut.gz" "$d/cut$i.gz"; done
	run --separate-stderr bash -c "ulimit -n 256 && exec '$FUZZ/fz-gzip' '$d'"
	assert_success
	assert_output "301 inputs: 1 read to the end, 300 rejected"
}

# Crashes the fuzzers found, each as a test of the tool itself (the ASan
# run of make check fails on the memory error; the plain run checks the
# message), and its input as found in tests/fuzz/crashes/NAME-WHAT, replayed
# through fz-NAME here.

@test "fuzz crashes: each saved crash input replays through its harness" {
	for f in "$NK_ROOT"/tests/fuzz/crashes/*; do
		n=${f##*/}
		n=${n%%-*}
		[ -x "$FUZZ/fz-$n" ] || fail "$f: no harness fz-$n"
		run --separate-stderr "$FUZZ/fz-$n" "$f"
		[ "$status" -eq 0 ] || { printf '%s\n' "$stderr" | tail -30 >&2; fail "fz-$n $f: exit $status"; }
		[[ $output =~ ^1\ inputs: ]] || fail "fz-$n $f: $output"
	done
}

@test "crash (fz-comtrade): nk-fetch-parse -k --rejects, a malformed header: a rejects row of NULL fields" {
	# the header went through the row splitter, which with --keep-going
	# counted it as a bad row and wrote it to --rejects (its fields NULL
	# pointers: UBSan's nonnull check) before the header's own error
	printf 'refYear,"period\n2016,2016\n' >"$BATS_TEST_TMPDIR/h.csv"
	run --separate-stderr nk-fetch-parse -k --rejects="$BATS_TEST_TMPDIR/rej.tsv" "$BATS_TEST_TMPDIR/h.csv"
	assert_failure 1
	assert_equal "$stderr" "nk-fetch-parse: $BATS_TEST_TMPDIR/h.csv:1: malformed CSV (stray or unbalanced quote): 'refYear,\"period'"
	assert_not_exist "$BATS_TEST_TMPDIR/rej.tsv"
}

@test "crash (fz-merge): nk-summarize --merge, a short sum line once the line buffer has grown: use after free" {
	# the fields of a short line were read before their count was checked:
	# past it, views of the line before, into the buffer realloc had freed
	p=$BATS_TEST_TMPDIR/p
	nk-summarize -q --partial "$NK_ROOT/tests/cases/nk-summarize/_data/small.tsv" | head -4 >"$p"
	printf 'sum\tyear\t2015\tX\t0\t\t1.5\t3\nsum\tyear\t2015\tX\t1\t\t300\t1\nsum\tyear, the longer line\t20\n' >>"$p"
	run --separate-stderr nk-summarize --merge "$p"
	assert_failure 1
	assert_equal "$stderr" "nk-summarize: $p:7: not a sum line of this partial's reports"
}

@test "crash (fz-dots): nk-fetch-parse, a DOTS reporter code past 999 with a selected partner: read outside the IMF table" {
	# the DPRK-estimate guard looked the reporter up in the 1000-entry IMF
	# table unchecked: a large code read far outside it (SIGSEGV); now the
	# row is kept with an unknown area code, as other formats keep theirs
	f=$BATS_TEST_TMPDIR/d.csv
	printf 'Country Name,Country Code,Indicator Name,Indicator Code,Counterpart Country Name,Counterpart Country Code,Attribute,2016\n' >"$f"
	printf 'X,99999999999999,Exports,TXG_FOB_USD,DPRK,954,Value,100\n' >>"$f"
	run --separate-stderr nk-fetch-parse "$f"
	assert_success
	assert_equal "${lines[1]}" "$(printf 'dots\t2016\t2016\t\t99999999999999\tPRK\t954\tX\t\tTOTAL\t100\t\t100\t\t\t\tX\tDPRK\tExports\t')"
	[[ $stderr == *"1 kept with an unknown area code"* ]] || fail "$stderr"
}
