// `pgadvisor shadow create` with hostile names in the source (names that once ran COPY … TO PROGRAM on the target
// through a template's comment) and with system databases as targets (refused, left unchanged).
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "pg/connection.hpp"
#include "pg/quote.hpp"
#include "pg/sandbox.hpp"
#include "test_support.hpp"

using pgadvisor::pg::Connection;
using pgadvisor::pg::quote_identifier;
using pgadvisor::pg::quote_qualified;
using pgadvisor::test::run_pgadvisor;

namespace {

std::string sandbox_dsn() { return pgadvisor::pg::Sandbox(pgadvisor::test::sandbox_dir()).dsn(); }
std::string dsn_of(const std::string& database) { return sandbox_dsn() + " dbname=" + database; }

struct Table {
  std::string schema;
  std::string name;
};

int64_t rows_of(Connection& conn, const Table& t) {
  return std::stoll(conn.query("SELECT count(*) FROM " + quote_qualified(t.schema, t.name)).get<std::string>(0, 0));
}

bool has_table(Connection& conn, const Table& t) {
  return conn.query(
                 "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                 "WHERE n.nspname = $1 AND c.relname = $2",
                 t.schema, t.name)
             .get<std::string>(0, 0) == "1";
}

// What a database holds that shadow create could have changed: its settings and its relations.
std::string database_state(const std::string& database) {
  auto conn = Connection::open(dsn_of(database));
  auto settings = conn.query(
      "SELECT coalesce(string_agg(array_to_string(s.setconfig, ','), ';'), '') FROM pg_db_role_setting s "
      "JOIN pg_database d ON d.oid = s.setdatabase WHERE d.datname = current_database()");
  auto relations = conn.query(
      "SELECT coalesce(string_agg(n.nspname || '.' || c.relname, ',' ORDER BY 1), '') FROM pg_class c "
      "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') "
      "AND n.nspname NOT LIKE 'pg\\_toast%'");
  return "settings: " + settings.get<std::string>(0, 0) + "; relations: " + relations.get<std::string>(0, 0);
}

}  // namespace

