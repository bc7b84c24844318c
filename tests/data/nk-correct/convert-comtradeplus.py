#!/usr/bin/env python3
"""Convert the real Comtrade Plus sample's rows with partner PRK or KOR into
contract TSV (a stand-in for nk-fetch-parse until it lands; see README.md).

usage: convert-comtradeplus.py TradeData.csv > chn-usa-prk-kor-2022.tsv
"""
import csv, sys

COLS = ["source", "year", "period", "reporter", "reporter_m49", "partner",
        "partner_m49", "flow", "hs_rev", "hs", "value_usd", "cif_usd",
        "fob_usd", "netwgt_kg", "qty", "qty_unit"]
with open(sys.argv[1], encoding="latin-1", newline="") as f:
    rows = csv.DictReader(f)
    out = ["\t".join(COLS)]
    for r in rows:
        if r["partnerISO"] not in ("PRK", "KOR"):
            continue
        out.append("\t".join([
            "comtrade", r["refYear"], r["period"], r["reporterISO"],
            r["reporterCode"], r["partnerISO"], r["partnerCode"], r["flowCode"],
            r["classificationCode"], r["cmdCode"], r["primaryValue"],
            r["cifvalue"], r["fobvalue"],
            # TOTAL rows carry netWgt/qty 0 flagged as estimated: unknown
            "", "", ""]))
sys.stdout.write("\n".join(out) + "\n")
