# precedence.awk -v rejects=FILE FIRST.tsv OTHER.tsv...: one source per
# trade between nk-fetch-parse outputs (the default build's stage 1c).
# The files are given in order of precedence: a row whose reporter, partner,
# flow and period (ISO3 codes) an earlier file already gives at hs TOTAL is
# left out and goes to `rejects` (the contract's rejects layout: the row,
# then reason, rule, file, line), counted on stderr; every other row is
# written. Every file must carry the first one's header (columns by name).
# Memory: one entry per TOTAL row of the files.
BEGIN { FS = OFS = "\t" }
FNR == 1 {
	nfile++
	if (NR == 1) {
		hdr = $0
		for (i = 1; i <= NF; i++) col[$i] = i
		for (k = split("reporter partner flow period hs", need, " "); k > 0; k--)
			if (!(need[k] in col)) { print "precedence.awk: " FILENAME ": no column " need[k] > "/dev/stderr"; bad = 1; exit 1 }
		r = col["reporter"]; p = col["partner"]; f = col["flow"]; y = col["period"]; h = col["hs"]
		print
		print hdr, "reason", "rule", "file", "line" > rejects
	} else if ($0 != hdr) {
		print "precedence.awk: " FILENAME ": header differs from the first file's" > "/dev/stderr"
		bad = 1
		exit 1
	}
	next
}
{ k = $r SUBSEP $p SUBSEP $f SUBSEP $y }
(k in have) && have[k] != nfile {
	print $0, "an earlier source (" from[k] ") gives this reporter, partner, flow and period at hs TOTAL", "precedence", FILENAME, FNR > rejects
	dropped++
	next
}
{
	if ($h == "TOTAL" && !(k in have)) { have[k] = nfile; from[k] = FILENAME }
	print
}
END {
	if (!bad)
		printf "precedence.awk: %d rows left out (an earlier source has them)\n", dropped > "/dev/stderr"
	exit bad
}
