// Reads pg_stat_statements through a select list built from the view's probed columns (so every version
// from 13 to 17 works and no column is missed), the catalog and database figures, all in one read-only
// transaction (snapshot_store.cpp keeps them in the store).
#include "collector/snapshot.hpp"

#include <chrono>
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
    if (c.name.starts_with("pg_stat_statements") && c.status != CheckStatus::Ok) {
      warnings.push_back(fmt::format("{}: {}; fix: {}", c.name, c.finding, c.fix));
    }
  }
  if (warnings.empty()) warnings.emplace_back("pg_stat_statements is not available; run `pgadvisor doctor`");
}

}  // namespace

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

}  // namespace pgadvisor::collector
