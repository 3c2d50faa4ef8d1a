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

// hard_sigmoid is TensorFlow.js' and Keras 2's: clip(0.2 x + 0.5, 0, 1). Keras 3 names
// relu6(x + 3) / 6 = clip(x / 6 + 0.5, 0, 1) hard_sigmoid too: that one is
// hard_sigmoid_keras here, which the importers read a Keras 3 file's "hard_sigmoid" as and
// the Keras code view writes as "hard_sigmoid" (TensorFlow.js has no such activation).
// gelu (x Phi(x), with erf: Keras' default approximate=False and TensorFlow.js' gelu),
// gelu_new (TensorFlow.js' tanh approximation), swish (x sigmoid(x); Keras 3 also calls it
// silu) and mish (x tanh(softplus(x))) are the activations whose derivative cannot be read
// off their output: a layer using them keeps its pre-activation (activation_needs_input).
enum class ActivationKind {
  linear,
  relu,
  leaky_relu,
  elu,
  sigmoid,
  tanh,
  softmax,
  hard_sigmoid,
  softplus,
  softsign,
  selu,
  gelu,
  gelu_new,
  swish,
  mish,
  hard_sigmoid_keras
};

inline bool activation_needs_input(ActivationKind kind) {
  return kind == ActivationKind::gelu || kind == ActivationKind::gelu_new || kind == ActivationKind::swish ||
         kind == ActivationKind::mish;
}

// sqrt(2 / pi) and the cubic's weight of gelu's tanh approximation.
constexpr double kGeluTanhScale = 0.7978845608028654;
constexpr double kGeluTanhCubic = 0.044715;

template <typename T>
T stable_sigmoid(T x) {
  if (x >= T(0)) return T(1) / (T(1) + std::exp(-x));
  const T e = std::exp(x);
  return e / (T(1) + e);
}
template <typename T>
T stable_softplus(T x) {
  return std::max(x, T(0)) + std::log1p(std::exp(-std::abs(x)));
}

// Throws with the list of known names when `name` is not one of them; `where` names the
// layer or argument for the message.
ActivationKind activation_from_name(const std::string& name, const std::string& where);
const char* activation_name(ActivationKind kind);
std::vector<std::string> activation_names();

