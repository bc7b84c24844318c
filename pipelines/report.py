#!/usr/bin/env python3
"""report.py OUT RULES MOU_TABLE > report.html: the data set as one static page.

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
                                   "counterparts": set(), "reporters": set()})
            src = r[ix["source"]]
            c["sources"].add(src)
            c["counterparts"].add(r[ix["counterpart"]])
            if src in ("rule", "mou"):
                continue
            c["reporters"].add(r[ix["reporter"]])
            hs = r[ix["hs"]]
            if hs == "TOTAL":
                c["total"] = True
            elif len(hs) <= 2:
                c["chapters"].add(hs.zfill(2))
            else:
                c["finer"].add(hs)
    return cov


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
th{background:#f4f4f4}td.t,th.t{text-align:left}td.gap{color:#a00;font-style:italic}
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
    var cache = {}, cells = document.querySelectorAll('[data-src]'), n = 0;
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


def main(argv):
    if len(argv) < 4:
        sys.stderr.write("usage: report.py OUT MOU_TABLE RULES... > report.html\n")
        return 2
    out, mou_path, rule_paths = argv[1], argv[2], argv[3:]
    P = Page()
    for name in ("summary-year.tsv", "summary-partner.tsv", "summary-section.tsv", "summary-chapter.tsv",
                 "summary-stage.tsv", "published.tsv"):
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
        w("</p>\n")
    w("<table><tr><th>year</th><th class=t>sources</th><th class=t>goods covered (partners' reports)</th>"
      "<th>reporters</th><th>counterparts</th></tr>\n")
    for y in years:
        c = cov.get(y)
        if not c:
            continue
        goods = []
        if c["total"]:
            goods.append("all goods (TOTAL rows)")
        if c["chapters"]:
            goods.append("chapters " + ", ".join(sorted(c["chapters"])))
        if c["finer"]:
            goods.append("codes " + ", ".join(sorted(c["finer"])[:5]) + (" ..." if len(c["finer"]) > 5 else "")
                         + " (inside the chapters: not summed twice)")
        extra = [s for s in ("rule", "mou") if s in c["sources"]]
        if extra:
            goods.append("+ " + " and ".join({"rule": "rows added by rules", "mou": "inter-Korean (MOU)"}[s]
                                             for s in extra))
        w("<tr><td>%d</td><td class=t>%s</td><td class=t>%s</td><td>%d</td><td>%d</td></tr>\n" % (
            y, esc(", ".join(sorted(c["sources"]))), esc("; ".join(goods)),
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
        ("trade-by-year", "DPRK trade (exports + imports) by year: China, inter-Korean trade (MOU), all others."),
        ("china-share", "China's share of DPRK trade without inter-Korean trade; KOTRA's line is its published "
                        "China figure over its published total (both in data/published/)."),
        ("balance", "The DPRK's trade balance (exports minus imports), with and without inter-Korean trade."),
        ("sections-exports", "DPRK exports by HS section; 'other or unspecified' is trade reported without "
                             "a chapter (TOTAL rows)."),
        ("sections-imports", "DPRK imports by HS section."),
        ("kotra-vs-nktrade", "nktrade's yearly total without inter-Korean trade beside KOTRA's published "
                             "totals (which also leave it out). Where the shipped files hold only some "
                             "chapters, nktrade's line is that part of trade only."),
    ]
    w('<h2 id="charts">Charts</h2>\n<p>A year without a figure is a gap, not a zero.</p>\n')
    for idx, (name, cap) in enumerate(charts):
        path = os.path.join(out, "charts", name + ".svg")
        w("<figure>%s<figcaption>%s (<code>charts/%s.svg</code>)</figcaption></figure>\n" % (
            svg_inline(path, idx, cap), esc(cap), name))

    # ---- by year
    w('<h2 id="years">Trade by year</h2>\n')
    w("<p>Million USD, DPRK view (exports = what partners report importing from the DPRK). "
      "<code>out/summary-year.tsv</code>; KOTRA from <code>data/published/</code>.</p>\n")
    cols = [("exports", "exports"), ("imports", "imports"), ("total", "total"), ("balance", "balance"),
            ("interkorean", "inter-Korean"), ("total_excl_ik", "total excl. inter-Korean")]
    w("<table><tr><th>year</th>%s<th>deficit %% of exports</th><th>KOTRA total</th></tr>\n" %
      "".join("<th>%s</th>" % esc(h) for _, h in cols))
    for y in range(first, years[-1] + 1) if years else []:
        if y not in yi:
            w('<tr><td>%d</td><td class="gap" colspan="%d">no data</td>' % (y, len(cols) + 1))
        else:
            i = yi[y]
            w("<tr><td>%d</td>%s%s" % (y, "".join(P.cell("summary-year.tsv", i, c) for c, _ in cols),
                                       P.cell("summary-year.tsv", i, "deficit_pct", "text")))
        k = kotra.get((y, "total"))
        w((P.cell("published.tsv", k, "value_usd") if k is not None else '<td class="gap">no data</td>') + "</tr>\n")
    w("</table>\n")

    # ---- partners
    prow = P.embedded["summary-partner.tsv"][1]
    w('<h2 id="partners">Partners</h2>\n<p><code>out/summary-partner.tsv</code>: every counterpart, '
      'year and flow. China\'s share of trade without inter-Korean trade (as KOTRA quotes it):</p>\n')
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
                     and Decimal(r["value_usd"]) != 0]
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
                            and Decimal(r["value_usd"]) != 0:
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
