// No password or other secret reaches a user's terminal or a store: malformed DSNs in every command that connects;
// role and user mapping passwords, COPY ... PROGRAM commands and connection strings in statement texts from
// logs (ingest, advise --log), pg_stat_statements (snapshot), SQL files (fingerprint, advise --queries), and what
// top shows of them.
#include <filesystem>
#include <fstream>
#include <sstream>

#include <catch2/catch.hpp>

#include "pg/connection.hpp"
#include "pg/sandbox.hpp"
#include "test_support.hpp"

using pgadvisor::test::read_file;
using pgadvisor::test::run_pgadvisor;
using pgadvisor::test::TempDir;

namespace {

void write_file(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
}

//! Every byte of every file under `dir` (the store, its -wal and -journal files, scripts written there).
std::string all_bytes(const std::filesystem::path& dir) {
  std::string bytes;
  for (const auto& f : std::filesystem::recursive_directory_iterator(dir)) {
    if (f.is_regular_file()) bytes += read_file(f.path());
  }
  return bytes;
}

void check_no_secret(const std::string& where, const std::string& text) {
  INFO(where << ":\n" << text);
  CHECK(text.find("Secr3t") == std::string::npos);
}

// The secrets of the statements below all start with "Secr3t".
const std::string kSecretLog =
    "2026-11-22 04:46:52.100 UTC [1] u@d app=a LOG:  duration: 1.500 ms  statement: ALTER ROLE alice PASSWORD "
    "'Secr3tRole'\n"
    "2026-11-22 04:46:52.110 UTC [1] u@d app=a LOG:  duration: 1.500 ms  statement: CREATE ROLE bob LOGIN\n"
    "\tENCRYPTED PASSWORD $$Secr3tDollar$$\n"
    "2026-11-22 04:46:52.120 UTC [1] u@d app=a LOG:  duration: 1.500 ms  statement: CREATE USER MAPPING FOR bob "
    "SERVER s OPTIONS (user 'bob', password 'Secr3tMapping')\n"
    "2026-11-22 04:46:52.130 UTC [1] u@d app=a LOG:  duration: 1.500 ms  statement: COPY t FROM PROGRAM 'curl "
    "https://bob:Secr3tCurl@h/x'\n"
    "2026-11-22 04:46:52.140 UTC [1] u@d app=a LOG:  duration: 1.500 ms  statement: SELECT dblink_connect('c', "
    "'host=h password=Secr3tDblink')\n"
    "2026-11-22 04:46:52.150 UTC [2] u@d app=a LOG:  duration: 2.000 ms  execute <unnamed>: UPDATE users SET "
    "password = $1 WHERE id = $2\n"
    "2026-11-22 04:46:52.150 UTC [2] u@d app=a DETAIL:  parameters: $1 = 'Secr3tParam', $2 = '7'\n"
    "2026-11-22 04:46:52.160 UTC [3] u@d app=a ERROR:  role \"carol\" does not exist\n"
    "2026-11-22 04:46:52.160 UTC [3] u@d app=a STATEMENT:  ALTER USER carol WITH PASSWORD 'Secr3tError'\n"
    "2026-11-22 04:46:52.170 UTC [4] u@d app=a LOG:  duration: 1.000 ms  statement: ALTER ROLE dave PASSWORD "
    "'Secr3tUnterminated\n"
    "2026-11-22 04:46:52.180 UTC [4] u@d app=a LOG:  duration: 1.000 ms  statement: ALTER ROLE dave PASSWORD "
    "'Secr3tBroken' no such option\n";

}  // namespace

TEST_CASE("malformed DSNs never show their password through the CLI", "[cli][secrets]") {
  TempDir tmp;
  auto store = (tmp.path() / "store.db").string();
  auto queries = (tmp.path() / "q.sql").string();
  write_file(queries, "SELECT 1;\n");
  for (std::string dsn :
       {"postgresql://u:Secr3tPw@[::1:5432/db", "postgresql://u:Secr3t%zzPw@h/db", "postgresql://u:Secr@3tPw@h/db",
        "postgresql://u:Secr3tPw@h/db?x", "postgresql://h/db?password=Secr3tPw=x",
        "host=h password='Secr3t b\\' Pw' broken", "host=h password=Secr3t Pw2x", "host=h password='Secr3tPw",
        "POSTGRESQL://u:Secr3tPw@h/db", "postgresql://u:Secr3tPw@%2Fnonexistent:1/db"}) {
    for (const auto& args : std::vector<std::vector<std::string>>{{"doctor", "--dsn", dsn},
                                                                  {"snapshot", "--dsn", dsn, "--store", store},
                                                                  {"health", "--dsn", dsn},
                                                                  {"advise", "--dsn", dsn, "--queries", queries}}) {
      auto r = run_pgadvisor(args);
      INFO(args[0] << " --dsn " << dsn);
      CHECK(r.exit_code == 3);
      check_no_secret("stdout", r.out);
      check_no_secret("stderr", r.err);
      CHECK(r.err.find("Pw") == std::string::npos);  // no piece of the password either
    }
  }
}

