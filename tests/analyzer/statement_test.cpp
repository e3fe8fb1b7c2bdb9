// Tests of statement splitting, kinds and the slow path (analyzer/statement.hpp, statement_analyzer.hpp):
// data tables checked against libpg_query's own splitter and parse tree.
#include "analyzer/statement.hpp"

#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "../../analyzer/src/pg_query_adapter.hpp"
#include "analyzer/statement_analyzer.hpp"

using namespace pgadvisor::analyzer;

namespace {

std::vector<std::string> split_texts(std::string_view text) {
  std::vector<std::string> out;
  for (const StatementSpan& s : split_statements(text)) out.emplace_back(text.substr(s.offset, s.length));
  return out;
}

}  // namespace

TEST_CASE("split_statements cuts at top-level semicolons only", "[analyzer][statement]") {
  using V = std::vector<std::string>;
  const std::vector<std::pair<std::string, V>> cases = {
      {"SELECT 1", {"SELECT 1"}},
      {"  SELECT 1 ;  ", {"SELECT 1"}},
      {"SELECT 1; SELECT 2;", {"SELECT 1", "SELECT 2"}},
      {";;SELECT 1;;", {"SELECT 1"}},
      {"SELECT 'a;b'; SELECT 2", {"SELECT 'a;b'", "SELECT 2"}},
      {"SELECT E'it\\'s;'; SELECT 2", {"SELECT E'it\\'s;'", "SELECT 2"}},
      {"SELECT \"a;b\" FROM t; SELECT 2", {"SELECT \"a;b\" FROM t", "SELECT 2"}},
      {"SELECT $$a;b$$; SELECT $t$ $$; $t$", {"SELECT $$a;b$$", "SELECT $t$ $$; $t$"}},
      {"SELECT 1 -- c; not a cut\n; SELECT 2", {"SELECT 1", "SELECT 2"}},
      {"SELECT /* a; /* nested; */ b; */ 1; SELECT 2", {"SELECT /* a; /* nested; */ b; */ 1", "SELECT 2"}},
      {"/* leading */ SELECT 1; -- trailing only", {"SELECT 1"}},
      {"CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT CASE WHEN true THEN 1 END; END;"
       " SELECT 2",
       {"CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT CASE WHEN true THEN 1 END; END",
        "SELECT 2"}},
      {"BEGIN; SELECT 1; END;", {"BEGIN", "SELECT 1", "END"}},
      {"SELECT 'unterminated; SELECT 2", {"SELECT 'unterminated; SELECT 2"}},
      {"SELECT (1; SELECT 2", {"SELECT (1", "SELECT 2"}},
      {"", {}},
      {" -- only a comment", {}},
  };
  for (const auto& [text, expected] : cases) {
    CAPTURE(text);
    CHECK(split_texts(text) == expected);
  }
}

TEST_CASE("split_statements agrees with libpg_query's parser splitter", "[analyzer][statement]") {
  const std::vector<std::string> texts = {
      "SELECT 1; SELECT 'a;b' FROM t WHERE x = $$;$$; UPDATE t SET a = 1",
      "CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; END; SELECT 2;",
      "CREATE OR REPLACE PROCEDURE p() LANGUAGE sql BEGIN ATOMIC INSERT INTO t VALUES (1); END; COMMIT",
      "SELECT 1 /* ; */ ; -- ;\n SELECT E'\\';' ; SELECT \"x;\" FROM t",
      "WITH a AS (SELECT 1) SELECT * FROM a; DELETE FROM t WHERE x IN (1, 2);",
  };
  for (const std::string& text : texts) {
    CAPTURE(text);
    const auto reference = pg_query_adapter::split_with_parser(text);
    REQUIRE(reference);
    std::vector<std::string> expected;
    for (const auto& s : *reference.value) {
      std::string piece = text.substr(static_cast<size_t>(s.location), static_cast<size_t>(s.length));
      // libpg_query's spans keep leading whitespace and comments; ours start at the first token.
      std::vector<Token> tokens;
      tokenize(piece, tokens);
      expected.push_back(piece.substr(tokens.front().begin, tokens.back().end - tokens.front().begin));
    }
    CHECK(split_texts(text) == expected);
  }
}

TEST_CASE("a statement that does not scan or parse never hides its neighbours", "[analyzer][statement]") {
  const std::string text = "SELECT 1; SELECT * FROM t WHERE id = 0x1F; SELEC 2; SELECT 3";
  REQUIRE_FALSE(pg_query_adapter::split_with_scanner(text));  // libpg_query gives up on the whole text
  for (const bool cache : {true, false}) {
    StatementAnalyzer analyzer({.shape_cache = cache});
    const auto statements = analyzer.analyze(text);
    REQUIRE(statements.size() == 4);
    CHECK(statements[0].info.kind == StatementKind::Select);
    CHECK(statements[1].info.kind == StatementKind::Invalid);
    REQUIRE(statements[1].info.error);
    CHECK(statements[1].info.error->message == "trailing junk after numeric literal at or near \"0x\"");
    CHECK(statements[1].info.error->position == 28);  // 1-based, at the 0 of 0x1F
    CHECK(statements[2].info.error->message == "syntax error at or near \"SELEC\"");
    CHECK(statements[3].info.kind == StatementKind::Select);
    CHECK(text.substr(statements[3].span.offset, statements[3].span.length) == "SELECT 3");
    CHECK(statements[0].info.fingerprint == statements[3].info.fingerprint);
  }
}

