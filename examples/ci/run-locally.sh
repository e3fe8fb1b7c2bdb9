#!/usr/bin/env bash
# The CI job's steps (github-actions.yml, gitlab-ci.yml) against a database you give: the example's schema and seed
# data, then `pgadvisor gate check` of queries.sql against the committed baseline.json, writing the JUnit XML and
# the Markdown summary into OUT. The exit code is gate check's: 0 passed, 1 a query failed, 2 usage, 3 input or
# connection error.
#
#   examples/ci/run-locally.sh DSN [OUT]
#     DSN  a conninfo string or URI of an EMPTY, throwaway database: the schema is dropped and created again there
#     OUT  where the reports go (default: gate-out)
#   PGADVISOR  the pgadvisor executable (default: pgadvisor on PATH, else this checkout's build/release/cli/pgadvisor)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
dsn=${1:?usage: run-locally.sh DSN [OUT]}
out=${2:-gate-out}
pgadvisor=${PGADVISOR:-}
if [[ -z $pgadvisor ]]; then
  pgadvisor=$(command -v pgadvisor || echo "$here/../../build/release/cli/pgadvisor")
fi

mkdir -p "$out"
# DROP … IF EXISTS says NOTICE when there is nothing to drop: not worth a line.
export PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning"
psql -X -q -v ON_ERROR_STOP=1 -d "$dsn" -f "$here/schema.sql"
psql -X -q -v ON_ERROR_STOP=1 -d "$dsn" -f "$here/seed.sql"

status=0
"$pgadvisor" gate check --dsn "$dsn" --queries "$here/queries.sql" --baseline "$here/baseline.json" \
  --junit "$out/gate-junit.xml" --markdown "$out/gate-summary.md" || status=$?
echo "run-locally: gate check exited with $status; reports: $out/gate-junit.xml, $out/gate-summary.md" >&2
exit "$status"
