// LayerNormalization: gradient checks in double for input, gamma and beta (with and
// without them), the normalized rows, and the refusal of inputs without features.
#include <doctest/doctest.h>

#include "../gradient_check.h"
#include "kernels/layer_normalization.h"
#include "layers/layer_normalization.h"

using check::expect_gradient;

TEST_CASE("layer normalization gradients match central differences for input, gamma and beta") {
  for (auto [m, c] : {std::pair{1, 1}, std::pair{3, 7}, std::pair{7, 17}, std::pair{2, 3}})
    for (bool affine : {true, false}) {
      CAPTURE(m);
      CAPTURE(c);
      CAPTURE(affine);
      dl::Rng rng(m * 100 + c);
      auto x = check::random_values(static_cast<std::size_t>(m) * c, rng, -2, 3);
      auto gamma = check::random_values(c, rng, 0.5, 1.5), beta = check::random_values(c, rng);
      auto r = check::random_values(x.size(), rng);
      const double* g = affine ? gamma.data() : nullptr;
      const double* b = affine ? beta.data() : nullptr;
      auto loss = [&] {
        std::vector<double> y(x.size()), mean(m), rstd(m);
        dl::layer_norm_forward(x.data(), g, b, y.data(), mean.data(), rstd.data(), m, c, 1e-3);
        return check::dot(y, r);
      };
      std::vector<double> y(x.size()), mean(m), rstd(m), dx(x.size()), dgamma(c), dbeta(c);
      dl::layer_norm_forward(x.data(), g, b, y.data(), mean.data(), rstd.data(), m, c, 1e-3);
      dl::layer_norm_backward(x.data(), r.data(), g, mean.data(), rstd.data(), dx.data(), dgamma.data(), dbeta.data(),
                              m, c, false);
      expect_gradient("layer norm dx", x, dx, loss, 1e-5, 1e-5);
      if (!affine) continue;
      expect_gradient("layer norm dgamma", gamma, dgamma, loss);
      expect_gradient("layer norm dbeta", beta, dbeta, loss);
    }
}

TEST_CASE("layer normalization gives each step mean 0 and variance 1 before gamma and beta") {
  dl::Rng rng(1);
  dl::LayerNormalizationLayer layer({});
  layer.name = "layer_normalization";
  layer.rng = &rng;
  layer.input_shape = {2, 4};
  layer.output_shape = layer.build({2, 4});
  CHECK(layer.output_shape == std::vector<int>{2, 4});
  CHECK(layer.mask_flow() == dl::MaskFlow::keep);
  auto params = layer.parameters();
  REQUIRE(params.size() == 2);
  CHECK(params[0].name == "gamma");
  CHECK(params[1].name == "beta");
  dl::Tensor x({1, 2, 4}, {1, 2, 3, 4, -10, 0, 10, 20}), y({1, 2, 4});
  layer.forward(x, y, false);
  for (int row = 0; row < 2; ++row) {
    double mean = 0, var = 0;
    for (int j = 0; j < 4; ++j) mean += y[row * 4 + j] / 4.0;
    for (int j = 0; j < 4; ++j) var += (y[row * 4 + j] - mean) * (y[row * 4 + j] - mean) / 4.0;
    CHECK(mean == doctest::Approx(0.0).scale(1));
    CHECK(var == doctest::Approx(1.0).epsilon(2e-3));  // epsilon 1e-3 in the variance
  }
  dl::LayerNormalizationLayer scalar({});
  scalar.name = "ln";
  CHECK_THROWS_WITH_AS(scalar.build({}), doctest::Contains("at least one feature axis"), dl::EngineError);
}
