// What a class is planned with: literals, sampled parameter sets, pg_stats values, or a generic plan; and how a
// workload of any source becomes classes (calls, samples, stable constants). No server needed.
#include "advisor/plan_values.hpp"

#include <limits>

#include <catch2/catch.hpp>

#include "advisor/advice.hpp"
#include "analyzer/unparsed_class.hpp"

using namespace pgadvisor;
using namespace pgadvisor::advisor;

namespace {

analyzer::Catalog catalog() {
  analyzer::ColumnStatistics customer;
  customer.n_distinct = 20'000;
  customer.most_common_values = {"42", "7"};
  customer.most_common_frequencies = {0.01, 0.005};
  customer.histogram_bounds = {"1", "5000", "10000", "15000", "20000"};
  analyzer::ColumnStatistics created;
  created.n_distinct = -1;
  created.histogram_bounds = {"2020-01-01", "2021-01-01", "2022-01-01", "2023-01-01", "2024-01-01", "2025-01-01"};
  analyzer::ColumnStatistics status;
  status.n_distinct = 3;
  status.most_common_values = {"shipped", "pen\"ding"};
  status.most_common_frequencies = {0.9, 0.1};
  analyzer::TableInfo orders;
  orders.name = "orders";
  orders.reltuples = 1e6;
  orders.columns = {{"id", "bigint", true, std::nullopt},
                    {"customer_id", "integer", true, customer},
                    {"created_at", "date", true, created},
                    {"status", "text", true, status},
                    {"note", "text", false, std::nullopt}};
  analyzer::Catalog c;
  c.add_table(orders);
  return c;
}

// "a|b|NULL": a set readable in failure messages.
std::string text(const analyzer::ParameterSet& set) {
  std::string out;
  for (const auto& v : set) out += (out.empty() ? "" : "|") + v.value_or("NULL");
  return out;
}

ClassFacts only_class(const analyzer::Workload& workload, const analyzer::Catalog& cat) {
  auto classes = classes_from_workload(workload, cat);
  REQUIRE(classes.classes.size() == 1);
  return classes.classes.front();
}

}  // namespace

TEST_CASE("pg_stats values follow the column each parameter is compared with", "[advisor][plan_values]") {
  auto cat = catalog();
  auto facts =
      analyzer::extract_facts("SELECT * FROM orders WHERE customer_id = $1 AND created_at > $2 AND status = ANY($3)");
  REQUIRE(facts);
  analyzer::resolve_ambiguous_columns(*facts.facts, cat);
  auto sets = values_from_statistics(*facts.facts, 3, cat);
  REQUIRE(sets);
  REQUIRE(sets->size() == 2);
  // Equality: the most common value, then the histogram's median; a lower range bound keeps the top tenth;
  // = ANY takes a one-element array, quoted by the array rules.
  CHECK(text((*sets)[0]) == "42|2024-01-01|{\"shipped\"}");
  CHECK(text((*sets)[1]) == "10000|2024-01-01|{\"pen\\\"ding\"}");
}

TEST_CASE("a parameter not compared with a known column gives no pg_stats values", "[advisor][plan_values]") {
  auto cat = catalog();
  for (const char* sql : {"SELECT * FROM orders WHERE customer_id = $1 LIMIT $2",  // LIMIT
                          "SELECT * FROM orders WHERE note = $1",                  // never analyzed
                          "SELECT * FROM orders WHERE lower(status) = $1"}) {      // an expression
    auto facts = analyzer::extract_facts(sql);
    REQUIRE(facts);
    analyzer::resolve_ambiguous_columns(*facts.facts, cat);
    CHECK_FALSE(values_from_statistics(*facts.facts, facts.facts->blocks.empty() ? 0 : 2, cat));
  }
}

