#!/usr/bin/env python3
"""Make the nk-fetch-parse test inputs in this directory from the real files
in data/comtrade/ and ../shared/reference-data/ (see SOURCES.md here).
Run from this directory; the outputs are committed, the tests do not need
Python. Lines taken from real files are copied byte for byte; every changed
field is said below."""
import csv, gzip, io, json, os

ROOT = "../../../.."
PLUS = f"{ROOT}/data/comtrade/TradeData_2022_CHN-DEU-USA_TOTAL_by_partner.csv"
raw = open(PLUS, "rb").read().split(b"\r\n")
header, rows = raw[0], [l for l in raw[1:] if l]

def field(line, i):
    return next(csv.reader([line.decode("latin-1")]))[i]

# 1. real subset: header + CHN/DEU/USA rows with partners World, PRK, KOR,
#    Cote d'Ivoire (Latin-1 name), Other Asia nes (490), USA (842), France
#    (251), India (699), Switzerland (757), Norway (579). Byte for byte.
keep = {"0", "408", "410", "384", "490", "842", "251", "699", "757", "579"}
sub = [l for l in rows if field(l, 11) in keep]
open("plus-real-subset.csv", "wb").write(b"\r\n".join([header] + sub) + b"\r\n")

# the real CHN-PRK import row, as a template for derived rows
tmpl = next(l for l in rows if field(l, 6) == "156" and field(l, 11) == "408"
            and field(l, 9) == "M")
cols = next(csv.reader([header.decode()]))
def derive(**chg):
    f = next(csv.reader([tmpl.decode("latin-1")]))
    for k, v in chg.items():
        f[cols.index(k)] = v
    out = []
    for i, v in enumerate(f):
        out.append(v if v == "" or i >= len(cols) else '"' + v.replace('"', '""') + '"')
    return ",".join(out).encode("latin-1")

# 2. guards: the real row, then one changed row per guard (DERIVED)
g = [tmpl,
     derive(partner2Code="156", partner2ISO="CHN", partner2Desc="China"),
     derive(motCode="2100", motDesc="Sea"),
     derive(customsCode="C01", customsDesc="Free zone"),
     derive(flowCode="FM", flowDesc="Foreign import"),
     derive(classificationCode="S4", cmdCode="TOTAL"),
     derive(reporterCode="408", reporterISO="PRK", partnerCode="0",
            partnerISO="W00", partnerDesc="World")]
open("plus-guards.csv", "wb").write(b"\r\n".join([header] + g) + b"\r\n")

# 3. area codes: the real row with the partner code changed (DERIVED)
codes = ["842", "490", "251", "699", "757", "579", "711", "278", "810",
         "890", "280", "899", "996"]
c = [derive(partnerCode=k, partnerISO="", partnerDesc="") for k in codes]
open("plus-codes.csv", "wb").write(b"\r\n".join([header] + c) + b"\r\n")

# 4. CSV quoting: cmdDesc with an escaped quote, a comma, a newline and a
#    TAB (libcsv path); then the real row again (fast path) (DERIVED)
q = [derive(cmdDesc='All "commodities",\nincl.\ttabs'), tmpl]
open("plus-quoting.csv", "wb").write(b"\r\n".join([header] + q) + b"\r\n")

# 5. bad inputs (DERIVED, one fault each)
def bad(name, *lines, hdr=header):
    open(name, "wb").write(b"\r\n".join([hdr] + list(lines)) + b"\r\n")
bad("bad-number.csv", tmpl, derive(primaryValue="12,5"))
bad("bad-negative.csv", derive(primaryValue="-5"))
bad("bad-year.csv", derive(refYear="1950", period="1950", refPeriodId="19500101"))
bad("bad-fields.csv", tmpl + b',"extra"')
# outside the slice (partner changed to Germany) the field count is checked
# too: one row with a field too many, and one whose comma inside quotes is
# not a separator (valid)
bad("bad-fields-outside.csv", tmpl,
    derive(partnerCode="276", partnerISO="DEU", partnerDesc="Germany") + b',"extra"',
    derive(partnerCode="276", partnerISO="DEU", partnerDesc="Germany, Fed. Rep."))
