// The selection program (integer_program.hpp) handed to GLPK's branch-and-cut (glp_intopt, presolve on, quiet,
// within a time limit). GLPK aborts the process on misuse, so the program is validated first and the problem
// object lives in a RAII wrapper; the only file that includes <glpk.h>.
#include "integer_program.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>

#include <glpk.h>

namespace pgadvisor::advisor::detail {
namespace {

struct ProblemDeleter {
  void operator()(glp_prob* problem) const { glp_delete_prob(problem); }
};
using Problem = std::unique_ptr<glp_prob, ProblemDeleter>;

// GLPK prints to the terminal unless told not to; the setting is global, so it is restored afterwards.
class QuietTerminal {
 public:
  QuietTerminal() : previous_(glp_term_out(GLP_OFF)) {}
  ~QuietTerminal() { glp_term_out(previous_); }
  QuietTerminal(const QuietTerminal&) = delete;
  QuietTerminal& operator=(const QuietTerminal&) = delete;
  QuietTerminal(QuietTerminal&&) = delete;
  QuietTerminal& operator=(QuietTerminal&&) = delete;

 private:
  int previous_;
};

void validate(const SelectionProgram& program) {
  auto fail = [](const std::string& what) { throw std::invalid_argument("selection program: " + what); };
  for (const auto& index : program.indexes) {
    if (!std::isfinite(index.price)) fail("an index's price is not finite");
    if (!std::isfinite(index.bytes) || index.bytes < 0) fail("an index's size is negative or not finite");
  }
  if (std::isnan(program.budget_bytes) || program.budget_bytes < 0) fail("the budget is negative");
  if (program.time_limit.count() <= 0) fail("the time limit is not positive");
  // GLPK takes at most 100,000,000 rows and as many columns; a row per query and index is at most one per
  // configuration's index, and a column per configuration.
  size_t entries = program.indexes.size() + 2;
  for (const auto& configurations : program.queries) {
    entries += 1;
    for (const auto& k : configurations) entries += 1 + k.indexes.size();
  }
  if (entries > 50'000'000) fail("too large for the solver");
  for (const auto& configurations : program.queries) {
    for (const auto& k : configurations) {
      if (!std::isfinite(k.saving) || k.saving <= 0) fail("a configuration's saving is not positive and finite");
      if (k.indexes.empty()) fail("an empty configuration (the empty one is implicit)");
      for (size_t i = 0; i < k.indexes.size(); ++i) {
        if (k.indexes[i] >= program.indexes.size()) fail("a configuration names an index out of range");
        if (std::find(k.indexes.begin(), k.indexes.begin() + static_cast<std::ptrdiff_t>(i), k.indexes[i]) !=
            k.indexes.begin() + static_cast<std::ptrdiff_t>(i)) {
          fail("a configuration names an index twice");
        }
      }
    }
  }
}

// The constraint matrix in GLPK's 1-based triplets (index 0 unused).
struct Triplets {
  std::vector<int> rows{0};
  std::vector<int> columns{0};
  std::vector<double> values{0};
  void add(int row, int column, double value) {
    rows.push_back(row);
    columns.push_back(column);
    values.push_back(value);
  }
  int size() const { return static_cast<int>(rows.size()) - 1; }
};

int add_row(glp_prob* problem, double upper) {
  int row = glp_add_rows(problem, 1);
  glp_set_row_bnds(problem, row, GLP_UP, 0.0, upper);
  return row;
}

}  // namespace

std::optional<ProgramSolution> solve(const SelectionProgram& program) {
  validate(program);
  if (program.indexes.empty()) return ProgramSolution{{}, true, 0};

  // Objective coefficients and sizes scaled to at most 1: GLPK's tolerances are absolute.
  double cost_scale = 0;
  for (const auto& index : program.indexes) cost_scale = std::max(cost_scale, std::abs(index.price));
  for (const auto& configurations : program.queries) {
    for (const auto& k : configurations) cost_scale = std::max(cost_scale, k.saving);
  }
  if (cost_scale == 0) cost_scale = 1;
  double bytes_scale = 0;
  double total_bytes = 0;
  for (const auto& index : program.indexes) {
    bytes_scale = std::max(bytes_scale, index.bytes);
    total_bytes += index.bytes;
  }
  if (bytes_scale == 0) bytes_scale = 1;

  QuietTerminal quiet;
  Problem problem(glp_create_prob());
  glp_prob* p = problem.get();
  glp_set_obj_dir(p, GLP_MIN);
  const int n = static_cast<int>(program.indexes.size());
  glp_add_cols(p, n);  // x_i: columns 1..n
  for (int i = 1; i <= n; ++i) {
    glp_set_col_kind(p, i, GLP_BV);
    glp_set_obj_coef(p, i, program.indexes[static_cast<size_t>(i - 1)].price / cost_scale);
  }
  Triplets matrix;
  for (const auto& configurations : program.queries) {
    if (configurations.empty()) continue;
    int one = add_row(p, 1.0);   // sum_k y_qk <= 1
    std::map<size_t, int> uses;  // index -> its row: sum of y_qk over the configurations k holding it <= x_i
    for (const auto& k : configurations) {
      int y = glp_add_cols(p, 1);
      glp_set_col_bnds(p, y, GLP_DB, 0.0, 1.0);
      glp_set_obj_coef(p, y, -k.saving / cost_scale);
      matrix.add(one, y, 1.0);
      for (size_t i : k.indexes) {
        auto [it, inserted] = uses.emplace(i, 0);
        if (inserted) {
          it->second = add_row(p, 0.0);
          matrix.add(it->second, static_cast<int>(i) + 1, -1.0);
        }
        matrix.add(it->second, y, 1.0);
      }
    }
  }
  if (program.max_indexes > 0 && program.max_indexes < program.indexes.size()) {
    int row = add_row(p, static_cast<double>(program.max_indexes));
    for (int i = 1; i <= n; ++i) matrix.add(row, i, 1.0);
  }
  if (program.budget_bytes < total_bytes) {
    int row = add_row(p, program.budget_bytes / bytes_scale);
    for (int i = 1; i <= n; ++i) {
      double bytes = program.indexes[static_cast<size_t>(i - 1)].bytes;
      if (bytes > 0) matrix.add(row, i, bytes / bytes_scale);
    }
  }
  glp_load_matrix(p, matrix.size(), matrix.rows.data(), matrix.columns.data(), matrix.values.data());

  glp_iocp parameters;
  glp_init_iocp(&parameters);
  parameters.msg_lev = GLP_MSG_OFF;
  parameters.presolve = GLP_ON;
  parameters.tm_lim = static_cast<int>(std::min<std::chrono::milliseconds::rep>(program.time_limit.count(), 1 << 30));
  int ret = glp_intopt(p, &parameters);
  int status = glp_mip_status(p);
  if (status != GLP_OPT && status != GLP_FEAS) return std::nullopt;  // none found in time (never infeasible)

  ProgramSolution solution;
  solution.optimal = ret == 0 && status == GLP_OPT;
  solution.objective = glp_mip_obj_val(p) * cost_scale;
  for (int i = 1; i <= n; ++i) {
    if (glp_mip_col_val(p, i) > 0.5) solution.chosen.push_back(static_cast<size_t>(i - 1));
  }
  return solution;
}

}  // namespace pgadvisor::advisor::detail
