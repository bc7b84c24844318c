#!/usr/bin/env python3
"""charts.py [--sanctions FILE] OUT NAME...: the data behind each chart, OUT/charts/NAME.dat.

Read from nk-summarize's tables in OUT (summary-year.tsv, summary-partner.tsv,
summary-section.tsv, summary-sanction-group.tsv) and OUT/published.tsv;
the chart `sanctions` also gets OUT/charts/sanctions-marks.gp, gnuplot's
commands for a vertical mark at each resolution's in-force date, read from
the sanctions file (default rules/sanctions.yaml). Written as TSV with a header
(gnuplot reads it with `set key autotitle columnhead`), million USD or
percent. Every year from the first to the last of a chart gets a line; a year
without a figure gets NaN, which gnuplot draws as a gap: nothing is
interpolated or filled in. Sums and differences are exact (Decimal) before
the one division into millions.
"""
import datetime
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


def day_x(date):
    """An in-force date (YYYY-MM or YYYY-MM-DD) on a time axis in years
    (1 January Y = Y; a month-only date is its first day). The sanctions
    chart draws year Y's figure at Y + 0.5, the middle of its year."""
    p = [int(x) for x in str(date).split("-")]
    y, m, d = p[0], p[1], p[2] if len(p) > 2 else 1
    n = (datetime.date(y, m, d) - datetime.date(y, 1, 1)).days
    days = (datetime.date(y + 1, 1, 1) - datetime.date(y, 1, 1)).days
    return Decimal(y) + Decimal(n) / Decimal(days)


def sanction_marks(path):
    """Each resolution's first in-force date in the sanctions file: (date, resolution)."""
    import yaml  # python3-yaml (tools/deps.sh); only this chart needs it
    with open(path, encoding="utf-8") as f:
        entries = (yaml.safe_load(f) or {}).get("sanctions") or []
    first = {}
    for e in entries:
        d = str(e["in_force"])
        r = e["resolution"]
        if r not in first or d < first[r]:
            first[r] = d
    return sorted((d, r) for r, d in first.items())


# The sanctions chart starts this many years before the first in-force date
# (the table summary-sanction-group.tsv has every year).
SANCTIONS_BEFORE = 10


def main(argv):
    sanctions = "rules/sanctions.yaml"
    if len(argv) > 2 and argv[1] == "--sanctions":
        sanctions = argv[2]
        argv = argv[:1] + argv[3:]
    if len(argv) < 3:
        sys.stderr.write("usage: charts.py [--sanctions FILE] OUT NAME...\n")
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
                # An empty cell is unknown: NaN, never 0 (the chart stacks
                # what is known). Partners' trade is total_excl_ik: China's
                # part and the rest of it; where it is unknown (a flow
                # without data) so are both, as China's 'total' line is.
                # The inter-Korean figure stands alone.
                total0, ik = num(r["total_excl_ik"]), num(r["interkorean"])
                cn = num(china[y]["value_usd"]) if y in china and total0 is not None else None
                rest = None if total0 is None else total0 - (cn or 0)
                lines.append([str(y), musd(cn), musd(ik), musd(rest)])
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
                # a section without a figure that year is NaN: the stack skips it
                lines.append([str(y)] + [musd(v.get(s)) if v else "NaN" for s in used])
            write(out, name, ["year"] + ["section " + s if s != "other" else "other or unspecified" for s in used], lines)
        elif name == "sanctions":
            # one series per group (sanction-groups.py) and tag, the parts
            # (before, straddle, after) added up; no row = no data (NaN)
            val = {}
            for r in read_tsv(os.path.join(out, "summary-sanction-group.tsv")):
                v = num(r["value_usd"])
                if v is not None:
                    d = val.setdefault((r["id"], r["tag"]), {})
                    d[int(r["year"])] = d.get(int(r["year"]), Decimal(0)) + v
            marks = sanction_marks(sanctions)
            span = year_span(year, *val.values())
            if marks:
                span = [y for y in span if y >= int(marks[0][0][:4]) - SANCTIONS_BEFORE]
            # a series without a figure in the years shown is left out
            groups = sorted({g for g, _ in val})
            order = [(g, t) for g in groups for t in ("full", "partial")
                     if any(y in val.get((g, t), {}) for y in span)]
            label = {"dprk-exports": "DPRK exports", "dprk-imports": "DPRK imports"}
            head = ["year"] + ["%s, %s" % (label.get(g, g), "goods named" if t == "full"
                                           else "in rows of broader codes") for g, t in order]
            write(out, name, head, [[str(y)] + [musd(val.get(k, {}).get(y)) for k in order] for y in span])
            # the line type of each column (style.gp's colour per group;
            # dash type 1 solid, 2 dashed for partial) and the marks: a dashed
            # line at each date, the resolution at staggered heights (the
            # 2017 resolutions are weeks apart)
            path = os.path.join(out, "charts", "sanctions-marks.gp")
            with open(path + ".tmp", "w", encoding="utf-8") as f:
                f.write("# made by pipelines/charts.py from %s: line types, each resolution's first in-force date\n"
                        % sanctions)
                f.write('lts = "%s"\n' % " ".join(str(groups.index(g) % 8 + 1) for g, t in order))
                f.write('dts = "%s"\n' % " ".join("1" if t == "full" else "2" for g, t in order))
                for i, (d, r) in enumerate(marks):
                    x = format(day_x(d).quantize(Decimal("0.001")), "f")
                    f.write('set arrow from first %s, graph 0 to first %s, graph 1 nohead dt 3 lc rgb "#555555" lw 1\n'
                            % (x, x))
                    f.write('set label "UNSCR %s (%s)" at first %s, graph %.2f left offset 0.4,0 font ",9" '
                            'tc rgb "#333333"\n' % (r, d, x, 0.96 - 0.055 * i))
            os.replace(path + ".tmp", path)
        else:
            sys.stderr.write("charts.py: unknown chart '%s'\n" % name)
            return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
