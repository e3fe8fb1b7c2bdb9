// IngestStore: read-merge-write per class. Sums are integers and the histogram and samples merge exactly, so any
// split of a file into committed batches (a resumed run) stores exactly what one uninterrupted run stores.
#include "collector/ingest_store.hpp"

#include <algorithm>
#include <cmath>

#include "analyzer/unparsed_class.hpp"
#include "sql/embedded.hpp"

namespace pgadvisor::collector {

namespace {

std::string_view q(std::string_view name) { return sql::text(name); }

}  // namespace

FileHead FileHead::of(std::string_view head) {
  head = head.substr(0, kHeadBytes);
  uint64_t hash = 0xcbf29ce484222325ULL;  // FNV-1a
  for (char c : head) hash = (hash ^ static_cast<unsigned char>(c)) * 0x100000001b3ULL;
  return {head.size(), hash};
}

namespace {

//! A row of find_file.sql or find_legacy_file.sql.
StoredFile stored_file(const StoreStatement& st) {
  StoredFile f;
  f.id = st.get_int64(0);
  f.generation = st.get_int64(1);
  f.path = st.get_text(2);
  f.identity = {static_cast<uint64_t>(st.get_int64(3)), static_cast<uint64_t>(st.get_int64(4)),
                static_cast<uint64_t>(st.get_int64(5))};
  f.legacy = st.is_null(6);
  f.format = st.get_optional_text(7).value_or("");
  f.prefix = st.get_optional_text(8).value_or("");
  f.progress = {f.identity, static_cast<uint64_t>(st.get_int64(9)), static_cast<uint64_t>(st.get_int64(10))};
  return f;
}

}  // namespace

std::optional<StoredFile> IngestStore::find_file(const std::string& path, const FileIdentity& identity,
                                                 std::string_view head) {
  std::optional<StoredFile> found;
  {
    auto lengths = store_.prepare(q("store/ingest/head_lengths"));
    lengths.bind(1, static_cast<int64_t>(std::min(head.size(), FileHead::kHeadBytes)));
    std::vector<size_t> sizes;
    while (lengths.step()) sizes.push_back(static_cast<size_t>(lengths.get_int64(0)));
    auto by_head = store_.prepare(q("store/ingest/find_file"));
    const size_t head_bytes = std::min(head.size(), FileHead::kHeadBytes);
    for (size_t n : sizes) {  // longest first: the most specific
      const FileHead h = FileHead::of(head.substr(0, n));
      by_head.bind(1, static_cast<int64_t>(h.bytes)).bind(2, static_cast<int64_t>(h.hash));
      if (by_head.step()) {
        StoredFile f = stored_file(by_head);
        // A file stored when it was shorter than it is now: the same file if it is the same inode (it grew), or if
        // what it had was long enough that other logs do not start with the same bytes.
        if (n == head_bytes || n >= FileHead::kMinPrefixBytes ||
            (f.identity.device == identity.device && f.identity.inode == identity.inode)) {
          found = std::move(f);
        }
      }
      by_head.reset();
      if (found) break;
    }
  }
  if (!found) {
    auto legacy = store_.prepare(q("store/ingest/find_legacy_file"));
    legacy.bind(1, path).bind(2, static_cast<int64_t>(identity.device)).bind(3, static_cast<int64_t>(identity.inode));
    if (legacy.step()) found = stored_file(legacy);
  }
  if (!found) return found;
  auto passes = store_.prepare(q("store/ingest/file_passes"));
  passes.bind(1, found->id);
  while (passes.step()) {
    FilePass p;
    p.filter = {passes.get_text(0), passes.get_text(1), passes.get_text(2), passes.get_text(3), passes.get_text(4)};
    p.offset = static_cast<uint64_t>(passes.get_int64(5));
    p.lines = static_cast<uint64_t>(passes.get_int64(6));
    found->passes.push_back(std::move(p));
  }
  return found;
}

namespace {

//! Moves the file's row on if it is unchanged since `file.generation` (or creates it). False when another ingest
//! committed it first.
bool claim_file(Store& store, FileCommit& file) {
  const auto head_bytes = static_cast<int64_t>(file.head.bytes);
  const auto head_hash = static_cast<int64_t>(file.head.hash);
  auto optional = [](const std::string& s) { return s.empty() ? std::optional<std::string>() : s; };
  if (file.id == 0) {
    auto insert = store.prepare(q("store/ingest/insert_file"));
    insert.bind(1, file.path)
        .bind(2, static_cast<int64_t>(file.identity.device))
        .bind(3, static_cast<int64_t>(file.identity.inode))
        .bind(4, static_cast<int64_t>(file.identity.size))
        .bind(5, head_bytes)
        .bind(6, head_hash)
        .bind(7, optional(file.format))
        .bind(8, optional(file.prefix));
    if (!insert.step()) return false;
    file.id = insert.get_int64(0);
    file.generation = insert.get_int64(1);
    insert.reset();
    return true;
  }
  auto claim = store.prepare(q("store/ingest/claim_file"));
  claim.bind(1, file.id)
      .bind(2, file.generation)
      .bind(3, file.path)
      .bind(4, static_cast<int64_t>(file.identity.device))
      .bind(5, static_cast<int64_t>(file.identity.inode))
      .bind(6, static_cast<int64_t>(file.identity.size))
      .bind(7, head_bytes)
      .bind(8, head_hash)
      .bind(9, optional(file.format))
      .bind(10, optional(file.prefix));
  if (!claim.step()) return false;
  file.generation = claim.get_int64(0);
  claim.reset();
  return true;
}

void save_file_progress(Store& store, const FileCommit& file) {
  const auto offset = static_cast<int64_t>(file.progress.offset);
  const auto lines = static_cast<int64_t>(file.progress.lines);
  const IngestFilter& f = file.filter;
  if (f.empty()) {
    store.prepare(q("store/ingest/save_progress")).bind(1, file.id).bind(2, offset).bind(3, lines).run();
    store.prepare(q("store/ingest/drop_covered_passes")).bind(1, file.id).bind(2, offset).run();
    return;
  }
  store.prepare(q("store/ingest/save_pass"))
      .bind(1, file.id)
      .bind(2, f.database)
      .bind(3, f.user)
      .bind(4, f.application)
      .bind(5, f.since)
      .bind(6, f.until)
      .bind(7, offset)
      .bind(8, lines)
      .run();
}

}  // namespace

namespace {

//! A sample's hash as SQLite stores it: a signed 64-bit integer ordered as the unsigned hash is (all bottom-k needs).
int64_t sample_hash(uint64_t key) { return static_cast<int64_t>(key ^ (uint64_t{1} << 63)); }

}  // namespace

bool IngestStore::commit(const ClassStatsMap& classes, const IngestCounters& counters, FileCommit* file) {
  auto tx = store_.begin();
  // First, so that a batch another ingest has already counted costs no more work.
  std::optional<FileCommit> claimed;
  if (file != nullptr) {
    claimed = *file;
    if (!claim_file(store_, *claimed)) return false;  // rolled back
    save_file_progress(store_, *claimed);
  }
  auto exists = store_.prepare(q("store/ingest/class_exists"));
  auto upsert = store_.prepare(q("store/ingest/upsert_class"));
  auto load = store_.prepare(q("store/ingest/class_stats"));
  auto save = store_.prepare(q("store/ingest/save_class_stats"));
  auto breakdown = store_.prepare(q("store/ingest/add_breakdown"));
  auto sample = store_.prepare(q("store/ingest/add_sample"));
  auto trim = store_.prepare(q("store/ingest/trim_samples"));
  auto min_hash = store_.prepare(q("store/ingest/min_statement_hash"));
  auto set_normalized = store_.prepare(q("store/ingest/set_normalized"));
  for (const auto& [fp, batch] : classes) {
    const std::string hex = fp.text();
    exists.bind(1, hex);
    const bool known = exists.step();
    exists.reset();
    std::string normalized;
    auto normalize = [&] {
      if (batch.unparsed) {
        normalized = analyzer::unparsed_class(batch.example).normalized;
        return;
      }
      auto n = analyzer::normalize_statement(batch.example);
      normalized = n.text ? *n.text : batch.example;
    };
    if (!known) {
      normalize();
    } else if (!batch.example.empty()) {
      // The class's text is its statement with the smallest hash over every batch so far, so that it does not
      // depend on how the log was cut into batches (or runs).
      min_hash.bind(1, hex);
      if (min_hash.step() && !min_hash.is_null(0) && sample_hash(batch.example_key) < min_hash.get_int64(0)) {
        normalize();
        set_normalized.bind(1, hex).bind(2, normalized);
        set_normalized.run();
      }
      min_hash.reset();
    }
    upsert.bind(1, hex).bind(2, normalized).bind(3, batch.kind_text());
    upsert.bind(4, batch.first_seen.empty() ? std::optional<std::string>() : batch.first_seen);
    upsert.bind(5, batch.last_seen.empty() ? std::optional<std::string>() : batch.last_seen);
    upsert.run();

    ClassStats merged;
    load.bind(1, hex);
    if (load.step()) {
      merged.calls = static_cast<uint64_t>(load.get_int64(0));
      merged.timed_calls = static_cast<uint64_t>(load.get_int64(1));
      merged.total_us = load.get_int64(2);
      merged.min_us = load.get_int64(3);
      merged.max_us = load.get_int64(4);
      merged.sum_squares_us2 = parse_decimal(load.get_text(5));
      merged.histogram = analyzer::LatencySketch::parse(load.get_text(6));
      merged.prepare_count = static_cast<uint64_t>(load.get_int64(7));
      merged.prepare_us = load.get_int64(8);
      merged.errors = static_cast<uint64_t>(load.get_int64(9));
      merged.first_seen = load.get_optional_text(10).value_or("");
      merged.last_seen = load.get_optional_text(11).value_or("");
      merged.plan = load.get_optional_text(12).value_or("");
      merged.plan_duration_us = load.get_optional_int64(13).value_or(-1);
    }
    load.reset();
    merged.kind = batch.kind;
    // Only the scalar parts: breakdowns and samples are merged by SQL below.
    ClassStats scalars = batch;
    scalars.by_database.clear();
    scalars.by_user.clear();
    scalars.by_application.clear();
    scalars.statements = SampleSet();
    scalars.parameters = SampleSet();
    merged.merge(scalars);
    save.bind(1, hex)
        .bind(2, static_cast<int64_t>(merged.calls))
        .bind(3, static_cast<int64_t>(merged.timed_calls))
        .bind(4, merged.total_us)
        .bind(5, merged.min_us)
        .bind(6, merged.max_us)
        .bind(7, to_decimal(merged.sum_squares_us2))
        .bind(8, merged.histogram.serialize())
        .bind(9, static_cast<int64_t>(merged.prepare_count))
        .bind(10, merged.prepare_us)
        .bind(11, static_cast<int64_t>(merged.errors))
        .bind(12, merged.first_seen.empty() ? std::optional<std::string>() : merged.first_seen)
        .bind(13, merged.last_seen.empty() ? std::optional<std::string>() : merged.last_seen)
        .bind(14, merged.plan.empty() ? std::optional<std::string>() : merged.plan)
        .bind(15, merged.plan.empty() ? std::optional<int64_t>() : merged.plan_duration_us);
    save.run();

    for (const auto& [dimension, map] :
         {std::pair<const char*, const BreakdownMap*>{"database", &batch.by_database.map()},
          {"user", &batch.by_user.map()},
          {"application", &batch.by_application.map()}}) {
      for (const auto& [value, b] : *map) {
        breakdown.bind(1, hex)
            .bind(2, dimension)
            .bind(3, value)
            .bind(4, static_cast<int64_t>(b.calls))
            .bind(5, b.total_us);
        breakdown.run();
      }
    }
    for (const auto& [kind, set] : {std::pair<const char*, const SampleSet*>{"statement", &batch.statements},
                                    {"parameters", &batch.parameters}}) {
      if (set->samples().empty()) continue;
      for (const auto& s : set->samples()) {
        sample.bind(1, hex).bind(2, kind).bind(3, sample_hash(s.key)).bind(4, s.text);
        sample.run();
      }
      trim.bind(1, hex).bind(2, kind).bind(3, static_cast<int64_t>(kSamplesPerClass));
      trim.run();
    }
  }
  auto total = store_.prepare(q("store/ingest/add_total"));
  for (const auto& [name, value] : {std::pair<const char*, int64_t>{"lines", counters.lines},
                                    {"entries", counters.entries},
                                    {"calls", counters.calls},
                                    {"timed_calls", counters.timed_calls},
                                    {"total_us", counters.total_us},
                                    {"prepares", counters.prepares},
                                    {"plans", counters.plans},
                                    {"parameter_sets", counters.parameter_sets},
                                    {"errors", counters.errors},
                                    {"unattributed_errors", counters.unattributed_errors},
                                    {"filtered", counters.filtered},
                                    {"bad_lines", counters.bad_lines},
                                    {"malformed", counters.malformed},
                                    {"unparsable", counters.unparsable}}) {
    total.bind(1, name).bind(2, value);
    total.run();
  }
  tx.commit();
  if (claimed) *file = std::move(*claimed);
  return true;
}

void IngestStore::reset() {
  auto tx = store_.begin();
  store_.execute(q("store/ingest/reset"));
  tx.commit();
}

IngestStore::Samples IngestStore::samples(const std::string& fingerprint) {
  Samples out;
  auto st = store_.prepare(q("store/ingest/class_samples"));
  st.bind(1, fingerprint);
  while (st.step()) (st.get_text(0) == "statement" ? out.statements : out.parameters).push_back(st.get_text(1));
  return out;
}

IngestStore::Breakdown IngestStore::breakdown(const std::string& fingerprint) {
  Breakdown out;
  auto st = store_.prepare(q("store/ingest/class_breakdown"));
  st.bind(1, fingerprint);
  while (st.step()) {
    const std::string dimension = st.get_text(0);
    auto& rows = dimension == "database" ? out.databases : dimension == "user" ? out.users : out.applications;
    rows.push_back(
        {st.get_text(1), static_cast<uint64_t>(st.get_int64(2)), static_cast<double>(st.get_int64(3)) / 1000.0});
  }
  return out;
}

std::vector<LoggedClass> IngestStore::classes(const std::optional<std::string>& database) {
  std::vector<LoggedClass> out;
  auto st = store_.prepare(q("store/ingest/top_classes"));
  st.bind(1, database);
  while (st.step()) {
    LoggedClass c;
    c.fingerprint = st.get_text(0);
    c.normalized = st.get_text(1);
    c.kind = st.get_text(2);
    c.calls = static_cast<uint64_t>(st.get_int64(3));
    c.timed_calls = static_cast<uint64_t>(st.get_int64(4));
    c.total_ms = static_cast<double>(st.get_int64(5)) / 1000.0;
    c.min_ms = static_cast<double>(st.get_int64(6)) / 1000.0;
    c.max_ms = static_cast<double>(st.get_int64(7)) / 1000.0;
    const Uint128 sum_squares_us2 = parse_decimal(st.get_text(8));
    if (c.timed_calls > 0) {
      const auto n = static_cast<double>(c.timed_calls);
      c.mean_ms = c.total_ms / n;
      // Population variance from exact integer sums: (n Σx² − (Σx)²) / n², in us², then ms.
      const Uint128 total = static_cast<Uint128>(st.get_int64(5));
      const Uint128 count = static_cast<Uint128>(c.timed_calls);
      const Uint128 num = count * sum_squares_us2 - total * total;
      c.stddev_ms = std::sqrt(static_cast<double>(num)) / n / 1000.0;
      const auto sketch = analyzer::LatencySketch::parse(st.get_text(9));
      auto clamp = [&](double v) { return std::min(c.max_ms, std::max(c.min_ms, v)); };
      c.p50_ms = clamp(sketch.quantile(0.50));
      c.p95_ms = clamp(sketch.quantile(0.95));
      c.p99_ms = clamp(sketch.quantile(0.99));
    }
    c.prepare_count = static_cast<uint64_t>(st.get_int64(10));
    c.prepare_ms = static_cast<double>(st.get_int64(11)) / 1000.0;
    c.errors = static_cast<uint64_t>(st.get_int64(12));
    c.first_seen = st.get_optional_text(13).value_or("");
    c.last_seen = st.get_optional_text(14).value_or("");
    out.push_back(std::move(c));
  }
  return out;
}

std::vector<std::pair<std::string, int64_t>> IngestStore::totals() {
  std::vector<std::pair<std::string, int64_t>> out;
  auto st = store_.prepare(q("store/ingest/totals"));
  while (st.step()) out.emplace_back(st.get_text(0), st.get_int64(1));
  return out;
}

}  // namespace pgadvisor::collector
