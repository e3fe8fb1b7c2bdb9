// The SQLite store (DESIGN.md "The store"): one file, WAL mode, schema migrations from sql/store/migrations/
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

class Store {
 public:
  //! Opens (creating when missing) the store at `path`, in WAL mode, and applies pending migrations.
  //! Throws StoreError naming the file when it is not a pgadvisor store or is newer than this program.
  static Store open(const std::filesystem::path& path);

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

  //! The highest migration this program knows.
  static int latest_schema_version();

 private:
  Store(sqlite3* db, std::filesystem::path path);
  void migrate();
  std::unique_ptr<sqlite3, int (*)(sqlite3*)> db_;
  std::filesystem::path path_;
};

}  // namespace pgadvisor::collector
