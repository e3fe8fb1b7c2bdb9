// Store: SQLite behind RAII types. Migrations are the embedded texts named store/migrations/NNNN_*;
// PRAGMA user_version holds the number of the last one applied, each applied in its own transaction.
#include "collector/store.hpp"

#include <algorithm>
#include <optional>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include "pg/sql_template.hpp"
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

std::string_view q(std::string_view name) { return sql::text(fmt::format("store/{}", name)); }

// JSON as the store keeps it: compact; bytes that are not UTF-8 (a value read from a database in another
// encoding) become U+FFFD rather than fail the whole commit.
template <typename Json>
std::string json_text(const Json& value) {
  return value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

// A JSON column, parsed in stored order; a text that is not JSON of the expected type is a damaged store.
nlohmann::ordered_json parse_json(const StoreStatement& row, std::string_view column, nlohmann::json::value_t type) {
  auto value = nlohmann::ordered_json::parse(row.get_text(column), nullptr, false);
  if (value.type() != type) {
    throw StoreError(fmt::format("store: column {} does not hold a JSON {}", column,
                                 type == nlohmann::json::value_t::array ? "array" : "object"));
  }
  return value;
}

}  // namespace

// ---- StoreStatement ----

StoreStatement::StoreStatement(sqlite3* db, std::string_view sql) : db_(db) {
  if (sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &stmt_, nullptr) != SQLITE_OK) {
    fail(db, fmt::format("store: cannot prepare `{}`", sql.substr(0, 60)));
  }
  const int count = sqlite3_column_count(stmt_);
  for (int i = 0; i < count; ++i) columns_.emplace_back(sqlite3_column_name(stmt_, i));
}
StoreStatement::StoreStatement(StoreStatement&& other) noexcept
    : db_(other.db_), stmt_(std::exchange(other.stmt_, nullptr)), columns_(std::move(other.columns_)) {}
StoreStatement& StoreStatement::operator=(StoreStatement&& other) noexcept {
  std::swap(db_, other.db_);
  std::swap(stmt_, other.stmt_);
  std::swap(columns_, other.columns_);
  return *this;
}
StoreStatement::~StoreStatement() { sqlite3_finalize(stmt_); }

int StoreStatement::parameter(std::string_view name) const {
  const std::string marked = fmt::format(":{}", name);
  const int index = sqlite3_bind_parameter_index(stmt_, marked.c_str());
  if (index == 0) {
    throw StoreError(
        fmt::format("store: `{}` has no parameter {}", std::string_view(sqlite3_sql(stmt_)).substr(0, 60), marked));
  }
  return index;
}

int StoreStatement::column(std::string_view name) const {
  for (size_t i = 0; i < columns_.size(); ++i) {
    if (columns_[i] == name) return static_cast<int>(i);
  }
  throw StoreError(
      fmt::format("store: `{}` has no column {}", std::string_view(sqlite3_sql(stmt_)).substr(0, 60), name));
}

