// The first two steps of each optimizer on one weight (w = 1, gradient 0.5 each step),
// against values worked out from the update formulas by hand (to float precision).
#include <doctest/doctest.h>

#include "train/optimizers.h"
#include "train/variable_optimizer.h"

namespace {

// Runs two steps on 7 equal weights (four through the vector path, three through the
// scalar tail), checks that all 7 agree, and returns the weight after each step.
std::pair<float, float> two_steps(dl::OptimizerConfig config) {
  dl::Tensor w({7}, 1.0f), g({7}, 0.5f);
  dl::Optimizer opt(config);
  std::vector<dl::Parameter> params{{"w", &w, &g, {}}};
  opt.step(params);
  float first = w[0];
  for (int i = 1; i < 7; ++i) CHECK(w[i] == doctest::Approx(first).epsilon(1e-7));
  opt.step(params);
  for (int i = 1; i < 7; ++i) CHECK(w[i] == doctest::Approx(w[0]).epsilon(1e-7));
  return {first, w[0]};
}

dl::OptimizerConfig with(dl::OptimizerKind kind, float lr) {
  dl::OptimizerConfig c = dl::optimizer_defaults(kind);
  c.learning_rate = lr;
  return c;
}

}  // namespace

TEST_CASE("Keras default hyperparameters") {
  CHECK(dl::optimizer_defaults(dl::OptimizerKind::sgd).learning_rate == doctest::Approx(0.01));
  CHECK(dl::optimizer_defaults(dl::OptimizerKind::adam).learning_rate == doctest::Approx(0.001));
  CHECK(dl::optimizer_defaults(dl::OptimizerKind::adadelta).rho == doctest::Approx(0.95));
  CHECK(dl::optimizer_defaults(dl::OptimizerKind::rmsprop).rho == doctest::Approx(0.9));
  CHECK(dl::optimizer_defaults(dl::OptimizerKind::adam).epsilon == doctest::Approx(1e-7));
}

TEST_CASE("sgd: plain, momentum and nesterov steps") {
  // plain: w = 1 - 0.1*0.5 = 0.95, then 0.90
  auto [a1, a2] = two_steps(with(dl::OptimizerKind::sgd, 0.1f));
  CHECK(a1 == doctest::Approx(0.95));
  CHECK(a2 == doctest::Approx(0.90));
  // momentum 0.9: v1 = -0.05, w1 = 0.95; v2 = 0.9*-0.05 - 0.05 = -0.095, w2 = 0.855
  auto c = with(dl::OptimizerKind::sgd, 0.1f);
  c.momentum = 0.9f;
  auto [m1, m2] = two_steps(c);
  CHECK(m1 == doctest::Approx(0.95));
  CHECK(m2 == doctest::Approx(0.855));
  // nesterov: w1 = 1 + 0.9*-0.05 - 0.05 = 0.905; w2 = 0.905 + 0.9*-0.095 - 0.05 = 0.7695
  c.nesterov = true;
  auto [n1, n2] = two_steps(c);
  CHECK(n1 == doctest::Approx(0.905));
  CHECK(n2 == doctest::Approx(0.7695));
}

TEST_CASE("adam: bias-corrected first steps move by the learning rate") {
  // t=1: m = 0.05, v = 0.00025, alpha = 0.001*sqrt(0.001)/0.1; step = alpha*m/(sqrt(v)+1e-7)
  auto [w1, w2] = two_steps(dl::optimizer_defaults(dl::OptimizerKind::adam));
  CHECK(w1 == doctest::Approx(0.9990000063).epsilon(1e-7));
  CHECK(w2 == doctest::Approx(0.9980000108).epsilon(1e-7));
}

TEST_CASE("rmsprop, adagrad and adadelta first steps") {
  // rmsprop: a1 = 0.1*0.25 = 0.025, w1 = 1 - 0.001*0.5/(sqrt(0.025)+1e-7); a2 = 0.0475
  auto [r1, r2] = two_steps(dl::optimizer_defaults(dl::OptimizerKind::rmsprop));
  CHECK(r1 == doctest::Approx(0.9968377243).epsilon(1e-7));
  CHECK(r2 == doctest::Approx(0.9945435681).epsilon(1e-7));
  // adagrad: a1 = 0.1 + 0.25 = 0.35, w1 = 1 - 0.001*0.5/(sqrt(0.35)+1e-7); a2 = 0.6
  auto [g1, g2] = two_steps(dl::optimizer_defaults(dl::OptimizerKind::adagrad));
  CHECK(g1 == doctest::Approx(0.9991548459).epsilon(1e-7));
  CHECK(g2 == doctest::Approx(0.9985093487).epsilon(1e-7));
  // adadelta, lr 1.0 as the Keras MNIST example: a1 = 0.05*0.25 = 0.0125,
  // d1 = sqrt(1e-7)/sqrt(0.0125+1e-7)*0.5 = 0.0014142, b1 = 0.05*d1^2
  auto [d1, d2] = two_steps(with(dl::OptimizerKind::adadelta, 1.0f));
  CHECK(d1 == doctest::Approx(0.9985857921).epsilon(1e-7));
  CHECK(d2 == doctest::Approx(0.9971535681).epsilon(1e-7));
}

TEST_CASE("an optimizer refuses out-of-range hyperparameters by name") {
  auto c = dl::optimizer_defaults(dl::OptimizerKind::sgd);
  c.momentum = 1.5f;
  CHECK_THROWS_WITH_AS(dl::Optimizer{c}, doctest::Contains("momentum must be in [0, 1)"), dl::EngineError);
  c = dl::optimizer_defaults(dl::OptimizerKind::adam);
  c.learning_rate = -1.0f;
  CHECK_THROWS_WITH_AS(dl::Optimizer{c}, doctest::Contains("learningRate"), dl::EngineError);
}

TEST_CASE("a variable optimizer keeps each variable's state by name, whichever subset a step updates") {
  dl::VariableOptimizer opt(with(dl::OptimizerKind::adam, 0.1f));
  dl::Tensor a({3}, 1.0f), b({2}, 1.0f), g3({3}, 0.5f), g2({2}, 0.5f);
  // Adam's first step moves every weight by the learning rate, whatever the gradient.
  opt.step("a", a, g3);
  CHECK(a[0] == doctest::Approx(0.9f));
  // b's first step is a first step too, though a has had one.
  opt.step("b", b, g2);
  CHECK(b[1] == doctest::Approx(0.9f));
  // a's second step: same as a lone optimizer's second step.
  dl::Tensor alone({3}, 1.0f), g({3}, 0.5f);
  dl::Optimizer reference(with(dl::OptimizerKind::adam, 0.1f));
  std::vector<dl::Parameter> params{{"a", &alone, &g, {}}};
  reference.step(params);
  reference.step(params);
  opt.step("a", a, g3);
  CHECK(a[2] == doctest::Approx(alone[2]).epsilon(1e-7));
  // A gradient of another shape is refused by name.
  dl::Tensor wrong({4}, 0.5f);
  CHECK_THROWS_WITH(opt.step("a", a, wrong),
                    "applyGradients: the gradient of \"a\" has shape [4]; the variable's shape is [3]");
  // Reused with another shape, a name starts afresh.
  dl::Tensor c({4}, 1.0f);
  opt.step("a", c, wrong);
  CHECK(c[0] == doctest::Approx(0.9f));
}