// Keras' defaults for the slope of leaky_relu and the scale of elu.
constexpr float kLeakyReluAlpha = 0.2f;
constexpr float kEluAlpha = 1.0f;
// SELU's constants (Klambauer et al. 2017), as Keras and TensorFlow.js write them.
constexpr double kSeluAlpha = 1.6732632423543772848170429916717;
constexpr double kSeluScale = 1.0507009873554804934193349852946;

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
    case ActivationKind::hard_sigmoid:
      for (std::size_t i = 0; i < count; ++i) y[i] = std::min(std::max(T(0.2) * x[i] + T(0.5), T(0)), T(1));
      break;
    case ActivationKind::hard_sigmoid_keras:
      for (std::size_t i = 0; i < count; ++i) y[i] = std::min(std::max(x[i] / T(6) + T(0.5), T(0)), T(1));
      break;
    case ActivationKind::softplus:
      // log(1 + e^x) = max(x, 0) + log(1 + e^-|x|): exp never overflows.
      for (std::size_t i = 0; i < count; ++i) y[i] = std::max(x[i], T(0)) + std::log1p(std::exp(-std::abs(x[i])));
      break;
    case ActivationKind::softsign:
      for (std::size_t i = 0; i < count; ++i) y[i] = x[i] / (T(1) + std::abs(x[i]));
      break;
    case ActivationKind::selu:
      for (std::size_t i = 0; i < count; ++i)
        y[i] = x[i] > T(0) ? T(kSeluScale) * x[i] : T(kSeluScale * kSeluAlpha) * (std::exp(x[i]) - T(1));
      break;
    case ActivationKind::gelu:
      for (std::size_t i = 0; i < count; ++i) y[i] = T(0.5) * x[i] * (T(1) + std::erf(x[i] * T(0.7071067811865476)));
      break;
    case ActivationKind::gelu_new:
      for (std::size_t i = 0; i < count; ++i)
        y[i] = T(0.5) * x[i] * (T(1) + std::tanh(T(kGeluTanhScale) * (x[i] + T(kGeluTanhCubic) * x[i] * x[i] * x[i])));
      break;
    case ActivationKind::swish:
      for (std::size_t i = 0; i < count; ++i) y[i] = x[i] * stable_sigmoid(x[i]);
      break;
    case ActivationKind::mish:
      for (std::size_t i = 0; i < count; ++i) y[i] = x[i] * std::tanh(stable_softplus(x[i]));
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
    case ActivationKind::hard_sigmoid:
      // The slope 0.2 inside the clip; y is exactly 0 or 1 outside it.
      for (std::size_t i = 0; i < count; ++i) dx[i] = y[i] > T(0) && y[i] < T(1) ? T(0.2) * dy[i] : T(0);
      break;
    case ActivationKind::hard_sigmoid_keras:
      // The slope 1/6 inside the clip (-3 < x < 3).
      for (std::size_t i = 0; i < count; ++i) dx[i] = y[i] > T(0) && y[i] < T(1) ? dy[i] / T(6) : T(0);
      break;
    case ActivationKind::softplus:
      // d/dx log(1 + e^x) = sigmoid(x) = 1 - e^-y.
      for (std::size_t i = 0; i < count; ++i) dx[i] = dy[i] * -std::expm1(-y[i]);
      break;
    case ActivationKind::softsign:
      // 1 / (1 + |x|)^2 = (1 - |y|)^2.
      for (std::size_t i = 0; i < count; ++i) dx[i] = dy[i] * (T(1) - std::abs(y[i])) * (T(1) - std::abs(y[i]));
      break;
    case ActivationKind::selu:
      // y > 0 exactly where x > 0; below, d/dx s a (e^x - 1) = s a e^x = y + s a.
      for (std::size_t i = 0; i < count; ++i)
        dx[i] = y[i] > T(0) ? T(kSeluScale) * dy[i] : dy[i] * (y[i] + T(kSeluScale * kSeluAlpha));
      break;
    case ActivationKind::gelu:
    case ActivationKind::gelu_new:
    case ActivationKind::swish:
    case ActivationKind::mish:
      // Not from y: activation_backward_from_input (apply_activation_gradient refuses).
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

// x (the pre-activation), dy: (count) -> dx: (count), for the activations whose
// derivative needs x (activation_needs_input); dx may be dy.
template <typename T>
void activation_backward_from_input(ActivationKind kind, const T* x, const T* dy, T* dx, std::size_t count) {
  for (std::size_t i = 0; i < count; ++i) {
    const T v = x[i];
    T slope = 1;
    switch (kind) {
      case ActivationKind::gelu: {
        // Phi(x) + x phi(x)
        const T cdf = T(0.5) * (T(1) + std::erf(v * T(0.7071067811865476)));
        slope = cdf + v * std::exp(T(-0.5) * v * v) * T(0.3989422804014327);
        break;
      }
      case ActivationKind::gelu_new: {
        const T t = std::tanh(T(kGeluTanhScale) * (v + T(kGeluTanhCubic) * v * v * v));
        slope = T(0.5) * (T(1) + t) +
                T(0.5) * v * (T(1) - t * t) * T(kGeluTanhScale) * (T(1) + T(3 * kGeluTanhCubic) * v * v);
        break;
      }
      case ActivationKind::swish: {
        const T sg = stable_sigmoid(v);
        slope = sg + v * sg * (T(1) - sg);
        break;
      }
      case ActivationKind::mish: {
        const T t = std::tanh(stable_softplus(v));
        slope = t + v * (T(1) - t * t) * stable_sigmoid(v);
        break;
      }
      default: break;
    }
    dx[i] = dy[i] * slope;
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
// dy -> dy * f', in place: from y, or for the activations that need it from `input`, the
// pre-activation the layer kept (throws when it is missing).
void apply_activation_gradient(ActivationKind kind, const Tensor& y, Tensor& dy, int d, const Tensor* input = nullptr);

}  // namespace dl
