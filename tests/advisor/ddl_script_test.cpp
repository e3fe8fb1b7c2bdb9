// advice.sql and its rollback against hostile names, plans and values: parsed by libpg_query, each script must be
// exactly the statements intended (tests/fuzz/script_oracle.hpp), for the issue's own cases and for thousands
// of generated advices (fixed seed, so every build runs the same ones); and the names an advice gives its indexes
// are unique in their schema.
#include "advisor/ddl_script.hpp"

#include <catch2/catch.hpp>

#include "advisor/index_names.hpp"
#include "analyzer/split_mix64.hpp"
#include "pg/quote.hpp"
#include "script_oracle.hpp"

using namespace pgadvisor;
using namespace pgadvisor::advisor;
namespace oracle = pgadvisor::test::oracle;

namespace {

const ScriptHeader kHeader{"host=/tmp/x port=5432 dbname=shop", "2026-12-03T12:00:00Z"};

IndexAdvice index_on(std::string schema, std::string table, std::vector<std::string> columns) {
  IndexAdvice a;
  a.index.table = {std::move(schema), std::move(table), false};
  for (auto& c : columns) a.index.keys.push_back({std::move(c), "", false, std::nullopt});
  return a;
}

analyzer::TableInfo table(std::string schema, std::string name) {
  analyzer::TableInfo t;
  t.schema = std::move(schema);
  t.name = std::move(name);
  return t;
}

bool has_line(const std::string& script, const std::string& line) {
  return script.starts_with(line + "\n") || script.find("\n" + line + "\n") != std::string::npos ||
         script.find("\n" + line + "\r") != std::string::npos;
}

}  // namespace

TEST_CASE("a newline in a table name cannot add a statement to advice.sql", "[advisor][ddl_script]") {
  const std::string hostile = "nl\nDROP TABLE victim; --";
  Advice advice;
  auto a = index_on("public", hostile, {"id"});
  // The plan summary names the table as EXPLAIN does: raw.
  a.queries.push_back({"b0346d229bdb1c26", 2, 100, 1, "Seq Scan on " + hostile, "Index Scan using x on " + hostile});
  advice.indexes.push_back(std::move(a));
  advice.indexes[0].index.assigned_name = unique_index_names({&advice.indexes[0].index, 1}, analyzer::Catalog{})[0];

  auto script = advice_script(advice, kHeader);
  INFO(script);
  CHECK_FALSE(has_line(script, "DROP TABLE victim; --"));
  CHECK(script.find("\nDROP TABLE") == std::string::npos);
  CHECK(oracle::check_advice_script(advice, kHeader, script, {std::nullopt}) == "");
  auto rollback = rollback_script(advice, kHeader);
  INFO(rollback);
  CHECK(rollback.find("\nDROP TABLE") == std::string::npos);
  CHECK(oracle::check_rollback_script(advice, kHeader, rollback) == "");
}

TEST_CASE("a newline in an index name cannot uncomment its drop advice", "[advisor][ddl_script]") {
  Advice advice;
  DropAdvice d;
  d.finding = {analyzer::IndexProblem::Unused,
               "public",
               "t\r\nDROP TABLE victim; --",
               "i\nDROP TABLE victim; --",
               "CREATE INDEX \"i\nDROP TABLE victim; --\" ON public.t USING btree (note) WHERE note = 'a\u2028b'",
               8192,
               0,
               "",
               true,
               false};
  d.evidence =
      "no scan since the statistics were reset; none of the workload's 1 class(es) on t\nDROP TABLE victim; --";
  advice.drops.push_back(d);
  auto script = advice_script(advice, kHeader);
  INFO(script);
  CHECK(script.find("\nDROP TABLE") == std::string::npos);
  CHECK(script.find("\u2028") == std::string::npos);
  CHECK(oracle::check_advice_script(advice, kHeader, script, {}) == "");
  // Shown uncommentable: the name in a U&"…" identifier, the same name to the server.
  CHECK(has_line(script, "-- DROP INDEX CONCURRENTLY IF EXISTS public.U&\"i\\000ADROP TABLE victim; --\";"));
}

