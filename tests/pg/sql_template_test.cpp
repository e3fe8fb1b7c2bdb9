// pg::fill_template and pg::SqlFragment: placeholders only where SQL code stands, values only from the quoting
// helpers, one-pass substitution; and every embedded sql/ text is free of placeholders in comments and literals.
#include "pg/sql_template.hpp"

#include <limits>
#include <set>

#include <catch2/catch.hpp>

#include "sql/embedded.hpp"

using pgadvisor::pg::fill_template;
using pgadvisor::pg::scan_template;
using pgadvisor::pg::SqlFragment;

namespace {

std::vector<std::string> placeholder_names(std::string_view text) {
  std::vector<std::string> out;
  for (const auto& p : scan_template(text).placeholders) out.push_back(p.name);
  return out;
}

}  // namespace

TEST_CASE("SqlFragment is made only by the quoting helpers and numbers", "[pg][sql_template]") {
  CHECK(SqlFragment::identifier("orders").sql() == "orders");
  CHECK(SqlFragment::identifier("a\"b\nc").sql() == "\"a\"\"b\nc\"");
  CHECK(SqlFragment::qualified("public", "Order").sql() == "public.\"Order\"");
  CHECK(SqlFragment::qualified("c", "select").sql() == "c.\"select\"");
  CHECK(SqlFragment::literal("it's").sql() == "'it''s'");
  CHECK(SqlFragment::literal("a\\b").sql() == "E'a\\\\b'");
  CHECK(SqlFragment::integer(-42).sql() == "-42");
  CHECK(SqlFragment::number(12.5).sql() == "12.5");
  CHECK(SqlFragment::number(0.0001).sql() == "0.0001");
  CHECK_THROWS_AS(SqlFragment::number(std::numeric_limits<double>::quiet_NaN()), std::invalid_argument);
  CHECK_THROWS_AS(SqlFragment::number(std::numeric_limits<double>::infinity()), std::invalid_argument);
  CHECK(SqlFragment::identifiers({"a", "B", "c d"}).sql() == "a, \"B\", \"c d\"");
  CHECK(SqlFragment::qualified_identifiers("p", {"x", "Y"}).sql() == "p.x, p.\"Y\"");
  CHECK_THROWS_AS(SqlFragment::identifiers({}), std::invalid_argument);
  CHECK_THROWS_AS(SqlFragment::identifier(""), std::invalid_argument);
  CHECK_THROWS_AS(SqlFragment::identifier(std::string("a\0b", 3)), std::invalid_argument);
  CHECK_THROWS_AS(SqlFragment::qualified("", "t"), std::invalid_argument);
}

TEST_CASE("scan_template finds placeholders in SQL code only", "[pg][sql_template]") {
  CHECK(placeholder_names("COPY {table} ({columns}) FROM STDIN") == std::vector<std::string>{"table", "columns"});
  CHECK(scan_template("SELECT $1, $2::int, a$b FROM t WHERE x = {value}").problems.empty());
  CHECK(placeholder_names("SELECT '{a,b}', '{}', $x${not_a}$x$ -- {}\nFROM {t}") == std::vector<std::string>{"t"});
  CHECK(scan_template("SELECT '{a,b}', '{}' FROM t").problems.empty());
  CHECK(scan_template("SELECT E'\\'', 'it''s', \"a\"\"b\" FROM t /* a /* nested */ comment */").problems.empty());
}

TEST_CASE("scan_template refuses placeholders in comments, literals and quoted identifiers", "[pg][sql_template]") {
  struct Case {
    const char* text;
    const char* problem;
  };
  const Case cases[] = {
      {"-- A template: {table}\nCOPY {table} FROM STDIN", "line 1: placeholder {table} inside a comment"},
      {"/* {table} */ ANALYZE {table}", "line 1: placeholder {table} inside a comment"},
      {"/* a /* nested */\n {table} */ ANALYZE {table}", "line 2: placeholder {table} inside a comment"},
      {"SELECT '{value}'", "line 1: placeholder {value} inside a string literal"},
      {"SELECT E'\\' {value}'", "line 1: placeholder {value} inside a string literal"},
      {"SELECT 'it''s {value}'", "line 1: placeholder {value} inside a string literal"},
      {"SELECT \"{column}\" FROM t", "line 1: placeholder {column} inside a quoted identifier"},
      {"SELECT $$ {value} $$", "line 1: placeholder {value} inside a dollar-quoted string"},
      {"SELECT $q$ $$ {value} $q$", "line 1: placeholder {value} inside a dollar-quoted string"},
      {"SELECT {Table}", "line 1: a '{' that is not a placeholder {name}"},
      {"SELECT 'open", "line 1: unterminated string literal"},
      {"SELECT 1 /* open", "line 1: unterminated /* comment"},
  };
  for (const auto& c : cases) {
    INFO(c.text);
    auto scan = scan_template(c.text);
    REQUIRE(!scan.problems.empty());
    CHECK(scan.problems.front() == c.problem);
  }
}

TEST_CASE("fill_template substitutes in one pass and checks its values", "[pg][sql_template]") {
  // A value that looks like a placeholder stays as it is (the old filler replaced {columns} inside a table name).
  CHECK_THAT(fill_template("shadow/copy_in", {{"table", SqlFragment::qualified("s", "{columns}")},
                                              {"columns", SqlFragment::identifiers({"a"})}}),
             Catch::EndsWith("\nCOPY s.\"{columns}\" (a) FROM STDIN\n"));
  CHECK_THROWS_WITH(fill_template("shadow/copy_in", {{"table", SqlFragment::qualified("s", "t")}}),
                    "sql/shadow/copy_in.sql: line 3: no value for {columns}");
  CHECK_THROWS_WITH(fill_template("shadow/create_schema",
                                  {{"schema", SqlFragment::identifier("s")}, {"table", SqlFragment::identifier("t")}}),
                    "sql/shadow/create_schema.sql: no placeholder {table} for its value");
  CHECK_THROWS_AS(fill_template("shadow/no_such_template", {}), std::out_of_range);
}

TEST_CASE("no embedded SQL text has a placeholder in a comment or literal", "[pg][sql_template][sql]") {
  // The one exception is a SQLite migration (never a template, never sent to PostgreSQL) whose column default is
  // the PostgreSQL array literal '{public}'; migrations are not edited once released.
  const std::set<std::string_view> sqlite_array_defaults = {"store/migrations/0021_snapshot_search_path"};
  size_t templates = 0;
  for (const auto& t : pgadvisor::sql::all()) {
    if (sqlite_array_defaults.count(t.name) != 0) continue;
    INFO("sql/" << t.name << ".sql");
    auto scan = scan_template(t.text);
    CHECK(scan.problems == std::vector<std::string>{});
    if (!scan.placeholders.empty()) ++templates;
  }
  CHECK(templates == 19);  // shadow/ 8, bench/ 8, snapshot/ 2, store/ 1: each filled by pg::fill_template
  CHECK(scan_template(pgadvisor::sql::text("store/migrations/0021_snapshot_search_path")).problems.size() == 1);
}
