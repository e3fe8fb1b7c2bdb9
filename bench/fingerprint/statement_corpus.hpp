// Generated SQL statements for the fingerprint benchmark and the shape-cache agreement tests: OLTP-like
// repetitive workloads, all-unique ones, and a stress mix (odd formatting, tricky literals, invalid statements).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "analyzer/split_mix64.hpp"

namespace pgadvisor::bench {

using analyzer::SplitMix64;

//! A statement under construction: a list of pieces. A piece is fixed text, or a literal slot filled at rendering.
class StatementTemplate {
 public:
  //! Modifier and Setting are literals whose values an application rarely varies (type modifiers, settings,
  //! file names): their values are forms, stable per template in the repetitive corpus.
  enum class Literal : uint8_t {
    SmallInt,
    BigInt,
    Negative,
    Decimal,
    Text,
    EscapedText,
    Dollar,
    Bits,
    Hex,
    Date,
    Boolean,
    Modifier,
    Setting
  };
  struct Piece {
    std::string text;  //!< fixed text (unused for literal slots)
    bool is_literal = false;
    Literal literal = Literal::SmallInt;
    bool in_list = false;  //!< the first literal of an IN list: rendered as 1 to 6 comma-separated literals
  };
  StatementTemplate& text(std::string t) {
    pieces_.push_back({std::move(t), false, Literal::SmallInt, false});
    return *this;
  }
  StatementTemplate& literal(Literal l) {
    pieces_.push_back({"", true, l, false});
    return *this;
  }
  StatementTemplate& in_list(Literal l) {
    pieces_.push_back({"", true, l, true});
    return *this;
  }
  const std::vector<Piece>& pieces() const { return pieces_; }
  bool valid() const { return valid_; }
  StatementTemplate& invalid() {
    valid_ = false;
    return *this;
  }

 private:
  std::vector<Piece> pieces_;
  bool valid_ = true;  //!< false for templates that are meant not to parse
};

//! Renders templates with literal values and separators from its generator.
class StatementRenderer {
 public:
  //! odd_formatting: separators include newlines, tabs and comments in odd places, keywords change case.
  StatementRenderer(uint64_t seed, bool odd_formatting) : rng_(seed), odd_(odd_formatting) {}

  //! A literal's text. Its form (which kind of string, spacing, int32 or not) is drawn from form, its value from
  //! the renderer's own generator.
  std::string literal(StatementTemplate::Literal kind, SplitMix64& form) {
    using L = StatementTemplate::Literal;
    switch (kind) {
      case L::SmallInt:
        return std::to_string(rng_.below(100000));
      case L::BigInt:  // both sides of int32's end
        return std::to_string(form.chance(50) ? 2147483640ULL + rng_.below(8) : 2147483648ULL + rng_.below(1000));
      case L::Negative:
        return (form.chance(50) ? "-" : "- ") + std::to_string(rng_.below(1000));
      case L::Decimal: {
        static const char* const kForms[] = {"1.5", ".25", "3.", "1e5", "2.5e-3", "1E+2", "0.000"};
        return form.chance(50) ? std::to_string(rng_.below(1000)) + "." + std::to_string(rng_.below(100))
                               : form.pick(kForms);
      }
      case L::Text: {
        static const char* const kTexts[] = {"'abc'",
                                             "'it''s'",
                                             "'a;b'",
                                             "'-- not a comment'",
                                             "'/* nor this */'",
                                             "'h\xc3\xa9llo w\xc3\xb6rld'",
                                             "''",
                                             "'\xe6\x97\xa5\xe6\x9c\xac'",
                                             "'back\\slash'",
                                             "'$$'",
                                             "'x''y''z'",
                                             "'\"q\"'"};
        return form.chance(40) ? "'v" + std::to_string(rng_.below(1000000)) + "'" : rng_.pick(kTexts);
      }
      case L::EscapedText: {
        // The last one does not scan (invalid UTF-8): only the stress corpus draws it.
        static const char* const kTexts[] = {"E'plain'",   "E'it''s'", "E'a\\nb'",      "E'\\x41'", "E'\\''",
                                             "e'\\u00e9'", "E'\\\\'",  "E'tab\\there'", "E'\\xff'"};
        return kTexts[form.below(stable_ ? 8 : 9)];
      }
      case L::Dollar: {
        static const char* const kTexts[] = {"$$a;b$$", "$tag$it's; -- fine$tag$", "$$$$", "$q$$$ nested $$$q$",
                                             "$_1$x$_1$"};
        return rng_.pick(kTexts);
      }
      case L::Bits:
        return form.chance(50) ? "B'1010'" : "b'" + std::to_string(rng_.below(2)) + "1'";
      case L::Hex:
        return form.chance(50) ? "X'1F'" : "x'" + std::to_string(rng_.below(90) + 10) + "ab'";
      case L::Date:
        return "'2024-0" + std::to_string(1 + rng_.below(9)) + "-1" + std::to_string(rng_.below(10)) + "'";
      case L::Boolean:
        return form.chance(50) ? "true" : "false";
      case L::Modifier:
        return std::to_string(1 + form.below(stable_ ? 53 : 60));  // float(54) is an error
      case L::Setting:
        return "'s" + std::to_string(form.below(100)) + "'";
    }
    return "1";
  }

