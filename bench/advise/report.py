#!/usr/bin/env python3
"""Prints the results of bench/advise/run.sh (its work directory) as the table of BENCHMARKS.md and details."""
import json
import sys

work = sys.argv[1]
load = lambda n: json.load(open(f"{work}/{n}"))
none, theirs, real = load("score_none.json"), load("score_qualstats.json"), load("score_pgadvisor_real.json")
mb = lambda s: sum(i["size_bytes"] or 0 for i in s["indexes"]) / 1e6
cut = lambda s: 100 * (none["total"] - s["total"]) / none["total"]
print(f"workload: {len(none['classes'])} classes; estimated cost without new indexes {none['total']:,.0f}")
print("| advisor | time to advice | cost requests (cache hits) | indexes | HypoPG size | workload cost after | reduction |")
print("|---|---:|---:|---:|---:|---:|---:|")
for tag, label in [("default", "pgadvisor, defaults"), ("matched", "pgadvisor, pg_qualstats' count and size as limits")]:
    mine, advice = load(f"score_pgadvisor_{tag}.json"), load(f"advice_{tag}.json")
    r = advice["cost_requests"]
    secs = open(f"{work}/advice_{tag}.seconds").read().strip()
    print(f"| {label} | {secs} s | {r['total']:,} ({r['cache_hits']:,}) | {len(mine['indexes'])} | {mb(mine):,.0f} MB "
          f"| {mine['total']:,.0f} | {cut(mine):.1f} % |")
qs_secs = open(f"{work}/qualstats.seconds").read().strip()
print(f"| pg_qualstats_index_advisor() | {qs_secs} s | - | {len(theirs['indexes'])} | {mb(theirs):,.0f} MB | {theirs['total']:,.0f} "
      f"| {cut(theirs):.1f} % |")
real_qs = load("score_qualstats_real.json")
print("built for real (ANALYZEd; EXPLAIN without HypoPG, so expression indexes have their statistics):")
print(f"  pgadvisor (matched): workload cost {real['total']:,.0f} ({cut(real):.1f} % reduction)")
print(f"  pg_qualstats:        workload cost {real_qs['total']:,.0f} ({cut(real_qs):.1f} % reduction)")
for tag in ["default", "matched"]:
    a = load(f"advice_{tag}.json")
    classes = a["workload"]["classes"]
    print(f"pgadvisor {tag}: {len(classes) if isinstance(classes, list) else classes} classes, {a['workload']['candidates']} candidates; own estimate "
          f"{a['workload']['cost_before']:,.0f} -> {a['workload']['cost_after']:,.0f}; unplanned: {len(a['unplanned'])}")
mine = load("score_pgadvisor_matched.json")
for label, s in [("pgadvisor (matched)", mine), ("pg_qualstats", theirs)]:
    print(f"{label} indexes:")
    for i in s["indexes"]:
        print(f"  {i['definition']}  ({(i['size_bytes'] or 0) / 1e6:.1f} MB)")
print(f"pg_qualstats unoptimised quals: {len(load('qualstats.json').get('unoptimised') or [])}")
print("classes where the two differ most (summed EXPLAIN cost: none / pgadvisor matched / pg_qualstats):")
for c in sorted(none["classes"], key=lambda c: -abs(mine["classes"][c] - theirs["classes"][c]))[:15]:
    print(f"  {c:36} {none['classes'][c]:>12,.0f} {mine['classes'][c]:>12,.0f} {theirs['classes'][c]:>12,.0f}")
