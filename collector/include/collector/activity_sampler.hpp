// `advise --pg-stat-activity`: the statements running in the database advised, read from pg_stat_activity at a
// fixed interval for a while. Each distinct text is a class of concrete statements (they hold their literals, as
// with --queries); an execution (a pid and its query_start) counts once however often it is seen. The loop's
// clock and pause are injectable, and the accumulator is pure, so both are tested without a server.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "analyzer/workload.hpp"
#include "pg/connection.hpp"

namespace pgadvisor::collector {

//! One row of sql/live/active_statements: a statement running in another session.
struct ActiveStatement {
  int64_t pid = 0;
  std::string query_start;  //!< with the pid, one execution
  std::string query;
  bool hidden = false;     //!< another role's, without pg_read_all_stats: no text
  bool truncated = false;  //!< as long as track_activity_query_size allows: most likely cut
};

struct ActivityOptions {
  std::chrono::milliseconds duration{60'000};
  std::chrono::milliseconds interval{100};
};

//! What the sampling saw, and the workload it makes.
struct ActivityWorkload {
  analyzer::Workload workload;  //!< one class per distinct text: calls = executions, total_ms = seen × interval
  size_t samples = 0;           //!< reads of pg_stat_activity
  size_t executions = 0;        //!< distinct executions of the statements kept
  size_t truncated = 0;         //!< executions left out: their text was cut at track_activity_query_size
  size_t hidden = 0;            //!< sightings of other roles' statements, whose text this role may not read
  size_t own = 0;               //!< executions of pgadvisor's own statements (another run of it), left out
  std::vector<std::string> warnings;
};

//! Sightings into classes: texts redacted (analyzer::redact_secrets) before anything else, executions counted once.
class ActivityAccumulator {
 public:
  void add(const std::vector<ActiveStatement>& sample);
  //! The classes so far, the most sightings first; `interval` prices a sighting in time.
  ActivityWorkload finish(std::chrono::milliseconds interval) const;

 private:
  struct Seen {
    std::set<std::pair<int64_t, std::string>> executions;
    size_t sightings = 0;
  };
  std::map<std::string, Seen> texts_;  // redacted text → what was seen of it
  std::set<std::pair<int64_t, std::string>> truncated_;
  std::set<std::pair<int64_t, std::string>> own_;
  size_t samples_ = 0;
  size_t hidden_ = 0;
};

//! The sampling loop's time: the real clock and sleep by default, a test's own otherwise.
struct SamplingClock {
  std::function<std::chrono::steady_clock::time_point()> now;
  std::function<void(std::chrono::steady_clock::duration)> sleep;
  static SamplingClock real();
};

//! Calls `read` at start and on every interval tick until `duration` has passed (ticks at fixed times from the
//! start: a slow read skips the ticks it overran rather than bunching reads), and accumulates what it returns.
ActivityWorkload sample_activity(const std::function<std::vector<ActiveStatement>()>& read,
                                 const ActivityOptions& options, const SamplingClock& clock = SamplingClock::real());

//! One read of sql/live/active_statements on `conn`. Throws pg::Error.
std::vector<ActiveStatement> read_active_statements(pg::Connection& conn);

//! sample_activity() of `conn`'s database. Throws pg::Error.
ActivityWorkload sample_activity(pg::Connection& conn, const ActivityOptions& options);

}  // namespace pgadvisor::collector
