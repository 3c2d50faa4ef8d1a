// Values spelled for error messages as JSON, cut to a readable length (see show.h).
#include "core/show.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace dl {

namespace {

// One character of UTF-8 text: its code point and its length in bytes. A byte that does
// not start a well-formed character is one character of its own, U+FFFD.
struct Character {
  char32_t code;
  std::size_t bytes;
};

constexpr char32_t kReplacement = 0xFFFD;

Character decode(const std::string& text, std::size_t i) {
  const auto lead = static_cast<unsigned char>(text[i]);
  if (lead < 0x80) return {lead, 1};
  const std::size_t n = lead >= 0xC2 && lead <= 0xDF   ? 2
                        : lead >= 0xE0 && lead <= 0xEF ? 3
                        : lead >= 0xF0 && lead <= 0xF4 ? 4
                                                       : 0;
  if (n == 0 || i + n > text.size()) return {kReplacement, 1};
  char32_t code = lead & (0x7F >> n);
  for (std::size_t k = 1; k < n; ++k) {
    const auto next = static_cast<unsigned char>(text[i + k]);
    if ((next & 0xC0) != 0x80) return {kReplacement, 1};
    code = (code << 6) | (next & 0x3F);
  }
  if ((n == 3 && code < 0x800) || (n == 4 && (code < 0x10000 || code > 0x10FFFF))) return {kReplacement, 1};
  return {code, n};
}

// Its length as JavaScript counts it: code points past U+FFFF take two UTF-16 units.
std::size_t units(char32_t code) { return code > 0xFFFF ? 2 : 1; }

void append_hex_escape(std::string& out, char32_t code) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(code));
  out += buf;
}

// The digits and the decimal exponent of the shortest decimal that reads back as v (which
// is finite and not 0): v = 0.d1d2...dk x 10^point.
struct Decimal {
  std::string digits;
  int point;
};

template <typename Real>
Decimal shortest_decimal(Real v, int max_digits, Real (*read)(const char*, char**)) {
  char buf[64];
  for (int digits = 1; digits <= max_digits; ++digits) {
    std::snprintf(buf, sizeof buf, "%.*e", digits - 1, static_cast<double>(v));
    if (read(buf, nullptr) == v) break;
  }
  // buf is "-d.ddde+XX".
  Decimal d;
  const char* p = buf;
  if (*p == '-') ++p;
  for (; *p != 'e'; ++p)
    if (*p != '.') d.digits += *p;
  while (d.digits.size() > 1 && d.digits.back() == '0') d.digits.pop_back();
  d.point = std::atoi(p + 1) + 1;
  return d;
}

// ECMAScript's Number::toString, from its digits s (k of them) and point n.
std::string javascript_number(bool negative, const Decimal& d) {
  const std::string& s = d.digits;
  const int k = static_cast<int>(s.size());
  const int n = d.point;
  std::string out = negative ? "-" : "";
  if (k <= n && n <= 21) {
    out += s + std::string(static_cast<std::size_t>(n - k), '0');
  } else if (0 < n && n <= 21) {
    out += s.substr(0, static_cast<std::size_t>(n)) + "." + s.substr(static_cast<std::size_t>(n));
  } else if (-6 < n && n <= 0) {
    out += "0." + std::string(static_cast<std::size_t>(-n), '0') + s;
  } else {
    out += s.substr(0, 1);
    if (k > 1) out += "." + s.substr(1);
    out += (n - 1 < 0 ? "e-" : "e+") + std::to_string(std::abs(n - 1));
  }
  return out;
}

template <typename Real>
std::string spell_number(Real v, int max_digits, Real (*read)(const char*, char**)) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
  if (v == 0) return std::signbit(v) ? "-0" : "0";
  return javascript_number(v < 0, shortest_decimal(v, max_digits, read));
}

}  // namespace

void append_json_string(std::string& out, const std::string& text, std::size_t stop_at) {
  out += '"';
  for (std::size_t i = 0; i < text.size();) {
    if (out.size() > stop_at) return;
    const Character c = decode(text, i);
    switch (c.code) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        // Control characters and lone surrogates (which the JSON reader can produce from
        // \ud83d) escaped, as JSON.stringify writes them.
        if (c.code < 0x20 || (c.code >= 0xD800 && c.code <= 0xDFFF))
          append_hex_escape(out, c.code);
        else if (c.code == kReplacement && c.bytes == 1)
          out += "\xEF\xBF\xBD";
        else
          out.append(text, i, c.bytes);
    }
    i += c.bytes;
  }
  out += '"';
}

std::string cut_to_limit(const std::string& spelled) {
  std::size_t total = 0;
  for (std::size_t i = 0; i < spelled.size() && total <= kShowLimit;) {
    const Character c = decode(spelled, i);
    total += units(c.code);
    i += c.bytes;
  }
  if (total <= kShowLimit) return spelled;
  // Room for the '…' (one unit); a character that does not fit whole is left out.
  std::size_t kept = 0, end = 0;
  for (;;) {
    const Character c = decode(spelled, end);
    if (kept + units(c.code) > kShowLimit - 1) break;
    kept += units(c.code);
    end += c.bytes;
  }
  return spelled.substr(0, end) + "\xE2\x80\xA6";
}

std::string show(const std::string& text) {
  std::string out;
  append_json_string(out, text, kShowStopBytes);
  return cut_to_limit(out);
}

std::string show(const char* text) { return show(std::string(text)); }

std::string show(double number) { return spell_number<double>(number, 17, std::strtod); }

std::string show(float number) { return spell_number<float>(number, 9, std::strtof); }

}  // namespace dl
