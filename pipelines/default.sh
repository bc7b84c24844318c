#!/bin/sh
# The default pipeline (`make run`): every stage that exists, in order, on the
# inputs shipped in data/. Output goes to build/run/.
set -eu
cd "$(dirname "$0")/.."
B=build/bin
out=build/run
mkdir -p "$out"
have() { [ -x "$B/$1" ]; }

if ! have nk-fetch-parse; then
	echo "make run: nk-fetch-parse is not built yet; nothing to run" >&2
	exit 0
fi

# Stage 1: the DPRK slice of every file in data/comtrade/ (Comtrade Plus and
# legacy CSVs), with partner-KOR rows for misreport screening. Removed rows
# and their reasons go to fetch-parse.rejects.tsv.
"$B/nk-fetch-parse" --with-partner KOR --rejects "$out/fetch-parse.rejects.tsv" \
	-o "$out/fetch-parse.tsv" data/comtrade/*.csv

# Stage 2: HS codes restored (lost leading zeros) and checked against the
# nomenclature of each row's revision; chapter, section (with names) and BEC
# Rev.4 production stage added. Nothing is dropped: unknown codes are counted.
"$B/nk-normalize-hs" --names -o "$out/normalize-hs.tsv" "$out/fetch-parse.tsv"

# Stage 3: the DPRK view (mirror flip) and the sourced corrections of
# rules/corrections.yaml; every change in correct.audit.tsv, every dropped row
# (KOR screening rows, re-exports, exclusions) in correct.rejects.tsv.
if have nk-correct; then
	"$B/nk-correct" --rules rules/corrections.yaml --audit "$out/correct.audit.tsv" \
		--rejects "$out/correct.rejects.tsv" -o "$out/correct.tsv" "$out/normalize-hs.tsv"
fi

# Stage 4: inter-Korean trade from the Ministry of Unification
# (data/interkorean/mou.tsv), with Kaesong and non-commercial trade included
# as North Korea in the World does. The legacy Comtrade files carry South
# Korea's own reports of trade with the DPRK (counterpart KOR): MOU's figures
# replace them (--replace-kor), the dropped rows go to merge-interkorean.rejects.tsv.
if have nk-merge-interkorean; then
	"$B/nk-merge-interkorean" --replace-kor --rejects "$out/merge-interkorean.rejects.tsv" \
		-o "$out/merge-interkorean.tsv" "$out/correct.tsv"
fi

# Stage 5: the tables. nk-normalize-hs runs again first so that the rows
# rules added (the crude-oil estimate, source 'rule', made after stage 2)
# get their chapter and section too (re-running replaces its columns in
# place). The shipped files hold chapters (27, 44) and, for the same
# counterpart-years, subheading 270900: --level hs2 counts the chapters
# (and the rule rows) and not the subheadings, which are inside them.
if have nk-correct && have nk-summarize; then
	"$B/nk-normalize-hs" --names -o "$out/correct-hs.tsv" "$out/correct.tsv"
	"$B/nk-summarize" --level hs2 --by year -o "$out/summary-year.tsv" "$out/correct-hs.tsv"
	"$B/nk-summarize" -q --level hs2 --by partner -o "$out/summary-partner.tsv" "$out/correct-hs.tsv"
fi
