#!/usr/bin/env bash
# The materialized-view benchmark (issue 16), in one command: a shop's dashboard workload (a daily orders report
# over whole days, per-customer totals by status, and the checkout's writes) over 2,000,000 orders, advised with
# pgadvisor's defaults and with --no-views (advise's extra time for views: median of 5 runs each), then the advice
# proven on a shadow copy with `pgadvisor bench` (result check of every sampled execution, original before against
# rewritten after with bootstrap intervals, refresh time). Usage:
#   bench/views/run.sh [--keep]
#   BENCH_BUILD_DIR: the Release build (default build/release, built here); BENCH_WORK_DIR: where the sandbox and
#   the results go (default /tmp/pgadvisor-bench-views). Results belong in bench/BENCHMARKS.md with this command.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
build="${BENCH_BUILD_DIR:-$root/build/release}"
work="${BENCH_WORK_DIR:-/tmp/pgadvisor-bench-views}"
keep=""
[[ ${1:-} == --keep ]] && keep=1
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DPGADVISOR_BUILD_TESTS=OFF >/dev/null
nice -n 5 cmake --build "$build" --target pgadvisor -j2 >/dev/null
exe="$build/cli/pgadvisor"
mkdir -p "$work" && chmod 755 "$work"
cleanup() {
  "$exe" sandbox down --dir "$work/sandbox" >/dev/null 2>&1 || true
  if [[ -z $keep ]]; then rm -rf "$work/sandbox"; fi
}
trap cleanup EXIT
"$exe" sandbox up --dir "$work/sandbox" --port auto --log-min-duration -1 >/dev/null
eval "$("$exe" sandbox env --dir "$work/sandbox")"
source_dsn="host=$PGHOST port=$PGPORT user=$PGUSER dbname=$PGDATABASE"
shadow_dsn="host=$PGHOST port=$PGPORT user=$PGUSER dbname=${PGDATABASE}_shadow"

if [[ $(psql -X -Atc "SELECT to_regclass('public.orders') IS NOT NULL") != t ]]; then
  psql -X -q -v ON_ERROR_STOP=1 -f "$here/schema.sql"
fi
psql -XAt -v ON_ERROR_STOP=1 -f "$here/workload.sql" | grep -v '^$' >"$work/workload.sql"
echo "server $(psql -X -Atc 'SHOW server_version'); $(psql -X -Atc 'SELECT count(*) FROM orders') orders;" \
  "$(wc -l <"$work/workload.sql") statements; load average $(cut -d' ' -f1-3 /proc/loadavg)"

median_ms() {  # median wall time of 5 runs of the command, in ms
  local times=()
  for _ in 1 2 3 4 5; do
    local t0=$(date +%s%N)
    "$@" >/dev/null
    times+=($((($(date +%s%N) - t0) / 1000000)))
  done
  printf '%s\n' "${times[@]}" | sort -n | sed -n 3p
}
with_views=$(median_ms "$exe" advise --queries "$work/workload.sql" --format json)
without_views=$(median_ms "$exe" advise --queries "$work/workload.sql" --format json --no-views)
"$exe" advise --queries "$work/workload.sql" --format json >"$work/advice.json"
"$exe" advise --queries "$work/workload.sql" -o "$work/advice.sql" >/dev/null
echo "advise: ${with_views} ms with views, ${without_views} ms with --no-views (median of 5)"

"$exe" shadow create --from "$source_dsn" --target "$shadow_dsn" --replace >/dev/null
set +e
"$exe" bench --shadow "$shadow_dsn" --dsn "$source_dsn" --advice "$work/advice.json" --runs 12 --rounds 6 \
  --warmup 1 -o "$work/bench.json" >/dev/null
echo "bench exit code $?"
set -e
python3 - "$work/advice.json" "$work/bench.json" <<'PY'
import json, sys
advice, bench = (json.load(open(p)) for p in sys.argv[1:3])
print(f"advised: {len(advice['indexes'])} indexes, {len(advice.get('views', []))} views; "
      f"{len(advice.get('refused_views', []))} aggregate classes refused a view")
for r in advice.get("refused_views", []):
    print(f"  refused {r['fingerprint']}: {r['reason']}")
for v in bench.get("views", []):
    check = v["result_check"]
    print(f"view {v['name']}: {v['status']}; build {v['build_ms'] / 1000:.2f} s + indexes "
          f"{v['index_build_ms'] / 1000:.2f} s; {v['size_bytes'] / 1048576:.2f} MB, {v['rows']} rows; refresh "
          f"concurrently {(v['refresh_ms'] or 0) / 1000:.2f} s; result check "
          f"{'passed' if check['passed'] else 'FAILED'} ({check['executions']} executions)")
    for c in v["classes"]:
        lo, hi = c["ci95"]
        print(f"  {c['verdict']:<9} {c['speedup']:9.1f}x [{lo:.1f}, {hi:.1f}]  {c['before_ms']['median']:9.3f} -> "
              f"{c['after_ms']['median']:7.3f} ms  {c['text'][:70]}")
PY
