// The fast path for statements: statements of one shape (same text once literal values, whitespace and comments
// are abstracted away) share one libpg_query parse. See analyzer/README.md for the rules that keep it exact.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "analyzer/statement.hpp"

namespace pgadvisor::analyzer {

struct QueryFacts;  // analyzer/query_facts.hpp

//! How to rewrite any statement of a shape into its normalized text, learnt from pg_query_normalize of one member:
//! which token runs became $n. Valid for every member because they share their tokens up to literal values.
struct NormalizeTemplate {
  enum class State : uint8_t { Unknown, Usable, Unusable };
  struct Replacement {
    uint32_t token = 0;  //!< index of the first replaced token in the statement
    uint32_t count = 1;  //!< tokens replaced: 2 for a negative number ("-" and the number)
  };
  State state = State::Unknown;
  int first_param = 1;                    //!< the number of the first $n it writes
  std::vector<Replacement> replacements;  //!< in text order
};

//! One cached shape: what every statement of the shape shares.
struct Shape {
  StatementInfo info;                       //!< fingerprint and kind (valid shapes only are cached)
  NormalizeTemplate normalize_template;     //!< learnt on the first normalize() of a member
  std::shared_ptr<const QueryFacts> facts;  //!< QueryFacts of the shape, attached by whoever computes them
};

struct ShapeCacheStats {
  uint64_t hits = 0;       //!< statements answered from a cached shape
  uint64_t misses = 0;     //!< statements parsed to create a shape
  uint64_t bypasses = 0;   //!< statements the tokenizer was unsure about, or of an invalid shape: slow path
  uint64_t evictions = 0;  //!< times the cache was emptied on reaching max_shapes
  uint64_t skipped = 0;    //!< statements sent to the slow path unlooked-up while shapes rarely repeated
};

//! A cache of shapes, for one thread (no locking: give each worker its own; results never depend on the cache).
class ShapeCache {
 public:
  explicit ShapeCache(size_t max_shapes = size_t{1} << 20);

  //! Fingerprint, kind and parse error of one statement (no ';' separators), exactly as describe_statement().
  StatementInfo describe(std::string_view statement);
  //! Same, for a statement given by its tokens inside a larger tokenized text (see split_statements).
  StatementInfo describe(std::string_view text, const StatementTokens& statement, std::span<const Token> tokens);
  //! The statement's normalized text, exactly as normalize_statement() (pg_query_normalize) gives it.
  NormalizedText normalize(std::string_view statement);
  //! The cached shape of a statement (creating it if needed), or nullptr when the statement takes the slow path.
  //! The pointer stays valid until the next call that may create a shape.
  Shape* shape_of(std::string_view statement);

  const ShapeCacheStats& stats() const { return stats_; }
  size_t size() const { return shapes_.size(); }

  //! The shape key of a statement given as text and its tokens (offsets relative to text); false when the
  //! tokenizer is not sure enough to build one. Public for tests and the fuzz target.
  static bool shape_key(std::string_view text, std::span<const Token> tokens, std::string& key);

 private:
  struct KeyHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  //! StatementAnalyzer's quick path asks skip_next() first, and only tokenizes a statement the cache wants.
  friend class StatementAnalyzer;

  //! The statement's info; *shape is its cached shape, or nullptr when it took the slow path.
  StatementInfo lookup(std::string_view text, std::span<const Token> tokens, std::string_view statement, Shape** shape);
  //! Same, once the adaptive bypass has let the statement through (skip_next() was false).
  StatementInfo lookup_unskipped(std::string_view text, std::span<const Token> tokens, std::string_view statement,
                                 Shape** shape);
  //! The adaptive bypass's decision for the next statement, taken once: true when it is skipped (and counted so).
  bool skip_next() {
    if (!skipping_ || ++skip_counter_ % kProbeEvery == 0) return false;
    ++stats_.skipped;
    return true;
  }
  //! Whether the cache builds keys for every statement (no adaptive bypass under way).
  bool keys_wanted() const { return !skipping_; }
  //! describe(statement) for a statement skip_next() let through.
  StatementInfo describe_unskipped(std::string_view statement);

  //! Adaptive bypass: a workload whose shapes rarely repeat pays for keys and inserts for nothing. Under a hit rate
  //! of 1/8 over kWindow lookups the cache only probes one statement in kProbeEvery; it resumes when probes hit at
  //! least 1 in 4 (a hit saves a parse, about 6 us; a miss costs its key and insert, about 0.5 us).
  static constexpr uint32_t kWindow = 4096;
  static constexpr uint32_t kProbeEvery = 16;
  void record_lookup(bool hit);

  size_t max_shapes_;
  bool skipping_ = false;  //!< probing only
  uint32_t window_lookups_ = 0;
  uint32_t window_hits_ = 0;
  uint32_t skip_counter_ = 0;
  std::unordered_map<std::string, Shape, KeyHash, std::equal_to<>> shapes_;
  ShapeCacheStats stats_;
  std::string key_;            //!< reused key buffer
  std::vector<Token> tokens_;  //!< reused token buffer
};

}  // namespace pgadvisor::analyzer