StoreStatement& StoreStatement::bind(std::string_view name, int64_t value) {
  sqlite3_bind_int64(stmt_, parameter(name), value);
  return *this;
}
StoreStatement& StoreStatement::bind(std::string_view name, double value) {
  sqlite3_bind_double(stmt_, parameter(name), value);
  return *this;
}
StoreStatement& StoreStatement::bind(std::string_view name, std::string_view value) {
  sqlite3_bind_text(stmt_, parameter(name), value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT);
  return *this;
}
StoreStatement& StoreStatement::bind(std::string_view name, std::nullopt_t /*null*/) {
  sqlite3_bind_null(stmt_, parameter(name));
  return *this;
}
StoreStatement& StoreStatement::bind(std::string_view name, const std::vector<std::string>& values) {
  return bind(name, json_text(nlohmann::json(values)));
}
StoreStatement& StoreStatement::bind(std::string_view name, const std::vector<double>& values) {
  return bind(name, json_text(nlohmann::json(values)));
}
StoreStatement& StoreStatement::bind(std::string_view name, const TextPairs& pairs) {
  nlohmann::ordered_json object = nlohmann::ordered_json::object();
  for (const auto& [key, value] : pairs) object[key] = value;
  return bind(name, json_text(object));
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

bool StoreStatement::is_null(std::string_view name) const {
  return sqlite3_column_type(stmt_, column(name)) == SQLITE_NULL;
}
int64_t StoreStatement::get_int64(std::string_view name) const { return sqlite3_column_int64(stmt_, column(name)); }
double StoreStatement::get_double(std::string_view name) const { return sqlite3_column_double(stmt_, column(name)); }
std::string StoreStatement::get_text(std::string_view name) const {
  const int col = column(name);
  const auto* text = sqlite3_column_text(stmt_, col);
  return text != nullptr
             ? std::string(reinterpret_cast<const char*>(text), static_cast<size_t>(sqlite3_column_bytes(stmt_, col)))
             : std::string();
}
std::optional<int64_t> StoreStatement::get_optional_int64(std::string_view name) const {
  return is_null(name) ? std::nullopt : std::optional(get_int64(name));
}
std::optional<std::string> StoreStatement::get_optional_text(std::string_view name) const {
  return is_null(name) ? std::nullopt : std::optional(get_text(name));
}

std::vector<std::string> StoreStatement::get_text_list(std::string_view name) const {
  std::vector<std::string> out;
  if (is_null(name)) return out;
  for (const auto& e : parse_json(*this, name, nlohmann::json::value_t::array)) out.push_back(e.get<std::string>());
  return out;
}

std::vector<double> StoreStatement::get_double_list(std::string_view name) const {
  std::vector<double> out;
  if (is_null(name)) return out;
  for (const auto& e : parse_json(*this, name, nlohmann::json::value_t::array)) out.push_back(e.get<double>());
  return out;
}

TextPairs StoreStatement::get_text_pairs(std::string_view name) const {
  TextPairs out;
  if (is_null(name)) return out;
  const auto object = parse_json(*this, name, nlohmann::json::value_t::object);
  for (const auto& [key, value] : object.items()) {
    out.emplace_back(key, value.is_string() ? value.get<std::string>() : value.dump());
  }
  return out;
}

// ---- Store ----

Store::Store(sqlite3* db, std::filesystem::path path) : db_(db, sqlite3_close_v2), path_(std::move(path)) {}
Store::Store(Store&&) noexcept = default;
Store& Store::operator=(Store&&) noexcept = default;
Store::~Store() = default;

Store Store::connect(const std::filesystem::path& path, const std::string& name, int flags) {
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(name.c_str(), &raw, flags | SQLITE_OPEN_NOMUTEX, nullptr);
  Store store(raw, path);
  if (rc != SQLITE_OK) fail(raw, fmt::format("cannot open the store {}", path.string()));
  sqlite3_busy_timeout(raw, 10000);  // another pgadvisor writing: wait for it rather than fail
  return store;
}

Store Store::open(const std::filesystem::path& path, StoreAccess access) {
  const bool in_memory = path == ":memory:";
  if (access == StoreAccess::ReadWrite) {
    Store store = connect(path, path.string(), SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    // Before anything is written (WAL mode, migrations): another program's database is left as it is.
    store.check_is_pgadvisor_store();
    if (store.read_only()) {  // SQLite opens a file it may not write read-only, without a word
      throw StoreError(
          fmt::format("{}: cannot write the store (permission denied); check its permissions, or "
                      "choose another --store path",
                      path.string()));
    }
    store.run_script("connection/read_write");
    store.migrate();
    return store;
  }
  std::error_code ec;
  if (in_memory || !std::filesystem::exists(path, ec)) {
    throw StoreError(
        fmt::format("{}: no such store; run `pgadvisor ingest` or `pgadvisor snapshot` first, or check "
                    "--store",
                    path.string()));
  }
  auto open_read_only = [&] {
    Store store = connect(path, path.string(), SQLITE_OPEN_READONLY);
    store.check_is_pgadvisor_store();
    return store;
  };
  std::optional<Store> store;
  try {
    store.emplace(open_read_only());
  } catch (const StoreError&) {
    // A WAL store that was closed cleanly has no -wal and -shm files, and SQLite cannot create the -shm file in a
    // directory it may not write: with no -wal file there is nothing but the database file to read, so it is read
    // as immutable.
    if (std::filesystem::exists(path.string() + "-wal", ec)) throw;
    std::string uri = "file:";
    for (char c : path.string()) {
      if (c == '%' || c == '?' || c == '#') {
        uri += fmt::format("%{:02X}", static_cast<unsigned char>(c));
      } else {
        uri += c;
      }
    }
    uri += "?immutable=1";
    store.emplace(connect(path, uri, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI));
    store->check_is_pgadvisor_store();
  }
  if (store->schema_version() > latest_schema_version()) store->migrate();  // the message for a newer store
  if (store->schema_version() < latest_schema_version()) {
    // An older store (or an empty file): upgraded when this user may write it, as a writing command would.
    const int version = store->schema_version();
    store.reset();
    try {
      Store writable = connect(path, path.string(), SQLITE_OPEN_READWRITE);
      writable.check_is_pgadvisor_store();
      writable.run_script("connection/upgrade");
      writable.migrate();
    } catch (const StoreError& e) {
      throw StoreError(fmt::format(
          "{}: the store has schema version {}, older than this pgadvisor's ({}), and cannot be upgraded by a "
          "read-only command ({}); run a writing command (pgadvisor ingest or snapshot) on it once",
          path.string(), version, latest_schema_version(), e.what()));
    }
    store.emplace(open_read_only());
  }
  return std::move(*store);
}

int64_t Store::pragma(std::string_view name) const {
  StoreStatement s(db_.get(), q(fmt::format("connection/{}", name)));
  s.step();
  return s.get_int64(name);
}

void Store::check_is_pgadvisor_store() {
  auto refuse = [&](const std::string& why) {
    throw StoreError(fmt::format("{}: not a pgadvisor store ({}); choose another --store path", path_.string(), why));
  };
  int64_t application_id = 0;
  int64_t user_version = 0;
  std::vector<std::string> tables;
  // One read transaction, so that the three reads see one state of the file: another pgadvisor may be creating
  // this store right now (its first migration's tables read without the user_version that commits with them would
  // look like another program's database).
  run_script("connection/begin_read");
  try {
    // A file that is not SQLite fails here, at the first read.
    application_id = pragma("application_id");
    user_version = pragma("user_version");
    StoreStatement list(db_.get(), q("identity/tables"));
    while (list.step()) tables.push_back(list.get_text("name"));
  } catch (const StoreError&) {
    const bool not_a_database = sqlite3_errcode(db_.get()) == SQLITE_NOTADB;
    const std::string message = sqlite3_errmsg(db_.get());
    sqlite3_exec(db_.get(), std::string(q("connection/rollback")).c_str(), nullptr, nullptr, nullptr);
    if (not_a_database) refuse(message);
    throw;
  }
  run_script("connection/commit");
  if (application_id == kApplicationId) return;
  if (application_id != 0) {
    refuse(fmt::format("its SQLite application id is 0x{:08x}, another program's; pgadvisor's is 0x{:08x}",
                       static_cast<uint32_t>(application_id), static_cast<uint32_t>(kApplicationId)));
  }
  if (tables.empty() && user_version == 0) return;  // a new, empty file
  // A pgadvisor store made before the application id: its schema version and the tables of the first migration.
  const bool has_classes = std::find(tables.begin(), tables.end(), "query_classes") != tables.end();
  if (user_version >= 1 && has_classes) return;
  std::string names;
  for (size_t i = 0; i < tables.size() && i < 3; ++i) names += fmt::format("{}{}", i > 0 ? ", " : "", tables[i]);
  if (tables.size() > 3) names += ", …";
  refuse(tables.empty() ? fmt::format("an SQLite database with user_version {} and no tables", user_version)
                        : fmt::format("an SQLite database with tables {} but without pgadvisor's schema", names));
}

bool Store::read_only() const { return sqlite3_db_readonly(db_.get(), "main") == 1; }

void Store::execute(std::string_view sql) {
  char* error = nullptr;
  std::string text(sql);
  if (sqlite3_exec(db_.get(), text.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
    std::string message = error != nullptr ? error : "unknown error";
    sqlite3_free(error);
    throw StoreError(fmt::format("store {}: {}", path_.string(), message));
  }
}

StoreStatement Store::prepare(std::string_view sql) { return {db_.get(), sql}; }

StoreStatement Store::statement(std::string_view name) { return {db_.get(), q(name)}; }

void Store::run_script(std::string_view name) { execute(q(name)); }

int Store::schema_version() const { return static_cast<int>(pragma("user_version")); }

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
      execute(
          pg::fill_template("store/connection/set_user_version", {{"version", pg::SqlFragment::integer(m.number)}}));
    } catch (const StoreError& e) {
      throw StoreError(fmt::format("migration sql/{}.sql failed on {}: {}", m.name, path_.string(), e.what()));
    }
    tx.commit();
  }
}

// ---- Transaction ----

Store::Transaction::Transaction(Store& store) : store_(&store) { store_->run_script("connection/begin_write"); }

Store::Transaction::~Transaction() {
  if (done_) return;
  try {
    store_->run_script("connection/rollback");
  } catch (...) {  // NOLINT(bugprone-empty-catch): a failed rollback in a destructor has nowhere to go
  }
}

void Store::Transaction::commit() {
  store_->run_script("connection/commit");
  done_ = true;
}

}  // namespace pgadvisor::collector
