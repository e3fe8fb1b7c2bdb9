// Stand-in for gate/plan_shape.hpp until the core's plan_shape lands: node lines (type, index, relation), two spaces
// per depth, and an FNV-1a fingerprint over them.
#pragma once

#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "gate/gate.hpp"

namespace pgadvisor::gate {

inline void interim_lines(const nlohmann::json& node, int depth, std::vector<std::string>& out) {
  if (!node.is_object()) return;
  std::string line(static_cast<size_t>(depth) * 2, ' ');
  line += node.value("Node Type", "?");
  if (node.contains("Index Name")) line += " using " + node["Index Name"].get<std::string>();
  if (node.contains("Relation Name")) line += " on " + node["Relation Name"].get<std::string>();
  out.push_back(line);
  if (node.contains("Plans")) {
    for (const auto& child : node["Plans"]) interim_lines(child, depth + 1, out);
  }
}

inline PlanShape interim_plan_shape(const nlohmann::json& plan) {
  PlanShape s;
  interim_lines(plan, 0, s.lines);
  uint64_t h = 1469598103934665603ULL;
  for (const auto& l : s.lines) {
    for (char c : l + "\n") {
      h ^= static_cast<unsigned char>(c);
      h *= 1099511628211ULL;
    }
  }
  s.fingerprint = fmt::format("{:016x}", h);
  return s;
}

}  // namespace pgadvisor::gate
