// DSN validation and redaction: no password survives, in conninfo strings, URIs or invalid DSNs; a DSN's database
// and password, the same DSN with another database, and the password moved to a client program's environment.
#include "pg/dsn.hpp"

#include <catch2/catch.hpp>

#include "pg/client_tools.hpp"
#include "pg/connection.hpp"
#include "pg/error.hpp"

using pgadvisor::pg::Connection;
using pgadvisor::pg::ConnectionError;
using pgadvisor::pg::dsn_database;
using pgadvisor::pg::dsn_error;
using pgadvisor::pg::dsn_password;
using pgadvisor::pg::dsn_setting;
using pgadvisor::pg::dsn_with;
using pgadvisor::pg::dsn_with_database;
using pgadvisor::pg::redact_dsn;
using pgadvisor::pg::scrub_dsn_secrets;
using pgadvisor::pg::SessionOptions;
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

namespace {

// Malformed (or misleading) DSNs and the pieces of their passwords that must never be shown.
struct MalformedDsn {
  std::string dsn;
  std::vector<std::string> secrets;
};

const std::vector<MalformedDsn>& malformed_dsns() {
  static const std::vector<MalformedDsn> table = {
      {"postgresql://u:Secr3tPw@[::1:5432/db", {"Secr3tPw"}},  // unterminated IPv6 bracket: libpq echoes the URI
      {"postgres://u:Secr3tPw@[]/db", {"Secr3tPw"}},
      {"postgresql://u:Secr3t%zzPw@h/db", {"Secr3t", "zzPw"}},  // bad percent escape: libpq echoes the password
      {"postgresql://u:Secr3tPw%00@h/db", {"Secr3tPw"}},        // forbidden %00
      {"postgresql://u:Secr3%4", {"Secr3"}},                    // truncated escape, no host
      {"postgresql://u:Secr@3tPw@h/db", {"Secr", "3tPw"}},      // an unescaped '@': libpq's host would be "3tPw@h"
      {"postgresql://u:Secr/3tPw@h/db", {"Secr", "3tPw"}},      // an unescaped '/': libpq's port would be "Secr"
      {"postgresql://u:Secr3tPw@h/db?x", {"Secr3tPw"}},         // a query parameter without '='
      {"postgresql://u:Secr3tPw@h/db?nosuchoption=1", {"Secr3tPw"}},
      {"POSTGRESQL://u:Secr3tPw@h/db", {"Secr3tPw"}},           // not a URI for libpq: echoed as a bad key
      {"postgresql://h/db?password=Secr3tPw=x", {"Secr3tPw"}},  // query-string password with a second '='
      {"postgresql://h/db?password=Secr3t%zz", {"Secr3t"}},
      {"postgresql://h/db?sslpassword=Secr3tPw&bad", {"Secr3tPw"}},
      {"host=h password='Secr3t b\\' Pw c' broken", {"Secr3t", "Pw c"}},  // quoted, escaped quote and spaces
      {"host=h password='Secr3tPw", {"Secr3tPw"}},                        // unterminated quote
      {"host=h password=Secr3t Pw2x", {"Secr3t", "Pw2x"}},                // libpq: missing "=" after "Pw2x"
      {"host=h password=Secr3t Pw2x=y", {"Secr3t", "Pw2x"}},              // libpq: invalid option "Pw2x"
      {"host=h password=Secr3t\\ Pw2x broken", {"Secr3t", "Pw2x"}},       // backslash-escaped blank
      {"host=h PASSWORD = 'Secr3tPw' x", {"Secr3tPw"}},
      {"host=h password=Secr3tA password=Secr3tB x", {"Secr3tA", "Secr3tB"}},  // duplicated keys
      {"host=h sslpassword=Secr3tPw x", {"Secr3tPw"}},
      {"host=h broken password=", {}},  // password= at the end
  };
  return table;
}

void check_hidden(const std::string& text, const MalformedDsn& m) {
  INFO(m.dsn << " shown as: " << text);
  for (const auto& secret : m.secrets) CHECK(text.find(secret) == std::string::npos);
}

}  // namespace

TEST_CASE("malformed DSNs never show their password, in the redacted form or in any error", "[pg][dsn]") {
  for (const auto& m : malformed_dsns()) {
    CHECK(dsn_error(m.dsn).has_value());
    check_hidden(dsn_error(m.dsn).value_or(""), m);
    check_hidden(redact_dsn(m.dsn), m);
    try {
      Connection::open(m.dsn, SessionOptions{});
      FAIL("connected with " << m.dsn);
    } catch (const ConnectionError& e) {
      check_hidden(e.server(), m);
      check_hidden(e.what(), m);
    }
    try {
      dsn_with_database(m.dsn, "other");
    } catch (const std::invalid_argument& e) {
      check_hidden(e.what(), m);
    }
  }
}

