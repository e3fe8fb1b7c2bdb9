// Table kinds in advise() without a server (fake_what_if_model.hpp): an index on a partitioned table comes with an
// index for each partition (names unique, deterministic, within 63 bytes) and a script that builds it partition by
// partition; a partitioned table's existing or advised index counts on its partitions; writes to a partition
// maintain its partitioned table's index; drop advice on a partitioned table's index follows its partitions'
// indexes; a foreign table (or a partitioned table with a foreign partition) gets no index, is listed with the
// reason, and a class that reads only such tables is not planned. The same on a server: advice_partitions_test.cpp.
#include <algorithm>
#include <map>
#include <set>

#include <catch2/catch.hpp>

#include "advisor/advice.hpp"
#include "advisor/ddl_script.hpp"
#include "advisor/index_names.hpp"
#include "fake_what_if_model.hpp"
#include "live_advice.hpp"
#include "script_oracle.hpp"

using namespace pgadvisor;
using namespace pgadvisor::advisor;
using test::definitions;
using test::FakeWhatIfModel;

namespace {

analyzer::TableInfo kind_of(analyzer::TableInfo t, analyzer::TableKind kind, std::string parent = "") {
  t.kind = kind;
  if (!parent.empty()) {
    auto dot = parent.find('.');
    t.partition_of = analyzer::TableName{parent.substr(0, dot), parent.substr(dot + 1), false};
  }
  return t;
}

const std::vector<std::pair<std::string, double>> kEventColumns = {{"id", -1}, {"tenant", 10'000}, {"v", -0.5}};

// events (range) with events_2024 (itself partitioned by hash, in schema p2: events_2024_0, events_2024_1) and
// events_2025; a foreign table remote; orders; and mixed, partitioned with a foreign partition.
analyzer::Catalog catalog_with_kinds() {
  using analyzer::TableKind;
  analyzer::Catalog catalog;
  catalog.add_table(kind_of(test::table("events", 3'000'000, kEventColumns), TableKind::Partitioned));
  catalog.add_table(
      kind_of(test::table("p2.events_2024", 2'000'000, kEventColumns), TableKind::Partitioned, "public.events"));
  catalog.add_table(
      kind_of(test::table("events_2024_0", 1'000'000, kEventColumns), TableKind::Table, "p2.events_2024"));
  catalog.add_table(
      kind_of(test::table("events_2024_1", 1'000'000, kEventColumns), TableKind::Table, "p2.events_2024"));
  catalog.add_table(kind_of(test::table("events_2025", 1'000'000, kEventColumns), TableKind::Table, "public.events"));
  catalog.add_table(kind_of(test::table("remote", 1'000'000, {{"id", -1}, {"note", 10}}), TableKind::Foreign));
  catalog.add_table(test::table("orders", 1'000'000, {{"id", -1}, {"customer_id", 100'000}}));
  catalog.add_table(kind_of(test::table("mixed", 2'000'000, {{"id", -1}}), TableKind::Partitioned));
  catalog.add_table(kind_of(test::table("mixed_local", 1'000'000, {{"id", -1}}), TableKind::Table, "public.mixed"));
  catalog.add_table(kind_of(test::table("mixed_remote", 0, {{"id", -1}}), TableKind::Foreign, "public.mixed"));
  return catalog;
}

const std::string kEventsByTenant = "SELECT * FROM events WHERE tenant = 1";
const std::string kPartitionByTenant = "SELECT * FROM events_2025 WHERE tenant = 1";
const std::string kPartitionByV = "SELECT * FROM events_2025 WHERE v = 'x'";
const std::string kRemote = "SELECT * FROM remote WHERE id = 1";
const std::string kJoinRemote = "SELECT o.* FROM orders o JOIN remote r ON r.id = o.id WHERE o.customer_id = 1";

}  // namespace

TEST_CASE("an index on a partitioned table has an index per partition, named free and within 63 bytes",
          "[advisor][advice][partitions]") {
  auto catalog = catalog_with_kinds();
  // The name the first leaf's index would derive is taken (in its schema), and a partition has a 63-byte name.
  auto leaf = *catalog.find_table(analyzer::TableName{"public", "events_2024_0", false});
  analyzer::IndexInfo taken;
  taken.name = "events_2024_0_tenant_idx";
  taken.keys = {"v"};
  leaf.indexes.push_back(taken);
  catalog.add_table(leaf);
  const std::string long_name(63, 'e');
  catalog.add_table(
      kind_of(test::table(long_name, 1'000'000, kEventColumns), analyzer::TableKind::Table, "public.events"));
  auto workload = test::classes_of({{kEventsByTenant, 100}}, catalog);
  FakeWhatIfModel fake;
  fake.saves(kEventsByTenant, "events(tenant)", 990);
  auto advice = advise(workload, catalog, fake);
  INFO(Catch::StringMaker<std::vector<std::string>>::convert(definitions(advice)));
  REQUIRE(advice.indexes.size() == 1);
  const auto& index = advice.indexes[0];
  CHECK(index.on_partitioned_table);
  CHECK(index.index.name() == "events_tenant_idx");
  // Depth first, each parent before its own partitions, by schema and name.
  REQUIRE(index.partitions.size() == 5);
  std::vector<std::string> tables;
  for (const auto& p : index.partitions) tables.push_back(p.table.to_string());
  CHECK(tables == std::vector<std::string>{"p2.events_2024", "public.events_2024_0", "public.events_2024_1",
                                           "public." + long_name, "public.events_2025"});
  CHECK(index.partitions[0].partitioned);
  CHECK(index.partitions[0].parent == -1);
  CHECK(index.partitions[1].parent == 0);
  CHECK(index.partitions[2].parent == 0);
  CHECK(index.partitions[3].parent == -1);
  CHECK(index.partitions[0].name == "events_2024_tenant_idx");
  CHECK(index.partitions[1].name == "events_2024_0_tenant_2_idx");  // the derived name is taken
  CHECK(index.partitions[2].name == "events_2024_1_tenant_idx");
  CHECK(index.partitions[4].name == "events_2025_tenant_idx");
  std::set<std::string> names{index.index.name()};
  for (const auto& p : index.partitions) {
    CHECK(p.name.size() <= kMaxNameBytes);
    CHECK(names.insert(p.name).second);
  }
  CHECK(index.partitions[3].name.size() == kMaxNameBytes);
  // Deterministic: the same advice, the same names.
  FakeWhatIfModel again;
  again.saves(kEventsByTenant, "events(tenant)", 990);
  auto second = advise(workload, catalog, again);
  REQUIRE(second.indexes.size() == 1);
  CHECK(second.indexes[0].partitions == index.partitions);
  // Why: one index per partition.
  CHECK(std::any_of(index.rationale.begin(), index.rationale.end(), [](const std::string& why) {
    return why.find("one per partition (4 leaf partition(s), 1 partitioned ones with their own)") != std::string::npos;
  }));

  // The scripts: exactly the intended statements, ON ONLY and partition by partition.
  ScriptHeader header{"host=x", "2026-12-07T00:00:00Z"};
  auto script = advice_script(advice, header);
  INFO(script);
  CHECK(test::oracle::check_advice_script(advice, header, script, {std::nullopt}) == "");
  CHECK(test::oracle::check_rollback_script(advice, header, rollback_script(advice, header)) == "");
  CHECK(script.find("CREATE INDEX events_tenant_idx ON ONLY public.events USING btree (tenant);") != std::string::npos);
}

TEST_CASE("a partitioned table's index counts on its partitions, existing or advised",
          "[advisor][advice][partitions]") {
  auto catalog = catalog_with_kinds();
  SECTION("an existing index on the partitioned table serves a query on a partition") {
    auto events = *catalog.find_table(analyzer::TableName{"public", "events", false});
    analyzer::IndexInfo tenant;
    tenant.name = "events_tenant";
    tenant.keys = {"tenant"};
    events.indexes.push_back(tenant);
    catalog.add_table(events);
    auto workload = test::classes_of({{kPartitionByTenant, 100}, {kPartitionByV, 100}}, catalog);
    auto candidates = generate_candidates(workload.classes, catalog);
    std::vector<std::string> defs;
    for (const auto& c : candidates) defs.push_back(c.definition_body());
    INFO(Catch::StringMaker<std::vector<std::string>>::convert(defs));
    CHECK(defs == std::vector<std::string>{"ON public.events_2025 USING btree (v)"});
  }
  SECTION("an index advised on the partitioned table is not advised again on a partition") {
    auto workload = test::classes_of({{kEventsByTenant, 100}, {kPartitionByTenant, 100}}, catalog);
    // The query on the partition names the partitioned table too: an index there is relevant to it.
    REQUIRE(workload.classes.size() == 2);
    const auto& tables = workload.classes[1].query.tables;
    CHECK(std::find(tables.begin(), tables.end(), analyzer::TableName{"public", "events", false}) != tables.end());
    FakeWhatIfModel fake;
    fake.saves(kEventsByTenant, "events(tenant)", 990).saves(kPartitionByTenant, "events_2025(tenant)", 990);
    auto advice = advise(workload, catalog, fake);
    auto defs = definitions(advice);
    INFO(Catch::StringMaker<std::vector<std::string>>::convert(defs));
    CHECK(defs == std::vector<std::string>{"ON public.events USING btree (tenant)"});
  }
}

TEST_CASE("writes to a partition maintain its partitioned table's index, and the other way round",
          "[advisor][advice][partitions]") {
  auto catalog = catalog_with_kinds();
  auto workload = test::classes_of({{"INSERT INTO events_2025 (id, tenant) VALUES (1, 2)", 50},
                                    {"INSERT INTO events (id, tenant) VALUES (1, 2)", 7},
                                    {"INSERT INTO orders (id, customer_id) VALUES (1, 2)", 1000}},
                                   catalog);
  IndexCandidate on_events;
  on_events.table = {"public", "events", false};
  on_events.keys = {{"tenant", "", false, std::nullopt}};
  CHECK(index_write_overhead(workload.classes, catalog, on_events, 1.0) == 57);
  IndexCandidate on_leaf = on_events;
  on_leaf.table = {"public", "events_2025", false};
  CHECK(index_write_overhead(workload.classes, catalog, on_leaf, 1.0) == 57);
  IndexCandidate on_other_leaf = on_events;
  on_other_leaf.table = {"public", "events_2024_0", false};
  CHECK(index_write_overhead(workload.classes, catalog, on_other_leaf, 1.0) == 7);
}

TEST_CASE("drop advice on a partitioned table's index: its partitions' indexes are its scans, dropped with it",
          "[advisor][advice][partitions]") {
  auto catalog = catalog_with_kinds();
  auto events = *catalog.find_table(analyzer::TableName{"public", "events", false});
  auto leaf = *catalog.find_table(analyzer::TableName{"public", "events_2025", false});
  for (const std::string column : {"v", "id"}) {
    analyzer::IndexInfo parent_index;
    parent_index.name = "events_" + column + "_idx";
    parent_index.keys = {column};
    events.indexes.push_back(parent_index);
    analyzer::IndexInfo attached = parent_index;
    attached.name = "events_2025_" + column + "_idx";
    attached.attached_to = parent_index.name;
    leaf.indexes.push_back(attached);
  }
  catalog.add_table(events);
  catalog.add_table(leaf);
  const std::string by_v = "SELECT * FROM events WHERE v = 'x'";
  auto workload = test::classes_of({{by_v, 100}}, catalog);
  FakeWhatIfModel fake;
  // The plan names the partition's index, never the partitioned table's.
  fake.uses_existing(by_v, "events", "events_2025_v_idx");
  auto advice = advise(workload, catalog, fake);
  std::map<std::string, const DropAdvice*> drops;
  for (const auto& d : advice.drops) drops[d.finding.index] = &d;
  CHECK(drops.count("events_v_idx") == 0);  // its partition's index is in the plan
  CHECK(drops.count("events_2025_v_idx") == 0);
  CHECK(drops.count("events_2025_id_idx") == 0);  // goes with events_id_idx
  REQUIRE(drops.count("events_id_idx") == 1);
  const auto& f = drops["events_id_idx"]->finding;
  CHECK(f.partitioned);
  CHECK(drop_statement(f) == "DROP INDEX IF EXISTS public.events_id_idx;");
}

TEST_CASE("foreign tables get no index: listed with the reason, a class on them alone is not planned",
          "[advisor][advice][foreign]") {
  auto catalog = catalog_with_kinds();
  const std::string mixed = "SELECT * FROM mixed WHERE id = 1";
  auto workload = test::classes_of({{kRemote, 100}, {kJoinRemote, 10}, {mixed, 10}}, catalog);
  FakeWhatIfModel fake;
  fake.saves(kRemote, "remote(id)", 990)
      .saves(kJoinRemote, "remote(id)", 500)
      .saves(kJoinRemote, "orders(customer_id)", 400)
      .saves(mixed, "mixed(id)", 900);
  auto advice = advise(workload, catalog, fake);
  auto defs = definitions(advice);
  INFO(Catch::StringMaker<std::vector<std::string>>::convert(defs));
  CHECK(defs == std::vector<std::string>{"ON public.orders USING btree (customer_id)"});

  const auto remote_class = test::class_of(kRemote);
  const auto join_class = test::class_of(kJoinRemote);
  const auto mixed_class = test::class_of(mixed);
  REQUIRE(advice.not_indexable.size() == 2);
  CHECK(advice.not_indexable[0].table == "public.remote");
  CHECK_THAT(advice.not_indexable[0].reason, Catch::Contains("a foreign table"));
  CHECK(advice.not_indexable[0].fingerprints == std::vector<std::string>{remote_class, join_class});
  CHECK(advice.not_indexable[1].table == "public.mixed");
  CHECK_THAT(advice.not_indexable[1].reason, Catch::Contains("public.mixed_remote among its partitions"));
  // The classes on nothing indexable are not planned, and say why; the join is.
  std::map<std::string, std::string> unplanned;
  for (const auto& u : advice.unplanned) unplanned[u.fingerprint] = u.reason;
  REQUIRE(unplanned.count(remote_class) == 1);
  CHECK_THAT(unplanned[remote_class], Catch::Contains("no index can be built on any table it reads"));
  CHECK(unplanned.count(mixed_class) == 1);
  CHECK(unplanned.count(join_class) == 0);
  for (const auto& [question, times] : fake.asked) CHECK(question.rfind(remote_class, 0) != 0);
  REQUIRE(advice.classes_advised.size() == 1);
  CHECK(advice.classes_advised[0].fingerprint == join_class);
}
