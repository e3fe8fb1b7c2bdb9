// Renders index advice: text for people, Markdown for pull requests, JSON (schema_version 1) for programs.
#pragma once

#include <string>

#include "advisor/advice.hpp"

namespace pgadvisor::reports {

std::string render_advice_text(const advisor::Advice& advice);
std::string render_advice_markdown(const advisor::Advice& advice);
//! {"schema_version": 1, "indexes": [...], "views": [...], "drops": [], "unplanned": [...], "refused_views": [...],
//! "workload": {...}, "cost_requests": {...}}: advisor::advice_to_json
std::string render_advice_json(const advisor::Advice& advice);

}  // namespace pgadvisor::reports
