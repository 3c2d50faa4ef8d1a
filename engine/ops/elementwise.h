// Element-wise ops: one input value to one output value (exp, relu, ...), and two inputs
// broadcast together (add, mul, pow, maximum, comparisons ...).
//
// Unary, x: (any shape) -> y: (the same shape). Each rule gives y from x, and dy/dx from
// x and y (whichever is cheaper), so that backward is dx = dy * f'(x).
// Binary, a and b broadcasting to y: y = f(a, b); da and db sum over the positions that
// read each value.
#pragma once

#include <algorithm>
#include <cmath>
#include <vector>

#include "ops/broadcast.h"
#include "ops/op.h"

namespace dl::ops {

enum class Unary {
  neg,
  abs,
  exp,
  log,
  sqrt,
  rsqrt,
  square,
  reciprocal,
  sigmoid,
  tanh,
  relu,
  relu6,
  elu,
  selu,
  leaky_relu,
  softplus,
  sin,
  cos,
  log1p,
  expm1,
  sign,
  floor,
  ceil,
  round,
  step,
  erf,
  clip,
  logical_not,
  is_nan
};

// SELU's constants (Klambauer et al. 2017), as TensorFlow.js writes them.
constexpr double kSeluAlpha = 1.6732632423543772848170429916717;
constexpr double kSeluScale = 1.0507009873554804934193349852946;

template <typename T>
T unary_value(Unary op, T x, const Attrs& a) {
  switch (op) {
    case Unary::neg: return -x;
    case Unary::abs: return std::abs(x);
    case Unary::exp: return std::exp(x);
    case Unary::log: return std::log(x);
    case Unary::sqrt: return std::sqrt(x);
    case Unary::rsqrt: return T(1) / std::sqrt(x);
    case Unary::square: return x * x;
    case Unary::reciprocal: return T(1) / x;
    case Unary::sigmoid: return T(1) / (T(1) + std::exp(-x));
    case Unary::tanh: return std::tanh(x);
    case Unary::relu: return x > 0 ? x : T(0);
    case Unary::relu6: return std::min(std::max(x, T(0)), T(6));
    case Unary::elu: return x > 0 ? x : T(a.alpha) * (std::exp(x) - T(1));
    case Unary::selu: return T(kSeluScale) * (x > 0 ? x : T(kSeluAlpha) * (std::exp(x) - T(1)));
    case Unary::leaky_relu: return x > 0 ? x : T(a.alpha) * x;
    // log(1 + e^x) without overflow for large x.
    case Unary::softplus: return x > 0 ? x + std::log1p(std::exp(-x)) : std::log1p(std::exp(x));
    case Unary::sin: return std::sin(x);
    case Unary::cos: return std::cos(x);
    case Unary::log1p: return std::log1p(x);
    case Unary::expm1: return std::expm1(x);
    case Unary::sign: return T((x > 0) - (x < 0));
    case Unary::floor: return std::floor(x);
    case Unary::ceil: return std::ceil(x);
    // Half to even, as TensorFlow.js' round.
    case Unary::round: return std::nearbyint(x);
    case Unary::step: return x > 0 ? T(1) : T(a.alpha);
    case Unary::erf: return std::erf(x);
    case Unary::clip: return std::min(std::max(x, T(a.low)), T(a.high));
    case Unary::logical_not: return x == 0 ? T(1) : T(0);
    case Unary::is_nan: return std::isnan(x) ? T(1) : T(0);
  }
  return x;
}

// dy/dx at x, where the op gave y.
template <typename T>
T unary_slope(Unary op, T x, T y, const Attrs& a) {
  switch (op) {
    case Unary::neg: return T(-1);
    case Unary::abs: return T((x > 0) - (x < 0));
    case Unary::exp: return y;
    case Unary::log: return T(1) / x;
    case Unary::sqrt: return T(0.5) / y;
    case Unary::rsqrt: return T(-0.5) * y / x;
    case Unary::square: return T(2) * x;
    case Unary::reciprocal: return -y * y;
    case Unary::sigmoid: return y * (T(1) - y);
    case Unary::tanh: return T(1) - y * y;
    case Unary::relu: return x > 0 ? T(1) : T(0);
    case Unary::relu6: return x > 0 && x < 6 ? T(1) : T(0);
    case Unary::elu: return x > 0 ? T(1) : y + T(a.alpha);
    case Unary::selu: return x > 0 ? T(kSeluScale) : y + T(kSeluScale * kSeluAlpha);
    case Unary::leaky_relu: return x > 0 ? T(1) : T(a.alpha);
    case Unary::softplus: return T(1) / (T(1) + std::exp(-x));
    case Unary::sin: return std::cos(x);
    case Unary::cos: return -std::sin(x);
    case Unary::log1p: return T(1) / (T(1) + x);
    case Unary::expm1: return y + T(1);
    case Unary::erf: return T(1.1283791670955126) * std::exp(-x * x);  // 2 / sqrt(pi)
    case Unary::clip: return x >= T(a.low) && x <= T(a.high) ? T(1) : T(0);
    // Piecewise constant: no gradient, as in TensorFlow.js.
    case Unary::sign:
    case Unary::floor:
    case Unary::ceil:
    case Unary::round:
    case Unary::step:
    case Unary::logical_not:
    case Unary::is_nan: return T(0);
  }
  return T(0);
}

template <Unary kOp>
struct UnaryOp {
  static constexpr bool differentiable = kOp != Unary::sign && kOp != Unary::floor && kOp != Unary::ceil &&
                                         kOp != Unary::round && kOp != Unary::step && kOp != Unary::logical_not &&
                                         kOp != Unary::is_nan;
  static Shape shape(const Shapes& in, const Attrs&) { return in[0]; }
  // x: (n) -> y: (n)
  template <typename T>
  static void forward(const std::vector<In<T>>& xs, const Attrs& a, T* y, const Shape& shape) {
    const T* x = xs[0].data;
    const std::size_t n = count_of(shape);
    for (std::size_t i = 0; i < n; ++i) y[i] = unary_value(kOp, x[i], a);
  }
  // dy: (n) -> dx: (n) = dy * f'(x)
  template <typename T>
  static void backward(const std::vector<In<T>>& xs, const T* y, const T* dy, const Attrs& a, const Shape& shape,
                       const std::vector<T*>& dxs) {
    if (!dxs[0]) return;
    const T* x = xs[0].data;
    const std::size_t n = count_of(shape);
    for (std::size_t i = 0; i < n; ++i) dxs[0][i] = dy[i] * unary_slope(kOp, x[i], y[i], a);
  }
};

enum class Binary {
  add,
  sub,
  mul,
  div,
  pow,
  maximum,
  minimum,
  squared_difference,
  atan2,
  mod,
  equal,
  not_equal,
  greater,
  greater_equal,
  less,
  less_equal,
  logical_and,
  logical_or
};

template <typename T>
T binary_value(Binary op, T a, T b, const Attrs& attrs) {
  switch (op) {
    case Binary::add: return a + b;
    case Binary::sub: return a - b;
    case Binary::mul: return a * b;
    case Binary::div: return attrs.integer ? std::floor(a / b) : a / b;
    case Binary::pow: return std::pow(a, b);
    case Binary::maximum: return a >= b ? a : b;
    case Binary::minimum: return a <= b ? a : b;
    case Binary::squared_difference: return (a - b) * (a - b);
    case Binary::atan2: return std::atan2(a, b);
    // The remainder with the divisor's sign, as TensorFlow.js' mod.
    case Binary::mod: return a - b * std::floor(a / b);
    case Binary::equal: return a == b ? T(1) : T(0);
    case Binary::not_equal: return a != b ? T(1) : T(0);
    case Binary::greater: return a > b ? T(1) : T(0);
    case Binary::greater_equal: return a >= b ? T(1) : T(0);
    case Binary::less: return a < b ? T(1) : T(0);
    case Binary::less_equal: return a <= b ? T(1) : T(0);
    case Binary::logical_and: return a != 0 && b != 0 ? T(1) : T(0);
    case Binary::logical_or: return a != 0 || b != 0 ? T(1) : T(0);
  }
  return a;
}

// dy/da and dy/db at (a, b), where the op gave y.
template <typename T>
void binary_slopes(Binary op, T a, T b, T y, T& da, T& db) {
  switch (op) {
    case Binary::add: da = 1, db = 1; return;
    case Binary::sub: da = 1, db = -1; return;
    case Binary::mul: da = b, db = a; return;
    case Binary::div: da = T(1) / b, db = -a / (b * b); return;
    // d(a^b)/db = a^b log a, taken as 0 where a <= 0 (TensorFlow.js does the same).
    case Binary::pow: da = b * std::pow(a, b - 1), db = a > 0 ? y * std::log(a) : T(0); return;
    // The gradient goes to a where a >= b, else to b, as TensorFlow.js sends it.
    case Binary::maximum: da = a >= b ? T(1) : T(0), db = T(1) - da; return;
    case Binary::minimum: da = a <= b ? T(1) : T(0), db = T(1) - da; return;
    case Binary::squared_difference: da = T(2) * (a - b), db = -da; return;
    case Binary::atan2: {
      const T r = a * a + b * b;
      da = b / r, db = -a / r;
      return;
    }
    case Binary::mod: da = 1, db = -std::floor(a / b); return;
    default: da = 0, db = 0; return;
  }
}

template <Binary kOp>
struct BinaryOp {
  static constexpr bool differentiable = kOp <= Binary::mod;
  static Shape shape(const Shapes& in, const Attrs&) { return broadcast_shapes(in[0], in[1]); }
  // a, b broadcasting to y -> y
  template <typename T>
  static void forward(const std::vector<In<T>>& xs, const Attrs& attrs, T* y, const Shape& shape) {
    const T* a = xs[0].data;
    const T* b = xs[1].data;
    for_each_broadcast(xs[0].shape, xs[1].shape, shape, [&](std::size_t i, std::size_t ia, std::size_t ib) {
      y[i] = binary_value(kOp, a[ia], b[ib], attrs);
    });
  }
  // dy: y's shape -> da: a's shape, db: b's shape (each summed over its broadcast positions)
  template <typename T>
  static void backward(const std::vector<In<T>>& xs, const T* y, const T* dy, const Attrs&, const Shape& shape,
                       const std::vector<T*>& dxs) {
    T* da_out = dxs[0];
    T* db_out = dxs[1];
    if (da_out) std::fill(da_out, da_out + count_of(xs[0].shape), T(0));
    if (db_out) std::fill(db_out, db_out + count_of(xs[1].shape), T(0));
    const T* a = xs[0].data;
    const T* b = xs[1].data;
    for_each_broadcast(xs[0].shape, xs[1].shape, shape, [&](std::size_t i, std::size_t ia, std::size_t ib) {
      T da, db;
      binary_slopes(kOp, a[ia], b[ib], y[i], da, db);
      if (da_out) da_out[ia] += dy[i] * da;
      if (db_out) db_out[ib] += dy[i] * db;
    });
  }
};

}  // namespace dl::ops
