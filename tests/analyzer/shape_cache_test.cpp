// Tests of the shape cache (analyzer/shape_cache.hpp): the cache must answer exactly what libpg_query answers,
// checked on 100,000 generated statements (fixed seed) and on the key rules one by one.
#include "analyzer/shape_cache.hpp"

#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "../../bench/fingerprint/statement_corpus.hpp"
#include "analyzer/statement_analyzer.hpp"

using namespace pgadvisor::analyzer;

namespace {

std::string key_of(std::string_view text) {
  std::vector<Token> tokens;
  tokenize(text, tokens);
  std::string key;
  if (!ShapeCache::shape_key(text, tokens, key)) return "<unsure>";
  return key;
}

}  // namespace

TEST_CASE("the shape cache agrees with libpg_query on 100,000 generated statements", "[analyzer][shape_cache]") {
  const std::vector<std::string> corpus = pgadvisor::bench::stress_corpus(100000, 20261122);
  ShapeCache cache;
  size_t disagreements = 0;
  size_t invalid = 0;
  for (const std::string& text : corpus) {
    const StatementInfo direct = describe_statement(text);
    const StatementInfo cached = cache.describe(text);
    invalid += direct.error ? 1 : 0;
    if (cached != direct) {
      ++disagreements;
      if (disagreements <= 5) {
        UNSCOPED_INFO("disagreement on: " << text << "\n  direct " << fingerprint_hex(direct.fingerprint) << " cached "
                                          << fingerprint_hex(cached.fingerprint));
      }
    }
  }
  CHECK(disagreements == 0);
  const ShapeCacheStats& stats = cache.stats();
  INFO("hits " << stats.hits << " misses " << stats.misses << " bypasses " << stats.bypasses << " invalid " << invalid);
  CHECK(stats.hits + stats.misses + stats.bypasses + stats.skipped == corpus.size());
  CHECK(stats.hits > corpus.size() / 2);  // the corpus repeats its templates: most statements share a shape
  CHECK(invalid > 1000);                  // and holds plenty of statements that do not parse
}

TEST_CASE("normalized texts through shape templates are pg_query_normalize's", "[analyzer][shape_cache]") {
  const std::vector<std::string> corpus = pgadvisor::bench::stress_corpus(30000, 7);
  ShapeCache cache;
  size_t disagreements = 0;
  for (const std::string& text : corpus) {
    const NormalizedText direct = normalize_statement(text);
    const NormalizedText cached = cache.normalize(text);
    if (cached != direct) {
      ++disagreements;
      if (disagreements <= 5) UNSCOPED_INFO("disagreement on: " << text << "\n  cached " << cached.text.value_or("-"));
    }
  }
  CHECK(disagreements == 0);
}

TEST_CASE("statement kinds of the fast path agree with the parse tree", "[analyzer][shape_cache]") {
  const std::vector<std::string> corpus = pgadvisor::bench::stress_corpus(10000, 11);
  StatementAnalyzer analyzer;
  for (const std::string& text : corpus) {
    CAPTURE(text);
    const StatementInfo info = analyzer.describe(text);
    if (info.kind != kind_from_parse_tree(text)) CHECK(info.kind == kind_from_parse_tree(text));
  }
}

