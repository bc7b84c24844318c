#!/usr/bin/env python3
"""published.py CSV > TSV: data/published/yearly_figures.csv as contract-style TSV.

Columns: year series metric value_usd derived source note. Million USD become
USD with exact decimal arithmetic (1969.54 -> 1969540000); rows keep the
file's order sorted by series, metric, year so the output is stable. A value
that is not a number, a year that is not four digits, or a row of the wrong
width stops with FILE:LINE (exit 1): the figures are compared with nktrade's,
so a misread one must not pass quietly.
"""
import csv
import sys
from decimal import Decimal, InvalidOperation

COLS = ["year", "series", "metric", "value_musd", "derived", "source", "note"]


def fail(path, line, msg):
    sys.stderr.write("published.py: %s:%d: %s\n" % (path, line, msg))
    sys.exit(1)


def tsv(s):
    return s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def main(argv):
    if len(argv) != 2:
        sys.stderr.write("usage: published.py yearly_figures.csv > published.tsv\n")
        return 2
    path = argv[1]
    rows = []
    with open(path, newline="", encoding="utf-8") as f:
        rd = csv.reader(f)
        head = next(rd, None)
        if head != COLS:
            fail(path, 1, "header is not %s" % ",".join(COLS))
        for rec in rd:
            line = rd.line_num
            if len(rec) != len(COLS):
                fail(path, line, "%d fields, expected %d" % (len(rec), len(COLS)))
            year, series, metric, musd, derived, source, note = rec
            if len(year) != 4 or not year.isdigit():
                fail(path, line, "field 'year': not a year: '%s'" % year)
            try:
                usd = Decimal(musd) * 1000000
            except InvalidOperation:
                fail(path, line, "field 'value_musd': not a number: '%s'" % musd)
            if usd != usd.to_integral_value() and usd.as_tuple().exponent < -3:
                fail(path, line, "field 'value_musd': more than 9 decimals: '%s'" % musd)
            usd = usd.normalize()
            text = format(usd, "f")
            rows.append((series, metric, year, text, derived, source, note))
    rows.sort(key=lambda r: (r[0], r[1], r[2]))
    out = sys.stdout
    out.write("year\tseries\tmetric\tvalue_usd\tderived\tsource\tnote\n")
    for series, metric, year, usd, derived, source, note in rows:
        out.write("\t".join(tsv(x) for x in (year, series, metric, usd, derived, source, note)) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
