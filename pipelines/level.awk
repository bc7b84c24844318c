# level.awk -v rejects=FILE TRADE TRADE: one level of detail per
# counterpart, year and flow, so no trade is summed twice. Where such a group
# holds rows at several levels (a TOTAL row and chapters, or chapter 27 and
# subheading 270900 inside it), the coarsest level is kept (TOTAL, then
# chapters, headings, subheadings: it holds the trade the finer rows leave
# out) and the finer rows go to the rejects file with reason and the line,
# like every stage's drops. The group spans sources: the totals tables
# (source comtrade-totals, TOTAL) and the legacy chapter files (27, 44) give
# the same counterpart-years 2014-2017, and the TOTAL holds the chapters.
# Rows of source `rule` (added by nk-correct) are
# separate trade and always kept. Give the file twice: the first pass finds
# each group's levels (memory: one entry per group), the second writes.
# The level of a code is nk-summarize's: TOTAL, 1-2 digits a chapter, 3-4 a
# heading, 5-6 a subheading.
BEGIN { FS = OFS = "\t" }
function level(hs) { return hs == "TOTAL" ? 0 : length(hs) <= 2 ? 1 : length(hs) <= 4 ? 2 : 3 }
function key() { return $c["counterpart"] SUBSEP $c["year"] SUBSEP $c["nk_flow"] }
FNR == 1 {
	pass++
	for (i = 1; i <= NF; i++) c[$i] = i
	for (n in need) if (!(n in c)) { printf "level.awk: %s:1: no column '%s'\n", FILENAME, n > "/dev/stderr"; exit 1 }
	if (pass == 2) { print; print $0, "reason", "rule", "file", "line" > rejects }
	next
}
pass == 1 && $c["source"] != "rule" {
	k = key(); l = level($c["hs"])
	if (!(k in top) || l < top[k]) top[k] = l
	next
}
pass == 2 {
	if ($c["source"] == "rule" || level($c["hs"]) == top[key()]) print
	else print $0, "finer than the group's coarsest level (" lname[top[key()]] ")", "", FILENAME, FNR > rejects
}
BEGIN {
	split("source counterpart year nk_flow hs", t, " ")
	for (i in t) need[t[i]] = 1
	lname[0] = "TOTAL"; lname[1] = "chapter"; lname[2] = "heading"; lname[3] = "subheading"
}
