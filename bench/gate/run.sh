#!/usr/bin/env bash
# The CI gate's noise benchmark (issue 17), in one command: examples/ci's schema and seed on a sandbox, a baseline
# of bench/gate/queries.sql (`gate record`), then CHECKS consecutive `gate check` runs against it on the unchanged
# database while other processes load the machine (two busy loops and a heavy query loop on the same server), each
# followed by a `gate record` of the same queries. Reports the false failures of `gate check` (every one is false:
# nothing changed), and from the recorded runs (bench_gate_noise) the false failures of the gate's rule and of a
# plain "mean 10 % slower" rule, and the smallest slowdown each detects in at least 95 % of the runs. Usage:
#   bench/gate/run.sh [CHECKS]   (default 30)
#   BENCH_BUILD_DIR: the Release build (default build/release, built here); BENCH_WORK_DIR: where the sandbox and
#   the files go (default /tmp/pgadvisor-bench-gate). Results belong in bench/BENCHMARKS.md with this command.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
build="${BENCH_BUILD_DIR:-$root/build/release}"
work="${BENCH_WORK_DIR:-/tmp/pgadvisor-bench-gate}"
checks=${1:-30}
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DPGADVISOR_BUILD_TESTS=OFF >/dev/null
nice -n 5 cmake --build "$build" --target pgadvisor bench_gate_noise -j2 >/dev/null
exe="$build/cli/pgadvisor"
rm -rf "$work/runs" && mkdir -p "$work/runs" && chmod 755 "$work"
load_pids=()
cleanup() {
  for pid in "${load_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  "$exe" sandbox down --dir "$work/sandbox" >/dev/null 2>&1 || true
  rm -rf "$work/sandbox"
}
trap cleanup EXIT
"$exe" sandbox up --dir "$work/sandbox" --port auto --log-min-duration -1 >/dev/null
eval "$("$exe" sandbox env --dir "$work/sandbox")"
dsn="host=$PGHOST port=$PGPORT user=$PGUSER dbname=$PGDATABASE"
export PGOPTIONS="-c client_min_messages=warning"
psql -X -q -v ON_ERROR_STOP=1 -f "$root/examples/ci/schema.sql"
psql -X -q -v ON_ERROR_STOP=1 -f "$root/examples/ci/seed.sql"

"$exe" gate record --dsn "$dsn" --queries "$here/queries.sql" -o "$work/baseline.json" >/dev/null
echo "baseline recorded idle; load average $(cut -d' ' -f1-3 /proc/loadavg)"

# The noisy neighbours: two busy shell loops and a loop of a heavy query on the same server.
for _ in 1 2; do (while :; do :; done) & load_pids+=($!); done
(while :; do psql -X -q -c "SELECT count(*) FROM generate_series(1, 3000000)" >/dev/null 2>&1; done) &
load_pids+=($!)

failed=0
for i in $(seq 1 "$checks"); do
  set +e
  "$exe" gate check --dsn "$dsn" --queries "$here/queries.sql" --baseline "$work/baseline.json" --format json \
    -o "$work/runs/check_$i.json" >/dev/null 2>"$work/runs/check_$i.err"
  rc=$?
  set -e
  if [[ $rc -ne 0 ]]; then
    failed=$((failed + 1))
    echo "check $i: exit $rc: $(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print("; ".join(q["name"]+": "+", ".join(q["statuses"])+" ("+" ".join(q["evidence"])[:200]+")" for q in d["queries"] if q["failed"]))' "$work/runs/check_$i.json" 2>/dev/null || head -c 300 "$work/runs/check_$i.err")"
  fi
  "$exe" gate record --dsn "$dsn" --queries "$here/queries.sql" -o "$work/runs/record_$i.json" >/dev/null
done
echo "gate check: $failed of $checks runs failed on the unchanged database (under load; load average $(cut -d' ' -f1-3 /proc/loadavg))"
for pid in "${load_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
load_pids=()
"$build/bench/bench_gate_noise" "$work/baseline.json" "$work"/runs/record_*.json
