// The advisor tests' shared steps: the advised index definitions to compare, and advice on the test sandbox as
// `pgadvisor advise` gives it (a read-only source session, its catalog snapshot, the statements' classes, HypoPG).
#pragma once

#include <string>
#include <vector>

#include "advisor/advice.hpp"
#include "advisor/hypopg_cost_model.hpp"
#include "collector/catalog_snapshot.hpp"
#include "pg/connection.hpp"
#include "pg/sandbox.hpp"
#include "test_support.hpp"

namespace pgadvisor::test {

//! Each advised index's definition_body(), in the advice's order.
inline std::vector<std::string> definitions(const advisor::Advice& a) {
  std::vector<std::string> out;
  for (const auto& i : a.indexes) out.push_back(i.index.definition_body());
  return out;
}

inline std::string sandbox_dsn() { return pg::Sandbox(sandbox_dir()).dsn(); }

//! Advice on `statements` (each a statement, or a text of several) through `session`.
inline advisor::Advice advise_on(const std::vector<std::string>& statements, pg::Connection& session,
                                 const advisor::AdviceOptions& options = {}) {
  auto snapshot = collector::take_catalog_snapshot(session);
  auto workload = advisor::classes_from_statements(statements, snapshot.catalog);
  advisor::HypoPGCostModel model(session);
  return advisor::advise(workload, snapshot.catalog, model, options);
}

//! Advice on `statements` through a new read-only source session of the sandbox.
inline advisor::Advice advise_on(const std::vector<std::string>& statements,
                                 const advisor::AdviceOptions& options = {}) {
  auto session = pg::Connection::open(sandbox_dsn(), pg::SessionOptions::source());
  return advise_on(statements, session, options);
}

//! Advice on one text of statements (a brace list of strings is a vector: see advise_on).
inline advisor::Advice advise_on_text(const std::string& statements, const advisor::AdviceOptions& options = {}) {
  return advise_on(std::vector<std::string>{statements}, options);
}

}  // namespace pgadvisor::test
