// The ELU layer: its rule's gradient against central differences for several alphas, and
// the layer equal to its rule.
#include <doctest/doctest.h>

#include "../gradient_check.h"
#include "kernels/activations.h"
#include "layers/elu.h"

TEST_CASE("the ELU layer's rule has the gradient central differences give, away from 0") {
  for (double alpha : {0.0, 0.5, 1.0, 3.0}) {
    CAPTURE(alpha);
    dl::Rng rng(6);
    auto x = check::values_off_zero(23, rng);
    for (double& v : x) v *= 3;
    check::expect_elementwise_gradient(
        "elu", x, [&](const double* in, double* out, std::size_t n) { dl::elu_forward(in, out, n, alpha); },
        [&](const double* y, const double* dy, double* dx, std::size_t n) { dl::elu_backward(y, dy, dx, n, alpha); });
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
