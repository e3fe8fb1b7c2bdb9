// Hostile names through every statement built from a template (shadow create, bench, snapshot), with libpg_query
// as the oracle: the rendered text parses into exactly one statement of the intended kind, whose parse tree is the
// tree of the same statement built from plain names, with each plain name replaced by its hostile one.
#include "shadow/shadow_sql.hpp"

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "../../analyzer/src/pg_query_adapter.hpp"
#include "analyzer/split_mix64.hpp"
#include "analyzer/statement.hpp"
#include "collector/snapshot_sql.hpp"
#include "pg/quote.hpp"
#include "shadow/shadow_copy.hpp"

namespace sql = pgadvisor::shadow::shadow_sql;
using nlohmann::json;
using pgadvisor::analyzer::StatementKind;

namespace {

// Pieces that break naive quoting: newlines, quotes, statement ends, comments, escapes, dollar quotes, placeholders,
// pattern characters, multibyte UTF-8, and a whole payload.
const char* const kPieces[] = {"\n",
                               "\r\n",
                               "'",
                               "''",
                               "\"",
                               "\"\"",
                               ";",
                               "--",
                               "/*",
                               "*/",
                               "\\",
                               "\\'",
                               "$$",
                               "$z$",
                               "{table}",
                               "{columns}",
                               "{",
                               "}",
                               ".",
                               "*",
                               "?",
                               "%",
                               "\t",
                               " ",
                               "E'",
                               "é",
                               "名",
                               "\xF0\x9F\x98\x80",
                               "a",
                               "Z",
                               "0",
                               "_",
                               "COPY (SELECT 1) TO PROGRAM 'id'",
                               ") TO PROGRAM 'touch x' --",
                               "\nCOPY (SELECT $z$",
                               "DROP DATABASE postgres;"};

// A name of 1 to 63 bytes (PostgreSQL's identifier limit: longer ones are truncated) with at least one hostile
// piece; exactly 63 bytes now and then.
std::string hostile_name(pgadvisor::analyzer::SplitMix64& rng) {
  size_t target = rng.chance(20) ? 63 : 1 + rng.below(63);
  std::string name = rng.pick(kPieces);
  while (name.size() > 63) name = rng.pick(kPieces);
  for (int tries = 0; name.size() < target && tries < 200; ++tries) {
    std::string piece = rng.pick(kPieces);
    if (name.size() + piece.size() <= target) name += piece;
  }
  while (name.size() < target) name += 'x';
  return name;
}

// The parse tree without positions (they differ with the names' lengths).
json without_locations(json tree) {
  if (tree.is_object()) {
    json out = json::object();
    for (auto& [key, value] : tree.items()) {
      if (key != "location" && key != "stmt_location" && key != "stmt_len") out[key] = without_locations(value);
    }
    return out;
  }
  if (tree.is_array()) {
    json out = json::array();
    for (auto& value : tree) out.push_back(without_locations(value));
    return out;
  }
  return tree;
}

// The parse tree as libpg_query's JSON, or nullopt when the text does not parse.
std::optional<json> parse_tree(const std::string& text) {
  auto parsed = pgadvisor::analyzer::pg_query_adapter::parse_json(text);
  if (!parsed.value) return std::nullopt;
  return without_locations(json::parse(*parsed.value));
}

json renamed(json tree, const std::map<std::string, std::string>& names) {
  if (tree.is_string()) {
    auto it = names.find(tree.get<std::string>());
    return it != names.end() ? json(it->second) : tree;
  }
  if (tree.is_object() || tree.is_array()) {
    for (auto& value : tree) value = renamed(value, names);
  }
  return tree;
}

// One statement built twice: from plain names and from hostile ones (same slots).
struct Rendering {
  std::string plain;
  std::string hostile;
  std::map<std::string, std::string> hostile_to_plain;
};

// Empty when the hostile rendering is exactly one statement of `kind` whose parse tree is the plain rendering's with
// the plain names replaced by the hostile ones; otherwise what differs.
std::string difference(const Rendering& r, StatementKind kind) {
  if (pgadvisor::analyzer::split_statements(r.hostile).size() != 1) return "not one statement";
  if (pgadvisor::analyzer::kind_from_parse_tree(r.hostile) != kind) return "another kind of statement";
  auto hostile = parse_tree(r.hostile);
  auto plain = parse_tree(r.plain);
  if (!hostile || !plain) return "does not parse";
  if ((*hostile)["stmts"].size() != 1) return "not one statement";
  if (renamed(*hostile, r.hostile_to_plain) != *plain) return "another parse tree: " + hostile->dump();
  return {};
}

void check_rendering(const Rendering& r, StatementKind kind) {
  INFO("hostile rendering:\n" << r.hostile);
  CHECK(difference(r, kind) == "");
}

// Slots of names: plain "n0", "n1"… and hostile ones, distinct, none equal to a plain one.
class Names {
 public:
  explicit Names(pgadvisor::analyzer::SplitMix64& rng) : rng_(rng) {}
  std::pair<std::string, std::string> next() {
    std::string plain = "n" + std::to_string(plain_.size());
    std::string hostile;
    do {
      hostile = hostile_name(rng_);
    } while (map_.count(hostile) != 0 || hostile.size() < 2);
    plain_.push_back(plain);
    hostile_.push_back(hostile);
    map_[hostile] = plain;
    return {plain, hostile};
  }
  std::vector<std::string> plain_list(size_t from) const { return {plain_.begin() + from, plain_.end()}; }
  std::vector<std::string> hostile_list(size_t from) const { return {hostile_.begin() + from, hostile_.end()}; }
  size_t size() const { return plain_.size(); }
  const std::map<std::string, std::string>& map() const { return map_; }

