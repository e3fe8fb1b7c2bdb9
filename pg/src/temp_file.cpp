// mkstemp in $TMPDIR (or /tmp), and removal at scope exit.
#include "pg/temp_file.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

namespace pgadvisor::pg {

std::filesystem::path temp_directory() {
  const char* dir = std::getenv("TMPDIR");
  return dir != nullptr && *dir != '\0' ? std::filesystem::path(dir) : std::filesystem::path("/tmp");
}

TempFile::TempFile(const std::string& prefix) {
  std::string name = (temp_directory() / (prefix + "XXXXXX")).string();
  int fd = mkstemp(name.data());
  if (fd < 0) {
    throw std::runtime_error("cannot create a temporary file in " + temp_directory().string() + ": " +
                             std::strerror(errno) + " (set TMPDIR to a writable directory)");
  }
  close(fd);
  path_ = name;
}

TempFile::~TempFile() {
  std::error_code ignored;
  std::filesystem::remove(path_, ignored);
}

}  // namespace pgadvisor::pg
