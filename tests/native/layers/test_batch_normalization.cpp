// BatchNormalization: gradient checks, batch statistics in training and moving ones in
// inference.
#include <doctest/doctest.h>

#include "../geometry.h"
#include "../gradient_check.h"
#include "io/model_description.h"
#include "layers/batch_normalization.h"

using check::conv_geometry;
using check::expect_gradient;
using check::pool_geometry;

TEST_CASE("batch normalization gradients match central differences for input, gamma and beta") {
  for (auto [m, c] : {std::pair{6, 3}, std::pair{17, 1}, std::pair{2 * 3 * 5, 4}}) {
    dl::Rng rng(31);
    auto x = check::random_values(static_cast<std::size_t>(m) * c, rng, -2, 3);
    auto gamma = check::random_values(c, rng, 0.5, 1.5), beta = check::random_values(c, rng);
    auto r = check::random_values(x.size(), rng);
    auto loss = [&] {
      std::vector<double> y(x.size()), x_hat(x.size()), mean(c), inv_std(c);
      dl::batch_norm_forward(x.data(), gamma.data(), beta.data(), y.data(), x_hat.data(), mean.data(), inv_std.data(),
                             m, c, 1e-3);
      return check::dot(y, r);
    };
    std::vector<double> y(x.size()), x_hat(x.size()), mean(c), inv_std(c), dx(x.size()), dgamma(c), dbeta(c);
    dl::batch_norm_forward(x.data(), gamma.data(), beta.data(), y.data(), x_hat.data(), mean.data(), inv_std.data(), m,
                           c, 1e-3);
    dl::batch_norm_backward(x.data(), r.data(), gamma.data(), mean.data(), inv_std.data(), dx.data(), dgamma.data(),
                            dbeta.data(), m, c);
    expect_gradient("batch norm dx", x, dx, loss, 1e-5, 1e-5);
    expect_gradient("batch norm dgamma", gamma, dgamma, loss);
    expect_gradient("batch norm dbeta", beta, dbeta, loss);
  }
}

TEST_CASE("batch normalization uses batch statistics in training and moving ones in inference") {
  dl::Rng rng(1);
  dl::BatchNormalizationLayer layer(0.9f, 1e-3f, true, true);
  layer.rng = &rng;
  layer.input_shape = {2};
  layer.output_shape = layer.build({2});
  dl::Tensor x({4, 2}, {1, 10, 3, 20, 5, 30, 7, 40}), y({4, 2});
  layer.forward(x, y, true);
  double mean0 = (y[0] + y[2] + y[4] + y[6]) / 4;
  CHECK(mean0 == doctest::Approx(0.0).epsilon(1e-5));
  auto params = layer.parameters();
  REQUIRE(params.size() == 4);
  CHECK_FALSE(params[2].trainable);
  CHECK((*params[2].value)[0] == doctest::Approx(0.1 * 4.0));          // moving mean: 0.9*0 + 0.1*4
  CHECK((*params[3].value)[1] == doctest::Approx(0.9 + 0.1 * 125.0));  // variance of 10..40 is 125
  dl::Tensor inference({1, 2});
  layer.forward(dl::Tensor({1, 2}, {0.4f, 0.0f}), inference, false);
  CHECK(inference[0] == doctest::Approx(0.0).epsilon(1e-3));  // (0.4 - 0.4) / sqrt(...)
}

TEST_CASE("the summary counts batch normalization's moving statistics as non-trainable") {
  auto model =
      dl::model_from_json(R"({"layers": [{"type": "conv2d", "filters": 32, "kernelSize": 3, "inputShape": [28, 28, 1]},
    {"type": "batchNormalization"}, {"type": "maxPooling2d"}, {"type": "flatten"}, {"type": "dense", "units": 10}]})");
  std::string s = model->summary();
  INFO(s);
  CHECK(s.find("conv2d (Conv2D)             (None, 26, 26, 32)       320") != std::string::npos);
  CHECK(s.find("batch_normalization (BatchNormalization)") != std::string::npos);
  CHECK(s.find("max_pooling2d (MaxPooling2D)") != std::string::npos);
  CHECK(s.find("(None, 13, 13, 32)") != std::string::npos);
  CHECK(s.find("Non-trainable params: 64") != std::string::npos);
  CHECK(s.find("Total params: 54,538") != std::string::npos);
}
