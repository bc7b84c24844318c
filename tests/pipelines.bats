#!/usr/bin/env bats
# pipelines/: the dataset build (`make run`, pipelines/build.mk) on the data
# shipped in data/, and the cron wrapper. Builds go to $BATS_TEST_TMPDIR (OUT);
# the tools are the ones under test ($NK_BIN, so the sanitizer run builds
# with the ASan tools too).
load lib/common

setup() {
	B=$(dirname "$NK_BIN")
	T=$BATS_TEST_TMPDIR
	cd "$NK_ROOT"
}

# build OUT [MAKE-ARGS...]: the dataset build into OUT (as a top-level make,
# whatever make runs the tests).
unset MAKELEVEL MAKEFLAGS MFLAGS
build() {
	local out=$1
	shift
	make --no-print-directory -f pipelines/build.mk B="$B" OUT="$out" "$@"
}

# mtimes of every file under a directory, as "path mtime" lines.
mtimes() { (cd "$1" && find . -type f -printf '%p %T@\n' | sort); }

@test "make run's build: every stage's file, and a summary a person reads" {
	run --separate-stderr build "$T/out" run
	assert_success
	for f in trade.tsv rejects.tsv audit.tsv published.tsv stage/fetch-parse.tsv \
		stage/normalize-hs.tsv stage/correct.tsv stage/correct.audit.tsv; do
		assert_file_exists "$T/out/$f"
	done
	# the latest year's totals are nk-summarize's, and KOTRA's figure is the
	# published one for that year
	last=$(awk -F'\t' 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		$c["source"] != "mou" && $c["source"] != "rule" && $c["year"] > y { y = $c["year"] }
		END { print y }' "$T/out/trade.tsv")
	total=$(awk -F'\t' -v y="$last" '$1 == y { printf "%.1f", $4 / 1e6 }' "$T/out/summary-year.tsv")
	[ -n "$total" ] || fail "no $last in summary-year.tsv"
	kotra=$(awk -F, -v y="$last" '$1 == y && $2 == "KOTRA" && $3 == "total" { printf "%.1f", $4 }' \
		data/published/yearly_figures.csv)
	[ -n "$kotra" ] || fail "no KOTRA total for $last in data/published/yearly_figures.csv"
	assert_regex "$output" "nktrade: [0-9]+ rows of DPRK trade: partners' reports 19[0-9][0-9]-.*, [0-9]+ in $last\\)"
	assert_regex "$output" "  $last, million USD .* total +$total"
	assert_regex "$output" "    KOTRA, published .* total +$kotra"
	# the years whose cells are empty (no rows: unknown) are named, not shown as 0
	gaps=$(python3 -c 'import sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1])]
c = {n: i for i, n in enumerate(rows[0])}
def ranges(ys):
    out, i = [], 0
    while i < len(ys):
        j = i
        while j + 1 < len(ys) and ys[j + 1] == ys[j] + 1: j += 1
        out.append(str(ys[i]) if i == j else "%d-%d" % (ys[i], ys[j])); i = j + 1
    return ", ".join(out) or "none"
print("; ".join(w + ranges([int(r[0]) for r in rows[1:] if r[c[k]] == ""]) for w, k in
      (("partners\x27 exports ", "exports_excl_ik"), ("imports ", "imports_excl_ik"), ("inter-Korean ", "interkorean"))))' \
		"$T/out/summary-year.tsv")
	assert_line "  no data (empty cells, not 0): $gaps"
	# every dropped row of every stage is in rejects.tsv
	n=$(( $(cat "$T"/out/stage/*.rejects.tsv | wc -l) - $(ls "$T"/out/stage/*.rejects.tsv | wc -l) ))
	assert_equal "$(( $(wc -l < "$T/out/rejects.tsv") - 1 ))" "$n"
	want=$(for f in "$T"/out/stage/*.rejects.tsv; do
		[ "$(wc -l <"$f")" -gt 1 ] && basename "$f" .rejects.tsv; done | sort)
	assert_equal "$(sed 1d "$T/out/rejects.tsv" | cut -f1 | sort -u)" "$want"
}

@test "sanctions: UNSCR 2270's coal and iron entry holds the chapter-27 exports of each year, tagged partial" {
	run --separate-stderr build "$T/out" sanctions
	assert_success
	assert_file_exists "$T/out/summary-sanction.md"
	# the shipped files hold chapter 27 as a whole, broader than coal 2701:
	# the entry gets every chapter-27 export as 'partial', never 'full'
	for y in 2016 2017; do
		want=$(awk -F'\t' -v y="$y" 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
			$c["year"] == y && $c["nk_flow"] == "X" && $c["hs"] == "27" { s += $c["value_usd"] }
			END { printf "%.0f", s }' "$T/out/stage/level.tsv")
		[ "$want" -gt 0 ] || fail "no chapter-27 exports in $y"
		got=$(awk -F'\t' -v y="$y" '$1 == y && $2 == "UNSCR-2270-op29-coal-iron" { s += $9; t = t $7 }
			END { printf "%.0f %s", s, t }' "$T/out/summary-sanction.tsv")
		assert_equal "$got" "$want partial"
	done
}

@test "sanctions chart: a line per direction and tag, gaps not 0, a mark at each in-force date of the rule file" {
	# the rule file's dates are what the marks show: move one and rebuild
	sed 's/^    in_force: 2016-03$/    in_force: 2016-07-15/' rules/sanctions.yaml >"$T/sanctions.yaml"
	! cmp -s rules/sanctions.yaml "$T/sanctions.yaml" || fail "no 'in_force: 2016-03' line to move"
	run --separate-stderr build "$T/out" "$T/out/charts/sanctions.svg" "$T/out/summary-sanction.tsv" SANCTIONS_RULES="$T/sanctions.yaml"
	assert_success
	assert_file_exists "$T/out/charts/sanctions.svg"
	marks=$T/out/charts/sanctions-marks.gp
	# one mark per resolution, at its first in-force date (x = year + day / days in year)
	want=$(python3 -c 'import sys, yaml
first = {}
for e in yaml.safe_load(open(sys.argv[1]))["sanctions"]:
    d = str(e["in_force"]); r = e["resolution"]
    first[r] = min(first.get(r, d), d)
for r, d in sorted(first.items(), key=lambda x: (x[1], x[0])): print(r, d)' "$T/sanctions.yaml")
	assert_equal "$(grep -c '^set arrow' "$marks")" "$(wc -l <<<"$want")"
	assert_equal "$(sed -n 's/^set label "UNSCR \([0-9]*\) (\([0-9-]*\))".*/\1 \2/p' "$marks")" "$want"
	grep -q '^set arrow from first 2016\.536, graph 0 ' "$marks" || fail "2016-07-15 is not at x 2016.536"
	# a handful of series, not one per entry
	dat=$T/out/charts/sanctions.dat
	n=$(($(head -1 "$dat" | awk -F'\t' '{ print NF }') - 1))
	[ "$n" -ge 2 ] && [ "$n" -le 4 ] || fail "$n series"
	# every figure is the sum of the group table's rows of its group, tag
	# and year (in million USD, to the 3 decimals written); a year without
	# a row is NaN (a gap), never 0
	run awk -F'\t' '
		FNR == 1 && NR == 1 { next }
		NR == FNR { s[$2, $7, $1] += $9; seen[$2, $7, $1] = 1; next }
		FNR == 1 { for (i = 2; i <= NF; i++) { g[i] = $i ~ /^DPRK exports/ ? "dprk-exports" : "dprk-imports"
				t[i] = $i ~ /goods named/ ? "full" : "partial" } next }
		{ for (i = 2; i <= NF; i++) { k = g[i] SUBSEP t[i] SUBSEP $1
			if (!(k in seen) && $i != "NaN") print "year " $1 " column " i ": " $i " without rows"
			d = s[k] / 1e6 - $i
			if ((k in seen) && ($i == "NaN" || d > 0.0005001 || d < -0.0005001)) print "year " $1 " column " i ": " $i " != " s[k]
			if (!(k in seen)) gaps++ } }
		END { print "gaps " gaps + 0 }' "$T/out/summary-sanction-group.tsv" "$dat"
	assert_success
	assert_output --regexp '^gaps [1-9][0-9]*$'
	# the groups count each row once: the coal entries overlap, the group does not
	y2016=$(awk -F'\t' '$1 == 2016 && $2 == "dprk-exports" && $7 == "partial" { print $9 }' "$T/out/summary-sanction-group.tsv")
	coal=$(awk -F'\t' '$1 == 2016 && $2 == "UNSCR-2270-op29-coal-iron" && $7 == "partial" { print $9 }' "$T/out/summary-sanction.tsv")
	assert_equal "$y2016" "$coal"
}

@test "dots: DOTS's own DPRK figures (its rows against World) beside the DOTS-method estimate" {
	run --separate-stderr build "$T/out" "$T/out/dots/published.tsv" "$T/out/dots/summary-year.tsv"
	assert_success
	# the published file is the raw DOTS rows of country 954 against 001
	python3 - "$T/out/dots/published.tsv" data/dots/*.csv <<'PY'
import csv, sys
pub = [l.rstrip("\n").split("\t") for l in open(sys.argv[1])]
assert pub[0] == ["year", "exports", "imports"], pub[0]
want = {}
for path in sys.argv[2:]:
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    head = rows[0]
    for r in rows[1:]:
        if r[1] == "954" and r[5] == "001" and r[6] == "Value" and r[3] in ("TXG_FOB_USD", "TMG_CIF_USD"):
            for i, h in enumerate(head):
                if h.isdigit() and r[i]:
                    want.setdefault(h, {})[r[3]] = r[i]
got = {y: (x, m) for y, x, m in pub[1:]}
exp = {y: (v["TXG_FOB_USD"], v["TMG_CIF_USD"]) for y, v in want.items()}
assert got == exp, (got, exp)
assert len(got) >= 3
PY
	# the estimate is within 1 % of DOTS's figure each year (same method)
	run awk -F'\t' 'NR == FNR { if (FNR > 1) { x[$1] = $2; m[$1] = $3 } next }
		FNR > 1 && ($1 in x) { n++; d1 = ($2 - x[$1]) / x[$1]; d2 = ($3 - m[$1]) / m[$1]
			if (d1 > 0.01 || d1 < -0.01 || d2 > 0.01 || d2 < -0.01) print "off " $1 }
		END { print n " years" }' "$T/out/dots/published.tsv" "$T/out/dots/summary-year.tsv"
	assert_output "3 years"
}

@test "an unchanged rerun does nothing; a touched rule file reruns only nk-correct and what follows" {
	cp rules/corrections.yaml "$T/rules.yaml"
	build "$T/out" outputs NKITW_RULES="$T/rules.yaml" 2>/dev/null
	run build "$T/out" -q outputs NKITW_RULES="$T/rules.yaml"
	assert_success
	before=$(mtimes "$T/out")
	run --separate-stderr build "$T/out" outputs NKITW_RULES="$T/rules.yaml"
	assert_output "make: Nothing to be done for 'outputs'."
	assert_equal "$(mtimes "$T/out")" "$before"
	touch "$T/rules.yaml"
	run --separate-stderr build "$T/out" outputs NKITW_RULES="$T/rules.yaml"
	assert_success
	assert_output --partial "stage/correct.tsv"
	assert_output --partial "summary-year.tsv"
	refute_output --partial "stage/fetch-parse.tsv"
	refute_output --partial "stage/normalize-hs.tsv"
	after=$(mtimes "$T/out")
	assert_equal "$(grep -E '^\./stage/(fetch-parse|normalize-hs)' <<<"$after")" \
		"$(grep -E '^\./stage/(fetch-parse|normalize-hs)' <<<"$before")"
	[ "$(grep '^\./stage/correct.tsv' <<<"$after")" != "$(grep '^\./stage/correct.tsv' <<<"$before")" ] ||
		fail "stage/correct.tsv was not rebuilt"
	run build "$T/out" -q outputs NKITW_RULES="$T/rules.yaml"
	assert_success
}

@test "two builds, one with make -j2, in two directories, are the same bytes" {
	build "$T/a" outputs >/dev/null 2>&1
	build "$T/b" -j2 outputs >/dev/null 2>&1
	run diff -r "$T/a" "$T/b"
	assert_success
	assert_output ""
	# and the trade stream is the tools' own chain, stage by stage (the
	# totals tables after the Comtrade files, one source per trade)
	"$NK_BIN/nk-fetch-parse" -q --with-partner KOR -o "$T/fp.tsv" $(ls data/comtrade/*.csv | sort)
	"$NK_BIN/nk-fetch-parse" -q --flow X -o "$T/tx.tsv" $(ls data/comtrade-totals/comtrade_all_exports_*.csv | sort)
	"$NK_BIN/nk-fetch-parse" -q --flow M -o "$T/tm.tsv" $(ls data/comtrade-totals/comtrade_all_imports_*.csv | sort)
	run sh -c "awk -v rejects='$T/prec.tsv' -f pipelines/precedence.awk '$T/fp.tsv' '$T/tx.tsv' '$T/tm.tsv' 2>/dev/null |
		'$NK_BIN/nk-normalize-hs' -q --names | '$NK_BIN/nk-correct' -q |
		'$NK_BIN/nk-merge-interkorean' -q --replace-kor | '$NK_BIN/nk-normalize-hs' -q --names --rev-by-year |
		cmp - '$T/a/trade.tsv'"
	assert_success
}

@test "a failing stage fails the build and leaves no half file" {
	build "$T/out" outputs >/dev/null 2>&1
	printf 'rules:\n  - {id: x, source: s, reason: r, match: {counterpart: CHN}, factr: 2}\n' >"$T/bad.yaml"
	run --separate-stderr build "$T/out" outputs NKITW_RULES="$T/bad.yaml"
	assert_failure
	assert_regex "$stderr" "bad.yaml:2:"
	assert_file_exists "$T/out/stage/correct.tsv"
	run find "$T/out" -name '*.tmp*'
	assert_output ""
}

# cron.sh with the make arguments of this test run (its tools, its OUT).
cron() { NK_OUT=$T/pub sh pipelines/cron.sh -- -f pipelines/build.mk B="$B" "$@"; }

@test "cron: builds and publishes out as a link; a held lock stops a second run at once" {
	run --separate-stderr cron outputs
	assert_success
	assert_output ""
	assert_equal "$stderr" ""
	[ -L "$T/pub" ] || fail "$T/pub is not a symbolic link"
	assert_file_exists "$T/pub/trade.tsv"
	assert_regex "$(cat "$T/pub.log")" "published $T/pub -> \.pub\.builds/"
	first=$(readlink "$T/pub")
	# a second run while the lock is held: exit 75, nothing changed
	exec 8>>"$T/.pub.builds/lock"
	flock -n 8
	run --separate-stderr cron outputs
	exec 8>&-
	assert_failure 75
	assert_regex "$stderr" "another build holds .*lock; not started"
	assert_equal "$(readlink "$T/pub")" "$first"
	# the lock free again, a rerun publishes a new build (nothing rebuilt)
	run --separate-stderr cron outputs
	assert_success
	[ "$(readlink "$T/pub")" != "$first" ] || fail "no new build published"
	cmp "$T/pub/trade.tsv" "$T/.pub.builds/${first#.pub.builds/}/trade.tsv"
}

@test "cron: a failing stage keeps the previous build published, exit status non-zero" {
	cron outputs
	good=$(readlink "$T/pub")
	sum=$(cd "$T/pub" && find . -type f | sort | xargs sha256sum)
	printf 'rules:\n  - {id: x, source: s, reason: r, match: {counterpart: CHN}, factr: 2}\n' >"$T/bad.yaml"
	run --separate-stderr cron outputs NKITW_RULES="$T/bad.yaml"
	assert_failure 2
	assert_regex "$stderr" "^nktrade cron: build failed \\(make exited 2\\), exit 2; $T/pub unchanged; see $T/pub.log$"
	assert_equal "$(readlink "$T/pub")" "$good"
	assert_equal "$(cd "$T/pub" && find . -type f | sort | xargs sha256sum)" "$sum"
	assert_regex "$(cat "$T/pub.log")" "bad.yaml:2:"
	assert_regex "$(cat "$T/pub.log")" "FAILED \\(2\\)"
}

@test "cron: a plain out/ directory from make run becomes the first published build" {
	build "$T/pub" outputs >/dev/null 2>&1
	run --separate-stderr cron outputs
	assert_success
	[ -L "$T/pub" ] || fail "$T/pub is not a symbolic link"
	run ls "$T/.pub.builds"
	assert_line --regexp '^plain-'
	assert_file_exists "$T/pub/trade.tsv"
}

# dom FILE: the page as headless Chromium leaves it after its scripts ran
# (stderr, with the browser's console messages, in $T/chromium.err).
dom() {
	command -v chromium >/dev/null || skip "no chromium (Debian package chromium; make deps)"
	timeout 120 chromium --headless --no-sandbox --disable-gpu --no-first-run --user-data-dir="$T/chromium" \
		--enable-logging=stderr --v=0 --dump-dom "file://$1" 2>"$T/chromium.err"
}

@test "report.html: in Chromium its numbers equal the TSV tables, every chart is drawn, no console message" {
	build "$T/out" outputs >/dev/null 2>&1
	run dom "$T/out/report.html"
	assert_success
	charts=$(ls "$T"/out/charts/*.svg | wc -l)
	[ "$charts" -ge 7 ] || fail "only $charts charts"
	assert_file_exists "$T/out/charts/sanctions.svg"
	assert_output --regexp "<p id=\"selfcheck\" data-status=\"ok\" data-cells=\"[0-9]{3,}\" data-charts=\"$charts/$charts\" data-tables=\"[^\"]*\">"
	dom=$output
	# the sanctions chart is in the page and drawn (counted in data-charts)
	grep -q '<title>Trade in goods under UN sanctions' "$T/out/report.html" || fail "no sanctions chart in the page"
	# the sanctions and DOTS tables' cells were checked against their TSV
	tables=$(sed -n 's/.*<p id="selfcheck"[^>]* data-tables="\([^"]*\)".*/\1/p' <<<"$dom")
	for t in summary-sanction.tsv summary-sanction-group.tsv dots/summary-year.tsv dots/published.tsv summary-year.tsv; do
		[[ " $tables " =~ \ $t:[1-9][0-9]*\  ]] || fail "no cell of $t checked ($tables)"
	done
	run grep -c ':CONSOLE(' "$T/chromium.err"
	assert_output 0
	# the TSV the page checks against is the files, byte for byte
	for f in "$T"/out/summary-*.tsv "$T"/out/published.tsv "$T"/out/dots/summary-year.tsv "$T"/out/dots/published.tsv; do
		n=${f#"$T"/out/}
		grep -q "data-tsv=\"$n\"" "$T/out/report.html" || continue
		awk -v n="$n" '$0 == "<script type=\"text/tab-separated-values\" data-tsv=\"" n "\">" { on = 1; next }
			on && /^<\/script>$/ { exit } on' "$T/out/report.html" | cmp - "$f" || fail "embedded $n differs"
	done
	# nothing is fetched: no external script, style sheet, image, frame or font
	run grep -Eic '<script[^>]*src=|<link|<img|<iframe|url\(|@import|@font-face' "$T/out/report.html"
	assert_output 0
	# the years a flow has no partner's report are said to be without data,
	# and only those
	python3 - "$T/out/report.html" "$T/out/trade.tsv" <<'PY'
import re, sys
page = open(sys.argv[1]).read()
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[2])]
c = {n: i for i, n in enumerate(rows[0])}
have = {"X": set(), "M": set()}
years = set()
for r in rows[1:]:
    years.add(int(r[c["year"]]))
    if r[c["source"]] not in ("mou", "rule") and r[c["nk_flow"]] in have:
        have[r[c["nk_flow"]]].add(int(r[c["year"]]))
def expand(text):
    out = set()
    for part in text.split(", "):
        a, _, b = part.partition("-")
        out |= set(range(int(a), int(b or a) + 1)) if part != "none" else set()
    return out
for flow, what in (("X", "exports"), ("M", "imports")):
    m = re.search(r"<li>The DPRK's %s \(partners' reports\):.*?<b>no data</b> in <b>([^<]*)</b>" % what, page)
    assert m, "no coverage line for " + what
    want = set(range(min(years), max(years) + 1)) - have[flow]
    assert expand(m.group(1)) == want, (what, m.group(1), sorted(want))
PY
	# every year between the first and the last without data is said to be one
	missing=$(awk -F'\t' 'NR > 1 { if (p && $1 > p + 1) for (y = p + 1; y < $1; y++) printf "%d ", y; p = $1 }' \
		"$T/out/summary-year.tsv")
	for y in $missing; do
		grep -q "<tr><td>$y</td><td class=\"gap\" colspan=\"[0-9]*\">no data</td>" "$T/out/report.html" ||
			fail "year $y has no 'no data' row"
	done
}

@test "report.html: a number that differs from its TSV fails the page's self-check" {
	build "$T/out" outputs >/dev/null 2>&1
	# one shown value changed (its data-v and its text), the TSV left alone:
	# the first year whose exports are known (an empty cell shows 'no data')
	awk '!done && /data-src="summary-year.tsv" data-row="[0-9]*" data-col="exports" data-v="[0-9]/ {
		sub(/data-v="[0-9.-]*"/, "data-v=\"1\""); done = 1 } { print }' "$T/out/report.html" >"$T/bad.html"
	run dom "$T/bad.html"
	assert_output --regexp '<p id="selfcheck" data-status="fail"[^>]*>Self-check FAILED: summary-year.tsv row [0-9]+ exports: page 1, TSV [0-9]+'
	# and in the sanctions and DOTS tables: a shown figure changed (text only)
	for src in summary-sanction.tsv dots/published.tsv; do
		awk -v src="$src" 'BEGIN { re = src; gsub(/[.\/]/, "\\\\&", re); re = "data-src=\"" re "\"[^>]*>[0-9,.]+<" }
			!done && match($0, re) { m = substr($0, RSTART, RLENGTH); sub(/>[0-9,.]+<$/, ">9,999.9<", m)
				$0 = substr($0, 1, RSTART - 1) m substr($0, RSTART + RLENGTH); done = 1 }
			{ print }' "$T/out/report.html" >"$T/bad2.html"
		! cmp -s "$T/out/report.html" "$T/bad2.html" || fail "no $src cell to change"
		run dom "$T/bad2.html"
		assert_output --regexp "<p id=\"selfcheck\" data-status=\"fail\"[^>]*>Self-check FAILED: $src row [0-9]+ [a-z_]+: shows 9,999.9, value "
	done
}

@test "scale.mk: the build in 4 year partitions, make -j2, merged partials equal the single build's tables" {
	build "$T/out" outputs >/dev/null 2>&1
	run env -u MAKELEVEL make --no-print-directory -j2 -f pipelines/scale.mk B="$B" OUT="$T/out" SO="$T/scale" PARTS=4 check
	assert_success
	assert_output --partial "scale: 4 partitions + mou, merged: 5 tables equal the single build's"
	# the partitions really split the years: each holds some, none twice
	n=0
	for p in 0 1 2 3; do
		k=$(($(wc -l <"$T/scale/part-$p.tsv") - 1))
		[ "$k" -gt 0 ] || fail "partition $p is empty"
		n=$((n + k))
	done
	assert_equal "$n" "$(($(wc -l <"$T/scale/slice.tsv") - 1))"
}
