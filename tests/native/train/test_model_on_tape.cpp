// A model applied on the op tape (train/model_on_tape.h): gradients through ops before and
// after it, to its input and to its parameters, against central differences of the whole
// computation; a forward run again when the model ran since (dropout drawing the same
// values, moving statistics left as they were); and inputs the model cannot take.
#include <doctest/doctest.h>

#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/rng.h"
#include "io/model_description.h"
#include "ops/tape.h"
#include "train/model_on_tape.h"

using dl::Tensor;
using dl::ops::Tape;
using dl::ops::Value;

namespace {

std::shared_ptr<Tensor> random_tensor(std::vector<int> shape, dl::Rng& rng) {
  auto t = std::make_shared<Tensor>(std::move(shape));
  for (std::size_t i = 0; i < t->size(); ++i) (*t)[i] = static_cast<float>(rng.uniform(-1, 1));
  return t;
}

std::shared_ptr<dl::Sequential> make_model(const std::string& layers) {
  return std::shared_ptr<dl::Sequential>(dl::model_from_json(R"({"seed": 3, "layers": [)" + layers + "]}"));
}

const char* kMlp = R"({"type": "dense", "units": 5, "activation": "tanh", "inputShape": [3]},
                      {"type": "dense", "units": 2, "activation": "sigmoid"})";

// loss = sum(apply(a W) * r): ops before the model (matMul) and after it (mul, sum).
double loss_of(Tape& tape, const std::shared_ptr<dl::Sequential>& model, const Value& a, const Value& w, const Value& r,
               bool training, Value* out = nullptr) {
  const Value x = tape.run("matMul", {a, w});
  const Value y = dl::apply_on_tape(tape, model, std::const_pointer_cast<Tensor>(x), training);
  const Value loss = tape.run("sum", {tape.run("mul", {y, r})});
  if (out) *out = loss;
  return (*loss)[0];
}

}  // namespace

TEST_CASE("a model on the tape: gradients to what made its input and to its parameters equal central differences") {
  dl::Rng rng(11);
  auto model = make_model(kMlp);
  auto a = random_tensor({4, 6}, rng), w = random_tensor({6, 3}, rng), r = random_tensor({4, 2}, rng);
  const auto params = dl::parameter_values(model);
  REQUIRE(params.size() == 4);
  Tape tape;
  tape.start();
  Value loss;
  loss_of(tape, model, a, w, r, false, &loss);
  std::vector<Value> sources{a, w};
  for (const auto& p : params) sources.push_back(p);
  const auto grads = tape.gradients(loss, sources);
  tape.stop();
  // Central differences of the whole computation, in float: eps 1e-2 keeps the rounding
  // well under the tolerance (the layers' own checks are in double).
  for (std::size_t s = 0; s < sources.size(); ++s) {
    REQUIRE(grads[s]);
    Tensor& v = const_cast<Tensor&>(*sources[s]);
    for (std::size_t i = 0; i < v.size(); i += 3) {
      const float saved = v[i];
      Tape off;
      v[i] = saved + 1e-2f;
      const double up = loss_of(off, model, a, w, r, false);
      v[i] = saved - 1e-2f;
      const double down = loss_of(off, model, a, w, r, false);
      v[i] = saved;
      const double numeric = (up - down) / 2e-2;
      INFO("source " << s << "[" << i << "]: tape " << (*grads[s])[i] << ", numeric " << numeric);
      CHECK(std::abs((*grads[s])[i] - numeric) < 2e-3 * std::max(1.0, std::abs(numeric)));
    }
  }
}

TEST_CASE("the parameters as tensors share the model's values: a change to one is the model's") {
  auto model = make_model(kMlp);
  auto params = dl::parameter_values(model);
  (*params[1])[0] = 42.0f;
  CHECK((*model->parameters()[1].value)[0] == 42.0f);
  // They keep the model alive after the caller lets go of it.
  std::weak_ptr<dl::Sequential> weak = model;
  model.reset();
  CHECK(!weak.expired());
  params.clear();
  CHECK(weak.expired());
}

TEST_CASE(
    "a model that ran again before the gradient is taken runs the recorded forward again, with the same dropout") {
  dl::Rng rng(5);
  auto model = make_model(R"({"type": "dense", "units": 8, "activation": "relu", "inputShape": [3]},
                             {"type": "batchNormalization"}, {"type": "dropout", "rate": 0.5},
                             {"type": "dense", "units": 2})");
  auto a = random_tensor({6, 3}, rng), eye = std::make_shared<Tensor>(std::vector<int>{3, 3}, 0.0f),
       r = random_tensor({6, 2}, rng);
  for (int i = 0; i < 3; ++i) (*eye)[i * 4] = 1.0f;
  const auto params = dl::parameter_values(model);
  std::vector<Value> sources{a};
  for (const auto& p : params) sources.push_back(p);

  Tape alone;
  alone.start();
  dl::Rng same(1);
  model->rng() = same;
  Value loss;
  loss_of(alone, model, a, eye, r, true, &loss);
  const auto expected = alone.gradients(loss, sources);

  Tape tape;
  tape.start();
  model->rng() = same;
  loss_of(tape, model, a, eye, r, true, &loss);
  // The model runs on other rows before the gradient is taken.
  loss_of(tape, model, random_tensor({2, 3}, rng), eye, random_tensor({2, 2}, rng), true);
  std::vector<std::vector<float>> moving;
  for (const auto& p : model->parameters())
    if (!p.trainable) moving.push_back(p.value->values());
  const auto grads = tape.gradients(loss, sources);
  std::size_t k = 0;
  for (const auto& p : model->parameters())
    if (!p.trainable) CHECK(p.value->values() == moving[k++]);
  for (std::size_t s = 0; s < sources.size(); ++s) {
    REQUIRE(grads[s]);
    REQUIRE(expected[s]);
    for (std::size_t i = 0; i < grads[s]->size(); ++i) CHECK((*grads[s])[i] == doctest::Approx((*expected[s])[i]));
  }
}

TEST_CASE("a model on the tape refuses an input it cannot take, naming apply and the shapes") {
  auto model = make_model(kMlp);
  Tape tape;
  tape.start();
  auto wrong = std::make_shared<Tensor>(std::vector<int>{2, 4}, 0.5f);
  CHECK_THROWS_WITH_AS(dl::apply_on_tape(tape, model, wrong, false), doctest::Contains("apply"), dl::EngineError);
  auto nan = std::make_shared<Tensor>(std::vector<int>{1, 3}, std::nanf(""));
  CHECK_THROWS_AS(dl::apply_on_tape(tape, model, nan, false), dl::EngineError);
  CHECK(tape.size() == 0);
}
