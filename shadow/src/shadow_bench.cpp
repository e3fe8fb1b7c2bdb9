// The shadow benchmark's measurement loop (see shadow_bench.hpp for how "before" and "after" are reached).
#include "shadow/shadow_bench.hpp"

#include <algorithm>
#include <chrono>
#include <deque>
#include <map>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "pg/dsn.hpp"
#include "shadow/result_digest.hpp"
#include "shadow/shadow_sql.hpp"
#include "shadow/view_check.hpp"
#include "sql/embedded.hpp"

namespace pgadvisor::shadow {
namespace {

using shadow_sql::Relation;
using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

struct IndexRow {
  int64_t oid = 0;
  Relation index;
  std::string name;  // schema.index, for people
  Relation table_relation;
  std::string table;
  std::string definition;
  int64_t size_bytes = 0;
};

std::map<int64_t, IndexRow> list_indexes(pg::Connection& conn) {
  auto r = conn.query(sql::text("bench/indexes"));
  std::map<int64_t, IndexRow> out;
  for (int i = 0; i < r.rows(); ++i) {
    IndexRow row;
    row.oid = r.get<int64_t>(i, "oid");
    auto schema = r.get<std::string>(i, "schema");
    auto name = r.get<std::string>(i, "name");
    auto table_schema = r.get<std::string>(i, "table_schema");
    auto table = r.get<std::string>(i, "table_name");
    row.index = {schema, name};
    row.name = fmt::format("{}.{}", schema, name);
    row.table_relation = {table_schema, table};
    row.table = fmt::format("{}.{}", table_schema, table);
    row.definition = r.get<std::string>(i, "definition");
    row.size_bytes = r.get<int64_t>(i, "size_bytes");
    out.emplace(row.oid, std::move(row));
  }
  return out;
}

std::vector<IndexRow> new_indexes(const std::map<int64_t, IndexRow>& before, const std::map<int64_t, IndexRow>& after) {
  std::vector<IndexRow> out;
  for (const auto& [oid, row] : after) {
    if (!before.contains(oid)) out.push_back(row);
  }
  return out;
}

// "Index Scan using orders_customer_idx on orders; Limit": node types, with index and relation, pre-order.
void summarize(const nlohmann::json& node, std::vector<std::string>& parts) {
  if (parts.size() >= 6 || !node.is_object()) return;
  std::string part = node.value("Node Type", "?");
  if (node.contains("Operation") && part == "ModifyTable") part = node.value("Operation", "") + " (ModifyTable)";
  if (node.contains("Index Name")) part += " using " + node["Index Name"].get<std::string>();
  if (node.contains("Relation Name")) part += " on " + node["Relation Name"].get<std::string>();
  parts.push_back(part);
  if (node.contains("Plans")) {
    for (const auto& child : node["Plans"]) summarize(child, parts);
  }
}

struct Explained {
  double execution_ms = 0;
  double planning_ms = 0;
  double shared_hit = 0;
  double shared_read = 0;
  std::string plan;
};

Explained parse_explain(const std::string& text) {
  auto doc = nlohmann::json::parse(text);
  const auto& top = doc.at(0);
  Explained e;
  e.execution_ms = top.value("Execution Time", 0.0);
  e.planning_ms = top.value("Planning Time", 0.0);
  const auto& plan = top.at("Plan");
  e.shared_hit = plan.value("Shared Hit Blocks", 0.0);
  e.shared_read = plan.value("Shared Read Blocks", 0.0);
  std::vector<std::string> parts;
  summarize(plan, parts);
  for (const auto& p : parts) e.plan += (e.plan.empty() ? "" : "; ") + p;
  return e;
}

// Measurements of one class in one state.
struct StateRuns {
  std::vector<std::vector<TimedRun>> execution;  // per instance, with the round of each run
  std::vector<double> planning;
  std::vector<double> client;
  std::vector<double> hits;
  std::vector<double> reads;
  std::string plan;
  std::vector<std::optional<ResultDigest>> digests;  // per instance, first run
  size_t next = 0;                                   // next instance to run
};

enum State { kBefore = 0, kAfter = 1 };

struct ClassRuns {
  const BenchClass* cls = nullptr;
  //! What runs in each state: the class's own instances, or for a view the originals before and the rewritten after.
  const std::vector<BenchInstance>* instances[2] = {nullptr, nullptr};
  StateRuns state[2];
  std::string error;
};

ClassRuns class_runs(const BenchClass& cls, const std::vector<BenchInstance>& after) {
  ClassRuns runs;
  runs.cls = &cls;
  runs.instances[kBefore] = &cls.instances;
  runs.instances[kAfter] = &after;
  for (auto& s : runs.state) {
    s.execution.resize(cls.instances.size());
    s.digests.resize(cls.instances.size());
  }
  return runs;
}

std::string error_text(const pg::Error& e) {
  return e.sqlstate().empty() ? e.primary() : fmt::format("{} (SQLSTATE {})", e.primary(), e.sqlstate());
}

ResultRows fetch_rows(pg::Connection& conn, const std::string& sql, const std::vector<pg::Param>& params) {
  auto r = conn.query(sql, params);
  ResultRows out;
  for (int col = 0; col < r.columns(); ++col) out.columns.push_back(r.column_name(col));
  out.rows.reserve(static_cast<size_t>(r.rows()));
  for (int row = 0; row < r.rows(); ++row) {
    ResultRow values;
    values.reserve(static_cast<size_t>(r.columns()));
    for (int col = 0; col < r.columns(); ++col) {
      values.push_back(r.get_optional<std::string>(row, col));
    }
    out.rows.push_back(std::move(values));
  }
  return out;
}

bool is_prefix(const std::vector<std::string>& columns, const std::vector<std::string>& of) {
  return columns.size() <= of.size() && std::equal(columns.begin(), columns.end(), of.begin());
}

class Bench {
 public:
  Bench(pg::Connection& conn, const BenchPlan& plan, const BenchOptions& options)
      : conn_(conn), plan_(plan), options_(options) {
    for (const auto& c : plan.classes) classes_.push_back(class_runs(c, c.instances));
  }