TEST_CASE("fingerprints are printed as libpg_query prints them", "[analyzer][statement]") {
  for (const std::string text : {"SELECT 1", "SELECT a FROM t WHERE b IN (1, 2, 3)", "UPDATE t SET a = $1"}) {
    const auto reference = pg_query_adapter::fingerprint(text);
    REQUIRE(reference);
    const StatementInfo info = describe_statement(text);
    CHECK(info.fingerprint == reference.value->value);
    CHECK(fingerprint_hex(info.fingerprint) == reference.value->hex);
  }
  CHECK(fingerprint_hex(0x00ab) == "00000000000000ab");
}

TEST_CASE("statement kinds from tokens agree with the parse tree", "[analyzer][statement]") {
  const std::vector<std::pair<std::string, StatementKind>> cases = {
      {"SELECT 1", StatementKind::Select},
      {"(SELECT 1) UNION SELECT 2", StatementKind::Select},
      {"VALUES (1)", StatementKind::Select},
      {"TABLE t", StatementKind::Select},
      {"SELECT 1 INTO t2", StatementKind::Select},
      {"WITH a AS (SELECT 1) SELECT * FROM a", StatementKind::Select},
      {"WITH a(x) AS MATERIALIZED (SELECT 1) INSERT INTO t SELECT * FROM a", StatementKind::Insert},
      {"WITH update AS (SELECT 1) SELECT * FROM update", StatementKind::Select},
      {"WITH a AS (SELECT 1), b AS (SELECT 2) UPDATE t SET x = 1", StatementKind::Update},
      {"WITH a AS (SELECT 1) DELETE FROM t", StatementKind::Delete},
      {"WITH RECURSIVE a(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM a) SEARCH DEPTH FIRST BY n SET o SELECT * FROM a",
       StatementKind::Select},
      {"INSERT INTO t VALUES (1)", StatementKind::Insert},
      {"UPDATE t SET a = 1", StatementKind::Update},
      {"DELETE FROM t", StatementKind::Delete},
      {"MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN DELETE", StatementKind::Merge},
      {"CREATE INDEX ON t (a)", StatementKind::Ddl},
      {"CREATE TABLE t2 AS SELECT 1", StatementKind::Ddl},
      {"CREATE VIEW v AS SELECT 1", StatementKind::Ddl},
      {"ALTER TABLE t ADD COLUMN c int", StatementKind::Ddl},
      {"ALTER TABLE t RENAME TO u", StatementKind::Ddl},
      {"ALTER SYSTEM SET work_mem = '1MB'", StatementKind::Configuration},
      {"DROP TABLE t", StatementKind::Ddl},
      {"COMMENT ON TABLE t IS 'x'", StatementKind::Ddl},
      {"GRANT SELECT ON t TO u", StatementKind::Ddl},
      {"GRANT r TO u", StatementKind::Ddl},
      {"TRUNCATE t", StatementKind::Ddl},
      {"BEGIN", StatementKind::Transaction},
      {"START TRANSACTION", StatementKind::Transaction},
      {"COMMIT", StatementKind::Transaction},
      {"END", StatementKind::Transaction},
      {"ROLLBACK TO SAVEPOINT s", StatementKind::Transaction},
      {"PREPARE TRANSACTION 'x'", StatementKind::Transaction},
      {"SET search_path = 'x'", StatementKind::Configuration},
      {"SET CONSTRAINTS ALL DEFERRED", StatementKind::Configuration},
      {"RESET ALL", StatementKind::Configuration},
      {"SHOW work_mem", StatementKind::Configuration},
      {"EXPLAIN ANALYZE SELECT 1", StatementKind::Explain},
      {"COPY t FROM STDIN", StatementKind::Copy},
      {"VACUUM t", StatementKind::Maintenance},
      {"ANALYZE t", StatementKind::Maintenance},
      {"REFRESH MATERIALIZED VIEW v", StatementKind::Maintenance},
      {"CHECKPOINT", StatementKind::Maintenance},
      {"PREPARE p AS SELECT 1", StatementKind::Prepared},
      {"EXECUTE p(1)", StatementKind::Prepared},
      {"DEALLOCATE p", StatementKind::Prepared},
      {"LOCK TABLE t", StatementKind::Utility},
      {"NOTIFY ch, 'x'", StatementKind::Utility},
      {"DO $$BEGIN END$$", StatementKind::Utility},
      {"CALL p()", StatementKind::Utility},
      {"DISCARD ALL", StatementKind::Utility},
      {"SELEC 1", StatementKind::Invalid},
  };
  for (const auto& [text, kind] : cases) {
    CAPTURE(text);
    CHECK(kind_from_parse_tree(text) == kind);
    CHECK(describe_statement(text).kind == kind);
  }
}

TEST_CASE("normalize_statement is pg_query_normalize", "[analyzer][statement]") {
  CHECK(normalize_statement("SELECT  /*c*/ 1 -- x").text == "SELECT  /*c*/ $1 -- x");
  CHECK(normalize_statement("SELECT x FROM t WHERE a = -1 AND b = $1").text ==
        "SELECT x FROM t WHERE a = $2 AND b = $1");
  const NormalizedText failed = normalize_statement("SELEC 1");
  CHECK_FALSE(failed.text);
  REQUIRE(failed.error);
  CHECK(failed.error->position == 1);
}

TEST_CASE("error positions count characters, not bytes", "[analyzer][statement]") {
  const std::string text = "SELECT '\xc3\xa9\xc3\xa9' x x";  // two 2-byte characters in the string
  const StatementInfo info = describe_statement(text);
  REQUIRE(info.error);
  CHECK(info.error->position == 15);  // the second x, as a 1-based character offset
  CHECK(text.substr(error_byte_offset(text, info.error->position), 1) == "x");
  CHECK(error_byte_offset(text, info.error->position) == 16);
  CHECK(error_byte_offset(text, 0) == 0);
  CHECK(error_byte_offset(text, 1000) == text.size());
}
