#!/usr/bin/env bash
# `make demo`: pgadvisor's main job on its embedded default, a local sandbox PostgreSQL with demo data.
# Today: sandbox up, doctor, fingerprints of the demo queries. Later issues add ingest, advise and bench.
set -euo pipefail
cd "$(dirname "$0")/.."
pgadvisor=${1:-build/release/cli/pgadvisor}

# As root the server runs as the postgres OS user (PostgreSQL refuses root), which must be able to enter
# the sandbox directory: fall back to /tmp when this checkout is not reachable by it.
dir=${PGADVISOR_SANDBOX_DIR:-$PWD/.pgadvisor/sandbox}
if [[ $(id -u) -eq 0 && -z ${PGADVISOR_SANDBOX_DIR:-} ]] && ! runuser -u postgres -- test -x "$PWD" 2>/dev/null; then
  dir=/tmp/pgadvisor-sandbox
fi

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "sandbox up ($dir)"
"$pgadvisor" sandbox up --dir "$dir"
eval "$("$pgadvisor" sandbox env --dir "$dir")"

step "doctor"
"$pgadvisor" doctor

if "$pgadvisor" fingerprint --help >/dev/null 2>&1; then
  step "fingerprint sql/demo/queries.sql"
  "$pgadvisor" fingerprint sql/demo/queries.sql
fi

step "done"
echo "The sandbox keeps running; stop it with: $pgadvisor sandbox down --dir $dir"
