// libFuzzer target for the scripts pgadvisor writes (advice.sql and its rollback): the input chooses the names of
// schemas, tables, columns and indexes, plan and statement texts, values and the header, from hostile pieces or
// its own bytes; the oracle (tests/fuzz/script_oracle.hpp) parses both scripts with libpg_query and requires
// exactly the intended statements, identifiers and values read back as given, and DO bodies that only check.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "script_oracle.hpp"

namespace {

namespace oracle = pgadvisor::test::oracle;

// The input's own bytes as a name: what a server could hold (UTF-8, no NUL), at most 63 bytes, never empty.
std::string name_from(FuzzedDataProvider& in) {
  std::string raw = in.ConsumeRandomLengthString(80);
  std::string out;
  for (size_t at = 0; at < raw.size();) {
    auto lead = static_cast<unsigned char>(raw[at]);
    size_t length = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC2 ? 2 : 0;
    bool valid = length > 0 && at + length <= raw.size() && lead <= 0xF4;
    for (size_t i = 1; valid && i < length; ++i) valid = (static_cast<unsigned char>(raw[at + i]) & 0xC0) == 0x80;
    if (valid && length == 3) {  // no surrogates, no overlong forms
      auto second = static_cast<unsigned char>(raw[at + 1]);
      valid = !(lead == 0xED && second >= 0xA0) && !(lead == 0xE0 && second < 0xA0);
    }
    if (valid && length == 4) {
      auto second = static_cast<unsigned char>(raw[at + 1]);
      valid = !(lead == 0xF0 && second < 0x90) && !(lead == 0xF4 && second >= 0x90);
    }
    if (!valid) {
      out += '?';
      ++at;
      continue;
    }
    if (raw[at] != '\0') out.append(raw, at, length);
    at += length;
  }
  out = oracle::as_parsed(out);
  return out.empty() ? "x" : out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider in(data, size);
  // Half the choices come from the hostile pieces, half from the input's own bytes.
  bool own_bytes = in.ConsumeBool();
  auto pick = [&](size_t n) { return n <= 1 ? size_t{0} : in.ConsumeIntegralInRange<size_t>(0, n - 1); };
  auto [advice, predicates] = oracle::hostile_advice(pick);
  if (own_bytes) {
    for (auto& index : advice.indexes) {
      index.index.table.name = name_from(in);
      if (!index.index.table.schema.empty()) index.index.table.schema = name_from(in);
      for (auto& key : index.index.keys) key.column = name_from(in);
      index.index.assigned_name = name_from(in);
      for (auto& partition : index.partitions) {
        partition.table.name = name_from(in);
        if (!partition.table.schema.empty()) partition.table.schema = name_from(in);
        partition.name = name_from(in);
      }
      for (auto& q : index.queries) q.plan_after = in.ConsumeRandomLengthString(200);
    }
    for (auto& drop : advice.drops) {
      drop.finding.index = name_from(in);
      drop.finding.definition = in.ConsumeRandomLengthString(200);
      drop.evidence = in.ConsumeRandomLengthString(200);
    }
  }
  pgadvisor::advisor::ScriptHeader header{in.ConsumeRandomLengthString(100), "2026-12-03T12:00:00Z"};
  if (in.ConsumeBool()) header.generated = name_from(in);

  std::string script = pgadvisor::advisor::advice_script(advice, header);
  std::string verdict = oracle::check_advice_script(advice, header, script, predicates);
  if (verdict.empty()) {
    script = pgadvisor::advisor::rollback_script(advice, header);
    verdict = oracle::check_rollback_script(advice, header, script);
  }
  if (!verdict.empty()) {
    std::fprintf(stderr, "script oracle: %s\n--- script:\n%s\n", verdict.c_str(), script.c_str());
    std::abort();
  }
  return 0;
}
