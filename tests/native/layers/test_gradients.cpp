// Finite-difference gradient checks, in double precision, for every layer kernel,
// activation and loss: input gradients and parameter gradients, on odd sizes.
#include <doctest/doctest.h>

#include "../gradient_check.h"
#include "layers/activation.h"
#include "layers/dense.h"
#include "layers/dropout.h"
#include "layers/reshape.h"
#include "train/losses.h"

using check::expect_gradient;

TEST_CASE("dense gradients match central differences for input, kernel and bias") {
  for (auto [n, in, out] : {std::tuple{1, 1, 1}, std::tuple{3, 7, 5}, std::tuple{4, 17, 3}}) {
    dl::Rng rng(11);
    auto x = check::random_values(n * in, rng), w = check::random_values(in * out, rng),
         b = check::random_values(out, rng);
    auto r = check::random_values(n * out, rng);
    auto loss = [&] {
      std::vector<double> z(n * out);
      dl::dense_forward(x.data(), w.data(), b.data(), z.data(), n, in, out);
      return check::dot(z, r);
    };
    std::vector<double> dx(n * in), dw(in * out), db(out);
    dl::dense_backward(x.data(), w.data(), r.data(), dx.data(), dw.data(), db.data(), n, in, out);
    expect_gradient("dense dx", x, dx, loss);
    expect_gradient("dense dw", w, dw, loss);
    expect_gradient("dense db", b, db, loss);
  }
}

