#!/usr/bin/env bash
# `make demo`: pgadvisor's main job end to end on a local sandbox PostgreSQL: the demo shop's schema and data
# (generated in the server, about 350 MB), its traffic filling pg_stat_statements and the slow-query log, ingest,
# snapshot, top, health, index advice with its scripts, a shadow copy, the real before/after benchmark of the
# advice on it, and a short report of what was found and what was proven.
set -euo pipefail
cd "$(dirname "$0")/.."
pgadvisor=$(realpath "${1:-build/release/cli/pgadvisor}")

# As root the server runs as the postgres OS user (PostgreSQL refuses root), which must be able to enter
# the sandbox directory: fall back to /tmp when this checkout is not reachable by it.
dir=${PGADVISOR_SANDBOX_DIR:-$PWD/.pgadvisor/sandbox}
if [[ $(id -u) -eq 0 && -z ${PGADVISOR_SANDBOX_DIR:-} ]] && ! runuser -u postgres -- test -x "$PWD" 2>/dev/null; then
  dir=/tmp/pgadvisor-sandbox
fi
export PGADVISOR_SANDBOX_DIR=$dir
out=$PWD/.pgadvisor/demo
mkdir -p "$out"
store=$out/pgadvisor.db
started=$SECONDS

step() { printf '\n\033[1m== %s\033[0m  (%ds)\n' "$*" $((SECONDS - started)); }

step "sandbox up ($dir)"
"$pgadvisor" sandbox up --dir "$dir"
eval "$("$pgadvisor" sandbox env --dir "$dir")"
log=$("$pgadvisor" sandbox status --dir "$dir" | awk '$1 == "log" {print $2}')
source_dsn="host=$PGHOST port=$PGPORT user=$PGUSER dbname=$PGDATABASE"
shadow_dsn="host=$PGHOST port=$PGPORT user=$PGUSER dbname=${PGDATABASE}_shadow"

step "doctor"
"$pgadvisor" doctor

# The current demo schema has jobs.payload; an older, smaller one is replaced.
if [[ $(psql -XAtc "SELECT count(*) FROM pg_attribute WHERE attrelid = to_regclass('public.jobs') AND attname = 'payload'") != 1 ]]; then
  step "demo schema and data, generated in the server (sql/demo/schema.sql)"
  psql -X -q -c "DROP TABLE IF EXISTS order_items, orders, customers, carts, jobs CASCADE"
  psql -X -q -v ON_ERROR_STOP=1 -f sql/demo/schema.sql >/dev/null
fi
psql -XAtc "SELECT 'database size: ' || pg_size_pretty(pg_database_size(current_database()))"

step "demo traffic (statements printed by sql/demo/workload.sql, with the data's skew; sql/demo/queries.sql: errors too)"
psql -XAt -v ON_ERROR_STOP=1 -f sql/demo/workload.sql | grep -v '^$' >"$out/workload.sql"
# The log window of the traffic, so that ingest leaves out the data generation above.
since=$(psql -XAtc "SELECT to_char(now() AT TIME ZONE current_setting('log_timezone'), 'YYYY-MM-DD HH24:MI:SS')")
psql -X -q -c "SELECT pg_stat_statements_reset()" >/dev/null
psql -X -q -f "$out/workload.sql" >/dev/null
psql -X -q -f sql/demo/queries.sql >/dev/null 2>&1 || true
echo "ran $(wc -l <"$out/workload.sql") statements of $out/workload.sql"

step "fingerprint sql/demo/queries.sql"
"$pgadvisor" fingerprint sql/demo/queries.sql | grep -E '^line'

step "ingest the sandbox's slow-query log (from $since, the traffic)"
rm -f "$store"*
"$pgadvisor" ingest "$log" --store "$store" --since "$since"

step "snapshot pg_stat_statements and the catalog"
"$pgadvisor" snapshot --store "$store"

step "top query classes from the log"
"$pgadvisor" top --store "$store" --limit 5

