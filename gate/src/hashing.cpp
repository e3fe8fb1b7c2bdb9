// Stable hashes of the gate (hashing.hpp).
#include "gate/hashing.hpp"

#include <fmt/format.h>

namespace pgadvisor::gate {
namespace {

//! A value with its length first, NULL as a marker no length can be: "a","bc" and "ab","c" hash differently.
uint64_t mix_param(const pg::Param& value, uint64_t h) {
  if (!value) return fnv1a64("\xff", h);
  return fnv1a64(*value, fnv1a64(fmt::format("{}:", value->size()), h));
}

//! Adds a set's row count and sum to the chain.
uint64_t chain(uint64_t chained, int64_t rows, uint64_t sum) {
  return fnv1a64(fmt::format("{}/{:x};", rows, sum), chained);
}

}  // namespace

std::string hex16(uint64_t value) { return fmt::format("{:016x}", value); }

std::string sql_hash(const GuardedQuery& query) {
  uint64_t h = fnv1a64(fmt::format("{}:", query.sql.size()));
  h = fnv1a64(query.sql, h);
  for (const auto& set : query.params) {
    h = fnv1a64(fmt::format("|{}:", set.size()), h);
    for (const auto& value : set) h = mix_param(value, h);
  }
  return hex16(h);
}

void ResultChecksum::add_row(const std::vector<pg::Param>& row) {
  uint64_t h = kFnvOffset;
  for (const auto& value : row) h = mix_param(value, h);
  set_sum_ += h;
  ++set_rows_;
  ++rows_;
}

void ResultChecksum::add(const pg::Result& result) {
  std::vector<pg::Param> row;
  for (int r = 0; r < result.rows(); ++r) {
    row.clear();
    for (int c = 0; c < result.columns(); ++c) {
      row.push_back(result.is_null(r, c) ? pg::Param{} : pg::Param{result.get<std::string>(r, c)});
    }
    add_row(row);
  }
}

void ResultChecksum::end_set() {
  chained_ = chain(chained_, set_rows_, set_sum_);
  set_sum_ = 0;
  set_rows_ = 0;
}

std::string ResultChecksum::hex() const {
  return hex16(set_rows_ > 0 ? chain(chained_, set_rows_, set_sum_) : chained_);
}

}  // namespace pgadvisor::gate
