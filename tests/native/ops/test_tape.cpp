// The op tape: gradients of whole computations (a two-layer network's loss, a tensor read
// twice, broadcasting) against the derivatives worked out by hand; what it does with a
// source the target does not depend on, a seed, nested recording, and ops without a
// gradient.
#include <doctest/doctest.h>

#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/rng.h"
#include "ops/tape.h"

using dl::Tensor;
using dl::ops::Attrs;
using dl::ops::Tape;
using dl::ops::Value;

namespace {

Value make(std::vector<int> shape, std::vector<float> values) {
  return std::make_shared<Tensor>(std::move(shape), std::move(values));
}

Value random_tensor(std::vector<int> shape, dl::Rng& rng) {
  auto t = std::make_shared<Tensor>(std::move(shape));
  for (std::size_t i = 0; i < t->size(); ++i) (*t)[i] = static_cast<float>(rng.uniform(-1, 1));
  return t;
}

}  // namespace

TEST_CASE("a tensor read twice gets the sum of both gradients: d(x*x + x)/dx = 2x + 1") {
  Tape tape;
  tape.start();
  const Value x = make({3}, {-1.5f, 0.25f, 2});
  const Value y = tape.run("add", {tape.run("mul", {x, x}), x});
  const Value loss = tape.run("sum", {y});
  const auto grads = tape.gradients(loss, {x});
  REQUIRE(grads[0]);
  CHECK(grads[0]->values() == std::vector<float>{-2, 1.5f, 5});
}

TEST_CASE("a two-layer network's loss: the tape's gradients equal the backpropagation written out by hand") {
  // loss = mean((relu(x W1 + b1) W2 - t)^2), x: (4, 3), W1: (3, 5), b1: (5), W2: (5, 2).
  dl::Rng rng(7);
  const Value x = random_tensor({4, 3}, rng), w1 = random_tensor({3, 5}, rng), b1 = random_tensor({5}, rng),
              w2 = random_tensor({5, 2}, rng), t = random_tensor({4, 2}, rng);
  Tape tape;
  tape.start();
  const Value pre = tape.run("add", {tape.run("matMul", {x, w1}), b1});
  const Value h = tape.run("relu", {pre});
  const Value out = tape.run("matMul", {h, w2});
  const Value loss = tape.run("mean", {tape.run("squaredDifference", {out, t})});
  const auto g = tape.gradients(loss, {w1, b1, w2, x});
  // By hand, in double: dout = 2 (out - t) / 8; dW2 = h^T dout; dh = dout W2^T;
  // dpre = dh where pre > 0; dW1 = x^T dpre; db1 = the sum of dpre's rows; dx = dpre W1^T.
  std::vector<double> dout(8), dpre(20, 0), dw1(15, 0), db1(5, 0), dw2(10, 0), dx(12, 0);
  for (int i = 0; i < 8; ++i) dout[i] = 2.0 * ((*out)[i] - (*t)[i]) / 8;
  for (int j = 0; j < 5; ++j)
    for (int o = 0; o < 2; ++o)
      for (int i = 0; i < 4; ++i) dw2[j * 2 + o] += (*h)[i * 5 + j] * dout[i * 2 + o];
  for (int i = 0; i < 4; ++i)
    for (int j = 0; j < 5; ++j) {
      double dh = 0;
      for (int o = 0; o < 2; ++o) dh += dout[i * 2 + o] * (*w2)[j * 2 + o];
      dpre[i * 5 + j] = (*pre)[i * 5 + j] > 0 ? dh : 0;
      db1[j] += dpre[i * 5 + j];
    }
  for (int a = 0; a < 3; ++a)
    for (int j = 0; j < 5; ++j)
      for (int i = 0; i < 4; ++i) {
        dw1[a * 5 + j] += (*x)[i * 3 + a] * dpre[i * 5 + j];
        dx[i * 3 + a] += dpre[i * 5 + j] * (*w1)[a * 5 + j];
      }
  const std::vector<std::vector<double>*> expected = {&dw1, &db1, &dw2, &dx};
  const char* names[] = {"W1", "b1", "W2", "x"};
  for (int k = 0; k < 4; ++k) {
    REQUIRE(g[k]);
    REQUIRE(g[k]->size() == expected[k]->size());
    for (std::size_t i = 0; i < g[k]->size(); ++i) {
      INFO(names[k] << "[" << i << "]: tape " << (*g[k])[i] << ", by hand " << (*expected[k])[i]);
      CHECK(std::abs((*g[k])[i] - (*expected[k])[i]) < 1e-6);
    }
  }
}

