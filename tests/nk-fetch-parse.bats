#!/usr/bin/env bats
# nk-fetch-parse: formats, the DPRK slice, the guards, bad input.
# Inputs are in tests/cases/nk-fetch-parse/_data/ (real files, real subsets
# and files derived from real rows; see SOURCES.md there) and data/comtrade/.
load lib/common

D=$NK_ROOT/tests/cases/nk-fetch-parse/_data

@test "real sample: the DPRK slice (CHN M, CHN X, USA M)"  { run_case nk-fetch-parse real-sample-dprk; }
@test "real subset (Latin-1, CRLF, trailing comma): DPRK slice" { run_case nk-fetch-parse real-subset-dprk; }
@test "--with-partner KOR adds partner 410 rows"           { run_case nk-fetch-parse with-partner-kor; }
@test "--all: World rows removed, counted, in --rejects"   { run_case nk-fetch-parse all-world-guard; }
@test "--keep-world keeps partner World"                   { run_case nk-fetch-parse keep-world; }
@test "Latin-1 detected and transcoded to UTF-8"           { run_case nk-fetch-parse latin1-auto; }
@test "--encoding=utf-8 on Latin-1 text is an error"       { run_case nk-fetch-parse latin1-forced-utf8; }
@test "--reporter and --partner (ISO3 and M49) both apply" { run_case nk-fetch-parse reporter-and-partner; }
@test "guards: partner2, mot, customs, sub-flow, non-HS, World" { run_case nk-fetch-parse guards; }
@test "guards can be turned off"                           { run_case nk-fetch-parse guards-off; }
@test "area codes: 842 490 251 699 757 579 711 DDR SUN YUG, unknown kept" { run_case nk-fetch-parse area-codes; }
@test "quoted field with \"\", comma, newline, TAB"        { run_case nk-fetch-parse quoting; }
@test "not a number: '12,5'"                               { run_case nk-fetch-parse bad-number; }
@test "--keep-going counts the bad row and writes it to --rejects" { run_case nk-fetch-parse bad-number-keep-going; }
@test "negative value"                                     { run_case nk-fetch-parse bad-negative; }
@test "year outside 1962..next year"                       { run_case nk-fetch-parse bad-year; }
@test "wrong number of fields"                             { run_case nk-fetch-parse bad-fields; }
@test "rows outside the slice are field-counted too (a comma inside quotes is not a separator)" { run_case nk-fetch-parse bad-fields-outside; }
@test "--keep-going: a bad row outside the slice is counted as bad, the valid one as outside" { run_case nk-fetch-parse bad-fields-outside-keep-going; }
@test "required column missing: the format and column named" { run_case nk-fetch-parse bad-missing-column; }
@test "a column named twice is an error naming both"       { run_case nk-fetch-parse bad-dup-column; }
@test "a column named twice, in other capitals, too"       { run_case nk-fetch-parse bad-dup-column-case; }
@test "a NUL byte inside a quoted field of a DPRK row"     { run_case nk-fetch-parse bad-nul; }
@test "unterminated quote at end of file"                  { run_case nk-fetch-parse bad-unterminated; }
@test "unknown format names the expected headers"          { run_case nk-fetch-parse bad-unknown-format; }
@test "truncated gzip is an error"                         { run_case nk-fetch-parse bad-truncated-gzip; }
@test "gzip with a wrong CRC-32 is an error"               { run_case nk-fetch-parse bad-gzip-checksum; }
@test "missing input file"                                 { run_case nk-fetch-parse no-such-file; }
@test "empty input"                                        { run_case nk-fetch-parse empty-input; }
@test "- reads stdin between files"                        { run_case nk-fetch-parse stdin-dash; }
@test "unknown option is a usage error (2)"                { run_case nk-fetch-parse bad-option; }
@test "unknown area code in a selection is a usage error"  { run_case nk-fetch-parse bad-code; }
@test "DOTS: a year column that is not a year"             { run_case nk-fetch-parse dots-bad-year; }
@test "DOTS: a value that is not a number, named by its year" { run_case nk-fetch-parse dots-bad-number; }
@test "DOTS: --keep-going counts the bad value, keeps the row's other years" { run_case nk-fetch-parse dots-bad-number-keep-going; }
@test "DOTS: no indicator column"                          { run_case nk-fetch-parse dots-no-indicator; }
@test "DOTS: a Status row without its Value row"           { run_case nk-fetch-parse dots-status-alone; }
@test "pandas: an unnamed column that is not first"        { run_case nk-fetch-parse pandas-index-second; }
@test "pandas: the index column last"                      { run_case nk-fetch-parse pandas-index-last; }
@test "totals: an unknown country name"                    { run_case nk-fetch-parse totals-unknown-name; }
@test "totals: --keep-going counts the unknown name"       { run_case nk-fetch-parse totals-unknown-name-keep-going; }
@test "totals: no --flow is a usage error saying why"      { run_case nk-fetch-parse totals-no-flow; }
@test "totals: a date that is not a year's"                { run_case nk-fetch-parse totals-bad-date; }
@test "--help"                                             { run_case nk-fetch-parse help; }
@test "--version"                                          { run_case nk-fetch-parse version; }
@test "legacy: 'No data matches your query' is recognised" { run_case nk-fetch-parse legacy-nodata; }
@test "legacy 35 columns, letter flows (DX/FM removed), W00" { run_case nk-fetch-parse legacy-letterflows; }
@test "legacy 35 columns, numeric flows 1-4, WLD"          { run_case nk-fetch-parse legacy-numflows; }
@test "legacy 35 columns: CHN crude to DPRK 2013 (qty under 'Alt Qty Unit')" { run_case nk-fetch-parse legacy-crude-2013; }
@test "legacy 22 columns: CHN chapter 27 with DPRK"       { run_case nk-fetch-parse legacy-22col; }
@test "Comtrade Plus API JSON, compact"                    { run_case nk-fetch-parse json-compact; }
@test "Comtrade Plus API JSON, pretty"                     { run_case nk-fetch-parse json-pretty; }
@test "legacy API JSON is refused with a clear message"    { run_case nk-fetch-parse json-legacy-api; }

