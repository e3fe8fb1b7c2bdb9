// The advice JSON contract: every field an advice carries comes back from its document unchanged, with hostile
// strings (quotes, backslashes, line breaks, control characters, non-ASCII) in every text; the document of the
// document read back is the same bytes; hand-written documents (the bench's input) keep their definitions.
#include "advisor/advice_json.hpp"

#include <catch2/catch.hpp>

using namespace pgadvisor;
using namespace pgadvisor::advisor;

namespace {

// A hostile text, different for each field (so that two fields swapped on either side are caught too).
std::string hostile(const std::string& field) { return field + " \"q\" 'a''b' \\ \n\t\x01 é€😀 */ --"; }

Advice hostile_advice() {
  Advice a;
  IndexAdvice i1;
  i1.index.table = {"sch ema\"é", "ta\nble€"};
  i1.index.keys = {{hostile("col"), "", true, std::nullopt}, {"", "lower(\"x\")", false, std::nullopt}};
  i1.index.include = {hostile("inc1"), hostile("inc2")};
  i1.index.predicate = "status = 'o''k' AND note <> E'\\n'";
  i1.index.method = "gist";
  i1.index.assigned_name = hostile("name");
  i1.size_bytes = 123456789012;
  i1.write_overhead = 12.625;
  i1.queries = {{hostile("fp1"), 3.5, 1000.25, 1.5, hostile("plan before"), hostile("plan after"), hostile("values")},
                {hostile("fp2"), 7, 20, 19.75, "Seq Scan", "Index Scan"}};
  i1.rationale = {hostile("keys"), hostile("partial")};
  // On a partitioned table: a partitioned partition with one of its own, and another (names without a '.').
  i1.on_partitioned_table = true;
  i1.partitions = {{{"sch ema\"é", "part\n1"}, hostile("part index 1"), -1, true},
                   {{"other\\", "part 1 0"}, hostile("part index 2"), 0, false},
                   {{"sch ema\"é", "part 2"}, hostile("part index 3"), -1, false}};
  IndexAdvice i2;  // a full index on a table without schema: "where" is null, no INCLUDE, no queries
  i2.index.table = {"", "plain"};
  i2.index.keys = {{"a", "", false, std::nullopt}};
  a.indexes = {i1, i2};

  AdvisedClass c1;
  c1.fingerprint = hostile("class fp");
  c1.text = hostile("SELECT $1");
  c1.kind = "update";
  c1.calls = 41.5;
  c1.reads = {hostile("read1"), "public.r2"};
  c1.writes = {hostile("write")};
  c1.samples = {hostile("sample1"), hostile("sample2")};
  c1.parameter_sets = {{hostile("p1"), std::nullopt, ""}, {std::nullopt}};
  c1.plan_source = PlanSource::PgStats;
  c1.plan_note = hostile("note");
  c1.planned = false;
  c1.cost_before = 99.125;
  c1.cost_after = 0.0625;
  AdvisedClass c2;  // no note (null), planned, every other plan source
  c2.fingerprint = "ffff";
  c2.kind = "select";
  c2.plan_source = PlanSource::Generic;
  AdvisedClass c3 = c2;
  c3.plan_source = PlanSource::Sampled;
  a.classes_advised = {c1, c2, c3};

  DropAdvice d1;
  d1.finding.problem = analyzer::IndexProblem::Duplicate;
  d1.finding.schema = hostile("drop schema");
  d1.finding.table = hostile("drop table");
  d1.finding.index = hostile("drop index");
  d1.finding.definition = hostile("CREATE INDEX");
  d1.finding.size_bytes = 8192;
  d1.finding.scans = 17;
  d1.finding.covered_by = hostile("covered by");
  d1.evidence = hostile("evidence");
  d1.finding.partitioned = true;
  DropAdvice d2;  // not covered (null)
  d2.finding.problem = analyzer::IndexProblem::Invalid;
  d2.finding.schema = "s";
  d2.finding.table = "t";
  d2.finding.index = "i";
  DropAdvice d3 = d2;
  d3.finding.problem = analyzer::IndexProblem::Redundant;
  a.drops = {d1, d2, d3};

  a.refused_candidates = {{hostile("refused definition"), hostile("refused reason")}};
  a.unplanned = {{hostile("unplanned fp"), hostile("reason"), true}, {"", hostile("no fingerprint"), false}};
  a.not_indexable = {{"sch ema\"é.fo\nreign", hostile("not indexable"), {hostile("fp a"), "ffff"}}, {"s.t", "", {}}};
  a.cost_before = 123456.5;
  a.cost_after = 0.1 + 0.2;  // not a short decimal: the document must keep every digit
  a.candidates = 42;
  a.requests.requests = 1000;
  a.requests.cache_hits = 250;
  a.selection = {"ilp", 1234.5, 1200.25, "time limit", 0.75};
  return a;
}

// Every field the document carries (advice_json.hpp lists the few it does not), compared one by one.
void require_same(const Advice& a, const Advice& b) {
  REQUIRE(a.indexes.size() == b.indexes.size());
  for (size_t i = 0; i < a.indexes.size(); ++i) {
    const auto& x = a.indexes[i];
    const auto& y = b.indexes[i];
    CHECK(x.index.name() == y.index.name());
    CHECK(x.index.table.schema == y.index.table.schema);
    CHECK(x.index.table.name == y.index.table.name);
    REQUIRE(x.index.keys.size() == y.index.keys.size());
    for (size_t k = 0; k < x.index.keys.size(); ++k) {
      CHECK(key_text(x.index.keys[k]) == key_text(y.index.keys[k]));
      CHECK(x.index.keys[k].descending == y.index.keys[k].descending);
    }
    CHECK(x.index.include == y.index.include);
    CHECK(x.index.predicate == y.index.predicate);
    CHECK(x.index.method == y.index.method);
    CHECK(create_index_statement(x) == create_index_statement(y));
    CHECK(x.size_bytes == y.size_bytes);
    CHECK(x.write_overhead == y.write_overhead);
    REQUIRE(x.queries.size() == y.queries.size());
    for (size_t q = 0; q < x.queries.size(); ++q) {
      CHECK(x.queries[q].fingerprint == y.queries[q].fingerprint);
      CHECK(x.queries[q].weight == y.queries[q].weight);
      CHECK(x.queries[q].cost_before == y.queries[q].cost_before);
      CHECK(x.queries[q].cost_after == y.queries[q].cost_after);
      CHECK(x.queries[q].plan_before == y.queries[q].plan_before);
      CHECK(x.queries[q].plan_after == y.queries[q].plan_after);
      CHECK(x.queries[q].values == y.queries[q].values);
    }
    CHECK(x.rationale == y.rationale);
    CHECK(x.on_partitioned_table == y.on_partitioned_table);
    CHECK(x.partitions == y.partitions);
  }
  REQUIRE(a.classes_advised.size() == b.classes_advised.size());
  for (size_t i = 0; i < a.classes_advised.size(); ++i) {
    const auto& x = a.classes_advised[i];
    const auto& y = b.classes_advised[i];
    CHECK(x.fingerprint == y.fingerprint);
    CHECK(x.text == y.text);
    CHECK(x.kind == y.kind);
    CHECK(x.calls == y.calls);
    CHECK(x.reads == y.reads);
    CHECK(x.writes == y.writes);
    CHECK(x.samples == y.samples);
    CHECK(x.parameter_sets == y.parameter_sets);
    CHECK(x.plan_source == y.plan_source);
    CHECK(x.plan_note == y.plan_note);
    CHECK(x.planned == y.planned);
    CHECK(x.cost_before == y.cost_before);
    CHECK(x.cost_after == y.cost_after);
  }
  REQUIRE(a.drops.size() == b.drops.size());
  for (size_t i = 0; i < a.drops.size(); ++i) {
    const auto& x = a.drops[i];
    const auto& y = b.drops[i];
    CHECK(x.finding.problem == y.finding.problem);
    CHECK(x.finding.schema == y.finding.schema);
    CHECK(x.finding.table == y.finding.table);
    CHECK(x.finding.index == y.finding.index);
    CHECK(x.finding.definition == y.finding.definition);
    CHECK(x.finding.size_bytes == y.finding.size_bytes);
    CHECK(x.finding.scans == y.finding.scans);
    CHECK(x.finding.covered_by == y.finding.covered_by);
    CHECK(x.evidence == y.evidence);
    CHECK(x.finding.partitioned == y.finding.partitioned);
  }
  CHECK(a.not_indexable == b.not_indexable);
  REQUIRE(a.refused_candidates.size() == b.refused_candidates.size());
  for (size_t i = 0; i < a.refused_candidates.size(); ++i) {
    CHECK(a.refused_candidates[i].definition == b.refused_candidates[i].definition);
    CHECK(a.refused_candidates[i].reason == b.refused_candidates[i].reason);
  }
  REQUIRE(a.unplanned.size() == b.unplanned.size());
  for (size_t i = 0; i < a.unplanned.size(); ++i) {
    CHECK(a.unplanned[i].fingerprint == b.unplanned[i].fingerprint);
    CHECK(a.unplanned[i].reason == b.unplanned[i].reason);
    CHECK(a.unplanned[i].not_analyzable == b.unplanned[i].not_analyzable);
  }
  CHECK(a.cost_before == b.cost_before);
  CHECK(a.cost_after == b.cost_after);
  CHECK(a.candidates == b.candidates);
  CHECK(a.requests.requests == b.requests.requests);
  CHECK(a.requests.cache_hits == b.requests.cache_hits);
  CHECK(a.selection.kept == b.selection.kept);
  CHECK(a.selection.greedy_objective == b.selection.greedy_objective);
  CHECK(a.selection.ilp_objective == b.selection.ilp_objective);
  CHECK(a.selection.integer_program_status == b.selection.integer_program_status);
  CHECK(a.selection.integer_program_seconds == b.selection.integer_program_seconds);
}

}  // namespace

