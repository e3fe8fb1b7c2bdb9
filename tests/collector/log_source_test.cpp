// LogSource: plain, gzip and zstd files read back byte for byte whatever the size of each read, including the
// output a decompressor still holds when its input has run out; concatenated gzip members and trailing data.
#include "collector/log_source.hpp"

#include <fstream>
#include <iterator>
#include <string>

#include <catch2/catch.hpp>

#include "pg/process.hpp"
#include "test_support.hpp"

using namespace pgadvisor::collector;
namespace pg = pgadvisor::pg;

namespace {

std::string read_all(const std::string& path, size_t capacity) {
  LogSource source = LogSource::open(path);
  std::string out, chunk(capacity, '\0');
  for (size_t n; (n = source.read(chunk.data(), capacity)) > 0;) out.append(chunk, 0, n);
  CHECK_FALSE(source.truncated());
  CHECK(source.offset() == out.size());
  return out;
}

}  // namespace

TEST_CASE("compressed logs read back whole with any read size", "[collector][source]") {
  pgadvisor::test::TempDir tmp;
  std::string text;  // 2.5 MB that compresses well: zstd holds much output when its input is all read
  for (int i = 0; i < 40000; ++i) {
    text += "2026-11-22 04:46:52." + std::to_string(100 + i % 900) + " UTC [" + std::to_string(i % 97) +
            "] LOG:  duration: 0.5 ms  statement: SELECT " + std::to_string(i % 13) + "\n";
  }
  const std::string path = (tmp.path() / "t.log").string();
  std::ofstream(path, std::ios::binary) << text;
  // Without its checksum a zstd frame ends with its last block: nothing of the input is left to read then.
  REQUIRE(pg::run_process({"gzip", "-k", path}).exit_code == 0);
  REQUIRE(pg::run_process({"zstd", "-q", "-k", path}).exit_code == 0);
  REQUIRE(pg::run_process({"zstd", "-q", "--no-check", path, "-o", path + ".nocheck.zst"}).exit_code == 0);
  for (const std::string& file : {path, path + ".gz", path + ".zst", path + ".nocheck.zst"}) {
    for (size_t capacity : {size_t{1}, size_t{7}, size_t{4096}, size_t{1} << 20}) {
      INFO(file << " read " << capacity << " bytes at a time");
      CHECK(read_all(file, capacity) == text);
    }
  }
}

TEST_CASE("gzip: concatenated members are read on, zero padding or garbage after the last one is ignored",
          "[collector][source]") {
  pgadvisor::test::TempDir tmp;
  const std::string a = "2026-11-22 04:46:52.100 UTC [1] LOG:  statement: SELECT 1\n";
  const std::string b = "2026-11-22 04:46:52.200 UTC [2] LOG:  statement: SELECT 2\n";
  const std::string path = (tmp.path() / "x.log").string();
  auto gzip = [&](const std::string& text) {
    std::ofstream(path, std::ios::binary) << text;
    REQUIRE(pg::run_process({"gzip", "-f", path}).exit_code == 0);
    std::ifstream in(path + ".gz", std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  };
  const std::string ga = gzip(a), gb = gzip(b);
  struct Case {
    const char* name;
    std::string bytes;
    std::string text;
    bool trailing;
  };
  for (const auto& c :
       {Case{"two members", ga + gb, a + b, false}, Case{"zero padding", ga + std::string(4096, '\0'), a, true},
        Case{"garbage", ga + gb + "not gzip at all\n", a + b, true}}) {
    INFO(c.name);
    const std::string file = (tmp.path() / "c.log.gz").string();
    std::ofstream(file, std::ios::binary | std::ios::trunc) << c.bytes;
    LogSource source = LogSource::open(file);
    std::string out(1 << 16, '\0');
    std::string got;
    for (size_t n; (n = source.read(out.data(), out.size())) > 0;) got.append(out, 0, n);
    CHECK(got == c.text);
    CHECK(source.trailing_data() == c.trailing);
    CHECK_FALSE(source.truncated());
  }
}
