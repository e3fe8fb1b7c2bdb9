// Explaining an advised index (index_rationale.hpp): each key's role and why they come in this order, partial or
// full with the evidence, covering, the writes that pay for it, and the values each class was costed over. On a
// hand-built catalog (no server); advise() with the fake model fills the same into IndexAdvice.
#include "advisor/index_rationale.hpp"

#include <algorithm>

#include <catch2/catch.hpp>

#include "fake_what_if_model.hpp"

using namespace pgadvisor;
using namespace pgadvisor::advisor;
using Catch::Contains;

namespace {

// 1M posts by 50,000 authors in 2,000 tenants; status has 4 values (one rare), deleted_at is mostly null.
analyzer::Catalog blog() {
  analyzer::Catalog catalog;
  auto posts = test::table("posts", 1'000'000,
                           {{"id", -1},
                            {"tenant_id", 2'000},
                            {"author_id", 50'000},
                            {"published_at", -0.8},
                            {"status", 4},
                            {"deleted_at", -0.01},
                            {"title", -0.9},
                            {"views", 10'000}});
  for (auto& column : posts.columns) {
    if (column.name == "status") {
      column.statistics->most_common_values = {"published", "draft", "archived", "failed"};
      column.statistics->most_common_frequencies = {0.7, 0.2, 0.09, 0.01};
    }
    if (column.name == "deleted_at") column.statistics->null_frac = 0.95;
  }
  catalog.add_table(posts);
  return catalog;
}

IndexCandidate index_on(std::vector<IndexKey> keys, std::string predicate = {}, std::vector<std::string> include = {}) {
  IndexCandidate c;
  c.table = {"public", "posts", false};
  c.keys = std::move(keys);
  c.predicate = std::move(predicate);
  c.include = std::move(include);
  return c;
}

std::vector<const ClassFacts*> all_of(const WorkloadClasses& w) {
  std::vector<const ClassFacts*> out;
  for (const auto& c : w.classes) out.push_back(&c);
  return out;
}

std::string joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  return out;
}

std::string line_starting(const std::vector<std::string>& lines, std::string_view prefix) {
  auto it = std::find_if(lines.begin(), lines.end(), [&](const std::string& l) { return l.starts_with(prefix); });
  return it == lines.end() ? "" : *it;
}

}  // namespace

TEST_CASE("the equality key leads and the ORDER BY key follows in its direction", "[advisor][rationale]") {
  auto catalog = blog();
  auto w = test::classes_of(
      {{"SELECT id, title FROM posts WHERE author_id = $1 ORDER BY published_at DESC LIMIT 10", 500}}, catalog);
  auto index = index_on({{"author_id", "", false, std::nullopt}, {"published_at", "", true, std::nullopt}});
  auto why = explain_index(index, all_of(w), w.classes, catalog, {}, 4);
  INFO(joined(why));
  CHECK_THAT(line_starting(why, "keys:"), Contains("author_id (equality in 1 class, about 50000 distinct values)") &&
                                              Contains("published_at DESC (ORDER BY in 1 class"));
  CHECK_THAT(line_starting(why, "order:"),
             Contains("the equality key author_id leads") && Contains("without a sort and stops at the LIMIT"));
  // Two ORDER BY keys: one phrase.
  auto two = test::classes_of({{"SELECT id FROM posts ORDER BY published_at DESC, id LIMIT 10", 50}}, catalog);
  auto both = explain_index(index_on({{"published_at", "", true, std::nullopt}, {"id", "", false, std::nullopt}}),
                            all_of(two), two.classes, catalog, {}, 4);
  INFO(joined(both));
  CHECK(line_starting(both, "order:") ==
        "order: published_at, id in the ORDER BY's order and directions, so the scan returns rows in order without a "
        "sort and stops at the LIMIT");
  CHECK_THAT(line_starting(why, "full"), Contains("no constant"));
  CHECK(line_starting(why, "writes:") == "writes: no statement of the workload changes it");
}

TEST_CASE("equality keys by distinct values, then the range that ends the searchable part", "[advisor][rationale]") {
  auto catalog = blog();
  auto w = test::classes_of(
      {{"SELECT count(*) FROM posts WHERE tenant_id = 3 AND author_id = 9 AND published_at > '2026-01-01'", 50}},
      catalog);
  auto index = index_on({{"author_id", "", false, std::nullopt},
                         {"tenant_id", "", false, std::nullopt},
                         {"published_at", "", false, std::nullopt}});
  auto why = explain_index(index, all_of(w), w.classes, catalog, {}, 4);
  INFO(joined(why));
  CHECK_THAT(line_starting(why, "order:"), Contains("the equality keys lead, the one with the most distinct values") &&
                                               Contains("published_at's range follows"));
}

TEST_CASE("a literal of a many-valued column is a parameter: the index is full, and says why", "[advisor][rationale]") {
  auto catalog = blog();
  // The same literal in 40 executions, but author_id has 50,000 values: one value of a parameter.
  auto w = test::classes_of({{"SELECT * FROM posts WHERE author_id = 4711 AND published_at > now()", 40}}, catalog);
  auto index = index_on({{"author_id", "", false, std::nullopt}, {"published_at", "", false, std::nullopt}});
  auto why = explain_index(index, all_of(w), w.classes, catalog, {}, 4);
  INFO(joined(why));
  CHECK_THAT(line_starting(why, "full, not partial"),
             Contains("author_id = 4711: the column has about 50000 distinct values, so a literal is one value of a "
                      "parameter"));

  // Seen once, even a few-valued column's literal is not evidence.
  auto once = test::classes_of({{"SELECT * FROM posts WHERE status = 'failed' AND author_id = 3", 1}}, catalog);
  auto why_once =
      explain_index(index_on({{"author_id", "", false, std::nullopt}}), all_of(once), once.classes, catalog, {}, 4);
  INFO(joined(why_once));
  CHECK_THAT(line_starting(why_once, "full, not partial"), Contains("was seen in 1 execution(s) only"));
}

TEST_CASE("a partial index states its evidence: the statement's text, or a few-valued fixed value",
          "[advisor][rationale]") {
  auto catalog = blog();
  auto w = test::classes_of(
      {{"SELECT * FROM posts WHERE status = 'failed' AND deleted_at IS NULL ORDER BY published_at DESC LIMIT 50", 300}},
      catalog);
  auto index = index_on({{"published_at", "", true, std::nullopt}}, "status = 'failed' AND deleted_at IS NULL");
  auto why = explain_index(index, all_of(w), w.classes, catalog, {}, 4);
  INFO(joined(why));
  auto partial = line_starting(why, "partial:");
  CHECK_THAT(partial, Contains("WHERE status = 'failed' AND deleted_at IS NULL"));
  CHECK_THAT(partial,
             Contains("the column has 4 distinct values") && Contains("(keeps 1.0 % of the rows by pg_stats)"));
  CHECK_THAT(partial, Contains("deleted_at IS NULL is part of the statement's text") &&
                          Contains("(keeps 95.0 % of the rows by pg_stats)"));
}

TEST_CASE("covering and the writes that pay for an index, HOT updates apart", "[advisor][rationale]") {
  auto catalog = blog();
  auto w = test::classes_of({{"SELECT title FROM posts WHERE author_id = 1", 1000},
                             {"INSERT INTO posts (id, author_id, title) VALUES (1, 2, 'x')", 120},
                             {"UPDATE posts SET title = 'y' WHERE id = 5", 30},
                             {"UPDATE posts SET views = views + 1 WHERE id = 5", 900}},
                            catalog);
  auto index = index_on({{"author_id", "", false, std::nullopt}}, "", {"title"});
  std::vector<const ClassFacts*> served{&w.classes[0]};
  auto why = explain_index(index, served, w.classes, catalog, {}, 4);
  INFO(joined(why));
  CHECK_THAT(line_starting(why, "covering:"), Contains("INCLUDE (title)") && Contains("index-only scan"));
  auto writes = line_starting(why, "writes:");
  CHECK_THAT(writes, Contains("150 row change(s) at 4.0 cost units each = 600") && Contains("insert x120") &&
                         Contains("update x30 setting title"));
  CHECK_THAT(writes, Contains("1 UPDATE class(es) set none of its columns and can stay HOT"));
  CHECK(index_write_overhead(w.classes, catalog, index, 4) == Approx(600));
}

TEST_CASE("the values a class was costed over", "[advisor][rationale]") {
  WorkloadQuery q;
  q.source = PlanSource::Sampled;
  q.executions = {{"SELECT $1", {std::string("42")}}, {"SELECT $1", {std::nullopt}}};
  CHECK(planned_values(q) == "2 sampled parameter set(s): ($1 = '42'); ($1 = NULL)");
  q.source = PlanSource::Generic;
  q.executions.clear();
  CHECK_THAT(planned_values(q), Contains("generic plan"));
  q.source = PlanSource::Literals;
  CHECK(planned_values(q) == "the statement's own literals");
}

TEST_CASE("advise explains every index it advises", "[advisor][rationale]") {
  auto catalog = blog();
  const std::string by_author = "SELECT id FROM posts WHERE author_id = 7 ORDER BY published_at DESC LIMIT 10";
  auto w = test::classes_of({{by_author, 500}}, catalog);
  test::FakeWhatIfModel fake;
  fake.saves(by_author, "posts(author_id, published_at)", 990);
  auto advice = advise(w, catalog, fake);
  REQUIRE_FALSE(advice.indexes.empty());
  for (const auto& index : advice.indexes) {
    INFO(index.index.definition_body());
    CHECK_THAT(joined(index.rationale), Contains("keys: ") && Contains("writes: "));
    REQUIRE_FALSE(index.queries.empty());
    CHECK(index.queries.front().values == "the statement's own literals");
  }
}
