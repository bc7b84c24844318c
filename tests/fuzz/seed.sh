#!/bin/sh
# Seed inputs for the harnesses that read whole files with an option byte
# first (fetch-parse.h: comtrade, baci, dots, totals; fz-mou.c: mou), cut
# from the real files in data/ and tests/cases: the header and a window of
# rows (at most ~3.5 KB, under run.sh's max_len), each behind a few option
# bytes. run.sh gives them to libFuzzer next to the saved corpus.
#   sh tests/fuzz/seed.sh NAME DIR     (prints how many; none for other NAMEs)
set -eu
cd "$(dirname "$0")/../.."
name=$1 dir=$2
mkdir -p "$dir"
D=tests/cases/nk-fetch-parse/_data
k=0

# seed FILE OPTBYTES...: the header and windows of rows from FILE (gzip and
# JSON files whole, if small enough), each behind each option byte.
seed() {
	f=$1
	shift
	case $f in
	*.gz | *.json)
		[ "$(wc -c <"$f")" -le 4000 ] || return 0
		for b in "$@"; do
			k=$((k + 1))
			{ printf "\\$(printf %03o "$b")"; cat "$f"; } >"$dir/seed-$k"
		done
		return 0 ;;
	esac
	lines=$(wc -l <"$f")
	start=2
	while [ "$start" -le "$lines" ] || [ "$start" -eq 2 ]; do
		for b in "$@"; do
			k=$((k + 1))
			{
				printf "\\$(printf %03o "$b")"
				head -1 "$f"
				# a window cut inside a line loses that line
				tail -n +"$start" "$f" | head -c 3400 >"$dir/.w"
				if [ "$(wc -c <"$dir/.w")" -lt 3400 ]; then cat "$dir/.w"; else sed '$d' "$dir/.w"; fi
			} >"$dir/seed-$k"
		done
		# a few windows per file, spread over it
		step=$(((lines + 3) / 4))
		[ "$step" -ge 8 ] || step=8
		start=$((start + step))
	done
}

# option bytes (fetch-parse.h): 0 defaults; 5 -k -a; 3 -k --rejects;
# 27 -k --rejects --keep-world --any-* --dots-estimates; 65 -k latin1;
# 96 -w KOR; 135 -k --rejects -a --flow M --hs-rev H5
O="0 5 3 27 65 96 135"
case $name in
comtrade)
	for f in data/comtrade/*.csv data/comtrade-pandas/*.csv $D/plus-*.csv $D/pandas-*.csv \
		$D/legacy-*.csv $D/comtrade_*.csv $D/bad-*.csv $D/bad-*.gz $D/*.json \
		$D/formats/same-*; do
		seed "$f" $O
	done ;;
baci)
	seed $D/formats/BACI_HS12_Y2013_V202401.csv $O
	# BACI's other spellings (tools/nk-fetch-parse.c: padded names, NA
	# weights), made from the same rows
	t=$(mktemp)
	sed '1s/.*/   t,     i,     j,            k,           v,          q/; 3s/,[^,]*$/,NA/; 4s/,/, /g' \
		$D/formats/baci-no-rev.csv >"$t"
	seed "$t" $O
	rm -f "$t" ;;
dots)
	for f in data/dots/*.csv $D/dots-*.csv; do
		seed "$f" $O
	done ;;
totals)
	for f in data/comtrade-totals/*.csv $D/totals-*.csv; do
		seed "$f" 0 5 3 135
	done ;;
mou)
	# option bytes (fz-mou.c): 0 defaults, replace-kor; 8 keep-kor; 13
	# kaesong exclude, noncommercial exclude, keep-kor; 2 kaesong only; 16
	# neither; 96, 230 --years ranges
	for f in data/interkorean/mou.tsv tests/cases/nk-merge-interkorean/_data/table.tsv \
		tests/cases/nk-merge-interkorean/*/table.tsv; do
		seed "$f" 0 8 13 2 16 96 230
	done ;;
*) exit 0 ;;
esac
rm -f "$dir/.w"
echo "$name: $k seeds in $dir"
