// The layer normalization kernels over the last axis, as llm.c writes them: each row is
// normalized by its own mean and variance (no batch statistics), then scaled and shifted
// per feature. The forward keeps each row's mean and reciprocal standard deviation for
// the backward.
#pragma once

#include <cmath>
#include <cstddef>

namespace dl {

// x: (m, c) -> y: (m, c); mean, rstd: (m). gamma, beta: (c), or null for 1 and 0.
// y = gamma * (x - mean) * rstd + beta, rstd = 1 / sqrt(var + epsilon) (Keras adds
// epsilon to the variance, with the variance's 1/c).
template <typename T>
void layer_norm_forward(const T* x, const T* gamma, const T* beta, T* y, T* mean, T* rstd, int m, int c, T epsilon) {
  for (int i = 0; i < m; ++i) {
    const T* xi = x + static_cast<std::size_t>(i) * c;
    T* yi = y + static_cast<std::size_t>(i) * c;
    T sum = 0;
    for (int j = 0; j < c; ++j) sum += xi[j];
    const T mu = sum / c;
    T sum_sq = 0;
    for (int j = 0; j < c; ++j) sum_sq += (xi[j] - mu) * (xi[j] - mu);
    const T r = T(1) / std::sqrt(sum_sq / c + epsilon);
    for (int j = 0; j < c; ++j) {
      const T normalized = (xi[j] - mu) * r;
      yi[j] = (gamma ? gamma[j] : T(1)) * normalized + (beta ? beta[j] : T(0));
    }
    mean[i] = mu;
    rstd[i] = r;
  }
}

// x, dy: (m, c), mean, rstd: (m) of the forward -> dx: (m, c) (may be null), dgamma,
// dbeta: (c) (may be null), written or, with accumulate, added to. With g = dy * gamma
// and x_hat the normalized x: dx = rstd * (g - mean(g) - x_hat * mean(g * x_hat)).
template <typename T>
void layer_norm_backward(const T* x, const T* dy, const T* gamma, const T* mean, const T* rstd, T* dx, T* dgamma,
                         T* dbeta, int m, int c, bool accumulate) {
  if (!accumulate)
    for (int j = 0; j < c; ++j) {
      if (dgamma) dgamma[j] = 0;
      if (dbeta) dbeta[j] = 0;
    }
  for (int i = 0; i < m; ++i) {
    const T* xi = x + static_cast<std::size_t>(i) * c;
    const T* dyi = dy + static_cast<std::size_t>(i) * c;
    T mean_g = 0, mean_g_xhat = 0;
    for (int j = 0; j < c; ++j) {
      const T x_hat = (xi[j] - mean[i]) * rstd[i];
      const T g = dyi[j] * (gamma ? gamma[j] : T(1));
      mean_g += g;
      mean_g_xhat += g * x_hat;
      if (dgamma) dgamma[j] += dyi[j] * x_hat;
      if (dbeta) dbeta[j] += dyi[j];
    }
    mean_g /= c;
    mean_g_xhat /= c;
    if (!dx) continue;
    T* dxi = dx + static_cast<std::size_t>(i) * c;
    for (int j = 0; j < c; ++j) {
      const T x_hat = (xi[j] - mean[i]) * rstd[i];
      const T g = dyi[j] * (gamma ? gamma[j] : T(1));
      dxi[j] = rstd[i] * (g - mean_g - x_hat * mean_g_xhat);
    }
  }
}

}  // namespace dl
