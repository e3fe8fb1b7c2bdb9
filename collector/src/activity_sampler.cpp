// Sampling pg_stat_activity for `advise --pg-stat-activity`: the fixed-rate loop, and sightings grouped by text.
#include "collector/activity_sampler.hpp"

#include <algorithm>
#include <thread>

#include <fmt/format.h>

#include "analyzer/secret_redaction.hpp"
#include "analyzer/sql_tokenizer.hpp"
#include "analyzer/statement.hpp"
#include "collector/own_statements.hpp"
#include "sql/embedded.hpp"

namespace pgadvisor::collector {
namespace {

// A statement of a driver's extended protocol shows its $n, not its values: its text is a normalized one.
bool has_parameters(std::string_view text) {
  std::vector<analyzer::Token> tokens;
  analyzer::tokenize(text, tokens);
  return std::any_of(tokens.begin(), tokens.end(), [](const auto& t) { return t.kind == analyzer::TokenKind::Param; });
}

}  // namespace

void ActivityAccumulator::add(const std::vector<ActiveStatement>& sample) {
  ++samples_;
  for (const auto& s : sample) {
    if (s.hidden) {
      ++hidden_;
      continue;
    }
    if (s.query.empty()) continue;
    auto execution = std::make_pair(s.pid, s.query_start);
    if (s.truncated) {  // a cut text is another statement (a predicate short), or none
      truncated_.insert(std::move(execution));
      continue;
    }
    // Redacted first: nothing of a password reaches the workload, the advice or its scripts.
    auto& seen = texts_[analyzer::redact_secrets(s.query)];
    seen.executions.insert(std::move(execution));
    ++seen.sightings;
  }
}

ActivityWorkload ActivityAccumulator::finish(std::chrono::milliseconds interval) const {
  ActivityWorkload out;
  out.samples = samples_;
  out.hidden = hidden_;
  out.truncated = truncated_.size();
  std::vector<std::pair<const std::string*, const Seen*>> kept;
  for (const auto& [text, seen] : texts_) {
    if (is_own_statement(text)) {  // another pgadvisor's catalog reads or what-if EXPLAINs
      out.own += seen.executions.size();
      continue;
    }
    out.executions += seen.executions.size();
    kept.emplace_back(&text, &seen);
  }
  std::stable_sort(kept.begin(), kept.end(),
                   [](const auto& a, const auto& b) { return a.second->sightings > b.second->sightings; });
  for (const auto& [text, seen] : kept) {
    analyzer::WorkloadClass c;
    auto info = analyzer::describe_statement(*text);
    if (info.fingerprint != 0) c.fingerprint = analyzer::fingerprint_hex(info.fingerprint);
    c.text = *text;
    c.calls = static_cast<double>(seen->executions.size());
    c.total_ms = static_cast<double>(seen->sightings) * static_cast<double>(interval.count());
    if (!has_parameters(*text)) c.samples.push_back(*text);  // concrete: planned with its own literals
    c.source = "activity";
    out.workload.classes.push_back(std::move(c));
  }
  if (out.truncated > 0) {
    out.warnings.push_back(fmt::format(
        "{} executions left out: their text was cut at track_activity_query_size; raise it (a server restart) to "
        "see long statements whole, or use --pg-stat-statements",
        out.truncated));
  }
  if (out.hidden > 0) {
    out.warnings.push_back(fmt::format(
        "{} sightings of other roles' statements show no text and are left out; fix: GRANT pg_read_all_stats to the "
        "role pgadvisor connects as",
        out.hidden));
  }
  return out;
}

SamplingClock SamplingClock::real() {
  return {[] { return std::chrono::steady_clock::now(); },
          [](std::chrono::steady_clock::duration d) { std::this_thread::sleep_for(d); }};
}

ActivityWorkload sample_activity(const std::function<std::vector<ActiveStatement>()>& read,
                                 const ActivityOptions& options, const SamplingClock& clock) {
  ActivityAccumulator accumulator;
  const auto interval = std::max(options.interval, std::chrono::milliseconds(1));
  const auto start = clock.now();
  const auto end = start + options.duration;
  while (true) {
    accumulator.add(read());
    const auto now = clock.now();
    const auto next = start + ((now - start) / interval + 1) * interval;  // the next tick after now
    if (next > end) break;
    clock.sleep(next - now);
  }
  return accumulator.finish(interval);
}

std::vector<ActiveStatement> read_active_statements(pg::Connection& conn) {
  auto r = conn.query(sql::text("live/active_statements"));
  std::vector<ActiveStatement> out;
  out.reserve(static_cast<size_t>(r.rows()));
  for (int i = 0; i < r.rows(); ++i) {
    out.push_back({r.get<int64_t>(i, "pid"), r.get_optional<std::string>(i, "query_start").value_or(""),
                   r.get_optional<std::string>(i, "query").value_or(""), r.get<bool>(i, "hidden"),
                   r.get<bool>(i, "truncated")});
  }
  return out;
}

ActivityWorkload sample_activity(pg::Connection& conn, const ActivityOptions& options) {
  return sample_activity([&conn] { return read_active_statements(conn); }, options);
}

}  // namespace pgadvisor::collector