 private:
  pgadvisor::analyzer::SplitMix64& rng_;
  std::vector<std::string> plain_;
  std::vector<std::string> hostile_;
  std::map<std::string, std::string> map_;
};

}  // namespace

TEST_CASE("hostile names stay one quoted name in every filled template", "[shadow][sql_template]") {
  pgadvisor::analyzer::SplitMix64 rng(20261203);
  for (int round = 0; round < 150; ++round) {
    Names names(rng);
    auto [db, hostile_db] = names.next();
    auto [schema, hostile_schema] = names.next();
    auto [table, hostile_table] = names.next();
    auto [parent_schema, hostile_parent_schema] = names.next();
    auto [parent, hostile_parent] = names.next();
    size_t first_column = names.size();
    size_t columns = 1 + rng.below(3);
    for (size_t i = 0; i < columns; ++i) names.next();
    auto plain_columns = names.plain_list(first_column);
    auto hostile_columns = names.hostile_list(first_column);
    size_t first_parent_column = names.size();
    for (size_t i = 0; i < columns; ++i) names.next();
    auto plain_parent_columns = names.plain_list(first_parent_column);
    auto hostile_parent_columns = names.hostile_list(first_parent_column);
    const auto& map = names.map();
    sql::Relation plain_rel{schema, table}, hostile_rel{hostile_schema, hostile_table};
    sql::Relation plain_parent{parent_schema, parent}, hostile_parent_rel{hostile_parent_schema, hostile_parent};
    // The source key is a literal: any text, here a hostile name as a database.
    std::string plain_key = "7710853873937079485/" + db;
    std::string hostile_key = "7710853873937079485/" + hostile_db;
    auto with_key = map;
    with_key[hostile_key] = plain_key;
    INFO("round " << round);

    check_rendering({sql::create_database(db), sql::create_database(hostile_db), map}, StatementKind::Ddl);
    check_rendering({sql::drop_database(db), sql::drop_database(hostile_db), map}, StatementKind::Ddl);
    check_rendering({sql::mark_database(db, plain_key), sql::mark_database(hostile_db, hostile_key), with_key},
                    StatementKind::Ddl);
    check_rendering({sql::create_schema(schema), sql::create_schema(hostile_schema), map}, StatementKind::Ddl);
    check_rendering({sql::copy_out(plain_rel, plain_columns), sql::copy_out(hostile_rel, hostile_columns), map},
                    StatementKind::Copy);
    check_rendering({sql::copy_out_sample(plain_rel, plain_columns, 12.5),
                     sql::copy_out_sample(hostile_rel, hostile_columns, 12.5), map},
                    StatementKind::Copy);
    check_rendering({sql::copy_in(plain_rel, plain_columns), sql::copy_in(hostile_rel, hostile_columns), map},
                    StatementKind::Copy);
    check_rendering(
        {sql::delete_orphans(plain_rel, plain_columns, plain_parent, plain_parent_columns),
         sql::delete_orphans(hostile_rel, hostile_columns, hostile_parent_rel, hostile_parent_columns), map},
        StatementKind::Delete);
    check_rendering({sql::analyze_table(plain_rel), sql::analyze_table(hostile_rel), map}, StatementKind::Maintenance);
    check_rendering({sql::drop_index(plain_rel), sql::drop_index(hostile_rel), map}, StatementKind::Ddl);
    const std::string view_query = "SELECT count(*) AS count FROM orders GROUP BY status";
    check_rendering({sql::create_materialized_view(plain_rel, view_query),
                     sql::create_materialized_view(hostile_rel, view_query), map},
                    StatementKind::Ddl);
    for (bool unique : {true, false}) {
      check_rendering({sql::create_view_index(plain_rel, plain_columns, unique),
                       sql::create_view_index(hostile_rel, hostile_columns, unique), map},
                      StatementKind::Ddl);
    }
    check_rendering({sql::refresh_materialized_view(plain_rel), sql::refresh_materialized_view(hostile_rel), map},
                    StatementKind::Maintenance);
    check_rendering({sql::drop_materialized_view(plain_rel), sql::drop_materialized_view(hostile_rel), map},
                    StatementKind::Ddl);
    check_rendering({sql::count_rows(plain_rel), sql::count_rows(hostile_rel), map}, StatementKind::Select);
    check_rendering({pgadvisor::collector::statements_query(schema, plain_columns),
                     pgadvisor::collector::statements_query(hostile_schema, hostile_columns), map},
                    StatementKind::Select);
    check_rendering({pgadvisor::collector::statements_info_query(schema),
                     pgadvisor::collector::statements_info_query(hostile_schema), map},
                    StatementKind::Select);
  }
}

