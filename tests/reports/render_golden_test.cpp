// Golden-file tests of the text and Markdown renderers of reports/: fixed inputs (with hostile strings: newlines,
// terminal escapes, '|' for Markdown cells, non-ASCII and a byte that is not UTF-8) are rendered and compared byte
// for byte with tests/reports/golden/. The inputs are built here, not read from a server or the analyzer, so only a
// change of the renderers changes the output. To accept an intended change: UPDATE_GOLDEN=1 ctest -R 'reports:'
// (or run build/test/tests/reports_tests with UPDATE_GOLDEN=1), then review `git diff tests/reports/golden`.
// The same renderings are also checked for what no golden file should ever pin: a control character of an input
// in the output, or a Markdown table row that a value split.
#include <cctype>
#include <string_view>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>

#include "analyzer/utf8.hpp"
#include "golden.hpp"
#include "reports/advice_report.hpp"
#include "reports/bench_report.hpp"
#include "reports/doctor_report.hpp"
#include "reports/fingerprint_report.hpp"
#include "reports/health_report.hpp"
#include "reports/ingest_report.hpp"
#include "reports/shadow_report.hpp"
#include "reports/statement_ranking_report.hpp"
#include "reports/top_report.hpp"

using namespace pgadvisor;
using pgadvisor::test::check_golden;

