// DSN validation and redaction: no password survives, in conninfo strings, URIs or invalid DSNs; a DSN's database
// and password, the same DSN with another database, and the password moved to a client program's environment.
#include "pg/dsn.hpp"

#include <catch2/catch.hpp>

#include "pg/client_tools.hpp"

using pgadvisor::pg::dsn_database;
using pgadvisor::pg::dsn_error;
using pgadvisor::pg::dsn_password;
using pgadvisor::pg::dsn_with_database;
using pgadvisor::pg::redact_dsn;
using pgadvisor::pg::tool_connection;

TEST_CASE("conninfo strings lose their password", "[pg][dsn]") {
  auto r = redact_dsn("host=db.example port=5433 dbname=shop user=alice password=hunter2");
  CHECK(r == "user=alice dbname=shop host=db.example port=5433");
  CHECK(redact_dsn("host=h password='with space' sslpassword=s3cret").find("s3cret") == std::string::npos);
  CHECK(redact_dsn("host=h password='with space'").find("space") == std::string::npos);
}

TEST_CASE("URIs lose their password", "[pg][dsn]") {
  auto r = redact_dsn("postgresql://alice:hunter2@db.example:5433/shop?sslmode=require");
  CHECK(r.find("hunter2") == std::string::npos);
  CHECK(r.find("user=alice") != std::string::npos);
  CHECK(r.find("sslmode=require") != std::string::npos);
  CHECK(redact_dsn("postgres://bob:pw%40x@h/db?password=other").find("other") == std::string::npos);
}

TEST_CASE("invalid DSNs are masked, not echoed", "[pg][dsn]") {
  CHECK(dsn_error("host=h password=hunter2 broken").has_value());
  CHECK(redact_dsn("host=h password=hunter2 broken").find("hunter2") == std::string::npos);
  CHECK(redact_dsn("postgresql://u:hunter2@h:notaport/db").find("hunter2") == std::string::npos);
  CHECK(redact_dsn("host=h PASSWORD = 'hunter2' x").find("hunter2") == std::string::npos);
}

TEST_CASE("valid and empty DSNs", "[pg][dsn]") {
  CHECK_FALSE(dsn_error("").has_value());
  CHECK_FALSE(dsn_error("service=mine").has_value());
  CHECK_FALSE(dsn_error("postgresql:///db").has_value());
  CHECK(dsn_error("foo").value().find("missing \"=\"") != std::string::npos);
  CHECK(redact_dsn("") == "(environment defaults)");
}

TEST_CASE("the database and password of a DSN, and the DSN with another database", "[pg][dsn]") {
  CHECK(dsn_database("host=h dbname=shop") == std::optional<std::string>("shop"));
  CHECK(dsn_database("postgresql://u@h:5432/shop") == std::optional<std::string>("shop"));
  CHECK_FALSE(dsn_database("host=h").has_value());
  CHECK(dsn_password("host=h password='s e'") == std::optional<std::string>("s e"));
  CHECK(dsn_password("postgresql://u:secret@h/shop") == std::optional<std::string>("secret"));
  CHECK_FALSE(dsn_password("host=h").has_value());
  auto other = dsn_with_database("postgresql://u:secret@h:5433/shop", "shop shadow");
  CHECK(dsn_database(other) == std::optional<std::string>("shop shadow"));
  CHECK(dsn_password(other) == std::optional<std::string>("secret"));
  CHECK_THAT(other, Catch::Contains("port=5433"));
}

TEST_CASE("client programs get the password in their environment, not on the command line", "[pg][dsn]") {
  auto c = tool_connection("postgresql://u:secret@h/shop");
  CHECK(c.dbname.find("secret") == std::string::npos);
  CHECK_THAT(c.dbname, Catch::Contains("dbname=shop"));
  CHECK(c.environment == std::vector<std::string>{"PGPASSWORD=secret"});
  CHECK(tool_connection("host=h dbname=x").environment.empty());
}
