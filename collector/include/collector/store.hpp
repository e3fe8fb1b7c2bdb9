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

struct sqlite3;
struct sqlite3_stmt;

namespace pgadvisor::collector {

//! The store cannot be opened, migrated or written; the message names the file and what to do.
class StoreError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

//! A prepared statement (RAII). Bind with 1-based indexes, step through rows, read 0-based columns.
class StoreStatement {
 public:
  StoreStatement(sqlite3* db, std::string_view sql);
  StoreStatement(StoreStatement&&) noexcept;
  StoreStatement& operator=(StoreStatement&&) noexcept;
  ~StoreStatement();

  StoreStatement& bind(int index, int64_t value);
  StoreStatement& bind(int index, double value);
  StoreStatement& bind(int index, std::string_view value);
  StoreStatement& bind(int index, std::nullopt_t);
  template <typename T>
  StoreStatement& bind(int index, const std::optional<T>& value) {
    return value ? bind(index, *value) : bind(index, std::nullopt);
  }
  StoreStatement& bind(int index, int value) { return bind(index, static_cast<int64_t>(value)); }
  StoreStatement& bind(int index, const char* value) { return bind(index, std::string_view(value)); }
  StoreStatement& bind(int index, const std::string& value) { return bind(index, std::string_view(value)); }

  //! Advances to the next row; false when done. Throws StoreError on failure.
  bool step();
  //! Runs a statement that returns no rows, then resets it for reuse.
  void run();
  //! Clears bindings and rewinds, for reuse.
  void reset();

  bool is_null(int col) const;
  int64_t get_int64(int col) const;
  double get_double(int col) const;
  std::string get_text(int col) const;
  std::optional<int64_t> get_optional_int64(int col) const;
  std::optional<std::string> get_optional_text(int col) const;

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_;
};

//! How a command uses the store: commands that write (ingest, snapshot, bench) create a missing store and migrate
//! it; commands that only read (top, health, advise) need an existing store and no write access to it.
enum class StoreAccess : uint8_t { read_write, read_only };

class Store {
 public:
  //! The SQLite application id of a pgadvisor store (PRAGMA application_id): ASCII 'pgAd'.
  static constexpr int64_t kApplicationId = 0x70674164;

  //! Opens the store at `path`. read_write: created when missing, in WAL mode, pending migrations applied.
  //! read_only: the file must exist and is opened read-only (SQLITE_OPEN_READONLY); a store with an older schema is
  //! upgraded only when it can be written, else the error says to run a writing command.
  //! Throws StoreError naming the file when it is not a pgadvisor store (another program's database: another
  //! application id, or tables without pgadvisor's schema; not SQLite at all) or is newer than this program.
  static Store open(const std::filesystem::path& path, StoreAccess access = StoreAccess::read_write);

  Store(Store&&) noexcept;
  Store& operator=(Store&&) noexcept;
  ~Store();

  //! A transaction that rolls back unless committed (BEGIN IMMEDIATE: writers wait for each other).
  class Transaction {
   public:
    explicit Transaction(Store& store);
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    ~Transaction();
    void commit();

   private:
    Store* store_;
    bool done_ = false;
  };

  Transaction begin() { return Transaction(*this); }
  StoreStatement prepare(std::string_view sql);
  //! Runs one or more statements without parameters or results (DDL, pragmas).
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
  int64_t pragma(const char* name) const;
  void migrate();
  std::unique_ptr<sqlite3, int (*)(sqlite3*)> db_;
  std::filesystem::path path_;
};

}  // namespace pgadvisor::collector
