// The queries file of `pgadvisor gate`: a line scanner that knows just enough SQL lexing (strings, quoted
// identifiers, dollar quotes, comments) to find directive lines, the statement's end and its $n placeholders.
#include "gate/query_file.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <optional>
#include <stdexcept>
#include <utility>

#include <fmt/format.h>

namespace pgadvisor::gate {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool is_ident_char(char c) {
  auto u = static_cast<unsigned char>(c);
  return std::isalnum(u) || c == '_' || c == '$' || u >= 0x80;
}

// ---- Lexing ---------------------------------------------------------------------------------------------------

//! Where the lexer is at the end of a line: a literal, quoted identifier, dollar quote or block comment may span
//! lines, and a directive-looking line inside one of them is part of the statement.
struct LexState {
  enum class Mode { Normal, Single, Double, Dollar, Block };
  Mode mode = Mode::Normal;
  bool backslash_escapes = false;  //!< inside E'...'
  std::string dollar_tag;          //!< "$body$" inside a dollar quote
  int block_depth = 0;             //!< block comments nest in PostgreSQL
};

//! What one line of statement text holds.
struct LineScan {
  std::string sql;             //!< the text up to the first top-level `;` (all of it when there is none)
  bool has_sql = false;        //!< code outside comments before the `;`
  bool ended = false;          //!< a top-level `;` ends the statement on this line
  bool sql_after_end = false;  //!< code outside comments after that `;`: a second statement
  int max_placeholder = 0;     //!< highest $n
};

//! The length of a dollar-quote opening tag at `i` (`$$`, `$tag$`), 0 when there is none.
size_t dollar_tag_length(std::string_view line, size_t i) {
  size_t j = i + 1;
  if (j < line.size() && std::isdigit(static_cast<unsigned char>(line[j]))) return 0;  // $1 is a placeholder
  while (j < line.size() && line[j] != '$' && is_ident_char(line[j])) ++j;
  return j < line.size() && line[j] == '$' ? j - i + 1 : 0;
}

//! Scans one line in `state`'s mode, updating it; stops reading code at a `--` comment.
LineScan scan_line(std::string_view line, LexState& state) {
  using Mode = LexState::Mode;
  LineScan out;
  size_t end = line.size();  // where the statement's text stops (at its `;`)
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    char next = i + 1 < line.size() ? line[i + 1] : '\0';
    switch (state.mode) {
      case Mode::Single:
        if ((state.backslash_escapes && c == '\\') || (c == '\'' && next == '\'')) {
          ++i;  // an escaped character: \' in E'...', or ''
        } else if (c == '\'') {
          state.mode = Mode::Normal;
        }
        continue;
      case Mode::Double:
        if (c == '"' && next == '"') {
          ++i;
        } else if (c == '"') {
          state.mode = Mode::Normal;
        }
        continue;
      case Mode::Dollar:
        if (line.substr(i).starts_with(state.dollar_tag)) {
          i += state.dollar_tag.size() - 1;
          state.mode = Mode::Normal;
        }
        continue;
      case Mode::Block:
        if (c == '/' && next == '*') {
          ++state.block_depth;
          ++i;
        } else if (c == '*' && next == '/') {
          ++i;
          if (--state.block_depth == 0) state.mode = Mode::Normal;
        }
        continue;
      case Mode::Normal:
        break;
    }
    if (std::isspace(static_cast<unsigned char>(c))) continue;
    if (c == '-' && next == '-') break;  // the rest of the line is a comment
    if (c == '/' && next == '*') {
      state.mode = Mode::Block;
      state.block_depth = 1;
      ++i;
      continue;
    }
    if (out.ended) {
      out.sql_after_end = true;
      continue;
    }
    out.has_sql = true;
    if (c == ';') {
      out.ended = true;
      end = i;
    } else if (c == '\'') {
      state.mode = Mode::Single;
      state.backslash_escapes =
          i > 0 && (line[i - 1] == 'E' || line[i - 1] == 'e') && (i == 1 || !is_ident_char(line[i - 2]));
    } else if (c == '"') {
      state.mode = Mode::Double;
    } else if (c == '$' && (i == 0 || !is_ident_char(line[i - 1]))) {
      if (size_t tag = dollar_tag_length(line, i); tag > 0) {
        state.dollar_tag = std::string(line.substr(i, tag));
        state.mode = Mode::Dollar;
        i += tag - 1;
      } else {
        size_t j = i + 1;
        int n = 0;
        while (j < line.size() && std::isdigit(static_cast<unsigned char>(line[j])) && n < 100000) {
          n = n * 10 + (line[j++] - '0');
        }
        out.max_placeholder = std::max(out.max_placeholder, n);
        i = j - 1;
      }
    } else if (is_ident_char(c)) {
      // An identifier or a number: skip it whole so that `a$1` is not read as a placeholder.
      while (i + 1 < line.size() && is_ident_char(line[i + 1])) ++i;
    }
  }
  out.sql = std::string(line.substr(0, end));
  return out;
}

