// The sandbox's life cycle on a cluster of its own: up twice, down twice, up after a crash, a port in
// use, a directory that is not a sandbox, and (as root) the server running as the postgres OS user.
#include "pg/sandbox.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pwd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <csignal>
#include <fstream>
#include <thread>

#include <catch2/catch.hpp>

#include "pg/connection.hpp"
#include "test_support.hpp"

using namespace pgadvisor;

namespace {

pg::SandboxOptions any_free_port() {
  pg::SandboxOptions o;
  o.port = -1;
  return o;
}

// Holds 127.0.0.1:port open (listening) for its lifetime.
class PortHolder {
 public:
  PortHolder() {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    REQUIRE(listen(fd_, 1) == 0);
    socklen_t len = sizeof addr;
    getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
  }
  ~PortHolder() { close(fd_); }
  int port() const { return port_; }

 private:
  int fd_ = -1;
  int port_ = 0;
};

}  // namespace

TEST_CASE("sandbox up twice, down twice, up after a crash", "[pg][sandbox][live]") {
  test::TempDir tmp;
  pg::Sandbox box(tmp.path() / "sbx");
  auto first = box.up(any_free_port());
  REQUIRE(first.running);
  REQUIRE(first.pid.has_value());

  auto second = box.up();  // already running: same server, same port
  CHECK(second.running);
  CHECK(second.pid == first.pid);
  CHECK(second.port == first.port);

  {
    auto conn = pg::Connection::open(box.dsn());
    auto r = conn.query(
        "SELECT extname FROM pg_extension WHERE extname IN ('pg_stat_statements', 'hypopg') "
        "ORDER BY 1");
    REQUIRE(r.rows() == 2);
    CHECK(r.get<std::string>(0, 0) == "hypopg");
    CHECK(r.get<std::string>(1, 0) == "pg_stat_statements");
    CHECK(conn.query("SHOW lc_messages").get<std::string>(0, 0) == "C");
    CHECK(conn.query("SHOW pg_stat_statements.track").get<std::string>(0, 0) == "all");
  }
  CHECK(std::filesystem::exists(first.log_file));

  if (geteuid() == 0) {
    struct stat st {};
    REQUIRE(stat((tmp.path() / "sbx" / "data").c_str(), &st) == 0);
    CHECK(st.st_uid == getpwnam("postgres")->pw_uid);  // initdb refuses root: the server runs as postgres
  }

  // A crash: the postmaster killed outright leaves its pid file behind.
  REQUIRE(kill(static_cast<pid_t>(*first.pid), SIGKILL) == 0);
  for (int i = 0; i < 50 && box.status().running; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  CHECK_FALSE(box.status().running);
  auto after_crash = box.up();
  CHECK(after_crash.running);
  CHECK(after_crash.port == first.port);
  CHECK(pg::Connection::open(box.dsn()).query("SELECT 1").get<int32_t>(0, 0) == 1);

  CHECK_FALSE(box.down().running);
  CHECK_FALSE(box.down().running);  // stopping a stopped sandbox is fine
  CHECK_FALSE(box.status().running);

  // A start that fails shows that start's own log lines, not those of the earlier runs.
  auto auto_conf = tmp.path() / "sbx" / "data" / "postgresql.auto.conf";
  std::ofstream(auto_conf, std::ios::app) << "shared_preload_libraries = 'no_such_library'\n";
  try {
    box.up();
    FAIL("a server that cannot load its libraries started");
  } catch (const pg::SandboxError& e) {
    CHECK_THAT(e.what(), Catch::Contains("no_such_library"));
    CHECK_THAT(e.what(), !Catch::Contains("ready to accept connections"));
  }
}

TEST_CASE("a port in use gets an error naming it", "[pg][sandbox][live]") {
  test::TempDir tmp;
  PortHolder holder;
  pg::Sandbox box(tmp.path() / "sbx");
  pg::SandboxOptions o;
  o.port = holder.port();
  CHECK_THROWS_WITH(box.up(o), Catch::Contains("port " + std::to_string(holder.port()) + " is already in use"));
  CHECK_FALSE(box.status().running);
}

TEST_CASE("a directory that is not a sandbox is left alone", "[pg][sandbox][live]") {
  test::TempDir tmp;
  std::ofstream(tmp.path() / "precious.txt") << "user data";
  pg::Sandbox box(tmp.path());
  CHECK_THROWS_WITH(box.up(any_free_port()), Catch::Contains("is not a pgadvisor sandbox"));
  CHECK_THROWS_WITH(box.down(), Catch::Contains("is not a pgadvisor sandbox"));
  CHECK(std::filesystem::exists(tmp.path() / "precious.txt"));
}

TEST_CASE("sandbox env prints the lines to eval", "[pg][sandbox]") {
  test::TempDir tmp;
  pg::Sandbox box(tmp.path() / "it's here");
  auto env = box.env();
  CHECK_THAT(env, Catch::Contains("export PGHOST='" + tmp.path().string() + "/it'\\''s here/run'"));
  CHECK_THAT(env, Catch::Contains("export PGPORT=54329"));
  CHECK_THAT(env, Catch::Contains("export PGUSER=postgres"));
  CHECK_THAT(env, Catch::Contains("export PGDATABASE=pgadvisor"));
}