TEST_CASE("advice.sql creates without IF NOT EXISTS, checks the names first and marks what it created",
          "[advisor][ddl_script]") {
  Advice advice;
  advice.indexes.push_back(index_on("public", "orders", {"customer_id"}));
  auto script = advice_script(advice, kHeader);
  INFO(script);
  CHECK(script.find("IF NOT EXISTS") == std::string::npos);
  CHECK(
      has_line(script, "CREATE INDEX CONCURRENTLY orders_customer_id_idx ON public.orders USING btree (customer_id);"));
  CHECK(script.find("COMMENT ON INDEX public.orders_customer_id_idx IS 'pgadvisor advice 2026-12-03T12:00:00Z ") !=
        std::string::npos);
  CHECK(script.find("the advised index name % is taken") < script.find("CREATE INDEX"));
  auto rollback = rollback_script(advice, kHeader);
  CHECK(rollback.find(advice_marker(advice, kHeader)) != std::string::npos);
  CHECK(oracle::check_advice_script(advice, kHeader, script, {}) == "");
  CHECK(oracle::check_rollback_script(advice, kHeader, rollback) == "");
  // Another advice (another time or other definitions) has another marker: its rollback leaves these indexes.
  ScriptHeader later{kHeader.source, "2026-12-03T13:00:00Z"};
  CHECK(advice_marker(advice, later) != advice_marker(advice, kHeader));
}

TEST_CASE("scripts without CONCURRENTLY (--non-concurrently): plain CREATE and DROP INDEX, otherwise the same",
          "[advisor][ddl_script]") {
  Advice advice;
  advice.indexes.push_back(index_on("public", "orders", {"customer_id"}));
  ScriptHeader plain = kHeader;
  plain.concurrently = false;
  auto script = advice_script(advice, plain);
  auto rollback = rollback_script(advice, plain);
  INFO(script << rollback);
  CHECK(has_line(script, "CREATE INDEX orders_customer_id_idx ON public.orders USING btree (customer_id);"));
  CHECK(has_line(rollback, "DROP INDEX IF EXISTS public.orders_customer_id_idx;"));
  // Only the header's advice and the keyword differ from the concurrent scripts.
  auto without_keyword = [](std::string text) {
    for (size_t at = text.find("CONCURRENTLY "); at != std::string::npos; at = text.find("CONCURRENTLY ", at)) {
      text.erase(at, 13);
    }
    return text.substr(text.find("-- In comments"));
  };
  CHECK(without_keyword(advice_script(advice, kHeader)) == without_keyword(script));
  CHECK(without_keyword(rollback_script(advice, kHeader)) == without_keyword(rollback));
  CHECK(script.find("CONCURRENTLY ") == script.find("CONCURRENTLY cannot"));  // none but in the header's advice
}

namespace {

// An index on a hostile partitioned table: a leaf partition, a partitioned partition (in another hostile schema)
// with two leaves under it, and a last leaf; every name holds quotes, a semicolon, a line break or a backslash.
IndexAdvice partitioned_index() {
  IndexAdvice a = index_on("s\";\n--", "m\nDROP TABLE victim; --", {"te\"nant", "day\\"});
  a.index.assigned_name = "m_tenant_idx";
  a.on_partitioned_table = true;
  a.partitions = {
      {{"s\";\n--", "m_2023'x"}, "m_2023_tenant_idx", -1, false},
      {{"sub\\", "m_2024;\nDROP TABLE victim; --"}, "m_2024_tenant_idx", -1, true},
      {{"s\";\n--", "m_2024_0\r\n"}, "m_2024_0_tenant_idx", 1, false},
      {{"s\";\n--", "m_2024_1 \"q\""}, "m_2024_1_tenant_idx", 1, false},
      {{"s\";\n--", "m_default"}, "m_default_tenant_idx", -1, false},
  };
  return a;
}

}  // namespace