  //! The text between two pieces.
  std::string separator() {
    if (!odd_ || rng_.chance(70)) return " ";
    static const char* const kOdd[] = {
        "  ",   "\n",   "\t", "\n  ", " /* c */ ", "/* x */", " -- note; here\n", " /* a /* nested */ b */ ",
        "\r\n", " --\n"};
    return rng_.pick(kOdd);
  }

  //! With stable_forms, the forms of the literals (see literal()) and the lengths of IN lists are drawn from
  //! form_seed, so that renderings of one template differ in literal values only (mostly: one IN list in five
  //! gets a length of its own), as the statements of one query in an application log do.
  std::string render(const StatementTemplate& t, bool stable_forms = false, uint64_t form_seed = 0) {
    recase_mode_ = rng_.below(4);
    stable_ = stable_forms;
    std::string out;
    for (size_t i = 0; i < t.pieces().size(); ++i) {
      const StatementTemplate::Piece& p = t.pieces()[i];
      // Each piece draws its forms from its own generator, so that an IN list's length does not shift the forms
      // of the pieces after it.
      SplitMix64 stable(form_seed * 1000003 + i);
      SplitMix64& form = stable_forms ? stable : rng_;
      if (i > 0) out += separator();
      if (!p.is_literal) {
        out += odd_ ? recase(p.text) : p.text;
      } else if (!p.in_list) {
        out += literal(p.literal, form);
      } else {
        const size_t stable_length = form.below(6);
        const size_t n = 1 + (rng_.chance(20) ? rng_.below(6) : stable_length);
        const char* const comma = form.chance(50) ? ", " : ",";
        for (size_t k = 0; k < n; ++k) out += (k == 0 ? "" : comma) + literal(p.literal, form);
      }
    }
    return out;
  }

  SplitMix64& rng() { return rng_; }

 private:
  // Upper-cases or capitalizes the fixed text of a statement, now and then (not inside quotes).
  std::string recase(std::string s) const {
    const size_t mode = recase_mode_;
    if (mode >= 2) return s;
    bool quoted = false;
    for (size_t k = 0; k < s.size(); ++k) {
      if (s[k] == '"' || s[k] == '\'') quoted = !quoted;
      if (!quoted && s[k] >= 'a' && s[k] <= 'z' && (mode == 0 || k == 0)) s[k] = static_cast<char>(s[k] - 32);
    }
    return s;
  }

  SplitMix64 rng_;
  bool odd_;
  size_t recase_mode_ = 0;  //!< per statement: 0 upper-case, 1 capitalized, else as written
  bool stable_ = false;     //!< rendering for the repetitive corpus: no literal forms that do not parse
};

//! Random query templates over a small schema with unicode and quoted identifiers.
class TemplateGenerator {
 public:
  explicit TemplateGenerator(uint64_t seed) : rng_(seed) {}

  //! A DML template (SELECT, INSERT, UPDATE, DELETE, WITH, MERGE) or, now and then, a utility statement.
  StatementTemplate any() {
    const size_t k = rng_.below(100);
    if (k < 40) return select();
    if (k < 52) return insert();
    if (k < 62) return update();
    if (k < 68) return remove();
    if (k < 74) return with();
    if (k < 77) return merge();
    if (k < 93) return utility();
    return invalid();
  }

