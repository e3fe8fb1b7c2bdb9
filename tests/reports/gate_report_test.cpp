// The gate's reports with hostile names: a query named `</testcase><script>` (and worse) and a plan with a hostile
// index name go through text, Markdown, JSON, JUnit XML and GitHub Actions annotations; none of them lets the name
// close a tag, open a code span or a table cell, start a workflow command or reach the terminal raw.
#include "reports/gate_report.hpp"

#include <regex>
#include <set>
#include <sstream>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using namespace pgadvisor;
using pgadvisor::gate::Status;

namespace {

const std::string kHostileName = "</testcase><script>alert(1)</script>|`x`&amp;\n::error::pwned\x1b[31m\"'%0A,:";
const std::string kHostileIndex = "idx\"</failure>``` <b>|x|</b>\r\n%25 & \x07";

reports::GateReport hostile_report() {
  reports::GateReport r;
  r.command = "check";
  r.server = "host=localhost dbname=shop";
  r.against = "baseline <base>.json";
  r.fail_on = "regressed,result,budget,missing,error";
  r.warnings = {"server setting work_mem differs: 4MB -> 64MB <i>"};
  reports::GateQueryReport bad;
  bad.name = kHostileName;
  bad.origin = "queries.sql:3";
  bad.statuses = {Status::Regressed, Status::PlanChanged};
  bad.failed = true;
  bad.time = reports::GateTime{"median", 0.1, 5.3, 53, 48, 58};
  bad.base_buffers = 4;
  bad.now_buffers = 1230;
  bad.plan_diff = {"- Index Scan using " + kHostileIndex + " on orders", "+ Seq Scan on orders"};
  bad.evidence = {"budget p95 < 1ms: 5.9 ms", "time: +5200 % and +5.2 ms, beyond the noise"};
  reports::GateQueryReport fine;
  fine.name = "fine";
  fine.time = reports::GateTime{"median", 1, 1.01, 1.01, 0.97, 1.05};
  fine.base_buffers = 3;
  fine.now_buffers = 3;
  reports::GateQueryReport warned;
  warned.name = "plan_only";
  warned.statuses = {Status::PlanChanged};
  warned.plan_diff = {"- Index Scan using " + kHostileIndex + " on t"};
  r.queries = {bad, fine, warned};
  return r;
}

bool has_control(const std::string& s, bool newline_allowed) {
  for (unsigned char c : s) {
    if ((c < 0x20 && !(newline_allowed && c == '\n')) || c == 0x7f) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("gate reports: hostile names stay data in the text", "[reports][gate]") {
  auto text = reports::render_gate_text(hostile_report());
  CHECK_FALSE(has_control(text, true));
  CHECK_THAT(text, Catch::Contains("Index Scan using idx") && Catch::Contains("Seq Scan on orders"));
  CHECK_THAT(text, Catch::Contains("FAILED: 1 of 3 queries"));
  CHECK_THAT(text, Catch::Contains("0.10 -> 5.30 ms (x53 [x48, x58])") && Catch::Contains("4 -> 1230"));
  CHECK_THAT(text, Catch::Contains("plan_only: plan changed"));
}

TEST_CASE("gate reports: hostile names stay data in Markdown", "[reports][gate]") {
  auto md = reports::render_gate_markdown(hostile_report());
  CHECK_FALSE(has_control(md, true));
  CHECK_THAT(md, Catch::Contains("&lt;/testcase&gt;&lt;script&gt;"));  // in the table and the <summary>
  // Every table row has exactly its four cells: no pipe of a name splits one.
  std::regex row(R"(^\|.*\|$)");
  std::istringstream lines(md);
  std::string line;
  size_t rows = 0;
  bool in_fence = false;
  std::string fence;
  while (std::getline(lines, line)) {
    if (!in_fence && line.rfind("```", 0) == 0) {
      in_fence = true;
      fence = line.substr(0, line.find_first_not_of('`'));
      continue;
    }
    if (in_fence) {
      // No line inside closes the block early: only a line of the fence itself does. Inside, HTML is shown as text.
      if (line == fence)
        in_fence = false;
      else
        CHECK(line.rfind(fence, 0) != 0);
      continue;
    }
    // Outside code blocks no tag of a name is left raw: only the report's own <details> and <summary>.
    for (const char* raw : {"<script", "</testcase", "<b>", "<i>", "</failure"})
      CHECK(line.find(raw) == std::string::npos);
    if (!std::regex_match(line, row)) continue;
    ++rows;
    size_t cells = 0;
    for (size_t i = 1; i < line.size(); ++i) {
      size_t backslashes = 0;
      for (size_t j = i; j > 0 && line[j - 1] == '\\'; --j) ++backslashes;
      if (line[i] == '|' && backslashes % 2 == 0) ++cells;
    }
    CHECK(cells == 4);
  }
  CHECK_FALSE(in_fence);
  CHECK(rows == 5);  // header, delimiter, three queries
  CHECK(md.find("<details open><summary>FAIL ") != std::string::npos);
}

TEST_CASE("gate reports: hostile names stay data in JSON", "[reports][gate]") {
  auto doc = nlohmann::json::parse(reports::render_gate_json(hostile_report()));
  CHECK(doc["schema_version"] == 1);
  CHECK(doc["passed"] == false);
  REQUIRE(doc["queries"].size() == 3);
  CHECK(doc["queries"][0]["name"] == kHostileName);
  CHECK(doc["queries"][0]["plan_diff"][0] == "- Index Scan using " + kHostileIndex + " on orders");
  CHECK(doc["queries"][0]["statuses"] == nlohmann::json({"regressed", "plan changed"}));
  CHECK(doc["queries"][0]["time"]["ci95"] == nlohmann::json({48, 58}));
  CHECK(doc["queries"][1]["statuses"] == nlohmann::json({"ok"}));
  CHECK(doc["summary"]["ok"] == 1);
  CHECK(doc["summary"]["plan changed"] == 2);
}

TEST_CASE("gate reports: hostile names stay data in JUnit XML", "[reports][gate]") {
  auto xml = reports::render_gate_junit(hostile_report());
  CHECK_FALSE(has_control(xml, true));
  // Every tag is one of the report's own, with well-formed attributes: nothing of a name opens or closes one.
  std::regex tag(R"(<[^<>]*>)");
  std::regex attrs(R"(^<\??/?([a-z-]+)((\s+[a-z-]+="[^"<>]*")*)\s*/?\??>$)");
  const std::set<std::string> known{"xml", "testsuites", "testsuite", "testcase", "failure", "system-out"};
  size_t testcases = 0;
  for (auto it = std::sregex_iterator(xml.begin(), xml.end(), tag); it != std::sregex_iterator(); ++it) {
    std::smatch m;
    std::string t = it->str();
    INFO(t);
    REQUIRE(std::regex_match(t, m, attrs));
    CHECK(known.count(m[1].str()) == 1);
    if (t.rfind("<testcase ", 0) == 0) ++testcases;
  }
  CHECK(testcases == 3);
  // Outside the tags, no '<' or '>' is left: the text is all entities.
  CHECK(std::regex_replace(xml, tag, "").find_first_of("<>") == std::string::npos);
  CHECK_THAT(xml, Catch::Contains("&lt;/testcase&gt;&lt;script&gt;"));
  CHECK_THAT(xml, Catch::Contains("idx&quot;&lt;/failure&gt;"));
  CHECK(xml.find("<failure message=") != std::string::npos);
  CHECK(xml.find("type=\"regressed, plan changed\"") != std::string::npos);
  CHECK(reports::xml_escape("a\x01\xEF\xBF\xBF") == "a\\x01\xEF\xBF\xBD");
}

TEST_CASE("gate reports: hostile names stay data in GitHub annotations", "[reports][gate]") {
  auto ann = reports::render_gate_annotations(hostile_report());
  std::istringstream lines(ann);
  std::string line;
  size_t n = 0;
  while (std::getline(lines, line)) {
    ++n;
    CHECK((line.rfind("::error title=", 0) == 0 || line.rfind("::warning title=", 0) == 0));
    // The title ends at the first "::" after it: a name's ':' and ',' are escaped there.
    auto title = line.substr(line.find("title=") + 6);
    title = title.substr(0, title.find("::"));
    CHECK(title.find(',') == std::string::npos);
  }
  CHECK(n == 3);  // the failing query, the plan-only warning, the report warning
  CHECK_FALSE(has_control(ann, true));
  // The name's line break is shown as "\n", its colons escaped in the title; in the message it stays on its line.
  CHECK_THAT(ann, Catch::Contains("\\n%3A%3Aerror%3A%3Apwned"));
  CHECK_THAT(ann, Catch::Contains("\\n::error::pwned"));
  CHECK_THAT(ann, Catch::Contains("%0Aplan diff"));  // the report's own line breaks are escaped
  CHECK(reports::workflow_data("50% done\r\nnext") == "50%25 done%0D%0Anext");
  CHECK(reports::workflow_property("a:b,c") == "a%3Ab%2Cc");
}