TEST_CASE("plans come from samples, then pg_stats, then the generic plan", "[advisor][plan_values]") {
  auto cat = catalog();
  const std::string text = "SELECT * FROM orders WHERE customer_id = $1";
  SECTION("sampled parameter sets, at most three, cut to the text's parameters") {
    analyzer::WorkloadClass wc{"", text, 10, 0, {text}, {}, "logs"};
    for (int i = 1; i <= 5; ++i) wc.parameter_sets.push_back({std::to_string(i), std::string("extra")});
    auto c = only_class({{wc}}, cat);
    CHECK(c.query.source == PlanSource::Sampled);
    // customer_id is skewed (42 holds 1 % of the rows, 200 times the average share): its most common value is
    // costed after the samples.
    REQUIRE(c.query.executions.size() == kMaxPlannedExecutions + 1);
    CHECK(c.query.executions[2] == Execution{text, {std::string("3")}});
    CHECK(c.query.executions[3] == Execution{text, {std::string("42")}});
    CHECK(c.query.heavy_values);
    CHECK(c.query.weight == 10);
    CHECK(c.parameter_sets.size() == 5);
  }
  SECTION("the heavy value already sampled, or no skewed column: only the samples") {
    analyzer::WorkloadClass wc{"", text, 10, 0, {text}, {{std::string("42")}, {std::string("9")}}, "logs"};
    auto c = only_class({{wc}}, cat);
    CHECK(c.query.executions.size() == 2);
    CHECK_FALSE(c.query.heavy_values);
    const std::string by_status = "SELECT * FROM orders WHERE status = $1";  // 3 values: 90 % is not skew
    analyzer::WorkloadClass ws{"", by_status, 10, 0, {by_status}, {{std::string("pen\"ding")}}, "logs"};
    auto s = only_class({{ws}}, cat);
    CHECK(s.query.executions.size() == 1);
    CHECK_FALSE(s.query.heavy_values);
  }
  SECTION("no samples: pg_stats") {
    auto c = only_class({{{"", text, 3, 0, {}, {}, "statements"}}}, cat);
    CHECK(c.query.source == PlanSource::PgStats);
    CHECK(c.query.executions.size() == 2);
  }
  SECTION("no statistics either: generic") {
    auto c = only_class({{{"", "SELECT * FROM orders WHERE id = $1", 3, 0, {}, {}, "statements"}}}, cat);
    CHECK(c.query.source == PlanSource::Generic);
    CHECK(c.query.executions.empty());
  }
  SECTION("concrete statements: their own literals, the mean over several") {
    analyzer::Workload w;
    for (int i = 1; i <= 4; ++i) {
      w.classes.push_back(
          {"", "", 1, 0, {"SELECT * FROM orders WHERE customer_id = " + std::to_string(i)}, {}, "queries"});
    }
    auto c = only_class(w, cat);
    CHECK(c.query.source == PlanSource::Literals);
    CHECK(c.query.weight == 4);
    CHECK(c.query.executions.size() == kMaxPlannedExecutions);
    CHECK(c.samples.size() == 4);
  }
}

TEST_CASE("concrete samples win over $n samples of the same class", "[advisor][plan_values]") {
  auto cat = catalog();
  analyzer::Workload w;
  w.classes.push_back({"", "", 1, 0, {"SELECT * FROM orders WHERE customer_id = $1 AND status = 'x'"}, {}, "logs"});
  w.classes.push_back({"", "", 1, 0, {"SELECT * FROM orders WHERE customer_id = 42 AND status = 'x'"}, {}, "logs"});
  auto c = only_class(w, cat);
  CHECK(c.query.source == PlanSource::Literals);
  CHECK(c.query.text == "SELECT * FROM orders WHERE customer_id = 42 AND status = 'x'");
  CHECK(c.query.parameters == 0);
  CHECK(c.query.weight == 2);
  REQUIRE(c.stable_constants.size() == 1);  // customer_id varies ($1, 42); status does not
  CHECK(c.stable_constants[0].subject.column == "status");
}

TEST_CASE("a class's calls count once, however many samples it has", "[advisor][plan_values]") {
  auto cat = catalog();
  analyzer::WorkloadClass wc{
      "abc",
      "SELECT * FROM orders WHERE status = $1",
      1000,
      0,
      {"SELECT * FROM orders WHERE status = 'shipped'", "SELECT * FROM orders WHERE status = 'shipped'",
       "SELECT * FROM orders WHERE status = 'shipped'"},
      {},
      "logs"};
  auto c = only_class({{wc}}, cat);
  CHECK(c.query.weight == 1000);
  CHECK(c.samples.size() == 1);  // the same statement three times is one sample
  REQUIRE(c.stable_constants.size() == 1);
  CHECK(c.stable_constants[0].subject.column == "status");
}

TEST_CASE("unparsable and utility statements of a workload are reported once", "[advisor][plan_values]") {
  auto cat = catalog();
  auto classes = classes_from_statements(std::vector<std::string>{"SELEC 1; VACUUM orders; SELECT 1 FROM orders"}, cat);
  CHECK(classes.classes.size() == 1);
  REQUIRE(classes.skipped.size() == 2);
  CHECK_THAT(classes.skipped[0].reason, Catch::Contains("does not parse"));
  CHECK_THAT(classes.skipped[1].reason, Catch::Contains("not a query an index can serve"));
}

