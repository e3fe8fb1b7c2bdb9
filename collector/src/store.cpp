// Store: SQLite behind RAII types. Migrations are the embedded texts named store/migrations/NNNN_*;
// PRAGMA user_version holds the number of the last one applied, each applied in its own transaction.
#include "collector/store.hpp"

#include <algorithm>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <sqlite3.h>

#include "sql/embedded.hpp"

namespace pgadvisor::collector {
namespace {

constexpr std::string_view kMigrationPrefix = "store/migrations/";

struct Migration {
  int number;
  std::string_view name;
  std::string_view text;
};

// The embedded migrations, in order; their names start with a four-digit number.
std::vector<Migration> migrations() {
  std::vector<Migration> out;
  for (const auto& t : sql::all()) {
    if (t.name.substr(0, kMigrationPrefix.size()) != kMigrationPrefix) continue;
    auto base = t.name.substr(kMigrationPrefix.size());
    out.push_back({std::stoi(std::string(base.substr(0, 4))), t.name, t.text});
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.number < b.number; });
  return out;
}

[[noreturn]] void fail(sqlite3* db, const std::string& what) {
  throw StoreError(fmt::format("{}: {}", what, db != nullptr ? sqlite3_errmsg(db) : "out of memory"));
}

}  // namespace

// ---- StoreStatement ----

StoreStatement::StoreStatement(sqlite3* db, std::string_view sql) : db_(db), stmt_(nullptr) {
  if (sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &stmt_, nullptr) != SQLITE_OK) {
    fail(db, fmt::format("store: cannot prepare `{}`", sql.substr(0, 60)));
  }
}
StoreStatement::StoreStatement(StoreStatement&& o) noexcept : db_(o.db_), stmt_(std::exchange(o.stmt_, nullptr)) {}
StoreStatement& StoreStatement::operator=(StoreStatement&& o) noexcept {
  std::swap(db_, o.db_);
  std::swap(stmt_, o.stmt_);
  return *this;
}
StoreStatement::~StoreStatement() { sqlite3_finalize(stmt_); }

StoreStatement& StoreStatement::bind(int index, int64_t value) {
  sqlite3_bind_int64(stmt_, index, value);
  return *this;
}
StoreStatement& StoreStatement::bind(int index, double value) {
  sqlite3_bind_double(stmt_, index, value);
  return *this;
}
StoreStatement& StoreStatement::bind(int index, std::string_view value) {
  sqlite3_bind_text(stmt_, index, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT);
  return *this;
}
StoreStatement& StoreStatement::bind(int index, std::nullopt_t) {
  sqlite3_bind_null(stmt_, index);
  return *this;
}

bool StoreStatement::step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  std::string sql = sqlite3_sql(stmt_) != nullptr ? sqlite3_sql(stmt_) : "";
  sqlite3_reset(stmt_);
  fail(db_, fmt::format("store: `{}` failed", sql.substr(0, 60)));
}

void StoreStatement::run() {
  while (step()) {
  }
  reset();
}

void StoreStatement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

bool StoreStatement::is_null(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }
int64_t StoreStatement::get_int64(int col) const { return sqlite3_column_int64(stmt_, col); }
double StoreStatement::get_double(int col) const { return sqlite3_column_double(stmt_, col); }
std::string StoreStatement::get_text(int col) const {
  const auto* text = sqlite3_column_text(stmt_, col);
  return text != nullptr
             ? std::string(reinterpret_cast<const char*>(text), static_cast<size_t>(sqlite3_column_bytes(stmt_, col)))
             : std::string();
}
std::optional<int64_t> StoreStatement::get_optional_int64(int col) const {
  return is_null(col) ? std::nullopt : std::optional(get_int64(col));
}
std::optional<std::string> StoreStatement::get_optional_text(int col) const {
  return is_null(col) ? std::nullopt : std::optional(get_text(col));
}

// ---- Store ----

Store::Store(sqlite3* db, std::filesystem::path path) : db_(db, sqlite3_close_v2), path_(std::move(path)) {}
Store::Store(Store&&) noexcept = default;
Store& Store::operator=(Store&&) noexcept = default;
Store::~Store() = default;

Store Store::open(const std::filesystem::path& path) {
  sqlite3* raw = nullptr;
  int rc =
      sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  Store store(raw, path);
  if (rc != SQLITE_OK) fail(raw, fmt::format("cannot open the store {}", path.string()));
  sqlite3_busy_timeout(raw, 10000);  // another pgadvisor writing: wait for it rather than fail
  try {
    // A file that is not SQLite fails here, at the first read.
    store.execute("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;");
  } catch (const StoreError& e) {
    throw StoreError(
        fmt::format("{} is not a pgadvisor store ({}); choose another --store path", path.string(), e.what()));
  }
  store.migrate();
  return store;
}

void Store::execute(std::string_view sql) {
  char* error = nullptr;
  std::string text(sql);
  if (sqlite3_exec(db_.get(), text.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
    std::string message = error != nullptr ? error : "unknown error";
    sqlite3_free(error);
    throw StoreError(fmt::format("store {}: {}", path_.string(), message));
  }
}

StoreStatement Store::prepare(std::string_view sql) { return StoreStatement(db_.get(), sql); }

int Store::schema_version() const {
  StoreStatement s(db_.get(), "PRAGMA user_version");
  s.step();
  return static_cast<int>(s.get_int64(0));
}

int Store::latest_schema_version() {
  auto all = migrations();
  return all.empty() ? 0 : all.back().number;
}

void Store::migrate() {
  int current = schema_version();
  if (current > latest_schema_version()) {
    throw StoreError(
        fmt::format("the store {} has schema version {}, newer than this pgadvisor knows ({}); "
                    "upgrade pgadvisor or use another --store",
                    path_.string(), current, latest_schema_version()));
  }
  for (const auto& m : migrations()) {
    if (m.number <= current) continue;
    auto tx = begin();
    // Another pgadvisor opening the same new store may have applied it while this one waited for the transaction.
    current = schema_version();
    if (m.number <= current) continue;
    try {
      execute(m.text);
      execute(fmt::format("PRAGMA user_version = {}", m.number));
    } catch (const StoreError& e) {
      throw StoreError(fmt::format("migration sql/{}.sql failed on {}: {}", m.name, path_.string(), e.what()));
    }
    tx.commit();
  }
}

// ---- Transaction ----

Store::Transaction::Transaction(Store& store) : store_(&store) { store_->execute("BEGIN IMMEDIATE"); }

Store::Transaction::~Transaction() {
  if (done_) return;
  try {
    store_->execute("ROLLBACK");
  } catch (...) {  // NOLINT(bugprone-empty-catch): a failed rollback in a destructor has nowhere to go
  }
}

void Store::Transaction::commit() {
  store_->execute("COMMIT");
  done_ = true;
}

}  // namespace pgadvisor::collector
