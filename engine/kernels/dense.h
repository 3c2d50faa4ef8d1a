// The dense (fully connected) kernels: z = x w + b and its gradients. In float the
// products run on the engine's own SIMD kernel (gemm.h); in double (the gradient checks)
// on Eigen, which is the reference.
#pragma once

#include <Eigen/Core>
#include <algorithm>
#include <type_traits>

#include "kernels/gemm.h"

namespace dl {

template <typename T>
using RowMatrix = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
template <typename T>
using RowVector = Eigen::Matrix<T, 1, Eigen::Dynamic>;

// x: (n, in), w: (in, out), b: (out) -> z: (n, out);  z = x w + b
// In float the products run on the engine's own SIMD kernel (gemm.h); in double (the
// gradient checks) on Eigen.
template <typename T>
void dense_forward(const T* x, const T* w, const T* b, T* z, int n, int in, int out) {
  Eigen::Map<RowMatrix<T>> Z(z, n, out);
  Eigen::Map<const RowVector<T>> B(b, out);
  if constexpr (std::is_same_v<T, float>) {
    sgemm(false, false, n, out, in, x, in, w, out, z, out, false);
  } else {
    Eigen::Map<const RowMatrix<T>> X(x, n, in), W(w, in, out);
    Z.noalias() = X * W;
  }
  Z.rowwise() += B;
}

// dz: (n, out) -> dx: (n, in), dw: (in, out), db: (out)
// dx = dz w^T,  dw = x^T dz,  db = column sums of dz. dx may be null (first layer). With
// accumulate, dw and db are added to rather than overwritten.
template <typename T>
void dense_backward(const T* x, const T* w, const T* dz, T* dx, T* dw, T* db, int n, int in, int out,
                    bool accumulate = false) {
  Eigen::Map<const RowMatrix<T>> DZ(dz, n, out);
  // Row by row, so that the compiler vectorizes the sum along the contiguous columns.
  if (!accumulate) std::fill(db, db + out, T(0));
  for (int i = 0; i < n; ++i) {
    const T* row = dz + static_cast<std::size_t>(i) * out;
    for (int j = 0; j < out; ++j) db[j] += row[j];
  }
  if constexpr (std::is_same_v<T, float>) {
    sgemm(true, false, in, out, n, x, in, dz, out, dw, out, accumulate);
    if (dx) sgemm(false, true, n, in, out, dz, out, w, out, dx, in, false);
  } else {
    Eigen::Map<const RowMatrix<T>> X(x, n, in), W(w, in, out);
    Eigen::Map<RowMatrix<T>> DW(dw, in, out);
    if (accumulate)
      DW.noalias() += X.transpose() * DZ;
    else
      DW.noalias() = X.transpose() * DZ;
    if (dx) {
      Eigen::Map<RowMatrix<T>> DX(dx, n, in);
      DX.noalias() = DZ * W.transpose();
    }
  }
}

}  // namespace dl
