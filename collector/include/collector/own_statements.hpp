// pgadvisor's own statements: what it sends to a server (catalog reads, what-if EXPLAINs, HypoPG calls, snapshot
// queries) shows up in that server's pg_stat_statements and, with log_min_duration_statement = 0, in its log. They
// are all known (every SQL text is in sql/), so they never count as the workload.
#pragma once

#include <string_view>

namespace pgadvisor::collector {

//! True when `text` (a statement or a query class's normalized text) is one of pgadvisor's own: a statement of an
//! embedded SQL text by fingerprint (the demo's workload and the store's SQLite texts aside), or a workload
//! statement behind one of pgadvisor's prefixes (`EXPLAIN (FORMAT JSON) …`, `PREPARE pgadvisor_whatif AS …`).
bool is_own_statement(std::string_view text);

}  // namespace pgadvisor::collector
