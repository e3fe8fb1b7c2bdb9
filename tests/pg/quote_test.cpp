// Identifier and literal quoting, checked against fixed expectations and (live) against the server's own
// quote_ident()/quote_literal() and what the server reads back.
#include "pg/quote.hpp"

#include <catch2/catch.hpp>

#include "pg/connection.hpp"
#include "pg/sandbox.hpp"
#include "test_support.hpp"

using pgadvisor::pg::quote_identifier;
using pgadvisor::pg::quote_literal;

TEST_CASE("identifiers are bare only when PostgreSQL would leave them bare", "[pg][quote]") {
  struct Case {
    std::string in, out;
  };
  auto c = GENERATE(values<Case>({
      {"orders", "orders"},
      {"order_items2", "order_items2"},
      {"_x$1", "_x$1"},
      {"Orders", "\"Orders\""},  // mixed case
      {"camelCase", "\"camelCase\""},
      {"a\"b", "\"a\"\"b\""},  // embedded quote
      {"\"", "\"\"\"\""},
      {"select", "\"select\""},  // reserved
      {"user", "\"user\""},
      {"order", "\"order\""},
      {"between", "\"between\""},  // col_name keyword
      {"name", "name"},            // unreserved keyword: bare, as quote_ident() does
      {"naïve", "\"naïve\""},      // non-ASCII
      {"日本", "\"日本\""},
      {"1abc", "\"1abc\""},
      {"with space", "\"with space\""},
      {"semi;colon", "\"semi;colon\""},
  }));
  CHECK(quote_identifier(c.in) == c.out);
}

TEST_CASE("qualified names quote each part", "[pg][quote]") {
  CHECK(pgadvisor::pg::quote_qualified("public", "orders") == "public.orders");
  CHECK(pgadvisor::pg::quote_qualified("Sales", "order") == "\"Sales\".\"order\"");
  CHECK(pgadvisor::pg::quote_qualified("", "t") == "t");
}

TEST_CASE("literals double quotes and backslashes", "[pg][quote]") {
  CHECK(quote_literal("plain") == "'plain'");
  CHECK(quote_literal("it's") == "'it''s'");
  CHECK(quote_literal("a\\b") == "E'a\\\\b'");
  CHECK(quote_literal("'; DROP TABLE x; --") == "'''; DROP TABLE x; --'");
  CHECK(quote_literal("é€") == "'é€'");
  CHECK(quote_literal("") == "''");
}

TEST_CASE("empty names and NUL bytes are refused", "[pg][quote]") {
  CHECK_THROWS_AS(quote_identifier(""), std::invalid_argument);
  CHECK_THROWS_AS(quote_identifier(std::string("a\0b", 3)), std::invalid_argument);
  CHECK_THROWS_AS(quote_literal(std::string("a\0b", 3)), std::invalid_argument);
}

TEST_CASE("quoting agrees with the server and round-trips", "[pg][quote][live]") {
  auto conn = pgadvisor::pg::Connection::open(pgadvisor::pg::Sandbox(pgadvisor::test::sandbox_dir()).dsn());
  for (std::string s : {"orders", "Orders", "a\"b", "select", "user", "name", "naïve", "日本", "1abc", "x y", "it's",
                        "back\\slash", "'; DROP TABLE x; --"}) {
    INFO(s);
    CHECK(conn.query("SELECT quote_ident($1)", s).get<std::string>(0, 0) == quote_identifier(s));
    // What the server reads back from our literal is the value itself.
    CHECK(conn.query("SELECT " + quote_literal(s)).get<std::string>(0, 0) == s);
    // And our identifier names a column of exactly that name.
    auto r = conn.query("SELECT 1 AS " + quote_identifier(s));
    CHECK(r.column_name(0) == s);
  }
}
