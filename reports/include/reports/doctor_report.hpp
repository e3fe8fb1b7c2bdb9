// Renders `pgadvisor doctor` results: aligned text for people, JSON (schema_version 1) for programs.
#pragma once

#include <string>

#include "collector/doctor.hpp"

namespace pgadvisor::reports {

//! Aligned text, one line per check and its fix indented below; colour only when `color` is true.
std::string render_doctor_text(const collector::DoctorReport& report, bool color);

//! {"schema_version": 1, "server": …, "checks": [{"name", "status", "finding", "fix"}], "summary": {…}}
std::string render_doctor_json(const collector::DoctorReport& report);

}  // namespace pgadvisor::reports
