// Statements per second of the analyzer, with and without the shape cache, against plain libpg_query
// (pg_query_fingerprint called directly) on the same generated corpora: repetitive (OLTP-like) and all-unique.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <pg_query.h>  // the baseline only: the analyzer itself reaches libpg_query through its adapter

#include "analyzer/statement_analyzer.hpp"
#include "statement_corpus.hpp"

namespace {

using pgadvisor::analyzer::StatementAnalyzer;
using pgadvisor::analyzer::StatementAnalyzerOptions;

struct Options {
  size_t repetitive = 300000;  //!< statements in the repetitive corpus
  size_t shapes = 300;         //!< query templates in it
  size_t unique = 100000;      //!< statements in the all-unique corpus
  int runs = 5;
  uint64_t seed = 42;
  std::string only;  //!< for profiling: one pass of one mode (libpg_query, nocache, cache), no timing table
};

// One pass over the corpus; returns a checksum of the fingerprints so that the modes can be compared.
using Pass = std::function<uint64_t(const std::vector<std::string>&)>;

uint64_t plain_libpg_query(const std::vector<std::string>& corpus) {
  uint64_t sum = 0;
  for (const std::string& s : corpus) {
    PgQueryFingerprintResult r = pg_query_fingerprint(s.c_str());
    if (r.error == nullptr) sum += r.fingerprint;
    pg_query_free_fingerprint_result(r);
  }
  return sum;
}

size_t g_max_shapes = size_t{1} << 20;

uint64_t analyze_all(StatementAnalyzer& analyzer, const std::vector<std::string>& corpus) {
  std::vector<pgadvisor::analyzer::AnalyzedStatement> statements;
  uint64_t sum = 0;
  for (const std::string& s : corpus) {
    analyzer.analyze(s, statements);
    for (const auto& statement : statements) sum += statement.info.fingerprint;
  }
  return sum;
}

// A cold cache each run: creating the shapes is part of the cost.
Pass analyzer_pass(bool cache) {
  return [cache](const std::vector<std::string>& corpus) {
    StatementAnalyzer analyzer({.shape_cache = cache, .max_shapes = g_max_shapes});
    return analyze_all(analyzer, corpus);
  };
}

// A cache that knows the corpus' shapes already: the steady state of a long log.
Pass warm_pass(const std::vector<std::string>& corpus) {
  auto analyzer = std::make_shared<StatementAnalyzer>(StatementAnalyzerOptions{.max_shapes = g_max_shapes});
  analyze_all(*analyzer, corpus);
  return [analyzer](const std::vector<std::string>& c) { return analyze_all(*analyzer, c); };
}

// CPU time of this thread: what "per core" means on a shared machine, where wall time also counts waiting.
double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.size() % 2 == 1 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

void run_corpus(const char* name, const std::vector<std::string>& corpus, int runs, bool warm) {
  struct Mode {
    const char* name;
    Pass pass;
    std::vector<double> rates;       //!< statements per second of the thread's CPU time
    std::vector<double> wall_rates;  //!< statements per second of wall-clock time
    uint64_t checksum = 0;
  };
  std::vector<Mode> modes = {
      {"libpg_query pg_query_fingerprint", plain_libpg_query, {}, {}},
      {"analyzer, no shape cache", analyzer_pass(false), {}, {}},
      {"analyzer, shape cache (cold: shapes created in the run)", analyzer_pass(true), {}, {}},
  };
  if (warm) modes.push_back({"analyzer, shape cache (warm: shapes known)", warm_pass(corpus), {}, {}});
  size_t bytes = 0;
  for (const std::string& s : corpus) bytes += s.size();
  std::printf("\n### %s corpus: %zu statements, %.1f bytes on average\n\n", name, corpus.size(),
              static_cast<double>(bytes) / static_cast<double>(corpus.size()));
  // Modes interleave run by run, so that a noisy neighbour hurts them alike.
  for (int run = 0; run < runs; ++run) {
    for (Mode& m : modes) {
      const double cpu_start = thread_cpu_seconds();
      const auto start = std::chrono::steady_clock::now();
      m.checksum = m.pass(corpus);
      const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
      m.rates.push_back(static_cast<double>(corpus.size()) / (thread_cpu_seconds() - cpu_start));
      m.wall_rates.push_back(static_cast<double>(corpus.size()) / elapsed.count());
    }
  }
  StatementAnalyzer census;
  analyze_all(census, corpus);
  const auto& stats = census.shape_cache()->stats();
  std::printf(
      "%zu shapes; one cold pass: %llu hits, %llu misses, %llu slow path (unsure or invalid), "
      "%llu skipped (adaptive bypass)\n\n",
      census.shape_cache()->size(), static_cast<unsigned long long>(stats.hits),
      static_cast<unsigned long long>(stats.misses), static_cast<unsigned long long>(stats.bypasses),
      static_cast<unsigned long long>(stats.skipped));
  const double baseline = median(modes[0].rates);
  std::printf(
      "| mode | statements per CPU-second, median | min | max | vs libpg_query | wall-clock median |\n"
      "|---|---:|---:|---:|---:|---:|\n");
  for (const Mode& m : modes) {
    std::printf("| %s | %.0f | %.0f | %.0f | %.2fx | %.0f/s |\n", m.name, median(m.rates),
                *std::min_element(m.rates.begin(), m.rates.end()), *std::max_element(m.rates.begin(), m.rates.end()),
                median(m.rates) / baseline, median(m.wall_rates));
    if (m.checksum != modes[0].checksum) {
      std::fprintf(stderr, "fingerprint checksum of '%s' differs from libpg_query's\n", m.name);
      std::exit(1);
    }
  }
}

// One pass of one mode over the corpus the options select (the repetitive one when --repetitive is not 0), for
// valgrind --tool=callgrind: corpus generation is outside the measured function, everything else is the mode.
int profile_one(const Options& o) {
  const auto corpus = o.repetitive > 0 ? pgadvisor::bench::repetitive_corpus(o.repetitive, o.shapes, o.seed)
                                       : pgadvisor::bench::unique_corpus(o.unique, o.seed);
  Pass pass;
  if (o.only == "libpg_query") {
    pass = plain_libpg_query;
  } else if (o.only == "nocache" || o.only == "cache") {
    pass = analyzer_pass(o.only == "cache");
  } else {
    std::fprintf(stderr, "--only: libpg_query, nocache or cache\n");
    return 2;
  }
  std::printf("%s over %zu statements: checksum %016llx\n", o.only.c_str(), corpus.size(),
              static_cast<unsigned long long>(pass(corpus)));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  for (int k = 1; k + 1 < argc; k += 2) {
    const std::string_view flag = argv[k];
    const auto value = std::strtoull(argv[k + 1], nullptr, 10);
    if (flag == "--repetitive")
      o.repetitive = value;
    else if (flag == "--shapes")
      o.shapes = value;
    else if (flag == "--unique")
      o.unique = value;
    else if (flag == "--runs")
      o.runs = static_cast<int>(value);
    else if (flag == "--seed")
      o.seed = value;
    else if (flag == "--max-shapes")
      g_max_shapes = value;
    else if (flag == "--only")
      o.only = argv[k + 1];
    else {
      std::fprintf(stderr,
                   "usage: bench_fingerprint [--repetitive N] [--shapes N] [--unique N] [--runs N] [--seed N] "
                   "[--max-shapes N] [--only libpg_query|nocache|cache]\n");
      return 2;
    }
  }
  if (!o.only.empty()) return profile_one(o);
  std::printf("one thread, %d runs per mode (interleaved), seed %llu\n", o.runs,
              static_cast<unsigned long long>(o.seed));
  if (o.repetitive > 0) {
    run_corpus("Repetitive (OLTP-like)", pgadvisor::bench::repetitive_corpus(o.repetitive, o.shapes, o.seed), o.runs,
               true);
  }
  if (o.unique > 0) run_corpus("All-unique", pgadvisor::bench::unique_corpus(o.unique, o.seed), o.runs, false);
  return 0;
}
