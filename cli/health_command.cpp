// `pgadvisor health`: cache hit ratios, index usage and index problems of a live server (since its statistics
// were reset) or of the store's snapshots (over a window), as text, JSON or Markdown.
#include <iostream>
#include <memory>

#include "collector/health.hpp"
#include "command.hpp"
#include "connection_options.hpp"
#include "pg/connection.hpp"
#include "reports/health_report.hpp"

namespace pgadvisor::cli {

namespace {

void add_health_command(CLI::App& app, Action& action) {
  struct Args {
    ConnectionOptions connection;
    std::string store;
    std::string since;
    std::string format = "text";
    size_t top = 10;
  };
  auto args = std::make_shared<Args>();
  auto* health = app.add_subcommand("health", "Cache hit ratios, index usage, unused/duplicate/invalid indexes");
  auto connection = add_connection_options(*health, args->connection, "Read a live server (conninfo or URI)");
  auto* store = health->add_option("--store", args->store, "Read the snapshots of this store instead of a server");
  for (auto* option : connection) store->excludes(option);
  health->add_option("--since", args->since, "With --store: the window starts at this ISO 8601 UTC time")->needs(store);
  health->add_option("--top", args->top, "Tables to list, read most by sequential scans (0: all)")
      ->capture_default_str();
  health->add_option("--format", args->format, "Output format")
      ->check(CLI::IsMember({"text", "json", "markdown"}))
      ->capture_default_str();
  health->footer("Exit codes: 0 report written, 2 usage error, 3 cannot connect or read the store.");
  health->callback([args, store, &action] {
    check_connection_options(args->connection);
    bool from_store = store->count() > 0;
    action = [args, from_store] {
      collector::HealthOptions options{.top_tables = args->top};
      collector::HealthReport report;
      if (from_store) {
        auto s = collector::Store::open(args->store, collector::StoreAccess::ReadOnly);
        report = collector::health_from_store(s, "", args->since, options);
      } else {
        auto conn = pg::Connection::open(connection_string(args->connection), pg::SessionOptions::source());
        report = collector::health_from_server(conn, options);
      }
      if (args->format == "json") {
        std::cout << reports::render_health_json(report);
      } else if (args->format == "markdown") {
        std::cout << reports::render_health_markdown(report);
      } else {
        std::cout << reports::render_health_text(report);
      }
      return kSuccess;
    };
  });
}

const CommandRegistration registration{70, add_health_command};

}  // namespace
}  // namespace pgadvisor::cli