  BenchResult run() {
    auto started = Clock::now();
    result_.mode = plan_.indexes_only ? "indexes" : "script";
    result_.skipped = plan_.skipped;
    result_.catalog_before = catalog_fingerprint(conn_);
    try {
      if (plan_.indexes_only) build_indexes();
      const int runs = measure(
          classes_, [this](State state) { setup(state); }, "");
      result_.classes.reserve(classes_.size());
      for (const auto& c : classes_) result_.classes.push_back(summarize_class(c, runs));
      // With the advised indexes still built: a view's "before" is the workload as the advice leaves it.
      for (const auto& view : plan_.views) result_.views.push_back(prove_view(view));
      finish();
    } catch (...) {
      abandon();
      throw;
    }
    result_.catalog_after = catalog_fingerprint(conn_);
    result_.seconds = std::chrono::duration<double>(Clock::now() - started).count();
    return result_;
  }

 private:
  void say(const std::string& line) {
    if (options_.progress) options_.progress(line);
  }

  // Runs one step, timed; returns the indexes it created (seen inside the current transaction too).
  std::vector<IndexRow> apply_step(const BenchStep& step, double& ms) {
    auto before = list_indexes(conn_);
    auto start = Clock::now();
    conn_.query(step.sql);
    ms = ms_since(start);
    return new_indexes(before, list_indexes(conn_));
  }

  void record_builds(const BenchStep& step, double ms, const std::vector<IndexRow>& created) {
    for (const auto& row : created) {
      result_.indexes.push_back({step.sql, row.name, row.table, ms, row.size_bytes, step.helps});
    }
  }

  void build_indexes() {
    for (const auto& step : plan_.steps) {
      say("building: " + step.sql);
      double ms = 0;
      auto created = apply_step(step, ms);
      record_builds(step, ms, created);
      std::map<std::pair<std::string, std::string>, Relation> tables;
      for (auto& row : created) {
        tables.try_emplace({row.table_relation.schema, row.table_relation.name}, row.table_relation);
        built_.push_back(std::move(row));
      }
      // An expression index gets statistics on its expression from ANALYZE, as it would on the real database.
      for (const auto& [key, t] : tables) conn_.query(shadow_sql::analyze_table(t));
    }
  }

