#!/bin/sh
# summary.sh OUT: the lines `make run` ends with, for a person: what the
# build covers (trade.tsv), the latest year's totals (summary-year.tsv)
# beside KOTRA's published ones, how many rows were dropped or changed, and where to look next.
set -eu
out=${1:-out}
export LC_ALL=C
[ -f "$out/trade.tsv" ] || { echo "summary.sh: no $out/trade.tsv (run make run first)" >&2; exit 1; }

awk -F'\t' -v out="$out" '
# an empty cell is unknown (no rows): said so, never 0.0
function musd(v) { return v == "" ? "no data" : sprintf("%.1f", v / 1e6) }
# 1988 1989 1990 1995 -> 1988-1990, 1995
function ranges(list,   n, y, i, s, a, b) {
	n = split(list, y, " ")
	s = ""
	for (i = 1; i <= n; i = b + 1) {
		a = i
		for (b = i; b < n && y[b + 1] == y[b] + 1; b++) ;
		s = s (s == "" ? "" : ", ") (a == b ? y[a] : y[a] "-" y[b])
	}
	return s
}
FILENAME ~ /trade\.tsv$/ && FNR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
FILENAME ~ /trade\.tsv$/ {
	y = $(c["year"]); k = $(c["counterpart"]); src = $(c["source"])
	rows++
	if (src == "mou") { mou[y] = 1; next }
	# reports of partners (and the rows rules added to them)
	if (src != "rule") seen[y] = 1
	cp[k] = 1
	ycp[y, k] = 1
	next
}
FILENAME ~ /summary-year\.tsv$/ && FNR == 1 { for (i = 1; i <= NF; i++) s[$i] = i; next }
FILENAME ~ /summary-year\.tsv$/ {
	for (k in s) v[$(s["year"]), k] = $(s[k])
	# empty cells: sums over no rows, unknown
	if ($(s["exports_excl_ik"]) == "") nox = nox " " $(s["year"])
	if ($(s["imports_excl_ik"]) == "") nom = nom " " $(s["year"])
	if ($(s["interkorean"]) == "") noik = noik " " $(s["year"])
	next
}
FILENAME ~ /published\.tsv$/ && FNR > 1 && $2 == "KOTRA" { kotra[$1, $3] = $4; next }
FILENAME ~ /rejects\.tsv$/ && FNR > 1 { if ($1 == "level") lev++; else rej++; next }
FILENAME ~ /audit\.tsv$/ && FNR > 1 { aud++; next }
END {
	n = 0
	for (y in seen) ys[++n] = y
	# insertion sort: a few dozen years
	for (i = 2; i <= n; i++) { t = ys[i]; for (j = i - 1; j >= 1 && ys[j] > t; j--) ys[j + 1] = ys[j]; ys[j + 1] = t }
	list = ""
	for (i = 1; i <= n; i++) list = list " " ys[i]
	last = ys[n]
	m = 0; for (k in cp) m++
	ml = 0; for (k in cp) if ((last, k) in ycp) ml++
	n2 = 0
	for (y in mou) ms[++n2] = y
	for (i = 2; i <= n2; i++) { t = ms[i]; for (j = i - 1; j >= 1 && ms[j] > t; j--) ms[j + 1] = ms[j]; ms[j + 1] = t }
	mlist = ""
	for (i = 1; i <= n2; i++) mlist = mlist " " ms[i]
	printf "\nnktrade: %d rows of DPRK trade: partners\047 reports %s (%d counterparts, %d in %s)\n", \
		rows, ranges(list), m, ml, last
	if (n2) printf "  inter-Korean trade (MOU) %s\n", ranges(mlist)
	if (nox nom noik != "")
		printf "  no data (empty cells, not 0): partners\047 exports %s; imports %s; inter-Korean %s\n", \
			nox == "" ? "none" : ranges(nox), nom == "" ? "none" : ranges(nom), noik == "" ? "none" : ranges(noik)
	printf "  %s, million USD         exports %9s   imports %9s   total %9s\n", last, \
		musd(v[last, "exports"]), musd(v[last, "imports"]), musd(v[last, "total"])
	printf "    without inter-Korean  exports %9s   imports %9s   total %9s\n", \
		musd(v[last, "exports_excl_ik"]), musd(v[last, "imports_excl_ik"]), musd(v[last, "total_excl_ik"])
	if ((last, "total") in kotra)
		printf "    KOTRA, published      exports %9s   imports %9s   total %9s\n", \
			musd(kotra[last, "exports"]), musd(kotra[last, "imports"]), musd(kotra[last, "total"])
	else
		printf "    KOTRA: no published total for %s in data/published/\n", last
	printf "  %d rows dropped by the stages, %d finer-level rows not summed (%s/rejects.tsv)\n", rej, lev, out
	printf "  %d rows changed, removed or added by rules (%s/audit.tsv)\n", aud, out
	printf "  data: %s/trade.tsv, tables %s/summary-*.tsv\n", out, out
	printf "  report: %s/report.html\n", out
}' "$out/trade.tsv" "$out/summary-year.tsv" "$out/published.tsv" "$out/rejects.tsv" "$out/audit.tsv"
