// The transposed convolution (Keras' Conv2DTranspose), channels-last: x (N, H, W, C) with
// a kernel (KH, KW, F, C) gives y (N, OH, OW, F). It is the gradient of a convolution with
// respect to that convolution's input: the convolution taking (OH, OW, F) images to
// (H, W, C) with the same kernel, which Keras stores (KH, KW, F, C) for this reason. So a
// ConvGeometry describes it from the convolution's side: g.h, g.w, g.c are the transposed
// convolution's output (OH, OW, F) and g.oh, g.ow, g.f its input (H, W, C).
//
// forward:  y = col2im(x w^T) + b        (each input pixel scatters a weighted window)
// backward: dx = conv2d(dy, w),  dw = im2col(dy)^T x,  db = sums of dy
// The backward pass is conv2d's own kernels; conv2d_transpose_forward_reference scatters
// one value at a time and is what the tests hold the fast path to.
#pragma once

#include <Eigen/Core>
#include <type_traits>
#include <vector>

#include "kernels/conv2d.h"

namespace dl {

// Keras' output length of one axis: valid: in*s + max(k - s, 0); same: in*s.
inline int conv_transpose_length(int in, int k, int stride, Padding padding) {
  return padding == Padding::same ? in * stride : in * stride + std::max(k - stride, 0);
}

// c (m, n) = a (m, k) b^T, b stored (n, k). The engine's sgemm in float, Eigen in double.
template <typename T>
void multiply_transposed(const T* a, const T* b, T* c, int m, int n, int k) {
  if constexpr (std::is_same_v<T, float>) {
    sgemm(false, true, m, n, k, a, k, b, k, c, n, false);
  } else {
    Eigen::Map<const RowMatrix<T>> A(a, m, k), B(b, n, k);
    Eigen::Map<RowMatrix<T>> C(c, m, n);
    C.noalias() = A * B.transpose();
  }
}

// x: (N, H, W, C), w: (KH, KW, F, C), b: (F) -> y: (N, OH, OW, F)
template <typename T>
void conv2d_transpose_forward(const T* x, const T* w, const T* b, T* y, const ConvGeometry& g) {
  const int rows = g.oh * g.ow, k = g.patch(), chunk = conv_chunk(g);
  std::vector<T>& cols = conv_scratch<T>(0, static_cast<std::size_t>(chunk) * rows * k);
  const std::size_t in_stride = static_cast<std::size_t>(rows) * g.f;
  const std::size_t out_stride = static_cast<std::size_t>(g.h) * g.w * g.c;
  const std::size_t col_stride = static_cast<std::size_t>(rows) * k;
  std::fill(y, y + out_stride * g.n, T(0));
  for (int s0 = 0; s0 < g.n; s0 += chunk) {
    const int count = std::min(chunk, g.n - s0);
    multiply_transposed(x + s0 * in_stride, w, cols.data(), count * rows, k, g.f);
    for (int s = 0; s < count; ++s) col2im_add(cols.data() + s * col_stride, y + (s0 + s) * out_stride, g);
  }
  for (std::size_t p = 0; p < out_stride / g.c * g.n; ++p)
    for (int fo = 0; fo < g.c; ++fo) y[p * g.c + fo] += b[fo];
}

// dy: (N, OH, OW, F) -> dx: (N, H, W, C) (may be null), dw: (KH, KW, F, C), db: (F).
// With accumulate, dw and db are added to rather than overwritten.
template <typename T>
void conv2d_transpose_backward(const T* x, const T* w, const T* dy, T* dx, T* dw, T* db, const ConvGeometry& g,
                               bool accumulate = false) {
  if (dx) {
    const std::vector<T> no_bias(g.f, T(0));
    conv2d_forward(dy, w, no_bias.data(), dx, g);
  }
  std::vector<T> unused(g.f);
  conv2d_backward(dy, w, x, static_cast<T*>(nullptr), dw, unused.data(), g, accumulate);
  if (!accumulate) std::fill(db, db + g.c, T(0));
  const std::size_t pixels = static_cast<std::size_t>(g.n) * g.h * g.w;
  for (std::size_t p = 0; p < pixels; ++p)
    for (int fo = 0; fo < g.c; ++fo) db[fo] += dy[p * g.c + fo];
}

// The reference: every input value x[s, i, j, ci] adds x * w[ky, kx, fo, ci] to
// y[s, i*sh - pad_top + ky, j*sw - pad_left + kx, fo] where that lies inside y.
template <typename T>
void conv2d_transpose_forward_reference(const T* x, const T* w, const T* b, T* y, const ConvGeometry& g) {
  for (std::size_t p = 0; p < static_cast<std::size_t>(g.n) * g.h * g.w; ++p)
    for (int fo = 0; fo < g.c; ++fo) y[p * g.c + fo] = b[fo];
  for (int s = 0; s < g.n; ++s)
    for (int i = 0; i < g.oh; ++i)
      for (int j = 0; j < g.ow; ++j)
        for (int ky = 0; ky < g.kh; ++ky)
          for (int kx = 0; kx < g.kw; ++kx) {
            const int oy = i * g.sh - g.pad_top + ky, ox = j * g.sw - g.pad_left + kx;
            if (oy < 0 || oy >= g.h || ox < 0 || ox >= g.w) continue;
            for (int fo = 0; fo < g.c; ++fo)
              for (int ci = 0; ci < g.f; ++ci)
                y[((static_cast<std::size_t>(s) * g.h + oy) * g.w + ox) * g.c + fo] +=
                    x[((static_cast<std::size_t>(s) * g.oh + i) * g.ow + j) * g.f + ci] *
                    w[((static_cast<std::size_t>(ky) * g.kw + kx) * g.c + fo) * g.f + ci];
          }
}

}  // namespace dl
