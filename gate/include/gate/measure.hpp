// The live half of the gate: a guarded query measured on a database (EXPLAIN ANALYZE runs for the server's times and
// buffers, the plan's shape, one plain execution per parameter set for its rows and result checksum), and the
// environment a baseline was taken in. Everything runs inside a transaction that is rolled back, each run after a
// savepoint that is rolled back too: a write (or a read that calls a function that writes) leaves nothing behind and
// every run sees the same data.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "gate/gate.hpp"
#include "pg/connection.hpp"

namespace pgadvisor::gate {

struct MeasureOptions {
  int runs = 10;   //!< measured runs per parameter set
  int warmup = 2;  //!< discarded runs per parameter set, before its measured ones
  //! One line per query, for a terminal; may be empty.
  std::function<void(const std::string&)> progress;
};

//! The session the gate measures in: not read-only (writes are measured, then rolled back), every statement bounded
//! by `statement_timeout` (a hung query fails as an error instead of hanging the pipeline), lock waits by 10 s.
pg::SessionOptions measure_session(std::chrono::milliseconds statement_timeout);

//! Measures `query`: for each parameter set (one empty set when it has none), `warmup` then `runs` runs of EXPLAIN
//! (ANALYZE, BUFFERS, FORMAT JSON), then one plain execution. Measurement::execution_ms, planning_ms, buffers and
//! shared_read hold the runs parameter set after parameter set (runs of set 0 first). A statement that fails sets
//! Measurement::error ("SQLSTATE 42P01: relation \"x\" does not exist") and nothing else but the name and hash.
//! Throws pg::Error only when the connection itself fails (the transaction cannot be rolled back).
Measurement measure(pg::Connection& conn, const GuardedQuery& query, const MeasureOptions& options);

//! measure() for each query, in order.
std::vector<Measurement> measure_all(pg::Connection& conn, const std::vector<GuardedQuery>& queries,
                                     const MeasureOptions& options);

//! The server's version, the settings that matter to plans and times (settings.sql), the machine this runs on
//! (host name, cores), the database's size and the time (UTC).
Environment read_environment(pg::Connection& conn);

//! "2026-12-01T12:00:00Z".
std::string utc_timestamp();

}  // namespace pgadvisor::gate
