// Renders what `pgadvisor shadow create` copied: per table its rows and whether it was sampled or cut to its
// sampled parents' rows, as text or JSON.
#pragma once

#include <string>

#include "shadow/shadow_copy.hpp"

namespace pgadvisor::reports {

std::string render_shadow_text(const shadow::ShadowCopyReport& report);

//! {"schema_version": 1, "source", "target", "source_identity", "replaced", "seconds", "sequences",
//!  "tables": [{"name", "rows", "source_rows_estimate", "source_bytes", "sampled", "filtered", "orphans_removed"}]}
std::string render_shadow_json(const shadow::ShadowCopyReport& report);

}  // namespace pgadvisor::reports
