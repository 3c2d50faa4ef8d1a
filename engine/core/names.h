// Name tables for the things a model description names (activations, initializers,
// losses, optimizers): lookup by name with an error that lists every known name, and the
// reverse lookup.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/show.h"

namespace dl {

template <typename Kind>
struct Named {
  const char* name;
  Kind kind;
};

// TensorFlow.js writes names in camelCase ("categoricalCrossentropy", "heNormal",
// "learningRate") and class names in PascalCase ("MaxPooling2D"); Keras in snake_case.
// This gives the snake_case form of any of them, the engine's one conversion, as Keras
// and TensorFlow.js name layers after their class: an underscore before a capital that
// follows a small letter, or that starts a word (a capital followed by a small letter or
// a digit), except at the start or after an underscore. "Conv2D" -> "conv2d",
// "LeakyReLU" -> "leaky_re_lu", "ELU" -> "elu", "learningRate" -> "learning_rate".
// web/lib/catalog.js's snake() is its JavaScript twin, held to the same cases by tests.
inline std::string snake_case_name(const std::string& name) {
  const auto upper = [](char c) { return c >= 'A' && c <= 'Z'; };
  const auto lower = [](char c) { return c >= 'a' && c <= 'z'; };
  const auto digit = [](char c) { return c >= '0' && c <= '9'; };
  std::string out;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char ch = name[i];
    if (!upper(ch)) {
      out += ch;
      continue;
    }
    const bool starts_word = i + 1 < name.size() && (lower(name[i + 1]) || digit(name[i + 1]));
    if (i > 0 && name[i - 1] != '_' && (lower(name[i - 1]) || starts_word)) out += '_';
    out += static_cast<char>(ch - 'A' + 'a');
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
  fail(where, ": unknown ", what, " ", show(name), "; expected one of ", known);
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
