// Recursive-descent JSON parser (RFC 8259), strict: no comments, no trailing commas.
#include "io/json.h"

#include <cmath>
#include <cstdlib>

#include "core/error.h"
#include "core/show.h"

namespace dl {

namespace {

constexpr int kMaxDepth = 64;
constexpr std::size_t kMaxSource = 16u << 20;  // 16 MiB

class Parser {
 public:
  explicit Parser(const std::string& s) : s_(s) {}

  Json document() {
    skip_space();
    Json v = value(0);
    skip_space();
    if (i_ != s_.size()) error("unexpected text after the end of the JSON value");
    return v;
  }

 private:
  [[noreturn]] void error(const std::string& what) const {
    int line = 1, column = 1;
    for (std::size_t k = 0; k < i_ && k < s_.size(); ++k) {
      if (s_[k] == '\n') {
        ++line;
        column = 1;
      } else {
        ++column;
      }
    }
    fail("JSON error at line ", line, ", column ", column, ": ", what);
  }

  // All the bytes of the character that starts at i, for a message.
  std::string character_at(std::size_t i) const {
    const auto lead = static_cast<unsigned char>(s_[i]);
    return s_.substr(i, lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1);
  }

  void skip_space() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\n' || s_[i_] == '\r')) ++i_;
  }

  bool take(const char* word) {
    std::size_t n = std::char_traits<char>::length(word);
    if (s_.compare(i_, n, word) != 0) return false;
    i_ += n;
    return true;
  }

  Json value(int depth) {
    if (depth > kMaxDepth) error("nesting deeper than 64 levels");
    if (i_ >= s_.size()) error("unexpected end of input; expected a value");
    Json v;
    char ch = s_[i_];
    if (ch == '{') return object(depth);
    if (ch == '[') return array(depth);
    if (ch == '"') {
      v.kind = Json::Kind::string;
      v.text = string();
    } else if (take("true") || take("false")) {
      v.kind = Json::Kind::boolean;
      v.boolean = s_[i_ - 1] == 'e' && s_[i_ - 2] == 'u';
    } else if (take("null")) {
      v.kind = Json::Kind::null;
    } else if (ch == '-' || (ch >= '0' && ch <= '9')) {
      v.kind = Json::Kind::number;
      v.number = number();
    } else {
      error("unexpected character " + show(character_at(i_)) + "; expected a value");
    }
    return v;
  }

  double number() {
    std::size_t start = i_;
    if (s_[i_] == '-') ++i_;
    auto digits = [&] {
      std::size_t from = i_;
      while (i_ < s_.size() && s_[i_] >= '0' && s_[i_] <= '9') ++i_;
      if (i_ == from) error("malformed number; expected a digit");
    };
    digits();
    if (i_ < s_.size() && s_[i_] == '.') {
      ++i_;
      digits();
    }
    if (i_ < s_.size() && (s_[i_] == 'e' || s_[i_] == 'E')) {
      ++i_;
      if (i_ < s_.size() && (s_[i_] == '+' || s_[i_] == '-')) ++i_;
      digits();
    }
    double v = std::strtod(s_.substr(start, i_ - start).c_str(), nullptr);
    if (!std::isfinite(v)) error("number out of range");
    return v;
  }

