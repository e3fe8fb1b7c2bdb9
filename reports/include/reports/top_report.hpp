// Renders `pgadvisor top`: the costliest query classes as an aligned text table, JSON (schema_version 1) or a
// Markdown table.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "collector/ingest_store.hpp"

namespace pgadvisor::reports {

//! Where a class's calls come from, and what they looked like.
struct ClassDetails {
  collector::IngestStore::Breakdown breakdown;
  collector::IngestStore::Samples samples;
};

struct TopReport {
  std::string source;                           //!< "logs"
  std::string by;                               //!< the ranking: total, mean, p95, calls, errors
  std::vector<collector::LoggedClass> classes;  //!< ranked, limited
  size_t total_classes = 0;                     //!< before the limit
  std::vector<ClassDetails> details;            //!< one per class, or empty: none shown
  double classes_total_ms = 0;                  //!< the time of every class, before the limit
  //! ingest's total of timed calls ("total_us" of log_ingest_totals), when the ranking covers every database: it
  //! equals classes_total_ms unless durations were logged without their statement (log_duration alone)
  std::optional<double> logged_total_ms;
};

//! Whether a class is an unparsed one (analyzer/unparsed_class.hpp): libpg_query could not parse its statements.
bool is_unparsed(const collector::LoggedClass& c);

//! The table; with details, under each class its databases, users and applications and a sample statement.
std::string render_top_text(const TopReport& report);
//! {"schema_version": 1, "source", "by", "total_classes", "total_ms", "logged_total_ms", "classes": [{"fingerprint",
//! "normalized", "kind" ("unparsed" for an unparsed class), "parsed", "calls",
//! "total_ms", "mean_ms", "min_ms", "max_ms", "stddev_ms", "p50_ms", "p95_ms", "p99_ms", "prepare_count",
//! "prepare_ms", "errors", "first_seen", "last_seen"}]}; with details also "databases", "users", "applications"
//! ([{"name", "calls", "total_ms"}], most time first), "samples" and "parameter_sets" (raw texts).
std::string render_top_json(const TopReport& report);
std::string render_top_markdown(const TopReport& report);

}  // namespace pgadvisor::reports
