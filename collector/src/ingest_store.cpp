// IngestStore: read-merge-write per class. Sums are integers and the histogram and samples merge exactly, so any
// split of a file into committed batches (a resumed run) stores exactly what one uninterrupted run stores.
#include "collector/ingest_store.hpp"

#include <algorithm>
#include <cmath>

namespace pgadvisor::collector {

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
  f.id = st.get_int64("id");
  f.generation = st.get_int64("generation");
  f.path = st.get_text("path");
  f.identity = {static_cast<uint64_t>(st.get_int64("device")), static_cast<uint64_t>(st.get_int64("inode")),
                static_cast<uint64_t>(st.get_int64("size"))};
  f.legacy = st.is_null("head_bytes");
  f.format = st.get_optional_text("format").value_or("");
  f.prefix = st.get_optional_text("prefix").value_or("");
  f.progress = {f.identity, static_cast<uint64_t>(st.get_int64("offset")),
                static_cast<uint64_t>(st.get_int64("lines"))};
  return f;
}

}  // namespace

std::optional<StoredFile> IngestStore::find_file(const std::string& path, const FileIdentity& identity,
                                                 std::string_view head) {
  std::optional<StoredFile> found;
  {
    auto lengths = store_.statement("ingest/head_lengths");
    lengths.bind("max_bytes", static_cast<int64_t>(std::min(head.size(), FileHead::kHeadBytes)));
    std::vector<size_t> sizes;
    while (lengths.step()) sizes.push_back(static_cast<size_t>(lengths.get_int64("head_bytes")));
    auto by_head = store_.statement("ingest/find_file");
    const size_t head_bytes = std::min(head.size(), FileHead::kHeadBytes);
    for (size_t n : sizes) {  // longest first: the most specific
      const FileHead h = FileHead::of(head.substr(0, n));
      by_head.bind("head_bytes", static_cast<int64_t>(h.bytes)).bind("head_hash", static_cast<int64_t>(h.hash));
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
    auto legacy = store_.statement("ingest/find_legacy_file");
    legacy.bind("path", path)
        .bind("device", static_cast<int64_t>(identity.device))
        .bind("inode", static_cast<int64_t>(identity.inode));
    if (legacy.step()) found = stored_file(legacy);
  }
  if (!found) return found;
  auto passes = store_.statement("ingest/file_passes");
  passes.bind("file", found->id);
  while (passes.step()) {
    FilePass p;
    p.filter = {passes.get_text("database"), passes.get_text("user_name"), passes.get_text("application"),
                passes.get_text("since"), passes.get_text("until")};
    p.offset = static_cast<uint64_t>(passes.get_int64("offset"));
    p.lines = static_cast<uint64_t>(passes.get_int64("lines"));
    found->passes.push_back(std::move(p));
  }
  return found;
}

namespace {

//! What insert_file.sql and claim_file.sql both set: where the file is now and what it holds.
void bind_file(StoreStatement& st, const FileCommit& file) {
  auto optional = [](const std::string& s) { return s.empty() ? std::optional<std::string>() : s; };
  st.bind("path", file.path)
      .bind("device", static_cast<int64_t>(file.identity.device))
      .bind("inode", static_cast<int64_t>(file.identity.inode))
      .bind("size", static_cast<int64_t>(file.identity.size))
      .bind("head_bytes", static_cast<int64_t>(file.head.bytes))
      .bind("head_hash", static_cast<int64_t>(file.head.hash))
      .bind("format", optional(file.format))
      .bind("prefix", optional(file.prefix));
}

//! Moves the file's row on if it is unchanged since `file.generation` (or creates it). False when another ingest
//! committed it first.
bool claim_file(Store& store, FileCommit& file) {
  if (file.id == 0) {
    auto insert = store.statement("ingest/insert_file");
    bind_file(insert, file);
    if (!insert.step()) return false;
    file.id = insert.get_int64("id");
    file.generation = insert.get_int64("generation");
    insert.reset();
    return true;
  }
  auto claim = store.statement("ingest/claim_file");
  bind_file(claim, file);
  claim.bind("id", file.id).bind("generation", file.generation);
  if (!claim.step()) return false;
  file.generation = claim.get_int64("generation");
  claim.reset();
  return true;
}

void save_file_progress(Store& store, const FileCommit& file) {
  const auto offset = static_cast<int64_t>(file.progress.offset);
  const auto lines = static_cast<int64_t>(file.progress.lines);
  const IngestFilter& f = file.filter;
  if (f.empty()) {
    store.statement("ingest/save_progress").bind("id", file.id).bind("offset", offset).bind("lines", lines).run();
    store.statement("ingest/drop_covered_passes").bind("file", file.id).bind("offset", offset).run();
    return;
  }
  store.statement("ingest/save_pass")
      .bind("file", file.id)
      .bind("database", f.database)
      .bind("user_name", f.user)
      .bind("application", f.application)
      .bind("since", f.since)
      .bind("until", f.until)
      .bind("offset", offset)
      .bind("lines", lines)
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
  auto exists = store_.statement("ingest/class_exists");
  auto upsert = store_.statement("ingest/upsert_class");
  auto load = store_.statement("ingest/class_stats");
  auto save = store_.statement("ingest/save_class_stats");
  auto breakdown = store_.statement("ingest/add_breakdown");
  auto sample = store_.statement("ingest/add_sample");
  auto trim = store_.statement("ingest/trim_samples");
  auto min_hash = store_.statement("ingest/min_statement_hash");
  auto set_normalized = store_.statement("ingest/set_normalized");
  for (const auto& [fp, batch] : classes) {
    const std::string hex = fp.text();
    exists.bind("fingerprint", hex);
    const bool known = exists.step();
    exists.reset();
    // The class's text is its statement with the smallest hash over every batch so far, so that it does not depend
    // on how the log was cut into batches (or runs); the accumulator normalized this batch's.
    if (known && !batch.example.empty()) {
      min_hash.bind("fingerprint", hex);
      if (min_hash.step() && !min_hash.is_null("min_hash") &&
          sample_hash(batch.example_key) < min_hash.get_int64("min_hash")) {
        set_normalized.bind("fingerprint", hex).bind("normalized", batch.normalized);
        set_normalized.run();
      }
      min_hash.reset();
    }
    upsert.bind("fingerprint", hex)
        .bind("normalized", known ? std::string() : batch.normalized)
        .bind("kind", batch.kind_text())
        .bind("first_seen", batch.first_seen.empty() ? std::optional<std::string>() : batch.first_seen)
        .bind("last_seen", batch.last_seen.empty() ? std::optional<std::string>() : batch.last_seen);
    upsert.run();

    ClassStats merged;
    load.bind("fingerprint", hex);
    if (load.step()) {
      merged.calls = static_cast<uint64_t>(load.get_int64("calls"));
      merged.timed_calls = static_cast<uint64_t>(load.get_int64("timed_calls"));
      merged.total_us = load.get_int64("total_us");
      merged.min_us = load.get_int64("min_us");
      merged.max_us = load.get_int64("max_us");
      merged.sum_squares_us2 = parse_decimal(load.get_text("sum_squares_us2"));
      merged.histogram = analyzer::LatencySketch::parse(load.get_text("histogram"));
      merged.prepare_count = static_cast<uint64_t>(load.get_int64("prepare_count"));
      merged.prepare_us = load.get_int64("prepare_us");
      merged.errors = static_cast<uint64_t>(load.get_int64("errors"));
      merged.first_seen = load.get_optional_text("first_seen").value_or("");
      merged.last_seen = load.get_optional_text("last_seen").value_or("");
      merged.plan = load.get_optional_text("plan").value_or("");
      merged.plan_duration_us = load.get_optional_int64("plan_us").value_or(-1);
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
    save.bind("fingerprint", hex)
        .bind("calls", static_cast<int64_t>(merged.calls))
        .bind("timed_calls", static_cast<int64_t>(merged.timed_calls))
        .bind("total_us", merged.total_us)
        .bind("min_us", merged.min_us)
        .bind("max_us", merged.max_us)
        .bind("sum_squares_us2", to_decimal(merged.sum_squares_us2))
        .bind("histogram", merged.histogram.serialize())
        .bind("prepare_count", static_cast<int64_t>(merged.prepare_count))
        .bind("prepare_us", merged.prepare_us)
        .bind("errors", static_cast<int64_t>(merged.errors))
        .bind("first_seen", merged.first_seen.empty() ? std::optional<std::string>() : merged.first_seen)
        .bind("last_seen", merged.last_seen.empty() ? std::optional<std::string>() : merged.last_seen)
        .bind("plan", merged.plan.empty() ? std::optional<std::string>() : merged.plan)
        .bind("plan_us", merged.plan.empty() ? std::optional<int64_t>() : merged.plan_duration_us);
    save.run();

    for (const auto& [dimension, map] :
         {std::pair<const char*, const BreakdownMap*>{"database", &batch.by_database.map()},
          {"user", &batch.by_user.map()},
          {"application", &batch.by_application.map()}}) {
      for (const auto& [value, b] : *map) {
        breakdown.bind("fingerprint", hex)
            .bind("dimension", dimension)
            .bind("value", value)
            .bind("calls", static_cast<int64_t>(b.calls))
            .bind("total_us", b.total_us);
        breakdown.run();
      }
    }
    for (const auto& [kind, set] : {std::pair<const char*, const SampleSet*>{"statement", &batch.statements},
                                    {"parameters", &batch.parameters}}) {
      if (set->samples().empty()) continue;
      for (const auto& s : set->samples()) {
        sample.bind("fingerprint", hex).bind("sample_kind", kind).bind("hash", sample_hash(s.key)).bind("text", s.text);
        sample.run();
      }
      trim.bind("fingerprint", hex).bind("sample_kind", kind).bind("keep", static_cast<int64_t>(kSamplesPerClass));
      trim.run();
    }
  }
  auto total = store_.statement("ingest/add_total");
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
    total.bind("name", name).bind("value", value);
    total.run();
  }
  tx.commit();
  if (claimed) *file = std::move(*claimed);
  return true;
}

void IngestStore::reset() {
  auto tx = store_.begin();
  store_.run_script("ingest/reset");
  tx.commit();
}

IngestStore::Samples IngestStore::samples(const std::string& fingerprint) {
  Samples out;
  auto st = store_.statement("ingest/class_samples");
  st.bind("fingerprint", fingerprint);
  while (st.step()) {
    (st.get_text("sample_kind") == "statement" ? out.statements : out.parameters).push_back(st.get_text("text"));
  }
  return out;
}

IngestStore::Breakdown IngestStore::breakdown(const std::string& fingerprint) {
  Breakdown out;
  auto st = store_.statement("ingest/class_breakdown");
  st.bind("fingerprint", fingerprint);
  while (st.step()) {
    const std::string dimension = st.get_text("dimension");
    auto& rows = dimension == "database" ? out.databases : dimension == "user" ? out.users : out.applications;
    rows.push_back({st.get_text("value"), static_cast<uint64_t>(st.get_int64("calls")),
                    static_cast<double>(st.get_int64("total_us")) / 1000.0});
  }
  return out;
}

std::vector<LoggedClass> IngestStore::classes(const std::optional<std::string>& database) {
  std::vector<LoggedClass> out;
  auto st = store_.statement("ingest/top_classes");
  st.bind("database", database);
  while (st.step()) {
    LoggedClass c;
    c.fingerprint = st.get_text("fingerprint");
    c.normalized = st.get_text("normalized");
    c.kind = st.get_text("kind");
    c.calls = static_cast<uint64_t>(st.get_int64("calls"));
    c.timed_calls = static_cast<uint64_t>(st.get_int64("timed_calls"));
    c.total_ms = static_cast<double>(st.get_int64("total_us")) / 1000.0;
    c.min_ms = static_cast<double>(st.get_int64("min_us")) / 1000.0;
    c.max_ms = static_cast<double>(st.get_int64("max_us")) / 1000.0;
    const Uint128 sum_squares_us2 = parse_decimal(st.get_text("sum_squares_us2"));
    if (c.timed_calls > 0) {
      const auto n = static_cast<double>(c.timed_calls);
      c.mean_ms = c.total_ms / n;
      // Population variance from exact integer sums: (n Σx² − (Σx)²) / n², in us², then ms.
      const auto total = static_cast<Uint128>(st.get_int64("total_us"));
      const auto count = static_cast<Uint128>(c.timed_calls);
      const Uint128 num = count * sum_squares_us2 - total * total;
      c.stddev_ms = std::sqrt(static_cast<double>(num)) / n / 1000.0;
      const auto sketch = analyzer::LatencySketch::parse(st.get_text("histogram"));
      auto clamp = [&](double v) { return std::min(c.max_ms, std::max(c.min_ms, v)); };
      c.p50_ms = clamp(sketch.quantile(0.50));
      c.p95_ms = clamp(sketch.quantile(0.95));
      c.p99_ms = clamp(sketch.quantile(0.99));
    }
    c.prepare_count = static_cast<uint64_t>(st.get_int64("prepare_count"));
    c.prepare_ms = static_cast<double>(st.get_int64("prepare_us")) / 1000.0;
    c.errors = static_cast<uint64_t>(st.get_int64("errors"));
    c.first_seen = st.get_optional_text("first_seen").value_or("");
    c.last_seen = st.get_optional_text("last_seen").value_or("");
    out.push_back(std::move(c));
  }
  return out;
}

std::vector<std::pair<std::string, int64_t>> IngestStore::totals() {
  std::vector<std::pair<std::string, int64_t>> out;
  auto st = store_.statement("ingest/totals");
  while (st.step()) out.emplace_back(st.get_text("name"), st.get_int64("value"));
  return out;
}

}  // namespace pgadvisor::collector
