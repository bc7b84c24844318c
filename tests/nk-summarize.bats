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
@test "--level coarsest: per source, counterpart, year and flow the coarsest level counts" { run_case nk-summarize level-coarsest; }
@test "section: I..XXI in order, then 'other' (TOTAL, mou, no section)" { run_case nk-summarize section; }
@test "chapter: hs2 codes, then 'other'" { run_case nk-summarize chapter; }
@test "chapter --section V: the chapters of section V, shares of V" { run_case nk-summarize chapter-section; }
@test "hs4: unknown codes and chapter rows are 'other'" { run_case nk-summarize hs4; }
@test "hs6: the rule row without hs_rev keeps its code" { run_case nk-summarize hs6; }
@test "stage: the five stages in order, then 'other'" { run_case nk-summarize stage; }
@test "--format json: one object, a key per report, numbers and null" { run_case nk-summarize format-json; }
@test "--format md: a heading and a table per report" { run_case nk-summarize format-md; }
@test "several TSV reports are separated by an empty line" { run_case nk-summarize tsv-several; }
@test "an empty nk_flow (MOU totals): in total only, years named on stderr" { run_case nk-summarize unknown-direction; }
@test "unknown is not 0: a flow without rows is empty, rows summing to 0 give 0, derived figures follow" { run_case nk-summarize unknown-cells; }
@test "counterpart that is not ISO3 is an error" { run_case nk-summarize bad-counterpart; }
@test "section 'v' is an error" { run_case nk-summarize bad-section; }
@test "stage 'capitol' is an error" { run_case nk-summarize bad-stage; }
@test "hs4 '2701x' is an error" { run_case nk-summarize bad-hs4; }
@test "--merge of a plain stream is an error" { run_case nk-summarize merge-plain-stream; }
@test "--merge: a partial line with too few fields is an error, not a read of the line before" { run_case nk-summarize merge-short-line; }
@test "--merge without files: usage error" { run_case nk-summarize merge-nothing; }
@test "--rejects: usage error (no row is dropped)" { run_case nk-summarize partial-and-rejects; }
@test "sanction: full/partial tags, before/straddle/after (annual and monthly), cap use in value, tonnes, barrels" { run_case nk-summarize sanction; }
@test "sanctions file: unknown key (did you mean)" { run_case nk-summarize sanctions-unknown-key; }
@test "sanctions file: unknown direction (did you mean)" { run_case nk-summarize sanctions-unknown-direction; }
@test "sanctions file: unknown basis (did you mean)" { run_case nk-summarize sanctions-unknown-basis; }
@test "sanctions file: in_force before adopted" { run_case nk-summarize sanctions-in-force-before-adopted; }
@test "sanctions file: a code not in its hs_rev (77 is reserved)" { run_case nk-summarize sanctions-code-not-in-revision; }
@test "sanctions file: a 3-digit code" { run_case nk-summarize sanctions-code-3-digits; }
@test "sanctions file: hs_rev not H0..H6" { run_case nk-summarize sanctions-bad-hs-rev; }
@test "sanctions file: duplicate id" { run_case nk-summarize sanctions-duplicate-id; }
@test "sanctions file: a cap that is not a number" { run_case nk-summarize sanctions-cap-not-a-number; }
@test "sanctions file: direction cap without a cap" { run_case nk-summarize sanctions-cap-missing; }
@test "sanctions file: an anchor and alias" { run_case nk-summarize sanctions-alias; }
@test "sanctions file: a tab" { run_case nk-summarize sanctions-tab; }
@test "sanctions file: nesting 200 deep" { run_case nk-summarize sanctions-deep-nesting; }
@test "sanctions file: no source" { run_case nk-summarize sanctions-no-source; }
@test "sanctions file: 30 February" { run_case nk-summarize sanctions-bad-date; }
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

# The partner lines of a year and flow add up to the year report's figure;
# where that is empty (2018 has no inter-Korean rows, a gap in a stream that
# holds them for other years), to the figure without inter-Korean trade.
@test "partner lines add up to the year's exports, imports and total" {
	nk-summarize -q --by year "$D/small.tsv" >"$BATS_TEST_TMPDIR/y"
	nk-summarize -q --by partner "$D/small.tsv" >"$BATS_TEST_TMPDIR/p"
	run awk -F'\t' 'FNR == 1 { next }
		NR == FNR { if ($4 == "") { gap++; $2 = $10; $3 = $11; $4 = $12 }
			    want[$1 "exports"] = $2; want[$1 "imports"] = $3; want[$1 "total"] = $4; next }
		{ got[$1 $2] += $5 }
		END { for (k in want) if (want[k] == "" || got[k] - want[k] > 0.0005 || want[k] - got[k] > 0.0005) { print k, got[k], want[k]; bad = 1 }
		      if (gap != 1) { print "gap years:", gap; bad = 1 }
		      exit bad }' "$BATS_TEST_TMPDIR/y" "$BATS_TEST_TMPDIR/p"
	assert_success
}

