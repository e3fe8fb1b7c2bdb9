// shadow create: schema by pg_dump/pg_restore (pre-data before the rows, post-data after: indexes and foreign
// keys are built once, on the final rows), rows by COPY streamed through libpq, sampling that keeps foreign keys
// consistent, sequence positions, ANALYZE. Refuses a target that is the source, a template database, `postgres`,
// or a database with user relations that is not already a shadow. Every statement built from a name is made by
// shadow_sql.hpp (pg::fill_template with quoted fragments only).
#include "shadow/shadow_copy.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "pg/client_tools.hpp"
#include "pg/dsn.hpp"
#include "pg/quote.hpp"
#include "pg/temp_file.hpp"
#include "shadow/shadow_sql.hpp"
#include "sql/embedded.hpp"

namespace pgadvisor::shadow {
namespace {

using shadow_sql::Relation;

std::string last_lines(const std::string& text, size_t n) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) lines.push_back(line);
  }
  std::string out;
  for (size_t i = lines.size() > n ? lines.size() - n : 0; i < lines.size(); ++i)
    out += (out.empty() ? "" : " | ") + lines[i];
  return out;
}

void run_tool(const std::string& program, const std::vector<std::string>& args,
              const std::vector<std::string>& environment) {
  auto result = pg::run_client_tool(program, args, environment);
  if (result.exit_code != 0) {
    throw std::runtime_error(
        fmt::format("{} failed (exit {}): {}", program, result.exit_code, last_lines(result.combined(), 3)));
  }
}

struct SourceTable {
  std::string schema;
  std::string name;
  std::vector<std::string> columns;
  int64_t bytes = 0;
  int64_t rows_estimate = 0;
  // Quoted, so that "a.b"."c" and "a"."b.c" are two tables.
  std::string key() const { return pg::quote_qualified(schema, name); }
  Relation relation() const { return {schema, name}; }
};

std::vector<std::string> json_names(const std::string& text) {
  std::vector<std::string> out;
  for (const auto& v : nlohmann::json::parse(text)) out.push_back(v.get<std::string>());
  return out;
}

std::vector<SourceTable> list_tables(pg::Connection& conn) {
  auto r = conn.query(sql::text("shadow/tables"));
  std::vector<SourceTable> out;
  out.reserve(static_cast<size_t>(r.rows()));
  for (int i = 0; i < r.rows(); ++i) {
    out.push_back({r.get<std::string>(i, "schema"), r.get<std::string>(i, "name"),
                   json_names(r.get<std::string>(i, "columns")), r.get<int64_t>(i, "bytes"),
                   r.get<int64_t>(i, "estimated_rows")});
  }
  return out;
}

struct ForeignKey {
  std::string child;  // keys of SourceTable::key()
  std::string parent;
  Relation child_table;
  Relation parent_table;
  std::vector<std::string> child_columns;
  std::vector<std::string> parent_columns;
};

std::vector<ForeignKey> list_foreign_keys(pg::Connection& conn) {
  auto r = conn.query(sql::text("shadow/foreign_keys"));
  std::vector<ForeignKey> out;
  for (int i = 0; i < r.rows(); ++i) {
    auto cs = r.get<std::string>(i, "child_schema");
    auto ct = r.get<std::string>(i, "child_table");
    auto ps = r.get<std::string>(i, "parent_schema");
    auto pt = r.get<std::string>(i, "parent_table");
    out.push_back({pg::quote_qualified(cs, ct),
                   pg::quote_qualified(ps, pt),
                   {cs, ct},
                   {ps, pt},
                   json_names(r.get<std::string>(i, "child_columns")),
                   json_names(r.get<std::string>(i, "parent_columns"))});
  }
  return out;
}

