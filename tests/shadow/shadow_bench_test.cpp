// The shadow and its benchmark on the sandbox: a sampled copy keeps foreign keys; refusals of the source; a real
// speedup proven by verdict and interval (never a timing threshold); a harmful index on an INSERT-heavy class
// flagged slower; a result-changing script caught; the shadow's schema and rows the same after every run.
#include "shadow/shadow_bench.hpp"

#include <catch2/catch.hpp>

#include "shadow/shadow_copy.hpp"
#include "pg/connection.hpp"
#include "pg/dsn.hpp"
#include "pg/sandbox.hpp"
#include "test_support.hpp"

using namespace pgadvisor;
using namespace pgadvisor::shadow;

namespace {

std::string sandbox_dsn() { return pg::Sandbox(test::sandbox_dir()).dsn(); }
std::string source_dsn() { return pg::dsn_with_database(sandbox_dsn(), "shadow_src"); }
std::string shadow_dsn() { return pg::dsn_with_database(sandbox_dsn(), "shadow_dst"); }

// A source database of its own: 200,000 accounts (no index on email), their events, a sequence.
void make_source() {
  static bool made = false;
  if (made) return;
  auto admin = pg::Connection::open(sandbox_dsn());
  admin.query("DROP DATABASE IF EXISTS shadow_src WITH (FORCE)");
  admin.query("CREATE DATABASE shadow_src");
  auto src = pg::Connection::open(source_dsn());
  src.query(
      "CREATE TABLE accounts (id int PRIMARY KEY, email text NOT NULL, region int NOT NULL, note text, "
      "doubled int GENERATED ALWAYS AS (region * 2) STORED)");
  src.query(
      "INSERT INTO accounts (id, email, region, note) SELECT g, 'user' || g || '@example.com', g % 50, "
      "CASE WHEN g % 3 = 0 THEN NULL ELSE md5(g::text) END FROM generate_series(1, 200000) AS g");
  src.query(
      "CREATE TABLE events (id bigserial PRIMARY KEY, account_id int REFERENCES accounts, kind text NOT NULL, "
      "payload text NOT NULL, created_at timestamptz NOT NULL DEFAULT now())");
  src.query(
      "INSERT INTO events (account_id, kind, payload) SELECT 1 + (g * 7919) % 200000, 'k' || g % 5, md5(g::text) "
      "FROM generate_series(1, 100000) AS g");
  src.query("ANALYZE");
  made = true;
}

ShadowCopyReport copy(double sample = 100) {
  make_source();
  ShadowCopyOptions o;
  o.source_dsn = source_dsn();
  o.target_dsn = shadow_dsn();
  o.replace = true;
  o.sample_percent = sample;
  o.sample_min_bytes = 0;
  return create_shadow(o);
}

int64_t count(pg::Connection& c, const std::string& sql) { return c.query(sql).get<int64_t>(0, 0); }

const std::string kAdvice = R"json({"schema_version": 1,
  "indexes": [{"table": "public.accounts",
               "definition": "CREATE INDEX accounts_email_idx ON public.accounts USING btree (email)",
               "queries": [{"fingerprint": "f000000000000001"}]}],
  "workload": {"classes": [
    {"fingerprint": "f000000000000001", "text": "SELECT id, region FROM accounts WHERE email = $1", "kind": "select",
     "reads": ["public.accounts"], "writes": [],
     "samples": ["SELECT id, region FROM accounts WHERE email = 'user77@example.com'"],
     "parameter_sets": [["user5@example.com"], ["user123456@example.com"], ["nobody@example.com"]]}]}})json";

BenchOptions quick() {
  BenchOptions o;
  o.runs = 8;
  o.rounds = 2;
  o.warmup = 1;
  return o;
}

}  // namespace

TEST_CASE("shadow create copies schema and rows, sampling keeps foreign keys", "[shadow][live]") {
  auto whole = copy();
  auto shadow = pg::Connection::open(shadow_dsn());
  CHECK(count(shadow, "SELECT count(*) FROM accounts") == 200000);
  CHECK(count(shadow, "SELECT count(*) FROM events") == 100000);
  CHECK(count(shadow, "SELECT count(*) FROM accounts WHERE doubled = region * 2") == 200000);  // generated column
  // The sequence continues after the source's rows.
  CHECK(count(shadow, "SELECT nextval('events_id_seq')") > 100000);
  CHECK(database_identity(shadow).shadow_of == shadow_mark(whole.source_identity));

  auto sampled = copy(10);
  CHECK(sampled.replaced);
  auto s = pg::Connection::open(shadow_dsn());
  int64_t accounts = count(s, "SELECT count(*) FROM accounts");
  int64_t events = count(s, "SELECT count(*) FROM events");
  CHECK(accounts > 10000);
  CHECK(accounts < 30000);
  CHECK(events < 30000);
  CHECK(
      count(s, "SELECT count(*) FROM events e WHERE NOT EXISTS (SELECT 1 FROM accounts a WHERE a.id = e.account_id)") ==
      0);
  // The foreign key itself was restored (post-data), which it could not be with orphans.
  CHECK(count(s, "SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND conrelid = 'events'::regclass") == 1);
}

