#!/usr/bin/env bats
# The limits of README "Limits" (constants in tools/lib/nk.h, json.h): for
# each, one run exactly at the limit (it works, and the output is right) and
# one just past it (a FILE:LINE error, exit 1, no -o file). Inputs are made
# here with awk, head and printf.
load lib/common

CASES=$NK_ROOT/tests/cases
MIB=$((1 << 20))

# x repeated N times
xs() { head -c "$1" /dev/zero | tr '\0' x; }

# ------------------------------------------------------------ lines, fields

@test "line: 64 MiB with its newline passes through whole; one byte more is an error" {
	cd "$BATS_TEST_TMPDIR"
	{ printf 'a\n'; xs $((64 * MIB - 1)); printf '\n'; } >at.tsv
	run --separate-stderr nk-validate -o out.tsv at.tsv
	assert_success
	cmp out.tsv at.tsv
	rm out.tsv at.tsv
	{ printf 'a\n'; xs $((64 * MIB)); printf '\n'; } >past.tsv
	run --separate-stderr nk-validate -o out.tsv past.tsv
	assert_failure 1
	assert_equal "$stderr" "nk-validate: past.tsv:2: line longer than 64 MiB"
	assert_file_not_exists out.tsv
}

@test "columns: 65,536 pass through whole; 65,537 are an error at the header" {
	cd "$BATS_TEST_TMPDIR"
	awk 'BEGIN { for (n = 65536; n <= 65537; n++) { f = "w" n ".tsv"
		for (i = 1; i <= n; i++) printf "c%d%s", i, i < n ? "\t" : "\n" >f
		for (i = 1; i <= n; i++) printf "%d%s", i, i < n ? "\t" : "\n" >f } }'
	run --separate-stderr nk-validate -o out.tsv w65536.tsv
	assert_success
	cmp out.tsv w65536.tsv
	rm out.tsv
	run --separate-stderr nk-validate -o out.tsv w65537.tsv
	assert_failure 1
	assert_equal "$stderr" "nk-validate: w65537.tsv:1: 65537 columns, more than the 65536 a header may have"
	assert_file_not_exists out.tsv
}

# A BACI file (t,i,j,k,v,q) padded with empty columns to n in all.
baci_wide() {
	awk -v n="$1" -v rowfields="$2" 'BEGIN {
		printf "t,i,j,k,v,q"; for (i = 7; i <= n; i++) printf ",x%d", i; print ""
		printf "2013,156,408,270900,598133.947,578001.81"
		for (i = 7; i <= rowfields; i++) printf ","; print "" }'
}

@test "CSV columns (nk-fetch-parse): 65,536 read; 65,537 an error; a row wider than any header is not split" {
	cd "$BATS_TEST_TMPDIR"
	baci_wide 65536 65536 >BACI_HS12_at.csv
	run --separate-stderr nk-fetch-parse -q -o out.tsv BACI_HS12_at.csv
	assert_success
	assert_equal "$(sed -n 2p out.tsv)" "$(sed -n 2p "$CASES/nk-fetch-parse/baci/stdout")"
	assert_equal "$(wc -l <out.tsv)" 2
	rm out.tsv
	baci_wide 65537 65537 >BACI_HS12_past.csv
	run --separate-stderr nk-fetch-parse -q -o out.tsv BACI_HS12_past.csv
	assert_failure 1
	assert_equal "$stderr" "nk-fetch-parse: BACI_HS12_past.csv:1: 65537 columns, more than the 65536 a header may have"
	assert_file_not_exists out.tsv
	# a trailing comma makes 65,537 fields in a row of a 65,536-column file:
	# allowed; one more is wider than any header
	baci_wide 65536 65537 >BACI_HS12_trail.csv
	run --separate-stderr nk-fetch-parse -q BACI_HS12_trail.csv
	assert_success
	assert_equal "${lines[1]}" "$(sed -n 2p "$CASES/nk-fetch-parse/baci/stdout")"
	baci_wide 65536 65538 >BACI_HS12_wide.csv
	run --separate-stderr nk-fetch-parse -q -o out.tsv BACI_HS12_wide.csv
	assert_failure 1
	assert_equal "$stderr" "nk-fetch-parse: BACI_HS12_wide.csv:2: 65538 fields, more than a header may have (65536)"
	assert_file_not_exists out.tsv
}

