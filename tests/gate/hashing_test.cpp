// The gate's stable hashes: FNV-1a's published values, the statement's hash and the order-insensitive result
// checksum.
#include "gate/hashing.hpp"

#include <catch2/catch.hpp>

using namespace pgadvisor::gate;
using pgadvisor::pg::Param;

TEST_CASE("gate: FNV-1a 64 gives its published values, as 16 hex digits", "[gate][hashing]") {
  CHECK(hex16(fnv1a64("")) == "cbf29ce484222325");
  CHECK(hex16(fnv1a64("a")) == "af63dc4c8601ec8c");
  CHECK(hex16(fnv1a64("foobar")) == "85944171f73967e8");
  CHECK(fnv1a64("bar", fnv1a64("foo")) == fnv1a64("foobar"));
}

TEST_CASE("gate: the statement's hash covers its text and every parameter value", "[gate][hashing]") {
  GuardedQuery q{.name = "a", .sql = "SELECT $1", .params = {{"1"}, {"2"}}, .budgets = {}, .origin = "q.sql:1"};
  auto base = sql_hash(q);
  CHECK(base.size() == 16);
  auto renamed = q;
  renamed.name = "b";
  renamed.origin = "other.sql:9";
  CHECK(sql_hash(renamed) == base);  // where it is written does not count
  auto other = q;
  other.sql = "SELECT $1 ";
  CHECK(sql_hash(other) != base);
  other = q;
  other.params = {{"1"}, {"3"}};
  CHECK(sql_hash(other) != base);
  other.params = {{"2"}, {"1"}};
  CHECK(sql_hash(other) != base);
  std::vector<std::string> hashes;
  for (const auto& v : {Param{}, Param{"NULL"}, Param{""}}) {
    other.params = {{v}};
    hashes.push_back(sql_hash(other));
  }
  CHECK(hashes[0] != hashes[1]);
  CHECK(hashes[0] != hashes[2]);
  CHECK(hashes[1] != hashes[2]);
  other.params = {{"a", "bc"}};
  auto split1 = sql_hash(other);
  other.params = {{"ab", "c"}};
  CHECK(sql_hash(other) != split1);
}

TEST_CASE("gate: the result checksum ignores row order within a set, not the values or the sets", "[gate][hashing]") {
  auto checksum = [](const std::vector<std::vector<std::vector<Param>>>& sets) {
    ResultChecksum sum;
    for (const auto& set : sets) {
      for (const auto& row : set) sum.add_row(row);
      sum.end_set();
    }
    return std::pair{sum.rows(), sum.hex()};
  };
  auto base = checksum({{{"1", "x"}, {"2", Param{}}}, {{"3", "z"}}});
  CHECK(base.first == 3);
  CHECK(checksum({{{"2", Param{}}, {"1", "x"}}, {{"3", "z"}}}) == base);                 // rows reordered in a set
  CHECK(checksum({{{"1", "x"}, {"2", ""}}, {{"3", "z"}}}).second != base.second);        // NULL is not ''
  CHECK(checksum({{{"1", "x"}}, {{"2", Param{}}, {"3", "z"}}}).second != base.second);   // a row moved to another set
  CHECK(checksum({{{"3", "z"}}, {{"1", "x"}, {"2", Param{}}}}).second != base.second);   // sets swapped
  CHECK(checksum({{{"1", "x"}, {"1", "x"}, {"2", Param{}}}, {{"3", "z"}}}).first == 4);  // duplicates count
  CHECK(checksum({{}, {}}).second != checksum({{}}).second);
}
