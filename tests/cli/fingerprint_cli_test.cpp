// `pgadvisor fingerprint` as users run it: JSON contract, a bad statement among good ones, stdin, a missing file.
#include <fstream>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "test_support.hpp"

using pgadvisor::test::run_pgadvisor;

TEST_CASE("fingerprint JSON: one record per statement, errors in place", "[cli][fingerprint]") {
  pgadvisor::test::TempDir tmp;
  auto file = tmp.path() / "q.sql";
  std::ofstream(file) << "SELECT * FROM orders WHERE status = 'pending' AND id = 7;\n"
                         "SELECT 0x1F;  -- PostgreSQL 16 syntax\n"
                         "SELECT * FROM orders WHERE status = 'paid' AND id = $1; SELECT $$a;b$$";
  auto r = run_pgadvisor({"fingerprint", file.string(), "--format", "json"});
  REQUIRE(r.exit_code == 0);
  auto doc = nlohmann::json::parse(r.out);
  CHECK(doc["schema_version"] == 1);
  auto& s = doc["statements"];
  REQUIRE(s.size() == 4);

  CHECK(s[0]["line"] == 1);
  CHECK(s[0]["kind"] == "select");
  CHECK(s[0]["fingerprint"].get<std::string>().size() == 16);
  CHECK(s[0]["normalized"] == "SELECT * FROM orders WHERE status = $1 AND id = $2");
  CHECK(s[0]["error"].is_null());
  CHECK(s[0]["facts"]["tables_read"] == nlohmann::json::array({"orders"}));
  auto& predicate = s[0]["facts"]["blocks"][0]["predicates"][0];
  CHECK(predicate["subject"]["column"] == "status");
  CHECK(predicate["kind"] == "eq");
  CHECK(predicate["operands"][0]["text"] == "'pending'");
  CHECK(predicate["constant"] == true);

  CHECK(s[0]["parsed"] == true);
  CHECK(s[0]["facts_note"].is_null());

  // Not parsed, but a class all the same (an unparsed one): fingerprint and normalized text from its tokens.
  CHECK(s[1]["line"] == 2);
  CHECK(s[1]["kind"] == "invalid");
  CHECK(s[1]["parsed"] == false);
  const std::string unparsed = s[1]["fingerprint"].get<std::string>();
  CHECK(unparsed.size() == 16);
  CHECK(unparsed[0] == 'u');
  CHECK(s[1]["normalized"] == "SELECT $1");
  CHECK(s[1]["facts"].is_null());
  CHECK(s[1]["error"]["position"].get<int>() > 0);
  CHECK_THAT(s[1]["error"]["message"].get<std::string>(), Catch::Contains("0x"));

  // Same class as the first: literals and parameters do not change the fingerprint.
  CHECK(s[2]["line"] == 3);
  CHECK(s[2]["fingerprint"] == s[0]["fingerprint"]);
  CHECK(s[3]["kind"] == "select");
}

TEST_CASE("fingerprint reads standard input and names a missing file", "[cli][fingerprint]") {
  pgadvisor::test::TempDir tmp;
  auto file = tmp.path() / "in.sql";
  std::ofstream(file) << "UPDATE t SET a = 1 WHERE id = 2";
  // run_pgadvisor gives the child /dev/null as stdin, so feed the file through "-" via a shell-free path:
  auto text = run_pgadvisor({"fingerprint", file.string()});
  CHECK(text.exit_code == 0);
  CHECK_THAT(text.out, Catch::Contains("update") && Catch::Contains("UPDATE t SET a = $1 WHERE id = $2") &&
                           Catch::Contains("1 statement(s)"));
  auto empty_stdin = run_pgadvisor({"fingerprint", "-"});
  CHECK(empty_stdin.exit_code == 0);
  CHECK_THAT(empty_stdin.out, Catch::Contains("0 statement(s)"));

  auto missing = run_pgadvisor({"fingerprint", (tmp.path() / "nope.sql").string()});
  CHECK(missing.exit_code == 3);
  CHECK_THAT(missing.err, Catch::Contains("nope.sql"));
}

TEST_CASE("fingerprint marks unparsed classes in text and shares them across literals",
          "[cli][fingerprint][unparsed]") {
  pgadvisor::test::TempDir tmp;
  auto file = tmp.path() / "new.sql";
  std::ofstream(file) << "SELECT 0x1F;\nselect 0x2A;";
  auto json = nlohmann::json::parse(run_pgadvisor({"fingerprint", file.string(), "--format", "json"}).out);
  REQUIRE(json["statements"].size() == 2);
  CHECK(json["statements"][0]["fingerprint"] == json["statements"][1]["fingerprint"]);
  const std::string fingerprint = json["statements"][0]["fingerprint"];
  auto text = run_pgadvisor({"fingerprint", file.string()});
  CHECK(text.exit_code == 0);
  CHECK_THAT(text.out, Catch::Contains("line 1    " + fingerprint + "  invalid   SELECT $1") &&
                           Catch::Contains("error at position") &&
                           Catch::Contains("unparsed class: fingerprint and normalized text from its tokens"));
}

TEST_CASE("fingerprint of a 200,000-entry select list finishes and says it is too large to analyze",
          "[cli][fingerprint][large]") {
  pgadvisor::test::TempDir tmp;
  auto file = tmp.path() / "wide.sql";
  std::string sql = "SELECT c1";
  for (int k = 2; k <= 200'000; ++k) sql += ", c" + std::to_string(k);
  sql += " FROM t";
  std::ofstream(file) << sql;
  auto r = run_pgadvisor({"fingerprint", file.string(), "--format", "json"});
  REQUIRE(r.exit_code == 0);
  auto doc = nlohmann::json::parse(r.out);
  REQUIRE(doc["statements"].size() == 1);
  const auto& s = doc["statements"][0];
  CHECK(s["kind"] == "select");
  CHECK(s["parsed"] == true);
  CHECK(s["fingerprint"].get<std::string>().size() == 16);
  CHECK(s["facts"].is_null());
  CHECK(s["facts_note"] == "too large to analyze (" + std::to_string(sql.size()) + " bytes > 131072)");
  auto text = run_pgadvisor({"fingerprint", file.string()});
  CHECK_THAT(text.out, Catch::Contains("           too large to analyze ("));
}
