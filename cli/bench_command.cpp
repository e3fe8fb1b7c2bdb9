// `pgadvisor bench`: the real before/after benchmark of the advice (or a hand-written script) on a shadow
// database, with a verdict per query class from its confidence interval; the results are stored with the advice.
#include <unistd.h>

#include <iostream>
#include <memory>

#include "analyzer/secret_redaction.hpp"
#include "collector/bench_store.hpp"
#include "command.hpp"
#include "command_files.hpp"
#include "pg/connection.hpp"
#include "pg/quote.hpp"
#include "reports/bench_report.hpp"
#include "shadow/shadow_bench.hpp"
#include "shadow/shadow_copy.hpp"

namespace pgadvisor::cli {
namespace {

struct Args {
  std::string shadow;
  std::string source;
  std::string advice;
  std::string script;
  std::string queries;
  int runs = 20;
  int warmup = 1;
  int rounds = 10;
  size_t max_params = 5;
  int statement_timeout_ms = 60000;
  bool keep = false;
  std::string format = "text";
  std::string store = "pgadvisor.db";
  bool no_store = false;
  std::string output;
};

int run(const Args& args) {
  shadow::BenchPlan plan;
  std::string proved;  // what the results are stored with
  try {
    std::optional<std::string> queries;
    if (!args.queries.empty()) queries = read_input_file(args.queries);
    if (!args.advice.empty()) {
      proved = read_input_file(args.advice);
      plan = shadow::plan_from_advice(proved, queries, args.max_params);
    } else {
      auto script = read_input_file(args.script);
      plan = shadow::plan_from_script(script, *queries, args.max_params);
      // File names are the user's: a line break in one must not end its comment line.
      // Stored with the results: a password in the user's script or queries (ALTER ROLE … PASSWORD) is not.
      proved = pg::comment_line("script " + args.script) + analyzer::redact_secrets(script) + "\n" +
               pg::comment_line("queries " + args.queries) + analyzer::redact_secrets(*queries);
    }
  } catch (const std::invalid_argument& e) {
    std::cerr << "pgadvisor: error: " << (args.advice.empty() ? args.script : args.advice) << ": " << e.what() << "\n";
    return kInputError;
  }

  pg::SessionOptions session;
  session.statement_timeout = std::chrono::milliseconds(args.statement_timeout_ms);
  session.lock_timeout = std::chrono::seconds(10);
  auto shadow = pg::Connection::open(args.shadow, session);
  try {
    std::optional<pg::DatabaseIdentity> source;
    if (!args.source.empty()) {
      auto conn = pg::Connection::open(args.source, pg::SessionOptions::source());
      source = shadow::database_identity(conn);
    }
    shadow::check_shadow(shadow::database_identity(shadow), source);
  } catch (const shadow::ShadowRefused& e) {
    std::cerr << "pgadvisor: error: " << e.what() << "\n";
    return kUsage;
  }

  shadow::BenchOptions options;
  options.runs = args.runs;
  options.warmup = args.warmup;
  options.rounds = std::min(args.rounds, args.runs);
  options.keep = args.keep;
  if (isatty(STDERR_FILENO) == 1)
    options.progress = [](const std::string& line) { std::cerr << "bench: " << line << "\n"; };
  auto result = shadow::run_bench(shadow, plan, options);

  std::string json = reports::render_bench_json(result);
  if (!args.output.empty()) write_output_file(args.output, json);
  if (!args.no_store) {
    auto store = collector::Store::open(args.store);
    collector::save_bench(store, {utc_now(), result.shadow, proved, json, reports::verdict_counts(result)});
  }
  if (args.format == "json") {
    std::cout << json;
  } else if (args.format == "markdown") {
    std::cout << reports::render_bench_markdown(result);
  } else {
    std::cout << reports::render_bench_text(result);
  }
  if (result.any_result_changed()) {
    std::cerr << "pgadvisor: error: the script changed the results of read queries (see \"result changed\")\n";
    return kFinding;
  }
  if (result.any_view_unproven()) {
    std::cerr << "pgadvisor: error: a materialized view of the advice is not proven: its rewritten queries returned "
                 "other rows, or a statement failed (see \"Materialized views\")\n";
    return kFinding;
  }
  if (!result.kept && !result.schema_unchanged()) {
    std::cerr << "pgadvisor: error: the shadow's schema differs after the benchmark\n";
    return kFinding;
  }
  return kSuccess;
}

void add_bench_command(CLI::App& app, Action& action) {
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("bench", "Measure the advice before and after on a shadow database");
  cmd->add_option("--shadow", args->shadow, "The shadow database (made by pgadvisor shadow create)")->required();
  auto* advice = cmd->add_option("--advice", args->advice, "The advice JSON of pgadvisor advise --format json");
  auto* script = cmd->add_option("--script", args->script, "A hand-written script to measure instead of advice");
  advice->excludes(script);
  script->excludes(advice);
  auto* queries = cmd->add_option("--queries", args->queries,
                                  "The workload's statements (required with --script; with --advice, instead of the "
                                  "advice's workload classes)");
  script->needs(queries);
  cmd->add_option("--dsn", args->source, "The source database: refuse a shadow that is this database");
  cmd->add_option("--runs", args->runs, "Measured runs per class, before and after each")->check(CLI::Range(2, 100000));
  cmd->add_option("--warmup", args->warmup, "Discarded runs per class at the start of each block")
      ->check(CLI::Range(0, 1000));
  cmd->add_option("--rounds", args->rounds, "Before/after block pairs the runs are spread over (interleaving)")
      ->check(CLI::Range(1, 1000));
  cmd->add_option("--max-params", args->max_params, "Sampled executions (parameter sets) per class")
      ->check(CLI::Range(1, 1000));
  cmd->add_option("--statement-timeout", args->statement_timeout_ms, "statement_timeout on the shadow, in ms")
      ->check(CLI::Range(1, 86400000));
  cmd->add_flag("--keep", args->keep, "Keep the indexes (or commit the script) on the shadow at the end");
  cmd->add_option("--format", args->format, "Output format")->check(CLI::IsMember({"text", "json", "markdown"}));
  cmd->add_option("--store", args->store, "Store the results with the advice in this store")->capture_default_str();
  cmd->add_flag("--no-store", args->no_store, "Do not store the results");
  cmd->add_option("-o,--output", args->output, "Also write the JSON document to this file");
  cmd->footer(
      "Exit codes: 0 measured (slower classes are flagged, not failed), 1 a read query's result changed, a\n"
      "materialized view is not proven (its rewritten queries returned other rows, or a statement failed) or the\n"
      "shadow's schema differs afterwards, 2 usage error or refused shadow (the source itself, or not a shadow),\n"
      "3 input or connection error.");
  cmd->callback([args, &action] {
    if (args->advice.empty() && args->script.empty()) throw CLI::RequiredError("--advice or --script");
    action = [args] { return run(*args); };
  });
}

const CommandRegistration registration{100, add_bench_command};

}  // namespace
}  // namespace pgadvisor::cli