namespace {

// A value from a database or a log, as hostile as they come.
const std::string kNewline = "two\nlines\r\n";
const std::string kEscape = "\x1b[31mred\x1b[0m\x07";
const std::string kPipe = "a | b \\| c";
const std::string kUnicode = "café 日本 \u2028 naïve";
const std::string kLatin1 = "caf\xe9";  // not UTF-8: rendered as U+FFFD

collector::DoctorReport doctor_report() {
  collector::DoctorReport r;
  r.server = "host=db port=5432 dbname=" + kUnicode;
  r.checks = {
      {"server.version", collector::CheckStatus::Ok, "15.18", ""},
      {"pg_stat_statements.loaded", collector::CheckStatus::Problem, "not in shared_preload_libraries",
       "ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'; -- then restart"},
      {"log_min_duration_statement", collector::CheckStatus::Warning, kNewline + kEscape,
       "ALTER SYSTEM SET log_min_duration_statement = '100ms';\nSELECT pg_reload_conf();"},
      {"hypopg." + kLatin1, collector::CheckStatus::Ok, kPipe, ""},
  };
  return r;
}

std::vector<reports::FingerprintRecord> fingerprint_records() {
  std::vector<reports::FingerprintRecord> records;

  reports::FingerprintRecord select;
  select.line = 1;
  select.text =
      "SELECT * FROM orders\n  WHERE customer_id = 42 AND note = '" + kEscape + kPipe + "'\n  ORDER BY id DESC";
  select.info = analyzer::StatementInfo{0x0123456789abcdefULL, analyzer::StatementKind::Select, std::nullopt};
  select.normalized = "SELECT * FROM orders\n  WHERE customer_id = $1 AND note = $2\n  ORDER BY id DESC";
  analyzer::QueryFacts facts;
  facts.kind = analyzer::StatementKind::Select;
  analyzer::TableName orders{"public", "orders", false};
  facts.tables_read = {orders};
  analyzer::QueryBlock block;
  analyzer::Predicate eq;
  eq.subject.table = orders;
  eq.subject.column = "customer_id";
  eq.kind = analyzer::PredicateKind::Equality;
  eq.op = "=";
  eq.operands = {analyzer::Operand{analyzer::Operand::Kind::Parameter, "$1", 1}};
  block.predicates.push_back(eq);
  analyzer::Predicate hostile;
  hostile.subject.table = orders;
  hostile.subject.column = "note" + kNewline;
  hostile.op = "=";
  hostile.operands = {analyzer::Operand{analyzer::Operand::Kind::Literal, "'" + kEscape + "'", 0}};
  block.predicates.push_back(hostile);
  analyzer::SortKey by_id;
  by_id.key.table = orders;
  by_id.key.column = "id";
  by_id.direction = analyzer::SortKey::Direction::Descending;
  block.order_by.push_back(by_id);
  block.has_limit = true;
  facts.blocks.push_back(block);
  select.facts = facts;
  records.push_back(select);

  reports::FingerprintRecord broken;
  broken.line = 4;
  broken.text = "SELEC " + kUnicode + " FROM " + kLatin1;
  broken.info = analyzer::StatementInfo{0, analyzer::StatementKind::Invalid,
                                        analyzer::StatementError{"syntax error at or near \"SELEC\"", 1}};
  broken.normalized = "SELEC " + kUnicode + " FROM " + kLatin1;
  broken.unparsed_fingerprint = "u0123456789abcde";
  records.push_back(broken);

  reports::FingerprintRecord large;
  large.line = 5;
  large.text = "VACUUM";
  large.info = analyzer::StatementInfo{0xfedcba9876543210ULL, analyzer::StatementKind::Maintenance, std::nullopt};
  large.normalized = "VACUUM";
  large.facts_note = "too large to analyze (" + kNewline + ")";
  records.push_back(large);
  return records;
}

collector::IngestSummary ingest_summary() {
  collector::IngestSummary s;
  collector::FileSummary ok;
  ok.path = "/var/log/postgresql/" + kUnicode + ".log";
  ok.format = "stderr";
  ok.prefix = "%m [%p] %q%u@%d ";
  ok.start_offset = 100;
  ok.end_offset = 123456;
  ok.counters.lines = 1000;
  ok.counters.entries = 900;
  ok.counters.calls = 800;
  ok.counters.timed_calls = 790;
  ok.counters.total_us = 1234567;
  ok.counters.prepares = 12;
  ok.counters.plans = 3;
  ok.counters.parameter_sets = 40;
  ok.counters.errors = 5;
  ok.counters.unattributed_errors = 1;
  ok.counters.bad_lines = 2;
  ok.counters.malformed = 1;
  ok.counters.unparsable = 1;
  ok.problems = {collector::InputProblem{"unknown line", 17, kEscape + kNewline},
                 collector::InputProblem{"unparsable statement", 18, "SELEC " + kLatin1 + " | x"}};
  s.files.push_back(ok);

  collector::FileSummary unchanged;
  unchanged.path = "/var/log/postgresql/old.log" + kNewline;
  unchanged.format = "csvlog";
  unchanged.start_offset = 5000;
  unchanged.end_offset = 5000;
  unchanged.note = "unchanged since the last ingest";
  s.files.push_back(unchanged);

  collector::FileSummary broken;
  broken.path = "/var/log/" + kPipe;
  broken.format = "jsonlog";
  broken.error = "cannot open: " + kEscape;
  s.files.push_back(broken);

  collector::FileSummary duplicate;
  duplicate.path = "/var/log/postgresql/copy.log";
  duplicate.format = "stderr";
  duplicate.duplicate_of = "/var/log/postgresql/" + kUnicode + ".log";
  s.files.push_back(duplicate);

  for (const auto& f : s.files) s.totals.merge(f.counters);
  s.classes = 7;
  s.bytes = 123356;
  s.seconds = 1.25;
  return s;
}

collector::LoggedClass logged_class(const std::string& fingerprint, const std::string& normalized, double total_ms,
                                    uint64_t calls) {
  collector::LoggedClass c;
  c.fingerprint = fingerprint;
  c.normalized = normalized;
  c.kind = "select";
  c.calls = calls;
  c.timed_calls = calls;
  c.total_ms = total_ms;
  c.mean_ms = total_ms / static_cast<double>(calls);
  c.min_ms = 0.125;
  c.max_ms = total_ms / 2;
  c.stddev_ms = 1.5;
  c.p50_ms = c.mean_ms;
  c.p95_ms = c.mean_ms * 3;
  c.p99_ms = c.mean_ms * 4;
  c.first_seen = "2026-12-01 10:00:00";
  c.last_seen = "2026-12-02 11:30:00";
  return c;
}

reports::TopReport top_report(bool details) {
  reports::TopReport r;
  r.source = "logs";
  r.by = "total";
  r.classes.push_back(logged_class("0123456789abcdef", "SELECT * FROM orders\nWHERE note = $1 " + kPipe, 5000, 100));
  auto hostile = logged_class("fedcba9876543210", "UPDATE " + kEscape + " SET x = $1 -- " + kUnicode, 2500.5, 7);
  hostile.kind = "update";
  hostile.errors = 2;
  hostile.prepare_count = 3;
  hostile.prepare_ms = 1.75;
  r.classes.push_back(hostile);
  auto unparsed = logged_class("u0123456789abcde", "SELEC " + kLatin1, 10, 1);
  unparsed.kind = "invalid";
  r.classes.push_back(unparsed);
  r.total_classes = 5;
  r.classes_total_ms = 7600;
  r.logged_total_ms = 7700;
  if (details) {
    reports::ClassDetails first;
    first.breakdown.databases = {{"shop", 90, 4500}, {kUnicode, 10, 500}};
    first.breakdown.users = {{"app" + kNewline, 100, 5000}};
    first.breakdown.applications = {{kEscape, 60, 3000}, {kPipe, 40, 2000}};
    first.samples.statements = {"SELECT * FROM orders\nWHERE note = 'x' " + kPipe};
    first.samples.parameters = {"$1 = '" + kEscape + "'"};
    r.details.push_back(first);
    r.details.emplace_back();
    r.details.emplace_back();
  }
  return r;
}

collector::StatementRanking statement_ranking() {
  collector::StatementRanking r;
  r.server_key = "7123456789/" + kUnicode;
  r.from = "2026-12-01 10:00:00+00";
  r.to = "2026-12-01 11:00:00+00";
  r.seconds = 3600;
  r.snapshots = 4;
  r.stats_resets = 1;
  r.evicted_entries = 12;
  r.new_entries = 3;
  collector::StatementClassRank a;
  a.fingerprint = "0123456789abcdef";
  a.query = "SELECT * FROM orders WHERE id = $1 " + kPipe + kNewline;
  a.queryids = {-42, 17};
  a.delta.calls = 1000;
  a.delta.total_exec_time_ms = 1500.25;
  a.delta.total_plan_time_ms = 20;
  a.delta.rows = 1000;
  a.delta.shared_blks_hit = 5000;
  a.delta.shared_blks_read = 120;
  a.delta.temp_blks_written = 0;
  a.total_time_ms = 1520.25;
  a.mean_time_ms = 1.52025;
  a.share_of_time = 0.75;
  r.classes.push_back(a);
  collector::StatementClassRank b;
  b.fingerprint = "queryid:99";
  b.query = kEscape + " " + kLatin1;
  b.queryids = {99};
  b.delta.calls = 3;
  b.delta.total_exec_time_ms = 506.75;
  b.delta.temp_blks_written = 64;
  b.total_time_ms = 506.75;
  b.mean_time_ms = 168.916666;
  b.share_of_time = 0.25;
  r.classes.push_back(b);
  r.warnings = {"pg_stat_statements was reset " + kNewline + "between two snapshots", kEscape};
  return r;
}

collector::HealthReport health_report() {
  collector::HealthReport r;
  r.server = "7123456789/shop";
  r.from = "2026-12-01 10:00:00+00";
  r.to = "2026-12-01 11:00:00+00";
  r.blocks_hit = 99000;
  r.blocks_read = 1000;
  r.cache_hit_ratio = 0.99;
  r.connections = 12;
  r.max_connections = 100;
  collector::TableHealth orders;
  orders.schema = "public";
  orders.name = "orders";
  orders.size_bytes = 123456789;
  orders.live_tuples = 1500000;
  orders.seq_scans = 42;
  orders.index_scans = 1000;
  orders.seq_tuples_read = 63000000;
  orders.heap_blocks_hit = 5000;
  orders.heap_blocks_read = 500;
  orders.cache_hit_ratio = 5000.0 / 5500.0;
  orders.index_usage_ratio = 1000.0 / 1042.0;
  r.tables.push_back(orders);
  collector::TableHealth hostile;
  hostile.schema = "We" + kPipe;
  hostile.name = kNewline + kEscape + kUnicode;
  hostile.size_bytes = 8192;
  hostile.live_tuples = 3;
  hostile.seq_scans = 7;
  r.tables.push_back(hostile);

  collector::IndexFinding invalid;
  invalid.problem = analyzer::IndexProblem::Invalid;
  invalid.schema = "public";
  invalid.table = "orders";
  invalid.index = "orders_note_idx";
  invalid.definition = "CREATE INDEX orders_note_idx ON public.orders USING btree (note)";
  invalid.size_bytes = 16384;
  invalid.fix = "DROP INDEX CONCURRENTLY public.orders_note_idx;";
  r.indexes.push_back(invalid);
  collector::IndexFinding duplicate;
  duplicate.problem = analyzer::IndexProblem::Duplicate;
  duplicate.schema = "We" + kPipe;
  duplicate.table = kUnicode;
  duplicate.index = "idx" + kNewline + kEscape;
  duplicate.definition = "CREATE INDEX ... (a) WHERE b = '" + kPipe + "'";
  duplicate.size_bytes = 2 * 1024 * 1024;
  duplicate.scans = 0;
  duplicate.covered_by = "other " + kLatin1;
  duplicate.fix = "DROP INDEX CONCURRENTLY \"We | b \\| c\".\"idx\";";
  r.indexes.push_back(duplicate);
  collector::IndexFinding constraint;
  constraint.problem = analyzer::IndexProblem::Redundant;
  constraint.schema = "public";
  constraint.table = "items";
  constraint.index = "items_a_key";
  constraint.definition = "CREATE UNIQUE INDEX items_a_key ON public.items USING btree (a)";
  constraint.size_bytes = 40960;
  constraint.scans = 3;
  constraint.covered_by = "items_a_b_key";
  constraint.droppable = false;
  r.indexes.push_back(constraint);
  collector::IndexFinding unused;
  unused.problem = analyzer::IndexProblem::Unused;
  unused.schema = "public";
  unused.table = "carts";
  unused.index = "carts_created_idx";
  unused.definition = "CREATE INDEX carts_created_idx ON public.carts USING btree (created)";
  unused.size_bytes = 1024;
  unused.fix = "DROP INDEX CONCURRENTLY public.carts_created_idx;";
  r.indexes.push_back(unused);
  return r;
}

advisor::IndexCandidate candidate(const std::string& schema, const std::string& table,
                                  std::vector<std::string> columns) {
  advisor::IndexCandidate c;
  c.table = analyzer::TableName{schema, table, false};
  for (auto& column : columns) c.keys.push_back(advisor::IndexKey{column, "", false, std::nullopt});
  return c;
}

advisor::Advice advice() {
  advisor::Advice a;
  advisor::IndexAdvice plain;
  plain.index = candidate("public", "orders", {"customer_id", "created_at"});
  plain.index.keys[1].descending = true;
  plain.index.assigned_name = "orders_customer_id_created_at_desc_idx";
  plain.size_bytes = 45 * 1024 * 1024;
  plain.write_overhead = 120.5;
  plain.queries = {
      advisor::QueryEvidence{"0123456789abcdef", 1000, 25000.5, 8.25,
                             "Seq Scan on orders\n  Filter: (customer_id = 42)",
                             "Index Scan using orders_customer_id_created_at_desc_idx on orders",
                             "2 sampled parameter set(s): ($1 = '42'); ($1 = '7')"},
      advisor::QueryEvidence{"1123456789abcdef", 10, 300, 290, "Sort\n  -> Seq Scan on orders",
                             "Sort\n  -> Index Scan"},
  };
  plain.rationale = {
      "keys: customer_id (equality in 2 classes, about 50000 distinct values), created_at DESC (ORDER BY in 1 class)",
      "order: the equality key customer_id leads; then created_at in the ORDER BY's order and directions, so the scan "
      "returns "
      "rows in order without a sort and stops at the LIMIT",
      "full: the classes it serves state no constant a partial index could keep",
      "writes: 120 row change(s) at 4.0 cost units each = 480, from insert x120 (2123456789abcdef)"};
  a.indexes.push_back(plain);
  advisor::IndexAdvice hostile;
  hostile.index = candidate("We" + kPipe, kNewline + kUnicode, {kEscape});
  hostile.index.include = {"total" + kLatin1};
  hostile.index.predicate = "status = '" + kPipe + "'";
  hostile.index.assigned_name = "two_lines_caf_idx";
  hostile.size_bytes = 8192;
  hostile.queries = {
      advisor::QueryEvidence{"fedcba9876543210", 7, 100, 10, kEscape + kNewline, kPipe, "($1 = '" + kEscape + "')"}};
  hostile.rationale = {"partial: WHERE status = '" + kPipe + kNewline + "'", "keys: `" + kEscape + "`"};
  a.indexes.push_back(hostile);

  advisor::AdvisedClass c1;
  c1.fingerprint = "0123456789abcdef";
  c1.text = "SELECT * FROM orders WHERE customer_id = $1 ORDER BY created_at DESC";
  c1.kind = "select";
  c1.calls = 1000;
  c1.reads = {"public.orders"};
  c1.samples = {"SELECT * FROM orders WHERE customer_id = 42 ORDER BY created_at DESC"};
  c1.plan_source = advisor::PlanSource::Literals;
  c1.cost_before = 25000.5;
  c1.cost_after = 8.25;
  a.classes_advised.push_back(c1);
  advisor::AdvisedClass c2;
  c2.fingerprint = "fedcba9876543210";
  c2.text = "UPDATE " + kEscape + " SET a = $1 " + kPipe + kNewline;
  c2.kind = "update";
  c2.calls = 7;
  c2.writes = {"We.x"};
  c2.plan_source = advisor::PlanSource::Generic;
  c2.plan_note = "sampled values refused: " + kLatin1;
  c2.cost_before = 100;
  c2.cost_after = 10;
  a.classes_advised.push_back(c2);

  advisor::DropAdvice drop;
  drop.finding.problem = analyzer::IndexProblem::Redundant;
  drop.finding.schema = "public";
  drop.finding.table = "orders";
  drop.finding.index = "orders_customer_id_idx";
  drop.finding.definition = "CREATE INDEX orders_customer_id_idx ON public.orders USING btree (customer_id)";
  drop.finding.size_bytes = 30 * 1024 * 1024;
  drop.finding.covered_by = "orders_customer_id_created_at_desc_idx";
  drop.evidence = "a leading prefix of the advised index; " + kPipe + kNewline;
  a.drops.push_back(drop);
  // A daily count per customer as a view; a second view over a hostile table, without a filter index, serving a
  // class whose only rewrite is its sample's.
  advisor::ViewAdvice daily;
  daily.schema = "public";
  daily.name = "orders_day_customer_id_mv";
  daily.select =
      "SELECT date_trunc('day', created_at) AS day, count(*) AS n, customer_id AS customer_id FROM public.orders "
      "GROUP BY date_trunc('day', created_at), customer_id";
  daily.columns = {"day", "n", "customer_id"};
  daily.unique_key = {"day", "customer_id"};
  daily.unique_index = "orders_day_customer_id_mv_key";
  daily.filter_columns = {"customer_id"};
  daily.filter_index = "orders_day_customer_id_mv_filter_idx";
  daily.base_tables = {"public.orders"};
  advisor::ViewClass daily_class;
  daily_class.fingerprint = "5523456789abcdef";
  daily_class.text =
      "SELECT date_trunc('day', created_at) AS day, count(*) AS n FROM orders WHERE customer_id = $1 GROUP BY 1";
  daily_class.rewritten =
      "SELECT v.day AS day, v.n AS n FROM public.orders_day_customer_id_mv AS v WHERE v.customer_id = $1";
  daily_class.calls = 500;
  daily_class.cost_before = 4500.5;
  daily_class.cost_after = 12.25;
  daily.classes = {daily_class};
  daily.estimated_rows = 1500;
  daily.base_rows = 2e6;
  daily.estimated_bytes = 96000;
  daily.refresh_cost = 52000;
  daily.base_writes = 40;
  daily.saving = 500 * (4500.5 - 12.25);
  daily.refresh_every_calls = 47;
  daily.refresh_every_seconds = 1410;  // the workload's window known: 47 executions in 23.5 min
  daily.net_saving_per_hour = 9100;
  daily.net_saving = 2'000'000;
  advisor::ViewAdvice hostile_view;
  hostile_view.schema = "We" + kPipe;
  hostile_view.name = kNewline + "_mv";
  hostile_view.select = "SELECT " + kEscape + " AS k, count(*) AS n FROM x GROUP BY 1";
  hostile_view.unique_key = {"k" + kNewline};
  hostile_view.unique_index = "k_mv_key";
  hostile_view.base_tables = {"We" + kPipe + "." + kNewline};
  advisor::ViewClass hostile_class;
  hostile_class.fingerprint = "6623456789abcdef";
  hostile_class.text = "SELECT k, count(*) FROM x WHERE " + kEscape + " GROUP BY k";
  hostile_class.samples = {"SELECT k, count(*) FROM x WHERE k = '" + kPipe + "' GROUP BY k"};
  hostile_class.rewritten_samples = {"SELECT v.k FROM v WHERE v.k = '" + kUnicode + "'"};
  hostile_class.calls = 3;
  hostile_class.cost_before = 900;
  hostile_class.cost_after = 8;
  hostile_view.classes = {hostile_class};
  hostile_view.estimated_rows = 20;
  hostile_view.base_rows = 50000;
  hostile_view.estimated_bytes = 4'500'000;
  hostile_view.refresh_cost = 800;
  hostile_view.saving = 2676;
  hostile_view.refresh_every_calls = 2;
  hostile_view.net_saving = 1876;
  a.views = {daily, hostile_view};
  a.refused_views = {
      advisor::RefusedView{"7723456789abcdef",
                           "SELECT status, avg(total) FROM orders WHERE created_at > now() GROUP BY 1",
                           "a value of the moment (now()): the view would keep the value of its refresh"},
      advisor::RefusedView{"8823456789abcdef", "SELECT " + kEscape + kNewline, "does not parse: " + kPipe}};
  a.refused_candidates = {
      advisor::RefusedCandidate{"ON public.t USING btree (" + kEscape + ")", "hypopg: " + kNewline}};
  a.unplanned = {advisor::UnplannedQuery{"2223456789abcdef", "syntax error " + kPipe, true},
                 advisor::UnplannedQuery{"3323456789abcdef", "no table " + kUnicode, false},
                 advisor::UnplannedQuery{"4423456789abcdef", "no index can be built on any table it reads", false}};
  a.not_indexable = {
      advisor::NotIndexable{"public.remote",
                            "a foreign table: PostgreSQL cannot build an index on one",
                            {"4423456789abcdef", "5523456789abcdef"}},
      advisor::NotIndexable{"We" + kPipe + "." + kNewline + kEscape, "a foreign table " + kPipe, {kEscape}}};
  a.cost_before = 25000.5 * 1000 + 700;
  a.cost_after = 8.25 * 1000 + 70;
  a.classes = 4;
  a.candidates = 12;
  a.requests.requests = 40;
  a.requests.cache_hits = 15;
  a.requests.inner_time = std::chrono::milliseconds(1234);
  a.selection = {"ilp", 9000.5, 8320.25, "optimal", 0.25};
  return a;
}

shadow::ShadowCopyReport shadow_report() {
  shadow::ShadowCopyReport r;
  r.source = "host=db dbname=shop";
  r.target = "host=db dbname=" + kUnicode;
  r.source_identity.system_identifier = "7123456789";
  r.source_identity.database = "shop";
  r.source_identity.port = 5432;
  r.source_identity.version_num = 150018;
  r.tables = {
      shadow::CopiedTable{"public.orders", 400 * 1024 * 1024, 1500000, 150000, true, false, 0},
      shadow::CopiedTable{"public.order_items", 800 * 1024 * 1024, 3000000, 290000, false, true, 12},
      shadow::CopiedTable{"We" + kPipe + "." + kNewline + kEscape, 8192, 3, 3, false, false, 0},
  };
  r.sequences = 4;
  r.replaced = true;
  r.seconds = 12.5;
  return r;
}

shadow::BenchResult bench_result() {
  shadow::BenchResult r;
  r.shadow = "host=db dbname=shop_shadow";
  r.mode = "indexes";
  shadow::ClassResult faster;
  faster.fingerprint = "0123456789abcdef";
  faster.text = "SELECT * FROM orders WHERE customer_id = $1";
  faster.kind = "select";
  faster.why = "helped by orders_customer_id_idx";
  faster.instances = 3;
  faster.runs = 20;
  faster.before = shadow::StateSummary{25.5, 30.25, 0.125, 26, 31, 10, 3000, "Seq Scan on orders", {}, {}};
  faster.after =
      shadow::StateSummary{0.5, 0.75, 0.25, 0.625, 0.875, 4, 0, "Index Scan using orders_customer_id_idx", {}, {}};
  faster.speedup = shadow::SpeedupEstimate{51, 40.5, 60.25};
  faster.verdict = shadow::Verdict::Faster;
  r.classes.push_back(faster);
  shadow::ClassResult slower;
  slower.fingerprint = "fedcba9876543210";
  slower.text = "UPDATE " + kEscape + " SET a = $1 " + kPipe + kNewline + kUnicode;
  slower.kind = "update";
  slower.why = "writes " + kLatin1;
  slower.instances = 1;
  slower.runs = 20;
  slower.before = shadow::StateSummary{1, 1.5, 0.1, 1.2, 1.7, 5, 0, "Update on x" + kNewline, {}, {}};
  slower.after = shadow::StateSummary{1.5, 2, 0.1, 1.6, 2.1, 7, 1, kPipe, {}, {}};
  slower.speedup = shadow::SpeedupEstimate{0.66, 0.6, 0.7};
  slower.verdict = shadow::Verdict::Slower;
  slower.result_changed = true;
  slower.result_detail = "rows 100 -> 50 " + kEscape;
  r.classes.push_back(slower);
  shadow::ClassResult failed;
  failed.fingerprint = "2223456789abcdef";
  failed.text = "SELECT broken()";
  failed.kind = "select";
  failed.verdict = shadow::Verdict::Error;
  failed.error = "ERROR: function broken() does not exist\n" + kEscape;
  r.classes.push_back(failed);
  r.indexes = {
      shadow::IndexBuild{"CREATE INDEX ON public.orders (customer_id)",
                         "public.orders_customer_id_idx",
                         "public.orders",
                         1234.5,
                         33 * 1024 * 1024,
                         {"0123456789abcdef"}},
      shadow::IndexBuild{"CREATE INDEX ON x (" + kPipe + ")", "We.idx" + kNewline, "We." + kUnicode, 3.25, 8192, {}}};
  shadow::ViewResult proven;
  proven.name = "public.orders_day_mv";
  proven.select = "SELECT date_trunc('day', created_at) AS day, count(*) AS count FROM orders GROUP BY 1";
  proven.build_ms = 812.5;
  proven.indexes = {shadow::IndexBuild{"CREATE UNIQUE INDEX ON public.orders_day_mv (day)",
                                       "public.orders_day_mv_day_idx",
                                       "public.orders_day_mv",
                                       4.5,
                                       16384,
                                       {}}};
  proven.index_build_ms = 4.5;
  proven.size_bytes = 49152;
  proven.rows = 365;
  proven.refresh_ms = 950.25;
  proven.check.passed = true;
  proven.check.executions = 7;
  shadow::ClassResult served = faster;
  served.fingerprint = "3333456789abcdef";
  served.text = "SELECT v.day AS day, v.count AS count FROM public.orders_day_mv AS v WHERE v.day >= $1";
  served.why = "served by view public.orders_day_mv";
  served.speedup = shadow::SpeedupEstimate{120.5, 98.25, 140};
  proven.classes = {served};
  shadow::ViewResult rejected;
  rejected.name = "public.We" + kPipe + kNewline;
  rejected.select = "SELECT " + kEscape;
  rejected.build_ms = 20;
  rejected.size_bytes = 8192;
  rejected.rows = 3;
  rejected.check.executions = 2;
  rejected.check.fingerprint = "4444456789abcdef";
  rejected.check.execution = 2;
  rejected.check.original = "SELECT count(*) FROM t WHERE tenant = $1 AND note = $2";
  rejected.check.rewritten = "SELECT v.count FROM mv AS v WHERE v.tenant = $1" + kNewline;
  rejected.check.params = {std::string("it's ") + kEscape, std::nullopt};
  rejected.check.detail = "row 1 of the original is not in the rewritten result " + kPipe;
  rejected.check.row = 1;
  rejected.check.original_row = "('0', NULL)";
  rejected.check.rewritten_row = std::nullopt;
  shadow::ViewResult failed_view;
  failed_view.name = "public.orders_tenant_mv";
  failed_view.error = "could not create unique index " + kUnicode + " (SQLSTATE 23505)";
  r.views = {proven, rejected, failed_view};
  r.skipped = {"DROP INDEX " + kEscape + ": not an index build"};
  r.catalog_before = "md5-a";
  r.catalog_after = "md5-a";
  r.kept = false;
  r.seconds = 95.5;
  return r;
}

// Every text and Markdown rendering of the inputs above, by its golden file's name.
std::vector<std::pair<std::string, std::string>> renderings() {
  return {
      {"doctor.txt", reports::render_doctor_text(doctor_report(), false)},
      {"doctor_color.txt", reports::render_doctor_text(doctor_report(), true)},
      {"fingerprint.txt", reports::render_fingerprint_text(fingerprint_records())},
      {"ingest.txt", reports::render_ingest_text(ingest_summary())},
      {"top.txt", reports::render_top_text(top_report(false))},
      {"top_details.txt", reports::render_top_text(top_report(true))},
      {"top.md", reports::render_top_markdown(top_report(false))},
      {"statement_ranking.txt", reports::render_statement_ranking_text(statement_ranking())},
      {"statement_ranking.md", reports::render_statement_ranking_markdown(statement_ranking())},
      {"health.txt", reports::render_health_text(health_report())},
      {"health.md", reports::render_health_markdown(health_report())},
      {"advice.txt", reports::render_advice_text(advice())},
      {"advice.md", reports::render_advice_markdown(advice())},
      {"shadow.txt", reports::render_shadow_text(shadow_report())},
      {"bench.txt", reports::render_bench_text(bench_result())},
      {"bench.md", reports::render_bench_markdown(bench_result())},
      {"empty_top.txt", reports::render_top_text(reports::TopReport{})},
      {"empty_top.md", reports::render_top_markdown(reports::TopReport{})},
      {"empty_health.md", reports::render_health_markdown(collector::HealthReport{})},
      {"empty_advice.txt", reports::render_advice_text(advisor::Advice{})},
      {"empty_advice.md", reports::render_advice_markdown(advisor::Advice{})},
      {"empty_bench.md", reports::render_bench_markdown(shadow::BenchResult{})},
  };
}

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  for (size_t start = 0; start < text.size();) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

//! Where `text` holds a character no report may print raw: a byte below 0x20 but '\n', DEL, a C1 control
//! (U+0080-U+009F: C2 80-C2 9F) or U+2028/U+2029 (E2 80 A8/A9); npos when none.
size_t forbidden_character(std::string_view text) {
  for (size_t i = 0; i < text.size(); ++i) {
    const auto b = static_cast<unsigned char>(text[i]);
    const auto next = [&](size_t k) { return i + k < text.size() ? static_cast<unsigned char>(text[i + k]) : 0; };
    if ((b < 0x20 && b != '\n') || b == 0x7F) return i;
    if (b == 0xC2 && next(1) >= 0x80 && next(1) <= 0x9F) return i;
    if (b == 0xE2 && next(1) == 0x80 && (next(2) == 0xA8 || next(2) == 0xA9)) return i;
  }
  return std::string_view::npos;
}

//! doctor's coloured text without its own colour codes: each check line's status, "  \033[3Nm" + status +
//! "\033[0m", made plain again. Nothing else is removed, so an ESC from an input stays to be found.
std::string without_status_colours(std::string_view text) {
  std::string out;
  for (auto line : split_lines(text)) {
    std::string l(line);
    // "  " ESC "[3" N "m", then the status padded to 8, then ESC "[0m".
    if (l.rfind("  \033[3", 0) == 0 && l.size() > 6 && l[6] == 'm') {
      l.erase(2, 5);
      if (l.compare(10, 4, "\033[0m") == 0) l.erase(10, 4);
    }
    out += l + "\n";
  }
  return out;
}

//! The cells of a Markdown table row as GitHub's table scanner splits it: a backslash escapes the punctuation
//! character after it ("\\" and "\|" alike), any other '|' separates two cells.
size_t markdown_cells(std::string_view row) {
  size_t pipes = 0;
  for (size_t i = 0; i < row.size(); ++i) {
    if (row[i] == '\\' && i + 1 < row.size() && std::ispunct(static_cast<unsigned char>(row[i + 1]))) {
      ++i;
    } else if (row[i] == '|') {
      ++pipes;
    }
  }
  return pipes == 0 ? 0 : pipes - 1;
}

bool is_delimiter_row(std::string_view line) {
  return line.size() > 2 && line.front() == '|' && line.back() == '|' &&
         line.find_first_not_of("|-: ") == std::string_view::npos && line.find('-') != std::string_view::npos;
}

//! Every table of a Markdown document: after a blank line; every row from its header to the next blank line one
//! line that starts and ends with '|' and has the header's number of cells.
void check_markdown_tables(std::string_view document) {
  const auto lines = split_lines(document);
  for (size_t i = 0; i + 1 < lines.size(); ++i) {
    if (!is_delimiter_row(lines[i + 1])) continue;
    INFO("table header on line " << i + 1 << ": " << lines[i]);
    CHECK((i == 0 || lines[i - 1].empty()));
    const size_t columns = markdown_cells(lines[i]);
    CHECK(columns > 0);
    for (size_t j = i; j < lines.size() && !lines[j].empty(); ++j) {
      INFO("line " << j + 1 << ": " << lines[j]);
      CHECK(lines[j].front() == '|');
      CHECK(lines[j].back() == '|');
      CHECK(markdown_cells(lines[j]) == columns);
    }
  }
  // A row that no table holds was split from one.
  for (size_t i = 0; i < lines.size(); ++i) {
    if (lines[i].empty() || lines[i].front() != '|') continue;
    size_t header = i;
    while (header > 0 && !lines[header - 1].empty()) --header;
    INFO("line " << i + 1 << ": " << lines[i]);
    CHECK((header + 1 < lines.size() && is_delimiter_row(lines[header + 1])));
  }
}

}  // namespace

