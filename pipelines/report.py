#!/usr/bin/env python3
"""report.py [--sanctions FILE] OUT MOU_TABLE RULES... > report.html: the data set as one static page.

One self-contained HTML file: the tables of nk-summarize (OUT/summary-*.tsv),
the charts (OUT/charts/*.svg, inlined), how each number was made (the chain,
the rules with their sources, the inter-Korean table's sources, what each
stage dropped) and the gaps in the data, said plainly. Nothing is loaded from
anywhere: no network, no external script, style sheet or font.

The page checks itself: every number cell carries the exact value it shows
(data-v) and where it comes from (data-src, data-row, data-col); the TSV
files those cells come from are embedded byte for byte in <script
type="text/tab-separated-values"> blocks, and a script in the page compares
each cell with its TSV cell and its shown text with the value formatted
again, checks that every chart is drawn, and writes the verdict into
#selfcheck (tests/pipelines.bats reads it through headless Chromium and
compares the embedded TSV with the files).

Money is shown in million USD with one decimal, rounded half to even from the
exact decimal text (the page's script does the same with BigInt). A year
without a figure is an empty cell marked "no data", never a number.
"""
import csv
import html
import os
import re
import sys
from decimal import Decimal, ROUND_HALF_EVEN

try:
    import yaml
except ImportError:  # python3-yaml (tools/deps.sh installs it)
    sys.stderr.write("report.py: needs the Python yaml module (Debian python3-yaml)\n")
    sys.exit(1)