  // Rounds of blocks B A, A B, B A, …, so that each state is as often first as second; returns the runs per state.
  int measure(std::vector<ClassRuns>& classes, const std::function<void(State)>& setup, const std::string& what) {
    int per_block = (options_.runs + options_.rounds - 1) / options_.rounds;
    for (int round = 0; round < options_.rounds; ++round) {
      round_ = round;
      State first = round % 2 == 0 ? kBefore : kAfter;
      say(fmt::format("{}round {} of {}", what, round + 1, options_.rounds));
      block(classes, first, per_block, setup);
      block(classes, first == kBefore ? kAfter : kBefore, per_block, setup);
    }
    return per_block * options_.rounds;
  }

  // Inside a block's transaction: what makes the state (indexes hidden for "before", the script applied "after").
  void setup(State state) {
    if (state == kBefore && plan_.indexes_only) {
      for (const auto& row : built_) conn_.query(shadow_sql::drop_index(row.index));
    }
    if (state == kAfter && !plan_.indexes_only) {
      bool first = !script_applied_once_;
      for (const auto& step : plan_.steps) {
        double ms = 0;
        auto created = apply_step(step, ms);
        if (first) record_builds(step, ms, created);
      }
      script_applied_once_ = true;
    }
  }

  void block(std::vector<ClassRuns>& classes, State state, int runs, const std::function<void(State)>& setup) {
    conn_.query(sql::text("bench/begin"));
    in_block_ = true;
    setup(state);
    conn_.query(sql::text("bench/savepoint"));
    for (auto& c : classes) {
      if (!c.error.empty()) continue;
      for (int w = 0; w < options_.warmup && c.error.empty(); ++w) run_once(c, state, /*record=*/false);
      for (int r = 0; r < runs && c.error.empty(); ++r) run_once(c, state, /*record=*/true);
    }
    conn_.query(sql::text("bench/rollback"));
    in_block_ = false;
  }

  void run_once(ClassRuns& c, State state, bool record) {
    auto& s = c.state[state];
    const auto& instances = *c.instances[state];
    size_t i = s.next++ % instances.size();
    const auto& instance = instances[i];
    try {
      auto explained = parse_explain(
          conn_.query(std::string(sql::text("bench/explain_analyze_prefix")) + instance.text, instance.params)
              .get<std::string>(0, 0));
      if (c.cls->writes) conn_.query(sql::text("bench/rollback_to_savepoint"));
      auto start = Clock::now();
      auto rows = conn_.query(instance.text, instance.params);
      double client_ms = ms_since(start);
      if (c.cls->writes) conn_.query(sql::text("bench/rollback_to_savepoint"));
      if (!record) return;
      s.execution[i].push_back({explained.execution_ms, round_});
      s.planning.push_back(explained.planning_ms);
      s.client.push_back(client_ms);
      s.hits.push_back(explained.shared_hit);
      s.reads.push_back(explained.shared_read);
      if (s.plan.empty()) s.plan = explained.plan;
      if (!c.cls->writes && !s.digests[i]) s.digests[i] = digest(rows);
    } catch (const pg::Error& e) {
      c.error = error_text(e);
      conn_.query(sql::text("bench/rollback_to_savepoint"));
    } catch (const nlohmann::json::exception& e) {
      c.error = std::string("unreadable EXPLAIN output: ") + e.what();
    }
  }

  ClassResult summarize_class(const ClassRuns& c, int runs) const {
    ClassResult r;
    r.fingerprint = c.cls->fingerprint;
    r.text = c.cls->text;
    r.kind = c.cls->kind;
    r.why = c.cls->why;
    r.instances = c.cls->instances.size();
    r.runs = runs;
    r.error = c.error;
    auto fill = [](const StateRuns& s, StateSummary& out) {
      std::vector<double> all;
      for (const auto& g : s.execution) {
        for (const auto& run : g) all.push_back(run.ms);
      }
      out.median_ms = median(all);
      out.p95_ms = quantile(all, 0.95);
      out.planning_median_ms = median(s.planning);
      out.client_median_ms = median(s.client);
      out.client_p95_ms = quantile(s.client, 0.95);
      out.shared_hit_median = median(s.hits);
      out.shared_read_median = median(s.reads);
      out.plan = s.plan;
      out.runs_ms = all;
      for (size_t i = 0; i < s.hits.size() && i < s.reads.size(); ++i) out.buffers.push_back(s.hits[i] + s.reads[i]);
    };
    fill(c.state[kBefore], r.before);
    fill(c.state[kAfter], r.after);
    r.speedup =
        bootstrap_speedup(c.state[kBefore].execution, c.state[kAfter].execution, options_.resamples, options_.seed);
    r.verdict = verdict_of(r.speedup);
    for (size_t i = 0; i < c.cls->instances.size(); ++i) {
      const auto& b = c.state[kBefore].digests[i];
      const auto& a = c.state[kAfter].digests[i];
      if (b && a && !(*b == *a)) {
        r.result_changed = true;
        if (r.result_detail.empty()) {
          r.result_detail =
              fmt::format("execution {}: {} rows (checksum {:016x}) before, {} rows (checksum {:016x}) after", i + 1,
                          b->rows, b->checksum, a->rows, a->checksum);
        }
      }
    }
    if (r.result_changed || !r.error.empty()) r.verdict = Verdict::Error;
    return r;
  }

