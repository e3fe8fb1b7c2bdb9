// The baseline file: a round trip keeps everything, the text is stable, and each kind of damage is refused with the
// file, the JSON path and what to do.
#include "gate/baseline.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using namespace pgadvisor::gate;

namespace {

Baseline sample_baseline() {
  Baseline b;
  b.environment.server_version = "15.5";
  b.environment.server_version_num = 150005;
  b.environment.settings = {{"work_mem", "4MB"}, {"random_page_cost", "1.1"}, {"jit", "off"}};
  b.environment.machine = "ci-runner-3 (2 cores)";
  b.environment.database_bytes = 123456789;
  b.environment.taken_at = "2026-01-02T03:04:05Z";
  b.runs = 3;
  Measurement m;
  m.name = "job_matching";
  m.sql_hash = "0123456789abcdef";
  m.execution_ms = {0.311, 0.305, 12.5};
  m.planning_ms = {0.05, 0.051, 0.049};
  m.buffers = {3, 3, 4};
  m.shared_read = {0, 0, 1};
  m.plan.lines = {"Index Scan using orders_customer_idx on orders", "  Index Cond: (customer_id = ?)"};
  m.plan.fingerprint = "fedcba9876543210";
  m.plan.nodes = {PlanNode{"Index Scan", "orders", "orders_customer_idx"}};
  m.rows = 7;
  m.result_checksum = "00000000000000ff";
  b.queries.push_back(m);
  Measurement failed;
  failed.name = "commandes_été";
  failed.sql_hash = "1111111111111111";
  failed.error = "42P01: relation \"gone\" does not exist";
  b.queries.push_back(failed);
  return b;
}

std::string error_of(std::string_view text) {
  try {
    baseline_from_json(text, "base.json");
  } catch (const BaselineError& e) {
    return e.what();
  }
  return "";
}

//! The sample baseline's JSON with `edit` applied.
std::string edited(const std::function<void(nlohmann::json&)>& edit) {
  auto doc = nlohmann::json::parse(baseline_to_json(sample_baseline()));
  edit(doc);
  return doc.dump();
}

}  // namespace

TEST_CASE("gate: a baseline survives a round trip through its JSON", "[gate][baseline]") {
  auto b = sample_baseline();
  auto text = baseline_to_json(b);
  auto back = baseline_from_json(text, "base.json");
  CHECK(back.schema_version == Baseline::kSchemaVersion);
  CHECK(back.environment.server_version == "15.5");
  CHECK(back.environment.server_version_num == 150005);
  CHECK(back.environment.settings == b.environment.settings);
  CHECK(back.environment.machine == b.environment.machine);
  CHECK(back.environment.database_bytes == 123456789);
  CHECK(back.environment.taken_at == b.environment.taken_at);
  CHECK(back.runs == 3);
  REQUIRE(back.queries.size() == 2);
  const auto& m = back.queries[0];
  CHECK(m.name == "job_matching");
  CHECK(m.sql_hash == "0123456789abcdef");
  CHECK(m.execution_ms == b.queries[0].execution_ms);
  CHECK(m.planning_ms == b.queries[0].planning_ms);
  CHECK(m.buffers == b.queries[0].buffers);
  CHECK(m.shared_read == b.queries[0].shared_read);
  CHECK(m.plan.lines == b.queries[0].plan.lines);
  CHECK(m.plan.fingerprint == "fedcba9876543210");
  REQUIRE(m.plan.nodes.size() == 1);
  CHECK(m.plan.nodes[0].index == "orders_customer_idx");
  CHECK(m.rows == 7);
  CHECK(m.result_checksum == "00000000000000ff");
  CHECK(back.queries[1].name == "commandes_été");
  CHECK(back.queries[1].error == b.queries[1].error);
  CHECK(back.queries[1].execution_ms.empty());
  CHECK(baseline_to_json(back) == text);  // stable: writing what was read gives the same bytes
}

TEST_CASE("gate: the baseline's text opens with the tool and the version and keeps runs on one line",
          "[gate][baseline]") {
  auto text = baseline_to_json(sample_baseline());
  CHECK(text.starts_with("{\n  \"tool\": \"pgadvisor\",\n  \"schema_version\": 1,\n  \"environment\": {\n"));
  CHECK(text.find("\"execution_ms\": [0.311, 0.305, 12.5],\n") != std::string::npos);
  CHECK(text.find("\"nodes\": [\n          {\"type\": \"Index Scan\", \"relation\": \"orders\", \"index\": "
                  "\"orders_customer_idx\"}\n") != std::string::npos);
  CHECK(text.find("\"settings\": {\"jit\": \"off\", \"random_page_cost\": \"1.1\", \"work_mem\": \"4MB\"}") !=
        std::string::npos);
  CHECK(text.find("commandes_été") != std::string::npos);  // UTF-8 as it is, not \u escapes
  CHECK(text.ends_with("}\n"));
}

