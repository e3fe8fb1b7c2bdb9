// IngestAccumulator: the pairing rules follow how PostgreSQL 15 logs one backend's work (postgres.c): a DETAIL
// or STATEMENT entry always comes right after its primary entry from the same backend, though other backends'
// lines may come in between; log_statement's entry comes before the duration-only entry of the same statement.
#include "collector/ingest_accumulator.hpp"

#include "analyzer/secret_redaction.hpp"
#include "analyzer/unparsed_class.hpp"
#include "collector/log_message.hpp"
#include "collector/log_parser.hpp"

namespace pgadvisor::collector {

namespace {

//! The SQL without surrounding blanks and trailing semicolons (the log keeps what the client sent).
std::string_view trim_sql(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\n' || s.front() == '\r')) {
    s.remove_prefix(1);
  }
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r' || s.back() == ';')) {
    s.remove_suffix(1);
  }
  return s;
}

//! A class's text from its example: the statement normalized, or as it is when it cannot be; an unparsed class's
//! token text.
std::string normalize_example(const ClassStats& stats) {
  if (stats.unparsed) return analyzer::unparsed_class(stats.example).normalized;
  auto n = analyzer::normalize_statement(stats.example);
  return n.text ? *n.text : stats.example;
}

}  // namespace

bool IngestFilter::matches(const LogEntry& e) const {
  if (!database.empty() && e.database != database) return false;
  if (!user.empty() && e.user != user) return false;
  if (!application.empty() && e.application != application) return false;
  if (!since.empty() && e.timestamp.substr(0, since.size()) < std::string_view(since)) return false;
  if (!until.empty() && e.timestamp.substr(0, until.size()) > std::string_view(until)) return false;
  return true;
}

void IngestCounters::merge(const IngestCounters& o) {
  lines += o.lines;
  entries += o.entries;
  calls += o.calls;
  timed_calls += o.timed_calls;
  total_us += o.total_us;
  prepares += o.prepares;
  plans += o.plans;
  parameter_sets += o.parameter_sets;
  errors += o.errors;
  unattributed_errors += o.unattributed_errors;
  filtered += o.filtered;
  bad_lines += o.bad_lines;
  malformed += o.malformed;
  unparsable += o.unparsable;
}

IngestAccumulator::IngestAccumulator(IngestFilter filter)
    : filter_(std::move(filter)), memo_(kMemoSlots), shapes_(size_t{1} << 16) {}

InputProblem InputProblem::of(std::string kind, uint64_t line, std::string_view text) {
  std::string shown(text.substr(0, 120));
  for (char& c : shown) {
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) == 0x7f) c = '?';
  }
  return InputProblem{std::move(kind), line, std::move(shown)};
}

void IngestAccumulator::problem(const char* kind, uint64_t line, std::string_view text) {
  size_t same = 0;
  for (const auto& p : problems_) same += p.kind == kind ? 1 : 0;
  if (same >= kExamplesPerKind) return;
  problems_.push_back(InputProblem::of(kind, line, analyzer::redact_secrets(text)));
}

void IngestAccumulator::bad_line(uint64_t line, std::string_view text, const char* kind) {
  ++counters_.bad_lines;
  problem(kind, line, text);
}