TEST_CASE("every activation's gradient matches central differences away from kinks") {
  for (dl::ActivationKind kind :
       {dl::ActivationKind::linear, dl::ActivationKind::relu, dl::ActivationKind::leaky_relu, dl::ActivationKind::elu,
        dl::ActivationKind::sigmoid, dl::ActivationKind::tanh, dl::ActivationKind::softmax}) {
    CAPTURE(dl::activation_name(kind));
    const int n = 3, d = 7;
    dl::Rng rng(5);
    auto x = check::values_off_zero(n * d, rng);
    for (double& v : x) v *= 3;  // reach the saturating parts of sigmoid and tanh
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

TEST_CASE("softmax rows sum to one and survive huge logits") {
  std::vector<double> x{1000, 1001, 999, -1000, 0, 1000}, y(6);
  dl::activation_forward(dl::ActivationKind::softmax, x.data(), y.data(), 2, 3);
  CHECK(y[0] + y[1] + y[2] == doctest::Approx(1.0));
  CHECK(y[3] + y[4] + y[5] == doctest::Approx(1.0));
  CHECK(y[5] == doctest::Approx(1.0));
}

TEST_CASE("dropout gradient is the same mask as its forward") {
  dl::Rng rng(3);
  const int n = 17;
  auto x = check::random_values(n, rng), r = check::random_values(n, rng);
  std::vector<double> mask(n);
  for (double& m : mask) m = rng.uniform() < 0.6 ? 1.0 / 0.6 : 0.0;
  auto loss = [&] {
    std::vector<double> y(n);
    dl::dropout_apply(x.data(), mask.data(), y.data(), n);
    return check::dot(y, r);
  };
  std::vector<double> dx(n);
  dl::dropout_apply(r.data(), mask.data(), dx.data(), n);
  expect_gradient("dropout dx", x, dx, loss);
}

TEST_CASE("dropout layer keeps the expected fraction in training and is the identity in inference") {
  dl::Rng rng(1);
  dl::DropoutLayer layer(0.25f);
  layer.rng = &rng;
  layer.input_shape = layer.output_shape = layer.build({1000});
  dl::Tensor x({4, 1000}, 1.0f), y({4, 1000}), dy({4, 1000}, 1.0f), dx({4, 1000});
  layer.forward(x, y, true);
  int kept = 0;
  for (float v : y.values()) {
    CHECK((v == 0.0f || v == doctest::Approx(1.0f / 0.75f)));
    kept += v != 0.0f;
  }
  CHECK(kept == doctest::Approx(3000).epsilon(0.05));
  layer.backward(x, y, dy, &dx);
  CHECK(dx.values() == y.values());
  layer.forward(x, y, false);
  CHECK(y.values() == x.values());
}

TEST_CASE("flatten keeps the values in order both ways") {
  dl::FlattenLayer layer;
  layer.input_shape = {2, 3, 4};
  layer.output_shape = layer.build(layer.input_shape);
  CHECK(layer.output_shape == std::vector<int>{24});
  dl::Tensor x({5, 2, 3, 4}, 1.5f), y({5, 24}), dx({5, 2, 3, 4});
  x[7] = 3.0f;
  layer.forward(x, y, true);
  CHECK(y.values() == x.values());
  layer.backward(x, y, y, &dx);
  CHECK(dx.values() == x.values());
}

namespace {

// Targets for a loss check: one-hot rows, class indices, or values in (0, 1).
std::vector<double> targets_for(dl::LossKind kind, int n, int c, dl::Rng& rng) {
  if (kind == dl::LossKind::sparse_categorical_crossentropy) {
    std::vector<double> y(n);
    for (double& v : y) v = rng.below(c);
    return y;
  }
  std::vector<double> y(n * c, 0.0);
  if (kind == dl::LossKind::categorical_crossentropy) {
    for (int i = 0; i < n; ++i) y[i * c + rng.below(c)] = 1.0;
    return y;
  }
  for (double& v : y) v = rng.uniform(0.05, 0.95);
  return y;
}

}  // namespace

TEST_CASE("every loss's gradient matches central differences, from probabilities and from logits") {
  for (dl::LossKind kind :
       {dl::LossKind::mean_squared_error, dl::LossKind::mean_absolute_error, dl::LossKind::binary_crossentropy,
        dl::LossKind::categorical_crossentropy, dl::LossKind::sparse_categorical_crossentropy}) {
    CAPTURE(dl::loss_name(kind));
    const int n = 3, c = 7;
    dl::Rng rng(9);
    auto y = targets_for(kind, n, c, rng);
    auto scale = check::random_values(n, rng, 0.1, 1.0);
    auto p = check::random_values(n * c, rng, 0.05, 0.95);
    if (kind == dl::LossKind::mean_absolute_error)
      for (std::size_t i = 0; i < p.size(); ++i)
        if (std::abs(p[i] - y[i]) < 0.05) p[i] += 0.1;
    auto loss = [&] {
      std::vector<double> l(n);
      dl::loss_forward(kind, p.data(), y.data(), l.data(), n, c);
      return check::dot(l, scale);
    };
    std::vector<double> dp(n * c);
    dl::loss_backward(kind, p.data(), y.data(), scale.data(), dp.data(), n, c);
    expect_gradient("loss dp", p, dp, loss);

    if (!dl::is_cross_entropy(kind)) continue;
    auto z = check::random_values(n * c, rng, -4.0, 4.0);
    auto logit_loss = [&] {
      std::vector<double> l(n);
      dl::loss_forward_logits(kind, z.data(), y.data(), l.data(), n, c);
      return check::dot(l, scale);
    };
    std::vector<double> dz(n * c);
    dl::loss_backward_logits(kind, z.data(), y.data(), scale.data(), dz.data(), n, c);
    expect_gradient("loss dz", z, dz, logit_loss);
  }
}

TEST_CASE("fused cross-entropy from logits equals cross-entropy of the softmax and stays finite") {
  dl::Rng rng(2);
  const int n = 4, c = 5;
  auto z = check::random_values(n * c, rng, -3.0, 3.0);
  std::vector<double> y(n * c, 0.0);
  for (int i = 0; i < n; ++i) y[i * c + i % c] = 1.0;
  std::vector<double> p(n * c), direct(n), fused(n);
  dl::activation_forward(dl::ActivationKind::softmax, z.data(), p.data(), n, c);
  dl::loss_forward(dl::LossKind::categorical_crossentropy, p.data(), y.data(), direct.data(), n, c);
  dl::loss_forward_logits(dl::LossKind::categorical_crossentropy, z.data(), y.data(), fused.data(), n, c);
  for (int i = 0; i < n; ++i) CHECK(fused[i] == doctest::Approx(direct[i]).epsilon(1e-9));

  std::vector<float> big{1e4f, -1e4f}, target{0.0f, 1.0f};
  float l = 0;
  dl::loss_forward_logits(dl::LossKind::categorical_crossentropy, big.data(), target.data(), &l, 1, 2);
  CHECK(l == doctest::Approx(2e4f));
}
