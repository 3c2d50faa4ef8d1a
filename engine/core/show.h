// show(value): a value that came from a description file, a call or the data, spelled for
// an error message the way web/lib/show.js spells it: as JSON (strings in double quotes
// with escapes, so "relu " and "" read as what they are), numbers as JavaScript prints
// them (1, 0.5, 1e-7, NaN, Infinity), and cut to 72 characters with '…' so that a huge
// value cannot flood a message. A description's JSON value has its own overload beside
// the Json type (io/json.h). Names and numbers the engine computed itself are printed as
// they are; only what came from outside goes through here.
#pragma once

#include <cstddef>
#include <string>
#include <type_traits>

namespace dl {

// The longest spelling, in UTF-16 code units as JavaScript counts a string's length, so
// that both languages cut a value at the same place.
constexpr std::size_t kShowLimit = 72;

// A JSON string literal; UTF-8 that does not decode is shown as U+FFFD.
std::string show(const std::string& text);
std::string show(const char* text);

// Shortest text that reads back as the same number; NaN, Infinity, -Infinity and -0 as
// JavaScript writes them.
std::string show(double number);
std::string show(float number);

template <typename Int, typename = std::enable_if_t<std::is_integral_v<Int> && !std::is_same_v<Int, bool> &&
                                                    !std::is_same_v<Int, char>>>
std::string show(Int number) {
  return std::to_string(number);
}

// For spellers of larger values: appends `text` to `out` as a JSON string literal,
// stopping once `out` passes `stop_at` bytes (the rest would be cut anyway)...
void append_json_string(std::string& out, const std::string& text, std::size_t stop_at);
// ...and cuts a finished spelling to kShowLimit, ending it with '…', never inside a
// character.
std::string cut_to_limit(const std::string& spelled);
// Bytes of spelling past which the cut is certain (UTF-8 takes at most 3 bytes per UTF-16
// code unit).
constexpr std::size_t kShowStopBytes = 3 * kShowLimit + 3;

}  // namespace dl