ClassStats* IngestAccumulator::classify(std::string_view sql, uint64_t line) {
  sql = trim_sql(sql);
  // Secrets (ALTER ROLE ... PASSWORD 'x', COPY ... PROGRAM) never reach a class: from here on the statement is
  // its redacted text, fingerprinted, memoized and sampled as such.
  secret_parameters_ = false;
  if (analyzer::may_hold_secrets(sql)) {
    secret_parameters_ = analyzer::redact_secrets(sql, redacted_).secret_parameters;
    sql = redacted_;
  }
  const uint64_t hash = SampleSet::key_of(sql);
  MemoSlot& slot = memo_[hash & (kMemoSlots - 1)];
  ClassKey class_key;
  analyzer::StatementKind kind = analyzer::StatementKind::Invalid;
  if (slot.fingerprint != 0 && slot.hash == hash && slot.text == sql) {
    class_key = {slot.fingerprint, slot.unparsed};
    if (class_key.unparsed) ++counters_.unparsable;  // counted per statement, as without the memo
  } else {
    // Continuation tabs are whitespace to the tokenizer, so the log's text fingerprints as the client's text.
    const analyzer::StatementInfo info = shapes_.describe(sql);
    if (info.error || info.fingerprint == 0) {
      // It ran and took time all the same (newer syntax, a fragment): a class of its own, from its tokens.
      ++counters_.unparsable;
      problem("unparsable statement", line, sql);
      class_key = {analyzer::unparsed_class(sql).fingerprint, true};
    } else {
      class_key = {info.fingerprint, false};
      kind = info.kind;
    }
    if (sql.size() <= kMemoMaxText && class_key.fingerprint != 0) {
      slot.hash = hash;
      slot.fingerprint = class_key.fingerprint;
      slot.unparsed = class_key.unparsed;
      slot.text.assign(sql);
    }
  }
  auto [it, inserted] = classes_.try_emplace(class_key);
  ClassStats& stats = it->second;
  if (inserted) {
    // A memo hit in a new batch: the kind again.
    if (kind == analyzer::StatementKind::Invalid && !class_key.unparsed) kind = shapes_.describe(sql).kind;
    stats.fingerprint = class_key.fingerprint;
    stats.unparsed = class_key.unparsed;
    stats.kind = kind;
  }
  std::string_view text = sql;
  uint64_t key = hash;
  if (tabbed_ && sql.find('\t') != std::string_view::npos) {
    stripped_ = strip_continuation_tabs(sql);
    text = stripped_;
    key = SampleSet::key_of(text);
  }
  stats.statements.add(key, text);
  stats.offer_example(key, text);
  return &stats;
}

void IngestAccumulator::close(Pending& p) {
  if (p.kind == Pending::Kind::Error) ++counters_.unattributed_errors;
  p = Pending{};
}

