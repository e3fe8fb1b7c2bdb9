// Renders the shadow benchmark: per class the medians and p95 before/after, speedup with its 95 % interval and
// verdict (slower classes and changed results flagged with their evidence), each index's build time and size
// next to the gains it was meant for, and each materialized view's build and refresh time, size, result check (the
// execution and first differing row that rejected it) and the speedup of the classes it serves; as text, Markdown
// or JSON.
#pragma once

#include <string>

#include "shadow/shadow_bench.hpp"

namespace pgadvisor::reports {

std::string render_bench_text(const shadow::BenchResult& result);
std::string render_bench_markdown(const shadow::BenchResult& result);

//! {"schema_version": 1, "shadow", "mode", "classes": [{"fingerprint", "text", "kind", "why", "runs",
//! "before_ms": {"median", "p95"}, "after_ms": {…}, "planning_ms": {"before", "after"}, "client_ms":
//! {"before": {"median", "p95"}, "after": {…}}, "buffers": {"before": {"hit", "read"}, "after": {…}}, "speedup",
//! "ci95": [lo, hi], "verdict", "result_changed", "result_detail", "error", "plan_before", "plan_after"}],
//! "indexes": [{"definition", "name", "table", "build_ms", "size_bytes", "helps"}], "views": [{"name", "select",
//! "status" (proven, rejected, error), "build_ms", "indexes": [as above], "index_build_ms", "size_bytes", "rows",
//! "refresh_ms", "result_check": {"passed", "executions", "rejected": null or {"fingerprint", "execution",
//! "original", "rewritten", "parameters", "detail", "row", "original_row", "rewritten_row"}}, "classes": [as
//! above: original before, rewritten after], "error", "kept"}], "skipped", "summary": {…, "views": {"proven",
//! "rejected", "error"}}, "schema_unchanged", "kept", "seconds"}
std::string render_bench_json(const shadow::BenchResult& result);

//! "faster=2 slower=1 unchanged=0 error=0".
std::string verdict_counts(const shadow::BenchResult& result);

}  // namespace pgadvisor::reports
