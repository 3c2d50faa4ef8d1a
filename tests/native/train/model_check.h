// A model's gradients on the tape against central differences in float: the loss is
// L = sum(output * r) for a fixed random r; smooth layers only (tanh), so that eps can be
// large enough for float. Shared by the tests of graphs and of sequences.
#pragma once

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "core/rng.h"
#include "train/sequential.h"

namespace check {

// The largest absolute difference between two lists of the same length.
inline double largest_difference(const std::vector<float>& a, const std::vector<float>& b) {
  REQUIRE(a.size() == b.size());
  double worst = 0.0;
  for (std::size_t i = 0; i < a.size(); ++i) worst = std::max(worst, static_cast<double>(std::abs(a[i] - b[i])));
  return worst;
}

inline std::vector<float> random_floats(std::size_t n, dl::Rng& rng, float scale = 1.0f) {
  std::vector<float> v(n);
  for (float& x : v) x = static_cast<float>(rng.uniform(-1, 1)) * scale;
  return v;
}

inline dl::Tensor random_tensor(std::vector<int> shape, dl::Rng& rng) {
  dl::Tensor t(shape);
  t.values() = random_floats(t.size(), rng);
  return t;
}

inline std::vector<std::vector<float>> gradients_of(const dl::Sequential& m) {
  std::vector<std::vector<float>> out;
  for (const dl::Parameter& p : m.parameters()) out.push_back(p.grad->values());
  return out;
}

// Central differences in float of L = sum(output * r) over the model's parameters and
// its input, against the tape's gradients.
inline void check_model_gradients(dl::Sequential& model, const dl::Tensor& x) {
  dl::Rng rng(99);
  model.begin_step();
  const dl::Tensor& out = model.forward(x, true);
  const dl::Tensor r = random_tensor(out.shape(), rng);
  auto loss = [&] {
    const dl::Tensor& y = model.forward(x, true);
    double sum = 0;
    for (std::size_t i = 0; i < y.size(); ++i) sum += static_cast<double>(y[i]) * r[i];
    return sum;
  };
  dl::Tensor seed = r;
  const dl::Tensor dx = *model.backward(x, seed, true);
  const std::vector<std::vector<float>> analytic = gradients_of(model);
  const float eps = 1e-2f;
  auto expect = [&](const std::string& what, float& value, double gradient) {
    const float saved = value;
    value = saved + eps;
    const double up = loss();
    value = saved - eps;
    const double down = loss();
    value = saved;
    const double numeric = (up - down) / (2.0 * eps);
    INFO(what << ": tape " << gradient << ", central differences " << numeric);
    CHECK(std::abs(gradient - numeric) <= 2e-3 * std::max(1.0, std::abs(numeric)));
  };
  std::vector<dl::Parameter> params = model.parameters();
  for (std::size_t k = 0; k < params.size(); ++k)
    for (std::size_t i = 0; i < params[k].value->size(); ++i)
      expect(params[k].name + "[" + std::to_string(i) + "] of parameter " + std::to_string(k), (*params[k].value)[i],
             analytic[k][i]);
  dl::Tensor probe = x;
  for (std::size_t i = 0; i < probe.size(); ++i) {
    const float saved = probe[i];
    auto input_loss = [&](float v) {
      probe[i] = v;
      const dl::Tensor& y = model.forward(probe, true);
      double sum = 0;
      for (std::size_t j = 0; j < y.size(); ++j) sum += static_cast<double>(y[j]) * r[j];
      return sum;
    };
    const double numeric = (input_loss(saved + eps) - input_loss(saved - eps)) / (2.0 * eps);
    probe[i] = saved;
    INFO("input value " << i << ": tape " << dx[i] << ", central differences " << numeric);
    CHECK(std::abs(dx[i] - numeric) <= 2e-3 * std::max(1.0, std::abs(numeric)));
  }
}

}  // namespace check