def read_tsv(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    lines = text.split("\n")
    head = lines[0].split("\t")
    rows = [dict(zip(head, l.split("\t"))) for l in lines[1:] if l != ""]
    return text, head, rows


def esc(s):
    return html.escape(str(s), quote=True)


def musd(v):
    """Exact decimal text -> million USD, 1 decimal, half to even, 1,234.5."""
    d = (Decimal(v) / Decimal(1000000)).quantize(Decimal("0.1"), rounding=ROUND_HALF_EVEN)
    s = format(d, "f")
    neg = s.startswith("-")
    if neg:
        s = s[1:]
    whole, frac = s.split(".")
    whole = re.sub(r"(?<=\d)(?=(\d{3})+$)", ",", whole)
    return ("-" if neg and d != 0 else "") + whole + "." + frac


class Page:
    def __init__(self):
        self.parts = []
        self.embedded = {}  # name -> (text, rows)

    def w(self, s):
        self.parts.append(s)

    def embed(self, name, text, rows):
        self.embedded[name] = (text, rows)

    def cell(self, name, row, col, kind="musd"):
        """A <td> showing TSV `name` row `row` (0-based data row) column `col`."""
        rows = self.embedded[name][1]
        v = rows[row].get(col, "")
        if v == "":
            return '<td class="gap" data-src="%s" data-row="%d" data-col="%s" data-v="" data-k="%s">no data</td>' % (
                esc(name), row + 1, esc(col), kind)
        shown = musd(v) if kind == "musd" else v
        return '<td data-src="%s" data-row="%d" data-col="%s" data-v="%s" data-k="%s">%s</td>' % (
            esc(name), row + 1, esc(col), esc(v), kind, esc(shown))


def parts_cell(P, name, idxs, col, cls=""):
    """A <td> with one checked <span> per TSV row in idxs (a year's parts:
    before/after the in-force date in monthly data), 'no data' if none."""
    c = ' class="%s"' % cls if cls else ""
    if not idxs:
        return '<td class="gap%s">no data</td>' % (" " + cls if cls else "")
    rows = P.embedded[name][1]
    out = []
    for i in idxs:
        span = P.cell(name, i, col).replace("<td", "<span", 1)[:-5] + "</span>"
        if len(idxs) > 1:
            span += " <small>(%s)</small>" % esc(rows[i].get("part", ""))
        out.append(span)
    return "<td%s>%s</td>" % (c, "<br>".join(out))


def shown_nonzero(v):
    """A value worth a line: known (not an empty cell) and not 0."""
    return v != "" and Decimal(v) != 0


def svg_inline(path, idx, title):
    with open(path, encoding="utf-8") as f:
        s = f.read()
    s = re.sub(r"^<\?xml[^>]*\?>\s*", "", s)
    # gnuplot names its markers gpDot, gpPt0...: one set per chart in one page
    s = re.sub(r"(id=['\"])(gp\w+|gnuplot_\w+)", lambda m: m.group(1) + "c%d-%s" % (idx, m.group(2)), s)
    s = re.sub(r"(href=['\"]#)(gp\w+)", lambda m: m.group(1) + "c%d-%s" % (idx, m.group(2)), s)
    s = s.replace("<title>Gnuplot</title>", "<title>%s</title>" % esc(title))
    s = s.replace("<svg ", '<svg class="chart" role="img" ', 1)
    return s


def coverage(trade_path):
    """Per year: sources, levels of the non-rule rows, counterparts, reporters."""
    cov = {}
    with open(trade_path, encoding="utf-8") as f:
        head = f.readline().rstrip("\n").split("\t")
        ix = {n: i for i, n in enumerate(head)}
        for line in f:
            r = line.rstrip("\n").split("\t")
            y = int(r[ix["year"]])
            c = cov.setdefault(y, {"sources": set(), "total": False, "chapters": set(), "finer": set(),
                                   "counterparts": set(), "reporters": set(),
                                   "X": {"total": False, "chapters": set()},
                                   "M": {"total": False, "chapters": set()}})
            src = r[ix["source"]]
            c["sources"].add(src)
            c["counterparts"].add(r[ix["counterpart"]])
            if src in ("rule", "mou"):
                continue
            c["reporters"].add(r[ix["reporter"]])
            hs = r[ix["hs"]]
            fl = c.get(r[ix["nk_flow"]], {"chapters": set()})
            if hs == "TOTAL":
                c["total"] = fl["total"] = True
            elif len(hs) <= 2:
                c["chapters"].add(hs.zfill(2))
                fl["chapters"].add(hs.zfill(2))
            else:
                c["finer"].add(hs)
    return cov


def flow_goods(c, flow):
    """What the partners' reports of a year hold of one DPRK flow: 'all',
    'some' (chapters only) or None (nothing)."""
    f = c[flow] if c else None
    if not f or not (f["total"] or f["chapters"]):
        return None, "no data"
    if f["total"]:
        return "all", "all goods (TOTAL rows)" + (
            "; chapters " + ", ".join(sorted(f["chapters"])) if f["chapters"] else "")
    return "some", "only chapters " + ", ".join(sorted(f["chapters"]))


def ranges(years):
    ys = sorted(years)
    out, i = [], 0
    while i < len(ys):
        j = i
        while j + 1 < len(ys) and ys[j + 1] == ys[j] + 1:
            j += 1
        out.append(str(ys[i]) if i == j else "%d-%d" % (ys[i], ys[j]))
        i = j + 1
    return ", ".join(out) if out else "none"


CSS = """
body{font:15px/1.45 sans-serif;max-width:1100px;margin:1em auto;padding:0 1em;color:#222}
h1{font-size:1.6em}h2{margin-top:2em;border-bottom:1px solid #ccc}
table{border-collapse:collapse;margin:.5em 0 1em;font-size:13px}
th,td{border:1px solid #ddd;padding:2px 6px;text-align:right;vertical-align:top}
th{background:#f4f4f4}td.t,th.t{text-align:left}.gap{color:#a00;font-style:italic}td.inforce{background:#fff3cd}
svg.chart{max-width:100%;height:auto;display:block;margin:.5em 0}
figure{margin:1em 0}figcaption{font-size:13px;color:#444}
.note{background:#fff8e1;border-left:4px solid #e0b000;padding:.4em .8em}
#selfcheck{font-size:12px;color:#555}code{font-size:13px}
details{margin:.3em 0}summary{cursor:pointer}
"""

CHECK_JS = r"""
(function () {
  var errors = [];
  window.addEventListener('error', function (e) { errors.push('script error: ' + e.message); });
  function tsv(name) {
    var el = document.querySelector('script[data-tsv="' + name + '"]');
    if (!el) return null;
    var lines = el.textContent.replace(/^\n/, '').split('\n');
    var head = lines[0].split('\t'), rows = [];
    for (var i = 1; i < lines.length; i++) if (lines[i] !== '') rows.push(lines[i].split('\t'));
    return { head: head, rows: rows };
  }
  // exact decimal text -> million USD with 1 decimal, half to even, 1,234.5
  function musd(v) {
    var neg = v.charAt(0) === '-'; if (neg) v = v.slice(1);
    var p = v.split('.'), frac = ((p[1] || '') + '000').slice(0, 3);
    var milli = BigInt(p[0] + frac);              // thousandths of a dollar
    var unit = 100000000n;                        // 0.1 M USD in thousandths
    var q = milli / unit, r = milli % unit;
    if (r * 2n > unit || (r * 2n === unit && q % 2n === 1n)) q += 1n;
    var s = q.toString(); if (s.length < 2) s = '0' + s;
    var whole = s.slice(0, -1).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
    return (neg && q !== 0n ? '-' : '') + whole + '.' + s.slice(-1);
  }
  function run() {
    var cache = {}, per = {}, cells = document.querySelectorAll('[data-src]'), n = 0;
    for (var i = 0; i < cells.length; i++) {
      var c = cells[i], name = c.getAttribute('data-src');
      var t = cache[name] || (cache[name] = tsv(name));
      if (!t) { errors.push('no embedded ' + name); continue; }
      var row = t.rows[parseInt(c.getAttribute('data-row'), 10) - 1];
      var col = t.head.indexOf(c.getAttribute('data-col'));
      var want = row && col >= 0 ? row[col] : undefined, v = c.getAttribute('data-v');
      if (want === undefined) { errors.push(name + ': no row ' + c.getAttribute('data-row') + ' column ' + c.getAttribute('data-col')); continue; }
      if (want !== v) { errors.push(name + ' row ' + c.getAttribute('data-row') + ' ' + c.getAttribute('data-col') + ': page ' + v + ', TSV ' + want); continue; }
      var shown = v === '' ? 'no data' : c.getAttribute('data-k') === 'musd' ? musd(v) : v;
      if (c.textContent !== shown) { errors.push(name + ' row ' + c.getAttribute('data-row') + ' ' + c.getAttribute('data-col') + ': shows ' + c.textContent + ', value ' + shown); continue; }
      n++;
      per[name] = (per[name] || 0) + 1;
    }
    var charts = document.querySelectorAll('svg.chart'), drawn = 0;
    for (var j = 0; j < charts.length; j++) {
      var b = charts[j].getBoundingClientRect();
      var marks = charts[j].querySelectorAll('path, rect, use').length;
      if (b.width > 100 && b.height > 50 && marks > 10) drawn++;
      else errors.push('chart ' + (j + 1) + ' not drawn (' + Math.round(b.width) + 'x' + Math.round(b.height) + ', ' + marks + ' marks)');
    }
    var out = document.getElementById('selfcheck');
    out.setAttribute('data-status', errors.length ? 'fail' : 'ok');
    out.setAttribute('data-cells', String(n));
    out.setAttribute('data-charts', String(drawn) + '/' + String(charts.length));
    // cells checked per table, "name:count name:count" in name order
    out.setAttribute('data-tables', Object.keys(per).sort().map(function (k) { return k + ':' + per[k]; }).join(' '));
    out.textContent = errors.length ? 'Self-check FAILED: ' + errors.join('; ')
      : 'Self-check: ' + n + ' numbers equal the TSV tables they come from; ' + drawn + ' of ' + charts.length + ' charts drawn.';
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', run); else run();
})();
"""


def rule_action(r):
    for k in ("cif_fob", "exclude", "reassign", "add", "replace", "scale"):
        if k in r:
            return k
    return "?"


def compact(v):
    if isinstance(v, dict):
        return ", ".join("%s: %s" % (k, compact(x)) for k, x in v.items())
    if isinstance(v, list):
        return "[" + ", ".join(compact(x) for x in v) + "]"
    return str(v)


SANCTION_TAGS = (("full", "full"), ("partial", "partial"))
DIRECTION = {"dprk_export_ban": "DPRK exports banned", "supply_ban": "supply to the DPRK banned",
             "cap": "capped"}


def sanctions_section(P, path):
    """The entries of the sanctions file with their sources and basis, and
    per entry and tag the trade of each year around the in-force dates
    (summary-sanction.tsv); then the two groups the chart draws."""
    with open(path, encoding="utf-8") as f:
        entries = (yaml.safe_load(f) or {}).get("sanctions") or []
    rows = P.embedded["summary-sanction.tsv"][1]
    w = P.w
    w('<h2 id="sanctions">Trade in goods under UN sanctions</h2>\n')
    w("<p>The UN Security Council's commodity measures on the DPRK as HS codes (<code>%s</code>), "
      "and the trade nk-summarize finds in them (<code>out/summary-sanction.tsv</code>). A row is tagged "
      "<b>full</b> where its code is one of the entry's codes or inside one, <b>partial</b> where it is broader "
      "(a whole chapter holding the goods and others: chapter 27 against coal 2701): a partial figure is the "
      "trade of those broader rows, not of the goods. Basis <b>stated</b>: the resolution names the codes; "
      "<b>reading</b>: nktrade's reading of the goods it names. The shaded year is the year the entry came into "
      "force (that year's figure straddles the date). Entries overlap (the same coal in 2270 and 2371): "
      "their figures do not add up.</p>\n" % esc(path))
    if not entries:
        w("<p>No entries.</p>\n")
        return
    yf = [int(str(e["in_force"])[:4]) for e in entries]
    years = list(range(min(yf) - 2, max(yf) + 3))
    w("<table><tr><th class=t>entry</th><th class=t>goods and codes</th><th class=t>in force</th>"
      "<th class=t>basis and source</th><th class=t>tag</th>%s</tr>\n" % "".join("<th>%d</th>" % y for y in years))
    for e in entries:
        mine = [i for i, r in enumerate(rows) if r["id"] == e["id"]]
        tags = [(t, lab) for t, lab in SANCTION_TAGS if any(rows[i]["tag"] == t for i in mine)]
        fy = int(str(e["in_force"])[:4])
        direction = DIRECTION.get(e["direction"], e["direction"])
        if e["direction"] == "cap":
            direction = "cap on " + ("the DPRK's exports" if e["cap"].get("flow") == "dprk_export"
                                     else "supply to the DPRK")
        head = ('<td class=t rowspan="%d"><code>%s</code><br>UNSCR %s%s<br>%s</td><td class=t rowspan="%d">%s'
                "<br><code>%s</code></td><td class=t rowspan=\"%d\">%s</td><td class=t rowspan=\"%d\">%s<br>"
                "<small>%s</small></td>") % (
            max(len(tags), 1), esc(e["id"]), esc(e["resolution"]),
            esc(" para %s" % e["paragraph"] if e.get("paragraph") else ""), esc(direction),
            max(len(tags), 1), esc(e.get("goods", "")), esc(" ".join(str(c) for c in e["hs"])),
            max(len(tags), 1), esc(e["in_force"]), max(len(tags), 1), esc(e["basis"]), esc(e.get("source", "")))
        if not tags:
            w('<tr>%s<td class=t></td><td class="gap" colspan="%d">no data: no row of the shipped data holds '
              "these goods (or a broader code)</td></tr>\n" % (head, len(years)))
            continue
        for k, (t, lab) in enumerate(tags):
            w("<tr>%s<td class=t>%s</td>" % (head if k == 0 else "", esc(lab)))
            for y in years:
                idx = [i for i in mine if rows[i]["tag"] == t and rows[i]["year"] == str(y)]
                w(parts_cell(P, "summary-sanction.tsv", idx, "value_usd", "inforce" if y == fy else ""))
            w("</tr>\n")
    w("</table>\n<p>Cap use (value, tonnes, barrels against each cap) is in the TSV's cap_* columns.</p>\n")
    # the chart's groups, every year
    grows = P.embedded["summary-sanction-group.tsv"][1]
    gids = sorted({r["id"] for r in grows})
    gyears = sorted({int(r["year"]) for r in grows})
    if not gyears:
        return
    w("<details><summary>The chart's lines by year (<code>out/summary-sanction-group.tsv</code>: the entries "
      "folded into one per direction of trade, each row counted once)</summary>\n<table><tr><th>year</th>%s</tr>\n"
      % "".join("<th>%s, %s</th>" % (esc(g), t) for g in gids for t, _ in SANCTION_TAGS))
    for y in range(gyears[0], gyears[-1] + 1):
        w("<tr><td>%d</td>" % y)
        for g in gids:
            for t, _ in SANCTION_TAGS:
                idx = [i for i, r in enumerate(grows) if r["id"] == g and r["tag"] == t and r["year"] == str(y)]
                w(parts_cell(P, "summary-sanction-group.tsv", idx, "value_usd"))
        w("</tr>\n")
    w("</table></details>\n")


def dots_section(P):
    """The DOTS-method view beside DOTS's own figures for the DPRK."""
    est = P.embedded["dots/summary-year.tsv"][1]
    pub = P.embedded["dots/published.tsv"][1]
    ei = {int(r["year"]): i for i, r in enumerate(est)}
    pi = {int(r["year"]): i for i, r in enumerate(pub)}
    w = P.w
    w('<h2 id="dots">The DOTS view</h2>\n')
    w("<p>A second estimate by the IMF's <em>Direction of Trade Statistics</em> method "
      "(<code>pipelines/dots.mk</code>, <code>rules/dots.yaml</code>): the partners' rows of the shipped DOTS file "
      "(<code>data/dots/</code>) seen from the DPRK, the DPRK's imports valued CIF (partners' exports x 1.06), "
      "its exports FOB (partners' imports / 1.06), no crude-oil estimate, no inter-Korean trade; "
      "<code>out/dots/summary-year.tsv</code>. Beside it, DOTS's own published figures for the DPRK (its rows "
      "against World in the same file, which the IMF estimates from the same partners' rows; "
      "<code>out/dots/published.tsv</code>).</p>\n")
    years = sorted(set(ei) | set(pi))
    if not years:
        w("<p>No DOTS data in this build.</p>\n")
        return
    w("<table><tr><th>year</th><th>exports, DOTS method</th><th>exports, DOTS published</th>"
      "<th>imports, DOTS method</th><th>imports, DOTS published</th><th>total, DOTS method</th></tr>\n")
    for y in range(years[0], years[-1] + 1):
        w("<tr><td>%d</td>" % y)
        for src, col, ix in (("dots/summary-year.tsv", "exports", ei), ("dots/published.tsv", "exports", pi),
                             ("dots/summary-year.tsv", "imports", ei), ("dots/published.tsv", "imports", pi),
                             ("dots/summary-year.tsv", "total", ei)):
            w(P.cell(src, ix[y], col) if y in ix else '<td class="gap">no data</td>')
        w("</tr>\n")
    w("</table>\n")


def partner_gaps(trade_path, top=12):
    """The largest counterparts (partners' reports, all years) and the years
    between the first and last year of partners' data they are missing in."""
    val, yrs, allyears = {}, {}, set()
    with open(trade_path, encoding="utf-8") as f:
        head = f.readline().rstrip("\n").split("\t")
        ix = {n: i for i, n in enumerate(head)}
        for line in f:
            r = line.rstrip("\n").split("\t")
            if r[ix["source"]] in ("mou", "rule") or r[ix["value_usd"]] == "":
                continue
            cp, y = r[ix["counterpart"]], int(r[ix["year"]])
            allyears.add(y)
            yrs.setdefault(cp, set()).add(y)
            val[cp] = val.get(cp, Decimal(0)) + abs(Decimal(r[ix["value_usd"]]))
    order = sorted(val, key=lambda c: (-val[c], c))[:top]
    return order, yrs, allyears


def main(argv):
    sanctions_path = "rules/sanctions.yaml"
    if len(argv) > 2 and argv[1] == "--sanctions":
        sanctions_path = argv[2]
        argv = argv[:1] + argv[3:]
    if len(argv) < 4:
        sys.stderr.write("usage: report.py [--sanctions FILE] OUT MOU_TABLE RULES... > report.html\n")
        return 2
    out, mou_path, rule_paths = argv[1], argv[2], argv[3:]
    P = Page()
    for name in ("summary-year.tsv", "summary-partner.tsv", "summary-section.tsv", "summary-chapter.tsv",
                 "summary-stage.tsv", "published.tsv", "summary-sanction.tsv", "summary-sanction-group.tsv",
                 "dots/summary-year.tsv", "dots/published.tsv"):
        text, head, rows = read_tsv(os.path.join(out, name))
        P.embed(name, text, rows)
    years_rows = P.embedded["summary-year.tsv"][1]
    yi = {int(r["year"]): i for i, r in enumerate(years_rows)}
    pub = P.embedded["published.tsv"][1]
    kotra = {(int(r["year"]), r["metric"]): i for i, r in enumerate(pub) if r["series"] == "KOTRA"}
    cov = coverage(os.path.join(out, "trade.tsv"))
    years = sorted(yi)
    first = years[0] if years else None
    # years with partners' reports (not only MOU's inter-Korean figures)
    pyears = [y for y in years if y in cov and cov[y]["sources"] - {"mou", "rule"}]
    last = pyears[-1] if pyears else (years[-1] if years else None)
    missing = [y for y in range(first, years[-1] + 1) if y not in yi] if years else []

    w = P.w
    w("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
    w("<title>nktrade: DPRK foreign trade from partners' statistics</title>\n")
    w("<style>%s</style>\n</head>\n<body>\n" % CSS)
    w("<h1>DPRK foreign trade, rebuilt from partners' customs statistics</h1>\n")
    w("<p>This page is made by <code>make run</code> from the files shipped in <code>data/</code> "
      "with the nktrade tools (the <em>North Korea in the World</em> method: partners' reports seen "
      "from the DPRK, KOTRA's figures where they take precedence, China's unrecorded crude oil, "
      "inter-Korean trade from South Korea's Ministry of Unification, no CIF/FOB adjustment). "
      "Values are current US dollars, shown in millions; the tables below are <code>out/summary-*.tsv</code>.</p>\n")
    w('<p id="selfcheck" data-status="pending">Self-check not run (the page\'s script did not run).</p>\n')

    # ---- what the data cover
    w('<h2 id="coverage">What the data cover, and what they do not</h2>\n')
    if years:
        w('<p class="note">Years with partners\' reports: <b>%s</b>. ' % esc(ranges(pyears)))
        mou_only = [y for y in years if y not in pyears]
        if mou_only:
            w("Years with only inter-Korean figures (MOU), no partner's report: <b>%s</b>. " % esc(ranges(mou_only)))
        if missing:
            w("Years with <b>no data at all</b> in this build: <b>%s</b> (left empty in every table and chart; "
              "nothing is interpolated). " % esc(ranges(missing)))
        partial = [y for y in pyears if not cov[y]["total"]]
        if partial:
            w("In <b>%s</b> the shipped files hold only some goods (the HS chapters listed below), "
              "not all trade: those years' totals are the trade in those chapters only and are far below "
              "published totals. " % esc(ranges(partial)))
        w("</p>\n<ul>\n")
        for flow, what in (("X", "The DPRK's exports"), ("M", "The DPRK's imports")):
            kinds = {k: [y for y in range(first, years[-1] + 1) if flow_goods(cov.get(y), flow)[0] == k]
                     for k in ("all", "some", None)}
            w("<li>%s (partners' reports): all goods (from the partners that reported) in <b>%s</b>; "
              "only some HS chapters in <b>%s</b>; "
              "<b>no data</b> in <b>%s</b>.</li>\n" % (what, esc(ranges(kinds["all"])), esc(ranges(kinds["some"])),
                                                       esc(ranges(kinds[None]))))
        w("</ul>\n")
    order, pyrs, pall = partner_gaps(os.path.join(out, "stage", "level.tsv"))
    if order:
        span = range(min(pall), max(pall) + 1)
        w("<p>The %d largest counterparts in the shipped partners' reports (by trade summed over all years) and "
          "the years between %d and %d in which none of their trade with the DPRK is in the data: a missing year "
          "is unknown, not zero.</p>\n<table><tr><th class=t>counterpart</th><th class=t>years with data</th>"
          "<th class=t>years missing</th></tr>\n" % (len(order), min(pall), max(pall)))
        for cp in order:
            miss = [y for y in span if y not in pyrs[cp]]
            w('<tr><td class=t>%s</td><td class=t>%s</td><td class="t%s">%s</td></tr>\n' % (
                esc(cp), esc(ranges(pyrs[cp])), " gap" if miss else "", esc(ranges(miss))))
        w("</table>\n")
    w("<table><tr><th>year</th><th class=t>sources</th><th class=t>DPRK exports: goods in partners' reports</th>"
      "<th class=t>DPRK imports: goods in partners' reports</th><th class=t>also</th>"
      "<th>reporters</th><th>counterparts</th></tr>\n")
    for y in years:
        c = cov.get(y)
        if not c:
            continue
        flows = []
        for flow in ("X", "M"):
            k, text = flow_goods(c, flow)
            flows.append('<td class="t%s">%s</td>' % ("" if k else " gap", esc(text)))
        also = []
        if c["finer"]:
            also.append("codes " + ", ".join(sorted(c["finer"])[:5]) + (" ..." if len(c["finer"]) > 5 else "")
                        + " (inside the chapters: not summed twice)")
        extra = [s for s in ("rule", "mou") if s in c["sources"]]
        if extra:
            also.append(" and ".join({"rule": "rows added by rules", "mou": "inter-Korean (MOU)"}[s]
                                     for s in extra))
        w("<tr><td>%d</td><td class=t>%s</td>%s<td class=t>%s</td><td>%d</td><td>%d</td></tr>\n" % (
            y, esc(", ".join(sorted(c["sources"]))), "".join(flows), esc("; ".join(also)),
            len(c["reporters"] - {""}), len(c["counterparts"] - {""})))
    w("</table>\n")

    # ---- headline
    if years:
        i = yi[last]
        w('<h2 id="latest">%d</h2>\n<table><tr><th class=t></th><th>exports</th><th>imports</th>'
          '<th>total</th><th>balance</th></tr>\n' % last)
        w("<tr><td class=t>nktrade</td>%s%s%s%s</tr>\n" % tuple(
            P.cell("summary-year.tsv", i, c) for c in ("exports", "imports", "total", "balance")))
        w("<tr><td class=t>nktrade without inter-Korean trade</td>%s%s%s%s</tr>\n" % tuple(
            P.cell("summary-year.tsv", i, c) for c in ("exports_excl_ik", "imports_excl_ik", "total_excl_ik",
                                                        "balance_excl_ik")))
        w("<tr><td class=t>KOTRA, published (no inter-Korean trade)</td>")
        for m in ("exports", "imports", "total"):
            k = kotra.get((last, m))
            w(P.cell("published.tsv", k, "value_usd") if k is not None else '<td class="gap">no data</td>')
        w("<td></td></tr>\n</table>\n")

    # ---- charts
    charts = [
        ("trade-by-year", "DPRK trade (exports + imports) by year: China, inter-Korean trade (MOU), all others. "
                          "A year whose partners' trade is unknown (a flow without data, see the coverage above) "
                          "has no China or others bar; its inter-Korean bar is MOU's figure alone."),
        ("china-share", "China's share of DPRK trade without inter-Korean trade; KOTRA's line is its published "
                        "China figure over its published total (both in data/published/)."),
        ("balance", "The DPRK's trade balance (exports minus imports), with and without inter-Korean trade."),
        ("sections-exports", "DPRK exports by HS section; 'other or unspecified' is trade reported without "
                             "a chapter (TOTAL rows)."),
        ("sections-imports", "DPRK imports by HS section."),
        ("kotra-vs-nktrade", "nktrade's yearly total without inter-Korean trade beside KOTRA's published "
                             "totals (which also leave it out). Where the shipped files hold only some "
                             "chapters, nktrade's line is that part of trade only."),
        ("sanctions", "Trade in goods under UN sanctions (rules/sanctions.yaml), the entries folded into one line "
                      "per direction of trade: solid, rows of the goods named; dashed, rows of a broader code "
                      "holding them and other goods (before 2014 the shipped files hold chapters 27 and 44 only). "
                      "Dotted lines: each resolution's first in-force date, from the rule file; each year's "
                      "figure is drawn mid-year. Log scale; a gap is a year without data. Table: 'Trade in goods "
                      "under UN sanctions' below."),
    ]
    w('<h2 id="charts">Charts</h2>\n<p>A year without a figure is a gap, not a zero.</p>\n')
    for idx, (name, cap) in enumerate(charts):
        path = os.path.join(out, "charts", name + ".svg")
        w("<figure>%s<figcaption>%s (<code>charts/%s.svg</code>)</figcaption></figure>\n" % (
            svg_inline(path, idx, cap), esc(cap), name))

    # ---- by year
    w('<h2 id="years">Trade by year</h2>\n')
    w("<p>Million USD, DPRK view (exports = what partners report importing from the DPRK). "
      "<code>out/summary-year.tsv</code>; KOTRA from <code>data/published/</code>. The partners' trade comes "
      "first, without inter-Korean trade (as KOTRA counts it), then MOU's inter-Korean figure and the total "
      "with it. 'no data' is a sum over no rows: a flow without a partner's report, or a year MOU gives no "
      "figure for (then the totals with inter-Korean trade are unknown too).</p>\n")
    cols = [("exports_excl_ik", "exports"), ("imports_excl_ik", "imports"), ("total_excl_ik", "total"),
            ("balance_excl_ik", "balance"), ("deficit_pct_excl_ik", "deficit % of exports"),
            ("interkorean", "inter-Korean"), ("total", "total with inter-Korean")]
    w("<table><tr><th>year</th>%s<th>KOTRA total</th></tr>\n" %
      "".join("<th>%s</th>" % esc(h) for _, h in cols))
    for y in range(first, years[-1] + 1) if years else []:
        if y not in yi:
            w('<tr><td>%d</td><td class="gap" colspan="%d">no data</td>' % (y, len(cols)))
        else:
            i = yi[y]
            w("<tr><td>%d</td>%s" % (y, "".join(P.cell("summary-year.tsv", i, c, "text" if c.endswith("_pct_excl_ik")
                                                         or c.startswith("deficit") else "musd") for c, _ in cols)))
        k = kotra.get((y, "total"))
        w((P.cell("published.tsv", k, "value_usd") if k is not None else '<td class="gap">no data</td>') + "</tr>\n")
    w("</table>\n")

    # ---- partners
    prow = P.embedded["summary-partner.tsv"][1]
    w('<h2 id="partners">Partners</h2>\n<p><code>out/summary-partner.tsv</code>: every counterpart, '
      'year and flow. China\'s share of trade without inter-Korean trade (as KOTRA quotes it). Where one flow '
      'has no data in a year (see the coverage above), a counterpart\'s total and its share are not known '
      '(no data):</p>\n')
    w("<table><tr><th>year</th><th>China, total</th><th>China's share %</th><th>counterparts</th></tr>\n")
    for y in years:
        cn = [i for i, r in enumerate(prow) if r["year"] == str(y) and r["flow"] == "total" and r["counterpart"] == "CHN"]
        n = sum(1 for r in prow if r["year"] == str(y) and r["flow"] == "total")
        if cn:
            w("<tr><td>%d</td>%s%s<td>%d</td></tr>\n" % (y, P.cell("summary-partner.tsv", cn[0], "value_usd"),
                                                         P.cell("summary-partner.tsv", cn[0], "share_excl_ik_pct", "text"), n))
        else:
            w('<tr><td>%d</td><td class="gap">no data</td><td class="gap">no data</td><td>%d</td></tr>\n' % (y, n))
    w("</table>\n")
    for y in [last] + ([2016] if 2016 in pyears and last != 2016 else []):
        w("<h3>The ten largest counterparts, %d (exports + imports)</h3>\n<table><tr><th>rank</th>"
          "<th class=t>counterpart</th><th>value</th><th>share %%</th></tr>\n" % y)
        top = [i for i, r in enumerate(prow) if r["year"] == str(y) and r["flow"] == "total"][:10]
        for i in top:
            w("<tr>%s<td class=t>%s</td>%s%s</tr>\n" % (P.cell("summary-partner.tsv", i, "rank", "text"),
                                                      esc(prow[i]["counterpart"]), P.cell("summary-partner.tsv", i, "value_usd"),
                                                      P.cell("summary-partner.tsv", i, "share_pct", "text")))
        w("</table>\n")

    # ---- structure
    srow = P.embedded["summary-section.tsv"][1]
    crow = P.embedded["summary-chapter.tsv"][1]
    with open(os.path.join("data", "hs", "sections.tsv"), encoding="utf-8") as f:
        secs = [l.rstrip("\n").split("\t") for l in f][1:]
    sec_of = {}
    for s, a, b, _ in secs:
        for ch in range(int(a), int(b) + 1):
            sec_of["%02d" % ch] = s
    sec_name = {s[0]: s[3] for s in secs}
    w('<h2 id="structure">Structure: HS sections, chapters, production stages</h2>\n')
    w("<p><code>out/summary-section.tsv</code>, <code>summary-chapter.tsv</code>, <code>summary-stage.tsv</code>. "
      "'other' is trade without a code at that level (TOTAL rows): the lines of a year add up to its total. "
      "Open a section for its chapters.</p>\n")
    for flow in ("exports", "imports"):
        w("<h3>%s by section</h3>\n" % flow.capitalize())
        for y in years:
            lines = [i for i, r in enumerate(srow) if r["year"] == str(y) and r["flow"] == flow
                     and shown_nonzero(r["value_usd"])]
            if not lines:
                continue
            w("<details><summary>%d</summary><table><tr><th class=t>section</th><th>value</th><th>share %%</th></tr>\n" % y)
            for i in lines:
                s = srow[i]["section"]
                w("<tr><td class=t>%s</td>%s%s</tr>\n" % (esc(s + (" " + sec_name[s] if s in sec_name else "")),
                                                          P.cell("summary-section.tsv", i, "value_usd"),
                                                          P.cell("summary-section.tsv", i, "share_pct", "text")))
                for j, r in enumerate(crow):
                    if r["year"] == str(y) and r["flow"] == flow and sec_of.get(r["chapter"]) == s \
                            and shown_nonzero(r["value_usd"]):
                        w("<tr><td class=t>&nbsp;&nbsp;chapter %s</td>%s%s</tr>\n" % (
                            esc(r["chapter"]), P.cell("summary-chapter.tsv", j, "value_usd"),
                            P.cell("summary-chapter.tsv", j, "share_pct", "text")))
            w("</table></details>\n")
    strow = P.embedded["summary-stage.tsv"][1]
    stages = ["capital", "intermediate", "consumption", "unclassified", "mixed", "other"]
    w("<h3>Production stages (BEC Rev.4 end use), imports</h3>\n<p>A chapter spans several stages "
      "('mixed'); 'other' is trade without a code, or rows with no stage.</p>\n<table><tr><th>year</th>%s</tr>\n" %
      "".join("<th>%s</th>" % s for s in stages))
    for y in years:
        w("<tr><td>%d</td>" % y)
        for s in stages:
            k = [i for i, r in enumerate(strow) if r["year"] == str(y) and r["flow"] == "imports" and r["stage"] == s]
            w(P.cell("summary-stage.tsv", k[0], "value_usd") if k else "<td></td>")
        w("</tr>\n")
    w("</table>\n")

    sanctions_section(P, sanctions_path)
    dots_section(P)

    # ---- how the numbers were made
    w('<h2 id="method">How each number was made</h2>\n')
    w("<p>The chain (<code>pipelines/nkitw.mk</code>; every stage's output is in <code>out/stage/</code>):</p>\n<pre>"
      "nk-fetch-parse --with-partner KOR data/comtrade/*.csv   the DPRK slice of partners' reports, double-counting guards\n"
      "| nk-normalize-hs --names                               HS codes checked, chapter, section, BEC stage\n"
      "| nk-correct --rules %s   mirror flip and the sourced rules below\n"
      "| nk-merge-interkorean --replace-kor                    inter-Korean trade from MOU (table below)\n"
      "| nk-normalize-hs --names                               codes of the rows rules added\n"
      "| level.awk                                             one level of detail per partner-year-flow\n"
      "| nk-summarize --by year|partner|section|chapter|stage</pre>\n" % esc(" ".join(rule_paths)))
    # rules and what they did
    explain = {}
    ex = os.path.join(out, "stage", "correct.explain.tsv")
    if os.path.exists(ex):
        for r in read_tsv(ex)[2]:
            explain[r["rule"]] = r
    w("<h3>Rules applied</h3>\n<table><tr><th>#</th><th class=t>rule</th><th class=t>action</th><th class=t>match</th>"
      "<th>rows</th><th>change</th><th class=t>status</th><th class=t>basis</th><th class=t>source and reason</th></tr>\n")
    n = 0
    for rp in rule_paths:
        with open(rp, encoding="utf-8") as f:
            doc = yaml.safe_load(f) or {}
        for r in doc.get("rules", []):
            n += 1
            e = explain.get(r.get("id"), {})
            act = rule_action(r)
            basis = r.get(act, {}).get("basis", "") if isinstance(r.get(act), dict) else ""
            change = e.get("change_usd", "")
            w("<tr><td>%d</td><td class=t><code>%s</code></td><td class=t>%s</td><td class=t>%s</td><td>%s</td>"
              "<td>%s</td><td class=t>%s</td><td class=t>%s</td><td class=t>%s<br><i>%s</i></td></tr>\n" % (
                  n, esc(r.get("id", "")), esc(act + ": " + compact(r.get(act))), esc(compact(r.get("match", {}))),
                  esc(e.get("rows", "")), esc(musd(change) if change not in ("", None) else ""),
                  esc(e.get("status", "")), esc(basis), esc(r.get("source", "")), esc(r.get("reason", ""))))
    w("</table>\n")
    # inter-Korean
    with open(mou_path, encoding="utf-8") as f:
        mou = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    w("<h3>Inter-Korean trade (<code>%s</code>)</h3>\n<table><tr><th>year</th><th>total</th><th>Kaesong</th>"
      "<th class=t>source</th><th class=t>note</th></tr>\n" % esc(mou_path))
    for r in mou:
        tot = '<td class="gap">no data</td>' if r["total_usd"] == "" else "<td>%s</td>" % esc(musd(r["total_usd"]))
        kae = "<td></td>" if r.get("kaesong_usd", "") == "" else "<td>%s</td>" % esc(musd(r["kaesong_usd"]))
        w("<tr><td>%s</td>%s%s<td class=t>%s</td><td class=t>%s</td></tr>\n" % (
            esc(r["year"]), tot, kae, esc(r.get("source", "")), esc(r.get("note", ""))))
    w("</table>\n")
    # dropped rows
    _, _, rej = read_tsv(os.path.join(out, "rejects.tsv"))
    counts = {}
    for r in rej:
        k = (r["stage"], r["reason"], r["rule"])
        counts[k] = counts.get(k, 0) + 1
    w("<h3>Rows dropped or not summed (<code>out/rejects.tsv</code>)</h3>\n<table><tr><th class=t>stage</th>"
      "<th class=t>reason</th><th class=t>rule</th><th>rows</th></tr>\n")
    for (st, reason, rule), c in sorted(counts.items()):
        w("<tr><td class=t>%s</td><td class=t>%s</td><td class=t>%s</td><td>%d</td></tr>\n" % (
            esc(st), esc(reason), esc(rule), c))
    w("</table>\n")
    w("<h3>Sources of the data</h3>\n<p>The input files and their origins: <code>data/comtrade/SOURCES.md</code>, "
      "<code>data/interkorean/SOURCES.md</code>; HS tables <code>data/hs/SOURCES.md</code>; the published figures "
      "compared with (KOTRA, MOU): <code>data/published/SOURCES.md</code>, every figure with its URL in "
      "<code>data/published/FIGURES.md</code>.</p>\n")

    # ---- the TSV the numbers come from, byte for byte
    for name in sorted(P.embedded):
        text = P.embedded[name][0]
        if "</" in text:
            sys.stderr.write("report.py: %s holds '</': cannot embed it\n" % name)
            return 1
        w('<script type="text/tab-separated-values" data-tsv="%s">\n%s</script>\n' % (esc(name), text))
    w("<script>%s</script>\n</body>\n</html>\n" % CHECK_JS)
    sys.stdout.write("".join(P.parts))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
