// A guarded query measured on a live database, and the environment of a baseline (measure.hpp).
#include "gate/measure.hpp"

#include <unistd.h>

#include <array>
#include <ctime>
#include <optional>
#include <thread>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "gate/hashing.hpp"
#include "gate/plan_shape.hpp"
#include "sql/embedded.hpp"

namespace pgadvisor::gate {
namespace {

struct Explained {
  double execution_ms = 0;
  double planning_ms = 0;
  double shared_hit = 0;
  double shared_read = 0;
  std::optional<PlanShape> shape;  //!< when asked for
};

// EXPLAIN (FORMAT JSON)'s one-element array: the times, the buffers of the top plan node (which count its
// children's), and the plan's shape when `with_shape`.
Explained parse_explain(const std::string& text, bool with_shape) {
  const auto doc = nlohmann::json::parse(text);
  const auto& top = doc.at(0);
  const auto& plan = top.at("Plan");
  Explained e;
  e.execution_ms = top.value("Execution Time", 0.0);
  e.planning_ms = top.value("Planning Time", 0.0);
  e.shared_hit = plan.value("Shared Hit Blocks", 0.0);
  e.shared_read = plan.value("Shared Read Blocks", 0.0);
  if (with_shape) e.shape = plan_shape(plan);
  return e;
}

// The statement as EXPLAIN takes it: one statement, without the final semicolon and blanks.
std::string statement_of(std::string sql) {
  while (!sql.empty() && (std::isspace(static_cast<unsigned char>(sql.back())) != 0 || sql.back() == ';')) {
    sql.pop_back();
  }
  return sql;
}

std::string error_text(const pg::Error& e) {
  return e.sqlstate().empty() ? e.primary() : fmt::format("SQLSTATE {}: {}", e.sqlstate(), e.primary());
}

class Measurer {
 public:
  Measurer(pg::Connection& conn, const GuardedQuery& query, const MeasureOptions& options)
      : conn_(conn), query_(query), options_(options), sql_(statement_of(query.sql)) {
    explain_ = std::string(sql::text("gate/explain_analyze_prefix")) + "\n" + sql_;
  }

  Measurement run() {
    Measurement m;
    m.name = query_.name;
    m.sql_hash = sql_hash(query_);
    const std::vector<std::vector<pg::Param>> no_params{{}};
    const auto& sets = query_.params.empty() ? no_params : query_.params;
    conn_.query(sql::text("gate/begin"));
    try {
      ResultChecksum checksum;
      for (size_t i = 0; i < sets.size(); ++i) {
        for (int w = 0; w < options_.warmup; ++w) explain(sets[i], false);
        for (int r = 0; r < options_.runs; ++r) {
          m.probe_ms.push_back(probe());
          auto e = explain(sets[i], i == 0 && r == 0);
          m.execution_ms.push_back(e.execution_ms);
          m.planning_ms.push_back(e.planning_ms);
          m.buffers.push_back(e.shared_hit + e.shared_read);
          m.shared_read.push_back(e.shared_read);
          if (e.shape) m.plan = std::move(*e.shape);
        }
        m.rows += execute(sets[i], checksum);
        checksum.end_set();
      }
      m.result_checksum = checksum.hex();
    } catch (const pg::Error& e) {
      failed(m, error_text(e));
    } catch (const nlohmann::json::exception& e) {
      failed(m, std::string("unreadable EXPLAIN output: ") + e.what());
    } catch (const std::invalid_argument& e) {
      failed(m, std::string("unreadable EXPLAIN output: ") + e.what());
    }
    // A failed statement aborted the transaction: the rollback ends it; when even that fails, the connection is gone.
    conn_.query(sql::text("gate/rollback"));
    return m;
  }

 private:
  static void failed(Measurement& m, std::string error) {
    Measurement out;
    out.name = m.name;
    out.sql_hash = m.sql_hash;
    out.error = std::move(error);
    m = std::move(out);
  }

  // The machine's probe, its server execution time.
  double probe() {
    return parse_explain(conn_.query(sql::text("gate/probe")).get<std::string>(0, 0), false).execution_ms;
  }

  Explained explain(const std::vector<pg::Param>& params, bool with_shape) {
    conn_.query(sql::text("gate/savepoint"));
    auto text = conn_.query(explain_, params).get<std::string>(0, 0);
    conn_.query(sql::text("gate/rollback_to_savepoint"));
    return parse_explain(text, with_shape);
  }

  // The plain statement, its rows added to `checksum`; returns its rows, or the rows it wrote (a write without
  // RETURNING returns none: the count goes into the checksum as a row of its own).
  int64_t execute(const std::vector<pg::Param>& params, ResultChecksum& checksum) {
    conn_.query(sql::text("gate/savepoint"));
    auto r = conn_.query(sql_, params);
    int64_t rows = r.rows();
    if (r.columns() == 0) {
      rows = r.affected_rows();
      checksum.add_row({std::to_string(rows)});
    } else {
      checksum.add(r);
    }
    conn_.query(sql::text("gate/rollback_to_savepoint"));
    return rows;
  }

  pg::Connection& conn_;
  const GuardedQuery& query_;
  const MeasureOptions& options_;
  std::string sql_;
  std::string explain_;
};

std::string machine_name() {
  std::array<char, 256> host{};
  if (gethostname(host.data(), host.size() - 1) != 0) host[0] = '\0';
  const unsigned cores = std::thread::hardware_concurrency();
  return fmt::format("{} ({} cores)", host[0] != '\0' ? host.data() : "unknown host", cores);
}

}  // namespace

pg::SessionOptions measure_session(std::chrono::milliseconds statement_timeout) {
  pg::SessionOptions s;
  s.read_only = false;
  s.statement_timeout = statement_timeout;
  s.lock_timeout = std::chrono::seconds(10);
  return s;
}

Measurement measure(pg::Connection& conn, const GuardedQuery& query, const MeasureOptions& options) {
  return Measurer(conn, query, options).run();
}

std::vector<Measurement> measure_all(pg::Connection& conn, const std::vector<GuardedQuery>& queries,
                                     const MeasureOptions& options) {
  std::vector<Measurement> out;
  out.reserve(queries.size());
  for (const auto& q : queries) {
    if (options.progress) options.progress("measuring " + q.name);
    out.push_back(measure(conn, q, options));
  }
  return out;
}

std::string utc_timestamp() {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  std::array<char, 32> buf{};
  std::strftime(buf.data(), buf.size(), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf.data();
}

Environment read_environment(pg::Connection& conn) {
  Environment env;
  auto server = conn.query(sql::text("gate/server"));
  env.server_version = server.get<std::string>(0, "version");
  env.server_version_num = server.get<int32_t>(0, "version_num");
  env.database_bytes = server.get<int64_t>(0, "database_bytes");
  auto settings = conn.query(sql::text("gate/settings"));
  for (int i = 0; i < settings.rows(); ++i) {
    env.settings[settings.get<std::string>(i, "name")] = settings.get_optional<std::string>(i, "value").value_or("");
  }
  env.machine = machine_name();
  env.taken_at = utc_timestamp();
  return env;
}

}  // namespace pgadvisor::gate
