// Golden files for the report tests: a rendering is compared byte for byte with tests/reports/golden/<name>.
// UPDATE_GOLDEN=1 (re)writes the files instead (then review them with `git diff tests/reports/golden`).
// On a mismatch the test fails with `diff -u` of the golden file and what was rendered (kept in the build tree).
#pragma once

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include <catch2/catch.hpp>

#include "test_support.hpp"

namespace pgadvisor::test {

inline bool update_golden() {
  const char* v = std::getenv("UPDATE_GOLDEN");
  return v != nullptr && std::string(v) == "1";
}

inline void write_bytes(const std::filesystem::path& path, const std::string& bytes) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << bytes;
}

//! `diff -u` of two files, its output as text (diff is POSIX: no need for a diff of our own).
inline std::string unified_diff(const std::filesystem::path& expected, const std::filesystem::path& actual) {
  std::string command = "diff -u --label golden/" + expected.filename().string() + " --label rendered '" +
                        expected.string() + "' '" + actual.string() + "' 2>&1";
  std::string out;
  if (FILE* pipe = popen(command.c_str(), "r")) {
    char buffer[4096];
    size_t n = 0;
    while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) out.append(buffer, n);
    pclose(pipe);
  }
  return out;
}

//! Compares `rendered` with the golden file `name` (or writes it under UPDATE_GOLDEN=1).
inline void check_golden(const std::string& name, const std::string& rendered) {
  std::filesystem::path golden = source_path("tests/reports/golden/" + name);
  if (update_golden()) {
    write_bytes(golden, rendered);
    WARN("golden file written: tests/reports/golden/" << name);
    return;
  }
  if (!std::filesystem::exists(golden)) {
    FAIL("missing golden file tests/reports/golden/" << name << " (run the test with UPDATE_GOLDEN=1 to create it)");
  }
  std::string expected = read_file(golden);
  if (expected == rendered) {
    SUCCEED();
    return;
  }
  std::filesystem::path actual = std::filesystem::path(PGADVISOR_BINARY_DIR) / "tests/reports/rendered" / name;
  write_bytes(actual, rendered);
  FAIL("the rendering differs from tests/reports/golden/" << name
                                                          << " (if the change is intended, rerun with "
                                                             "UPDATE_GOLDEN=1 and review git diff)\n"
                                                          << unified_diff(golden, actual));
}

}  // namespace pgadvisor::test
