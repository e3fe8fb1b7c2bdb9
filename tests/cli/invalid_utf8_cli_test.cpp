// Text that is not UTF-8 (one Latin-1 byte, as a LATIN1 database writes 'caf\xe9') in statements, user and
// application names and parameter values, in every log format: ingest keeps every entry, and fingerprint, top and
// advise still work for the whole store, with each stray byte shown as U+FFFD and JSON that parses.
#include <fstream>
#include <string>

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "pg/connection.hpp"
#include "pg/sandbox.hpp"
#include "test_support.hpp"

using nlohmann::json;
using pgadvisor::test::run_pgadvisor;
using pgadvisor::test::TempDir;

namespace {

constexpr const char* kReplacement = "\xEF\xBF\xBD";

void write_file(const std::filesystem::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

//! Every byte of `text` is part of a well-formed UTF-8 sequence (enough of a check for these tests: no byte
//! above 0x7F outside a two- or three-byte sequence).
bool valid_utf8(const std::string& text) {
  for (size_t i = 0; i < text.size();) {
    const auto b = static_cast<unsigned char>(text[i]);
    const size_t n = b < 0x80 ? 1 : (b & 0xE0) == 0xC0 && b >= 0xC2 ? 2 : (b & 0xF0) == 0xE0 ? 3 : 0;
    if (n == 0 || i + n > text.size()) return false;
    for (size_t k = 1; k < n; ++k) {
      if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80) return false;
    }
    i += n;
  }
  return true;
}

// Three logs of different traffic (pids and minutes), each with Latin-1 bytes in the user, the application, the
// statement and a parameter value, and a plain statement.
std::string stderr_log() {
  return "2026-11-22 04:46:52.100 UTC [11] b\xF6"
         "b@shop app=caf\xE9 LOG:  duration: 1.500 ms  statement: SELECT * "
         "FROM menu WHERE name = 'caf\xE9'\n"
         "2026-11-22 04:46:52.200 UTC [11] b\xF6"
         "b@shop app=caf\xE9 LOG:  duration: 2.000 ms  execute <unnamed>: "
         "SELECT * FROM menu WHERE note = $1\n"
         "2026-11-22 04:46:52.200 UTC [11] b\xF6"
         "b@shop app=caf\xE9 DETAIL:  parameters: $1 = 'cr\xE8me'\n"
         "2026-11-22 04:46:52.300 UTC [12] ann@shop app=psql LOG:  duration: 1.000 ms  statement: SELECT 1\n";
}

std::string csv_log() {
  const std::string head =
      "2026-11-22 04:47:33.296 UTC,\"b\xF6"
      "b\",\"shop\",21,\"[local]\",6b02.15,1,\"SELECT\","
      "2026-11-22 04:47:00 UTC,3/0,0,LOG,00000,\"duration: ";
  const std::string tail = ",,,,,,,,\"caf\xE9\",\"client backend\",,0\n";
  return head + "1.500 ms  statement: SELECT * FROM menu WHERE name = 'caf\xE9'\"," + tail + head +
         "2.000 ms  execute <unnamed>: SELECT * FROM menu WHERE note = $1\",\"parameters: $1 = 'cr\xE8me'\"" + tail +
         head + "1.000 ms  statement: SELECT 1\"," + tail;
}

std::string json_log() {
  const std::string head =
      "{\"timestamp\":\"2026-11-22 04:48:33.296 UTC\",\"user\":\"b\xF6"
      "b\",\"dbname\":\"shop\","
      "\"pid\":31,\"session_id\":\"6b02.1f\",\"error_severity\":\"LOG\",\"message\":\"duration: ";
  const std::string tail = ",\"application_name\":\"caf\xE9\",\"backend_type\":\"client backend\"}\n";
  return head + "1.500 ms  statement: SELECT * FROM menu WHERE name = 'caf\xE9'\"" + tail + head +
         "2.000 ms  execute <unnamed>: SELECT * FROM menu WHERE note = $1\",\"detail\":\"parameters: $1 = "
         "'cr\xE8me'\"" +
         tail + head + "1.000 ms  statement: SELECT 1\"" + tail;
}

}  // namespace