  //! Table names are suffixed by a counter when unique_names is set (an all-unique workload).
  void set_unique_names(bool on) { unique_ = on; }

 private:
  using L = StatementTemplate::Literal;

  std::string table() {
    static const char* const kTables[] = {
        "users", "orders",         "public.accounts", "\"Order Items\"", "caf\xc3\xa9", "\"\xc3\xbcml\xc3\xa4ut\"",
        "t1",    "ledger_entries", "\"Users\""};
    std::string t = rng_.pick(kTables);
    if (unique_) t.append(1, '_').append(std::to_string(counter_++));  // not "_" + s: GCC 12 -Wrestrict false positive
    return t;
  }
  std::string column() {
    static const char* const kColumns[] = {"id",
                                           "name",
                                           "email",
                                           "created_at",
                                           "amount",
                                           "status",
                                           "\"Gr\xc3\xb6\xc3\x9f"
                                           "e\"",
                                           "\xc3\xa9t\xc3\xa9",
                                           "user_id",
                                           "tags"};
    return rng_.pick(kColumns);
  }
  L any_literal() {
    static const L kAll[] = {L::SmallInt, L::SmallInt,    L::SmallInt, L::Text, L::Text, L::BigInt, L::Negative,
                             L::Decimal,  L::EscapedText, L::Dollar,   L::Bits, L::Hex,  L::Date,   L::Boolean};
    return rng_.pick(kAll);
  }