TEST_CASE("no control character of an input reaches a text or Markdown report", "[reports][hostile]") {
  const auto all = renderings();
  for (const auto& [name, rendered] : all) {
    INFO(name);
    std::string text = rendered;
    if (name == "doctor_color.txt") {
      // The renderer's own colour codes are the only control sequences allowed, around each status.
      text = without_status_colours(rendered);
      CHECK(text == reports::render_doctor_text(doctor_report(), false));
    }
    CHECK(analyzer::is_valid_utf8(text));
    const size_t at = forbidden_character(text);
    INFO("at byte " << at << ": " << (at == std::string::npos ? "" : text.substr(at > 20 ? at - 20 : 0, 40)));
    CHECK(at == std::string::npos);
  }
}

TEST_CASE("a newline in a value never starts a line of a report", "[reports][hostile]") {
  // kNewline is "two\nlines\r\n": a value written raw would start a line with "lines".
  for (const auto& [name, rendered] : renderings()) {
    for (auto line : split_lines(rendered)) {
      INFO(name << ": " << line);
      CHECK(line.find("lines") != 0);
    }
  }
}

TEST_CASE("a value never splits a Markdown table row", "[reports][hostile]") {
  for (const auto& [name, rendered] : renderings()) {
    if (name.ends_with(".md")) {
      INFO(name);
      check_markdown_tables(rendered);
    }
  }
}

