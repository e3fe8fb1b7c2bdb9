// `pgadvisor top`: the query classes that cost the most, from the store: from ingested logs (`--source logs`), or
// from pg_stat_statements deltas over a window of snapshots (`--source statements`).
#include <algorithm>
#include <ctime>
#include <iostream>
#include <memory>

#include "collector/ingest_store.hpp"
#include "collector/statement_deltas.hpp"
#include "collector/store.hpp"
#include "command.hpp"
#include "reports/statement_ranking_report.hpp"
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

// --since/--until: ISO 8601 UTC as is, or a span back from now: 90s, 30m, 6h, 7d.
std::string window_bound(const std::string& text) {
  if (text.empty() || text.find('-') != std::string::npos) return text;
  size_t end = 0;
  long amount = 0;
  try {
    amount = std::stol(text, &end);
  } catch (const std::exception&) {
    throw CLI::ValidationError("--since/--until", "not a time: " + text + " (ISO 8601 UTC, or 30m, 6h, 7d)");
  }
  std::string unit = text.substr(end);
  long seconds = unit == "s" ? 1 : unit == "m" ? 60 : unit == "h" ? 3600 : unit == "d" ? 86400 : 0;
  if (seconds == 0 || amount < 0) {
    throw CLI::ValidationError("--since/--until", "not a time: " + text + " (ISO 8601 UTC, or 30m, 6h, 7d)");
  }
  std::time_t at = std::time(nullptr) - amount * seconds;
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&at));
  return buf;
}

collector::RankBy statements_rank(const std::string& by) {
  if (by == "mean") return collector::RankBy::mean_time;
  if (by == "calls") return collector::RankBy::calls;
  if (by == "total") return collector::RankBy::total_time;
  throw CLI::ValidationError("--by", by + " is not known to pg_stat_statements; use total, mean or calls");
}

void add_top_command(CLI::App& app, Action& action) {
  struct Args {
    std::string store = "pgadvisor.db";
    std::string source = "logs";
    std::string by = "total";
    size_t limit = 20;
    std::string database;
    std::string since;
    std::string until;
    std::string format = "text";
    bool details = false;
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
  cmd->add_option("--database", args->database, "Only classes seen in this database (--source logs)");
  cmd->add_option("--since", args->since, "--source statements: window start, ISO 8601 UTC or 30m, 6h, 7d ago");
  cmd->add_option("--until", args->until, "--source statements: window end (default: the latest snapshot)");
  cmd->add_option("--format", args->format, "Output format")->check(CLI::IsMember({"text", "json", "markdown"}));
  cmd->add_flag("--details", args->details,
                "--source logs: each class's databases, users, applications and samples (always in JSON)");
  cmd->footer("Exit codes: 0 shown, 2 an option the source does not know, 3 the store cannot be read.");
  cmd->callback([args, &action] {
    if (args->details && args->format == "markdown") {
      throw CLI::ValidationError("--details", "is for the text table (JSON always has the details), not Markdown");
    }
    if (args->source == "statements") {
      statements_rank(args->by);  // usage errors before any work
      if (args->details) throw CLI::ValidationError("--details", "only --source logs keeps per-class details");
      window_bound(args->since);
      window_bound(args->until);
    }
    action = [args] {
      if (!std::filesystem::exists(args->store)) {
        std::cerr << "pgadvisor top: " << args->store << ": no such store; run `pgadvisor ingest` first\n";
        return static_cast<int>(kInputError);
      }
      auto store = collector::Store::open(args->store);
      if (args->source == "statements") {
        collector::RankingOptions options;
        options.since = window_bound(args->since);
        options.until = window_bound(args->until);
        options.by = statements_rank(args->by);
        options.limit = args->limit;
        auto ranking = collector::rank_statement_classes(store, options);
        std::cout << (args->format == "json"       ? reports::render_statement_ranking_json(ranking)
                      : args->format == "markdown" ? reports::render_statement_ranking_markdown(ranking)
                                                   : reports::render_statement_ranking_text(ranking));
        return static_cast<int>(kSuccess);
      }
      auto classes = collector::IngestStore(store).classes(
          args->database.empty() ? std::nullopt : std::optional<std::string>(args->database));
      reports::TopReport report{args->source, args->by, {}, classes.size(), {}, 0, std::nullopt};
      for (const auto& c : classes) report.classes_total_ms += c.total_ms;
      if (args->database.empty()) {
        for (const auto& [name, value] : collector::IngestStore(store).totals()) {
          if (name == "total_us") report.logged_total_ms = static_cast<double>(value) / 1000.0;
        }
      }
      std::stable_sort(classes.begin(), classes.end(), [&](const auto& a, const auto& b) {
        const double ka = rank_value(a, args->by), kb = rank_value(b, args->by);
        return ka != kb ? ka > kb : a.fingerprint < b.fingerprint;
      });
      if (classes.size() > args->limit) classes.resize(args->limit);
      report.classes = std::move(classes);
      if (args->details || args->format == "json") {
        collector::IngestStore ingest(store);
        for (const auto& c : report.classes) {
          report.details.push_back({ingest.breakdown(c.fingerprint), ingest.samples(c.fingerprint)});
        }
      }
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
