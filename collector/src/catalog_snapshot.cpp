// Reads the catalog of one database with a fixed number of queries (sql/catalog/), whatever its number of
// tables: each query returns the rows of every table at once and they are matched up here by table oid.
#include "collector/catalog_snapshot.hpp"

#include <algorithm>
#include <stdexcept>
#include <unordered_map>

#include <fmt/format.h>

#include "pg/error.hpp"
#include "sql/embedded.hpp"

namespace pgadvisor::collector {
namespace {

const std::vector<std::string> kSettingNames = {"random_page_cost", "seq_page_cost",  "effective_cache_size",
                                                "work_mem",         "shared_buffers", "default_statistics_target",
                                                "max_connections"};

pg::Result query(pg::Connection& conn, int& round_trips, std::string_view name, const std::vector<pg::Param>& p) {
  ++round_trips;
  return conn.query(sql::text(name), p);
}

std::vector<double> to_doubles(const std::vector<std::string>& texts) {
  std::vector<double> out;
  out.reserve(texts.size());
  for (const auto& t : texts) out.push_back(t.empty() ? 0.0 : std::stod(t));
  return out;
}

int64_t opt(const pg::Result& r, int row, std::string_view col) {
  return r.get_optional<int64_t>(row, col).value_or(0);
}

pg::DatabaseIdentity read_server(pg::Connection& conn, int& round_trips, std::vector<std::string>& search_path,
                                 std::string& taken_at) {
  auto r = query(conn, round_trips, "catalog/server", {});
  auto s = pg::identity_from_row(r, 0, conn);
  search_path = parse_array_literal(r.get<std::string>(0, "search_path"));
  taken_at = r.get<std::string>(0, "taken_at");
  return s;
}

PlannerSettings read_settings(pg::Connection& conn, int& round_trips) {
  auto r = query(conn, round_trips, "catalog/settings", {format_array_literal(kSettingNames)});
  PlannerSettings s;
  for (int i = 0; i < r.rows(); ++i) {
    auto name = r.get<std::string>(i, "name");
    auto setting = r.get<std::string>(i, "setting");
    auto bytes = r.get_optional<int64_t>(i, "bytes").value_or(0);
    if (name == "random_page_cost") s.random_page_cost = std::stod(setting);
    if (name == "seq_page_cost") s.seq_page_cost = std::stod(setting);
    if (name == "effective_cache_size") s.effective_cache_size_bytes = bytes;
    if (name == "work_mem") s.work_mem_bytes = bytes;
    if (name == "shared_buffers") s.shared_buffers_bytes = bytes;
    if (name == "default_statistics_target") s.default_statistics_target = std::stoi(setting);
    if (name == "max_connections") s.max_connections = std::stoi(setting);
  }
  return s;
}

analyzer::TableKind kind_of(const std::string& relkind) {
  using analyzer::TableKind;
  for (auto kind : {TableKind::Table, TableKind::Partitioned, TableKind::MaterializedView, TableKind::Foreign}) {
    if (!relkind.empty() && relkind.front() == static_cast<char>(kind)) return kind;
  }
  throw std::invalid_argument("catalog/tables: unexpected relkind " + relkind);
}

// A partitioned table holds no rows of its own: its row estimate, pages and activity are the sums of its leaf
// partitions' (its own reltuples stays -1 until someone ANALYZEs it, which autovacuum never does, and its activity
// counters stay 0). `children` lists each table's partitions by position. Leaves that were never analyzed count
// no rows; when none was, the estimate stays -1 (unknown).
void sum_partitions(std::vector<analyzer::TableInfo>& tables, const std::vector<std::vector<size_t>>& children) {
  struct Sums {
    double rows = 0;
    bool rows_known = false;
    int64_t pages = 0;
    analyzer::TableActivity activity;
  };
  auto add = [](analyzer::TableActivity& to, const analyzer::TableActivity& a) {
    to.live_tuples += a.live_tuples;
    to.dead_tuples += a.dead_tuples;
    to.seq_scans += a.seq_scans;
    to.index_scans += a.index_scans;
    to.inserts += a.inserts;
    to.updates += a.updates;
    to.deletes += a.deletes;
    to.hot_updates += a.hot_updates;
  };
  auto leaves = [&](auto& self, size_t at, Sums& sums, size_t depth) -> void {
    if (depth > tables.size()) return;  // a cycle cannot happen in PostgreSQL; never loop on one
    for (size_t child : children[at]) {
      const auto& t = tables[child];
      if (t.partitioned()) {
        self(self, child, sums, depth + 1);
      } else if (t.kind == analyzer::TableKind::Table) {
        if (t.reltuples >= 0) {
          sums.rows += t.reltuples;
          sums.rows_known = true;
        }
        sums.pages += std::max<int64_t>(t.relpages, 0);
        add(sums.activity, t.activity);
      }
    }
  };
  for (size_t at = 0; at < tables.size(); ++at) {
    if (!tables[at].partitioned()) continue;
    Sums sums;
    leaves(leaves, at, sums, 0);
    auto& t = tables[at];
    t.reltuples = sums.rows_known ? sums.rows : -1;
    t.relpages = sums.pages;
    t.activity = sums.activity;
  }
}

}  // namespace

const TableDetails& CatalogSnapshot::details_of(const analyzer::TableInfo& table) const {
  auto index = static_cast<size_t>(&table - catalog.tables().data());
  if (index >= table_details.size()) throw std::logic_error("details_of: not a table of this snapshot");
  return table_details[index];
}

CatalogSnapshot read_catalog(pg::Connection& conn, const CatalogOptions& options, int& round_trips) {
  int start = round_trips;
  std::vector<std::string> search_path;
  std::string taken_at;
  auto server = read_server(conn, round_trips, search_path, taken_at);
  CatalogSnapshot snap{.server = std::move(server),
                       .taken_at = std::move(taken_at),
                       .catalog = analyzer::Catalog(search_path),
                       .table_details = {},
                       .views = {},
                       .settings = read_settings(conn, round_trips),
                       .round_trips = 0};

  std::vector<analyzer::TableInfo> tables;
  std::vector<TableDetails> details;
  std::unordered_map<int64_t, size_t> by_oid;
  std::vector<std::optional<int64_t>> parent_oids;  // per table: the oid of its partitioned table
  auto t = query(conn, round_trips, "catalog/tables", {});
  tables.reserve(static_cast<size_t>(t.rows()));
  for (int i = 0; i < t.rows(); ++i) {
    analyzer::TableInfo table;
    table.schema = t.get<std::string>(i, "schema");
    table.name = t.get<std::string>(i, "name");
    table.kind = kind_of(t.get<std::string>(i, "kind"));
    table.reltuples = t.get<double>(i, "reltuples");
    table.relpages = t.get<int64_t>(i, "relpages");
    table.size_bytes = t.get<int64_t>(i, "size_bytes");
    // index_scans is summed over the table's indexes below, as pg_stat_all_tables.idx_scan does.
    table.activity = {
        opt(t, i, "live_tuples"), opt(t, i, "dead_tuples"), opt(t, i, "seq_scans"), 0,
        opt(t, i, "inserts"),     opt(t, i, "updates"),     opt(t, i, "deletes"),   opt(t, i, "hot_updates")};
    TableDetails d;
    d.total_bytes = table.size_bytes + t.get<int64_t>(i, "toast_bytes");  // plus its indexes, below
    d.seq_tuples_read = opt(t, i, "seq_tuples_read");
    d.heap_blocks_hit = opt(t, i, "heap_blocks_hit");
    d.heap_blocks_read = opt(t, i, "heap_blocks_read");
    d.last_analyze = t.get_optional<std::string>(i, "last_analyze");
    by_oid[t.get<int64_t>(i, "oid")] = tables.size();
    parent_oids.push_back(t.get_optional<int64_t>(i, "parent_oid"));
    tables.push_back(std::move(table));
    details.push_back(std::move(d));
  }
  // Partitions are linked to their partitioned table once every table is known (the rows come by name).
  std::vector<std::vector<size_t>> children(tables.size());
  for (size_t at = 0; at < tables.size(); ++at) {
    if (!parent_oids[at]) continue;
    auto parent = by_oid.find(*parent_oids[at]);
    if (parent == by_oid.end()) continue;
    tables[at].partition_of = tables[parent->second].table_name();
    children[parent->second].push_back(at);
  }

  auto c = query(conn, round_trips, "catalog/columns",
                 {pg::to_param(options.max_values), pg::to_param(options.max_value_length)});
  for (int i = 0; i < c.rows(); ++i) {
    auto it = by_oid.find(c.get<int64_t>(i, "table_oid"));
    if (it == by_oid.end()) continue;  // a table created between the two queries cannot happen in one snapshot
    analyzer::ColumnInfo column;
    column.name = c.get<std::string>(i, "name");
    column.type = c.get<std::string>(i, "type");
    column.not_null = c.get<bool>(i, "not_null");
    if (c.get<bool>(i, "analyzed")) {
      analyzer::ColumnStatistics s;
      s.null_frac = c.get_optional<double>(i, "null_frac").value_or(0.0);
      s.n_distinct = c.get_optional<double>(i, "n_distinct").value_or(0.0);
      s.correlation = c.get_optional<double>(i, "correlation").value_or(0.0);
      s.average_width = c.get_optional<int32_t>(i, "average_width").value_or(0);
      s.most_common_values = parse_array_literal(c.get_optional<std::string>(i, "most_common_values").value_or("{}"));
      s.most_common_frequencies =
          to_doubles(parse_array_literal(c.get_optional<std::string>(i, "most_common_frequencies").value_or("{}")));
      s.histogram_bounds = parse_array_literal(c.get_optional<std::string>(i, "histogram_bounds").value_or("{}"));
      column.statistics = std::move(s);
    }
    tables[it->second].columns.push_back(std::move(column));
  }

  auto x = query(conn, round_trips, "catalog/indexes", {});
  for (int i = 0; i < x.rows(); ++i) {
    auto it = by_oid.find(x.get<int64_t>(i, "table_oid"));
    if (it == by_oid.end()) continue;
    analyzer::IndexInfo index;
    index.name = x.get<std::string>(i, "name");
    index.definition = x.get<std::string>(i, "definition");
    index.method = x.get<std::string>(i, "method");
    index.keys = parse_array_literal(x.get<std::string>(i, "keys"));
    index.included = parse_array_literal(x.get<std::string>(i, "included"));
    index.predicate = x.get<std::string>(i, "predicate");
    index.unique = x.get<bool>(i, "is_unique");
    index.primary = x.get<bool>(i, "is_primary");
    index.valid = x.get<bool>(i, "valid");
    index.ready = x.get<bool>(i, "ready");
    index.constraint = x.get<bool>(i, "is_constraint");
    index.size_bytes = x.get<int64_t>(i, "size_bytes");
    index.scans = x.get<int64_t>(i, "scans");
    index.attached_to = x.get<std::string>(i, "attached_to");
    tables[it->second].activity.index_scans += index.scans;
    // A partitioned table's index is its partitions' indexes, already counted in theirs.
    if (!tables[it->second].partitioned()) details[it->second].total_bytes += index.size_bytes;
    tables[it->second].indexes.push_back(std::move(index));
  }

  auto v = query(conn, round_trips, "catalog/views", {});
  for (int i = 0; i < v.rows(); ++i) {
    snap.views.push_back({v.get<std::string>(i, "schema"), v.get<std::string>(i, "name"),
                          v.get<bool>(i, "materialized"), v.get<bool>(i, "populated"), v.get<int64_t>(i, "size_bytes"),
                          v.get_optional<std::string>(i, "definition").value_or("")});
    // A plain view is read through (statements naming it read its tables); a materialized one is a table.
    const ViewInfo& view = snap.views.back();
    if (!view.materialized) snap.catalog.add_view(view.schema, view.name, view.definition);
  }

  sum_partitions(tables, children);
  for (auto& table : tables) snap.catalog.add_table(std::move(table));
  snap.table_details = std::move(details);
  snap.round_trips = round_trips - start;
  return snap;
}

SnapshotTransaction::SnapshotTransaction(pg::Connection& conn) : conn_(&conn) {
  conn.query(sql::text("catalog/begin"));
}

SnapshotTransaction::~SnapshotTransaction() {
  if (!open_) return;
  // The ROLLBACK itself can be cancelled by the session's statement_timeout on a busy server (seen with 1 ms): it
  // is tried again, so that the connection is not left in an aborted transaction.
  for (int attempt = 0; attempt < 3; ++attempt) {
    try {
      conn_->query(sql::text("catalog/rollback"));
      return;
    } catch (const pg::ConnectionError&) {
      return;                          // the connection is gone: nothing left to roll back
    } catch (const std::exception&) {  // NOLINT(bugprone-empty-catch): tried again
    }
  }
}

void SnapshotTransaction::end() {
  open_ = false;
  conn_->query(sql::text("catalog/end"));
}

CatalogSnapshot take_catalog_snapshot(pg::Connection& conn, const CatalogOptions& options) {
  int round_trips = 1;
  SnapshotTransaction transaction(conn);
  auto snap = read_catalog(conn, options, round_trips);
  transaction.end();
  snap.round_trips = round_trips + 1;
  return snap;
}

std::vector<std::string> parse_array_literal(std::string_view text) {
  auto bad = [&] { return std::invalid_argument(fmt::format("not a one-dimensional array literal: {}", text)); };
  if (text.size() < 2 || text.front() != '{' || text.back() != '}') throw bad();
  std::vector<std::string> out;
  size_t i = 1;
  const size_t end = text.size() - 1;
  if (i == end) return out;
  while (i <= end) {
    std::string element;
    if (text[i] == '"') {
      // Quoted: backslash escapes the next character; the element ends at the closing quote.
      for (++i; i < end && text[i] != '"'; ++i) {
        if (text[i] == '\\' && i + 1 < end) ++i;
        element += text[i];
      }
      if (i >= end) throw bad();
      ++i;
    } else {
      size_t stop = text.find(',', i);
      if (stop == std::string_view::npos || stop > end) stop = end;
      element = std::string(text.substr(i, stop - i));
      if (element == "NULL") element.clear();
      i = stop;
    }
    out.push_back(std::move(element));
    if (i == end) break;
    if (text[i] != ',') throw bad();
    ++i;
  }
  return out;
}

std::string format_array_literal(const std::vector<std::string>& elements) {
  std::string out = "{";
  for (size_t i = 0; i < elements.size(); ++i) {
    if (i > 0) out += ',';
    const auto& e = elements[i];
    bool quote = e.empty() || e == "NULL" || e.find_first_of("{},\"\\ \t\n\r") != std::string::npos;
    if (!quote) {
      out += e;
      continue;
    }
    out += '"';
    for (char ch : e) {
      if (ch == '"' || ch == '\\') out += '\\';
      out += ch;
    }
    out += '"';
  }
  return out + "}";
}

}  // namespace pgadvisor::collector
