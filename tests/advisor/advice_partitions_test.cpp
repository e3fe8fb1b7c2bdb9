// Table kinds end to end on the sandbox: an index advised on a range-partitioned table with a hash-partitioned
// partition (hostile names everywhere) is costed with HypoPG on the partitioned table and sized over its leaves,
// and advice.sql, piped through psql -v ON_ERROR_STOP=1, builds it ON ONLY and partition by partition into valid
// indexes that its rollback removes, also after a run that stopped halfway, and with --non-concurrently without
// touching a partition's own index; a materialized view is indexed like a table; a foreign table (file_fdw) gets no
// index and its class is reported, not planned. Without a server: advice_table_kinds_test.cpp, ddl_script_test.cpp.
#include <algorithm>
#include <fstream>
#include <map>

#include <catch2/catch.hpp>

#include "advisor/advice.hpp"
#include "advisor/advice_json.hpp"
#include "advisor/ddl_script.hpp"
#include "advisor/hypopg_cost_model.hpp"
#include "collector/catalog_snapshot.hpp"
#include "live_advice.hpp"
#include "pg/connection.hpp"
#include "pg/quote.hpp"
#include "pg/sandbox.hpp"
#include "sandbox_psql.hpp"
#include "test_support.hpp"

using namespace pgadvisor;
using namespace pgadvisor::advisor;
using test::advise_on;
using test::definitions;

namespace {

std::string dsn() { return pg::Sandbox(test::sandbox_dir()).dsn(); }

// Names with a quote, a semicolon, a backslash and a line break: the schema, the partitioned table and partitions.
const std::string kSchema = "Part \"Q\"; 1";
const std::string kEvents = "Ev\\ents";
const std::string k2024 = "ev_2024\nDROP TABLE x; --";  // partitioned by hash in turn
const std::string kHash0 = "h0;";
const std::string kHash1 = "h 1'";
const std::string k2025 = "ev_2025";
const std::string kDefault = "ev_default";

std::string q(const std::string& name) { return pg::quote_qualified(kSchema, name); }

// 400,000 events over three years: tenant 20,000 values; v unique. Only the leaves are analyzed, as autovacuum
// would leave them (it never analyzes a partitioned table).
void make_partitions() {
  auto admin = pg::Connection::open(dsn());
  admin.query("DROP SCHEMA IF EXISTS " + pg::quote_identifier(kSchema) + " CASCADE");
  admin.query("CREATE SCHEMA " + pg::quote_identifier(kSchema));
  admin.query(
      "CREATE TABLE " + q(kEvents) +
      " (id bigint NOT NULL, tenant int NOT NULL, day date NOT NULL, v text NOT NULL) PARTITION BY RANGE (day)");
  admin.query("CREATE TABLE " + q(k2024) + " PARTITION OF " + q(kEvents) +
              " FOR VALUES FROM ('2024-01-01') TO ('2025-01-01') PARTITION BY HASH (tenant)");
  admin.query("CREATE TABLE " + q(kHash0) + " PARTITION OF " + q(k2024) + " FOR VALUES WITH (MODULUS 2, REMAINDER 0)");
  admin.query("CREATE TABLE " + q(kHash1) + " PARTITION OF " + q(k2024) + " FOR VALUES WITH (MODULUS 2, REMAINDER 1)");
  admin.query("CREATE TABLE " + q(k2025) + " PARTITION OF " + q(kEvents) +
              " FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')");
  admin.query("CREATE TABLE " + q(kDefault) + " PARTITION OF " + q(kEvents) + " DEFAULT");
  admin.query("INSERT INTO " + q(kEvents) +
              " SELECT g, (g::bigint * 7919) % 20000, date '2024-01-01' + g % 1000, 'v' || g"
              " FROM generate_series(1, 400000) AS g");
  for (const auto& leaf : {kHash0, kHash1, k2025, kDefault}) admin.query("VACUUM ANALYZE " + q(leaf));
}

struct Scripts {
  test::TempDir dir;
  std::string advice() const { return (dir.path() / "advice.sql").string(); }
  std::string rollback() const { return (dir.path() / "advice.rollback.sql").string(); }
  void write(const Advice& a, bool concurrently = true) const {
    ScriptHeader header{"sandbox", "2026-12-07T12:00:00Z", concurrently};
    std::ofstream(advice()) << advice_script(a, header);
    std::ofstream(rollback()) << rollback_script(a, header);
  }
};

// name -> indisvalid of every index in the schema.
std::map<std::string, bool> indexes(pg::Connection& admin, const std::string& schema) {
  auto r = admin.query(
      "SELECT c.relname, x.indisvalid FROM pg_index x JOIN pg_class c ON c.oid = x.indexrelid "
      "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1",
      schema);
  std::map<std::string, bool> out;
  for (int i = 0; i < r.rows(); ++i) out[r.get<std::string>(i, 0)] = r.get<bool>(i, 1);
  return out;
}

// The advised index and its partitions' names.
std::vector<std::string> names_of(const IndexAdvice& index) {
  std::vector<std::string> out{index.index.name()};
  for (const auto& p : index.partitions) out.push_back(p.name);
  return out;
}

}  // namespace

