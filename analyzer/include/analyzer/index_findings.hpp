// Problems with a table's existing indexes, from the Catalog model alone: invalid, duplicate, redundant and
// unused ones. Shared by `health` (what to look at) and the advisor (what to drop, with the workload's evidence).
// A partition's index attached to its partitioned table's index is judged as part of that one (it cannot be
// dropped alone), and an index of a partitioned table by the scans and sizes of its partitions' indexes.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/catalog.hpp"

namespace pgadvisor::analyzer {

enum class IndexProblem {
  Invalid,    //!< left invalid (or not ready) by a failed CREATE INDEX CONCURRENTLY: maintained, never used
  Duplicate,  //!< same method, keys, INCLUDE columns and predicate as another index of the table
  Redundant,  //!< its keys are a leading prefix of another btree index's with the same predicate
  Unused,     //!< no scan over the window (unique, primary and constraint indexes are never reported)
};
std::string_view to_string(IndexProblem problem);

struct IndexFinding {
  IndexProblem problem = IndexProblem::Unused;
  std::string schema;
  std::string table;
  std::string index;
  std::string definition;
  int64_t size_bytes = 0;
  int64_t scans = 0;       //!< over the window
  std::string covered_by;  //!< the other index, for duplicate and redundant
  //! False when dropping it is a design decision rather than a fix (two indexes that both back constraints).
  bool droppable = true;
  //! An index of a partitioned table: PostgreSQL cannot drop it CONCURRENTLY, so dropping it locks the table and
  //! its partitions for the moment it takes (it drops the partitions' indexes attached to it).
  bool partitioned = false;
};

//! Never dropped on the strength of statistics: it enforces uniqueness or a constraint.
bool protected_index(const IndexInfo& index);

//! The findings for `table`'s indexes. `earlier_scans` (index name -> idx_scan at the window's start) makes
//! scans a difference; without an entry an index's scans count since the statistics were reset. Indexes attached
//! to a partitioned table's index have no findings of their own.
std::vector<IndexFinding> index_findings(const TableInfo& table, const std::map<std::string, int64_t>& earlier_scans);

}  // namespace pgadvisor::analyzer
