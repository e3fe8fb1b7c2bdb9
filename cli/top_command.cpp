// `pgadvisor top`: the query classes that cost the most, from the store. The source is a parameter so that the
// pg_stat_statements ranking can join the log one (`--source statements`, not wired yet).
#include <algorithm>
#include <iostream>
#include <memory>

#include "collector/ingest_store.hpp"
#include "collector/store.hpp"
#include "command.hpp"
#include "reports/top_report.hpp"

namespace pgadvisor::cli {

namespace {

//! The ranking key of a class for --by.
double rank_value(const collector::LoggedClass& c, const std::string& by) {
  if (by == "mean") return c.mean_ms;
  if (by == "p95") return c.p95_ms;
  if (by == "calls") return static_cast<double>(c.calls);
  if (by == "errors") return static_cast<double>(c.errors);
  return c.total_ms;
}

//! The classes a source ranks; nullopt when the source cannot be read yet.
std::optional<std::vector<collector::LoggedClass>> load_classes(collector::Store& store, const std::string& source,
                                                                const std::optional<std::string>& database) {
  if (source == "logs") return collector::IngestStore(store).classes(database);
  return std::nullopt;
}

void add_top_command(CLI::App& app, Action& action) {
  struct Args {
    std::string store = "pgadvisor.db";
    std::string source = "logs";
    std::string by = "total";
    size_t limit = 20;
    std::string database;
    std::string format = "text";
  };
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("top", "The query classes that cost the most, from the store");
  cmd->add_option("--store", args->store, "The store (SQLite)")->capture_default_str();
  cmd->add_option("--source", args->source, "What the statistics come from")
      ->check(CLI::IsMember({"logs", "statements"}))
      ->capture_default_str();
  cmd->add_option("--by", args->by, "Ranking")
      ->check(CLI::IsMember({"total", "mean", "p95", "calls", "errors"}))
      ->capture_default_str();
  cmd->add_option("--limit", args->limit, "Classes shown")->check(CLI::Range(1, 1000000))->capture_default_str();
  cmd->add_option("--database", args->database, "Only classes seen in this database");
  cmd->add_option("--format", args->format, "Output format")->check(CLI::IsMember({"text", "json", "markdown"}));
  cmd->footer("Exit codes: 0 shown, 3 the store cannot be read or the source is not available.");
  cmd->callback([args, &action] {
    action = [args] {
      if (!std::filesystem::exists(args->store)) {
        std::cerr << "pgadvisor top: " << args->store << ": no such store; run `pgadvisor ingest` first\n";
        return static_cast<int>(kInputError);
      }
      auto store = collector::Store::open(args->store);
      auto classes = load_classes(store, args->source,
                                  args->database.empty() ? std::nullopt : std::optional<std::string>(args->database));
      if (!classes) {
        std::cerr << "pgadvisor top: --source " << args->source
                  << " is not available yet; use --source logs (after pgadvisor ingest)\n";
        return static_cast<int>(kInputError);
      }
      reports::TopReport report{args->source, args->by, {}, classes->size()};
      std::stable_sort(classes->begin(), classes->end(), [&](const auto& a, const auto& b) {
        const double ka = rank_value(a, args->by), kb = rank_value(b, args->by);
        return ka != kb ? ka > kb : a.fingerprint < b.fingerprint;
      });
      if (classes->size() > args->limit) classes->resize(args->limit);
      report.classes = std::move(*classes);
      std::cout << (args->format == "json"       ? reports::render_top_json(report)
                    : args->format == "markdown" ? reports::render_top_markdown(report)
                                                 : reports::render_top_text(report));
      return static_cast<int>(kSuccess);
    };
  });
}

const CommandRegistration registration{60, add_top_command};

}  // namespace
}  // namespace pgadvisor::cli