TEST_CASE("HypoPG on a partitioned table: used on every partition, sized over the leaves",
          "[advisor][hypopg][partitions][live]") {
  make_partitions();
  auto session = pg::Connection::open(dsn(), pg::SessionOptions::source());
  HypoPGCostModel model(session);
  IndexCandidate on_events;
  on_events.table = {kSchema, kEvents, false};
  on_events.keys = {{"tenant", "", false, std::nullopt}};
  WorkloadQuery query{"q", "SELECT * FROM " + q(kEvents) + " WHERE tenant = 42", 1, {on_events.table}};
  auto bare = model.explain(query, {});
  auto indexed = model.explain(query, Configuration{on_events});
  INFO(bare.summary << "\n" << indexed.summary);
  CHECK(indexed.total_cost < bare.total_cost / 10);
  // tenant 42 hashes into one of the 2024 partitions; 2025 and the default partition have it too: three scans, each
  // with the index.
  CHECK(indexed.summary.find("Seq Scan") == std::string::npos);
  size_t uses = 0;
  for (size_t at = indexed.summary.find("using " + on_events.name()); at != std::string::npos;
       at = indexed.summary.find("using " + on_events.name(), at + 1)) {
    ++uses;
  }
  CHECK(uses == 3);
  CHECK(indexed.summary.find("Bitmap Heap Scan on " + kDefault) != std::string::npos);

  // HypoPG alone sizes it from the partitioned table's own statistics, which nobody gathered: a page.
  CHECK(session.query("SELECT reltuples FROM pg_class WHERE oid = to_regclass($1)", q(kEvents)).get<double>(0, 0) ==
        -1);
  int64_t leaves = 0;
  for (const auto& leaf : {kHash0, kHash1, k2025, kDefault}) {
    IndexCandidate on_leaf = on_events;
    on_leaf.table.name = leaf;
    leaves += model.estimated_size(on_leaf);
  }
  auto size = model.estimated_size(on_events);
  CHECK(size == leaves);
  CHECK(size > 4'000'000);  // 400,000 int4 keys
  // The leaves' hypothetical indexes are gone again: the plan is as before.
  CHECK(model.explain(query, Configuration{on_events}).summary == indexed.summary);
}