@test "real sample: China 2022 M 133677748 and X 894039906 (issue 4)" {
	run --separate-stderr nk-fetch-parse -q "$NK_ROOT/data/comtrade/TradeData_2022_CHN-DEU-USA_TOTAL_by_partner.csv"
	assert_success
	m=$(printf '%s\n' "$output" | awk -F'\t' '$4=="CHN" && $6=="PRK" && $8=="M" {print $11}')
	x=$(printf '%s\n' "$output" | awk -F'\t' '$4=="CHN" && $6=="PRK" && $8=="X" {print $11}')
	[ "$m" = 133677748 ]
	[ "$x" = 894039906 ]
}

@test "output keeps the contract (nk-validate --contract)" {
	run --separate-stderr bash -c "nk-fetch-parse -q --all --keep-world '$D/plus-real-subset.csv' '$D/legacy-numflows-subset.csv' | nk-validate -c -n"
	assert_success
}

@test "-o is atomic: an error leaves no file" {
	out=$BATS_TEST_TMPDIR/out.tsv
	run --separate-stderr nk-fetch-parse -o "$out" "$D/plus-real-subset.csv" "$D/bad-number.csv"
	assert_failure 1
	assert_file_not_exists "$out"
	run --separate-stderr nk-fetch-parse -q -o "$out" "$D/plus-real-subset.csv"
	assert_success
	assert_file_exists "$out"
	[ "$(wc -l <"$out")" = 4 ]
}

@test "gzip input gives the same rows as plain input" {
	gzip -c "$D/plus-real-subset.csv" >"$BATS_TEST_TMPDIR/s.csv.gz"
	run --separate-stderr nk-fetch-parse -q --all "$D/plus-real-subset.csv"
	plain=$output
	run --separate-stderr nk-fetch-parse -q --all "$BATS_TEST_TMPDIR/s.csv.gz"
	assert_success
	[ "$output" = "$plain" ]
}

@test "--rejects: every guard's row with its reason and rule, file and line" {
	rej=$BATS_TEST_TMPDIR/rej.tsv
	run --separate-stderr nk-fetch-parse -q --rejects "$rej" "$D/plus-guards.csv"
	assert_success
	[ "$(head -1 "$rej" | cut -f21-)" = "$(printf 'reason\trule\tfile\tline')" ]
	[ "$(tail -n +2 "$rej" | cut -f22,24 | tr '\t\n' ' ;')" = "partner2 3;mot 4;customs 5;subflow 6;classification 7;world 8;" ]
	# the flow column keeps what the source said (FM)
	[ "$(awk -F'\t' '$22=="subflow" {print $8}' "$rej")" = FM ]
}

@test "--rejects: World rows under --all" {
	rej=$BATS_TEST_TMPDIR/rej.tsv
	run --separate-stderr nk-fetch-parse -q --all --rejects "$rej" -o "$BATS_TEST_TMPDIR/out.tsv" "$D/plus-real-subset.csv"
	assert_success
	[ "$(tail -n +2 "$rej" | awk -F'\t' '$22=="world" && $6=="WLD"' | wc -l)" = 6 ]
	[ "$(wc -l <"$BATS_TEST_TMPDIR/out.tsv")" = 50 ]
}

