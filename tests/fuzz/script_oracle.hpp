// The oracle for the scripts pgadvisor writes (advice.sql and its rollback): parsed by libpg_query (the server's
// own parser), a script must be exactly the statements intended, in order, with every identifier and value read
// back as it was given, whatever the names, plans, statements and values hold. DO blocks are parsed as PL/pgSQL
// and must hold only their checks. Each commented-out DROP INDEX, uncommented, must be that one statement. An index
// on a partitioned table must be built ON ONLY, partition by partition, each attached to its parent's index. Each
// materialized view must be built in one transaction (the view with its query read back as given, its mark, its
// unique and filter indexes), its commented-out refresh and pg_cron lines, uncommented, exactly those statements on
// it; the rollback drops the views, after a check, before the indexes. Also a generator of hostile names and texts.
// Header-only: shared by the Catch2 tests and the libFuzzer target (tests/fuzz/ddl_script_fuzz.cpp), which compile it
// with different compilers.
#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>
#include <pg_query.h>

#include "advisor/ddl_script.hpp"
#include "advisor/index_names.hpp"
#include "pg/quote.hpp"

namespace pgadvisor::test::oracle {

using nlohmann::json;

//! An empty string when `script` is right, else what is wrong (the first thing found).
using Verdict = std::string;

// The statements of `sql` as libpg_query's JSON, or the parse error.
inline std::optional<json> parse(const std::string& sql, std::string& error) {
  PgQueryParseResult r = pg_query_parse(sql.c_str());
  std::optional<json> out;
  if (r.error != nullptr) {
    error = r.error->message;
  } else {
    out = json::parse(r.parse_tree);
  }
  pg_query_free_parse_result(r);
  return out;
}

// j at `path`, or null when any step is missing (libpg_query leaves out empty fields).
inline json at_path(const json& j, std::initializer_list<std::string_view> path) {
  const json* at = &j;
  for (auto key : path) {
    if (!at->is_object() || !at->contains(key)) return nullptr;
    at = &(*at)[std::string(key)];
  }
  return *at;
}

inline std::string string_at(const json& j, std::initializer_list<std::string_view> path) {
  json v = at_path(j, path);
  return v.is_string() ? v.get<std::string>() : std::string();
}

inline json statements_of(const json& tree) { return tree.value("stmts", json::array()); }

// The node's single key ("IndexStmt") and its body.
inline std::pair<std::string, json> node(const json& stmt) {
  const json& s = stmt.at("stmt");
  return {s.begin().key(), s.begin().value()};
}

// ["schema", "name"] of a List of String nodes.
inline std::vector<std::string> names_of(const json& list) {
  std::vector<std::string> out;
  for (const auto& item : list.at("List").at("items")) out.push_back(item.at("String").value("sval", ""));
  return out;
}

// What the parser makes of an identifier: truncated to 63 bytes, as the server does (on a character boundary).
inline std::string as_parsed(const std::string& name) { return advisor::truncate_utf8(name, advisor::kMaxNameBytes); }

inline std::vector<std::string> qualified_parts(const std::string& schema, const std::string& name) {
  if (schema.empty()) return {as_parsed(name)};
  return {as_parsed(schema), as_parsed(name)};
}

inline std::string show(const std::vector<std::string>& v) { return json(v).dump(); }

// Every "query" of a PL/pgSQL tree, and the kinds of its statements.
inline void plpgsql_walk(const json& j, std::vector<std::string>& queries, std::vector<std::string>& kinds) {
  if (j.is_object()) {
    for (const auto& [key, value] : j.items()) {
      if (key.starts_with("PLpgSQL_stmt_")) kinds.push_back(key);
      if (key == "query" && value.is_string()) queries.push_back(value.get<std::string>());
      plpgsql_walk(value, queries, kinds);
    }
  } else if (j.is_array()) {
    for (const auto& v : j) plpgsql_walk(v, queries, kinds);
  }
}

// Every string constant ("sval" of an A_Const) of a parse tree.
inline void string_constants(const json& j, std::multiset<std::string>& out) {
  if (j.is_object()) {
    if (j.contains("A_Const") && j["A_Const"].contains("sval")) out.insert(j["A_Const"]["sval"].value("sval", ""));
    for (const auto& [key, value] : j.items()) string_constants(value, out);
  } else if (j.is_array()) {
    for (const auto& v : j) string_constants(v, out);
  }
}

// A DO block: its body must be PL/pgSQL of exactly `checks` IF statements (each raising), with no other statement,
// and its expressions must hold each string of `required` as a constant.
inline Verdict check_do(const json& body, size_t checks, const std::vector<std::string>& required) {
  std::string code;
  for (const auto& arg : body.value("args", json::array())) {
    if (string_at(arg, {"DefElem", "defname"}) == "as") code = string_at(arg, {"DefElem", "arg", "String", "sval"});
  }
  std::string function =
      "CREATE FUNCTION pgadvisor_oracle() RETURNS void LANGUAGE plpgsql AS " + pg::quote_literal(code);
  PgQueryPlpgsqlParseResult r = pg_query_parse_plpgsql(function.c_str());
  if (r.error != nullptr) {
    Verdict v = std::string("a DO body is not PL/pgSQL: ") + r.error->message + "\n" + code;
    pg_query_free_plpgsql_parse_result(r);
    return v;
  }
  json tree = json::parse(r.plpgsql_funcs);
  pg_query_free_plpgsql_parse_result(r);
  std::vector<std::string> queries;
  std::vector<std::string> kinds;
  plpgsql_walk(tree, queries, kinds);
  size_t ifs = 0;
  for (const auto& k : kinds) {
    if (k == "PLpgSQL_stmt_if") {
      ++ifs;
    } else if (k != "PLpgSQL_stmt_raise" && k != "PLpgSQL_stmt_block" && k != "PLpgSQL_stmt_return") {
      return "a DO body holds a " + k + ":\n" + code;
    }
  }
  if (ifs != checks) return "a DO body has " + std::to_string(ifs) + " checks, not " + std::to_string(checks);
  std::multiset<std::string> constants;
  for (const auto& q : queries) {
    std::string error;
    auto parsed = parse("SELECT " + q, error);
    if (!parsed) return "an expression of a DO body does not parse (" + error + "): " + q;
    string_constants(*parsed, constants);
  }
  for (const auto& s : required) {
    if (constants.count(s) == 0) return "a DO body lacks the constant " + json(s).dump() + ":\n" + code;
  }
  return {};
}

// The name as to_regclass() must read it from the script's literal.
inline std::string regclass_text(const std::string& schema, const std::string& name) {
  return pg::quote_qualified(schema, name);
}

inline Verdict expect_kind(const json& stmts, size_t at, const std::string& kind) {
  if (at >= stmts.size()) return "statement " + std::to_string(at + 1) + " missing: expected " + kind;
  auto [k, body] = node(stmts[at]);
  if (k != kind) return "statement " + std::to_string(at + 1) + " is a " + k + ", expected " + kind;
  return {};
}

// SET standard_conforming_strings = on (the script's literals are written for it), SET lock_timeout.
inline Verdict check_settings(const json& stmts) {
  for (size_t at : {0, 1}) {
    if (auto v = expect_kind(stmts, at, "VariableSetStmt"); !v.empty()) return v;
  }
  if (node(stmts[0]).second.value("name", "") != "standard_conforming_strings" ||
      at_path(node(stmts[0]).second, {"args"}).size() != 1 ||
      string_at(at_path(node(stmts[0]).second, {"args"})[0], {"A_Const", "sval", "sval"}) != "on")
    return "the first statement is not SET standard_conforming_strings = on";
  if (node(stmts[1]).second.value("name", "") != "lock_timeout") return "the second statement is not SET lock_timeout";
  return {};
}

// The one expected "WHERE column = 'value'" predicate of an index, as the generator writes it.
struct Predicate {
  std::string column;
  std::string value;
};

// One index a script creates: the advised one or a partition's.
struct ScriptIndex {
  analyzer::TableName table;
  std::string name;
  bool partitioned = false;
};

// The advised index, then (on a partitioned table) its partitions' in IndexAdvice::partitions order.
inline std::vector<ScriptIndex> script_indexes(const advisor::IndexAdvice& index) {
  std::vector<ScriptIndex> out{{index.index.table, index.index.name(), index.on_partitioned_table}};
  if (!index.on_partitioned_table) return out;
  for (const auto& p : index.partitions) out.push_back({p.table, p.name, p.partitioned});
  return out;
}

// The CREATE INDEX of `c` on x's table: its name, table (ONLY when `only`), CONCURRENTLY when `concurrent`, never IF
// NOT EXISTS, and keys, INCLUDE and the WHERE column = value read back as given.
inline Verdict check_create(const json& s, const advisor::IndexCandidate& c, const ScriptIndex& x, bool only,
                            bool concurrent, const std::optional<Predicate>& predicate) {
  if (s.value("idxname", "") != as_parsed(x.name)) return "index name " + json(s.value("idxname", "")).dump();
  if (s.value("concurrent", false) != concurrent) {
    return concurrent ? "CREATE INDEX without CONCURRENTLY" : "CREATE INDEX CONCURRENTLY where it cannot run";
  }
  if (s.value("if_not_exists", false)) return "CREATE INDEX IF NOT EXISTS (a taken name would be skipped silently)";
  const json& rel = s.at("relation");
  if (rel.value("schemaname", "") != as_parsed(x.table.schema) || rel.value("relname", "") != as_parsed(x.table.name))
    return "index table " + rel.dump();
  if (rel.value("inh", false) == only) return only ? "CREATE INDEX without ON ONLY" : "CREATE INDEX ON ONLY";
  std::vector<std::string> keys;
  for (const auto& e : s.value("indexParams", json::array())) keys.push_back(e.at("IndexElem").value("name", ""));
  std::vector<std::string> want_keys;
  for (const auto& k : c.keys) want_keys.push_back(as_parsed(k.column));
  if (keys != want_keys) return "index keys " + show(keys) + ", expected " + show(want_keys);
  std::vector<std::string> include;
  for (const auto& e : s.value("indexIncludingParams", json::array()))
    include.push_back(e.at("IndexElem").value("name", ""));
  std::vector<std::string> want_include;
  for (const auto& k : c.include) want_include.push_back(as_parsed(k));
  if (include != want_include) return "INCLUDE " + show(include) + ", expected " + show(want_include);
  if (predicate) {
    json where = at_path(s, {"whereClause", "A_Expr"});
    if (where.is_null()) return "no WHERE column = value: " + at_path(s, {"whereClause"}).dump();
    json fields = at_path(where, {"lexpr", "ColumnRef", "fields"});
    std::string column = fields.is_array() && fields.size() == 1 ? string_at(fields[0], {"String", "sval"}) : "";
    std::string value = string_at(where, {"rexpr", "A_Const", "sval", "sval"});
    if (column != as_parsed(predicate->column) || value != predicate->value) return "WHERE " + where.dump();
  }
  return {};
}

// COMMENT ON INDEX x IS the marker.
inline Verdict check_comment(const json& comment, const ScriptIndex& x, const std::string& marker) {
  if (comment.value("objtype", "") != "OBJECT_INDEX" ||
      names_of(comment.at("object")) != qualified_parts(x.table.schema, x.name))
    return "COMMENT ON " + comment.dump();
  if (comment.value("comment", "") != marker) return "COMMENT text " + json(comment.value("comment", "")).dump();
  return {};
}

// ALTER INDEX parent ATTACH PARTITION x, and nothing else.
inline Verdict check_attach(const json& alter, const ScriptIndex& parent, const ScriptIndex& x) {
  const json& rel = alter.at("relation");
  if (alter.value("objtype", "") != "OBJECT_INDEX" || rel.value("schemaname", "") != as_parsed(parent.table.schema) ||
      rel.value("relname", "") != as_parsed(parent.name))
    return "ALTER INDEX " + alter.dump();
  json cmds = alter.value("cmds", json::array());
  if (cmds.size() != 1 || string_at(cmds[0], {"AlterTableCmd", "subtype"}) != "AT_AttachPartition")
    return "not one ATTACH PARTITION: " + alter.dump();
  json attached = at_path(cmds[0], {"AlterTableCmd", "def", "PartitionCmd", "name"});
  if (attached.value("schemaname", "") != as_parsed(x.table.schema) ||
      attached.value("relname", "") != as_parsed(x.name))
    return "ATTACH PARTITION " + attached.dump();
  return {};
}

// j without its "location" keys (offsets in the text parsed, which differ between a statement and its part).
inline json without_locations(const json& j) {
  if (j.is_object()) {
    json out = json::object();
    for (const auto& [key, value] : j.items()) {
      if (key != "location" && key != "stmt_location" && key != "stmt_len") out[key] = without_locations(value);
    }
    return out;
  }
  if (j.is_array()) {
    json out = json::array();
    for (const auto& v : j) out.push_back(without_locations(v));
    return out;
  }
  return j;
}

//! Whether advice.sql must create the view: its query parses as one SELECT statement with no ';' after it, and
//! nothing but blanks after its last token (the generator writes no trailing comment).
inline bool view_creatable(const advisor::ViewAdvice& view) {
  if (view.name.empty()) return false;
  std::string error;
  auto tree = parse(view.select, error);
  if (!tree) return false;
  json stmts = statements_of(*tree);
  if (stmts.size() != 1 || node(stmts[0]).first != "SelectStmt") return false;
  const size_t end = view.select.find_last_not_of(" \t\r\n");
  return end != std::string::npos && view.select[end] != ';';
}

inline bool has_unique_index(const advisor::ViewAdvice& v) { return !v.unique_key.empty() && !v.unique_index.empty(); }
inline bool has_filter_index(const advisor::ViewAdvice& v) {
  return !v.filter_columns.empty() && !v.filter_index.empty();
}

// The names a created view takes: its own, then its indexes'.
inline std::vector<std::string> view_names(const advisor::ViewAdvice& v) {
  std::vector<std::string> out{v.name};
  if (has_unique_index(v)) out.push_back(v.unique_index);
  if (has_filter_index(v)) out.push_back(v.filter_index);
  return out;
}

// The statements advice.sql makes of a created view: BEGIN, CREATE, COMMENT, its indexes, COMMIT.
inline size_t view_statements(const advisor::ViewAdvice& v) {
  return 4 + (has_unique_index(v) ? 1 : 0) + (has_filter_index(v) ? 1 : 0);
}

inline Verdict check_transaction(const json& stmts, size_t at, const std::string& kind) {
  if (auto v = expect_kind(stmts, at, "TransactionStmt"); !v.empty()) return v;
  if (node(stmts[at]).second.value("kind", "") != kind) return "not " + kind + ": " + node(stmts[at]).second.dump();
  return {};
}

// CREATE [UNIQUE] INDEX name ON view (columns): not CONCURRENTLY (the view is new), no IF NOT EXISTS, no WHERE.
inline Verdict check_view_index(const json& s, const advisor::ViewAdvice& view, const std::string& name,
                                const std::vector<std::string>& columns, bool unique) {
  if (s.value("idxname", "") != as_parsed(name)) return "view index name " + json(s.value("idxname", "")).dump();
  if (s.value("unique", false) != unique)
    return unique ? "the view's key index is not UNIQUE" : "a UNIQUE filter index";
  if (s.value("concurrent", false) || s.value("if_not_exists", false)) return "view index " + s.dump();
  const json& rel = s.at("relation");
  if (rel.value("schemaname", "") != as_parsed(view.schema) || rel.value("relname", "") != as_parsed(view.name))
    return "view index on " + rel.dump();
  std::vector<std::string> keys;
  for (const auto& e : s.value("indexParams", json::array())) keys.push_back(e.at("IndexElem").value("name", ""));
  std::vector<std::string> want;
  for (const auto& c : columns) want.push_back(as_parsed(c));
  if (keys != want) return "view index keys " + show(keys) + ", expected " + show(want);
  if (!at_path(s, {"whereClause"}).is_null()) return "a view index with a WHERE";
  return {};
}

// BEGIN; CREATE MATERIALIZED VIEW view AS <its query> WITH DATA; COMMENT ON MATERIALIZED VIEW view IS the marker;
// its unique index; its filter index; COMMIT.
inline Verdict check_view_build(const json& stmts, size_t& at, const advisor::ViewAdvice& view,
                                const std::string& marker) {
  if (auto v = check_transaction(stmts, at++, "TRANS_STMT_BEGIN"); !v.empty()) return v;
  if (auto v = expect_kind(stmts, at, "CreateTableAsStmt"); !v.empty()) return v;
  const json create = node(stmts[at++]).second;
  if (create.value("objtype", "") != "OBJECT_MATVIEW" || create.value("if_not_exists", false))
    return "not CREATE MATERIALIZED VIEW: " + create.dump();
  const json rel = at_path(create, {"into", "rel"});
  if (rel.value("schemaname", "") != as_parsed(view.schema) || rel.value("relname", "") != as_parsed(view.name))
    return "the materialized view is " + rel.dump();
  if (at_path(create, {"into", "skipData"}) == true) return "a materialized view WITH NO DATA";
  std::string error;
  auto alone = parse(view.select, error);
  if (!alone) return "the view's query does not parse alone: " + error;
  if (without_locations(at_path(create, {"query"})) != without_locations(statements_of(*alone)[0].at("stmt")))
    return "the view's query is not read back as given: " + at_path(create, {"query"}).dump();
  if (auto v = expect_kind(stmts, at, "CommentStmt"); !v.empty()) return v;
  const json comment = node(stmts[at++]).second;
  if (comment.value("objtype", "") != "OBJECT_MATVIEW" ||
      names_of(comment.at("object")) != qualified_parts(view.schema, view.name) ||
      comment.value("comment", "") != marker)
    return "COMMENT ON the view: " + comment.dump();
  if (has_unique_index(view)) {
    if (auto v = expect_kind(stmts, at, "IndexStmt"); !v.empty()) return v;
    if (auto v = check_view_index(node(stmts[at++]).second, view, view.unique_index, view.unique_key, true); !v.empty())
      return v;
  }
  if (has_filter_index(view)) {
    if (auto v = expect_kind(stmts, at, "IndexStmt"); !v.empty()) return v;
    auto v = check_view_index(node(stmts[at++]).second, view, view.filter_index, view.filter_columns, false);
    if (!v.empty()) return v;
  }
  return check_transaction(stmts, at++, "TRANS_STMT_COMMIT");
}

// One REFRESH MATERIALIZED VIEW of `view` (CONCURRENTLY when it has its unique index), and nothing else.
inline Verdict check_refresh(const std::string& sql, const advisor::ViewAdvice& view) {
  std::string error;
  auto tree = parse(sql, error);
  if (!tree) return "a refresh does not parse (" + error + "): " + sql;
  json stmts = statements_of(*tree);
  if (stmts.size() != 1 || node(stmts[0]).first != "RefreshMatViewStmt") return "not one REFRESH: " + sql;
  const json r = node(stmts[0]).second;
  const json rel = r.at("relation");
  if (rel.value("schemaname", "") != as_parsed(view.schema) || rel.value("relname", "") != as_parsed(view.name))
    return "the refresh names " + rel.dump();
  if (r.value("concurrent", false) != has_unique_index(view)) return "the refresh's CONCURRENTLY: " + sql;
  if (r.value("skipData", false)) return "a refresh WITH NO DATA";
  return {};
}

// SELECT cron.schedule('pgadvisor refresh <view>', '*/15 * * * *', <the refresh, dollar-quoted>), and nothing else.
inline Verdict check_cron(const std::string& sql, const advisor::ViewAdvice& view) {
  std::string error;
  auto tree = parse(sql, error);
  if (!tree) return "a pg_cron line does not parse (" + error + "): " + sql;
  json stmts = statements_of(*tree);
  if (stmts.size() != 1 || node(stmts[0]).first != "SelectStmt") return "a pg_cron line is not one SELECT: " + sql;
  const json targets = node(stmts[0]).second.value("targetList", json::array());
  const json call = targets.size() == 1 ? at_path(targets[0], {"ResTarget", "val", "FuncCall"}) : json();
  if (call.is_null() || names_of(json{{"List", {{"items", call.value("funcname", json::array())}}}}) !=
                            std::vector<std::string>{"cron", "schedule"})
    return "a pg_cron line does not call cron.schedule: " + sql;
  const json args = call.value("args", json::array());
  if (args.size() != 3) return "cron.schedule without 3 arguments: " + sql;
  std::vector<std::string> values;
  for (const auto& a : args) {
    if (at_path(a, {"A_Const", "sval"}).is_null()) return "a cron.schedule argument is not a string: " + sql;
    values.push_back(string_at(a, {"A_Const", "sval", "sval"}));
  }
  if (values[0] != "pgadvisor refresh " + pg::quote_qualified(view.schema, view.name))
    return "the pg_cron job is named " + json(values[0]).dump();
  if (values[1] != advisor::cron_schedule(view.refresh_every_seconds))
    return "the pg_cron schedule is " + json(values[1]).dump();
  return check_refresh(values[2], view);
}

// The commented-out refresh and pg_cron lines of the created views, in order: each, uncommented, is exactly its
// statement (lines whose names are not UTF-8 are escaped, so for reading only).
inline Verdict check_view_comments(const advisor::Advice& advice, const std::string& script) {
  std::vector<const advisor::ViewAdvice*> created;
  for (const auto& v : advice.views) {
    if (view_creatable(v)) created.push_back(&v);
  }
  std::istringstream lines(script);
  std::string line;
  size_t refreshes = 0;
  size_t crons = 0;
  while (std::getline(lines, line)) {
    const bool refresh = line.starts_with("-- REFRESH MATERIALIZED VIEW");
    const bool cron = line.starts_with("-- SELECT cron.schedule(");
    if (!refresh && !cron) continue;
    size_t& n = refresh ? refreshes : crons;
    if (n >= created.size()) return "more commented-out refreshes than views: " + line;
    const auto& view = *created[n++];
    const std::string sql = line.substr(3);
    if (pg::comment_text(pg::quote_qualified_printable(view.schema, view.name)) !=
        pg::quote_qualified_printable(view.schema, view.name))
      continue;
    if (auto v = refresh ? check_refresh(sql, view) : check_cron(sql, view); !v.empty()) return v;
  }
  if (refreshes != created.size() || crons != created.size())
    return "commented-out refreshes " + std::to_string(refreshes) + " and pg_cron lines " + std::to_string(crons) +
           " for " + std::to_string(created.size()) + " views";
  return {};
}

//! advice.sql: the two SETs, the names check (every index's name, its partitions' included), then per index CREATE
//! INDEX CONCURRENTLY (no IF NOT EXISTS), its invalid check and its COMMENT with the marker; for an index on a
//! partitioned table, CREATE INDEX ON ONLY and its COMMENT, then per partition in order (depth first) its index (ON
//! ONLY and COMMENT, its own partitions', then ATTACH for a partitioned partition; CREATE INDEX CONCURRENTLY, its
//! invalid check, COMMENT and ATTACH for a leaf), then the validity check; nothing else. CONCURRENTLY only when the
//! header asks for it. `predicates` (one per index, optional) say what each index's WHERE must read back as.
inline Verdict check_advice_script(const advisor::Advice& advice, const advisor::ScriptHeader& header,
                                   const std::string& script, const std::vector<std::optional<Predicate>>& predicates) {
  std::string error;
  auto tree = parse(script, error);
  if (!tree) return "advice.sql does not parse: " + error;
  json stmts = statements_of(*tree);
  size_t names = 0;
  size_t expected = 2;
  for (const auto& v : advice.views) {
    if (!view_creatable(v)) continue;
    expected += view_statements(v);
    names += view_names(v).size();
  }
  if (!advice.indexes.empty() || names > 0) ++expected;  // the names check
  for (const auto& i : advice.indexes) {
    names += script_indexes(i).size();
    if (!i.on_partitioned_table) {
      expected += 3;
      continue;
    }
    expected += 3;  // ON ONLY, COMMENT, the validity check
    for (const auto& p : i.partitions) expected += p.partitioned ? 3 : 4;
  }
  if (stmts.size() != expected) {
    return "advice.sql has " + std::to_string(stmts.size()) + " statements, not " + std::to_string(expected);
  }
  if (auto v = check_settings(stmts); !v.empty()) return v;
  size_t at = 2;
  const std::string marker = advisor::advice_marker(advice, header);
  if (!advice.indexes.empty() || names > 0) {
    if (auto v = expect_kind(stmts, at, "DoStmt"); !v.empty()) return v;
    std::vector<std::string> required;
    for (const auto& i : advice.indexes) {
      for (const auto& x : script_indexes(i)) required.push_back(regclass_text(x.table.schema, x.name));
    }
    for (const auto& view : advice.views) {
      if (!view_creatable(view)) continue;
      for (const auto& name : view_names(view)) required.push_back(regclass_text(view.schema, name));
    }
    if (auto v = check_do(node(stmts[at]).second, names, required); !v.empty()) return v;
    ++at;
  }
  for (size_t n = 0; n < advice.indexes.size(); ++n) {
    const auto& index = advice.indexes[n];
    const auto& c = index.index;
    const std::optional<Predicate> predicate = n < predicates.size() ? predicates[n] : std::nullopt;
    const auto indexes = script_indexes(index);
    // One index, then (partitioned) its partitions' under it, then its ATTACH to `parent`.
    std::function<Verdict(size_t, const ScriptIndex*)> build = [&](size_t i, const ScriptIndex* parent) -> Verdict {
      const auto& x = indexes[i];
      if (auto v = expect_kind(stmts, at, "IndexStmt"); !v.empty()) return v;
      const bool concurrent = header.concurrently && !x.partitioned;
      if (auto v = check_create(node(stmts[at]).second, c, x, x.partitioned, concurrent, predicate); !v.empty())
        return v;
      ++at;
      if (!x.partitioned) {
        if (auto v = expect_kind(stmts, at, "DoStmt"); !v.empty()) return v;
        if (auto v = check_do(node(stmts[at]).second, 1, {regclass_text(x.table.schema, x.name)}); !v.empty()) return v;
        ++at;
      }
      if (auto v = expect_kind(stmts, at, "CommentStmt"); !v.empty()) return v;
      if (auto v = check_comment(node(stmts[at]).second, x, marker); !v.empty()) return v;
      ++at;
      for (size_t p = 0; p + 1 < indexes.size(); ++p) {
        const int up = index.partitions[p].parent;
        const bool under_root = up < -1 || up >= static_cast<int>(p);  // as the script reads a bad link
        if (static_cast<size_t>(under_root ? 0 : up + 1) == i) {
          if (auto v = build(p + 1, &x); !v.empty()) return v;
        }
      }
      if (parent != nullptr) {
        if (auto v = expect_kind(stmts, at, "AlterTableStmt"); !v.empty()) return v;
        if (auto v = check_attach(node(stmts[at]).second, *parent, x); !v.empty()) return v;
        ++at;
      }
      return {};
    };
    if (auto v = build(0, nullptr); !v.empty()) return v;
    if (index.on_partitioned_table) {
      if (auto v = expect_kind(stmts, at, "DoStmt"); !v.empty()) return v;
      auto v = check_do(node(stmts[at]).second, 1,
                        {regclass_text(c.table.schema, c.name()), regclass_text(c.table.schema, c.table.name)});
      if (!v.empty()) return v;
      ++at;
    }
  }
  for (const auto& view : advice.views) {
    if (!view_creatable(view)) continue;
    if (auto v = check_view_build(stmts, at, view, marker); !v.empty()) return v;
  }
  if (auto v = check_view_comments(advice, script); !v.empty()) return v;
  // The commented-out drops: each, uncommented, is exactly its DROP INDEX.
  std::istringstream lines(script);
  std::string line;
  size_t drop = 0;
  while (std::getline(lines, line)) {
    if (!line.starts_with("-- DROP INDEX")) continue;
    if (drop >= advice.drops.size()) return "more commented-out drops than drop advice: " + line;
    const auto& f = advice.drops[drop++].finding;
    // Names that are not UTF-8 are escaped on comment lines, so their statements are for reading only.
    if (pg::comment_text(advisor::drop_statement(f)) != advisor::drop_statement(f)) continue;
    auto dropped = parse(line.substr(3), error);
    if (!dropped) return "an uncommented drop does not parse (" + error + "): " + line;
    json ds = statements_of(*dropped);
    if (ds.size() != 1 || node(ds[0]).first != "DropStmt") return "an uncommented drop is not one DROP: " + line;
    json d = node(ds[0]).second;
    if (d.value("removeType", "") != "OBJECT_INDEX" || d.at("objects").size() != 1 ||
        names_of(d["objects"][0]) != qualified_parts(f.schema, f.index))
      return "an uncommented drop names " + d.dump();
  }
  if (drop != advice.drops.size())
    return "commented-out drops: " + std::to_string(drop) + " of " + std::to_string(advice.drops.size());
  return {};
}

//! The rollback: the two SETs; per created view in reverse order its ownership check and DROP MATERIALIZED VIEW IF
//! EXISTS (never CASCADE); then per index in reverse order its ownership check (one per index it consists of)
//! and DROP INDEX IF EXISTS of each of them, the advised one first; CONCURRENTLY when the header asks for it, never
//! for an index of a partitioned table.
inline Verdict check_rollback_script(const advisor::Advice& advice, const advisor::ScriptHeader& header,
                                     const std::string& script) {
  std::string error;
  auto tree = parse(script, error);
  if (!tree) return "the rollback does not parse: " + error;
  json stmts = statements_of(*tree);
  size_t expected = 2;
  for (const auto& i : advice.indexes) expected += 1 + script_indexes(i).size();
  for (const auto& v : advice.views) expected += view_creatable(v) ? 2 : 0;
  if (stmts.size() != expected) {
    return "the rollback has " + std::to_string(stmts.size()) + " statements, not " + std::to_string(expected);
  }
  if (auto v = check_settings(stmts); !v.empty()) return v;
  const std::string marker = advisor::advice_marker(advice, header);
  size_t at = 2;
  for (auto it = advice.views.rbegin(); it != advice.views.rend(); ++it) {
    if (!view_creatable(*it)) continue;
    if (auto v = expect_kind(stmts, at, "DoStmt"); !v.empty()) return v;
    if (auto v = check_do(node(stmts[at]).second, 1, {marker, regclass_text(it->schema, it->name)}); !v.empty())
      return v;
    ++at;
    if (auto k = expect_kind(stmts, at, "DropStmt"); !k.empty()) return k;
    json d = node(stmts[at]).second;
    if (d.value("removeType", "") != "OBJECT_MATVIEW" || d.value("concurrent", false) ||
        !d.value("missing_ok", false) || d.value("behavior", "") == "DROP_CASCADE")
      return "not DROP MATERIALIZED VIEW IF EXISTS: " + d.dump();
    if (d.at("objects").size() != 1 || names_of(d["objects"][0]) != qualified_parts(it->schema, it->name))
      return "the rollback drops " + d.dump();
    ++at;
  }
  for (auto it = advice.indexes.rbegin(); it != advice.indexes.rend(); ++it) {
    const auto indexes = script_indexes(*it);
    if (auto v = expect_kind(stmts, at, "DoStmt"); !v.empty()) return v;
    std::vector<std::string> required{marker};
    for (const auto& x : indexes) {
      required.push_back(regclass_text(x.table.schema, x.name));
      required.push_back(regclass_text(x.table.schema, x.table.name));
    }
    auto v = check_do(node(stmts[at]).second, indexes.size(), required);
    if (!v.empty()) return v;
    ++at;
    for (const auto& x : indexes) {
      if (auto k = expect_kind(stmts, at, "DropStmt"); !k.empty()) return k;
      json d = node(stmts[at]).second;
      const bool concurrent = header.concurrently && !x.partitioned;
      if (d.value("removeType", "") != "OBJECT_INDEX" || d.value("concurrent", false) != concurrent ||
          !d.value("missing_ok", false))
        return std::string(concurrent ? "not DROP INDEX CONCURRENTLY IF EXISTS: " : "not DROP INDEX IF EXISTS: ") +
               d.dump();
      if (d.at("objects").size() != 1 || names_of(d["objects"][0]) != qualified_parts(x.table.schema, x.name))
        return "the rollback drops " + d.dump();
      ++at;
    }
  }
  return {};
}

// ---- hostile input ---------------------------------------------------------------------------------------------

//! Pieces that have broken SQL scripts, comments, quoting or display somewhere.
inline const std::vector<std::string>& hostile_pieces() {
  static const std::vector<std::string> pieces = {
      "\n",
      "\r\n",
      "\r",
      "\nDROP TABLE victim; --",
      "DROP TABLE victim;",
      "--",
      "/*",
      "*/",
      "'",
      "\"",
      "\\",
      ";",
      "$pgadvisor$",
      "$pgadvisor1$",
      "$$",
      "$",
      "\u2028",
      "\u2029",
      "\u0085",
      "\u202e",
      "\u200b",
      "\ufeff",
      "\t",
      "\x0b",
      "\x0c",
      "\x01",
      "\x1b[31m",
      "\x7f",
      "日本",
      "é",
      "U&\"",
      "E'",
      ":var",
      ":'v'",
      "\\gexec",
      "\\! rm",
      " ",
      "select",
      "user",
      "_idx",
      "a",
      "A",
      "1",
      "we ird",
      "we-ird",
      "x",
      "ééééééééééééééééééééééééééééééééé",
      "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"};
  return pieces;
}

//! A name from `pick` (pick(n) returns a number below n): one to four pieces, at most 63 bytes (as the server
//! would keep it), never empty.
inline std::string hostile_name(const std::function<size_t(size_t)>& pick) {
  const auto& pieces = hostile_pieces();
  std::string out;
  size_t count = 1 + pick(4);
  for (size_t i = 0; i < count; ++i) out += pieces[pick(pieces.size())];
  out = as_parsed(out);
  return out.empty() ? "x" : out;
}

//! Any text (plans, statements, evidence, definitions): hostile pieces, longer, NUL included.
inline std::string hostile_text(const std::function<size_t(size_t)>& pick) {
  const auto& pieces = hostile_pieces();
  std::string out;
  size_t count = pick(8);
  for (size_t i = 0; i < count; ++i) out += pick(10) == 0 ? std::string(1, '\0') : pieces[pick(pieces.size())];
  return out;
}

//! A text without NUL bytes (a value PostgreSQL text can hold).
inline std::string hostile_value(const std::function<size_t(size_t)>& pick) {
  std::string v = hostile_text(pick);
  v.erase(std::remove(v.begin(), v.end(), '\0'), v.end());
  return v;
}

//! A materialized view of hostile names, texts and values: its query an aggregate over hostile identifiers and a
//! hostile literal, or (one in six) a text that is not one SELECT, which advice.sql must not create.
inline advisor::ViewAdvice hostile_view(const std::function<size_t(size_t)>& pick) {
  advisor::ViewAdvice v;
  v.schema = pick(5) == 0 ? std::string() : hostile_name(pick);
  v.name = hostile_name(pick);
  const std::string column = hostile_name(pick);
  v.select = "SELECT " + pg::quote_identifier(column) + " AS " + pg::quote_identifier(column) +
             ", count(*) AS n FROM " + pg::quote_qualified(pick(3) == 0 ? "" : hostile_name(pick), hostile_name(pick)) +
             " WHERE " + pg::quote_identifier(hostile_name(pick)) + " = " + pg::quote_literal(hostile_value(pick)) +
             " GROUP BY " + pg::quote_identifier(column);
  if (pick(6) == 0) {
    static const std::vector<std::string> bad = {"SELECT 1; DROP TABLE victim", "SELECT 1;", "SELECT (",
                                                 "DROP TABLE victim", "SELECT 1 \nWITH DATA; DROP TABLE victim; --"};
    v.select = bad[pick(bad.size())];
  }
  v.columns = {column, "n"};
  const size_t keys = pick(3);
  for (size_t k = 0; k < keys; ++k) v.unique_key.push_back(hostile_name(pick));
  if (pick(5) != 0) v.unique_index = hostile_name(pick);
  const size_t filters = pick(3);
  for (size_t k = 0; k < filters; ++k) v.filter_columns.push_back(hostile_name(pick));
  if (pick(3) != 0) v.filter_index = hostile_name(pick);
  v.base_tables = {hostile_text(pick)};
  const size_t classes = pick(3);
  for (size_t c = 0; c < classes; ++c) {
    advisor::ViewClass vc;
    vc.fingerprint = hostile_text(pick);
    vc.text = hostile_text(pick);
    vc.rewritten = pick(3) == 0 ? std::string() : hostile_text(pick);
    if (pick(2) == 0) {
      vc.samples = {hostile_text(pick)};
      vc.rewritten_samples = {hostile_text(pick)};
    }
    vc.calls = static_cast<double>(pick(1000));
    vc.cost_before = static_cast<double>(pick(100000));
    vc.cost_after = static_cast<double>(pick(100));
    v.classes.push_back(std::move(vc));
  }
  v.estimated_rows = static_cast<double>(pick(100000));
  v.estimated_bytes = static_cast<int64_t>(pick(100000000));
  v.refresh_cost = static_cast<double>(pick(100000));
  v.refresh_every_calls = static_cast<double>(pick(1000));
  v.refresh_every_seconds = static_cast<double>(pick(3) == 0 ? 0 : pick(200000));  // every pg_cron schedule must parse
  return v;
}

//! An advice of hostile names, plans and values (its indexes named as given, not by unique_index_names), and the
//! predicate each index's WHERE must read back as.
inline std::pair<advisor::Advice, std::vector<std::optional<Predicate>>> hostile_advice(
    const std::function<size_t(size_t)>& pick) {
  advisor::Advice advice;
  std::vector<std::optional<Predicate>> predicates;
  size_t indexes = pick(4);
  for (size_t i = 0; i < indexes; ++i) {
    advisor::IndexAdvice a;
    a.index.table = {pick(5) == 0 ? std::string() : hostile_name(pick), hostile_name(pick), false};
    size_t keys = 1 + pick(3);
    for (size_t k = 0; k < keys; ++k) a.index.keys.push_back({hostile_name(pick), "", pick(3) == 0, std::nullopt});
    size_t include = pick(3);
    for (size_t k = 0; k < include; ++k) a.index.include.push_back(hostile_name(pick));
    std::optional<Predicate> predicate;
    if (pick(2) == 0) {
      // What the analyzer's deparser writes: a quoted column and a literal, the literal's line breaks raw.
      predicate = Predicate{hostile_name(pick), hostile_text(pick)};
      predicate->value.erase(std::remove(predicate->value.begin(), predicate->value.end(), '\0'),
                             predicate->value.end());
      a.index.predicate = pg::quote_identifier(predicate->column) + " = " + pg::quote_literal(predicate->value);
    }
    predicates.push_back(predicate);
    a.index.assigned_name = hostile_name(pick);
    if (pick(3) == 0) {
      // On a partitioned table: partitions at any depth, some partitioned themselves (a parent always earlier).
      a.on_partitioned_table = true;
      size_t partitions = pick(5);
      for (size_t p = 0; p < partitions; ++p) {
        advisor::PartitionIndex partition;
        partition.table = {pick(5) == 0 ? std::string() : hostile_name(pick), hostile_name(pick), false};
        partition.name = hostile_name(pick);
        partition.partitioned = pick(3) == 0;
        std::vector<int> parents{-1};
        for (size_t q = 0; q < a.partitions.size(); ++q) {
          if (a.partitions[q].partitioned) parents.push_back(static_cast<int>(q));
        }
        partition.parent = parents[pick(parents.size())];
        a.partitions.push_back(std::move(partition));
      }
    }
    size_t queries = pick(3);
    for (size_t q = 0; q < queries; ++q) {
      a.queries.push_back({hostile_text(pick), 1, 10, 1, hostile_text(pick), hostile_text(pick)});
    }
    advice.indexes.push_back(std::move(a));
  }
  size_t drops = pick(3);
  for (size_t i = 0; i < drops; ++i) {
    advisor::DropAdvice d;
    d.finding.problem = static_cast<analyzer::IndexProblem>(pick(4));
    d.finding.schema = hostile_name(pick);
    d.finding.table = hostile_name(pick);
    d.finding.index = hostile_name(pick);
    d.finding.definition = hostile_text(pick);
    d.finding.covered_by = hostile_name(pick);
    d.finding.partitioned = pick(3) == 0;
    d.evidence = hostile_text(pick);
    advice.drops.push_back(std::move(d));
  }
  size_t views = pick(3);
  for (size_t i = 0; i < views; ++i) advice.views.push_back(hostile_view(pick));
  advice.classes = pick(100);
  advice.cost_before = static_cast<double>(pick(100000));
  return {std::move(advice), std::move(predicates)};
}

}  // namespace pgadvisor::test::oracle
