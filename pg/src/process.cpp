// fork/exec with one pipe each for stdout and stderr (read together with poll, so that neither fills up and blocks
// the child) and an optional switch of user (setgid, setgroups, setuid) in the child.
#include "pg/process.hpp"

#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <string_view>

namespace pgadvisor::pg {
namespace {

// In the child only: become `user` (group first, while we still may).
bool become(const RunAs& user) { return setgroups(0, nullptr) == 0 && setgid(user.gid) == 0 && setuid(user.uid) == 0; }

int exit_code_of(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

// The caller's environment with `environment`'s entries added or replacing those of the same name.
std::vector<std::string> child_environment(const std::vector<std::string>& environment) {
  std::vector<std::string> env_text = environment;
  for (char** e = environ; *e != nullptr; ++e) {
    std::string_view entry(*e);
    auto name = entry.substr(0, entry.find('=') + 1);
    bool replaced = std::any_of(environment.begin(), environment.end(),
                                [&](const std::string& x) { return std::string_view(x).starts_with(name); });
    if (!replaced) env_text.emplace_back(entry);
  }
  return env_text;
}

// Reads both pipes until the child has closed them.
void read_both(int out_fd, int err_fd, ProcessResult& result) {
  pollfd fds[2] = {{out_fd, POLLIN, 0}, {err_fd, POLLIN, 0}};
  std::string* sinks[2] = {&result.out, &result.err};
  int open_count = 2;
  char buffer[4096];
  while (open_count > 0) {
    if (poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      ssize_t n = read(fds[i].fd, buffer, sizeof buffer);
      if (n > 0) {
        sinks[i]->append(buffer, static_cast<size_t>(n));
      } else if (n == 0 || errno != EINTR) {
        close(fds[i].fd);
        fds[i].fd = -1;
        --open_count;
      }
    }
  }
  for (auto& f : fds) {
    if (f.fd >= 0) close(f.fd);
  }
}

}  // namespace

std::optional<std::filesystem::path> find_program(const std::string& name) {
  if (name.find('/') != std::string::npos) return std::filesystem::path(name);
  const char* path = std::getenv("PATH");
  std::string_view dirs = path != nullptr ? path : "/usr/local/bin:/usr/bin:/bin";
  while (true) {
    auto colon = dirs.find(':');
    std::string dir(dirs.substr(0, colon));
    auto candidate = std::filesystem::path(dir.empty() ? "." : dir) / name;
    if (access(candidate.c_str(), X_OK) == 0 && !std::filesystem::is_directory(candidate)) return candidate;
    if (colon == std::string_view::npos) return std::nullopt;
    dirs.remove_prefix(colon + 1);
  }
}

ProcessResult run_process(const std::vector<std::string>& argv, const ProcessOptions& options) {
  if (argv.empty()) throw std::invalid_argument("run_process: no program");
  auto program = find_program(argv[0]);
  if (!program) throw std::runtime_error(argv[0] + ": not found in PATH");
  const std::string exe = program->string();
  // Everything the child needs, built before fork (the child may only make async-signal-safe calls).
  std::vector<std::string> env_text = child_environment(options.environment);
  std::vector<char*> envp;
  envp.reserve(env_text.size() + 1);
  for (auto& e : env_text) envp.push_back(e.data());
  envp.push_back(nullptr);
  std::vector<std::string> args_text = argv;  // execve takes char* const[]: mutable copies, no const_cast
  std::vector<char*> args;
  args.reserve(args_text.size() + 1);
  for (auto& a : args_text) args.push_back(a.data());
  args.push_back(nullptr);

  // Opened here so that a missing file is an error of the caller, not an exit code of the child.
  int input = open(options.input.empty() ? "/dev/null" : options.input.c_str(), O_RDONLY | O_CLOEXEC);
  if (input < 0) {
    throw std::runtime_error((options.input.empty() ? std::string("/dev/null") : options.input.string()) + ": " +
                             std::strerror(errno));
  }
  int out_pipe[2];
  int err_pipe[2];
  if (pipe2(out_pipe, O_CLOEXEC) != 0) {
    int saved = errno;
    close(input);
    throw std::runtime_error(std::string("pipe: ") + std::strerror(saved));
  }
  if (pipe2(err_pipe, O_CLOEXEC) != 0) {
    int saved = errno;
    for (int fd : {input, out_pipe[0], out_pipe[1]}) close(fd);
    throw std::runtime_error(std::string("pipe: ") + std::strerror(saved));
  }
  pid_t pid = fork();
  if (pid < 0) {
    int saved = errno;
    for (int fd : {input, out_pipe[0], out_pipe[1], err_pipe[0], err_pipe[1]}) close(fd);
    throw std::runtime_error(std::string("fork: ") + std::strerror(saved));
  }
  if (pid == 0) {
    // Child: only async-signal-safe calls from here to exec.
    dup2(out_pipe[1], STDOUT_FILENO);
    dup2(err_pipe[1], STDERR_FILENO);
    dup2(input, STDIN_FILENO);
    if (options.user && !become(*options.user)) {
      static const char msg[] = "could not switch to the server's OS user\n";
      (void)!write(STDERR_FILENO, msg, sizeof msg - 1);
      _exit(126);
    }
    if (!options.cwd.empty() && chdir(options.cwd.c_str()) != 0) _exit(126);
    execve(exe.c_str(), args.data(), envp.data());
    static const char msg[] = "could not execute the program\n";
    (void)!write(STDERR_FILENO, msg, sizeof msg - 1);
    _exit(127);
  }
  close(input);
  close(out_pipe[1]);
  close(err_pipe[1]);
  ProcessResult result;
  read_both(out_pipe[0], err_pipe[0], result);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  result.exit_code = exit_code_of(status);
  return result;
}

bool user_can_write(const std::string& dir, const RunAs& user) {
  pid_t pid = fork();
  if (pid < 0) return false;
  if (pid == 0) {
    if (!become(user)) _exit(1);
    _exit(access(dir.c_str(), W_OK | X_OK) == 0 ? 0 : 1);
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return exit_code_of(status) == 0;
}

}  // namespace pgadvisor::pg