// Parents before children (Kahn's algorithm; self-references ignored, the tables of a cycle in name order).
std::vector<size_t> parents_first(const std::vector<SourceTable>& tables, const std::vector<ForeignKey>& fks) {
  std::map<std::string, size_t> index;
  for (size_t i = 0; i < tables.size(); ++i) index[tables[i].key()] = i;
  std::vector<std::set<size_t>> parents(tables.size());
  for (const auto& fk : fks) {
    auto c = index.find(fk.child);
    auto p = index.find(fk.parent);
    if (c != index.end() && p != index.end() && c->second != p->second) parents[c->second].insert(p->second);
  }
  std::vector<size_t> order;
  std::vector<bool> placed(tables.size(), false);
  while (order.size() < tables.size()) {
    bool progress = false;
    for (size_t i = 0; i < tables.size(); ++i) {
      if (placed[i]) continue;
      if (std::all_of(parents[i].begin(), parents[i].end(), [&](size_t p) { return placed[p]; })) {
        placed[i] = true;
        order.push_back(i);
        progress = true;
      }
    }
    if (!progress) {  // a cycle: take the first table left
      for (size_t i = 0; i < tables.size(); ++i) {
        if (!placed[i]) {
          placed[i] = true;
          order.push_back(i);
          break;
        }
      }
    }
  }
  return order;
}

// The source's oids of the relations in a dump's table of contents ("<id>; <tableoid> <oid> <kind> <schema> <name>
// <owner>", pg_class's entries have tableoid 1259). Only the numbers are read: pg_restore prints names with their
// newlines replaced by spaces, so a name there is ambiguous.
std::vector<std::string> dumped_relation_oids(const std::string& dump) {
  auto list = pg::run_client_tool("pg_restore", {"--list", dump});
  if (list.exit_code != 0) {
    throw std::runtime_error(
        fmt::format("pg_restore --list failed (exit {}): {}", list.exit_code, last_lines(list.combined(), 3)));
  }
  std::vector<std::string> oids;
  std::istringstream in(list.out);  // stdout only: stderr warnings are not entries
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == ';') continue;
    std::istringstream words(line);
    std::string id;
    std::string tableoid;
    std::string oid;
    words >> id >> tableoid >> oid;
    bool numeric = !oid.empty() && std::all_of(oid.begin(), oid.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (id.ends_with(';') && tableoid == "1259" && numeric) oids.push_back(oid);
  }
  return oids;
}

// The schemas of a dump of selected tables (-t), which pg_dump does not create: asked of the source by oid.
std::vector<std::string> dumped_schemas(pg::Connection& source, const std::string& dump) {
  auto oids = dumped_relation_oids(dump);
  std::string array = "{";
  for (const auto& oid : oids) array += (array.size() > 1 ? "," : "") + oid;
  array += "}";
  auto r = source.query(sql::text("shadow/relation_schemas"), array);
  std::vector<std::string> schemas;
  schemas.reserve(static_cast<size_t>(r.rows()));
  for (int i = 0; i < r.rows(); ++i) schemas.push_back(r.get<std::string>(i, "schema"));
  return schemas;
}

// Databases that are never a shadow, whatever they hold: templates are copied by every CREATE DATABASE, and
// `postgres` is the server's maintenance database.
std::optional<std::string> system_database_reason(std::string_view name, bool is_template) {
  if (is_template || name == "template0" || name == "template1") {
    return "it is a template database (every CREATE DATABASE copies its contents)";
  }
  if (name == "postgres") return "it is the server's maintenance database";
  return std::nullopt;
}

}  // namespace

std::string shadow_mark(const pg::DatabaseIdentity& id) {
  return (id.system_identifier ? *id.system_identifier : "port " + std::to_string(id.port)) + "/" + id.database;
}

ShadowCandidate database_identity(pg::Connection& conn) {
  auto r = conn.query(sql::text("shadow/identity"));
  return ShadowCandidate{pg::identity_from_row(r, 0, conn), r.get_optional<std::string>(0, "shadow_of"),
                         r.get<bool>(0, "is_template"), r.get<bool>(0, "sandbox")};
}

void check_shadow(const ShadowCandidate& shadow, const std::optional<pg::DatabaseIdentity>& source) {
  if (source && shadow.same_database_as(*source)) {
    throw ShadowRefused(fmt::format(
        "refusing to use {} as the shadow: it is the source database itself (same system identifier and database); "
        "create a shadow with `pgadvisor shadow create --from SOURCE --target DSN` and pass that",
        shadow_mark(shadow)));
  }
  if (auto reason = system_database_reason(shadow.database, shadow.is_template)) {
    throw ShadowRefused(
        fmt::format("refusing to use database {} as the shadow: {}; create a shadow with "
                    "`pgadvisor shadow create --from SOURCE --target DSN` and pass that",
                    shadow.database, *reason));
  }
  if (!shadow.shadow_of) {
    throw ShadowRefused(fmt::format(
        "refusing to use database {} as the shadow: it is not a pgadvisor shadow (no pgadvisor.shadow_of mark), so it "
        "may be a real database; create one with `pgadvisor shadow create --from SOURCE --target DSN`",
        shadow.database));
  }
  if (*shadow.shadow_of == shadow_mark(shadow)) {
    throw ShadowRefused(
        fmt::format("refusing to use database {}: its shadow mark names itself as its source", shadow.database));
  }
}

