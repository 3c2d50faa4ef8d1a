// An op's settings (ops::Attrs) from the JSON object the JavaScript API sends, with the
// keys TensorFlow.js' own argument names give them (keepDims, transposeA, ...). A key
// the op table does not know, or a value of the wrong kind, is refused by name.
#include "io/op_attrs.h"

#include <cmath>

#include "core/error.h"
#include "core/show.h"
#include "io/json.h"

namespace dl::ops {

namespace {

const char* const kKeys =
    "axes, keepDims, transposeA, transposeB, begin, size, shape, reps, paddings, alpha, low, high, integer, depth, "
    "dtype, strides, window, padding, count, seed, normalized";

std::vector<int> whole_numbers(const Json& value, const std::string& key) {
  if (!value.is(Json::Kind::array)) fail(key, " must be a list of whole numbers; got ", show(value));
  std::vector<int> out;
  for (const Json& item : value.items) {
    if (!item.is(Json::Kind::number) || item.number != std::floor(item.number) || std::abs(item.number) > 1e9)
      fail(key, " must be a list of whole numbers; got ", show(value));
    out.push_back(static_cast<int>(item.number));
  }
  return out;
}

double number(const Json& value, const std::string& key) {
  if (!value.is(Json::Kind::number)) fail(key, " must be a number; got ", show(value));
  return value.number;
}

bool flag(const Json& value, const std::string& key) {
  if (!value.is(Json::Kind::boolean)) fail(key, " must be true or false; got ", show(value));
  return value.boolean;
}

}  // namespace

Attrs attrs_from_json(const std::string& text) {
  Attrs a;
  if (text.empty()) return a;
  const Json json = Json::parse(text);
  if (!json.is(Json::Kind::object)) fail("an op's settings must be an object; got ", show(json));
  for (const auto& [key, value] : json.members) {
    if (key == "axes")
      a.axes = whole_numbers(value, key);
    else if (key == "keepDims")
      a.keep_dims = flag(value, key);
    else if (key == "transposeA")
      a.transpose_a = flag(value, key);
    else if (key == "transposeB")
      a.transpose_b = flag(value, key);
    else if (key == "begin")
      a.begin = whole_numbers(value, key);
    else if (key == "size")
      a.size = whole_numbers(value, key);
    else if (key == "shape")
      a.shape = whole_numbers(value, key);
    else if (key == "reps")
      a.reps = whole_numbers(value, key);
    else if (key == "paddings")
      a.paddings = whole_numbers(value, key);
    else if (key == "alpha")
      a.alpha = number(value, key);
    else if (key == "low")
      a.low = number(value, key);
    else if (key == "high")
      a.high = number(value, key);
    else if (key == "integer")
      a.integer = flag(value, key);
    else if (key == "depth")
      a.depth = static_cast<int>(number(value, key));
    else if (key == "count")
      a.count = static_cast<int>(number(value, key));
    else if (key == "seed")
      a.seed = number(value, key);
    else if (key == "normalized")
      a.normalized = flag(value, key);
    else if (key == "strides")
      a.strides = whole_numbers(value, key);
    else if (key == "window")
      a.window = whole_numbers(value, key);
    else if (key == "dtype" || key == "padding") {
      if (!value.is(Json::Kind::string)) fail(key, " must be a string; got ", show(value));
      (key == "dtype" ? a.dtype : a.padding) = value.text;
    } else
      fail("unknown op setting ", show(key), "; expected one of ", kKeys);
  }
  return a;
}

}  // namespace dl::ops
