// Snapshots in the store: a ServerSnapshot written as one header row plus its statements, tables, columns and
// indexes (migration 0020), and read back. Lists and name/value sets are JSON (migration 0067).
#include "collector/snapshot_store.hpp"

#include <map>
#include <utility>

#include <fmt/format.h>

namespace pgadvisor::collector {
namespace {

// The planner settings by name, as stored; their values are numbers written as text.
TextPairs settings_pairs(const PlannerSettings& s) {
  return {{"random_page_cost", fmt::format("{}", s.random_page_cost)},
          {"seq_page_cost", fmt::format("{}", s.seq_page_cost)},
          {"effective_cache_size", fmt::format("{}", s.effective_cache_size_bytes)},
          {"work_mem", fmt::format("{}", s.work_mem_bytes)},
          {"shared_buffers", fmt::format("{}", s.shared_buffers_bytes)},
          {"default_statistics_target", fmt::format("{}", s.default_statistics_target)},
          {"max_connections", fmt::format("{}", s.max_connections)}};
}

PlannerSettings parse_settings(const TextPairs& pairs) {
  const std::map<std::string, std::string, std::less<>> m(pairs.begin(), pairs.end());
  auto get = [&](const char* name, const char* fallback) {
    auto it = m.find(name);
    return it == m.end() ? std::string(fallback) : it->second;
  };
  return {std::stod(get("random_page_cost", "4")),      std::stod(get("seq_page_cost", "1")),
          std::stoll(get("effective_cache_size", "0")), std::stoll(get("work_mem", "0")),
          std::stoll(get("shared_buffers", "0")),       std::stoi(get("default_statistics_target", "100")),
          std::stoi(get("max_connections", "0"))};
}

void save_statements(Store& store, int64_t id, const ServerSnapshot& snap) {
  auto entry = store.statement("snapshot/insert_statement");
  auto klass = store.statement("snapshot/upsert_query_class");
  for (const auto& e : snap.statements.entries) {
    const auto& c = e.counters;
    entry.bind("snapshot_id", id)
        .bind("queryid", e.key.queryid)
        .bind("userid", e.key.userid)
        .bind("dbid", e.key.dbid)
        .bind("toplevel", e.key.toplevel)
        .bind("user_name", e.user_name)
        .bind("database_name", e.database_name)
        .bind("fingerprint", e.fingerprint)
        .bind("query", e.query)
        .bind("calls", c.calls)
        .bind("total_exec_time", c.total_exec_time_ms)
        .bind("total_plan_time", c.total_plan_time_ms)
        .bind("rows", c.rows)
        .bind("shared_blks_hit", c.shared_blks_hit)
        .bind("shared_blks_read", c.shared_blks_read)
        .bind("shared_blks_dirtied", c.shared_blks_dirtied)
        .bind("shared_blks_written", c.shared_blks_written)
        .bind("local_blks_hit", c.local_blks_hit)
        .bind("local_blks_read", c.local_blks_read)
        .bind("local_blks_dirtied", c.local_blks_dirtied)
        .bind("local_blks_written", c.local_blks_written)
        .bind("temp_blks_read", c.temp_blks_read)
        .bind("temp_blks_written", c.temp_blks_written)
        .bind("counters", TextPairs(e.other_columns.begin(), e.other_columns.end()));
    entry.run();
    if (e.fingerprint) {
      klass.bind("fingerprint", *e.fingerprint)
          .bind("normalized", e.query)
          .bind("kind", e.kind)
          .bind("seen", snap.catalog.taken_at);
      klass.run();
    }
  }
}

void save_catalog(Store& store, int64_t id, const CatalogSnapshot& catalog) {
  auto table = store.statement("snapshot/insert_table");
  auto column = store.statement("snapshot/insert_column");
  auto index = store.statement("snapshot/insert_index");
  const auto& tables = catalog.catalog.tables();
  for (size_t t = 0; t < tables.size(); ++t) {
    const auto& info = tables[t];
    const auto& d = catalog.table_details[t];
    const auto& a = info.activity;
    table.bind("snapshot_id", id)
        .bind("schema", info.schema)
        .bind("name", info.name)
        .bind("kind", std::string(1, static_cast<char>(info.kind)))
        .bind("reltuples", info.reltuples)
        .bind("relpages", info.relpages)
        .bind("size_bytes", info.size_bytes)
        .bind("total_bytes", d.total_bytes)
        .bind("live_tuples", a.live_tuples)
        .bind("dead_tuples", a.dead_tuples)
        .bind("seq_scans", a.seq_scans)
        .bind("seq_tuples_read", d.seq_tuples_read)
        .bind("index_scans", a.index_scans)
        .bind("inserts", a.inserts)
        .bind("updates", a.updates)
        .bind("deletes", a.deletes)
        .bind("hot_updates", a.hot_updates)
        .bind("heap_blocks_hit", d.heap_blocks_hit)
        .bind("heap_blocks_read", d.heap_blocks_read)
        .bind("last_analyze", d.last_analyze)
        .bind("partition_of_schema", info.partition_of ? std::optional(info.partition_of->schema) : std::nullopt)
        .bind("partition_of", info.partition_of ? std::optional(info.partition_of->name) : std::nullopt);
    table.run();
    for (size_t k = 0; k < info.columns.size(); ++k) {
      const auto& col = info.columns[k];
      column.bind("snapshot_id", id)
          .bind("schema", info.schema)
          .bind("table_name", info.name)
          .bind("position", static_cast<int64_t>(k))
          .bind("name", col.name)
          .bind("type", col.type)
          .bind("not_null", col.not_null)
          .bind("analyzed", col.statistics.has_value());
      if (const auto& s = col.statistics) {
        column.bind("null_frac", s->null_frac)
            .bind("n_distinct", s->n_distinct)
            .bind("correlation", s->correlation)
            .bind("average_width", s->average_width)
            .bind("most_common_values", s->most_common_values)
            .bind("most_common_frequencies", s->most_common_frequencies)
            .bind("histogram_bounds", s->histogram_bounds);
      }
      column.run();
    }
    for (const auto& x : info.indexes) {
      index.bind("snapshot_id", id)
          .bind("schema", info.schema)
          .bind("table_name", info.name)
          .bind("name", x.name)
          .bind("method", x.method)
          .bind("definition", x.definition)
          .bind("keys", x.keys)
          .bind("included", x.included)
          .bind("predicate", x.predicate)
          .bind("is_unique", x.unique)
          .bind("is_primary", x.primary)
          .bind("is_constraint", x.constraint)
          .bind("valid", x.valid)
          .bind("ready", x.ready)
          .bind("size_bytes", x.size_bytes)
          .bind("scans", x.scans)
          .bind("attached_to", x.attached_to);
      index.run();
    }
  }
}

void load_catalog(Store& store, int64_t id, CatalogSnapshot& catalog) {
  std::vector<analyzer::TableInfo> tables;
  std::map<std::pair<std::string, std::string>, size_t> position;
  auto t = store.statement("snapshot/select_tables");
  t.bind("snapshot_id", id);
  while (t.step()) {
    analyzer::TableInfo info;
    info.schema = t.get_text("schema");
    info.name = t.get_text("name");
    info.reltuples = t.get_double("reltuples");
    info.relpages = t.get_int64("relpages");
    info.size_bytes = t.get_int64("size_bytes");
    info.activity = {t.get_int64("live_tuples"), t.get_int64("dead_tuples"), t.get_int64("seq_scans"),
                     t.get_int64("index_scans"), t.get_int64("inserts"),     t.get_int64("updates"),
                     t.get_int64("deletes"),     t.get_int64("hot_updates")};
    info.kind = static_cast<analyzer::TableKind>(t.get_text("kind").front());
    auto parent_schema = t.get_optional_text("partition_of_schema");
    auto parent = t.get_optional_text("partition_of");
    if (parent_schema && parent) info.partition_of = analyzer::TableName{*parent_schema, *parent, false};
    TableDetails d;
    d.total_bytes = t.get_int64("total_bytes");
    d.seq_tuples_read = t.get_int64("seq_tuples_read");
    d.heap_blocks_hit = t.get_int64("heap_blocks_hit");
    d.heap_blocks_read = t.get_int64("heap_blocks_read");
    d.last_analyze = t.get_optional_text("last_analyze");
    position[{info.schema, info.name}] = tables.size();
    tables.push_back(std::move(info));
    catalog.table_details.push_back(std::move(d));
  }
  auto c = store.statement("snapshot/select_columns");
  c.bind("snapshot_id", id);
  while (c.step()) {
    auto it = position.find({c.get_text("schema"), c.get_text("table_name")});
    if (it == position.end()) continue;
    analyzer::ColumnInfo col;
    col.name = c.get_text("name");
    col.type = c.get_text("type");
    col.not_null = c.get_bool("not_null");
    if (c.get_bool("analyzed")) {
      analyzer::ColumnStatistics s;
      s.null_frac = c.get_double("null_frac");
      s.n_distinct = c.get_double("n_distinct");
      s.correlation = c.get_double("correlation");
      s.average_width = static_cast<int>(c.get_int64("average_width"));
      s.most_common_values = c.get_text_list("most_common_values");
      s.most_common_frequencies = c.get_double_list("most_common_frequencies");
      s.histogram_bounds = c.get_text_list("histogram_bounds");
      col.statistics = std::move(s);
    }
    tables[it->second].columns.push_back(std::move(col));
  }
  auto x = store.statement("snapshot/select_indexes");
  x.bind("snapshot_id", id);
  while (x.step()) {
    auto it = position.find({x.get_text("schema"), x.get_text("table_name")});
    if (it == position.end()) continue;
    analyzer::IndexInfo index;
    index.name = x.get_text("name");
    index.method = x.get_text("method");
    index.definition = x.get_text("definition");
    index.keys = x.get_text_list("keys");
    index.included = x.get_text_list("included");
    index.predicate = x.get_text("predicate");
    index.unique = x.get_bool("is_unique");
    index.primary = x.get_bool("is_primary");
    index.constraint = x.get_bool("is_constraint");
    index.valid = x.get_bool("valid");
    index.ready = x.get_bool("ready");
    index.size_bytes = x.get_int64("size_bytes");
    index.scans = x.get_int64("scans");
    index.attached_to = x.get_text("attached_to");
    tables[it->second].indexes.push_back(std::move(index));
  }
  for (auto& info : tables) catalog.catalog.add_table(std::move(info));
}

}  // namespace

int64_t save_snapshot(Store& store, const ServerSnapshot& snap) {
  auto tx = store.begin();
  const auto& server = snap.catalog.server;
  const auto& st = snap.statements;
  store.statement("snapshot/insert_snapshot")
      .bind("server_key", server.key())
      .bind("system_identifier", server.system_identifier)
      .bind("host", server.host)
      .bind("port", server.port)
      .bind("database", server.database)
      .bind("server_version", server.version)
      .bind("server_version_num", server.version_num)
      .bind("taken_at", snap.catalog.taken_at)
      .bind("duration_ms", snap.duration_ms)
      .bind("statements_version", st.available ? std::optional<std::string>(st.version) : std::nullopt)
      .bind("stats_reset", st.stats_reset)
      .bind("dealloc", st.dealloc)
      .bind("hidden_entries", st.hidden_entries)
      .bind("blocks_hit", snap.database.blocks_hit)
      .bind("blocks_read", snap.database.blocks_read)
      .bind("connections", snap.database.connections)
      .bind("max_connections", snap.database.max_connections)
      .bind("settings", settings_pairs(snap.catalog.settings))
      .bind("search_path", snap.catalog.catalog.search_path())
      .run();
  auto id_query = store.statement("snapshot/last_id");
  id_query.step();
  const int64_t id = id_query.get_int64("id");
  save_statements(store, id, snap);
  save_catalog(store, id, snap.catalog);
  tx.commit();
  return id;
}

ServerSnapshot load_snapshot(Store& store, int64_t id, bool with_catalog) {
  auto h = store.statement("snapshot/select_snapshot");
  h.bind("id", id);
  if (!h.step()) throw StoreError(fmt::format("{}: no snapshot {}", store.path().string(), id));
  ServerSnapshot snap;
  snap.id = id;
  auto& server = snap.catalog.server;
  server.system_identifier = h.get_optional_text("system_identifier");
  server.host = h.get_optional_text("host").value_or("");
  server.port = static_cast<int>(h.get_int64("port"));
  server.database = h.get_text("database");
  server.version = h.get_text("server_version");
  server.version_num = static_cast<int>(h.get_int64("server_version_num"));
  snap.catalog.taken_at = h.get_text("taken_at");
  snap.duration_ms = h.get_double("duration_ms");
  auto& st = snap.statements;
  auto version = h.get_optional_text("statements_version");
  st.available = version.has_value();
  st.version = version.value_or("");
  st.stats_reset = h.get_optional_text("stats_reset");
  st.dealloc = h.get_optional_int64("dealloc");
  st.hidden_entries = h.get_int64("hidden_entries");
  snap.database = {h.get_optional_int64("blocks_hit").value_or(0), h.get_optional_int64("blocks_read").value_or(0),
                   h.get_optional_int64("connections").value_or(0),
                   static_cast<int>(h.get_optional_int64("max_connections").value_or(0))};
  snap.catalog.settings = parse_settings(h.get_text_pairs("settings"));
  snap.catalog.catalog = analyzer::Catalog(h.get_text_list("search_path"));

  auto e = store.statement("snapshot/select_statements");
  e.bind("snapshot_id", id);
  while (e.step()) {
    StatementEntry entry;
    entry.key = {e.get_int64("queryid"), e.get_int64("userid"), e.get_int64("dbid"), e.get_bool("toplevel")};
    entry.user_name = e.get_optional_text("user_name").value_or("");
    entry.database_name = e.get_optional_text("database_name").value_or("");
    entry.fingerprint = e.get_optional_text("fingerprint");
    entry.query = e.get_text("query");
    entry.counters = {e.get_int64("calls"),
                      e.get_double("total_exec_time"),
                      e.get_double("total_plan_time"),
                      e.get_int64("rows"),
                      e.get_int64("shared_blks_hit"),
                      e.get_int64("shared_blks_read"),
                      e.get_int64("shared_blks_dirtied"),
                      e.get_int64("shared_blks_written"),
                      e.get_int64("local_blks_hit"),
                      e.get_int64("local_blks_read"),
                      e.get_int64("local_blks_dirtied"),
                      e.get_int64("local_blks_written"),
                      e.get_int64("temp_blks_read"),
                      e.get_int64("temp_blks_written")};
    entry.other_columns = e.get_text_pairs("counters");
    st.entries.push_back(std::move(entry));
  }
  if (with_catalog) load_catalog(store, id, snap.catalog);
  return snap;
}

std::optional<CatalogSnapshot> load_latest_catalog(Store& store, const std::string& server_key) {
  auto all = list_snapshots(store, server_key);
  if (all.empty()) return std::nullopt;
  return std::move(load_snapshot(store, all.back().id).catalog);
}

std::vector<SnapshotSummary> list_snapshots(Store& store, const std::string& server_key, const std::string& since) {
  auto q = store.statement("snapshot/list_snapshots");
  q.bind("server_key", server_key).bind("since", since);
  std::vector<SnapshotSummary> out;
  while (q.step()) {
    out.push_back({q.get_int64("id"), q.get_text("server_key"), q.get_text("taken_at"),
                   q.get_optional_text("stats_reset"), q.get_int64("entries")});
  }
  return out;
}

}  // namespace pgadvisor::collector
