# union.awk -v cols='a b c' FILE...: the rows of several TSV files with
# different headers as one table: `stage` (the file name up to its first '.'),
# then the columns named in cols, found in each file by header name (empty
# where a file has no such column). Every row of every file is kept.
BEGIN {
	FS = OFS = "\t"
	n = split(cols, want, " ")
	printf "stage"
	for (i = 1; i <= n; i++) printf "\t%s", want[i]
	printf "\n"
}
FNR == 1 {
	stage = FILENAME
	sub(/.*\//, "", stage)
	sub(/\..*/, "", stage)
	delete at
	for (i = 1; i <= NF; i++) at[$i] = i
	next
}
{
	printf "%s", stage
	for (i = 1; i <= n; i++) printf "\t%s", ((want[i] in at) ? $(at[want[i]]) : "")
	printf "\n"
}
