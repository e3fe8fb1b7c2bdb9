// Text and JSON renderings of fingerprint records, and the JSON form of QueryFacts.
#include "reports/fingerprint_report.hpp"

#include <fmt/format.h>

#include "output_text.hpp"
#include "table.hpp"
#include "text_cell.hpp"

namespace pgadvisor::reports {
namespace {

using nlohmann::ordered_json;
using namespace analyzer;

ordered_json strings(const std::vector<std::string>& v) { return v; }  // a JSON array

ordered_json tables(const std::vector<TableName>& v) {
  ordered_json out = ordered_json::array();
  for (const auto& t : v) out.push_back(t.to_string());
  return out;
}

ordered_json column(const ColumnUse& c) {
  ordered_json out = {{"table", c.ambiguous() ? ordered_json(nullptr) : ordered_json(c.table.to_string())},
                      {"column", c.column},
                      {"expression", c.expression.empty() ? ordered_json(nullptr) : ordered_json(c.expression)}};
  if (c.ambiguous()) {
    out["candidates"] = tables(c.candidates);
    out["ambiguity"] = c.ambiguity;
    if (c.output_position != 0) out["output_position"] = c.output_position;
  }
  if (!c.untraced.empty()) out["untraced"] = c.untraced;
  return out;
}

ordered_json columns(const std::vector<ColumnUse>& v) {
  ordered_json out = ordered_json::array();
  for (const auto& c : v) out.push_back(column(c));
  return out;
}

std::string_view operand_kind(Operand::Kind k) {
  switch (k) {
    case Operand::Kind::Literal:
      return "literal";
    case Operand::Kind::Parameter:
      return "parameter";
    case Operand::Kind::Expression:
      return "expression";
    case Operand::Kind::Subquery:
      return "subquery";
  }
  return "?";
}

ordered_json predicate(const Predicate& p) {
  ordered_json operands = ordered_json::array();
  for (const auto& o : p.operands) {
    ordered_json j = {{"kind", operand_kind(o.kind)}, {"text", o.text}};
    if (o.kind == Operand::Kind::Parameter) j["parameter"] = o.parameter;
    operands.push_back(j);
  }
  return {{"subject", column(p.subject)}, {"kind", to_string(p.kind)}, {"op", p.op},
          {"operands", operands},         {"constant", p.constant()},  {"in_disjunction", p.in_disjunction}};
}

std::string_view direction(SortKey::Direction d) {
  switch (d) {
    case SortKey::Direction::Unspecified:
      return "default";
    case SortKey::Direction::Ascending:
      return "asc";
    case SortKey::Direction::Descending:
      return "desc";
  }
  return "?";
}

std::string_view nulls(SortKey::Nulls n) {
  switch (n) {
    case SortKey::Nulls::Unspecified:
      return "default";
    case SortKey::Nulls::First:
      return "first";
    case SortKey::Nulls::Last:
      return "last";
  }
  return "?";
}

ordered_json block(const QueryBlock& b) {
  ordered_json predicates = ordered_json::array();
  for (const auto& p : b.predicates) predicates.push_back(predicate(p));
  ordered_json joins = ordered_json::array();
  for (const auto& j : b.joins) {
    joins.push_back(
        {{"left", column(j.left)}, {"right", column(j.right)}, {"op", j.op}, {"in_disjunction", j.in_disjunction}});
  }
  ordered_json order_by = ordered_json::array();
  for (const auto& s : b.order_by) {
    order_by.push_back({{"key", column(s.key)}, {"direction", direction(s.direction)}, {"nulls", nulls(s.nulls)}});
  }
  ordered_json locking = nullptr;
  if (b.locking) locking = {{"strength", b.locking->strength}, {"wait_policy", b.locking->wait_policy}};
  return {{"predicates", predicates},
          {"joins", joins},
          {"selected", columns(b.selected)},
          {"aggregates", strings(b.aggregates)},
          {"group_by", columns(b.group_by)},
          {"order_by", order_by},
          {"limit", b.has_limit},
          {"offset", b.has_offset},
          {"locking", locking}};
}

void make_printable(TableName& t) {
  t.schema = printable(t.schema);
  t.name = printable(t.name);
}

void make_printable(ColumnUse& c) {
  make_printable(c.table);
  c.column = printable(c.column);
  c.expression = printable(c.expression);
  for (auto& t : c.candidates) make_printable(t);
  c.ambiguity = printable(c.ambiguity);
  c.untraced = printable(c.untraced);
}

// The facts with every name and text printable (text_cell.hpp), so that render_facts writes one fact a line
// whatever a column name or a literal holds.
QueryFacts printable_facts(QueryFacts facts) {
  for (auto& t : facts.tables_read) make_printable(t);
  for (auto& t : facts.tables_written) make_printable(t);
  for (auto& c : facts.updated_columns) c = printable(c);
  for (auto& b : facts.blocks) {
    for (auto& p : b.predicates) {
      make_printable(p.subject);
      p.op = printable(p.op);
      for (auto& o : p.operands) o.text = printable(o.text);
    }
    for (auto& j : b.joins) {
      make_printable(j.left);
      make_printable(j.right);
      j.op = printable(j.op);
    }
    for (auto& c : b.selected) make_printable(c);
    for (auto& a : b.aggregates) a = printable(a);
    for (auto& c : b.group_by) make_printable(c);
    for (auto& k : b.order_by) make_printable(k.key);
    if (b.locking) {
      b.locking->strength = printable(b.locking->strength);
      b.locking->wait_policy = printable(b.locking->wait_policy);
    }
    for (auto& t : b.from) make_printable(t);
    for (auto& o : b.outputs) {
      o.name = printable(o.name);
      make_printable(o.source);
      o.computed = printable(o.computed);
    }
    b.pushdown_barrier = printable(b.pushdown_barrier);
    b.merge_barrier = printable(b.merge_barrier);
  }
  for (auto& d : facts.derived) {
    make_printable(d.name);
    for (auto& c : d.column_names) c = printable(c);
    d.barrier = printable(d.barrier);
  }
  return facts;
}

}  // namespace

ordered_json facts_to_json(const QueryFacts& facts) {
  ordered_json blocks = ordered_json::array();
  for (const auto& b : facts.blocks) blocks.push_back(block(b));
  // Each CTE or subquery in FROM: its block, what PostgreSQL does with it, and its columns.
  ordered_json derived = ordered_json::array();
  for (const auto& d : facts.derived) {
    const QueryBlock* query = d.name.block < facts.blocks.size() ? &facts.blocks[d.name.block] : nullptr;
    ordered_json outputs = ordered_json::array();
    if (query != nullptr) {
      for (const auto& o : query->outputs) {
        outputs.push_back({{"name", o.name},
                           {"column", o.computed.empty() ? column(o.source) : ordered_json(nullptr)},
                           {"computed", o.computed.empty() ? ordered_json(nullptr) : ordered_json(o.computed)}});
      }
    }
    const auto text_or_null = [](const std::string& s) { return s.empty() ? ordered_json(nullptr) : ordered_json(s); };
    derived.push_back({{"relation", d.name.to_string()},
                       {"block", d.name.block},
                       {"column_names", strings(d.column_names)},
                       {"not_inlined", text_or_null(d.barrier)},
                       {"no_pushdown", text_or_null(query != nullptr ? query->pushdown_barrier : "")},
                       {"not_merged", text_or_null(query != nullptr ? query->merge_barrier : "")},
                       {"outputs", outputs}});
  }
  return {{"tables_read", tables(facts.tables_read)},
          {"tables_written", tables(facts.tables_written)},
          {"updated_columns", strings(facts.updated_columns)},
          {"blocks", blocks},
          {"derived", derived}};
}

std::string render_fingerprint_json(const std::vector<FingerprintRecord>& records) {
  ordered_json statements = ordered_json::array();
  for (const auto& r : records) {
    ordered_json error = nullptr;
    if (r.info.error) error = {{"message", r.info.error->message}, {"position", r.info.error->position}};
    ordered_json fingerprint = nullptr;
    if (!r.info.error) {
      fingerprint = fingerprint_hex(r.info.fingerprint);
    } else if (r.unparsed_fingerprint) {
      fingerprint = *r.unparsed_fingerprint;
    }
    statements.push_back({{"line", r.line},
                          {"fingerprint", fingerprint},
                          {"parsed", !r.info.error},
                          {"normalized", r.normalized ? ordered_json(*r.normalized) : ordered_json(nullptr)},
                          {"kind", to_string(r.info.kind)},
                          {"error", error},
                          {"facts", r.facts ? facts_to_json(*r.facts) : ordered_json(nullptr)},
                          {"facts_note", r.facts_note ? ordered_json(*r.facts_note) : ordered_json(nullptr)}});
  }
  ordered_json doc = {{"schema_version", 1}, {"statements", statements}};
  return json_document(doc);
}

std::string render_fingerprint_text(const std::vector<FingerprintRecord>& records) {
  // "line 12   0123456789abcdef  select    SELECT …": a parsed statement's fingerprint always has 16 digits.
  const TextTable table(
      {TextColumn::left(4, "line "), TextColumn::left(16, " "), TextColumn::left(8), TextColumn::left(0)});
  std::string out;
  for (const auto& r : records) {
    if (r.info.error) {
      out += table.line({std::to_string(r.line), r.unparsed_fingerprint.value_or("-"), "invalid",
                         one_line(r.normalized.value_or(r.text))});
      out += fmt::format("           error at position {}: {}\n", r.info.error->position,
                         printable(r.info.error->message));
      if (r.unparsed_fingerprint) {
        out += "           unparsed class: fingerprint and normalized text from its tokens\n";
      }
    } else {
      out += table.line({std::to_string(r.line), fingerprint_hex(r.info.fingerprint),
                         std::string(to_string(r.info.kind)), one_line(r.normalized.value_or(r.text))});
      if (r.facts_note) out += fmt::format("           {}\n", printable(*r.facts_note));
      if (r.facts) {
        auto facts = render_facts(printable_facts(*r.facts));
        size_t start = 0;
        while (start < facts.size()) {
          size_t end = facts.find('\n', start);
          if (end == std::string::npos) end = facts.size();
          if (end > start) out += fmt::format("           {}\n", std::string_view(facts).substr(start, end - start));
          start = end + 1;
        }
      }
    }
  }
  out += fmt::format("{} statement(s)\n", records.size());
  return text_document(out);
}

}  // namespace pgadvisor::reports
