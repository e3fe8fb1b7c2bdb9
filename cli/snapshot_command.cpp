// `pgadvisor snapshot`: reads pg_stat_statements and the catalog of a server in one read-only transaction and
// stores them, once or every --interval for --count times, for `top --source statements` and `health --store`.
#include <chrono>
#include <iostream>
#include <memory>
#include <thread>

#include <fmt/format.h>

#include "collector/snapshot.hpp"
#include "collector/snapshot_store.hpp"
#include "command.hpp"
#include "connection_options.hpp"
#include "pg/connection.hpp"
#include "time_option.hpp"

namespace pgadvisor::cli {

namespace {

std::string summary(const collector::ServerSnapshot& s, int64_t id) {
  size_t indexes = 0;
  for (const auto& t : s.catalog.catalog.tables()) indexes += t.indexes.size();
  return fmt::format(
      "snapshot {} of {} at {}: {} statements, {} tables, {} indexes, {} views; {} round trips, {:.0f} ms", id,
      s.catalog.server.key(), s.catalog.taken_at, s.statements.entries.size(), s.catalog.catalog.tables().size(),
      indexes, s.catalog.views.size(), s.round_trips, s.duration_ms);
}

void add_snapshot_command(CLI::App& app, Action& action) {
  struct Args {
    ConnectionOptions connection;
    std::string store = "pgadvisor.db";
    std::string interval = "60s";
    int count = 1;
  };
  auto args = std::make_shared<Args>();
  auto* snapshot = app.add_subcommand("snapshot", "Store pg_stat_statements and the catalog of a server");
  add_connection_options(*snapshot, args->connection, "Connection string or URI");
  snapshot->add_option("--store", args->store, "The store (SQLite file)")->capture_default_str();
  snapshot->add_option("--interval", args->interval, "Time between snapshots with --count: 90, 90s, 5m, 1h")
      ->capture_default_str()
      ->check(duration_problem);
  snapshot->add_option("--count", args->count, "Snapshots to take")->capture_default_str()->check(CLI::PositiveNumber);
  snapshot->footer("Exit codes: 0 stored (warnings on stderr), 2 usage error, 3 cannot connect or write the store.");
  snapshot->callback([args, &action] {
    check_connection_options(args->connection);
    action = [args] {
      auto store = collector::Store::open(args->store);
      auto conn = pg::Connection::open(connection_string(args->connection), pg::SessionOptions::source());
      auto interval = *parse_duration(args->interval);
      for (int i = 0; i < args->count; ++i) {
        if (i > 0) std::this_thread::sleep_for(interval);
        auto snap = collector::take_snapshot(conn);
        auto id = collector::save_snapshot(store, snap);
        for (const auto& w : snap.warnings) std::cerr << "pgadvisor: warning: " << w << "\n";
        std::cout << summary(snap, id) << std::endl;
      }
      return kSuccess;
    };
  });
}

const CommandRegistration registration{50, add_snapshot_command};

}  // namespace
}  // namespace pgadvisor::cli
