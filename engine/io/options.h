// Reading the members of one JSON object of a description, each known by its camelCase
// name (Keras' snake_case is accepted too), with messages that say where a problem is and
// name the option at fault (OptionError).
#pragma once

#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "core/error.h"
#include "core/names.h"
#include "core/show.h"
#include "io/json.h"
#include "layers/layer.h"

namespace dl {

// Reads the members of one JSON object, each known by its camelCase name.
class Options {
 public:
  Options(const Json& object, std::string where, std::vector<std::string> known)
      : object_(object), where_(std::move(where)) {
    if (!object.is(Json::Kind::object)) fail(where_, ": expected an object; got ", Json::kind_name(object.kind));
    for (const auto& [key, value] : object.members) {
      bool ok = false;
      std::string list;
      for (const std::string& k : known) {
        ok = ok || key == k || key == snake_case_name(k);
        list += list.empty() ? "" : ", ";
        list += k;
      }
      if (!ok) fail_option(key, where_, ": unknown option ", show(key), "; expected one of ", list);
    }
  }

  const Json* get(const std::string& key) const {
    const Json* v = object_.find(key);
    return v ? v : object_.find(snake_case_name(key));
  }
  bool has(const std::string& key) const { return get(key) != nullptr; }

  double number(const std::string& key, double fallback) const {
    const Json* v = get(key);
    if (!v) return fallback;
    // Keras and TensorFlow.js save the sizes of 1D layers (Conv1D's kernel_size) as [n].
    if (v->is(Json::Kind::array) && v->items.size() == 1) v = &v->items[0];
    if (!v->is(Json::Kind::number))
      fail_option(key, where_, ": ", key, " must be a number; got ", Json::kind_name(v->kind));
    return v->number;
  }
  int whole(const std::string& key, int fallback, int low, int high) const {
    double v = number(key, fallback);
    if (v != std::floor(v) || v < low || v > high)
      fail_option(key, where_, ": ", key, " must be a whole number from ", low, " to ", high, "; got ", show(v));
    return static_cast<int>(v);
  }
  bool flag(const std::string& key, bool fallback) const {
    const Json* v = get(key);
    if (!v) return fallback;
    if (!v->is(Json::Kind::boolean))
      fail_option(key, where_, ": ", key, " must be true or false; got ", Json::kind_name(v->kind));
    return v->boolean;
  }
  std::string text(const std::string& key, const std::string& fallback) const {
    const Json* v = get(key);
    if (!v) return fallback;
    if (!v->is(Json::Kind::string))
      fail_option(key, where_, ": ", key, " must be a string; got ", Json::kind_name(v->kind));
    return v->text;
  }
  // A size given as one number or as [height, width], as Keras' kernel_size.
  std::pair<int, int> pair(const std::string& key, int fallback) const {
    const Json* v = get(key);
    if (!v) return {fallback, fallback};
    auto size = [&](const Json& d) {
      if (!d.is(Json::Kind::number) || d.number != std::floor(d.number) || d.number < 1 || d.number > 4096)
        fail_option(key, where_, ": ", key, " must be a whole number from 1 to 4096 or a pair of them");
      return static_cast<int>(d.number);
    };
    if (v->is(Json::Kind::array)) {
      if (v->items.size() != 2) fail_option(key, where_, ": ", key, " must be one number or a pair [height, width]");
      return {size(v->items[0]), size(v->items[1])};
    }
    const int n = size(*v);
    return {n, n};
  }
  std::vector<int> shape(const std::string& key, bool allow_unknown = false) const {
    const Json* v = get(key);
    if (!v) return {};
    if (!v->is(Json::Kind::array) || v->items.empty())
      fail_option(key, where_, ": ", key, " must be a non-empty array of positive whole numbers");
    std::vector<int> out;
    for (const Json& d : v->items) {
      const bool unknown = allow_unknown && d.is(Json::Kind::number) && d.number == -1;
      if (!unknown &&
          (!d.is(Json::Kind::number) || d.number != std::floor(d.number) || d.number < 1 || d.number > (1 << 24)))
        fail_option(key, where_, ": ", key, " must hold positive whole numbers (at most 16777216)",
                    allow_unknown ? ", and at most one -1" : "");
      out.push_back(static_cast<int>(d.number));
    }
    return out;
  }
  // A name (an activation, a padding, an initializer) read by `parse`, whose error then
  // names this option.
  template <typename Parse>
  auto named(const std::string& key, const std::string& fallback, Parse parse) const {
    const std::string name = text(key, fallback);
    try {
      return parse(name);
    } catch (const OptionError&) {
      throw;
    } catch (const EngineError& e) {
      throw OptionError(e.what(), key);
    }
  }
  const std::string& where() const { return where_; }

 private:
  const Json& object_;
  std::string where_;
};

inline Regularizer regularizer_from(const Options& o, const std::string& key) {
  const Json* v = o.get(key);
  Regularizer r;
  if (!v || v->is(Json::Kind::null)) return r;
  try {
    Options reg(*v, o.where() + " " + key, {"l1", "l2"});
    r.l1 = static_cast<float>(reg.number("l1", 0.0));
    r.l2 = static_cast<float>(reg.number("l2", 0.0));
  } catch (const EngineError& e) {
    throw OptionError(e.what(), key);
  }
  if (r.l1 < 0 || r.l2 < 0) fail_option(key, o.where(), ": ", key, " rates must be >= 0");
  return r;
}

}  // namespace dl