  // Builds, checks, times, refreshes and drops one view of the advice (kept when proven and --keep).
  ViewResult prove_view(const BenchView& view) {
    ViewResult r;
    r.name = view.schema + "." + view.name;
    r.select = view.select;
    const Relation relation{view.schema, view.name};
    try {
      build_view(view, relation, r);
      check_view(view, r);
      if (r.check.passed) {
        time_view(view, r);
        say("refreshing view: " + r.name);
        auto start = Clock::now();
        conn_.query(shadow_sql::refresh_materialized_view(relation));
        r.refresh_ms = ms_since(start);
      }
    } catch (const pg::Error& e) {
      r.error = error_text(e);
      if (in_block_) {
        conn_.query(sql::text("bench/rollback"));
        in_block_ = false;
      }
    }
    if (view_built_) {
      if (options_.keep && r.proven()) {
        r.kept = true;
        result_.kept = true;
        view_built_.reset();
      } else {
        drop_view();
      }
    }
    return r;
  }

  // The view (timed), its unique index and the index of its filter (each timed), statistics, its size.
  void build_view(const BenchView& view, const Relation& relation, ViewResult& r) {
    say("building view: " + r.name);
    auto start = Clock::now();
    conn_.query(shadow_sql::create_materialized_view(relation, view.select));
    r.build_ms = ms_since(start);
    view_built_ = relation;  // from here on it is ours to drop
    std::vector<std::string> definitions;
    if (!view.unique_key.empty()) {
      definitions.push_back(shadow_sql::create_view_index(relation, view.unique_key, /*unique=*/true));
    }
    if (!view.filter_columns.empty() && !is_prefix(view.filter_columns, view.unique_key)) {
      definitions.push_back(shadow_sql::create_view_index(relation, view.filter_columns, /*unique=*/false));
    }
    for (const auto& sql : definitions) {
      double ms = 0;
      for (const auto& row : apply_step({sql, {}}, ms)) {
        r.indexes.push_back({sql, row.name, row.table, ms, row.size_bytes, {}});
      }
      r.index_build_ms += ms;
    }
    // The rewritten queries are planned with statistics, as autovacuum would give the view in production.
    conn_.query(shadow_sql::analyze_table(relation));
    auto size = conn_.query(sql::text("bench/relation_size"), view.schema, view.name);
    if (size.rows() > 0) r.size_bytes = size.get<int64_t>(0, "total_bytes");
    r.rows = conn_.query(shadow_sql::count_rows(relation)).get<int64_t>(0, "rows");
  }

  // Every execution of every class: the original's rows against the rewritten query's; the first difference
  // rejects the view.
  void check_view(const BenchView& view, ViewResult& r) {
    say("checking the results of view: " + r.name);
    for (const auto& c : view.classes) {
      for (size_t i = 0; i < c.executions.size(); ++i) {
        const ViewExecution& e = c.executions[i];
        auto reject = [&](std::string detail) {
          r.check.fingerprint = c.fingerprint;
          r.check.execution = i + 1;
          r.check.original = e.original;
          r.check.rewritten = e.rewritten;
          r.check.params = e.params;
          r.check.detail = std::move(detail);
        };
        ResultRows original;
        try {
          original = fetch_rows(conn_, e.original, e.params);
        } catch (const pg::Error& error) {
          reject("the original query failed: " + error_text(error));
          r.error = r.check.detail;
          return;
        }
        ResultRows rewritten;
        try {
          rewritten = fetch_rows(conn_, e.rewritten, e.params);
        } catch (const pg::Error& error) {
          reject("the rewritten query failed: " + error_text(error));
          return;
        }
        ++r.check.executions;
        if (auto d = compare_results(original, rewritten, order_by_columns(e.original))) {
          reject(d->what);
          r.check.row = d->row;
          if (d->original) r.check.original_row = row_text(*d->original);
          if (d->rewritten) r.check.rewritten_row = row_text(*d->rewritten);
          return;
        }
      }
    }
    r.check.passed = r.check.executions > 0;
    if (!r.check.passed) r.check.detail = "no execution of its classes to check (no sample or parameter set)";
  }

