// The activations added for sequences and transformers (hard_sigmoid, softplus, softsign,
// selu from their outputs; gelu, gelu_new, swish, mish from their inputs): gradient checks
// in double, the formulas at known points, and the layers that keep a pre-activation only
// for the activations that need it.
#include <doctest/doctest.h>

#include <cmath>

#include "../gradient_check.h"
#include "io/model_description.h"
#include "layers/activation.h"
#include "layers/conv2d.h"
#include "layers/dense.h"

using check::expect_gradient;
using dl::ActivationKind;

TEST_CASE("the activations read off their output have gradients matching central differences") {
  for (ActivationKind kind : {ActivationKind::hard_sigmoid, ActivationKind::hard_sigmoid_keras,
                              ActivationKind::softplus, ActivationKind::softsign, ActivationKind::selu}) {
    CAPTURE(dl::activation_name(kind));
    const int n = 3, d = 7;
    dl::Rng rng(5);
    auto x = check::values_off_zero(n * d, rng);
    for (double& v : x) v *= 3;
    // hard_sigmoid's kinks at +-2.5, hard_sigmoid_keras' at +-3
    for (double& v : x)
      if (std::abs(std::abs(v) - 2.5) < 0.01 || std::abs(std::abs(v) - 3) < 0.01) v += 0.05;
    auto r = check::random_values(n * d, rng);
    auto loss = [&] {
      std::vector<double> y(n * d);
      dl::activation_forward(kind, x.data(), y.data(), n, d);
      return check::dot(y, r);
    };
    std::vector<double> y(n * d), dx(n * d);
    dl::activation_forward(kind, x.data(), y.data(), n, d);
    dl::activation_backward(kind, y.data(), r.data(), dx.data(), n, d);
    expect_gradient(dl::activation_name(kind), x, dx, loss);
  }
}

TEST_CASE("gelu, gelu_new, swish and mish have gradients from their input matching central differences") {
  for (ActivationKind kind :
       {ActivationKind::gelu, ActivationKind::gelu_new, ActivationKind::swish, ActivationKind::mish}) {
    CAPTURE(dl::activation_name(kind));
    CHECK(dl::activation_needs_input(kind));
    const std::size_t count = 29;
    dl::Rng rng(6);
    auto x = check::random_values(count, rng, -4, 4);
    auto r = check::random_values(count, rng);
    auto loss = [&] {
      std::vector<double> y(count);
      dl::activation_forward(kind, x.data(), y.data(), 1, static_cast<int>(count));
      return check::dot(y, r);
    };
    std::vector<double> dx(count);
    dl::activation_backward_from_input(kind, x.data(), r.data(), dx.data(), count);
    expect_gradient(dl::activation_name(kind), x, dx, loss);
  }
}

TEST_CASE("the new activations give Keras' values at known points") {
  auto at = [](ActivationKind kind, double x) {
    double y;
    dl::activation_forward(kind, &x, &y, 1, 1);
    return y;
  };
  CHECK(at(ActivationKind::hard_sigmoid, 1.0) == doctest::Approx(0.7));
  CHECK(at(ActivationKind::hard_sigmoid, 3.0) == 1.0);
  CHECK(at(ActivationKind::hard_sigmoid, -3.0) == 0.0);
  // Keras 3's: relu6(x + 3) / 6.
  CHECK(at(ActivationKind::hard_sigmoid_keras, 1.0) == doctest::Approx(4.0 / 6));
  CHECK(at(ActivationKind::hard_sigmoid_keras, 2.9) == doctest::Approx(5.9 / 6));
  CHECK(at(ActivationKind::hard_sigmoid_keras, 3.5) == 1.0);
  CHECK(at(ActivationKind::hard_sigmoid_keras, -3.5) == 0.0);
  CHECK(at(ActivationKind::softplus, 0.0) == doctest::Approx(std::log(2.0)));
  CHECK(at(ActivationKind::softplus, 800.0) == doctest::Approx(800.0));  // no overflow
  CHECK(at(ActivationKind::softsign, 3.0) == doctest::Approx(0.75));
  CHECK(at(ActivationKind::selu, 1.0) == doctest::Approx(1.0507009873554805));
  CHECK(at(ActivationKind::selu, -1.0) == doctest::Approx(1.7580993408473766 * (std::exp(-1.0) - 1)));
  CHECK(at(ActivationKind::gelu, 1.0) == doctest::Approx(0.8413447460685429));
  CHECK(at(ActivationKind::gelu_new, 1.0) == doctest::Approx(0.8411919906082768));
  CHECK(at(ActivationKind::swish, 1.0) == doctest::Approx(0.7310585786300049));
  CHECK(at(ActivationKind::mish, 1.0) == doctest::Approx(0.8650983882673103));
  CHECK(dl::activation_from_name("hardSigmoid", "test") == ActivationKind::hard_sigmoid);
  CHECK(dl::activation_from_name("silu", "test") == ActivationKind::swish);
}

