// The SQLite store (docs/ARCHITECTURE.md "The store"): one file, WAL mode, schema migrations from sql/store/migrations/
// applied in order on open, and transactions so that statistics and their input's progress commit together.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace pgadvisor::collector {

//! The store cannot be opened, migrated or written; the message names the file and what to do.
class StoreError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

//! Names and texts in stored order: a JSON object in the store (`other_columns` of a snapshot's statement).
using TextPairs = std::vector<std::pair<std::string, std::string>>;

//! A prepared statement (RAII). Parameters are bound by name (`:name` in the SQL text, given here without the
//! colon) and columns are read by name (the column's name or alias in the select list or RETURNING clause), so
//! callers depend on neither order. Lists and name/value pairs are stored as JSON texts (arrays and objects), not
//! as texts of our own making. A name the statement does not have throws StoreError: a mistake in the program.
class StoreStatement {
 public:
  StoreStatement(const StoreStatement&) = delete;  // owns the sqlite3_stmt
  StoreStatement& operator=(const StoreStatement&) = delete;
  StoreStatement(StoreStatement&& other) noexcept;
  StoreStatement& operator=(StoreStatement&& other) noexcept;
  ~StoreStatement();

  StoreStatement& bind(std::string_view name, int64_t value);
  StoreStatement& bind(std::string_view name, double value);
  StoreStatement& bind(std::string_view name, std::string_view value);
  StoreStatement& bind(std::string_view name, std::nullopt_t null);
  template <typename T>
  StoreStatement& bind(std::string_view name, const std::optional<T>& value) {
    return value ? bind(name, *value) : bind(name, std::nullopt);
  }
  StoreStatement& bind(std::string_view name, int value) { return bind(name, static_cast<int64_t>(value)); }
  StoreStatement& bind(std::string_view name, bool value) { return bind(name, int64_t{value ? 1 : 0}); }
  StoreStatement& bind(std::string_view name, const char* value) { return bind(name, std::string_view(value)); }
  StoreStatement& bind(std::string_view name, const std::string& value) { return bind(name, std::string_view(value)); }
  //! A JSON array of strings.
  StoreStatement& bind(std::string_view name, const std::vector<std::string>& values);
  //! A JSON array of numbers.
  StoreStatement& bind(std::string_view name, const std::vector<double>& values);
  //! A JSON object of strings, in the given order.
  StoreStatement& bind(std::string_view name, const TextPairs& pairs);

  //! Advances to the next row; false when done. Throws StoreError on failure.
  bool step();
  //! Runs a statement that returns no rows, then resets it for reuse.
  void run();
  //! Clears bindings and rewinds, for reuse.
  void reset();

  bool is_null(std::string_view name) const;
  int64_t get_int64(std::string_view name) const;
  double get_double(std::string_view name) const;
  bool get_bool(std::string_view name) const { return get_int64(name) != 0; }
  std::string get_text(std::string_view name) const;
  std::optional<int64_t> get_optional_int64(std::string_view name) const;
  std::optional<std::string> get_optional_text(std::string_view name) const;
  //! A JSON array of strings (bind's); empty when the column is NULL.
  std::vector<std::string> get_text_list(std::string_view name) const;
  //! A JSON array of numbers (bind's); empty when the column is NULL.
  std::vector<double> get_double_list(std::string_view name) const;
  //! A JSON object, in stored order; a value that is not a string is given as its JSON text (4, 0.5, true).
  TextPairs get_text_pairs(std::string_view name) const;

 private:
  friend class Store;
  StoreStatement(sqlite3* db, std::string_view sql);
  int parameter(std::string_view name) const;
  int column(std::string_view name) const;
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
  std::vector<std::string> columns_;  //!< result column names, by position
};

//! How a command uses the store: commands that write (ingest, snapshot, bench) create a missing store and migrate
//! it; commands that only read (top, health, advise) need an existing store and no write access to it.
enum class StoreAccess : uint8_t { ReadWrite, ReadOnly };

class Store {
 public:
  //! The SQLite application id of a pgadvisor store (PRAGMA application_id): ASCII 'pgAd'.
  static constexpr int64_t kApplicationId = 0x70674164;

  //! Opens the store at `path`. read_write: created when missing, in WAL mode, pending migrations applied.
  //! read_only: the file must exist and is opened read-only (SQLITE_OPEN_READONLY); a store with an older schema is
  //! upgraded only when it can be written, else the error says to run a writing command.
  //! Throws StoreError naming the file when it is not a pgadvisor store (another program's database: another
  //! application id, or tables without pgadvisor's schema; not SQLite at all) or is newer than this program.
  static Store open(const std::filesystem::path& path, StoreAccess access = StoreAccess::ReadWrite);

  Store(const Store&) = delete;  // owns the connection
  Store& operator=(const Store&) = delete;
  Store(Store&& other) noexcept;
  Store& operator=(Store&& other) noexcept;
  ~Store();

  //! A transaction that rolls back unless committed (BEGIN IMMEDIATE: writers wait for each other).
  class Transaction {
   public:
    explicit Transaction(Store& store);
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    Transaction(Transaction&&) = delete;  // begin() returns one by guaranteed copy elision
    Transaction& operator=(Transaction&&) = delete;
    ~Transaction();
    void commit();

   private:
    Store* store_;
    bool done_ = false;
  };

  Transaction begin() { return Transaction(*this); }
  //! The statement sql/store/<name>.sql (e.g. "ingest/find_file"), prepared. Modules name their statements; only
  //! the store knows their text (and its SQL dialect).
  StoreStatement statement(std::string_view name);
  //! Runs the script sql/store/<name>.sql: one or more statements without parameters or results.
  void run_script(std::string_view name);
  //! An SQL text of the caller's, prepared or run: for tests, which build their own; modules use statement().
  StoreStatement prepare(std::string_view sql);
  void execute(std::string_view sql);

  int schema_version() const;
  const std::filesystem::path& path() const { return path_; }
  //! Whether the connection cannot write (opened read-only).
  bool read_only() const;

  //! The highest migration this program knows.
  static int latest_schema_version();

 private:
  Store(sqlite3* db, std::filesystem::path path);
  //! Opens a connection with sqlite3_open_v2 flags (`uri`: the name is a file: URI).
  static Store connect(const std::filesystem::path& path, const std::string& name, int flags);
  //! Throws StoreError unless the file is a pgadvisor store, an older one (before the application id), or empty.
  void check_is_pgadvisor_store();
  //! A pragma's value through sql/store/connection/<name>.sql.
  int64_t pragma(std::string_view name) const;
  void migrate();
  std::unique_ptr<sqlite3, int (*)(sqlite3*)> db_;
  std::filesystem::path path_;
};

}  // namespace pgadvisor::collector