TEST_CASE("an index on a partitioned table: ON ONLY, then each partition concurrently and attached",
          "[advisor][ddl_script]") {
  Advice advice;
  advice.indexes.push_back(partitioned_index());
  advice.indexes.push_back(index_on("public", "orders", {"customer_id"}));
  auto script = advice_script(advice, kHeader);
  INFO(script);
  CHECK(oracle::check_advice_script(advice, kHeader, script, {std::nullopt, std::nullopt}) == "");
  CHECK(script.find("\nDROP TABLE") == std::string::npos);
  const std::string parent = "U&\"s\"\";\\000A--\".U&\"m\\000ADROP TABLE victim; --\"";
  CHECK(has_line(script, "CREATE INDEX m_tenant_idx ON ONLY " + parent + " USING btree (\"te\"\"nant\", \"day\\\");"));
  CHECK(has_line(script,
                 "CREATE INDEX CONCURRENTLY m_2023_tenant_idx ON U&\"s\"\";\\000A--\".\"m_2023'x\" USING "
                 "btree (\"te\"\"nant\", \"day\\\");"));
  // The partitioned partition: ON ONLY too, never CONCURRENTLY (PostgreSQL cannot), attached after its own.
  CHECK(has_line(script,
                 "CREATE INDEX m_2024_tenant_idx ON ONLY \"sub\\\".U&\"m_2024;\\000ADROP TABLE victim; --\" "
                 "USING btree (\"te\"\"nant\", \"day\\\");"));
  const auto attach_2024_0 = script.find(
      "ALTER INDEX \"sub\\\".m_2024_tenant_idx ATTACH PARTITION U&\"s\"\";\\000A--\"."
      "m_2024_0_tenant_idx;");
  const auto attach_2024 =
      script.find("ALTER INDEX U&\"s\"\";\\000A--\".m_tenant_idx ATTACH PARTITION \"sub\\\".m_2024_tenant_idx;");
  REQUIRE(attach_2024_0 != std::string::npos);
  REQUIRE(attach_2024 != std::string::npos);
  CHECK(attach_2024_0 < attach_2024);
  CHECK(script.find("is not valid: a partition of % has no index attached") != std::string::npos);
  CHECK(script.find("CONCURRENTLY m_tenant_idx") == std::string::npos);
  // Every partition's name is checked free before anything is built.
  CHECK(script.find("to_regclass(E'\"sub\\\\\".m_2024_tenant_idx')") < script.find("CREATE INDEX"));

  auto rollback = rollback_script(advice, kHeader);
  INFO(rollback);
  CHECK(oracle::check_rollback_script(advice, kHeader, rollback) == "");
  CHECK(rollback.find("\nDROP TABLE") == std::string::npos);
  // DROP INDEX CONCURRENTLY cannot drop a partitioned index: the parent plainly (it drops the attached ones), then
  // what a run that stopped halfway left unattached.
  CHECK(has_line(rollback, "DROP INDEX IF EXISTS U&\"s\"\";\\000A--\".m_tenant_idx;"));
  CHECK(has_line(rollback, "DROP INDEX IF EXISTS \"sub\\\".m_2024_tenant_idx;"));
  CHECK(has_line(rollback, "DROP INDEX CONCURRENTLY IF EXISTS U&\"s\"\";\\000A--\".m_2024_0_tenant_idx;"));
  CHECK(rollback.find("DROP INDEX IF EXISTS U&\"s\"\";\\000A--\".m_tenant_idx;") <
        rollback.find("DROP INDEX IF EXISTS \"sub\\\".m_2024_tenant_idx;"));
  CHECK(has_line(rollback, "DROP INDEX CONCURRENTLY IF EXISTS public.orders_customer_id_idx;"));

  SECTION("--non-concurrently: the same partition by partition, without CONCURRENTLY") {
    // A plain CREATE INDEX on the partitioned table would adopt a partition's existing equal index, and the
    // rollback would drop it.
    ScriptHeader plain = kHeader;
    plain.concurrently = false;
    auto plain_script = advice_script(advice, plain);
    auto plain_rollback = rollback_script(advice, plain);
    INFO(plain_script << plain_rollback);
    CHECK(oracle::check_advice_script(advice, plain, plain_script, {std::nullopt, std::nullopt}) == "");
    CHECK(oracle::check_rollback_script(advice, plain, plain_rollback) == "");
    CHECK(has_line(plain_script,
                   "CREATE INDEX m_2023_tenant_idx ON U&\"s\"\";\\000A--\".\"m_2023'x\" USING btree "
                   "(\"te\"\"nant\", \"day\\\");"));
    CHECK(plain_script.find("CONCURRENTLY ") == plain_script.find("CONCURRENTLY cannot"));
    CHECK(plain_rollback.find("DROP INDEX CONCURRENTLY") == std::string::npos);
  }
  SECTION("a partitioned table without partitions: ON ONLY alone (valid at once)") {
    advice.indexes[0].partitions.clear();
    auto empty = advice_script(advice, kHeader);
    CHECK(oracle::check_advice_script(advice, kHeader, empty, {std::nullopt, std::nullopt}) == "");
    CHECK(empty.find("ATTACH PARTITION") == std::string::npos);
    CHECK(oracle::check_rollback_script(advice, kHeader, rollback_script(advice, kHeader)) == "");
  }
}

