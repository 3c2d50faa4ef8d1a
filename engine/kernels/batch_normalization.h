// The batch normalization kernels over the last axis: normalize with given statistics,
// scale and shift, and the gradient through the batch statistics.
#pragma once

#include <cmath>
#include <cstddef>

namespace dl {

// x: (m, c) -> y: (m, c); mean, inv_std: (c) as computed; x_hat: (m, c) normalized x.
// y = gamma * x_hat + beta with x_hat = (x - mean) * inv_std, inv_std = 1 / sqrt(var + eps).
template <typename T>
void batch_norm_forward(const T* x, const T* gamma, const T* beta, T* y, T* x_hat, T* mean, T* inv_std, int m, int c,
                        T epsilon) {
  for (int j = 0; j < c; ++j) {
    T sum = 0, sum_sq = 0;
    for (int i = 0; i < m; ++i) sum += x[static_cast<std::size_t>(i) * c + j];
    mean[j] = sum / m;
    for (int i = 0; i < m; ++i) {
      T d = x[static_cast<std::size_t>(i) * c + j] - mean[j];
      sum_sq += d * d;
    }
    inv_std[j] = T(1) / std::sqrt(sum_sq / m + epsilon);
  }
  for (int i = 0; i < m; ++i)
    for (int j = 0; j < c; ++j) {
      const std::size_t k = static_cast<std::size_t>(i) * c + j;
      x_hat[k] = (x[k] - mean[j]) * inv_std[j];
      y[k] = gamma[j] * x_hat[k] + beta[j];
    }
}

// x, dy: (m, c) -> dx: (m, c) (may be null), dgamma, dbeta: (c), through the batch
// statistics of the forward (mean, inv_std), with x_hat recomputed from x:
// dx = gamma * inv_std / m * (m dy - sum(dy) - x_hat * sum(dy * x_hat)).
template <typename T>
void batch_norm_backward(const T* x, const T* dy, const T* gamma, const T* mean, const T* inv_std, T* dx, T* dgamma,
                         T* dbeta, int m, int c) {
  for (int j = 0; j < c; ++j) {
    T sum_dy = 0, sum_dy_xhat = 0;
    for (int i = 0; i < m; ++i) {
      const std::size_t k = static_cast<std::size_t>(i) * c + j;
      sum_dy += dy[k];
      sum_dy_xhat += dy[k] * (x[k] - mean[j]) * inv_std[j];
    }
    dgamma[j] = sum_dy_xhat;
    dbeta[j] = sum_dy;
    if (!dx) continue;
    const T scale = gamma[j] * inv_std[j] / m;
    for (int i = 0; i < m; ++i) {
      const std::size_t k = static_cast<std::size_t>(i) * c + j;
      dx[k] = scale * (m * dy[k] - sum_dy - (x[k] - mean[j]) * inv_std[j] * sum_dy_xhat);
    }
  }
}

}  // namespace dl
