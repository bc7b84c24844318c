#!/usr/bin/env bats
# nk-normalize-hs: code restoration and checks, sections, stages, conversion.
# Fixture sources: tests/cases/nk-normalize-hs/SOURCES.md.
load lib/common

@test "real crude-oil rows (270900, H0-H5) are ok, section V, intermediate" { run_case nk-normalize-hs real-crude; }
@test "real chapter-level rows (27, 44) are aggregates with names"   { run_case nk-normalize-hs real-chapters; }
@test "real H6 TOTAL rows are aggregates with empty splits"          { run_case nk-normalize-hs real-total-h6; }
@test "stage on real codes (270900, 610910, 842911, 8703, 2710)"     { run_case nk-normalize-hs stages; }
@test "--motor-spirit=consumption: BEC 32 codes stay mixed"         { run_case nk-normalize-hs stages-motor-spirit; }
@test "leading zeros restored and checked per revision"              { run_case nk-normalize-hs restore; }
@test "every revision H0..H6 has its own nomenclature"               { run_case nk-normalize-hs every-revision; }
@test "summary counts statuses and stages"                           { run_case nk-normalize-hs summary; }
@test "--strict: unknown code is an error"                           { run_case nk-normalize-hs strict-unknown; }
@test "non-numeric code is an error with FILE:LINE"                  { run_case nk-normalize-hs bad-nonnumeric; }
@test "code of impossible length is an error"                        { run_case nk-normalize-hs bad-length; }
@test "unknown hs_rev is an error"                                   { run_case nk-normalize-hs bad-rev; }
@test "empty code is an error"                                       { run_case nk-normalize-hs bad-empty-code; }
@test "missing hs_rev column is an error"                            { run_case nk-normalize-hs missing-column; }
@test "--to: 1:n split in equal shares, exact, remainder to first"   { run_case nk-normalize-hs split; }
@test "--to --weights: weighted split"                               { run_case nk-normalize-hs split-weights; }
@test "--weights naming a link not in the table is an error"         { run_case nk-normalize-hs weights-bad-link; }
@test "--weights without --to is a usage error"                      { run_case nk-normalize-hs weights-without-to; }
@test "--to H0 chains H6->H5->...->H0"                               { run_case nk-normalize-hs chain-down; }
@test "--to H6 chains H0->H1->...->H6"                               { run_case nk-normalize-hs chain-up; }
@test "--to: aggregates, unknown codes, empty hs_rev not converted"  { run_case nk-normalize-hs to-not-converted; }
@test "--to: an amount passed 1:1 is checked (value_usd NaN, H0->H6)" { run_case nk-normalize-hs to-bad-value; }
@test "--to: an amount passed 1:1 is checked (netwgt_kg 12,5, H5->H6)" { run_case nk-normalize-hs to-bad-netwgt; }
@test "header only gives header only"                                { run_case nk-normalize-hs header-only; }
@test "missing data directory stops before output"                   { run_case nk-normalize-hs no-data-dir; }
@test "--help"                                                       { run_case nk-normalize-hs help; }
@test "--version"                                                    { run_case nk-normalize-hs version; }
@test "unknown option is a usage error (2)"                          { run_case nk-normalize-hs bad-option; }
@test "--to H9 is a usage error"                                     { run_case nk-normalize-hs bad-to; }
@test "--motor-spirit=petrol is a usage error"                       { run_case nk-normalize-hs bad-motor; }
@test "--rev-by-year: an empty hs_rev is checked against the revision of the row's year" { run_case nk-normalize-hs rev-by-year; }

# sum of a decimal column in thousandths, exactly (python ints)
sum_col() {
	python3 -c '
import sys
col = sys.argv[1]; rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[2])]
i = rows[0].index(col); t = 0
for r in rows[1:]:
    v = r[i]; neg = v.startswith("-"); v = v.lstrip("-")
    a, _, b = v.partition("."); n = int(a) * 1000 + int((b + "000")[:3])
    t += -n if neg else n
print(t)' "$1" "$2"
}

@test "a 1:1019 split (H6 854999 -> H5) sums exactly to the original" {
	in=$BATS_TEST_TMPDIR/in.tsv out=$BATS_TEST_TMPDIR/out.tsv
	printf 'hs_rev\ths\tvalue_usd\tnetwgt_kg\tqty\nH6\t854999\t1000000.001\t-7.777\t1\n' >"$in"
	run --separate-stderr nk-normalize-hs -q --to H5 -o "$out" "$in"
	assert_success
	assert_equal "$(($(wc -l <"$out") - 1))" 1019
	assert_equal "$(sum_col value_usd "$out")" 1000000001
	assert_equal "$(sum_col netwgt_kg "$out")" -7777
	assert_equal "$(sum_col qty "$out")" 1000
	# deterministic: the same bytes twice
	nk-normalize-hs -q --to H5 "$in" | cmp - "$out"
}

