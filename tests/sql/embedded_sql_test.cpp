// Every SQL file of sql/ is embedded byte for byte, under its name, and nothing else is.
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <catch2/catch.hpp>

#include "sql/embedded.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
using pgadvisor::test::source_path;

namespace {
std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}
}  // namespace

TEST_CASE("each embedded SQL text equals its file", "[sql]") {
  const auto& texts = pgadvisor::sql::all();
  REQUIRE_FALSE(texts.empty());
  for (const auto& t : texts) {
    INFO("sql/" << t.name << ".sql");
    CHECK(read_file(source_path("sql/" + std::string(t.name) + ".sql")) == t.text);
    CHECK(pgadvisor::sql::text(t.name) == t.text);
  }
}

TEST_CASE("every SQL file under sql/ is embedded", "[sql]") {
  std::set<std::string> embedded;
  for (const auto& t : pgadvisor::sql::all()) embedded.insert(std::string(t.name));
  std::set<std::string> files;
  fs::path root = source_path("sql");
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (entry.path().extension() != ".sql") continue;
    auto rel = fs::relative(entry.path(), root).replace_extension().generic_string();
    files.insert(rel);
  }
  CHECK(files == embedded);
}

TEST_CASE("an unknown SQL name is a clear error", "[sql]") {
  CHECK_THROWS_WITH(pgadvisor::sql::text("no/such"), Catch::Contains("sql/no/such.sql"));
}
