#!/usr/bin/env bash
# Index advice on the bench_advise shop (schema.sql: 14 tables, 200k-2M rows on the big ones, skewed values) and
# its workload (make_workload.py: 61 query classes, 2,210 statements), pgadvisor against pg_qualstats'
# pg_qualstats_index_advisor() in the same run, both scored by the same what-if cost (score.py). Usage:
#   bench/advise/run.sh            (BENCH_BUILD_DIR: the Release build to use, built here when needed;
#                                   BENCH_WORK_DIR: where the sandbox and results go)
# Steps: a sandbox of its own with pg_qualstats preloaded (ALTER SYSTEM, kept in postgresql.auto.conf across
# `sandbox down/up`); the data once (kept while schema.sql is unchanged); the workload executed for real inside a
# transaction that is rolled back (pg_qualstats samples every execution; the data stays the same for the next
# run); pg_qualstats' advice; pgadvisor's advice (timed); both scored; pgadvisor's scripts applied and rolled back
# with psql -v ON_ERROR_STOP=1. Results belong in bench/BENCHMARKS.md with this exact command.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
build="${BENCH_BUILD_DIR:-$root/build/bench-release}"
work="${BENCH_WORK_DIR:-/tmp/pgadvisor-bench-advise}"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DPGADVISOR_BUILD_TESTS=OFF >/dev/null
nice -n 5 cmake --build "$build" --target pgadvisor -j2 >/dev/null
exe="$build/cli/pgadvisor"

mkdir -p "$work"
chmod 755 "$work"
"$exe" sandbox up --dir "$work/sandbox" --port auto --log-min-duration -1 >/dev/null
eval "$("$exe" sandbox env --dir "$work/sandbox")"
if [[ $(psql -X -d postgres -Atc "SHOW shared_preload_libraries") != *pg_qualstats* ]]; then
  psql -X -d postgres -qc "ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements', 'pg_qualstats'"
  "$exe" sandbox down --dir "$work/sandbox" >/dev/null
  "$exe" sandbox up --dir "$work/sandbox" --log-min-duration -1 >/dev/null
fi
# Known only once the library is loaded; sample every execution (the default samples 1 in max_connections).
psql -X -d postgres -qc "ALTER SYSTEM SET pg_qualstats.sample_rate = 1" -c "SELECT pg_reload_conf()" >/dev/null
echo "server: $(psql -X -d postgres -Atc 'SHOW server_version'); preloaded: $(psql -X -d postgres -Atc 'SHOW shared_preload_libraries');" \
  "pg_qualstats.sample_rate = $(psql -X -d postgres -Atc 'SHOW pg_qualstats.sample_rate')"

export PGDATABASE=bench_advise
dsn="host=$PGHOST port=$PGPORT user=$PGUSER dbname=bench_advise"
version="schema $(md5sum "$here/schema.sql" | cut -c1-12)"
if [[ $(psql -X -d postgres -Atc "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = 'bench_advise'") != "$version" ]]; then
  echo "loading the data (schema.sql)…" >&2
  psql -X -d postgres -qc "DROP DATABASE IF EXISTS bench_advise" -c "CREATE DATABASE bench_advise"
  start=$(date +%s)
  psql -X -q -v ON_ERROR_STOP=1 -f "$here/schema.sql"
  psql -X -qc "COMMENT ON DATABASE bench_advise IS '$version'"
  echo "loaded in $(($(date +%s) - start)) s" >&2
fi
psql -X -qc "CREATE EXTENSION IF NOT EXISTS hypopg" -c "CREATE EXTENSION IF NOT EXISTS pg_qualstats" \
  -c "CREATE EXTENSION IF NOT EXISTS pg_stat_statements"
python3 "$here/make_workload.py" "$work"
echo "data: $(psql -X -Atc "SELECT count(*) || ' tables, ' || sum(n_live_tup) || ' rows, ' || pg_size_pretty(pg_database_size(current_database())) FROM pg_stat_user_tables"); indexes before: $(psql -X -Atc "SELECT count(*) FROM pg_indexes WHERE schemaname = 'public'")"

# 1. The workload, executed for real (pg_qualstats samples it; table activity counters start from it).
psql -X -qc "SELECT pg_stat_reset()" -c "SELECT pg_qualstats_reset()" -c "SELECT pg_stat_statements_reset()" >/dev/null
start=$(date +%s.%N)
{ echo "BEGIN;"; cat "$work/workload.sql"; echo "ROLLBACK;"; } | psql -X -q -v ON_ERROR_STOP=1 >/dev/null
echo "workload executed in $(python3 -c "print(round($(date +%s.%N) - $start, 1))") s (rolled back)"
sleep 1  # table statistics reach the cumulative statistics system at the end of the transaction (and within 1 s)