# A Comtrade Plus CSV row whose quoted cmdDesc runs over two lines ($XN
# x's, a line end, "B"), the record (both line ends counted) $1 bytes long.
plus_multiline() {
	local pre post
	pre='"C","A","20220101","2022","52","2022","156","CHN","China","M","Import","408","PRK","Korea","0","W00","World","H6","HS","true","TOTAL","'
	post='","0","false","C00","TOTAL CPC","0","0","TOTAL MOT","-1","N/A","0","false","-1","N/A","0","false","0","true","0","false","133677748",,"133677748","4","false","true",'
	XN=$(($1 - ${#pre} - ${#post} - 3))
	head -1 "$CASES/nk-fetch-parse/_data/plus-quoting.csv"
	printf '%s' "$pre"
	xs $XN
	printf '\nB%s\n' "$post"
}

@test "CSV record (a quoted field over several lines): 64 MiB read whole; one byte more is an error" {
	cd "$BATS_TEST_TMPDIR"
	plus_multiline $((64 * MIB)) >at.csv
	[ "$(tail -n +2 at.csv | wc -c)" -eq $((64 * MIB)) ]
	run --separate-stderr nk-fetch-parse -q -o out.tsv at.csv
	assert_success
	assert_equal "$(wc -l <out.tsv)" 2
	assert_equal "$(cut -f10,11 out.tsv)" "$(printf 'hs\tvalue_usd\nTOTAL\t133677748')"
	# cmd_desc: the x's, the line end written \n, B
	cut -f19 out.tsv | tail -1 >desc
	assert_equal "$(wc -c <desc)" $((XN + 3 + 1))
	assert_equal "$(tail -c 4 desc)" '\nB'
	rm out.tsv at.csv desc
	plus_multiline $((64 * MIB + 1)) >past.csv
	run --separate-stderr nk-fetch-parse -q -o out.tsv past.csv
	assert_failure 1
	assert_equal "$stderr" "nk-fetch-parse: past.csv:2: record longer than 64 MiB (a quoted field runs over several lines)"
	assert_file_not_exists out.tsv
}

# ------------------------------------------------------------- rule files

# n nk-correct rules, each excluding its own counterpart (AAA, AAB, ...),
# from rule number `from` on
rules() {
	awk -v n="$1" -v from="${2:-0}" 'BEGIN { print "rules:"
		for (i = from; i < from + n; i++)
			printf "  - {id: r%d, source: \"test\", reason: \"test\", match: {counterpart: %c%c%c}, exclude: true}\n",
				i, 65 + int(i / 676) % 26, 65 + int(i / 26) % 26, 65 + i % 26 }'
}

@test "rules: 10,000 load and apply; 10,001 (over two files) are an error" {
	cd "$BATS_TEST_TMPDIR"
	rules 5000 >a.yaml
	rules 5000 5000 >b.yaml
	# the last rule (r9999, counterpart OUP) removes its row; ZZZ has none
	{ head -1 "$CASES/nk-merge-interkorean/_data/stream.tsv" | cut -f1-16
	  printf 'comtrade\t2022\t2022\tOUP\t\tPRK\t408\tM\tH6\tTOTAL\t5\t\t\t\t\t\n'
	  printf 'comtrade\t2022\t2022\tZZZ\t\tPRK\t408\tM\tH6\tTOTAL\t7\t\t\t\t\t\n'; } >in.tsv
	run --separate-stderr nk-correct -q -r a.yaml -r b.yaml -o out.tsv in.tsv
	assert_success
	assert_equal "$(wc -l <out.tsv)" 2
	assert_equal "$(tail -1 out.tsv | cut -f4,11)" "$(printf 'ZZZ\t7')"
	rm out.tsv
	rules 5001 5000 >b.yaml
	run --separate-stderr nk-correct -q -r a.yaml -r b.yaml -o out.tsv in.tsv
	assert_failure 1
	assert_equal "$stderr" "nk-correct: b.yaml:5002:5: more than 10000 rules (all rule files together)"
	assert_file_not_exists out.tsv
}

@test "rule file: 16 MiB loads; one byte more is an error at its line and column" {
	cd "$BATS_TEST_TMPDIR"
	{ printf 'rules: []\n#'; xs $((16 * MIB - 12)); printf '\n'; } >at.yaml
	[ "$(wc -c <at.yaml)" -eq $((16 * MIB)) ]
	run --separate-stderr nk-correct --check-rules -r at.yaml
	assert_success
	assert_equal "$stderr" "nk-correct: 0 rules OK in 1 file"
	{ printf 'rules: []\n#'; xs $((16 * MIB - 11)); printf '\n'; } >past.yaml
	run --separate-stderr nk-correct --check-rules -r past.yaml
	assert_failure 1
	# line 2 starts at byte 10: the byte past the limit is its column 16777207
	assert_equal "$stderr" "nk-correct: past.yaml:2:16777207: a rule file may hold at most 16 MiB"
}

@test "rule file: 1,000,000 values, lists and mappings load; one more is an error" {
	cd "$BATS_TEST_TMPDIR"
	# the root mapping, 'rules', [], 'version', its list: 5 nodes, then k values
	for k in 999995 999996; do
		awk -v k=$k 'BEGIN { printf "rules: []\nversion: ["
			for (i = 1; i < k; i++) printf "1,"; print "1]" }' >n$k.yaml
	done
	run --separate-stderr nk-correct --check-rules -r n999995.yaml
	assert_success
	assert_equal "$stderr" "nk-correct: 0 rules OK in 1 file"
	run --separate-stderr nk-correct --check-rules -r n999996.yaml
	assert_failure 1
	assert_equal "$stderr" "nk-correct: n999996.yaml:2:2000001: more than 1000000 values, lists and mappings in a rule file"
}

# n sanctions entries on coal (2701), ids s0, s1, ...
sanctions() {
	awk -v n="$1" 'BEGIN { print "sanctions:"; for (i = 0; i < n; i++)
		printf "  - {id: s%d, resolution: 2270, adopted: 2016-03, in_force: 2016-03, direction: dprk_export_ban, hs_rev: H4, hs: [\"2701\"], basis: reading, source: \"test\"}\n", i }'
}

