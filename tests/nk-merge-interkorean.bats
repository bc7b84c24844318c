#!/usr/bin/env bats
# nk-merge-interkorean: the MOU table, the switches, the double-count guard.
load lib/common

@test "--help"                                        { run_case nk-merge-interkorean help; }
@test "--version"                                     { run_case nk-merge-interkorean version; }
@test "unknown option is a usage error (2)"           { run_case nk-merge-interkorean bad-option; }
@test "rows appended, split by segment or direction"  { run_case nk-merge-interkorean default; }
@test "a header-only stream gets the MOU rows"        { run_case nk-merge-interkorean header-only; }
@test "--kaesong exclude"                             { run_case nk-merge-interkorean kaesong-exclude; }
@test "--kaesong only"                                { run_case nk-merge-interkorean kaesong-only; }
@test "--kaesong with a bad mode (2)"                 { run_case nk-merge-interkorean kaesong-bad-mode; }
@test "--noncommercial exclude"                       { run_case nk-merge-interkorean noncommercial-exclude; }
@test "--noncommercial has no 'only' (2)"             { run_case nk-merge-interkorean noncommercial-only; }
@test "--years range"                                 { run_case nk-merge-interkorean years; }
@test "--years one year"                              { run_case nk-merge-interkorean years-one; }
@test "--years reversed (2)"                          { run_case nk-merge-interkorean years-reversed; }
@test "--years not a year (2)"                        { run_case nk-merge-interkorean years-bad; }
@test "--years beyond the table: gaps"                { run_case nk-merge-interkorean years-outside; }
@test "guard: counterpart KOR without an option"      { run_case nk-merge-interkorean kor-error; }
@test "guard: --replace-kor drops the KOR rows"       { run_case nk-merge-interkorean kor-replace; }
@test "guard: --keep-kor keeps them"                  { run_case nk-merge-interkorean kor-keep; }
@test "guard: both options (2)"                       { run_case nk-merge-interkorean kor-both; }
@test "guard: a second run is an error"               { run_case nk-merge-interkorean second-run; }
@test "-q: no summary"                                { run_case nk-merge-interkorean quiet; }
@test "the shipped table, 2015"                       { run_case nk-merge-interkorean shipped-table; }
@test "stream: empty input"                           { run_case nk-merge-interkorean empty-input; }
@test "stream: CRLF"                                  { run_case nk-merge-interkorean crlf; }
@test "stream: a ragged row"                          { run_case nk-merge-interkorean ragged; }
@test "stream: no counterpart column"                 { run_case nk-merge-interkorean missing-counterpart; }
@test "stream: unknown columns pass through"          { run_case nk-merge-interkorean unknown-columns; }
@test "stream: counterpart not an ISO3 code"         { run_case nk-merge-interkorean bad-counterpart; }
@test "stream: a segment column is replaced in place" { run_case nk-merge-interkorean segment-in-place; }
@test "table: empty file"                             { run_case nk-merge-interkorean table-empty; }
@test "table: a header and no years"                  { run_case nk-merge-interkorean table-no-years; }
@test "table: a directory"                            { run_case nk-merge-interkorean table-directory; }
@test "table: no such file"                           { run_case nk-merge-interkorean table-missing; }
@test "table: binary"                                 { run_case nk-merge-interkorean table-binary; }
@test "table: CRLF"                                   { run_case nk-merge-interkorean table-crlf; }
@test "table: a ragged row"                           { run_case nk-merge-interkorean table-ragged; }
@test "table: a missing column"                       { run_case nk-merge-interkorean table-missing-column; }
@test "table: '2.714 bn' is not a number"             { run_case nk-merge-interkorean table-not-a-number; }
@test "table: a negative value"                       { run_case nk-merge-interkorean table-negative; }
@test "table: a year twice"                           { run_case nk-merge-interkorean table-year-twice; }
@test "table: not a year"                             { run_case nk-merge-interkorean table-bad-year; }
@test "table: Kaesong part larger than the total"     { run_case nk-merge-interkorean table-kaesong-too-large; }
@test "table: parts larger than the total"            { run_case nk-merge-interkorean table-parts-too-large; }
@test "table: directions off the total by > \$1 M"    { run_case nk-merge-interkorean table-directions-off; }
@test "table: one direction without the other"        { run_case nk-merge-interkorean table-one-direction; }
@test "table: a figure without a source"              { run_case nk-merge-interkorean table-no-source; }
@test "table: a part without a total"                 { run_case nk-merge-interkorean table-part-without-total; }

# sum_year FILE YEAR: the year's MOU value_usd in the stream FILE, by name.
sum_year() {
	awk -F'\t' -v y="$2" 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		$c["source"] == "mou" && $c["year"] == y { s += $c["value_usd"] }
		END { printf "%.0f\n", s }' "$1"
}

@test "2015 through the shipped table: \$2.714 bn, about 0.4 % without Kaesong" {
	in=$NK_ROOT/tests/cases/nk-merge-interkorean/_data/stream.tsv
	nk-merge-interkorean -q "$in" >"$BATS_TEST_TMPDIR/all.tsv"
	nk-merge-interkorean -q --kaesong exclude "$in" >"$BATS_TEST_TMPDIR/nokae.tsv"
	all=$(sum_year "$BATS_TEST_TMPDIR/all.tsv" 2015)
	nokae=$(sum_year "$BATS_TEST_TMPDIR/nokae.tsv" 2015)
	# +-1 % of $2.714 bn (MOU, 2016 Unification White Paper)
	[ "$all" -ge 2686860000 ] && [ "$all" -le 2741140000 ] || fail "2015 total $all"
	# Kaesong was 99.6 %: 0.35 %..0.45 % remains
	awk -v a="$all" -v n="$nokae" 'BEGIN { s = 100 * n / a; exit !(s >= 0.35 && s <= 0.45) }' ||
		fail "2015 without Kaesong: $nokae of $all"
}

