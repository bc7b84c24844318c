#!/usr/bin/env bats
# nk-summarize: the reports on hand-built streams with known totals
# (tests/cases/nk-summarize/_data/small.tsv: 2015 exports 1000 + 250.25 + 50
# + 300 inter-Korean, imports 2000 + 100.5 + 200 inter-Korean + 400 added by
# a rule; one row with an unknown value), the level check, bad input.
load lib/common

D=$BATS_TEST_DIRNAME/cases/nk-summarize/_data

@test "year: totals, balance, deficit %, year-on-year, with and without inter-Korean" { run_case nk-summarize year; }
@test "partner: value and shares per year and flow, with and without inter-Korean" { run_case nk-summarize partner; }
@test "partner --top 1: one line per year and flow, then 'other'" { run_case nk-summarize partner-top; }
@test "summary on stderr counts rows with an unknown value" { run_case nk-summarize summary; }
@test "header-only input: empty reports, exit 0" { run_case nk-summarize header-only; }
@test "missing nk_flow: names the column" { run_case nk-summarize missing-nk-flow; }
@test "missing a report's column: names the report and the column" { run_case nk-summarize missing-section; }
@test "value '12,5' is an error" { run_case nk-summarize value-comma; }
@test "value 'nan' is an error" { run_case nk-summarize value-nan; }
@test "value '-inf' is an error" { run_case nk-summarize value-minus-inf; }
@test "value with 4 decimals is an error (sums would not be exact)" { run_case nk-summarize value-4-decimals; }
@test "value 1e309 is an error" { run_case nk-summarize value-out-of-range; }
@test "a sum beyond the exact range is an error, not a wrap" { run_case nk-summarize sum-out-of-range; }
@test "year 0 is an error" { run_case nk-summarize year-0; }
@test "year 99999 is an error" { run_case nk-summarize year-99999; }
@test "nk_flow RX is an error" { run_case nk-summarize bad-flow; }
@test "hs '27A' is an error" { run_case nk-summarize bad-hs; }
@test "CRLF is an error" { run_case nk-summarize crlf; }
@test "invalid UTF-8 is an error" { run_case nk-summarize invalid-utf8; }
@test "NUL is an error" { run_case nk-summarize nul; }
@test "levels: TOTAL, chapter and subheading of one counterpart-year-flow stop the run" { run_case nk-summarize levels-mixed; }
@test "--level hs6 counts the hs6 rows and the rule rows" { run_case nk-summarize level-hs6; }
@test "--level total counts the TOTAL rows and the rule rows" { run_case nk-summarize level-total; }
@test "levels: rule and mou rows are not the same trade as another source's" { run_case nk-summarize levels-other-source; }
@test "--help" { run_case nk-summarize help; }
@test "--version" { run_case nk-summarize version; }
@test "unknown option: usage error" { run_case nk-summarize bad-option; }
@test "unknown report: usage error" { run_case nk-summarize bad-report; }
@test "unknown level: usage error" { run_case nk-summarize bad-level; }
@test "--top 0: usage error" { run_case nk-summarize top-zero; }
@test "--section without --by chapter: usage error" { run_case nk-summarize section-without-chapter; }

# The same rows in another order, or split over several files, give the
# same reports byte for byte (exact sums).
@test "reports do not depend on row order or on how the input is split" {
	args="-q --by year --by partner --by section --by chapter --by hs4 --by hs6 --by stage"
	run --separate-stderr nk-summarize $args "$D/small.tsv"
	assert_success
	want=$output
	for seed in 1 2 3; do
		{ head -1 "$D/small.tsv"; tail -n +2 "$D/small.tsv" | shuf --random-source=<(yes $seed); } >"$BATS_TEST_TMPDIR/s.tsv"
		run --separate-stderr nk-summarize $args "$BATS_TEST_TMPDIR/s.tsv"
		assert_success
		assert_equal "$output" "$want"
	done
	head -8 "$D/small.tsv" >"$BATS_TEST_TMPDIR/a.tsv"
	{ head -1 "$D/small.tsv"; tail -n +9 "$D/small.tsv"; } >"$BATS_TEST_TMPDIR/b.tsv"
	run --separate-stderr nk-summarize $args "$BATS_TEST_TMPDIR/b.tsv" - <"$BATS_TEST_TMPDIR/a.tsv"
	assert_success
	assert_equal "$output" "$want"
}

# The partner lines of a year and flow add up to the year report's figure,
# and their shares to 100 (within rounding).
@test "partner lines add up to the year's exports, imports and total" {
	nk-summarize -q --by year "$D/small.tsv" >"$BATS_TEST_TMPDIR/y"
	nk-summarize -q --by partner "$D/small.tsv" >"$BATS_TEST_TMPDIR/p"
	run awk -F'\t' 'FNR == 1 { next }
		NR == FNR { want[$1 "exports"] = $2; want[$1 "imports"] = $3; want[$1 "total"] = $4; next }
		{ got[$1 $2] += $5 }
		END { for (k in want) if (got[k] - want[k] > 0.0005 || want[k] - got[k] > 0.0005) { print k, got[k], want[k]; bad = 1 }
		      exit bad }' "$BATS_TEST_TMPDIR/y" "$BATS_TEST_TMPDIR/p"
	assert_success
}