// ---- Literals of a params line ----------------------------------------------------------------------------------

//! A number as SQL writes it: -12, 3.5, .5, 1e-3.
bool is_number(std::string_view s) {
  size_t i = 0;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
  size_t digits = 0;
  while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i, ++digits;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i, ++digits;
  }
  if (digits == 0) return false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
    size_t exp_digits = 0;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i, ++exp_digits;
    if (exp_digits == 0) return false;
  }
  return i == s.size();
}

[[noreturn]] void bad_literal(std::string_view value) {
  throw std::invalid_argument(fmt::format(
      "bad literal '{}' in params: write numbers, 'quoted strings' ('' for a quote), NULL, true or false", value));
}

//! A quoted string starting at `list[i]`: its value, with `i` moved past the closing quote.
std::string quoted_string(std::string_view list, size_t& i) {
  std::string value;
  for (size_t j = i + 1; j < list.size(); ++j) {
    if (list[j] != '\'') {
      value += list[j];
    } else if (j + 1 < list.size() && list[j + 1] == '\'') {
      value += '\'';
      ++j;
    } else {
      i = j + 1;
      return value;
    }
  }
  bad_literal(list.substr(i));
}

}  // namespace

std::vector<pg::Param> parse_params(std::string_view list) {
  std::vector<pg::Param> values;
  size_t i = 0;
  for (;;) {
    while (i < list.size() && std::isspace(static_cast<unsigned char>(list[i]))) ++i;
    if (i < list.size() && list[i] == '\'') {
      values.emplace_back(quoted_string(list, i));
    } else {
      size_t comma = std::min(list.find(',', i), list.size());
      auto word = trim(list.substr(i, comma - i));
      auto w = lower(word);
      if (w == "null") {
        values.emplace_back(std::nullopt);
      } else if (w == "true" || w == "false") {
        values.emplace_back(w);
      } else if (is_number(word)) {
        values.emplace_back(std::string(word));
      } else {
        bad_literal(word.empty() ? std::string_view("(empty)") : word);
      }
      i = comma;
    }
    while (i < list.size() && std::isspace(static_cast<unsigned char>(list[i]))) ++i;
    if (i >= list.size()) return values;
    if (list[i] != ',') bad_literal(trim(list.substr(i)));
    ++i;
  }
}

// ---- Budgets ----------------------------------------------------------------------------------------------------

