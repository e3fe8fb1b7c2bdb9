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

  CHECK(s[1]["line"] == 2);
  CHECK(s[1]["kind"] == "invalid");
  CHECK(s[1]["fingerprint"].is_null());
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
