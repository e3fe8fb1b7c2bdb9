// Tests of statement splitting, kinds and the slow path (analyzer/statement.hpp, statement_analyzer.hpp):
// data tables checked against libpg_query's own splitter and parse tree.
#include "analyzer/statement.hpp"

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "../../analyzer/src/pg_query_adapter.hpp"
#include "../../bench/fingerprint/statement_corpus.hpp"
#include "analyzer/shape_cache.hpp"
#include "analyzer/statement_analyzer.hpp"

using namespace pgadvisor::analyzer;

namespace {

// split_statements_quick's spans, or nullopt when it gives up (the text is copied: it needs a NUL after it).
std::optional<std::vector<StatementSpan>> quick_spans(std::string_view text) {
  const std::string copy(text);
  std::vector<StatementSpan> spans;
  if (!split_statements_quick(copy, spans)) return std::nullopt;
  return spans;
}

std::vector<StatementSpan> exact_spans(std::string_view text) { return split_statements(text); }

// Texts that stress the quick scan: corpus statements, joined by ';' and cut with bytes that start quotes, comments,
// dollar quotes, E'' strings, parameters... (fixed seed).
std::vector<std::string> mutated_texts(size_t n, uint64_t seed) {
  static constexpr std::string_view kPieces[] = {";",
                                                 "'",
                                                 "\"",
                                                 "$",
                                                 "$$",
                                                 "$q$",
                                                 "$1",
                                                 "1$",
                                                 "a$",
                                                 "--",
                                                 "\n",
                                                 "/*",
                                                 "*/",
                                                 "\\",
                                                 "E'",
                                                 "e'\\'",
                                                 "U&'",
                                                 "x'",
                                                 " ",
                                                 "\t",
                                                 "\f",
                                                 "\v",
                                                 "(",
                                                 ")",
                                                 "-",
                                                 "/",
                                                 "*",
                                                 "create ",
                                                 "CREATE FUNCTION f() BEGIN ATOMIC ",
                                                 " END",
                                                 "ALTER",
                                                 " SYSTEM",
                                                 "PREPARE",
                                                 " TRANSACTION",
                                                 "WITH",
                                                 "\r",
                                                 "''",
                                                 "\"\"",
                                                 "0",
                                                 "é",
                                                 "\x01",
                                                 "n'"};
  pgadvisor::bench::SplitMix64 rng(seed);
  const std::vector<std::string> corpus = pgadvisor::bench::stress_corpus(n / 4 + 1, seed);
  std::vector<std::string> out;
  out.reserve(n);
  for (size_t k = 0; k < n; ++k) {
    std::string text = corpus[rng.below(corpus.size())];
    if (rng.chance(30)) text += (rng.chance(50) ? "; " : ";\n") + corpus[rng.below(corpus.size())];
    const size_t edits = rng.below(4);
    for (size_t e = 0; e < edits; ++e) {
      const size_t at = rng.below(text.size() + 1);
      if (rng.chance(20) && at < text.size()) {
        text.erase(at, 1 + rng.below(std::min<size_t>(8, text.size() - at)));
      } else {
        text.insert(at, rng.pick(kPieces));
      }
    }
    if (rng.chance(5)) text = std::string(rng.pick(kPieces)) + text;  // odd first tokens
    out.push_back(std::move(text));
  }
  return out;
}

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

TEST_CASE("fingerprint_value is pg_query_fingerprint without the hex string", "[analyzer][statement]") {
  // fingerprint_value calls libpg_query's steps itself (raw parse, fingerprint of the tree): value, error message and
  // cursor position must be pg_query_fingerprint's, including for texts with no statement or several.
  std::vector<std::string> texts = pgadvisor::bench::stress_corpus(20000, 7);
  for (std::string& s : pgadvisor::bench::unique_corpus(2000, 7)) texts.push_back(std::move(s));
  for (const char* s : {"", " ", ";", "-- only a comment", "/* c */ ;;", "SELECT 1; SELECT 2", "SELECT 1; SELEC 2",
                        "SELECT 'unterminated", "SELECT 0x1F", "SELECT E'\\xzz'", "SELECT $$a", "\xc3"}) {
    texts.emplace_back(s);
  }
  size_t errors = 0;
  for (const std::string& text : texts) {
    const auto reference = pg_query_adapter::fingerprint(text);
    const auto value = pg_query_adapter::fingerprint_value(text.c_str());
    INFO(text);
    REQUIRE(reference.value.has_value() == value.value.has_value());
    REQUIRE(reference.error.has_value() == value.error.has_value());
    if (reference) {
      CHECK(*value.value == reference.value->value);
    } else {
      ++errors;
      CHECK(value.error->message == reference.error->message);
      CHECK(value.error->position == reference.error->position);
    }
  }
  CHECK(errors > 1000);
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

TEST_CASE("a statement over 128 KiB is its own normalized text, and teaches the shape cache nothing",
          "[analyzer][statement]") {
  auto select = [](size_t padding) {
    return "SELECT '" + std::string(padding, 'v') + "' AS c, x::varchar(10) FROM t WHERE b = -1 ORDER BY 1";
  };
  const std::string big = select(size_t{130} << 10), small = select(1);
  REQUIRE(big.size() > kMaxNormalizedStatement);
  CHECK(normalize_statement(big).text == big);
  CHECK(normalize_statement(small).text == "SELECT $1 AS c, x::varchar(10) FROM t WHERE b = $2 ORDER BY 1");
  // The big one first: the small ones are still normalized by libpg_query, not by a template learnt from it.
  ShapeCache cache;
  CHECK(cache.normalize(big).text == big);
  CHECK(cache.normalize(small).text == normalize_statement(small).text);
  CHECK(cache.normalize(small).text == normalize_statement(small).text);
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

TEST_CASE("split_statements_quick gives split_statements' spans or gives up", "[analyzer][statement]") {
  // Handled: the spans must be split_statements' spans.
  for (const std::string text : {"SELECT 1",
                                 "  SELECT 1 ;  ",
                                 "SELECT 1; SELECT 2;",
                                 ";;SELECT 1;;",
                                 "SELECT 'a;b'; SELECT 2",
                                 "SELECT \"a;b\" FROM t; SELECT 2",
                                 "SELECT $$a;b$$; SELECT $t$ $$; $t$",
                                 "SELECT 1 -- c; not a cut\n; SELECT 2",
                                 "SELECT /* a; /* nested; */ b; */ 1; SELECT 2",
                                 "/* leading */ SELECT 1; -- trailing",
                                 "SELECT a$b$c FROM t; SELECT 2",
                                 "SELECT 'x'$q$;$q$; SELECT 2",
                                 "SELECT $1 -$2",
                                 "SELECT 'back\\slash'; SELECT 2",
                                 "SELECT 1e-5--x\n; SELECT 2",
                                 "",
                                 " -- only",
                                 "SELECT $a b; SELECT 2",
                                 "SELECT \x01 \v; SELECT 2",
                                 "SELECT 'it''s'; SELECT 2"}) {
    CAPTURE(text);
    const auto quick = quick_spans(text);
    REQUIRE(quick);
    CHECK(*quick == exact_spans(text));
  }
  // Given up: the tokenizer's finer rules decide.
  for (const std::string& text : std::vector<std::string>{
           "SELECT 'unterminated; SELECT 2", "SELECT \"x; SELECT 2", "SELECT /* x; SELECT 2", "SELECT $q$ x; SELECT 2",
           "SELECT E'\\';'; SELECT 2", "SELECT $1$q$;$q$", "CREATE FUNCTION f() BEGIN ATOMIC SELECT 1; END; SELECT 2",
           "(SELECT 1); SELECT 2", "E'x'; SELECT 2", std::string("SELECT 1\0; SELECT 2", 19)}) {
    CAPTURE(text);
    CHECK_FALSE(quick_spans(text));
  }
}

TEST_CASE("split_statements_quick agrees with split_statements on 200,000 mutated texts", "[analyzer][statement]") {
  size_t handled = 0;
  size_t disagreements = 0;
  for (const std::string& text : mutated_texts(200000, 20261122)) {
    const auto quick = quick_spans(text);
    if (!quick) continue;
    ++handled;
    if (*quick != exact_spans(text) && ++disagreements <= 5) UNSCOPED_INFO("disagreement on: " << text);
  }
  CHECK(disagreements == 0);
  CHECK(handled > 100000);  // the quick scan must actually be exercised
}

TEST_CASE("kind_from_text answers as kind_from_tokens or not at all", "[analyzer][statement]") {
  std::vector<std::string> texts = mutated_texts(100000, 7);
  for (const std::string t :
       {"alter system set x = 1", "ALTER/**/SYSTEM SET x = 1", "alter -- c\nsystem", "ALTER(",
        "prepare transaction 'x'", "PREPARE\ttransaction 'x'", "prepare transactions", "e'x'", "u&'x'", "n'x'",
        "(SELECT 1)", "select$1", "Select_1", "é", "with x as (select 1) select", "ALTER systemx", "alter \"system\"",
        "a", "",
        // WITH: the main statement after the common table expressions
        "WITH a AS (SELECT ')') SELECT 1", "WITH a AS (SELECT 1) , b AS (SELECT 2) DELETE FROM t",
        "WITH a AS (SELECT $$)$$) SELECT 1", "WITH a AS (SELECT 1e5) UPDATE t SET x = 1",
        "WITH a AS (SELECT E'\\')') SELECT 1", "with a as (select 1)(select 2)", "WITH a AS (SELECT 1) /*c*/ SELECT 1",
        "WITH a AS (SELECT \"x)\") INSERT INTO t VALUES (1)", "WITH a AS (SELECT 1)x",
        "WITH a AS (SELECT 1$$)$$) SELECT 1", "WITH a AS (SELECT 1)e'x'", "WITH a AS (SELECT $1) MERGE INTO t",
        "WITH a AS MATERIALIZED (VALUES (1)) TABLE a", "WITH a AS (SELECT 1) SEARCH DEPTH FIRST BY x SET o SELECT 1",
        "WITH a AS (SELECT 1.5)as"}) {
    texts.emplace_back(t);
  }
  std::vector<Token> tokens;
  size_t answered = 0;
  for (const std::string& text : texts) {
    for (const StatementSpan& span : split_statements(text)) {
      const std::string_view statement = std::string_view(text).substr(span.offset, span.length);
      const auto quick = kind_from_text(statement);
      if (!quick) continue;
      ++answered;
      tokenize(statement, tokens);
      CAPTURE(statement);
      const auto exact = kind_from_tokens(statement, tokens);
      if (quick != exact) CHECK(quick == exact);
    }
  }
  CHECK(answered > 50000);
}

TEST_CASE("the analyzer's quick path gives the reference results", "[analyzer][statement]") {
  // With the cache off, analyze() takes the quick path whenever the scan allows; the reference is the tokenizer's
  // split and describe_statement of each statement.
  StatementAnalyzer analyzer({.shape_cache = false});
  std::vector<AnalyzedStatement> got;
  size_t disagreements = 0;
  for (const std::string& text : mutated_texts(20000, 99)) {
    analyzer.analyze(text, got);
    const std::vector<StatementSpan> spans = exact_spans(text);
    bool same = got.size() == spans.size();
    for (size_t k = 0; same && k < spans.size(); ++k) {
      const std::string statement = text.substr(spans[k].offset, spans[k].length);
      same = got[k].span == spans[k] && got[k].info == describe_statement(statement);
    }
    if (!same && ++disagreements <= 5) UNSCOPED_INFO("disagreement on: " << text);
  }
  CHECK(disagreements == 0);
}
