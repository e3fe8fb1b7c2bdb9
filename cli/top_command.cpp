// `pgadvisor top`: the query classes that cost the most, from the store: from ingested logs (`--source logs`), or
// from pg_stat_statements deltas over a window of snapshots (`--source statements`).
#include <algorithm>
#include <ctime>
#include <iostream>
#include <memory>

#include "analyzer/secret_redaction.hpp"
#include "collector/ingest_store.hpp"
#include "collector/statement_deltas.hpp"
#include "collector/store.hpp"
#include "command.hpp"
#include "reports/statement_ranking_report.hpp"
#include "reports/top_report.hpp"
#include "time_option.hpp"

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

// --since/--until: ISO 8601 UTC (a real date and time), or a span back from now: 90s, 30m, 6h, 7d.
std::string window_bound(const std::string& option, std::string text) {
  if (text.empty()) return text;
  if (text.find('-') != std::string::npos) {
    const std::string problem = date_time_problem(text, true);
    if (!problem.empty()) {
      throw CLI::ValidationError(option,
                                 "'" + text + "' is not a time (" + problem + "): ISO 8601 UTC, or 30m, 6h, 7d");
    }
    if (text.size() > 10 && text[10] == ' ') text[10] = 'T';  // as the snapshots write it
    return text;
  }
  size_t end = 0;
  long amount = 0;
  try {
    amount = std::stol(text, &end);
  } catch (const std::exception&) {
    throw CLI::ValidationError(option, "'" + text + "' is not a time (ISO 8601 UTC, or 30m, 6h, 7d)");
  }
  std::string unit = text.substr(end);
  long seconds = unit == "s" ? 1 : unit == "m" ? 60 : unit == "h" ? 3600 : unit == "d" ? 86400 : 0;
  if (seconds == 0 || amount < 0) {
    throw CLI::ValidationError(option, "'" + text + "' is not a time (ISO 8601 UTC, or 30m, 6h, 7d)");
  }
  std::time_t at = std::time(nullptr) - amount * seconds;
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&at));
  return buf;
}

collector::RankBy statements_rank(const std::string& by) {
  if (by == "mean") return collector::RankBy::MeanTime;
  if (by == "calls") return collector::RankBy::Calls;
  if (by == "total") return collector::RankBy::TotalTime;
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
    window_bound("--since", args->since);  // usage errors before any work
    window_bound("--until", args->until);
    if (args->source == "statements") {
      statements_rank(args->by);
      if (args->details) throw CLI::ValidationError("--details", "only --source logs keeps per-class details");
    } else if (!args->since.empty() || !args->until.empty()) {
      // Log statistics keep no times per entry: a window here would silently show everything.
      throw CLI::ValidationError(args->since.empty() ? "--until" : "--since",
                                 "is for --source statements; for logs, give it to `pgadvisor ingest`");
    }
    action = [args] {
      if (!std::filesystem::exists(args->store)) {
        std::cerr << "pgadvisor top: " << args->store << ": no such store; run `pgadvisor ingest` first\n";
        return static_cast<int>(kInputError);
      }
      auto store = collector::Store::open(args->store, collector::StoreAccess::ReadOnly);
      if (args->source == "statements") {
        collector::RankingOptions options;
        options.since = window_bound("--since", args->since);
        options.until = window_bound("--until", args->until);
        options.by = statements_rank(args->by);
        options.limit = args->limit;
        auto ranking = collector::rank_statement_classes(store, options);
        // Stores written before secrets were redacted at the source may still hold some: never shown.
        for (auto& c : ranking.classes) c.query = analyzer::redact_secrets(c.query);
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
        const double ka = rank_value(a, args->by);
        const double kb = rank_value(b, args->by);
        return ka != kb ? ka > kb : a.fingerprint < b.fingerprint;
      });
      if (classes.size() > args->limit) classes.resize(args->limit);
      for (auto& c : classes) c.normalized = analyzer::redact_secrets(c.normalized);
      report.classes = std::move(classes);
      if (args->details || args->format == "json") {
        collector::IngestStore ingest(store);
        for (const auto& c : report.classes) {
          auto samples = ingest.samples(c.fingerprint);
          for (auto& s : samples.statements) s = analyzer::redact_secrets(s);
          for (auto& p : samples.parameters) p = analyzer::redact_secrets(p);
          report.details.push_back({ingest.breakdown(c.fingerprint), std::move(samples)});
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
