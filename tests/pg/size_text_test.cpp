// pg::size_text: sizes in PostgreSQL's units, as every report prints them.
#include "pg/size_text.hpp"

#include <catch2/catch.hpp>

using pgadvisor::pg::size_text;

TEST_CASE("size_text prints sizes in PostgreSQL's units", "[pg]") {
  CHECK(size_text(0) == "0 bytes");
  CHECK(size_text(-5) == "0 bytes");
  CHECK(size_text(1023) == "1023 bytes");
  CHECK(size_text(1024) == "1.0 kB");
  CHECK(size_text(96000) == "93.8 kB");
  CHECK(size_text(int64_t{3} * 1024 * 1024 / 2) == "1.5 MB");
  CHECK(size_text(int64_t{2} * 1024 * 1024 * 1024) == "2.0 GB");
  CHECK(size_text(int64_t{5} * 1024 * 1024 * 1024 * 1024 * 1024) == "5120.0 TB");
}