void IngestAccumulator::add(const LogEntry& e) {
  ++counters_.entries;
  tabbed_ = e.tabbed;
  const uint64_t key = e.session_key();
  if (!filter_.empty() && !filter_.matches(e)) {
    ++counters_.filtered;
    if (!is_secondary_level(e.level)) pending_.erase(key);
    return;
  }
  for (const IngestFilter& f : counted_) {
    if (f.matches(e)) {
      if (!is_secondary_level(e.level)) pending_.erase(key);
      return;
    }
  }
  bool malformed = false;
  LogMessage m = parse_log_message(e.level, e.message, &malformed);
  if (malformed) {
    ++counters_.malformed;
    problem("malformed entry", e.line, e.message);
  }
  if (m.kind == MessageKind::Parameters) {
    auto it = pending_.find(key);
    if (it != pending_.end() && it->second.stats != nullptr && it->second.kind == Pending::Kind::Execute) {
      ++counters_.parameter_sets;
      if (it->second.secret_parameters) {  // `password = $1`: every value may be the secret
        it->second.stats->parameters.add(analyzer::redact_parameter_values(m.text));
      } else if (analyzer::may_hold_secrets(m.text)) {  // a connection string with a password as a value
        it->second.stats->parameters.add(
            analyzer::redact_secrets(tabbed_ ? strip_continuation_tabs(m.text) : std::string(m.text)));
      } else if (tabbed_ && m.text.find('\t') != std::string_view::npos) {
        it->second.stats->parameters.add(strip_continuation_tabs(m.text));
      } else {
        it->second.stats->parameters.add(m.text);
      }
    }
    return;
  }
  if (m.kind == MessageKind::ErrorStatement) {
    auto it = pending_.find(key);
    if (it != pending_.end() && it->second.kind == Pending::Kind::Error) {
      if (ClassStats* s = classify(m.text, e.line)) {
        s->add_error(e.timestamp, e.database, e.user, e.application);
      } else {
        ++counters_.unattributed_errors;
      }
      it->second = Pending{};
    }
    return;
  }
  if (is_secondary_level(e.level)) return;  // HINT, CONTEXT, QUERY, other DETAILs

  if (m.kind == MessageKind::Duration) {
    auto it = pending_.find(key);
    if (it != pending_.end() && it->second.awaiting_duration && it->second.stats != nullptr) {
      it->second.stats->add_duration(m.duration_us, e.database, e.user, e.application);
      ++counters_.timed_calls;
      counters_.total_us += m.duration_us;
      it->second.awaiting_duration = false;
    } else if (it == pending_.end() || !it->second.awaiting_duration) {
      // A duration-only entry with no statement before it (log_duration = on without log_statement).
      ++counters_.timed_calls;
      counters_.total_us += m.duration_us;
    }
    return;
  }

  // A primary entry: whatever this backend's previous entry waited for will not come.
  Pending& pending = pending_[key];
  close(pending);
  switch (m.kind) {
    case MessageKind::Statement:
    case MessageKind::Execute: {
      ++counters_.calls;
      ClassStats* s = classify(m.text, e.line);
      if (m.has_duration) {
        ++counters_.timed_calls;
        counters_.total_us += m.duration_us;
      }
      if (s != nullptr)
        s->add_call(e.timestamp, e.database, e.user, e.application, m.has_duration ? m.duration_us : -1);
      pending.kind = m.kind == MessageKind::Execute ? Pending::Kind::Execute : Pending::Kind::Call;
      pending.stats = s;
      pending.awaiting_duration = !m.has_duration;
      pending.secret_parameters = secret_parameters_;
      break;
    }
    case MessageKind::Parse:
    case MessageKind::Bind: {
      ++counters_.prepares;
      if (ClassStats* s = classify(m.text, e.line); s != nullptr && m.has_duration) {
        ++s->prepare_count;
        s->prepare_us += m.duration_us;
      }
      break;
    }
    case MessageKind::Plan: {
      ++counters_.plans;
      std::string_view sql = plan_query_text(m.text, scratch_);
      if (sql.empty()) {
        problem("malformed entry", e.line, e.message);
        ++counters_.malformed;
        break;
      }
      if (ClassStats* s = classify(sql, e.line); s != nullptr && m.duration_us > s->plan_duration_us) {
        s->plan = analyzer::redact_secrets(tabbed_ ? strip_continuation_tabs(m.text) : std::string(m.text));
        s->plan_duration_us = m.duration_us;
      }
      break;
    }
    case MessageKind::Error:
      ++counters_.errors;
      pending.kind = Pending::Kind::Error;
      break;
    default:
      break;
  }
  // csvlog and jsonlog carry DETAIL and the failing statement as fields: handle them as the entries stderr writes.
  if (!e.detail.empty()) {
    LogEntry detail = e;
    detail.level = "DETAIL";
    detail.message = e.detail;
    detail.detail = {};
    detail.statement = {};
    --counters_.entries;
    add(detail);
  }
  if (!e.statement.empty() && m.kind == MessageKind::Error) {
    LogEntry statement = e;
    statement.level = "STATEMENT";
    statement.message = e.statement;
    statement.detail = {};
    statement.statement = {};
    --counters_.entries;
    add(statement);
  }
}

void IngestAccumulator::finish() {
  for (auto& [key, p] : pending_) close(p);
  pending_.clear();
  for (auto& [key, stats] : classes_) {
    auto& [example_key, normalized] = normalized_[key];
    if (normalized.empty() || example_key != stats.example_key) {
      normalized = normalize_example(stats);
      example_key = stats.example_key;
    }
    stats.normalized = normalized;
  }
}

}  // namespace pgadvisor::collector
