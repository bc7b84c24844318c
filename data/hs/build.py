#!/usr/bin/env python3
"""Derive the compact tables nk-normalize-hs loads from the reference files
in data/hs/src/ (see data/hs/SOURCES.md). Deterministic: the same sources give
byte-identical output. Run from anywhere:

    python3 data/hs/build.py            # rewrites data/hs/*.tsv
    python3 data/hs/build.py --check    # exit 1 if the shipped tables differ

Output (TSV, header line, LF, sorted):
  nomenclature.tsv  hs_rev hs6 bec4      every 6-digit code of each revision,
                                         its BEC Rev.4 codes (';'-joined)
  correlation.tsv   rev_new hs_new rev_old hs_old relationship
                                         the UN correlation links between
                                         adjacent revisions (H6-H5 ... H1-H0)
  sections.tsv      section first_chapter last_chapter name
  chapters.tsv      chapter name
  bec4_class.tsv    bec4 description class_csb class_wiki
"""
import csv
import io
import os
import sys
from collections import defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.join(HERE, "src")
REVS = ["H0", "H1", "H2", "H3", "H4", "H5", "H6"]
YEAR = {"H0": "1992", "H1": "1996", "H2": "2002", "H3": "2007",
        "H4": "2012", "H5": "2017", "H6": "2022"}
REV_OF_YEAR = {v: k for k, v in YEAR.items()}
BEC_FILES = {"H1": "HS1996", "H2": "HS2002", "H3": "HS2007", "H4": "HS2012",
             "H5": "HS2017", "H6": "HS2022"}


def rows(name):
    with open(os.path.join(SRC, name), encoding="utf-8-sig", newline="") as f:
        r = csv.reader(f)
        next(r)
        return [row for row in r]


def code6(s):
    s = s.strip().replace(".", "")
    assert s.isdigit() and 1 <= len(s) <= 6, s
    return s.zfill(6)


def main():
    notes = []
    nom = {r: set() for r in REVS}
    # Correlation links between adjacent HS revisions ("2022 to 2017" has
    # code.after = HS2022, code.before = HS2017). SITC tables are skipped.
    links = set()
    for after, before, rel, adj in rows("HS_consolidated_comtrade_concordances.csv"):
        ya, yb = adj.split(" to ")
        if ya == "1992" and yb == "1988":
            nom["H0"].add(code6(after))  # HS1992 side of HS1992-SITC3
            continue
        if ya not in REV_OF_YEAR or yb not in REV_OF_YEAR:
            continue
        rn, ro = REV_OF_YEAR[ya], REV_OF_YEAR[yb]
        hn, ho = code6(after), code6(before)
        nom[rn].add(hn)
        nom[ro].add(ho)
        links.add((rn, hn, ro, ho, rel))
    for r in rows("harmonized-system.csv"):
        if r[4] == "6":
            nom["H6"].add(code6(r[1]))
    # HS -> BEC Rev.4 (no table for H0: derived below from the H1 links).
    bec = {r: defaultdict(set) for r in REVS}
    for rev, stem in BEC_FILES.items():
        for r in rows(stem + "_to_BEC4_correlation.csv"):
            if not r or not r[0].strip():
                continue  # the HS2022 file ends in blank ",," rows
            c = code6(r[0])
            if c not in nom[rev]:
                notes.append("%s %s: in the BEC table, not in the correlation tables; added" % (rev, c))
                nom[rev].add(c)
            b = r[1].strip()
            if b and b != "n/a":
                bec[rev][c].add(b)
    for (rn, hn, ro, ho, rel) in links:
        if rn == "H1":
            bec["H0"][ho] |= bec["H1"][hn]

    def sortkey(b):
        return (len(b), b)
    out = {}
    buf = io.StringIO()
    buf.write("hs_rev\ths6\tbec4\n")
    for rev in REVS:
        for c in sorted(nom[rev]):
            buf.write("%s\t%s\t%s\n" % (rev, c, ";".join(sorted(bec[rev].get(c, ()), key=sortkey))))
    out["nomenclature.tsv"] = buf.getvalue()

    buf = io.StringIO()
    buf.write("rev_new\ths_new\trev_old\ths_old\trelationship\n")
    for l in sorted(links):
        buf.write("\t".join(l) + "\n")
    out["correlation.tsv"] = buf.getvalue()

    names = {r[0]: r[1].strip() for r in rows("sections.csv")}
    buf = io.StringIO()
    buf.write("section\tfirst_chapter\tlast_chapter\tname\n")
    for r in rows("hs2022_section_chapter_ranges.csv"):
        buf.write("%s\t%s\t%s\t%s\n" % (r[0], r[2], r[3], names[r[0]]))
    out["sections.tsv"] = buf.getvalue()

    buf = io.StringIO()
    buf.write("chapter\tname\n")
    for r in rows("harmonized-system.csv"):
        if r[4] == "2":
            buf.write("%s\t%s\n" % (r[1], r[2].strip()))
    out["chapters.tsv"] = buf.getvalue()

    buf = io.StringIO()
    buf.write("bec4\tdescription\tclass_csb\tclass_wiki\n")
    cls = lambda s: {"not_classified": "unclassified", "": "unclassified"}.get(s, s)
    for r in rows("BEC4_to_SNA_basic_class.csv"):
        buf.write("%s\t%s\t%s\t%s\n" % (r[0], r[1], cls(r[2]), cls(r[3])))
    out["bec4_class.tsv"] = buf.getvalue()

    for n in notes:
        print("build.py: " + n, file=sys.stderr)
    check = "--check" in sys.argv[1:]
    bad = 0
    for name, text in out.items():
        path = os.path.join(HERE, name)
        if check:
            try:
                old = open(path, encoding="utf-8", newline="").read()
            except FileNotFoundError:
                old = None
            if old != text:
                print("build.py: %s differs from what the sources give" % name, file=sys.stderr)
                bad = 1
        else:
            with open(path, "w", encoding="utf-8", newline="") as f:
                f.write(text)
    for rev in REVS:
        print("build.py: %s: %d codes, %d with BEC" % (rev, len(nom[rev]), sum(1 for c in nom[rev] if bec[rev].get(c))), file=sys.stderr)
    return bad


if __name__ == "__main__":
    sys.exit(main())