TEST_CASE("gate: a truncated or non-JSON baseline names the byte", "[gate][baseline]") {
  auto text = baseline_to_json(sample_baseline());
  auto cut = text.substr(0, 200);
  CHECK_THAT(error_of(cut), Catch::StartsWith("base.json: truncated or not JSON at byte 200 of 200 (") &&
                                Catch::Contains("re-record it with `pgadvisor gate record`"));
  CHECK_THAT(error_of(""), Catch::StartsWith("base.json: truncated or not JSON at byte 0 of 0"));
  CHECK_THAT(error_of("<html>oops</html>"), Catch::StartsWith("base.json: truncated or not JSON at byte 0 of 17"));
  CHECK_THAT(error_of("{\"tool\": \"pgadvisor\",, }"),
             Catch::StartsWith("base.json: truncated or not JSON at byte 21"));
}

TEST_CASE("gate: a baseline of another tool or schema version is refused, saying what to do", "[gate][baseline]") {
  CHECK(error_of("[]") == "base.json: $: expected an object, found an array");
  CHECK(error_of(edited([](auto& d) { d.erase("tool"); })) ==
        "base.json: $.tool: not a pgadvisor baseline (`pgadvisor gate record` writes one)");
  CHECK(error_of(edited([](auto& d) { d["tool"] = "other"; })).starts_with("base.json: $.tool: not a pgadvisor"));
  CHECK(error_of(edited([](auto& d) { d.erase("schema_version"); })) ==
        "base.json: $.schema_version: missing; this pgadvisor reads baseline schema version 1: re-record the "
        "baseline with `pgadvisor gate record`");
  CHECK(error_of(edited([](auto& d) { d["schema_version"] = 2; })) ==
        "base.json: $.schema_version: version 2 is not supported; this pgadvisor reads baseline schema version 1: "
        "re-record the baseline with `pgadvisor gate record`");
  CHECK(error_of(edited([](auto& d) {
          d["schema_version"] = "1";
        })).starts_with("base.json: $.schema_version: \"1\"; this pgadvisor reads baseline schema version 1"));
}

TEST_CASE("gate: missing, ill-typed and inconsistent baseline fields name their JSON path", "[gate][baseline]") {
  CHECK(error_of(edited([](auto& d) { d.erase("environment"); })) == "base.json: $.environment: missing");
  CHECK(error_of(edited([](auto& d) { d["environment"].erase("server_version_num"); })) ==
        "base.json: $.environment.server_version_num: missing");
  CHECK(error_of(edited([](auto& d) { d["environment"]["server_version_num"] = "15"; })) ==
        "base.json: $.environment.server_version_num: expected an integer, found a string");
  CHECK(error_of(edited([](auto& d) { d["environment"]["settings"]["jit"] = false; })) ==
        "base.json: $.environment.settings.jit: expected a string, found a boolean");
  CHECK(error_of(edited([](auto& d) { d["runs"] = 2.5; })) == "base.json: $.runs: expected an integer, found a number");
  CHECK(error_of(edited([](auto& d) { d["queries"] = nlohmann::json::object(); })) ==
        "base.json: $.queries: expected an array, found an object");
  CHECK(error_of(edited([](auto& d) { d["queries"][1].erase("name"); })) == "base.json: $.queries[1].name: missing");
  CHECK(error_of(edited([](auto& d) { d["queries"][0]["execution_ms"][2] = "12.5"; })) ==
        "base.json: $.queries[0].execution_ms[2]: expected a number, found a string");
  CHECK(error_of(edited([](auto& d) { d["queries"][0]["buffers"][0] = -3; })) ==
        "base.json: $.queries[0].buffers[0]: -3 is not a non-negative measurement");
  CHECK(error_of(edited([](auto& d) { d["queries"][0]["buffers"].erase(0); })) ==
        "base.json: $.queries[0].buffers: 2 values, execution_ms has 3");
  CHECK(error_of(edited([](auto& d) { d["queries"][0]["execution_ms"] = nlohmann::json::array(); })) ==
        "base.json: $.queries[0].execution_ms: empty, and the query has no error: re-record it");
  CHECK(error_of(edited([](auto& d) { d["queries"][0]["plan"]["fingerprint"] = "XYZ"; })) ==
        "base.json: $.queries[0].plan.fingerprint: 'XYZ' is not 16 lower-case hex digits");
  CHECK(error_of(edited([](auto& d) { d["queries"][0]["plan"]["nodes"][0].erase("relation"); })) ==
        "base.json: $.queries[0].plan.nodes[0].relation: missing");
  CHECK(error_of(edited([](auto& d) { d["queries"][0]["plan"]["lines"][1] = 3; })) ==
        "base.json: $.queries[0].plan.lines[1]: expected a string, found a number");
  CHECK(error_of(edited([](auto& d) { d["queries"][1]["name"] = "job_matching"; })) ==
        "base.json: $.queries[1].name: 'job_matching' again (also $.queries[0])");
  CHECK(error_of(edited([](auto& d) { d["queries"][0]["rows"] = -1; })) == "base.json: $.queries[0].rows: negative");
  CHECK(error_of(edited([](auto& d) { d["later_addition"] = 1; })).empty());  // unknown keys are ignored
}
