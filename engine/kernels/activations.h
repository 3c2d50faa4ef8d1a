// Activations: the element-wise non-linearities and the row-wise softmax, as plain
// forward/backward function pairs (templates, so that tests can check gradients in double
// precision; they are the reference), and their application to a whole tensor, where
// relu runs four lanes at a time.
#pragma once

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "core/tensor.h"

namespace dl {

enum class ActivationKind { linear, relu, leaky_relu, elu, sigmoid, tanh, softmax };

// Throws with the list of known names when `name` is not one of them; `where` names the
// layer or argument for the message.
ActivationKind activation_from_name(const std::string& name, const std::string& where);
const char* activation_name(ActivationKind kind);
std::vector<std::string> activation_names();

// Keras' defaults for the slope of leaky_relu and the scale of elu.
constexpr float kLeakyReluAlpha = 0.2f;
constexpr float kEluAlpha = 1.0f;

// x: (n, d) -> y: (n, d). softmax normalizes each row; the rest act element by element.
// y may be x (in place).
template <typename T>
void activation_forward(ActivationKind kind, const T* x, T* y, int n, int d) {
  const std::size_t count = static_cast<std::size_t>(n) * d;
  switch (kind) {
    case ActivationKind::linear: std::copy(x, x + count, y); break;
    case ActivationKind::relu:
      for (std::size_t i = 0; i < count; ++i) y[i] = x[i] > T(0) ? x[i] : T(0);
      break;
    case ActivationKind::leaky_relu:
      for (std::size_t i = 0; i < count; ++i) y[i] = x[i] > T(0) ? x[i] : T(kLeakyReluAlpha) * x[i];
      break;
    case ActivationKind::elu:
      for (std::size_t i = 0; i < count; ++i) y[i] = x[i] > T(0) ? x[i] : T(kEluAlpha) * (std::exp(x[i]) - T(1));
      break;
    case ActivationKind::sigmoid:
      // Written so that exp never overflows: for x < 0 use e^x / (1 + e^x).
      for (std::size_t i = 0; i < count; ++i) {
        if (x[i] >= T(0)) {
          y[i] = T(1) / (T(1) + std::exp(-x[i]));
        } else {
          T e = std::exp(x[i]);
          y[i] = e / (T(1) + e);
        }
      }
      break;
    case ActivationKind::tanh:
      for (std::size_t i = 0; i < count; ++i) y[i] = std::tanh(x[i]);
      break;
    case ActivationKind::softmax:
      // Subtracting the row maximum keeps exp in range without changing the result.
      for (int r = 0; r < n; ++r) {
        const T* xr = x + static_cast<std::size_t>(r) * d;
        T* yr = y + static_cast<std::size_t>(r) * d;
        T top = *std::max_element(xr, xr + d);
        T sum = 0;
        for (int j = 0; j < d; ++j) {
          yr[j] = std::exp(xr[j] - top);
          sum += yr[j];
        }
        for (int j = 0; j < d; ++j) yr[j] /= sum;
      }
      break;
  }
}

// y (the forward output), dy: (n, d) -> dx: (n, d). Every derivative here can be read off
// the output alone (for relu, leaky_relu and elu, y > 0 exactly where x > 0), so layers
// keep no pre-activation copy. dx may be dy (in place).
template <typename T>
void activation_backward(ActivationKind kind, const T* y, const T* dy, T* dx, int n, int d) {
  const std::size_t count = static_cast<std::size_t>(n) * d;
  switch (kind) {
    case ActivationKind::linear: std::copy(dy, dy + count, dx); break;
    case ActivationKind::relu:
      for (std::size_t i = 0; i < count; ++i) dx[i] = y[i] > T(0) ? dy[i] : T(0);
      break;
    case ActivationKind::leaky_relu:
      for (std::size_t i = 0; i < count; ++i) dx[i] = y[i] > T(0) ? dy[i] : T(kLeakyReluAlpha) * dy[i];
      break;
    case ActivationKind::elu:
      // For x <= 0, d/dx alpha (e^x - 1) = alpha e^x = y + alpha.
      for (std::size_t i = 0; i < count; ++i) dx[i] = y[i] > T(0) ? dy[i] : dy[i] * (y[i] + T(kEluAlpha));
      break;
    case ActivationKind::sigmoid:
      for (std::size_t i = 0; i < count; ++i) dx[i] = dy[i] * y[i] * (T(1) - y[i]);
      break;
    case ActivationKind::tanh:
      for (std::size_t i = 0; i < count; ++i) dx[i] = dy[i] * (T(1) - y[i] * y[i]);
      break;
    case ActivationKind::softmax:
      // dx_j = y_j (dy_j - sum_k dy_k y_k), the Jacobian-vector product of softmax.
      for (int r = 0; r < n; ++r) {
        std::size_t o = static_cast<std::size_t>(r) * d;
        T dot = 0;
        for (int j = 0; j < d; ++j) dot += dy[o + j] * y[o + j];
        for (int j = 0; j < d; ++j) dx[o + j] = y[o + j] * (dy[o + j] - dot);
      }
      break;
  }
}

// The ReLU layer's rule, with Keras' optional cap: y = min(max(x, 0), max_value); a
// max_value of infinity is no cap. Its derivative, read off y, is 1 strictly between 0 and
// the cap. x and y (dy and dx) may be the same array.
template <typename T>
void relu_forward(const T* x, T* y, std::size_t count, T max_value) {
  for (std::size_t i = 0; i < count; ++i) y[i] = std::min(x[i] > T(0) ? x[i] : T(0), max_value);
}
template <typename T>
void relu_backward(const T* y, const T* dy, T* dx, std::size_t count, T max_value) {
  for (std::size_t i = 0; i < count; ++i) dx[i] = y[i] > T(0) && y[i] < max_value ? dy[i] : T(0);
}

// The LeakyReLU layer's rule: y = x for x > 0, alpha x otherwise (alpha >= 0, so y > 0
// exactly where x > 0 and the derivative can be read off y).
template <typename T>
void leaky_relu_forward(const T* x, T* y, std::size_t count, T alpha) {
  for (std::size_t i = 0; i < count; ++i) y[i] = x[i] > T(0) ? x[i] : alpha * x[i];
}
template <typename T>
void leaky_relu_backward(const T* y, const T* dy, T* dx, std::size_t count, T alpha) {
  for (std::size_t i = 0; i < count; ++i) dx[i] = y[i] > T(0) ? dy[i] : alpha * dy[i];
}

// The ELU layer's rule: y = x for x > 0, alpha (e^x - 1) otherwise (alpha >= 0). As for
// the activation, the derivative is read off y: 1 where y > 0, y + alpha elsewhere.
template <typename T>
void elu_forward(const T* x, T* y, std::size_t count, T alpha) {
  for (std::size_t i = 0; i < count; ++i) y[i] = x[i] > T(0) ? x[i] : alpha * (std::exp(x[i]) - T(1));
}
template <typename T>
void elu_backward(const T* y, const T* dy, T* dx, std::size_t count, T alpha) {
  for (std::size_t i = 0; i < count; ++i) dx[i] = y[i] > T(0) ? dy[i] : dy[i] * (y[i] + alpha);
}

// Applies an activation in place over a whole tensor whose last axis is `d` (softmax
// normalizes along it); relu, the common case, runs four lanes at a time.
void apply_activation(ActivationKind kind, Tensor& t, int d);
// dy -> dy * f'(from y), in place.
void apply_activation_gradient(ActivationKind kind, const Tensor& y, Tensor& dy, int d);

}  // namespace dl
