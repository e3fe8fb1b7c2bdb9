// Results of `pgadvisor bench` in the store, kept with the advice (or script) they prove.
#pragma once

#include <cstdint>
#include <string>

#include "collector/store.hpp"

namespace pgadvisor::collector {

struct StoredBench {
  std::string created_at;  //!< ISO 8601 UTC
  std::string shadow;      //!< the shadow's DSN, without password
  std::string advice;      //!< the advice JSON, or the hand-written script and queries
  std::string result;      //!< the bench JSON document
  std::string verdicts;    //!< "faster=… slower=… unchanged=… error=…"
};

//! Stores one benchmark in one transaction; returns its id.
int64_t save_bench(Store& store, const StoredBench& bench);

}  // namespace pgadvisor::collector