# Partials: split the input by rows (any split), --partial each, --merge:
# the same bytes as one run, in every format; partials merged in any order
# and merged in stages (a merge of merges) too.
@test "--merge of partials equals a single run byte for byte" {
	cd "$BATS_TEST_TMPDIR"
	by="--by year --by partner --by section --by chapter --by hs4 --by hs6 --by stage"
	h=$(head -1 "$D/small.tsv")
	tail -n +2 "$D/small.tsv" | shuf --random-source=<(yes 7) >rows
	for k in 1 2 3; do { echo "$h"; awk -v k=$k 'NR % 3 == k - 1' rows; } >part$k.tsv; done
	for k in 1 2 3; do nk-summarize -q $by --partial -o p$k part$k.tsv; done
	head -1 p1 | grep -qx 'nk-summarize partial [0-9]* (nktrade [0-9.]*)'
	for fmt in tsv json md; do
		nk-summarize -q $by --top 2 --format $fmt "$D/small.tsv" >want.$fmt
		nk-summarize -q --merge --top 2 --format $fmt p1 p2 p3 >got.$fmt
		cmp want.$fmt got.$fmt
		nk-summarize -q --merge --top 2 --format $fmt p3 p1 p2 >got2.$fmt
		cmp want.$fmt got2.$fmt
	done
	nk-summarize -q --merge --partial -o p12 p1 p2
	nk-summarize -q --merge --top 2 --format tsv p12 p3 >got3.tsv
	cmp want.tsv got3.tsv
	# the level check sees the union: a TOTAL in one partial and a chapter
	# in another are the same trade counted twice
	printf 'source\tyear\ths\tvalue_usd\tcounterpart\tnk_flow\ncomtrade\t2015\tTOTAL\t5\tCHN\tX\n' >t.tsv
	printf 'source\tyear\ths\tvalue_usd\tcounterpart\tnk_flow\ncomtrade\t2015\t27\t5\tCHN\tX\n' >c.tsv
	nk-summarize -q --partial -o pt t.tsv
	nk-summarize -q --partial -o pc c.tsv
	run --separate-stderr nk-summarize -q --merge pt pc
	assert_failure 1
	[[ "$stderr" == *"counterpart 'CHN', 2015, nk_flow 'X', source 'comtrade' has rows at several levels (total,hs2)"* ]] || fail "stderr: $stderr"
	assert_output ""
}

@test "--merge: partials of another version, --by set, --level or a cut line are errors" {
	cd "$BATS_TEST_TMPDIR"
	nk-summarize -q --by year --by partner --partial -o p "$D/small.tsv"
	nk-summarize -q --by year --partial -o py "$D/small.tsv"
	nk-summarize -q --level hs6 --by year --by partner --partial -o p6 "$D/small.tsv"
	sed '1s/(nktrade [^)]*)/(nktrade 9.9.9)/' p >old
	! cmp -s p old
	run --separate-stderr nk-summarize -q --merge p old
	assert_failure 1
	assert_equal "$stderr" "nk-summarize: old:1: a partial of another version (this is '$(head -1 p)')"
	run --separate-stderr nk-summarize -q --merge p py
	assert_failure 1
	assert_equal "$stderr" "nk-summarize: py:2: a partial of --by year, not of --by year,partner: made with another report set"
	run --separate-stderr nk-summarize -q --merge --by year py p
	assert_failure 1
	assert_equal "$stderr" "nk-summarize: p:2: a partial of --by year,partner, not of --by year: made with another report set"
	run --separate-stderr nk-summarize -q --merge p p6
	assert_failure 1
	assert_equal "$stderr" "nk-summarize: p6:3: a partial made with --level hs6, not any"
	{ head -5 p; sed -n 6p p | cut -f1-5; } >cut
	run --separate-stderr nk-summarize -q --merge cut
	assert_failure 1
	assert_equal "$stderr" "nk-summarize: cut:6: not a sum line of this partial's reports"
	assert_output ""
}

# Memory is bounded by the number of groups, not by the input: 2 million
# rows (gzip, 50 kB) of the same few groups, and a gzip bomb (one line of
# 200 MB) that is an error at its line.
@test "memory: bounded by groups; a gzip bomb is a FILE:LINE error" {
	command -v /usr/bin/time >/dev/null || skip "no /usr/bin/time"
	cd "$BATS_TEST_TMPDIR"
	awk 'NR == 1 { print; next } { r[++k] = $0 } END { for (i = 0; i < 2000000; i++) print r[i % k + 1] }' \
		"$D/small.tsv" | gzip -1 >rows.gz
	/usr/bin/time -f %M -o rss nk-summarize -q --by partner --by hs6 rows.gz >/dev/null
	[ "$(cat rss)" -lt 51200 ] || fail "max RSS $(cat rss) KB"
	{ printf 'source\tyear\ths\tvalue_usd\tcounterpart\tnk_flow\n'; head -c 200000000 /dev/zero | tr '\0' x; } | gzip -1 >bomb.gz
	run --separate-stderr nk-summarize -q bomb.gz
	assert_failure 1
	assert_equal "$stderr" "nk-summarize: bomb.gz:2: line longer than 64 MiB"
	assert_output ""
}

