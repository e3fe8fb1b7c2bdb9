#!/usr/bin/env bash
# Cheap project rules (docs/ARCHITECTURE.md) that the compiler does not check; --tidy adds clang-tidy.
# Exit 1 when a rule is broken, naming the file.
set -uo pipefail
cd "$(dirname "$0")/.."
status=0
fail() { echo "lint: $*" >&2; status=1; }

# Each C library is wrapped once (benchmarks excepted).
for pair in "pg_query.h:analyzer/src/pg_query_adapter.cpp" "libpq-fe.h:pg/src/" "sqlite3.h:collector/src/store.cpp" \
            "glpk.h:advisor/src/integer_program.cpp"; do
  header=${pair%%:*}; allowed=${pair#*:}
  while IFS= read -r f; do
    # bench/ measures the libraries themselves, as the baseline to beat; tests/fuzz/ uses libpg_query as the reference
    # parser of its oracles (script_oracle.hpp, shared with the Catch2 tests).
    [[ $f == $allowed* || $f == bench/* || ($header == pg_query.h && $f == tests/fuzz/*) ]] ||
      fail "$f includes <$header>; only $allowed may"
  done < <(git grep -l "#include <$header>" -- '*.cpp' '*.hpp' 2>/dev/null)
done

# Dependencies point one way: analyzer and pg never include the modules above them.
for f in $(git ls-files 'analyzer/*.cpp' 'analyzer/*.hpp' 'pg/*.cpp' 'pg/*.hpp'); do
  if grep -qE '#include "(collector|advisor|shadow|reports|cli)/' "$f"; then fail "$f includes a module above it (docs/ARCHITECTURE.md)"; fi
done
for f in $(git ls-files 'analyzer/*.cpp' 'analyzer/*.hpp'); do
  if grep -qE '#include "(pg|sql)/' "$f"; then fail "$f: analyzer is pure, no I/O (docs/ARCHITECTURE.md)"; fi
done
# The advisor is read-only what-if advice: it never includes what writes to a shadow (shadow/) or the store and the
# log readers (collector/); cli hands it a Workload and a Catalog. shadow/ sits above the advisor (it reads the advice)
# and below reports/ and cli/; it never includes the collector either (cli stores bench results).
for f in $(git ls-files 'advisor/*.cpp' 'advisor/*.hpp'); do
  if grep -qE '#include "(shadow|collector|reports|cli)/' "$f"; then
    fail "$f: advisor/ includes shadow/, collector/ or a module above it (docs/ARCHITECTURE.md)"
  fi
done
for f in $(git ls-files 'shadow/*.cpp' 'shadow/*.hpp'); do
  if grep -qE '#include "(collector|reports|cli|gate)/' "$f"; then
    fail "$f: shadow/ includes collector/ or a module above it (docs/ARCHITECTURE.md)"
  fi
done
# gate/ sits above the shadow (compare runs the bench) and below reports/ and cli/; like the shadow it never includes
# the collector (cli loads a store's workload and hands it over).
for f in $(git ls-files 'gate/*.cpp' 'gate/*.hpp'); do
  if grep -qE '#include "(collector|reports|cli)/' "$f"; then
    fail "$f: gate/ includes collector/ or a module above it (docs/ARCHITECTURE.md)"
  fi
done

# SQL lives in sql/: no SELECT/INSERT/CREATE texts sent from the modules' sources (tests may build their own).
# (advisor/src/ddl_script.cpp writes scripts for the DBA to run, not statements pgadvisor sends.)
for f in $(git ls-files 'pg/src/*.cpp' 'collector/src/*.cpp' 'advisor/src/*.cpp' 'shadow/src/*.cpp' 'gate/src/*.cpp' 'cli/*.cpp' | grep -v ddl_script); do
  if grep -nE '"\s*(SELECT|INSERT|UPDATE|DELETE|CREATE|DROP|ALTER|SET) [a-z_*(]' "$f" | grep -v 'fix\|ALTER SYSTEM\|GRANT\|CREATE EXTENSION' >/dev/null; then
    fail "$f holds SQL text; move it to sql/ and use sql::text()"
  fi
done

# The store's statements live in sql/store/ too, pragmas and transaction control included: collector's modules name
# them (Store::statement, Store::run_script) and never hand the store SQL text (Store::prepare/execute are for tests).
for f in $(git ls-files 'collector/src/*.cpp'); do
  if grep -nE '"\s*(PRAGMA|BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE|VACUUM|WITH|INSERT OR|REPLACE) ' "$f" >/dev/null; then
    fail "$f holds SQLite text; move it to sql/store/ and use Store::statement() or Store::run_script()"
  fi
  if [[ $f != collector/src/store.cpp ]] && grep -nE '\b(store_?|db)(\.|->)(prepare|execute)\(' "$f" >/dev/null; then
    fail "$f hands the store SQL text; name a statement of sql/store/ with Store::statement() or Store::run_script()"
  fi
done

# Every source file opens with a comment saying what it is for.
for f in $(git ls-files '*.cpp' '*.hpp' | grep -v '^tests/fixtures/'); do
  head -1 "$f" | grep -q '^//' || fail "$f does not open with a header comment"
done

# One enum case style (.clang-tidy's readability-identifier-naming says the same): a scoped enum's enumerators are
# CamelCase (PlanSource::PgStats), an unscoped enum's integer constants kCamelCase (kSuccess, kLogTime).
enum_problems=$(git ls-files '*.cpp' '*.hpp' | xargs awk '
  function check(name, scoped) {
    gsub(/^[ \t]+|[ \t]+$/, "", name); sub(/[ \t]*=.*/, "", name)
    if (name == "") return
    if (scoped && name !~ /^[A-Z]/) print FILENAME ":" FNR ": enumerator " name " of a scoped enum is not CamelCase"
    if (!scoped && name !~ /^k[A-Z]/) print FILENAME ":" FNR ": enumerator " name " of an unscoped enum is not kCamelCase"
  }
  /^[ \t]*enum[ \t]/ && /\{/ && !/\(/ {
    scoped = ($0 ~ /enum[ \t]+class/); line = $0; sub(/^[^{]*\{/, "", line)
    if (line ~ /\}/) { sub(/\}.*/, "", line); sub(/\/\/.*/, "", line); n = split(line, parts, ","); for (i = 1; i <= n; i++) check(parts[i], scoped); next }
    inside = 1; next
  }
  inside && /^[ \t]*\}/ { inside = 0; next }
  inside { line = $0; sub(/\/\/.*/, "", line); sub(/,.*/, "", line); check(line, scoped) }
')
[[ -z $enum_problems ]] || fail "enum case style:
$enum_problems"

# A TEST_CASE name starting with '-' reaches Catch as an option (ctest passes the name as its argument): it fails.
if git grep -nE 'TEST_CASE\("-' -- 'tests/*.cpp' >/dev/null; then
  fail "a TEST_CASE name starts with '-' (Catch reads it as an option): $(git grep -nlE 'TEST_CASE\("-' -- 'tests/*.cpp' | tr '\n' ' ')"
fi

# ctest splits test names at ';' (catch_discover_tests): such a test would silently run nothing.
if git grep -nE 'TEST_CASE\("[^"]*;' -- 'tests/*.cpp' >/dev/null; then
  fail "a TEST_CASE name holds ';' (ctest splits names there): $(git grep -nlE 'TEST_CASE\("[^"]*;' -- 'tests/*.cpp' | tr '\n' ' ')"
fi

# --tidy [BUILD_DIR] [--record]: clang-tidy (.clang-tidy; every finding is an error) over every module's sources,
# their headers through them (HeaderFilterRegex), through scripts/tidy.py, which skips the files whose exact input
# was already found clean. BUILD_DIR holds the compile_commands.json (default: build/test, else any build/*).
# --record also rewrites scripts/tidy_clean.txt (`make tidy`). PGADVISOR_TIDY_NICE lowers clang-tidy's priority
# (make test runs it beside ctest, whose live tests must not time out).
if [[ ${1:-} == --tidy ]]; then
  build=${2:-}
  [[ $build == --record ]] && build=
  if [[ -z $build ]]; then
    build=build/test
    [[ -f $build/compile_commands.json ]] || build=$(dirname "$(ls -d build/*/compile_commands.json 2>/dev/null | head -1)")
  fi
  record=()
  [[ " $* " == *" --record "* ]] && record=(--record)
  mapfile -t sources < <(git ls-files 'analyzer/src/*.cpp' 'pg/src/*.cpp' 'collector/src/*.cpp' 'advisor/src/*.cpp' \
    'shadow/src/*.cpp' 'gate/src/*.cpp' 'reports/src/*.cpp' 'cli/*.cpp' 'sql/*.cpp')
  python3 scripts/tidy.py "$build" "${sources[@]}" "${record[@]}" --nice "${PGADVISOR_TIDY_NICE:-0}"
  rc=$?
  [[ $rc -eq 3 ]] && exit 3
  [[ $rc -eq 0 ]] || { echo "lint: clang-tidy found problems (above)" >&2; status=1; }
fi
exit $status
