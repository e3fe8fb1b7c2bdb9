#!/usr/bin/env bash
# Builds bench_redaction in Release (its own build directory) and prints the Markdown table for bench/BENCHMARKS.md;
# an argument sets the number of passes (best of, default 25): bench/redaction/run.sh 25
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="${BENCH_BUILD_DIR:-$root/build/bench-release}"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DPGADVISOR_BUILD_TESTS=OFF >/dev/null
cmake --build "$build" --target bench_redaction -j2 >/dev/null
"$build/bench/bench_redaction" "$@"
