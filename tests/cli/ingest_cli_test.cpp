// `pgadvisor ingest` and `pgadvisor top` as users run them: compressed and piped input, bad input with file:line
// examples, incremental runs, --reset, --jobs, and a run killed with SIGKILL that resumes to identical totals.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>
#include <tuple>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "pg/process.hpp"
#include "pg/sandbox.hpp"
#include "test_support.hpp"

using nlohmann::json;
namespace pg = pgadvisor::pg;
using pgadvisor::test::read_file;
using pgadvisor::test::run_pgadvisor;
using pgadvisor::test::TempDir;

namespace {

//! Writes a log as the server left it an hour ago: its last entry is final (a file written just now may still get
//! the rest of its last entry, and ingest holds that back; `fresh` keeps the time of writing).
void write_file(const std::filesystem::path& path, const std::string& text, bool append = false, bool fresh = false) {
  {
    std::ofstream out(path, std::ios::binary | (append ? std::ios::app : std::ios::trunc));
    out << text;
  }
  if (!fresh) {
    std::filesystem::last_write_time(path, std::filesystem::file_time_type::clock::now() - std::chrono::hours(1));
  }
}

//! The shared sandbox's log (real traffic of every test so far), complete lines only.
std::string sandbox_log() {
  std::string log = read_file(pgadvisor::pg::Sandbox(pgadvisor::test::sandbox_dir()).status().log_file);
  log.resize(log.rfind('\n') + 1);
  return log;
}

//! `copies` copies of a real log, each with its pids moved by k * 10000000 so that sessions never mix.
std::string multiply(const std::string& log, int copies) {
  std::string out;
  for (int k = 0; k < copies; ++k) {
    size_t pos = 0;
    while (pos < log.size()) {
      size_t nl = log.find('\n', pos);
      std::string line = log.substr(pos, nl - pos + 1);
      pos = nl + 1;
      size_t open = line.find(" [");
      size_t close = open == std::string::npos ? std::string::npos : line.find(']', open);
      if (line[0] != '\t' && open != std::string::npos && close != std::string::npos && open < 40) {
        const std::string digits = line.substr(open + 2, close - open - 2);
        if (!digits.empty() && digits.find_first_not_of("0123456789") == std::string::npos) {
          line = line.substr(0, open + 2) + std::to_string(std::stoll(digits) + k * 10000000LL) + line.substr(close);
        }
      }
      out += line;
    }
  }
  return out;
}

//! The stderr log as PostgreSQL's write_syslog sends it and rsyslog writes it (RFC 3164 header, tabs as "#011"):
//! "[seq] " before a message in one piece, "[seq-n] " before each chunk of one with several lines or with a line
//! over 900 bytes (cut before a space). log_line_prefix stays as it was.
std::string as_syslog(const std::string& log) {
  std::vector<std::pair<std::string, std::vector<std::string>>> messages;  // pid, chunks
  size_t pos = 0;
  while (pos < log.size()) {
    size_t nl = log.find('\n', pos);
    std::string line = log.substr(pos, nl - pos);
    pos = nl + 1;
    if (line[0] != '\t' || messages.empty()) {
      const size_t open = line.find(" [");
      messages.push_back({line.substr(open + 2, line.find(']', open) - open - 2), {}});
    }
    auto& chunks = messages.back().second;
    while (line.size() > 900) {
      const size_t cut = line.rfind(' ', 900);
      chunks.push_back(line.substr(0, cut));
      line = line.substr(cut);
    }
    chunks.push_back(line);
  }
  std::string out;
  uint64_t seq = 0;
  for (const auto& [pid, chunks] : messages) {
    ++seq;
    for (size_t k = 0; k < chunks.size(); ++k) {
      std::string content;
      for (char c : chunks[k]) content += c == '\t' ? std::string("#011") : std::string(1, c);
      out += "Dec  1 10:51:13 db1 postgres[" + pid + "]: [" + std::to_string(seq) +
             (chunks.size() > 1 ? "-" + std::to_string(k + 1) : std::string()) + "] " + content + "\n";
    }
  }
  return out;
}

json ingest_json(const std::vector<std::string>& args) {
  std::vector<std::string> all{"ingest", "--format", "json"};
  all.insert(all.end(), args.begin(), args.end());
  auto r = run_pgadvisor(all);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  return json::parse(r.out);
}

json top_json(const std::filesystem::path& store) {
  auto r = run_pgadvisor({"top", "--store", store.string(), "--format", "json", "--limit", "1000000"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  return json::parse(r.out);
}

const char* kSnippet =
    "2026-11-22 04:46:52.100 UTC [1] u@d app=a LOG:  duration: 1.500 ms  statement: SELECT 1\n"
    "2026-11-22 04:46:52.200 UTC [2] u@e app=b LOG:  duration: 2.250 ms  execute <unnamed>: SELECT name FROM t WHERE "
    "id = $1\n"
    "2026-11-22 04:46:52.200 UTC [2] u@e app=b DETAIL:  parameters: $1 = '5'\n";

//! `count` log entries from the `first`-th on, one a tenth of a second after the other from 04:00 on 2026-11-22, in
//! 20 query classes and the databases d and e (every third), one session each.
std::string synthetic_log(int count, int first = 0) {
  std::string text;
  for (int i = first; i < first + count; ++i) {
    char time[32];
    std::snprintf(time, sizeof time, "2026-11-22 %02d:%02d:%02d.%d00", 4 + i / 36000, i / 600 % 60, i / 10 % 60,
                  i % 10);
    text += std::string(time) + " UTC [" + std::to_string(1000 + i % 97) + "] u@" + (i % 3 == 0 ? "e" : "d") +
            " app=a LOG:  duration: " + std::to_string(i % 89) + "." + std::to_string(100 + i % 900) +
            " ms  statement: SELECT c" + std::to_string(i % 20) + " FROM t WHERE id = " + std::to_string(i) + "\n";
  }
  return text;
}

//! Starts `pgadvisor args…` with its standard output into `out`.
pid_t spawn_pgadvisor(const std::vector<std::string>& args, const std::filesystem::path& out) {
  const std::string exe = PGADVISOR_EXE_PATH;
  pid_t pid = fork();
  if (pid == 0) {
    int fd = open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    dup2(fd, STDOUT_FILENO);
    std::vector<char*> argv{const_cast<char*>(exe.c_str())};
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execv(exe.c_str(), argv.data());
    _exit(127);
  }
  return pid;
}

}  // namespace

TEST_CASE("four ingests of one file and store at once count every entry once, also when killed at random points",
          "[cli][ingest]") {
  TempDir tmp;
  const auto log = tmp.path() / "busy.log";
  write_file(log, synthetic_log(100000));
  const std::vector<std::string> small{"--batch-mib", "1", "--jobs", "1", "--format", "json"};
  auto args = [&](const std::string& store) {
    std::vector<std::string> a{"ingest", log.string(), "--store", store};
    a.insert(a.end(), small.begin(), small.end());
    return a;
  };
  const auto clean = (tmp.path() / "clean.db").string();
  const auto started = std::chrono::steady_clock::now();
  auto one = run_pgadvisor(args(clean));
  const auto took = std::chrono::steady_clock::now() - started;
  REQUIRE(one.exit_code == 0);
  const json clean_run = json::parse(one.out);
  CHECK(clean_run["totals"]["calls"] == 100000);
  const json expected = top_json(clean)["classes"];

  // At once, into a new store: together they read the file once.
  const auto shared = (tmp.path() / "shared.db").string();
  std::vector<pid_t> pids;
  for (int k = 0; k < 4; ++k) pids.push_back(spawn_pgadvisor(args(shared), tmp.path() / ("out" + std::to_string(k))));
  json sum;
  for (int k = 0; k < 4; ++k) {
    int status = 0;
    waitpid(pids[k], &status, 0);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
    const json run = json::parse(read_file(tmp.path() / ("out" + std::to_string(k))));
    for (const auto& [name, value] : run["totals"].items()) {
      sum[name] = sum.contains(name) ? json(sum[name].get<double>() + value.get<double>()) : value;
    }
  }
  for (const char* counter : {"lines", "entries", "calls", "timed_calls", "bad_lines"}) {
    INFO(counter);
    CHECK(sum[counter].get<double>() == clean_run["totals"][counter].get<double>());
  }
  CHECK(top_json(shared)["classes"] == expected);

  // Killed with SIGKILL at random points (a fixed seed), then run once more: the totals of one clean run.
  std::mt19937 random(20261122);
  const auto span = std::chrono::duration_cast<std::chrono::milliseconds>(took).count() + 1;
  for (int round = 0; round < 3; ++round) {
    INFO("round " << round);
    const auto store = (tmp.path() / ("killed" + std::to_string(round) + ".db")).string();
    std::vector<std::pair<long, pid_t>> kills;
    for (int k = 0; k < 4; ++k) {
      kills.emplace_back(static_cast<long>(random() % static_cast<unsigned long>(span)),
                         spawn_pgadvisor(args(store), "/dev/null"));
    }
    std::sort(kills.begin(), kills.end());
    long slept = 0;
    for (const auto& [at, pid] : kills) {
      std::this_thread::sleep_for(std::chrono::milliseconds(at - slept));
      slept = at;
      kill(pid, SIGKILL);
      waitpid(pid, nullptr, 0);
    }
    auto rerun = run_pgadvisor(args(store));
    INFO(rerun.err);
    REQUIRE(rerun.exit_code == 0);
    CHECK(top_json(store)["classes"] == expected);
  }
}

TEST_CASE("a rotated, linked or copied log is read on from where it was read, never twice", "[cli][ingest]") {
  TempDir tmp;
  const std::string part1 = synthetic_log(3000), part2 = synthetic_log(2000, 3000), part3 = synthetic_log(1000, 5000);
  const auto clean_log = tmp.path() / "clean.log";
  write_file(clean_log, part1 + part2 + part3);
  const auto clean = (tmp.path() / "clean.db").string();
  ingest_json({clean_log.string(), "--store", clean});
  const json expected = top_json(clean)["classes"];

  // Rotation: read, the server appends, logrotate renames the file, the server starts a new one; both read.
  const auto log = tmp.path() / "postgresql.log";
  const auto rotated = tmp.path() / "postgresql.log.1";
  const auto store = (tmp.path() / "s.db").string();
  write_file(log, part1);
  CHECK(ingest_json({log.string(), "--store", store})["totals"]["calls"] == 3000);
  write_file(log, part2, true);
  std::filesystem::rename(log, rotated);
  write_file(log, part3);
  auto both = ingest_json({log.string(), rotated.string(), "--store", store});
  CHECK(both["totals"]["calls"] == 3000);
  CHECK(both["files"][1]["start_offset"] == part1.size());
  CHECK_THAT(both["files"][1]["note"].get<std::string>(), Catch::Contains("the file read before as " + log.string()));
  CHECK(top_json(store)["classes"] == expected);

  // A symlink, a hard link, a copy and a compressed copy of files read: nothing new. A copy that has grown since
  // (another inode, the same first bytes): only what is past the offset read.
  std::filesystem::create_symlink(rotated, tmp.path() / "link.log");
  std::filesystem::create_hard_link(log, tmp.path() / "hard.log");
  std::filesystem::copy_file(rotated, tmp.path() / "copy.log");
  REQUIRE(pg::run_process({"gzip", "-k", rotated.string()}).exit_code == 0);
  auto again = ingest_json({(tmp.path() / "link.log").string(), (tmp.path() / "hard.log").string(),
                            (tmp.path() / "copy.log").string(), rotated.string() + ".gz", "--store", store});
  CHECK(again["totals"]["calls"] == 0);
  CHECK(top_json(store)["classes"] == expected);
  const std::string part4 = synthetic_log(500, 6000);
  std::filesystem::copy_file(log, tmp.path() / "grown.log");
  write_file(tmp.path() / "grown.log", part4, true);
  auto grown = ingest_json({(tmp.path() / "grown.log").string(), "--store", store});
  CHECK(grown["files"][0]["start_offset"] == part3.size());
  CHECK(grown["totals"]["calls"] == 500);
}

TEST_CASE("the last entry of a log still being written is held back until it is whole", "[cli][ingest]") {
  TempDir tmp;
  const auto log = tmp.path() / "live.log";
  const auto store = (tmp.path() / "s.db").string();
  // The server has written the first line of a multi-line statement (its logging collector flushes by line).
  const std::string first = "2026-11-22 04:46:52.100 UTC [1] u@d app=a LOG:  duration: 1.500 ms  statement: SELECT 1\n";
  const std::string cut = "2026-11-22 04:46:52.200 UTC [2] u@d app=a LOG:  duration: 2.000 ms  statement: SELECT a\n";
  write_file(log, first + cut, false, true);
  auto r1 = ingest_json({log.string(), "--store", store});
  CHECK(r1["totals"]["calls"] == 1);
  CHECK(r1["files"][0]["end_offset"] == first.size());
  CHECK_THAT(r1["files"][0]["note"].get<std::string>(), Catch::Contains("may still be being written: held back"));

  // The rest of it comes, and another entry: the statement is read whole (one class "SELECT a FROM t").
  const std::string rest = "\tFROM t\n";
  const std::string last = "2026-11-22 04:46:52.300 UTC [3] u@d app=a LOG:  duration: 3.000 ms  statement: SELECT 3\n";
  write_file(log, rest + last, true, true);
  auto text = run_pgadvisor({"ingest", log.string(), "--store", store});
  CHECK(text.exit_code == 0);
  CHECK_THAT(text.out, !Catch::Contains("17592186"));
  auto top = top_json(store);
  REQUIRE(top["classes"].size() == 2);
  CHECK(top["classes"][0]["normalized"] == "SELECT a\nFROM t");  // by total: 2 ms
  CHECK(top["classes"][0]["calls"] == 1);
  CHECK(top["classes"][1]["calls"] == 1);  // SELECT 3 is held back in its turn

  // A file that will not grow: --final reads its last entry (and so does time: see the README).
  auto final_run = ingest_json({log.string(), "--store", store, "--final"});
  CHECK(final_run["totals"]["calls"] == 1);
  CHECK(final_run["files"][0]["note"].is_null());
  const json after = top_json(store);
  REQUIRE(after["classes"].size() == 2);
  CHECK(after["classes"][0]["normalized"] == "SELECT $1");  // 1.5 + 3 ms
  CHECK(after["classes"][0]["calls"] == 2);
  CHECK(ingest_json({log.string(), "--store", store})["files"][0]["note"] == "unchanged since the last ingest");

  // Rotated with an entry held back: read as .1 (its old path is a new file now), the entry is whole.
  const auto log2 = tmp.path() / "postgresql.log";
  const auto store2 = (tmp.path() / "s2.db").string();
  write_file(log2, first + cut + rest, false, true);
  CHECK(ingest_json({log2.string(), "--store", store2})["totals"]["calls"] == 1);
  std::filesystem::rename(log2, tmp.path() / "postgresql.log.1");
  write_file(log2, last, false, true);
  auto rotated = ingest_json({(tmp.path() / "postgresql.log.1").string(), log2.string(), "--store", store2});
  CHECK(rotated["totals"]["calls"] == 1);  // the held-back one; the new file's only entry is held back in its turn
  CHECK(rotated["files"][0]["end_offset"] == (first + cut + rest).size());
}

TEST_CASE("a resumed file keeps the format and prefix it was read with, and sizes are never negative",
          "[cli][ingest]") {
  TempDir tmp;
  const auto log = tmp.path() / "a.log";
  const auto store = (tmp.path() / "s.db").string();
  write_file(log, kSnippet);
  ingest_json({log.string(), "--store", store});
  // More lines that no prefix detection could tell apart (one entry): the stored prefix reads them.
  write_file(log, "2026-11-22 04:46:53.100 UTC [4] u@d app=a LOG:  duration: 1.000 ms  statement: SELECT 9\n", true);
  auto more = ingest_json({log.string(), "--store", store});
  CHECK(more["totals"]["calls"] == 1);
  // A run that cannot read the new part (a jsonlog read as stderr: no prefix fits) reports no bytes read, not a
  // negative number.
  const auto json_log = tmp.path() / "postgresql.json";
  const std::string entry =
      R"({"timestamp":"2026-11-22 04:46:52.100 UTC","user":"u","dbname":"d","pid":1,"session_id":"6b0.1",)"
      R"("error_severity":"LOG","message":"duration: 1.500 ms  statement: SELECT 1","application_name":"a"})"
      "\n";
  write_file(json_log, entry + entry);
  CHECK(ingest_json({json_log.string(), "--store", store})["totals"]["calls"] == 2);
  write_file(json_log, entry, true);
  auto wrong = run_pgadvisor({"ingest", json_log.string(), "--store", store, "--log-format", "stderr"});
  CHECK(wrong.exit_code == 3);
  CHECK_THAT(wrong.err, Catch::Contains("no known log_line_prefix fits"));
  CHECK_THAT(wrong.out, !Catch::Contains("17592186") && Catch::Contains(" 0.0 MiB in"));
}

TEST_CASE("ingest reads bad input with file:line examples and still stores the rest", "[cli][ingest]") {
  TempDir tmp;
  const auto log = tmp.path() / "bad.log";
  write_file(log, std::string(kSnippet) + "\x01\x02 binary garbage\n" +
                      "2026-11-22 04:46:52.300 UTC [3] u@d app=a LOG:  duration: 1.000 ms  statement: SELEC 1\n" +
                      "2026-11-22 04:46:52.300 UTC [3] u@d app=a LOG:  duration: 1.000 ms  statement: SELECT 2\n");
  const auto store = (tmp.path() / "s.db").string();
  auto text = run_pgadvisor({"ingest", log.string(), "--store", store});
  CHECK(text.exit_code == 0);
  CHECK_THAT(text.out, Catch::Contains(log.string() + ":4: unknown line") &&
                           Catch::Contains(log.string() + ":5: unparsable statement: SELEC 1"));
  auto top = top_json(store);
  CHECK(top["schema_version"] == 1);
  REQUIRE(top["classes"].size() == 3);  // SELECT 1 and SELECT 2 share one class; SELEC 1 is an unparsed one
  for (const char* field : {"fingerprint", "normalized", "calls", "total_ms", "mean_ms", "p50_ms", "p95_ms", "p99_ms",
                            "errors", "min_ms", "max_ms", "stddev_ms", "prepare_count", "first_seen", "last_seen"}) {
    INFO(field);
    CHECK(top["classes"][0].contains(field));
  }
  CHECK(top["classes"][0]["normalized"] == "SELECT $1");
  CHECK(top["classes"][0]["mean_ms"] == 1.25);
  CHECK(top["classes"][0]["first_seen"] == "2026-11-22 04:46:52.100 UTC");
  CHECK(top["classes"][0]["last_seen"] == "2026-11-22 04:46:52.300 UTC");
  CHECK(top["classes"][0]["calls"] == 2);
  CHECK(top["classes"][0]["total_ms"] == 2.5);

  auto again = ingest_json({log.string(), "--store", store});
  CHECK(again["files"][0]["note"] == "unchanged since the last ingest");
  CHECK(again["totals"]["calls"] == 0);

  auto reset = ingest_json({log.string(), "--store", store, "--reset"});
  CHECK(reset["totals"]["calls"] == 4);
  CHECK(top_json(store)["classes"][0]["calls"] == 2);
}

TEST_CASE("ingest reads jsonlog, detected from its first line, with bad lines counted by file:line",
          "[cli][ingest][json]") {
  TempDir tmp;
  const std::string good =
      R"({"timestamp":"2026-11-22 04:46:52.100 UTC","user":"u","dbname":"d","pid":1,"session_id":"6b0.1",)"
      R"("error_severity":"LOG","message":"duration: 1.500 ms  statement: SELECT 1","application_name":"a"})"
      "\n"
      R"({"timestamp":"2026-11-22 04:46:52.200 UTC","user":"u","dbname":"e","pid":2,"session_id":"6b0.2",)"
      R"("error_severity":"LOG","message":"duration: 2.250 ms  execute <unnamed>: SELECT name FROM t WHERE id = $1",)"
      R"("detail":"parameters: $1 = '5'","application_name":"b"})"
      "\n";
  const auto log = tmp.path() / "postgresql.json";
  write_file(log, good + good.substr(0, 60) + "\n\x01\x02 garbage\n" + good);
  const auto store = (tmp.path() / "s.db").string();
  auto text = run_pgadvisor({"ingest", log.string(), "--store", store});
  CHECK(text.exit_code == 0);
  CHECK_THAT(text.out, Catch::Contains("format      jsonlog") &&
                           Catch::Contains(log.string() + ":3: invalid JSON: {\"timestamp\"") &&
                           Catch::Contains(log.string() + ":4: invalid JSON: ??"));
  auto top = top_json(store);
  REQUIRE(top["classes"].size() == 2);
  CHECK(top["classes"][0]["calls"] == 2);
  CHECK(top["classes"][0]["total_ms"] == 4.5);

  // The same entries piped through stdin, gzip, and a second run that adds nothing.
  auto again = ingest_json({log.string(), "--store", store});
  CHECK(again["files"][0]["note"] == "unchanged since the last ingest");
  REQUIRE(pg::run_process({"gzip", "-k", log.string()}).exit_code == 0);
  auto gz = ingest_json({log.string() + ".gz", "--store", (tmp.path() / "gz.db").string()});
  CHECK(gz["files"][0]["format"] == "jsonlog");
  CHECK(gz["totals"]["calls"] == 4);
  CHECK(gz["totals"]["bad_lines"] == 2);
  CHECK(gz["totals"]["parameter_sets"] == 2);
  auto filtered = ingest_json({log.string(), "--store", (tmp.path() / "f.db").string(), "--database", "e"});
  CHECK(filtered["totals"]["calls"] == 2);
}

TEST_CASE("ingest with the wrong --log-format reads nothing, says so, and keeps no progress", "[cli][ingest]") {
  TempDir tmp;
  const auto log = tmp.path() / "a.log";
  write_file(log, kSnippet);
  const auto store = (tmp.path() / "s.db").string();
  for (const char* format : {"jsonlog", "csvlog"}) {
    auto wrong = run_pgadvisor({"ingest", log.string(), "--store", store, "--log-format", format});
    CHECK(wrong.exit_code == 3);
    CHECK_THAT(wrong.err, Catch::Contains("a.log: nothing could be read: none of its first 3 lines is a " +
                                          std::string(format) + " log entry (line 1: ") &&
                              Catch::Contains("check --log-format"));
  }
  // Nothing was committed: the right format reads the file from its start.
  auto right = ingest_json({log.string(), "--store", store, "--log-format", "stderr"});
  CHECK(right["files"][0]["start_offset"] == 0);
  CHECK(right["totals"]["calls"] == 2);
}

TEST_CASE("a line longer than --max-entry-mib is skipped as one bad line, also when it ends in a later run",
          "[cli][ingest]") {
  TempDir tmp;
  const auto log = tmp.path() / "crashed.log";
  // A NUL-filled region as a crash leaves it, then, at the end, garbage the server has not finished yet.
  write_file(log, kSnippet + std::string(3 << 20, '\0') + "\n" + kSnippet + std::string(3 << 20, 'x'));
  const auto store = (tmp.path() / "s.db").string();
  const std::vector<std::string> small{"--store", store, "--batch-mib", "1", "--max-entry-mib", "2"};
  std::vector<std::string> args{log.string()};
  args.insert(args.end(), small.begin(), small.end());
  auto first = ingest_json(args);
  CHECK(first["totals"]["calls"] == 4);
  CHECK(first["totals"]["bad_lines"] == 1);
  REQUIRE(first["files"][0]["problems"].size() == 1);
  CHECK(first["files"][0]["problems"][0]["kind"] == "line longer than 2 MiB, skipped");
  CHECK(first["files"][0]["problems"][0]["line"] == 4);
  CHECK(first["files"][0]["problems"][0]["text"] == std::string(120, '?'));
  CHECK(first["files"][0]["note"] == "the last line is incomplete and longer than 2 MiB: left for the next ingest");
  const uint64_t kept = first["files"][0]["end_offset"];
  CHECK(kept == 2 * std::string(kSnippet).size() + (3 << 20) + 1);

  // The server finishes the line and logs more: the next run skips it and reads what follows.
  write_file(log, "\n" + std::string(kSnippet), true);
  auto second = ingest_json(args);
  CHECK(second["files"][0]["start_offset"] == kept);
  CHECK(second["totals"]["calls"] == 2);
  CHECK(second["totals"]["bad_lines"] == 1);
  REQUIRE(second["files"][0]["problems"].size() == 1);
  CHECK(second["files"][0]["problems"][0]["line"] == 8);
  const json top = top_json(store);
  REQUIRE(top["classes"].size() == 2);
  for (const auto& c : top["classes"]) CHECK(c["calls"] == 3);
  CHECK(ingest_json(args)["files"][0]["note"] == "unchanged since the last ingest");
}

TEST_CASE("a multi-line statement larger than a batch is read whole, in stderr and csvlog logs", "[cli][ingest]") {
  TempDir tmp;
  std::string values;  // about 3 MiB of VALUES rows on their own lines
  for (int i = 0; i < 100000; ++i) values += "(" + std::to_string(i) + ", 'some text value here'),\n";
  values += "(0, 'x')";
  std::string tabbed;  // the stderr log indents continuation lines with a tab
  for (char c : values) tabbed += c == '\n' ? std::string("\n\t") : std::string(1, c);
  const std::string prefix = "2026-11-22 04:46:52.100 UTC [7] u@d app=a ";
  const std::string stderr_log = std::string(kSnippet) + prefix +
                                 "LOG:  duration: 4.000 ms  statement: INSERT INTO t (a, b) VALUES\n\t" + tabbed +
                                 "\n" + kSnippet;
  const std::string csv_head =
      "2026-11-22 05:58:33.296 UTC,\"u\",\"d\",18221,\"[local]\",6b028489.472d,1,\"INSERT\",2026-11-22 05:58:33 UTC,"
      "3/0,0,LOG,00000,\"duration: ";
  const std::string csv_tail = ",,,,,,,,,\"psql\",\"client backend\",,0\n";
  const std::string csv_log = csv_head + "1.500 ms  statement: SELECT 1\"" + csv_tail + csv_head +
                              "4.000 ms  statement: INSERT INTO t (a, b) VALUES\n" + values + "\"" + csv_tail +
                              csv_head + "1.500 ms  statement: SELECT 2\"" + csv_tail;
  for (const auto& [name, text, calls] : {std::tuple{"big.log", stderr_log, 5}, {"big.csv", csv_log, 3}}) {
    INFO(name);
    const auto log = tmp.path() / name;
    write_file(log, text);
    for (const char* jobs : {"1", "2"}) {
      const auto store = (tmp.path() / (std::string(name) + jobs + ".db")).string();
      auto r = ingest_json({log.string(), "--store", store, "--batch-mib", "1", "--jobs", jobs});
      CHECK(r["totals"]["calls"] == calls);
      CHECK(r["totals"]["bad_lines"] == 0);
      CHECK(r["totals"]["unparsable"] == 0);
      const json top = top_json(store);
      bool found = false;
      for (const auto& c : top["classes"]) {
        if (c["normalized"].get<std::string>().rfind("INSERT INTO t", 0) == 0) {
          found = true;
          CHECK(c["calls"] == 1);
          CHECK(c["total_ms"] == 4.0);
        }
      }
      CHECK(found);
    }
  }
  // Over --max-entry-mib the statement is cut at a line: counted, never fatal.
  const auto log = tmp.path() / "big.log";
  auto cut = ingest_json(
      {log.string(), "--store", (tmp.path() / "cut.db").string(), "--batch-mib", "1", "--max-entry-mib", "2"});
  CHECK(cut["totals"]["calls"] == 5);
  CHECK(cut["totals"]["bad_lines"] > 0);
}

TEST_CASE("the prefix is detected from statements even when the log starts with many background messages",
          "[cli][ingest]") {
  struct Case {
    const char* name;
    std::string session;    //!< the prefix of the day's lines, after the night's checkpoints
    std::string statement;  //!< how the server logs a statement
    const char* prefix;     //!< what ingest must use
    int noise;              //!< lines of another program (an archive_command's errors) among the first ones
  };
  const std::vector<Case> cases = {
      {"Debian, simple protocol", "[1234] alice@shop ", "duration: 1.000 ms  statement: SELECT ", "%m [%p] %q%u@%d ",
       0},
      {"Debian, extended protocol", "[1234] alice@shop ", "duration: 1.000 ms  execute <unnamed>: SELECT ",
       "%m [%p] %q%u@%d ", 0},
      {"custom, inferred", "[1234] db=shop,user=alice ", "duration: 1.000 ms  statement: SELECT ",
       "%m [%p] %qdb=%d,user=%u ", 8},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    TempDir tmp;
    std::string text;  // a quiet night: checkpoints only, then the day's traffic
    for (int i = 0; i < 400; ++i) {
      text += "2026-11-22 00:" + std::to_string(10 + i % 50) + ":00.000 UTC [99] LOG:  checkpoint starting: time\n";
      if (i % 20 == 0 && i / 20 < c.noise)
        text += "cp: cannot create regular file '/archive/0001': Permission denied\n";
    }
    for (int i = 0; i < 10; ++i) {
      text += "2026-11-22 08:00:00.000 UTC " + c.session + "LOG:  " + c.statement + std::to_string(i) + "\n";
    }
    const auto log = tmp.path() / "night.log";
    write_file(log, text);
    auto r = ingest_json({log.string(), "--store", (tmp.path() / "s.db").string()});
    CHECK(r["files"][0]["prefix"] == c.prefix);
    CHECK(r["totals"]["calls"] == 10);
    CHECK(r["totals"]["bad_lines"] == c.noise);
    const json top = top_json(tmp.path() / "s.db");
    REQUIRE(top["classes"].size() == 1);
    CHECK(top["classes"][0]["users"][0]["name"] == "alice");
    CHECK(top["classes"][0]["databases"][0]["name"] == "shop");
  }
}

TEST_CASE("a syslog message larger than a batch is read whole when the batch ends inside a chunk's header",
          "[cli][ingest]") {
  TempDir tmp;
  auto stderr_log = [](size_t pad) {
    std::string text = "2026-11-22 04:46:52.100 UTC [5] u@d app=a LOG:  duration: 2.000 ms  statement: SELECT '" +
                       std::string(pad, 'p') + "' AS p,\n";
    for (int i = 0; i < 40000; ++i) text += "\t" + std::to_string(i) + " AS c" + std::to_string(i) + ",\n";
    return text + "\t0 AS z\n2026-11-22 04:46:53.100 UTC [6] u@d app=a LOG:  duration: 1.000 ms  statement: SELECT 1\n";
  };
  // Choose the padding of the first line so that the first 1 MiB batch ends 10 bytes into a chunk's header.
  const size_t boundary = size_t{1} << 20;
  const std::string unpadded = as_syslog(stderr_log(0));
  size_t line = unpadded.rfind('\n', boundary - 10 - 1) + 1;
  while (boundary - 10 - line < 100) line = unpadded.rfind('\n', line - 2) + 1;
  const std::string syslog = as_syslog(stderr_log(boundary - 10 - line));
  REQUIRE(syslog[boundary - 11] == '\n');
  const auto log = tmp.path() / "syslog.log";
  write_file(log, syslog);
  auto r = ingest_json({log.string(), "--store", (tmp.path() / "s.db").string(), "--batch-mib", "1", "--jobs", "1"});
  CHECK(r["files"][0]["format"] == "syslog");
  CHECK(r["totals"]["calls"] == 2);
  CHECK(r["totals"]["bad_lines"] == 0);
  CHECK(r["totals"]["unparsable"] == 0);
}

TEST_CASE("ingest: unreadable input exits 3 naming it", "[cli][ingest]") {
  TempDir tmp;
  auto missing =
      run_pgadvisor({"ingest", (tmp.path() / "nope.log").string(), "--store", (tmp.path() / "s.db").string()});
  CHECK(missing.exit_code == 3);
  CHECK_THAT(missing.err, Catch::Contains("nope.log: cannot open"));
  const auto prose = tmp.path() / "prose.txt";
  write_file(prose, "this is not a log\nnor is this\n");
  auto unknown = run_pgadvisor({"ingest", prose.string(), "--store", (tmp.path() / "s.db").string()});
  CHECK(unknown.exit_code == 3);
  CHECK_THAT(unknown.err, Catch::Contains("no known log_line_prefix fits") && Catch::Contains("--prefix"));
  const auto log = tmp.path() / "a.log";
  write_file(log, kSnippet);
  auto wrong = run_pgadvisor({"ingest", log.string(), "--store", (tmp.path() / "s.db").string(), "--prefix", "%t %Q"});
  CHECK(wrong.exit_code == 3);
  CHECK_THAT(wrong.err, Catch::Contains("unknown log_line_prefix escape %Q"));
}

TEST_CASE("ingest filters by database, user, application and time", "[cli][ingest]") {
  TempDir tmp;
  const auto log = tmp.path() / "a.log";
  write_file(log, kSnippet);
  auto by_db = ingest_json({log.string(), "--store", (tmp.path() / "1.db").string(), "--database", "e"});
  CHECK(by_db["totals"]["calls"] == 1);
  CHECK(by_db["totals"]["parameter_sets"] == 1);
  auto by_time =
      ingest_json({log.string(), "--store", (tmp.path() / "2.db").string(), "--until", "2026-11-22 04:46:52.150"});
  CHECK(by_time["totals"]["calls"] == 1);
  auto by_app = ingest_json({log.string(), "--store", (tmp.path() / "3.db").string(), "--app", "nope"});
  CHECK(by_app["totals"]["calls"] == 0);
  auto by_app_b = ingest_json({log.string(), "--store", (tmp.path() / "4.db").string(), "--app", "b"});
  CHECK(by_app_b["totals"]["calls"] == 1);
  CHECK(by_app_b["totals"]["filtered"] == 1);
  auto by_user = ingest_json({log.string(), "--store", (tmp.path() / "5.db").string(), "--user", "v"});
  CHECK(by_user["totals"]["calls"] == 0);
  CHECK(by_user["totals"]["filtered"] == 3);
  auto since = ingest_json(
      {log.string(), "--store", (tmp.path() / "6.db").string(), "--user", "u", "--since", "2026-11-22 04:46:52.150"});
  CHECK(since["totals"]["calls"] == 1);
  CHECK(since["totals"]["parameter_sets"] == 1);
  auto iso = ingest_json({log.string(), "--store", (tmp.path() / "7.db").string(), "--since", "2026-11-22T04:46:52.15",
                          "--until", "2026-11-22"});
  CHECK(iso["totals"]["calls"] == 1);
  // A time the log cannot be compared with is refused (it would silently filter everything out).
  for (const char* bad : {"yesterday", "22/11/2026", "2026-11-22 4:00", "2026-11-22 04:", "2026-11-2", "2026-13-45",
                          "2026-02-31", "2026-02-29", "25:00", "2026-11-22 25:00", "2026-11-22 04:60",
                          "2026-11-22T04:00:61", "2026-00-10", "2026-11-22 04:00:00."}) {
    INFO(bad);
    std::string shown = bad;  // 'T' is taken for the space
    if (shown.size() > 10 && shown[10] == 'T') shown[10] = ' ';
    for (const char* option : {"--since", "--until"}) {
      auto r = run_pgadvisor({"ingest", log.string(), "--store", (tmp.path() / "8.db").string(), option, bad});
      CHECK(r.exit_code == 2);
      CHECK_THAT(r.err, Catch::Contains(std::string(option) + ": '" + shown + "' is not a time as the log writes it"));
    }
  }
  CHECK(ingest_json({log.string(), "--store", (tmp.path() / "9.db").string(), "--since",
                     "2024-02-29 23:59:59.5"})["totals"]["calls"] == 2);
  // top checks its window as strictly, and refuses one for log statistics, which keep no times.
  for (const char* bad : {"2026-02-30", "2026-11-22T24:00Z"}) {
    auto r =
        run_pgadvisor({"top", "--store", (tmp.path() / "9.db").string(), "--source", "statements", "--since", bad});
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::Contains("--since") && Catch::Contains(bad));
  }
  CHECK(run_pgadvisor({"top", "--store", (tmp.path() / "9.db").string(), "--since", "1h"}).exit_code == 2);
}

TEST_CASE("an ingest with filters leaves the rest of the file to later ingests: every entry is counted once",
          "[cli][ingest]") {
  TempDir tmp;
  const std::string first = synthetic_log(6000), later = synthetic_log(1000, 6000);
  const auto log = tmp.path() / "a.log";
  const auto store = (tmp.path() / "s.db").string();
  write_file(log, first);
  auto since = ingest_json({log.string(), "--store", store, "--since", "2026-11-22 04:05"});
  CHECK(since["totals"]["calls"] == 3000);
  auto db = ingest_json({log.string(), "--store", store, "--database", "e", "--batch-mib", "1"});
  CHECK(db["totals"]["calls"] == 1000);  // e's before 04:05: its later ones are counted already
  CHECK(ingest_json({log.string(), "--store", store, "--database", "e"})["files"][0]["note"] ==
        "unchanged since the last ingest");
  write_file(log, later, true);
  auto all = ingest_json({log.string(), "--store", store});
  CHECK(all["totals"]["calls"] == 2000 + 1000);
  CHECK(since["totals"]["lines"].get<int>() + db["totals"]["lines"].get<int>() + all["totals"]["lines"].get<int>() ==
        7000);
  const auto whole = tmp.path() / "whole.log";
  write_file(whole, first + later);
  const auto clean = (tmp.path() / "clean.db").string();
  ingest_json({whole.string(), "--store", clean});
  CHECK(top_json(store)["classes"] == top_json(clean)["classes"]);
  CHECK(ingest_json({log.string(), "--store", store})["totals"]["calls"] == 0);
}

TEST_CASE("a truncated .gz or .zst file is read up to where it ends, and says so", "[cli][ingest]") {
  TempDir tmp;
  std::string text;  // varied enough that half of the compressed file holds several blocks
  for (int i = 0; i < 40000; ++i) {
    text += "2026-11-22 04:46:52." + std::to_string(100 + i % 900) + " UTC [" + std::to_string(i % 7919) +
            "] u@d app=a LOG:  duration: " + std::to_string(i % 97) + "." + std::to_string(i % 1000) +
            " ms  statement: SELECT " + std::to_string(i * 7919 % 100003) + "\n";
  }
  const auto log = tmp.path() / "t.log";
  write_file(log, text);
  REQUIRE(pg::run_process({"gzip", "-k", log.string()}).exit_code == 0);
  REQUIRE(pg::run_process({"zstd", "-q", "-k", log.string()}).exit_code == 0);
  for (const char* ext : {".gz", ".zst"}) {
    INFO(ext);
    const auto whole = tmp.path() / (std::string("t.log") + ext);
    auto complete = ingest_json({whole.string(), "--store", (tmp.path() / (std::string("w") + ext)).string()});
    CHECK(complete["totals"]["calls"] == 40000);
    CHECK(complete["files"][0]["note"].is_null());
    const std::string compressed = read_file(whole);
    const auto cut = tmp.path() / (std::string("cut.log") + ext);
    write_file(cut, compressed.substr(0, compressed.size() / 2));
    auto partial = ingest_json({cut.string(), "--store", (tmp.path() / (std::string("c") + ext)).string()});
    CHECK(partial["totals"]["calls"] > 0);
    CHECK(partial["totals"]["calls"] < 40000);
    CHECK_THAT(
        partial["files"][0]["note"].get<std::string>(),
        Catch::Contains(std::string(ext) == ".gz" ? "the gzip stream ends early" : "the zstd stream ends early"));
  }
  // Zero padding after a whole .gz (a preallocated copy): everything is read, and the note says what was ignored.
  const auto padded = tmp.path() / "padded.log.gz";
  write_file(padded, read_file(tmp.path() / "t.log.gz") + std::string(4096, '\0'));
  auto r = ingest_json({padded.string(), "--store", (tmp.path() / "p.db").string()});
  CHECK(r["totals"]["calls"] == 40000);
  CHECK(r["files"][0]["note"] == "data after the end of the gzip stream was ignored (zero padding or garbage)");
}

TEST_CASE("top: rankings, formats, and a source with no snapshots", "[cli][top]") {
  TempDir tmp;
  const auto log = tmp.path() / "a.log";
  write_file(log, kSnippet);
  const auto store = (tmp.path() / "s.db").string();
  REQUIRE(run_pgadvisor({"ingest", log.string(), "--store", store}).exit_code == 0);
  auto md = run_pgadvisor({"top", "--store", store, "--format", "markdown", "--by", "mean"});
  CHECK(md.exit_code == 0);
  CHECK_THAT(md.out, Catch::Contains("| 1 | `SELECT name FROM t WHERE id = $1` | 1 | 2.250 |"));
  auto text = run_pgadvisor({"top", "--store", store, "--limit", "1"});
  CHECK_THAT(text.out, Catch::Contains("top 1 of 2 query classes from logs, by total"));
  // A store with logs but no pg_stat_statements snapshots: an empty ranking that says why.
  auto statements = run_pgadvisor({"top", "--store", store, "--source", "statements", "--format", "json"});
  CHECK(statements.exit_code == 0);
  CHECK_THAT(statements.out, Catch::Contains("\"classes\": []") && Catch::Contains("\"snapshots\": 0"));
  CHECK(run_pgadvisor({"top", "--store", store, "--source", "statements", "--by", "p95"}).exit_code == 2);
  CHECK(run_pgadvisor({"top", "--store", store, "--source", "statements", "--since", "soon"}).exit_code == 2);
  CHECK(run_pgadvisor({"top", "--store", (tmp.path() / "none.db").string()}).exit_code == 3);
  CHECK(run_pgadvisor({"top", "--store", store, "--by", "bogus"}).exit_code == 2);
  CHECK(run_pgadvisor({"top", "--store", store, "--source", "statements", "--details"}).exit_code == 2);
}

TEST_CASE("a 5 s statement the parser rejects is first in top, in every format, and the totals match ingest's",
          "[cli][top][unparsed]") {
  TempDir tmp;
  const auto log = tmp.path() / "new.log";
  write_file(log, std::string(kSnippet) +
                      "2026-11-22 04:46:53.000 UTC [3] u@d app=a LOG:  duration: 5000.000 ms  statement: SELECT 0x1F "
                      "FROM big\n"
                      "2026-11-22 04:46:54.000 UTC [3] u@d app=a LOG:  duration: 0.250 ms  statement: DECLARE c1 "
                      "CURSOR WITH HOLD FOR\n"
                      "2026-11-22 04:46:55.000 UTC [3] u@d app=a LOG:  duration: 10.000 ms  statement: SELECT 0x2a "
                      "FROM big\n");
  const auto store = (tmp.path() / "s.db").string();
  const json ingest = ingest_json({log.string(), "--store", store});
  CHECK(ingest["totals"]["unparsable"] == 3);
  CHECK(ingest["totals"]["calls"] == 5);
  const double logged_ms = ingest["totals"]["total_ms"].get<double>();
  CHECK(logged_ms == Approx(1.5 + 2.25 + 5000 + 0.25 + 10));

  const json top = top_json(store);
  REQUIRE(top["classes"].size() == 4);
  const json& first = top["classes"][0];
  CHECK(first["kind"] == "unparsed");
  CHECK(first["parsed"] == false);
  CHECK(first["fingerprint"].get<std::string>()[0] == 'u');
  CHECK(first["normalized"] == "SELECT $1 FROM big");
  CHECK(first["calls"] == 2);
  CHECK(first["total_ms"] == 5010.0);
  CHECK(first["samples"].size() == 2);
  double sum = 0;
  for (const auto& c : top["classes"]) sum += c["total_ms"].get<double>();
  CHECK(sum == Approx(logged_ms));
  CHECK(top["total_ms"].get<double>() == Approx(logged_ms));
  CHECK(top["logged_total_ms"].get<double>() == Approx(logged_ms));

  const std::string fingerprint = first["fingerprint"];
  auto text = run_pgadvisor({"top", "--store", store});
  CHECK_THAT(text.out, Catch::Contains("5014.000 ms in all classes, 5014.000 ms logged") &&
                           Catch::Contains(fingerprint + "          2      5010.000") &&
                           Catch::Contains("(unparsed) SELECT $1 FROM big") &&
                           Catch::Contains("(unparsed) DECLARE c1 CURSOR WITH HOLD FOR"));
  auto md = run_pgadvisor({"top", "--store", store, "--format", "markdown"});
  CHECK_THAT(md.out, Catch::Contains("| 1 | (unparsed) `SELECT $1 FROM big` | 2 | 5010.000 |"));
}

TEST_CASE("top shows where each class's calls come from and samples of it", "[cli][top]") {
  TempDir tmp;
  const auto log = tmp.path() / "a.log";
  write_file(log, std::string(kSnippet) +
                      "2026-11-22 04:46:52.300 UTC [4] v@d app=c LOG:  duration: 0.500 ms  statement: SELECT 3\n");
  const auto store = (tmp.path() / "s.db").string();
  REQUIRE(run_pgadvisor({"ingest", log.string(), "--store", store}).exit_code == 0);
  const json top = top_json(store);
  REQUIRE(top["classes"].size() == 2);
  const json& execute = top["classes"][0];  // 2.25 ms against 2.0: the execute class is first
  const json& select = top["classes"][1];
  REQUIRE(select["normalized"] == "SELECT $1");
  CHECK(select["databases"] == json::parse(R"([{"name": "d", "calls": 2, "total_ms": 2.0}])"));
  CHECK(select["users"] ==
        json::parse(R"([{"name": "u", "calls": 1, "total_ms": 1.5}, {"name": "v", "calls": 1, "total_ms": 0.5}])"));
  CHECK(select["applications"] ==
        json::parse(R"([{"name": "a", "calls": 1, "total_ms": 1.5}, {"name": "c", "calls": 1, "total_ms": 0.5}])"));
  auto samples = select["samples"].get<std::vector<std::string>>();
  std::sort(samples.begin(), samples.end());
  CHECK(samples == std::vector<std::string>{"SELECT 1", "SELECT 3"});
  CHECK(select["parameter_sets"].empty());
  CHECK(execute["databases"][0]["name"] == "e");
  CHECK(execute["parameter_sets"] == json::parse(R"(["$1 = '5'"])"));

  auto text = run_pgadvisor({"top", "--store", store, "--details"});
  CHECK(text.exit_code == 0);
  CHECK_THAT(text.out, Catch::Contains("    users         u 75 % (1 calls), v 25 % (1 calls)") &&
                           Catch::Contains("    parameters    $1 = '5'"));
  CHECK_THAT(run_pgadvisor({"top", "--store", store}).out, !Catch::Contains("    users"));
  CHECK(run_pgadvisor({"top", "--store", store, "--details", "--format", "markdown"}).exit_code == 2);

  // Without durations (log_statement = 'all') the shares are of calls, the busiest first.
  const auto untimed = tmp.path() / "untimed.log";
  std::string lines;
  for (int i = 0; i < 3; ++i) lines += "2026-11-22 04:46:52.300 UTC [5] u@d app=zeta LOG:  statement: SELECT 1\n";
  lines += "2026-11-22 04:46:52.300 UTC [6] u@d app=alpha LOG:  statement: SELECT 1\n";
  write_file(untimed, lines);
  const auto untimed_store = (tmp.path() / "untimed.db").string();
  REQUIRE(run_pgadvisor({"ingest", untimed.string(), "--store", untimed_store}).exit_code == 0);
  CHECK_THAT(run_pgadvisor({"top", "--store", untimed_store, "--details"}).out,
             Catch::Contains("    applications  zeta 75 % (3 calls), alpha 25 % (1 calls)"));
}

TEST_CASE("ingest reads the sandbox's real log plain, gzip, zstd and from stdin alike", "[cli][ingest][live]") {
  TempDir tmp;
  const auto log = tmp.path() / "postgresql.log";
  write_file(log, sandbox_log());
  REQUIRE(pg::run_process({"gzip", "-k", log.string()}).exit_code == 0);
  REQUIRE(pg::run_process({"zstd", "-q", "-k", log.string()}).exit_code == 0);
  auto plain = ingest_json({log.string(), "--store", (tmp.path() / "p.db").string()});
  CHECK(plain["totals"]["calls"].get<int>() > 0);
  CHECK(plain["totals"]["bad_lines"] == 0);
  for (const char* ext : {".gz", ".zst"}) {
    auto other = ingest_json({log.string() + ext, "--store", (tmp.path() / (std::string("c") + ext + ".db")).string()});
    CHECK(other["totals"] == plain["totals"]);
  }
  const auto from_stdin = pg::run_process(
      {PGADVISOR_EXE_PATH, "ingest", "-", "--format", "json", "--store", (tmp.path() / "i.db").string()},
      {.cwd = {}, .user = std::nullopt, .environment = {}, .input = log});
  REQUIRE(from_stdin.exit_code == 0);
  CHECK(json::parse(from_stdin.out)["totals"] == plain["totals"]);
  CHECK(top_json(tmp.path() / "i.db")["classes"] == top_json(tmp.path() / "p.db")["classes"]);
}

TEST_CASE("a grown log adds only its new part and --jobs gives the same totals", "[cli][ingest][live]") {
  TempDir tmp;
  const std::string real = multiply(sandbox_log(), 3);
  const size_t half = real.find("\n2026", real.size() / 2) + 1;  // an entry start near the middle
  const auto log = tmp.path() / "grow.log";
  write_file(log, real.substr(0, half));
  const auto store = (tmp.path() / "g.db").string();
  ingest_json({log.string(), "--store", store, "--jobs", "1"});
  write_file(log, real.substr(half), true);
  auto second = ingest_json({log.string(), "--store", store, "--jobs", "1"});
  CHECK(second["files"][0]["start_offset"] == half);
  const auto whole = tmp.path() / "whole.log";
  write_file(whole, real);
  for (const char* jobs : {"1", "3"}) {
    const auto other = (tmp.path() / (std::string("j") + jobs + ".db")).string();
    ingest_json({whole.string(), "--store", other, "--jobs", jobs, "--batch-mib", "1"});
    CHECK(top_json(other)["classes"] == top_json(store)["classes"]);
  }
}

TEST_CASE("a run killed with SIGKILL resumes to exactly the totals of an uninterrupted run", "[cli][ingest][live]") {
  TempDir tmp;
  std::string base = sandbox_log();
  const int copies = std::max(1, static_cast<int>((24u << 20) / std::max<size_t>(base.size(), 1)));
  const auto log = tmp.path() / "big.log";
  write_file(log, multiply(base, copies));
  const auto whole = (tmp.path() / "whole.db").string();
  const auto killed = (tmp.path() / "killed.db").string();
  ingest_json({log.string(), "--store", whole, "--batch-mib", "1", "--jobs", "2"});

  // Kill a run half-way through, by the time an uninterrupted run takes.
  const auto started = std::chrono::steady_clock::now();
  ingest_json({log.string(), "--store", (tmp.path() / "timing.db").string(), "--batch-mib", "1", "--jobs", "2"});
  const auto half = (std::chrono::steady_clock::now() - started) / 2;
  const std::string exe = PGADVISOR_EXE_PATH;
  pid_t pid = fork();
  if (pid == 0) {
    int devnull = open("/dev/null", O_WRONLY);
    dup2(devnull, STDOUT_FILENO);
    execl(exe.c_str(), exe.c_str(), "ingest", log.string().c_str(), "--store", killed.c_str(), "--batch-mib", "1",
          "--jobs", "2", static_cast<char*>(nullptr));
    _exit(127);
  }
  std::this_thread::sleep_for(half);
  kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
  auto resumed = ingest_json({log.string(), "--store", killed, "--batch-mib", "1", "--jobs", "2"});
  INFO("resumed at " << resumed["files"][0]["start_offset"] << " of " << std::filesystem::file_size(log));
  CHECK(WIFSIGNALED(status));
  CHECK(resumed["files"][0]["start_offset"].get<uint64_t>() > 0);
  CHECK(resumed["files"][0]["start_offset"].get<uint64_t>() < std::filesystem::file_size(log));
  CHECK(top_json(killed)["classes"] == top_json(whole)["classes"]);
}

TEST_CASE("a syslog-style log of the same entries gives the same statistics as the stderr log", "[cli][ingest][live]") {
  TempDir tmp;
  const std::string log = sandbox_log();
  const auto plain = tmp.path() / "postgresql.log";
  const auto syslog = tmp.path() / "syslog";
  write_file(plain, log);
  const std::string converted = as_syslog(log);
  write_file(syslog, converted);
  REQUIRE(converted.find("-2] #011") != std::string::npos);  // the sandbox's log has multi-line entries
  auto a = ingest_json({plain.string(), "--store", (tmp.path() / "a.db").string()});
  auto b = ingest_json({syslog.string(), "--store", (tmp.path() / "b.db").string(), "--jobs", "2"});
  CHECK(b["files"][0]["format"] == "syslog");
  CHECK(b["files"][0]["prefix"] == a["files"][0]["prefix"]);
  for (const char* counter : {"entries", "calls", "total_ms", "prepares", "plans", "parameter_sets", "errors",
                              "unattributed_errors", "bad_lines", "malformed", "unparsable"}) {
    INFO(counter);
    CHECK(b["totals"][counter] == a["totals"][counter]);
  }
  CHECK(b["totals"]["bad_lines"] == 0);
  CHECK(top_json(tmp.path() / "b.db")["classes"] == top_json(tmp.path() / "a.db")["classes"]);
}
