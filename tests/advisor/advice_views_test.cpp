// Advice end to end through views, CTEs and subqueries in FROM, on the sandbox: the catalog snapshot reads the view's
// definition, the facts trace its columns to the table's, and the what-if costs confirm the index on the table;
// a MATERIALIZED CTE keeps its outer condition from the table, so nothing is advised for it.
#include <algorithm>

#include <catch2/catch.hpp>

#include "advisor/advice.hpp"
#include "advisor/hypopg_cost_model.hpp"
#include "collector/catalog_snapshot.hpp"
#include "live_advice.hpp"
#include "pg/connection.hpp"
#include "pg/sandbox.hpp"
#include "test_support.hpp"

using namespace pgadvisor;
using namespace pgadvisor::advisor;
using test::advise_on_text;
using test::definitions;

namespace {

std::string dsn() { return pg::Sandbox(test::sandbox_dir()).dsn(); }

// 200,000 posts by 20,000 authors (10 each), no index at all; a view renaming two of its columns.
void make_schema() {
  auto admin = pg::Connection::open(dsn());
  admin.query("DROP SCHEMA IF EXISTS advice_views CASCADE");
  admin.query("CREATE SCHEMA advice_views");
  admin.query(
      "CREATE TABLE advice_views.posts (id bigint NOT NULL, user_id int NOT NULL, title text NOT NULL,"
      " created_at timestamptz NOT NULL)");
  admin.query(
      "INSERT INTO advice_views.posts SELECT g, 1 + (g::bigint * 7919) % 20000, 'post ' || g,"
      " timestamptz '2024-01-01' + (g % 100000) * interval '1 minute' FROM generate_series(1, 200000) AS g");
  admin.query("ANALYZE advice_views.posts");
  admin.query(
      "CREATE VIEW advice_views.posts_view AS SELECT id AS view_id, user_id AS author, title"
      " FROM advice_views.posts");
}

bool leads_with(const Advice& a, const std::string& column) {
  return std::any_of(a.indexes.begin(), a.indexes.end(), [&](const IndexAdvice& i) {
    return i.index.table.name == "posts" && !i.index.keys.empty() && i.index.keys.front().column == column;
  });
}

}  // namespace

TEST_CASE("a filter through a view or an inlined CTE is advised an index on the table", "[advisor][views][live]") {
  make_schema();
  const auto advice = advise_on_text(
      "SELECT * FROM advice_views.posts_view WHERE author = 42;"
      "SELECT * FROM advice_views.posts_view WHERE author = 4242;"
      "WITH x AS (SELECT * FROM advice_views.posts) SELECT * FROM x WHERE id = 31337;"
      "WITH x AS NOT MATERIALIZED (SELECT * FROM advice_views.posts) SELECT * FROM x WHERE id = 777;");
  const auto defs = definitions(advice);
  INFO(Catch::StringMaker<std::vector<std::string>>::convert(defs));
  CHECK(leads_with(advice, "user_id"));
  CHECK(leads_with(advice, "id"));
  // Each index is there for the statements that name the view or the CTE.
  for (const auto& index : advice.indexes) CHECK_FALSE(index.queries.empty());
  CHECK(advice.cost_after < advice.cost_before / 10);
}

TEST_CASE("a filter outside a MATERIALIZED CTE or on a subquery's LIMIT gets no index", "[advisor][views][live]") {
  make_schema();
  const auto advice = advise_on_text(
      "WITH x AS MATERIALIZED (SELECT * FROM advice_views.posts) SELECT * FROM x WHERE user_id = 42;"
      "SELECT * FROM (SELECT * FROM advice_views.posts LIMIT 100000) s WHERE s.id = 7;");
  INFO(Catch::StringMaker<std::vector<std::string>>::convert(definitions(advice)));
  CHECK(advice.indexes.empty());
}
