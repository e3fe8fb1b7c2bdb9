// The cost of secret redaction on ordinary statements: MiB/s of the pre-check (may_hold_secrets, which every
// statement text of ingest and snapshot goes through) against the tokenizer and memchr on the same corpora of
// bench/fingerprint, plus redact_secrets on statements that do hold secrets. The corpora are small enough (about
// 2 MiB) to stay in cache, as a statement does in ingest, which checks it right after parsing its log entry.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/secret_redaction.hpp"
#include "analyzer/sql_tokenizer.hpp"
#include "statement_corpus.hpp"

namespace {

size_t bytes_of(const std::vector<std::string>& corpus) {
  size_t bytes = 0;
  for (const auto& s : corpus) bytes += s.size();
  return bytes;
}

// The best of `runs` passes, in MiB/s; `sink` keeps the work from being optimised away.
template <class F>
double mib_per_s(const std::vector<std::string>& corpus, int runs, F&& f, size_t& sink) {
  double best = 1e30;
  for (int r = 0; r < runs; ++r) {
    auto t0 = std::chrono::steady_clock::now();
    for (const auto& s : corpus) sink += f(s);
    best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  }
  return static_cast<double>(bytes_of(corpus)) / best / 1048576.0;
}

std::vector<std::string> secret_corpus(size_t n) {
  const char* const shapes[] = {
      "ALTER ROLE app_%zu WITH ENCRYPTED PASSWORD 'SCRAM-SHA-256$4096:c2FsdA==$%zu'",
      "CREATE USER MAPPING FOR u%zu SERVER s OPTIONS (user 'u', password 'pw%zu')",
      "SELECT * FROM dblink('host=h%zu user=u password=pw%zu dbname=d', 'select 1') AS t(x int)",
      "COPY t%zu FROM PROGRAM 'zcat /data/export-%zu.csv.gz' WITH (FORMAT csv)",
  };
  std::vector<std::string> out;
  char buf[256];
  for (size_t i = 0; i < n; ++i) {
    std::snprintf(buf, sizeof buf, shapes[i % 4], i, i * 7919);
    out.emplace_back(buf);
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  int runs = argc > 1 ? std::atoi(argv[1]) : 25;
  size_t sink = 0;
  std::vector<pgadvisor::analyzer::Token> tokens;
  std::printf("| corpus | statements | mean bytes | may_hold_secrets | tokenize | memchr | redact_secrets |\n");
  std::printf("|---|---:|---:|---:|---:|---:|---:|\n");
  const std::pair<const char*, std::vector<std::string>> corpora[] = {
      {"repetitive", pgadvisor::bench::repetitive_corpus(20000, 300, 42)},
      {"all-unique", pgadvisor::bench::unique_corpus(20000, 42)},
      {"with secrets", secret_corpus(20000)},
  };
  for (const auto& [name, corpus] : corpora) {
    double check = mib_per_s(
        corpus, runs, [](const std::string& s) { return pgadvisor::analyzer::may_hold_secrets(s); }, sink);
    double tokenize = mib_per_s(
        corpus, runs,
        [&](const std::string& s) {
          pgadvisor::analyzer::tokenize(s, tokens);
          return tokens.size();
        },
        sink);
    double scan = mib_per_s(
        corpus, runs, [](const std::string& s) { return memchr(s.data(), 0, s.size()) != nullptr; }, sink);
    std::string out;
    double redact = mib_per_s(
        corpus, runs,
        [&](const std::string& s) { return static_cast<size_t>(pgadvisor::analyzer::redact_secrets(s, out).changed); },
        sink);
    std::printf("| %s | %zu | %.0f | %.0f MiB/s | %.0f MiB/s | %.0f MiB/s | %.0f MiB/s |\n", name, corpus.size(),
                static_cast<double>(bytes_of(corpus)) / static_cast<double>(corpus.size()), check, tokenize, scan,
                redact);
  }
  return sink == 42 ? 1 : 0;
}
