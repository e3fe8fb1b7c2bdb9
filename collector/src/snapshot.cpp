// Reads pg_stat_statements through a select list built from the view's probed columns (so every version
// from 13 to 17 works and no column is missed), the catalog and database figures, all in one read-only
// transaction; saves and loads snapshots in the store.
#include "collector/snapshot.hpp"

#include <chrono>
#include <map>
#include <set>

#include <fmt/format.h>

#include "analyzer/secret_redaction.hpp"
#include "analyzer/statement.hpp"
#include "collector/doctor.hpp"
#include "collector/snapshot_sql.hpp"
#include "pg/quote.hpp"
#include "sql/embedded.hpp"

namespace pgadvisor::collector {
namespace {

// The identity columns of the key, and the columns the counters come from (older names are aliases).
const std::set<std::string, std::less<>> kKeyColumns = {"userid", "dbid", "toplevel", "queryid", "query"};

// The columns the counters come from: one member each, integer or real (total_time is total_exec_time's name
// before PostgreSQL 13).
struct CounterColumn {
  std::string_view name;
  int64_t StatementCounters::*integer = nullptr;
  double StatementCounters::*real = nullptr;
};

const CounterColumn kCounterColumns[] = {
    {"calls", &StatementCounters::calls},
    {"total_exec_time", nullptr, &StatementCounters::total_exec_time_ms},
    {"total_time", nullptr, &StatementCounters::total_exec_time_ms},
    {"total_plan_time", nullptr, &StatementCounters::total_plan_time_ms},
    {"rows", &StatementCounters::rows},
    {"shared_blks_hit", &StatementCounters::shared_blks_hit},
    {"shared_blks_read", &StatementCounters::shared_blks_read},
    {"shared_blks_dirtied", &StatementCounters::shared_blks_dirtied},
    {"shared_blks_written", &StatementCounters::shared_blks_written},
    {"local_blks_hit", &StatementCounters::local_blks_hit},
    {"local_blks_read", &StatementCounters::local_blks_read},
    {"local_blks_dirtied", &StatementCounters::local_blks_dirtied},
    {"local_blks_written", &StatementCounters::local_blks_written},
    {"temp_blks_read", &StatementCounters::temp_blks_read},
    {"temp_blks_written", &StatementCounters::temp_blks_written},
};

const CounterColumn* counter_column(std::string_view name) {
  for (const auto& c : kCounterColumns) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

std::string role_of(const pg::Connection& conn) {
  auto described = conn.describe();
  auto at = described.find("user=");
  return at == std::string::npos ? "<this role>" : described.substr(at + 5, described.find(' ', at) - at - 5);
}

void classify(StatementEntry& e) {
  auto info = analyzer::describe_statement(e.query);
  e.kind = std::string(analyzer::to_string(info.kind));
  if (info.fingerprint != 0) e.fingerprint = analyzer::fingerprint_hex(info.fingerprint);
}

// Doctor's findings about pg_stat_statements, as warnings: the same words and fixes as `pgadvisor doctor`.
void add_doctor_advice(pg::Connection& conn, int& round_trips, std::vector<std::string>& warnings) {
  auto report = run_doctor(conn);
  round_trips += 4;  // doctor sends one query per file of sql/doctor/ and does not count them itself
  for (const auto& c : report.checks) {
    if (c.name.starts_with("pg_stat_statements") && c.status != CheckStatus::ok) {
      warnings.push_back(fmt::format("{}: {}; fix: {}", c.name, c.finding, c.fix));
    }
  }
  if (warnings.empty()) warnings.push_back("pg_stat_statements is not available; run `pgadvisor doctor`");
}

StatementsSnapshot read_statements(pg::Connection& conn, int& round_trips, std::vector<std::string>& warnings) {
  StatementsSnapshot s;
  ++round_trips;
  auto probe = conn.query(sql::text("snapshot/statement_columns"));
  std::string schema;
  bool has_info = false;
  for (int i = 0; i < probe.rows(); ++i) {
    schema = probe.get<std::string>(i, "schema");
    s.version = probe.get<std::string>(i, "version");
    if (probe.get<std::string>(i, "view") == "pg_stat_statements_info") {
      has_info = true;
    } else {
      s.columns.push_back(probe.get<std::string>(i, "column_name"));
    }
  }
  if (s.columns.empty()) {
    add_doctor_advice(conn, round_trips, warnings);
    return s;
  }

  // The select list holds only names the catalog returned, each quoted: nothing else reaches the text.
  auto text = statements_query(schema, s.columns);
  // The view raises an error when the library is not preloaded, which would abort the transaction: doctor's
  // settings check tells first, through the settings the library defines.
  ++round_trips;
  auto loaded = conn.query(sql::text("doctor/settings"), format_array_literal({"pg_stat_statements.max"}));
  if (loaded.rows() == 0) {
    add_doctor_advice(conn, round_trips, warnings);
    return s;
  }
  ++round_trips;
  auto r = conn.query(text);
  std::vector<int> column_index;
  for (const auto& c : s.columns) column_index.push_back(r.column(c));
  int queryid_col = r.column("queryid");
  s.entries.reserve(static_cast<size_t>(r.rows()));
  for (int i = 0; i < r.rows(); ++i) {
    if (r.is_null(i, queryid_col)) {  // another role's statement, without pg_read_all_stats
      ++s.hidden_entries;
      continue;
    }
    StatementEntry e;
    e.key.queryid = r.get<int64_t>(i, queryid_col);
    e.key.userid = r.get<int64_t>(i, "userid");
    e.key.dbid = r.get<int64_t>(i, "dbid");
    e.user_name = r.get_optional<std::string>(i, "pgadvisor_user_name").value_or("");
    e.database_name = r.get_optional<std::string>(i, "pgadvisor_database_name").value_or("");
    // Utility statements are kept verbatim by pg_stat_statements (ALTER ROLE ... PASSWORD 'x'): no secret is stored.
    e.query = analyzer::redact_secrets(r.get_optional<std::string>(i, "query").value_or(""));
    for (size_t k = 0; k < s.columns.size(); ++k) {
      const auto& name = s.columns[k];
      if (r.is_null(i, column_index[k])) continue;
      auto value = r.get<std::string>(i, column_index[k]);
      if (name == "toplevel") e.key.toplevel = value == "t";
      if (kKeyColumns.contains(name)) continue;
      if (const auto* counter = counter_column(name)) {
        if (counter->integer) e.counters.*(counter->integer) = std::stoll(value);
        if (counter->real) e.counters.*(counter->real) = std::stod(value);
      } else {
        e.other_columns.emplace_back(name, std::move(value));
      }
    }
    classify(e);
    s.entries.push_back(std::move(e));
  }
  if (has_info) {
    ++round_trips;
    auto info = conn.query(statements_info_query(schema));
    if (info.rows() > 0) {
      s.stats_reset = info.get_optional<std::string>(0, "stats_reset");
      s.dealloc = info.get_optional<int64_t>(0, "dealloc");
    }
  }
  if (s.hidden_entries > 0) {
    warnings.push_back(
        fmt::format("{} pg_stat_statements entries of other roles show <insufficient privilege> and are left out; "
                    "fix: GRANT pg_read_all_stats TO {};",
                    s.hidden_entries, pg::quote_identifier(role_of(conn))));
  }
  s.available = true;
  return s;
}

std::string settings_text(const PlannerSettings& s) {
  return fmt::format(
      "random_page_cost={}\nseq_page_cost={}\neffective_cache_size={}\nwork_mem={}\nshared_buffers={}\n"
      "default_statistics_target={}\nmax_connections={}\n",
      s.random_page_cost, s.seq_page_cost, s.effective_cache_size_bytes, s.work_mem_bytes, s.shared_buffers_bytes,
      s.default_statistics_target, s.max_connections);
}

std::map<std::string, std::string, std::less<>> parse_lines(const std::string& text) {
  std::map<std::string, std::string, std::less<>> out;
  size_t start = 0;
  while (start < text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    auto line = text.substr(start, end - start);
    auto eq = line.find('=');
    if (eq != std::string::npos) out[line.substr(0, eq)] = line.substr(eq + 1);
    start = end + 1;
  }
  return out;
}

PlannerSettings parse_settings(const std::string& text) {
  auto m = parse_lines(text);
  auto get = [&](const char* name, const char* fallback) {
    auto it = m.find(name);
    return it == m.end() ? std::string(fallback) : it->second;
  };
  return {std::stod(get("random_page_cost", "4")),      std::stod(get("seq_page_cost", "1")),
          std::stoll(get("effective_cache_size", "0")), std::stoll(get("work_mem", "0")),
          std::stoll(get("shared_buffers", "0")),       std::stoi(get("default_statistics_target", "100")),
          std::stoi(get("max_connections", "0"))};
}

int64_t bool_int(bool b) { return b ? 1 : 0; }

}  // namespace

StatementCounters& StatementCounters::operator+=(const StatementCounters& o) {
  calls += o.calls;
  total_exec_time_ms += o.total_exec_time_ms;
  total_plan_time_ms += o.total_plan_time_ms;
  rows += o.rows;
  shared_blks_hit += o.shared_blks_hit;
  shared_blks_read += o.shared_blks_read;
  shared_blks_dirtied += o.shared_blks_dirtied;
  shared_blks_written += o.shared_blks_written;
  local_blks_hit += o.local_blks_hit;
  local_blks_read += o.local_blks_read;
  local_blks_dirtied += o.local_blks_dirtied;
  local_blks_written += o.local_blks_written;
  temp_blks_read += o.temp_blks_read;
  temp_blks_written += o.temp_blks_written;
  return *this;
}

StatementCounters StatementCounters::operator-(const StatementCounters& o) const {
  return {calls - o.calls,
          total_exec_time_ms - o.total_exec_time_ms,
          total_plan_time_ms - o.total_plan_time_ms,
          rows - o.rows,
          shared_blks_hit - o.shared_blks_hit,
          shared_blks_read - o.shared_blks_read,
          shared_blks_dirtied - o.shared_blks_dirtied,
          shared_blks_written - o.shared_blks_written,
          local_blks_hit - o.local_blks_hit,
          local_blks_read - o.local_blks_read,
          local_blks_dirtied - o.local_blks_dirtied,
          local_blks_written - o.local_blks_written,
          temp_blks_read - o.temp_blks_read,
          temp_blks_written - o.temp_blks_written};
}

ServerSnapshot take_snapshot(pg::Connection& conn, const SnapshotOptions& options) {
  auto start = std::chrono::steady_clock::now();
  int round_trips = 1;
  SnapshotTransaction transaction(conn);
  std::vector<std::string> warnings;
  StatementsSnapshot statements;
  if (options.statements) statements = read_statements(conn, round_trips, warnings);
  auto catalog = read_catalog(conn, options.catalog, round_trips);
  ++round_trips;
  auto d = conn.query(sql::text("health/database"));
  DatabaseActivity database{d.get_optional<int64_t>(0, "blocks_hit").value_or(0),
                            d.get_optional<int64_t>(0, "blocks_read").value_or(0), d.get<int64_t>(0, "connections"),
                            d.get<int32_t>(0, "max_connections")};
  ++round_trips;
  transaction.end();
  std::chrono::duration<double, std::milli> took = std::chrono::steady_clock::now() - start;
  return ServerSnapshot{.id = 0,
                        .catalog = std::move(catalog),
                        .statements = std::move(statements),
                        .database = database,
                        .duration_ms = took.count(),
                        .round_trips = round_trips,
                        .warnings = std::move(warnings)};
}

int64_t save_snapshot(Store& store, const ServerSnapshot& snap) {
  auto tx = store.begin();
  const auto& server = snap.catalog.server;
  const auto& st = snap.statements;
  auto header = store.prepare(sql::text("snapshot/store/insert_snapshot"));
  header.bind(1, server.key()).bind(2, server.system_identifier).bind(3, server.host).bind(4, server.port);
  header.bind(5, server.database).bind(6, server.version).bind(7, server.version_num).bind(8, snap.catalog.taken_at);
  header.bind(9, snap.duration_ms);
  header.bind(10, st.available ? std::optional<std::string>(st.version) : std::nullopt);
  header.bind(11, st.stats_reset).bind(12, st.dealloc).bind(13, st.hidden_entries);
  header.bind(14, snap.database.blocks_hit).bind(15, snap.database.blocks_read);
  header.bind(16, snap.database.connections).bind(17, snap.database.max_connections);
  header.bind(18, settings_text(snap.catalog.settings));
  header.bind(19, format_array_literal(snap.catalog.catalog.search_path()));
  header.run();
  auto id_query = store.prepare(sql::text("snapshot/store/last_id"));
  id_query.step();
  int64_t id = id_query.get_int64(0);

  auto entry = store.prepare(sql::text("snapshot/store/insert_statement"));
  auto klass = store.prepare(sql::text("snapshot/store/upsert_query_class"));
  for (const auto& e : st.entries) {
    const auto& c = e.counters;
    std::string others;
    for (const auto& [name, value] : e.other_columns) others += name + "=" + value + "\n";
    entry.bind(1, id).bind(2, e.key.queryid).bind(3, e.key.userid).bind(4, e.key.dbid);
    entry.bind(5, bool_int(e.key.toplevel)).bind(6, e.user_name).bind(7, e.database_name).bind(8, e.fingerprint);
    entry.bind(9, e.query).bind(10, c.calls).bind(11, c.total_exec_time_ms).bind(12, c.total_plan_time_ms);
    entry.bind(13, c.rows).bind(14, c.shared_blks_hit).bind(15, c.shared_blks_read).bind(16, c.shared_blks_dirtied);
    entry.bind(17, c.shared_blks_written).bind(18, c.local_blks_hit).bind(19, c.local_blks_read);
    entry.bind(20, c.local_blks_dirtied).bind(21, c.local_blks_written).bind(22, c.temp_blks_read);
    entry.bind(23, c.temp_blks_written).bind(24, others);
    entry.run();
    if (e.fingerprint) {
      klass.bind(1, *e.fingerprint).bind(2, e.query).bind(3, e.kind).bind(4, snap.catalog.taken_at);
      klass.run();
    }
  }

  auto table = store.prepare(sql::text("snapshot/store/insert_table"));
  auto column = store.prepare(sql::text("snapshot/store/insert_column"));
  auto index = store.prepare(sql::text("snapshot/store/insert_index"));
  const auto& tables = snap.catalog.catalog.tables();
  for (size_t t = 0; t < tables.size(); ++t) {
    const auto& info = tables[t];
    const auto& d = snap.catalog.table_details[t];
    const auto& a = info.activity;
    table.bind(1, id).bind(2, info.schema).bind(3, info.name).bind(4, std::string(1, d.kind)).bind(5, info.reltuples);
    table.bind(6, info.relpages).bind(7, info.size_bytes).bind(8, d.total_bytes).bind(9, a.live_tuples);
    table.bind(10, a.dead_tuples).bind(11, a.seq_scans).bind(12, d.seq_tuples_read).bind(13, a.index_scans);
    table.bind(14, a.inserts).bind(15, a.updates).bind(16, a.deletes).bind(17, a.hot_updates);
    table.bind(18, d.heap_blocks_hit).bind(19, d.heap_blocks_read).bind(20, d.last_analyze);
    table.run();
    for (size_t k = 0; k < info.columns.size(); ++k) {
      const auto& col = info.columns[k];
      column.bind(1, id).bind(2, info.schema).bind(3, info.name).bind(4, static_cast<int64_t>(k)).bind(5, col.name);
      column.bind(6, col.type).bind(7, bool_int(col.not_null)).bind(8, bool_int(col.statistics.has_value()));
      if (const auto& s = col.statistics) {
        std::vector<std::string> freqs;
        for (double f : s->most_common_frequencies) freqs.push_back(fmt::format("{}", f));
        column.bind(9, s->null_frac).bind(10, s->n_distinct).bind(11, s->correlation).bind(12, s->average_width);
        column.bind(13, format_array_literal(s->most_common_values)).bind(14, format_array_literal(freqs));
        column.bind(15, format_array_literal(s->histogram_bounds));
      }
      column.run();
    }
    for (size_t k = 0; k < info.indexes.size(); ++k) {
      const auto& x = info.indexes[k];
      index.bind(1, id).bind(2, info.schema).bind(3, info.name).bind(4, x.name).bind(5, x.method);
      index.bind(6, x.definition).bind(7, format_array_literal(x.keys)).bind(8, format_array_literal(x.included));
      index.bind(9, x.predicate).bind(10, bool_int(x.unique)).bind(11, bool_int(x.primary));
      index.bind(12, bool_int(x.constraint)).bind(13, bool_int(x.valid)).bind(14, bool_int(x.ready));
      index.bind(15, x.size_bytes).bind(16, x.scans);
      index.run();
    }
  }
  tx.commit();
  return id;
}

ServerSnapshot load_snapshot(Store& store, int64_t id, bool with_catalog) {
  auto h = store.prepare(sql::text("snapshot/store/select_snapshot"));
  h.bind(1, id);
  if (!h.step()) throw StoreError(fmt::format("{}: no snapshot {}", store.path().string(), id));
  ServerSnapshot snap;
  snap.id = id;
  auto& server = snap.catalog.server;
  server.system_identifier = h.get_optional_text(0);
  server.host = h.get_optional_text(1).value_or("");
  server.port = static_cast<int>(h.get_int64(2));
  server.database = h.get_text(3);
  server.version = h.get_text(4);
  server.version_num = static_cast<int>(h.get_int64(5));
  snap.catalog.taken_at = h.get_text(6);
  snap.duration_ms = h.get_double(7);
  auto& st = snap.statements;
  auto version = h.get_optional_text(8);
  st.available = version.has_value();
  st.version = version.value_or("");
  st.stats_reset = h.get_optional_text(9);
  st.dealloc = h.get_optional_int64(10);
  st.hidden_entries = h.get_int64(11);
  snap.database = {h.get_optional_int64(12).value_or(0), h.get_optional_int64(13).value_or(0),
                   h.get_optional_int64(14).value_or(0), static_cast<int>(h.get_optional_int64(15).value_or(0))};
  snap.catalog.settings = parse_settings(h.get_text(16));
  snap.catalog.catalog = analyzer::Catalog(parse_array_literal(h.get_text(17)));

  auto e = store.prepare(sql::text("snapshot/store/select_statements"));
  e.bind(1, id);
  while (e.step()) {
    StatementEntry entry;
    entry.key = {e.get_int64(0), e.get_int64(1), e.get_int64(2), e.get_int64(3) != 0};
    entry.user_name = e.get_optional_text(4).value_or("");
    entry.database_name = e.get_optional_text(5).value_or("");
    entry.fingerprint = e.get_optional_text(6);
    entry.query = e.get_text(7);
    auto& c = entry.counters;
    c = {e.get_int64(8),  e.get_double(9), e.get_double(10), e.get_int64(11), e.get_int64(12),
         e.get_int64(13), e.get_int64(14), e.get_int64(15),  e.get_int64(16), e.get_int64(17),
         e.get_int64(18), e.get_int64(19), e.get_int64(20),  e.get_int64(21)};
    for (auto& [name, value] : parse_lines(e.get_text(22))) entry.other_columns.emplace_back(name, value);
    st.entries.push_back(std::move(entry));
  }
  if (!with_catalog) return snap;

  std::vector<analyzer::TableInfo> tables;
  std::map<std::pair<std::string, std::string>, size_t> position;
  auto t = store.prepare(sql::text("snapshot/store/select_tables"));
  t.bind(1, id);
  while (t.step()) {
    analyzer::TableInfo info;
    info.schema = t.get_text(0);
    info.name = t.get_text(1);
    info.reltuples = t.get_double(3);
    info.relpages = t.get_int64(4);
    info.size_bytes = t.get_int64(5);
    info.activity = {t.get_int64(7),  t.get_int64(8),  t.get_int64(9),  t.get_int64(11),
                     t.get_int64(12), t.get_int64(13), t.get_int64(14), t.get_int64(15)};
    TableDetails d;
    d.kind = t.get_text(2).front();
    d.total_bytes = t.get_int64(6);
    d.seq_tuples_read = t.get_int64(10);
    d.heap_blocks_hit = t.get_int64(16);
    d.heap_blocks_read = t.get_int64(17);
    d.last_analyze = t.get_optional_text(18);
    position[{info.schema, info.name}] = tables.size();
    tables.push_back(std::move(info));
    snap.catalog.table_details.push_back(std::move(d));
  }
  auto c = store.prepare(sql::text("snapshot/store/select_columns"));
  c.bind(1, id);
  while (c.step()) {
    auto it = position.find({c.get_text(0), c.get_text(1)});
    if (it == position.end()) continue;
    analyzer::ColumnInfo col;
    col.name = c.get_text(2);
    col.type = c.get_text(3);
    col.not_null = c.get_int64(4) != 0;
    if (c.get_int64(5) != 0) {
      analyzer::ColumnStatistics s;
      s.null_frac = c.get_double(6);
      s.n_distinct = c.get_double(7);
      s.correlation = c.get_double(8);
      s.average_width = static_cast<int>(c.get_int64(9));
      s.most_common_values = parse_array_literal(c.get_text(10));
      for (const auto& f : parse_array_literal(c.get_text(11))) s.most_common_frequencies.push_back(std::stod(f));
      s.histogram_bounds = parse_array_literal(c.get_text(12));
      col.statistics = std::move(s);
    }
    tables[it->second].columns.push_back(std::move(col));
  }
  auto x = store.prepare(sql::text("snapshot/store/select_indexes"));
  x.bind(1, id);
  while (x.step()) {
    auto it = position.find({x.get_text(0), x.get_text(1)});
    if (it == position.end()) continue;
    analyzer::IndexInfo index;
    index.name = x.get_text(2);
    index.method = x.get_text(3);
    index.definition = x.get_text(4);
    index.keys = parse_array_literal(x.get_text(5));
    index.included = parse_array_literal(x.get_text(6));
    index.predicate = x.get_text(7);
    index.unique = x.get_int64(8) != 0;
    index.primary = x.get_int64(9) != 0;
    index.constraint = x.get_int64(10) != 0;
    index.valid = x.get_int64(11) != 0;
    index.ready = x.get_int64(12) != 0;
    index.size_bytes = x.get_int64(13);
    index.scans = x.get_int64(14);
    tables[it->second].indexes.push_back(std::move(index));
  }
  for (auto& info : tables) snap.catalog.catalog.add_table(std::move(info));
  return snap;
}

std::optional<CatalogSnapshot> load_latest_catalog(Store& store, const std::string& server_key) {
  auto all = list_snapshots(store, server_key);
  if (all.empty()) return std::nullopt;
  return std::move(load_snapshot(store, all.back().id).catalog);
}

std::vector<SnapshotSummary> list_snapshots(Store& store, const std::string& server_key, const std::string& since) {
  auto q = store.prepare(sql::text("snapshot/store/list_snapshots"));
  q.bind(1, server_key).bind(2, since);
  std::vector<SnapshotSummary> out;
  while (q.step()) {
    out.push_back({q.get_int64(0), q.get_text(1), q.get_text(2), q.get_optional_text(3), q.get_int64(4)});
  }
  return out;
}

}  // namespace pgadvisor::collector
