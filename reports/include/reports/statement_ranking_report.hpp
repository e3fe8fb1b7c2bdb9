// Renders `pgadvisor top --source statements`: query classes ranked by their pg_stat_statements deltas over a
// window of stored snapshots (pg_stat_statements keeps no percentiles, so this table has its own columns).
#pragma once

#include <string>

#include "collector/statement_deltas.hpp"

namespace pgadvisor::reports {

std::string render_statement_ranking_text(const collector::StatementRanking& ranking);
//! {"schema_version": 1, "source": "statements", "server", "from", "to", "seconds", "snapshots", "stats_resets",
//! "evicted_entries", "warnings", "classes": [{"fingerprint", "normalized", "queryids", "calls", "total_ms",
//! "mean_ms", "share_of_time", "rows", "shared_blks_hit", "shared_blks_read", "temp_blks_written"}]}
std::string render_statement_ranking_json(const collector::StatementRanking& ranking);
std::string render_statement_ranking_markdown(const collector::StatementRanking& ranking);

}  // namespace pgadvisor::reports