TEST_CASE("the drop of a partitioned table's index is not CONCURRENTLY", "[advisor][ddl_script]") {
  analyzer::IndexFinding f;
  f.schema = "public";
  f.index = "m_v_idx";
  CHECK(drop_statement(f) == "DROP INDEX CONCURRENTLY IF EXISTS public.m_v_idx;");
  f.partitioned = true;
  CHECK(drop_statement(f) == "DROP INDEX IF EXISTS public.m_v_idx;");
}

TEST_CASE("generated hostile advices give exactly the intended statements", "[advisor][ddl_script]") {
  analyzer::SplitMix64 random(20261203);
  auto pick = [&](size_t n) { return random.below(n); };
  int checked = 0;
  for (int i = 0; i < 1000; ++i) {
    auto [advice, predicates] = oracle::hostile_advice(pick);
    ScriptHeader header{oracle::hostile_text(pick), "2026-12-03T12:00:00Z"};
    if (pick(4) == 0) header.generated = oracle::hostile_name(pick);
    auto script = advice_script(advice, header);
    auto rollback = rollback_script(advice, header);
    auto verdict = oracle::check_advice_script(advice, header, script, predicates);
    if (!verdict.empty()) FAIL(verdict << "\n--- advice.sql:\n" << script);
    verdict = oracle::check_rollback_script(advice, header, rollback);
    if (!verdict.empty()) FAIL(verdict << "\n--- rollback:\n" << rollback);
    ++checked;
  }
  CHECK(checked == 1000);
}

TEST_CASE("advised index names are unique against each other and the catalog", "[advisor][ddl_script]") {
  analyzer::Catalog catalog;
  analyzer::TableInfo weird_space = table("public", "we ird");
  analyzer::TableInfo weird_dash = table("public", "we-ird");
  analyzer::TableInfo other = table("public", "other");
  analyzer::IndexInfo taken;
  taken.name = "we_ird_a_idx";
  other.indexes.push_back(taken);
  analyzer::TableInfo elsewhere = table("s2", "we ird");
  catalog.add_table(weird_space);
  catalog.add_table(weird_dash);
  catalog.add_table(other);
  catalog.add_table(elsewhere);

  std::vector<IndexCandidate> chosen = {index_on("public", "we ird", {"a"}).index,
                                        index_on("public", "we-ird", {"a"}).index,
                                        index_on("s2", "we ird", {"a"}).index};
  CHECK(chosen[0].name() == chosen[1].name());  // the derived names clash: both "we_ird_a_idx"
  auto names = unique_index_names(chosen, catalog);
  REQUIRE(names.size() == 3);
  CHECK(names[0] == "we_ird_a_2_idx");  // we_ird_a_idx is taken by the index on "other"
  CHECK(names[1] == "we_ird_a_3_idx");
  CHECK(names[2] == "we_ird_a_idx");  // another schema: free there

  SECTION("a table's name is taken too") {
    analyzer::TableInfo table_named_like_index = table("public", "we_ird_a_2_idx");
    catalog.add_table(table_named_like_index);
    auto again = unique_index_names(chosen, catalog);
    CHECK(again[0] == "we_ird_a_3_idx");
    CHECK(again[1] == "we_ird_a_4_idx");
  }
  SECTION("within 63 bytes") {
    std::string long_name(63, 'l');
    analyzer::TableInfo long_table = table("public", long_name);
    catalog.add_table(long_table);
    std::vector<IndexCandidate> longs = {index_on("public", long_name, {"a"}).index,
                                         index_on("public", long_name, {"a", "b"}).index};
    longs[1].keys.pop_back();  // the same derived name twice
    auto long_names = unique_index_names(longs, catalog);
    CHECK(long_names[0].size() <= kMaxNameBytes);
    CHECK(long_names[1].size() <= kMaxNameBytes);
    CHECK(long_names[0] != long_names[1]);
    CHECK(long_names[1].ends_with("_2_idx"));
  }
}

TEST_CASE("names are cut on a UTF-8 character boundary", "[advisor][ddl_script]") {
  CHECK(truncate_utf8("abc", 63) == "abc");
  CHECK(truncate_utf8("ééé", 5) == "éé");  // 6 bytes; the third é would be cut in half
  CHECK(truncate_utf8("aé", 2) == "a");
  CHECK(truncate_utf8("日本", 4) == "日");
  CHECK(truncate_utf8("日本", 6) == "日本");
}

TEST_CASE("derived index names are ASCII whatever the table's name", "[advisor][ddl_script]") {
  auto c = index_on("public", "Naïve Tbl\n;--", {"Col\u2028x"}).index;
  CHECK(c.name() == "na_ve_tbl_col_x_idx");
}