TEST_CASE("Latin-1 bytes in stderr, csvlog and jsonlog entries: every entry kept, top's outputs valid UTF-8",
          "[cli][ingest][top][utf8]") {
  TempDir tmp;
  const auto store = (tmp.path() / "s.db").string();
  std::vector<std::string> args{"ingest", "--final", "--format", "json", "--store", store};
  for (const auto& [name, text] : {std::pair{"a.log", stderr_log()}, {"b.csv", csv_log()}, {"c.json", json_log()}}) {
    write_file(tmp.path() / name, text);
    args.push_back((tmp.path() / name).string());
  }
  auto ingest = run_pgadvisor(args);
  INFO(ingest.err);
  REQUIRE(ingest.exit_code == 0);
  REQUIRE(valid_utf8(ingest.out));
  const json summary = json::parse(ingest.out);
  CHECK(summary["totals"]["calls"] == 9);
  CHECK(summary["totals"]["bad_lines"] == 0);
  CHECK(summary["totals"]["malformed"] == 0);
  CHECK(summary["totals"]["parameter_sets"] == 3);

  auto top = run_pgadvisor({"top", "--store", store, "--format", "json"});
  INFO(top.err);
  REQUIRE(top.exit_code == 0);
  REQUIRE(valid_utf8(top.out));
  const json doc = json::parse(top.out);
  bool found = false;
  for (const auto& c : doc["classes"]) {
    if (c["normalized"].get<std::string>().find("FROM menu WHERE name") == std::string::npos) continue;
    found = true;
    CHECK(c["calls"] == 3);
    const std::string dump = c.dump();
    CHECK_THAT(dump, Catch::Contains(std::string("caf") + kReplacement));      // application, sample
    CHECK_THAT(dump, Catch::Contains(std::string("b") + kReplacement + "b"));  // user
  }
  CHECK(found);
  for (const char* format : {"text", "markdown"}) {
    auto r = run_pgadvisor({"top", "--store", store, "--format", format, "--details"});
    if (std::string(format) == "markdown") r = run_pgadvisor({"top", "--store", store, "--format", format});
    INFO(format << r.err);
    CHECK(r.exit_code == 0);
    CHECK(valid_utf8(r.out));
  }
}

TEST_CASE("fingerprint of statements with Latin-1 bytes: every statement analyzed, valid UTF-8 out",
          "[cli][fingerprint][utf8]") {
  TempDir tmp;
  const auto file = tmp.path() / "q.sql";
  write_file(file, "SELECT * FROM menu WHERE name = 'caf\xE9';\nSELECT 2;\nSELECT \"caf\xE9\" FROM menu;\n");
  for (const char* format : {"text", "json"}) {
    auto r = run_pgadvisor({"fingerprint", file.string(), "--format", format});
    INFO(format << r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(valid_utf8(r.out));
    if (std::string(format) == "json") {
      const json doc = json::parse(r.out);
      REQUIRE(doc["statements"].size() == 3);
      CHECK(doc["statements"][0]["kind"] == "select");
      CHECK(doc["statements"][0]["normalized"] == "SELECT * FROM menu WHERE name = $1");
      CHECK(doc["statements"][2]["error"].is_null());
    }
  }
}

TEST_CASE("advise --log with a statement the UTF8 server refuses: the other classes are advised",
          "[cli][advise][utf8][live]") {
  pgadvisor::pg::Sandbox sandbox(pgadvisor::test::sandbox_dir());
  auto admin = pgadvisor::pg::Connection::open(sandbox.dsn());
  admin.query("DROP SCHEMA IF EXISTS utf8_cli CASCADE");
  admin.query("CREATE SCHEMA utf8_cli");
  admin.query("CREATE TABLE utf8_cli.menu (id bigint PRIMARY KEY, code int NOT NULL, name text)");
  admin.query("INSERT INTO utf8_cli.menu SELECT g, g % 50000, 'n' || g FROM generate_series(1, 100000) g");
  admin.query("ANALYZE utf8_cli.menu");
  TempDir tmp;
  const auto log = tmp.path() / "postgresql.log";
  std::string text;
  for (int i = 0; i < 6; ++i) {
    text += fmt::format(
        "2026-11-22 04:46:52.{:03} UTC [{}] postgres@pgadvisor app=caf\xE9 LOG:  duration: 9.000 ms  statement: "
        "SELECT id FROM utf8_cli.menu WHERE name = 'caf\xE9 {}'\n",
        i, 100 + i, i);
    text += fmt::format(
        "2026-11-22 04:46:53.{:03} UTC [{}] postgres@pgadvisor app=psql LOG:  duration: 9.000 ms  statement: "
        "SELECT id FROM utf8_cli.menu WHERE code = {}\n",
        i, 100 + i, i * 31);
  }
  write_file(log, text);
  auto r = run_pgadvisor({"advise", "--dsn", sandbox.dsn(), "--log", log.string(), "--format", "json"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  REQUIRE(valid_utf8(r.out));
  const json advice = json::parse(r.out);
  bool code_indexed = false;
  for (const auto& i : advice["indexes"]) {
    code_indexed = code_indexed || (i["table"] == "utf8_cli.menu" && i["columns"][0] == "code");
  }
  CHECK(code_indexed);
  // The class with the Latin-1 constant, which the UTF8 server refuses, is listed with the server's reason.
  bool latin1_class = false;
  for (const auto& u : advice["unplanned"]) {
    latin1_class = latin1_class || u["reason"].get<std::string>().find("invalid byte sequence") != std::string::npos;
  }
  CHECK(latin1_class);
  auto text_run = run_pgadvisor({"advise", "--dsn", sandbox.dsn(), "--log", log.string()});
  CHECK(text_run.exit_code == 0);
  CHECK(valid_utf8(text_run.out));
  admin.query("DROP SCHEMA utf8_cli CASCADE");
}
