// The baseline file: its JSON writer (stable order, compact number arrays) and its strict reader.
#include "gate/baseline.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace pgadvisor::gate {
namespace {

using ordered = nlohmann::ordered_json;
using nlohmann::json;

// ---- Writing ----------------------------------------------------------------------------------------------------

ordered environment_json(const Environment& e) {
  ordered settings = ordered::object();
  for (const auto& [name, value] : e.settings) settings[name] = value;  // std::map: sorted
  return ordered{{"server_version", e.server_version},
                 {"server_version_num", e.server_version_num},
                 {"settings", settings},
                 {"machine", e.machine},
                 {"database_bytes", e.database_bytes},
                 {"taken_at", e.taken_at}};
}

ordered plan_json(const PlanShape& p) {
  ordered nodes = ordered::array();
  for (const auto& n : p.nodes)
    nodes.push_back(ordered{{"type", n.type}, {"relation", n.relation}, {"index", n.index}});
  return ordered{{"fingerprint", p.fingerprint}, {"lines", p.lines}, {"nodes", nodes}};
}

ordered measurement_json(const Measurement& m) {
  return ordered{{"name", m.name},
                 {"sql_hash", m.sql_hash},
                 {"error", m.error},
                 {"rows", m.rows},
                 {"result_checksum", m.result_checksum},
                 {"execution_ms", m.execution_ms},
                 {"planning_ms", m.planning_ms},
                 {"buffers", m.buffers},
                 {"shared_read", m.shared_read},
                 {"probe_ms", m.probe_ms},
                 {"plan", plan_json(m.plan)}};
}

std::string scalar(const ordered& v) {
  // Server messages may hold bytes that are not UTF-8: replace them rather than fail to write the baseline.
  return v.dump(-1, ' ', false, nlohmann::detail::error_handler_t::replace);
}

bool all_scalars(const ordered& v) {
  return std::none_of(v.begin(), v.end(), [](const ordered& item) { return item.is_structured(); });
}

//! Two-space indents like `dump(2)`, except that arrays of numbers and small objects of scalars stay on one line:
//! a query's 50 run times are one line, not 50, and a node is `{"type": …, "relation": …, "index": …}`.
void write(const ordered& v, int indent, std::string& out) {
  std::string pad(static_cast<size_t>(indent) + 2, ' ');
  if (v.is_array() && !v.empty() && all_scalars(v) && v.front().is_number()) {
    out += "[";
    for (size_t i = 0; i < v.size(); ++i) out += (i ? ", " : "") + scalar(v[i]);
    out += "]";
  } else if (v.is_object() && !v.empty() && all_scalars(v) && v.size() <= 4) {
    out += "{";
    for (auto it = v.begin(); it != v.end(); ++it) {
      out += (it == v.begin() ? "" : ", ") + scalar(it.key()) + ": " + scalar(it.value());
    }
    out += "}";
  } else if (v.is_array() && !v.empty()) {
    out += "[\n";
    for (size_t i = 0; i < v.size(); ++i) {
      out += pad;
      write(v[i], indent + 2, out);
      out += i + 1 < v.size() ? ",\n" : "\n";
    }
    out += std::string(static_cast<size_t>(indent), ' ') + "]";
  } else if (v.is_object() && !v.empty()) {
    out += "{\n";
    size_t i = 0;
    for (auto it = v.begin(); it != v.end(); ++it, ++i) {
      out += pad + scalar(it.key()) + ": ";
      write(it.value(), indent + 2, out);
      out += i + 1 < v.size() ? ",\n" : "\n";
    }
    out += std::string(static_cast<size_t>(indent), ' ') + "}";
  } else {
    out += scalar(v);
  }
}

}  // namespace

std::string baseline_to_json(const Baseline& b) {
  ordered queries = ordered::array();
  for (const auto& m : b.queries) queries.push_back(measurement_json(m));
  ordered doc{{"tool", "pgadvisor"},
              {"schema_version", b.schema_version},
              {"environment", environment_json(b.environment)},
              {"runs", b.runs},
              {"queries", queries}};
  std::string out;
  write(doc, 0, out);
  return out + "\n";
}

// ---- Reading ----------------------------------------------------------------------------------------------------

