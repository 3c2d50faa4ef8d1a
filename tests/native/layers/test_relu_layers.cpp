// The ReLU and LeakyReLU layers: their rules' gradients against central differences (the
// cap of ReLU included), the SIMD path of an uncapped ReLU against its reference, and
// both layers in a model read from a description, as TensorFlow.js writes them.
#include <doctest/doctest.h>

#include <limits>

#include "../gradient_check.h"
#include "io/model_description.h"
#include "kernels/activations.h"
#include "layers/leaky_relu.h"
#include "layers/relu.h"

TEST_CASE("ReLU (capped or not) and LeakyReLU gradients match central differences away from kinks") {
  const std::size_t count = 29;
  for (double cap : {std::numeric_limits<double>::infinity(), 0.6}) {
    CAPTURE(cap);
    dl::Rng rng(3);
    auto x = check::values_off_zero(count, rng);
    for (double& v : x)
      if (std::abs(v - cap) < 0.05) v += 0.1;  // away from the cap's kink too
    check::expect_elementwise_gradient(
        "relu", x, [&](const double* in, double* out, std::size_t n) { dl::relu_forward(in, out, n, cap); },
        [&](const double* y, const double* dy, double* dx, std::size_t n) { dl::relu_backward(y, dy, dx, n, cap); });
    std::vector<double> y(count);
    dl::relu_forward(x.data(), y.data(), count, cap);
    for (double v : y) CHECK(v <= cap);
  }
  for (double alpha : {0.0, 0.3, 2.0}) {
    CAPTURE(alpha);
    dl::Rng rng(4);
    check::expect_elementwise_gradient(
        "leaky relu", check::values_off_zero(count, rng),
        [&](const double* in, double* out, std::size_t n) { dl::leaky_relu_forward(in, out, n, alpha); },
        [&](const double* y, const double* dy, double* dx, std::size_t n) {
          dl::leaky_relu_backward(y, dy, dx, n, alpha);
        });
  }
}

TEST_CASE("the ReLU and LeakyReLU layers equal their rules, the uncapped ReLU on its SIMD path") {
  dl::Rng rng(8);
  for (int d : {1, 3, 7, 17, 67}) {
    CAPTURE(d);
    std::vector<float> values(static_cast<std::size_t>(2 * d));
    for (float& v : values) v = static_cast<float>(rng.uniform(-2, 2));
    const dl::Tensor x({2, d}, values);
    for (float cap : {std::numeric_limits<float>::infinity(), 1.0f}) {
      dl::ReLULayer relu(cap);
      relu.input_shape = {d};
      dl::Tensor y({2, d});
      relu.forward(x, y, true);
      std::vector<float> expected(values.size());
      dl::relu_forward(values.data(), expected.data(), values.size(), cap);
      CHECK(y.values() == expected);
    }
    dl::LeakyReLULayer leaky(0.25f);
    leaky.input_shape = {d};
    dl::Tensor y({2, d});
    leaky.forward(x, y, true);
    for (std::size_t i = 0; i < values.size(); ++i)
      CHECK(y.data()[i] == (values[i] > 0 ? values[i] : 0.25f * values[i]));
  }
}

TEST_CASE("a model with ReLU and LeakyReLU layers reads, trains and summarizes as Keras names them") {
  auto model = dl::model_from_json(R"({"seed": 2, "layers": [
      {"type": "dense", "units": 8, "inputShape": [2]},
      {"type": "LeakyReLU", "alpha": 0.1},
      {"type": "dense", "units": 8},
      {"type": "re_lu", "maxValue": 6},
      {"type": "dense", "units": 1, "activation": "sigmoid"}],
      "compile": {"optimizer": {"type": "adam", "learningRate": 0.05}, "loss": "binary_crossentropy"}})");
  const std::string summary = model->summary();
  CHECK(summary.find("(LeakyReLU)") != std::string::npos);
  CHECK(summary.find("(ReLU)") != std::string::npos);
  // XOR: only learnable through the non-linear layers.
  dl::Tensor x({4, 2}, {0, 0, 0, 1, 1, 0, 1, 1}), y({4, 1}, {0, 1, 1, 0});
  dl::FitOptions options;
  options.epochs = 300;
  options.batch_size = 4;
  auto history = model->fit(x, y, options);
  CHECK(history.values.at("loss").back() < 0.2);
}
