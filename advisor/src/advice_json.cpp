// The advice JSON contract: advice_to_json writes the document `pgadvisor advise --format json` prints, and
// advice_from_json reads it back for `pgadvisor bench` (see advice_json.hpp for what it does not carry).
#include "advisor/advice_json.hpp"

#include <algorithm>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "advisor/ddl_script.hpp"
#include "pg/quote.hpp"

namespace pgadvisor::advisor {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;

// An empty text is written as null (no fingerprint, no predicate, no note), and read back as empty.
ordered_json text_or_null(const std::string& text) { return text.empty() ? ordered_json(nullptr) : ordered_json(text); }

std::string text_of(const json& j, const char* key) {
  auto it = j.find(key);
  return it == j.end() || it->is_null() ? std::string() : it->get<std::string>();
}

template <typename T>
T number_of(const json& j, const char* key) {
  auto it = j.find(key);
  return it == j.end() || it->is_null() ? T{} : it->get<T>();
}

std::vector<std::string> texts_of(const json& j, const char* key) {
  std::vector<std::string> out;
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return out;
  for (const auto& t : *it) out.push_back(t.get<std::string>());
  return out;
}

const json& array_of(const json& j, const char* key) {
  static const json empty = json::array();
  auto it = j.find(key);
  return it == j.end() || !it->is_array() ? empty : *it;
}

PlanSource plan_source_of(const std::string& text) {
  for (auto source : {PlanSource::Literals, PlanSource::Sampled, PlanSource::PgStats, PlanSource::Generic}) {
    if (to_string(source) == text) return source;
  }
  return PlanSource::Literals;
}

analyzer::IndexProblem problem_of(const std::string& text) {
  using P = analyzer::IndexProblem;
  for (auto problem : {P::Invalid, P::Duplicate, P::Redundant, P::Unused}) {
    if (analyzer::to_string(problem) == text) return problem;
  }
  return P::Unused;
}

// "schema.name" as TableName::to_string writes it (no schema: the name alone).
analyzer::TableName table_of(const std::string& text) {
  analyzer::TableName t;
  size_t dot = text.find('.');
  if (dot == std::string::npos) {
    t.name = text;
  } else {
    t.schema = text.substr(0, dot);
    t.name = text.substr(dot + 1);
  }
  return t;
}

ordered_json index_json(const IndexAdvice& index) {
  const auto& c = index.index;
  ordered_json columns = ordered_json::array();
  for (const auto& k : c.keys) columns.push_back(key_text(k));
  ordered_json queries = ordered_json::array();
  for (const auto& q : index.queries) {
    queries.push_back({{"fingerprint", q.fingerprint},
                       {"calls", q.weight},
                       {"cost_before", q.cost_before},
                       {"cost_after", q.cost_after},
                       {"plan_before", q.plan_before},
                       {"plan_after", q.plan_after},
                       {"values", q.values}});
  }
  ordered_json partitions = ordered_json::array();
  for (const auto& p : index.partitions) {
    partitions.push_back(
        {{"table", p.table.to_string()}, {"name", p.name}, {"parent", p.parent}, {"partitioned", p.partitioned}});
  }
  return {{"name", c.name()},
          {"table", c.table.to_string()},
          {"partitioned_table", index.on_partitioned_table},
          {"partitions", partitions},
          {"columns", columns},
          {"include", c.include},
          {"where", text_or_null(c.predicate)},
          {"method", c.method},
          {"definition", create_index_statement(index)},
          {"size_bytes", index.size_bytes},
          {"write_overhead", index.write_overhead},
          {"queries", queries},
          {"rationale", index.rationale}};
}

IndexAdvice index_from_json(const json& j) {
  IndexAdvice index;
  index.definition = text_of(j, "definition");
  if (index.definition.empty()) throw std::invalid_argument("an index of the advice has no \"definition\"");
  auto& c = index.index;
  c.assigned_name = text_of(j, "name");
  if (auto it = j.find("table"); it != j.end() && it->is_string()) c.table = table_of(it->get<std::string>());
  for (const auto& text : texts_of(j, "columns")) {
    constexpr std::string_view kDesc = " DESC";
    IndexKey key;
    key.descending = text.ends_with(kDesc);
    key.column = key.descending ? text.substr(0, text.size() - kDesc.size()) : text;
    c.keys.push_back(std::move(key));
  }
  c.include = texts_of(j, "include");
  c.predicate = text_of(j, "where");
  if (j.contains("method")) c.method = text_of(j, "method");
  index.size_bytes = number_of<int64_t>(j, "size_bytes");
  index.write_overhead = number_of<double>(j, "write_overhead");
  for (const auto& q : array_of(j, "queries")) {
    index.queries.push_back({text_of(q, "fingerprint"), number_of<double>(q, "calls"),
                             number_of<double>(q, "cost_before"), number_of<double>(q, "cost_after"),
                             text_of(q, "plan_before"), text_of(q, "plan_after"), text_of(q, "values")});
  }
  index.rationale = texts_of(j, "rationale");
  if (auto it = j.find("partitioned_table"); it != j.end() && it->is_boolean()) {
    index.on_partitioned_table = it->get<bool>();
  }
  for (const auto& p : array_of(j, "partitions")) {
    auto parent = p.find("parent");
    auto partitioned = p.find("partitioned");
    index.partitions.push_back({table_of(text_of(p, "table")), text_of(p, "name"),
                                parent != p.end() && parent->is_number_integer() ? parent->get<int>() : -1,
                                partitioned != p.end() && partitioned->is_boolean() && partitioned->get<bool>()});
  }
  return index;
}

ordered_json parameter_sets_json(const std::vector<analyzer::ParameterSet>& sets) {
  ordered_json out = ordered_json::array();
  for (const auto& set : sets) {
    ordered_json values = ordered_json::array();
    for (const auto& v : set) values.push_back(v ? ordered_json(*v) : ordered_json(nullptr));
    out.push_back(values);
  }
  return out;
}

// A value of a parameter set: text, null for NULL; a number or boolean written by hand reads as its JSON text.
std::vector<analyzer::ParameterSet> parameter_sets_of(const json& j) {
  std::vector<analyzer::ParameterSet> out;
  for (const auto& set : array_of(j, "parameter_sets")) {
    analyzer::ParameterSet values;
    for (const auto& v : set) {
      values.push_back(v.is_null()     ? std::optional<std::string>()
                       : v.is_string() ? std::optional<std::string>(v.get<std::string>())
                                       : std::optional<std::string>(v.dump()));
    }
    out.push_back(std::move(values));
  }
  return out;
}

ordered_json class_json(const AdvisedClass& c) {
  return {{"fingerprint", c.fingerprint},
          {"text", c.text},
          {"kind", c.kind},
          {"calls", c.calls},
          {"reads", c.reads},
          {"writes", c.writes},
          {"samples", c.samples},
          {"parameter_sets", parameter_sets_json(c.parameter_sets)},
          {"plan_source", to_string(c.plan_source)},
          {"plan_note", text_or_null(c.plan_note)},
          {"planned", c.planned},
          {"cost_before", c.cost_before},
          {"cost_after", c.cost_after}};
}

AdvisedClass class_from_json(const json& j) {
  AdvisedClass c;
  c.fingerprint = text_of(j, "fingerprint");
  c.text = text_of(j, "text");
  c.kind = text_of(j, "kind");
  c.calls = number_of<double>(j, "calls");
  c.reads = texts_of(j, "reads");
  c.writes = texts_of(j, "writes");
  c.samples = texts_of(j, "samples");
  c.parameter_sets = parameter_sets_of(j);
  c.plan_source = plan_source_of(text_of(j, "plan_source"));
  c.plan_note = text_of(j, "plan_note");
  if (auto it = j.find("planned"); it != j.end() && it->is_boolean()) c.planned = it->get<bool>();
  c.cost_before = number_of<double>(j, "cost_before");
  c.cost_after = number_of<double>(j, "cost_after");
  return c;
}

ordered_json view_class_json(const ViewClass& c) {
  return {{"fingerprint", c.fingerprint},
          {"text", c.text},
          {"rewritten", c.rewritten},
          {"samples", c.samples},
          {"rewritten_samples", c.rewritten_samples},
          {"parameter_sets", parameter_sets_json(c.parameter_sets)},
          {"calls", c.calls},
          {"cost_before", c.cost_before},
          {"cost_after", c.cost_after}};
}

ViewClass view_class_from_json(const json& j) {
  ViewClass c;
  c.fingerprint = text_of(j, "fingerprint");
  c.text = text_of(j, "text");
  c.rewritten = text_of(j, "rewritten");
  c.samples = texts_of(j, "samples");
  c.rewritten_samples = texts_of(j, "rewritten_samples");
  c.parameter_sets = parameter_sets_of(j);
  c.calls = number_of<double>(j, "calls");
  c.cost_before = number_of<double>(j, "cost_before");
  c.cost_after = number_of<double>(j, "cost_after");
  return c;
}

// Index names are null when the view has no such index.
ordered_json view_json(const ViewAdvice& v) {
  ordered_json classes = ordered_json::array();
  for (const auto& c : v.classes) classes.push_back(view_class_json(c));
  return {
      {"schema", v.schema},
      {"name", v.name},
      {"select", v.select},
      {"columns", v.columns},
      {"unique_key", v.unique_key},
      {"unique_index", text_or_null(v.unique_index)},
      {"filter_columns", v.filter_columns},
      {"filter_index", text_or_null(v.filter_index)},
      {"base_tables", v.base_tables},
      {"classes", classes},
      {"estimated_rows", v.estimated_rows},
      {"base_rows", v.base_rows},
      {"estimated_bytes", v.estimated_bytes},
      {"refresh_cost", v.refresh_cost},
      {"base_writes", v.base_writes},
      {"saving", v.saving},
      {"refresh_every_calls", v.refresh_every_calls},
      {"net_saving", v.net_saving},
      {"refresh_every_seconds", v.refresh_every_seconds > 0 ? ordered_json(v.refresh_every_seconds) : ordered_json()},
      {"net_saving_per_hour", v.refresh_every_seconds > 0 ? ordered_json(v.net_saving_per_hour) : ordered_json()}};
}

ViewAdvice view_from_json(const json& j) {
  ViewAdvice v;
  v.schema = text_of(j, "schema");
  v.name = text_of(j, "name");
  v.select = text_of(j, "select");
  v.columns = texts_of(j, "columns");
  v.unique_key = texts_of(j, "unique_key");
  v.unique_index = text_of(j, "unique_index");
  v.filter_columns = texts_of(j, "filter_columns");
  v.filter_index = text_of(j, "filter_index");
  v.base_tables = texts_of(j, "base_tables");
  for (const auto& c : array_of(j, "classes")) v.classes.push_back(view_class_from_json(c));
  v.estimated_rows = number_of<double>(j, "estimated_rows");
  v.base_rows = number_of<double>(j, "base_rows");
  v.estimated_bytes = number_of<int64_t>(j, "estimated_bytes");
  v.refresh_cost = number_of<double>(j, "refresh_cost");
  v.base_writes = number_of<double>(j, "base_writes");
  v.saving = number_of<double>(j, "saving");
  v.refresh_every_calls = number_of<double>(j, "refresh_every_calls");
  v.net_saving = number_of<double>(j, "net_saving");
  // Absent or null (the workload's window unknown; and in files written before these keys): 0.
  for (auto [key, field] : {std::pair{"refresh_every_seconds", &v.refresh_every_seconds},
                            std::pair{"net_saving_per_hour", &v.net_saving_per_hour}}) {
    if (j.contains(key) && j[key].is_number()) *field = j[key].get<double>();
  }
  return v;
}

ordered_json drop_json(const DropAdvice& d) {
  const auto& f = d.finding;
  return {{"index", f.schema + "." + f.index},
          {"table", f.schema + "." + f.table},
          {"problem", analyzer::to_string(f.problem)},
          {"definition", f.definition},
          {"size_bytes", f.size_bytes},
          {"scans", f.scans},
          {"covered_by", text_or_null(f.covered_by)},
          {"evidence", d.evidence},
          {"partitioned", f.partitioned},
          {"statement", drop_statement(f)}};
}

// "statement" is drop_statement() of the finding: written for the reader of the document, not read back.
DropAdvice drop_from_json(const json& j) {
  DropAdvice d;
  auto& f = d.finding;
  auto index = table_of(text_of(j, "index"));
  f.schema = index.schema;
  f.index = index.name;
  f.table = table_of(text_of(j, "table")).name;
  f.problem = problem_of(text_of(j, "problem"));
  f.definition = text_of(j, "definition");
  f.size_bytes = number_of<int64_t>(j, "size_bytes");
  f.scans = number_of<int64_t>(j, "scans");
  f.covered_by = text_of(j, "covered_by");
  d.evidence = text_of(j, "evidence");
  if (auto it = j.find("partitioned"); it != j.end() && it->is_boolean()) f.partitioned = it->get<bool>();
  return d;
}

}  // namespace

