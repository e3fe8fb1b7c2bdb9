// The statuses of the gate's decision, their names, and which of them fail the gate (--fail-on).
#include <stdexcept>

#include "gate/gate.hpp"

namespace pgadvisor::gate {

std::string_view to_string(Status status) {
  switch (status) {
    case Status::Ok:
      return "ok";
    case Status::Regressed:
      return "regressed";
    case Status::Improved:
      return "improved";
    case Status::PlanChanged:
      return "plan changed";
    case Status::ResultChanged:
      return "result changed";
    case Status::OverBudget:
      return "over budget";
    case Status::Missing:
      return "missing";
    case Status::Error:
      return "error";
  }
  return "?";
}

FailOn parse_fail_on(std::string_view list) {
  FailOn none{.regressed = false, .plan = false, .result = false, .budget = false, .missing = false, .error = false};
  FailOn out = none;
  while (!list.empty()) {
    auto comma = list.find(',');
    auto word = list.substr(0, comma);
    list = comma == std::string_view::npos ? std::string_view{} : list.substr(comma + 1);
    while (!word.empty() && word.front() == ' ') word.remove_prefix(1);
    while (!word.empty() && word.back() == ' ') word.remove_suffix(1);
    if (word == "regressed")
      out.regressed = true;
    else if (word == "plan")
      out.plan = true;
    else if (word == "result")
      out.result = true;
    else if (word == "budget")
      out.budget = true;
    else if (word == "missing")
      out.missing = true;
    else if (word == "error")
      out.error = true;
    else if (word == "all")
      out = FailOn{true, true, true, true, true, true};
    else if (word == "none")
      out = none;
    else if (!word.empty()) {
      throw std::invalid_argument("--fail-on: unknown '" + std::string(word) +
                                  "' (use regressed, plan, result, budget, missing, error, all or none)");
    }
  }
  return out;
}

bool fails(const std::vector<Status>& statuses, const FailOn& fail_on) {
  for (auto s : statuses) {
    switch (s) {
      case Status::Regressed:
        if (fail_on.regressed) return true;
        break;
      case Status::PlanChanged:
        if (fail_on.plan) return true;
        break;
      case Status::ResultChanged:
        if (fail_on.result) return true;
        break;
      case Status::OverBudget:
        if (fail_on.budget) return true;
        break;
      case Status::Missing:
        if (fail_on.missing) return true;
        break;
      case Status::Error:
        if (fail_on.error) return true;
        break;
      case Status::Ok:
      case Status::Improved:
        break;
    }
  }
  return false;
}

}  // namespace pgadvisor::gate
