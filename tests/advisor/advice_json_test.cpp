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

  // Materialized views: SQL texts with what ends comments, quotes and dollar quotes.
  ViewAdvice v1;
  v1.schema = hostile("view schema");
  v1.name = hostile("view name");
  v1.select = "SELECT \"ty\"\"pe\" AS t, count(*) AS n FROM s.\"o\nrders\" WHERE note = 'a''b $$ */ -- c' GROUP BY 1";
  v1.columns = {hostile("col t"), hostile("col n")};
  v1.unique_key = {hostile("key t")};
  v1.unique_index = hostile("unique index");
  v1.filter_columns = {hostile("filter t"), "day"};
  v1.filter_index = hostile("filter index");
  v1.base_tables = {hostile("base"), "public.orders"};
  ViewClass vc1;
  vc1.fingerprint = hostile("view class fp");
  vc1.text = hostile("SELECT $$x$$, $1 /* */");
  vc1.rewritten = hostile("SELECT v.n FROM view AS v WHERE v.t = $1 $$");
  vc1.samples = {hostile("view sample 1"), hostile("view sample 2")};
  vc1.rewritten_samples = {hostile("rewritten 1"), hostile("rewritten 2")};
  vc1.parameter_sets = {{hostile("vp1"), std::nullopt}, {std::string("*/"), std::string("$$")}};
  vc1.calls = 12.5;
  vc1.cost_before = 4567.875;
  vc1.cost_after = 12.0625;
  ViewClass vc2;  // only the fingerprint
  vc2.fingerprint = "eeee";
  v1.classes = {vc1, vc2};
  v1.estimated_rows = 730.5;
  v1.base_rows = 2e6;
  v1.estimated_bytes = 98765432109;
  v1.refresh_cost = 45678.25;
  v1.base_writes = 3.5;
  v1.saving = 0.1 + 0.7;
  v1.refresh_every_calls = 41;
  v1.refresh_every_seconds = 615;
  v1.net_saving_per_hour = 1234.5;
  v1.net_saving = -1.5;
  ViewAdvice v2;  // no unique key, no filter index (null), no classes
  v2.schema = "public";
  v2.name = "v";
  v2.select = "SELECT 1";
  a.views = {v1, v2};
  a.refused_views = {{hostile("refused view fp"), hostile("refused view text $$"), hostile("refused view reason */")},
                     {"", "", ""}};

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
  REQUIRE(a.views.size() == b.views.size());
  for (size_t i = 0; i < a.views.size(); ++i) {
    const auto& x = a.views[i];
    const auto& y = b.views[i];
    CHECK(x.schema == y.schema);
    CHECK(x.name == y.name);
    CHECK(x.select == y.select);
    CHECK(x.columns == y.columns);
    CHECK(x.unique_key == y.unique_key);
    CHECK(x.unique_index == y.unique_index);
    CHECK(x.filter_columns == y.filter_columns);
    CHECK(x.filter_index == y.filter_index);
    CHECK(x.base_tables == y.base_tables);
    REQUIRE(x.classes.size() == y.classes.size());
    for (size_t c = 0; c < x.classes.size(); ++c) {
      CHECK(x.classes[c].fingerprint == y.classes[c].fingerprint);
      CHECK(x.classes[c].text == y.classes[c].text);
      CHECK(x.classes[c].rewritten == y.classes[c].rewritten);
      CHECK(x.classes[c].samples == y.classes[c].samples);
      CHECK(x.classes[c].rewritten_samples == y.classes[c].rewritten_samples);
      CHECK(x.classes[c].parameter_sets == y.classes[c].parameter_sets);
      CHECK(x.classes[c].calls == y.classes[c].calls);
      CHECK(x.classes[c].cost_before == y.classes[c].cost_before);
      CHECK(x.classes[c].cost_after == y.classes[c].cost_after);
    }
    CHECK(x.estimated_rows == y.estimated_rows);
    CHECK(x.base_rows == y.base_rows);
    CHECK(x.estimated_bytes == y.estimated_bytes);
    CHECK(x.refresh_cost == y.refresh_cost);
    CHECK(x.base_writes == y.base_writes);
    CHECK(x.saving == y.saving);
    CHECK(x.refresh_every_calls == y.refresh_every_calls);
    CHECK(x.net_saving == y.net_saving);
    CHECK(x.refresh_every_seconds == y.refresh_every_seconds);
    CHECK(x.net_saving_per_hour == y.net_saving_per_hour);
    CHECK(x == y);  // and any field added to ViewAdvice without a check above
  }
  CHECK(a.refused_views == b.refused_views);
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
  CHECK(doc.find("\"where\": null") != std::string::npos);         // the full index
  CHECK(doc.find("\"covered_by\": null") != std::string::npos);    // the invalid index
  CHECK(doc.find("\"filter_index\": null") != std::string::npos);  // the view without one
  CHECK(doc.find("\"views\": [\n") < doc.find("\"drops\": ["));
  CHECK(doc.find("\"refused_views\": [\n") != std::string::npos);
  CHECK(doc.find("\\n\\t\\u0001 é€😀") != std::string::npos);  // escaped control characters, UTF-8 kept
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
  CHECK(a.views.empty());  // a document from before views, or without any
  CHECK(a.refused_views.empty());

  CHECK_THROWS_WITH(advice_from_json("not json"), Catch::Contains("not JSON"));
  CHECK_THROWS_WITH(advice_from_json(R"({"indexes": {}})"), Catch::Contains("no \"indexes\" array"));
  CHECK_THROWS_WITH(advice_from_json(R"({"indexes": [{"table": "t"}]})"), Catch::Contains("no \"definition\""));
}
