// The workload the advisor works on, from what the store collected: query classes of slow-query logs (with their
// sampled statements and parameter sets) and of pg_stat_statements deltas over a window, merged by fingerprint.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "analyzer/workload.hpp"
#include "collector/statement_deltas.hpp"
#include "collector/store.hpp"

namespace pgadvisor::collector {

struct WorkloadOptions {
  bool logs = true;                     //!< classes from ingested logs
  bool statements = true;               //!< classes from pg_stat_statements snapshots
  std::optional<std::string> database;  //!< logs: only classes seen in this database
  std::string since;                    //!< statements: the window (see RankingOptions)
  std::string until;
};

struct LoadedWorkload {
  analyzer::Workload workload;
  size_t log_classes = 0;
  size_t statement_classes = 0;  //!< of which not also in the logs
  size_t own_classes = 0;        //!< pgadvisor's own statements, left out (own_statements.hpp)
  std::vector<std::string> warnings;
};

//! The store's workload. A class in both sources keeps the logs' samples and the larger call count and total time
//! (both count the same executions over windows that need not match; the log may hold only the slow ones).
LoadedWorkload load_workload(Store& store, const WorkloadOptions& options = {});

//! A pg_stat_statements class as the advisor takes it: its normalized ($n) text, redacted, and no samples (the
//! advisor plans it with values from pg_stats or generically); a text that does not parse ("queryid:N") has no
//! fingerprint, so that the advice reports it with its reason.
analyzer::WorkloadClass statement_workload_class(const StatementClassRank& c);

}  // namespace pgadvisor::collector