@test "a chained split (H6 -> H0) sums exactly and is byte-identical on rerun" {
	in=$BATS_TEST_TMPDIR/in.tsv
	awk -F'\t' 'BEGIN{print "hs_rev\ths\tvalue_usd"} NR>1 && $1=="H6" {print "H6\t" $2 "\t" NR ".123"}' \
		"$NK_ROOT/data/hs/nomenclature.tsv" >"$in"
	nk-normalize-hs -q --to H0 "$in" >"$BATS_TEST_TMPDIR/a"
	nk-normalize-hs -q --to H0 "$in" >"$BATS_TEST_TMPDIR/b"
	cmp "$BATS_TEST_TMPDIR/a" "$BATS_TEST_TMPDIR/b"
	assert_equal "$(sum_col value_usd "$BATS_TEST_TMPDIR/a")" "$(sum_col value_usd "$in")"
	# every output row is an H0 code (or a code that could not be converted)
	run awk -F'\t' 'NR>1 && $1!="H0" && $NF!="none"' "$BATS_TEST_TMPDIR/a"
	assert_output ""
}

@test "running the stage twice replaces its columns in place" {
	in=$NK_ROOT/tests/cases/nk-normalize-hs/restore/stdin
	nk-normalize-hs -q --names "$in" >"$BATS_TEST_TMPDIR/once"
	nk-normalize-hs -q --names "$BATS_TEST_TMPDIR/once" >"$BATS_TEST_TMPDIR/twice"
	# second pass sees restored codes in hs6, not hs: compare all but hs_status
	run diff <(cut -f1-20,22- "$BATS_TEST_TMPDIR/once") <(cut -f1-20,22- "$BATS_TEST_TMPDIR/twice")
	assert_success
	assert_equal "$(head -1 "$BATS_TEST_TMPDIR/twice" | tr '\t' '\n' | grep -c '^hs6$')" 1
}

