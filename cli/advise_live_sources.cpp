// Reading the live sources of `pgadvisor advise` (see the header) and saying what was read.
#include "advise_live_sources.hpp"

#include <iostream>

#include <fmt/format.h>

#include "collector/activity_sampler.hpp"
#include "collector/live_statements.hpp"

namespace pgadvisor::cli {
namespace {

void warn(const std::vector<std::string>& warnings) {
  for (const auto& w : warnings) std::cerr << "warning: " << w << "\n";
}

void append(analyzer::Workload& workload, analyzer::Workload more) {
  for (auto& c : more.classes) workload.classes.push_back(std::move(c));
}

}  // namespace

void add_live_sources(pg::Connection& session, const LiveSources& sources, analyzer::Workload& workload) {
  if (sources.pg_stat_statements) {
    auto live = collector::read_statements_workload(session, sources.top);
    warn(live.warnings);
    std::string line = fmt::format("pg_stat_statements: {} classes since the last reset {}", live.classes,
                                   live.stats_reset ? "at " + *live.stats_reset : "(at a time it does not tell)");
    if (live.left_out > 0) {
      line += fmt::format(", the {} with the most time kept (--top), {} left out", live.workload.classes.size(),
                          live.left_out);
    }
    if (live.own_classes > 0) line += fmt::format("; {} of pgadvisor's own left out", live.own_classes);
    std::cerr << line << "\n";
    append(workload, std::move(live.workload));
  }
  if (sources.activity) {
    collector::ActivityOptions options{*sources.activity, kActivityInterval};
    std::cerr << fmt::format("pg_stat_activity: sampling every {} ms for {:.1f} s\n", kActivityInterval.count(),
                             static_cast<double>(sources.activity->count()) / 1000.0);
    auto live = collector::sample_activity(session, options);
    warn(live.warnings);
    std::string line = fmt::format("pg_stat_activity: {} samples, {} executions of {} distinct statements",
                                   live.samples, live.executions, live.workload.classes.size());
    if (live.own > 0) line += fmt::format("; {} of pgadvisor's own left out", live.own);
    std::cerr << line << "\n";
    append(workload, std::move(live.workload));
  }
}

}  // namespace pgadvisor::cli
