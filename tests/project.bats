#!/usr/bin/env bats
# The project-level promises: install, deps, progress, help of every tool.
load lib/common

@test "make install puts tools and man pages under DESTDIR/PREFIX" {
	run --separate-stderr make -s -C "$NK_ROOT" install PREFIX=/opt/nk DESTDIR="$BATS_TEST_TMPDIR/stage"
	assert_success
	assert_file_executable "$BATS_TEST_TMPDIR/stage/opt/nk/bin/nk-validate"
	assert_file_exists "$BATS_TEST_TMPDIR/stage/opt/nk/share/man/man1/nk-validate.1"
}

@test "an installed tree finds its shipped rules and tables from anywhere; NK_DATADIR overrides" {
	make -s -C "$NK_ROOT" install PREFIX=/opt/nk DESTDIR="$BATS_TEST_TMPDIR/stage"
	bin=$BATS_TEST_TMPDIR/stage/opt/nk/bin
	share=$BATS_TEST_TMPDIR/stage/opt/nk/share/nktrade
	cd "$BATS_TEST_TMPDIR"
	run --separate-stderr "$bin/nk-correct" --check-rules
	assert_success
	assert_regex "$stderr" '^nk-correct: [0-9]+ rules OK in 1 file$'
	# the whole chain on the shipped Comtrade file, each stage with its tables
	csv=$(ls "$share"/data/comtrade/*.csv | head -1)
	run --separate-stderr sh -c "'$bin/nk-fetch-parse' -q '$csv' | '$bin/nk-normalize-hs' -q | '$bin/nk-correct' -q"
	assert_success
	assert_regex "$(printf '%s\n' "$output" | sed -n 2p)" '	(X|M)	[A-Z]{3}	'
	# a changed copy under NK_DATADIR is the one read
	mkdir -p d && cp -R "$share"/rules "$share"/data d/
	printf 'rules:\n  - {id: mine, source: s, reason: r, match: {counterpart: USA}, exclude: true}\n' \
		>d/rules/corrections.yaml
	NK_DATADIR=$PWD/d run --separate-stderr "$bin/nk-correct" --check-rules
	assert_equal "$stderr" "nk-correct: 1 rules OK in 1 file"
	NK_DATADIR=$PWD/none run --separate-stderr "$bin/nk-correct" --check-rules
	assert_failure 1
	assert_regex "$stderr" "$PWD/none/rules/corrections.yaml"
	NK_DATADIR=$PWD/none run --separate-stderr "$bin/nk-fetch-parse" -q "$csv"
	assert_failure 1
	assert_regex "$stderr" "$PWD/none/data/countries/m49-iso3.tsv"
	NK_DATADIR=$PWD/none run --separate-stderr "$bin/nk-normalize-hs" -q </dev/null
	assert_failure
	assert_regex "$stderr" "$PWD/none/data/hs/"
}

@test "make deps as a normal user names the packages to install" {
	command -v setpriv >/dev/null || skip "setpriv not available"
	[ "$(id -u)" -eq 0 ] || skip "needs root to drop to another user"
	run --separate-stderr setpriv --reuid=65534 --regid=65534 --clear-groups \
		env NK_PKGS="no-such-package-nktrade" sh -s <"$NK_ROOT/tools/deps.sh"
	assert_failure 1
	assert_equal "$stderr" "nktrade: missing Debian packages: no-such-package-nktrade
nktrade: run as root:  apt-get install no-such-package-nktrade"
}

@test "make deps with nothing missing does nothing and succeeds" {
	run --separate-stderr env NK_PKGS="bash coreutils" sh "$NK_ROOT/tools/deps.sh"
	assert_success
	assert_equal "$stderr" ""
}

@test "progress shows on a terminal and never on a pipe or with --quiet" {
	command -v script >/dev/null || skip "script(1) not available"
	# a stream that pauses 1 s after 200,000 rows: the next progress check
	# (every 65,536 rows, at most every 0.5 s) must print a progress line
	gen="(echo n; seq 1 200000; sleep 1; seq 1 200000)"
	script -qec "sh -c '$gen | nk-validate -n'" /dev/null >"$BATS_TEST_TMPDIR/tty.txt"
	grep -q 'nk-validate: 0\.[0-9] M rows, [0-9]* MB, [0-9]* MB/s' "$BATS_TEST_TMPDIR/tty.txt"
	grep -q 'valid: 400000 rows' "$BATS_TEST_TMPDIR/tty.txt"
	# stderr not a terminal: the summary only
	run --separate-stderr sh -c "$gen | nk-validate -n"
	assert_equal "$stderr" "nk-validate: valid: 400000 rows, 1 columns"
	run --separate-stderr sh -c "$gen | nk-validate -n -q"
	assert_equal "$stderr" ""
}

@test "every tool has --help (exit 0, usage on stdout) and --version" {
	for t in "$NK_BIN"/nk-*; do
		run --separate-stderr "$t" --help
		assert_success
		assert_output --partial "Usage: $(basename "$t")"
		assert_equal "$stderr" ""
		run --separate-stderr "$t" --version
		assert_success
		assert_output --regexp "^$(basename "$t") \(nktrade\) [0-9]"
	done
}

@test "every tool has a man page with an EXIT STATUS section" {
	for t in "$NK_BIN"/nk-*; do
		m=$NK_ROOT/tools/$(basename "$t").1
		assert_file_exists "$m"
		grep -q '^\.SH "EXIT STATUS"' "$m"
	done
}

@test "every contract stage turns a header with no rows into a header with no rows" {
	core=$'source\tyear\tperiod\treporter\treporter_m49\tpartner\tpartner_m49\tflow\ths_rev\ths\tvalue_usd\tcif_usd\tfob_usd\tnetwgt_kg\tqty\tqty_unit'
	n=0
	for t in "$NK_BIN"/nk-*; do
		# nk-fetch-parse reads Comtrade formats; nk-summarize writes reports
		# (its header-only case is in tests/nk-summarize.bats);
		# nk-merge-interkorean appends rows of its own (and needs counterpart)
		case $(basename "$t") in nk-fetch-parse | nk-summarize | nk-merge-interkorean) continue ;; esac
		run --separate-stderr sh -c "printf '%s\n' '$core' | $t"
		assert_success
		assert_equal "$(printf '%s\n' "$output" | wc -l)" 1
		assert_output --regexp "^source	year	period"
		n=$((n + 1))
	done
	[ "$n" -ge 1 ]
}

@test "an error after 1 MB of output leaves stdout with whole rows only" {
	# nk-fetch-parse writes a row field by field, and long commodity texts
	# make buffer ends fall inside rows; the bad value comes after ~4.7 MB
	h='Classification,Year,Period,Period Desc.,Aggregate Level,Is Leaf Code,Trade Flow Code,Trade Flow,Reporter Code,Reporter,Reporter ISO,Partner Code,Partner,Partner ISO,Commodity Code,Commodity,Qty Unit Code,Qty Unit,Qty,Netweight (kg),Trade Value (US$),Flag'
	awk -v h="$h" 'BEGIN { print h; d = "Commodity text repeated"
		for (k = 0; k < 5; k++) d = d " " d
		for (i = 0; i < 20000; i++)
			printf "H4,2016,2016,2016,2,0,1,Import,156,China,CHN,408,DPRK,PRK,27,\"%s %d\",1,No Quantity,,,%d,0\n", substr(d, 1, 100 + i % 97), i, i + 1
		print "H4,2016,2016,2016,2,0,1,Import,156,China,CHN,408,DPRK,PRK,27,x,1,No Quantity,,,12x5,0" }' \
		>"$BATS_TEST_TMPDIR/in.csv"
	run --separate-stderr sh -c "nk-fetch-parse -q '$BATS_TEST_TMPDIR/in.csv' | cat >'$BATS_TEST_TMPDIR/out'"
	assert_regex "$stderr" "in.csv:20002: field 'Trade Value \(US\\$\)': not a number: '12x5'"
	out=$BATS_TEST_TMPDIR/out
	[ "$(wc -c <"$out")" -gt 1000000 ]
	[ "$(tail -c 1 "$out" | od -An -c | tr -d ' ')" = '\n' ]
	assert_equal "$(awk -F'\t' 'NF != 20' "$out" | wc -l)" 0
}

# The default build's stage 1d (pipelines/nkitw.mk, precedence.awk): the
# Comtrade Plus download and the totals table both give China's 2022 exports
# to the DPRK (894,039,906): the build keeps one, the Comtrade Plus row, and
# says so in its rejects.
@test "default data: Comtrade Plus 2022 wins over the totals table for the same trade; counted once" {
	d=$BATS_TEST_TMPDIR
	cd "$NK_ROOT"
	unset MAKELEVEL MAKEFLAGS MFLAGS
	run make --no-print-directory -f pipelines/build.mk B="$(dirname "$NK_BIN")" OUT="$d/out" "$d/out/stage/inputs.tsv"
	assert_success
	assert_output --partial "precedence.awk: 1 rows left out (an earlier source has them)"
	s=$d/out/stage
	# China's 2022 exports to the DPRK: once, from the Comtrade Plus file
	assert_equal "$(awk -F'\t' '$2==2022 && $4=="CHN" && $6=="PRK" && $8=="X" {print $1, $10, $11}' "$s/inputs.tsv")" "comtrade TOTAL 894039906"
	# the totals row is in the rejects, with the reason
	assert_equal "$(tail -n +2 "$s/precedence.rejects.tsv" | cut -f1,2,4,8,11,22,23)" \
		"$(printf 'comtrade-totals\t2022\tCHN\tX\t894039906\tprecedence\tstage/totals-x.tsv')"
	# every other row of the inputs is kept: 2022 exports to the DPRK at
	# TOTAL = the 26 other reporters of the totals table + China's Plus row
	want=$(awk -F'\t' 'NR>1 && $2==2022 && $4!="CHN" {s+=$11} END {printf "%.3f", s + 894039906}' "$s/totals-x.tsv")
	assert_equal "$(awk -F'\t' '$2==2022 && $6=="PRK" && $8=="X" && $10=="TOTAL" {s+=$11} END {printf "%.3f", s}' "$s/inputs.tsv")" "$want"
	assert_equal "$(( $(wc -l <"$s/inputs.tsv") ))" \
		"$(( $(wc -l <"$s/fetch-parse.tsv") + $(wc -l <"$s/totals-x.tsv") + $(wc -l <"$s/totals-m.tsv") - 3 ))"
}
