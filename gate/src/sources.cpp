// Guarded queries from a store's workload or an advice document (sources.hpp).
#include "gate/sources.hpp"

#include <algorithm>
#include <optional>
#include <regex>
#include <set>

#include <fmt/format.h>

#include "advisor/advice_json.hpp"

namespace pgadvisor::gate {
namespace {

// The highest $n of a statement (0 when it has none).
size_t highest_parameter(const std::string& sql) {
  static const std::regex parameter(R"(\$([0-9]+))");
  size_t highest = 0;
  for (auto it = std::sregex_iterator(sql.begin(), sql.end(), parameter); it != std::sregex_iterator(); ++it) {
    highest = std::max(highest, static_cast<size_t>(std::stoul((*it)[1].str())));
  }
  return highest;
}

std::string trimmed(std::string s) {
  while (!s.empty() && (std::isspace(static_cast<unsigned char>(s.back())) != 0 || s.back() == ';')) s.pop_back();
  size_t first = s.find_first_not_of(" \t\r\n");
  return first == std::string::npos ? std::string() : s.substr(first);
}

struct ClassInput {
  const std::string& fingerprint;
  const std::string& text;
  const std::vector<std::string>& samples;
  const std::vector<analyzer::ParameterSet>& parameter_sets;
};

// The class as a guarded query: its $n text with the parameter sets that fill every $n, else its first sample
// without $n, else its text when it has no $n; the reason when none of these exists.
std::optional<GuardedQuery> guarded(const ClassInput& c, size_t max_params, const std::string& origin_word,
                                    std::string& why_not) {
  GuardedQuery q;
  q.name = class_query_name(c.fingerprint);
  q.origin = fmt::format("{} class {}", origin_word, c.fingerprint);
  const std::string text = trimmed(c.text);
  if (const size_t needed = highest_parameter(text); needed > 0) {
    for (const auto& set : c.parameter_sets) {
      if (q.params.size() >= max_params) break;
      if (set.size() == needed) q.params.push_back(set);
    }
    if (!q.params.empty()) {
      q.sql = text;
      return q;
    }
  }
  for (const auto& s : c.samples) {
    std::string sample = trimmed(s);
    if (!sample.empty() && highest_parameter(sample) == 0) {
      q.sql = std::move(sample);
      return q;
    }
  }
  if (!text.empty() && highest_parameter(text) == 0) {
    q.sql = text;
    return q;
  }
  why_not = "no sample statement, and no parameter set for the $n of its text";
  return std::nullopt;
}

}  // namespace

std::string class_query_name(const std::string& fingerprint) { return "class_" + fingerprint; }

QuerySource queries_from_workload(const analyzer::Workload& workload, size_t top, size_t max_params,
                                  const std::string& origin_word) {
  std::vector<const analyzer::WorkloadClass*> ranked;
  ranked.reserve(workload.classes.size());
  for (const auto& c : workload.classes) ranked.push_back(&c);
  std::stable_sort(ranked.begin(), ranked.end(), [](const auto* a, const auto* b) {
    if (a->total_ms != b->total_ms) return a->total_ms > b->total_ms;
    if (a->calls != b->calls) return a->calls > b->calls;
    return a->fingerprint < b->fingerprint;
  });
  QuerySource out;
  std::set<std::string> seen;
  for (const auto* c : ranked) {
    if (out.queries.size() >= top) break;
    if (c->fingerprint.empty()) {
      out.skipped.push_back(
          fmt::format("a class of {} without a fingerprint (its text does not parse): {:.60}", origin_word, c->text));
      continue;
    }
    if (!seen.insert(c->fingerprint).second) continue;
    std::string why_not;
    if (auto q = guarded({c->fingerprint, c->text, c->samples, c->parameter_sets}, max_params, origin_word, why_not)) {
      out.queries.push_back(std::move(*q));
    } else {
      out.skipped.push_back(fmt::format("{}: {}", class_query_name(c->fingerprint), why_not));
    }
  }
  return out;
}

QuerySource queries_from_advice(const std::string& advice_json, size_t max_params, const std::string& origin_word) {
  const advisor::Advice advice = advisor::advice_from_json(advice_json);
  QuerySource out;
  std::set<std::string> seen;
  for (const auto& c : advice.classes_advised) {
    if (c.fingerprint.empty() || !seen.insert(c.fingerprint).second) continue;
    std::string why_not;
    if (auto q = guarded({c.fingerprint, c.text, c.samples, c.parameter_sets}, max_params, origin_word, why_not)) {
      out.queries.push_back(std::move(*q));
    } else {
      out.skipped.push_back(fmt::format("{}: {}", class_query_name(c.fingerprint), why_not));
    }
  }
  return out;
}

}  // namespace pgadvisor::gate