@test "sanctions: 10,000 entries each tag the row; 10,001 are an error" {
	cd "$BATS_TEST_TMPDIR"
	printf 'source\tyear\tperiod\tnk_flow\tcounterpart\ths\tvalue_usd\ncomtrade\t2017\t2017\tX\tCHN\t2701\t5\n' >in.tsv
	sanctions 10000 >at.yaml
	run --separate-stderr nk-summarize -q --by sanction --sanctions at.yaml -o out.tsv in.tsv
	assert_success
	assert_equal "$(wc -l <out.tsv)" 10001
	# every entry: full, after its in-force date, $5 in 1 row
	assert_equal "$(tail -n +2 out.tsv | cut -f1,7-10 | sort -u)" "$(printf '2017\tfull\tafter\t5\t1')"
	assert_equal "$(tail -1 out.tsv | cut -f2)" s9999
	rm out.tsv
	sanctions 10001 >past.yaml
	run --separate-stderr nk-summarize -q --by sanction --sanctions past.yaml -o out.tsv in.tsv
	assert_failure 1
	assert_equal "$stderr" "nk-summarize: past.yaml:10002:5: more than 10000 sanctions"
	assert_file_not_exists out.tsv
}

# n mirror rows (chapter 89) of counterpart-years and flows, ten to a
# counterpart (AAA, AAB, ...; no KOR or PRK), 2000-2004, then the last one's
# trade with KOR
screenrows() {
	awk -v n="$1" 'BEGIN { OFS = "\t"; print "source", "year", "period", "reporter", "partner", "flow", "hs", "value_usd"
		for (i = 0; i < n; i++) { k = int(i / 10); f = int(k / 676)
			c = sprintf("%c%c%c", f < 10 ? 65 + f : 71 + f, 65 + int(k / 26) % 26, 65 + k % 26)
			y = 2000 + int(i % 10 / 2); fl = i % 2 ? "M" : "X"
			print "comtrade", y, y, c, "PRK", fl, "89", 2000000 }
		print "comtrade", y, y, c, "KOR", fl, "89", 3000000 }'
}

@test "--screen: 100,000 counterpart-years are screened; one more is an error at its row" {
	cd "$BATS_TEST_TMPDIR"
	screenrows 100000 >at.tsv
	run --separate-stderr nk-correct -q --screen -o out.yaml at.tsv
	assert_success
	# the last counterpart-year (UUP 2004, its exports to PRK) is flagged
	grep -q '^  - id: screen-uup-2004-m$' out.yaml
	rm out.yaml
	screenrows 100001 >past.tsv
	run --separate-stderr nk-correct -q --screen -o out.yaml past.tsv
	assert_failure 1
	assert_equal "$stderr" "nk-correct: past.tsv:100002: more than 100000 counterpart-years for --screen"
	assert_file_not_exists out.yaml
}

