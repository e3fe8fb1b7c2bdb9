#!/usr/bin/env python3
"""Scores a set of indexes on the workload with the planner's what-if estimate, the same way for every advisor:
in one psql session (PG* environment variables), the indexes are created as HypoPG hypothetical indexes, then
every statement of workload.sql is EXPLAINed (not run); the workload's cost is the sum of the statements' total
costs (each statement is one call). With --real the indexes must already exist (no hypothetical ones).

Usage: score.py WORKLOAD_DIR INDEXES_FILE|- [--real]   (INDEXES_FILE: one CREATE INDEX statement a line)
Prints JSON: {"total", "indexes": [{"definition", "size_bytes"}], "classes": {name: cost}}"""
import json
import subprocess
import sys

work, index_file = sys.argv[1], sys.argv[2]
real = "--real" in sys.argv[3:]
statements = [l.rstrip("\n").rstrip(";") for l in open(f"{work}/workload.sql") if l.strip()]
classes = json.load(open(f"{work}/classes.json"))
indexes = [] if index_file == "-" else [l.strip().rstrip(";") for l in open(index_file) if l.strip()]

script = ["\\set ON_ERROR_STOP 1", "\\pset format unaligned", "\\pset tuples_only on", "\\pset pager off",
          # pg_qualstats would record the predicates of these EXPLAINs (docs/ARCHITECTURE.md, measured facts): keep its view clean.
          "SET pg_qualstats.enabled = off;", "SELECT hypopg_reset();"]
if not real:
    for d in indexes:
        script.append(f"SELECT '@@INDEX ' || hypopg_relation_size(indexrelid) "
                      f"FROM hypopg_create_index($pgab${d}$pgab$);")
for i, s in enumerate(statements):
    script.append(f"\\echo @@STMT {i}")
    script.append(f"EXPLAIN (FORMAT JSON) {s};")
out = subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1"], input="\n".join(script) + "\n", text=True,
                     capture_output=True)
if out.returncode != 0:
    sys.exit(f"score.py: psql failed: {out.stderr.strip()}")

sizes = []
costs = [None] * len(statements)
current, buf = None, []


def flush():
    if current is not None:
        costs[current] = json.loads("\n".join(buf))[0]["Plan"]["Total Cost"]


for line in out.stdout.splitlines():
    if line.startswith("@@INDEX "):
        sizes.append(int(line.split()[1]))
    elif line.startswith("@@STMT "):
        flush()
        current, buf = int(line.split()[1]), []
    elif current is not None:
        buf.append(line)
flush()
assert all(c is not None for c in costs), "a statement was not explained"
per_class = {c["name"]: sum(costs[l] for l in c["lines"]) for c in classes}
print(json.dumps({"total": sum(costs),
                  "indexes": [{"definition": d, "size_bytes": sizes[i] if i < len(sizes) else None}
                              for i, d in enumerate(indexes)],
                  "classes": per_class}, indent=1))