TEST_CASE("ingest keeps no secret of a log in the store, and top shows none", "[cli][secrets]") {
  TempDir tmp;
  auto log = tmp.path() / "postgresql.log";
  write_file(log, kSecretLog);
  std::filesystem::create_directory(tmp.path() / "store");
  auto store = (tmp.path() / "store" / "store.db").string();
  auto ingest = run_pgadvisor({"ingest", "--final", log.string(), "--store", store});
  INFO(ingest.err);
  CHECK(ingest.exit_code == 0);
  CHECK_THAT(ingest.out + ingest.err, Catch::Contains("unparsable statement: ALTER ROLE dave PASSWORD '***' no"));
  check_no_secret("ingest stdout", ingest.out);
  check_no_secret("ingest stderr", ingest.err);
  for (const auto& format : {"text", "json", "markdown"}) {
    std::vector<std::string> args = {"top", "--store", store, "--format", format, "--limit", "100"};
    if (std::string(format) == "text") args.emplace_back("--details");
    auto top = run_pgadvisor(args);
    CHECK(top.exit_code == 0);
    check_no_secret(std::string("top --format ") + format, top.out + top.err);
  }
  auto top = run_pgadvisor({"top", "--store", store, "--format", "json"});
  CHECK_THAT(top.out, Catch::Contains("'***'"));  // the classes are there, with their secrets replaced
  check_no_secret("store files", all_bytes(tmp.path() / "store"));
}

TEST_CASE("fingerprint shows no secret of its input", "[cli][secrets]") {
  TempDir tmp;
  auto file = tmp.path() / "in.sql";
  write_file(file,
             "ALTER ROLE alice PASSWORD 'Secr3tRole';\n"
             "CREATE USER MAPPING FOR bob SERVER s OPTIONS (password E'Secr3t\\'Mapping');\n"
             "COPY t TO PROGRAM 'gzip > /tmp/Secr3tFile';\n"
             "SELECT * FROM dblink('host=h password=Secr3tDblink', 'select 1') AS t(x int);\n"
             "ALTER ROLE dave PASSWORD 'Secr3tUnterminated\n");
  for (const auto& format : {"text", "json"}) {
    auto r = run_pgadvisor({"fingerprint", file.string(), "--format", format});
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.out, Catch::Contains("'***'"));
    check_no_secret(std::string("fingerprint --format ") + format, r.out + r.err);
  }
}

TEST_CASE("snapshot keeps no secret of pg_stat_statements, top --source statements shows none",
          "[cli][secrets][live]") {
  TempDir tmp;
  auto store = (tmp.path() / "store.db").string();
  auto dsn = pgadvisor::pg::Sandbox(pgadvisor::test::sandbox_dir()).dsn();
  auto admin = pgadvisor::pg::Connection::open(dsn, pgadvisor::pg::SessionOptions{});
  auto first = run_pgadvisor({"snapshot", "--dsn", dsn, "--store", store});
  REQUIRE(first.exit_code == 0);
  // pg_stat_statements keeps utility statements as they were sent.
  for (const char* sql : {
           "DROP ROLE IF EXISTS pgadvisor_secret_role",
           "CREATE ROLE pgadvisor_secret_role LOGIN PASSWORD 'Secr3tCreate'",
           "ALTER ROLE pgadvisor_secret_role WITH ENCRYPTED PASSWORD $$Secr3tAlter$$",
           "DROP FOREIGN DATA WRAPPER IF EXISTS pgadvisor_secret_fdw CASCADE",
           "CREATE FOREIGN DATA WRAPPER pgadvisor_secret_fdw",
           "CREATE SERVER pgadvisor_secret_server FOREIGN DATA WRAPPER pgadvisor_secret_fdw "
           "OPTIONS (host 'h', password 'Secr3tServer')",
           "CREATE USER MAPPING FOR pgadvisor_secret_role SERVER pgadvisor_secret_server "
           "OPTIONS (user 'u', password 'Secr3tMapping')",
           "ALTER USER MAPPING FOR pgadvisor_secret_role SERVER pgadvisor_secret_server "
           "OPTIONS (SET password E'Secr3t\\'Set')",
           "COPY (SELECT 1) TO PROGRAM 'cat > /dev/null # Secr3tProgram'",
       }) {
    admin.query(sql);
  }
  auto second = run_pgadvisor({"snapshot", "--dsn", dsn, "--store", store});
  REQUIRE(second.exit_code == 0);
  admin.query("DROP FOREIGN DATA WRAPPER pgadvisor_secret_fdw CASCADE");
  admin.query("DROP ROLE pgadvisor_secret_role");
  check_no_secret("snapshot output", first.out + first.err + second.out + second.err);
  check_no_secret("store files", all_bytes(tmp.path()));
  for (const auto& format : {"text", "json", "markdown"}) {
    auto top =
        run_pgadvisor({"top", "--store", store, "--source", "statements", "--limit", "100000", "--format", format});
    CHECK(top.exit_code == 0);
    check_no_secret(std::string("top --format ") + format, top.out + top.err);
    if (std::string(format) == "json") CHECK_THAT(top.out, Catch::Contains("PASSWORD '***'"));
  }
}

TEST_CASE("advise --log and --queries show no secret", "[cli][secrets][live]") {
  TempDir tmp;
  auto log = tmp.path() / "postgresql.log";
  write_file(log, kSecretLog);
  auto queries = tmp.path() / "q.sql";
  write_file(queries, "ALTER ROLE alice PASSWORD 'Secr3tQueries';\nCOPY t FROM PROGRAM 'Secr3tCmd';\n");
  auto dsn = pgadvisor::pg::Sandbox(pgadvisor::test::sandbox_dir()).dsn();
  for (const auto& format : {"text", "json", "markdown"}) {
    auto out = tmp.path() / (std::string("advice-") + format + ".sql");
    auto r = run_pgadvisor({"advise", "--dsn", dsn, "--log", log.string(), "--queries", queries.string(), "--format",
                            format, "-o", out.string()});
    INFO(r.err);
    CHECK((r.exit_code == 0 || r.exit_code == 1));
    check_no_secret(std::string("advise --format ") + format, r.out + r.err);
  }
  std::string written;
  for (const auto& f : std::filesystem::directory_iterator(tmp.path())) {
    if (f.path().filename().string().rfind("advice-", 0) == 0) written += read_file(f.path());
  }
  check_no_secret("advice scripts", written);
}
