// What happened between two pg_stat_statements snapshots of one server: per-entry deltas that survive stats
// resets, evictions at pg_stat_statements.max and new entries; and statement classes ranked over a window.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "collector/snapshot.hpp"
#include "collector/store.hpp"

namespace pgadvisor::collector {

//! How an entry of the later snapshot relates to the earlier one.
enum class EntryChange {
  Continued,  //!< in both, counters grew: the delta is the difference
  Appeared,   //!< only in the later one (new, or evicted and back): everything it counts is in the window
  Reset,      //!< its counters went down, or pg_stat_statements was reset: it counts from zero
};

std::string_view to_string(EntryChange change);

struct StatementDelta {
  StatementKey key;
  std::string user_name;
  std::string database_name;
  std::string query;
  std::optional<std::string> fingerprint;
  StatementCounters delta;
  EntryChange change = EntryChange::Continued;
};

//! The deltas between two snapshots of the same server.
struct SnapshotDelta {
  int64_t from_id = 0;
  int64_t to_id = 0;
  std::string from;  //!< taken_at of the earlier snapshot
  std::string to;    //!< taken_at of the later one
  double seconds = 0.0;
  bool stats_reset = false;   //!< pg_stat_statements_info.stats_reset changed in between
  int64_t reset_entries = 0;  //!< entries whose counters went down (a reset without pg_stat_statements_info)
  int64_t new_entries = 0;
  int64_t evicted_entries = 0;     //!< entries of the earlier snapshot gone from the later one (without a reset)
  std::optional<int64_t> dealloc;  //!< evictions the server counted in between (14+, without a reset)
  std::vector<StatementDelta> statements;  //!< entries of the later snapshot that ran in between (calls > 0)
};

//! Deltas from `earlier` to `later`; throws std::invalid_argument when they are not of the same server.
SnapshotDelta statement_delta(const ServerSnapshot& earlier, const ServerSnapshot& later);

//! What classes are ranked by (largest first).
enum class RankBy { TotalTime, Calls, MeanTime, Rows, SharedBlocksRead, TempBlocks };

struct RankingOptions {
  std::string server_key;  //!< pg::DatabaseIdentity::key(); empty: the server of the store's latest snapshot
  std::string since;       //!< ISO 8601 UTC; the window starts at the last snapshot at or before it. Empty: all
  std::string until;       //!< ISO 8601 UTC; the window ends at the last snapshot at or before it. Empty: latest
  RankBy by = RankBy::TotalTime;
  size_t limit = 20;  //!< 0: every class
};

//! One statement class (a fingerprint; or a queryid whose text does not parse) over the window.
struct StatementClassRank {
  std::string fingerprint;        //!< 16 hex digits, the query_classes key; "queryid:N" when the text does not parse
  std::string query;              //!< the normalized text of its entry with the most time
  std::vector<int64_t> queryids;  //!< pg_stat_statements queryids merged into the class, sorted
  StatementCounters delta;        //!< summed over entries and over consecutive snapshot pairs
  double total_time_ms = 0.0;     //!< execution plus planning time
  double mean_time_ms = 0.0;      //!< total_time_ms / calls
  double share_of_time = 0.0;     //!< of all classes' total_time_ms in the window, 0…1
};

//! Statement classes from pg_stat_statements entries or their deltas: grouped by fingerprint (a text that does not
//! parse by its queryid), counters summed, each class's text the one with the most time. Both the window ranking
//! and `advise --pg-stat-statements` (live_statements.hpp) group this way.
class StatementClassAccumulator {
 public:
  void add(const StatementKey& key, const std::string& query, const std::optional<std::string>& fingerprint,
           const StatementCounters& counters);
  //! The classes ranked by `by` (largest first), at most `limit` (0: all), with their share of all classes' time.
  std::vector<StatementClassRank> ranked(RankBy by, size_t limit) const;

 private:
  std::map<std::string, StatementClassRank> classes_;
  std::map<std::string, std::map<std::string, double>> time_by_text_;  // class → text → time, for its best text
  std::map<std::string, std::set<int64_t>> queryids_;
};

struct StatementRanking {
  std::string server_key;
  std::string from;  //!< taken_at of the window's first snapshot
  std::string to;    //!< taken_at of its last
  double seconds = 0.0;
  int snapshots = 0;            //!< snapshots in the window, both ends included
  int stats_resets = 0;         //!< pairs with a pg_stat_statements reset in between
  int64_t evicted_entries = 0;  //!< summed over pairs: a high number says pg_stat_statements.max is too small
  int64_t new_entries = 0;
  std::vector<StatementClassRank> classes;  //!< ranked, at most options.limit
  std::vector<std::string> warnings;        //!< e.g. fewer than two snapshots, several servers in the store
};

//! Ranks statement classes by their deltas over the window of stored snapshots (consecutive pairs summed, so
//! resets and evictions in between are accounted for). Never connects to a server.
StatementRanking rank_statement_classes(Store& store, const RankingOptions& options = {});

}  // namespace pgadvisor::collector
