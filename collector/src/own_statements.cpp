// Recognizing pgadvisor's own statements (see the header): the fingerprints of the embedded SQL texts, computed
// once, and the prefixes pgadvisor puts before a workload statement.
#include "collector/own_statements.hpp"

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "analyzer/statement.hpp"
#include "analyzer/statement_analyzer.hpp"
#include "sql/embedded.hpp"

namespace pgadvisor::collector {
namespace {

// The demo's schema and workload are a user's statements; the store's texts run on SQLite, never on a server.
bool sent_to_servers(std::string_view name) { return !name.starts_with("demo/") && !name.starts_with("store/"); }

// A text without its comment lines and surrounding whitespace: what a prefix file puts before a statement.
std::string without_comments(std::string_view text) {
  std::string out;
  while (!text.empty()) {
    auto end = text.find('\n');
    auto line = text.substr(0, end);
    if (!line.starts_with("--")) out += std::string(line) + " ";
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  while (!out.empty() && (out.back() == ' ' || out.back() == '\r')) out.pop_back();
  return out;
}

struct Known {
  std::set<uint64_t> fingerprints;
  std::vector<std::string> prefixes;
};

const Known& known() {
  static const Known k = [] {
    Known out;
    analyzer::StatementAnalyzer analyzer;
    for (const auto& t : sql::all()) {
      if (!sent_to_servers(t.name)) continue;
      if (t.name.ends_with("_prefix")) {
        out.prefixes.push_back(without_comments(t.text));
        continue;
      }
      for (const auto& s : analyzer.analyze(t.text)) {
        if (!s.info.error) out.fingerprints.insert(s.info.fingerprint);
      }
    }
    return out;
  }();
  return k;
}

}  // namespace

bool is_own_statement(std::string_view text) {
  const auto& k = known();
  auto start = text.find_first_not_of(" \t\r\n");
  if (start == std::string_view::npos) return false;
  const auto body = text.substr(start);
  for (const auto& prefix : k.prefixes) {
    if (body.starts_with(prefix)) return true;
  }
  analyzer::StatementAnalyzer analyzer;
  auto statements = analyzer.analyze(text);
  return !statements.empty() && std::all_of(statements.begin(), statements.end(), [&](const auto& s) {
    return !s.info.error && k.fingerprints.contains(s.info.fingerprint);
  });
}

}  // namespace pgadvisor::collector
