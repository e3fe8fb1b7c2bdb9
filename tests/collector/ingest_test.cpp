// Log ingest against logs the sandbox server wrote for traffic these tests generate: simple and extended
// protocol through libpq and psql, multi-line statements, errors; exact counts and durations, incremental reads.
#include "collector/ingest.hpp"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include "collector/ingest_store.hpp"
#include "collector/log_message.hpp"
#include "pg/connection.hpp"
#include "pg/process.hpp"
#include "pg/quote.hpp"
#include "pg/sandbox.hpp"
#include "test_support.hpp"

using namespace pgadvisor;
using collector::IngestOptions;
using pgadvisor::test::read_file;

namespace {

//! What the log says about one database, read line by line independently of the parser under test.
struct Expected {
  uint64_t calls = 0;
  int64_t total_us = 0;
  uint64_t prepares = 0;
  uint64_t errors = 0;
};

Expected expected_from_log(const std::string& log, const std::string& database) {
  Expected e;
  std::istringstream in(log);
  std::string line;
  const std::string who = "@" + database + " ";
  while (std::getline(in, line)) {
    if (line.find(who) == std::string::npos) continue;
    if (line.find(" ERROR:  ") != std::string::npos) ++e.errors;
    if (line.find(" LOG:  statement: ") != std::string::npos) ++e.calls;  // log_statement; its duration comes later
    size_t d = line.find("LOG:  duration: ");
    if (d == std::string::npos) continue;
    std::string rest = line.substr(d + 16);
    const double ms = std::stod(rest);
    if (rest.size() >= 3 && rest.compare(rest.size() - 3, 3, " ms") == 0) e.total_us += std::llround(ms * 1000);
    const bool call =
        rest.find(" ms  statement: ") != std::string::npos || rest.find(" ms  execute ") != std::string::npos;
    const bool prep = rest.find(" ms  parse ") != std::string::npos || rest.find(" ms  bind ") != std::string::npos;
    if (call) {
      ++e.calls;
      e.total_us += std::llround(ms * 1000);
    }
    if (prep) ++e.prepares;
  }
  return e;
}

//! A fresh database on the shared sandbox, so that this test's entries can be told from the others'.
std::string fresh_database(pg::Connection& admin) {
  std::random_device rd;
  std::string name = fmt::format("ingest_{}_{}", getpid(), rd() % 1000000);
  admin.query("CREATE DATABASE " + pg::quote_identifier(name));
  return name;
}

//! Waits until the log holds `marker` (the sandbox's logging collector writes asynchronously).
std::string wait_for_log(const std::filesystem::path& path, const std::string& marker) {
  for (int i = 0; i < 100; ++i) {
    std::string log = read_file(path);
    if (log.find(marker) != std::string::npos) return log;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  FAIL("the log never showed " << marker);
  return {};
}

const collector::LoggedClass* find_class(const std::vector<collector::LoggedClass>& classes, std::string_view part) {
  for (const auto& c : classes) {
    if (c.normalized.find(part) != std::string::npos) return &c;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("ingest counts what the sandbox logged: extended and simple protocol, multi-line, errors",
          "[collector][ingest][live]") {
  pg::Sandbox sandbox(test::sandbox_dir());
  const auto log_path = sandbox.status().log_file;
  auto admin = pg::Connection::open(sandbox.dsn());
  const std::string db = fresh_database(admin);
  const std::string dsn = sandbox.dsn() + " dbname=" + db;
  {
    auto conn = pg::Connection::open(dsn);
    conn.query("CREATE TABLE items (id int PRIMARY KEY, name text)");
    for (int i = 0; i < 7; ++i)
      conn.query("INSERT INTO items VALUES ($1, $2)", std::to_string(i), "item " + std::to_string(i));
    for (int i = 0; i < 5; ++i) conn.query("SELECT name FROM items WHERE id = $1", std::to_string(i));
    CHECK_THROWS(conn.query("SELECT * FROM no_such_table"));
  }
  // Simple protocol with a multi-line statement, through psql.
  REQUIRE(pg::run_process({"psql", "-X", "-q", "-d", dsn, "-c", "SELECT count(*)\n  FROM items\n WHERE id > 2", "-c",
                           "SELECT 1 AS done_" + db})
              .exit_code == 0);
  const std::string log = wait_for_log(log_path, "done_" + db);
  const Expected expected = expected_from_log(log, db);
  CHECK(expected.calls == 1 + 7 + 5 + 2);
  CHECK(expected.errors == 1);

  test::TempDir tmp;
  auto store = collector::Store::open(tmp.path() / "s.db");
  IngestOptions options;
  options.final_files = true;  // read the last entry too: the log was written just now
  options.files = {log_path.string()};
  options.filter.database = db;
  auto summary = collector::run_ingest(store, options);
  REQUIRE(summary.files.size() == 1);
  CHECK(summary.files[0].error.empty());
  CHECK(summary.files[0].prefix == "%m [%p] %q%u@%d app=%a ");
  CHECK(summary.totals.calls == expected.calls);
  CHECK(summary.totals.total_us == expected.total_us);
  CHECK(summary.totals.prepares == expected.prepares);
  CHECK(summary.totals.errors == expected.errors);
  CHECK(summary.totals.unattributed_errors == 0);
  CHECK(summary.totals.bad_lines == 0);

  auto classes = collector::IngestStore(store).classes(db);
  const auto* insert = find_class(classes, "INSERT INTO items");
  REQUIRE(insert != nullptr);
  CHECK(insert->calls == 7);
  CHECK(insert->prepare_count == 14);  // a parse and a bind per execution
  const auto* select = find_class(classes, "SELECT name FROM items WHERE id = $1");
  REQUIRE(select != nullptr);
  CHECK(select->calls == 5);
  const auto* multi = find_class(classes, "FROM items");
  REQUIRE(multi != nullptr);
  const auto* missing = find_class(classes, "no_such_table");
  REQUIRE(missing != nullptr);
  CHECK(missing->errors == 1);
  CHECK(missing->calls == 0);
  double total_ms = 0;
  for (const auto& c : classes) total_ms += c.total_ms;
  CHECK(std::llround(total_ms * 1000) == expected.total_us);

  // Parameter sets are sampled with their class.
  auto params = store.prepare(
      "SELECT text FROM log_class_samples WHERE fingerprint = :fingerprint AND sample_kind = 'parameters'");
  params.bind("fingerprint", select->fingerprint);
  REQUIRE(params.step());
  CHECK(params.get_text("text").rfind("$1 = '", 0) == 0);

  // Reading again adds nothing; the store holds the same totals.
  auto again = collector::run_ingest(store, options);
  CHECK(again.totals.calls == 0);
  auto classes_again = collector::IngestStore(store).classes(db);
  CHECK(find_class(classes_again, "INSERT INTO items")->calls == 7);

  // More traffic: only the new part is read.
  {
    auto conn = pg::Connection::open(dsn);
    for (int i = 0; i < 3; ++i) conn.query("SELECT name FROM items WHERE id = $1", std::to_string(i));
    conn.query("SELECT 2 AS more_" + db);
  }
  const std::string grown = wait_for_log(log_path, "more_" + db);
  const Expected expected_grown = expected_from_log(grown, db);
  auto more = collector::run_ingest(store, options);
  CHECK(more.files[0].start_offset > 0);
  CHECK(more.totals.calls == expected_grown.calls - expected.calls);
  CHECK(find_class(collector::IngestStore(store).classes(db), "SELECT name FROM items WHERE id = $1")->calls == 8);
  admin.query("DROP DATABASE " + pg::quote_identifier(db));
}

TEST_CASE("auto_explain plans are kept with their statement and are not calls", "[collector][ingest][live]") {
  pg::Sandbox sandbox(test::sandbox_dir());
  const auto log_path = sandbox.status().log_file;
  auto admin = pg::Connection::open(sandbox.dsn());
  const std::string db = fresh_database(admin);
  const std::string dsn = sandbox.dsn() + " dbname=" + db;
  for (const char* format : {"text", "json"}) {
    const std::string statements = fmt::format(
        "LOAD 'auto_explain'; SET auto_explain.log_min_duration = 0; "
        "SET auto_explain.log_format = {}; SELECT relname FROM pg_class WHERE relname = 'x'",
        format);
    REQUIRE(pg::run_process({"psql", "-X", "-q", "-d", dsn, "-c", statements}).exit_code == 0);
  }
  REQUIRE(pg::run_process({"psql", "-X", "-q", "-d", dsn, "-c", "SELECT 1 AS plans_" + db}).exit_code == 0);
  const std::string log = wait_for_log(log_path, "plans_" + db);
  const Expected expected = expected_from_log(log, db);

  test::TempDir tmp;
  auto store = collector::Store::open(tmp.path() / "s.db");
  IngestOptions options;
  options.final_files = true;  // read the last entry too: the log was written just now
  options.files = {log_path.string()};
  options.filter.database = db;
  auto summary = collector::run_ingest(store, options);
  CHECK(summary.totals.plans == 2);
  CHECK(summary.totals.calls == expected.calls);
  CHECK(summary.totals.total_us == expected.total_us);
  CHECK(summary.totals.malformed == 0);
  auto plan = store.prepare("SELECT count(*) AS n FROM log_class_stats WHERE plan IS NOT NULL");
  REQUIRE(plan.step());
  CHECK(plan.get_int64("n") >= 1);
  admin.query("DROP DATABASE " + pg::quote_identifier(db));
}

TEST_CASE("a server's stderr, csvlog and jsonlog of the same traffic give the same statistics",
          "[collector][ingest][live]") {
  test::TempDir tmp;
  pg::Sandbox sandbox(tmp.path() / "sbx");
  pg::SandboxOptions options;
  options.port = -1;
  auto status = sandbox.up(options);
  {
    auto admin = pg::Connection::open(sandbox.dsn());
    admin.query("ALTER SYSTEM SET log_destination = 'stderr,csvlog,jsonlog'");
    admin.query("SELECT pg_reload_conf()");
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  auto admin = pg::Connection::open(sandbox.dsn());
  const std::string db = fresh_database(admin);
  const std::string dsn = sandbox.dsn() + " dbname=" + db;
  {
    auto conn = pg::Connection::open(dsn);
    conn.query("CREATE TABLE t (id int PRIMARY KEY, note text)");
    for (int i = 0; i < 6; ++i) conn.query("INSERT INTO t VALUES ($1, $2)", std::to_string(i), "say \"hi\"\nthere");
    for (int i = 0; i < 4; ++i) conn.query("SELECT note FROM t WHERE id = $1", std::to_string(i));
    CHECK_THROWS(conn.query("SELECT * FROM \"no such\""));
  }
  // Simple protocol through psql: a multi-line statement, an error with a multi-line STATEMENT, log_statement's
  // entries followed by their duration-only entries, and auto_explain plans in text and JSON.
  // psql fails on "SELECT nope" (that error is part of the log) and goes on: its exit code is not checked.
  pg::run_process({"psql", "-X", "-q", "-d", dsn, "-c", "SELECT count(*)\n  FROM t\n WHERE id > 2", "-c",
                   "SELECT nope\n  FROM t", "-c", "SET log_statement = 'all'", "-c", "SELECT 41 AS logged", "-c",
                   "LOAD 'auto_explain'; SET auto_explain.log_min_duration = 0; SET auto_explain.log_format = text; "
                   "SELECT id FROM t WHERE id = 1",
                   "-c",
                   "LOAD 'auto_explain'; SET auto_explain.log_min_duration = 0; SET auto_explain.log_format = json; "
                   "SELECT id FROM t WHERE id = 2",
                   "-c", "SELECT 'formats-done' AS marker"});
  const auto csv = status.log_file.parent_path() / (status.log_file.stem().string() + ".csv");
  const auto json = status.log_file.parent_path() / (status.log_file.stem().string() + ".json");
  wait_for_log(csv, "formats-done");
  wait_for_log(json, "formats-done");
  const std::string stderr_log = wait_for_log(status.log_file, "formats-done");
  sandbox.down();

  // What the stderr log says, read independently of the parsers; and the traffic above, counted by hand.
  const Expected expected = expected_from_log(stderr_log, db);
  // CREATE, INSERTs, SELECTs through libpq (the failing one is no call); psql's 7 commands less the failing one.
  CHECK(expected.calls == 1 + 6 + 4 + 6);
  CHECK(expected.errors == 2);
  CHECK(expected.prepares == 2 * (1 + 6 + 4));  // a parse and a bind per libpq statement

  // The reload's own message goes to the stderr file in csv and json form (the new files are not open yet).
  uint64_t foreign_lines = 0;
  {
    std::istringstream in(stderr_log);
    std::string line;
    while (std::getline(in, line)) foreign_lines += line.rfind('{', 0) == 0 || line.find(" UTC,") == 23 ? 1 : 0;
  }
  CHECK(foreign_lines <= 2);
  std::vector<std::vector<collector::LoggedClass>> classes;
  std::vector<std::string> samples;
  for (const auto& path : {status.log_file, csv, json}) {
    INFO(path);
    auto store = collector::Store::open(tmp.path() / (path.extension().string() + ".db"));
    IngestOptions ingest;
    ingest.final_files = true;  // read the last entry too: the log was written just now
    ingest.files = {path.string()};
    ingest.filter.database = db;
    auto summary = collector::run_ingest(store, ingest);
    REQUIRE(summary.files[0].error.empty());
    CHECK(summary.files[0].format == (path == csv ? "csvlog" : path == json ? "jsonlog" : "stderr"));
    const auto& t = summary.totals;
    std::string problems;
    for (const auto& p : summary.files[0].problems) problems += fmt::format("{}: {}: {}\n", p.line, p.kind, p.text);
    INFO(problems);
    CHECK(t.calls == expected.calls);
    CHECK(t.total_us == expected.total_us);
    CHECK(t.prepares == expected.prepares);
    CHECK(t.errors == expected.errors);
    CHECK(t.unattributed_errors == 0);
    CHECK(t.parameter_sets == 6 + 4);
    CHECK(t.plans == 3);  // text, json, and the marker's (auto_explain stays loaded in psql's session)
    CHECK(t.bad_lines == (path == status.log_file ? foreign_lines : 0));
    CHECK(t.malformed == 0);
    CHECK(t.unparsable == 0);
    classes.push_back(collector::IngestStore(store).classes(db));
    // Samples of statements and parameter sets read the same text whatever the format (no continuation tabs).
    auto rows =
        store.prepare("SELECT sample_kind, text FROM log_class_samples ORDER BY fingerprint, sample_kind, text");
    std::string all;
    while (rows.step()) all += rows.get_text("sample_kind") + ": " + rows.get_text("text") + "\n";
    CHECK_THAT(all, Catch::Contains("', $2 = 'say \"hi\"\nthere'\n") && Catch::Contains("SELECT count(*)\n  FROM t"));
    samples.push_back(all);
  }
  const auto* insert = find_class(classes[2], "INSERT INTO t VALUES");
  REQUIRE(insert != nullptr);
  CHECK(insert->calls == 6);
  CHECK(insert->prepare_count == 12);
  const auto* plain = find_class(classes[2], "SELECT note FROM t WHERE id = $1");
  REQUIRE(plain != nullptr);
  CHECK(plain->calls == 4);
  for (size_t f = 1; f < classes.size(); ++f) {
    CHECK(samples[f] == samples[0]);
    REQUIRE(classes[f].size() == classes[0].size());
    for (size_t i = 0; i < classes[0].size(); ++i) {
      const auto& a = classes[0][i];
      const auto& b = classes[f][i];
      INFO("format " << f << ": " << a.normalized);
      CHECK(a.fingerprint == b.fingerprint);
      CHECK(a.normalized == b.normalized);
      CHECK(a.calls == b.calls);
      CHECK(a.timed_calls == b.timed_calls);
      CHECK(a.total_ms == b.total_ms);
      CHECK(a.p95_ms == b.p95_ms);
      CHECK(a.prepare_count == b.prepare_count);
      CHECK(a.prepare_ms == b.prepare_ms);
      CHECK(a.errors == b.errors);
      CHECK(a.first_seen == b.first_seen);
      CHECK(a.last_seen == b.last_seen);
    }
  }
  // All three in one call (as the README once suggested): the traffic is read once, the csvlog and jsonlog are
  // skipped as the stderr log's traffic; and a later call with the csvlog alone skips it too.
  auto store = collector::Store::open(tmp.path() / "all.db");
  IngestOptions all;
  all.files = {status.log_file.string(), csv.string(), json.string()};
  all.filter.database = db;
  auto summary = collector::run_ingest(store, all);
  CHECK(summary.totals.calls == expected.calls);
  REQUIRE(summary.files.size() == 3);
  CHECK(summary.files[0].duplicate_of.empty());
  CHECK(summary.files[1].duplicate_of == status.log_file.string());
  CHECK(summary.files[2].duplicate_of == status.log_file.string());
  IngestOptions later;
  later.files = {json.string()};
  auto again = collector::run_ingest(store, later);
  CHECK(again.totals.calls == 0);
  CHECK(again.files[0].duplicate_of == std::filesystem::absolute(status.log_file).lexically_normal().string());
}

TEST_CASE("the batch buffer grows only for an entry that has not ended, not for lines that are no entry",
          "[collector][ingest]") {
  test::TempDir tmp;
  const std::string entry = "2026-11-22 04:46:52.100 UTC [1] u@d app=a LOG:  duration: 1.000 ms  statement: SELECT 1\n";
  std::string other;  // another program's lines in a shared file: 3 MiB after the entry
  while (other.size() < (size_t{3} << 20)) other += "Nov 22 04:46:52 host CRON[77]: (root) CMD (run-parts)\n";
  std::string statement = "2026-11-22 04:46:52.200 UTC [2] u@d app=a LOG:  duration: 2.000 ms  statement: SELECT\n";
  for (int i = 0; statement.size() < (size_t{3} << 20); ++i) statement += "\t" + std::to_string(i) + " AS c,\n";
  statement += "\t0 AS c\n";
  struct Case {
    const char* name;
    std::string text;
    size_t batches;  //!< commits: one per MiB read, unless the buffer grew for an entry
    uint64_t calls;
    uint64_t bad_lines;
  };
  const uint64_t other_lines = static_cast<uint64_t>(std::count(other.begin(), other.end(), '\n'));
  for (const auto& c : {Case{"other lines", entry + other + entry, 4, 2, other_lines},
                        Case{"a long statement", entry + statement + entry, 2, 3, 0}}) {
    INFO(c.name);
    const auto path = tmp.path() / (std::string(c.name) + ".log");
    std::ofstream(path, std::ios::binary) << c.text;
    auto store = collector::Store::open(tmp.path() / (std::string(c.name) + ".db"));
    IngestOptions options;
    options.final_files = true;  // read the last entry too: the log was written just now
    options.files = {path.string()};
    options.prefix = "%m [%p] %q%u@%d app=%a ";  // a shared file: the other lines would outvote detection
    options.batch_bytes = size_t{1} << 20;
    size_t batches = 0;
    options.on_progress = [&](const std::string&, uint64_t, uint64_t) { ++batches; };
    const auto summary = collector::run_ingest(store, options);
    CHECK(summary.totals.calls == c.calls);
    CHECK(summary.totals.bad_lines == c.bad_lines);
    CHECK(batches == c.batches);
  }
}
