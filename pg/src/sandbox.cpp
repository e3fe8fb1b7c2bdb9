// Sandbox: initdb/pg_ctl driven directly (fork/exec), as the `postgres` OS user when we are root.
// Layout of DIR: data/ (PGDATA), run/ (unix socket), log/postgresql.log (slow-query log), and
// .pgadvisor-sandbox (marker and remembered port) so that we never touch a directory we did not make.
#include "pg/sandbox.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pwd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

#include <fmt/format.h>

#include "pg/client_tools.hpp"
#include "pg/connection.hpp"
#include "pg/process.hpp"
#include "sql/embedded.hpp"

namespace fs = std::filesystem;

namespace pgadvisor::pg {
namespace {

constexpr const char* kMarker = ".pgadvisor-sandbox";
// sockaddr_un.sun_path holds 108 bytes, NUL included.
constexpr size_t kMaxSocketPath = 107;

// What `p` holds beyond its first `offset` bytes (what a run appended to a log that already had earlier runs').
std::string read_from(const fs::path& p, uintmax_t offset) {
  std::ifstream in(p, std::ios::binary);
  in.seekg(static_cast<std::streamoff>(offset));
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

uintmax_t size_or_zero(const fs::path& p) {
  std::error_code ec;
  auto size = fs::file_size(p, ec);
  return ec ? 0 : size;
}

std::string last_lines(const std::string& text, int n) {
  size_t pos = text.size();
  while (n-- > 0 && pos > 0) {
    pos = text.rfind('\n', pos - 1);
    if (pos == std::string::npos) return text;
  }
  return text.substr(pos + 1);
}

fs::path server_bindir() { return postgres_bindir(); }

std::optional<RunAs> server_user() {
  if (geteuid() != 0) return std::nullopt;
  struct passwd* pw = getpwnam("postgres");
  if (pw == nullptr) {
    throw SandboxError(
        "running as root, but there is no `postgres` OS user to run the server as "
        "(PostgreSQL refuses root); install postgresql-15, which creates it, or run as another user");
  }
  return RunAs{pw->pw_uid, pw->pw_gid, "postgres"};
}

// A value for postgresql.conf: single-quoted, quotes doubled.
std::string conf_quote(const std::string& v) {
  std::string out = "'";
  for (char c : v) {
    if (c == '\'') out += '\'';
    out += c;
  }
  return out + "'";
}

// A value for a shell's eval.
std::string shell_quote(const std::string& v) {
  std::string out = "'";
  for (char c : v) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

// Is nothing listening on 127.0.0.1:port? (-1: ask the kernel for a free one and return it.)
int bind_probe(int port) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port < 0 ? 0 : port));
  int result = -1;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
    socklen_t len = sizeof addr;
    getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    result = ntohs(addr.sin_port);
  }
  close(fd);
  return result;
}

struct Layout {
  fs::path dir;
  fs::path data() const { return dir / "data"; }
  fs::path run() const { return dir / "run"; }
  fs::path log_dir() const { return dir / "log"; }
  fs::path log_file() const { return log_dir() / "postgresql.log"; }
  fs::path startup_log() const { return log_dir() / "startup.log"; }
  fs::path marker() const { return dir / kMarker; }
};

std::optional<int> remembered_port(const Layout& l) {
  std::ifstream in(l.marker());
  std::string key;
  int port = 0;
  while (in >> key) {
    if (key == "port" && in >> port) return port;
  }
  return std::nullopt;
}

void remember_port(const Layout& l, int port) {
  std::ofstream out(l.marker(), std::ios::trunc);
  out << "# A pgadvisor sandbox lives in this directory (pgadvisor sandbox up|down|status|env).\nport " << port << "\n";
}

std::string server_config(const Layout& l, int port, const SandboxOptions& o) {
  std::string c = "# Written by `pgadvisor sandbox up` at every start; edit postgresql.auto.conf instead.\n";
  c += "listen_addresses = '127.0.0.1'\n";
  c += fmt::format("port = {}\n", port);
  c += fmt::format("unix_socket_directories = {}\n", conf_quote(l.run().string()));
  if (o.preload_pg_stat_statements) {
    c += "shared_preload_libraries = 'pg_stat_statements'\n";
    c += "pg_stat_statements.track = all\n";
    c += "pg_stat_statements.max = 10000\n";
  }
  c += "track_io_timing = on\n";
  // The slow-query log, in the stderr format pgadvisor ingests.
  c += "logging_collector = on\nlog_destination = 'stderr'\n";
  c += fmt::format("log_directory = {}\n", conf_quote(l.log_dir().string()));
  c += "log_filename = 'postgresql.log'\nlog_rotation_age = 0\nlog_rotation_size = 0\nlog_file_mode = 0640\n";
  c += fmt::format("log_min_duration_statement = {}\n", o.log_min_duration_ms);
  c += "log_line_prefix = '%m [%p] %q%u@%d app=%a '\n";
  c += "lc_messages = 'C'\n";
  // A throwaway cluster: durability is not worth the time.
  c += "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n";
  c += "shared_buffers = '256MB'\nmax_connections = 40\n";
  // The sandbox's mark: every database of this server is throwaway (`advise --apply` may run advice there).
  c += "pgadvisor.sandbox = on\n";
  return c;
}

