// show(), the spelling of a quoted value in the engine's error messages: the same text
// web/lib/show.js gives (tests/node/show.test.mjs holds that one to the same cases).
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <string>

#include "core/show.h"
#include "io/json.h"

namespace {

// The length JavaScript gives the text: UTF-16 code units.
std::size_t js_length(const std::string& text) {
  std::size_t n = 0;
  for (unsigned char c : text) {
    if ((c & 0xC0) != 0x80) ++n;  // a character starts
    if (c >= 0xF0) ++n;           // and takes two units
  }
  return n;
}

}  // namespace

TEST_CASE("show spells a string as a JSON string literal") {
  CHECK(dl::show(std::string("relu")) == "\"relu\"");
  CHECK(dl::show("") == "\"\"");
  CHECK(dl::show(" 3") == "\" 3\"");
  CHECK(dl::show("say \"hi\"\n") == "\"say \\\"hi\\\"\\n\"");
  CHECK(dl::show("a\\b\tc\r\b\f") == "\"a\\\\b\\tc\\r\\b\\f\"");
  CHECK(dl::show(std::string("nul\0bell\x07", 9)) == "\"nul\\u0000bell\\u0007\"");
  CHECK(dl::show("caf\xC3\xA9 \xE2\x9C\x93") == "\"caf\xC3\xA9 \xE2\x9C\x93\"");  // UTF-8 kept as it is
}

TEST_CASE("show spells bytes that are not UTF-8 as U+FFFD and lone surrogates as escapes") {
  CHECK(dl::show("a\xFF"
                 "b") ==
        "\"a\xEF\xBF\xBD"
        "b\"");
  CHECK(dl::show("\xC3") == "\"\xEF\xBF\xBD\"");     // a character cut short
  CHECK(dl::show("\xED\xA0\xBD") == "\"\\ud83d\"");  // what the JSON reader makes of \ud83d
}

TEST_CASE("show cuts a long string to 72 characters ending with an ellipsis") {
  CHECK(dl::kShowLimit == 72);
  const std::string cut = dl::show(std::string(1000, 'x'));
  CHECK(cut == "\"" + std::string(70, 'x') + "\xE2\x80\xA6");
  CHECK(js_length(cut) == 72);
  // Exactly at the limit: not cut.
  CHECK(dl::show(std::string(70, 'y')) == "\"" + std::string(70, 'y') + "\"");
  // Escapes count as the characters they are spelled with.
  std::string newlines = "\"";
  for (int i = 0; i < 35; ++i) newlines += "\\n";
  CHECK(dl::show(std::string(100, '\n')) == newlines + "\xE2\x80\xA6");
}

TEST_CASE("show never cuts inside a multi-byte character") {
  // "é" is two bytes and one character: 71 characters fit before the ellipsis.
  std::string accents;
  for (int i = 0; i < 100; ++i) accents += "\xC3\xA9";
  std::string expected = "\"";
  for (int i = 0; i < 70; ++i) expected += "\xC3\xA9";
  CHECK(dl::show(accents) == expected + "\xE2\x80\xA6");
  // "😀" is four bytes and two UTF-16 units, as JavaScript counts: after the quote, 35 fit
  // in 71 units, and the 36th would straddle the cut, so it is left out whole.
  std::string faces;
  for (int i = 0; i < 40; ++i) faces += "\xF0\x9F\x98\x80";
  expected = "\"";
  for (int i = 0; i < 35; ++i) expected += "\xF0\x9F\x98\x80";
  const std::string cut = dl::show(faces);
  CHECK(cut == expected + "\xE2\x80\xA6");
  CHECK(js_length(cut) == 72);
}

TEST_CASE("show spells numbers as JavaScript prints them") {
  CHECK(dl::show(1.0) == "1");
  CHECK(dl::show(0.5) == "0.5");
  CHECK(dl::show(-2.25) == "-2.25");
  CHECK(dl::show(0.1) == "0.1");
  CHECK(dl::show(1.0 / 3) == "0.3333333333333333");
  CHECK(dl::show(1e-7) == "1e-7");
  CHECK(dl::show(1.5e-7) == "1.5e-7");
  CHECK(dl::show(0.000001) == "0.000001");
  CHECK(dl::show(1e10) == "10000000000");
  CHECK(dl::show(123456789012345680000.0) == "123456789012345680000");
  CHECK(dl::show(1e21) == "1e+21");
  CHECK(dl::show(-1.5e300) == "-1.5e+300");
  CHECK(dl::show(5e-324) == "5e-324");
  CHECK(dl::show(std::numeric_limits<double>::quiet_NaN()) == "NaN");
  CHECK(dl::show(std::numeric_limits<double>::infinity()) == "Infinity");
  CHECK(dl::show(-std::numeric_limits<double>::infinity()) == "-Infinity");
  CHECK(dl::show(0.0) == "0");
  CHECK(dl::show(-0.0) == "-0");
}

TEST_CASE("show spells a float by the shortest text that reads back as the same float") {
  CHECK(dl::show(0.1f) == "0.1");
  CHECK(dl::show(1.5f) == "1.5");
  CHECK(dl::show(3.0f) == "3");
  CHECK(dl::show(1e-8f) == "1e-8");
  CHECK(dl::show(16777216.0f) == "16777216");
  CHECK(dl::show(std::nanf("")) == "NaN");
  CHECK(dl::show(-std::numeric_limits<float>::infinity()) == "-Infinity");
}

TEST_CASE("show spells whole numbers as they are") {
  CHECK(dl::show(42) == "42");
  CHECK(dl::show(-3L) == "-3");
  CHECK(dl::show(std::size_t{1} << 40) == "1099511627776");
}

TEST_CASE("show spells a description's JSON value as compact JSON, cut") {
  CHECK(dl::show(dl::Json::parse(R"({"a": 1, "b": [2.5, {"c": "d\n"}], "e": null, "f": true})")) ==
        R"({"a":1,"b":[2.5,{"c":"d\n"}],"e":null,"f":true})");
  CHECK(dl::show(dl::Json::parse("[]")) == "[]");
  CHECK(dl::show(dl::Json::parse("1e-7")) == "1e-7");
  CHECK(dl::show(dl::Json::parse(R"("x")")) == R"("x")");
  std::string zeros = "[0";
  for (int i = 0; i < 9999; ++i) zeros += ",0";
  const std::string cut = dl::show(dl::Json::parse(zeros + "]"));
  std::string expected = "[";
  for (int i = 0; i < 35; ++i) expected += "0,";
  CHECK(cut == expected + "\xE2\x80\xA6");
}
