// The store's side of snapshots: saving a ServerSnapshot and reading snapshots back, for deltas, health and the
// advisor's catalog when it may not connect. Statements in sql/store/snapshot/.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "collector/snapshot.hpp"
#include "collector/store.hpp"

namespace pgadvisor::collector {

//! Saves a snapshot (and upserts its statement classes into query_classes) in one store transaction;
//! returns its id.
int64_t save_snapshot(Store& store, const ServerSnapshot& snapshot);

//! A stored snapshot, as take_snapshot returned it (warnings aside); without its tables, columns and indexes
//! unless `with_catalog`. Throws StoreError when there is none with that id.
ServerSnapshot load_snapshot(Store& store, int64_t id, bool with_catalog = true);

//! The catalog of the latest stored snapshot of `server_key` (empty: of any server); nullopt when there is none.
//! What the advisor needs from the store when it may not connect to the server.
std::optional<CatalogSnapshot> load_latest_catalog(Store& store, const std::string& server_key = "");

//! One line of the store's snapshot list.
struct SnapshotSummary {
  int64_t id = 0;
  std::string server_key;
  std::string taken_at;
  std::optional<std::string> stats_reset;
  int64_t statement_entries = 0;
};

//! Stored snapshots of one server (all servers when server_key is empty) taken at or after `since` (ISO 8601
//! UTC, empty for all), oldest first.
std::vector<SnapshotSummary> list_snapshots(Store& store, const std::string& server_key = "",
                                            const std::string& since = "");

}  // namespace pgadvisor::collector
