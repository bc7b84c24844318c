#!/usr/bin/env python3
"""sanction-groups.py SANCTIONS.yaml > groups.yaml: the entries of a sanctions
file folded into one entry per direction of trade, for the chart of trade in
sanctioned categories (pipelines/sanctions.mk).

The entries overlap (UNSCR 2270 and 2371 name the same coal and iron codes;
2375 and 2397 cap the same crude oil; a chapter-27 row is 'partial' for coal
and for crude alike), so their per-entry sums cannot be added up. Instead
nk-summarize tags the stream a second time against this file, whose entries
are the union of the codes of
  dprk-exports  every entry on the DPRK's exports (dprk_export_ban, and caps
                with flow dprk_export), and
  dprk-imports  every entry on what is supplied to it (supply_ban, and caps
                with flow supply),
so that each row counts once per group: in full where its code is one of the
group's codes (or inside one), 'partial' where it is broader than one. The
matching stays nk-summarize's. A code inside another code of the group is
left out (it adds nothing); the group's hs_rev is the newest of its entries'
(nk-summarize checks every code against it).
"""
import sys

try:
    import yaml
except ImportError:  # python3-yaml (tools/deps.sh installs it)
    sys.stderr.write("sanction-groups.py: needs the Python yaml module (Debian python3-yaml)\n")
    sys.exit(1)

GROUPS = (
    ("dprk-exports", "dprk_export_ban", "the DPRK's exports of goods under a UN ban or cap"),
    ("dprk-imports", "supply_ban", "the DPRK's imports of goods under a UN ban or cap"),
)


def group_of(e):
    d = e["direction"]
    if d == "cap":
        d = "dprk_export_ban" if e["cap"]["flow"] == "dprk_export" else "supply_ban"
    return d


def q(s):
    return '"' + str(s).replace("\\", "\\\\").replace('"', '\\"') + '"'


def main(argv):
    if len(argv) != 2:
        sys.stderr.write("usage: sanction-groups.py SANCTIONS.yaml > groups.yaml\n")
        return 2
    with open(argv[1], encoding="utf-8") as f:
        entries = (yaml.safe_load(f) or {}).get("sanctions") or []
    out = ["# made by pipelines/sanction-groups.py from %s: do not edit" % argv[1], "sanctions:"]
    for gid, direction, goods in GROUPS:
        es = [e for e in entries if group_of(e) == direction]
        if not es:
            continue
        codes = []
        for e in es:
            for c in e["hs"]:
                c = str(c)
                if c not in codes:
                    codes.append(c)
        codes = sorted(c for c in codes if not any(o != c and c.startswith(o) for o in codes))
        first = min(es, key=lambda e: str(e["in_force"]))
        rev = max(str(e["hs_rev"]) for e in es)
        basis = "stated" if all(e["basis"] == "stated" for e in es) else "reading"
        out += [
            "  - id: %s" % gid,
            "    resolution: %d" % first["resolution"],
            "    adopted: %s" % first["adopted"],
            "    in_force: %s" % first["in_force"],
            "    direction: %s" % direction,
            "    hs_rev: %s" % rev,
            "    hs: [%s]" % ", ".join(q(c) for c in codes),
            "    basis: %s" % basis,
            "    goods: %s" % q(goods),
            "    source: %s" % q("the union of the codes of " + ", ".join(e["id"] for e in es)
                                 + " (" + argv[1] + ")"),
        ]
    sys.stdout.write("\n".join(out) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
