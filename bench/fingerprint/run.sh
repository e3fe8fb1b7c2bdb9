#!/usr/bin/env bash
# Builds bench_fingerprint in Release (its own build directory) and runs the comparison; arguments go to the driver,
# e.g. bench/fingerprint/run.sh --runs 7. Results belong in bench/BENCHMARKS.md with this exact command.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="${BENCH_BUILD_DIR:-$root/build/bench-release}"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DPGADVISOR_BUILD_TESTS=OFF >/dev/null
cmake --build "$build" --target bench_fingerprint -j2 >/dev/null
"$build/bench/bench_fingerprint" "$@"
