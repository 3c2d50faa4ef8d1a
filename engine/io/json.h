// A small JSON reader for model descriptions: values, objects and arrays, with error
// messages that give the line and column. Limits on depth and size keep hostile input
// from exhausting the stack or memory.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace dl {

class Json {
 public:
  enum class Kind { null, boolean, number, string, array, object };

  Kind kind = Kind::null;
  bool boolean = false;
  double number = 0.0;
  std::string text;
  std::vector<Json> items;                            // array
  std::vector<std::pair<std::string, Json>> members;  // object, in source order

  static Json parse(const std::string& source);

  bool is(Kind k) const { return kind == k; }
  const Json* find(const std::string& key) const;
  static const char* kind_name(Kind k);
};

// A value of a description spelled for an error message: its JSON text, compact, cut to
// a readable length (core/show.h does the same for strings and numbers).
std::string show(const Json& value);

}  // namespace dl
