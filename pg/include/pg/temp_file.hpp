// Temporary files and their directory: $TMPDIR when set (as every Unix tool honours it), else /tmp.
#pragma once

#include <filesystem>
#include <string>

namespace pgadvisor::pg {

//! $TMPDIR when set and not empty, else /tmp.
std::filesystem::path temp_directory();

//! A new empty file in temp_directory() (mkstemp, so no other process can have made it), removed at scope exit.
class TempFile {
 public:
  //! `prefix` starts the file's name ("pgadvisor-shadow-" gives pgadvisor-shadow-Ab12Cd). Throws
  //! std::runtime_error naming the directory when the file cannot be made.
  explicit TempFile(const std::string& prefix = "pgadvisor-");
  ~TempFile();
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  TempFile(TempFile&&) = delete;
  TempFile& operator=(TempFile&&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace pgadvisor::pg
