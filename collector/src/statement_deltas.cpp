// Deltas between pg_stat_statements snapshots and the ranking of statement classes over a window. A window is
// summed pair by pair: a reset or an eviction between two snapshots only affects that pair's deltas.
#include "collector/statement_deltas.hpp"

#include <algorithm>
#include <chrono>
#include <map>
#include <set>
#include <stdexcept>

#include <fmt/format.h>

#include "collector/snapshot_store.hpp"

namespace pgadvisor::collector {
namespace {

// Seconds since the epoch of an ISO 8601 UTC timestamp as the snapshots write it ("2026-01-02T03:04:05.123456Z").
double epoch_seconds(const std::string& iso) {
  int y = 0;
  int mo = 0;
  int d = 0;
  int h = 0;
  int mi = 0;
  double s = 0.0;
  if (std::sscanf(iso.c_str(), "%d-%d-%dT%d:%d:%lf", &y, &mo, &d, &h, &mi, &s) != 6) {
    throw std::invalid_argument(fmt::format("not an ISO 8601 timestamp: {}", iso));
  }
  std::chrono::sys_days day{std::chrono::year{y} / mo / d};
  return static_cast<double>(day.time_since_epoch().count()) * 86400.0 + h * 3600.0 + mi * 60.0 + s;
}

bool went_down(const StatementCounters& earlier, const StatementCounters& later) {
  return later.calls < earlier.calls || later.total_exec_time_ms < earlier.total_exec_time_ms ||
         later.rows < earlier.rows || later.shared_blks_hit < earlier.shared_blks_hit ||
         later.shared_blks_read < earlier.shared_blks_read;
}

double sort_value(const StatementClassRank& c, RankBy by) {
  switch (by) {
    case RankBy::TotalTime:
      return c.total_time_ms;
    case RankBy::Calls:
      return static_cast<double>(c.delta.calls);
    case RankBy::MeanTime:
      return c.mean_time_ms;
    case RankBy::Rows:
      return static_cast<double>(c.delta.rows);
    case RankBy::SharedBlocksRead:
      return static_cast<double>(c.delta.shared_blks_read);
    case RankBy::TempBlocks:
      return static_cast<double>(c.delta.temp_blks_read + c.delta.temp_blks_written);
  }
  return 0.0;
}

}  // namespace

std::string_view to_string(EntryChange change) {
  switch (change) {
    case EntryChange::Continued:
      return "continued";
    case EntryChange::Appeared:
      return "appeared";
    case EntryChange::Reset:
      return "reset";
  }
  return "?";
}

SnapshotDelta statement_delta(const ServerSnapshot& earlier, const ServerSnapshot& later) {
  if (earlier.catalog.server.key() != later.catalog.server.key()) {
    throw std::invalid_argument(fmt::format("snapshots of different servers: {} and {}", earlier.catalog.server.key(),
                                            later.catalog.server.key()));
  }
  SnapshotDelta out;
  out.from_id = earlier.id;
  out.to_id = later.id;
  out.from = earlier.catalog.taken_at;
  out.to = later.catalog.taken_at;
  out.seconds = epoch_seconds(out.to) - epoch_seconds(out.from);
  const auto& a = earlier.statements;
  const auto& b = later.statements;
  out.stats_reset = a.stats_reset && b.stats_reset && *a.stats_reset != *b.stats_reset;
  if (!out.stats_reset && a.dealloc && b.dealloc) out.dealloc = *b.dealloc - *a.dealloc;

  std::map<StatementKey, const StatementEntry*> before;
  for (const auto& e : a.entries) before.emplace(e.key, &e);
  std::set<StatementKey> seen;
  for (const auto& e : b.entries) {
    StatementDelta d{e.key, e.user_name, e.database_name, e.query, e.fingerprint, e.counters, EntryChange::Appeared};
    auto it = before.find(e.key);
    if (out.stats_reset) {
      d.change = EntryChange::Reset;
    } else if (it != before.end()) {
      seen.insert(e.key);
      if (went_down(it->second->counters, e.counters)) {
        d.change = EntryChange::Reset;
        ++out.reset_entries;
      } else {
        d.change = EntryChange::Continued;
        d.delta = e.counters - it->second->counters;
      }
    } else {
      ++out.new_entries;
    }
    if (d.delta.calls > 0) out.statements.push_back(std::move(d));
  }
  if (!out.stats_reset) out.evicted_entries = static_cast<int64_t>(before.size() - seen.size());
  return out;
}

void StatementClassAccumulator::add(const StatementKey& key, const std::string& query,
                                    const std::optional<std::string>& fingerprint, const StatementCounters& counters) {
  auto name = fingerprint.value_or(fmt::format("queryid:{}", key.queryid));
  auto& c = classes_[name];
  c.fingerprint = name;
  c.delta += counters;
  time_by_text_[name][query] += counters.total_exec_time_ms + counters.total_plan_time_ms;
  queryids_[name].insert(key.queryid);
}

std::vector<StatementClassRank> StatementClassAccumulator::ranked(RankBy by, size_t limit) const {
  double all_time = 0.0;
  std::vector<StatementClassRank> out;
  // A structured binding rather than `classes_ | std::views::values`, which clang-tidy 14 cannot parse with
  // libstdc++ 12's <ranges>.
  for (const auto& [name, accumulated] : classes_) {
    StatementClassRank c = accumulated;
    c.total_time_ms = c.delta.total_exec_time_ms + c.delta.total_plan_time_ms;
    c.mean_time_ms = c.delta.calls > 0 ? c.total_time_ms / static_cast<double>(c.delta.calls) : 0.0;
    const auto& texts = time_by_text_.at(c.fingerprint);
    c.query = std::max_element(texts.begin(), texts.end(), [](auto& x, auto& y) { return x.second < y.second; })->first;
    const auto& ids = queryids_.at(c.fingerprint);
    c.queryids.assign(ids.begin(), ids.end());
    all_time += c.total_time_ms;
    out.push_back(std::move(c));
  }
  for (auto& c : out) c.share_of_time = all_time > 0 ? c.total_time_ms / all_time : 0.0;
  std::stable_sort(out.begin(), out.end(),
                   [&](const auto& x, const auto& y) { return sort_value(x, by) > sort_value(y, by); });
  if (limit > 0 && out.size() > limit) out.resize(limit);
  return out;
}

StatementRanking rank_statement_classes(Store& store, const RankingOptions& options) {
  StatementRanking out;
  auto all = list_snapshots(store, options.server_key);
  out.server_key = options.server_key;
  if (out.server_key.empty() && !all.empty()) {
    out.server_key = all.back().server_key;
    std::set<std::string> servers;
    for (const auto& s : all) servers.insert(s.server_key);
    if (servers.size() > 1) {
      out.warnings.push_back(fmt::format("the store holds snapshots of {} servers; ranking {} (the latest)",
                                         servers.size(), out.server_key));
    }
  }
  // The window: from the last snapshot at or before `since` (so that what ran after it counts) to the last one at or
  // before `until`.
  std::vector<SnapshotSummary> window;
  for (const auto& s : all) {
    if (s.server_key != out.server_key) continue;
    if (!options.until.empty() && s.taken_at > options.until) continue;
    if (!options.since.empty() && s.taken_at <= options.since) window.clear();
    window.push_back(s);
  }
  out.snapshots = static_cast<int>(window.size());
  if (window.empty()) {
    out.warnings.emplace_back(
        "no snapshot of this server in the window: run `pgadvisor snapshot` (twice, some time "
        "apart, for a window of your choosing)");
    return out;
  }
  out.from = window.front().taken_at;
  out.to = window.back().taken_at;

  StatementClassAccumulator classes;
  // One snapshot: its counters count since pg_stat_statements was last reset, a window that starts then (an empty
  // snapshot of the same server at that time stands for its start).
  const bool since_reset = window.size() == 1;
  auto previous = load_snapshot(store, window.front().id, false);
  if (since_reset) {
    previous.id = 0;
    previous.statements.entries.clear();
    previous.statements.dealloc = 0;
    if (previous.statements.stats_reset) previous.catalog.taken_at = *previous.statements.stats_reset;
    out.from = previous.statements.stats_reset.value_or("");
    out.warnings.push_back(fmt::format(
        "one snapshot of this server in the window: its counters since pg_stat_statements was last reset ({}) stand "
        "for the workload; take another later (`pgadvisor snapshot`) for a window of your choosing",
        previous.statements.stats_reset ? "at " + *previous.statements.stats_reset : "at a time it does not tell"));
  }
  for (size_t i = since_reset ? 0 : 1; i < window.size(); ++i) {
    auto current = load_snapshot(store, window[i].id, false);
    auto delta = statement_delta(previous, current);
    out.seconds += delta.seconds;
    out.stats_resets += delta.stats_reset ? 1 : 0;
    out.evicted_entries += delta.evicted_entries;
    out.new_entries += delta.new_entries;
    for (const auto& d : delta.statements) classes.add(d.key, d.query, d.fingerprint, d.delta);
    previous = std::move(current);
  }

  out.classes = classes.ranked(options.by, options.limit);
  if (out.evicted_entries > 0) {
    out.warnings.push_back(fmt::format(
        "{} pg_stat_statements entries were evicted in the window: what they ran since the previous snapshot is "
        "lost; raise pg_stat_statements.max or snapshot more often",
        out.evicted_entries));
  }
  return out;
}

}  // namespace pgadvisor::collector
