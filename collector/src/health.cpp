// Health figures from one or two snapshots: counters are differenced over the window (a counter that went
// backwards, after a statistics reset, counts from zero); index findings compare each table's indexes pairwise.
#include "collector/health.hpp"

#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "collector/snapshot_store.hpp"
#include "pg/quote.hpp"

namespace pgadvisor::collector {
namespace {

int64_t since(int64_t later, std::optional<int64_t> earlier) {
  if (!earlier || later < *earlier) return later;
  return later - *earlier;
}

std::optional<double> ratio(int64_t part, int64_t total) {
  if (total <= 0) return std::nullopt;
  return static_cast<double>(part) / static_cast<double>(total);
}

// The statement that fixes a finding; empty when it needs a decision.
std::string fix_for(const analyzer::IndexFinding& f) {
  if (!f.droppable) return "";
  // PostgreSQL cannot drop a partitioned table's index concurrently.
  std::string fix = fmt::format("DROP INDEX {}{};", f.partitioned ? "" : "CONCURRENTLY ",
                                pg::quote_qualified_printable(f.schema, f.index));
  if (f.problem == analyzer::IndexProblem::Invalid) fix += " then create it again if it is needed";
  return fix;
}

}  // namespace

HealthReport compute_health(const ServerSnapshot& later, const ServerSnapshot* earlier, const HealthOptions& options) {
  HealthReport r;
  r.server = later.catalog.server.key();
  r.from = earlier ? earlier->catalog.taken_at : "";
  r.to = later.catalog.taken_at;
  auto opt = [&](auto pick) { return earlier ? std::optional<int64_t>(pick(*earlier)) : std::nullopt; };
  r.blocks_hit = since(later.database.blocks_hit, opt([](const auto& s) { return s.database.blocks_hit; }));
  r.blocks_read = since(later.database.blocks_read, opt([](const auto& s) { return s.database.blocks_read; }));
  r.cache_hit_ratio = ratio(r.blocks_hit, r.blocks_hit + r.blocks_read);
  r.connections = later.database.connections;
  r.max_connections = later.database.max_connections;

  // The earlier snapshot's counters by table, and its index scans by table and index.
  struct Before {
    const analyzer::TableInfo* table;
    const TableDetails* details;
  };
  std::map<std::pair<std::string, std::string>, Before> before;
  if (earlier) {
    const auto& ts = earlier->catalog.catalog.tables();
    for (size_t i = 0; i < ts.size(); ++i)
      before[{ts[i].schema, ts[i].name}] = {&ts[i], &earlier->catalog.table_details[i]};
  }
  const auto& tables = later.catalog.catalog.tables();
  for (size_t i = 0; i < tables.size(); ++i) {
    const auto& t = tables[i];
    if (t.foreign()) continue;  // no heap, no counters, no indexes here: its server's business
    const auto& d = later.catalog.table_details[i];
    auto it = before.find({t.schema, t.name});
    const Before* b = it == before.end() ? nullptr : &it->second;
    auto was = [&](auto pick) { return b ? std::optional<int64_t>(pick(*b)) : std::nullopt; };
    TableHealth h;
    h.schema = t.schema;
    h.name = t.name;
    h.size_bytes = t.size_bytes;
    h.live_tuples = t.activity.live_tuples;
    h.seq_scans = since(t.activity.seq_scans, was([](const Before& x) { return x.table->activity.seq_scans; }));
    h.index_scans = since(t.activity.index_scans, was([](const Before& x) { return x.table->activity.index_scans; }));
    h.seq_tuples_read = since(d.seq_tuples_read, was([](const Before& x) { return x.details->seq_tuples_read; }));
    h.heap_blocks_hit = since(d.heap_blocks_hit, was([](const Before& x) { return x.details->heap_blocks_hit; }));
    h.heap_blocks_read = since(d.heap_blocks_read, was([](const Before& x) { return x.details->heap_blocks_read; }));
    h.cache_hit_ratio = ratio(h.heap_blocks_hit, h.heap_blocks_hit + h.heap_blocks_read);
    h.index_usage_ratio = ratio(h.index_scans, h.index_scans + h.seq_scans);
    r.tables.push_back(std::move(h));

    std::map<std::string, int64_t> earlier_scans;
    if (b) {
      for (const auto& x : b->table->indexes) earlier_scans[x.name] = x.scans;
    }
    for (auto& f : analyzer::index_findings(t, earlier_scans)) {
      std::string fix = fix_for(f);
      r.indexes.push_back({std::move(f), std::move(fix)});
    }
  }
  std::stable_sort(r.tables.begin(), r.tables.end(),
                   [](const auto& x, const auto& y) { return x.seq_tuples_read > y.seq_tuples_read; });
  if (options.top_tables > 0 && r.tables.size() > options.top_tables) r.tables.resize(options.top_tables);
  std::stable_sort(r.indexes.begin(), r.indexes.end(), [](const auto& x, const auto& y) {
    if (x.problem != y.problem) return x.problem < y.problem;
    return x.size_bytes > y.size_bytes;
  });
  return r;
}

HealthReport health_from_server(pg::Connection& conn, const HealthOptions& options) {
  SnapshotOptions snapshot_options;
  snapshot_options.statements = false;
  return compute_health(take_snapshot(conn, snapshot_options), nullptr, options);
}

HealthReport health_from_store(Store& store, const std::string& server_key, const std::string& since_time,
                               const HealthOptions& options) {
  auto all = list_snapshots(store, server_key);
  if (all.empty()) {
    throw StoreError(fmt::format("{}: no snapshot{}; run `pgadvisor snapshot --dsn …` first", store.path().string(),
                                 server_key.empty() ? "" : " of " + server_key));
  }
  auto key = all.back().server_key;
  std::vector<SnapshotSummary> window;
  for (const auto& s : all) {
    if (s.server_key == key && s.taken_at >= since_time) window.push_back(s);
  }
  if (window.empty()) window.push_back(all.back());
  auto later = load_snapshot(store, window.back().id);
  if (window.size() == 1) return compute_health(later, nullptr, options);
  auto earlier = load_snapshot(store, window.front().id);
  return compute_health(later, &earlier, options);
}

}  // namespace pgadvisor::collector
