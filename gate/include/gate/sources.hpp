// Guarded queries besides a queries file: the top classes of a store's workload (what `advise` and `top` read, see
// collector/workload_loader.hpp) and the classes of an `advise --format json` document. Each is named by its
// fingerprint (`class_3f2a…`) and runs with its parameter sets when its text has $n, else with a sample statement.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "analyzer/workload.hpp"
#include "gate/gate.hpp"

namespace pgadvisor::gate {

//! Queries from classes, and why the others were left out ("class_3f2a…: no sample statement or parameter set").
struct QuerySource {
  std::vector<GuardedQuery> queries;
  std::vector<std::string> skipped;
};

//! The `top` classes of `workload` that can run, by total time then calls (ties by fingerprint), with at most
//! `max_params` parameter sets each; `origin_word` names where they came from in messages ("store pgadvisor.db").
//! A class without a fingerprint, or without anything to run (a pg_stat_statements class has no values for its
//! $n), is skipped with the reason when it ranks above the last class taken.
QuerySource queries_from_workload(const analyzer::Workload& workload, size_t top, size_t max_params,
                                  const std::string& origin_word);

//! Every class of the advice JSON's "workload.classes" that can run, in its order. Throws std::invalid_argument
//! when the document is not advice JSON (advisor::advice_from_json's message).
QuerySource queries_from_advice(const std::string& advice_json, size_t max_params, const std::string& origin_word);

//! The name a class is guarded under: "class_" and its fingerprint.
std::string class_query_name(const std::string& fingerprint);

}  // namespace pgadvisor::gate
