// `pgadvisor advise`: index advice for a workload, proven with the planner's what-if estimates (HypoPG) in a
// read-only session, as text/JSON/Markdown and as reviewable scripts (-o advice.sql, advice.rollback.sql).
#include <chrono>
#include <filesystem>
#include <iostream>
#include <memory>
#include <thread>

#include <fmt/format.h>

#include "advise_live_sources.hpp"
#include "advisor/advice.hpp"
#include "advisor/ddl_script.hpp"
#include "advisor/hypopg_cost_model.hpp"
#include "analyzer/secret_redaction.hpp"
#include "collector/catalog_snapshot.hpp"
#include "collector/ingest.hpp"
#include "collector/workload_loader.hpp"
#include "command.hpp"
#include "command_files.hpp"
#include "pg/connection.hpp"
#include "pg/dsn.hpp"
#include "reports/advice_report.hpp"
#include "time_option.hpp"

namespace pgadvisor::cli {
namespace {

struct Args {
  std::string dsn;
  std::string store;
  std::vector<std::string> logs;
  std::string queries;
  bool pg_stat_statements = false;
  size_t top = 100;
  std::string pg_stat_activity;  // a duration
  std::string budget;
  size_t max_indexes = 0;  // no cap
  size_t max_columns = 3;
  double min_improvement_pct = 20.0;
  std::string format = "text";
  std::string output;
  bool non_concurrently = false;
};

// "500MB", "2 GB", "1048576": PostgreSQL's units (1 kB = 1024 bytes).
int64_t parse_size(const std::string& text) {
  size_t end = 0;
  double value = 0;
  try {
    value = std::stod(text, &end);
  } catch (const std::exception&) {
    throw CLI::ValidationError("--budget", "not a size: " + text);
  }
  std::string unit = text.substr(end);
  unit.erase(0, unit.find_first_not_of(' '));
  double factor = 1;
  if (unit.empty() || unit == "B") {
    factor = 1;
  } else if (unit == "kB" || unit == "KB") {
    factor = 1024.0;
  } else if (unit == "MB") {
    factor = 1024.0 * 1024;
  } else if (unit == "GB") {
    factor = 1024.0 * 1024 * 1024;
  } else if (unit == "TB") {
    factor = 1024.0 * 1024 * 1024 * 1024;
  } else {
    throw CLI::ValidationError("--budget", "unknown unit '" + unit + "' (use B, kB, MB, GB or TB)");
  }
  if (value <= 0) throw CLI::ValidationError("--budget", "must be positive");
  return static_cast<int64_t>(value * factor);
}

std::string rollback_path(const std::string& path) {
  auto dot = path.rfind(".sql");
  return (dot != std::string::npos && dot + 4 == path.size() ? path.substr(0, dot) : path) + ".rollback.sql";
}

// The logs read into a store that lives only as long as this run.
analyzer::Workload workload_from_logs(const std::vector<std::string>& files) {
  auto store = collector::Store::open(":memory:");
  collector::IngestOptions options;
  options.files = files;
  options.jobs = std::max(1U, std::thread::hardware_concurrency());
  options.final_files = true;  // read once, now: a last entry held back for a later run would be lost
  auto summary = collector::run_ingest(store, options);
  for (const auto& f : summary.files) {
    if (!f.error.empty()) throw std::runtime_error(f.path + ": " + f.error);
    if (!f.duplicate_of.empty()) std::cerr << "warning: " << f.path << ": " << f.note << "\n";
  }
  collector::WorkloadOptions logs_only;
  logs_only.statements = false;
  return collector::load_workload(store, logs_only).workload;
}

// Every source given, in one workload: the advisor merges classes by fingerprint.
analyzer::Workload build_workload(const Args& args) {
  analyzer::Workload workload;
  auto append = [&](analyzer::Workload more) {
    for (auto& c : more.classes) workload.classes.push_back(std::move(c));
  };
  if (!args.store.empty()) {
    if (!std::filesystem::exists(args.store)) {
      throw std::runtime_error("no store at " + args.store +
                               ": run pgadvisor ingest or snapshot first, or give --queries");
    }
    auto store = collector::Store::open(args.store, collector::StoreAccess::ReadOnly);
    auto loaded = collector::load_workload(store);
    for (const auto& w : loaded.warnings) std::cerr << "warning: " << w << "\n";
    std::cerr << fmt::format("store {}: {} classes from logs, {} more from pg_stat_statements\n", args.store,
                             loaded.log_classes, loaded.statement_classes);
    append(std::move(loaded.workload));
  }
  if (!args.logs.empty()) append(workload_from_logs(args.logs));
  if (!args.queries.empty()) {
    // Without their secrets, as the store keeps statements: advice and its scripts quote the texts.
    append(advisor::workload_from_statements(
        std::vector<std::string>{analyzer::redact_secrets(read_input_file(args.queries))}));
  }
  return workload;
}

int run(const Args& args) {
  auto requested = build_workload(args);
  auto session = pg::Connection::open(args.dsn, pg::SessionOptions::source());
  add_live_sources(session, {args.pg_stat_statements, args.top, parse_duration(args.pg_stat_activity)}, requested);
  auto snapshot = collector::take_catalog_snapshot(session);
  auto workload = advisor::classes_from_workload(requested, snapshot.catalog);

  advisor::AdviceOptions options;
  options.candidates.max_columns = args.max_columns;
  options.selection.max_indexes = args.max_indexes;
  options.selection.min_improvement = args.min_improvement_pct / 100.0;
  if (!args.budget.empty()) options.selection.budget_bytes = parse_size(args.budget);
  advisor::HypoPGCostModel model(session);  // the what-if model advise() asks, on the user's database
  auto advice = advisor::advise(workload, snapshot.catalog, model, options);

  if (!args.output.empty()) {
    advisor::ScriptHeader header{session.describe(), utc_now(), !args.non_concurrently};
    write_output_file(args.output, advisor::advice_script(advice, header));
    write_output_file(rollback_path(args.output), advisor::rollback_script(advice, header));
    std::cerr << "wrote " << args.output << " and " << rollback_path(args.output) << "\n";
  }
  if (args.format == "json") {
    std::cout << reports::render_advice_json(advice);
  } else if (args.format == "markdown") {
    std::cout << reports::render_advice_markdown(advice);
  } else {
    std::cout << reports::render_advice_text(advice);
  }
  return kSuccess;
}

void add_advise_command(CLI::App& app, Action& action) {
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("advise", "Index advice for a workload, checked with hypothetical indexes");
  cmd->add_option("--dsn", args->dsn, "The database the workload runs on (read-only session; needs hypopg)");
  cmd->add_option("--store", args->store, "Use the workload collected in this store (ingest, snapshot)");
  cmd->add_option("--log", args->logs, "Read the workload from these slow-query logs (kept in memory only)")
      ->default_str("");
  cmd->add_option("--queries", args->queries, "A file of the workload's SQL statements (- for standard input)");
  auto* statements = cmd->add_flag("--pg-stat-statements", args->pg_stat_statements,
                                   "Read the workload from pg_stat_statements of the database advised (since its "
                                   "last reset)");
  cmd->add_option("--top", args->top, "With --pg-stat-statements: the classes with the most execution time kept")
      ->check(CLI::Range(1, 1000000))
      ->needs(statements);
  cmd->add_option("--pg-stat-activity", args->pg_stat_activity,
                  "Sample the statements running in the database advised for this long, every 100 ms: 30s, 5m")
      ->check(duration_problem);
  cmd->add_option("--budget", args->budget, "Storage budget for new indexes, e.g. 500MB (default: none)");
  cmd->add_option("--max-indexes", args->max_indexes, "At most this many new indexes")
      ->default_str("no cap")
      ->check(CLI::Range(1, 100000));
  cmd->add_option("--max-columns", args->max_columns, "At most this many key columns per index")
      ->check(CLI::Range(1, 32));
  cmd->add_option("--min-improvement", args->min_improvement_pct,
                  "Advise an index only when it saves this % of the cost of the queries it serves")
      ->check(CLI::Range(0.0, 100.0));
  cmd->add_option("--format", args->format, "Output format")->check(CLI::IsMember({"text", "json", "markdown"}));
  cmd->add_option("-o,--output", args->output, "Write the index script here and its rollback beside it");
  cmd->add_flag("--non-concurrently", args->non_concurrently,
                "Plain CREATE/DROP INDEX in the scripts (a maintenance window; where CONCURRENTLY cannot run)");
  cmd->footer(
      "Give at least one of --store, --log, --queries, --pg-stat-statements and --pg-stat-activity; several\n"
      "are merged by fingerprint. Each statement of --queries counts as one call of its query class, each\n"
      "execution --pg-stat-activity sees as one call of its statement. Exit 3 when a file cannot be read,\n"
      "or the database cannot be reached or lacks hypopg (run pgadvisor doctor).");
  cmd->callback([args, &action] {
    if (args->store.empty() && args->logs.empty() && args->queries.empty() && !args->pg_stat_statements &&
        args->pg_stat_activity.empty()) {
      throw CLI::ValidationError("advise",
                                 "give the workload: --store PATH, --log FILE…, --queries FILE, --pg-stat-statements "
                                 "or --pg-stat-activity DURATION");
    }
    if (!args->budget.empty()) parse_size(args->budget);  // usage errors before connecting
    action = [args] { return run(*args); };
  });
}

const CommandRegistration registration{80, add_advise_command};

}  // namespace
}  // namespace pgadvisor::cli