TEST_CASE("the source is refused as a shadow", "[shadow][live]") {
  make_source();
  ShadowCopyOptions o;
  o.source_dsn = source_dsn();
  o.target_dsn = source_dsn();
  CHECK_THROWS_AS(create_shadow(o), ShadowRefused);
  auto src = pg::Connection::open(source_dsn());
  auto id = database_identity(src);
  CHECK_THROWS_AS(check_shadow(id), ShadowRefused);  // not marked as a shadow
  copy();
  auto shadow = pg::Connection::open(shadow_dsn());
  auto shadow_id = database_identity(shadow);
  CHECK_NOTHROW(check_shadow(shadow_id, id));
  CHECK_THROWS_AS(check_shadow(shadow_id, shadow_id), ShadowRefused);  // --dsn names the shadow itself
}

TEST_CASE("bench proves a real speedup and leaves no trace", "[shadow][bench][live]") {
  copy();
  auto shadow = pg::Connection::open(shadow_dsn());
  std::string catalog = catalog_fingerprint(shadow);
  auto result = run_bench(shadow, plan_from_advice(kAdvice, std::nullopt, 5), quick());
  REQUIRE(result.classes.size() == 1);
  const auto& c = result.classes[0];
  INFO(c.error << " " << c.before.plan << " -> " << c.after.plan);
  CHECK(c.error.empty());
  CHECK(c.verdict == Verdict::Faster);
  CHECK(c.speedup.ci_low > 1);
  CHECK_FALSE(c.result_changed);
  CHECK(c.runs == 8);
  CHECK(c.before.plan.find("Seq Scan") != std::string::npos);
  CHECK(c.after.plan.find("accounts_email_idx") != std::string::npos);
  REQUIRE(result.indexes.size() == 1);
  CHECK(result.indexes[0].size_bytes > 1000000);
  CHECK(result.indexes[0].build_ms > 0);
  CHECK(result.schema_unchanged());
  CHECK(catalog_fingerprint(shadow) == catalog);
  CHECK(count(shadow, "SELECT count(*) FROM pg_indexes WHERE indexname = 'accounts_email_idx'") == 0);
}

TEST_CASE("bench flags wide indexes on an INSERT-heavy class as slower", "[shadow][bench][live]") {
  copy();
  auto shadow = pg::Connection::open(shadow_dsn());
  std::string catalog = catalog_fingerprint(shadow);
  int64_t rows = count(shadow, "SELECT count(*) FROM events");
  std::string script;
  for (int i = 0; i < 6; ++i) {
    script += "CREATE INDEX CONCURRENTLY events_wide_" + std::to_string(i) +
              " ON events (payload, kind, (md5(payload || '" + std::to_string(i) + "')));\n";
  }
  auto plan = plan_from_script(script,
                               "INSERT INTO events (account_id, kind, payload) SELECT 1 + g % 1000, 'bulk', "
                               "repeat(md5(g::text), 4) FROM generate_series(1, 2000) AS g",
                               5);
  CHECK(plan.indexes_only);
  auto result = run_bench(shadow, plan, quick());
  REQUIRE(result.classes.size() == 1);
  const auto& c = result.classes[0];
  INFO(c.error);
  CHECK(c.verdict == Verdict::Slower);
  CHECK(c.speedup.ci_high < 1);
  CHECK(result.indexes.size() == 6);
  CHECK(result.schema_unchanged());
  CHECK(catalog_fingerprint(shadow) == catalog);
  CHECK(count(shadow, "SELECT count(*) FROM events") == rows);  // the inserts were rolled back
}

TEST_CASE("bench catches a script that changes results", "[shadow][bench][live]") {
  copy();
  auto shadow = pg::Connection::open(shadow_dsn());
  std::string catalog = catalog_fingerprint(shadow);
  // A "harmless" clean-up that rewrites the e-mails of one region: that region's reads see other rows.
  auto plan = plan_from_script(
      "CREATE INDEX accounts_region_idx ON accounts (region);\n"
      "UPDATE accounts SET email = upper(email) WHERE region = 7;",
      "SELECT id, email FROM accounts WHERE region = 7; SELECT id, email FROM accounts WHERE region = 9;", 5);
  CHECK_FALSE(plan.indexes_only);
  auto result = run_bench(shadow, plan, quick());
  REQUIRE(result.classes.size() == 1);
  CHECK(result.classes[0].result_changed);
  CHECK(result.classes[0].verdict == Verdict::Error);
  CHECK(result.any_result_changed());
  CHECK(result.schema_unchanged());
  CHECK(catalog_fingerprint(shadow) == catalog);
  CHECK(count(shadow, "SELECT count(*) FROM accounts WHERE email <> lower(email)") == 0);  // rolled back
}
