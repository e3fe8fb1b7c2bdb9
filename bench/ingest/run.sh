#!/usr/bin/env bash
# Log ingest benchmark: pgadvisor ingest against pgBadger (the tool DBAs use on logs) on the same log, in the same
# run. The log is a real sandbox-produced sample (make_sample.sh) multiplied to --size-mib with shifted pids and dates
# (multiply.py). Prints a Markdown table for bench/BENCHMARKS.md: seconds, MiB/s, peak RSS, queries, total duration.
# Usage: bench/ingest/run.sh [--size-mib N (default 1024)] [--runs N (default 3, pgadvisor only)] [--work DIR]
#        [--no-pgbadger-j1] [--no-pgbadger]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="${BENCH_BUILD_DIR:-$root/build/bench-release}"
size_mib=1024 runs=3 work=/tmp/pgadvisor-bench-ingest pgbadger_j1=1 pgbadger=1
while [[ $# -gt 0 ]]; do
  case $1 in
    --size-mib) size_mib=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    --no-pgbadger-j1) pgbadger_j1=0; shift ;;
    --no-pgbadger) pgbadger=0; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
command -v pgbadger >/dev/null || { echo "pgbadger is missing: apt-get install -y pgbadger" >&2; exit 3; }
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DPGADVISOR_BUILD_TESTS=OFF >/dev/null
cmake --build "$build" --target pgadvisor -j2 >/dev/null
exe="$build/cli/pgadvisor"
mkdir -p "$work"
chmod 755 "$work"
sample="$work/sample.log" log="$work/bench.log"
[[ -s $sample ]] || "$root/bench/ingest/make_sample.sh" "$exe" "$sample" 3000
want=$((size_mib * 1024 * 1024))
if [[ ! -s $log || $(stat -c %s "$log") -lt $want ]]; then python3 "$root/bench/ingest/multiply.py" "$sample" "$log" "$want" >&2; fi
bytes=$(stat -c %s "$log")
prefix='%m [%p] %q%u@%d app=%a '
cores=$(nproc)

# One measured command: prints "seconds max_rss_kib".
measure() { /usr/bin/time -f "%e %M" -o "$work/time.txt" "$@" >"$work/out.txt" 2>"$work/err.txt"; cat "$work/time.txt"; }

row() {  # tool jobs seconds rss queries total_ms command
  local mibs
  mibs=$(python3 -c "print(f'{$bytes / 1048576 / $3:.1f}')")
  printf '| %s | %s | %.2f | %s | %d | %s | %.3f | `%s` |\n' "$1" "$2" "$3" "$mibs" "$(($4 / 1024))" "$5" "$6" "$7"
}

echo "log: $log, $bytes bytes ($(python3 -c "print(round($bytes/1048576))") MiB), $(wc -l <"$log") lines; $cores cores; $(pgbadger --version | head -1)"
echo
echo '| tool | jobs | seconds | MiB/s | peak RSS MiB | queries | total duration ms | command |'
echo '|---|---:|---:|---:|---:|---:|---:|---|'
for jobs in 1 "$cores"; do
  times=()
  for ((r = 0; r < runs; ++r)); do
    rm -f "$work/store.db" "$work/store.db-wal" "$work/store.db-shm"
    cmd=("$exe" ingest "$log" --store "$work/store.db" --jobs "$jobs" --format json)
    read -r secs rss < <(measure "${cmd[@]}")
    times+=("$secs $rss")
  done
  median=$(printf '%s\n' "${times[@]}" | sort -n | sed -n "$(((runs + 1) / 2))p")
  read -r q ms < <(python3 -c "import json; t=json.load(open('$work/out.txt'))['totals']; print(t['calls'], t['total_ms'])")
  row "pgadvisor ingest (median of $runs)" "$jobs" ${median% *} ${median#* } "$q" "$ms" "${cmd[*]}"
done
for jobs in 1 "$cores"; do
  [[ $pgbadger == 0 || ($jobs == 1 && $pgbadger_j1 == 0) ]] && continue
  cmd=(pgbadger -q -j "$jobs" -f stderr -p "$prefix" -o "$work/pgbadger.json" "$log")
  read -r secs rss < <(measure "${cmd[@]}")
  read -r q ms < <(python3 - "$work/pgbadger.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
total = 0.0
for db in d["per_minute_info"].values():
    for hours in db.values():
        for minutes in hours.values():
            for m in minutes.values():
                total += m.get("query", {}).get("duration", 0)
print(d["overall_stat"]["queries_number"], total)
PY
)
  row "pgbadger 12" "$jobs" "$secs" "$rss" "$q" "$ms" "pgbadger -q -j $jobs -f stderr -p '$prefix' -o $work/pgbadger.json $log"
done
