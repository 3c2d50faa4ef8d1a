// The 1D convolution kernels over sequences, channels-last as Keras: x (N, T, C) with a
// kernel (K, C, F) gives z (N, T', F), with strides and dilation. The fast path lays each
// step's receptive field out as a row (im2col, K*C values) and multiplies by the kernel
// seen as a (K*C, F) matrix (dense.h: the engine's sgemm in float); the direct loop at the
// end is the reference the tests hold it to. Padding: valid, same (split as TensorFlow,
// the extra step at the end) or causal (all (K-1)*dilation zeros before the sequence, so
// that step t sees only steps <= t).
#pragma once

#include <algorithm>
#include <string>
#include <vector>

#include "kernels/conv2d.h"

namespace dl {

enum class Padding1D { valid, same, causal };

struct Conv1DGeometry {
  int n = 0, t = 0, c = 0;  // input
  int k = 0, f = 0;         // kernel length and filters
  int stride = 1, dilation = 1;
  int out = 0, pad_left = 0;  // output steps; zeros before the first step
  int patch() const { return k * c; }
  int span() const { return (k - 1) * dilation + 1; }  // steps one window covers
};

// Output length and left padding as Keras computes them; throws naming `where` when a
// valid window is longer than the sequence.
Conv1DGeometry conv1d_geometry(int t, int c, int k, int f, int stride, int dilation, Padding1D padding,
                               const std::string& where);

// x: one sample (T, C) -> cols: (T', K*C), zeros where the window leaves x.
template <typename T>
void im2col_1d(const T* x, T* cols, const Conv1DGeometry& g) {
  for (int o = 0; o < g.out; ++o) {
    T* row = cols + static_cast<std::size_t>(o) * g.patch();
    for (int j = 0; j < g.k; ++j) {
      const int i = o * g.stride - g.pad_left + j * g.dilation;
      if (i < 0 || i >= g.t)
        std::fill(row + j * g.c, row + (j + 1) * g.c, T(0));
      else
        copy_short(x + static_cast<std::size_t>(i) * g.c, g.c, row + j * g.c);
    }
  }
}

// The adjoint of im2col_1d: adds each row of cols back into the (T, C) sample dx.
template <typename T>
void col2im_1d_add(const T* cols, T* dx, const Conv1DGeometry& g) {
  for (int o = 0; o < g.out; ++o) {
    const T* row = cols + static_cast<std::size_t>(o) * g.patch();
    for (int j = 0; j < g.k; ++j) {
      const int i = o * g.stride - g.pad_left + j * g.dilation;
      if (i >= 0 && i < g.t) add_short(row + j * g.c, g.c, dx + static_cast<std::size_t>(i) * g.c);
    }
  }
}

// A few samples at a time, about a thousand rows per product (as conv_chunk).
inline int conv1d_chunk(const Conv1DGeometry& g) { return std::max(1, std::min(g.n, 1024 / std::max(1, g.out))); }

// x: (N, T, C), w: (K, C, F), b: (F) -> z: (N, T', F)
template <typename T>
void conv1d_forward(const T* x, const T* w, const T* b, T* z, const Conv1DGeometry& g) {
  const int chunk = conv1d_chunk(g);
  std::vector<T>& cols = conv_scratch<T>(0, static_cast<std::size_t>(chunk) * g.out * g.patch());
  const std::size_t in_stride = static_cast<std::size_t>(g.t) * g.c, out_stride = static_cast<std::size_t>(g.out) * g.f;
  const std::size_t col_stride = static_cast<std::size_t>(g.out) * g.patch();
  for (int s0 = 0; s0 < g.n; s0 += chunk) {
    const int count = std::min(chunk, g.n - s0);
    for (int s = 0; s < count; ++s) im2col_1d(x + (s0 + s) * in_stride, cols.data() + s * col_stride, g);
    dense_forward(cols.data(), w, b, z + s0 * out_stride, count * g.out, g.patch(), g.f);
  }
}

// dz: (N, T', F) -> dx: (N, T, C) (may be null), dw: (K, C, F), db: (F).
// With accumulate, dw and db are added to rather than overwritten.
template <typename T>
void conv1d_backward(const T* x, const T* w, const T* dz, T* dx, T* dw, T* db, const Conv1DGeometry& g,
                     bool accumulate = false) {
  const int chunk = conv1d_chunk(g), k = g.patch();
  std::vector<T>& cols = conv_scratch<T>(0, static_cast<std::size_t>(chunk) * g.out * k);
  std::vector<T>& dcols = conv_scratch<T>(1, dx ? static_cast<std::size_t>(chunk) * g.out * k : 0);
  const std::size_t in_stride = static_cast<std::size_t>(g.t) * g.c, out_stride = static_cast<std::size_t>(g.out) * g.f;
  const std::size_t col_stride = static_cast<std::size_t>(g.out) * k;
  if (dx) std::fill(dx, dx + in_stride * g.n, T(0));
  for (int s0 = 0; s0 < g.n; s0 += chunk) {
    const int count = std::min(chunk, g.n - s0);
    for (int s = 0; s < count; ++s) im2col_1d(x + (s0 + s) * in_stride, cols.data() + s * col_stride, g);
    dense_backward(cols.data(), w, dz + s0 * out_stride, dx ? dcols.data() : nullptr, dw, db, count * g.out, k, g.f,
                   accumulate || s0 > 0);
    if (dx)
      for (int s = 0; s < count; ++s) col2im_1d_add(dcols.data() + s * col_stride, dx + (s0 + s) * in_stride, g);
  }
}

// The reference: z[s, o, f] = b[f] + sum_j sum_c x[s, o*stride - pad_left + j*dilation, c] w[j, c, f].
template <typename T>
void conv1d_forward_reference(const T* x, const T* w, const T* b, T* z, const Conv1DGeometry& g) {
  for (int s = 0; s < g.n; ++s)
    for (int o = 0; o < g.out; ++o)
      for (int fo = 0; fo < g.f; ++fo) {
        T sum = b[fo];
        for (int j = 0; j < g.k; ++j) {
          const int i = o * g.stride - g.pad_left + j * g.dilation;
          if (i < 0 || i >= g.t) continue;
          for (int ci = 0; ci < g.c; ++ci)
            sum += x[(static_cast<std::size_t>(s) * g.t + i) * g.c + ci] *
                   w[(static_cast<std::size_t>(j) * g.c + ci) * g.f + fo];
        }
        z[(static_cast<std::size_t>(s) * g.out + o) * g.f + fo] = sum;
      }
}

}  // namespace dl
