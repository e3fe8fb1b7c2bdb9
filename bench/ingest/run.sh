#!/usr/bin/env bash
# Log ingest benchmark: pgadvisor ingest against pgBadger (the tool DBAs use on logs) on the same log, in the same
# run. The log is a real sandbox-produced sample (make_sample.sh, which also writes the same traffic as jsonlog)
# multiplied to --size-mib with shifted pids, sessions and dates (multiply.py). Runs, one after the other:
# pgadvisor --jobs 1 and --jobs $(nproc) (median of --runs), pgbadger -j 1 and -j $(nproc) (once each, under
# `nice` so that other users of a shared machine are not starved: pass --no-nice to measure it at full priority),
# pgadvisor on the sample (peak RSS against file size), and pgadvisor on the jsonlog of the same traffic multiplied
# the same way. Checks that every run counts the same queries and total duration; prints Markdown for
# bench/BENCHMARKS.md with the load average before and after each measurement.
# Usage: bench/ingest/run.sh [--size-mib N (default 1024)] [--runs N (default 3, pgadvisor only)] [--work DIR]
#        [--no-pgbadger-j1] [--no-pgbadger] [--no-json] [--no-nice]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="${BENCH_BUILD_DIR:-$root/build/bench-release}"
size_mib=1024 runs=3 work=/tmp/pgadvisor-bench-ingest pgbadger_j1=1 pgbadger=1 json=1 nice=(nice -n 10)
while [[ $# -gt 0 ]]; do
  case $1 in
    --size-mib) size_mib=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    --no-pgbadger-j1) pgbadger_j1=0; shift ;;
    --no-pgbadger) pgbadger=0; shift ;;
    --no-json) json=0; shift ;;
    --no-nice) nice=(); shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
command -v pgbadger >/dev/null || { echo "pgbadger is missing: apt-get install -y pgbadger" >&2; exit 3; }
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DPGADVISOR_BUILD_TESTS=OFF >/dev/null
cmake --build "$build" --target pgadvisor -j2 >/dev/null
exe="$build/cli/pgadvisor"
mkdir -p "$work"
chmod 755 "$work"
sample="$work/sample.log" log="$work/bench.log" sample_json="$work/sample.json" log_json="$work/bench.json"
[[ -s $sample && -s $sample_json ]] || "$root/bench/ingest/make_sample.sh" "$exe" "$sample" 3000
want=$((size_mib * 1024 * 1024))
if [[ ! -s $log || $(stat -c %s "$log") -lt $want ]]; then python3 "$root/bench/ingest/multiply.py" "$sample" "$log" "$want" >&2; fi
if [[ $json == 1 && (! -s $log_json || $(stat -c %s "$log_json") -lt $want) ]]; then
  python3 "$root/bench/ingest/multiply.py" "$sample_json" "$log_json" "$want" >&2
fi
prefix='%m [%p] %q%u@%d app=%a '
cores=$(nproc)
counts=()  # "queries total_ms" of every run on the 1 GiB stderr log: they must all agree
load() { cut -d' ' -f1 /proc/loadavg; }
mib() { python3 -c "print(round($(stat -c %s "$1") / 1048576, 1))"; }

# One measured command: prints "seconds max_rss_kib".
measure() { /usr/bin/time -f "%e %M" -o "$work/time.txt" "$@" >"$work/out.txt" 2>"$work/err.txt"; cat "$work/time.txt"; }

row() {  # tool jobs file seconds rss queries total_ms load_before load_after command
  local mibs
  mibs=$(python3 -c "print(f'{$(stat -c %s "$3") / 1048576 / $4:.1f}')")
  printf '| %s | %s | %s MiB | %.2f | %s | %d | %s | %.3f | %s → %s | `%s` |\n' "$1" "$2" "$(mib "$3")" "$4" "$mibs" \
    "$(($5 / 1024))" "$6" "$7" "$8" "$9" "${10}"
}

pgadvisor_rows() {  # file jobs…
  local file=$1
  shift
  for jobs in "$@"; do
    local times=() before after
    before=$(load)
    for ((r = 0; r < runs; ++r)); do
      rm -f "$work/store.db" "$work/store.db-wal" "$work/store.db-shm"
      cmd=("$exe" ingest "$file" --store "$work/store.db" --jobs "$jobs" --format json)
      read -r secs rss < <(measure "${cmd[@]}")
      times+=("$secs $rss")
    done
    after=$(load)
    median=$(printf '%s\n' "${times[@]}" | sort -n | sed -n "$(((runs + 1) / 2))p")
    read -r q ms fmt < <(python3 -c "import json; d=json.load(open('$work/out.txt')); t=d['totals']; print(t['calls'], t['total_ms'], d['files'][0]['format'])")
    [[ $file == "$log" ]] && counts+=("$q $ms")
    row "pgadvisor ingest, $fmt (median of $runs)" "$jobs" "$file" ${median% *} ${median#* } "$q" "$ms" "$before" "$after" "${cmd[*]}"
  done
}

echo "log: $log, $(stat -c %s "$log") bytes ($(mib "$log") MiB), $(wc -l <"$log") lines; $cores cores; $(pgbadger --version | head -1); $(date -u '+%F %H:%M UTC')"
echo
echo '| tool | jobs | file | seconds | MiB/s | peak RSS MiB | queries | total duration ms | load 1 min | command |'
echo '|---|---:|---:|---:|---:|---:|---:|---:|---|---|'
pgadvisor_rows "$log" 1 "$cores"
for jobs in 1 "$cores"; do
  [[ $pgbadger == 0 || ($jobs == 1 && $pgbadger_j1 == 0) ]] && continue
  cmd=(pgbadger -q -j "$jobs" -f stderr -p "$prefix" -o "$work/pgbadger.json" "$log")
  before=$(load)
  read -r secs rss < <(measure "${nice[@]}" "${cmd[@]}")
  after=$(load)
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
  counts+=("$q $ms")
  row "pgbadger 12" "$jobs" "$log" "$secs" "$rss" "$q" "$ms" "$before" "$after" "${nice[*]} pgbadger -q -j $jobs -f stderr -p '$prefix' -o $work/pgbadger.json $log"
done
# Peak RSS against file size: the sample is 1/17 of the 1 GiB log.
pgadvisor_rows "$sample" 1 "$cores"
[[ $json == 1 ]] && pgadvisor_rows "$log_json" 1 "$cores"
echo
echo "load average at the end: $(cat /proc/loadavg)"
if [[ $(printf '%s\n' "${counts[@]}" | awk '{ printf "%d %.3f\n", $1, $2 }' | sort -u | wc -l) -ne 1 ]]; then
  echo "the runs on $log do not count the same queries and total duration: ${counts[*]}" >&2
  exit 1
fi
echo "every run on $log counts the same queries and total duration: ${counts[0]}"
