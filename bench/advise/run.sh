#!/usr/bin/env bash
# The advice quality benchmark (issue 14), in one command: three workloads — the 14-table shop (schema.sql,
# make_workload.py), a multi-tenant SaaS captured from its slow-query log (saas/), single-query cases in the
# style of Dexter's tests (dexter/) — and for the first two four designs (no secondary index,
# pg_qualstats_index_advisor(), pgadvisor's defaults, pgadvisor with pg_qualstats' count and size as limits), each
# scored by the same what-if cost (score.py) and built for real and run as a weighted pgbench mix
# (quality.py says how). Usage:
#   bench/advise/run.sh [--quick] [--keep] [--only shop,saas,dexter]
#     --quick  SaaS at a tenth of the size, a quarter of the shop's calls, 10 s pgbench runs, 12-column batching
#     --keep   leave the sandbox (stopped) and its databases for the next run (loading takes minutes)
#   BENCH_BUILD_DIR: the Release build to use (default build/release, built here when needed: `make build`);
#   BENCH_WORK_DIR: where the sandbox and the results go (default /tmp/pgadvisor-bench-advise).
# Prints one summary table per workload (report.py) and leaves WORK/results.json. Results belong in
# bench/BENCHMARKS.md with this exact command.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
build="${BENCH_BUILD_DIR:-$root/build/release}"
work="${BENCH_WORK_DIR:-/tmp/pgadvisor-bench-advise}"
quick="" keep="" only="shop,saas,dexter"
while (($#)); do
  case $1 in
    --quick) quick=--quick ;;
    --keep) keep=1 ;;
    --only) only=$2; shift ;;
    *) echo "usage: run.sh [--quick] [--keep] [--only shop,saas,dexter]" >&2; exit 2 ;;
  esac
  shift
done
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DPGADVISOR_BUILD_TESTS=OFF >/dev/null
nice -n 5 cmake --build "$build" --target pgadvisor -j2 >/dev/null
exe="$build/cli/pgadvisor"

mkdir -p "$work"
chmod 755 "$work"
cleanup() {
  "$exe" sandbox down --dir "$work/sandbox" >/dev/null 2>&1 || true
  if [[ -z $keep ]]; then rm -rf "$work/sandbox"; fi
}
trap cleanup EXIT
"$exe" sandbox up --dir "$work/sandbox" --port auto --log-min-duration -1 >/dev/null
eval "$("$exe" sandbox env --dir "$work/sandbox")"
if [[ $(psql -X -d postgres -Atc "SHOW shared_preload_libraries") != *pg_qualstats* ]]; then
  # ALTER SYSTEM lives in postgresql.auto.conf, which `sandbox down/up` leave alone.
  psql -X -d postgres -qc "ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements', 'pg_qualstats'" \
    -c "ALTER SYSTEM SET maintenance_work_mem = '256MB'"
  "$exe" sandbox down --dir "$work/sandbox" >/dev/null
  "$exe" sandbox up --dir "$work/sandbox" --log-min-duration -1 >/dev/null
fi
# Known only once the library is loaded; sample every execution (the default samples 1 in max_connections).
psql -X -d postgres -qc "ALTER SYSTEM SET pg_qualstats.sample_rate = 1" -c "SELECT pg_reload_conf()" >/dev/null
echo "server: $(psql -X -d postgres -Atc 'SHOW server_version'); preloaded: $(psql -X -d postgres -Atc 'SHOW shared_preload_libraries');" \
  "pg_qualstats.sample_rate = $(psql -X -d postgres -Atc 'SHOW pg_qualstats.sample_rate'); load average $(cut -d' ' -f1-3 /proc/loadavg)"

start=$(date +%s)
python3 "$here/quality.py" "$exe" "$work" $quick --only "$only"
python3 "$here/report.py" "$work/results.json"
echo "bench took $(($(date +%s) - start)) s; load average $(cut -d' ' -f1-3 /proc/loadavg); results: $work/results.json"
