// IndexCandidate: a cheap value describing an index the advisor might propose (table, keys, INCLUDE columns,
// partial-index predicate, method). Candidates are enumerated and costed; only chosen ones become
// recommendations with DDL and evidence (GLOSSARY.md: candidates are not recommendations).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/query_facts.hpp"

namespace pgadvisor::advisor {

//! One key of an index: a column, or an expression over the table's columns, with its sort order.
struct IndexKey {
  std::string column;      //!< the column name (unquoted), empty for an expression key
  std::string expression;  //!< canonical SQL of an expression key, e.g. "lower(email)"; empty for a column
  bool descending = false;
  std::optional<bool> nulls_first;  //!< unset: the default for the direction
  //! True when this key is the column `name`, or an expression naming it as a whole word.
  bool names(std::string_view name) const;
  bool operator==(const IndexKey&) const = default;
};

struct IndexCandidate {
  analyzer::TableName table;
  std::vector<IndexKey> keys;
  std::vector<std::string> include;  //!< INCLUDE columns (covering index), unquoted names
  std::string predicate;             //!< partial-index WHERE clause as canonical SQL, empty for a full index
  std::string method = "btree";
  //! The name chosen for the advice (unique_index_names), which name() returns; empty: name() derives one.
  std::string assigned_name;

  //! A canonical identity: equal candidates have equal keys, different ones differ.
  std::string identity() const;
  //! The index's body as SQL: `ON schema.table USING btree (a, lower(b) DESC) INCLUDE (c) WHERE …`,
  //! identifiers quoted as PostgreSQL would; `ON ONLY schema.table …` with `only`: the index of a partitioned table
  //! alone, without its partitions'; with a `tablespace`, `TABLESPACE name` before the WHERE (the place CREATE
  //! INDEX's grammar gives it).
  std::string definition_body(bool only = false, std::string_view tablespace = {}) const;
  //! The assigned name, else a readable, deterministic index name within PostgreSQL's 63-byte limit, of ASCII
  //! letters, digits and underscores: "orders_customer_id_status_idx", shortened with a hash of the identity when
  //! needed. Two tables whose names differ only in punctuation ("we ird", "we-ird") derive the same name:
  //! unique_index_names makes the names of an advice unique.
  std::string name() const;
  //! True when this index's keys are a leading prefix of `other`'s, on the same table, method and predicate:
  //! `other` serves every scan this one serves.
  bool is_prefix_of(const IndexCandidate& other) const;
  //! True when a key, an INCLUDE column or the predicate names `column`: exactly, or as a whole word of an
  //! expression key or the predicate (which may also match a string constant of the same spelling: then an index
  //! counts as naming a column it need not).
  bool names_column(std::string_view column) const;
  //! True when the partial-index predicate names `column` as a whole word (false for a full index).
  bool predicate_names(std::string_view column) const;

  //! The same index (the assigned name aside: it follows from the identity and the advice).
  bool operator==(const IndexCandidate& other) const;
};

}  // namespace pgadvisor::advisor
