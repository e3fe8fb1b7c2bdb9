// `pgadvisor gate`: the CI gate. `record` measures the guarded queries into a baseline file, `check` measures them
// again and decides per query against the baseline and the budgets, `compare` measures them before and after a
// migration on a shadow or throwaway database. Exit 1 when a query fails under --fail-on.
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <set>

#include <fmt/format.h>

#include "collector/store.hpp"
#include "collector/workload_loader.hpp"
#include "command.hpp"
#include "command_files.hpp"
#include "connection_options.hpp"
#include "gate/baseline.hpp"
#include "gate/compare.hpp"
#include "gate/decision.hpp"
#include "gate/measure.hpp"
#include "gate/plan_shape.hpp"
#include "gate/query_file.hpp"
#include "gate/sources.hpp"
#include "pg/connection.hpp"
#include "pg/dsn.hpp"
#include "reports/gate_report.hpp"
#include "shadow/bench_stats.hpp"
#include "shadow/shadow_copy.hpp"

namespace pgadvisor::cli {
namespace {

// ---- Options shared by the subcommands ----------------------------------------------------------------------

struct SourceArgs {
  std::vector<std::string> queries;  //!< queries files
  std::string store;
  size_t top = 10;
  std::string advice;
  size_t max_params = 5;
};

struct CommonArgs {
  ConnectionOptions connection;
  SourceArgs sources;
  int runs = 0;  //!< 0: the subcommand's default
  int warmup = 2;
  int statement_timeout_ms = 60000;
};

struct OutputArgs {
  std::string format = "text";
  std::string output;
  std::string junit;
  std::string markdown;
  std::string fail_on = "regressed,result,budget,missing,error";
};

void add_common_options(CLI::App& cmd, CommonArgs& a, const std::string& dsn_help) {
  add_connection_options(cmd, a.connection, dsn_help);
  cmd.add_option("--queries", a.sources.queries,
                 "A queries file: `-- name:` above each statement, `-- params:` and `-- budget:` lines (repeatable)");
  cmd.add_option("--store", a.sources.store, "Guard the top classes of this store (ingest, snapshot)");
  cmd.add_option("--top", a.sources.top, "With --store: how many classes, by total time")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  cmd.add_option("--advice", a.sources.advice, "Guard the classes of this advice JSON (advise --format json)");
  cmd.add_option("--max-params", a.sources.max_params, "Parameter sets per class of --store or --advice")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  cmd.add_option("--warmup", a.warmup, "Discarded runs per parameter set (per query and block in compare)")
      ->check(CLI::Range(0, 1000))
      ->capture_default_str();
  cmd.add_option("--statement-timeout", a.statement_timeout_ms,
                 "statement_timeout in ms: a query that runs longer fails as an error instead of hanging the job")
      ->check(CLI::Range(1, 86400000))
      ->capture_default_str();
}

void add_output_options(CLI::App& cmd, OutputArgs& o) {
  cmd.add_option("--format", o.format, "Report format")
      ->check(CLI::IsMember({"text", "json", "markdown", "junit"}))
      ->capture_default_str();
  cmd.add_option("-o,--output", o.output, "Write the report to this file (the text report still goes to stdout)");
  cmd.add_option("--junit", o.junit, "Also write the JUnit XML report to this file");
  cmd.add_option("--markdown", o.markdown, "Also write the Markdown report (a pull-request comment) to this file");
  cmd.add_option("--fail-on", o.fail_on,
                 "Statuses that fail the gate: regressed, plan, result, budget, missing, error, all, none")
      ->capture_default_str();
}

void check_common(const CommonArgs& a) {
  check_connection_options(a.connection);
  if (a.sources.queries.empty() && a.sources.store.empty() && a.sources.advice.empty()) {
    throw CLI::RequiredError("--queries FILE, --store PATH or --advice FILE (the queries to guard)");
  }
}

void check_fail_on(const OutputArgs& o) {
  try {
    gate::parse_fail_on(o.fail_on);
  } catch (const std::invalid_argument& e) {
    throw CLI::ValidationError("--fail-on", e.what());
  }
}

void progress_line(const std::string& line) { std::cerr << "gate: " << line << "\n"; }

std::function<void(const std::string&)> progress() {
  if (isatty(STDERR_FILENO) == 1) return progress_line;
  return {};
}

// ---- The queries under guard --------------------------------------------------------------------------------

struct Guarded {
  std::vector<gate::GuardedQuery> queries;
  std::vector<std::string> warnings;  //!< classes left out, with the reason
};

Guarded load_queries(const SourceArgs& s) {
  Guarded out;
  for (const auto& file : s.queries) {
    for (auto& q : gate::parse_queries(read_input_file(file), file)) out.queries.push_back(std::move(q));
  }
  if (!s.store.empty()) {
    if (!std::filesystem::exists(s.store)) {
      throw std::runtime_error("no store at " + s.store + "; collect a workload first (pgadvisor ingest, snapshot)");
    }
    auto store = collector::Store::open(s.store, collector::StoreAccess::ReadOnly);
    auto loaded = collector::load_workload(store);
    auto got = gate::queries_from_workload(loaded.workload, s.top, s.max_params, "store " + s.store);
    for (auto& q : got.queries) out.queries.push_back(std::move(q));
    for (auto& w : got.skipped) out.warnings.push_back("left out: " + w);
  }
  if (!s.advice.empty()) {
    gate::QuerySource got;
    try {
      got = gate::queries_from_advice(read_input_file(s.advice), s.max_params, "advice " + s.advice);
    } catch (const std::invalid_argument& e) {
      throw std::runtime_error(s.advice + ": " + e.what());
    }
    for (auto& q : got.queries) out.queries.push_back(std::move(q));
    for (auto& w : got.skipped) out.warnings.push_back("left out: " + w);
  }
  std::map<std::string, std::string> origins;
  for (const auto& q : out.queries) {
    auto [it, fresh] = origins.try_emplace(q.name, q.origin);
    if (!fresh) {
      throw std::runtime_error(fmt::format("the query name {} is used twice ({} and {}); names must be unique", q.name,
                                           it->second, q.origin));
    }
  }
  if (out.queries.empty()) throw std::runtime_error("no query to guard: the sources given hold none that can run");
  return out;
}

pg::Connection open_database(const CommonArgs& a) {
  return pg::Connection::open(connection_string(a.connection),
                              gate::measure_session(std::chrono::milliseconds(a.statement_timeout_ms)));
}

std::string origin_of(const std::vector<gate::GuardedQuery>& queries, const std::string& name) {
  for (const auto& q : queries) {
    if (q.name == name) return q.origin;
  }
  return {};
}

const gate::Measurement* find_measurement(const std::vector<gate::Measurement>& all, const std::string& name) {
  for (const auto& m : all) {
    if (m.name == name) return &m;
  }
  return nullptr;
}

// ---- Decisions into the report ------------------------------------------------------------------------------

reports::GateQueryReport query_report(const gate::QueryDecision& d, const std::string& origin,
                                      const gate::Measurement* base, const gate::Measurement* now) {
  reports::GateQueryReport q;
  q.name = d.name;
  q.origin = origin;
  for (auto s : d.statuses) {
    if (s != gate::Status::Ok) q.statuses.push_back(s);
  }
  q.failed = d.failed;
  const bool measured = now != nullptr && now->error.empty() && !now->execution_ms.empty();
  const bool compared = d.has_baseline && d.time.base_runs > 0 && measured;
  if (measured) {
    reports::GateTime t;
    t.now_ms = shadow::median(now->execution_ms);
    if (compared) {
      t.base_ms = d.time.base_median_ms;
      t.now_ms = d.time.now_median_ms;
      t.ratio = d.time.ratio;
      t.ratio_low = d.time.ci_low;
      t.ratio_high = d.time.ci_high;
    }
    q.time = t;
    q.now_buffers = compared ? d.now_buffers : shadow::median(now->buffers);
    if (compared) q.base_buffers = d.base_buffers;
  }
  // The diff with a little context around each change: the reviewer sees where in the plan it happened.
  if (!d.plan_diff.empty() && base != nullptr && now != nullptr) {
    q.plan_diff = gate::plan_diff(base->plan, now->plan, 2);
  } else {
    q.plan_diff = d.plan_diff;
  }
  // A plan change's reason repeats the diff in one line: the diff itself is shown.
  for (const auto& reason : d.reasons) {
    if (!(reason.starts_with("plan changed:") && !q.plan_diff.empty())) q.evidence.push_back(reason);
  }
  if (compared && !d.time.slower && !d.time.faster && !d.time.summary.empty()) {
    q.evidence.push_back("time: " + d.time.summary);
  }
  if (compared && !d.time.test.empty()) q.evidence.push_back("time test: " + d.time.test);
  for (const auto& w : d.warnings) q.evidence.push_back("warning: " + w);
  return q;
}

void write_reports(const reports::GateReport& r, const OutputArgs& o) {
  auto render = [&r](const std::string& format) {
    if (format == "json") return reports::render_gate_json(r);
    if (format == "markdown") return reports::render_gate_markdown(r);
    if (format == "junit") return reports::render_gate_junit(r);
    return reports::render_gate_text(r);
  };
  if (o.output.empty() || o.output == "-") {
    std::cout << render(o.format);
  } else {
    write_output_file(o.output, render(o.format));
    std::cout << reports::render_gate_text(r);
  }
  if (!o.junit.empty()) write_output_file(o.junit, reports::render_gate_junit(r));
  if (!o.markdown.empty()) write_output_file(o.markdown, reports::render_gate_markdown(r));
  const char* actions = std::getenv("GITHUB_ACTIONS");
  if (actions != nullptr && std::string_view(actions) == "true") std::cerr << reports::render_gate_annotations(r);
  std::cout.flush();
}

// ---- gate record ----------------------------------------------------------------------------------------------

struct RecordArgs {
  CommonArgs common;
  std::string output;
};

int run_record(const RecordArgs& a) {
  auto guarded = load_queries(a.common.sources);
  for (const auto& w : guarded.warnings) std::cerr << "pgadvisor gate record: " << w << "\n";
  auto conn = open_database(a.common);
  gate::Baseline baseline;
  baseline.environment = gate::read_environment(conn);
  gate::MeasureOptions options;
  options.runs = a.common.runs > 0 ? a.common.runs : 20;
  options.warmup = a.common.warmup;
  options.progress = progress();
  baseline.runs = options.runs;
  baseline.queries = gate::measure_all(conn, guarded.queries, options);

  // A baseline with a failing query would guard nothing for it: nothing is written.
  bool errors = false;
  for (size_t i = 0; i < baseline.queries.size(); ++i) {
    const auto& m = baseline.queries[i];
    if (m.error.empty()) continue;
    errors = true;
    std::cerr << fmt::format("pgadvisor: error: query {} ({}) fails on {}: {}\n", m.name, guarded.queries[i].origin,
                             conn.describe(), m.error);
  }
  if (errors) {
    std::cerr << "pgadvisor: error: no baseline written; fix the queries (or the database) and record again\n";
    return kInputError;
  }
  const std::string json = gate::baseline_to_json(baseline);
  if (a.output == "-") {
    std::cout << json;
  } else {
    write_output_file(a.output, json);
  }

  // What was recorded, and the budgets that already fail.
  std::ostream& out = a.output == "-" ? std::cerr : std::cout;
  out << fmt::format("recorded {} quer{} ({} runs per parameter set) on PostgreSQL {} into {}\n",
                     baseline.queries.size(), baseline.queries.size() == 1 ? "y" : "ies", baseline.runs,
                     baseline.environment.server_version, a.output);
  bool over_budget = false;
  for (size_t i = 0; i < baseline.queries.size(); ++i) {
    const auto& m = baseline.queries[i];
    out << fmt::format("  {}: median {:.2f} ms, p95 {:.2f} ms, buffers {:.0f}, {} rows, plan {}\n", m.name,
                       shadow::median(m.execution_ms), shadow::quantile(m.execution_ms, 0.95),
                       shadow::median(m.buffers), m.rows,
                       m.plan.lines.empty() ? std::string("-") : m.plan.lines.front());
    for (const auto& f : gate::check_budgets(m, guarded.queries[i].budgets)) {
      over_budget = true;
      std::cerr << fmt::format("pgadvisor gate record: {} is over budget: {}\n", m.name, f);
    }
  }
  return over_budget ? kFinding : kSuccess;
}

// ---- gate check -----------------------------------------------------------------------------------------------

struct CheckArgs {
  CommonArgs common;
  OutputArgs output;
  std::string baseline;
  bool fail_on_new = false;
};

std::string against_text(const gate::Baseline& b, const std::string& file) {
  return fmt::format("baseline {} (recorded {} on PostgreSQL {}, {})", file, b.environment.taken_at,
                     b.environment.server_version, b.environment.machine);
}

int run_check(const CheckArgs& a) {
  auto guarded = load_queries(a.common.sources);
  std::optional<gate::Baseline> baseline;
  if (!a.baseline.empty()) baseline = gate::baseline_from_json(read_input_file(a.baseline), a.baseline);
  auto conn = open_database(a.common);
  auto env = gate::read_environment(conn);

  reports::GateReport report;
  report.command = "check";
  report.server = conn.describe();
  report.fail_on = a.output.fail_on;
  report.against = baseline ? against_text(*baseline, a.baseline) : "budgets only (no --baseline)";
  report.warnings = guarded.warnings;
  if (baseline) {
    try {
      for (auto& w : gate::environment_warnings(baseline->environment, env)) report.warnings.push_back(w);
    } catch (const gate::EnvironmentMismatch& e) {
      std::cerr << "pgadvisor: error: " << a.baseline << ": " << e.what() << "\n";
      return kInputError;
    }
  }

  gate::MeasureOptions options;
  options.runs = a.common.runs > 0 ? a.common.runs : baseline && baseline->runs > 0 ? baseline->runs : 20;
  options.warmup = a.common.warmup;
  options.progress = progress();
  auto now = gate::measure_all(conn, guarded.queries, options);

  gate::DecisionOptions decision;
  decision.fail_on = gate::parse_fail_on(a.output.fail_on);
  decision.fail_on_new = a.fail_on_new;
  auto decisions = gate::decide_all(baseline ? &*baseline : nullptr, guarded.queries, now, decision);
  for (const auto& d : decisions) {
    const gate::Measurement* base = baseline ? find_measurement(baseline->queries, d.name) : nullptr;
    report.queries.push_back(query_report(d, origin_of(guarded.queries, d.name), base, find_measurement(now, d.name)));
  }
  write_reports(report, a.output);
  return gate::gate_fails(decisions) ? kFinding : kSuccess;
}

// ---- gate compare ---------------------------------------------------------------------------------------------

struct CompareArgs {
  CommonArgs common;
  OutputArgs output;
  std::string script;
  bool throwaway = false;
  int rounds = 5;
};

// compare writes (inside transactions it rolls back, but a migration may still take locks, advance sequences or do
// what a rollback cannot undo): only on a shadow, a sandbox database, or a database declared throwaway.
void check_compare_target(pg::Connection& conn, bool throwaway) {
  auto id = shadow::database_identity(conn);
  if (id.is_template) {
    throw shadow::ShadowRefused(
        fmt::format("refusing to run gate compare on database {}: it is a template database", id.database));
  }
  if (id.shadow_of) {
    shadow::check_shadow(id);
    return;
  }
  if (throwaway || id.sandbox) return;
  throw shadow::ShadowRefused(fmt::format(
      "refusing to run gate compare on database {}: it is neither a pgadvisor shadow (no pgadvisor.shadow_of mark) "
      "nor declared throwaway; compare applies the migration (rolled back, but it may take locks and advance "
      "sequences), so run it on a shadow (`pgadvisor shadow create --from SOURCE --target DSN`) or pass --throwaway "
      "for a database that exists only for this job (a CI service container)",
      id.database));
}

// Inserts `status` among `statuses` in the decision's order (most severe first).
void add_status(std::vector<gate::Status>& statuses, gate::Status status) {
  static const std::vector<gate::Status> order{
      gate::Status::Error,      gate::Status::Missing,     gate::Status::Regressed, gate::Status::ResultChanged,
      gate::Status::OverBudget, gate::Status::PlanChanged, gate::Status::Improved,  gate::Status::Ok};
  std::erase(statuses, gate::Status::Ok);
  if (std::find(statuses.begin(), statuses.end(), status) != statuses.end()) return;
  statuses.push_back(status);
  auto rank = [](gate::Status s) { return std::find(order.begin(), order.end(), s) - order.begin(); };
  std::stable_sort(statuses.begin(), statuses.end(), [&](auto x, auto y) { return rank(x) < rank(y); });
}

int run_compare(const CompareArgs& a) {
  auto guarded = load_queries(a.common.sources);
  const std::string script = read_input_file(a.script);
  auto conn = open_database(a.common);
  try {
    check_compare_target(conn, a.throwaway);
  } catch (const shadow::ShadowRefused& e) {
    std::cerr << "pgadvisor: error: " << e.what() << "\n";
    return kUsage;
  }

  gate::CompareOptions options;
  options.runs = a.common.runs > 0 ? a.common.runs : 10;
  options.warmup = a.common.warmup;
  options.rounds = a.rounds;
  options.progress = progress();
  gate::CompareResult result;
  try {
    result = gate::compare_migration(conn, guarded.queries, script, options);
  } catch (const std::invalid_argument& e) {
    std::cerr << "pgadvisor: error: " << a.script << ": " << e.what() << "\n";
    return kInputError;
  }

  reports::GateReport report;
  report.command = "compare";
  report.server = conn.describe();
  report.fail_on = a.output.fail_on;
  report.against = fmt::format("the database before migration {} ({} statement{}, applied and rolled back)", a.script,
                               result.steps.size(), result.steps.size() == 1 ? "" : "s");
  report.warnings = guarded.warnings;
  gate::DecisionOptions decision;
  decision.fail_on = gate::parse_fail_on(a.output.fail_on);
  bool failed = false;
  for (size_t i = 0; i < result.queries.size(); ++i) {
    const auto& c = result.queries[i];
    const auto& q = guarded.queries[i];
    auto d = gate::decide(&c.before, c.after, q.budgets, decision);
    if (c.bench.result_changed) {
      add_status(d.statuses, gate::Status::ResultChanged);
      d.reasons.push_back("result changed: " + c.bench.result_detail);
      d.failed = gate::fails(d.statuses, decision.fail_on);
    }
    auto row = query_report(d, q.origin, &c.before, &c.after);
    // The time as the bench measured it: alternating blocks, the interval of the speedup bootstrapped by round.
    if (row.time && c.bench.error.empty() && c.bench.speedup.speedup > 0 && c.bench.speedup.ci_low > 0) {
      row.time->base_ms = c.bench.before.median_ms;
      row.time->now_ms = c.bench.after.median_ms;
      row.time->ratio = 1 / c.bench.speedup.speedup;
      row.time->ratio_low = 1 / c.bench.speedup.ci_high;
      row.time->ratio_high = 1 / c.bench.speedup.ci_low;
      row.evidence.push_back(
          fmt::format("bench: {} runs each side in alternating blocks, speedup {:.2f} (95 % CI "
                      "{:.2f}-{:.2f}): {}",
                      c.bench.runs, c.bench.speedup.speedup, c.bench.speedup.ci_low, c.bench.speedup.ci_high,
                      shadow::to_string(c.bench.verdict)));
    }
    failed = failed || d.failed;
    report.queries.push_back(std::move(row));
  }
  if (!result.schema_unchanged) {
    report.warnings.emplace_back("the database's schema differs after compare: something was committed");
    failed = true;
  }
  write_reports(report, a.output);
  return failed ? kFinding : kSuccess;
}

// ---- Registration ---------------------------------------------------------------------------------------------

void add_gate_command(CLI::App& app, Action& action) {
  auto* gate = app.add_subcommand("gate", "CI gate: fail a change that makes guarded queries slower, with evidence");
  gate->require_subcommand(1);
  gate->footer(
      "Exit codes: 0 passed, 1 a query fails under --fail-on (record: a budget fails), 2 usage error or a database "
      "compare refuses,\n3 input or connection error (a queries file or baseline that cannot be read, a baseline "
      "of another major\nPostgreSQL version, record: a query that fails).");

  auto record = std::make_shared<RecordArgs>();
  auto* rec = gate->add_subcommand("record", "Measure the guarded queries into a baseline file");
  add_common_options(*rec, record->common, "The database to measure on (writes are rolled back)");
  record->common.runs = 20;
  rec->add_option("--runs", record->common.runs, "Measured runs per parameter set")->check(CLI::Range(1, 100000));
  rec->add_option("-o,--output", record->output, "The baseline file to write (- for stdout)")->required();
  rec->callback([record, &action] {
    check_common(record->common);
    action = [record] { return run_record(*record); };
  });

  auto check = std::make_shared<CheckArgs>();
  auto* chk = gate->add_subcommand("check", "Measure the guarded queries and decide against a baseline and budgets");
  add_common_options(*chk, check->common, "The database to measure on (writes are rolled back)");
  chk->add_option("--baseline", check->baseline, "The baseline of gate record (without it: budgets only)");
  chk->add_option("--runs", check->common.runs, "Measured runs per parameter set")
      ->check(CLI::Range(1, 100000))
      ->default_str("the baseline's, else 20");
  chk->add_flag("--fail-on-new", check->fail_on_new,
                "A query not in the baseline is `missing` (failing) instead of a warning");
  add_output_options(*chk, check->output);
  chk->callback([check, &action] {
    check_common(check->common);
    check_fail_on(check->output);
    action = [check] { return run_check(*check); };
  });

  auto compare = std::make_shared<CompareArgs>();
  compare->common.warmup = 1;
  auto* cmp = gate->add_subcommand(
      "compare", "Measure the guarded queries before and after a migration (applied and rolled back)");
  add_common_options(*cmp, compare->common, "A shadow (shadow create), sandbox or --throwaway database");
  cmp->add_option("--script", compare->script, "The migration (SQL statements)")->required();
  cmp->add_flag("--throwaway", compare->throwaway,
                "The database exists only for this job (e.g. a CI service container): compare may run there");
  compare->common.runs = 10;
  cmp->add_option("--runs", compare->common.runs, "Measured runs per parameter set and side")
      ->check(CLI::Range(2, 100000));
  cmp->add_option("--rounds", compare->rounds, "Before/after block pairs the runs are spread over")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  add_output_options(*cmp, compare->output);
  cmp->callback([compare, &action] {
    check_common(compare->common);
    check_fail_on(compare->output);
    action = [compare] { return run_compare(*compare); };
  });
}

const CommandRegistration registration{110, add_gate_command};

}  // namespace
}  // namespace pgadvisor::cli