@test "--keep-going: the bad row goes to --rejects with its reason" {
	rej=$BATS_TEST_TMPDIR/rej.tsv
	run --separate-stderr nk-fetch-parse -q --keep-going --rejects "$rej" "$D/bad-number.csv"
	assert_success
	[ "$(printf '%s\n' "$output" | wc -l)" = 2 ]
	[ "$(tail -n +2 "$rej" | cut -f11,21,24)" = "$(printf "12,5\tfield 'primaryValue': not a number\t3")" ]
}

@test "--keep-going: a NUL row is counted, its reject has U+FFFD for the NUL" {
	rej=$BATS_TEST_TMPDIR/rej.tsv
	run --separate-stderr nk-fetch-parse -q --keep-going --rejects "$rej" "$D/bad-nul.csv"
	assert_success
	[ "$(printf '%s\n' "$output" | wc -l)" = 2 ]
	[ "$(tail -n +2 "$rej" | cut -f19,21,24)" = "$(printf "All\357\277\275Commodities\tfield 'cmdDesc': NUL byte (the contract allows none)\t3")" ]
	run nk-validate -c -q "$rej"
	assert_success
}

@test "-o /dev/null writes in place and leaves the device alone" {
	run --separate-stderr nk-fetch-parse -q -o /dev/null "$D/plus-real-subset.csv"
	assert_success
	[ -c /dev/null ]
}

@test "BACI (HS from the file name, v and q x 1000)"        { run_case nk-fetch-parse baci; }
@test "BACI: --hs-rev when the file name does not say"      { run_case nk-fetch-parse baci-hs-rev-option; }
@test "Comtrade Plus bulk TSV, gzip, CIFValue capitalisation" { run_case nk-fetch-parse bulk-tsv-gzip; }

# The same real facts converted into each format (make-fixtures.py, part 6)
# must give the same rows; only `source` differs between Plus and legacy.
@test "identity: Plus CSV = bulk TSV.gz = API JSON = legacy 35 columns" {
	F=$D/formats
	run --separate-stderr nk-fetch-parse -q --all --keep-world "$D/plus-real-subset.csv"
	assert_success
	want=$(printf '%s\n' "$output" | cut -f2-)
	[ "$(printf '%s\n' "$want" | wc -l)" = 56 ]
	for f in "$F/same-bulk.txt.gz" "$F/same-api.json" "$F/same-legacy35.csv"; do
		run --separate-stderr nk-fetch-parse -q --all --keep-world "$f"
		assert_success
		[ "$(printf '%s\n' "$output" | cut -f2-)" = "$want" ] || fail "$f differs"
	done
}

@test "identity: legacy 35 columns = legacy 22 columns = BACI (exports)" {
	F=$D/formats
	run --separate-stderr nk-fetch-parse -q --all "$D/comtrade_2013_156_CHN_270900_all_partners.csv"
	assert_success
	l35=$output
	run --separate-stderr nk-fetch-parse -q --all "$F/same-legacy22.csv"
	assert_success
	[ "$output" = "$l35" ]
	want=$(printf '%s\n' "$l35" | awk -F'\t' 'NR==1 || $8=="X"' | cut -f2-11,14)
	[ "$(printf "%s\n" "$want" | wc -l)" = 6 ]
	run --separate-stderr nk-fetch-parse -q --all "$F/BACI_HS12_Y2013_V202401.csv"
	assert_success
	[ "$(printf '%s\n' "$output" | cut -f2-11,14)" = "$want" ]
}

@test "JSON whose count differs from its records is an error" {
	printf '{"count":3,"data":[]}' >"$BATS_TEST_TMPDIR/t.json"
	run --separate-stderr nk-fetch-parse "$BATS_TEST_TMPDIR/t.json"
	assert_failure 1
	assert_equal "$stderr" "nk-fetch-parse: $BATS_TEST_TMPDIR/t.json: 'count' is 3 but 'data' holds 0 records (truncated response?)"
}

@test "truncated JSON is an error" {
	head -c 2000 "$D/formats/same-api.json" >"$BATS_TEST_TMPDIR/t.json"
	run --separate-stderr nk-fetch-parse "$BATS_TEST_TMPDIR/t.json"
	assert_failure 1
	[[ "$stderr" == *"not valid JSON"* ]]
}

# --- API JSON, read as it streams (tools/lib/json.c) ---
# rec: the real DEU<-KOR 2022 record of formats/same-api.json (primaryValue
# and cifvalue 14121885217.018); variants below change one thing in it.
json_rec() { grep -o '{[^{}]*14121885217\.018[^{}]*}' "$D/formats/same-api.json" | head -1; }