  // The originals before against the rewritten queries after, in alternating blocks. The original never reads the
  // view (PostgreSQL does not substitute materialized views), so "before" needs no setup.
  void time_view(const BenchView& view, ViewResult& r) {
    std::deque<BenchClass> classes;
    std::deque<std::vector<BenchInstance>> rewritten;
    std::vector<ClassRuns> runs;
    for (const auto& c : view.classes) {
      if (c.timed == 0) continue;
      BenchClass& cls = classes.emplace_back();
      cls.fingerprint = c.fingerprint;
      cls.text = c.text;
      cls.kind = "select";
      cls.why = "served by view " + r.name;
      auto& after = rewritten.emplace_back();
      for (size_t i = 0; i < c.timed && i < c.executions.size(); ++i) {
        cls.instances.push_back({c.executions[i].original, c.executions[i].params});
        after.push_back({c.executions[i].rewritten, c.executions[i].params});
      }
      runs.push_back(class_runs(cls, after));
    }
    const int per_state = measure(
        runs, [](State) {}, "view " + r.name + ": ");
    for (const auto& c : runs) {
      r.classes.push_back(summarize_class(c, per_state));
      const auto& last = r.classes.back();
      if (r.error.empty() && !last.error.empty()) r.error = "a timed run failed: " + last.error;
      if (r.error.empty() && last.result_changed) r.error = "a timed run's result changed: " + last.result_detail;
    }
  }

  void drop_view() {
    conn_.query(shadow_sql::drop_materialized_view(*view_built_));
    view_built_.reset();
  }

  void finish() {
    if (plan_.indexes_only) {
      if (options_.keep) {
        result_.kept = true;
      } else {
        drop_built();
      }
    } else if (options_.keep) {
      conn_.query(sql::text("bench/begin"));
      for (const auto& step : plan_.steps) conn_.query(step.sql);
      conn_.query(sql::text("bench/commit"));
      result_.kept = true;
    }
  }

  void drop_built() {
    // The advice's rollback, newest first.
    // NOLINTNEXTLINE(modernize-loop-convert): the std::views::reverse it asks for fails to parse in clang-tidy 14
    for (auto it = built_.rbegin(); it != built_.rend(); ++it) conn_.query(shadow_sql::drop_index(it->index));
    built_.clear();
  }

  // After a failure: end an open block and remove what was built, so the shadow is left as it was.
  void abandon() noexcept {
    try {
      if (in_block_) conn_.query(sql::text("bench/rollback"));
      if (view_built_) drop_view();
      if (!options_.keep) drop_built();
    } catch (const std::exception&) {  // the original failure is the one to report
    }
  }

  pg::Connection& conn_;
  const BenchPlan& plan_;
  const BenchOptions& options_;
  std::vector<ClassRuns> classes_;
  std::vector<IndexRow> built_;
  std::optional<Relation> view_built_;  //!< the view being proven, built and not yet dropped
  bool in_block_ = false;
  int round_ = 0;  //!< the round being measured, recorded with each run
  bool script_applied_once_ = false;
  BenchResult result_;
};

}  // namespace

bool BenchResult::any_result_changed() const {
  return std::any_of(classes.begin(), classes.end(), [](const ClassResult& c) { return c.result_changed; });
}

bool BenchResult::any_view_unproven() const {
  return std::any_of(views.begin(), views.end(), [](const ViewResult& v) { return !v.proven(); });
}

std::string catalog_fingerprint(pg::Connection& conn) {
  return conn.query(sql::text("bench/catalog_fingerprint")).get<std::string>(0, "fingerprint");
}

BenchResult run_bench(pg::Connection& shadow, const BenchPlan& plan, const BenchOptions& options) {
  Bench bench(shadow, plan, options);
  auto result = bench.run();
  result.shadow = shadow.describe();
  return result;
}

}  // namespace pgadvisor::shadow
