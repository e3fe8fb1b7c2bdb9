// Renders `pgadvisor health`: aligned text for people, JSON (schema_version 1) for programs, Markdown for
// tickets and pull requests.
#pragma once

#include <string>

#include "collector/health.hpp"

namespace pgadvisor::reports {

//! Sections: database (cache hit ratio, connections), tables read by sequential scans, index findings with fixes.
std::string render_health_text(const collector::HealthReport& report);

//! {"schema_version": 1, "server", "window": {"from", "to"}, "database": {…}, "tables": […], "indexes": […]}
std::string render_health_json(const collector::HealthReport& report);

//! The same sections as text, as Markdown tables.
std::string render_health_markdown(const collector::HealthReport& report);

}  // namespace pgadvisor::reports
