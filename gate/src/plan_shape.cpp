// The shape of a plan from EXPLAIN (FORMAT JSON), its fingerprint and the line diff between two shapes.
#include "gate/plan_shape.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <stdexcept>

#include "gate/hashing.hpp"

namespace pgadvisor::gate {
namespace {

using nlohmann::json;

std::string text_of(const json& node, const char* key) {
  auto it = node.find(key);
  return it != node.end() && it->is_string() ? it->get<std::string>() : std::string{};
}

//! "HashAggregate", "Finalize GroupAggregate", "HashSetOp Except": the Aggregate and SetOp names of EXPLAIN's text.
std::string aggregate_label(const json& node, const std::string& type) {
  auto strategy = text_of(node, "Strategy");
  std::string label = type;
  if (type == "Aggregate") {
    if (strategy == "Sorted") label = "GroupAggregate";
    if (strategy == "Hashed") label = "HashAggregate";
    if (strategy == "Mixed") label = "MixedAggregate";
  } else if (type == "SetOp") {
    label = (strategy == "Hashed" ? "HashSetOp" : "SetOp") + std::string(" ") + text_of(node, "Command");
  }
  auto partial = text_of(node, "Partial Mode");
  return partial.empty() || partial == "Simple" ? label : partial + " " + label;
}

//! "Nested Loop", "Hash Left Join", "Merge Anti Join": the join's kind is part of its shape.
std::string join_label(const json& node, const std::string& type) {
  auto join_type = text_of(node, "Join Type");
  if (join_type.empty() || join_type == "Inner") return type;
  if (type == "Nested Loop") return type + " " + join_type + " Join";
  return type.substr(0, type.find(' ')) + " " + join_type + " Join";  // "Hash Join" → "Hash Left Join"
}

//! The node line: its name as EXPLAIN's text format prints it, the index and the relation.
std::string node_line(const json& node, const std::string& type) {
  std::string label = type;
  if (type == "Aggregate" || type == "SetOp") label = aggregate_label(node, type);
  if (type == "Nested Loop" || type == "Hash Join" || type == "Merge Join") label = join_label(node, type);
  if (type == "ModifyTable" && !text_of(node, "Operation").empty()) label = text_of(node, "Operation");
  if (type == "Custom Scan") label += " (" + text_of(node, "Custom Plan Provider") + ")";
  if (text_of(node, "Scan Direction") == "Backward") label += " Backward";
  if (node.value("Parallel Aware", false)) label = "Parallel " + label;

  auto parent = text_of(node, "Parent Relationship");
  if (parent == "InitPlan" || parent == "SubPlan") label = "[" + parent + "] " + label;
  if (auto index = text_of(node, "Index Name"); !index.empty()) label += " using " + index;
  auto target = text_of(node, "Relation Name");
  if (target.empty()) target = text_of(node, "CTE Name");
  if (target.empty()) target = text_of(node, "Function Name");
  if (!target.empty()) label += " on " + target;
  return label;
}

// The details that define a plan's shape, in the order they are written. Conditions say which predicate a node
// applies (an index condition against a filter); keys say what is sorted or grouped or cached.
constexpr std::array<const char*, 12> kDetailKeys = {"Index Cond", "Recheck Cond", "TID Cond",        "Hash Cond",
                                                     "Merge Cond", "Join Filter",  "One-Time Filter", "Filter",
                                                     "Sort Key",   "Group Key",    "Presorted Key",   "Cache Key"};

std::string detail_text(const json& value) {
  if (value.is_string()) return normalize_condition(value.get<std::string>());
  std::string out;
  if (value.is_array()) {
    for (const auto& item : value) {
      out +=
          (out.empty() ? "" : ", ") + (item.is_string() ? normalize_condition(item.get<std::string>()) : item.dump());
    }
    return out;
  }
  return value.dump();
}

void add_node(const json& node, int depth, PlanShape& shape) {
  if (!node.is_object()) throw std::invalid_argument("EXPLAIN JSON: a plan node is not an object");
  auto type = text_of(node, "Node Type");
  if (type.empty()) throw std::invalid_argument("EXPLAIN JSON: a plan node has no \"Node Type\"");
  std::string indent(static_cast<size_t>(depth) * 2, ' ');
  shape.lines.push_back(indent + node_line(node, type));
  shape.nodes.push_back(PlanNode{type, text_of(node, "Relation Name"), text_of(node, "Index Name")});
  for (const char* key : kDetailKeys) {
    if (auto it = node.find(key); it != node.end())
      shape.lines.push_back(indent + "  " + key + ": " + detail_text(*it));
  }
  if (auto children = node.find("Plans"); children != node.end() && children->is_array()) {
    for (const auto& child : *children) add_node(child, depth + 1, shape);
  }
}

//! The "Plan" object of `json`: itself, or that of the output's first element.
const json& plan_object(const json& explain) {
  const json* p = &explain;
  if (p->is_array() && !p->empty()) p = &p->front();
  if (p->is_object() && p->contains("Plan")) p = &(*p)["Plan"];
  if (!p->is_object() || !p->contains("Node Type")) {
    throw std::invalid_argument("EXPLAIN JSON: no plan (expected the \"Plan\" object of EXPLAIN (FORMAT JSON))");
  }
  return *p;
}

bool is_word_char(char c) {
  auto u = static_cast<unsigned char>(c);
  return std::isalnum(u) || c == '_' || u >= 0x80;
}

}  // namespace

std::string normalize_condition(std::string_view c) {
  std::string out;
  out.reserve(c.size());
  for (size_t i = 0; i < c.size(); ++i) {
    char ch = c[i];
    if (ch == '\'' || ch == '"') {  // a literal becomes ?, a quoted identifier stays
      size_t j = i + 1;
      while (j < c.size() && !(c[j] == ch && (j + 1 >= c.size() || c[j + 1] != ch))) j += c[j] == ch ? 2 : 1;
      out += ch == '\'' ? std::string("?") : std::string(c.substr(i, j + 1 - i));
      i = j;
    } else if ((ch == '$' || std::isdigit(static_cast<unsigned char>(ch))) && (i == 0 || !is_word_char(c[i - 1]))) {
      size_t j = i + 1;  // $1, 42, 3.5, 1e-3 (a digit after a word character belongs to a name: t1)
      while (j < c.size() && (std::isdigit(static_cast<unsigned char>(c[j])) || c[j] == '.' || c[j] == 'e' ||
                              ((c[j] == '-' || c[j] == '+') && c[j - 1] == 'e'))) {
        ++j;
      }
      if (ch == '$' && j == i + 1) {
        out += ch;
        continue;
      }
      out += '?';
      i = j - 1;
    } else {
      out += ch;
    }
  }
  return out;
}

PlanShape plan_shape(const nlohmann::json& plan) {
  PlanShape shape;
  add_node(plan_object(plan), 0, shape);
  uint64_t h = kFnvOffset;
  for (const auto& line : shape.lines) h = fnv1a64("\n", fnv1a64(line, h));
  shape.fingerprint = hex16(h);
  return shape;
}

namespace {

//! The full diff: every line with its prefix.
std::vector<std::string> full_diff(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  // lcs[i][j]: the longest common subsequence of a[i..] and b[j..]; plans have tens of lines, so O(n·m) is fine.
  std::vector<std::vector<int>> lcs(a.size() + 1, std::vector<int>(b.size() + 1, 0));
  for (size_t i = a.size(); i-- > 0;) {
    for (size_t j = b.size(); j-- > 0;) {
      lcs[i][j] = a[i] == b[j] ? lcs[i + 1][j + 1] + 1 : std::max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  std::vector<std::string> out;
  size_t i = 0;
  size_t j = 0;
  while (i < a.size() || j < b.size()) {
    if (i < a.size() && j < b.size() && a[i] == b[j]) {
      out.push_back("  " + a[i++]);
      ++j;
    } else if (j == b.size() || (i < a.size() && lcs[i + 1][j] >= lcs[i][j + 1])) {
      out.push_back("- " + a[i++]);
    } else {
      out.push_back("+ " + b[j++]);
    }
  }
  return out;
}

//! Keeps the unchanged lines within `context` lines of a change; each run of left-out lines becomes "  …".
std::vector<std::string> with_context(const std::vector<std::string>& diff, int context) {
  std::vector<bool> keep(diff.size(), false);
  auto n = static_cast<long>(diff.size());
  for (long k = 0; k < n; ++k) {
    if (diff[static_cast<size_t>(k)].starts_with("  ")) continue;
    for (long m = std::max(0L, k - context); m <= std::min(n - 1, k + context); ++m)
      keep[static_cast<size_t>(m)] = true;
  }
  std::vector<std::string> out;
  for (size_t k = 0; k < diff.size(); ++k) {
    if (keep[k]) {
      out.push_back(diff[k]);
    } else if (out.empty() || out.back() != "  …") {
      out.emplace_back("  …");
    }
  }
  return out;
}

}  // namespace

std::vector<std::string> plan_diff(const PlanShape& before, const PlanShape& after, int context) {
  if (before.lines == after.lines) return {};
  auto diff = full_diff(before.lines, after.lines);
  return context < 0 ? diff : with_context(diff, context);
}

bool has_node(const PlanShape& shape, const std::string& type, const std::string& relation) {
  auto rel = relation.substr(relation.rfind('.') == std::string::npos ? 0 : relation.rfind('.') + 1);
  return std::any_of(shape.nodes.begin(), shape.nodes.end(),
                     [&](const PlanNode& node) { return node.type == type && (rel.empty() || node.relation == rel); });
}

}  // namespace pgadvisor::gate
