// Renders `pgadvisor fingerprint` results: one record per statement with its fingerprint, normalized text,
// kind, parse error and query facts, as text for people or JSON (schema_version 1) for programs.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "analyzer/query_facts.hpp"
#include "analyzer/statement.hpp"

namespace pgadvisor::reports {

//! One statement of the input and what the analyzer found.
struct FingerprintRecord {
  int line = 0;                           //!< 1-based line of the input where the statement starts
  std::string text;                       //!< the statement as written
  analyzer::StatementInfo info;           //!< fingerprint, kind, parse error
  std::optional<std::string> normalized;  //!< pg_query_normalize's text, when the statement parses
  std::optional<analyzer::QueryFacts> facts;
};

std::string render_fingerprint_text(const std::vector<FingerprintRecord>& records);

//! {"schema_version": 1, "statements": [{"line", "fingerprint", "normalized", "kind", "error", "facts"}]}
std::string render_fingerprint_json(const std::vector<FingerprintRecord>& records);

//! QueryFacts as JSON: the contract's "facts" object, shared by every report that shows facts.
nlohmann::ordered_json facts_to_json(const analyzer::QueryFacts& facts);

}  // namespace pgadvisor::reports
