// Traffic samples: entry hashes are FNV-1a (the same on every platform and in every version, since they are kept in
// the store), over fields that every log format writes alike.
#include "collector/traffic_overlap.hpp"

#include <algorithm>
#include <filesystem>

#include <fmt/format.h>

#include "collector/log_parser.hpp"

namespace pgadvisor::collector {
namespace {

constexpr uint64_t kFnvOffset = 0xcbf29ce484222325ULL;
constexpr uint64_t kFnvPrime = 0x100000001b3ULL;

uint64_t fnv1a(uint64_t hash, std::string_view bytes) {
  for (char c : bytes) {
    hash ^= static_cast<unsigned char>(c);
    hash *= kFnvPrime;
  }
  return hash * kFnvPrime;  // a field separator, so that ("ab", "c") and ("a", "bc") differ
}

//! Sorted hashes that are in both, counting duplicates once per match.
size_t shared_count(const std::vector<uint64_t>& a, const std::vector<uint64_t>& b) {
  size_t n = 0;
  for (size_t i = 0, j = 0; i < a.size() && j < b.size();) {
    if (a[i] < b[j]) {
      ++i;
    } else if (b[j] < a[i]) {
      ++j;
    } else {
      ++n, ++i, ++j;
    }
  }
  return n;
}

// Hashes as the store keeps them: 16 hex digits each (a JSON number would lose the low bits of a 64-bit hash).
std::vector<std::string> hex_list(const std::vector<uint64_t>& v) {
  std::vector<std::string> out;
  out.reserve(v.size());
  for (uint64_t h : v) out.push_back(fmt::format("{:016x}", h));
  return out;
}

std::vector<uint64_t> parse_hex_list(const std::vector<std::string>& texts) {
  std::vector<uint64_t> out;
  out.reserve(texts.size());
  for (const auto& t : texts) out.push_back(std::stoull(t, nullptr, 16));
  return out;
}

}  // namespace

std::string_view TrafficSampler::head(std::string_view data) {
  if (data.size() <= kHeadBytes) return data;
  const size_t nl = data.rfind('\n', kHeadBytes);
  return nl == std::string_view::npos ? std::string_view() : data.substr(0, nl + 1);
}

void TrafficSampler::add(const LogEntry& e) {
  if (full() || e.timestamp.size() < 19 || is_secondary_level(e.level)) return;
  const std::string_view time = e.timestamp.substr(0, 19);  // %t has no milliseconds
  std::string_view first_line = e.message.substr(0, e.message.find('\n'));
  while (!first_line.empty() && (first_line.back() == ' ' || first_line.back() == '\r')) first_line.remove_suffix(1);
  const uint64_t common = fnv1a(fnv1a(fnv1a(kFnvOffset, time), e.level), first_line);
  sample_.without_pid.push_back(common);
  sample_.with_pid.push_back(fnv1a(common, fmt::format("{}", e.pid)));
  all_pids_ = all_pids_ && e.pid != 0;
  if (sample_.first_time.empty() || time < sample_.first_time) sample_.first_time = time;
  if (time > sample_.last_time) sample_.last_time = time;
}

TrafficSample TrafficSampler::take() {
  std::sort(sample_.with_pid.begin(), sample_.with_pid.end());
  std::sort(sample_.without_pid.begin(), sample_.without_pid.end());
  sample_.has_pids = all_pids_ && !sample_.with_pid.empty();
  return std::move(sample_);
}

std::optional<DuplicateTraffic> same_traffic(const TrafficSample& earlier, const TrafficSample& later) {
  constexpr size_t kMinShared = 8;
  if (earlier.with_pid.size() < kMinShared || later.with_pid.size() < kMinShared) return std::nullopt;
  if (earlier.last_time < later.first_time || later.last_time < earlier.first_time) return std::nullopt;
  // Pids tell servers (and sessions) apart; a stderr prefix without %p has none, then only time and message count.
  const bool pids = earlier.has_pids && later.has_pids;
  const auto& a = pids ? earlier.with_pid : earlier.without_pid;
  const auto& b = pids ? later.with_pid : later.without_pid;
  const size_t shared = shared_count(a, b);
  // Logs of one traffic start together (the server opens every destination's file at once), so their samples
  // cover about the same seconds; hashes keep no time, so the smaller sample is the measure.
  const size_t compared = std::min(a.size(), b.size());
  if (shared < kMinShared || shared * 2 < compared) return std::nullopt;
  return DuplicateTraffic{{}, false, shared, compared};
}

std::optional<DuplicateTraffic> TrafficRegistry::admit(const std::string& path, const TrafficSample& sample,
                                                       bool from_start) {
  if (sample.with_pid.empty()) return std::nullopt;  // no entry with a time: nothing to compare
  for (const auto& [earlier_path, earlier] : files_) {
    if (auto same = same_traffic(earlier, sample)) {
      same->earlier = earlier_path;
      return same;
    }
  }
  std::string key;  // the store's key: the absolute path (none for stdin)
  if (path != "-") key = std::filesystem::absolute(path).lexically_normal().string();
  if (store_ != nullptr) {
    auto others = store_->statement("traffic/other_samples");
    others.bind("path", key).bind("first_time", sample.first_time).bind("last_time", sample.last_time);
    while (others.step()) {
      TrafficSample stored;
      stored.first_time = others.get_text("first_time");
      stored.last_time = others.get_text("last_time");
      stored.has_pids = others.get_bool("has_pids");
      stored.with_pid = parse_hex_list(others.get_text_list("with_pid"));
      stored.without_pid = parse_hex_list(others.get_text_list("without_pid"));
      if (auto same = same_traffic(stored, sample)) {
        same->earlier = others.get_text("path");
        same->earlier_call = true;
        return same;
      }
    }
    if (!key.empty() && from_start) {
      store_->statement("traffic/save_sample")
          .bind("path", key)
          .bind("first_time", sample.first_time)
          .bind("last_time", sample.last_time)
          .bind("has_pids", sample.has_pids)
          .bind("with_pid", hex_list(sample.with_pid))
          .bind("without_pid", hex_list(sample.without_pid))
          .run();
    }
  }
  files_.emplace_back(path, sample);
  return std::nullopt;
}

void TrafficRegistry::forget(Store& store) { store.run_script("traffic/reset"); }

}  // namespace pgadvisor::collector
