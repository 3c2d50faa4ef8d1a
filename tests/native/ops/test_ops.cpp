// Every op of the table (engine/ops) from one table of cases, as ggml's test-backend-ops
// runs its ops: each differentiable op's backward against central differences in double
// (broadcast inputs, reductions over some axes, transposed products included), and its
// float forward (the engine's path, with the fast matrix product) against the double one.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "../gradient_check.h"
#include "core/error.h"
#include "ops/broadcast.h"
#include "ops/op.h"

using dl::ops::Attrs;
using dl::ops::In;
using dl::ops::Shape;
using dl::ops::Shapes;

namespace {

// How a case draws an input's values.
enum class Draw { any, positive, off_zero, indices, condition, spread };

struct Case {
  std::string op;
  Shapes shapes;
  Attrs attrs;
  std::vector<Draw> draws;  // per input; missing: any
};

Attrs with(void (*set)(Attrs&)) {
  Attrs a;
  set(a);
  return a;
}

std::vector<double> draw(Draw how, std::size_t n, dl::Rng& rng, int bound) {
  std::vector<double> v(n);
  for (std::size_t i = 0; i < n; ++i) {
    switch (how) {
      case Draw::any: v[i] = rng.uniform(-1, 1); break;
      case Draw::positive: v[i] = rng.uniform(0.5, 2); break;
      case Draw::off_zero: v[i] = (rng.uniform() < 0.5 ? -1 : 1) * rng.uniform(0.1, 1); break;
      case Draw::indices: v[i] = std::floor(rng.uniform(0, bound)); break;
      case Draw::condition: v[i] = rng.uniform() < 0.5 ? 0 : 1; break;
      // Values apart from each other (max, min, maximum: no ties within a step of eps).
      case Draw::spread: v[i] = -1 + 2.0 * ((i * 7919) % n) / n + rng.uniform(0, 0.01); break;
    }
  }
  return v;
}

std::vector<Case> cases() {
  std::vector<Case> c;
  for (const char* op : {"neg", "exp", "sin", "cos", "tanh", "sigmoid", "softplus", "square", "erf", "expm1", "selu"})
    c.push_back({op, {{2, 3}}, {}, {}});
  for (const char* op : {"log", "sqrt", "rsqrt", "reciprocal", "log1p"})
    c.push_back({op, {{2, 3}}, {}, {Draw::positive}});
  for (const char* op : {"abs", "relu", "relu6"}) c.push_back({op, {{2, 3}}, {}, {Draw::off_zero}});
  c.push_back({"elu", {{2, 3}}, with([](Attrs& a) { a.alpha = 1.5; }), {Draw::off_zero}});
  c.push_back({"leakyRelu", {{2, 3}}, with([](Attrs& a) { a.alpha = 0.2; }), {Draw::off_zero}});
  c.push_back({"clipByValue", {{3, 4}}, with([](Attrs& a) { a.low = -0.55, a.high = 0.45; }), {Draw::spread}});
  const Shapes pairs[] = {{{2, 3}, {2, 3}}, {{2, 3}, {3}}, {{2, 1}, {1, 3}}, {{}, {2, 3}}, {{4, 1, 3}, {2, 1}}};
  for (const auto& shapes : pairs) {
    for (const char* op : {"add", "sub", "mul", "squaredDifference"}) c.push_back({op, shapes, {}, {}});
    c.push_back({"div", shapes, {}, {Draw::any, Draw::positive}});
    c.push_back({"pow", shapes, {}, {Draw::positive, Draw::any}});
    c.push_back({"atan2", shapes, {}, {Draw::off_zero, Draw::off_zero}});
    c.push_back({"maximum", shapes, {}, {Draw::spread, Draw::any}});
    c.push_back({"minimum", shapes, {}, {Draw::spread, Draw::any}});
  }
  c.push_back({"where", {{2, 3}, {2, 3}, {3}}, {}, {Draw::condition}});
  c.push_back({"addN", {{2, 2}, {2, 2}, {2, 2}}, {}, {}});
  for (const char* op : {"sum", "mean", "prod", "logSumExp", "max", "min"})
    for (const auto& axes : std::vector<std::vector<int>>{{}, {1}, {0, 2}, {-1}})
      for (bool keep : {false, true}) {
        Attrs a;
        a.axes = axes;
        a.keep_dims = keep;
        c.push_back({op, {{2, 3, 4}}, a, {Draw::spread}});
      }
  c.push_back({"softmax", {{3, 5}}, {}, {}});
  c.push_back({"logSoftmax", {{3, 5}}, {}, {}});
  for (bool ta : {false, true})
    for (bool tb : {false, true}) {
      Attrs a;
      a.transpose_a = ta, a.transpose_b = tb;
      c.push_back({"matMul", {ta ? Shape{3, 2} : Shape{2, 3}, tb ? Shape{4, 3} : Shape{3, 4}}, a, {}});
      c.push_back({"matMul", {ta ? Shape{2, 3, 5} : Shape{2, 5, 3}, tb ? Shape{7, 3} : Shape{3, 7}}, a, {}});
    }
  c.push_back({"matMul", {{1, 2, 3}, {3, 3, 2}}, {}, {}});
  c.push_back({"reshape", {{2, 3}}, with([](Attrs& a) { a.shape = {3, -1}; }), {}});
  c.push_back({"transpose", {{2, 3, 4}}, with([](Attrs& a) { a.axes = {2, 0, 1}; }), {}});
  c.push_back({"transpose", {{2, 5}}, {}, {}});
  c.push_back({"slice", {{3, 4}}, with([](Attrs& a) { a.begin = {1, 1}, a.size = {2, -1}; }), {}});
  c.push_back({"slice", {{2, 3, 4}}, with([](Attrs& a) { a.begin = {0, 2}, a.size = {-1, 1}; }), {}});
  c.push_back({"concat", {{2, 3}, {2, 2}}, with([](Attrs& a) { a.axes = {1}; }), {}});
  c.push_back({"concat", {{1, 3}, {2, 3}, {1, 3}}, {}, {}});
  c.push_back({"tile", {{2, 3}}, with([](Attrs& a) { a.reps = {2, 3}; }), {}});
  c.push_back({"pad", {{2, 2}}, with([](Attrs& a) { a.paddings = {1, 0, 0, 2}, a.alpha = 0.5; }), {}});
  c.push_back({"gather", {{4, 3}, {5}}, {}, {Draw::any, Draw::indices}});
  c.push_back({"gather", {{2, 4, 3}, {2, 2}}, with([](Attrs& a) { a.axes = {1}; }), {Draw::any, Draw::indices}});
  c.push_back({"cast", {{2, 3}}, with([](Attrs& a) { a.dtype = "float32"; }), {}});
  // Images: odd sizes, both paddings, strides; max pooling on spread values (no ties).
  c.push_back({"conv2d", {{2, 5, 4, 3}, {3, 2, 3, 2}}, {}, {}});
  c.push_back(
      {"conv2d", {{1, 5, 5, 2}, {3, 3, 2, 3}}, with([](Attrs& a) { a.strides = {2}, a.padding = "same"; }), {}});
  c.push_back({"maxPool", {{2, 5, 4, 3}}, with([](Attrs& a) { a.window = {2}, a.padding = "same"; }), {Draw::spread}});
  c.push_back({"avgPool", {{1, 5, 5, 2}}, with([](Attrs& a) { a.window = {3, 2}, a.strides = {2, 1}; }), {}});
  return c;
}

}  // namespace

