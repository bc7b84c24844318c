#!/usr/bin/env bats
# nk-validate, and through it the library's reader, writer and checks.
load lib/common

@test "empty input (no header) is an error"        { run_case nk-validate empty-input; }
@test "a header with no rows is a valid stream"     { run_case nk-validate header-only; }
@test "contract: real CHN-PRK 2022 rows pass"       { run_case nk-validate contract-ok; }
@test "contract: '12,5' is not a number"            { run_case nk-validate contract-bad-number; }
@test "contract: unknown flow code"                 { run_case nk-validate contract-bad-flow; }
@test "contract: missing core column"               { run_case nk-validate missing-column; }
@test "contract: NaN is not a number"               { run_case nk-validate contract-nan; }
@test "contract: 1e309 (an exponent) is not contract text" { run_case nk-validate contract-exponent; }
@test "contract: period of another year or month 13" { run_case nk-validate contract-bad-period; }
@test "contract: lower-case ISO3 code"              { run_case nk-validate contract-bad-iso; }
@test "contract: nk_flow checked when present"      { run_case nk-validate contract-bad-nkflow; }
@test "contract: nk-correct's columns pass when right" { run_case nk-validate contract-dprk-view-ok; }
@test "--require names the missing column"          { run_case nk-validate require-missing; }
@test "duplicate column names"                      { run_case nk-validate duplicate-column; }
@test "empty column name"                           { run_case nk-validate empty-column-name; }
@test "row with too few fields reports its line"    { run_case nk-validate too-few-fields; }
@test "row with too many fields reports its line"   { run_case nk-validate too-many-fields; }
@test "CRLF header"                                 { run_case nk-validate crlf; }
@test "CRLF in a data row"                          { run_case nk-validate crlf-in-row; }
@test "Latin-1 byte is invalid UTF-8"               { run_case nk-validate invalid-utf8; }
@test "valid UTF-8 passes"                          { run_case nk-validate valid-utf8; }
@test "NUL byte"                                    { run_case nk-validate nul-byte; }
@test "byte-order mark"                             { run_case nk-validate bom; }
@test "escaped values pass unchanged"               { run_case nk-validate escapes-pass; }
@test "two files, one header"                       { run_case nk-validate two-files; }
@test "files with different headers"                { run_case nk-validate header-differs; }
@test "- reads standard input between files"        { run_case nk-validate stdin-dash; }
@test "missing input file"                          { run_case nk-validate no-such-file; }
@test "gzip input is decompressed"                  { run_case nk-validate gzip-input; }
@test "truncated gzip is an error, not a short file" { run_case nk-validate truncated-gzip; }
@test "corrupt gzip is an error"                    { run_case nk-validate corrupt-gzip; }
@test "unknown option is a usage error (2)"         { run_case nk-validate bad-option; }
@test "--help"                                      { run_case nk-validate help; }
@test "--version"                                   { run_case nk-validate version; }
@test "-n prints a summary and no data"             { run_case nk-validate no-output-summary; }

@test "a 1 MB field passes through intact" {
	f=$BATS_TEST_TMPDIR/big.tsv
	{ printf 'a\tb\n1\t'; head -c 1048576 /dev/zero | tr '\0' x; printf '\n2\ty\n'; } >"$f"
	run --separate-stderr nk-validate "$f"
	assert_success
	[ "$(printf '%s\n' "$output" | cmp - "$f" && echo same)" = same ]
}

@test "10,000 columns pass through intact" {
	f=$BATS_TEST_TMPDIR/wide.tsv
	seq 1 10000 | sed 's/^/c/' | paste -sd'\t' >"$f"
	seq 1 10000 | paste -sd'\t' >>"$f"
	run --separate-stderr nk-validate "$f"
	assert_success
	[ "$(printf '%s\n' "$output" | cmp - "$f" && echo same)" = same ]
}

@test "a line over 64 MiB is a clear error" {
	f=$BATS_TEST_TMPDIR/huge.tsv
	{ printf 'a\n'; head -c $((65 << 20)) /dev/zero | tr '\0' x; printf '\n'; } >"$f"
	run --separate-stderr nk-validate -n "$f"
	assert_failure 1
	assert_equal "$stderr" "nk-validate: $f:2: line longer than 64 MiB"
}

@test "-o writes the file atomically; a failed run leaves nothing" {
	cd "$BATS_TEST_TMPDIR"
	printf 'a\tb\n1\t2\n' >good.tsv
	run --separate-stderr nk-validate -o out.tsv good.tsv
	assert_success
	assert_equal "$(cat out.tsv)" "$(cat good.tsv)"
	# a later failing run keeps neither a temp file nor a changed out.tsv
	{ printf 'a\tb\n'; seq 1 300000 | sed 's/$/\tx/'; printf '1\n'; } >bad.tsv
	run --separate-stderr nk-validate -o out.tsv bad.tsv
	assert_failure 1
	assert_equal "$(cat out.tsv)" "$(cat good.tsv)"
	run --separate-stderr nk-validate -o new.tsv bad.tsv
	assert_failure 1
	assert_file_not_exists new.tsv
	assert_equal "$(ls | grep -c tmp)" 0
}

@test "-o keeps the file mode a plain shell redirect would give" {
	cd "$BATS_TEST_TMPDIR"
	printf 'a\n1\n' >in.tsv
	umask 022
	nk-validate -o out.tsv in.tsv
	assert_equal "$(stat -c %a out.tsv)" 644
}

@test "same input, byte-identical output" {
	a=$(nk-validate "$NK_ROOT/tests/cases/nk-validate/contract-ok/stdin" | md5sum)
	b=$(nk-validate "$NK_ROOT/tests/cases/nk-validate/contract-ok/stdin" | md5sum)
	assert_equal "$a" "$b"
}

@test "--rejects (accepted for uniform pipelines) gets the header and no rows" {
	cd "$BATS_TEST_TMPDIR"
	printf 'a\tb\n1\t2\n' >in.tsv
	run --separate-stderr nk-validate --rejects rej.tsv in.tsv
	assert_success
	assert_output "$(cat in.tsv)"
	assert_equal "$(cat rej.tsv)" "$(printf 'a\tb\treason\trule\tfile\tline')"
}
