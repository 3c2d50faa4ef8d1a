// Learning-rate schedules give Keras' documented rates at given steps and drive the
// optimizer during fit; reduce-on-plateau and early stopping count epochs as Keras and
// TensorFlow.js do; restoring the best weights gives the best epoch's weights exactly.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>

#include "io/model_description.h"
#include "train/fit_session.h"
#include "train/schedule.h"

namespace {

// Three separable blobs, 3 classes; the model is compiled with `optimizer`.
std::unique_ptr<dl::Sequential> blob_model(const std::string& optimizer) {
  return dl::model_from_json(R"({"seed": 2, "layers": [
    {"type": "dense", "units": 8, "activation": "tanh", "inputShape": [2]},
    {"type": "dense", "units": 3, "activation": "softmax"}],
    "compile": {"optimizer": )" +
                             optimizer + R"(, "loss": "sparse_categorical_crossentropy", "metrics": ["accuracy"]}})");
}

void blobs(int n, dl::Tensor& x, dl::Tensor& y) {
  dl::Rng rng(5);
  x = dl::Tensor({n, 2});
  y = dl::Tensor({n});
  const float cx[3] = {-2, 2, 0}, cy[3] = {-1, -1, 2};
  for (int i = 0; i < n; ++i) {
    const int k = i % 3;
    x[2 * i] = cx[k] + static_cast<float>(rng.normal() * 0.7);
    x[2 * i + 1] = cy[k] + static_cast<float>(rng.normal() * 0.7);
    y[i] = static_cast<float>(k);
  }
}

dl::LearningRateSchedule schedule(const char* json) { return dl::schedule_from_json(dl::Json::parse(json)); }

}  // namespace

TEST_CASE("each decay schedule gives Keras' documented rate at given steps") {
  auto step = schedule(R"({"type": "step_decay", "decaySteps": 10, "decayRate": 0.5})");
  CHECK(dl::scheduled_rate(step, 0.1, 0) == doctest::Approx(0.1));
  CHECK(dl::scheduled_rate(step, 0.1, 9) == doctest::Approx(0.1));
  CHECK(dl::scheduled_rate(step, 0.1, 10) == doctest::Approx(0.05));
  CHECK(dl::scheduled_rate(step, 0.1, 25) == doctest::Approx(0.025));
  // Keras: initial_learning_rate * decay_rate ^ (step / decay_steps).
  auto exponential = schedule(R"({"type": "exponentialDecay", "decaySteps": 10, "decayRate": 0.5})");
  CHECK(dl::scheduled_rate(exponential, 0.1, 5) == doctest::Approx(0.1 * std::sqrt(0.5)));
  CHECK(dl::scheduled_rate(exponential, 0.1, 30) == doctest::Approx(0.0125));
  // Keras: (1 - alpha) * 0.5 * (1 + cos(pi * min(step, decay_steps) / decay_steps)) + alpha.
  auto cosine = schedule(R"({"type": "cosine_decay", "decaySteps": 100, "alpha": 0.1})");
  CHECK(dl::scheduled_rate(cosine, 0.1, 0) == doctest::Approx(0.1));
  CHECK(dl::scheduled_rate(cosine, 0.1, 50) == doctest::Approx(0.1 * (0.9 * 0.5 + 0.1)));
  CHECK(dl::scheduled_rate(cosine, 0.1, 100) == doctest::Approx(0.01));
  CHECK(dl::scheduled_rate(cosine, 0.1, 500) == doctest::Approx(0.01));
}

TEST_CASE("a schedule sets the rate of every update during fit, and the epochs log it") {
  auto model = blob_model(R"({"type": "sgd", "learningRate": 0.2})");
  dl::Tensor x, y;
  blobs(90, x, y);
  dl::FitOptions options = dl::fit_options_from_json(
      R"({"epochs": 4, "batchSize": 30, "schedule": {"type": "step_decay", "decaySteps": 5, "decayRate": 0.5}})");
  std::vector<double> rates;
  options.on_batch_end = [&](const dl::BatchEnd& e) { rates.push_back(e.learning_rate); };
  dl::History h = model->fit(x, y, options);
  REQUIRE(rates.size() == 12);
  for (std::size_t i = 0; i < rates.size(); ++i)
    CHECK(rates[i] == doctest::Approx(0.2 * std::pow(0.5, std::floor(i / 5.0))).epsilon(1e-6));
  // An epoch logs the rate of its last update: batches 2, 5, 8 and 11.
  REQUIRE(h.values["lr"].size() == 4);
  CHECK(h.values["lr"][1] == doctest::Approx(0.1));
  CHECK(h.values["lr"][3] == doctest::Approx(0.05));
}

TEST_CASE("reduce on plateau multiplies the rate by its factor after `patience` epochs without improvement") {
  // A rate too small to change the loss by minDelta: no epoch after the first improves.
  auto model = blob_model(R"({"type": "sgd", "learningRate": 1e-7})");
  dl::Tensor x, y;
  blobs(60, x, y);
  dl::FitOptions options = dl::fit_options_from_json(
      R"({"epochs": 7, "batchSize": 60, "shuffle": false,
          "schedule": {"type": "reduce_on_plateau", "monitor": "loss", "factor": 0.5, "patience": 2}})");
  dl::History h = model->fit(x, y, options);
  const std::vector<double> expected{1e-7, 1e-7, 1e-7, 5e-8, 5e-8, 2.5e-8, 2.5e-8};
  REQUIRE(h.values["lr"].size() == expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) CHECK(h.values["lr"][i] == doctest::Approx(expected[i]));
}