TEST_CASE("a source the target does not depend on gets no gradient; a seed weighs the target's values") {
  Tape tape;
  tape.start();
  const Value a = make({2}, {1, 2}), b = make({2}, {3, 4});
  const Value y = tape.run("mul", {a, a});
  const auto none = tape.gradients(y, {a, b}, make({2}, {10, 100}));
  REQUIRE(none[0]);
  CHECK(none[0]->values() == std::vector<float>{20, 400});
  CHECK(none[1] == nullptr);
  // The target as its own source: its gradient is the seed (ones without one).
  CHECK(tape.gradients(y, {y})[0]->values() == std::vector<float>{1, 1});
  try {
    tape.gradients(y, {a}, make({3}, {1, 1, 1}));
    FAIL("a seed of the wrong shape was taken");
  } catch (const dl::EngineError& e) {
    CHECK(std::string(e.what()) == "gradients: the seed has shape [3]; the target's shape is [2]");
  }
}

TEST_CASE(
    "recording: ops run while stopped are not written down, nested starts keep it going, ops without a "
    "gradient stop it") {
  Tape tape;
  const Value x = make({2}, {0.5f, -2});
  CHECK(tape.run("exp", {x})->size() == 2);
  CHECK(tape.size() == 0);
  tape.start();
  tape.start();
  const Value y = tape.run("exp", {x});
  tape.stop();
  CHECK(tape.recording());
  CHECK(tape.size() == 1);
  // greater has no gradient: a loss through it does not depend on x.
  const Value mask = tape.run("greater", {x, make({}, {0})});
  const Value z = tape.run("mul", {mask, y});
  const auto g = tape.gradients(tape.run("sum", {z}), {x});
  REQUIRE(g[0]);
  CHECK(std::abs((*g[0])[0] - std::exp(0.5f)) < 1e-6);
  CHECK((*g[0])[1] == 0);
  tape.stop();
  CHECK(!tape.recording());
  CHECK(tape.size() == 0);
  try {
    tape.run("matMul", {x, x});
    FAIL("matMul of vectors was taken");
  } catch (const dl::EngineError& e) {
    CHECK(std::string(e.what()) == "matMul: expected a and b of rank 2 or more; got shapes [2] and [2]");
  }
}

TEST_CASE("tapes side by side: an op is recorded only for the tapes listed, and a stop forgets only its own") {
  Tape tape;
  const Value x = make({2}, {1, 2});
  tape.start(1);
  tape.start(2);
  const std::vector<int> first{1}, second{2}, none{};
  const Value a = tape.run("square", {x}, {}, &first);   // tape 1: d/dx = 2x
  const Value b = tape.run("mul", {x, x}, {}, &second);  // tape 2: d/dx = 2x too
  const Value c = tape.run("exp", {x}, {}, &none);       // no tape: not recorded
  CHECK(tape.size() == 2);
  // On tape 2, a (tape 1's) is not a path from x: its gradient there is none.
  CHECK(tape.gradients(a, {x}, nullptr, 2)[0] == nullptr);
  CHECK(tape.gradients(b, {x}, nullptr, 2)[0]->values() == std::vector<float>{2, 4});
  CHECK(tape.gradients(c, {x}, nullptr, 1)[0] == nullptr);
  tape.stop(1);
  CHECK(tape.size() == 1);
  CHECK(tape.gradients(b, {x}, nullptr, 2)[0]->values() == std::vector<float>{2, 4});
  tape.stop(2);
  CHECK(tape.size() == 0);
  CHECK_FALSE(tape.recording());
}