TEST_CASE("an index on a partitioned table: advice.sql builds it valid partition by partition, the rollback drops it",
          "[advisor][advice][partitions][live]") {
  make_partitions();
  auto admin = pg::Connection::open(dsn());
  // A partition's own index, equal to what will be advised: neither script may touch it.
  admin.query("CREATE INDEX theirs ON " + q(k2025) + " (tenant)");
  auto advice = advise_on(
      {"SELECT * FROM " + q(kEvents) + " WHERE tenant = 42;", "SELECT * FROM " + q(kEvents) + " WHERE tenant = 4242;"});
  INFO(Catch::StringMaker<std::vector<std::string>>::convert(definitions(advice)));
  REQUIRE(advice.indexes.size() == 1);
  const auto& index = advice.indexes[0];
  REQUIRE(index.on_partitioned_table);
  CHECK(index.index.table.name == kEvents);
  REQUIRE(index.partitions.size() == 5);  // 2024 (partitioned) with its two, 2025, default
  CHECK(index.size_bytes > 4'000'000);    // over the leaves: not the unanalyzed partitioned table's page
  for (const auto& p : index.partitions) CHECK(p.name.size() <= 63);
  const auto names = names_of(index);
  const auto before = indexes(admin, kSchema);
  CHECK(before.size() == 1);  // theirs

  SECTION("concurrently") {
    Scripts s;
    s.write(advice);
    CHECK(test::read_file(s.advice()).find(" ON ONLY ") != std::string::npos);
    REQUIRE(test::psql_file(s.advice()) == 0);
    auto applied = indexes(admin, kSchema);
    CHECK(applied.size() == before.size() + names.size());
    for (const auto& name : names) {
      REQUIRE(applied.count(name) == 1);
      CHECK(applied[name]);  // pg_index.indisvalid
    }
    CHECK(applied["theirs"]);
    // The partitioned table's index is the one the planner now uses on every partition.
    auto plan = admin.query("EXPLAIN SELECT * FROM " + q(kEvents) + " WHERE tenant = 42");
    std::string text;
    for (int i = 0; i < plan.rows(); ++i) text += plan.get<std::string>(i, 0) + "\n";
    INFO(text);
    CHECK(text.find("Seq Scan") == std::string::npos);
    // A second run stops at its names check; the rollback removes exactly what the script made.
    CHECK(test::psql_file(s.advice()) != 0);
    CHECK(indexes(admin, kSchema) == applied);
    CHECK(test::psql_file(s.rollback()) == 0);
    CHECK(indexes(admin, kSchema) == before);
  }
  SECTION("a run that stopped halfway is rolled back too") {
    Scripts s;
    s.write(advice);
    // Cut advice.sql before its third ATTACH: some partitions' indexes built and attached, one built and not.
    std::string script = test::read_file(s.advice());
    size_t cut = 0;
    for (int n = 0; n < 3; ++n) cut = script.find("\nALTER INDEX ", cut + 1);
    REQUIRE(cut != std::string::npos);
    std::ofstream(s.advice()) << script.substr(0, cut + 1);
    REQUIRE(test::psql_file(s.advice()) == 0);
    auto partial = indexes(admin, kSchema);
    CHECK(partial.size() > before.size());
    CHECK_FALSE(partial[index.index.name()]);  // not all partitions attached: invalid
    CHECK(test::psql_file(s.rollback()) == 0);
    CHECK(indexes(admin, kSchema) == before);
  }
  SECTION("--non-concurrently") {
    Scripts s;
    s.write(advice, false);
    CHECK(test::read_file(s.advice()).find("\nCREATE INDEX CONCURRENTLY") == std::string::npos);
    REQUIRE(test::psql_file(s.advice()) == 0);
    auto applied = indexes(admin, kSchema);
    for (const auto& name : names) CHECK(applied[name]);
    CHECK(test::psql_file(s.rollback()) == 0);
    // A plain CREATE INDEX on the partitioned table would have adopted "theirs", and its rollback dropped it.
    CHECK(indexes(admin, kSchema) == before);
  }
}