# a private copy of the tables to break or change
copy_data() {
	d=$BATS_TEST_TMPDIR/data
	mkdir -p "$d/hs"
	cp "$NK_ROOT"/data/hs/*.tsv "$d/hs/"
}

@test "--motor-spirit switches the class of BEC 321" {
	copy_data
	sed -i 's/^H6\t271012\t32$/H6\t271012\t321/' "$d/hs/nomenclature.tsv"
	in=$BATS_TEST_TMPDIR/in.tsv
	printf 'hs_rev\ths\nH6\t271012\n' >"$in"
	run --separate-stderr nk-normalize-hs -q --data-dir "$d" "$in"
	assert_success
	assert_equal "$(printf '%s\n' "$output" | tail -1)" "$(printf 'H6\t271012\t271012\t2710\t27\tV\tok\t321\tunclassified')"
	run --separate-stderr nk-normalize-hs -q --data-dir "$d" --motor-spirit=consumption "$in"
	assert_success
	assert_equal "$(printf '%s\n' "$output" | tail -1)" "$(printf 'H6\t271012\t271012\t2710\t27\tV\tok\t321\tconsumption')"
}

@test "a correlation link with a code in neither revision stops the tool, no -o file" {
	copy_data
	printf 'H6\t999998\tH5\t270900\t1:1\n' >>"$d/hs/correlation.tsv"
	n=$(wc -l <"$d/hs/correlation.tsv")
	run --separate-stderr nk-normalize-hs --data-dir "$d" --to H5 -o "$BATS_TEST_TMPDIR/out.tsv" \
		"$NK_ROOT/tests/cases/nk-normalize-hs/real-crude/stdin"
	assert_failure 1
	assert_equal "$stderr" "nk-normalize-hs: $d/hs/correlation.tsv:$n: field 'hs_new': code not in the H6 nomenclature: '999998'"
	assert_file_not_exists "$BATS_TEST_TMPDIR/out.tsv"
}

@test "a BEC code with no class stops the tool" {
	copy_data
	sed -i 's/^H6\t270900\t31$/H6\t270900\t99/' "$d/hs/nomenclature.tsv"
	run --separate-stderr nk-normalize-hs --data-dir "$d" "$NK_ROOT/tests/cases/nk-normalize-hs/real-crude/stdin"
	assert_failure 1
	assert_output ""
	[[ $stderr == *"nomenclature.tsv:"*": field 'bec4': BEC code not in bec4_class.tsv: '99'" ]]
}

@test "NK_DATADIR finds the tables" {
	copy_data
	mkdir -p "$BATS_TEST_TMPDIR/share"
	mv "$d" "$BATS_TEST_TMPDIR/share/data"
	sed -i 's/^H6\t270900\t31$/H6\t270900\t41/' "$BATS_TEST_TMPDIR/share/data/hs/nomenclature.tsv"
	printf 'hs_rev\ths\nH6\t270900\n' >"$BATS_TEST_TMPDIR/in.tsv"
	NK_DATADIR=$BATS_TEST_TMPDIR/share run --separate-stderr nk-normalize-hs -q "$BATS_TEST_TMPDIR/in.tsv"
	assert_success
	[[ $output == *$'\t41\tcapital' ]]
}

@test "--rejects gets a header and no rows (nothing is dropped)" {
	run --separate-stderr nk-normalize-hs -q --rejects "$BATS_TEST_TMPDIR/rej.tsv" \
		"$NK_ROOT/tests/cases/nk-normalize-hs/restore/stdin"
	assert_success
	assert_equal "$(wc -l <"$BATS_TEST_TMPDIR/rej.tsv")" 1
	assert_equal "$(printf '%s\n' "$output" | wc -l)" 11
}

@test "the shipped tables are what data/hs/build.py derives from data/hs/src" {
	run python3 "$NK_ROOT/data/hs/build.py" --check
	assert_success
}

@test "a write error at the close prints the error and no summary (the counts come after the checked close)" {
	run --separate-stderr bash -c "exec nk-normalize-hs '$NK_ROOT/tests/cases/nk-normalize-hs/restore/stdin' >/dev/full"
	assert_failure 1
	assert_equal "$stderr" "nk-normalize-hs: write error: standard output: No space left on device"
	run --separate-stderr nk-normalize-hs "$NK_ROOT/tests/cases/nk-normalize-hs/restore/stdin"
	assert_success
	[[ $stderr == "nk-normalize-hs: rows 10: "* ]]
}

@test "each allocation failing in turn: exit 1 'out of memory' or success, never a crash" {
	[[ $NK_BIN != */asan/* ]] || skip "the LD_PRELOAD shim cannot go before ASan's runtime"
	so=$NK_ROOT/build/test/failalloc.so
	in=$BATS_TEST_TMPDIR/in.tsv
	printf 'hs_rev\ths\tvalue_usd\nH6\t854999\t10\nH5\t30111\t3\n' >"$in"
	# --names: the section and chapter names; no --to: the fast path's cache
	for args in "--names --to H5" "--names"; do
		NK_ALLOC_COUNT=$BATS_TEST_TMPDIR/count LD_PRELOAD=$so nk-normalize-hs -q $args "$in" >/dev/null
		calls=$(cat "$BATS_TEST_TMPDIR/count")
		[ "$calls" -gt 100 ] || fail "only $calls allocations counted: is the shim working?"
		for n in $(seq 1 "$calls"); do
			run --separate-stderr env NK_FAIL_ALLOC=$n LD_PRELOAD="$so" nk-normalize-hs -q $args "$in"
			[ "$status" -eq 0 ] && continue
			[ "$status" -eq 1 ] || fail "$args, allocation $n failing: exit $status"
			[[ $stderr == "nk-normalize-hs: out of memory"* ]] || fail "$args, allocation $n failing: $stderr"
		done
	done
}

@test "tables are read by column name: reordered columns and an extra one give the same output" {
	copy_data
	for t in nomenclature sections chapters bec4_class correlation; do
		awk -F'\t' 'BEGIN { OFS = "\t" } { $0 = (NR == 1 ? "note" : "x") OFS $0; n = $2; $2 = $NF; $NF = n; print }' \
			"$NK_ROOT/data/hs/$t.tsv" >"$d/hs/$t.tsv"
	done
	head -2 "$d/hs/sections.tsv" | tail -1 | grep -q '^x	' # the columns did move
	in=$NK_ROOT/tests/cases/nk-normalize-hs/restore/stdin
	run --separate-stderr nk-normalize-hs -q --names --to H0 --data-dir "$d" "$in"
	assert_success
	assert_equal "$output" "$(nk-normalize-hs -q --names --to H0 "$in")"
	# the weights file too
	w=$NK_ROOT/tests/cases/nk-normalize-hs/split-weights
	awk -F'\t' 'BEGIN { OFS = "\t" } { print $5, $4, $3, $2, $1 }' "$w/w.tsv" >"$BATS_TEST_TMPDIR/w.tsv"
	run --separate-stderr nk-normalize-hs -q --to H4 --weights "$BATS_TEST_TMPDIR/w.tsv" "$w/stdin"
	assert_success
	assert_equal "$output" "$(cat "$w/stdout")"
}

@test "a table missing a column, or with a bad row, stops the tool with FILE:LINE" {
	copy_data
	cut -f1,2 "$NK_ROOT/data/hs/nomenclature.tsv" >"$d/hs/nomenclature.tsv"
	run --separate-stderr nk-normalize-hs -q --data-dir "$d" "$NK_ROOT/tests/cases/nk-normalize-hs/real-crude/stdin"
	assert_failure 1
	assert_output ""
	assert_equal "$stderr" "nk-normalize-hs: $d/hs/nomenclature.tsv: missing required column 'bec4'"
	cp "$NK_ROOT/data/hs/nomenclature.tsv" "$d/hs/"
	printf 'XXI\t97\t97\tWorks of art\textra\n' >>"$d/hs/sections.tsv"
	run --separate-stderr nk-normalize-hs -q --data-dir "$d" "$NK_ROOT/tests/cases/nk-normalize-hs/real-crude/stdin"
	assert_failure 1
	assert_equal "$stderr" "nk-normalize-hs: $d/hs/sections.tsv:23: expected 4 fields (as in the header), found 5"
}
