// The gate's queries file: names, params and budgets, statements spanning lines, and one clear error per mistake.
#include "gate/query_file.hpp"

#include <catch2/catch.hpp>

using namespace pgadvisor::gate;
using pgadvisor::pg::Param;

namespace {

//! The message of the std::invalid_argument that parsing `text` throws ("" when it does not throw).
std::string error_of(std::string_view text) {
  try {
    parse_queries(text, "q.sql");
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("gate: a queries file with names, params and budgets", "[gate][query_file]") {
  auto queries = parse_queries(R"(-- Queries guarded in CI.

-- name: job_matching
-- params: 42, 'pending'
-- params: 7, 'it''s done'
-- budget: p95 < 50ms
-- budget: buffers < 1000
-- budget: plan: no Seq Scan on orders
SELECT *
  FROM jobs   -- the hot table
 WHERE customer_id = $1
   AND status = $2;

-- name: count_all
-- budget: mean < 500us
SELECT count(*) FROM jobs
)",
                               "queries.sql");
  REQUIRE(queries.size() == 2);
  const auto& q = queries[0];
  CHECK(q.name == "job_matching");
  CHECK(q.origin == "queries.sql:3");
  CHECK(q.sql == "SELECT *\n  FROM jobs   -- the hot table\n WHERE customer_id = $1\n   AND status = $2");
  REQUIRE(q.params.size() == 2);
  CHECK(q.params[0] == std::vector<Param>{"42", "pending"});
  CHECK(q.params[1] == std::vector<Param>{"7", "it's done"});
  REQUIRE(q.budgets.size() == 3);
  CHECK(q.budgets[0].kind == Budget::Kind::Time);
  CHECK(q.budgets[0].statistic == "p95");
  CHECK(q.budgets[0].limit == 50);
  CHECK(q.budgets[0].text == "p95 < 50ms");
  CHECK(q.budgets[1].kind == Budget::Kind::Buffers);
  CHECK(q.budgets[1].limit == 1000);
  CHECK(q.budgets[2].kind == Budget::Kind::NoNode);
  CHECK(q.budgets[2].node == "Seq Scan");
  CHECK(q.budgets[2].relation == "orders");

  CHECK(queries[1].name == "count_all");
  CHECK(queries[1].sql == "SELECT count(*) FROM jobs");
  CHECK(queries[1].params.empty());
  CHECK(queries[1].budgets[0].statistic == "mean");
  CHECK(queries[1].budgets[0].limit == Approx(0.5));
}

TEST_CASE("gate: params literals are numbers, quoted strings, NULL and booleans", "[gate][query_file]") {
  CHECK(parse_params("42, -1.5, 1e3, .5") == std::vector<Param>{"42", "-1.5", "1e3", ".5"});
  CHECK(parse_params("NULL, null, TRUE, false") == std::vector<Param>{std::nullopt, std::nullopt, "true", "false"});
  CHECK(parse_params("'a, b', '', 'O''Brien', 'ünïcode'") == std::vector<Param>{"a, b", "", "O'Brien", "ünïcode"});
  CHECK_THROWS_WITH(parse_params("42, pending"), Catch::Contains("bad literal 'pending'"));
  CHECK_THROWS_WITH(parse_params("'open"), Catch::Contains("bad literal"));
  CHECK_THROWS_WITH(parse_params("1,,2"), Catch::Contains("(empty)"));
  CHECK_THROWS_WITH(parse_params("1,"), Catch::Contains("(empty)"));
  CHECK_THROWS_WITH(parse_params("'a' 'b'"), Catch::Contains("bad literal ''b''"));
  CHECK_THROWS_WITH(parse_params("1e"), Catch::Contains("bad literal '1e'"));
}

TEST_CASE("gate: budgets of each kind, and what is refused", "[gate][query_file]") {
  CHECK(parse_budget("p50 < 2ms").statistic == "median");
  CHECK(parse_budget("median < 2ms").limit == 2);
  CHECK(parse_budget("p99 < 1.5s").limit == 1500);
  CHECK(parse_budget("p90 < 10 ms").statistic == "p90");
  CHECK(parse_budget("max < 250us").limit == Approx(0.25));
  CHECK(parse_budget("plan: no Seq Scan").relation.empty());
  CHECK(parse_budget("plan: no index only scan on public.\"Orders\"").node == "Index Only Scan");
  CHECK(parse_budget("plan: no index only scan on public.\"Orders\"").relation == "public.Orders");
  CHECK(parse_budget("plan: NO Hash Join").node == "Hash Join");

  CHECK_THROWS_WITH(parse_budget("p95 < 50"), Catch::Contains("unit"));
  CHECK_THROWS_WITH(parse_budget("p95 < 50min"), Catch::Contains("unit"));
  CHECK_THROWS_WITH(parse_budget("p100 < 50ms"), Catch::Contains("unknown statistic 'p100'"));
  CHECK_THROWS_WITH(parse_budget("stddev < 5ms"), Catch::Contains("unknown statistic"));
  CHECK_THROWS_WITH(parse_budget("p95 <= 50ms"), Catch::Contains("write `<`"));
  CHECK_THROWS_WITH(parse_budget("p95 > 50ms"), Catch::Contains("no `<`"));
  CHECK_THROWS_WITH(parse_budget("buffers < lots"), Catch::Contains("number of 8 kB buffers"));
  CHECK_THROWS_WITH(parse_budget("plan: no Seq Scans on t"), Catch::Contains("unknown node type 'Seq Scans'"));
  CHECK_THROWS_WITH(parse_budget("plan: Seq Scan"), Catch::Contains("starts with `no`"));
}

TEST_CASE("gate: statements keep -- and semicolons inside literals, dollar quotes and block comments",
          "[gate][query_file]") {
  auto queries = parse_queries(R"(-- name: tricky
SELECT 'a -- not a comment; nor an end',
       $$ -- name: not_a_name ; $$,
       $fn$ it's
-- params: not params
$fn$,
       E'\'; still a string',
       "odd;column" /* a ; comment
-- name: still_comment
*/
  FROM t;
)",
                               "q.sql");
  REQUIRE(queries.size() == 1);
  CHECK(queries[0].params.empty());
  CHECK(queries[0].sql.find("-- params: not params") != std::string::npos);
  CHECK(queries[0].sql.find("-- name: still_comment") != std::string::npos);
  CHECK(queries[0].sql.ends_with("  FROM t"));
}

TEST_CASE("gate: unicode names, sqlc names, CRLF and a statement without a final semicolon", "[gate][query_file]") {
  auto queries = parse_queries(
      "-- name: commandes_clients_été\r\nSELECT 1\r\n\r\n-- name: GetAuthor :one\r\n"
      "-- params: 1\r\nSELECT * FROM authors WHERE id = $1 LIMIT 1;\r\n",
      "q.sql");
  REQUIRE(queries.size() == 2);
  CHECK(queries[0].name == "commandes_clients_été");
  CHECK(queries[0].sql == "SELECT 1");
  CHECK(queries[1].name == "GetAuthor");
  CHECK(queries[1].sql == "SELECT * FROM authors WHERE id = $1 LIMIT 1");
  CHECK(queries[1].origin == "q.sql:4");
}

TEST_CASE("gate: identifiers holding $ are no placeholders", "[gate][query_file]") {
  auto queries = parse_queries("-- name: q\nSELECT a$1 FROM t$2\n", "q.sql");
  CHECK(queries[0].params.empty());
}

TEST_CASE("gate: each mistake in a queries file says where and what to do", "[gate][query_file]") {
  CHECK(error_of("SELECT 1;\n") == "q.sql:1: a statement without a name: put `-- name: <name>` above it");
  CHECK(error_of("-- a comment\n\n-- name: a\n") ==
        "q.sql:3: the name 'a' has no statement: write the statement below it");
  CHECK(error_of("-- name: a\n-- name: b\nSELECT 1\n") ==
        "q.sql:1: the name 'a' has no statement: write the statement below it");
  CHECK(error_of("-- name: a\nSELECT 1;\n-- name: a\nSELECT 2;\n") ==
        "q.sql:3: duplicate name 'a' (first at q.sql:1): give each query its own name");
  CHECK(error_of("-- name: a\nSELECT 1;\nSELECT 2;\n") ==
        "q.sql:3: a second statement under the name 'a' (line 1): give each statement its own `-- name:`");
  CHECK(error_of("-- name: a\nSELECT 1; SELECT 2\n").starts_with("q.sql:2: a second statement"));
  CHECK_THAT(error_of("-- name: a\n-- budget: p90th < 5ms\nSELECT 1\n"),
             Catch::StartsWith("q.sql:2: budget 'p90th < 5ms': unknown statistic 'p90th'"));
  CHECK_THAT(error_of("-- name: a\n-- params: 1, two\nSELECT $1, $2\n"),
             Catch::StartsWith("q.sql:2: bad literal 'two'"));
  CHECK(error_of("-- name: a\n-- params: 1, 'x'\n-- params: 2\nSELECT $1, $2\n") ==
        "q.sql:3: this params line has 1 values, the one at line 2 has 2: every set gives each $n a value");
  CHECK(error_of("-- name: a\nSELECT * FROM t WHERE id = $1\n") ==
        "q.sql:1: 'a' uses $1 but has no `-- params:` line: add one with 1 value, e.g. `-- params: 42, 'pending'`");
  CHECK(error_of("-- name: a\n-- params: 1\nSELECT $1, $2\n") ==
        "q.sql:2: 'a' uses $2 but its params lines give 1 value: give one value per $n");
  CHECK(error_of("-- name: a\n-- params: 1\nSELECT 1\n") ==
        "q.sql:2: 'a' has params but its statement uses no $n: remove the params lines or use $1…");
  CHECK(error_of("-- params: 1\n-- name: a\nSELECT $1\n") ==
        "q.sql:1: `-- params:` before any `-- name:`: put it under the query's name");
  CHECK(error_of("-- name: a\n-- params:\nSELECT $1\n").starts_with("q.sql:2: an empty params line"));
  CHECK(error_of("-- name: job matching\nSELECT 1\n") ==
        "q.sql:1: the name 'job matching' holds spaces: use one word, e.g. job_matching");
  CHECK(error_of("-- name:\nSELECT 1\n") == "q.sql:1: an empty name: write `-- name: <name>`");
  CHECK(error_of("-- name: a\nSELECT 1,\n'open\n-- name: b\nSELECT 2\n") ==
        "q.sql:3: a string, quoted identifier, dollar quote or block comment opened here is never closed");
  CHECK(error_of("").empty());
  CHECK(parse_queries("-- only comments\n\n", "q.sql").empty());
}

TEST_CASE("gate: directives after the statement still belong to its name", "[gate][query_file]") {
  auto queries = parse_queries("-- name: a\nSELECT $1;\n-- params: 5\n-- budget: max < 1s\n", "q.sql");
  REQUIRE(queries.size() == 1);
  CHECK(queries[0].params.size() == 1);
  CHECK(queries[0].budgets.size() == 1);
}