TEST_CASE("the payload of the issue stays a table name", "[shadow][sql_template]") {
  // A schema and table whose names, pasted into the old templates' leading comment, made copy_in run
  // COPY (SELECT '…') TO PROGRAM on the target.
  sql::Relation hostile{"\nCOPY (SELECT $z$", ") TO PROGRAM 'touch /tmp/pwned' --"};
  std::vector<std::string> columns{"a\nCOPY (SELECT 1) TO PROGRAM 'id > pwned.txt'--", "*/--"};
  std::map<std::string, std::string> map{
      {hostile.schema, "s"}, {hostile.name, "t"}, {columns[0], "c0"}, {columns[1], "c1"}};
  check_rendering({sql::copy_in({"s", "t"}, {"c0", "c1"}), sql::copy_in(hostile, columns), map}, StatementKind::Copy);
  check_rendering({sql::copy_out({"s", "t"}, {"c0", "c1"}), sql::copy_out(hostile, columns), map}, StatementKind::Copy);
}

TEST_CASE("the oracle tells the old filler's rendering of the payload from a COPY of the table", "[shadow]") {
  // The old copy_in template named its placeholders in a comment, and the old filler replaced them there too.
  std::string old_template =
      "-- A template: {table} and {columns} as in copy_out.\nCOPY {table} ({columns}) FROM STDIN\n";
  auto replace_all = [](std::string text, const std::string& key, const std::string& value) {
    for (size_t at = text.find(key); at != std::string::npos; at = text.find(key, at + value.size())) {
      text.replace(at, key.size(), value);
    }
    return text;
  };
  sql::Relation hostile{"\nCOPY (SELECT $z$", ") TO PROGRAM 'touch /tmp/pwned' --"};
  std::string old_rendering =
      replace_all(replace_all(old_template, "{table}", pgadvisor::pg::quote_qualified(hostile.schema, hostile.name)),
                  "{columns}", "id");
  std::map<std::string, std::string> map{{hostile.schema, "s"}, {hostile.name, "t"}};
  auto old = difference({sql::copy_in({"s", "t"}, {"id"}), old_rendering, map}, StatementKind::Copy);
  CHECK_THAT(old, Catch::Contains("another parse tree") && Catch::Contains("\"is_program\":true"));
  CHECK(difference({sql::copy_in({"s", "t"}, {"id"}), sql::copy_in(hostile, {"id"}), map}, StatementKind::Copy) == "");
}

TEST_CASE("a template database or postgres is never a shadow, even marked", "[shadow]") {
  using pgadvisor::shadow::check_shadow;
  using pgadvisor::shadow::ShadowCandidate;
  using pgadvisor::shadow::ShadowRefused;
  ShadowCandidate shadow;
  shadow.system_identifier = "1";
  shadow.database = "shop_shadow";
  shadow.shadow_of = "1/shop";
  CHECK_NOTHROW(check_shadow(shadow));
  for (const char* name : {"postgres", "template0", "template1"}) {
    shadow.database = name;
    INFO(name);
    CHECK_THROWS_AS(check_shadow(shadow), ShadowRefused);
  }
  shadow.database = "my_template";
  shadow.is_template = true;
  CHECK_THROWS_WITH(check_shadow(shadow), Catch::Contains("refusing to use database my_template as the shadow") &&
                                              Catch::Contains("template database"));
}
