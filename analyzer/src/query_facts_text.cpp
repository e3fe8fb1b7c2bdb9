// The canonical text form of QueryFacts: one fact a line, in a fixed order, so tests read like a table and
// `pgadvisor fingerprint` output diffs cleanly. The grammar is documented in analyzer/README.md ("Facts").
#include <unordered_map>

#include <fmt/format.h>

#include "analyzer/query_facts.hpp"

namespace pgadvisor::analyzer {
namespace {

std::string operands_text(const Predicate& predicate) {
  const auto& operands = predicate.operands;
  if (operands.empty()) return "";
  if (predicate.op == "BETWEEN" || predicate.op == "NOT BETWEEN") {
    return operands.size() == 2 ? fmt::format(" {} AND {}", operands[0].text, operands[1].text) : "";
  }
  if (predicate.op == "IN" || predicate.op == "NOT IN") {
    if (operands.size() == 1 && operands[0].kind == Operand::Kind::Subquery) return " (subquery)";
    std::string list;
    for (const auto& operand : operands) list += (list.empty() ? "" : ", ") + operand.text;
    return fmt::format(" ({})", list);
  }
  if (predicate.op.ends_with(" ANY") || predicate.op.ends_with(" ALL")) return fmt::format("({})", operands[0].text);
  return " " + operands[0].text;
}

std::string_view direction_text(SortKey::Direction direction) {
  switch (direction) {
    case SortKey::Direction::Ascending:
      return " ASC";
    case SortKey::Direction::Descending:
      return " DESC";
    case SortKey::Direction::Unspecified:
      break;
  }
  return "";
}

std::string_view nulls_text(SortKey::Nulls nulls) {
  switch (nulls) {
    case SortKey::Nulls::First:
      return " NULLS FIRST";
    case SortKey::Nulls::Last:
      return " NULLS LAST";
    case SortKey::Nulls::Unspecified:
      break;
  }
  return "";
}

// A derived relation's block also says which relation it computes, its columns and what PostgreSQL does with it.
void render_derived(const QueryBlock& block, const DerivedRelation& derived, const auto& line) {
  std::string names;
  for (const auto& name : derived.column_names) names += (names.empty() ? "" : ", ") + name;
  line(fmt::format("derived {}{}", derived.name.to_string(), names.empty() ? "" : " (" + names + ")"));
  if (!derived.barrier.empty()) line("not inlined: " + derived.barrier);
  if (!block.pushdown_barrier.empty()) line("no pushdown: " + block.pushdown_barrier);
  if (!block.merge_barrier.empty()) line("not merged: " + block.merge_barrier);
  for (const auto& output : block.outputs) {
    line(fmt::format("output {} = {}", output.name,
                     output.computed.empty() ? output.source.to_string() : "(" + output.computed + ")"));
  }
}

void render_block(const QueryBlock& block, size_t number, const DerivedRelation* derived, std::string& out) {
  // Facts of the outermost block have no prefix; those of nested blocks say which block they belong to.
  const std::string prefix = number == 0 ? "" : fmt::format("#{} ", number);
  const auto line = [&](const std::string& text) { out += prefix + text + '\n'; };
  const std::string_view disjunction = " (or)";
  for (const auto& p : block.predicates) {
    line(fmt::format("filter {} {} {}{}{}", to_string(p.kind), p.subject.to_string(), p.op, operands_text(p),
                     p.in_disjunction ? disjunction : ""));
  }
  for (const auto& j : block.joins) {
    line(fmt::format("join {} {} {}{}", j.left.to_string(), j.op, j.right.to_string(),
                     j.in_disjunction ? disjunction : ""));
  }
  for (const auto& c : block.selected) line("select " + c.to_string());
  for (const auto& a : block.aggregates) line("aggregate " + a);
  for (const auto& g : block.group_by) line("group " + g.to_string());
  for (const auto& k : block.order_by) {
    line(fmt::format("order {}{}{}", k.key.to_string(), direction_text(k.direction), nulls_text(k.nulls)));
  }
  if (block.has_limit) line("limit");
  if (block.has_offset) line("offset");
  if (block.locking) {
    line(fmt::format("lock {}{}{}", block.locking->strength, block.locking->wait_policy.empty() ? "" : " ",
                     block.locking->wait_policy));
  }
  if (derived != nullptr) render_derived(block, *derived, line);
}

}  // namespace

std::string TableName::to_string() const {
  if (derived) return fmt::format("({})", name);
  return schema.empty() ? name : fmt::format("{}.{}", schema, name);
}

std::string ColumnUse::to_string() const {
  std::string owner;
  if (ambiguous()) {
    // Appended piece by piece: `"," + std::string` trips GCC 12's -Wrestrict false positive in Release builds.
    for (const auto& candidate : candidates) {
      if (!owner.empty()) owner += ',';
      owner += candidate.to_string();
    }
    owner = fmt::format("?{{{}}}", owner);
  } else {
    owner = table.to_string();
  }
  if (output_position != 0 && ambiguous()) return fmt::format("{}.#{}", owner, output_position);
  return expression.empty() ? fmt::format("{}.{}", owner, column) : fmt::format("{}.({})", owner, expression);
}

std::string_view to_string(PredicateKind kind) {
  switch (kind) {
    case PredicateKind::Equality:
      return "eq";
    case PredicateKind::Range:
      return "range";
    case PredicateKind::NullTest:
      return "null";
    case PredicateKind::Boolean:
      return "bool";
    case PredicateKind::LikePrefix:
      return "prefix";
    case PredicateKind::Like:
      return "like";
    case PredicateKind::Inequality:
      return "ne";
    case PredicateKind::Other:
      return "other";
  }
  return "other";
}

std::string render_facts(const QueryFacts& facts) {
  std::string out = fmt::format("statement {}\n", to_string(facts.kind));
  for (const auto& table : facts.tables_read) out += "read " + table.to_string() + '\n';
  for (const auto& table : facts.tables_written) out += "write " + table.to_string() + '\n';
  for (const auto& column : facts.updated_columns) out += "set " + column + '\n';
  std::unordered_map<size_t, const DerivedRelation*> derived;
  for (const auto& relation : facts.derived) derived.emplace(relation.name.block, &relation);
  for (size_t i = 0; i < facts.blocks.size(); ++i) {
    const auto found = derived.find(i);
    render_block(facts.blocks[i], i, found == derived.end() ? nullptr : found->second, out);
  }
  return out;
}

}  // namespace pgadvisor::analyzer