@test "JSON: numbers are read from their text: 14121885217.018 exact, 1.4121885217018e10 and 1E3 too (an estimated 0.0 weight is unknown)" {
	rec=$(json_rec)
	[ -n "$rec" ]
	exp=${rec/\"primaryValue\":14121885217.018/\"primaryValue\":1.4121885217018e10}
	exp=${exp/\"netWgt\":0.0/\"netWgt\":1E3}
	printf '{"count":2,"data":[%s,\n%s]}' "$rec" "$exp" >"$BATS_TEST_TMPDIR/t.json"
	run --separate-stderr nk-fetch-parse -q --all "$BATS_TEST_TMPDIR/t.json"
	assert_success
	assert_equal "$(printf '%s\n' "$output" | tail -n +2 | cut -f11,12,14)" \
		"$(printf '14121885217.018\t14121885217.018\t\n14121885217.018\t14121885217.018\t1000')"
}

@test "JSON: more than 3 decimals are rounded half to even and counted" {
	rec=$(json_rec)
	r=${rec/\"primaryValue\":14121885217.018/\"primaryValue\":2.0005}
	printf '{"count":1,"data":[%s]}' "$r" >"$BATS_TEST_TMPDIR/t.json"
	run --separate-stderr nk-fetch-parse --all "$BATS_TEST_TMPDIR/t.json"
	assert_success
	assert_equal "$(printf '%s\n' "$output" | tail -n +2 | cut -f11)" 2
	[[ $stderr == *"; 1 values rounded to 3 decimals;"* ]]
}

@test "JSON: a nested value under a key we read is an error; under another key it is skipped" {
	rec=$(json_rec)
	bad=${rec/\"cmdDesc\":\"All Commodities\"/\"cmdDesc\":\{\"en\":\"All Commodities\"\}}
	printf '{"count":1,"data":[%s]}' "$bad" >"$BATS_TEST_TMPDIR/t.json"
	run --separate-stderr nk-fetch-parse -q --all "$BATS_TEST_TMPDIR/t.json"
	assert_failure 1
	assert_equal "$stderr" "nk-fetch-parse: $BATS_TEST_TMPDIR/t.json:1: record 1: key 'cmdDesc': not a value (an object or array)"
	extra=${rec/\"customsDesc\":\"TOTAL CPC\"/\"customsDesc\":\{\"a\":[1,[2,\{\"b\":null\}]]\}}
	printf '{"count":1,"data":[%s]}' "$rec" >"$BATS_TEST_TMPDIR/plain.json"
	printf '{"count":1,"data":[%s]}' "$extra" >"$BATS_TEST_TMPDIR/extra.json"
	run --separate-stderr nk-fetch-parse -q --all "$BATS_TEST_TMPDIR/plain.json"
	assert_success
	want=$output
	run --separate-stderr nk-fetch-parse -q --all "$BATS_TEST_TMPDIR/extra.json"
	assert_success
	assert_equal "$output" "$want"
	assert_equal "$(printf '%s\n' "$output" | wc -l)" 2
}

@test "JSON: a required key null or absent, or a key given twice, is an error" {
	rec=$(json_rec)
	printf '{"count":1,"data":[%s]}' "${rec/\"refYear\":2022/\"refYear\":null}" >"$BATS_TEST_TMPDIR/t.json"
	run --separate-stderr nk-fetch-parse -q --all "$BATS_TEST_TMPDIR/t.json"
	assert_failure 1
	assert_equal "$stderr" "nk-fetch-parse: $BATS_TEST_TMPDIR/t.json:1: record 1: missing required key 'refYear' (absent or null)"
	printf '{"count":1,"data":[%s]}' "${rec/\"refYear\":2022/\"refYear\":2022,\"refYear\":2021}" >"$BATS_TEST_TMPDIR/t.json"
	run --separate-stderr nk-fetch-parse -q --all "$BATS_TEST_TMPDIR/t.json"
	assert_failure 1
	assert_equal "$stderr" "nk-fetch-parse: $BATS_TEST_TMPDIR/t.json:1: record 1: key 'refYear' given twice"
}

# The pretty answer has one field per line: records 1-4 begin on lines 5,
# 54, 103 and 152; record 3's primaryValue is on line 147.
@test "JSON: messages and --rejects name the line of the value, and the record" {
	F=$D/api_get_C_A_HS_CHN_2010_TOTAL_pretty.json
	sed '147s/6115764185.0/"12,5"/' "$F" >"$BATS_TEST_TMPDIR/t.json"
	run --separate-stderr nk-fetch-parse -q --all "$BATS_TEST_TMPDIR/t.json"
	assert_failure 1
	assert_equal "$stderr" "nk-fetch-parse: $BATS_TEST_TMPDIR/t.json:147: field 'primaryValue': not a number (record 3): '12,5'"
	rej=$BATS_TEST_TMPDIR/rej.tsv
	run --separate-stderr nk-fetch-parse -q --all -k --rejects "$rej" "$BATS_TEST_TMPDIR/t.json"
	assert_success
	assert_equal "$(tail -n +2 "$rej" | cut -f21,24)" "$(printf "field 'primaryValue': not a number (record 3)\t147")"
	# a guard's reject names the line where its record begins
	sed '167s/"partner2Code": 0,/"partner2Code": 156,/' "$F" >"$BATS_TEST_TMPDIR/g.json"
	run --separate-stderr nk-fetch-parse -q --all --rejects "$rej" "$BATS_TEST_TMPDIR/g.json"
	assert_success
	assert_equal "$(tail -n +2 "$rej" | cut -f22,24)" "$(printf "partner2\t152")"
	# a key given twice: the line of the second
	sed '58s/"refYear": 2010,/"refYear": 2010,\n "refYear": 2011,/' "$F" >"$BATS_TEST_TMPDIR/d.json"
	run --separate-stderr nk-fetch-parse -q --all "$BATS_TEST_TMPDIR/d.json"
	assert_failure 1
	assert_equal "$stderr" "nk-fetch-parse: $BATS_TEST_TMPDIR/d.json:59: record 2: key 'refYear' given twice"
}

@test "JSON: a count found wrong at the end: exit 1, -o leaves no file; stdout may hold rows" {
	rec=$(json_rec)
	printf '{"count":3,"data":[%s,%s]}' "$rec" "$rec" >"$BATS_TEST_TMPDIR/t.json"
	out=$BATS_TEST_TMPDIR/out.tsv
	run --separate-stderr nk-fetch-parse -q --all -o "$out" "$BATS_TEST_TMPDIR/t.json"
	assert_failure 1
	assert_equal "$stderr" "nk-fetch-parse: $BATS_TEST_TMPDIR/t.json: 'count' is 3 but 'data' holds 2 records (truncated response?)"
	assert_file_not_exists "$out"
	[ -z "$(ls "$BATS_TEST_TMPDIR" | grep out.tsv)" ]
	# one more record than "count" says is just as wrong
	printf '{"count":1,"data":[%s,%s]}' "$rec" "$rec" >"$BATS_TEST_TMPDIR/t.json"
	run --separate-stderr nk-fetch-parse -q --all "$BATS_TEST_TMPDIR/t.json"
	assert_failure 1
	assert_equal "$stderr" "nk-fetch-parse: $BATS_TEST_TMPDIR/t.json: 'count' is 1 but 'data' holds 2 records (truncated response?)"
}

@test "JSON: a syntax error names line, column and byte offset" {
	printf '{"count":1,\n "data":[{"refYear":2022,,}]}' >"$BATS_TEST_TMPDIR/t.json"
	run --separate-stderr nk-fetch-parse -q "$BATS_TEST_TMPDIR/t.json"
	assert_failure 1
	assert_equal "$stderr" "nk-fetch-parse: $BATS_TEST_TMPDIR/t.json:2:26: not valid JSON: invalid object key (must be a string) (byte 37)"
	assert_equal "$output" ""
}

@test "JSON: a 'data' element that is not an object, an API error, no data array" {
	printf '{"count":1,"data":[7]}' >"$BATS_TEST_TMPDIR/t.json"
	run --separate-stderr nk-fetch-parse -q "$BATS_TEST_TMPDIR/t.json"
	assert_failure 1
	assert_equal "$stderr" "nk-fetch-parse: $BATS_TEST_TMPDIR/t.json:1:21: record 1: not an object (byte 20)"
	printf '{"elapsedTime":"0.01 secs","count":0,"data":[],"error":"Invalid period"}' >"$BATS_TEST_TMPDIR/t.json"
	run --separate-stderr nk-fetch-parse -q "$BATS_TEST_TMPDIR/t.json"
	assert_failure 1
	assert_equal "$stderr" "nk-fetch-parse: $BATS_TEST_TMPDIR/t.json: the API answered with an error: Invalid period"
	printf '{"statusCode":401,"message":"Access denied"}' >"$BATS_TEST_TMPDIR/t.json"
	run --separate-stderr nk-fetch-parse -q "$BATS_TEST_TMPDIR/t.json"
	assert_failure 1
	assert_equal "$stderr" "nk-fetch-parse: $BATS_TEST_TMPDIR/t.json: unknown format: expected Comtrade Plus API JSON ({\"count\":..., \"data\":[...]})"
}

@test "JSON: gzip, a BOM, and standard input give the same rows" {
	F=$D/api_get_C_A_HS_CHN_2010_TOTAL_compact.json
	run --separate-stderr nk-fetch-parse -q --all "$F"
	assert_success
	want=$output
	[ "$(printf '%s\n' "$want" | wc -l)" = 5 ]
	gzip -c "$F" >"$BATS_TEST_TMPDIR/t.json.gz"
	{ printf '\357\273\277\n'; cat "$F"; } >"$BATS_TEST_TMPDIR/bom.json"
	for f in "$BATS_TEST_TMPDIR/t.json.gz" "$BATS_TEST_TMPDIR/bom.json"; do
		run --separate-stderr nk-fetch-parse -q --all "$f"
		assert_success
		assert_equal "$output" "$want"
	done
	run --separate-stderr nk-fetch-parse -q --all - <"$F"
	assert_success
	assert_equal "$output" "$want"
}

@test "JSON: a one-line answer longer than the longest line (64 MiB) is read, same rows as the CSV" {
	GEN=$NK_BIN/../bench/fetch-parse-gen
	[ -x "$GEN" ] || fail "no $GEN (make)"
	"$GEN" 70000 json >"$BATS_TEST_TMPDIR/a.json"
	"$GEN" 70000 >"$BATS_TEST_TMPDIR/a.csv"
	[ "$(stat -c %s "$BATS_TEST_TMPDIR/a.json")" -gt $((64 << 20)) ]
	[ "$(wc -l <"$BATS_TEST_TMPDIR/a.json")" = 0 ]
	nk-fetch-parse -q -p 408 "$BATS_TEST_TMPDIR/a.csv" >"$BATS_TEST_TMPDIR/csv.tsv"
	run --separate-stderr nk-fetch-parse -q -p 408 -o "$BATS_TEST_TMPDIR/json.tsv" "$BATS_TEST_TMPDIR/a.json"
	assert_success
	[ "$(wc -l <"$BATS_TEST_TMPDIR/json.tsv")" -gt 1000 ]
	cmp "$BATS_TEST_TMPDIR/json.tsv" "$BATS_TEST_TMPDIR/csv.tsv"
}

# Legacy names the unit, Plus abbreviates it; the legacy unit code gives the
# Plus form (UN Comtrade Reference Tables), so units agree across formats.
@test "legacy quantity units come out as Plus abbreviations (8 kg, 7 l)" {
	f=$NK_ROOT/data/comtrade/comtrade_HS6_270900_DPRK_rows_2000-2018.csv
	run --separate-stderr nk-fetch-parse -q "$f"
	assert_success
	# the real file: 38 rows with code 8 "Weight in kilograms", 2 with 7 "Volume in litres"
	[ "$(printf '%s\n' "$output" | tail -n +2 | cut -f16 | sort | uniq -c | tr -s ' ')" = " 38 kg
 2 l" ]
}

@test "legacy unit code 2 in a Latin-1 file gives UTF-8 m², not transcoded twice" {
	# derived from a real row: Qty Unit Code 8 set to 2, one Latin-1 byte (é) in a name
	src="$D/comtrade_2013_156_CHN_270900_all_partners.csv"
	{ head -1 "$src"; grep -m1 ',408,' "$src" | sed 's/,8,Weight in kilograms,/,2,Area in square metres,/; s/Korea/Cor\xe9e/'; } \
		>"$BATS_TEST_TMPDIR/l1.csv"
	run --separate-stderr nk-fetch-parse -q "$BATS_TEST_TMPDIR/l1.csv"
	assert_success
	row=$(printf '%s\n' "$output" | sed -n 2p)
	[ "$(printf '%s' "$row" | cut -f16)" = "m²" ]
	[[ "$row" == *"Corée"* ]]
}

# --- IMF DOTS bulk CSV (data/dots/, real: 1,206 lines, 2016-2018) ---
DOTS=$NK_ROOT/data/dots/DOT_timeSeries_2016-2018_PRK_rows.csv

@test "DOTS: rows per year, guards counted, sums of the partner rows (real file)" {
	run --separate-stderr nk-fetch-parse "$DOTS"
	assert_success
	# 2503 values: 669 kept, 9 outside (China-World), 12 World, 947 balance,
	# 23 imports FOB (8 countries that also have the CIF row), 168
	# aggregates, 675 rows of the DPRK's own (669 flagged e, 6 with 910)
	[[ $stderr == *"2503 rows read, 669 kept, 9 outside the slice;"*"world 12,"* ]]
	[[ $stderr == *"removed: trade balance 947, imports FOB (also given CIF) 23, aggregates 168, the DPRK's own rows (IMF estimates) 675;"* ]]
	rows=$(printf '%s\n' "$output" | tail -n +2)
	[ "$(printf '%s\n' "$rows" | cut -f1 | sort -u)" = dots ]
	# partners' exports to the DPRK (FOB) and imports from it (CIF or FOB), by year
	sums=$(printf '%s\n' "$rows" | awk -F'\t' '$6=="PRK" {n[$2 $8]++; s[$2 $8]+=$11} END {for (k in n) printf "%s %d %.0f\n", k, n[k], s[k]}' | sort)
	assert_equal "$sums" "2016M 136 3305303423
2016X 106 3485754443
2017M 135 2034909951
2017X 89 3570304647
2018M 125 712844995
2018X 78 2612740667"
	# China 2016 as published: exports FOB 3,196,804,000, imports CIF 2,706,985,000
	assert_equal "$(printf '%s\n' "$rows" | awk -F'\t' '$4=="CHN" && $2==2016 {print $8, $11, $12, $13}' | sort)" \
		"M 2706985000 2706985000 
X 3196804000  3196804000"
	# the IMF code as given, ISO3 through the shipped list
	assert_equal "$(printf '%s\n' "$rows" | awk -F'\t' '$4=="CHN"' | cut -f5,7 | sort -u)" "$(printf '924\t954')"
	# no row of the DPRK's own is left; 910 "Other Countries n.i.e." (no
	# ISO3) reports its trade with the DPRK like a country
	[ "$(printf '%s\n' "$rows" | awk -F'\t' '$4=="PRK"' | wc -l)" = 0 ]
	assert_equal "$(printf '%s\n' "$rows" | awk -F'\t' '$5=="910"' | cut -f4,5,6 | sort -u)" "$(printf '\t910\tPRK')"
	printf '%s\n' "$output" | nk-validate -c -q
}

@test "DOTS: --dots-estimates keeps the DPRK's e rows, flag e in the flag column; --rejects has every guard" {
	rej=$BATS_TEST_TMPDIR/rej.tsv
	run --separate-stderr nk-fetch-parse -q --rejects "$rej" "$DOTS"
	assert_success
	plain=$output
	[ "$(tail -n +2 "$rej" | cut -f22 | sort | uniq -c | tr -s ' ')" = " 168 aggregate
 947 balance
 675 estimate
 23 import-fob
 12 world" ]
	# the balance rows say what the source said (the indicator) in the flow column
	[ "$(awk -F'\t' '$22=="balance"' "$rej" | cut -f8 | sort -u)" = TBG_USD ]
	run --separate-stderr nk-fetch-parse -q --dots-estimates "$DOTS"
	assert_success
	[ "$(printf '%s\n' "$output" | wc -l)" = $(( $(printf '%s\n' "$plain" | wc -l) + 675 )) ]
	[ "$(printf '%s\n' "$output" | awk -F'\t' '$20=="e"' | wc -l)" = 669 ]
	[ "$(printf '%s\n' "$output" | awk -F'\t' '$20=="e" && $4!="PRK"' | wc -l)" = 0 ]
	# the DPRK's exports to China 2016 as DOTS publishes them
	[ "$(printf '%s\n' "$output" | awk -F'\t' '$4=="PRK" && $6=="CHN" && $2==2016 && $8=="X" {print $11}')" = 2553759434 ]
}

@test "DOTS: --partner CHN selects IMF 924 through its ISO3; --all keeps China-World out (World guard)" {
	run --separate-stderr nk-fetch-parse -q --reporter CHN "$DOTS"
	assert_success
	[ "$(printf '%s\n' "$output" | tail -n +2 | cut -f4,6 | sort | uniq -c | tr -s ' ')" = " 6 CHN	PRK" ]
	run --separate-stderr nk-fetch-parse --all "$DOTS"
	assert_success
	# China-World: 6 rows World, 3 balance
	[[ $stderr == *"669 kept, 0 outside the slice;"*"world 18,"*"trade balance 950,"* ]]
}

# --- Comtrade Plus answers saved by pandas (data/comtrade-pandas/, real) ---
@test "pandas: the leading index column is ignored; same rows as the file without it" {
	f=$NK_ROOT/data/comtrade-pandas/total_cmd_2022_partners_PRK_KOR.csv
	run --separate-stderr nk-fetch-parse "$f"
	assert_success
	[[ $stderr == *"103 rows read, 27 kept, 76 outside the slice;"* ]]
	want=$output
	# pandas' index is a bare integer first: cutting it gives the plain layout
	sed 's/^[^,]*,//' "$f" >"$BATS_TEST_TMPDIR/plain.csv"
	run --separate-stderr nk-fetch-parse -q "$BATS_TEST_TMPDIR/plain.csv"
	assert_success
	assert_equal "$output" "$want"
	# 2022 TOTAL, partner PRK: flows and sums
	assert_equal "$(printf '%s\n' "$want" | awk -F'\t' 'NR>1 {n[$8]++; s[$8]+=$11} END {for (k in n) printf "%s %d %.3f\n", k, n[k], s[k]}' | sort)" \
		"M 18 27440478.927
RX 2 893.648
X 7 3054886.524"
}

@test "pandas, monthly: period YYYYMM, 8 DPRK rows of 2023 (Jan 3, Feb 5)" {
	f=$NK_ROOT/data/comtrade-pandas/comtrade_all_exports_2023M_partners_PRK_KOR.csv
	run --separate-stderr nk-fetch-parse -q "$f"
	assert_success
	assert_equal "$(printf '%s\n' "$output" | tail -n +2 | cut -f2,3,8 | sort | uniq -c | tr -s ' ')" " 3 2023	202301	X
 5 2023	202302	X"
	assert_equal "$(printf '%s\n' "$output" | awk -F'\t' 'NR>1 {s[$3]+=$11} END {for (k in s) printf "%s %.3f\n", k, s[k]}' | sort)" \
		"202301 102742.418
202302 29577.460"
	printf '%s\n' "$output" | nk-validate -c -q
}

# --- name-only totals tables (data/comtrade-totals/, real) ---
@test "totals: every partner's exports to the DPRK 2014-2022; China 2016 = 2,841,206,355" {
	run --separate-stderr nk-fetch-parse -q --flow X "$NK_ROOT"/data/comtrade-totals/comtrade_all_exports_20*.csv
	assert_success
	rows=$(printf '%s\n' "$output" | tail -n +2)
	assert_equal "$(printf '%s\n' "$rows" | cut -f2 | uniq -c | tr -s ' ' | tr '\n' ';')" \
		" 90 2014; 102 2015; 102 2016; 88 2017; 79 2018; 65 2019; 59 2020; 44 2021; 27 2022;"
	assert_equal "$(printf '%s\n' "$rows" | awk -F'\t' '$4=="CHN" {print $2, $11}' | tr '\n' ';')" \
		"2014 3519651278;2015 2942917107;2016 2841206355;2017 3245097511;2018 2217062020;2019 2573789925;2020 490967988;2021 259606631;2022 894039906;"
	# names through Comtrade's lists: Hong Kong 344 HKG; the partner is PRK 408
	[ "$(printf '%s\n' "$rows" | awk -F'\t' '$17=="China, Hong Kong SAR"' | cut -f4,5 | sort -u)" = "$(printf 'HKG\t344')" ]
	[ "$(printf '%s\n' "$rows" | cut -f1,6,7,8,10 | sort -u)" = "$(printf 'comtrade-totals\tPRK\t408\tX\tTOTAL')" ]
	# no name left without an ISO3
	[ "$(printf '%s\n' "$rows" | awk -F'\t' '$4==""' | wc -l)" = 0 ]
	printf '%s\n' "$output" | nk-validate -c -q
}

@test "DOTS: a country that reports imports FOB has them CIF too (FOB x 1.06, within $10): the FOB row is removed, counted" {
	run --separate-stderr nk-fetch-parse -q --rejects "$BATS_TEST_TMPDIR/rej.tsv" "$DOTS"
	assert_success
	fob=$(awk -F'\t' '$22=="import-fob" {print $5, $2, $11}' "$BATS_TEST_TMPDIR/rej.tsv" | sort)
	[ "$(printf '%s\n' "$fob" | cut -d' ' -f1 | sort -u | tr '\n' ' ')" = "156 199 223 243 273 293 319 698 " ]
	# each has its CIF row in the output, the FOB value x 1.06 within $10
	# (the largest gap: South Africa 2018, 354,449 against 334,389 x 1.06 = 354,452.34)
	printf '%s\n' "$output" | awk -F'\t' '$8=="M" {print $5, $2, $11}' | sort >"$BATS_TEST_TMPDIR/cif"
	run awk 'NR==FNR {cif[$1 " " $2] = $3; next}
		!(($1 " " $2) in cif) {print "no CIF row:", $0; next}
		{d = cif[$1 " " $2] - $3 * 1.06; if (d > 10 || d < -10) print "not FOB x 1.06:", $0, cif[$1 " " $2]}' \
		"$BATS_TEST_TMPDIR/cif" - <<<"$fob"
	assert_success
	assert_output ""
}