  void predicate(StatementTemplate& t) {
    const size_t k = rng_.below(26);
    t.text(column());
    switch (k) {
      case 0:
        t.text(rng_.chance(80) ? "IN (" : "NOT IN (").in_list(L::SmallInt).text(")");
        break;
      case 1:
        t.text("IN (").in_list(L::Text).text(")");
        break;
      case 2:
        t.text("BETWEEN").literal(L::SmallInt).text("AND").literal(L::SmallInt);
        break;
      case 3:
        t.text("LIKE").literal(L::Text);
        break;
      case 4:
        t.text("IS NULL");
        break;
      case 5:
        t.text("= $1");
        break;
      case 6:
        t.text("= ANY($2)");
        break;
      case 7:
        t.text("-").literal(L::SmallInt).text("> 0");
        break;  // binary minus
      case 8:
        t.text("= -").literal(L::SmallInt);
        break;  // unary minus
      case 9:
        t.text("=").literal(L::Text).text("::int");
        break;
      case 10:
        t.text("=").literal(L::SmallInt).text("::text");
        break;
      case 11:
        t.text("= CAST(").literal(L::Text).text("AS numeric(10,2))");
        break;
      case 12:
        t.text("::varchar(").literal(L::Modifier).text(") =").literal(L::Text);
        break;
      case 13:
        t.text("::float(").literal(L::Modifier).text(") >").literal(L::Decimal);
        break;
      case 14:
        t.text("= ANY(").literal(L::Text).text("::int[])");
        break;
      case 15:
        t.text("= ANY(").literal(L::Text).text("::int[").literal(L::Modifier).text("])");
        break;
      case 16:
        t.text("[").literal(L::Modifier).text("] =").literal(L::SmallInt);
        break;
      case 17:
        t.text("> date").literal(L::Date);
        break;
      case 18:
        t.text("> now() - interval").literal(L::Text);
        break;
      case 19:
        t.text("= NULL");
        break;
      case 20:
        t.text("IS NOT").literal(L::Boolean);
        break;
      case 21:
        t.text(rng_.chance(50) ? "> current_timestamp(" : "< LOCALTIME (").literal(L::Modifier).text(")");
        break;
      case 22:
        t.text("::timestamp(").literal(L::Modifier).text(") > interval(").literal(L::Modifier).text(")");
        t.literal(L::Text);
        break;
      case 23:
        t.text("= position(").literal(L::Text).text("IN (").in_list(L::Text).text("))");
        break;
      default:
        t.text(rng_.chance(50) ? "=" : "<>").literal(any_literal());
        break;
    }
  }
  void where(StatementTemplate& t) {
    t.text("WHERE");
    predicate(t);
    for (size_t n = rng_.below(3); n > 0; --n) {
      t.text(rng_.chance(70) ? "AND" : "OR");
      predicate(t);
    }
  }
  StatementTemplate select() {
    StatementTemplate t;
    t.text("SELECT").text(column());
    if (rng_.chance(40)) t.text(",").text(column());
    if (rng_.chance(20)) t.text(",").literal(any_literal()).text("AS k");
    t.text("FROM").text(table());
    if (rng_.chance(85)) where(t);
    if (rng_.chance(30)) t.text("ORDER BY").text(column()).text(rng_.chance(50) ? "DESC" : "");
    if (rng_.chance(30)) t.text("LIMIT").literal(L::SmallInt);
    if (rng_.chance(10)) t.text("OFFSET").literal(L::SmallInt);
    if (rng_.chance(5)) t.text("FOR UPDATE");
    return t;
  }
  StatementTemplate insert() {
    StatementTemplate t;
    t.text("INSERT INTO").text(table()).text("(").text(column()).text(",").text(column()).text(") VALUES (");
    t.literal(any_literal()).text(",").literal(any_literal()).text(")");
    if (rng_.chance(30)) t.text(", (").literal(L::SmallInt).text(",").literal(L::Text).text(")");
    if (rng_.chance(10)) t.text("ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name");
    if (rng_.chance(30)) t.text("RETURNING id");
    return t;
  }
  StatementTemplate update() {
    StatementTemplate t;
    t.text("UPDATE").text(table()).text("SET").text(column()).text("=").literal(any_literal());
    if (rng_.chance(30)) t.text(",").text(column()).text("=").text(column()).text("+").literal(L::SmallInt);
    where(t);
    return t;
  }
  StatementTemplate remove() {
    StatementTemplate t;
    t.text("DELETE FROM").text(table());
    where(t);
    return t;
  }
  StatementTemplate with() {
    StatementTemplate t;
    t.text(rng_.chance(20) ? "WITH update AS (SELECT" : "WITH recent(a) AS MATERIALIZED (SELECT").text(column());
    t.text("FROM").text(table());
    where(t);
    t.text(")");
    static const char* const kMain[] = {
        "SELECT * FROM users",          "(SELECT 1)", "DELETE FROM users WHERE id = 1", "UPDATE users SET a = 2",
        "INSERT INTO users VALUES (1)", "VALUES (1)"};
    t.text(rng_.pick(kMain));
    return t;
  }
  StatementTemplate merge() {
    StatementTemplate t;
    t.text("MERGE INTO").text(table()).text("t USING orders o ON t.id = o.id WHEN MATCHED THEN UPDATE SET");
    t.text(column())
        .text("=")
        .literal(any_literal())
        .text("WHEN NOT MATCHED THEN INSERT VALUES (")
        .literal(L::SmallInt);
    t.text(")");
    return t;
  }
  StatementTemplate utility() {
    StatementTemplate t;
    switch (rng_.below(24)) {
      case 0:
        t.text("BEGIN");
        break;
      case 1:
        t.text("COMMIT");
        break;
      case 2:
        t.text("SET search_path =").literal(L::Setting);
        break;
      case 3:
        t.text("SET statement_timeout =").literal(L::Modifier);
        break;
      case 4:
        t.text("SHOW work_mem");
        break;
      case 5:
        t.text("EXPLAIN (FORMAT").literal(L::Setting).text(") SELECT 1 FROM").text(table());
        break;
      case 6:
        t.text("COPY").text(table()).text("FROM").literal(L::Setting);
        break;
      case 7:
        t.text("CREATE INDEX ON").text(table()).text("(").text(column()).text(") WITH (fillfactor =");
        t.literal(L::Modifier).text(")");
        break;
      case 8:
        t.text("CREATE TABLE").text(table()).text("(a varchar(").literal(L::Modifier).text("))");
        break;
      case 9:
        t.text("COMMENT ON TABLE").text(table()).text("IS").literal(L::Setting);
        break;
      case 10:
        t.text("VACUUM ANALYZE").text(table());
        break;
      case 11:
        t.text("PREPARE p AS SELECT * FROM").text(table()).text("WHERE id = $1");
        break;
      case 12:
        t.text("EXECUTE p(").literal(L::Modifier).text(")");
        break;
      case 13:
        t.text("DEALLOCATE p");
        break;
      case 14:
        t.text("LOCK TABLE").text(table());
        break;
      case 15:
        t.text("NOTIFY ch,").literal(L::Setting);
        break;
      case 16:
        t.text("CREATE FUNCTION f() RETURNS int LANGUAGE sql AS").literal(L::Dollar);
        break;
      case 17:
        t.text("DO").literal(L::Dollar);
        break;
      case 18:
        t.text("ALTER SYSTEM SET work_mem =").literal(L::Setting);
        break;
      case 19:
        t.text("ALTER TABLE").text(table()).text("ADD COLUMN c int DEFAULT").literal(L::Modifier);
        break;
      case 20:
        t.text("CREATE SEQUENCE s START").literal(L::Modifier);
        break;
      case 21:
        t.text("TRUNCATE").text(table());
        break;
      case 22:
        t.text("PREPARE TRANSACTION").literal(L::Setting);
        break;
      default:
        t.text("FETCH").literal(L::Modifier).text("FROM c");
        break;
    }
    return t;
  }
  StatementTemplate invalid() {
    StatementTemplate t;
    t.invalid();
    switch (rng_.below(8)) {
      case 0:
        t.text("SELECT * FROM").text(table()).text("WHERE id = 0x1F");
        break;
      case 1:
        t.text("SELEC id FROM").text(table());
        break;
      case 2:
        t.text("SELECT id FROM").text(table()).text("WHERE name = 'unterminated");
        break;
      case 3:
        t.text("SELECT (").literal(L::SmallInt).text("FROM").text(table());
        break;
      case 4:
        t.text("SELECT").literal(L::Text).literal(L::Text);
        break;
      case 5:
        t.text("SELECT 1e FROM").text(table());
        break;
      case 6:
        t.text("SELECT $1abc");
        break;
      default:
        t.text("SELECT * FROM").text(table()).text("WHERE id = /* unterminated");
        break;
    }
    return t;
  }

