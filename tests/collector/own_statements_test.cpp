// pgadvisor's own statements never count as the workload: every embedded SQL text pgadvisor sends to a server is
// recognized by fingerprint (as pg_stat_statements and the log show it, constants or not), and so is a workload
// statement behind one of its prefixes; users' statements, the demo's among them, are not.
#include "collector/own_statements.hpp"

#include <catch2/catch.hpp>

#include "sql/embedded.hpp"

using pgadvisor::collector::is_own_statement;

TEST_CASE("pgadvisor's own statements are recognized, users' are not", "[collector][own_statements]") {
  size_t checked = 0;
  for (const auto& t : pgadvisor::sql::all()) {
    if (t.name.starts_with("demo/") || t.name.starts_with("store/") || t.name.ends_with("_prefix")) continue;
    if (t.text.find('{') != std::string_view::npos) continue;  // a template: filled before it is sent
    INFO(t.name);
    CHECK(is_own_statement(t.text));
    ++checked;
  }
  CHECK(checked > 20);
  // As the log shows it with its value, or pg_stat_statements with $1: the same fingerprint.
  CHECK(is_own_statement("SELECT indexrelid FROM hypopg_create_index('CREATE INDEX ON t (a)')"));
  CHECK(is_own_statement("select indexrelid from hypopg_create_index($1)"));
  // What-if EXPLAINs and generic plans of any workload statement.
  CHECK(is_own_statement("EXPLAIN (FORMAT JSON) SELECT * FROM orders WHERE id = $1"));
  CHECK(is_own_statement("PREPARE pgadvisor_whatif AS SELECT * FROM orders WHERE id = $1"));
  // A user's statements, and the demo's workload, are the workload.
  CHECK_FALSE(is_own_statement("SELECT * FROM orders WHERE id = $1"));
  CHECK_FALSE(is_own_statement("EXPLAIN SELECT * FROM orders"));
  CHECK_FALSE(is_own_statement(""));
  CHECK_FALSE(is_own_statement("SELEC garbage"));
  for (const auto& t : pgadvisor::sql::all()) {
    if (t.name == "demo/queries") CHECK_FALSE(is_own_statement(t.text));
  }
}
