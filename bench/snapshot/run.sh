#!/usr/bin/env bash
# Times `pgadvisor snapshot` and `pgadvisor health --dsn` on a database of TABLES small tables (default 10,000;
# each with a primary key, one more index, 10 analyzed rows) in a sandbox of its own. Usage:
#   bench/snapshot/run.sh [TABLES]        (BENCH_BUILD_DIR: the Release build to use, built here when needed)
# Results belong in bench/BENCHMARKS.md with this exact command.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
tables="${1:-10000}"
build="${BENCH_BUILD_DIR:-$root/build/bench-release}"
work="${BENCH_WORK_DIR:-/tmp/pgadvisor-bench-snapshot}"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DPGADVISOR_BUILD_TESTS=OFF >/dev/null
cmake --build "$build" --target pgadvisor -j2 >/dev/null
exe="$build/cli/pgadvisor"

mkdir -p "$work"
chmod 755 "$work"
"$exe" sandbox up --dir "$work/sandbox" --port auto --log-min-duration -1 >/dev/null
eval "$("$exe" sandbox env --dir "$work/sandbox")"
export PGDATABASE=bench_snapshot
dsn="host=$PGHOST port=$PGPORT user=$PGUSER dbname=bench_snapshot"

have=$(psql -d postgres -Atc "SELECT 1 FROM pg_database WHERE datname = 'bench_snapshot'")
count=0
[[ $have == 1 ]] && count=$(psql -Atc "SELECT count(*) FROM pg_tables WHERE schemaname = 'bench'")
if [[ $count != "$tables" ]]; then
  echo "creating $tables tables…" >&2
  psql -d postgres -qc "DROP DATABASE IF EXISTS bench_snapshot" -c "CREATE DATABASE bench_snapshot"
  psql -qc "CREATE SCHEMA bench"
  # 100 tables per transaction: one transaction for all would overflow the lock table.
  for ((start = 1; start <= tables; start += 100)); do
    stop=$((start + 99 < tables ? start + 99 : tables))
    psql -qc "DO \$\$ BEGIN FOR i IN $start..$stop LOOP
      EXECUTE format('CREATE TABLE bench.t%s (id int PRIMARY KEY, n int, v text)', i);
      EXECUTE format('CREATE INDEX ON bench.t%s (n)', i);
      EXECUTE format('INSERT INTO bench.t%s SELECT g, g %% 3, ''v'' || g FROM generate_series(1, 10) g', i);
    END LOOP; END \$\$"
  done
  psql -qc "ANALYZE"
fi

psql -qc "CREATE EXTENSION IF NOT EXISTS pg_stat_statements"

store="$work/bench.db"
rm -f "$store" "$store-wal" "$store-shm"
echo "server: $(psql -Atc 'SHOW server_version'), $(psql -Atc "SELECT count(*) FROM pg_tables WHERE schemaname = 'bench'") tables," \
     "$(psql -Atc "SELECT count(*) FROM pg_indexes WHERE schemaname = 'bench'") indexes," \
     "$(psql -Atc "SELECT count(*) FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'bench' AND c.relkind = 'r' AND a.attnum > 0") columns"
echo "one snapshot, as the command reports it:"
"$exe" snapshot --dsn "$dsn" --store "$store"
hyperfine --warmup 1 --runs 5 --export-markdown "$work/hyperfine.md" \
  "$exe snapshot --dsn '$dsn' --store '$store'" \
  "$exe health --dsn '$dsn' --format json"
echo "store after $((1 + 6)) snapshots: $(du -h "$store" | cut -f1)"