TEST_CASE("shadow create copies tables with hostile names exactly and runs nothing of them", "[cli][shadow][live]") {
  // Files a shell command would create, if any name were ever run as SQL (the sandbox server runs them).
  std::string pid = std::to_string(getpid());
  const std::vector<std::string> canaries = {"/tmp/pgadv-" + pid + "-1", "/tmp/pgadv-" + pid + "-2"};
  for (const auto& f : canaries) std::filesystem::remove(f);

  // The issue's name; a schema and table that turn the old copy_in's comment into COPY (SELECT $z$…$z$ ".") TO
  // PROGRAM; a table named like a placeholder with hostile columns; a foreign key over hostile column names; a
  // 63-byte name (the longest PostgreSQL keeps) of two-byte characters.
  const Table issue{"public", "a\nCOPY (SELECT 1) TO PROGRAM 'touch " + canaries[0] + "'--"};
  const Table comment_breaker{"\nCOPY (SELECT $z$", ") TO PROGRAM 'touch " + canaries[1] + "' --"};
  const Table placeholder{"public", "{columns}"};
  const Table parent{"we\"ird.schema", "p'; DROP TABLE x; --"};
  const Table child{"public", "child\n/* */ ? * ."};
  std::string long_name;
  while (long_name.size() < 62) long_name += "é";
  long_name += "x";
  const Table longest{"public", long_name};
  REQUIRE(issue.name.size() <= 63);
  REQUIRE(comment_breaker.name.size() <= 63);
  REQUIRE(longest.name.size() == 63);
  const std::string key_column = "k\"ey */--";

  {
    auto admin = Connection::open(sandbox_dsn());
    admin.query("DROP DATABASE IF EXISTS cli_hostile_src WITH (FORCE)");
    admin.query("CREATE DATABASE cli_hostile_src");
  }
  {
    auto src = Connection::open(dsn_of("cli_hostile_src"));
    src.query("CREATE SCHEMA " + quote_identifier(comment_breaker.schema));
    src.query("CREATE SCHEMA " + quote_identifier(parent.schema));
    src.query("CREATE TABLE " + quote_qualified(issue.schema, issue.name) + " (id int PRIMARY KEY, v text)");
    src.query("INSERT INTO " + quote_qualified(issue.schema, issue.name) +
              " SELECT g, 'v' || g FROM generate_series(1, 50) g");
    src.query("CREATE TABLE " + quote_qualified(comment_breaker.schema, comment_breaker.name) + " (id int)");
    src.query("INSERT INTO " + quote_qualified(comment_breaker.schema, comment_breaker.name) +
              " SELECT generate_series(1, 7)");
    src.query("CREATE TABLE " + quote_qualified(placeholder.schema, placeholder.name) + " (" +
              quote_identifier("*/--") + " int, " + quote_identifier("x\"y\nz") + " text, " + quote_identifier("名前") +
              " text)");
    src.query("INSERT INTO " + quote_qualified(placeholder.schema, placeholder.name) +
              " SELECT g, 'x', '名' FROM generate_series(1, 30) g");
    src.query("CREATE TABLE " + quote_qualified(parent.schema, parent.name) + " (" + quote_identifier(key_column) +
              " int PRIMARY KEY)");
    src.query("INSERT INTO " + quote_qualified(parent.schema, parent.name) + " SELECT generate_series(1, 400)");
    src.query("CREATE TABLE " + quote_qualified(child.schema, child.name) + " (id int, " +
              quote_identifier(key_column) + " int REFERENCES " + quote_qualified(parent.schema, parent.name) + ")");
    src.query("INSERT INTO " + quote_qualified(child.schema, child.name) +
              " SELECT g, 1 + g % 400 FROM generate_series(1, 2000) g");
    src.query("CREATE TABLE " + quote_qualified(longest.schema, longest.name) + " (id int)");
    src.query("INSERT INTO " + quote_qualified(longest.schema, longest.name) + " VALUES (1), (2)");
  }
  const std::vector<Table> all = {issue, comment_breaker, placeholder, parent, child, longest};
  std::string source = dsn_of("cli_hostile_src");
  std::string target = dsn_of("cli_hostile_dst");

  SECTION("whole tables, under their exact names") {
    auto created =
        run_pgadvisor({"shadow", "create", "--from", source, "--target", target, "--replace", "--format", "json"});
    INFO(created.err);
    CHECK(created.exit_code == 0);
    auto src = Connection::open(source);
    auto dst = Connection::open(target);
    for (const auto& t : all) {
      INFO(t.schema << "." << t.name);
      REQUIRE(has_table(dst, t));
      CHECK(rows_of(dst, t) == rows_of(src, t));
    }
    CHECK(nlohmann::json::parse(created.out)["tables"].size() == all.size());
  }
  SECTION("sampled, the hostile foreign key's orphans removed") {
    auto created = run_pgadvisor({"shadow", "create", "--from", source, "--target", target, "--replace", "--sample",
                                  "50", "--sample-min-size", "0"});
    INFO(created.err);
    CHECK(created.exit_code == 0);
    auto dst = Connection::open(target);
    for (const auto& t : all) REQUIRE(has_table(dst, t));
    CHECK(rows_of(dst, parent) < 400);
    auto orphans =
        dst.query("SELECT count(*) FROM " + quote_qualified(child.schema, child.name) +
                  " AS c WHERE NOT EXISTS (SELECT FROM " + quote_qualified(parent.schema, parent.name) +
                  " AS p WHERE p." + quote_identifier(key_column) + " = c." + quote_identifier(key_column) + ")");
    CHECK(orphans.get<std::string>(0, 0) == "0");
  }
  SECTION("a table selection whose schemas have hostile names") {
    auto created = run_pgadvisor(
        {"shadow", "create", "--from", source, "--target", target, "--replace", "--tables", "*.*\"PROGRAM\"*"});
    INFO(created.err);
    CHECK(created.exit_code == 0);
    auto dst = Connection::open(target);
    CHECK(has_table(dst, issue));
    CHECK(has_table(dst, comment_breaker));
    CHECK(rows_of(dst, comment_breaker) == 7);
    CHECK_FALSE(has_table(dst, placeholder));
  }
  for (const auto& f : canaries) {
    INFO(f);
    CHECK_FALSE(std::filesystem::exists(f));
  }
}

