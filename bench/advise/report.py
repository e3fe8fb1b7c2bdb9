#!/usr/bin/env python3
"""Prints the results of bench/advise/run.sh (results.json): one summary table per workload (markdown, as in
BENCHMARKS.md), the designs' indexes, the classes where the designs differ most, and the Dexter-style cases.

Usage: report.py RESULTS_JSON [--details]"""
import json
import sys

results = json.load(open(sys.argv[1]))
details = "--details" in sys.argv[2:]
LABELS = {"none": "no secondary index", "pg_qualstats": "pg_qualstats_index_advisor()",
          "pgadvisor_default": "pgadvisor, defaults", "pgadvisor_matched": "pgadvisor, pg_qualstats' count and size"}
meta = results.get("meta", {})
print(f"\n{'QUICK MODE — ' if meta.get('quick') else ''}started {meta.get('started')}; load at start "
      f"{meta.get('load_at_start')}; pgbench {meta.get('pgbench')}")


def workload_table(name, w):
    none = w["scores"]["none"]["total"]
    print(f"\n### {name}: {w['data']}; {w['classes']} classes, {w['statements']} statements scored; "
          f"advisor input: {w['input']}")
    if "captured_run" in w:
        c = w["captured_run"]
        print(f"captured run: {c['seconds']} s, {c['simple']['transactions']} simple + "
              f"{c['prepared']['transactions']} prepared transactions, log {c['log_bytes'] / 1e6:.1f} MB")
    else:
        print(f"sampled run for pg_qualstats: {w['sampled_run_seconds']} s (rolled back)")
    print("| design | time to advice | indexes | HypoPG size | what-if cost | reduction | built (real size) "
          "| real cost | tps |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for tag, label in LABELS.items():
        s, b = w["scores"][tag], w["built"][tag]
        size = sum(i["size_bytes"] or 0 for i in s["indexes"]) / 1e6
        cut = 100 * (none - s["total"]) / none if none else 0
        real_cut = 100 * (none - b["real_cost"]) / none if none else 0
        if tag.startswith("pgadvisor"):
            a = w["advice"][tag.split("_")[1]]
            secs = f"{a['seconds']} s"
        elif tag == "pg_qualstats":
            secs = f"{w['qualstats_seconds']} s"
        else:
            secs = ""
        print(f"| {label} | {secs} | {len(s['indexes'])} | {size:,.0f} MB | {s['total']:,.0f} | {cut:.1f} % "
              f"| {b['indexes_built']} ({b['real_size_bytes'] / 1e6:,.0f} MB, {b['build_seconds']} s) "
              f"| {b['real_cost']:,.0f} ({real_cut:.1f} %) | {b['pgbench']['tps']:,.1f} |")
    for tag in ["default", "matched"]:
        a = w["advice"][tag]
        print(f"pgadvisor {tag} {a['options']}: {a['workload']['classes']} classes, {a['workload']['candidates']} "
              f"candidates, {a['cost_requests']['total']:,} cost requests; own estimate "
              f"{a['workload']['cost_before']:,.0f} -> {a['workload']['cost_after']:,.0f}; "
              f"unplanned {a['workload']['unplanned']}")
    for tag in ["pg_qualstats", "pgadvisor_default", "pgadvisor_matched"]:
        print(f"{LABELS[tag]} indexes:")
        for i in w["scores"][tag]["indexes"]:
            print(f"  {i['definition']}  ({(i['size_bytes'] or 0) / 1e6:.1f} MB)")
    classes = w["scores"]["none"]["classes"]
    tags = list(LABELS)
    print("classes by what-if cost (summed over the scored statements): " + " / ".join(tags)
          + " | pgbench latency ms: " + " / ".join(tags))
    ranked = sorted(classes, key=lambda c: -max(w["scores"][t]["classes"][c] for t in tags[1:]))
    for c in ranked if details else ranked[:15]:
        costs = " ".join(f"{w['scores'][t]['classes'][c]:>11,.0f}" for t in tags)
        lat = " ".join(f"{(w['built'][t]['pgbench']['scripts'].get(c) or {}).get('latency_ms') or 0:>9,.1f}"
                       for t in tags)
        print(f"  {c:34} {costs} | {lat}")


for name in ["shop", "saas"]:
    if name in results:
        workload_table(name, results[name])

if "dexter" in results:
    d = results["dexter"]
    cases = d["cases"]
    hits = {a: sum(c[a]["verdict"] == "hit" for c in cases) for a in ["pgadvisor", "pg_qualstats"]}
    print(f"\n### Dexter-style cases: pgadvisor {hits['pgadvisor']}/{len(cases)} hits, pg_qualstats "
          f"{hits['pg_qualstats']}/{len(cases)}")
    print("| case | expected | pgadvisor | pg_qualstats |")
    print("|---|---|---|---|")
    for c in cases:
        exp = ("no index" if c["expect"] is None else "any index" if c["expect"] == "any"
               else " or ".join("(" + ", ".join(k) + ")" for k in c["expect"]))
        exp += f" [Dexter: {c['dexter']}]" if c["dexter"] else ""
        exp += " [ours]" if c["ours"] else ""
        cell = lambda r: r["verdict"] + (": " + "; ".join(r["indexes"]) if r["indexes"] and r["verdict"] != "hit"
                                         else "") + (f" ({r['error']})" if r.get("error") else "")
        print(f"| {c['name']} | {exp} | {cell(c['pgadvisor'])} | {cell(c['pg_qualstats'])} |")
    b = d["batching"]
    print(f"batching: {b['queries']} queries over {b['columns']} columns (right: {b['right_indexes']} indexes, "
          f"one per column but one): pgadvisor {b['pgadvisor']['indexes']} indexes ({b['pgadvisor']['partial']} partial) serving "
          f"{b['pgadvisor']['queries_served']} queries in {b['pgadvisor']['seconds']} s; pg_qualstats "
          f"{b['pg_qualstats']['indexes']} indexes serving {b['pg_qualstats']['queries_served']} in "
          f"{b['pg_qualstats'].get('seconds')} s {b['pg_qualstats'].get('error') or ''}")
