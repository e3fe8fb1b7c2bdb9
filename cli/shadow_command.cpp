// `pgadvisor shadow create`: a shadow copy of the source database (schema, rows, optionally sampled) for the
// real before/after benchmark of `pgadvisor bench`; by default into the local sandbox.
#include <cstdlib>
#include <iostream>
#include <memory>

#include "command.hpp"
#include "pg/dsn.hpp"
#include "pg/sandbox.hpp"
#include "reports/shadow_report.hpp"
#include "shadow/shadow_copy.hpp"

namespace pgadvisor::cli {
namespace {

struct Args {
  std::string from;
  std::string target;
  std::string sandbox_dir;
  double sample_percent = 100;
  double sample_min_mb = 1;
  std::vector<std::string> tables;
  bool replace = false;
  std::string format = "text";
};

// The sandbox's server, database "<source database>_shadow".
std::string default_target(const Args& args) {
  std::string dir = args.sandbox_dir;
  if (dir.empty()) {
    const char* env = std::getenv("PGADVISOR_SANDBOX_DIR");
    dir = env != nullptr && *env != '\0' ? env : ".pgadvisor/sandbox";
  }
  auto source_db = pg::dsn_database(args.from);
  if (!source_db) {
    const char* env = std::getenv("PGDATABASE");
    source_db = env != nullptr && *env != '\0' ? std::string(env) : std::string(pg::Sandbox::kDatabase);
  }
  return pg::dsn_with_database(pg::Sandbox(dir).dsn(), *source_db + "_shadow");
}

int run(const Args& args) {
  shadow::ShadowCopyOptions options;
  options.source_dsn = args.from;
  options.target_dsn = args.target.empty() ? default_target(args) : args.target;
  options.sample_percent = args.sample_percent;
  options.sample_min_bytes = static_cast<int64_t>(args.sample_min_mb * 1024 * 1024);
  options.tables = args.tables;
  options.replace = args.replace;
  try {
    auto report = shadow::create_shadow(options);
    std::cout << (args.format == "json" ? reports::render_shadow_json(report) : reports::render_shadow_text(report));
  } catch (const shadow::ShadowRefused& e) {
    std::cerr << "pgadvisor: error: " << e.what() << "\n";
    return kUsage;
  }
  return kSuccess;
}

void add_shadow_command(CLI::App& app, Action& action) {
  auto args = std::make_shared<Args>();
  auto* shadow = app.add_subcommand("shadow", "A shadow copy of a database, for the real benchmark of advice");
  shadow->require_subcommand(1);
  auto* create =
      shadow->add_subcommand("create", "Copy the source's schema and rows (optionally sampled) into a shadow");
  create->add_option("--from", args->from, "The source database (read-only session; default: PG* variables)");
  create->add_option("--target", args->target,
                     "The shadow database, created when missing (default: the local sandbox, database "
                     "<source>_shadow)");
  create->add_option("--sandbox-dir", args->sandbox_dir,
                     "The sandbox of the default target (default: $PGADVISOR_SANDBOX_DIR or .pgadvisor/sandbox)");
  create->add_option("--sample", args->sample_percent, "Copy this % of the rows of large tables (default 100)")
      ->check(CLI::Range(0.0001, 100.0));
  create->add_option("--sample-min-size", args->sample_min_mb, "Tables smaller than this many MB are copied whole")
      ->check(CLI::Range(0.0, 1e9));
  create->add_option("--tables", args->tables, "Only tables matching this pg_dump -t pattern (repeatable)")
      ->default_str("");
  create->add_flag("--replace", args->replace, "Drop and recreate a target that is already a pgadvisor shadow");
  create->add_option("--format", args->format, "Output format")->check(CLI::IsMember({"text", "json"}));
  create->footer(
      "Schema with pg_dump/pg_restore of `pg_config --bindir`, rows with COPY through libpq; a sampled table's\n"
      "children keep only the rows whose parents were sampled, so foreign keys hold. Then ANALYZE.\n"
      "Exit codes: 0 created, 2 refused (the target is the source, a template database, postgres, or a database\n"
      "with tables that is not a shadow; nothing is written to it), 3 connection, pg_dump or pg_restore error.");
  create->callback([args, &action] { action = [args] { return run(*args); }; });
}

const CommandRegistration registration{90, add_shadow_command};

}  // namespace
}  // namespace pgadvisor::cli