void check_apply_target(const ShadowCandidate& target) {
  if (auto reason = system_database_reason(target.database, target.is_template)) {
    throw ShadowRefused(fmt::format("refusing to run the advice on database {}: {}", target.database, *reason));
  }
  if (target.sandbox) return;
  if (!target.shadow_of) {
    throw ShadowRefused(fmt::format(
        "refusing to run the advice on database {}: it is neither a pgadvisor shadow (no pgadvisor.shadow_of mark) "
        "nor a database of the sandbox, so it may be the source; run advice.sql there yourself after review, or "
        "advise on a shadow (`pgadvisor shadow create --from SOURCE --target DSN`) with --apply",
        target.database));
  }
  check_shadow(target);
}

ShadowCopyReport create_shadow(const ShadowCopyOptions& o) {
  auto started = std::chrono::steady_clock::now();
  ShadowCopyReport report;
  report.source = pg::redact_dsn(o.source_dsn);
  report.target = pg::redact_dsn(o.target_dsn);

  auto target_db = pg::dsn_database(o.target_dsn);
  if (!target_db) {
    throw ShadowRefused("name the shadow's database in --target (e.g. \"host=… dbname=shop_shadow\")");
  }
  auto refuse_system_database = [&](bool is_template) {
    if (auto reason = system_database_reason(*target_db, is_template)) {
      throw ShadowRefused(
          fmt::format("refusing to copy into database {}: {}; name a new database in --target, "
                      "e.g. dbname=shop_shadow",
                      *target_db, *reason));
    }
  };
  refuse_system_database(false);
  auto source = pg::Connection::open(o.source_dsn, pg::SessionOptions::source(std::chrono::hours(6)));
  // The report keeps who the source is; its shadow mark and flags are not the report's.
  report.source_identity = static_cast<const pg::DatabaseIdentity&>(database_identity(source));
  const auto& source_id = report.source_identity;

  auto admin = pg::Connection::open(pg::dsn_with_database(o.target_dsn, "postgres"));
  ShadowCandidate target_id = database_identity(admin);
  target_id.database = *target_db;
  target_id.shadow_of.reset();
  if (target_id.same_database_as(source_id)) {
    throw ShadowRefused(
        fmt::format("refusing to copy into {}: the target is the source database itself (same system identifier and "
                    "database); name another database in --target, e.g. dbname={}_shadow",
                    shadow_mark(source_id), source_id.database));
  }

  auto create = [&] { admin.query(shadow_sql::create_database(*target_db)); };
  auto present = admin.query(sql::text("shadow/database_exists"), *target_db);
  if (present.get<bool>(0, "present")) {
    refuse_system_database(present.get<bool>(0, "is_template"));
    ShadowCandidate existing;
    int64_t relations = 0;
    {
      auto t = pg::Connection::open(o.target_dsn);
      existing = database_identity(t);
      relations = t.query(sql::text("shadow/user_table_count")).get<int64_t>(0, 0);
    }
    if (existing.shadow_of) {
      if (!o.replace) {
        throw ShadowRefused(
            fmt::format("the shadow database {} already exists (a shadow of {}); pass --replace to "
                        "drop and recreate it",
                        *target_db, *existing.shadow_of));
      }
      admin.query(shadow_sql::drop_database(*target_db));
      create();
      report.replaced = true;
    } else if (relations > 0) {
      throw ShadowRefused(
          fmt::format("refusing to copy into database {}: it holds {} table(s), view(s) or sequence(s) and is not a "
                      "pgadvisor shadow; name a new database in --target",
                      *target_db, relations));
    }
  } else {
    create();
  }
  admin.query(shadow_sql::mark_database(*target_db, shadow_mark(source_id)));

  // Schema: one dump, restored in two sections around the rows.
  pg::TempFile dump("pgadvisor-shadow-");  // the schema dump between pg_dump and pg_restore
  std::vector<std::string> dump_args{"--schema-only", "--format=custom", "--file=" + dump.path()};
  for (const auto& t : o.tables) dump_args.push_back("--table=" + t);
  // Passwords travel in the environment, never on a command line.
  auto source_tool = pg::tool_connection(o.source_dsn);
  if (!o.source_dsn.empty()) dump_args.push_back("--dbname=" + source_tool.dbname);
  run_tool("pg_dump", dump_args, source_tool.environment);

  auto target = pg::Connection::open(o.target_dsn);
  if (!o.tables.empty()) {
    for (const auto& schema : dumped_schemas(source, dump.path())) target.query(shadow_sql::create_schema(schema));
  }
  auto restore = [&](const std::string& section) {
    std::vector<std::string> args{"--section=" + section, "--no-owner", "--no-privileges", "--exit-on-error"};
    auto target_tool = pg::tool_connection(o.target_dsn);
    if (!o.target_dsn.empty()) args.push_back("--dbname=" + target_tool.dbname);
    args.push_back(dump.path());
    run_tool("pg_restore", args, target_tool.environment);
  };
  restore("pre-data");

  // Rows: the source's tables that the shadow now has, parents first.
  std::set<std::string> in_shadow;
  for (const auto& t : list_tables(target)) in_shadow.insert(t.key());
  std::vector<SourceTable> tables;
  for (auto& t : list_tables(source)) {
    if (in_shadow.contains(t.key())) tables.push_back(std::move(t));
  }
  std::vector<ForeignKey> fks;
  for (auto& fk : list_foreign_keys(source)) {
    if (in_shadow.contains(fk.child) && in_shadow.contains(fk.parent)) fks.push_back(std::move(fk));
  }

  std::set<std::string> cut;  // tables holding fewer rows than the source: sampled or filtered
  std::map<std::string, size_t> report_index;
  for (size_t i : parents_first(tables, fks)) {
    const auto& t = tables[i];
    CopiedTable copied{t.schema + "." + t.name, t.bytes, t.rows_estimate};
    bool parent_cut = std::any_of(fks.begin(), fks.end(), [&](const ForeignKey& fk) {
      return fk.child == t.key() && fk.parent != t.key() && cut.contains(fk.parent);
    });
    copied.filtered = parent_cut;
    copied.sampled = !parent_cut && o.sample_percent < 100 && t.bytes >= o.sample_min_bytes;
    if (copied.sampled || copied.filtered) cut.insert(t.key());
    if (!t.columns.empty()) {  // a table without columns has no rows COPY could write
      std::string out = copied.sampled ? shadow_sql::copy_out_sample(t.relation(), t.columns, o.sample_percent)
                                       : shadow_sql::copy_out(t.relation(), t.columns);
      copied.rows = source.copy_into(out, target, shadow_sql::copy_in(t.relation(), t.columns));
    }
    report_index[t.key()] = report.tables.size();
    report.tables.push_back(copied);
  }

  // Foreign keys of cut parents: remove orphans until none are left (a removal can orphan grandchildren).
  for (bool removed = true; removed;) {
    removed = false;
    for (const auto& fk : fks) {
      if (!cut.contains(fk.parent)) continue;
      if (fk.child_columns.empty() || fk.child_columns.size() != fk.parent_columns.size()) continue;
      int64_t n =
          target.query(shadow_sql::delete_orphans(fk.child_table, fk.child_columns, fk.parent_table, fk.parent_columns))
              .affected_rows();
      if (n > 0) {
        removed = true;
        auto& t = report.tables[report_index[fk.child]];
        t.orphans_removed += n;
        t.rows -= n;
      }
    }
  }

  auto sequences = source.query(sql::text("shadow/sequences"));
  for (int i = 0; i < sequences.rows(); ++i) {
    auto name = pg::quote_qualified(sequences.get<std::string>(i, "schema"), sequences.get<std::string>(i, "name"));
    auto set = target.query(sql::text("shadow/set_sequence"), name, sequences.get<int64_t>(i, "last_value"));
    if (!set.is_null(0, 0)) ++report.sequences;
  }

  restore("post-data");
  target.query(sql::text("shadow/analyze"));
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return report;
}

}  // namespace pgadvisor::shadow