step "health"
"$pgadvisor" health --top 3

step "advise on the demo workload"
"$pgadvisor" advise --queries "$out/workload.sql" -o "$out/advice.sql"
"$pgadvisor" advise --queries "$out/workload.sql" --format json >"$out/advice.json"

step "shadow create: a copy of $PGDATABASE in the sandbox's database ${PGDATABASE}_shadow"
"$pgadvisor" shadow create --from "$source_dsn" --target "$shadow_dsn" --replace

step "bench: the advice measured on the shadow, before and after"
"$pgadvisor" bench --shadow "$shadow_dsn" --dsn "$source_dsn" --advice "$out/advice.json" \
  --runs 12 --rounds 6 --warmup 1 --store "$store" -o "$out/bench.json"

step "report"
python3 - "$out/advice.json" "$out/bench.json" <<'PY'
import json, sys
advice, bench = (json.load(open(p)) for p in sys.argv[1:3])
w = advice["workload"]
saved = 100 * (w["cost_before"] - w["cost_after"]) / w["cost_before"] if w["cost_before"] else 0
n = len(w["classes"]) if isinstance(w["classes"], list) else w["classes"]
print(f"Found: {n} query classes; {len(advice['indexes'])} index(es) and {len(advice.get('views', []))} "
      f"materialized view(s) advised, estimated workload cost "
      f"{w['cost_before']:.0f} -> {w['cost_after']:.0f} ({saved:.1f} % saved by the planner's estimate).")
s = bench["summary"]
print(f"Proven on the shadow ({bench['classes'][0]['runs'] if bench['classes'] else 0} runs per class before and after, "
      f"95 % bootstrap intervals): {s['faster']} faster, {s['slower']} slower, {s['unchanged']} unchanged, "
      f"{s['error']} errors.")
for c in bench["classes"]:
    lo, hi = c["ci95"]
    print(f"  {c['verdict']:<9} {c['speedup']:8.2f}x [{lo:.2f}, {hi:.2f}]  {c['before_ms']['median']:9.3f} -> "
          f"{c['after_ms']['median']:8.3f} ms  {c['text'][:70]}")
for i in bench["indexes"]:
    print(f"  index {i['name']}: built in {i['build_ms'] / 1000:.1f} s, {i['size_bytes'] / 1048576:.1f} MB")
for v in bench.get("views", []):
    check = v["result_check"]
    print(f"  view {v['name']}: {v['status']}; built in {v['build_ms'] / 1000:.1f} s (+{v['index_build_ms'] / 1000:.1f} s "
          f"indexes), {v['size_bytes'] / 1048576:.1f} MB, {v['rows']} rows; refresh "
          f"{(v['refresh_ms'] or 0) / 1000:.1f} s; result check {'passed' if check['passed'] else 'FAILED'} on "
          f"{check['executions']} executions")
    for c in v["classes"]:
        lo, hi = c["ci95"]
        print(f"    {c['verdict']:<9} {c['speedup']:8.2f}x [{lo:.2f}, {hi:.2f}]  {c['before_ms']['median']:9.3f} -> "
              f"{c['after_ms']['median']:8.3f} ms  {c['text'][:60]}")
for r in advice.get("refused_views", []):
    print(f"  no view for {r['fingerprint']}: {r['reason']}")
changed = [c for c in bench["classes"] if c["result_changed"]]
print("Results of read queries: " + ("CHANGED for " + ", ".join(c["fingerprint"] for c in changed) if changed
                                     else "identical before and after (row counts and checksums)."))
print("Shadow schema after the run: " + ("unchanged (catalog md5 equal), indexes rolled back."
                                          if bench["schema_unchanged"] else "CHANGED"))
PY
echo
echo "Files: $out/advice.sql, $out/advice.rollback.sql, $out/advice.json, $out/bench.json, store $store"
echo "Total: $((SECONDS - started)) s. The sandbox keeps running; stop it with: $pgadvisor sandbox down --dir $dir"
