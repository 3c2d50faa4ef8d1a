// Reductions over some axes (sum, mean, prod, max, min, logSumExp; argMax and argMin over
// one), and softmax and logSoftmax over the last axis.
//
// A reduction views x as (outer, reduced, inner) blocks through an index: each value of x
// goes to the output value of its position without the reduced axes. attrs.axes: the axes
// (none: all of them); attrs.keep_dims keeps them as 1.
#pragma once

#include <algorithm>
#include <cmath>
#include <limits>
#include <type_traits>
#include <vector>

#include "core/error.h"
#include "core/show.h"
#include "core/simd.h"
#include "ops/broadcast.h"
#include "ops/op.h"

namespace dl::ops {

// The axes as positive, sorted and without repeats; all of them when none are given.
inline std::vector<int> reduced_axes(const std::vector<int>& axes, int rank) {
  std::vector<int> out;
  if (axes.empty())
    for (int i = 0; i < rank; ++i) out.push_back(i);
  for (int a : axes) {
    if (rank == 0) fail("a scalar has no axis ", a, "; expected a tensor of rank 1 or more");
    if (a < -rank || a >= rank)
      fail("axis ", a, " is outside a tensor of rank ", rank, "; expected ", -rank, " to ", rank - 1);
    out.push_back(a < 0 ? a + rank : a);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

inline Shape reduced_shape(const Shape& shape, const std::vector<int>& axes, bool keep_dims) {
  Shape out;
  for (int i = 0; i < static_cast<int>(shape.size()); ++i) {
    const bool reduced = std::find(axes.begin(), axes.end(), i) != axes.end();
    if (!reduced)
      out.push_back(shape[i]);
    else if (keep_dims)
      out.push_back(1);
  }
  return out;
}

// Calls f(i, j) for each value i of x with j the flat index of its output value. Axes in
// one block (the common case: all, the last, the first) are walked as (outer, reduced,
// inner) loops; others through an index of every value.
template <typename F>
void for_each_reduced(const Shape& shape, const std::vector<int>& axes, F f) {
  if (!axes.empty() && axes.back() - axes.front() + 1 == static_cast<int>(axes.size())) {
    std::size_t outer = 1, length = 1, inner = 1;
    for (int i = 0; i < static_cast<int>(shape.size()); ++i)
      (i < axes.front() ? outer : i > axes.back() ? inner : length) *= static_cast<std::size_t>(shape[i]);
    for (std::size_t o = 0; o < outer; ++o)
      for (std::size_t l = 0; l < length; ++l) {
        const std::size_t first = (o * length + l) * inner;
        for (std::size_t k = 0; k < inner; ++k) f(first + k, o * inner + k);
      }
    return;
  }
  Shape kept = shape;
  for (int a : axes) kept[a] = 1;
  std::vector<std::size_t> index;
  // The output read back as a broadcast of the kept shape is exactly this index.
  broadcast_index(kept, shape, index);
  for (std::size_t i = 0; i < index.size(); ++i) f(i, index[i]);
}

enum class Reduce { sum, mean, prod, max, min, log_sum_exp };

// x[0] + ... + x[n-1], in four interleaved totals.
template <typename T>
T row_sum(const T* x, std::size_t n) {
  T total[4] = {0, 0, 0, 0};
  std::size_t i = 0;
  for (; i + 4 <= n; i += 4)
    for (int k = 0; k < 4; ++k) total[k] += x[i + k];
  for (; i < n; ++i) total[0] += x[i];
  return (total[0] + total[1]) + (total[2] + total[3]);
}

template <Reduce kOp>
struct ReduceOp {
  static constexpr bool differentiable = true;
  static Shape shape(const Shapes& in, const Attrs& a) {
    const auto axes = reduced_axes(a.axes, static_cast<int>(in[0].size()));
    for (int axis : axes)
      if (in[0][axis] == 0) fail("cannot reduce over axis ", axis, " of size 0");
    return reduced_shape(in[0], axes, a.keep_dims);
  }
  // x: (any) -> y: x's shape without the reduced axes
  template <typename T>
  static void forward(const std::vector<In<T>>& xs, const Attrs& a, T* y, const Shape& y_shape) {
    const auto& shape = xs[0].shape;
    const auto axes = reduced_axes(a.axes, static_cast<int>(shape.size()));
    const std::size_t n = count_of(shape), m = count_of(y_shape);
    const T* x = xs[0].data;
    const T start = kOp == Reduce::prod                                ? T(1)
                    : kOp == Reduce::max || kOp == Reduce::log_sum_exp ? -std::numeric_limits<T>::infinity()
                    : kOp == Reduce::min                               ? std::numeric_limits<T>::infinity()
                                                                       : T(0);
    std::fill(y, y + m, start);
    if (kOp == Reduce::sum || kOp == Reduce::mean) {
      // Whole rows (the last axes, or all): summed in four running totals held in
      // registers, not through y.
      const std::size_t length = n / std::max<std::size_t>(m, 1);
      if (!axes.empty() && axes.back() == static_cast<int>(shape.size()) - 1 &&
          axes.back() - axes.front() + 1 == static_cast<int>(axes.size())) {
        for (std::size_t j = 0; j < m; ++j) y[j] = row_sum(x + j * length, length);
        if (kOp == Reduce::mean)
          for (std::size_t j = 0; j < m; ++j) y[j] /= static_cast<T>(length);
        return;
      }
    }
    for_each_reduced(shape, axes, [&](std::size_t i, std::size_t j) {
      T& out = y[j];
      switch (kOp) {
        case Reduce::sum:
        case Reduce::mean: out += x[i]; break;
        case Reduce::prod: out *= x[i]; break;
        case Reduce::max:
        case Reduce::log_sum_exp: out = std::max(out, x[i]); break;
        case Reduce::min: out = std::min(out, x[i]); break;
      }
    });
    const T count = static_cast<T>(n / std::max<std::size_t>(m, 1));
    if (kOp == Reduce::mean)
      for (std::size_t j = 0; j < m; ++j) y[j] /= count;
    if (kOp == Reduce::log_sum_exp) {
      // log sum exp(x) = top + log sum exp(x - top), with the top found above.
      std::vector<T> total(m, T(0));
      for_each_reduced(shape, axes, [&](std::size_t i, std::size_t j) { total[j] += std::exp(x[i] - y[j]); });
      for (std::size_t j = 0; j < m; ++j) y[j] += std::log(total[j]);
    }
  }
  // dy: y's shape -> dx: x's shape. sum: dy; mean: dy / count; max, min: dy to every value
  // equal to the result; prod: dy * (the product of the others); logSumExp: dy * e^(x - y).
  template <typename T>
  static void backward(const std::vector<In<T>>& xs, const T* y, const T* dy, const Attrs& a, const Shape& y_shape,
                       const std::vector<T*>& dxs) {
    T* dx = dxs[0];
    if (!dx) return;
    const auto& shape = xs[0].shape;
    const auto axes = reduced_axes(a.axes, static_cast<int>(shape.size()));
    const std::size_t n = count_of(shape), m = count_of(y_shape);
    const T* x = xs[0].data;
    const T count = static_cast<T>(n / std::max<std::size_t>(m, 1));
    std::vector<std::size_t> zeros;
    if (kOp == Reduce::prod) zeros.assign(m, 0);
    if (kOp == Reduce::prod)
      for_each_reduced(shape, axes, [&](std::size_t i, std::size_t j) { zeros[j] += x[i] == 0; });
    for_each_reduced(shape, axes, [&](std::size_t i, std::size_t j) {
      switch (kOp) {
        case Reduce::sum: dx[i] = dy[j]; break;
        case Reduce::mean: dx[i] = dy[j] / count; break;
        case Reduce::max:
        case Reduce::min: dx[i] = x[i] == y[j] ? dy[j] : T(0); break;
        case Reduce::log_sum_exp: dx[i] = dy[j] * std::exp(x[i] - y[j]); break;
        case Reduce::prod:
          if (zeros[j] == 0)
            dx[i] = dy[j] * y[j] / x[i];
          else
            dx[i] = T(0);
          break;
      }
    });
    // A product holding zeros: only a zero's own gradient can differ from 0 (the product
    // of the others), and only when it is the block's one zero.
    if (kOp == Reduce::prod) {
      std::vector<T> others(m, T(1));
      for_each_reduced(shape, axes, [&](std::size_t i, std::size_t j) {
        if (x[i] != 0) others[j] *= x[i];
      });
      for_each_reduced(shape, axes, [&](std::size_t i, std::size_t j) {
        if (x[i] == 0 && zeros[j] == 1) dx[i] = dy[j] * others[j];
      });
    }
  }
};

// The index of the largest (smallest) value along one axis (attrs.axes[0], default 0);
// the first one on ties. No gradient.
template <bool kMax>
struct ArgOp {
  static constexpr bool differentiable = false;
  static int axis_of(const Attrs& a, int rank) { return reduced_axes({a.axes.empty() ? 0 : a.axes[0]}, rank)[0]; }
  static Shape shape(const Shapes& in, const Attrs& a) {
    const int axis = axis_of(a, static_cast<int>(in[0].size()));
    if (in[0][axis] == 0) fail("cannot reduce over axis ", axis, " of size 0");
    return reduced_shape(in[0], {axis}, false);
  }
  // x: (outer, length, inner) around the axis -> y: (outer, inner)
  template <typename T>
  static void forward(const std::vector<In<T>>& xs, const Attrs& a, T* y, const Shape&) {
    const auto& shape = xs[0].shape;
    const int axis = axis_of(a, static_cast<int>(shape.size()));
    const std::size_t length = static_cast<std::size_t>(shape[axis]);
    std::size_t outer = 1, inner = 1;
    for (int i = 0; i < axis; ++i) outer *= static_cast<std::size_t>(shape[i]);
    for (std::size_t i = axis + 1; i < shape.size(); ++i) inner *= static_cast<std::size_t>(shape[i]);
    const T* x = xs[0].data;
    for (std::size_t o = 0; o < outer; ++o)
      for (std::size_t k = 0; k < inner; ++k) {
        std::size_t best = 0;
        for (std::size_t j = 1; j < length; ++j) {
          const T v = x[(o * length + j) * inner + k], b = x[(o * length + best) * inner + k];
          if (kMax ? v > b : v < b) best = j;
        }
        y[o * inner + k] = static_cast<T>(best);
      }
  }
  template <typename T>
  static void backward(const std::vector<In<T>>&, const T*, const T*, const Attrs&, const Shape&,
                       const std::vector<T*>&) {}
};

// Softmax and logSoftmax over the last axis (TensorFlow.js' only choice).
// x: (rows, classes) -> y: (rows, classes)
//   softmax: y = e^(x - max) / sum e^(x - max); dx = y * (dy - sum(dy * y))
//   logSoftmax: y = x - logsumexp(x); dx = dy - e^y * sum(dy)
template <bool kLog>
struct SoftmaxOp {
  static constexpr bool differentiable = true;
  static Shape shape(const Shapes& in, const Attrs& a) {
    const int rank = static_cast<int>(in[0].size());
    if (rank == 0) fail("expected a tensor of rank 1 or more; got a scalar");
    if (!a.axes.empty() && reduced_axes({a.axes[0]}, rank)[0] != rank - 1)
      fail("only the last axis (-1) is supported, as in TensorFlow.js; got ", a.axes[0]);
    return in[0];
  }
  template <typename T>
  static void forward(const std::vector<In<T>>& xs, const Attrs&, T* y, const Shape& shape) {
    const std::size_t classes = static_cast<std::size_t>(shape.back());
    const std::size_t n = count_of(shape);
    const T* x = xs[0].data;
    if constexpr (std::is_same_v<T, float>) {
      // The engine's: the exponentials four at a time (core/simd.h), each computed once.
      for (std::size_t row = 0; classes && row < n; row += classes) {
        const float top = simd::max_of(x + row, classes);
        const float total = simd::exp_shifted(x + row, top, y + row, classes);
        if (kLog) {
          const float shift = top + std::log(total);
          for (std::size_t j = 0; j < classes; ++j) y[row + j] = x[row + j] - shift;
        } else {
          const float scale = 1.0f / total;
          for (std::size_t j = 0; j < classes; ++j) y[row + j] *= scale;
        }
      }
      return;
    }
    for (std::size_t row = 0; classes && row < n; row += classes) {
      T top = x[row];
      for (std::size_t j = 1; j < classes; ++j) top = std::max(top, x[row + j]);
      T total = 0;
      for (std::size_t j = 0; j < classes; ++j) total += std::exp(x[row + j] - top);
      for (std::size_t j = 0; j < classes; ++j)
        y[row + j] = kLog ? x[row + j] - top - std::log(total) : std::exp(x[row + j] - top) / total;
    }
  }
  template <typename T>
  static void backward(const std::vector<In<T>>&, const T* y, const T* dy, const Attrs&, const Shape& shape,
                       const std::vector<T*>& dxs) {
    T* dx = dxs[0];
    if (!dx) return;
    const std::size_t classes = static_cast<std::size_t>(shape.back());
    const std::size_t n = count_of(shape);
    for (std::size_t row = 0; classes && row < n; row += classes) {
      T dot = 0;
      for (std::size_t j = 0; j < classes; ++j) dot += kLog ? dy[row + j] : dy[row + j] * y[row + j];
      for (std::size_t j = 0; j < classes; ++j)
        dx[row + j] = kLog ? dy[row + j] - std::exp(y[row + j]) * dot : y[row + j] * (dy[row + j] - dot);
    }
  }
};

}  // namespace dl::ops
