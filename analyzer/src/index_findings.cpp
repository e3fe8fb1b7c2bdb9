// Index findings: each index compared with every other of its table.
#include "analyzer/index_findings.hpp"

#include <algorithm>

namespace pgadvisor::analyzer {
namespace {

// Which of two identical indexes to keep: a constraint's (or primary key's) first, then a unique one.
int protection(const IndexInfo& x) {
  if (x.primary || x.constraint) return 2;
  return x.unique ? 1 : 0;
}

bool is_prefix(const std::vector<std::string>& shorter, const std::vector<std::string>& longer) {
  return shorter.size() < longer.size() && std::equal(shorter.begin(), shorter.end(), longer.begin());
}

bool covers(const IndexInfo& big, const std::vector<std::string>& columns) {
  return std::all_of(columns.begin(), columns.end(), [&](const std::string& c) {
    return std::find(big.keys.begin(), big.keys.end(), c) != big.keys.end() ||
           std::find(big.included.begin(), big.included.end(), c) != big.included.end();
  });
}

IndexFinding finding(IndexProblem problem, const TableInfo& t, const IndexInfo& x, int64_t scans) {
  return {problem, t.schema, t.name, x.name, x.definition, x.size_bytes, scans, "", true, t.partitioned()};
}

}  // namespace

std::string_view to_string(IndexProblem problem) {
  switch (problem) {
    case IndexProblem::Invalid:
      return "invalid";
    case IndexProblem::Duplicate:
      return "duplicate";
    case IndexProblem::Redundant:
      return "redundant";
    case IndexProblem::Unused:
      return "unused";
  }
  return "?";
}

bool protected_index(const IndexInfo& index) { return index.unique || index.primary || index.constraint; }

std::vector<IndexFinding> index_findings(const TableInfo& t, const std::map<std::string, int64_t>& earlier_scans) {
  std::vector<IndexFinding> out;
  const auto& xs = t.indexes;
  for (size_t i = 0; i < xs.size(); ++i) {
    const auto& x = xs[i];
    if (!x.attached_to.empty()) continue;  // its partitioned table's index speaks for it
    auto before = earlier_scans.find(x.name);
    // A counter that went backwards (statistics reset) counts from zero.
    int64_t scans = before == earlier_scans.end() || x.scans < before->second ? x.scans : x.scans - before->second;
    if (!x.valid || !x.ready) {
      out.push_back(finding(IndexProblem::Invalid, t, x, scans));
      continue;
    }
    bool reported = false;
    for (size_t j = 0; j < xs.size() && !reported; ++j) {
      const auto& y = xs[j];
      if (i == j || !y.valid || y.method != x.method || y.predicate != x.predicate) continue;
      if (y.keys == x.keys && y.included == x.included) {
        // Of two identical indexes report one: the less protected one, else the later name.
        int px = protection(x);
        int py = protection(y);
        if (px > py || (px == py && x.name < y.name)) continue;
        auto f = finding(IndexProblem::Duplicate, t, x, scans);
        f.covered_by = y.name;
        f.droppable = px < 2;  // both back constraints: which one to drop is a design decision
        out.push_back(std::move(f));
        reported = true;
      } else if (x.method == "btree" && !x.unique && is_prefix(x.keys, y.keys) && covers(y, x.included)) {
        auto f = finding(IndexProblem::Redundant, t, x, scans);
        f.covered_by = y.name;
        out.push_back(std::move(f));
        reported = true;
      }
    }
    if (!reported && scans == 0 && !protected_index(x)) out.push_back(finding(IndexProblem::Unused, t, x, scans));
  }
  return out;
}

}  // namespace pgadvisor::analyzer