# 2. pg_qualstats' advice, read before anything else explains a statement (it records EXPLAIN's predicates too).
start=$(date +%s.%N)
psql -X -Atc "SELECT pg_qualstats_index_advisor()" >"$work/qualstats.json"
python3 -c "print(round($(date +%s.%N) - $start, 2))" >"$work/qualstats.seconds"
# Its list may name an index twice; each counts once.
python3 -c "import json,sys; [print(i) for i in dict.fromkeys(json.load(open(sys.argv[1]))['indexes'])]" \
  "$work/qualstats.json" >"$work/qualstats_indexes.sql"
python3 "$here/score.py" "$work" - >"$work/score_none.json"
python3 "$here/score.py" "$work" "$work/qualstats_indexes.sql" >"$work/score_qualstats.json"
qs_count=$(wc -l <"$work/qualstats_indexes.sql")
qs_bytes=$(python3 -c "import json,sys; print(sum(i['size_bytes'] for i in json.load(open(sys.argv[1]))['indexes']))" "$work/score_qualstats.json")

# 3. pgadvisor's advice, timed: with its defaults (at most 10 indexes, each saving at least 1 % of the workload),
#    and with pg_qualstats' index count and HypoPG size as its limits (and 0.1 %), with the scripts.
advise() {  # advise TAG OPTIONS…
  local tag=$1 start
  shift
  start=$(date +%s.%N)
  "$exe" advise --dsn "$dsn" --queries "$work/workload.sql" --format json "$@" >"$work/advice_$tag.json"
  python3 -c "print(round($(date +%s.%N) - $start, 2))" >"$work/advice_$tag.seconds"
  python3 -c "import json,sys; [print(i['definition']) for i in json.load(open(sys.argv[1]))['indexes']]" \
    "$work/advice_$tag.json" >"$work/pgadvisor_${tag}_indexes.sql"
  python3 "$here/score.py" "$work" "$work/pgadvisor_${tag}_indexes.sql" >"$work/score_pgadvisor_$tag.json"
}
advise default
advise matched --max-indexes "$qs_count" --budget "$qs_bytes" --min-improvement 0.1 -o "$work/advice.sql"

# 4. The scripts of the matched advice, applied and rolled back for real.
count() { psql -X -Atc "SELECT count(*) FROM pg_indexes WHERE schemaname = 'public'"; }
before=$(count)
start=$(date +%s.%N)
psql -X -q -v ON_ERROR_STOP=1 -f "$work/advice.sql" >/dev/null
apply_s=$(python3 -c "print(round($(date +%s.%N) - $start, 1))")
applied=$(count)
real_size=$(psql -X -Atc "SELECT sum(pg_relation_size(indexrelid)) FROM pg_stat_user_indexes WHERE indexrelname NOT LIKE '%_pkey'")
psql -X -q -c "ANALYZE" >/dev/null  # real expression indexes get their statistics
python3 "$here/score.py" "$work" - --real >"$work/score_pgadvisor_real.json"
psql -X -q -v ON_ERROR_STOP=1 -f "$work/advice.sql" 2>/dev/null >/dev/null  # a second run is harmless (IF NOT EXISTS)
psql -X -q -v ON_ERROR_STOP=1 -f "$work/advice.rollback.sql" >/dev/null
after=$(count)
echo "scripts: advice.sql applied in $apply_s s (indexes $before -> $applied, $((real_size / 1000000)) MB built)," \
  "applied again harmlessly, rolled back to $after indexes"
[[ $after == "$before" && $applied -gt $before ]] || { echo "scripts did not apply and roll back cleanly" >&2; exit 1; }

# 5. pg_qualstats' indexes built for real as well, for the same real-index score.
sed 's/$/;/' "$work/qualstats_indexes.sql" | psql -X -q -v ON_ERROR_STOP=1 >/dev/null
psql -X -q -c "ANALYZE" >/dev/null
python3 "$here/score.py" "$work" - --real >"$work/score_qualstats_real.json"
psql -X -Atc "SELECT 'DROP INDEX ' || indexrelid::regclass || ';' FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid
              WHERE c.relnamespace = 'public'::regnamespace AND NOT i.indisprimary" | psql -X -q -v ON_ERROR_STOP=1
[[ $(count) == "$before" ]] || { echo "pg_qualstats' indexes were not all dropped" >&2; exit 1; }

python3 "$here/report.py" "$work"
