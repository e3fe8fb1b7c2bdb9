// The baseline file of `pgadvisor gate`: schema-versioned JSON, written with a stable key order (so that a
// re-recorded baseline diffs well in review) and read strictly: any problem names the file and the JSON path.
//
//   {
//     "tool": "pgadvisor",
//     "schema_version": 1,
//     "environment": {"server_version": "15.5", "server_version_num": 150005, "settings": {…}, "machine": "…",
//                     "database_bytes": 123, "taken_at": "2026-01-01T00:00:00Z"},
//     "runs": 20,
//     "queries": [{"name": "job_matching", "sql_hash": "…", "error": "", "rows": 3, "result_checksum": "…",
//                  "execution_ms": [0.31, …], "planning_ms": […], "buffers": […], "shared_read": […],
//                  "plan": {"fingerprint": "…", "lines": ["Index Scan using … on …", …],
//                           "nodes": [{"type": "Index Scan", "relation": "orders", "index": "…"}]}}]
//   }
//
// Keys the reader does not know are ignored (a later pgadvisor may add some within one schema version); a change
// that older readers would misread raises the schema version, and a baseline of another version is refused.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

#include "gate/gate.hpp"

namespace pgadvisor::gate {

//! A baseline file that cannot be used: its message names the file, the JSON path and what to do.
class BaselineError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

//! The baseline as pretty JSON (two-space indents, arrays of numbers on one line), ending with a newline.
std::string baseline_to_json(const Baseline& baseline);

//! Reads a baseline written by baseline_to_json. Throws BaselineError for text that is truncated or not JSON (with
//! the byte offset), another tool's file, a missing or unsupported schema_version (saying which one this pgadvisor
//! reads and to re-record with `pgadvisor gate record`), and missing, ill-typed or inconsistent fields (with their
//! JSON path, e.g. `$.queries[2].execution_ms[4]`).
Baseline baseline_from_json(std::string_view text, const std::string& file_name);

}  // namespace pgadvisor::gate
