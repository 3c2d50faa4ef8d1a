// matMul as TensorFlow.js has it: a (..., M, K) times b (..., K, N) -> y (..., M, N), with
// a or b transposed first (attrs.transpose_a: a is (..., K, M); transpose_b: b is
// (..., N, K)) and the batch dimensions before the last two broadcast together.
//
// With A' = op(a), B' = op(b) and Y = A' B' for each batch:
//   dA' = dY B'^T, dB' = A'^T dY
// written back through the transposes (dA = dA'^T when a was transposed); a batch that
// several outputs read (a broadcast batch) gets the sum of their gradients.
#pragma once

#include <algorithm>
#include <type_traits>
#include <vector>

#include "core/error.h"
#include "kernels/gemm.h"
#include "ops/broadcast.h"
#include "ops/op.h"

namespace dl::ops {

// C (m x n) [+]= op(A) (m x k) op(B) (k x n), row-major, A and B stored as op says: the
// engine's fast kernel in float, the plain triple loop in double (the reference).
template <typename T>
void gemm(bool trans_a, bool trans_b, int m, int n, int k, const T* a, const T* b, T* c, bool accumulate) {
  const int lda = trans_a ? m : k, ldb = trans_b ? k : n;
  if constexpr (std::is_same_v<T, float>) {
    sgemm(trans_a, trans_b, m, n, k, a, lda, b, ldb, c, n, accumulate);
  } else {
    for (int i = 0; i < m; ++i)
      for (int j = 0; j < n; ++j) {
        T sum = accumulate ? c[i * n + j] : T(0);
        for (int p = 0; p < k; ++p)
          sum += (trans_a ? a[p * lda + i] : a[i * lda + p]) * (trans_b ? b[j * ldb + p] : b[p * ldb + j]);
        c[i * n + j] = sum;
      }
  }
}

struct MatMulOp {
  static constexpr bool differentiable = true;

  struct Dims {
    int m, n, k;
    Shape batch;                                // the broadcast batch dimensions
    std::vector<std::size_t> batch_a, batch_b;  // for each output batch, the batch of a and b it reads
  };

  static Dims dims(const Shape& a, const Shape& b, const Attrs& attrs) {
    if (a.size() < 2 || b.size() < 2)
      fail("expected a and b of rank 2 or more; got shapes ", json_list(a), " and ", json_list(b));
    const int ra = static_cast<int>(a.size()), rb = static_cast<int>(b.size());
    Dims d;
    d.m = attrs.transpose_a ? a[ra - 1] : a[ra - 2];
    const int ka = attrs.transpose_a ? a[ra - 2] : a[ra - 1];
    const int kb = attrs.transpose_b ? b[rb - 1] : b[rb - 2];
    d.n = attrs.transpose_b ? b[rb - 2] : b[rb - 1];
    if (ka != kb)
      fail("the inner dimensions of a ", json_list(a), " and b ", json_list(b), " must match",
           attrs.transpose_a || attrs.transpose_b ? " (after the transposes asked for)" : "", "; got ", ka, " and ",
           kb);
    d.k = ka;
    const Shape batch_a(a.begin(), a.end() - 2), batch_b(b.begin(), b.end() - 2);
    d.batch = broadcast_shapes(batch_a, batch_b);
    broadcast_index(batch_a, d.batch, d.batch_a);
    broadcast_index(batch_b, d.batch, d.batch_b);
    return d;
  }

  static Shape shape(const Shapes& in, const Attrs& attrs) {
    Dims d = dims(in[0], in[1], attrs);
    d.batch.push_back(d.m);
    d.batch.push_back(d.n);
    return d.batch;
  }

  template <typename T>
  static void forward(const std::vector<In<T>>& xs, const Attrs& attrs, T* y, const Shape&) {
    const Dims d = dims(xs[0].shape, xs[1].shape, attrs);
    const std::size_t sa = static_cast<std::size_t>(d.m) * d.k, sb = static_cast<std::size_t>(d.k) * d.n,
                      sy = static_cast<std::size_t>(d.m) * d.n;
    for (std::size_t i = 0; i < d.batch_a.size(); ++i)
      gemm(attrs.transpose_a, attrs.transpose_b, d.m, d.n, d.k, xs[0].data + d.batch_a[i] * sa,
           xs[1].data + d.batch_b[i] * sb, y + i * sy, false);
  }

  template <typename T>
  static void backward(const std::vector<In<T>>& xs, const T*, const T* dy, const Attrs& attrs, const Shape&,
                       const std::vector<T*>& dxs) {
    const Dims d = dims(xs[0].shape, xs[1].shape, attrs);
    const bool ta = attrs.transpose_a, tb = attrs.transpose_b;
    const T* a = xs[0].data;
    const T* b = xs[1].data;
    const std::size_t sa = static_cast<std::size_t>(d.m) * d.k, sb = static_cast<std::size_t>(d.k) * d.n,
                      sy = static_cast<std::size_t>(d.m) * d.n;
    // One product (no batch): each gradient is written at once; else they are summed over
    // the batches that read the same a or b.
    const bool sum = d.batch_a.size() > 1;
    if (sum && dxs[0]) std::fill(dxs[0], dxs[0] + count_of(xs[0].shape), T(0));
    if (sum && dxs[1]) std::fill(dxs[1], dxs[1] + count_of(xs[1].shape), T(0));
    for (std::size_t i = 0; i < d.batch_a.size(); ++i) {
      const T* ai = a + d.batch_a[i] * sa;
      const T* bi = b + d.batch_b[i] * sb;
      const T* g = dy + i * sy;
      if (T* da = dxs[0] ? dxs[0] + d.batch_a[i] * sa : nullptr) {
        if (!ta)
          gemm(false, !tb, d.m, d.k, d.n, g, bi, da, sum);  // dA (m x k) = dY B'^T
        else
          gemm(tb, true, d.k, d.m, d.n, bi, g, da, sum);  // dA (k x m) = B' dY^T
      }
      if (T* db = dxs[1] ? dxs[1] + d.batch_b[i] * sb : nullptr) {
        if (!tb)
          gemm(!ta, false, d.k, d.n, d.m, ai, g, db, sum);  // dB (k x n) = A'^T dY
        else
          gemm(true, ta, d.n, d.k, d.m, g, ai, db, sum);  // dB (n x k) = dY^T A'
      }
    }
  }
};

}  // namespace dl::ops
