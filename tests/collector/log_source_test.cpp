// LogSource: plain, gzip and zstd files read back byte for byte whatever the size of each read, including the
// output a decompressor still holds when its input has run out.
#include "collector/log_source.hpp"

#include <cstdlib>
#include <fstream>
#include <string>

#include <catch2/catch.hpp>

#include "test_support.hpp"

using namespace pgadvisor::collector;

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
  REQUIRE(std::system(("gzip -k " + path + " && zstd -q -k " + path + " && zstd -q --no-check " + path + " -o " + path +
                       ".nocheck.zst")
                          .c_str()) == 0);
  for (const std::string& file : {path, path + ".gz", path + ".zst", path + ".nocheck.zst"}) {
    for (size_t capacity : {size_t{1}, size_t{7}, size_t{4096}, size_t{1} << 20}) {
      INFO(file << " read " << capacity << " bytes at a time");
      CHECK(read_all(file, capacity) == text);
    }
  }
}
