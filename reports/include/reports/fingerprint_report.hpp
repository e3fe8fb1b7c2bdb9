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
  int line = 0;                  //!< 1-based line of the input where the statement starts
  std::string text;              //!< the statement as written
  analyzer::StatementInfo info;  //!< fingerprint, kind, parse error
  //! pg_query_normalize's text, or for a statement that does not parse its unparsed class's (from its tokens)
  std::optional<std::string> normalized;
  //! For a statement that does not parse: its unparsed class's fingerprint ("u" and 15 hex digits)
  std::optional<std::string> unparsed_fingerprint;
  std::optional<analyzer::QueryFacts> facts;
  std::optional<std::string> facts_note;  //!< why there are no facts, e.g. "too large to analyze (…)"
};

std::string render_fingerprint_text(const std::vector<FingerprintRecord>& records);

//! {"schema_version": 1, "statements": [{"line", "fingerprint", "parsed", "normalized", "kind", "error", "facts",
//! "facts_note"}]}
std::string render_fingerprint_json(const std::vector<FingerprintRecord>& records);

//! QueryFacts as JSON: the contract's "facts" object, shared by every report that shows facts.
nlohmann::ordered_json facts_to_json(const analyzer::QueryFacts& facts);

}  // namespace pgadvisor::reports