TEST_CASE("early stopping stops after `patience` epochs without improvement, as Keras and TensorFlow.js") {
  auto model = blob_model(R"({"type": "sgd", "learningRate": 1e-7})");
  dl::Tensor x, y;
  blobs(60, x, y);
  dl::FitOptions options = dl::fit_options_from_json(
      R"({"epochs": 50, "batchSize": 60, "earlyStopping": {"monitor": "loss", "patience": 3, "minDelta": 0.001}})");
  // Epoch 0 improves (from infinity); epochs 1, 2 and 3 do not: it stops after epoch 3.
  CHECK(model->fit(x, y, options).epochs_run == 4);
}

TEST_CASE("restoring the best weights leaves exactly the weights of the best epoch") {
  auto model = blob_model(R"({"type": "sgd", "learningRate": 3, "momentum": 0.9})");
  dl::Tensor x, y;
  blobs(150, x, y);
  dl::FitOptions options = dl::fit_options_from_json(
      R"({"epochs": 40, "batchSize": 10, "validationSplit": 0.2,
          "earlyStopping": {"monitor": "val_loss", "patience": 4, "restoreBestWeights": true}})");
  std::vector<std::vector<std::vector<float>>> after_epoch;
  options.on_epoch_end = [&](const dl::EpochEnd&) {
    std::vector<std::vector<float>> w;
    for (const dl::Parameter& p : model->parameters()) w.push_back(p.value->values());
    after_epoch.push_back(w);
  };
  dl::History h = model->fit(x, y, options);
  const auto& losses = h.values["val_loss"];
  const std::size_t best = std::min_element(losses.begin(), losses.end()) - losses.begin();
  REQUIRE(h.epochs_run >= 2);
  CHECK(best + 1 < losses.size());  // the run went on past its best epoch...
  std::vector<std::vector<float>> now;
  for (const dl::Parameter& p : model->parameters()) now.push_back(p.value->values());
  CHECK(now == after_epoch[best]);  // ...and came back to it
}

TEST_CASE("a schedule's bad options are refused by name") {
  CHECK_THROWS_WITH(schedule(R"({"type": "cosine"})"),
                    doctest::Contains("unknown schedule \"cosine\"; expected one of step_decay"));
  CHECK_THROWS_WITH(schedule(R"({"type": "cosine_decay", "factor": 0.5})"),
                    doctest::Contains("unknown option \"factor\"; expected one of type, decaySteps, alpha"));
  CHECK_THROWS_WITH(schedule(R"({"type": "step_decay", "decaySteps": 0})"),
                    doctest::Contains("decaySteps must be a whole number from 1"));
  auto model = blob_model(R"({"type": "sgd", "learningRate": 0.1})");
  dl::Tensor x, y;
  blobs(30, x, y);
  CHECK_THROWS_WITH(model->fit(x, y, dl::fit_options_from_json(R"({"schedule": {"type": "reduce_on_plateau"}})")),
                    doctest::Contains("schedule monitors \"val_loss\" but there is no validation data"));
  CHECK_THROWS_WITH(
      model->fit(x, y, dl::fit_options_from_json(R"({"schedule": {"type": "step_decay", "decayRate": 2}})")),
      doctest::Contains("decayRate must be in (0, 1]"));
}

TEST_CASE("a frozen layer's weights are bit-identical after fit while the others change") {
  auto model = dl::model_from_json(R"({"seed": 2, "layers": [
    {"type": "dense", "units": 8, "activation": "tanh", "inputShape": [2], "trainable": false},
    {"type": "dense", "units": 3, "activation": "softmax"}],
    "compile": {"optimizer": "adam", "loss": "sparse_categorical_crossentropy"}})");
  dl::Tensor x, y;
  blobs(90, x, y);
  std::vector<std::vector<float>> before;
  for (const dl::Parameter& p : model->parameters()) before.push_back(p.value->values());
  model->fit(x, y, dl::fit_options_from_json(R"({"epochs": 3, "batchSize": 10})"));
  std::vector<dl::Parameter> after = model->parameters();
  CHECK(after[0].value->values() == before[0]);  // the frozen kernel
  CHECK(after[1].value->values() == before[1]);  // and its bias
  CHECK(after[2].value->values() != before[2]);  // the trainable layer learned
  CHECK(model->trainable_parameters().size() == 2);
  CHECK(model->summary().find("Non-trainable params: 24") != std::string::npos);
}

TEST_CASE(
    "the backward pass ends at the first trainable layer: the layers below get zero gradients, the rest the same") {
  const char* text = R"({"seed": 4, "layers": [
    {"type": "dense", "units": 8, "activation": "tanh", "inputShape": [2]},
    {"type": "dense", "units": 6, "activation": "relu"},
    {"type": "dense", "units": 3, "activation": "softmax"}],
    "compile": {"optimizer": "sgd", "loss": "sparse_categorical_crossentropy"}})";
  auto frozen = dl::model_from_json(text);
  auto free = dl::model_from_json(text);
  dl::Tensor x, y;
  blobs(30, x, y);
  // One step with every layer trainable fills the first layer's gradients.
  frozen->train_on_batch(x, y);
  free->train_on_batch(x, y);
  CHECK(frozen->parameters()[0].grad->values() != std::vector<float>(16, 0.0f));
  frozen->layers()[0]->trainable = false;
  frozen->train_on_batch(x, y);
  free->train_on_batch(x, y);
  std::vector<dl::Parameter> a = frozen->parameters(), b = free->parameters();
  CHECK(a[0].grad->values() == std::vector<float>(16, 0.0f));
  CHECK(a[1].grad->values() == std::vector<float>(8, 0.0f));
  // The layers above the frozen one got the same gradients and updates as in the model
  // trained throughout (the first layer's weights still equal: both moved once).
  for (std::size_t k = 2; k < a.size(); ++k) {
    CHECK(a[k].grad->values() == b[k].grad->values());
    CHECK(a[k].value->values() == b[k].value->values());
  }
}