namespace {

// The node types of PostgreSQL 15's EXPLAIN: a budget naming another one (a typo) would never fail.
constexpr std::array<std::string_view, 42> kNodeTypes = {"Result",           "ProjectSet",      "ModifyTable",
                                                         "Append",           "Merge Append",    "Recursive Union",
                                                         "BitmapAnd",        "BitmapOr",        "Nested Loop",
                                                         "Merge Join",       "Hash Join",       "Seq Scan",
                                                         "Sample Scan",      "Gather",          "Gather Merge",
                                                         "Index Scan",       "Index Only Scan", "Bitmap Index Scan",
                                                         "Bitmap Heap Scan", "Tid Scan",        "Tid Range Scan",
                                                         "Subquery Scan",    "Function Scan",   "Table Function Scan",
                                                         "Values Scan",      "CTE Scan",        "Named Tuplestore Scan",
                                                         "WorkTable Scan",   "Foreign Scan",    "Custom Scan",
                                                         "Materialize",      "Memoize",         "Sort",
                                                         "Incremental Sort", "Group",           "Aggregate",
                                                         "WindowAgg",        "Unique",          "SetOp",
                                                         "LockRows",         "Limit",           "Hash"};

constexpr std::string_view kBudgetHelp =
    "use `p50|median|p95|p99|pNN|mean|max < N us|ms|s`, `buffers < N` or `plan: no <Node Type> [on <relation>]`";

[[noreturn]] void bad_budget(std::string_view text, std::string_view why) {
  throw std::invalid_argument(fmt::format("budget '{}': {}; {}", text, why, kBudgetHelp));
}

//! `no Seq Scan on orders` → node "Seq Scan", relation "orders" (node type matched case-insensitively).
Budget parse_plan_budget(std::string_view text, std::string_view rest) {
  auto r = lower(rest);
  if (!r.starts_with("no ")) bad_budget(text, "a plan budget starts with `no`");
  auto spec = trim(rest.substr(3));
  Budget b;
  b.kind = Budget::Kind::NoNode;
  b.text = std::string(text);
  auto on = lower(spec).rfind(" on ");
  auto node = trim(on == std::string::npos ? spec : spec.substr(0, on));
  for (auto type : kNodeTypes) {
    if (lower(type) == lower(node)) b.node = std::string(type);
  }
  if (b.node.empty()) bad_budget(text, fmt::format("unknown node type '{}' (as EXPLAIN names it: Seq Scan…)", node));
  if (on != std::string::npos) {
    auto rel = trim(spec.substr(on + 4));
    if (rel.empty()) bad_budget(text, "no relation after `on`");
    for (char c : rel) {
      if (c != '"') b.relation += c;
    }
  }
  return b;
}

//! `50ms` → 50, `2s` → 2000, `300us` → 0.3; nullopt when the number or the unit is missing.
std::optional<double> parse_duration_ms(std::string_view s) {
  size_t unit = 0;
  while (unit < s.size() && (std::isdigit(static_cast<unsigned char>(s[unit])) || s[unit] == '.')) ++unit;
  auto number = s.substr(0, unit);
  auto u = lower(trim(s.substr(unit)));
  double value = 0;
  auto [ptr, ec] = std::from_chars(number.data(), number.data() + number.size(), value);
  if (number.empty() || ec != std::errc{} || ptr != number.data() + number.size()) return std::nullopt;
  if (u == "ms") return value;
  if (u == "s") return value * 1000;
  if (u == "us" || u == "µs") return value / 1000;
  return std::nullopt;
}

//! "p95", "median" (also p50), "mean" (also avg), "max", "p1".."p99"; empty when unknown.
std::string time_statistic(std::string_view word) {
  auto w = lower(word);
  if (w == "median" || w == "p50") return "median";
  if (w == "mean" || w == "avg") return "mean";
  if (w == "max") return "max";
  if (w.size() >= 2 && w.size() <= 3 && w[0] == 'p' &&
      std::all_of(w.begin() + 1, w.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    int p = std::stoi(w.substr(1));
    if (p >= 1 && p <= 99) return w;
  }
  return {};
}

}  // namespace

Budget parse_budget(std::string_view text) {
  text = trim(text);
  if (lower(text).starts_with("plan:")) return parse_plan_budget(text, trim(text.substr(5)));
  auto lt = text.find('<');
  if (lt == std::string_view::npos) bad_budget(text, "no `<`");
  auto what = trim(text.substr(0, lt));
  auto limit = trim(text.substr(lt + 1));
  if (limit.starts_with("=")) bad_budget(text, "write `<` (the budget fails when the value reaches the limit)");
  if (lower(what) == "buffers") {
    double value = 0;
    auto [ptr, ec] = std::from_chars(limit.data(), limit.data() + limit.size(), value);
    if (limit.empty() || ec != std::errc{} || ptr != limit.data() + limit.size() || value <= 0) {
      bad_budget(text, "a buffers budget is a positive number of 8 kB buffers");
    }
    Budget b;
    b.kind = Budget::Kind::Buffers;
    b.text = std::string(text);
    b.statistic = "buffers";
    b.limit = value;
    return b;
  }
  auto statistic = time_statistic(what);
  if (statistic.empty()) bad_budget(text, fmt::format("unknown statistic '{}'", what));
  auto ms = parse_duration_ms(limit);
  if (!ms || *ms <= 0) bad_budget(text, "the limit is a positive time with a unit (us, ms or s), e.g. 50ms");
  Budget b;
  b.kind = Budget::Kind::Time;
  b.text = std::string(text);
  b.statistic = statistic;
  b.limit = *ms;
  return b;
}

// ---- The file ---------------------------------------------------------------------------------------------------

namespace {

//! A query being read: its directives and statement lines so far.
struct Block {
  GuardedQuery query;
  int name_line = 0;
  int first_params_line = 0;
  std::vector<std::string> lines;
  bool has_sql = false;
  bool ended = false;  //!< its `;` was seen
  int max_placeholder = 0;
};

class QueryFileParser {
 public:
  explicit QueryFileParser(std::string file_name) : file_(std::move(file_name)) {}

