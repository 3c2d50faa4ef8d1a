// Name tables for the things a model description names (activations, initializers,
// losses, optimizers): lookup by name with an error that lists every known name, and the
// reverse lookup.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "core/error.h"

namespace dl {

template <typename Kind>
struct Named {
  const char* name;
  Kind kind;
};

// TensorFlow.js writes names in camelCase ("categoricalCrossentropy", "heNormal");
// Keras in snake_case. This gives the snake_case form of either.
inline std::string snake_case_name(const std::string& name) {
  std::string out;
  for (char ch : name) {
    if (ch >= 'A' && ch <= 'Z') {
      if (!out.empty() && out.back() != '_') out += '_';
      out += static_cast<char>(ch - 'A' + 'a');
    } else {
      out += ch;
    }
  }
  return out;
}

// `where` names the layer or argument, `what` the kind of name ("activation").
// Names match in Keras' snake_case or TensorFlow.js' camelCase.
template <typename Kind, std::size_t N>
Kind kind_from_name(const Named<Kind> (&table)[N], const std::string& name, const std::string& where,
                    const char* what) {
  const std::string snake = snake_case_name(name);
  std::string known;
  for (const Named<Kind>& entry : table) {
    if (name == entry.name || snake == entry.name) return entry.kind;
    known += known.empty() ? "" : ", ";
    known += entry.name;
  }
  fail(where, ": unknown ", what, " '", name, "'; expected one of ", known);
}

template <typename Kind, std::size_t N>
const char* name_of_kind(const Named<Kind> (&table)[N], Kind kind) {
  for (const Named<Kind>& entry : table)
    if (entry.kind == kind) return entry.name;
  return "?";
}

// Every name of a table, in its order (for the catalog and for messages).
template <typename Kind, std::size_t N>
std::vector<std::string> names_of(const Named<Kind> (&table)[N]) {
  std::vector<std::string> out;
  for (const Named<Kind>& entry : table) out.push_back(entry.name);
  return out;
}

}  // namespace dl