long postmaster_pid(const Layout& l) {
  std::ifstream in(l.data() / "postmaster.pid");
  long pid = 0;
  return (in >> pid) ? pid : 0;
}

// Alive and not a zombie: a crashed postmaster whose parent does not reap it (a container's init, say)
// stays a zombie, and kill(pid, 0) alone would call it running.
bool process_alive(long pid) {
  if (pid <= 0 || (kill(static_cast<pid_t>(pid), 0) != 0 && errno != EPERM)) return false;
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(stat, line)) return true;  // no /proc: trust kill()
  size_t close_paren = line.rfind(')');
  return close_paren == std::string::npos || close_paren + 2 >= line.size() || line[close_paren + 2] != 'Z';
}

class SandboxRunner {
 public:
  explicit SandboxRunner(const Layout& l) : layout_(l), bindir_(server_bindir()), user_(server_user()) {}

  ProcessResult run(const std::string& program, std::vector<std::string> args) const {
    fs::path exe = bindir_ / program;
    if (!fs::exists(exe)) {
      throw SandboxError(
          fmt::format("{} not found in {} (from pg_config --bindir); install postgresql-15 "
                      "(scripts/bootstrap.sh does) or set PGADVISOR_PG_BINDIR",
                      program, bindir_.string()));
    }
    args.insert(args.begin(), exe.string());
    return run_process(args, {.cwd = layout_.dir.string(), .user = user_, .environment = {}, .input = {}});
  }

  // 0 running, 3 not running (pg_ctl status).
  bool running() const {
    if (!fs::exists(layout_.data() / "PG_VERSION")) return false;
    return run("pg_ctl", {"status", "-D", layout_.data().string()}).exit_code == 0 &&
           process_alive(postmaster_pid(layout_));
  }

  void give_to_server_user(const fs::path& p) const {
    if (user_ && chown(p.c_str(), user_->uid, user_->gid) != 0) {
      throw SandboxError(fmt::format("cannot give {} to the postgres OS user: {}", p.string(), std::strerror(errno)));
    }
  }

  void check_server_user_can_write(const fs::path& p) const {
    if (user_ && !user_can_write(p.string(), *user_)) {
      throw SandboxError(fmt::format(
          "the postgres OS user cannot enter {} (a parent directory is not searchable by it); PostgreSQL refuses "
          "to run as root, so choose a --dir it can reach, e.g. under /tmp",
          p.string()));
    }
  }

 private:
  const Layout& layout_;
  fs::path bindir_;
  std::optional<RunAs> user_;
};

}  // namespace

Sandbox::Sandbox(const fs::path& dir) : dir_(fs::absolute(dir).lexically_normal()) {
  if (!dir_.has_filename()) dir_ = dir_.parent_path();
}

std::string Sandbox::dsn() const {
  Layout l{dir_};
  int port = remembered_port(l).value_or(kDefaultPort);
  return fmt::format("host={} port={} user={} dbname={}", l.run().string(), port, kSuperuser, kDatabase);
}

std::string Sandbox::env() const {
  Layout l{dir_};
  int port = remembered_port(l).value_or(kDefaultPort);
  return fmt::format("export PGHOST={}\nexport PGPORT={}\nexport PGUSER={}\nexport PGDATABASE={}\n",
                     shell_quote(l.run().string()), port, kSuperuser, kDatabase);
}

SandboxStatus Sandbox::status() const {
  Layout l{dir_};
  SandboxStatus s;
  s.dir = dir_;
  s.port = remembered_port(l).value_or(kDefaultPort);
  s.socket_dir = l.run();
  s.log_file = l.log_file();
  if (fs::exists(l.marker())) {
    s.running = SandboxRunner(l).running();
    if (s.running) s.pid = postmaster_pid(l);
  }
  return s;
}

