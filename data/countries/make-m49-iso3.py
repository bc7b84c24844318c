#!/usr/bin/env python3
"""Build m49-iso3.tsv (Comtrade/BACI numeric area code -> ISO3) from the
reference files beside it. Run from this directory: python3 make-m49-iso3.py
The output is committed; nothing at build or run time needs this script.
Precedence (first source that gives a code wins):
  1. decisions below (OVERRIDES), each with its reason;
  2. Comtrade Plus Reporters.json, where its ISO3 is three letters A-Z
     (Comtrade's own codes: 842 USA, 251 FRA, 699 IND, 757 CHE, 579 NOR,
     278 DDR, 810 SUN, 890 YUG, 200 CSK, 280 DEU, ...);
  3. UNSD M49 (UNSD-M49-en.csv), codes unpadded;
  4. datasets/country-codes (country-codes.csv), M49 then ISO numeric;
  5. legacy Comtrade partnerAreas.json: codes still missing are areas with
     no ISO3 (nes areas, bunkers, free zones, ...): listed with an empty iso3
     so that the tool knows them (they are not counted as unknown codes)."""
import csv, json, re

OVERRIDES = {
    0: ("WLD", "World", "contract: World is WLD (Comtrade writes W00/WLD)"),
    490: ("TWN", "Other Asia, nes (Taiwan)",
          "Comtrade writes S19 (not an ISO3 code, and a group flag); its note says "
          "only 'Other Asia, not elsewhere specified'; in Comtrade data this code "
          "carries Taiwan's trade (Taiwan is not a UN member and has no own code "
          "there), so TWN; reporter_m49/partner_m49 490 keeps Comtrade's code"),
    711: ("ZAF", "Southern African Customs Union (...1999)",
          "Comtrade writes ZA1; until 1999 South Africa reported for the whole "
          "SACU (ZAF BWA LSO NAM SWZ); ZAF continues the series of 710; "
          "reporter_m49/partner_m49 711 keeps the distinction"),
}

rows = {}
def put(code, iso3, name, src):
    if code not in rows:
        rows[code] = (iso3, name, src)

for c, (i, n, why) in OVERRIDES.items():
    put(c, i, n, "decision: " + why)
rep = json.load(open("comtradeplus-Reporters.json", encoding="utf-8"))["results"]
for r in sorted(rep, key=lambda r: r["reporterCode"]):
    iso = (r.get("reporterCodeIsoAlpha3") or "").strip()
    note = "Comtrade Plus Reporters.json"
    if r.get("isGroup"):
        note += " (a group of countries)"
    if re.fullmatch("[A-Z]{3}", iso):
        put(r["reporterCode"], iso, r["reporterDesc"], note)
    else:
        put(r["reporterCode"], "", r["reporterDesc"],
            note + f": Comtrade code {iso!r} is not an ISO3 code")
for r in csv.DictReader(open("UNSD-M49-en.csv", encoding="utf-8-sig")):
    if r["M49 Code"] and r["ISO-alpha3 Code"]:
        put(int(r["M49 Code"]), r["ISO-alpha3 Code"], r["Country or Area"], "UNSD M49")
for r in csv.DictReader(open("country-codes.csv", encoding="utf-8-sig")):
    iso = r["ISO3166-1-Alpha-3"]
    name = r["UNTERM English Short"] or r["official_name_en"]
    for k in ("M49", "ISO3166-1-numeric"):
        if r[k] and iso:
            put(int(r[k]), iso, name, "datasets/country-codes " + k)
for r in json.load(open("comtrade-legacy-partnerAreas.json", encoding="utf-8"))["results"]:
    if r["id"].isdigit():
        put(int(r["id"]), "", r["text"], "legacy Comtrade partnerAreas.json (no ISO3)")

with open("m49-iso3.tsv", "w", encoding="utf-8", newline="\n") as f:
    f.write("m49\tiso3\tname\tsource\n")
    for c in sorted(rows):
        i, n, s = rows[c]
        f.write(f"{c}\t{i}\t{n}\t{s}\n")