std::string key_text(const IndexKey& key) {
  std::string out = key.expression.empty() ? key.column : key.expression;
  if (key.descending) out += " DESC";
  return out;
}

std::string create_index_statement(const IndexAdvice& index) {
  if (!index.definition.empty()) return index.definition;
  return "CREATE INDEX " + pg::quote_identifier_printable(index.index.name()) + " " + index.index.definition_body();
}

std::string advice_to_json(const Advice& a) {
  ordered_json indexes = ordered_json::array();
  for (const auto& index : a.indexes) indexes.push_back(index_json(index));
  ordered_json unplanned = ordered_json::array();
  for (const auto& u : a.unplanned) {
    unplanned.push_back(
        {{"fingerprint", text_or_null(u.fingerprint)}, {"reason", u.reason}, {"not_analyzable", u.not_analyzable}});
  }
  ordered_json filtered = ordered_json::array();
  for (const auto& f : a.filtered) {
    filtered.push_back({{"fingerprint", text_or_null(f.fingerprint)}, {"reason", f.reason}});
  }
  ordered_json classes = ordered_json::array();
  for (const auto& c : a.classes_advised) classes.push_back(class_json(c));
  ordered_json refused = ordered_json::array();
  for (const auto& r : a.refused_candidates) refused.push_back({{"definition", r.definition}, {"reason", r.reason}});
  ordered_json drops = ordered_json::array();
  for (const auto& d : a.drops) drops.push_back(drop_json(d));
  ordered_json views = ordered_json::array();
  for (const auto& v : a.views) views.push_back(view_json(v));
  ordered_json refused_views = ordered_json::array();
  for (const auto& r : a.refused_views) {
    refused_views.push_back({{"fingerprint", r.fingerprint}, {"text", r.text}, {"reason", r.reason}});
  }
  ordered_json not_indexable = ordered_json::array();
  for (const auto& n : a.not_indexable) {
    not_indexable.push_back({{"table", n.table}, {"reason", n.reason}, {"classes", n.fingerprints}});
  }
  const auto not_analyzable = static_cast<size_t>(
      std::count_if(a.unplanned.begin(), a.unplanned.end(), [](const auto& u) { return u.not_analyzable; }));
  ordered_json doc = {
      {"schema_version", 1},
      {"indexes", indexes},
      {"views", views},
      {"drops", drops},
      {"unplanned", unplanned},
      {"filtered", filtered},
      {"refused_candidates", refused},
      {"refused_views", refused_views},
      {"not_indexable", not_indexable},
      {"workload",
       {{"cost_before", a.cost_before},
        {"cost_after", a.cost_after},
        {"candidates", a.candidates},
        {"not_analyzable", not_analyzable},
        {"classes", classes}}},
      {"cost_requests", {{"total", a.requests.requests}, {"cache_hits", a.requests.cache_hits}}},
      {"selection",
       {{"kept", a.selection.kept},
        {"greedy_objective", a.selection.greedy_objective},
        {"ilp_objective", a.selection.ilp_objective ? ordered_json(*a.selection.ilp_objective) : ordered_json(nullptr)},
        {"integer_program_status", a.selection.integer_program_status},
        {"integer_program_seconds", a.selection.integer_program_seconds}}}};
  // As reports::json_document prints every document: a value from a database may hold any bytes.
  return doc.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

Advice advice_from_json(std::string_view text) {
  json doc;
  try {
    doc = json::parse(text);
  } catch (const json::exception& e) {
    throw std::invalid_argument(std::string("the advice is not JSON (pgadvisor advise --format json): ") + e.what());
  }
  if (!doc.is_object() || !doc.contains("indexes") || !doc["indexes"].is_array()) {
    throw std::invalid_argument("the advice has no \"indexes\" array (pgadvisor advise --format json)");
  }
  Advice a;
  for (const auto& index : doc["indexes"]) a.indexes.push_back(index_from_json(index));
  for (const auto& v : array_of(doc, "views")) a.views.push_back(view_from_json(v));
  for (const auto& d : array_of(doc, "drops")) a.drops.push_back(drop_from_json(d));
  for (const auto& u : array_of(doc, "unplanned")) {
    bool not_analyzable =
        u.contains("not_analyzable") && u["not_analyzable"].is_boolean() && u["not_analyzable"].get<bool>();
    a.unplanned.push_back({text_of(u, "fingerprint"), text_of(u, "reason"), not_analyzable});
  }
  for (const auto& f : array_of(doc, "filtered")) {
    a.filtered.push_back({text_of(f, "fingerprint"), text_of(f, "reason")});
  }
  for (const auto& r : array_of(doc, "refused_candidates")) {
    a.refused_candidates.push_back({text_of(r, "definition"), text_of(r, "reason")});
  }
  for (const auto& r : array_of(doc, "refused_views")) {
    a.refused_views.push_back({text_of(r, "fingerprint"), text_of(r, "text"), text_of(r, "reason")});
  }
  for (const auto& n : array_of(doc, "not_indexable")) {
    a.not_indexable.push_back({text_of(n, "table"), text_of(n, "reason"), texts_of(n, "classes")});
  }
  if (auto w = doc.find("workload"); w != doc.end() && w->is_object()) {
    a.cost_before = number_of<double>(*w, "cost_before");
    a.cost_after = number_of<double>(*w, "cost_after");
    a.candidates = number_of<size_t>(*w, "candidates");
    for (const auto& c : array_of(*w, "classes")) a.classes_advised.push_back(class_from_json(c));
  }
  if (auto r = doc.find("cost_requests"); r != doc.end() && r->is_object()) {
    a.requests.requests = number_of<uint64_t>(*r, "total");
    a.requests.cache_hits = number_of<uint64_t>(*r, "cache_hits");
  }
  if (auto m = doc.find("selection"); m != doc.end() && m->is_object()) {
    if (m->contains("kept")) a.selection.kept = text_of(*m, "kept");
    a.selection.greedy_objective = number_of<double>(*m, "greedy_objective");
    if (auto j = m->find("ilp_objective"); j != m->end() && j->is_number())
      a.selection.ilp_objective = j->get<double>();
    if (m->contains("integer_program_status"))
      a.selection.integer_program_status = text_of(*m, "integer_program_status");
    a.selection.integer_program_seconds = number_of<double>(*m, "integer_program_seconds");
  }
  return a;
}

}  // namespace pgadvisor::advisor
