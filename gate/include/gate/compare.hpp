// `gate compare`: the guarded queries measured before and after a migration in one process, with the shadow
// bench's alternation (before and after blocks in the order B A A B …, each one transaction that is rolled back, the
// migration applied inside each "after" block) and its bootstrap interval of the speedup; the plan's shape of each
// query before and after, from EXPLAIN inside one more rolled-back transaction. Nothing is committed: the database
// ends as it started (its catalog's md5 is compared to be sure).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "gate/gate.hpp"
#include "pg/connection.hpp"
#include "shadow/shadow_bench.hpp"

namespace pgadvisor::gate {

struct CompareOptions {
  int runs = 10;   //!< measured runs per parameter set and state
  int warmup = 1;  //!< discarded runs per query at the start of each block
  int rounds = 5;  //!< before/after block pairs the runs are spread over
  int resamples = 2000;
  std::function<void(const std::string&)> progress;  //!< may be empty
};

//! One query before and after the migration.
struct QueryComparison {
  Measurement before;         //!< runs of the "before" blocks; plan from EXPLAIN before the migration
  Measurement after;          //!< runs of the "after" blocks; plan from EXPLAIN after it
  shadow::ClassResult bench;  //!< the bench's summary: speedup with its interval, verdict, result check, error
};

struct CompareResult {
  std::vector<QueryComparison> queries;  //!< in the order of the queries given
  std::vector<std::string> steps;        //!< the migration's statements, as applied
  bool schema_unchanged = true;          //!< the catalog's md5 is the same after as before
  double seconds = 0;
};

//! The BenchClass of a guarded query: named by it, one instance per parameter set (one without values when it has
//! none), a write when it is not a plain SELECT (its runs are rolled back to a savepoint; its result is not
//! compared).
shadow::BenchClass bench_class(const GuardedQuery& query);

//! Measures `queries` before and after `script` on `conn` (which the caller has accepted as a shadow or a
//! throwaway database). Throws std::invalid_argument when the script has a statement that does not parse or none
//! at all, pg::Error when the migration itself fails (its message says which statement) or the connection does.
CompareResult compare_migration(pg::Connection& conn, const std::vector<GuardedQuery>& queries,
                                const std::string& script, const CompareOptions& options);

}  // namespace pgadvisor::gate