# ------------------------------------------------------------ nk-summarize

# rows of one year and flow, each its own subheading from `from` on
hs6rows() {
	awk -v n="$1" -v from="${2:-0}" 'BEGIN { OFS = "\t"
		print "source", "year", "nk_flow", "counterpart", "hs", "value_usd", "hs6"
		for (i = from; i < from + n; i++) print "comtrade", 2017, "X", "CHN", sprintf("%06d", i), 1, sprintf("%06d", i) }'
}

# The limit is 2,000,000 groups (tools/lib/nk.h); NK_TEST_GROUPS_MAX lowers
# it for this test only, so that a few rows reach it through the same code.
@test "groups: at the limit the reports are made; one group more is an error at its row" {
	cd "$BATS_TEST_TMPDIR"
	export NK_TEST_GROUPS_MAX=100
	hs6rows 100 >at.tsv
	run --separate-stderr nk-summarize -q --by hs6 -o out.tsv at.tsv
	assert_success
	# header; exports: 100 subheadings, other; imports: other; total as exports
	assert_equal "$(wc -l <out.tsv)" 204
	assert_equal "$(grep -c $'^2017\texports\t0000[0-9][0-9]\t1\t1.00$' out.tsv)" 100
	# (no import rows: imports, so the total's base, unknown: no total share)
	assert_equal "$(grep -c $'^2017\ttotal\t0000[0-9][0-9]\t1\t$' out.tsv)" 100
	rm out.tsv
	hs6rows 101 >past.tsv
	run --separate-stderr nk-summarize -q --by hs6 -o out.tsv past.tsv
	assert_failure 1
	assert_equal "$stderr" "nk-summarize: past.tsv:102: more than 100 report groups (years x flows x keys)"
	assert_file_not_exists out.tsv
}

@test "partials: a merge up to the group limit gives the single run's reports; past it, an error at the partial's line" {
	cd "$BATS_TEST_TMPDIR"
	export NK_TEST_GROUPS_MAX=100
	hs6rows 50 >a.tsv
	hs6rows 50 50 >b.tsv
	nk-summarize -q --by hs6 --partial -o a.part a.tsv
	nk-summarize -q --by hs6 --partial -o b.part b.tsv
	run --separate-stderr nk-summarize -q --merge --by hs6 -o out.tsv a.part b.part
	assert_success
	{ cat a.tsv; tail -n +2 b.tsv; } >all.tsv
	nk-summarize -q --by hs6 all.tsv >single.tsv
	cmp out.tsv single.tsv
	rm out.tsv
	hs6rows 51 50 >c.tsv
	nk-summarize -q --by hs6 --partial -o c.part c.tsv
	run --separate-stderr nk-summarize -q --merge --by hs6 -o out.tsv a.part c.part
	assert_failure 1
	[[ "$stderr" =~ ^nk-summarize:\ c\.part:[0-9]+:\ more\ than\ 100\ report\ groups ]] || fail "$stderr"
	assert_file_not_exists out.tsv
}

@test "sources: 1,000 different ones are summed; one more is an error at its row" {
	cd "$BATS_TEST_TMPDIR"
	for n in 1000 1001; do
		awk -v n=$n 'BEGIN { OFS = "\t"; print "source", "year", "nk_flow", "counterpart", "hs", "value_usd"
			for (i = 0; i < n; i++) print "s" i, 2017, "X", "CHN", "TOTAL", 1 }' >s$n.tsv
	done
	run --separate-stderr nk-summarize -q -o out.tsv s1000.tsv
	assert_success
	# exports 1000; no import rows: imports and total unknown (empty)
	assert_equal "$(tail -1 out.tsv | cut -f1-4)" "$(printf '2017\t1000\t\t')"
	rm out.tsv
	run --separate-stderr nk-summarize -q -o out.tsv s1001.tsv
	assert_failure 1
	assert_equal "$stderr" "nk-summarize: s1001.tsv:1002: field 'source': more than 1000 different sources: 's1000'"
	assert_file_not_exists out.tsv
}

# --------------------------------------------------------- nk-merge-interkorean

