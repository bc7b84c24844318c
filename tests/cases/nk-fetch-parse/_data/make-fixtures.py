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
bad("bad-missing-column.csv", tmpl, hdr=header.replace(b"primaryValue", b"primaryValueX"))
# a last row cut inside a quoted field: "C","A","2022 (5 quotes)
open("bad-unterminated.csv", "wb").write(b"\r\n".join([header, tmpl]) + b'\r\n"C","A","2022\r\n')
open("bad-unknown-format.csv", "wb").write(b"a,b,c\r\n1,2,3\r\n")
gz = gzip.compress(b"\r\n".join([header, tmpl]) + b"\r\n", mtime=0)
open("bad-truncated.csv.gz", "wb").write(gz[: len(gz) // 2])
