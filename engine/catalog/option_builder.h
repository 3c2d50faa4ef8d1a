// The chain in which the catalog's families write their options:
// option("units", OptionKind::whole).range(1, 4096).main("16"). Every step is constexpr,
// so the tables are data the compiler lays out.
#pragma once

#include "catalog/catalog.h"

namespace dl {

struct option : OptionSpec {
  constexpr option(const char* n, OptionKind k, const char* fallback_json = "null") : OptionSpec{n, k, fallback_json} {}
  constexpr option range(double lo, double hi, bool open = false) const {
    option o = *this;
    o.low = lo;
    o.high = hi;
    o.high_open = open;
    return o;
  }
  constexpr option needed() const {
    option o = *this;
    o.required = true;
    return o;
  }
  // Shown by a builder; `start` is the value a new layer starts with.
  constexpr option main(const char* start = "") const {
    option o = *this;
    o.OptionSpec::main = true;
    o.suggested = start;
    return o;
  }
  constexpr option not_keras() const {
    option o = *this;
    o.keras = false;
    return o;
  }
  constexpr option same_as_option(const char* other) const {
    option o = *this;
    o.same_as = other;
    return o;
  }
  template <std::size_t N>
  constexpr option one_of(const char* const (&names)[N]) const {
    option o = *this;
    o.choices = List<const char*>(names);
    return o;
  }
  constexpr option keras3(const char* json) const {
    option o = *this;
    o.keras_default = json;
    return o;
  }
  constexpr option about(const char* text) const {
    option o = *this;
    o.help = text;
    return o;
  }
};

}  // namespace dl
