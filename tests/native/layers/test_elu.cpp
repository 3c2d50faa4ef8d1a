// The ELU layer: its rule's gradient against central differences for several alphas, and
// the layer equal to its rule.
#include <doctest/doctest.h>

#include "../gradient_check.h"
#include "kernels/activations.h"
#include "layers/elu.h"

using check::expect_gradient;

TEST_CASE("the ELU layer's rule has the gradient central differences give, away from 0") {
  const std::size_t count = 23;
  for (double alpha : {0.0, 0.5, 1.0, 3.0}) {
    CAPTURE(alpha);
    dl::Rng rng(6);
    auto x = check::values_off_zero(count, rng);
    for (double& v : x) v *= 3;
    auto r = check::random_values(count, rng);
    auto loss = [&] {
      std::vector<double> y(count);
      dl::elu_forward(x.data(), y.data(), count, alpha);
      return check::dot(y, r);
    };
    std::vector<double> y(count), dx(count);
    dl::elu_forward(x.data(), y.data(), count, alpha);
    dl::elu_backward(y.data(), r.data(), dx.data(), count, alpha);
    expect_gradient("elu", x, dx, loss);
  }
}

TEST_CASE("the ELU layer equals its rule, forward and backward") {
  dl::Rng rng(2);
  std::vector<float> values(2 * 17), grads(values.size());
  for (float& v : values) v = static_cast<float>(rng.uniform(-3, 3));
  for (float& g : grads) g = static_cast<float>(rng.uniform(-1, 1));
  dl::ELULayer layer(0.7f);
  layer.input_shape = {17};
  const dl::Tensor x({2, 17}, values);
  dl::Tensor y({2, 17}), dy({2, 17}, grads), dx({2, 17});
  layer.forward(x, y, true);
  layer.backward(x, y, dy, &dx);
  std::vector<float> ey(values.size()), edx(values.size());
  dl::elu_forward(values.data(), ey.data(), values.size(), 0.7f);
  dl::elu_backward(ey.data(), grads.data(), edx.data(), values.size(), 0.7f);
  CHECK(y.values() == ey);
  CHECK(dx.values() == edx);
  CHECK_THROWS_WITH_AS(dl::ELULayer(-1.0f), doctest::Contains("alpha must be in [0, 1000]; got -1"), dl::EngineError);
}
