// Stable hashes of the gate: 64-bit FNV-1a (the same on every platform and in every version, since baselines keep
// them), written as 16 hex digits: the plan's fingerprint, the statement's hash and the result's checksum.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "gate/gate.hpp"
#include "pg/result.hpp"

namespace pgadvisor::gate {

constexpr uint64_t kFnvOffset = 0xcbf29ce484222325ULL;

//! FNV-1a 64 of `bytes`, continuing from `hash`.
constexpr uint64_t fnv1a64(std::string_view bytes, uint64_t hash = kFnvOffset) {
  for (char c : bytes) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

//! 16 lower-case hex digits.
std::string hex16(uint64_t value);

//! Measurement::sql_hash: the statement and its parameter sets (NULL distinct from 'NULL' and from ''), so that a
//! baseline taken with another statement or other parameters is recognized as such.
std::string sql_hash(const GuardedQuery& query);

//! Measurement::rows and Measurement::result_checksum: rows are hashed one by one (each value length-prefixed,
//! NULL distinct from ''), summed within a parameter set (row order does not count: a new plan may return ties in
//! another order) and the sets' sums chained in order.
//!
//!   ResultChecksum sum;
//!   for (each parameter set) { sum.add(result); sum.end_set(); }
//!   m.rows = sum.rows(); m.result_checksum = sum.hex();
class ResultChecksum {
 public:
  //! One row of the current parameter set.
  void add_row(const std::vector<pg::Param>& row);
  //! Every row of a result, as text.
  void add(const pg::Result& result);
  //! Closes the current parameter set (its rows count as a whole; another set starts).
  void end_set();

  int64_t rows() const { return rows_; }
  //! The checksum of the sets closed so far (and of the current one when it holds rows).
  std::string hex() const;

 private:
  uint64_t chained_ = kFnvOffset;  //!< the closed sets
  uint64_t set_sum_ = 0;           //!< the current set's row hashes, summed mod 2^64
  int64_t set_rows_ = 0;
  int64_t rows_ = 0;
};

}  // namespace pgadvisor::gate