TEST_CASE("shadow create refuses system databases and user databases, and leaves them unchanged",
          "[cli][shadow][live]") {
  {
    auto admin = Connection::open(sandbox_dsn());
    admin.query("DROP DATABASE IF EXISTS cli_refuse_user WITH (FORCE)");
    admin.query("CREATE DATABASE cli_refuse_user");
    admin.query("DROP DATABASE IF EXISTS cli_refuse_src WITH (FORCE)");
    admin.query("CREATE DATABASE cli_refuse_src");
    if (admin.query("SELECT 1 FROM pg_database WHERE datname = 'cli_refuse_tpl'").rows() == 1) {
      admin.query("ALTER DATABASE cli_refuse_tpl IS_TEMPLATE false");
      admin.query("DROP DATABASE cli_refuse_tpl");
    }
    admin.query("CREATE DATABASE cli_refuse_tpl IS_TEMPLATE true");
  }
  Connection::open(dsn_of("cli_refuse_user")).query("CREATE TABLE accounts (id int)");
  Connection::open(dsn_of("cli_refuse_src")).query("CREATE TABLE items (id int)");

  struct Case {
    std::string database;
    std::string reason;
  };
  const std::vector<Case> cases = {
      {"template1", "refusing to copy into database template1: it is a template database"},
      {"postgres", "refusing to copy into database postgres: it is the server's maintenance database"},
      {"cli_refuse_tpl", "refusing to copy into database cli_refuse_tpl: it is a template database"},
      {"cli_refuse_user", "refusing to copy into database cli_refuse_user: it holds 1 table(s)"},
  };
  for (const auto& c : cases) {
    INFO(c.database);
    auto before = database_state(c.database);
    auto run = run_pgadvisor(
        {"shadow", "create", "--from", dsn_of("cli_refuse_src"), "--target", dsn_of(c.database), "--replace"});
    CHECK(run.exit_code == 2);
    CHECK_THAT(run.err, Catch::StartsWith("pgadvisor: error: " + c.reason));
    CHECK(std::count(run.err.begin(), run.err.end(), '\n') == 1);
    CHECK(database_state(c.database) == before);
  }
  // A template or postgres carrying the mark by hand is still refused by bench.
  auto admin = Connection::open(sandbox_dsn());
  admin.query("ALTER DATABASE cli_refuse_tpl SET pgadvisor.shadow_of = '1/cli_refuse_src'");
  pgadvisor::test::TempDir tmp;
  auto script = (tmp.path() / "script.sql").string();
  auto queries = (tmp.path() / "queries.sql").string();
  std::ofstream(script) << "CREATE INDEX ON items (id);\n";
  std::ofstream(queries) << "SELECT 1;\n";
  auto bench = run_pgadvisor(
      {"bench", "--shadow", dsn_of("cli_refuse_tpl"), "--script", script, "--queries", queries, "--no-store"});
  CHECK(bench.exit_code == 2);
  CHECK_THAT(bench.err, Catch::Contains("refusing to use database cli_refuse_tpl as the shadow: it is a template"));
  admin.query("ALTER DATABASE cli_refuse_tpl IS_TEMPLATE false");
  admin.query("DROP DATABASE cli_refuse_tpl");
}
