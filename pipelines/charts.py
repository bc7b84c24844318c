#!/usr/bin/env python3
"""charts.py OUT NAME...: the data behind each chart, OUT/charts/NAME.dat.

Read from nk-summarize's tables in OUT (summary-year.tsv, summary-partner.tsv,
summary-section.tsv) and OUT/published.tsv; written as TSV with a header
(gnuplot reads it with `set key autotitle columnhead`), million USD or
percent. Every year from the first to the last of a chart gets a line; a year
without a figure gets NaN, which gnuplot draws as a gap: nothing is
interpolated or filled in. Sums and differences are exact (Decimal) before
the one division into millions.
"""
import os
import sys
from decimal import Decimal

M = Decimal(1000000)


def read_tsv(path):
    with open(path, encoding="utf-8") as f:
        head = f.readline().rstrip("\n").split("\t")
        rows = []
        for line in f:
            line = line.rstrip("\n")
            if line == "":
                continue
            rows.append(dict(zip(head, line.split("\t"))))
    return rows


def num(s):
    return None if s is None or s == "" else Decimal(s)


def musd(d):
    return "NaN" if d is None else format((d / M).quantize(Decimal("0.001")), "f")


def pct(d):
    return "NaN" if d is None else format(d, "f")


def year_span(*dicts):
    ys = sorted({y for d in dicts for y in d})
    return list(range(ys[0], ys[-1] + 1)) if ys else []


def write(out, name, head, lines):
    path = os.path.join(out, "charts", name + ".dat")
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write("\t".join(head) + "\n")
        for l in lines:
            f.write("\t".join(l) + "\n")
    os.replace(tmp, path)


def main(argv):
    if len(argv) < 3:
        sys.stderr.write("usage: charts.py OUT NAME...\n")
        return 2
    out, names = argv[1], argv[2:]
    year = {int(r["year"]): r for r in read_tsv(os.path.join(out, "summary-year.tsv"))}
    partner = read_tsv(os.path.join(out, "summary-partner.tsv"))
    published = read_tsv(os.path.join(out, "published.tsv"))
    kotra = {}
    for r in published:
        if r["series"] == "KOTRA":
            kotra.setdefault(r["metric"], {})[int(r["year"])] = Decimal(r["value_usd"])
    china = {int(r["year"]): r for r in partner if r["flow"] == "total" and r["counterpart"] == "CHN"}

    for name in names:
        if name == "trade-by-year":
            lines = []
            for y in year_span(year):
                r = year.get(y)
                if r is None:
                    lines.append([str(y), "NaN", "NaN", "NaN"])
                    continue
                total, ik = num(r["total"]), num(r["interkorean"])
                cn = num(china[y]["value_usd"]) if y in china else Decimal(0)
                lines.append([str(y), musd(cn), musd(ik), musd(total - cn - ik)])
            write(out, name, ["year", "China", "inter-Korean", "others"], lines)
        elif name == "china-share":
            lines = []
            kt, kc = kotra.get("total", {}), kotra.get("china_total", {})
            for y in year_span(year, {y: 1 for y in kc if y in kt}):
                # no China row: China reported nothing that year (no data, not 0 %)
                mine = num(china[y]["share_excl_ik_pct"]) if y in china else None
                theirs = (kc[y] / kt[y] * 100).quantize(Decimal("0.01")) if y in kc and y in kt else None
                lines.append([str(y), pct(mine), pct(theirs)])
            write(out, name, ["year", "nktrade (excl. inter-Korean)", "KOTRA (China / total)"], lines)
        elif name == "balance":
            lines = []
            for y in year_span(year):
                r = year.get(y)
                lines.append([str(y), musd(num(r["balance"]) if r else None),
                              musd(num(r["balance_excl_ik"]) if r else None)])
            write(out, name, ["year", "balance", "balance excl. inter-Korean"], lines)
        elif name == "kotra-vs-nktrade":
            kt = kotra.get("total", {})
            lines = []
            for y in year_span(year, kt):
                r = year.get(y)
                lines.append([str(y), musd(num(r["total_excl_ik"]) if r else None), musd(kt.get(y))])
            write(out, name, ["year", "nktrade (excl. inter-Korean)", "KOTRA published"], lines)
        elif name in ("sections-exports", "sections-imports"):
            flow = name.split("-")[1]
            sec = [r for r in read_tsv(os.path.join(out, "summary-section.tsv")) if r["flow"] == flow]
            order = []
            for r in sec:
                if r["section"] not in order:
                    order.append(r["section"])
            # Sections with trade in some year, in nk-summarize's order (I..XXI, other).
            used = [s for s in order if any(num(r["value_usd"]) for r in sec if r["section"] == s)]
            by = {}
            for r in sec:
                by.setdefault(int(r["year"]), {})[r["section"]] = num(r["value_usd"])
            lines = []
            for y in year_span(by):
                v = by.get(y)
                lines.append([str(y)] + [musd(v.get(s, Decimal(0))) if v else "NaN" for s in used])
            write(out, name, ["year"] + ["section " + s if s != "other" else "other or unspecified" for s in used], lines)
        else:
            sys.stderr.write("charts.py: unknown chart '%s'\n" % name)
            return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
