#!/usr/bin/env python3
"""Build imf-iso3.tsv (IMF country code -> ISO3, as in IMF Direction of Trade
Statistics) from the files named below. Run from this directory:
python3 make-imf-iso3.py. The output is committed; nothing at build or run
time needs this script.

Columns: imf (the IMF code as a number), iso3 (empty: none), name, kind,
source. kind is what nk-fetch-parse does with a row of that code:
  country    a country or territory: kept;
  world      World (001): dropped and counted, like World in Comtrade
             (--keep-world keeps it);
  aggregate  a group the IMF lists beside its members (Advanced Economies,
             Euro Area, European Union, regions, CIS, ...): dropped and
             counted, or its trade would be counted twice;
  nes        "Other Countries not included elsewhere" (910): a residual, not a
             sum of listed countries: kept, with no ISO3.
Sources, first that gives a code wins:
  1. decisions below (DECISIONS), each with its reason;
  2. countrycode-codelist.csv (R package countrycode, its `imf` and `iso3c`
     columns; see SOURCES.md); a code there without iso3c (Kosovo 967) is
     kept with an empty ISO3;
  3. the IMF's own names of the codes in the DOTS file
     (../dots/DOT_timeSeries_2016-2018_PRK_rows.csv) for the codes neither
     gives: those are the IMF's groups, listed in AGGREGATES below."""
import csv

DOTS = "../dots/DOT_timeSeries_2016-2018_PRK_rows.csv"
DECISIONS = {
    1: ("WLD", "world", "contract: World is WLD (the IMF's code is 001)"),
    954: ("PRK", "country",
          "the DPRK: countrycode lists no IMF code for it; the DOTS file names "
          "954 \"Korea, Dem. People's Rep. of\" (ISO 3166 PRK)"),
    188: ("YUG", "country", "historical: the ISO3 Comtrade gives Yugoslavia "
          "(m49-iso3.tsv, 890); countrycode has no iso3c for it"),
    934: ("CSK", "country", "historical: the ISO3 Comtrade gives Czechoslovakia "
          "(m49-iso3.tsv, 200); countrycode has no iso3c for it"),
    353: ("ANT", "country", "historical: the ISO3 Comtrade gives the Netherlands "
          "Antilles (m49-iso3.tsv, 530); countrycode has no iso3c for it"),
    910: ("", "nes",
          "the DOTS file names 910 \"Other Countries not included elsewhere\": "
          "a residual with no ISO3, not a group of listed countries"),
}
# Codes the DOTS file uses for groups of countries (its own names, read from
# the file): every one is a sum of countries that DOTS also lists.
AGGREGATES = [80, 92, 110, 163, 200, 205, 400, 405, 505, 603, 605, 901, 903, 998]

names = {}
for r in csv.DictReader(open(DOTS, encoding="utf-8-sig")):
    names[int(r["Country Code"])] = r["Country Name"]
    names[int(r["Counterpart Country Code"])] = r["Counterpart Country Name"]

rows = {}
for c, (iso, kind, why) in DECISIONS.items():
    rows[c] = (iso, names.get(c, ""), kind, "decision: " + why)
cc = {}
for r in csv.DictReader(open("countrycode-codelist.csv", encoding="utf-8")):
    if r["imf"]:
        cc[int(r["imf"])] = r
for c in (188, 934, 353):
    rows[c] = (rows[c][0], cc[c]["country.name.en"], rows[c][2], rows[c][3])
for c in AGGREGATES:
    rows[c] = ("", names[c], "aggregate", "DOTS file name (a group of countries)")
for r in csv.DictReader(open("countrycode-codelist.csv", encoding="utf-8")):
    if not r["imf"]:
        continue
    c = int(r["imf"])
    if c in rows:
        continue
    rows[c] = (r["iso3c"], r["country.name.en"], "country",
               "countrycode codelist" + ("" if r["iso3c"] else " (no iso3c)"))
missing = sorted(set(names) - set(rows))
assert not missing, f"codes of the DOTS file not mapped: {missing}"

with open("imf-iso3.tsv", "w", encoding="utf-8", newline="\n") as f:
    f.write("imf\tiso3\tname\tkind\tsource\n")
    for c in sorted(rows):
        i, n, k, s = rows[c]
        f.write(f"{c}\t{i}\t{n}\t{k}\t{s}\n")