TEST_CASE("advice survives its JSON document, every field and hostile strings", "[advisor][advice_json]") {
  const Advice advice = hostile_advice();
  const std::string doc = advice_to_json(advice);
  const Advice back = advice_from_json(doc);
  require_same(advice, back);
  // Written again, the advice read back is the same document: nothing the writer wrote was left unread.
  CHECK(advice_to_json(back) == doc);
}

TEST_CASE("the advice document keeps its shape and its escapes", "[advisor][advice_json]") {
  const std::string doc = advice_to_json(hostile_advice());
  CHECK(doc.starts_with("{\n  \"schema_version\": 1,\n  \"indexes\": [\n"));
  CHECK(doc.ends_with("}\n"));
  CHECK(doc.find("\"where\": null") != std::string::npos);       // the full index
  CHECK(doc.find("\"covered_by\": null") != std::string::npos);  // the invalid index
  CHECK(doc.find("\\n\\t\\u0001 é€😀") != std::string::npos);     // escaped control characters, UTF-8 kept
  CHECK(doc.find("\"definition\": \"CREATE INDEX plain_a_idx ON plain USING btree (a)\"") != std::string::npos);
  // Bytes that are not UTF-8 (a LATIN1 database) do not make the document fail.
  Advice latin1;
  latin1.unplanned = {{"ff", "caf\xe9", false}};
  CHECK(advice_to_json(latin1).find("caf\xef\xbf\xbd") != std::string::npos);
}