TEST_CASE("a masked password is a fixed *** that does not tell its length", "[pg][dsn]") {
  CHECK(redact_dsn("postgresql://u:Secr3tPw@[::1:5432/db") == "postgresql://u:***@[::1:5432/db");
  CHECK(redact_dsn("postgresql://u:x@[::1:5432/db") == "postgresql://u:***@[::1:5432/db");
  // words after a password that libpq cannot read may be more of it
  CHECK(redact_dsn("host=h password='a b\\' c' broken") == "host=h password=*** ***");
  CHECK(redact_dsn("postgresql://u:Secr3%4") == "postgresql://u:***");
  CHECK(redact_dsn("postgresql://h1:5432,h2:x%/db") == "postgresql://h1:5432,h2:***/db");
  CHECK(redact_dsn("postgresql://u:Secr@3tPw@h/db") == "postgresql://***@h/db");  // in doubt, all the userinfo
  CHECK(dsn_error("postgresql://u:Secr3tPw@[::1:5432/db").value() ==
        "end of string reached when looking for matching \"]\" in IPv6 host address in URI: "
        "\"postgresql://u:***@[::1:5432/db\"");
  CHECK(dsn_error("postgresql://u:Secr3t%zzPw@h/db").value() == "invalid percent-encoded token: \"***\"");
}

TEST_CASE("libpq's messages about a parsed DSN lose its password", "[pg][dsn]") {
  // libpq echoes hosts and ports; a password that also appears there is still hidden.
  CHECK(scrub_dsn_secrets("could not translate host name \"Secr3tPw\" to address", "host=h password=Secr3tPw") ==
        "could not translate host name \"***\" to address");
  CHECK(scrub_dsn_secrets("invalid integer value \"x\" for connection option \"port\"",
                          "postgresql://u:Secr3tPw@h:x/db") ==
        "invalid integer value \"x\" for connection option \"port\"");
  CHECK(scrub_dsn_secrets("fe_sendauth: no password supplied", "host=h password=hunter2") ==
        "fe_sendauth: no password supplied");
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

TEST_CASE("a DSN with settings of its own replaced: each value quoted, so none adds a keyword", "[pg][dsn]") {
  auto dsn = dsn_with("host=a port=5433 dbname=shop password=s", {{"host", "b"}, {"user", "dba"}});
  CHECK(dsn_setting(dsn, "host") == std::optional<std::string>("b"));
  CHECK(dsn_setting(dsn, "port") == std::optional<std::string>("5433"));
  CHECK(dsn_setting(dsn, "user") == std::optional<std::string>("dba"));
  CHECK(dsn_password(dsn) == std::optional<std::string>("s"));
  // URIs and an empty DSN (libpq's defaults: only what is set).
  CHECK(dsn_setting(dsn_with("postgresql://u@h:5432/shop", {{"dbname", "other"}}), "host") ==
        std::optional<std::string>("h"));
  CHECK(dsn_with("", {{"host", "db"}, {"port", "6543"}}) == "host=db port=6543");
  CHECK(dsn_with("", {}).empty());
  // Hostile values: blanks of every kind, quotes, backslashes and '=' stay inside the one value.
  for (const std::string hostile :
       {"h dbname=evil", "h\tdbname=evil", "h\ndbname=evil", "it's", "a\\' dbname=evil", "'", "\\", "x=y", ""}) {
    auto d = dsn_with("dbname=shop", {{"host", hostile}});
    INFO(d);
    CHECK(dsn_setting(d, "host").value_or("") == hostile);
    CHECK(dsn_database(d) == std::optional<std::string>("shop"));
  }
  CHECK_THROWS_AS(dsn_with("host=a b", {{"host", "c"}}), std::invalid_argument);
  CHECK_THROWS_AS(dsn_with("", {{"nosuchkey", "c"}}), std::invalid_argument);
}

TEST_CASE("client programs get the password in their environment, not on the command line", "[pg][dsn]") {
  auto c = tool_connection("postgresql://u:secret@h/shop");
  CHECK(c.dbname.find("secret") == std::string::npos);
  CHECK_THAT(c.dbname, Catch::Contains("dbname=shop"));
  CHECK(c.environment == std::vector<std::string>{"PGPASSWORD=secret"});
  CHECK(tool_connection("host=h dbname=x").environment.empty());
}
