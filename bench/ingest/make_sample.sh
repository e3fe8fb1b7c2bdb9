#!/usr/bin/env bash
# Produces a realistic stderr log sample from real traffic on a throwaway sandbox: pgbench in the simple, extended
# and prepared protocols (parse/bind/execute with DETAIL parameters), multi-line statements and errors from psql.
# The server writes the same traffic as jsonlog too (log_destination = 'stderr,jsonlog'): OUT_LOG's .json sibling.
# Usage: make_sample.sh PGADVISOR_EXE OUT_LOG [TRANSACTIONS]
set -euo pipefail
exe=$1 out=$2 tx=${3:-3000}
dir=$(mktemp -d /tmp/pgadvisor-bench-sbx-XXXXXX)
chmod 755 "$dir"
trap '"$exe" sandbox down --dir "$dir" >/dev/null 2>&1 || true; rm -rf "$dir"' EXIT
"$exe" sandbox up --dir "$dir" --port auto >/dev/null
eval "$("$exe" sandbox env --dir "$dir")"
pgbench -q -i -s 2 >/dev/null 2>&1
log=$("$exe" sandbox status --dir "$dir" | awk '/log /{print $2}')
json="${log%.log}.json"
psql -q -X -c "ALTER SYSTEM SET log_destination = 'stderr,jsonlog'" -c "SELECT pg_reload_conf()" >/dev/null
sleep 1
start=$(stat -c %s "$log")
json_start=$(stat -c %s "$json")
for mode in simple extended prepared; do
  pgbench -n -M "$mode" -c 2 -j 2 -t "$tx" >/dev/null 2>&1
  pgbench -n -M "$mode" -S -c 2 -j 2 -t "$tx" >/dev/null 2>&1
done
for i in $(seq 1 200); do
  psql -q -X -v ON_ERROR_STOP=0 >/dev/null 2>&1 <<SQL || true
SELECT a.aid, a.abalance, b.bbalance
  FROM pgbench_accounts a
  JOIN pgbench_branches b ON b.bid = a.bid
 WHERE a.aid = $i
 ORDER BY a.aid;
SELECT count(*) FROM pgbench_history WHERE mtime > now() - interval '$i minutes';
SELECT * FROM no_such_table_$((i % 3));
UPDATE pgbench_tellers SET tbalance = tbalance + 1 WHERE tid = $((i % 20 + 1));
SQL
done
psql -q -X -c "SELECT 'sample-done'" >/dev/null
for _ in $(seq 1 50); do grep -q sample-done "$json" && break; sleep 0.2; done
tail -c +"$((start + 1))" "$log" > "$out"
tail -c +"$((json_start + 1))" "$json" > "${out%.log}.json"
