// Renders `pgadvisor gate check` and `gate compare`: per guarded query its statuses, server time base → now with the
// interval of the change, buffers base → now, and the evidence (plan diff, budget failures, the time test, errors);
// as text for a terminal, JSON (versioned), Markdown for a pull-request comment (a summary table and the evidence in
// collapsed <details>), JUnit XML (one testcase per query) and GitHub Actions annotations. Every name, statement,
// plan line and message comes from a database or a file: each format escapes it for its own syntax.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "gate/gate.hpp"

namespace pgadvisor::reports {

//! The server time of a query, as compared.
struct GateTime {
  std::string statistic = "median";  //!< what base_ms and now_ms are
  std::optional<double> base_ms;     //!< baseline (check) or before the migration (compare); none without a baseline
  double now_ms = 0;
  //! now / base with its 95 % interval, when the comparison gives one (1.25: 25 % slower).
  std::optional<double> ratio;
  std::optional<double> ratio_low;
  std::optional<double> ratio_high;
};

//! One guarded query's line of the report.
struct GateQueryReport {
  std::string name;
  std::string origin;                  //!< "queries.sql:12", for messages
  std::vector<gate::Status> statuses;  //!< empty means ok
  bool failed = false;                 //!< fails the gate under --fail-on
  std::optional<GateTime> time;
  std::optional<double> base_buffers;  //!< shared hit + read of one run (median)
  std::optional<double> now_buffers;
  std::vector<std::string> plan_diff;  //!< "- Index Scan using orders_customer_idx on orders", "+ Seq Scan on orders"
  std::vector<std::string> evidence;   //!< budget failures, the time test, result and error lines
};

struct GateReport {
  std::string command;  //!< "check" or "compare"
  std::string server;   //!< redacted DSN
  std::string against;  //!< "baseline baseline.json (2026-12-01T12:00:00Z, PostgreSQL 15.5)" or "script m.sql"
  std::string fail_on;  //!< "regressed,result,budget,missing,error"
  std::vector<std::string> warnings;  //!< environment differences, skipped classes
  std::vector<GateQueryReport> queries;
  bool failed() const;
};

//! "ok" or the statuses joined by ", ".
std::string status_text(const GateQueryReport& q);

std::string render_gate_text(const GateReport& report);
std::string render_gate_markdown(const GateReport& report);

//! {"schema_version": 1, "command", "server", "against", "fail_on", "passed", "warnings", "summary": {status: count},
//! "queries": [{"name", "origin", "statuses", "failed", "time": null or {"statistic", "base_ms" (null without a
//! baseline), "now_ms", "ratio", "ci95": [lo, hi] or null}, "buffers": null or {"base", "now"}, "plan_diff",
//! "evidence"}]}
std::string render_gate_json(const GateReport& report);

//! <testsuites><testsuite name="pgadvisor gate"> with one <testcase> per query, a failing one with
//! <failure message="…"> and the evidence as its text, a warning-only one with <system-out>.
std::string render_gate_junit(const GateReport& report);

//! GitHub Actions workflow commands: `::error title=…::…` per failing query, `::warning title=…::…` per query with
//! a status that does not fail and per report warning; data escaped (%, CR, LF), properties too (and ':' ',').
std::string render_gate_annotations(const GateReport& report);

//! The workflow-command escapes: of a message (`%` `\r` `\n`) and of a property value (also `:` `,`).
std::string workflow_data(std::string_view text);
std::string workflow_property(std::string_view text);

//! `text` for XML character data and attribute values: & < > " ' as entities, every control character but tab and
//! line feed made visible as printable() does (XML 1.0 forbids them even as references), U+FFFE/U+FFFF replaced.
std::string xml_escape(std::string_view text);

}  // namespace pgadvisor::reports