TEST_CASE("doctor text is pinned by its golden files", "[reports][golden]") {
  check_golden("doctor.txt", reports::render_doctor_text(doctor_report(), false));
  check_golden("doctor_color.txt", reports::render_doctor_text(doctor_report(), true));
}

TEST_CASE("fingerprint text is pinned by its golden file", "[reports][golden]") {
  check_golden("fingerprint.txt", reports::render_fingerprint_text(fingerprint_records()));
}

TEST_CASE("ingest text is pinned by its golden file", "[reports][golden]") {
  check_golden("ingest.txt", reports::render_ingest_text(ingest_summary()));
}

TEST_CASE("top text and Markdown are pinned by their golden files", "[reports][golden]") {
  check_golden("top.txt", reports::render_top_text(top_report(false)));
  check_golden("top_details.txt", reports::render_top_text(top_report(true)));
  check_golden("top.md", reports::render_top_markdown(top_report(false)));
}

TEST_CASE("statement ranking text and Markdown are pinned by their golden files", "[reports][golden]") {
  check_golden("statement_ranking.txt", reports::render_statement_ranking_text(statement_ranking()));
  check_golden("statement_ranking.md", reports::render_statement_ranking_markdown(statement_ranking()));
}

TEST_CASE("health text and Markdown are pinned by their golden files", "[reports][golden]") {
  check_golden("health.txt", reports::render_health_text(health_report()));
  check_golden("health.md", reports::render_health_markdown(health_report()));
}

TEST_CASE("advice text and Markdown are pinned by their golden files", "[reports][golden]") {
  check_golden("advice.txt", reports::render_advice_text(advice()));
  check_golden("advice.md", reports::render_advice_markdown(advice()));
}

TEST_CASE("shadow text is pinned by its golden file", "[reports][golden]") {
  check_golden("shadow.txt", reports::render_shadow_text(shadow_report()));
}

TEST_CASE("bench text and Markdown are pinned by their golden files", "[reports][golden]") {
  check_golden("bench.txt", reports::render_bench_text(bench_result()));
  check_golden("bench.md", reports::render_bench_markdown(bench_result()));
}

TEST_CASE("empty inputs render as their golden files", "[reports][golden]") {
  check_golden("empty_top.txt", reports::render_top_text(reports::TopReport{}));
  check_golden("empty_top.md", reports::render_top_markdown(reports::TopReport{}));
  check_golden("empty_health.md", reports::render_health_markdown(collector::HealthReport{}));
  check_golden("empty_advice.txt", reports::render_advice_text(advisor::Advice{}));
  check_golden("empty_advice.md", reports::render_advice_markdown(advisor::Advice{}));
  check_golden("empty_bench.md", reports::render_bench_markdown(shadow::BenchResult{}));
}