bad("bad-missing-column.csv", tmpl, hdr=header.replace(b"primaryValue", b"primaryValueX"))
# a column named twice: which one to read would be a guess (the second
# spelled in capitals: names match case-insensitively)
bad("bad-dup-column.csv", tmpl, hdr=header.replace(b"partner2Code", b"partnerCode"))
bad("bad-dup-column-case.csv", tmpl, hdr=header.replace(b"partner2Code", b"PARTNERCODE"))
# a NUL byte inside a quoted field of a DPRK row
bad("bad-nul.csv", tmpl, derive(cmdDesc="All\0Commodities"))
# a last row cut inside a quoted field: "C","A","2022 (5 quotes)
open("bad-unterminated.csv", "wb").write(b"\r\n".join([header, tmpl]) + b'\r\n"C","A","2022\r\n')
open("bad-unknown-format.csv", "wb").write(b"a,b,c\r\n1,2,3\r\n")
gz = gzip.compress(b"\r\n".join([header, tmpl]) + b"\r\n", mtime=0)
open("bad-truncated.csv.gz", "wb").write(gz[: len(gz) // 2])
# the whole member, its CRC-32 (the trailer's first 4 bytes) with one bit flipped
crc = bytearray(gz)
crc[-8] ^= 1
open("bad-checksum.csv.gz", "wb").write(bytes(crc))

# 6. the same facts in every format (DERIVED by conversion, for the
#    cross-format identity test). From plus-real-subset.csv (real rows):
#    Comtrade Plus bulk TSV (gzip, UTF-8, bulk capitalisation), Plus API
#    JSON (value types as in the real API response), legacy 35 columns.
#    From comtrade_2013_156_CHN_270900_all_partners.csv (real legacy rows):
#    legacy 22 columns and BACI (China's exports only: BACI has one row per
#    exporter and importer; v and q are value/1000 and netweight/1000).
os.makedirs("formats", exist_ok=True)
recs = list(csv.reader(io.StringIO(open("plus-real-subset.csv", encoding="latin-1", newline="").read())))
hdr, data = recs[0], [r[:len(recs[0])] for r in recs[1:]]
bulkname = {"cifvalue": "CIFValue", "fobvalue": "FOBValue"}
tsv = "\t".join(bulkname.get(h, h) for h in hdr) + "\n" + "".join("\t".join(r) + "\n" for r in data)
open("formats/same-bulk.txt.gz", "wb").write(gzip.compress(tsv.encode("utf-8"), mtime=0))

api = json.load(open("api_get_C_A_HS_CHN_2010_TOTAL_pretty.json"))["data"][0]
floats = {"qty", "altQty", "netWgt", "grossWgt", "cifvalue", "fobvalue", "primaryValue"}
def jval(k, v):
    if v == "":
        return None
    if k in floats:
        return float(v)
    t = type(api[k])
    if t is bool:
        return v == "true"
    if t is int:
        return int(v)
    return v
objs = [{k: jval(k, v) for k, v in zip(hdr, r)} for r in data]
open("formats/same-api.json", "w").write(
    json.dumps({"elapsedTime": "0.1 secs", "count": len(objs), "data": objs, "error": ""},
               ensure_ascii=False, separators=(",", ":")))

L35 = "Classification,Year,Period,Period Desc.,Aggregate Level,Is Leaf Code,Trade Flow Code,Trade Flow,Reporter Code,Reporter,Reporter ISO,Partner Code,Partner,Partner ISO,2nd Partner Code,2nd Partner,2nd Partner ISO,Customs Proc. Code,Customs,Mode of Transport Code,Mode of Transport,Commodity Code,Commodity,Qty Unit Code,Qty Unit,Qty,Alt Qty Unit Code,Alt Qty Unit,Alt Qty,Netweight (kg),Gross weight (kg),Trade Value (US$),CIF Trade Value (US$),FOB Trade Value (US$),Flag".split(",")
fcode = {"M": ("1", "Import"), "X": ("2", "Export"), "RX": ("3", "Re-Export"), "RM": ("4", "Re-Import")}
w00 = lambda s: "WLD" if s == "W00" else s
buf = io.StringIO()
w = csv.writer(buf, lineterminator="\r\n")
w.writerow(L35)
for r in data:
    p = dict(zip(hdr, r))
    noq = p["qtyUnitCode"] == "-1"
    # an unknown weight: Plus writes an estimated 0, legacy files leave it
    # empty (909 of 947 rows in the real legacy HS27 file)
    nw = "" if p["isNetWgtEstimated"] == "true" and p["netWgt"] == "0" else p["netWgt"]
    w.writerow([p["classificationCode"], p["refYear"], p["period"], p["period"], p["aggrLevel"],
                "1" if p["isLeaf"] == "true" else "0", *fcode[p["flowCode"]],
                p["reporterCode"], p["reporterDesc"], p["reporterISO"],
                p["partnerCode"], p["partnerDesc"], w00(p["partnerISO"]),
                p["partner2Code"], p["partner2Desc"], w00(p["partner2ISO"]),
                p["customsCode"], p["customsDesc"], p["motCode"], p["motDesc"],
                p["cmdCode"], p["cmdDesc"], "1" if noq else p["qtyUnitCode"],
                "No Quantity" if noq else p["qtyUnitAbbr"], "" if noq else p["qty"],
                "", "", "", nw, p["grossWgt"], p["primaryValue"],
                p["cifvalue"], p["fobvalue"], p["legacyEstimationFlag"]])
open("formats/same-legacy35.csv", "w", encoding="utf-8", newline="").write(buf.getvalue())

L22 = "Classification,Year,Period,Period Desc.,Aggregate Level,Is Leaf Code,Trade Flow Code,Trade Flow,Reporter Code,Reporter,Reporter ISO,Partner Code,Partner,Partner ISO,Commodity Code,Commodity,Qty Unit Code,Qty Unit,Qty,Netweight (kg),Trade Value (US$),Flag".split(",")
leg = list(csv.reader(open("comtrade_2013_156_CHN_270900_all_partners.csv", encoding="utf-8", newline="")))
lh, lrows = leg[0], [dict(zip(leg[0], r)) for r in leg[1:] if r]
buf = io.StringIO()
w = csv.writer(buf, lineterminator="\r\n")
w.writerow(L22)
for p in lrows:
    q = p["Qty"] or p["Alt Qty Unit"]  # the real file's quantity sits under 'Alt Qty Unit'
    w.writerow([p[c] if c != "Qty" else q for c in L22])
open("formats/same-legacy22.csv", "w", encoding="utf-8", newline="").write(buf.getvalue())

from decimal import Decimal
buf = io.StringIO()
w = csv.writer(buf, lineterminator="\n")
w.writerow(["t", "i", "j", "k", "v", "q"])
for p in lrows:
    if p["Trade Flow Code"] != "2" or p["Partner Code"] == "0":
        continue
    v = Decimal(p["Trade Value (US$)"]) / 1000
    q = Decimal(p["Netweight (kg)"]) / 1000 if p["Netweight (kg)"] else "NA"
    w.writerow([p["Year"], p["Reporter Code"], p["Partner Code"], p["Commodity Code"], v, q])
open("formats/BACI_HS12_Y2013_V202401.csv", "w", newline="").write(buf.getvalue())
open("formats/baci-no-rev.csv", "w", newline="").write(buf.getvalue())  # same, no HS in the name

# 7. bad IMF DOTS, pandas and totals inputs (DERIVED from the real files in
#    data/dots/, data/comtrade-pandas/, data/comtrade-totals/; lines are
#    copied byte for byte unless said)
DOTSF = f"{ROOT}/data/dots/DOT_timeSeries_2016-2018_PRK_rows.csv"
dl = open(DOTSF, "rb").read().split(b"\n")
dh = dl[0]
# China's exports to the DPRK: the Value row and its Status row (none: the
# next line is another row), and the DPRK's estimate with its Status row
cn = [l for l in dl[1:] if l.startswith(b'"China, P.R.: Mainland","924",') and b'"954","Value"' in l
      and b"TXG_FOB_USD" in l]
est = [i for i, l in enumerate(dl) if l.startswith(b'"Korea, Dem. People\'s Rep. of","954",')
       and b'"TXG_FOB_USD"' in l and b'"924","Value"' in l]
est = dl[est[0]:est[0] + 2]
def dots(name, lines, hdr=dh):
    open(name, "wb").write(b"\n".join([hdr] + lines) + b"\n")
dots("dots-bad-year.csv", cn + est, hdr=dh.replace(b',2017,', b',FY2017,'))
# China's 2016 exports written with thousands separators
assert b'"3196804000"' in cn[0]
dots("dots-bad-number.csv", [cn[0].replace(b'"3196804000"', b'"3,196,804,000"')] + est)
def drop_col(line, i):
    f = next(csv.reader([line.decode("utf-8-sig")]))
    del f[i]
    return ",".join(v if v == "" else '"' + v + '"' for v in f).encode()
ih = next(csv.reader([dh.decode("utf-8-sig")])).index("Indicator Code")
dots("dots-no-indicator.csv", [drop_col(l, ih) for l in cn + est],
     hdr=b"\xef\xbb\xbf" + drop_col(dh, ih))
dots("dots-status-alone.csv", [est[1]])

PD = f"{ROOT}/data/comtrade-pandas/total_cmd_2022_partners_PRK_KOR.csv"
pl = open(PD, "rb").read().split(b"\n")
prk = [l for l in pl[1:] if b",408,PRK," in l][:2]
def move_index(line, last=False):
    i, rest = line.split(b",", 1)
    if last:
        return rest + b"," + i
    a, b = rest.split(b",", 1)
    return a + b"," + i + b"," + b
open("pandas-index-second.csv", "wb").write(b"\n".join([move_index(pl[0])] + [move_index(l) for l in prk]) + b"\n")
open("pandas-index-last.csv", "wb").write(b"\n".join([move_index(pl[0], True)] + [move_index(l, True) for l in prk]) + b"\n")

TF = f"{ROOT}/data/comtrade-totals/comtrade_all_exports_2016A_PRK.csv"
tl = open(TF, "rb").read().split(b"\n")
cnl = next(l for l in tl if b",China," in l)
hk = next(l for l in tl if b"Hong Kong" in l)
# a name Comtrade does not use ("Hong Kong, China"), between two real rows
open("totals-unknown-name.csv", "wb").write(b"\n".join(
    [tl[0], cnl, hk.replace(b'"China, Hong Kong SAR"', b'"Hong Kong, China"'), hk]) + b"\n")
open("totals-bad-date.csv", "wb").write(b"\n".join([tl[0], cnl.replace(b"2016-01-01", b"2016-07-01")]) + b"\n")
