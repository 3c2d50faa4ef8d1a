// Random tensors and multinomial draws: a seed gives the same numbers again; the values
// have their distribution's mean and spread (uniform within its bounds, truncated normal
// within two deviations); multinomial draws each class about as often as its probability
// says; bad settings are refused by name.
#include <doctest/doctest.h>

#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "core/error.h"
#include "ops/random.h"
#include "ops/tape.h"

using dl::Tensor;
using dl::ops::Attrs;

namespace {

struct Moments {
  double mean = 0, std = 0, low = 1e300, high = -1e300;
};

Moments moments_of(const Tensor& t) {
  Moments m;
  for (std::size_t i = 0; i < t.size(); ++i) {
    m.mean += t[i];
    m.low = std::min(m.low, static_cast<double>(t[i]));
    m.high = std::max(m.high, static_cast<double>(t[i]));
  }
  m.mean /= t.size();
  for (std::size_t i = 0; i < t.size(); ++i) m.std += (t[i] - m.mean) * (t[i] - m.mean);
  m.std = std::sqrt(m.std / t.size());
  return m;
}

}  // namespace

TEST_CASE("random tensors: the same seed gives the same numbers, with the distribution's mean and spread") {
  const Tensor a = dl::ops::random_tensor("normal", {100, 100}, 2, 3, 7);
  const Tensor b = dl::ops::random_tensor("normal", {100, 100}, 2, 3, 7);
  const Tensor c = dl::ops::random_tensor("normal", {100, 100}, 2, 3, 8);
  CHECK(a.values() == b.values());
  CHECK(a.values() != c.values());
  const Moments normal = moments_of(a);
  CHECK(normal.mean == doctest::Approx(2).epsilon(0.05));
  CHECK(normal.std == doctest::Approx(3).epsilon(0.05));
  const Moments uniform = moments_of(dl::ops::random_tensor("uniform", {10000}, -1, 3, 1));
  CHECK(uniform.low >= -1);
  CHECK(uniform.high < 3);
  CHECK(uniform.mean == doctest::Approx(1).epsilon(0.05));
  const Moments truncated = moments_of(dl::ops::random_tensor("truncatedNormal", {10000}, 0, 0.5, 1));
  CHECK(truncated.low >= -1.0);
  CHECK(truncated.high <= 1.0);
  // A normal cut at two deviations keeps 0.88 of its spread.
  CHECK(truncated.std == doctest::Approx(0.5 * 0.8796).epsilon(0.05));
  CHECK_THROWS_WITH(dl::ops::random_tensor("gamma", {2}, 0, 1, 1),
                    "random: unknown kind \"gamma\"; expected uniform, normal or truncatedNormal");
  CHECK_THROWS_WITH(dl::ops::random_tensor("uniform", {2}, 1, 1, 1),
                    "random uniform: minval must be below maxval; got 1 and 1");
}

TEST_CASE("multinomial draws each class about as often as softmax(logits) says, the same for a seed") {
  dl::ops::Tape tape;
  auto logits = std::make_shared<Tensor>(std::vector<int>{2, 3},
                                         std::vector<float>{0, std::log(2.0f), std::log(7.0f), 5, -40, -40});
  Attrs a;
  a.count = 5000;
  a.seed = 3;
  const auto draws = tape.run("multinomial", {logits}, a);
  REQUIRE(draws->shape() == std::vector<int>{2, 5000});
  std::vector<int> counts(3, 0);
  for (int n = 0; n < 5000; ++n) ++counts[static_cast<int>((*draws)[n])];
  CHECK(counts[0] / 5000.0 == doctest::Approx(0.1).epsilon(0.15));
  CHECK(counts[1] / 5000.0 == doctest::Approx(0.2).epsilon(0.1));
  CHECK(counts[2] / 5000.0 == doctest::Approx(0.7).epsilon(0.05));
  for (int n = 5000; n < 10000; ++n) CHECK((*draws)[n] == 0);
  CHECK(tape.run("multinomial", {logits}, a)->values() == draws->values());
  a.normalized = true;
  auto probabilities = std::make_shared<Tensor>(std::vector<int>{2}, std::vector<float>{-0.5f, 1.5f});
  CHECK_THROWS_WITH(tape.run("multinomial", {probabilities}, a),
                    "multinomial: row 0 has a probability of -0.5; expected numbers >= 0");
  a.count = 0;
  CHECK_THROWS_WITH(tape.run("multinomial", {logits}, a), "multinomial: numSamples must be a whole number >= 1; got 0");
}
