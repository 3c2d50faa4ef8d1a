// Ops that move values without arithmetic: reshape, transpose, slice, concat, tile, pad,
// gather, and where (choosing between two tensors), oneHot and cast. Each backward sends
// every output gradient back to the input value it came from (summed where several
// outputs read one value: tile, gather, a broadcast where).
#pragma once

#include <algorithm>
#include <cmath>
#include <vector>

#include "core/error.h"
#include "core/show.h"
#include "ops/broadcast.h"
#include "ops/op.h"
#include "ops/reduce.h"

namespace dl::ops {

// Row-major strides of a shape.
inline std::vector<std::size_t> strides_of(const Shape& shape) {
  std::vector<std::size_t> s(shape.size(), 1);
  for (std::size_t i = shape.size(); i-- > 1;) s[i - 1] = s[i] * static_cast<std::size_t>(shape[i]);
  return s;
}

// Calls visit(out_flat, in_flat) for every output position of `out`, where in_flat is
// first + sum over axes of (position on the axis) * step[axis].
template <typename Visit>
void walk(const Shape& out, std::size_t first, const std::vector<std::size_t>& step, Visit visit) {
  const std::size_t n = count_of(out), rank = out.size();
  std::vector<int> at(rank, 0);
  std::size_t in = first;
  for (std::size_t i = 0; i < n; ++i) {
    visit(i, in);
    for (std::size_t d = rank; d-- > 0;) {
      in += step[d];
      if (++at[d] < out[d]) break;
      in -= step[d] * static_cast<std::size_t>(out[d]);
      at[d] = 0;
    }
  }
}

// The same values in another shape: attrs.shape, one dimension of which may be -1.
// x: (any) -> y: (attrs.shape)
struct ReshapeOp {
  static constexpr bool differentiable = true;
  static Shape shape(const Shapes& in, const Attrs& a) {
    const std::size_t size = count_of(in[0]);
    std::size_t known = 1;
    int unknown = -1;
    for (std::size_t i = 0; i < a.shape.size(); ++i) {
      if (a.shape[i] == -1 && unknown < 0)
        unknown = static_cast<int>(i);
      else if (a.shape[i] < 0)
        fail("the new shape ", json_list(a.shape), " may hold one -1 and whole numbers >= 0");
      else
        known *= static_cast<std::size_t>(a.shape[i]);
    }
    Shape out = a.shape;
    if (unknown >= 0 && known > 0 && size % known == 0) out[unknown] = static_cast<int>(size / known);
    if (count_of(out) != size || (unknown >= 0 && known == 0))
      fail("a tensor of shape ", json_list(in[0]), " (", size, " values) cannot become ", json_list(a.shape));
    return out;
  }
  template <typename T>
  static void forward(const std::vector<In<T>>& xs, const Attrs&, T* y, const Shape& shape) {
    std::copy(xs[0].data, xs[0].data + count_of(shape), y);
  }
  template <typename T>
  static void backward(const std::vector<In<T>>&, const T*, const T* dy, const Attrs&, const Shape& shape,
                       const std::vector<T*>& dxs) {
    if (dxs[0]) std::copy(dy, dy + count_of(shape), dxs[0]);
  }
};

// Axes reordered: y's axis i is x's axis perm[i] (attrs.axes; none: reversed).
// x: (d0, ..., dr) -> y: (d[perm[0]], ..., d[perm[r]])
struct TransposeOp {
  static constexpr bool differentiable = true;
  static std::vector<int> perm(const Attrs& a, int rank) {
    std::vector<int> p = a.axes;
    if (p.empty())
      for (int i = rank - 1; i >= 0; --i) p.push_back(i);
    std::vector<int> sorted = p;
    std::sort(sorted.begin(), sorted.end());
    for (int i = 0; i < static_cast<int>(sorted.size()); ++i)
      if (sorted.size() != static_cast<std::size_t>(rank) || sorted[i] != i)
        fail("perm ", json_list(p), " must order the ", rank, " axes 0 to ", rank - 1, ", each once");
    return p;
  }
  static Shape shape(const Shapes& in, const Attrs& a) {
    const auto p = perm(a, static_cast<int>(in[0].size()));
    Shape out;
    for (int axis : p) out.push_back(in[0][axis]);
    return out;
  }
  // The step in x of one step along each of y's axes.
  static std::vector<std::size_t> steps(const Shape& x, const std::vector<int>& p) {
    const auto s = strides_of(x);
    std::vector<std::size_t> step;
    for (int axis : p) step.push_back(s[axis]);
    return step;
  }
  template <typename T>
  static void forward(const std::vector<In<T>>& xs, const Attrs& a, T* y, const Shape& shape) {
    const auto p = perm(a, static_cast<int>(xs[0].shape.size()));
    walk(shape, 0, steps(xs[0].shape, p), [&](std::size_t out, std::size_t in) { y[out] = xs[0].data[in]; });
  }
  template <typename T>
  static void backward(const std::vector<In<T>>& xs, const T*, const T* dy, const Attrs& a, const Shape& shape,
                       const std::vector<T*>& dxs) {
    if (!dxs[0]) return;
    const auto p = perm(a, static_cast<int>(xs[0].shape.size()));
    walk(shape, 0, steps(xs[0].shape, p), [&](std::size_t out, std::size_t in) { dxs[0][in] = dy[out]; });
  }
};

// A box of x: attrs.begin and attrs.size per axis (size -1: to the end; missing entries:
// the whole axis). x: (any) -> y: (size)
struct SliceOp {
  static constexpr bool differentiable = true;
  static Shape shape(const Shapes& in, const Attrs& a) {
    const Shape& x = in[0];
    if (a.begin.size() > x.size() || a.size.size() > x.size())
      fail("begin ", json_list(a.begin), " and size ", json_list(a.size), " have more entries than the rank ",
           x.size());
    Shape out;
    for (std::size_t i = 0; i < x.size(); ++i) {
      const int start = i < a.begin.size() ? a.begin[i] : 0;
      const int length = i < a.size.size() && a.size[i] != -1 ? a.size[i] : x[i] - start;
      if (start < 0 || length < 0 || start + length > x[i])
        fail("begin ", json_list(a.begin), " and size ", json_list(a.size), " go outside a tensor of shape ",
             json_list(x), " (axis ", i, ": from ", start, ", ", length, " values, of ", x[i], ")");
      out.push_back(length);
    }
    return out;
  }
  static std::size_t first(const Shape& x, const Attrs& a) {
    const auto s = strides_of(x);
    std::size_t f = 0;
    for (std::size_t i = 0; i < a.begin.size(); ++i) f += static_cast<std::size_t>(a.begin[i]) * s[i];
    return f;
  }
  template <typename T>
  static void forward(const std::vector<In<T>>& xs, const Attrs& a, T* y, const Shape& shape) {
    walk(shape, first(xs[0].shape, a), strides_of(xs[0].shape),
         [&](std::size_t out, std::size_t in) { y[out] = xs[0].data[in]; });
  }
  template <typename T>
  static void backward(const std::vector<In<T>>& xs, const T*, const T* dy, const Attrs& a, const Shape& shape,
                       const std::vector<T*>& dxs) {
    if (!dxs[0]) return;
    std::fill(dxs[0], dxs[0] + count_of(xs[0].shape), T(0));
    walk(shape, first(xs[0].shape, a), strides_of(xs[0].shape),
         [&](std::size_t out, std::size_t in) { dxs[0][in] = dy[out]; });
  }
};

// Tensors of one rank joined along attrs.axes[0] (default 0); the other axes must match.
// xs[k]: (..., d_k, ...) -> y: (..., sum d_k, ...)
struct ConcatOp {
  static constexpr bool differentiable = true;
  static int axis_of(const Attrs& a, int rank) { return reduced_axes({a.axes.empty() ? 0 : a.axes[0]}, rank)[0]; }
  static Shape shape(const Shapes& in, const Attrs& a) {
    const int axis = axis_of(a, static_cast<int>(in[0].size()));
    Shape out = in[0];
    for (std::size_t k = 1; k < in.size(); ++k) {
      bool fits = in[k].size() == in[0].size();
      for (std::size_t i = 0; fits && i < in[0].size(); ++i) fits = static_cast<int>(i) == axis || in[k][i] == in[0][i];
      if (!fits)
        fail("tensor ", k, " has shape ", json_list(in[k]), "; expected ", json_list(in[0]), " but for axis ", axis);
      out[axis] += in[k][axis];
    }
    return out;
  }
  // Each input's rows: `outer` blocks of (its axis length * inner) values.
  template <typename T, typename Move>
  static void blocks(const std::vector<In<T>>& xs, const Attrs& a, Move move) {
    const int axis = axis_of(a, static_cast<int>(xs[0].shape.size()));
    std::size_t outer = 1;
    for (int i = 0; i < axis; ++i) outer *= static_cast<std::size_t>(xs[0].shape[i]);
    std::size_t offset = 0;
    for (std::size_t o = 0; o < outer; ++o)
      for (std::size_t k = 0; k < xs.size(); ++k) {
        const std::size_t piece = count_of(xs[k].shape) / std::max<std::size_t>(outer, 1);
        move(k, o * piece, offset, piece);
        offset += piece;
      }
  }
  template <typename T>
  static void forward(const std::vector<In<T>>& xs, const Attrs& a, T* y, const Shape&) {
    blocks(xs, a, [&](std::size_t k, std::size_t from, std::size_t to, std::size_t n) {
      std::copy(xs[k].data + from, xs[k].data + from + n, y + to);
    });
  }
  template <typename T>
  static void backward(const std::vector<In<T>>& xs, const T*, const T* dy, const Attrs& a, const Shape&,
                       const std::vector<T*>& dxs) {
    blocks(xs, a, [&](std::size_t k, std::size_t from, std::size_t to, std::size_t n) {
      if (dxs[k]) std::copy(dy + to, dy + to + n, dxs[k] + from);
    });
  }
};

// x repeated attrs.reps[i] times along each axis i. x: (d_i) -> y: (d_i * reps_i)
struct TileOp {
  static constexpr bool differentiable = true;
  static Shape shape(const Shapes& in, const Attrs& a) {
    if (a.reps.size() != in[0].size() || std::any_of(a.reps.begin(), a.reps.end(), [](int r) { return r < 0; }))
      fail("reps ", json_list(a.reps), " must give a whole number >= 0 for each of the ", in[0].size(), " axes");
    Shape out = in[0];
    for (std::size_t i = 0; i < out.size(); ++i) out[i] *= a.reps[i];
    return out;
  }
  // For each output position, the input position it copies.
  static std::vector<std::size_t> source(const Shape& x, const Shape& y) {
    const auto s = strides_of(x);
    std::vector<std::size_t> from(count_of(y));
    std::vector<int> at(y.size(), 0);
    for (std::size_t i = 0; i < from.size(); ++i) {
      std::size_t in = 0;
      for (std::size_t d = 0; d < y.size(); ++d) in += static_cast<std::size_t>(at[d] % x[d]) * s[d];
      from[i] = in;
      for (std::size_t d = y.size(); d-- > 0;)
        if (++at[d] < y[d])
          break;
        else
          at[d] = 0;
    }
    return from;
  }
  template <typename T>
  static void forward(const std::vector<In<T>>& xs, const Attrs&, T* y, const Shape& shape) {
    const auto from = source(xs[0].shape, shape);
    for (std::size_t i = 0; i < from.size(); ++i) y[i] = xs[0].data[from[i]];
  }
  template <typename T>
  static void backward(const std::vector<In<T>>& xs, const T*, const T* dy, const Attrs&, const Shape& shape,
                       const std::vector<T*>& dxs) {
    if (!dxs[0]) return;
    std::fill(dxs[0], dxs[0] + count_of(xs[0].shape), T(0));
    const auto from = source(xs[0].shape, shape);
    for (std::size_t i = 0; i < from.size(); ++i) dxs[0][from[i]] += dy[i];
  }
};

// x with attrs.paddings[2i] values before and [2i + 1] after along axis i, of the constant
// attrs.alpha. x: (d_i) -> y: (before_i + d_i + after_i)
struct PadOp {
  static constexpr bool differentiable = true;
  static Shape shape(const Shapes& in, const Attrs& a) {
    if (a.paddings.size() != 2 * in[0].size() ||
        std::any_of(a.paddings.begin(), a.paddings.end(), [](int p) { return p < 0; }))
      fail("paddings ", json_list(a.paddings), " must give [before, after] (whole numbers >= 0) for each of the ",
           in[0].size(), " axes");
    Shape out = in[0];
    for (std::size_t i = 0; i < out.size(); ++i) out[i] += a.paddings[2 * i] + a.paddings[2 * i + 1];
    return out;
  }
  // The output position of the input's first value, and the output's strides.
  static std::size_t first(const Shape& y, const Attrs& a) {
    const auto s = strides_of(y);
    std::size_t f = 0;
    for (std::size_t i = 0; i < y.size(); ++i) f += static_cast<std::size_t>(a.paddings[2 * i]) * s[i];
    return f;
  }
  template <typename T>
  static void forward(const std::vector<In<T>>& xs, const Attrs& a, T* y, const Shape& shape) {
    std::fill(y, y + count_of(shape), static_cast<T>(a.alpha));
    walk(xs[0].shape, first(shape, a), strides_of(shape),
         [&](std::size_t in, std::size_t out) { y[out] = xs[0].data[in]; });
  }
  template <typename T>
  static void backward(const std::vector<In<T>>& xs, const T*, const T* dy, const Attrs& a, const Shape& shape,
                       const std::vector<T*>& dxs) {
    if (!dxs[0]) return;
    walk(xs[0].shape, first(shape, a), strides_of(shape),
         [&](std::size_t in, std::size_t out) { dxs[0][in] = dy[out]; });
  }
};

// Slices of x along attrs.axes[0] (default 0) picked by whole-number indices (any shape).
// x: (outer, d, inner), indices: (i...) -> y: (outer, i..., inner); no gradient to indices.
struct GatherOp {
  static constexpr bool differentiable = true;
  static int axis_of(const Attrs& a, int rank) { return reduced_axes({a.axes.empty() ? 0 : a.axes[0]}, rank)[0]; }
  static Shape shape(const Shapes& in, const Attrs& a) {
    if (in[0].empty()) fail("expected x of rank 1 or more; got a scalar");
    const int axis = axis_of(a, static_cast<int>(in[0].size()));
    Shape out(in[0].begin(), in[0].begin() + axis);
    out.insert(out.end(), in[1].begin(), in[1].end());
    out.insert(out.end(), in[0].begin() + axis + 1, in[0].end());
    return out;
  }
  template <typename T, typename Move>
  static void each(const std::vector<In<T>>& xs, const Attrs& a, Move move) {
    const auto& x = xs[0].shape;
    const int axis = axis_of(a, static_cast<int>(x.size()));
    std::size_t outer = 1, inner = 1;
    for (int i = 0; i < axis; ++i) outer *= static_cast<std::size_t>(x[i]);
    for (std::size_t i = axis + 1; i < x.size(); ++i) inner *= static_cast<std::size_t>(x[i]);
    const std::size_t picks = count_of(xs[1].shape), length = static_cast<std::size_t>(x[axis]);
    for (std::size_t p = 0; p < picks; ++p) {
      const T k = xs[1].data[p];
      if (!(k >= 0 && k < static_cast<T>(length) && k == std::floor(k)))
        fail("index ", show(static_cast<double>(k)), " at position ", p, " is outside axis ", axis, " of size ", length,
             "; expected a whole number from 0 to ", length - 1);
    }
    for (std::size_t o = 0; o < outer; ++o)
      for (std::size_t p = 0; p < picks; ++p)
        move((o * length + static_cast<std::size_t>(xs[1].data[p])) * inner, (o * picks + p) * inner, inner);
  }
  template <typename T>
  static void forward(const std::vector<In<T>>& xs, const Attrs& a, T* y, const Shape&) {
    each(xs, a, [&](std::size_t from, std::size_t to, std::size_t n) {
      std::copy(xs[0].data + from, xs[0].data + from + n, y + to);
    });
  }
  template <typename T>
  static void backward(const std::vector<In<T>>& xs, const T*, const T* dy, const Attrs& a, const Shape&,
                       const std::vector<T*>& dxs) {
    if (!dxs[0]) return;
    std::fill(dxs[0], dxs[0] + count_of(xs[0].shape), T(0));
    each(xs, a, [&](std::size_t from, std::size_t to, std::size_t n) {
      for (std::size_t i = 0; i < n; ++i) dxs[0][from + i] += dy[to + i];
    });
  }
};

// where(condition, a, b): a where the condition is not 0, else b; the three broadcast.
// No gradient to the condition.
struct WhereOp {
  static constexpr bool differentiable = true;
  static Shape shape(const Shapes& in, const Attrs&) { return broadcast_shapes(broadcast_shapes(in[0], in[1]), in[2]); }
  template <typename T>
  static void forward(const std::vector<In<T>>& xs, const Attrs&, T* y, const Shape& shape) {
    std::vector<std::size_t> ic, ia, ib;
    broadcast_index(xs[0].shape, shape, ic);
    broadcast_index(xs[1].shape, shape, ia);
    broadcast_index(xs[2].shape, shape, ib);
    for (std::size_t i = 0; i < ic.size(); ++i) y[i] = xs[0].data[ic[i]] != 0 ? xs[1].data[ia[i]] : xs[2].data[ib[i]];
  }
  template <typename T>
  static void backward(const std::vector<In<T>>& xs, const T*, const T* dy, const Attrs&, const Shape& shape,
                       const std::vector<T*>& dxs) {
    std::vector<std::size_t> ic, ia, ib;
    broadcast_index(xs[0].shape, shape, ic);
    broadcast_index(xs[1].shape, shape, ia);
    broadcast_index(xs[2].shape, shape, ib);
    for (int k = 1; k <= 2; ++k)
      if (dxs[k]) std::fill(dxs[k], dxs[k] + count_of(xs[k].shape), T(0));
    for (std::size_t i = 0; i < ic.size(); ++i) {
      const bool first = xs[0].data[ic[i]] != 0;
      if (first && dxs[1]) dxs[1][ia[i]] += dy[i];
      if (!first && dxs[2]) dxs[2][ib[i]] += dy[i];
    }
  }
};

}  // namespace dl::ops
