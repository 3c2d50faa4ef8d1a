// Losses with Keras' names and reductions. Each is a pair: per-sample values, and the
// gradient of sum_i scale_i * loss_i, where the model sets scale_i = sample_weight_i / N
// (Keras' "sum over batch size"). Cross-entropies also come in a fused form that starts
// from logits (the values before softmax or sigmoid): stable for any logit size, and the
// gradient is the simple (probability - target).
//
// Shapes: predictions and logits (n, c); targets (n, c), or (n) class indices for the
// sparse loss; per-sample losses (n); scale (n).
#pragma once

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

namespace dl {

enum class LossKind {
  mean_squared_error,
  mean_absolute_error,
  binary_crossentropy,
  categorical_crossentropy,
  sparse_categorical_crossentropy
};

// How a loss reads an output of shape (..., c) per sample: `steps` rows of `classes`
// values (a sequence's time steps, an image's pixels; 1 row for a flat output). As Keras
// does, the loss and the metrics reduce the last axis only, and a sample's value is the
// mean over its steps.
struct StepShape {
  int steps = 1;
  int classes = 1;
};
inline StepShape step_shape(const std::vector<int>& output_shape) {
  StepShape s;
  if (output_shape.empty()) return s;
  s.classes = output_shape.back();
  for (std::size_t i = 0; i + 1 < output_shape.size(); ++i) s.steps *= output_shape[i];
  return s;
}

// The scale of each of the n * steps rows a loss sees, from the per-sample scale and the
// output's mask ((n, T), 1 for a real step; may be null): a padded step counts in no loss,
// and the others are averaged over the real steps of the rows given, as Keras averages a
// masked loss over the valid steps of a batch. Returns the number of real rows.
// step_weight (may be null): Keras' temporal sample weights, weight_steps per sample
// ((n, weight_steps), a weight covering steps / weight_steps rows), multiplying each
// row's scale after the mask's normalization, as Keras multiplies sample_weight by the
// normalized mask: sum(w * m * loss) / sum(m).
inline double step_scale(const float* scale, int n, const StepShape& shape, const float* mask, int mask_steps,
                         std::vector<float>& out, const float* step_weight = nullptr, int weight_steps = 0) {
  const std::size_t rows = static_cast<std::size_t>(n) * shape.steps;
  out.resize(rows);
  auto weigh = [&] {
    if (!step_weight || weight_steps <= 0 || shape.steps % weight_steps != 0) return;
    const int per = shape.steps / weight_steps;
    for (std::size_t r = 0; r < rows; ++r)
      out[r] *= step_weight[(r / shape.steps) * weight_steps + (r % shape.steps) / per];
  };
  if (!mask || mask_steps <= 0 || shape.steps % mask_steps != 0) {
    for (int i = 0; i < n; ++i)
      std::fill_n(out.begin() + static_cast<std::size_t>(i) * shape.steps, shape.steps, scale[i] / shape.steps);
    weigh();
    return static_cast<double>(rows);
  }
  // A mask of T steps covers steps / T rows each (an output (T, H, c)).
  const int per = shape.steps / mask_steps;
  double real = 0;
  for (std::size_t r = 0; r < rows; ++r) real += mask[r / per] != 0.0f;
  const double factor = real > 0 ? n / real : 0.0;
  for (std::size_t r = 0; r < rows; ++r)
    out[r] = mask[r / per] != 0.0f ? static_cast<float>(scale[r / shape.steps] * factor) : 0.0f;
  weigh();
  return real;
}

LossKind loss_from_name(const std::string& name, const std::string& where);
const char* loss_name(LossKind kind);
std::vector<std::string> loss_names();
inline bool is_cross_entropy(LossKind k) {
  return k == LossKind::binary_crossentropy || k == LossKind::categorical_crossentropy ||
         k == LossKind::sparse_categorical_crossentropy;
}

// Keras clips probabilities to [eps, 1 - eps] before taking logarithms.
constexpr double kProbabilityEpsilon = 1e-7;

template <typename T>
T clip_probability(T p) {
  return std::min(std::max(p, T(kProbabilityEpsilon)), T(1.0 - kProbabilityEpsilon));
}

// Per-sample loss from predictions p.
template <typename T>
void loss_forward(LossKind kind, const T* p, const T* y, T* losses, int n, int c) {
  for (int i = 0; i < n; ++i) {
    const T* pi = p + static_cast<std::size_t>(i) * c;
    const T* yi = y + static_cast<std::size_t>(i) * (kind == LossKind::sparse_categorical_crossentropy ? 1 : c);
    T sum = 0;
    switch (kind) {
      case LossKind::mean_squared_error:
        for (int j = 0; j < c; ++j) sum += (pi[j] - yi[j]) * (pi[j] - yi[j]);
        sum /= c;
        break;
      case LossKind::mean_absolute_error:
        for (int j = 0; j < c; ++j) sum += std::abs(pi[j] - yi[j]);
        sum /= c;
        break;
      case LossKind::binary_crossentropy:
        for (int j = 0; j < c; ++j) {
          T q = clip_probability(pi[j]);
          sum -= yi[j] * std::log(q) + (T(1) - yi[j]) * std::log(T(1) - q);
        }
        sum /= c;
        break;
      case LossKind::categorical_crossentropy:
        for (int j = 0; j < c; ++j) sum -= yi[j] * std::log(clip_probability(pi[j]));
        break;
      case LossKind::sparse_categorical_crossentropy:
        sum = -std::log(clip_probability(pi[static_cast<int>(yi[0])]));
        break;
    }
    losses[i] = sum;
  }
}

// dp = d(sum_i scale_i loss_i) / dp. Where clipping holds p constant the gradient is 0.
template <typename T>
void loss_backward(LossKind kind, const T* p, const T* y, const T* scale, T* dp, int n, int c) {
  const T lo = T(kProbabilityEpsilon), hi = T(1.0 - kProbabilityEpsilon);
  for (int i = 0; i < n; ++i) {
    const T* pi = p + static_cast<std::size_t>(i) * c;
    const T* yi = y + static_cast<std::size_t>(i) * (kind == LossKind::sparse_categorical_crossentropy ? 1 : c);
    T* di = dp + static_cast<std::size_t>(i) * c;
    const T s = scale[i];
    switch (kind) {
      case LossKind::mean_squared_error:
        for (int j = 0; j < c; ++j) di[j] = s * T(2) * (pi[j] - yi[j]) / T(c);
        break;
      case LossKind::mean_absolute_error:
        for (int j = 0; j < c; ++j) di[j] = s * T((pi[j] > yi[j]) - (pi[j] < yi[j])) / T(c);
        break;
      case LossKind::binary_crossentropy:
        for (int j = 0; j < c; ++j) {
          bool inside = pi[j] > lo && pi[j] < hi;
          di[j] = inside ? s * (-yi[j] / pi[j] + (T(1) - yi[j]) / (T(1) - pi[j])) / T(c) : T(0);
        }
        break;
      case LossKind::categorical_crossentropy:
        for (int j = 0; j < c; ++j) di[j] = (pi[j] > lo && pi[j] < hi) ? -s * yi[j] / pi[j] : T(0);
        break;
      case LossKind::sparse_categorical_crossentropy: {
        std::fill(di, di + c, T(0));
        int k = static_cast<int>(yi[0]);
        if (pi[k] > lo && pi[k] < hi) di[k] = -s / pi[k];
        break;
      }
    }
  }
}

// Fused cross-entropy from logits z. Binary: sigmoid per output, averaged over outputs.
// Categorical and sparse: softmax over the row. Other kinds are not called here.
template <typename T>
void loss_forward_logits(LossKind kind, const T* z, const T* y, T* losses, int n, int c) {
  for (int i = 0; i < n; ++i) {
    const T* zi = z + static_cast<std::size_t>(i) * c;
    const T* yi = y + static_cast<std::size_t>(i) * (kind == LossKind::sparse_categorical_crossentropy ? 1 : c);
    T sum = 0;
    if (kind == LossKind::binary_crossentropy) {
      // -[y log s(z) + (1-y) log(1 - s(z))] = max(z, 0) - z y + log(1 + e^-|z|)
      for (int j = 0; j < c; ++j) sum += std::max(zi[j], T(0)) - zi[j] * yi[j] + std::log1p(std::exp(-std::abs(zi[j])));
      sum /= c;
    } else {
      // -sum_j y_j log softmax(z)_j = sum(y) * logsumexp(z) - y . z
      T top = *std::max_element(zi, zi + c);
      T total = 0;
      for (int j = 0; j < c; ++j) total += std::exp(zi[j] - top);
      T lse = top + std::log(total);
      if (kind == LossKind::sparse_categorical_crossentropy) {
        sum = lse - zi[static_cast<int>(yi[0])];
      } else {
        for (int j = 0; j < c; ++j) sum += yi[j] * (lse - zi[j]);
      }
    }
    losses[i] = sum;
  }
}

template <typename T>
void loss_backward_logits(LossKind kind, const T* z, const T* y, const T* scale, T* dz, int n, int c) {
  for (int i = 0; i < n; ++i) {
    const T* zi = z + static_cast<std::size_t>(i) * c;
    const T* yi = y + static_cast<std::size_t>(i) * (kind == LossKind::sparse_categorical_crossentropy ? 1 : c);
    T* di = dz + static_cast<std::size_t>(i) * c;
    const T s = scale[i];
    if (kind == LossKind::binary_crossentropy) {
      for (int j = 0; j < c; ++j) {
        T sig = zi[j] >= T(0) ? T(1) / (T(1) + std::exp(-zi[j])) : std::exp(zi[j]) / (T(1) + std::exp(zi[j]));
        di[j] = s * (sig - yi[j]) / T(c);
      }
      continue;
    }
    T top = *std::max_element(zi, zi + c);
    T total = 0;
    for (int j = 0; j < c; ++j) {
      di[j] = std::exp(zi[j] - top);
      total += di[j];
    }
    if (kind == LossKind::sparse_categorical_crossentropy) {
      for (int j = 0; j < c; ++j) di[j] = s * di[j] / total;
      di[static_cast<int>(yi[0])] -= s;
    } else {
      T ysum = 0;
      for (int j = 0; j < c; ++j) ysum += yi[j];
      for (int j = 0; j < c; ++j) di[j] = s * (ysum * di[j] / total - yi[j]);
    }
  }
}

}  // namespace dl