TEST_CASE("every differentiable op's gradient matches central differences in double, broadcasts included") {
  const auto table = cases();
  for (std::size_t n = 0; n < table.size(); ++n) {
    const Case& test = table[n];
    const dl::ops::OpDef& op = dl::ops::find_op(test.op);
    const Shape y_shape = dl::ops::op_shape(op, test.shapes, test.attrs);
    CAPTURE(test.op);
    CAPTURE(dl::ops::json_list(test.shapes[0]));
    CAPTURE(n);
    REQUIRE(op.differentiable);
    dl::Rng rng(n + 1);
    std::vector<std::vector<double>> values;
    for (std::size_t k = 0; k < test.shapes.size(); ++k) {
      const Draw how = k < test.draws.size() ? test.draws[k] : Draw::any;
      // Indices pick along gather's axis.
      const int bound = how == Draw::indices ? test.shapes[0][test.attrs.axes.empty() ? 0 : test.attrs.axes[0]] : 1;
      values.push_back(draw(how, dl::ops::count_of(test.shapes[k]), rng, bound));
    }
    auto inputs = [&] {
      std::vector<In<double>> in;
      for (std::size_t k = 0; k < values.size(); ++k) in.push_back({values[k].data(), test.shapes[k]});
      return in;
    };
    const std::size_t m = dl::ops::count_of(y_shape);
    const std::vector<double> r = check::random_values(m, rng);
    std::vector<double> y(m);
    auto loss = [&] {
      op.forward<double>()(inputs(), test.attrs, y.data(), y_shape);
      return check::dot(y, r);
    };
    loss();
    // The float forward (the engine's path) agrees with the double one.
    std::vector<std::vector<float>> narrow;
    std::vector<In<float>> float_in;
    for (const auto& v : values) narrow.emplace_back(v.begin(), v.end());
    for (std::size_t k = 0; k < narrow.size(); ++k) float_in.push_back({narrow[k].data(), test.shapes[k]});
    std::vector<float> y_float(m);
    op.forward<float>()(float_in, test.attrs, y_float.data(), y_shape);
    for (std::size_t i = 0; i < m; ++i) {
      INFO("float forward [" << i << "]: " << y_float[i] << ", double " << y[i]);
      CHECK(std::abs(y_float[i] - y[i]) <= 1e-5 * std::max(1.0, std::abs(y[i])));
    }
    // Each input's gradient (indices and conditions take none).
    std::vector<std::vector<double>> grads(values.size());
    std::vector<double*> dxs(values.size(), nullptr);
    for (std::size_t k = 0; k < values.size(); ++k) {
      const Draw how = k < test.draws.size() ? test.draws[k] : Draw::any;
      if (how == Draw::indices || how == Draw::condition) continue;
      grads[k].assign(values[k].size(), -7.0);  // overwritten, or the check fails
      dxs[k] = grads[k].data();
    }
    op.backward<double>()(inputs(), y.data(), r.data(), test.attrs, y_shape, dxs);
    for (std::size_t k = 0; k < values.size(); ++k)
      if (dxs[k]) check::expect_gradient(test.op + " input " + std::to_string(k), values[k], grads[k], loss);
  }
}

