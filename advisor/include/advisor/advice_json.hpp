// The advice JSON contract (schema_version 1): what `pgadvisor advise --format json` prints and `pgadvisor bench`
// reads back. Its writer and its reader live side by side, so that a field is never added to one and forgotten in
// the other (tests/advisor/advice_json_test.cpp round-trips every field, with hostile strings).
#pragma once

#include <string>
#include <string_view>

#include "advisor/advice.hpp"

namespace pgadvisor::advisor {

//! The document: {"schema_version": 1, "indexes" (each with "partitioned_table" and its "partitions"), "views",
//! "drops", "unplanned", "filtered", "refused_candidates", "refused_views", "not_indexable", "workload": {...,
//! "classes"}, "cost_requests", "selection"}, indented by two, bytes that are not UTF-8 shown as U+FFFD, with a final
//! newline.
//!
//! "views" (materialized views, ViewAdvice): {"schema", "name", "select" (CREATE MATERIALIZED VIEW schema.name AS
//! this), "columns", "unique_key", "unique_index" (null without a unique key), "filter_columns", "filter_index" (null
//! when the unique index serves the filters), "base_tables", "classes": [{"fingerprint", "text", "rewritten",
//! "samples", "rewritten_samples" (each sample against the view, same order), "parameter_sets" (as a class's: text,
//! null for NULL), "calls", "cost_before", "cost_after"}], "estimated_rows", "base_rows", "estimated_bytes",
//! "refresh_cost", "base_writes", "saving", "refresh_every_calls", "net_saving"}: every cost and size an estimate on
//! the source. "refused_views": [{"fingerprint", "text", "reason"}], the aggregate classes no view is advised for.
std::string advice_to_json(const Advice& advice);

//! Reads a document of advice_to_json (or one written by hand in its shape: missing fields keep their defaults, a
//! number or boolean among a parameter set's values reads as its JSON text, an unknown plan_source or problem as
//! the default). Throws std::invalid_argument when it is not JSON, has no "indexes" array, or an index has no
//! "definition".
//!
//! What the document does not carry, and so is not read back: Advice::classes (the number of classes) and the time
//! the cost model took; each finding's `droppable`; whether an index key is a column or an expression and its NULLS
//! order (the document shows a key as text, see key_text, read back as a column: `definition` has the rest); the
//! schema of a table or index name that holds a '.' (names are "schema.name" text, split at the first '.').
Advice advice_from_json(std::string_view text);

//! An index key as the document shows it: the column or the expression, then " DESC" when descending.
std::string key_text(const IndexKey& key);

//! The advised CREATE INDEX: the one the document gave (IndexAdvice::definition), else the candidate's.
std::string create_index_statement(const IndexAdvice& index);

}  // namespace pgadvisor::advisor