  SplitMix64 rng_;
  bool unique_ = false;
  size_t counter_ = 0;
};

//! An OLTP-like log: `shapes` valid templates with fixed formatting, each statement one of them with new literals.
inline std::vector<std::string> repetitive_corpus(size_t n, size_t shapes, uint64_t seed) {
  TemplateGenerator generator(seed);
  std::vector<StatementTemplate> templates;
  std::vector<std::string> separators;
  for (size_t k = 0; k < shapes; ++k) {
    StatementTemplate t = generator.any();
    while (!t.valid()) t = generator.any();
    templates.push_back(std::move(t));
  }
  StatementRenderer renderer(seed + 1, false);
  std::vector<std::string> out;
  out.reserve(n);
  // Zipf-like popularity: template k is chosen with probability about proportional to 1/(k+1).
  for (size_t k = 0; k < n; ++k) {
    const size_t a = renderer.rng().below(shapes);
    const size_t chosen = renderer.rng().below(a + 1);
    out.push_back(renderer.render(templates[chosen], true, seed * 1000003 + chosen));
  }
  return out;
}

//! Every statement of its own fingerprint (table names carry a counter).
inline std::vector<std::string> unique_corpus(size_t n, uint64_t seed) {
  TemplateGenerator generator(seed);
  generator.set_unique_names(true);
  StatementRenderer renderer(seed + 1, false);
  std::vector<std::string> out;
  out.reserve(n);
  for (size_t k = 0; k < n; ++k) out.push_back(renderer.render(generator.any()));
  return out;
}

//! The agreement corpus: templates reused a few times each with new literals and odd formatting (comments,
//! newlines, keyword case), so that shapes repeat and the cache answers from shapes made by other statements.
inline std::vector<std::string> stress_corpus(size_t n, uint64_t seed) {
  TemplateGenerator generator(seed);
  StatementRenderer renderer(seed + 1, true);
  std::vector<StatementTemplate> templates;
  for (size_t k = 0; k < n / 20 + 1; ++k) templates.push_back(generator.any());
  std::vector<std::string> out;
  out.reserve(n);
  for (size_t k = 0; k < n; ++k) out.push_back(renderer.render(templates[renderer.rng().below(templates.size())]));
  return out;
}

}  // namespace pgadvisor::bench
