// Initializers and constraints given as objects (catalog/catalog.h), as TensorFlow.js
// serializes them: a class name and its config, each argument checked by name.
#include <cmath>
#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "core/names.h"
#include "core/show.h"

namespace dl {

namespace {

// The arguments each initializer takes (seed is taken and left to the model's seed).
std::vector<std::string> initializer_arguments(InitKind kind) {
  switch (kind) {
    case InitKind::constant: return {"value"};
    case InitKind::random_uniform: return {"minval", "maxval", "seed"};
    case InitKind::random_normal:
    case InitKind::truncated_normal: return {"mean", "stddev", "seed"};
    case InitKind::variance_scaling: return {"scale", "mode", "distribution", "seed"};
    case InitKind::orthogonal: return {"gain", "seed"};
    case InitKind::identity: return {"gain"};
    case InitKind::zeros:
    case InitKind::ones: return {};
    default: return {"seed"};
  }
}

// {className, config} (or class_name), with the extra keys Keras 3 writes.
const Json* class_and_config(const Json& value, const std::string& where, const char* what, const char* example,
                             std::string& class_name) {
  const Options o(value, where, {"className", "config", "module", "registeredName"});
  const Json* name = o.get("className");
  if (!name || !name->is(Json::Kind::string))
    fail(where, ": ", what, " object needs a className such as ", example, "; got ", show(value));
  class_name = name->text;
  const Json* config = o.get("config");
  return config && !config->is(Json::Kind::null) ? config : nullptr;
}

double finite(const Options& c, const std::string& key, double fallback) {
  const double v = c.number(key, fallback);
  if (!std::isfinite(v)) fail(c.where(), ": ", key, " must be a finite number; got ", show(v));
  return v;
}

}  // namespace

Initializer initializer_from_json(const Json& value, const std::string& where, const std::string& option) {
  try {
    std::string class_name;
    const Json* config = class_and_config(
        value, where, "an initializer", "{\"className\": \"VarianceScaling\", \"config\": {\"scale\": 2}}", class_name);
    Initializer init = initializer_from_name(class_name, where);
    if (!config) return init;
    const std::string at = where + " (" + class_name + ") config";
    const Options c(*config, at, initializer_arguments(init.kind));
    init.value = finite(c, "value", init.value);
    init.minval = finite(c, "minval", init.minval);
    init.maxval = finite(c, "maxval", init.maxval);
    if (init.minval > init.maxval) fail(at, ": minval ", show(init.minval), " is above maxval ", show(init.maxval));
    init.mean = finite(c, "mean", init.mean);
    init.stddev = finite(c, "stddev", init.stddev);
    if (init.stddev < 0) fail(at, ": stddev must be >= 0; got ", show(init.stddev));
    init.scale = finite(c, "scale", init.scale);
    if (init.scale <= 0) fail(at, ": scale must be above 0; got ", show(init.scale));
    init.gain = finite(c, "gain", init.gain);
    if (c.has("mode")) init.mode = fan_mode_from_name(c.text("mode", ""), at + ": mode");
    if (c.has("distribution"))
      init.distribution = distribution_from_name(c.text("distribution", ""), at + ": distribution");
    if (const Json* seed = c.get("seed"); seed && !seed->is(Json::Kind::null) && !seed->is(Json::Kind::number))
      fail(at, ": seed must be a number or null; got ", show(*seed));
    return init;
  } catch (const EngineError& e) {  // (an argument's error too names the option)
    throw OptionError(e.what(), option);
  }
}

namespace {

const Named<ConstraintKind> kConstraints[] = {{"max_norm", ConstraintKind::max_norm},
                                              {"unit_norm", ConstraintKind::unit_norm},
                                              {"non_neg", ConstraintKind::non_neg},
                                              {"min_max_norm", ConstraintKind::min_max_norm}};

std::vector<std::string> constraint_arguments(ConstraintKind kind) {
  switch (kind) {
    case ConstraintKind::max_norm: return {"maxValue", "axis"};
    case ConstraintKind::unit_norm: return {"axis"};
    case ConstraintKind::min_max_norm: return {"minValue", "maxValue", "rate", "axis"};
    default: return {};
  }
}

}  // namespace

Constraint constraint_from_json(const Json& value, const std::string& where, const std::string& option) {
  try {
    Constraint c;
    std::string class_name;
    const Json* config = nullptr;
    if (value.is(Json::Kind::string))
      class_name = value.text;
    else if (value.is(Json::Kind::object))
      config = class_and_config(value, where, "a constraint",
                                "{\"className\": \"MaxNorm\", \"config\": {\"maxValue\": 3}}", class_name);
    else
      fail(where, ": expected a constraint name (maxNorm, unitNorm, nonNeg, minMaxNorm) or {className, config}; got ",
           show(value));
    c.kind = kind_from_name(kConstraints, class_name, where, "constraint");
    if (c.kind == ConstraintKind::min_max_norm) c.max_value = 1.0;  // (MinMaxNorm's own default)
    if (!config) return c;
    const std::string at = where + " (" + class_name + ") config";
    const Options o(*config, at, constraint_arguments(c.kind));
    c.max_value = finite(o, "maxValue", c.max_value);
    c.min_value = finite(o, "minValue", c.min_value);
    c.rate = finite(o, "rate", c.rate);
    if (c.max_value < 0 || c.min_value < 0 || c.min_value > c.max_value)
      fail(at, ": expected 0 <= minValue <= maxValue; got minValue ", show(c.min_value), ", maxValue ",
           show(c.max_value));
    if (c.rate < 0 || c.rate > 1) fail(at, ": rate must be in [0, 1]; got ", show(c.rate));
    if (const Json* axis = o.get("axis")) {
      std::vector<Json> items = axis->is(Json::Kind::array) ? axis->items : std::vector<Json>{*axis};
      c.axes.clear();
      for (const Json& a : items) {
        if (!a.is(Json::Kind::number) || a.number != std::floor(a.number) || std::abs(a.number) > 8)
          fail(at, ": axis must be a whole number from -8 to 8 or a list of them; got ", show(*axis));
        c.axes.push_back(static_cast<int>(a.number));
      }
      if (c.axes.empty()) fail(at, ": axis must name at least one axis; got ", show(*axis));
    }
    return c;
  } catch (const EngineError& e) {  // (an argument's error too names the option)
    throw OptionError(e.what(), option);
  }
}

}  // namespace dl
