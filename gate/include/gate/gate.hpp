// The CI gate's data model (issue 17): the queries under guard, what one measurement of a query holds, the baseline
// file, and the decision per query. Parsing lives in query_file.hpp, the plan's shape in plan_shape.hpp, the
// baseline's JSON in baseline.hpp, the decision in decision.hpp and the live measurement in measure.hpp.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pg/connection.hpp"

namespace pgadvisor::gate {

// ---- Queries under guard ------------------------------------------------------------------------------------

//! A budget line (`-- budget: p95 < 50ms`): a limit checked on every run, baseline or not.
struct Budget {
  enum class Kind {
    Time,     //!< `p95 < 50ms`, `mean < 5ms`, `median < 2ms`, `max < 1s` (server execution time)
    Buffers,  //!< `buffers < 1000` (shared hit + read of one run, median)
    NoNode,   //!< `plan: no Seq Scan on orders` (no such node, on that relation when given, in the plan)
  };
  Kind kind = Kind::Time;
  std::string text;       //!< as written, for messages
  std::string statistic;  //!< Time: "p95", "p99" (any "pNN"), "mean", "median", "max"; Buffers: "buffers"
  double limit = 0;       //!< Time: milliseconds; Buffers: buffers
  std::string node;       //!< NoNode: "Seq Scan"
  std::string relation;   //!< NoNode: "orders" (empty: any relation)
};

//! One named query of a queries file, or a class of a store or an advice file.
struct GuardedQuery {
  std::string name;                            //!< unique within a file
  std::string sql;                             //!< one statement, $n for parameters
  std::vector<std::vector<pg::Param>> params;  //!< parameter sets (`-- params:` lines); empty: none needed
  std::vector<Budget> budgets;
  std::string origin;  //!< "queries.sql:12" or "store class 3f2a…", for messages
};

// ---- One measurement -------------------------------------------------------------------------------------------

//! One node of a plan, for `plan: no Seq Scan on orders` budgets (plan_shape.hpp).
struct PlanNode {
  std::string type;      //!< EXPLAIN's "Node Type": "Seq Scan"
  std::string relation;  //!< "Relation Name" (no schema, no alias); empty for nodes without one
  std::string index;     //!< "Index Name"; empty for nodes without one
};

//! The plan's shape: node lines without costs, rows or times (what changes when the plan changes, and only then).
struct PlanShape {
  std::vector<std::string> lines;  //!< pre-order, two spaces per depth: "Index Scan using orders_pkey on orders"
  std::string fingerprint;         //!< 16 hex digits over the lines
  std::vector<PlanNode> nodes;     //!< every node, pre-order (what budgets check)
};

//! A query measured on one database: every measured run (warm-ups excluded) of every parameter set.
struct Measurement {
  std::string name;
  std::string sql_hash;              //!< 16 hex digits over the statement and its parameter sets: "the query changed"
  std::vector<double> execution_ms;  //!< server execution time (EXPLAIN ANALYZE), one per run
  std::vector<double> planning_ms;
  std::vector<double> buffers;      //!< shared hit + read of each run
  std::vector<double> shared_read;  //!< shared read of each run (part of `buffers`)
  //! The machine's probe (sql/gate/probe.sql), run before each run: how fast the machine was meanwhile. A check
  //! scales the baseline's times by the ratio of the probes' medians, so that a loaded runner is not a regression.
  std::vector<double> probe_ms;
  PlanShape plan;               //!< of the first parameter set
  int64_t rows = 0;             //!< rows of the result, summed over the parameter sets
  std::string result_checksum;  //!< 16 hex digits, order-insensitive within a parameter set
  std::string error;            //!< the statement failed: SQLSTATE and message; nothing else is set
};

//! Where and on what a baseline was taken: what must match for a comparison to mean something.
struct Environment {
  std::string server_version;                   //!< "15.5"
  int server_version_num = 0;                   //!< 150005
  std::map<std::string, std::string> settings;  //!< the settings that matter to plans and times
  std::string machine;                          //!< host name, cores
  int64_t database_bytes = 0;                   //!< pg_database_size
  std::string taken_at;                         //!< ISO 8601 UTC
};

//! A baseline file: schema-versioned JSON (baseline.hpp).
struct Baseline {
  static constexpr int kSchemaVersion = 1;
  int schema_version = kSchemaVersion;
  Environment environment;
  int runs = 0;  //!< measured runs per parameter set
  std::vector<Measurement> queries;
};

// ---- The decision ----------------------------------------------------------------------------------------------

enum class Status {
  Ok,
  Regressed,      //!< slower or more buffers, beyond the noise
  Improved,       //!< faster or fewer buffers, beyond the noise
  PlanChanged,    //!< another plan shape (with or without a time/buffer change): a warning unless --fail-on plan
  ResultChanged,  //!< other rows or another checksum
  OverBudget,     //!< a budget failed
  Missing,        //!< in the baseline, not in the queries (or the reverse)
  Error,          //!< the query failed now
};

//! Which statuses fail the gate (`--fail-on regressed,plan,result,budget`).
struct FailOn {
  bool regressed = true;
  bool plan = false;
  bool result = true;
  bool budget = true;
  bool missing = true;
  bool error = true;
};

//! "ok", "regressed", "improved", "plan changed", "result changed", "over budget", "missing", "error".
std::string_view to_string(Status status);

//! `regressed,plan,result,budget` (also `missing`, `error`, `all`, `none`): exactly the listed statuses fail.
//! Throws std::invalid_argument naming an unknown word.
FailOn parse_fail_on(std::string_view list);

//! Whether a query with these statuses fails the gate.
bool fails(const std::vector<Status>& statuses, const FailOn& fail_on);

}  // namespace pgadvisor::gate
