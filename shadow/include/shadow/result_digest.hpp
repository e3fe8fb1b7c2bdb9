// An order-insensitive fingerprint of a statement's result: the bench compares a read's result before and after a
// script, the gate a query's result against its baseline. Rows may come back in any order unless the statement
// sorts them, so the digest does not depend on it.
#pragma once

#include <cstdint>

#include "pg/result.hpp"

namespace pgadvisor::shadow {

//! The row count and the sum (mod 2^64) of each row's FNV-1a hash over its values (NULL hashed apart from '').
struct ResultDigest {
  int64_t rows = 0;
  uint64_t checksum = 0;
  bool operator==(const ResultDigest&) const = default;
};

ResultDigest digest(const pg::Result& r);

}  // namespace pgadvisor::shadow