TEST_CASE("shape keys abstract literal values in DML and keep everything else", "[analyzer][shape_cache]") {
  // Same key: only literal values, whitespace or comments differ.
  CHECK(key_of("SELECT a FROM t WHERE b = 1") == key_of("SELECT a  FROM t\nWHERE /* c */ b = 42"));
  CHECK(key_of("SELECT a FROM t WHERE b = 'x'") == key_of("SELECT a FROM t WHERE b = 'it''s; -- no'"));
  CHECK(key_of("SELECT $$a$$") == key_of("SELECT $t$b;$t$"));
  // Different keys: the fingerprint may differ, or the normalized text has another structure.
  CHECK(key_of("SELECT a FROM t WHERE b = 1") != key_of("SELECT a FROM t WHERE b = -1"));
  CHECK(key_of("SELECT a FROM t WHERE b = 1") != key_of("select a from t where b = 1"));
  CHECK(key_of("SELECT a FROM t WHERE b = 1") != key_of("SELECT \"a\" FROM t WHERE b = 1"));
  CHECK(key_of("SELECT a FROM t WHERE b = 1") != key_of("SELECT a FROM t WHERE b = '1'"));
  CHECK(key_of("SELECT a FROM t WHERE b = 1") != key_of("SELECT a FROM t WHERE b = 1.0"));
  CHECK(key_of("SELECT a FROM t WHERE b = 1") != key_of("SELECT a FROM t WHERE b = 2147483648"));
  CHECK(key_of("SELECT a FROM t WHERE b = 1::int") != key_of("SELECT a FROM t WHERE b = 1::bigint"));
  // IN lists of literals fold into one key element: one fingerprint, whatever their length and literal kinds.
  CHECK(key_of("SELECT a FROM t WHERE b IN (1,2)") == key_of("SELECT a FROM t WHERE b IN (1, 'x', 2.5)"));
  CHECK(key_of("SELECT a FROM t WHERE b NOT IN (1)") == key_of("SELECT a FROM t WHERE b NOT IN (1,2,3)"));
  CHECK(key_of("SELECT a FROM t WHERE b IN (1,2)") != key_of("SELECT a FROM t WHERE b IN (1,-2)"));
  CHECK(key_of("SELECT a FROM t WHERE b IN (1,2)") != key_of("SELECT a FROM t WHERE b IN (1,$1)"));
  // ... but not in POSITION(a IN b), where ('x', 'y') would be a row.
  CHECK(key_of("SELECT position('a' IN ('b'))") != key_of("SELECT position('a' IN ('b', 'c'))"));
  CHECK(key_of("SELECT position('a' IN (b IN (1)))") == key_of("SELECT position('a' IN (b IN (1, 2)))"));
  CHECK(key_of("SELECT a FROM t WHERE b=1") != key_of("SELECT a FROM t WHERE b = 1"));
  // Literals whose value reaches the fingerprint stay verbatim.
  CHECK(key_of("SELECT x::float(10)") != key_of("SELECT x::float(30)"));
  CHECK(key_of("SELECT x::int[3]") != key_of("SELECT x::int[4]"));
  CHECK(key_of("SELECT x::int ARRAY[3]") != key_of("SELECT x::int ARRAY[4]"));
  CHECK(key_of("SELECT a FROM t WHERE b > current_timestamp(3)") !=
        key_of("SELECT a FROM t WHERE b > current_timestamp(4)"));
  CHECK(key_of("SELECT LOCALTIME (1)") != key_of("SELECT LOCALTIME (2)"));
  CHECK(key_of("SELECT E'\\x41'") != key_of("SELECT E'\\xff'"));
  CHECK(key_of("COMMENT ON TABLE t IS 'a'") != key_of("COMMENT ON TABLE t IS 'b'"));
  CHECK(key_of("COPY t FROM '/a'") != key_of("COPY t FROM '/b'"));
  // The tokenizer is unsure: slow path.
  for (const char* unsure : {"SELECT 0x1F", "SELECT 'a'\n'b'", "SELECT U&'\\0041'", "SELECT 'unterminated",
                             "SELECT 1 /* unterminated", "SELECT 1e", "SELECT $1abc", "SELECT 1..2"}) {
    CAPTURE(unsure);
    CHECK(key_of(unsure) == "<unsure>");
  }
}

TEST_CASE("libpg_query facts the key rules rely on", "[analyzer][shape_cache]") {
  // Verified against libpg_query 15-4.0 rather than assumed.
  const auto fp = [](const char* text) { return describe_statement(text).fingerprint; };
  CHECK(fp("SELECT a FROM t WHERE b = -1") == fp("SELECT a FROM t WHERE b = 1"));
  CHECK(fp("SELECT a FROM t WHERE b IN (1,2)") == fp("SELECT a FROM t WHERE b IN (1,2,3)"));
  CHECK(fp("SELECT a FROM t WHERE b IN (1)") == fp("SELECT a FROM t WHERE b IN ('x', 2147483648, 1.5, B'1', $$a$$)"));
  CHECK(fp("SELECT position('a' IN ('b'))") != fp("SELECT position('a' IN ('b', 'c'))"));
  CHECK(fp("SELECT a FROM t WHERE b = 1") == fp("select a from T where B = 1"));
  CHECK(fp("SELECT a FROM t WHERE b = 1") == fp("SELECT \"a\" FROM t WHERE b = 1"));
  CHECK(fp("SELECT x::float(10)") != fp("SELECT x::float(30)"));
  CHECK(fp("SELECT x::int[3]") != fp("SELECT x::int[4]"));
  CHECK(fp("SELECT current_timestamp(3)") != fp("SELECT current_timestamp(4)"));
  CHECK(fp("SELECT x::varchar(3)") == fp("SELECT x::varchar(4)"));  // typmods are A_Const: ignored
  CHECK(fp("SELECT x::timestamp(3)") == fp("SELECT x::timestamp(4)"));
  CHECK(fp("SELECT a FROM t WHERE b = 1") != fp("SELECT a FROM t WHERE b - 1"));
  CHECK(normalize_statement("SELECT a FROM t WHERE b = -1").text == "SELECT a FROM t WHERE b = $1");
  CHECK(normalize_statement("SELECT a FROM t WHERE b -1").text == "SELECT a FROM t WHERE b -$1");
}

