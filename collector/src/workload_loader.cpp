// Loading the advisor's workload from the store.
#include "collector/workload_loader.hpp"

#include <algorithm>
#include <map>

#include "analyzer/secret_redaction.hpp"
#include "collector/ingest_store.hpp"
#include "collector/own_statements.hpp"
#include "collector/snapshot.hpp"
#include "collector/snapshot_store.hpp"
#include "collector/statement_deltas.hpp"

namespace pgadvisor::collector {

analyzer::WorkloadClass statement_workload_class(const StatementClassRank& c) {
  // "queryid:N" marks a text that does not parse.
  const bool parsed = !c.fingerprint.starts_with("queryid:");
  return {parsed ? c.fingerprint : std::string(),
          analyzer::redact_secrets(c.query),
          static_cast<double>(c.delta.calls),
          c.total_time_ms,
          {},
          {},
          "statements"};
}

LoadedWorkload load_workload(Store& store, const WorkloadOptions& options) {
  LoadedWorkload out;
  auto& classes = out.workload.classes;
  std::map<std::string, size_t> by_fingerprint;
  if (options.logs) {
    IngestStore logs(store);
    for (const auto& c : logs.classes(options.database)) {
      analyzer::WorkloadClass wc;
      wc.fingerprint = c.fingerprint;
      // Texts are redacted when stored; again here for stores written before that (advice quotes them).
      wc.text = analyzer::redact_secrets(c.normalized);
      wc.calls = static_cast<double>(c.calls);
      wc.total_ms = c.total_ms;
      wc.source = "logs";
      auto samples = logs.samples(c.fingerprint);
      for (const auto& s : samples.statements) wc.samples.push_back(analyzer::redact_secrets(s));
      for (const auto& p : samples.parameters) {
        if (auto set = analyzer::parse_logged_parameters(analyzer::redact_secrets(p))) {
          wc.parameter_sets.push_back(std::move(*set));
        }
      }
      if (wc.calls <= 0) continue;      // errors only: nothing ran to completion
      if (is_own_statement(wc.text)) {  // pgadvisor's own session, logged with everything else
        ++out.own_classes;
        continue;
      }
      by_fingerprint.emplace(wc.fingerprint, classes.size());
      classes.push_back(std::move(wc));
    }
    out.log_classes = classes.size();
  }
  if (options.statements && !list_snapshots(store).empty()) {
    RankingOptions ranking;
    ranking.since = options.since;
    ranking.until = options.until;
    ranking.limit = 0;
    auto ranked = rank_statement_classes(store, ranking);
    out.warnings = ranked.warnings;
    if (ranked.snapshots >= 2) out.workload.window_seconds = ranked.seconds;
    for (const auto& r : ranked.classes) {
      auto calls = static_cast<double>(r.delta.calls);
      if (calls <= 0) continue;
      if (is_own_statement(r.query)) {  // pgadvisor's catalog reads, EXPLAINs and snapshots of this very view
        ++out.own_classes;
        continue;
      }
      if (auto it = by_fingerprint.find(r.fingerprint); it != by_fingerprint.end()) {
        auto& known = classes[it->second];
        known.calls = std::max(known.calls, calls);
        // The log holds only the executions over log_min_duration_statement: pg_stat_statements' time is the whole.
        known.total_ms = std::max(known.total_ms, r.total_time_ms);
        continue;
      }
      classes.push_back(statement_workload_class(r));
      ++out.statement_classes;
    }
  }
  return out;
}

}  // namespace pgadvisor::collector