  std::string string() {
    ++i_;  // opening quote
    std::string out;
    for (;;) {
      if (i_ >= s_.size()) error("unterminated string");
      char ch = s_[i_++];
      if (ch == '"') return out;
      if (static_cast<unsigned char>(ch) < 0x20) error("control character inside a string");
      if (ch != '\\') {
        out += ch;
        continue;
      }
      if (i_ >= s_.size()) error("unterminated escape");
      char e = s_[i_++];
      switch (e) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
          if (i_ + 4 > s_.size()) error("truncated \\u escape");
          unsigned code = 0;
          for (int k = 0; k < 4; ++k) {
            char h = s_[i_++];
            code <<= 4;
            if (h >= '0' && h <= '9')
              code |= h - '0';
            else if (h >= 'a' && h <= 'f')
              code |= h - 'a' + 10;
            else if (h >= 'A' && h <= 'F')
              code |= h - 'A' + 10;
            else
              error("bad hex digit in \\u escape");
          }
          // Names are ASCII in practice; other code points are kept as UTF-8 (surrogates
          // are passed through one by one).
          if (code < 0x80) {
            out += static_cast<char>(code);
          } else if (code < 0x800) {
            out += static_cast<char>(0xC0 | (code >> 6));
            out += static_cast<char>(0x80 | (code & 0x3F));
          } else {
            out += static_cast<char>(0xE0 | (code >> 12));
            out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (code & 0x3F));
          }
          break;
        }
        default: error("unknown escape " + show("\\" + character_at(i_ - 1)));
      }
    }
  }

  Json array(int depth) {
    Json v;
    v.kind = Json::Kind::array;
    ++i_;
    skip_space();
    if (i_ < s_.size() && s_[i_] == ']') {
      ++i_;
      return v;
    }
    for (;;) {
      skip_space();
      v.items.push_back(value(depth + 1));
      skip_space();
      if (i_ >= s_.size()) error("unterminated array; expected ',' or ']'");
      if (s_[i_] == ']') {
        ++i_;
        return v;
      }
      if (s_[i_] != ',') error("expected ',' or ']' in array");
      ++i_;
    }
  }

  Json object(int depth) {
    Json v;
    v.kind = Json::Kind::object;
    ++i_;
    skip_space();
    if (i_ < s_.size() && s_[i_] == '}') {
      ++i_;
      return v;
    }
    for (;;) {
      skip_space();
      if (i_ >= s_.size() || s_[i_] != '"') error("expected a quoted member name");
      std::string key = string();
      skip_space();
      if (i_ >= s_.size() || s_[i_] != ':') error("expected ':' after member name " + show(key));
      ++i_;
      skip_space();
      v.members.emplace_back(key, value(depth + 1));
      skip_space();
      if (i_ >= s_.size()) error("unterminated object; expected ',' or '}'");
      if (s_[i_] == '}') {
        ++i_;
        return v;
      }
      if (s_[i_] != ',') error("expected ',' or '}' in object");
      ++i_;
    }
  }

  const std::string& s_;
  std::size_t i_ = 0;
};

// Writes a value as compact JSON, stopping once the text is long enough to be cut.
void spell(std::string& out, const Json& v) {
  if (out.size() > kShowStopBytes) return;
  switch (v.kind) {
    case Json::Kind::null: out += "null"; break;
    case Json::Kind::boolean: out += v.boolean ? "true" : "false"; break;
    case Json::Kind::number: out += show(v.number); break;
    case Json::Kind::string: append_json_string(out, v.text, kShowStopBytes); break;
    case Json::Kind::array:
      out += '[';
      for (std::size_t i = 0; i < v.items.size() && out.size() <= kShowStopBytes; ++i) {
        if (i) out += ',';
        spell(out, v.items[i]);
      }
      out += ']';
      break;
    case Json::Kind::object:
      out += '{';
      for (std::size_t i = 0; i < v.members.size() && out.size() <= kShowStopBytes; ++i) {
        if (i) out += ',';
        append_json_string(out, v.members[i].first, kShowStopBytes);
        out += ':';
        spell(out, v.members[i].second);
      }
      out += '}';
      break;
  }
}

}  // namespace

std::string show(const Json& value) {
  std::string out;
  spell(out, value);
  return cut_to_limit(out);
}

Json Json::parse(const std::string& source) {
  if (source.size() > kMaxSource) fail("JSON error: the text is ", source.size(), " bytes; the limit is ", kMaxSource);
  return Parser(source).document();
}

const Json* Json::find(const std::string& key) const {
  for (const auto& [k, v] : members)
    if (k == key) return &v;
  return nullptr;
}

const char* Json::kind_name(Kind k) {
  switch (k) {
    case Kind::null: return "null";
    case Kind::boolean: return "a boolean";
    case Kind::number: return "a number";
    case Kind::string: return "a string";
    case Kind::array: return "an array";
    case Kind::object: return "an object";
  }
  return "?";
}

}  // namespace dl
