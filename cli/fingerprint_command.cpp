// `pgadvisor fingerprint [FILE|-]`: every statement of a SQL text with its libpg_query fingerprint,
// normalized text, kind, parse error and query facts.
#include <algorithm>
#include <iostream>
#include <memory>

#include "analyzer/query_facts.hpp"
#include "analyzer/secret_redaction.hpp"
#include "analyzer/statement_analyzer.hpp"
#include "analyzer/unparsed_class.hpp"
#include "command.hpp"
#include "command_files.hpp"
#include "reports/fingerprint_report.hpp"

namespace pgadvisor::cli {
namespace {

std::vector<reports::FingerprintRecord> fingerprint_text(const std::string& text) {
  analyzer::StatementAnalyzer analyzer;
  std::vector<reports::FingerprintRecord> records;
  int line = 1;
  size_t counted_to = 0;
  for (const auto& s : analyzer.analyze(text)) {
    line += static_cast<int>(std::count(text.begin() + static_cast<long>(counted_to),
                                        text.begin() + static_cast<long>(s.span.offset), '\n'));
    counted_to = s.span.offset;
    reports::FingerprintRecord r;
    r.line = line;
    r.text = text.substr(s.span.offset, s.span.length);
    r.info = s.info;
    if (!s.info.error) {
      r.normalized = analyzer.normalize(r.text).text;
      if (auto facts = analyzer::extract_facts(r.text)) {
        r.facts = std::move(facts.facts);
      } else if (facts.too_large && facts.error) {
        r.facts_note = facts.error->message;
      }
    } else {
      // It still forms a query class, from its tokens (what ingest and top show for it).
      auto unparsed = analyzer::unparsed_class(r.text);
      r.unparsed_fingerprint = analyzer::unparsed_fingerprint_hex(unparsed.fingerprint);
      r.normalized = std::move(unparsed.normalized);
    }
    records.push_back(std::move(r));
  }
  return records;
}

void add_fingerprint_command(CLI::App& app, Action& action) {
  struct Args {
    std::string input = "-";
    std::string format = "text";
  };
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("fingerprint", "Fingerprint, normalize and analyze SQL statements");
  cmd->add_option("FILE", args->input, "A file of SQL statements; - (default) reads standard input");
  cmd->add_option("--format", args->format, "Output format")->check(CLI::IsMember({"text", "json"}));
  cmd->footer(
      "One record per statement. A statement that does not parse is reported with its error and position;\n"
      "the statements around it are still analyzed. Exit 3 when FILE cannot be read.");
  cmd->callback([args, &action] {
    action = [args] {
      // Secrets are replaced first, so the output shows none and the fingerprints are those of the store.
      auto records = fingerprint_text(analyzer::redact_secrets(read_input_file(args->input)));
      std::cout << (args->format == "json" ? reports::render_fingerprint_json(records)
                                           : reports::render_fingerprint_text(records));
      return kSuccess;
    };
  });
}

const CommandRegistration registration{30, add_fingerprint_command};

}  // namespace
}  // namespace pgadvisor::cli