@test "--format json is JSON (every report, and an empty input)" {
	by="--by year --by partner --by section --by chapter --by hs4 --by hs6 --by stage"
	nk-summarize -q $by --format json "$D/small.tsv" >"$BATS_TEST_TMPDIR/j"
	run python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); print(" ".join(d), sum(map(len, d.values())))' "$BATS_TEST_TMPDIR/j"
	assert_success
	assert_output --regexp '^year partner section chapter hs4 hs6 stage [0-9]+$'
	head -1 "$D/small.tsv" | nk-summarize -q $by --format json >"$BATS_TEST_TMPDIR/e"
	run python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); print(sum(map(len, d.values())))' "$BATS_TEST_TMPDIR/e"
	assert_output 0
}

@test "the shipped rules/sanctions.yaml loads; every entry has a basis and a source" {
	run --separate-stderr nk-summarize -q --by sanction "$D/sanc.tsv"
	assert_success
	run grep -c '^  - id: ' "$NK_ROOT/rules/sanctions.yaml"
	n=$output
	[ "$n" -ge 20 ]
	[ "$(grep -c '^    basis: \(stated\|list\|reading\)$' "$NK_ROOT/rules/sanctions.yaml")" -eq "$n" ]
	[ "$(grep -c '^    source: "S/RES/[0-9]* ([0-9]*)' "$NK_ROOT/rules/sanctions.yaml")" -eq "$n" ]
}

@test "--by sanction: partials merge into the same report; another sanctions file is an error" {
	cd "$BATS_TEST_TMPDIR"
	s="--sanctions $D/sanctions.yaml"
	h=$(head -1 "$D/sanc.tsv")
	{ echo "$h"; sed -n '2,8p' "$D/sanc.tsv"; } >a.tsv
	{ echo "$h"; tail -n +9 "$D/sanc.tsv"; } >b.tsv
	nk-summarize -q --by year --by sanction $s "$D/sanc.tsv" >want
	nk-summarize -q --by year --by sanction $s --partial -o pa a.tsv
	nk-summarize -q --by year --by sanction $s --partial -o pb b.tsv
	nk-summarize -q --merge $s pb pa >got
	cmp want got
	sed 's/test-refined-cap/test-refined-cap2/' "$D/sanctions.yaml" >other.yaml
	run --separate-stderr nk-summarize -q --merge --sanctions other.yaml pa pb
	assert_failure 1
	[[ "$stderr" == "nk-summarize: pa:5: a partial made with another sanctions file"* ]] || fail "$stderr"
}

# The crude-oil rows nk-correct adds (source rule, no hs_rev, made after
# nk-normalize-hs) land in section V, chapter 27, 270900 and stage
# intermediate once nk-normalize-hs --rev-by-year runs again (the default
# pipeline's stage 5); without it they have no stage ('other').
@test "crude-oil rows added by nk-correct: section V, chapter 27, hs6 270900, stage intermediate" {
	f=$NK_ROOT/tests/data/nk-correct/chn-deu-usa-prk-kor-2022.tsv
	nk-normalize-hs -q "$f" | nk-correct -q - 2>/dev/null >"$BATS_TEST_TMPDIR/c.tsv"
	added=$(awk -F'\t' '$1 == "rule" && $2 == 2022 { print $11 }' "$BATS_TEST_TMPDIR/c.tsv")
	[ -n "$added" ] && [ "$added" != 0 ]
	run --separate-stderr sh -c "nk-normalize-hs -q --rev-by-year '$BATS_TEST_TMPDIR/c.tsv' |
		nk-summarize -q --by stage --by section --by chapter --by hs6"
	assert_success
	for k in intermediate V 27 270900; do
		printf '%s\n' "$output" | grep -qxF "$(printf '2022\timports\t%s\t%s\t' "$k" "$added")"* ||
		printf '%s\n' "$output" | grep -q "^2022	imports	$k	$added	" || fail "no '2022 imports $k $added' line"
	done
	run --separate-stderr sh -c "nk-normalize-hs -q '$BATS_TEST_TMPDIR/c.tsv' | nk-summarize -q --by stage"
	printf '%s\n' "$output" | grep -q "^2022	imports	other	" # no stage without --rev-by-year
}

# --level coarsest decides per group at the end: partials carry the waiting
# sums, so a TOTAL in one partial still outranks chapters in another.
@test "--level coarsest: partials merge into the same report, the decision taken on the merged state" {
	cd "$BATS_TEST_TMPDIR"
	in=$NK_ROOT/tests/cases/nk-summarize/level-coarsest/stdin
	h=$(head -1 "$in")
	{ echo "$h"; sed -n '2p;6p;9p' "$in"; } >a.tsv
	{ echo "$h"; sed -n '3,5p;7,8p;10,12p' "$in"; } >b.tsv
	by="--level coarsest --by year --by partner"
	nk-summarize -q $by "$in" >want
	nk-summarize -q $by --partial -o pa a.tsv
	nk-summarize -q $by --partial -o pb b.tsv
	nk-summarize -q --merge pa pb >got
	cmp want got
	nk-summarize -q --merge pb pa >got2
	cmp want got2
	nk-summarize -q --merge --partial -o pab pa pb
	nk-summarize -q --merge pab >got3
	cmp want got3
	# b alone (no TOTAL) counts the chapter rows: the merge must not
	run nk-summarize -q --merge pb
	[ "$output" != "$(cat want)" ]
}

# Cells without rows are decided on the merged state: a partition without
# any inter-Korean row, or without a year's exports, must not make its years
# look complete (or empty) once merged. The case's years split over two
# partials, one of them without mou rows.
@test "--merge with unknown cells: partials by year equal the single run; a partial alone differs" {
	cd "$BATS_TEST_TMPDIR"
	in=$NK_ROOT/tests/cases/nk-summarize/unknown-cells/stdin
	by="--by year --by partner"
	awk -F'\t' 'NR == 1 || $2 == 2016 || $2 == 2017' "$in" >a.tsv
	awk -F'\t' 'NR == 1 || ($2 != 2016 && $2 != 2017)' "$in" >b.tsv
	grep -q '^mou' a.tsv
	! grep -q '^mou' <(awk -F'\t' '$2 == 2017' "$in")
	for fmt in tsv json md; do
		nk-summarize -q $by --top 1 --format $fmt "$in" >want.$fmt
		nk-summarize -q $by --partial -o pa a.tsv
		nk-summarize -q $by --partial -o pb b.tsv
		nk-summarize -q --merge --top 1 --format $fmt pb pa >got.$fmt
		cmp want.$fmt got.$fmt
	done
	# 2017: exports 0 from two rows (a real 0), the figures with inter-Korean
	# trade empty (no mou row that year, in a stream that has them)
	run awk -F'\t' '$1 == 2017' want.tsv
	assert_line --index 0 "$(printf '2017\t\t\t\t\t\t\t\t\t0\t30\t30\t-30\t\t\t')"
	# the partition alone (2016-2017, its mou row of 2016 only) says the same of 2017
	nk-summarize -q --merge pa >alone.tsv
	grep -qxF "$(printf '2017\t\t\t\t\t\t\t\t\t0\t30\t30\t-30\t\t\t')" alone.tsv
	# a partition of 2017 alone has no mou row anywhere: its exports are known
	awk -F'\t' 'NR == 1 || $2 == 2017' "$in" >c.tsv
	run nk-summarize -q --by year c.tsv
	assert_line --index 1 "$(printf '2017\t0\t30\t30\t-30\t\t\t\t\t0\t30\t30\t-30\t\t\t')"
	# md shows an empty number as an en dash and says what it means
	grep -q '^| 2017 | – | – |' want.md
	grep -q '^– no figure: ' want.md
}

@test "summary names the years whose cells are empty for want of rows, the same after a merge" {
	cd "$BATS_TEST_TMPDIR"
	in=$NK_ROOT/tests/cases/nk-summarize/unknown-cells/stdin
	want="nk-summarize: no rows, so empty cells (unknown, not 0): partners' exports 2016, 2019; partners' imports 2019; inter-Korean (source mou) 2017"
	run --separate-stderr nk-summarize --by partner --by year "$in"
	assert_success
	assert_equal "$(printf '%s\n' "$stderr" | tail -1)" "$want"
	awk -F'\t' 'NR == 1 || $2 == 2017' "$in" >a.tsv
	awk -F'\t' 'NR == 1 || $2 != 2017' "$in" >b.tsv
	nk-summarize -q --by year --partial -o pa a.tsv
	nk-summarize -q --by year --partial -o pb b.tsv
	run --separate-stderr nk-summarize --merge pa pb
	assert_success
	assert_equal "$(printf '%s\n' "$stderr" | tail -1)" "$want"
	# 2017 alone: no mou row anywhere, so no inter-Korean gap
	run --separate-stderr nk-summarize --merge pa
	assert_equal "$(printf '%s\n' "$stderr" | grep -c 'no rows, so empty')" 0
}
