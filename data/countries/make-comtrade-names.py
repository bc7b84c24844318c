#!/usr/bin/env python3
"""Build comtrade-names.tsv (Comtrade's country names -> numeric code) from
Comtrade's own lists beside it. Run from this directory:
python3 make-comtrade-names.py. The output is committed; nothing at build or
run time needs this script.

nk-fetch-parse reads it for name-only totals tables (date,value,reporter,
partner): a reporter name is looked up in the `reporter` list (Comtrade Plus
Reporters.json, reporterDesc), a partner name in the `partner` list (legacy
Comtrade partnerAreas.json, text). The lists differ where Comtrade's codes
do (Italy: reporter 380, partner 381). Each name is unique within its list
(checked here); ISO3 then comes from m49-iso3.tsv like every other code."""
import json

rows = []
rep = json.load(open("comtradeplus-Reporters.json", encoding="utf-8"))["results"]
for r in rep:
    rows.append(("reporter", r["reporterDesc"], r["reporterCode"]))
par = json.load(open("comtrade-legacy-partnerAreas.json", encoding="utf-8"))["results"]
for r in par:
    if r["id"].isdigit():
        rows.append(("partner", r["text"], int(r["id"])))
seen = {}
for l, n, c in rows:
    assert "\t" not in n and "\\" not in n, n
    assert seen.setdefault((l, n), c) == c, f"{l} name {n!r} has two codes"
with open("comtrade-names.tsv", "w", encoding="utf-8", newline="\n") as f:
    f.write("list\tname\tcode\n")
    for l, n, c in sorted(set(rows)):
        f.write(f"{l}\t{n}\t{c}\n")
