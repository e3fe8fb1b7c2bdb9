// Unparsed classes: statements libpg_query rejects get a class from their tokens, stable and marked.
#include "analyzer/unparsed_class.hpp"

#include <string>

#include <catch2/catch.hpp>

#include "analyzer/statement.hpp"

namespace pgadvisor::analyzer {
namespace {

std::string hex_of(std::string_view statement) {
  return unparsed_fingerprint_hex(unparsed_class(statement).fingerprint);
}

}  // namespace

TEST_CASE("an unparsable statement's class abstracts literals, whitespace, comments and word case",
          "[analyzer][unparsed]") {
  // PostgreSQL 16's hexadecimal integers: PostgreSQL 15's parser, libpg_query's, rejects them.
  REQUIRE(describe_statement("SELECT 0x1F").error);
  const UnparsedClass a = unparsed_class("SELECT 0x1F");
  const UnparsedClass b = unparsed_class("select   0x2A -- why\n");
  CHECK(a.fingerprint == b.fingerprint);
  CHECK(a.normalized == "SELECT $1");
  CHECK(b.normalized == "select $1");
  CHECK(unparsed_class("SELECT 1_000_000, 0o17, 0b101, 'x', 1.5e3").normalized == "SELECT $1, $2, $3, $4, $5");
  CHECK(hex_of("SELECT 0x1F") == hex_of("SELECT /* c */ 0b11"));
  CHECK(hex_of("SELECT 0x1F") != hex_of("SELECT 0x1F, 1"));
  CHECK(hex_of("SELECT 0x1F FROM t") != hex_of("SELECT 0x1F FROM u"));
  // Quoted identifiers keep their case; unquoted words fold.
  CHECK(hex_of("SELECT 0x1F FROM \"T\"") != hex_of("SELECT 0x1F FROM \"t\""));
  CHECK(hex_of("SELECT 0x1F FROM T") == hex_of("SELECT 0x1F FROM t"));
  // Literals are numbered after the statement's own parameters, as pg_query_normalize does.
  CHECK(unparsed_class("SELECT $2, 0x1F WHERE a = 'x'").normalized == "SELECT $2, $3 WHERE a = $4");
  // A fragment, and an unterminated string.
  CHECK(unparsed_class("DECLARE c1 CURSOR WITH HOLD FOR").normalized == "DECLARE c1 CURSOR WITH HOLD FOR");
  CHECK(unparsed_class("SELECT 'it''s").normalized == "SELECT $1");
  CHECK(unparsed_class("").normalized.empty());
}

TEST_CASE("an unparsed fingerprint is stable and can never be a libpg_query fingerprint", "[analyzer][unparsed]") {
  // The same value in every run and every version: stores keep it. Changing the hash needs a migration of them.
  CHECK(hex_of("SELECT 0x1F") == "u" + fingerprint_hex(unparsed_class("SELECT 0x1F").fingerprint).substr(1));
  CHECK(unparsed_class("SELECT 0x1F").fingerprint < (uint64_t{1} << 60));
  CHECK(hex_of("SELECT 0x1F") == "u9a1b0cc8d2352cd");
  const std::string hex = hex_of("SELECT 0x1F");
  CHECK(hex.size() == 16);
  CHECK(is_unparsed_fingerprint(hex));
  CHECK_FALSE(is_unparsed_fingerprint(fingerprint_hex(describe_statement("SELECT 1").fingerprint)));
  CHECK(hex.find_first_not_of("0123456789abcdef") == 0);  // the 'u': never 16 hex digits
}

}  // namespace pgadvisor::analyzer
