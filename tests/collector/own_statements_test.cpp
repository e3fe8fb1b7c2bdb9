// pgadvisor's own statements never count as the workload: every embedded SQL text pgadvisor sends to a server is
// recognized by fingerprint (as pg_stat_statements and the log show it, constants or not), and so is a workload
// statement behind one of its prefixes; users' statements, the demo's among them, are not.
#include "collector/own_statements.hpp"

#include <catch2/catch.hpp>

#include "collector/snapshot_sql.hpp"
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
  // As sent, with the prefix file's comment line (pg_stat_statements keeps it).
  CHECK(
      is_own_statement("-- Prefix of the statement prepared for a generic plan\nPREPARE pgadvisor_whatif AS\n"
                       "SELECT * FROM orders WHERE id = $1"));
  CHECK_FALSE(is_own_statement("-- a comment only"));
  // A user's statements, and the demo's workload, are the workload.
  CHECK_FALSE(is_own_statement("SELECT * FROM orders WHERE id = $1"));
  CHECK_FALSE(is_own_statement("EXPLAIN SELECT * FROM orders"));
  CHECK_FALSE(is_own_statement(""));
  CHECK_FALSE(is_own_statement("SELEC garbage"));
  for (const auto& t : pgadvisor::sql::all()) {
    if (t.name == "demo/queries") CHECK_FALSE(is_own_statement(t.text));
  }
}

TEST_CASE("pgadvisor's filled templates are recognized, a user's statement of the same start is not",
          "[collector][own_statements]") {
  using pgadvisor::collector::statements_info_query;
  using pgadvisor::collector::statements_query;
  // As sent, whatever columns the installed pg_stat_statements has, and as the view then shows them ($n constants).
  CHECK(is_own_statement(statements_query("public", {"userid", "dbid", "query", "calls"})));
  CHECK(is_own_statement(statements_query("we\"ird", {"userid", "total_time"})));
  CHECK(is_own_statement(statements_info_query("ext")));
  CHECK(
      is_own_statement("SELECT to_char(stats_reset AT TIME ZONE $1, $2) AS stats_reset,\n       dealloc\n"
                       "FROM public.pg_stat_statements_info"));
  // A user's reads of the same views, and statements like a short template's (DROP INDEX {index}), are not.
  CHECK_FALSE(is_own_statement("SELECT s.query, s.calls FROM public.pg_stat_statements AS s ORDER BY s.calls"));
  CHECK_FALSE(is_own_statement("SELECT dealloc FROM public.pg_stat_statements_info"));
  CHECK_FALSE(is_own_statement("DROP INDEX orders_customer_idx"));
  CHECK_FALSE(is_own_statement("ANALYZE orders"));
}