TEST_CASE("statements of one shape share one parse", "[analyzer][shape_cache]") {
  ShapeCache cache;
  const StatementInfo first = cache.describe("SELECT a FROM t WHERE b = 1 AND c = 'x'");
  const StatementInfo second = cache.describe("SELECT a FROM t WHERE b = 2 AND c = 'y'");
  CHECK(first == second);
  CHECK(cache.stats().misses == 1);
  CHECK(cache.stats().hits == 1);
  cache.describe("SELEC 1");
  cache.describe("SELEC 1");
  CHECK(cache.stats().bypasses == 2);  // invalid statements are not shared
  CHECK(cache.size() == 1);

  Shape* shape = cache.shape_of("SELECT a FROM t WHERE b = 3 AND c = 'z'");
  REQUIRE(shape != nullptr);
  CHECK(shape->facts == nullptr);  // room for QueryFacts, attached by their owner

  CHECK(cache.normalize("SELECT a FROM t WHERE b = 1 AND c = 'x'").text == "SELECT a FROM t WHERE b = $1 AND c = $2");
  CHECK(shape->normalize_template.state == NormalizeTemplate::State::Usable);
  CHECK(cache.normalize("SELECT a FROM t  WHERE b = 7 /* c */ AND c = 'w'").text ==
        "SELECT a FROM t  WHERE b = $1 /* c */ AND c = $2");
  // IN lists of different lengths share a shape, each statement keeps its own normalized text.
  CHECK(cache.normalize("SELECT a FROM t WHERE b IN (1, 2)").text == "SELECT a FROM t WHERE b IN ($1, $2)");
  CHECK(cache.normalize("SELECT a FROM t WHERE b IN (1, 2, 3)").text == "SELECT a FROM t WHERE b IN ($1, $2, $3)");
}

TEST_CASE("the cache is emptied at max_shapes", "[analyzer][shape_cache]") {
  ShapeCache cache(2);
  cache.describe("SELECT 1");
  cache.describe("SELECT a");
  cache.describe("SELECT b");
  CHECK(cache.stats().evictions == 1);
  CHECK(cache.size() == 1);
}

TEST_CASE("the cache steps aside while shapes do not repeat, and comes back", "[analyzer][shape_cache]") {
  ShapeCache cache;
  const std::vector<std::string> unique = pgadvisor::bench::unique_corpus(12000, 3);
  const std::vector<std::string> repetitive = pgadvisor::bench::repetitive_corpus(12000, 50, 3);
  for (const std::vector<std::string>* corpus : {&unique, &repetitive}) {
    for (const std::string& text : *corpus) REQUIRE(cache.describe(text) == describe_statement(text));
  }
  const ShapeCacheStats& stats = cache.stats();
  CHECK(stats.skipped > 4000);  // most of the unique statements skipped the cache
  CHECK(stats.hits > 9000);     // and the repetitive ones found it again
}

TEST_CASE("the analyzer's quick path while the cache steps aside gives the reference results",
          "[analyzer][shape_cache]") {
  // Unique statements put the cache in its adaptive bypass: then analyze() cuts texts without tokens and only
  // tokenizes the statements the cache probes. Results must be those of the analyzer without cache, statement by
  // statement, and those of describe_statement.
  StatementAnalyzer analyzer;
  StatementAnalyzer reference({.shape_cache = false});
  const std::vector<std::string> unique = pgadvisor::bench::unique_corpus(12000, 5);
  const std::vector<std::string> stress = pgadvisor::bench::stress_corpus(6000, 5);
  std::vector<std::string> texts = unique;
  for (size_t k = 0; k + 1 < stress.size(); k += 2) texts.push_back(stress[k] + ";\n" + stress[k + 1] + ";");
  size_t disagreements = 0;
  size_t statements = 0;
  for (const std::string& text : texts) {
    const auto got = analyzer.analyze(text);
    statements += got.size();
    const auto expected = reference.analyze(text);
    bool same = got.size() == expected.size();
    for (size_t k = 0; same && k < got.size(); ++k) {
      same = got[k].span == expected[k].span && got[k].info == expected[k].info &&
             got[k].info == describe_statement(text.substr(got[k].span.offset, got[k].span.length));
    }
    if (!same && ++disagreements <= 5) UNSCOPED_INFO("disagreement on: " << text);
  }
  CHECK(disagreements == 0);
  const ShapeCacheStats& stats = analyzer.shape_cache()->stats();
  CHECK(stats.skipped > 8000);  // the quick path did the work
  CHECK(stats.hits + stats.misses + stats.bypasses + stats.skipped == statements);
}