TEST_CASE("a hand-written advice document reads with its definitions as written", "[advisor][advice_json]") {
  auto a = advice_from_json(R"json({"indexes": [{"definition": "CREATE INDEX i ON t (a) WHERE b", "table": 7,
    "queries": [{"fingerprint": "aa"}]}],
    "workload": {"classes": [{"fingerprint": "aa", "parameter_sets": [[1, null, "x", true]], "plan_source": "log"}]}})json");
  REQUIRE(a.indexes.size() == 1);
  CHECK(create_index_statement(a.indexes[0]) == "CREATE INDEX i ON t (a) WHERE b");
  CHECK(a.indexes[0].index.table.name.empty());  // a table that is not text is no table
  CHECK(a.indexes[0].queries.at(0).fingerprint == "aa");
  REQUIRE(a.classes_advised.size() == 1);
  CHECK(a.classes_advised[0].parameter_sets.at(0) ==
        analyzer::ParameterSet{std::string("1"), std::nullopt, std::string("x"), std::string("true")});
  CHECK(a.classes_advised[0].plan_source == PlanSource::Literals);
  CHECK(a.classes_advised[0].kind.empty());

  CHECK_THROWS_WITH(advice_from_json("not json"), Catch::Contains("not JSON"));
  CHECK_THROWS_WITH(advice_from_json(R"({"indexes": {}})"), Catch::Contains("no \"indexes\" array"));
  CHECK_THROWS_WITH(advice_from_json(R"({"indexes": [{"table": "t"}]})"), Catch::Contains("no \"definition\""));
}
