#!/usr/bin/env bash
# Installs every Debian 12 package that pgadvisor's build, tests and demo need.
# Idempotent: when everything is there it checks with dpkg-query only and prints nothing.
set -euo pipefail

packages=(
  # build
  g++ cmake ninja-build ccache make pkg-config
  # libFuzzer targets (clang with its sanitizer and fuzzer runtimes), formatting and lint
  clang-14 libclang-rt-14-dev clang-format clang-tidy
  # libraries, as Debian 12 ships them
  libpq-dev libpg-query-dev libfmt-dev libcli11-dev nlohmann-json3-dev libsqlite3-dev catch2
  zlib1g-dev libzstd-dev libsimdjson-dev
  # the advisor's integer program for index selection
  libglpk-dev
  # the sandbox server and its extensions
  postgresql-15 postgresql-client-15 postgresql-15-hypopg
  # benchmarks: the tools users would otherwise pick
  pgbadger postgresql-15-pg-qualstats hyperfine
  # the ingest tests and benchmark compress logs and script the log multiplier
  gzip zstd python3
)

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "installed" ]] || missing+=("$p")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

if [[ $(id -u) -eq 0 ]]; then
  sudo=()
elif command -v sudo >/dev/null 2>&1; then
  sudo=(sudo)
else
  echo "bootstrap: missing packages: ${missing[*]}" >&2
  echo "bootstrap: not root and no sudo; install them as root with apt-get install ${missing[*]}" >&2
  exit 3
fi

echo "bootstrap: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
# The package lists of a fresh machine are empty or stale: update once, then install.
"${sudo[@]}" apt-get update -qq >/dev/null
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "bootstrap: done" >&2