namespace {

const char* type_name(const json& v) {
  if (v.is_number()) return "a number";
  if (v.is_string()) return "a string";
  if (v.is_boolean()) return "a boolean";
  if (v.is_null()) return "null";
  if (v.is_array()) return "an array";
  return "an object";
}

//! Reads one baseline document, each problem reported with the file and the JSON path.
class Reader {
 public:
  explicit Reader(std::string file) : file_(std::move(file)) {}

  [[noreturn]] void fail(const std::string& path, std::string_view what) const {
    throw BaselineError(fmt::format("{}: {}: {}", file_, path, what));
  }

  const json& field(const json& object, const std::string& path, const char* key) const {
    auto it = object.find(key);
    if (it == object.end()) fail(path + "." + key, "missing");
    return *it;
  }

  void expect(const json& v, bool ok, const std::string& path, const char* wanted) const {
    if (!ok) fail(path, fmt::format("expected {}, found {}", wanted, type_name(v)));
  }

  const json& object(const json& parent, const std::string& path, const char* key) const {
    const auto& v = field(parent, path, key);
    expect(v, v.is_object(), path + "." + key, "an object");
    return v;
  }

  const json& array(const json& parent, const std::string& path, const char* key) const {
    const auto& v = field(parent, path, key);
    expect(v, v.is_array(), path + "." + key, "an array");
    return v;
  }

  std::string string(const json& parent, const std::string& path, const char* key) const {
    const auto& v = field(parent, path, key);
    expect(v, v.is_string(), path + "." + key, "a string");
    return v.get<std::string>();
  }

  int64_t integer(const json& parent, const std::string& path, const char* key) const {
    const auto& v = field(parent, path, key);
    expect(v, v.is_number_integer(), path + "." + key, "an integer");
    if (v.get<int64_t>() < 0) fail(path + "." + key, "negative");
    return v.get<int64_t>();
  }

  //! A string of 16 hex digits, or empty (a query that failed has no plan and no result).
  std::string hash(const json& parent, const std::string& path, const char* key) const {
    auto s = string(parent, path, key);
    bool hex = s.size() == 16 && s.find_first_not_of("0123456789abcdef") == std::string::npos;
    if (!s.empty() && !hex) fail(path + "." + key, fmt::format("'{}' is not 16 lower-case hex digits", s));
    return s;
  }

  std::vector<double> numbers(const json& parent, const std::string& path, const char* key) const {
    std::vector<double> out;
    const auto& a = array(parent, path, key);
    for (size_t i = 0; i < a.size(); ++i) {
      auto p = fmt::format("{}.{}[{}]", path, key, i);
      expect(a[i], a[i].is_number(), p, "a number");
      double x = a[i].get<double>();
      if (!std::isfinite(x) || x < 0) fail(p, fmt::format("{} is not a non-negative measurement", x));
      out.push_back(x);
    }
    return out;
  }

  std::vector<std::string> strings(const json& parent, const std::string& path, const char* key) const {
    std::vector<std::string> out;
    const auto& a = array(parent, path, key);
    for (size_t i = 0; i < a.size(); ++i) {
      expect(a[i], a[i].is_string(), fmt::format("{}.{}[{}]", path, key, i), "a string");
      out.push_back(a[i].get<std::string>());
    }
    return out;
  }

  //! The tool and the schema version come first: a file of another version is refused before its fields are read.
  void check_header(const json& doc) const {
    expect(doc, doc.is_object(), "$", "an object");
    auto tool = doc.find("tool");
    if (tool == doc.end() || !tool->is_string() || *tool != "pgadvisor") {
      fail("$.tool", "not a pgadvisor baseline (`pgadvisor gate record` writes one)");
    }
    auto version = doc.find("schema_version");
    auto reads = fmt::format(
        "this pgadvisor reads baseline schema version {}: re-record the baseline with "
        "`pgadvisor gate record`",
        Baseline::kSchemaVersion);
    if (version == doc.end()) fail("$.schema_version", "missing; " + reads);
    if (!version->is_number_integer()) fail("$.schema_version", fmt::format("{}; {}", version->dump(), reads));
    if (*version != Baseline::kSchemaVersion) {
      fail("$.schema_version", fmt::format("version {} is not supported; {}", version->dump(), reads));
    }
  }

