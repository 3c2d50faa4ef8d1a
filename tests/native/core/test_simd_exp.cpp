// The vector exponential (core/simd.h) against std::exp in double: within 2 ulp over the
// range softmax meets, NaN kept, overflow and underflow; exp_shifted's sum; max_of.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "core/simd.h"

namespace {

float exp_lane(float x) {
  float lanes[4] = {x, x, x, x};
  dl::simd::store(lanes, dl::simd::exp(dl::simd::load(lanes)));
  return lanes[0];
}

}  // namespace

TEST_CASE("the vector exponential is within 2 ulp of e^x from -87 to 88") {
  double worst = 0;
  float at = 0;
  for (float x = -87.0f; x <= 88.0f; x += 0.00731f) {
    const double want = std::exp(static_cast<double>(x));
    const double ulp =
        std::nextafter(static_cast<float>(want), std::numeric_limits<float>::infinity()) - static_cast<float>(want);
    const double error = std::abs(exp_lane(x) - want) / ulp;
    if (error > worst) worst = error, at = x;
  }
  INFO("worst error " << worst << " ulp at x = " << at);
  CHECK(worst <= 2.0);
  CHECK(exp_lane(0.0f) == 1.0f);
}

TEST_CASE("the vector exponential keeps NaN, overflows to infinity and underflows to almost 0") {
  CHECK(std::isnan(exp_lane(std::nanf(""))));
  CHECK(std::isinf(exp_lane(1000.0f)));
  CHECK(exp_lane(-1000.0f) >= 0.0f);
  CHECK(exp_lane(-1000.0f) < 1e-37f);
}

TEST_CASE("exp_shifted writes e^(x - shift) and returns their sum, for lengths that are and are not multiples of 4") {
  for (std::size_t n : {1u, 3u, 4u, 7u, 33u}) {
    std::vector<float> x(n), y(n);
    double want = 0;
    for (std::size_t i = 0; i < n; ++i) {
      x[i] = std::sin(static_cast<float>(i)) * 5.0f;
      want += std::exp(static_cast<double>(x[i]) - 2.0);
    }
    const float sum = dl::simd::exp_shifted(x.data(), 2.0f, y.data(), n);
    CHECK(sum == doctest::Approx(want).epsilon(1e-6));
    for (std::size_t i = 0; i < n; ++i) CHECK(y[i] == doctest::Approx(std::exp(x[i] - 2.0)).epsilon(1e-6));
  }
}

TEST_CASE("max_of gives the largest value wherever it sits, and NaN wherever a NaN sits") {
  for (std::size_t n : {1u, 3u, 4u, 7u, 8u, 9u, 33u, 1024u}) {
    for (std::size_t at = 0; at < n; at += 1 + n / 7) {
      std::vector<float> x(n);
      for (std::size_t i = 0; i < n; ++i) x[i] = -100.0f - std::fabs(std::sin(static_cast<float>(i))) * 50.0f;
      x[at] = -3.5f;
      CHECK(dl::simd::max_of(x.data(), n) == -3.5f);
      x[at] = std::numeric_limits<float>::quiet_NaN();
      CHECK(std::isnan(dl::simd::max_of(x.data(), n)));
    }
  }
  const std::vector<float> infinite = {1.0f, std::numeric_limits<float>::infinity(), 2.0f, 3.0f, 4.0f, 5.0f, 6.0f,
                                       7.0f};
  CHECK(dl::simd::max_of(infinite.data(), infinite.size()) == std::numeric_limits<float>::infinity());
}
