// The result check of a materialized view's rewrite (see view_check.hpp for what counts as the same result).
#include "shadow/view_check.hpp"

#include <algorithm>
#include <charconv>
#include <map>

#include <fmt/format.h>

#include "analyzer/aggregate_view.hpp"
#include "pg/quote.hpp"

namespace pgadvisor::shadow {
namespace {

std::string names(const std::vector<std::string>& columns) {
  std::string out;
  for (const auto& c : columns) out += (out.empty() ? "" : ", ") + c;
  return out;
}

std::optional<RowDifference> compare_columns(const ResultRows& original, const ResultRows& rewritten) {
  if (original.columns == rewritten.columns) return std::nullopt;
  RowDifference d;
  if (original.columns.size() != rewritten.columns.size()) {
    d.what = fmt::format("the rewritten query returns {} columns ({}), the original {} ({})", rewritten.columns.size(),
                         names(rewritten.columns), original.columns.size(), names(original.columns));
    return d;
  }
  for (size_t i = 0; i < original.columns.size(); ++i) {
    if (original.columns[i] == rewritten.columns[i]) continue;
    d.what = fmt::format("column {} is named {} by the original, {} by the rewritten query", i + 1, original.columns[i],
                         rewritten.columns[i]);
    break;
  }
  return d;
}

// Rows [begin, end) of a result.
struct Slice {
  const std::vector<ResultRow>* rows = nullptr;
  size_t begin = 0;
  size_t end = 0;
};

// The first row of `searched` (in order) that `pool` does not have as often.
std::optional<size_t> first_unmatched(const Slice& searched, const Slice& pool) {
  std::map<ResultRow, size_t> available;
  for (size_t i = pool.begin; i < pool.end; ++i) ++available[(*pool.rows)[i]];
  for (size_t i = searched.begin; i < searched.end; ++i) {
    auto it = available.find((*searched.rows)[i]);
    if (it == available.end() || it->second == 0) return i;
    --it->second;
  }
  return std::nullopt;
}

// original.rows[begin, end) against rewritten.rows[begin, rewritten_end) as multisets.
std::optional<RowDifference> compare_slices(const ResultRows& original, const ResultRows& rewritten, size_t begin,
                                            size_t end, size_t rewritten_end) {
  const Slice original_rows{&original.rows, begin, end};
  const Slice rewritten_rows{&rewritten.rows, begin, rewritten_end};
  const auto missing = first_unmatched(/*searched=*/original_rows, /*pool=*/rewritten_rows);
  const auto extra = first_unmatched(/*searched=*/rewritten_rows, /*pool=*/original_rows);
  if (!missing && !extra) return std::nullopt;
  RowDifference d;
  if (missing) {
    d.row = *missing + 1;
    d.original = original.rows[*missing];
  }
  if (extra) d.rewritten = rewritten.rows[*extra];
  return d;
}

bool same_keys(const ResultRow& a, const ResultRow& b, const std::vector<size_t>& keys) {
  return std::ranges::all_of(keys, [&](size_t k) { return k >= a.size() || k >= b.size() || a[k] == b[k]; });
}

void add_counts(RowDifference& d, size_t original_rows, size_t rewritten_rows) {
  if (original_rows == rewritten_rows) return;
  d.what += fmt::format("; the original returns {} rows, the rewritten query {}", original_rows, rewritten_rows);
}

}  // namespace

std::vector<size_t> order_by_columns(std::string_view statement) {
  std::vector<size_t> out;
  for (const auto& item : analyzer::parse_aggregate_query(statement).order_by) {
    size_t position = 0;
    auto [end, error] = std::from_chars(item.data(), item.data() + item.size(), position);
    if (error == std::errc() && position > 0) out.push_back(position - 1);
  }
  return out;
}

std::optional<RowDifference> compare_results(const ResultRows& original, const ResultRows& rewritten,
                                             const std::vector<size_t>& order_columns) {
  if (auto d = compare_columns(original, rewritten)) return d;
  const size_t n = original.rows.size();
  const size_t m = rewritten.rows.size();
  if (order_columns.empty()) {
    auto d = compare_slices(original, rewritten, 0, n, m);
    if (!d) return std::nullopt;
    d->what = d->original ? fmt::format("row {} of the original is not in the rewritten result", d->row)
                          : std::string("the rewritten result has a row the original has not");
    add_counts(*d, n, m);
    return d;
  }
  if (original.rows == rewritten.rows) return std::nullopt;
  // Runs of rows tying on every ORDER BY column: each must be the same multiset at the same positions.
  for (size_t begin = 0, end = 0; begin < n; begin = end) {
    end = begin + 1;
    while (end < n && same_keys(original.rows[begin], original.rows[end], order_columns)) ++end;
    auto d = compare_slices(original, rewritten, begin, end, std::min(end, m));
    if (!d) continue;
    d->what = end - begin == 1
                  ? fmt::format("row {} differs", begin + 1)
                  : fmt::format("rows {} to {}, which tie on the ORDER BY columns, differ", begin + 1, end);
    add_counts(*d, n, m);
    return d;
  }
  if (m == n) return std::nullopt;  // every run of ties holds the same rows
  RowDifference d;                  // the original's rows all came, in order: the rewritten query returns more
  d.what = fmt::format("the rewritten query returns {} rows, the original {}", m, n);
  d.rewritten = rewritten.rows[n];
  return d;
}

std::string row_text(const ResultRow& row) {
  std::string out = "(";
  for (size_t i = 0; i < row.size(); ++i) {
    if (i > 0) out += ", ";
    out += row[i] ? pg::quote_literal(*row[i]) : "NULL";
  }
  return out + ")";
}

}  // namespace pgadvisor::shadow