  Environment environment(const json& doc) const {
    const std::string p = "$.environment";
    const auto& e = object(doc, "$", "environment");
    Environment env;
    env.server_version = string(e, p, "server_version");
    env.server_version_num = static_cast<int>(integer(e, p, "server_version_num"));
    for (const auto& [name, value] : object(e, p, "settings").items()) {
      expect(value, value.is_string(), fmt::format("{}.settings.{}", p, name), "a string");
      env.settings[name] = value.get<std::string>();
    }
    env.machine = string(e, p, "machine");
    env.database_bytes = integer(e, p, "database_bytes");
    env.taken_at = string(e, p, "taken_at");
    return env;
  }

  PlanShape plan(const json& q, const std::string& path) const {
    const auto& o = object(q, path, "plan");
    auto p = path + ".plan";
    PlanShape shape;
    shape.fingerprint = hash(o, p, "fingerprint");
    shape.lines = strings(o, p, "lines");
    const auto& nodes = array(o, p, "nodes");
    for (size_t i = 0; i < nodes.size(); ++i) {
      auto np = fmt::format("{}.nodes[{}]", p, i);
      expect(nodes[i], nodes[i].is_object(), np, "an object");
      shape.nodes.push_back(
          PlanNode{string(nodes[i], np, "type"), string(nodes[i], np, "relation"), string(nodes[i], np, "index")});
    }
    return shape;
  }

  Measurement measurement(const json& q, const std::string& p) const {
    expect(q, q.is_object(), p, "an object");
    Measurement m;
    m.name = string(q, p, "name");
    if (m.name.empty()) fail(p + ".name", "empty");
    m.sql_hash = hash(q, p, "sql_hash");
    m.error = string(q, p, "error");
    m.rows = integer(q, p, "rows");
    m.result_checksum = hash(q, p, "result_checksum");
    m.execution_ms = numbers(q, p, "execution_ms");
    m.planning_ms = numbers(q, p, "planning_ms");
    m.buffers = numbers(q, p, "buffers");
    m.shared_read = numbers(q, p, "shared_read");
    // Optional: without probes, times are compared as measured.
    if (q.contains("probe_ms")) m.probe_ms = numbers(q, p, "probe_ms");
    m.plan = plan(q, p);
    check_runs(m, p);
    return m;
  }

  //! Every run has its time, planning time and buffers: arrays of different lengths mean a damaged file.
  void check_runs(const Measurement& m, const std::string& p) const {
    if (!m.error.empty()) return;
    if (m.execution_ms.empty()) fail(p + ".execution_ms", "empty, and the query has no error: re-record it");
    auto n = m.execution_ms.size();
    for (const auto& [key, values] : {std::pair{"planning_ms", &m.planning_ms}, std::pair{"buffers", &m.buffers},
                                      std::pair{"shared_read", &m.shared_read}}) {
      if (values->size() != n) {
        fail(fmt::format("{}.{}", p, key), fmt::format("{} values, execution_ms has {}", values->size(), n));
      }
    }
  }

  Baseline baseline(const json& doc) const {
    check_header(doc);
    Baseline b;
    b.environment = environment(doc);
    b.runs = static_cast<int>(integer(doc, "$", "runs"));
    const auto& queries = array(doc, "$", "queries");
    std::map<std::string, size_t> seen;
    for (size_t i = 0; i < queries.size(); ++i) {
      auto p = fmt::format("$.queries[{}]", i);
      auto m = measurement(queries[i], p);
      if (auto [it, fresh] = seen.emplace(m.name, i); !fresh) {
        fail(p + ".name", fmt::format("'{}' again (also $.queries[{}])", m.name, it->second));
      }
      b.queries.push_back(std::move(m));
    }
    return b;
  }

 private:
  std::string file_;
};

//! nlohmann's reason without its prefix: "unexpected end of input; expected string literal".
std::string parse_reason(const std::string& what) {
  auto dash = what.find(" - ");
  return dash == std::string::npos ? what : what.substr(dash + 3);
}

}  // namespace

Baseline baseline_from_json(std::string_view text, const std::string& file_name) {
  json doc;
  try {
    doc = json::parse(text);
  } catch (const json::parse_error& e) {
    auto at = std::min<size_t>(e.byte == 0 ? 0 : e.byte - 1, text.size());  // nlohmann counts bytes from 1
    throw BaselineError(
        fmt::format("{}: truncated or not JSON at byte {} of {} ({}): re-record it with `pgadvisor "
                    "gate record`",
                    file_name, at, text.size(), parse_reason(e.what())));
  }
  return Reader(file_name).baseline(doc);
}

}  // namespace pgadvisor::gate
