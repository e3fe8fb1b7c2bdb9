// Why an advised index is what it is: the role of each key in the classes it serves and why they come in this
// order, why it is partial or full, why it covers, and which of the workload's writes pay for it. Sentences a DBA
// reviewing the advice can check against the queries and pg_stats, derived from the same facts and rules that
// generated the candidate (candidate_generator.hpp).
#pragma once

#include <span>
#include <string>
#include <vector>

#include "advisor/candidate_generator.hpp"
#include "advisor/cost_model.hpp"
#include "analyzer/catalog.hpp"

namespace pgadvisor::advisor {

//! One write class that adds index maintenance, and how many row changes it brings.
struct IndexWrite {
  const ClassFacts* writer = nullptr;
  double rows = 0;  //!< executions (one row each, the model's assumption)
};

//! The write classes of `classes` that change `index`: every INSERT, DELETE or MERGE into its table (schema and
//! name as the catalog resolves the statement's, or a table of its partition tree above or below it: they share
//! rows), and an UPDATE there that sets a column the index names (IndexCandidate::names_column; one that sets none
//! of them can be HOT). `hot` receives the UPDATEs left out.
std::vector<IndexWrite> index_writes(std::span<const ClassFacts> classes, const analyzer::Catalog& catalog,
                                     const IndexCandidate& index, std::vector<const ClassFacts*>* hot = nullptr);

//! Lines explaining `index` ("keys: …", "partial: …" or "full: …", "covering: …", "writes: …"), from the classes
//! it serves (`served`), every class of the workload (for the writes) and the rules of `options`.
std::vector<std::string> explain_index(const IndexCandidate& index, std::span<const ClassFacts* const> served,
                                       std::span<const ClassFacts> all, const analyzer::Catalog& catalog,
                                       const CandidateOptions& options, double cost_per_row);

//! The values a class's cost was measured over, in words: "3 sampled parameter sets: ($1 = 42), …".
std::string planned_values(const WorkloadQuery& query);

}  // namespace pgadvisor::advisor
