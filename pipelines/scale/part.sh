#!/bin/sh
# pipelines/scale/part.sh IN.tsv OUTPREFIX REPORTS...: the default chain after
# nk-fetch-parse on one partition of the DPRK slice, ending in one exact
# nk-summarize --partial per report (OUTPREFIX.REPORT.partial), which
# `nk-summarize --merge` adds up into the reports one run over everything
# gives, byte for byte. IN.tsv is contract TSV (nk-fetch-parse's output, split
# by year or by reporter: see pipelines/SCALE.md for why a partition must hold
# all of a counterpart's year). IN.tsv = `mou` makes the partition of
# inter-Korean trade instead (MOU's rows alone: every other partition drops
# KOR's own reports and adds no MOU year, so the trade is counted once).
# Environment: NK_BIN (default build/bin), NKITW_RULES (default
# rules/corrections.yaml), MOU_TABLE (default data/interkorean/mou.tsv).
set -eu
[ $# -ge 3 ] || { echo "usage: part.sh IN.tsv|mou OUTPREFIX REPORT..." >&2; exit 2; }
cd "$(dirname "$0")/../.."
in=$1 pre=$2
shift 2
bin=${NK_BIN:-build/bin}
rules=${NKITW_RULES:-rules/corrections.yaml}
mou=${MOU_TABLE:-data/interkorean/mou.tsv}
export LC_ALL=C NK_DATADIR=$PWD
tmp=$pre.trade.tsv
if [ "$in" = mou ]; then
	# a header with no rows, then MOU's rows for every year of the table
	printf 'source\tyear\tperiod\treporter\treporter_m49\tpartner\tpartner_m49\tflow\ths_rev\ths\tvalue_usd\tcif_usd\tfob_usd\tnetwgt_kg\tqty\tqty_unit\n' |
		"$bin/nk-normalize-hs" -q --names | "$bin/nk-correct" -q $(printf -- '-r %s ' $rules) |
		"$bin/nk-merge-interkorean" -q --table "$mou" --replace-kor |
		"$bin/nk-normalize-hs" -q --names --rev-by-year -o "$tmp"
else
	# --years 1962: no MOU year (before the table), so this partition adds none
	"$bin/nk-normalize-hs" -q --names "$in" | "$bin/nk-correct" -q $(printf -- '-r %s ' $rules) |
		"$bin/nk-merge-interkorean" -q --table "$mou" --replace-kor --years 1962 |
		"$bin/nk-normalize-hs" -q --names --rev-by-year -o "$tmp"
fi
awk -v rejects="$pre.level.rejects.tsv" -f pipelines/level.awk "$tmp" "$tmp" >"$pre.level.tsv"
for r in "$@"; do
	"$bin/nk-summarize" -q --partial --by "$r" -o "$pre.$r.partial" "$pre.level.tsv"
done
rm -f "$tmp"