TEST_CASE("Dense and Activation with gelu or swish train on their kept pre-activation") {
  for (ActivationKind kind : {ActivationKind::gelu, ActivationKind::swish}) {
    CAPTURE(dl::activation_name(kind));
    dl::Rng rng(2);
    dl::DenseOptions o;
    o.units = 3;
    o.activation = kind;
    dl::DenseLayer dense(o);
    dense.rng = &rng;
    dense.name = "d";
    dense.input_shape = {4, 2};  // a sequence: each step its own row
    dense.output_shape = dense.build({4, 2});
    CHECK(dense.output_shape == std::vector<int>{4, 3});
    dl::Tensor x({2, 4, 2});
    for (float& v : x.values()) v = static_cast<float>(rng.uniform(-2, 2));
    dl::Tensor y({2, 4, 3}), dy({2, 4, 3}, 1.0f), dx({2, 4, 2});
    dense.forward(x, y, false);
    dense.backward(x, y, dy, &dx);
    // d(sum y)/d bias_j = sum over rows of f'(z): compare with the float formula directly.
    const dl::Tensor& w = *dense.parameters()[0].value;
    const dl::Tensor& b = *dense.parameters()[1].value;
    const dl::Tensor& db = *dense.parameters()[1].grad;
    for (int j = 0; j < 3; ++j) {
      double expected = 0;
      for (int r = 0; r < 8; ++r) {
        double z = b[j] + x[r * 2] * w[j] + x[r * 2 + 1] * w[3 + j], g;
        const double one = 1.0;
        dl::activation_backward_from_input(kind, &z, &one, &g, 1);
        expected += g;
      }
      CHECK(db[j] == doctest::Approx(expected).epsilon(1e-5));
    }
    dl::ActivationLayer act(kind);
    act.input_shape = {3};
    dl::Tensor a({1, 3}, std::vector<float>{-1.0f, 0.5f, 2.0f}), ay({1, 3}), ady({1, 3}, 1.0f), adx({1, 3});
    act.forward(a, ay, false);
    act.backward(a, ay, ady, &adx);
    for (int i = 0; i < 3; ++i) {
      double z = a[i], g;
      const double one = 1.0;
      dl::activation_backward_from_input(kind, &z, &one, &g, 1);
      CHECK(adx[i] == doctest::Approx(g).epsilon(1e-5));
    }
  }
}

TEST_CASE("Dense over a sequence applies to each step and counts its multiply-adds per step") {
  auto model = dl::model_from_json(R"({"layers": [{"type": "dense", "units": 5, "inputShape": [7, 3]}]})");
  CHECK(model->layers()[0]->output_shape == std::vector<int>{7, 5});
  CHECK(model->layers()[0]->multiply_adds() == 7 * 3 * 5);
}

TEST_CASE("Conv2D with mish keeps its pre-activation for backward; with relu it keeps none") {
  dl::Rng rng(4);
  dl::Conv2DOptions o;
  o.filters = 2;
  o.kernel_h = o.kernel_w = 1;
  o.activation = ActivationKind::mish;
  o.bias_initializer = dl::Initializer::ones;
  dl::Conv2DLayer conv(o);
  conv.rng = &rng;
  conv.name = "c";
  conv.output_shape = conv.build({2, 2, 1});
  conv.input_shape = {2, 2, 1};
  dl::Tensor x({1, 2, 2, 1}, std::vector<float>{-1.0f, 0.5f, 2.0f, -3.0f}), y({1, 2, 2, 2}), dy({1, 2, 2, 2}, 1.0f);
  conv.forward(x, y, false);
  conv.backward(x, y, dy, nullptr);
  const dl::Tensor& w = *conv.parameters()[0].value;
  const dl::Tensor& b = *conv.parameters()[1].value;
  const dl::Tensor& db = *conv.parameters()[1].grad;
  for (int f = 0; f < 2; ++f) {
    double expected = 0;
    for (int p = 0; p < 4; ++p) {
      double z = b[f] + x[p] * w[f], g;
      const double one = 1.0;
      dl::activation_backward_from_input(ActivationKind::mish, &z, &one, &g, 1);
      expected += g;
    }
    CHECK(db[f] == doctest::Approx(expected).epsilon(1e-5));
  }
}