TEST_CASE("ops without a gradient give TensorFlow.js' values: argMax, oneHot, comparisons, round half to even") {
  auto run = [](const std::string& name, const Shapes& shapes, const std::vector<std::vector<double>>& values,
                const Attrs& attrs = {}) {
    const auto& op = dl::ops::find_op(name);
    const Shape shape = dl::ops::op_shape(op, shapes, attrs);
    std::vector<In<double>> in;
    for (std::size_t k = 0; k < values.size(); ++k) in.push_back({values[k].data(), shapes[k]});
    std::vector<double> y(dl::ops::count_of(shape));
    op.forward<double>()(in, attrs, y.data(), shape);
    return y;
  };
  Attrs last;
  last.axes = {-1};
  CHECK(run("argMax", {{2, 3}}, {{1, 5, 5, 9, 0, 2}}, last) == std::vector<double>{1, 0});
  CHECK(run("argMin", {{2, 3}}, {{1, 5, 0, 9, 0, 0}}) == std::vector<double>{0, 1, 0});
  Attrs depth;
  depth.depth = 3;
  CHECK(run("oneHot", {{3}}, {{2, 0, 1}}, depth) == std::vector<double>{0, 0, 1, 1, 0, 0, 0, 1, 0});
  CHECK(run("greaterEqual", {{3}, {}}, {{1, 2, 3}, {2}}) == std::vector<double>{0, 1, 1});
  CHECK(run("round", {{4}}, {{0.5, 1.5, 2.5, -0.5}}) == std::vector<double>{0, 2, 2, -0});
  Attrs whole;
  whole.integer = true;
  CHECK(run("div", {{2}, {2}}, {{7, -7}, {2, 2}}, whole) == std::vector<double>{3, -4});
  CHECK(run("mod", {{2}, {2}}, {{7, -7}, {3, 3}}) == std::vector<double>{1, 2});
}

TEST_CASE("bad shapes and settings are refused naming the op, the shapes and what was expected") {
  auto refused = [](const std::string& name, const Shapes& shapes, const Attrs& attrs, const std::string& message) {
    try {
      dl::ops::op_shape(dl::ops::find_op(name), shapes, attrs);
      FAIL("no error for " << name);
    } catch (const dl::EngineError& e) {
      CHECK(std::string(e.what()) == message);
    }
  };
  refused("add", {{2, 3}, {4}}, {},
          "add: shapes [2,3] and [4] cannot be broadcast together; each dimension must match or be 1");
  Attrs t;
  t.transpose_b = true;
  refused("matMul", {{2, 3}, {3, 4}}, t,
          "matMul: the inner dimensions of a [2,3] and b [3,4] must match (after the transposes asked for); got 3 "
          "and 4");
  refused("matMul", {{3}, {3, 4}}, {}, "matMul: expected a and b of rank 2 or more; got shapes [3] and [3,4]");
  Attrs r;
  r.shape = {4, -1};
  refused("reshape", {{2, 3}}, r, "reshape: a tensor of shape [2,3] (6 values) cannot become [4,-1]");
  Attrs s;
  s.axes = {3};
  refused("sum", {{2, 3}}, s, "sum: axis 3 is outside a tensor of rank 2; expected -2 to 1");
  refused(
      "concat", {{2, 3}, {3, 3}},
      [] {
        Attrs a;
        a.axes = {1};
        return a;
      }(),
      "concat: tensor 1 has shape [3,3]; expected [2,3] but for axis 1");
  refused("add", {{2}}, {}, "add: expected 2 inputs; got 1");
  try {
    dl::ops::find_op("softmaxx");
    FAIL("no error for an unknown op");
  } catch (const dl::EngineError& e) {
    CHECK(std::string(e.what()).rfind("unknown tensor operation \"softmaxx\"; expected one of neg, abs, exp,", 0) == 0);
  }
}
