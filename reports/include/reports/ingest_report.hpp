// Renders what `pgadvisor ingest` did: per file where it started and ended, what it counted, and the bad input
// it met with file:line examples. Text for people, JSON (schema_version 1) for programs.
#pragma once

#include <string>

#include "collector/ingest.hpp"

namespace pgadvisor::reports {

std::string render_ingest_text(const collector::IngestSummary& summary);

//! {"schema_version": 1, "files": [{"path", "format", "prefix", "start_offset", "end_offset", "note", "error",
//! "counters": {…}, "problems": [{"kind", "line", "text"}]}], "totals": {…}, "classes", "bytes", "seconds"}
std::string render_ingest_json(const collector::IngestSummary& summary);

}  // namespace pgadvisor::reports