namespace {

// A daily count per customer over a table whose name would end a comment and a quote: the view, its unique key
// and its filter index, serving one class.
ViewAdvice daily_view(const std::string& schema, const std::string& table) {
  ViewAdvice v;
  v.schema = schema;
  v.name = table + "_day_customer_id_mv";
  v.select = "SELECT date_trunc('day', created_at) AS day, count(*) AS n, customer_id AS customer_id FROM " +
             pg::quote_qualified(schema, table) + " GROUP BY date_trunc('day', created_at), customer_id";
  v.columns = {"day", "n", "customer_id"};
  v.unique_key = {"day", "customer_id"};
  v.unique_index = v.name + "_key";
  v.filter_columns = {"customer_id"};
  v.filter_index = v.name + "_filter_idx";
  v.base_tables = {schema + "." + table};
  ViewClass c;
  c.fingerprint = "0123456789abcdef";
  c.text = "SELECT date_trunc('day', created_at) AS day, count(*) AS n FROM " + pg::quote_qualified(schema, table) +
           " WHERE customer_id = $1 GROUP BY 1";
  c.rewritten =
      "SELECT v.day AS day, v.n AS n FROM " + pg::quote_qualified(schema, v.name) + " AS v WHERE v.customer_id = $1";
  c.calls = 1000;
  c.cost_before = 4500.5;
  c.cost_after = 12.25;
  v.classes = {c};
  v.estimated_rows = 1500;
  v.base_rows = 2e6;
  v.estimated_bytes = 96000;
  v.refresh_cost = 52000;
  v.base_writes = 40;
  v.saving = 1000 * (4500.5 - 12.25);
  v.refresh_every_calls = 47;
  v.net_saving = 3'500'000;
  return v;
}

}  // namespace

