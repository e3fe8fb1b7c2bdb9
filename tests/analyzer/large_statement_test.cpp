// Huge and deeply nested statements: every step is linear or bounded, a statement too large to analyze still
// gets its class and fingerprint and says why it has no facts, and deep nesting never crashes the process.
#include <string>

#include <catch2/catch.hpp>

#include "analyzer/query_facts.hpp"
#include "analyzer/statement.hpp"
#include "analyzer/statement_analyzer.hpp"
#include "analyzer/unparsed_class.hpp"

namespace pgadvisor::analyzer {
namespace {

//! "SELECT c1, c2, …, cN FROM t", or with $1, $2, … as the entries.
std::string wide_select(size_t entries, bool parameters = false) {
  std::string s = "SELECT ";
  for (size_t k = 1; k <= entries; ++k) {
    if (k > 1) s += ", ";
    s += (parameters ? "$" : "c") + std::to_string(k);
  }
  return s + " FROM t";
}

std::string repeated(std::string_view piece, size_t times) {
  std::string s;
  s.reserve(piece.size() * times);
  for (size_t k = 0; k < times; ++k) s += piece;
  return s;
}

}  // namespace

TEST_CASE("a 200,000-entry select list gets its class and fingerprint, and is too large to analyze",
          "[analyzer][large]") {
  for (const bool parameters : {false, true}) {
    const std::string sql = wide_select(200'000, parameters);
    INFO(sql.size());
    StatementAnalyzer cached;
    StatementAnalyzer direct({.shape_cache = false});
    const auto a = cached.analyze(sql);
    const auto b = direct.analyze(sql);
    REQUIRE(a.size() == 1);
    REQUIRE(b.size() == 1);
    CHECK_FALSE(a[0].info.error);
    CHECK(a[0].info.kind == StatementKind::Select);
    CHECK(a[0].info.fingerprint != 0);
    CHECK(a[0].info == b[0].info);
    // Normalizing stops at its bound: the statement is its own text.
    CHECK(cached.normalize(sql).text == sql);
    const FactsOutcome facts = extract_facts(sql);
    CHECK_FALSE(facts);
    CHECK(facts.too_large);
    REQUIRE(facts.error);
    CHECK(facts.error->message == "too large to analyze (" + std::to_string(sql.size()) + " bytes > 131072)");
  }
}

TEST_CASE("a 100,000-element IN list and a 100,000-way OR are fingerprinted, then not analyzed", "[analyzer][large]") {
  std::string in = "SELECT * FROM t WHERE a IN (0";
  std::string any_of = "SELECT * FROM t WHERE a = 0";
  for (int k = 1; k < 100'000; ++k) {
    in += ", " + std::to_string(k);
    any_of += " OR a = " + std::to_string(k);
  }
  in += ")";
  for (const std::string& sql : {in, any_of}) {
    const StatementInfo info = StatementAnalyzer().describe(sql);
    CHECK_FALSE(info.error);
    CHECK(info.fingerprint != 0);
    CHECK(extract_facts(sql).too_large);
  }
  // Lists fold: the IN list's length does not change the class.
  CHECK(StatementAnalyzer().describe(in).fingerprint ==
        describe_statement("SELECT * FROM t WHERE a IN (1, 2)").fingerprint);
}

TEST_CASE("facts of a wide select list within the bound are complete, each column once", "[analyzer][large]") {
  // 12,000 entries and a few repeats: about 100 KB, under kMaxAnalyzedStatement. Before the select list was
  // deduplicated through a hash set this took n²/2 comparisons (20,000 entries: 13 s).
  std::string sql = wide_select(12'000);
  sql.insert(sql.size() - 7, ", c1, c12000, c5");
  REQUIRE(sql.size() <= kMaxAnalyzedStatement);
  const FactsOutcome facts = extract_facts(sql);
  REQUIRE(facts);
  REQUIRE(facts.facts->blocks.size() == 1);
  const auto& selected = facts.facts->blocks[0].selected;
  REQUIRE(selected.size() == 12'000);
  CHECK(selected.front().to_string() == "t.c1");
  CHECK(selected[4].to_string() == "t.c5");
  CHECK(selected.back().to_string() == "t.c12000");
}

TEST_CASE("many columns over many FROM items, and many ORDER BY aliases, stay linear", "[analyzer][large]") {
  // 3,000 unqualified columns over 3,000 relations: each column is left ambiguous without a list of every relation
  // (that list made n² memory and n³ comparisons).
  std::string columns, relations, aliases, order;
  for (int k = 1; k <= 3000; ++k) {
    const std::string n = std::to_string(k);
    columns += (k > 1 ? ", c" : "c") + n;
    relations += (k > 1 ? ", t" : "t") + n;
    aliases += (k > 1 ? ", c" : "c") + n + " AS a" + n;
    order += (k > 1 ? ", a" : "a") + n;
  }
  const FactsOutcome wide = extract_facts("SELECT " + columns + " FROM " + relations);
  REQUIRE(wide);
  const auto& selected = wide.facts->blocks.at(0).selected;
  REQUIRE(selected.size() == 3000);
  CHECK(selected[0].ambiguous());
  CHECK(selected[0].candidates.empty());
  CHECK(selected[0].ambiguity == "3000 relations in scope, too many to attribute it");
  // Two relations: attributed as before, with both candidates.
  CHECK(extract_facts("SELECT c1 FROM t1, t2").facts->blocks.at(0).selected.at(0).candidates.size() == 2);

  // 3,000 ORDER BY keys naming 3,000 output aliases: one map of the select list, not a search per key.
  const FactsOutcome sorted = extract_facts("SELECT " + aliases + " FROM t ORDER BY " + order);
  REQUIRE(sorted);
  const auto& order_by = sorted.facts->blocks.at(0).order_by;
  REQUIRE(order_by.size() == 3000);
  CHECK(order_by.front().key.to_string() == "t.c1");
  CHECK(order_by.back().key.to_string() == "t.c3000");
}

TEST_CASE("deeply nested statements never crash: analyzed up to a depth, said too deep beyond, an error deeper",
          "[analyzer][large]") {
  for (const auto& [open, close] :
       {std::pair<std::string_view, std::string_view>{"1 + (", ")"}, {"f(", ")"}, {"(SELECT ", ")"}}) {
    INFO(open);
    // 50 deep: analyzed.
    const std::string shallow = "SELECT * FROM t WHERE a = " + repeated(open, 50) + "a" + repeated(close, 50);
    CHECK(extract_facts(shallow));
    // 3,000 deep: parsed, but the tree is deeper than our walks go (they recurse): too large to analyze.
    const std::string sql = "SELECT * FROM t WHERE a = " + repeated(open, 3000) + "a" + repeated(close, 3000);
    const StatementInfo info = describe_statement(sql);
    REQUIRE_FALSE(info.error);
    const FactsOutcome facts = extract_facts(sql);
    CHECK(facts.too_large);
    REQUIRE(facts.error);
    CHECK_THAT(facts.error->message,
               Catch::StartsWith("too large to analyze (parse tree ") && Catch::EndsWith(" levels deep > 1000)"));
  }
  // Deeper than libpg_query's parser goes: an error, never a crash; the statement still gets an unparsed class.
  for (const std::string_view open : {"(", "1 + (", "NOT ", "(SELECT "}) {
    const std::string sql = "SELECT " + repeated(open, 20'000) + "1" + repeated(")", open == "NOT " ? 0 : 20'000);
    INFO(open);
    const StatementInfo info = StatementAnalyzer().describe(sql);
    REQUIRE(info.error);
    CHECK_FALSE(extract_facts(sql));
    CHECK(is_unparsed_fingerprint(unparsed_fingerprint_hex(unparsed_class(sql).fingerprint)));
  }
}

}  // namespace pgadvisor::analyzer
