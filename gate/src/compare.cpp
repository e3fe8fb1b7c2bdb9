// `gate compare`: before and after a migration with the shadow bench, plans from EXPLAIN (compare.hpp).
#include "gate/compare.hpp"

#include <algorithm>
#include <chrono>
#include <optional>
#include <stdexcept>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "analyzer/query_facts.hpp"
#include "analyzer/statement_analyzer.hpp"
#include "gate/hashing.hpp"
#include "gate/measure.hpp"
#include "gate/plan_shape.hpp"
#include "sql/embedded.hpp"

namespace pgadvisor::gate {
namespace {

std::string error_text(const pg::Error& e) {
  return e.sqlstate().empty() ? e.primary() : fmt::format("SQLSTATE {}: {}", e.sqlstate(), e.primary());
}

// A plain SELECT that writes nothing reads; anything else (or what does not parse) is treated as a write.
bool writes(const std::string& sql) {
  analyzer::StatementAnalyzer analyzer;
  auto statements = analyzer.analyze(sql);
  if (statements.size() != 1 || statements.front().info.kind != analyzer::StatementKind::Select) return true;
  auto facts = analyzer::extract_facts(sql);
  return !facts.facts || !facts.facts->tables_written.empty();
}

std::string kind_of(const std::string& sql) {
  analyzer::StatementAnalyzer analyzer;
  auto statements = analyzer.analyze(sql);
  if (statements.empty()) return "select";
  std::string k(analyzer::to_string(statements.front().info.kind));
  std::transform(k.begin(), k.end(), k.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return k;
}

// The plan's shape of each query, or why it could not be planned.
struct Planned {
  std::optional<PlanShape> shape;
  std::string error;
};

// Every query planned, the migration applied, every query planned again: inside one rolled-back transaction.
struct Plans {
  std::vector<Planned> before;
  std::vector<Planned> after;
};

Planned plan_query(pg::Connection& conn, const GuardedQuery& q) {
  Planned out;
  conn.query(sql::text("gate/savepoint"));
  try {
    const std::vector<pg::Param> none;
    const auto& params = q.params.empty() ? none : q.params.front();
    auto text = conn.query(std::string(sql::text("gate/explain_prefix")) + "\n" + q.sql, params).get<std::string>(0, 0);
    out.shape = plan_shape(nlohmann::json::parse(text));
  } catch (const pg::Error& e) {
    out.error = error_text(e);
  } catch (const std::exception& e) {
    out.error = std::string("unreadable EXPLAIN output: ") + e.what();
  }
  conn.query(sql::text("gate/rollback_to_savepoint"));
  return out;
}

void apply_step(pg::Connection& conn, const std::string& statement) {
  try {
    conn.query(statement);
  } catch (const pg::Error& e) {
    throw pg::Error(fmt::format("the migration fails at `{:.200}`: {}", statement, e.primary()), e.sqlstate(),
                    e.detail(), e.hint());
  }
}

Plans plan_before_and_after(pg::Connection& conn, const std::vector<GuardedQuery>& queries,
                            const std::vector<shadow::BenchStep>& steps) {
  Plans plans;
  conn.query(sql::text("gate/begin"));
  try {
    for (const auto& q : queries) plans.before.push_back(plan_query(conn, q));
    for (const auto& step : steps) apply_step(conn, step.sql);
    for (const auto& q : queries) plans.after.push_back(plan_query(conn, q));
  } catch (...) {
    try {
      conn.query(sql::text("gate/rollback"));
    } catch (const std::exception&) {  // the original failure is the one to report
    }
    throw;
  }
  conn.query(sql::text("gate/rollback"));
  return plans;
}

// A measurement of one state from the bench's runs and the planner's shape.
Measurement state_measurement(const GuardedQuery& q, const shadow::StateSummary& s, const Planned& planned) {
  Measurement m;
  m.name = q.name;
  m.sql_hash = sql_hash(q);
  if (!planned.error.empty()) {
    m.error = planned.error;
    return m;
  }
  m.execution_ms = s.runs_ms;
  m.buffers = s.buffers;
  if (planned.shape) m.plan = *planned.shape;
  return m;
}

}  // namespace

shadow::BenchClass bench_class(const GuardedQuery& query) {
  shadow::BenchClass c;
  c.fingerprint = query.name;
  c.text = query.sql;
  c.kind = kind_of(query.sql);
  c.writes = writes(query.sql);
  c.why = query.origin.empty() ? "guarded" : "guarded at " + query.origin;
  if (query.params.empty()) {
    c.instances.push_back({query.sql, {}});
  } else {
    for (const auto& set : query.params) c.instances.push_back({query.sql, set});
  }
  return c;
}

CompareResult compare_migration(pg::Connection& conn, const std::vector<GuardedQuery>& queries,
                                const std::string& script, const CompareOptions& options) {
  auto started = std::chrono::steady_clock::now();
  // The script's statements as the bench takes them; never "indexes only": the bench would build those for real
  // and drop them afterwards, and compare promises that nothing is committed.
  shadow::BenchPlan plan = shadow::plan_from_script(script, "", 1);
  plan.indexes_only = false;
  plan.skipped.clear();
  size_t most_sets = 1;
  for (const auto& q : queries) {
    plan.classes.push_back(bench_class(q));
    most_sets = std::max(most_sets, q.params.size());
  }

  CompareResult out;
  for (const auto& step : plan.steps) out.steps.push_back(step.sql);
  if (options.progress) options.progress("planning the queries before and after the migration");
  const Plans plans = plan_before_and_after(conn, queries, plan.steps);

  shadow::BenchOptions bench;
  bench.runs = options.runs * static_cast<int>(most_sets);
  bench.warmup = options.warmup;
  bench.rounds = std::max(1, std::min(options.rounds, bench.runs));
  bench.resamples = options.resamples;
  bench.progress = options.progress;
  auto result = shadow::run_bench(conn, plan, bench);

  out.schema_unchanged = result.schema_unchanged();
  for (size_t i = 0; i < queries.size() && i < result.classes.size(); ++i) {
    QueryComparison c;
    c.bench = result.classes[i];
    c.before = state_measurement(queries[i], c.bench.before, plans.before[i]);
    c.after = state_measurement(queries[i], c.bench.after, plans.after[i]);
    // A run that failed without a planning error (at execution): the side it failed on is the one without runs.
    if (!c.bench.error.empty() && c.before.error.empty() && c.after.error.empty()) {
      (c.after.execution_ms.size() < c.before.execution_ms.size() ? c.after : c.before).error = c.bench.error;
    }
    out.queries.push_back(std::move(c));
  }
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return out;
}

}  // namespace pgadvisor::gate