@test "every year's rows add up exactly to the table's total" {
	t=$NK_ROOT/data/interkorean/mou.tsv
	printf 'source\tyear\treporter\tpartner\ths\tvalue_usd\tnk_flow\tcounterpart\n' |
		nk-merge-interkorean -q >"$BATS_TEST_TMPDIR/out.tsv"
	n=0
	while IFS=$'\t' read -r year total rest; do
		[ "$year" = year ] || [ -z "$total" ] && continue
		got=$(awk -F'\t' -v y="$year" '$2 == y { s += $6 } END { printf "%.3f", s }' "$BATS_TEST_TMPDIR/out.tsv")
		want=$(awk -v v="$total" 'BEGIN { printf "%.3f", v }')
		assert_equal "$year $got" "$year $want"
		n=$((n + 1))
	done <"$t"
	[ "$n" -ge 20 ]
}

@test "--replace-kor writes each dropped row to --rejects with its reason" {
	d=$NK_ROOT/tests/cases/nk-merge-interkorean/_data
	run --separate-stderr nk-merge-interkorean -q --table "$d/table.tsv" --replace-kor \
		--rejects "$BATS_TEST_TMPDIR/rej.tsv" -o "$BATS_TEST_TMPDIR/out.tsv" "$d/kor.tsv"
	assert_success
	assert_equal "$(grep -c $'\tKOR\t' "$d/kor.tsv")" 3
	assert_equal "$(head -1 "$BATS_TEST_TMPDIR/rej.tsv")" "$(head -1 "$d/kor.tsv")"$'\treason\trule\tfile\tline'
	assert_equal "$(tail -n +2 "$BATS_TEST_TMPDIR/rej.tsv" | cut -f21- | sed "s|$d/||")" \
"counterpart KOR: replaced by MOU inter-Korean figures	replace-kor	kor.tsv	4
counterpart KOR: replaced by MOU inter-Korean figures	replace-kor	kor.tsv	5
counterpart KOR: replaced by MOU inter-Korean figures	replace-kor	kor.tsv	6"
	# no KOR row is left other than the MOU ones
	assert_equal "$(awk -F'\t' '$18 == "KOR" && $1 != "mou"' "$BATS_TEST_TMPDIR/out.tsv")" ""
}

@test "running the tool on its own output fails before changing -o" {
	d=$NK_ROOT/tests/cases/nk-merge-interkorean/_data
	nk-merge-interkorean -q --table "$d/table.tsv" -o "$BATS_TEST_TMPDIR/once.tsv" "$d/stream.tsv"
	cp "$BATS_TEST_TMPDIR/once.tsv" "$BATS_TEST_TMPDIR/keep.tsv"
	run --separate-stderr nk-merge-interkorean -q --table "$d/table.tsv" -o "$BATS_TEST_TMPDIR/once.tsv" "$BATS_TEST_TMPDIR/once.tsv"
	assert_failure 1
	cmp "$BATS_TEST_TMPDIR/once.tsv" "$BATS_TEST_TMPDIR/keep.tsv"
}

@test "the shipped table passes its own checks and every figure has a source" {
	t=$NK_ROOT/data/interkorean/mou.tsv
	run --separate-stderr nk-merge-interkorean --table "$t" - <<<$'source\tyear\treporter\tpartner\ths\tvalue_usd\tnk_flow\tcounterpart'
	assert_success
	assert_equal "$(awk -F'\t' 'NR > 1 && $2 != "" && $7 == ""' "$t")" ""
}

@test "several inputs are one stream: one header, the MOU rows once, at the end" {
	d=$NK_ROOT/tests/cases/nk-merge-interkorean/_data
	run --separate-stderr nk-merge-interkorean -q --table "$d/table.tsv" "$d/stream.tsv" - "$d/stream.tsv" <"$d/stream.tsv"
	assert_success
	assert_equal "$(printf '%s\n' "$output" | grep -c '^source')" 1
	assert_equal "$(printf '%s\n' "$output" | grep -c '^comtrade')" 9
	assert_equal "$(printf '%s\n' "$output" | grep -c '^mou')" 13
	assert_equal "$(printf '%s\n' "$output" | sed -n '11p' | cut -f1)" mou
}

@test "the output keeps the contract (nk-validate --contract), unknown directions included" {
	d=$NK_ROOT/tests/cases/nk-merge-interkorean/_data
	run --separate-stderr sh -c "nk-merge-interkorean -q '$d/stream.tsv' | nk-validate --contract -n"
	assert_success
	assert_regex "$stderr" '^nk-validate: valid: [0-9]+ rows, 21 columns$'
	# the shipped table has years without a published direction
	nk-merge-interkorean -q "$d/stream.tsv" | awk -F'\t' '$1 == "mou" && $17 == "" { n++ } END { exit !(n > 0) }'
}