TEST_CASE("advice.sql builds each materialized view in its section, after the indexes, with its refresh to schedule",
          "[advisor][ddl_script][views]") {
  Advice advice;
  advice.indexes.push_back(index_on("public", "orders", {"status"}));
  advice.views.push_back(daily_view("public", "orders"));
  auto script = advice_script(advice, kHeader);
  INFO(script);
  CHECK(oracle::check_advice_script(advice, kHeader, script, {std::nullopt}) == "");
  const auto section =
      script.find("-- Materialized views (each needs an application change: the rewritten queries below)");
  REQUIRE(section != std::string::npos);
  CHECK(script.find("CREATE INDEX CONCURRENTLY orders_status_idx") < section);
  CHECK(has_line(script,
                 "-- View 1. public.orders_day_customer_id_mv: serves 1 query class(es); about 1500 rows, 93.8 kB "
                 "(estimates); its largest base table holds about 2000000 rows"));
  CHECK(has_line(script, "--    class 0123456789abcdef (1000 calls): estimated cost per execution 4500.5 -> 12.2"));
  CHECK(has_line(script,
                 "--       rewritten: SELECT v.day AS day, v.n AS n FROM public.orders_day_customer_id_mv AS v "
                 "WHERE v.customer_id = $1"));
  CHECK(has_line(script, "--    refresh: estimated cost 52000 each; the workload writes its base tables 40 time(s)"));
  CHECK(script.find("--    proposal: refresh every 47 executions of the classes it serves") != std::string::npos);
  CHECK(script.find("--    net saving over the workload: 3500000 cost units") != std::string::npos);
  CHECK(has_line(script, "CREATE MATERIALIZED VIEW public.orders_day_customer_id_mv AS"));
  CHECK(has_line(script, "WITH DATA;"));
  CHECK(has_line(script,
                 "CREATE UNIQUE INDEX orders_day_customer_id_mv_key ON public.orders_day_customer_id_mv (day, "
                 "customer_id);"));
  CHECK(has_line(script,
                 "CREATE INDEX orders_day_customer_id_mv_filter_idx ON public.orders_day_customer_id_mv "
                 "(customer_id);"));
  CHECK(has_line(script, "-- REFRESH MATERIALIZED VIEW CONCURRENTLY public.orders_day_customer_id_mv;"));
  CHECK(has_line(script,
                 "-- SELECT cron.schedule('pgadvisor refresh public.orders_day_customer_id_mv', '*/15 * * * *', "
                 "$pgadvisor$REFRESH MATERIALIZED VIEW CONCURRENTLY "
                 "public.orders_day_customer_id_mv$pgadvisor$);"));
  // The names check covers the view and its indexes, before anything is built.
  CHECK(script.find("to_regclass('public.orders_day_customer_id_mv_filter_idx')") < script.find("CREATE INDEX"));
  // The marker changes with the views.
  Advice without = advice;
  without.views.clear();
  CHECK(advice_marker(without, kHeader) != advice_marker(advice, kHeader));

  auto rollback = rollback_script(advice, kHeader);
  INFO(rollback);
  CHECK(oracle::check_rollback_script(advice, kHeader, rollback) == "");
  CHECK(has_line(rollback, "DROP MATERIALIZED VIEW IF EXISTS public.orders_day_customer_id_mv;"));
  CHECK(rollback.find("DROP MATERIALIZED VIEW") < rollback.find("DROP INDEX"));

  SECTION("--tablespace: the view and its indexes there too") {
    ScriptHeader fast = kHeader;
    fast.tablespace = "Fast SSD";
    auto there = advice_script(advice, fast);
    CHECK(has_line(there, "CREATE MATERIALIZED VIEW public.orders_day_customer_id_mv TABLESPACE \"Fast SSD\" AS"));
    CHECK(has_line(there,
                   "CREATE INDEX orders_day_customer_id_mv_filter_idx ON public.orders_day_customer_id_mv "
                   "(customer_id) TABLESPACE \"Fast SSD\";"));
  }
  SECTION("a view without a unique key: no unique index, a plain refresh") {
    advice.views[0].unique_key.clear();
    auto plain = advice_script(advice, kHeader);
    CHECK(oracle::check_advice_script(advice, kHeader, plain, {std::nullopt}) == "");
    CHECK(plain.find("CREATE UNIQUE INDEX") == std::string::npos);
    CHECK(has_line(plain, "-- REFRESH MATERIALIZED VIEW public.orders_day_customer_id_mv;"));
  }
  SECTION("a view whose query is not one SELECT is not created, and its rollback does not touch the name") {
    advice.views[0].select += "; DROP TABLE victim";
    auto refused = advice_script(advice, kHeader);
    CHECK(oracle::check_advice_script(advice, kHeader, refused, {std::nullopt}) == "");
    CHECK(refused.find("CREATE MATERIALIZED VIEW") == std::string::npos);
    CHECK(refused.find("\nDROP TABLE") == std::string::npos);
    CHECK(has_line(refused, "-- Not created: its query is not one SELECT statement."));
    auto rollback_refused = rollback_script(advice, kHeader);
    CHECK(oracle::check_rollback_script(advice, kHeader, rollback_refused) == "");
    CHECK(rollback_refused.find("MATERIALIZED VIEW") == std::string::npos);
  }
}

TEST_CASE("hostile view, table and column names stay inside quotes and comments in the view section",
          "[advisor][ddl_script][views]") {
  const std::string hostile = "o'; DROP TABLE victim; --\n*/ $$ $pgadvisor$";
  Advice advice;  // views only: the names check is still there
  advice.views.push_back(daily_view("sch\nema", hostile));
  auto& v = advice.views[0];
  v.unique_key = {"day", "cu'st\nomer"};
  v.filter_columns = {"cu'st\nomer"};
  v.classes[0].text = "SELECT 1 FROM x WHERE a = 'nl\nDROP TABLE victim; --'";
  v.classes[0].rewritten = "SELECT 2 /* */ FROM y\r\nDROP TABLE victim; --";
  v.base_tables = {"sch\nema." + hostile};
  auto script = advice_script(advice, kHeader);
  INFO(script);
  CHECK(oracle::check_advice_script(advice, kHeader, script, {}) == "");
  CHECK(script.find("\nDROP TABLE") == std::string::npos);
  CHECK_FALSE(has_line(script, "DROP TABLE victim; --"));
  // The job name is a literal and the refresh a dollar quote whose tag the name does not hold.
  CHECK(script.find("-- SELECT cron.schedule(E'pgadvisor refresh ") != std::string::npos);
  CHECK(script.find("$pgadvisor1$REFRESH MATERIALIZED VIEW CONCURRENTLY U&\"sch\\000Aema\".") != std::string::npos);
  CHECK(script.find("the advised materialized view or view index name % is taken") != std::string::npos);
  auto rollback = rollback_script(advice, kHeader);
  INFO(rollback);
  CHECK(oracle::check_rollback_script(advice, kHeader, rollback) == "");
  CHECK(rollback.find("\nDROP TABLE") == std::string::npos);
}