  std::vector<GuardedQuery> parse(std::string_view text) {
    int number = 0;
    while (!text.empty()) {
      auto nl = text.find('\n');
      auto line = text.substr(0, nl);
      text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
      if (line.ends_with('\r')) line.remove_suffix(1);
      line_ = ++number;
      read_line(line);
    }
    if (lex_.mode != LexState::Mode::Normal) {
      fail(open_line_, "a string, quoted identifier, dollar quote or block comment opened here is never closed");
    }
    finish_block();
    return std::move(queries_);
  }

 private:
  [[noreturn]] void fail(int line, std::string_view what) const {
    throw std::invalid_argument(fmt::format("{}:{}: {}", file_, line, what));
  }

  void read_line(std::string_view line) {
    auto t = trim(line);
    if (lex_.mode == LexState::Mode::Normal && t.starts_with("--")) {
      directive(trim(t.substr(2)));
      return;
    }
    bool was_normal = lex_.mode == LexState::Mode::Normal;
    auto scan = scan_line(line, lex_);
    if (was_normal && lex_.mode != LexState::Mode::Normal) open_line_ = line_;
    if (!block_) {
      if (scan.has_sql) fail(line_, "a statement without a name: put `-- name: <name>` above it");
      return;
    }
    if (block_->ended) {
      if (scan.has_sql || scan.sql_after_end) second_statement();
      return;
    }
    if (scan.sql_after_end) second_statement();
    block_->has_sql = block_->has_sql || scan.has_sql;
    block_->ended = scan.ended;
    block_->max_placeholder = std::max(block_->max_placeholder, scan.max_placeholder);
    if (block_->has_sql || !trim(scan.sql).empty()) block_->lines.push_back(scan.sql);
  }

  [[noreturn]] void second_statement() const {
    fail(line_, fmt::format("a second statement under the name '{}' (line {}): give each statement its own "
                            "`-- name:`",
                            block_->query.name, block_->name_line));
  }

  //! A comment line: `name:`, `params:` or `budget:`, or an ordinary comment (ignored).
  void directive(std::string_view comment) {
    auto key = lower(comment.substr(0, comment.find(':')));
    if (comment.find(':') == std::string_view::npos) return;
    auto value = trim(comment.substr(comment.find(':') + 1));
    if (key == "name") {
      start_block(value);
    } else if (key == "params") {
      add_params(value);
    } else if (key == "budget") {
      add_budget(value);
    }
  }