@test "MOU table: one row per year 1900-2100 (201) is read; a 202nd row repeats a year" {
	cd "$BATS_TEST_TMPDIR"
	awk 'BEGIN { OFS = "\t"; print "year", "total_usd", "dprk_exports_usd", "dprk_imports_usd", "kaesong_usd", "noncommercial_usd", "source"
		for (y = 1900; y <= 2100; y++) print y, y, "", "", "", "", "test" }' >at.tsv
	head -1 "$CASES/nk-merge-interkorean/_data/stream.tsv" >in.tsv
	run --separate-stderr nk-merge-interkorean -q --table at.tsv -o out.tsv in.tsv
	assert_success
	assert_equal "$(wc -l <out.tsv)" 202
	assert_equal "$(tail -1 out.tsv | cut -f1,2,11)" "$(printf 'mou\t2100\t2100')"
	rm out.tsv
	{ cat at.tsv; printf '2000\t1\t\t\t\t\ttest\n'; } >past.tsv
	run --separate-stderr nk-merge-interkorean -q --table past.tsv -o out.tsv in.tsv
	assert_failure 1
	assert_equal "$stderr" "nk-merge-interkorean: past.tsv:203: field 'year': year given twice (first on line 102): '2000'"
	assert_file_not_exists out.tsv
}

# ------------------------------------------------------------------- JSON

# A Comtrade Plus API answer of one record (the first of a real answer)
# whose cmdDesc is n x's, or nested arrays k deep under a top-level key.
json_desc() {
	python3 - "$1" "$CASES/nk-fetch-parse/_data/api_get_C_A_HS_CHN_2010_TOTAL_compact.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[2]))["data"][0]
r["cmdDesc"] = "x" * int(sys.argv[1])
print(json.dumps({"count": 1, "data": [r]}, separators=(",", ":")))
PY
}

@test "JSON value: 1 MiB is read whole; one byte more is an error" {
	cd "$BATS_TEST_TMPDIR"
	json_desc $MIB >at.json
	run --separate-stderr nk-fetch-parse -q --all -o out.tsv at.json
	assert_success
	assert_equal "$(sed -n 2p out.tsv | cut -f19 | wc -c)" $((MIB + 1))
	assert_equal "$(sed -n 2p out.tsv | cut -f4,6,11)" "$(printf 'CHN\tARG\t6804128143')"
	rm out.tsv
	json_desc $((MIB + 1)) >past.json
	run --separate-stderr nk-fetch-parse -q --all -o out.tsv past.json
	assert_failure 1
	[[ "$stderr" =~ ^nk-fetch-parse:\ past\.json:1:[0-9]+:\ a\ value\ longer\ than\ 1\ MiB ]] || fail "$stderr"
	assert_file_not_exists out.tsv
}

@test "JSON nesting: 64 levels are read; 65 are an error" {
	cd "$BATS_TEST_TMPDIR"
	# the answer's object is level 1: 63 arrays inside it make 64
	for k in 63 64; do
		awk -v k=$k 'BEGIN { printf "{\"x\":"; for (i = 0; i < k; i++) printf "["
			for (i = 0; i < k; i++) printf "]"; print ",\"count\":0,\"data\":[]}" }' >d$k.json
	done
	run --separate-stderr nk-fetch-parse -q --all -o out.tsv d63.json
	assert_success
	assert_equal "$(cat out.tsv)" "$(head -1 "$CASES/nk-fetch-parse/baci/stdout")"
	rm out.tsv
	run --separate-stderr nk-fetch-parse -q --all -o out.tsv d64.json
	assert_failure 1
	assert_equal "$stderr" "nk-fetch-parse: d64.json:1:70: nesting deeper than 64 levels (byte 69)"
	assert_file_not_exists out.tsv
}

@test "partials: a levels field is read whole, never cut at 63 bytes" {
	cd "$BATS_TEST_TMPDIR"
	printf 'source\tyear\tnk_flow\tcounterpart\ths\tvalue_usd\nx\t2017\tX\tCHN\tTOTAL\t5\n' >in.tsv
	nk-summarize -q --partial -o p.part in.tsv
	# 16 levels in the first 63 bytes (a cut there would accept them), then junk
	sed 's/\ttotal$/\t'"$(printf 'hs2,%.0s' $(seq 16))"'junk/' p.part >bad.part
	[ "$(grep '^levels' bad.part | cut -f6 | head -c 64)" = "$(printf 'hs2,%.0s' $(seq 16))" ]
	run --separate-stderr nk-summarize -q --merge -o out.tsv bad.part
	assert_failure 1
	assert_equal "$stderr" "nk-summarize: bad.part:6: not a levels line"
	assert_file_not_exists out.tsv
}