TEST_CASE("unparsed classes and statements too large to analyze are skipped, counted as not analyzable",
          "[advisor][plan_values][unparsed][large]") {
  auto cat = catalog();
  std::string wide = "SELECT id";
  for (int k = 0; k < 30'000; ++k) wide += ", customer_id";
  wide += " FROM orders WHERE id = 1";
  REQUIRE(wide.size() > analyzer::kMaxAnalyzedStatement);
  analyzer::Workload w;
  w.classes.push_back({"u9a1b0cc8d2352cd", "SELECT $1 FROM orders", 3, 5000, {"SELECT 0x1F FROM orders"}, {}, "logs"});
  w.classes.push_back({"", wide, 1, 0, {}, {}, "queries"});
  w.classes.push_back({"", "SELECT * FROM orders WHERE id = 7", 2, 0, {}, {}, "queries"});
  auto classes = classes_from_workload(w, cat);
  REQUIRE(classes.classes.size() == 1);  // the one that can be advised on
  REQUIRE(classes.skipped.size() == 2);
  CHECK(classes.skipped[0].fingerprint == "u9a1b0cc8d2352cd");
  CHECK(classes.skipped[0].not_analyzable);
  CHECK_THAT(classes.skipped[0].reason, Catch::StartsWith("not analyzable: does not parse: "));
  CHECK(classes.skipped[1].not_analyzable);
  CHECK(classes.skipped[1].reason ==
        "not analyzable: too large to analyze (" + std::to_string(wide.size()) + " bytes > 131072)");
  CHECK(classes.skipped[1].fingerprint.size() == 16);

  // A file of queries: the unparsable one shows its unparsed class's fingerprint.
  auto from_file = workload_from_statements(std::vector<std::string>{"SELECT 0x1F; SELECT 1"});
  REQUIRE(from_file.classes.size() == 2);
  CHECK(analyzer::is_unparsed_fingerprint(from_file.classes[0].fingerprint));
  CHECK_FALSE(analyzer::is_unparsed_fingerprint(from_file.classes[1].fingerprint));
}

TEST_CASE("a hostile $n does not throw nor size anything after it", "[advisor][plan_values][large]") {
  CHECK(highest_parameter("SELECT $99999999999") == std::numeric_limits<int>::max());
  auto cat = catalog();
  auto facts = analyzer::extract_facts("SELECT * FROM orders WHERE customer_id = $2000000000");
  REQUIRE(facts);
  analyzer::resolve_ambiguous_columns(*facts.facts, cat);
  CHECK_FALSE(values_from_statistics(*facts.facts, 2'000'000'000, cat));
}

TEST_CASE("a concrete statement's literals are the values of its class's $n", "[advisor][plan_values]") {
  auto values = parameters_in("SELECT * FROM t WHERE a = $1 AND b = $2 AND c > $1 LIMIT $3",
                              "SELECT * FROM t WHERE a = 7 AND b = 'it''s' AND c > 7 LIMIT 20");
  REQUIRE(values);
  CHECK(text(*values) == "7|it's|20");
  CHECK_FALSE(parameters_in("SELECT * FROM t WHERE a = $1", "SELECT * FROM t WHERE a = -1"));  // two tokens
  CHECK_FALSE(parameters_in("SELECT * FROM t WHERE a = $1", "SELECT * FROM u WHERE a = 1"));   // another table
  CHECK_FALSE(parameters_in("SELECT * FROM t WHERE a = $1 OR a = $1", "SELECT * FROM t WHERE a = 1 OR a = 2"));
  CHECK_FALSE(parameters_in("SELECT * FROM t WHERE a = $1", "SELECT * FROM t WHERE a = E'x'"));  // not ours to read
  CHECK_FALSE(parameters_in("SELECT 1", "SELECT 1"));                                            // no $n
  CHECK_FALSE(parameters_in("SELECT $0 + $1", "SELECT 1 + 2"));                                  // no $0
  CHECK_FALSE(parameters_in("SELECT $99999999999", "SELECT 1"));                                 // too many
}

TEST_CASE("a class planned with its literals is costed at a skewed column's heaviest value too",
          "[advisor][plan_values]") {
  auto cat = catalog();
  const std::string normalized = "SELECT * FROM orders WHERE customer_id = $1 ORDER BY id LIMIT $2";
  analyzer::WorkloadClass wc{"", normalized, 10, 0, {"SELECT * FROM orders WHERE customer_id = 5 ORDER BY id LIMIT 20"},
                             {}, "logs"};
  auto c = only_class({{wc}}, cat);
  CHECK(c.query.source == PlanSource::Literals);
  REQUIRE(c.query.executions.size() == 2);
  CHECK(c.query.executions[0] == Execution{wc.samples[0], {}});
  // customer_id's most common value (42) in place of the sampled 5; LIMIT keeps its literal.
  CHECK(c.query.executions[1] == Execution{normalized, {std::string("42"), std::string("20")}});
  CHECK(c.query.heavy_values);
  // Without the class's $n text (a file of queries), only the statement itself.
  analyzer::WorkloadClass plain{"", wc.samples[0], 10, 0, {wc.samples[0]}, {}, "queries"};
  auto p = only_class({{plain}}, cat);
  CHECK(p.query.executions.empty());
  CHECK_FALSE(p.query.heavy_values);
}
