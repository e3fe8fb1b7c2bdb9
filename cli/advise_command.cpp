// `pgadvisor advise`: index advice for a workload, proven with the planner's what-if estimates (HypoPG) in a
// read-only session, and materialized views for its heavy aggregates (estimates; --no-views turns them off), as
// text/JSON/Markdown and as reviewable scripts (-o advice.sql, advice.rollback.sql); with
// --apply, advice.sql run on a shadow or the sandbox (never the source). The options DBAs know from Dexter
// (--include/--exclude, --min-calls/--min-time/--min-cost, -s, --tablespace) and psql's -h/-p/-U/-d.
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
#include "connection_options.hpp"
#include "pg/connection.hpp"
#include "pg/dsn.hpp"
#include "pg/quote.hpp"
#include "reports/advice_report.hpp"
#include "shadow/apply_advice.hpp"
#include "shadow/shadow_copy.hpp"
#include "time_option.hpp"

namespace pgadvisor::cli {
namespace {

struct Args {
  ConnectionOptions connection;
  std::string store;
  std::vector<std::string> logs;
  std::string queries;
  bool pg_stat_statements = false;
  size_t top = 100;
  std::string pg_stat_activity;         // a duration
  std::vector<std::string> statements;  // -s: each one call of its class, as if in --queries
  // Dexter's filters: tables that may get indexes, classes worth costing.
  std::vector<std::string> include;
  std::vector<std::string> exclude;
  double min_calls = 0;
  double min_time_ms = 0;
  double min_cost = 0;
  std::string budget;
  size_t max_indexes = 0;  // no cap
  size_t max_columns = 3;
  double min_improvement_pct = 20.0;
  std::string format = "text";
  std::string output;
  bool non_concurrently = false;
  std::string tablespace;
  bool apply = false;
  bool no_views = false;  // --no-views: no materialized-view advice
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
  // Without their secrets, as the store keeps statements: advice and its scripts quote the texts.
  std::vector<std::string> texts;
  if (!args.queries.empty()) texts.push_back(analyzer::redact_secrets(read_input_file(args.queries)));
  for (const auto& statement : args.statements) texts.push_back(analyzer::redact_secrets(statement));
  if (!texts.empty()) append(advisor::workload_from_statements(texts));
  return workload;
}

// `--include a,b --include c`: CLI11 splits at the commas; names are trimmed, empty ones dropped.
std::vector<std::string> table_names(const std::vector<std::string>& given) {
  std::vector<std::string> out;
  for (auto name : given) {
    name.erase(0, name.find_first_not_of(" \t"));
    name.erase(name.find_last_not_of(" \t") + 1);
    if (!name.empty()) out.push_back(name);
  }
  return out;
}

advisor::AdviceOptions advice_options(const Args& args) {
  advisor::AdviceOptions options;
  options.candidates.tables.include = table_names(args.include);
  options.candidates.tables.exclude = table_names(args.exclude);
  options.candidates.max_columns = args.max_columns;
  options.classes.min_calls = args.min_calls;
  options.classes.min_total_ms = args.min_time_ms;
  options.classes.min_cost = args.min_cost;
  options.selection.max_indexes = args.max_indexes;
  options.selection.min_improvement = args.min_improvement_pct / 100.0;
  if (!args.budget.empty()) options.selection.budget_bytes = parse_size(args.budget);
  options.views.enabled = !args.no_views;
  return options;
}

// What --apply may run on: a shadow or a database of the sandbox. Checked before the advice is made.
std::optional<std::string> apply_refusal(pg::Connection& session) {
  try {
    shadow::check_apply_target(shadow::database_identity(session));
  } catch (const shadow::ShadowRefused& e) {
    return e.what();
  }
  return std::nullopt;
}

// psql's messages line by line, each with its control characters escaped (they may quote hostile names).
std::string printable_lines(const std::string& text) {
  std::string out;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    if (end > start)
      out += (out.empty() ? "" : "\n") + pg::comment_text(std::string_view(text).substr(start, end - start));
    start = end + 1;
  }
  return out;
}

// --apply: advice.sql (already written to `script`) run by psql, and what it created or left behind.
int apply(const std::string& dsn, const std::string& target, const advisor::Advice& advice, const std::string& script) {
  if (advice.indexes.empty() && advice.views.empty()) {
    std::cerr << "apply: no index or materialized view advised, nothing run on " << target << "\n";
    return kSuccess;
  }
  std::vector<std::string> names;
  for (const auto& index : advice.indexes) {
    names.push_back(pg::quote_qualified(index.index.table.schema, index.index.name()));
  }
  // A view's indexes are built with it in one transaction: they tell whether it was created.
  for (const auto& view : advice.views) {
    for (const auto& index : {view.unique_index, view.filter_index}) {
      if (!index.empty()) names.push_back(pg::quote_qualified(view.schema, index));
    }
  }
  auto report = shadow::apply_advice_script(dsn, script, names);
  std::string present;
  size_t created = 0;
  for (const auto& index : report.indexes) {
    if (!index.present) continue;
    ++created;
    present += fmt::format("\n  {}{}", pg::comment_text(index.name), index.valid ? "" : " (INVALID: a failed build)");
  }
  if (report.succeeded) {
    std::cerr << fmt::format("applied {} to {}: {} of {} index(es) created{}\n", script, target, created,
                             report.indexes.size(), present);
    return kSuccess;
  }
  const std::string messages = printable_lines(report.messages);
  std::cerr << fmt::format("pgadvisor: error: {} stopped at its first error on {} (psql exit {}); {}\n", script, target,
                           report.exit_code,
                           created == 0 ? std::string("nothing of it was left on the database")
                                        : fmt::format("left on the database:{}", present));
  std::cerr << "DETAIL: " << messages << "\n";
  std::cerr << (created == 0 ? "HINT: fix the cause and run it again\n"
                             : fmt::format("HINT: undo with psql -X -v ON_ERROR_STOP=1 -f {} on the same database (it "
                                           "drops only what {} created), then fix the cause and run it again\n",
                                           rollback_path(script), script));
  return kInputError;
}

int run(const Args& args) {
  const std::string dsn = connection_string(args.connection);
  auto requested = build_workload(args);
  auto session = pg::Connection::open(dsn, pg::SessionOptions::source());
  if (args.apply) {
    if (auto refusal = apply_refusal(session)) {
      std::cerr << "pgadvisor: error: " << *refusal << "\n";
      return kUsage;
    }
  }
  add_live_sources(session, {args.pg_stat_statements, args.top, parse_duration(args.pg_stat_activity)}, requested);
  auto snapshot = collector::take_catalog_snapshot(session);
  auto workload = advisor::classes_from_workload(requested, snapshot.catalog);

  auto options = advice_options(args);
  for (const auto& name : advisor::unmatched_table_names(options.candidates.tables, snapshot.catalog)) {
    std::cerr << "warning: --include/--exclude: no table " << name << " in " << session.describe() << "\n";
  }
  advisor::HypoPGCostModel model(session);  // the what-if model advise() asks, on the user's database
  auto advice = advisor::advise(workload, snapshot.catalog, model, options);

  if (!args.output.empty()) {
    advisor::ScriptHeader header{session.describe(), utc_now(), !args.non_concurrently, args.tablespace};
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
  std::cout.flush();
  return args.apply ? apply(dsn, session.describe(), advice, args.output) : kSuccess;
}

void add_advise_command(CLI::App& app, Action& action) {
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("advise", "Index advice for a workload, checked with hypothetical indexes");
  add_connection_options(*cmd, args->connection, "The database the workload runs on (read-only session; needs hypopg)");
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
  cmd->add_option("-s,--statement", args->statements, "Advise for this SQL statement (repeatable), as in --queries")
      ->default_str("none");
  cmd->add_option("--include", args->include,
                  "Only these tables may get indexes: table or schema.table, comma-separated or repeated")
      ->delimiter(',')
      ->default_str("every table");
  cmd->add_option("--exclude", args->exclude, "These tables never get indexes (wins over --include)")
      ->delimiter(',')
      ->default_str("none");
  cmd->add_option("--min-calls", args->min_calls, "Leave out query classes executed fewer times than this")
      ->check(CLI::NonNegativeNumber)
      ->default_str("0 (every class)");
  cmd->add_option("--min-time", args->min_time_ms,
                  "Leave out query classes whose calls took less than this many ms in all (classes without a measured "
                  "time, from --queries or -s, are kept)")
      ->check(CLI::NonNegativeNumber)
      ->default_str("0 (every class)");
  cmd->add_option("--min-cost", args->min_cost,
                  "Leave out query classes whose estimated cost (one execution, no new index) is below this")
      ->check(CLI::NonNegativeNumber)
      ->default_str("0 (every class)");
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
  auto* output = cmd->add_option("-o,--output", args->output, "Write the index script here and its rollback beside it")
                     ->check([](const std::string& path) -> std::string {
                       // The report goes to stdout: `-o advice.json` would get SQL in a file named for JSON.
                       for (const char* report : {".json", ".md", ".markdown", ".txt", ".html"}) {
                         if (path.ends_with(report)) {
                           return "-o writes the SQL script (advice.sql) and its rollback; the report goes to stdout: "
                                  "--format json > advice.json";
                         }
                       }
                       return "";
                     });
  cmd->add_flag("--non-concurrently", args->non_concurrently,
                "Plain CREATE/DROP INDEX in the scripts (a maintenance window; where CONCURRENTLY cannot run)");
  cmd->add_option("--tablespace", args->tablespace, "Build the indexes of the -o script in this tablespace")
      ->default_str("the database's default")
      ->check([](const std::string& v) { return v.empty() ? "a tablespace name cannot be empty" : ""; });
  cmd->add_flag("--no-views", args->no_views,
                "No materialized-view advice (by default aggregate classes over large tables may get one)");
  cmd->add_flag("--apply", args->apply,
                "Run the -o script (psql, ON_ERROR_STOP) on the database advised on: only a pgadvisor shadow or a "
                "sandbox database, never the source")
      ->needs(output);
  cmd->footer(
      "Give at least one of --store, --log, --queries, -s, --pg-stat-statements and --pg-stat-activity;\n"
      "several are merged by fingerprint. Each statement of --queries or -s counts as one call of its query\n"
      "class, each execution --pg-stat-activity sees as one call of its statement. -h/-p/-U/-d replace those\n"
      "parts of --dsn; passwords come from --dsn, PGPASSWORD or ~/.pgpass. Exit 2 for a usage error or when\n"
      "--apply refuses the database (not a shadow or sandbox); exit 3 when a file cannot be read, the\n"
      "database cannot be reached or lacks hypopg (run pgadvisor doctor), or the applied script fails.");
  cmd->callback([args, &action] {
    check_connection_options(args->connection);
    if (args->store.empty() && args->logs.empty() && args->queries.empty() && args->statements.empty() &&
        !args->pg_stat_statements && args->pg_stat_activity.empty()) {
      throw CLI::ValidationError("advise",
                                 "give the workload: --store PATH, --log FILE…, --queries FILE, -s STATEMENT, "
                                 "--pg-stat-statements or --pg-stat-activity DURATION");
    }
    if (!args->budget.empty()) parse_size(args->budget);  // usage errors before connecting
    action = [args] { return run(*args); };
  });
}

const CommandRegistration registration{80, add_advise_command};

}  // namespace
}  // namespace pgadvisor::cli
