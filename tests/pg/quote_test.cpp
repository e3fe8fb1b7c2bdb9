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

TEST_CASE("comment text has no line break, control or invisible character left", "[pg][quote]") {
  using pgadvisor::pg::comment_line;
  using pgadvisor::pg::comment_text;
  CHECK(comment_text("plain text; 'quotes' \"too\" -- /* */") == "plain text; 'quotes' \"too\" -- /* */");
  CHECK(comment_text("a\nDROP TABLE victim; --") == "a\\nDROP TABLE victim; --");
  CHECK(comment_text("a\r\nb\tc") == "a\\r\\nb\\tc");
  CHECK(comment_text(std::string("nul\0bell\a\x0b\x0c\x1b\x7f", 13)) == "nul\\x00bell\\x07\\x0B\\x0C\\x1B\\x7F");
  CHECK(comment_text("a\u2028b\u2029c\u0085d") == "a\\u2028b\\u2029c\\u0085d");
  CHECK(comment_text("rtl\u202eevil\u200b\ufeff") == "rtl\\u202Eevil\\u200B\\uFEFF");
  CHECK(comment_text("naïve 日本 back\\slash") == "naïve 日本 back\\slash");  // printable text and backslashes kept
  CHECK(comment_text("bad \xc3 utf8 \xff\xe2\x80") == "bad \\xC3 utf8 \\xFF\\xE2\\x80");
  CHECK(comment_text("\xc0\xaf overlong, \xed\xa0\x80 surrogate") == "\\xC0\\xAF overlong, \\xED\\xA0\\x80 surrogate");
  CHECK(comment_line("x\ny") == "-- x\\ny\n");
}

TEST_CASE("printable quoting writes the same name with escapes instead of raw line breaks", "[pg][quote]") {
  using pgadvisor::pg::quote_identifier_printable;
  using pgadvisor::pg::quote_literal_printable;
  using pgadvisor::pg::quote_qualified_printable;
  CHECK(quote_identifier_printable("orders") == "orders");
  CHECK(quote_identifier_printable("Naïve \"x\"") == "\"Naïve \"\"x\"\"\"");  // nothing to escape: quote_identifier
  CHECK(quote_identifier_printable("nl\nDROP TABLE victim; --") == "U&\"nl\\000ADROP TABLE victim; --\"");
  CHECK(quote_identifier_printable("a\\b\"c\u2028") == "U&\"a\\\\b\"\"c\\2028\"");
  CHECK(quote_qualified_printable("s\r", "t") == "U&\"s\\000D\".t");
  CHECK_THROWS_AS(quote_identifier_printable(""), std::invalid_argument);
  CHECK_THROWS_AS(quote_identifier_printable(std::string("a\0\n", 3)), std::invalid_argument);
  CHECK(quote_literal_printable("it's") == "'it''s'");
  CHECK(quote_literal_printable("a\nb'\\c\x01\u2028") == "E'a\\nb''\\\\c\\x01\\u2028'");
  CHECK_THROWS_AS(quote_literal_printable(std::string("a\0", 2)), std::invalid_argument);
}

TEST_CASE("a dollar quote's tag never occurs in its body", "[pg][quote]") {
  using pgadvisor::pg::dollar_quote;
  CHECK(dollar_quote(" BEGIN END ") == "$pgadvisor$ BEGIN END $pgadvisor$");
  CHECK(dollar_quote("x $pgadvisor$; DROP TABLE victim; --") ==
        "$pgadvisor1$x $pgadvisor$; DROP TABLE victim; --$pgadvisor1$");
  // The body's end and the closing tag would run together into an earlier closing tag.
  CHECK(dollar_quote("x$pgadvisor") == "$pgadvisor1$x$pgadvisor$pgadvisor1$");
  CHECK(dollar_quote("$pgadvisor$ $pgadvisor1$") == "$pgadvisor2$$pgadvisor$ $pgadvisor1$$pgadvisor2$");
  CHECK_THROWS_AS(dollar_quote(std::string("a\0", 2)), std::invalid_argument);
}

TEST_CASE("printable quoting round-trips through the server", "[pg][quote][live]") {
  using pgadvisor::pg::dollar_quote;
  using pgadvisor::pg::quote_identifier_printable;
  using pgadvisor::pg::quote_literal_printable;
  auto conn = pgadvisor::pg::Connection::open(pgadvisor::pg::Sandbox(pgadvisor::test::sandbox_dir()).dsn());
  for (std::string s :
       {"orders", "nl\nDROP TABLE victim; --", "cr\r\n", "tab\tvt\x0b", "esc\x1b[31m", "ls\u2028ps\u2029", "nel\u0085",
        "rtl\u202e", "zw\u200b\ufeff", "back\\slash\n", "quote\"'\n", "日本\n"}) {
    INFO(s);
    CHECK(conn.query("SELECT " + quote_literal_printable(s)).get<std::string>(0, 0) == s);
    CHECK(conn.query("SELECT 1 AS " + quote_identifier_printable(s)).column_name(0) == s);
    CHECK(conn.query("DO " + dollar_quote("BEGIN PERFORM " + quote_literal_printable(s) + "; END")).rows() == 0);
  }
}
