// `pgadvisor ingest`: reads PostgreSQL logs (stderr with any log_line_prefix; plain, .gz, .zst or stdin) into
// per-class statistics in the store, incrementally: a file already read adds nothing, a grown one its new part.
#include <unistd.h>

#include <iostream>
#include <memory>
#include <thread>

#include <fmt/format.h>

#include "collector/ingest.hpp"
#include "collector/ingest_store.hpp"
#include "collector/store.hpp"
#include "collector/traffic_overlap.hpp"
#include "command.hpp"
#include "reports/ingest_report.hpp"
#include "time_option.hpp"

namespace pgadvisor::cli {

namespace {

//! --since/--until compare with the start of each entry's timestamp as the log writes it ("2026-11-22 04:46:52.100
//! UTC"), so they must be a prefix of that shape: YYYY-MM-DD[ HH[:MM[:SS[.fff]]]] ('T' is taken for the space), and a
//! real date and time.
const CLI::Validator kLogTime(
    [](std::string& value) -> std::string {
      if (value.size() > 10 && value[10] == 'T') value[10] = ' ';
      const std::string problem = date_time_problem(value, false);
      if (problem.empty()) return {};
      return "'" + value + "' is not a time as the log writes it (" + problem +
             "): YYYY-MM-DD[ HH:MM[:SS[.fff]]], e.g. '2026-11-22 04:00'";
    },
    "TIME");

void add_ingest_command(CLI::App& app, Action& action) {
  struct Args {
    std::vector<std::string> files;
    std::string log_format = "auto";
    std::string prefix;
    std::string store = "pgadvisor.db";
    unsigned jobs = 0;
    std::string since, until, database, user, app;
    bool reset = false;
    bool allow_duplicate_traffic = false;
    bool final_files = false;
    std::string format = "text";
    size_t batch_mib = 64;
    size_t max_entry_mib = 256;
  };
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("ingest", "Read PostgreSQL logs into per-query-class statistics in the store");
  cmd->add_option("files", args->files, "Log files (plain, .gz, .zst); - reads stdin")->required()->default_str("");
  cmd->add_option("--log-format", args->log_format, "Log format (auto: from the first lines)")
      ->check(CLI::IsMember({"auto", "stderr", "csvlog", "jsonlog", "syslog"}));
  cmd->add_option("--prefix", args->prefix, "The server's log_line_prefix (default: detected)");
  cmd->add_option("--store", args->store, "The store (SQLite)")->capture_default_str();
  cmd->add_option("--jobs", args->jobs, "Worker threads")->check(CLI::Range(1U, 256U))->default_str("all cores");
  cmd->add_option("--since", args->since, "Only entries at or after TIME (YYYY-MM-DD[ HH:MM:SS], the log's zone)")
      ->transform(kLogTime);
  cmd->add_option("--until", args->until, "Only entries at or before TIME")->transform(kLogTime);
  cmd->add_option("--database", args->database, "Only this database");
  cmd->add_option("--user", args->user, "Only this user");
  cmd->add_option("--app", args->app, "Only this application_name");
  cmd->add_flag("--reset", args->reset, "Forget earlier log statistics and file progress first");
  cmd->add_flag("--allow-duplicate-traffic", args->allow_duplicate_traffic,
                "Read files that repeat traffic read before (by default skipped: one server's stderr, csvlog and "
                "jsonlog hold the same statements)");
  cmd->add_flag("--final", args->final_files,
                "The files will not grow: read their last entry too (by default it waits until the file grows, is "
                "rotated or has not changed for a minute)");
  cmd->add_option("--format", args->format, "Output format")->check(CLI::IsMember({"text", "json"}));
  // Batches bound memory and are the unit of commit.
  cmd->add_option("--batch-mib", args->batch_mib, "MiB read and committed at a time")
      ->check(CLI::Range(1, 4096))
      ->capture_default_str();
  cmd->add_option("--max-entry-mib", args->max_entry_mib,
                  "Larger log entries are cut, longer lines skipped, as bad lines (memory bound)")
      ->check(CLI::Range(1, 4096))
      ->capture_default_str();
  cmd->footer("Exit codes: 0 read, 3 a file could not be read (named on stderr) or the store failed.");
  cmd->callback([args, &action] {
    action = [args] {
      auto store = collector::Store::open(args->store);
      if (args->reset) {
        collector::IngestStore(store).reset();
        collector::TrafficRegistry::forget(store);
      }
      collector::IngestOptions options;
      options.files = args->files;
      options.format = args->log_format == "stderr"    ? collector::LogFormat::Stderr
                       : args->log_format == "csvlog"  ? collector::LogFormat::Csvlog
                       : args->log_format == "jsonlog" ? collector::LogFormat::Jsonlog
                       : args->log_format == "syslog"  ? collector::LogFormat::Syslog
                                                       : collector::LogFormat::Auto;
      options.prefix = args->prefix;
      options.allow_duplicate_traffic = args->allow_duplicate_traffic;
      options.jobs = args->jobs > 0 ? args->jobs : std::max(1U, std::thread::hardware_concurrency());
      options.filter = {args->database, args->user, args->app, args->since, args->until};
      options.final_files = args->final_files;
      options.batch_bytes = args->batch_mib << 20;
      options.max_entry_bytes = args->max_entry_mib << 20;
      if (isatty(STDERR_FILENO) == 1) {
        options.on_progress = [](const std::string& path, uint64_t offset, uint64_t size) {
          if (size > 0) {
            std::cerr << fmt::format("\r{}: {:.0f} %", path,
                                     100.0 * static_cast<double>(offset) / static_cast<double>(size))
                      << std::flush;
          }
        };
      }
      auto summary = collector::run_ingest(store, options);
      if (options.on_progress) std::cerr << "\r\033[K" << std::flush;
      std::cout << (args->format == "json" ? reports::render_ingest_json(summary)
                                           : reports::render_ingest_text(summary));
      for (const auto& f : summary.files) {
        if (!f.error.empty()) std::cerr << "pgadvisor ingest: " << f.error << "\n";
        if (!f.duplicate_of.empty()) std::cerr << "pgadvisor ingest: warning: " << f.path << ": " << f.note << "\n";
      }
      return summary.has_errors() ? kInputError : kSuccess;
    };
  });
}

const CommandRegistration registration{40, add_ingest_command};

}  // namespace
}  // namespace pgadvisor::cli