  void start_block(std::string_view value) {
    finish_block();
    // sqlc writes `-- name: GetJob :one`: its command word is not part of the name.
    auto space = value.find_first_of(" \t");
    auto name = value.substr(0, space);
    auto rest = space == std::string_view::npos ? std::string_view{} : trim(value.substr(space));
    if (name.empty()) fail(line_, "an empty name: write `-- name: <name>`");
    if (!rest.empty() && !rest.starts_with(':')) {
      fail(line_, fmt::format("the name '{}' holds spaces: use one word, e.g. {}", value, underscored(value)));
    }
    for (char c : name) {
      if (static_cast<unsigned char>(c) < 0x20) fail(line_, "the name holds a control character");
    }
    for (const auto& q : queries_) {
      if (q.name == name) {
        fail(line_, fmt::format("duplicate name '{}' (first at {}): give each query its own name", name, q.origin));
      }
    }
    block_ = Block{};
    block_->query.name = std::string(name);
    block_->query.origin = fmt::format("{}:{}", file_, line_);
    block_->name_line = line_;
  }

  static std::string underscored(std::string_view s) {
    std::string out;
    for (char c : s) out += std::isspace(static_cast<unsigned char>(c)) ? '_' : c;
    return out;
  }

  void require_block(std::string_view directive) const {
    // Directives anywhere under a name (even after its `;`) belong to that query.
    if (!block_) fail(line_, fmt::format("`-- {}:` before any `-- name:`: put it under the query's name", directive));
  }

  void add_params(std::string_view value) {
    require_block("params");
    if (value.empty()) fail(line_, "an empty params line: list the values, e.g. `-- params: 42, 'pending'`");
    std::vector<pg::Param> set;
    try {
      set = parse_params(value);
    } catch (const std::invalid_argument& e) {
      fail(line_, e.what());
    }
    auto& params = block_->query.params;
    if (!params.empty() && params.front().size() != set.size()) {
      fail(line_, fmt::format("this params line has {} values, the one at line {} has {}: every set gives each $n "
                              "a value",
                              set.size(), block_->first_params_line, params.front().size()));
    }
    if (params.empty()) block_->first_params_line = line_;
    params.push_back(std::move(set));
  }

  void add_budget(std::string_view value) {
    require_block("budget");
    try {
      block_->query.budgets.push_back(parse_budget(value));
    } catch (const std::invalid_argument& e) {
      fail(line_, e.what());
    }
  }

  //! Checks the block read so far and adds its query.
  void finish_block() {
    if (!block_) return;
    auto& b = *block_;
    if (!b.has_sql) {
      fail(b.name_line, fmt::format("the name '{}' has no statement: write the statement below it", b.query.name));
    }
    check_placeholders(b);
    while (!b.lines.empty() && trim(b.lines.back()).empty()) b.lines.pop_back();
    for (const auto& l : b.lines) {
      auto end = l.find_last_not_of(" \t");
      b.query.sql += (b.query.sql.empty() ? "" : "\n") + l.substr(0, end == std::string::npos ? 0 : end + 1);
    }
    queries_.push_back(std::move(b.query));
    block_.reset();
  }

  void check_placeholders(const Block& b) const {
    auto n = static_cast<size_t>(b.max_placeholder);
    const auto& params = b.query.params;
    if (n > 0 && params.empty()) {
      fail(b.name_line, fmt::format("'{}' uses ${} but has no `-- params:` line: add one with {} value{}, e.g. "
                                    "`-- params: 42, 'pending'`",
                                    b.query.name, n, n, n == 1 ? "" : "s"));
    }
    if (!params.empty() && params.front().size() != n) {
      fail(b.first_params_line,
           n == 0 ? fmt::format("'{}' has params but its statement uses no $n: remove the params lines or use $1…",
                                b.query.name)
                  : fmt::format("'{}' uses ${} but its params lines give {} value{}: give one value per $n",
                                b.query.name, n, params.front().size(), params.front().size() == 1 ? "" : "s"));
    }
  }

  std::string file_;
  int line_ = 0;
  int open_line_ = 0;  //!< where the literal or comment still open at the line's end began
  LexState lex_;
  std::optional<Block> block_;
  std::vector<GuardedQuery> queries_;
};

}  // namespace

std::vector<GuardedQuery> parse_queries(std::string_view text, const std::string& file_name) {
  return QueryFileParser(file_name).parse(text);
}

}  // namespace pgadvisor::gate