TEST_CASE("a materialized view is indexed like a table, concurrently", "[advisor][advice][live]") {
  auto admin = pg::Connection::open(dsn());
  admin.query("DROP SCHEMA IF EXISTS kinds_mv CASCADE");
  admin.query("CREATE SCHEMA kinds_mv");
  admin.query(
      "CREATE MATERIALIZED VIEW kinds_mv.totals AS SELECT g AS id, g % 30000 AS customer_id, g % 7 AS status "
      "FROM generate_series(1, 300000) AS g");
  admin.query("ANALYZE kinds_mv.totals");
  auto advice = advise_on({"SELECT * FROM kinds_mv.totals WHERE customer_id = 42;",
                           "SELECT * FROM kinds_mv.totals WHERE customer_id = 4242;"});
  INFO(Catch::StringMaker<std::vector<std::string>>::convert(definitions(advice)));
  REQUIRE(advice.indexes.size() == 1);
  CHECK(advice.indexes[0].index.definition_body() == "ON kinds_mv.totals USING btree (customer_id)");
  CHECK_FALSE(advice.indexes[0].on_partitioned_table);
  CHECK(std::any_of(advice.indexes[0].rationale.begin(), advice.indexes[0].rationale.end(),
                    [](const std::string& why) { return why.rfind("materialized view:", 0) == 0; }));
  Scripts s;
  s.write(advice);
  CHECK(test::read_file(s.advice()).find("CREATE INDEX CONCURRENTLY") != std::string::npos);
  REQUIRE(test::psql_file(s.advice()) == 0);
  auto applied = indexes(admin, "kinds_mv");
  REQUIRE(applied.size() == 1);
  CHECK(applied.begin()->second);
  CHECK(test::psql_file(s.rollback()) == 0);
  CHECK(indexes(admin, "kinds_mv").empty());
  admin.query("DROP SCHEMA kinds_mv CASCADE");
}

TEST_CASE("a foreign table gets no index: its class is reported, not planned", "[advisor][advice][foreign][live]") {
  auto admin = pg::Connection::open(dsn());
  if (admin.query("SELECT count(*) FROM pg_available_extensions WHERE name = 'file_fdw'").get<int64_t>(0, 0) == 0) {
    WARN("skipped: the sandbox's PostgreSQL has no file_fdw (contrib), so no foreign table can be made");
    return;
  }
  test::TempDir tmp;
  {
    std::ofstream csv(tmp.path() / "remote.csv");
    for (int i = 1; i <= 20000; ++i) csv << i << ",note " << i % 10 << "\n";
  }
  admin.query("DROP SCHEMA IF EXISTS kinds_fdw CASCADE");
  admin.query("CREATE SCHEMA kinds_fdw");
  admin.query("CREATE EXTENSION IF NOT EXISTS file_fdw");
  admin.query("CREATE SERVER IF NOT EXISTS kinds_fdw_files FOREIGN DATA WRAPPER file_fdw");
  admin.query("CREATE FOREIGN TABLE kinds_fdw.remote (id int, note text) SERVER kinds_fdw_files OPTIONS (filename " +
              pg::quote_literal((tmp.path() / "remote.csv").string()) + ", format 'csv')");
  admin.query("ANALYZE kinds_fdw.remote");
  admin.query(
      "CREATE TABLE kinds_fdw.orders AS SELECT g AS id, g % 20000 AS customer_id FROM generate_series(1, 200000) g");
  admin.query("ANALYZE kinds_fdw.orders");
  const std::string alone = "SELECT * FROM kinds_fdw.remote WHERE id = 5";
  const std::string join =
      "SELECT o.* FROM kinds_fdw.orders o JOIN kinds_fdw.remote r ON r.id = o.customer_id WHERE o.id = 5";
  auto advice = advise_on({alone + ";", join + ";"});
  auto defs = definitions(advice);
  INFO(Catch::StringMaker<std::vector<std::string>>::convert(defs));
  for (const auto& d : defs) CHECK(d.find("remote") == std::string::npos);
  CHECK(std::find(defs.begin(), defs.end(), "ON kinds_fdw.orders USING btree (id)") != defs.end());
  REQUIRE(advice.not_indexable.size() == 1);
  CHECK(advice.not_indexable[0].table == "kinds_fdw.remote");
  CHECK_THAT(advice.not_indexable[0].reason, Catch::Contains("a foreign table"));
  CHECK(advice.not_indexable[0].fingerprints.size() == 2);
  REQUIRE(advice.unplanned.size() == 1);
  CHECK(advice.unplanned[0].fingerprint == advice.not_indexable[0].fingerprints[0]);
  CHECK_THAT(advice.unplanned[0].reason, Catch::Contains("no index can be built on any table it reads"));
  REQUIRE(advice.classes_advised.size() == 1);  // the join, planned
  CHECK(advice.classes_advised[0].planned);
  CHECK_THAT(advice_to_json(advice), Catch::Contains("\"not_indexable\": ["));
  admin.query("DROP SCHEMA kinds_fdw CASCADE");
}
