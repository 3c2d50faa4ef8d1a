// Central-difference gradient checking in double precision. The loss of a check is the
// projection L = sum(output * r) onto fixed random r, so dL/doutput = r.
#pragma once

#include <doctest/doctest.h>

#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include "core/rng.h"

namespace check {

inline std::vector<double> random_values(std::size_t n, dl::Rng& rng, double low = -1.0, double high = 1.0) {
  std::vector<double> v(n);
  for (double& x : v) x = rng.uniform(low, high);
  return v;
}

// Values away from 0 by at least `gap`, for functions with a kink there (relu, abs).
inline std::vector<double> values_off_zero(std::size_t n, dl::Rng& rng, double gap = 0.05) {
  std::vector<double> v = random_values(n, rng);
  for (double& x : v)
    if (std::abs(x) < gap) x = x < 0 ? x - gap : x + gap;
  return v;
}

// Compares `analytic` with the numerical gradient of loss() with respect to `values`,
// perturbing each entry by +-eps. The message names the entry and both values.
inline void expect_gradient(const std::string& what, std::vector<double>& values, const std::vector<double>& analytic,
                            const std::function<double()>& loss, double eps = 1e-6, double tolerance = 1e-6) {
  REQUIRE(values.size() == analytic.size());
  for (std::size_t i = 0; i < values.size(); ++i) {
    const double saved = values[i];
    values[i] = saved + eps;
    const double up = loss();
    values[i] = saved - eps;
    const double down = loss();
    values[i] = saved;
    const double numeric = (up - down) / (2 * eps);
    const double scale = std::max(1.0, std::abs(numeric));
    INFO(what << "[" << i << "]: analytic " << analytic[i] << ", numeric " << numeric);
    CHECK(std::abs(analytic[i] - numeric) <= tolerance * scale);
  }
}

inline double dot(const std::vector<double>& a, const std::vector<double>& b) {
  double s = 0;
  for (std::size_t i = 0; i < a.size(); ++i) s += a[i] * b[i];
  return s;
}

// Checks an element-wise rule whose backward reads the output: forward(x, y, count) and
// backward(y, dy, dx, count), at the points x (chosen away from the rule's kinks).
template <typename Forward, typename Backward>
void expect_elementwise_gradient(const std::string& what, std::vector<double> x, Forward forward, Backward backward) {
  dl::Rng rng(x.size());
  const std::size_t count = x.size();
  const std::vector<double> r = random_values(count, rng);
  auto loss = [&] {
    std::vector<double> y(count);
    forward(x.data(), y.data(), count);
    return dot(y, r);
  };
  std::vector<double> y(count), dx(count);
  forward(x.data(), y.data(), count);
  backward(y.data(), r.data(), dx.data(), count);
  expect_gradient(what, x, dx, loss);
}

}  // namespace check
