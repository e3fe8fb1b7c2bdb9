// Names for the indexes of an advice that are free in their schema: different from each other and from every
// relation the catalog knows there (tables and their indexes), within PostgreSQL's 63 bytes.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "advisor/index_candidate.hpp"
#include "analyzer/catalog.hpp"

namespace pgadvisor::advisor {

//! PostgreSQL's limit on a name (NAMEDATALEN - 1 bytes): longer names are silently truncated by the server.
inline constexpr size_t kMaxNameBytes = 63;

//! `s` cut to at most `bytes` bytes, never inside a UTF-8 sequence.
std::string truncate_utf8(std::string_view s, size_t bytes);

//! One name per index, in order: its derived name() when that is free in its table's schema, else the name with
//! "_2", "_3"… before "_idx" (shortened to fit), so that two tables that derive the same name ("we ird",
//! "we-ird") or an existing relation with the advised name never make two indexes share one.
std::vector<std::string> unique_index_names(std::span<const IndexCandidate> indexes, const analyzer::Catalog& catalog);

}  // namespace pgadvisor::advisor