SandboxStatus Sandbox::up(const SandboxOptions& options) {
  Layout l{dir_};
  std::error_code ec;
  if (fs::exists(dir_) && !fs::exists(l.marker()) && !fs::is_empty(dir_, ec)) {
    throw SandboxError(
        fmt::format("{} exists and is not a pgadvisor sandbox; choose a new or empty --dir", dir_.string()));
  }
  SandboxRunner runner(l);
  if (fs::exists(l.marker()) && runner.running()) return status();

  int port = options.port > 0 ? options.port : remembered_port(l).value_or(kDefaultPort);
  if (options.port < 0) port = bind_probe(-1);
  std::string socket_path = (l.run() / fmt::format(".s.PGSQL.{}", port)).string();
  if (socket_path.size() > kMaxSocketPath) {
    throw SandboxError(
        fmt::format("the socket path {} is longer than the {} bytes a unix socket allows; "
                    "choose a shorter --dir",
                    socket_path, kMaxSocketPath));
  }

  fs::create_directories(dir_);
  fs::permissions(dir_, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec | fs::perms::others_read |
                            fs::perms::others_exec);
  bool fresh = !fs::exists(l.data() / "PG_VERSION");
  remember_port(l, port);
  for (const auto& d : {l.data(), l.run(), l.log_dir()}) {
    if (d == l.data() && fresh) fs::remove_all(d);  // what an interrupted initdb left
    fs::create_directories(d);
    runner.give_to_server_user(d);
  }
  fs::permissions(l.data(), fs::perms::owner_all);
  runner.check_server_user_can_write(l.data());

  if (fresh) {
    auto r = runner.run("initdb",
                        {"-D", l.data().string(), "-U", kSuperuser, "--auth-local=trust", "--auth-host=scram-sha-256",
                         "--encoding=UTF8", "--locale=C", "--no-sync", "--no-instructions"});
    if (r.exit_code != 0) {
      throw SandboxError(fmt::format("initdb failed (exit {}) in {}:\n{}", r.exit_code, l.data().string(),
                                     last_lines(r.combined(), 10)));
    }
    std::ofstream conf(l.data() / "postgresql.conf", std::ios::app);
    conf << "\n# pgadvisor's sandbox settings\ninclude_if_exists = 'pgadvisor.conf'\n";
  }
  {
    std::ofstream conf(l.data() / "pgadvisor.conf", std::ios::trunc);
    conf << server_config(l, port, options);
  }
  runner.give_to_server_user(l.data() / "pgadvisor.conf");

  if (bind_probe(port) != port) {
    throw SandboxError(fmt::format("port {} is already in use on 127.0.0.1; choose another with --port", port));
  }
  auto start = [&] {
    return runner.run("pg_ctl",
                      {"start", "-D", l.data().string(), "-l", l.startup_log().string(), "-w", "-t", "60", "-s"});
  };
  // Not running but a pid file: a crash left it. The server would refuse to start if the pid it names is a
  // zombie or was reused, so remove it (we have just checked that no postmaster of ours is alive).
  if (postmaster_pid(l) != 0) fs::remove(l.data() / "postmaster.pid");
  // Only this start's lines tell why it failed: the logs keep every earlier run's.
  const uintmax_t startup_log_size = size_or_zero(l.startup_log());
  const uintmax_t log_size = size_or_zero(l.log_file());
  auto r = start();
  if (r.exit_code != 0) {
    // After a crash the old postmaster's children may still hold its shared memory for a moment;
    // the server refuses to start until they are gone. Give them a few seconds, then try once more.
    std::this_thread::sleep_for(std::chrono::seconds(3));
    r = start();
  }
  if (r.exit_code != 0) {
    std::string log = read_from(l.startup_log(), startup_log_size) + read_from(l.log_file(), log_size);
    throw SandboxError(fmt::format("the sandbox server did not start (pg_ctl exit {}); last lines of its log:\n{}",
                                   r.exit_code, last_lines(log.empty() ? r.combined() : log, 8)));
  }

  // The database and its extensions.
  auto admin =
      Connection::open(fmt::format("host={} port={} user={} dbname=postgres", l.run().string(), port, kSuperuser));
  if (admin.query(sql::text("sandbox/database_exists"), kDatabase).get<int64_t>(0, 0) == 0) {
    admin.query(sql::text("sandbox/create_database"), std::vector<Param>{});
  }
  auto db = Connection::open(dsn());
  if (options.preload_pg_stat_statements)
    db.query(sql::text("sandbox/create_pg_stat_statements"), std::vector<Param>{});
  try {
    db.query(sql::text("sandbox/create_hypopg"), std::vector<Param>{});
  } catch (const Error& e) {
    throw SandboxError("cannot create the hypopg extension: " + e.primary() +
                       "; install it with apt-get install postgresql-15-hypopg (scripts/bootstrap.sh does)");
  }
  return status();
}

SandboxStatus Sandbox::down() {
  Layout l{dir_};
  if (!fs::exists(l.marker())) {
    throw SandboxError(fmt::format("{} is not a pgadvisor sandbox (no {} file)", dir_.string(), kMarker));
  }
  SandboxRunner runner(l);
  if (runner.running()) {
    auto r = runner.run("pg_ctl", {"stop", "-D", l.data().string(), "-m", "fast", "-w", "-t", "60", "-s"});
    if (r.exit_code != 0 && runner.running()) {
      throw SandboxError(fmt::format("pg_ctl stop failed (exit {}): {}", r.exit_code, last_lines(r.combined(), 5)));
    }
  }
  return status();
}

}  // namespace pgadvisor::pg
