// DSN validation and redaction: no password survives, in conninfo strings, URIs or invalid DSNs.
#include "pg/dsn.hpp"

#include <catch2/catch.hpp>

using pgadvisor::pg::dsn_error;
using pgadvisor::pg::redact_dsn;

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
