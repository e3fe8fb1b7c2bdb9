#!/usr/bin/env bash
# `make demo`: pgadvisor's main job on its embedded default, a local sandbox PostgreSQL with demo data:
# sandbox up, doctor, the demo shop's schema and traffic, fingerprints, ingest of the slow-query log,
# a pg_stat_statements snapshot, top, health and index advice with its scripts.
set -euo pipefail
cd "$(dirname "$0")/.."
pgadvisor=$(realpath "${1:-build/release/cli/pgadvisor}")

# As root the server runs as the postgres OS user (PostgreSQL refuses root), which must be able to enter
# the sandbox directory: fall back to /tmp when this checkout is not reachable by it.
dir=${PGADVISOR_SANDBOX_DIR:-$PWD/.pgadvisor/sandbox}
if [[ $(id -u) -eq 0 && -z ${PGADVISOR_SANDBOX_DIR:-} ]] && ! runuser -u postgres -- test -x "$PWD" 2>/dev/null; then
  dir=/tmp/pgadvisor-sandbox
fi
out=$PWD/.pgadvisor/demo
mkdir -p "$out"
store=$out/pgadvisor.db

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "sandbox up ($dir)"
"$pgadvisor" sandbox up --dir "$dir"
eval "$("$pgadvisor" sandbox env --dir "$dir")"
log=$("$pgadvisor" sandbox status --dir "$dir" | awk '$1 == "log" {print $2}')

step "doctor"
"$pgadvisor" doctor

if [[ $(psql -XAtc "SELECT to_regclass('public.orders') IS NOT NULL") != t ]]; then
  step "demo schema and data (sql/demo/schema.sql)"
  psql -X -q -v ON_ERROR_STOP=1 -f sql/demo/schema.sql
fi

step "demo traffic (sql/demo/queries.sql, 20 times; errors are part of it)"
psql -X -q -c "SELECT pg_stat_statements_reset()" >/dev/null
for _ in $(seq 20); do psql -X -q -f sql/demo/queries.sql >/dev/null 2>&1 || true; done

step "fingerprint sql/demo/queries.sql"
"$pgadvisor" fingerprint sql/demo/queries.sql | grep -E '^line'

step "ingest the sandbox's slow-query log"
rm -f "$store"*
"$pgadvisor" ingest "$log" --store "$store"

step "snapshot pg_stat_statements and the catalog"
"$pgadvisor" snapshot --store "$store"

step "top query classes from the log"
"$pgadvisor" top --store "$store" --limit 5

step "health"
"$pgadvisor" health --top 3

step "advise on the demo workload"
"$pgadvisor" advise --queries sql/demo/queries.sql -o "$out/advice.sql"

step "done"
echo "Scripts: $out/advice.sql and $out/advice.rollback.sql (review, then psql -v ON_ERROR_STOP=1 -f …)"
echo "The sandbox keeps running; stop it with: $pgadvisor sandbox down --dir $dir"
