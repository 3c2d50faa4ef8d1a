// The merge kernels: several tensors into one, element by element (Add, Subtract,
// Multiply, Average, Maximum, Minimum), side by side (Concatenate), or by dot products
// (Dot). Templates over the value type, so that the gradient checks run them in double.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <vector>

namespace dl {

enum class MergeOp { add, subtract, multiply, average, maximum, minimum };

// Element-wise merges. xs[k]: input k; at[k]: for each of the n output values, the value
// of input k it reads (null: the same index, an input of the output's shape; otherwise
// a broadcast input, as merge_broadcast_index gives).
//
// xs: K tensors broadcasting to y: (n values) -> y
//   add: sum_k xs[k]   subtract: xs[0] - xs[1]   multiply: prod_k xs[k]
//   average: sum_k xs[k] / K   maximum / minimum: the largest / smallest xs[k]
template <typename T>
void merge_forward(MergeOp op, const std::vector<const T*>& xs, const std::vector<const std::size_t*>& at, T* y,
                   std::size_t n) {
  auto value = [&](std::size_t k, std::size_t i) { return xs[k][at[k] ? at[k][i] : i]; };
  const std::size_t inputs = xs.size();
  for (std::size_t i = 0; i < n; ++i) {
    T v = value(0, i);
    for (std::size_t k = 1; k < inputs; ++k) {
      const T w = value(k, i);
      switch (op) {
        case MergeOp::add:
        case MergeOp::average: v += w; break;
        case MergeOp::subtract: v -= w; break;
        case MergeOp::multiply: v *= w; break;
        case MergeOp::maximum: v = w > v ? w : v; break;
        case MergeOp::minimum: v = w < v ? w : v; break;
      }
    }
    y[i] = op == MergeOp::average ? v / static_cast<T>(inputs) : v;
  }
}

// dy: (n) -> dxs[k]: the gradient with respect to xs[k], of sizes[k] values (a broadcast
// input sums the gradients of every output value that read it). Maximum and minimum send
// each value's gradient to the first input holding the winning value. Null dxs[k]: skipped.
template <typename T>
void merge_backward(MergeOp op, const std::vector<const T*>& xs, const std::vector<const std::size_t*>& at, const T* dy,
                    const std::vector<T*>& dxs, const std::vector<std::size_t>& sizes, std::size_t n) {
  const std::size_t inputs = xs.size();
  auto value = [&](std::size_t k, std::size_t i) { return xs[k][at[k] ? at[k][i] : i]; };
  for (std::size_t k = 0; k < inputs; ++k)
    if (dxs[k]) std::fill(dxs[k], dxs[k] + sizes[k], T(0));
  for (std::size_t i = 0; i < n; ++i) {
    std::size_t winner = 0;
    if (op == MergeOp::maximum || op == MergeOp::minimum) {
      T best = value(0, i);
      for (std::size_t k = 1; k < inputs; ++k) {
        const T w = value(k, i);
        if (op == MergeOp::maximum ? w > best : w < best) {
          best = w;
          winner = k;
        }
      }
    }
    for (std::size_t k = 0; k < inputs; ++k) {
      if (!dxs[k]) continue;
      T g = dy[i];
      switch (op) {
        case MergeOp::add: break;
        case MergeOp::average: g /= static_cast<T>(inputs); break;
        case MergeOp::subtract: g = k == 0 ? g : -g; break;
        case MergeOp::multiply:
          for (std::size_t j = 0; j < inputs; ++j)
            if (j != k) g *= value(j, i);
          break;
        case MergeOp::maximum:
        case MergeOp::minimum: g = k == winner ? g : T(0); break;
      }
      dxs[k][at[k] ? at[k][i] : i] += g;
    }
  }
}

// For an input of shape `in` broadcast to `out` (both with the batch first and of the
// same rank, each of in's dimensions equal to out's or 1): the index into the input of
// each output value.
inline std::vector<std::size_t> merge_broadcast_index(const std::vector<int>& out, const std::vector<int>& in) {
  const std::size_t rank = out.size();
  std::vector<std::size_t> stride(rank, 0);
  std::size_t step = 1;
  for (std::size_t d = rank; d-- > 0;) {
    stride[d] = in[d] == 1 && out[d] != 1 ? 0 : step;
    step *= static_cast<std::size_t>(in[d]);
  }
  std::size_t total = 1;
  for (int d : out) total *= static_cast<std::size_t>(d);
  std::vector<std::size_t> index(total);
  std::vector<int> position(rank, 0);
  std::size_t offset = 0;
  for (std::size_t i = 0; i < total; ++i) {
    index[i] = offset;
    for (std::size_t d = rank; d-- > 0;) {
      offset += stride[d];
      if (++position[d] < out[d]) break;
      offset -= stride[d] * static_cast<std::size_t>(out[d]);
      position[d] = 0;
    }
  }
  return index;
}

// Concatenation along one axis. Each input is (outer, widths[k] * inner) as a matrix:
// outer is the product of the dimensions before the axis (the batch included), inner of
// those after it.
// xs[k]: (outer, widths[k], inner) -> y: (outer, sum widths, inner)
template <typename T>
void concatenate_forward(const std::vector<const T*>& xs, const std::vector<int>& widths, T* y, std::size_t outer,
                         std::size_t inner) {
  std::size_t total = 0;
  for (int w : widths) total += static_cast<std::size_t>(w);
  for (std::size_t o = 0; o < outer; ++o) {
    T* row = y + o * total * inner;
    for (std::size_t k = 0; k < xs.size(); ++k) {
      const std::size_t block = static_cast<std::size_t>(widths[k]) * inner;
      std::copy_n(xs[k] + o * block, block, row);
      row += block;
    }
  }
}

// dy: (outer, sum widths, inner) -> dxs[k]: (outer, widths[k], inner); null dxs[k]: skipped.
template <typename T>
void concatenate_backward(const T* dy, const std::vector<int>& widths, const std::vector<T*>& dxs, std::size_t outer,
                          std::size_t inner) {
  std::size_t total = 0;
  for (int w : widths) total += static_cast<std::size_t>(w);
  for (std::size_t o = 0; o < outer; ++o) {
    const T* row = dy + o * total * inner;
    for (std::size_t k = 0; k < dxs.size(); ++k) {
      const std::size_t block = static_cast<std::size_t>(widths[k]) * inner;
      if (dxs[k]) std::copy_n(row, block, dxs[k] + o * block);
      row += block;
    }
  }
}

// One sample's operand of a batched dot product, as a matrix of `rows` vectors of
// `depth` values that are summed over: value (r, k) sits at r * row_step + k * depth_step.
struct DotOperand {
  int rows = 1, depth = 1;
  std::size_t row_step = 0, depth_step = 1;
  std::size_t size() const { return static_cast<std::size_t>(rows) * depth; }
};

// Divides each vector of a by its length: v / sqrt(max(sum v^2, 1e-12)), as TensorFlow's
// l2_normalize. x: (count, a.size()) -> out: the same.
template <typename T>
void l2_normalize_forward(const T* x, T* out, const DotOperand& a, int count) {
  for (int s = 0; s < count; ++s) {
    const T* v = x + s * a.size();
    T* u = out + s * a.size();
    for (int r = 0; r < a.rows; ++r) {
      T sum = 0;
      for (int k = 0; k < a.depth; ++k)
        sum += v[r * a.row_step + k * a.depth_step] * v[r * a.row_step + k * a.depth_step];
      const T scale = T(1) / std::sqrt(std::max(sum, T(1e-12)));
      for (int k = 0; k < a.depth; ++k)
        u[r * a.row_step + k * a.depth_step] = v[r * a.row_step + k * a.depth_step] * scale;
    }
  }
}

// du: the gradient with respect to l2_normalize_forward's output -> dx (overwritten).
// Where the length is above the floor, dx = (du - u (u . du)) / |v|; below it, du / 1e-6.
template <typename T>
void l2_normalize_backward(const T* x, const T* du, T* dx, const DotOperand& a, int count) {
  for (int s = 0; s < count; ++s) {
    const T* v = x + s * a.size();
    const T* g = du + s * a.size();
    T* d = dx + s * a.size();
    for (int r = 0; r < a.rows; ++r) {
      auto at = [&](int k) { return r * a.row_step + k * a.depth_step; };
      T sum = 0;
      for (int k = 0; k < a.depth; ++k) sum += v[at(k)] * v[at(k)];
      if (sum <= T(1e-12)) {
        for (int k = 0; k < a.depth; ++k) d[at(k)] = g[at(k)] / std::sqrt(T(1e-12));
        continue;
      }
      const T length = std::sqrt(sum);
      T projection = 0;
      for (int k = 0; k < a.depth; ++k) projection += v[at(k)] * g[at(k)];
      projection /= length;
      for (int k = 0; k < a.depth; ++k) d[at(k)] = (g[at(k)] - v[at(k)] / length * projection) / length;
    }
  }
}

// Batched dot products: for each of `count` samples, y[p, q] = sum_k x[p, k] * w[q, k].
// x: (count, a), w: (count, b) with a.depth == b.depth -> y: (count, a.rows, b.rows)
template <typename T>
void dot_forward(const T* x, const T* w, T* y, const DotOperand& a, const DotOperand& b, int count) {
  for (int s = 0; s < count; ++s) {
    const T* xs = x + s * a.size();
    const T* ws = w + s * b.size();
    T* ys = y + static_cast<std::size_t>(s) * a.rows * b.rows;
    for (int p = 0; p < a.rows; ++p)
      for (int q = 0; q < b.rows; ++q) {
        T sum = 0;
        for (int k = 0; k < a.depth; ++k)
          sum += xs[p * a.row_step + k * a.depth_step] * ws[q * b.row_step + k * b.depth_step];
        ys[p * b.rows + q] = sum;
      }
  }
}

// dy: (count, a.rows, b.rows) -> dx: dy w, dw: dy^T x (each overwritten; null: skipped).
template <typename T>
void dot_backward(const T* x, const T* w, const T* dy, T* dx, T* dw, const DotOperand& a, const DotOperand& b,
                  int count) {
  for (int s = 0; s < count; ++s) {
    const T* xs = x + s * a.size();
    const T* ws = w + s * b.size();
    const T* g = dy + static_cast<std::size_t>(s) * a.rows * b.rows;
    if (dx) {
      T* d = dx + s * a.size();
      for (int p = 0; p < a.rows; ++p)
        for (int k = 0; k < a.depth; ++k) {
          T sum = 0;
          for (int q = 0; q < b.rows; ++q) sum += g[p * b.rows + q] * ws[q * b.row_step + k * b.depth_step];
          d[p * a.row_step + k * a.depth_step] = sum;
        }
    }
    if (dw) {
      T* d = dw + s * b.size();
      for (int q = 0; q < b.rows; ++q)
        for (int k = 0; k < a.depth; ++k) {
          T sum = 0;
          for (int p = 0; p < a.rows; ++p) sum += g[p * b.rows + q] * xs[p * a.row_step + k * a.depth_step];
          d[q * b.row_step + k * b.depth_step] = sum;
        }
    }
  }
}

}  // namespace dl
