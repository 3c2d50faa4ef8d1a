// Outputs of several steps: the loss and the metrics average a sample's steps as Keras
// does (sparse labels one per step); masks made by Masking reach the loss through the
// layers that keep them, so that padded steps count in no loss or metric; RepeatVector,
// TimeDistributed and Masking have gradients that match central differences.
#include <doctest/doctest.h>

#include <cmath>

#include "io/model_description.h"
#include "model_check.h"

namespace {

const char* kStepsModel = R"({"seed": 7, "layers": [
  {"type": "masking", "inputShape": [4, 3]},
  {"type": "timeDistributed", "layer": {"type": "dense", "units": 5, "activation": "softmax"}}],
  "compile": {"optimizer": "sgd", "loss": "sparse_categorical_crossentropy", "metrics": ["accuracy"]}})";

long counted(const dl::ClassReport& r) {
  long n = 0;
  for (long s : r.support) n += s;
  return n;
}

int argmax(const float* p, int c) { return static_cast<int>(std::max_element(p, p + c) - p); }

}  // namespace

TEST_CASE("a loss over steps is the mean of -log p over every step, and accuracy the share of steps right") {
  auto model = dl::model_from_json(kStepsModel);
  dl::Rng rng(3);
  const dl::Tensor x = check::random_tensor({6, 4, 3}, rng);
  dl::Tensor y({6, 4});
  for (std::size_t i = 0; i < y.size(); ++i) y[i] = static_cast<float>(i * 7 % 5);
  const dl::Tensor p = model->predict(x);
  double loss = 0, right = 0;
  for (int r = 0; r < 24; ++r) {
    loss -= std::log(static_cast<double>(p[r * 5 + static_cast<int>(y[r])]));
    right += argmax(p.data() + r * 5, 5) == static_cast<int>(y[r]);
  }
  const dl::Evaluation e = model->evaluate(x, y, 4);
  CHECK(e.loss == doctest::Approx(loss / 24).epsilon(1e-5));
  CHECK(e.metrics.at("accuracy") == doctest::Approx(right / 24).epsilon(1e-6));
  CHECK(counted(e.report) == 24);

  // One-hot targets per step give the same loss with categorical cross-entropy.
  auto hot = dl::model_from_json(std::string(kStepsModel).replace(std::string(kStepsModel).find("sparse_"), 7, ""));
  dl::Tensor one_hot({6, 4, 5});
  for (int r = 0; r < 24; ++r) one_hot[r * 5 + static_cast<int>(y[r])] = 1;
  CHECK(hot->evaluate(x, one_hot, 6).loss == doctest::Approx(loss / 24).epsilon(1e-5));
}

TEST_CASE("padded steps count in no loss or metric, and their targets change nothing") {
  auto model = dl::model_from_json(kStepsModel);
  dl::Rng rng(5);
  dl::Tensor x = check::random_tensor({5, 4, 3}, rng);
  // Sample i has its last i % 4 steps padded (all zeros).
  std::vector<int> real;
  for (int i = 0; i < 5; ++i)
    for (int t = 0; t < 4; ++t) {
      const bool pad = t >= 4 - i % 4;
      if (pad)
        std::fill_n(x.data() + (i * 4 + t) * 3, 3, 0.0f);
      else
        real.push_back(i * 4 + t);
    }
  dl::Tensor y({5, 4});
  for (std::size_t i = 0; i < y.size(); ++i) y[i] = static_cast<float>(i * 3 % 5);
  const dl::Tensor p = model->predict(x);
  double loss = 0, right = 0;
  for (int r : real) {
    loss -= std::log(static_cast<double>(p[r * 5 + static_cast<int>(y[r])]));
    right += argmax(p.data() + r * 5, 5) == static_cast<int>(y[r]);
  }
  const dl::Evaluation e = model->evaluate(x, y, 5);
  CHECK(e.loss == doctest::Approx(loss / real.size()).epsilon(1e-5));
  CHECK(e.metrics.at("accuracy") == doctest::Approx(right / real.size()).epsilon(1e-6));
  CHECK(counted(e.report) == static_cast<long>(real.size()));

  // Other labels at the padded steps: the same loss and the same step of training.
  dl::Tensor other = y;
  for (std::size_t r = 0; r < other.size(); ++r)
    if (std::find(real.begin(), real.end(), static_cast<int>(r)) == real.end()) other[r] = 4 - other[r];
  auto twin = dl::model_from_json(kStepsModel);
  dl::Logs sums, twin_sums;
  const double a = model->train_step(x, y, {}, sums, [] {});
  const double b = twin->train_step(x, other, {}, twin_sums, [] {});
  CHECK(a == doctest::Approx(b).epsilon(1e-6));
  CHECK(model->parameters()[0].value->values() == twin->parameters()[0].value->values());
}

TEST_CASE("gradients through Masking, RepeatVector and TimeDistributed match central differences") {
  auto model = dl::model_from_json(R"({"seed": 2, "layers": [
    {"type": "dense", "units": 3, "activation": "tanh", "inputShape": [4]},
    {"type": "repeatVector", "n": 3},
    {"type": "masking", "maskValue": 0.5},
    {"type": "timeDistributed", "layer": {"type": "dense", "units": 2, "activation": "tanh"}}]})");
  dl::Rng rng(8);
  check::check_model_gradients(*model, check::random_tensor({2, 4}, rng));
}

TEST_CASE("sequence layers refuse inputs without steps and wrapped layers that do not fit, naming both") {
  auto error_of = [](const char* json) {
    try {
      dl::model_from_json(json);
    } catch (const dl::EngineError& e) {
      return std::string(e.what());
    }
    return std::string("(no error)");
  };
  CHECK(error_of(R"({"layers": [{"type": "masking", "inputShape": [4]}]})")
            .find("expects a sequence of shape (None, steps, features)") != std::string::npos);
  CHECK(error_of(R"({"layers": [{"type": "repeatVector", "n": 2, "inputShape": [4, 2]}]})")
            .find("expects a flat input") != std::string::npos);
  CHECK(error_of(R"({"layers": [{"type": "repeatVector", "n": 0, "inputShape": [4]}]})").find("n must be") !=
        std::string::npos);
  CHECK(
      error_of(
          R"({"layers": [{"type": "timeDistributed", "layer": {"type": "conv2d", "filters": 2, "kernelSize": 3}, "inputShape": [4, 5]}]})")
          .find("cannot take") != std::string::npos);
  CHECK(error_of(R"({"layers": [{"type": "timeDistributed", "layer": 3, "inputShape": [4, 5]}]})")
            .find("must be a layer's description") != std::string::npos);
  CHECK(error_of(R"({"layers": [{"type": "timeDistributed", "layer": {"type": "nope"}, "inputShape": [4, 5]}]})")
            .find("unknown layer type") != std::string::npos);
}

TEST_CASE("a layer of several outputs is named output by output, and gradients flow back through each") {
  auto model = dl::model_from_json(R"({"seed": 4,
    "inputs": [{"name": "x", "shape": [3, 2]}],
    "layers": [
      {"type": "lstm", "units": 3, "returnSequences": true, "returnState": true, "recurrentActivation": "sigmoid",
       "name": "lstm", "inputs": ["x"]},
      {"type": "timeDistributed", "layer": {"type": "dense", "units": 2, "activation": "tanh"}, "name": "steps",
       "inputs": ["lstm#0"]},
      {"type": "concatenate", "name": "states", "inputs": ["lstm#1", "lstm#2"]},
      {"type": "dense", "units": 2, "activation": "tanh", "name": "out", "inputs": ["states"]}],
    "outputs": ["out", "steps", "lstm#2"]})");
  const std::vector<dl::Node>& nodes = model->graph().nodes();
  int parts = 0;
  for (const dl::Node& n : nodes) parts += n.part >= 0;
  CHECK(parts == 3);  // lstm#0, #1 and #2, each once
  CHECK(model->output_shape() == std::vector<int>{2 + 6 + 3});
  dl::Rng rng(6);
  const dl::Tensor x = check::random_tensor({2, 3, 2}, rng);
  // The state h is the last step of the sequence output.
  const dl::Tensor& out = model->forward(x, false);
  (void)out;
  int seq = -1, h = -1;
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    if (nodes[i].name == "lstm#0") seq = static_cast<int>(i);
    if (nodes[i].name == "lstm#1") h = static_cast<int>(i);
  }
  REQUIRE(seq >= 0);
  REQUIRE(h >= 0);
  for (int r = 0; r < 2; ++r)
    for (int u = 0; u < 3; ++u)
      CHECK(model->graph().value(h)[r * 3 + u] == doctest::Approx(model->graph().value(seq)[r * 9 + 6 + u]));
  check::check_model_gradients(*model, x);
}

TEST_CASE("a layer of several outputs must be named with one, and a chain refuses it") {
  auto error_of = [](const std::string& json) {
    try {
      dl::model_from_json(json);
    } catch (const dl::EngineError& e) {
      return std::string(e.what());
    }
    return std::string("(no error)");
  };
  const std::string graph = R"({"inputs": [{"name": "x", "shape": [3, 2]}],
    "layers": [{"type": "gru", "units": 3, "returnState": true, "name": "gru", "inputs": ["x"]},
               {"type": "dense", "units": 2, "name": "out", "inputs": ["REF"]}], "outputs": ["out"]})";
  auto with = [&](const std::string& ref) { return std::string(graph).replace(graph.find("REF"), 3, ref); };
  CHECK(error_of(with("gru")).find("gives 2 outputs; name one of them, from \"gru#0\" to \"gru#1\"") !=
        std::string::npos);
  CHECK(error_of(with("gru#2")).find("gives 2 outputs (\"gru\"#0 to #1)") != std::string::npos);
  CHECK(error_of(with("gru#1")) == "(no error)");
  CHECK(error_of(R"({"layers": [{"type": "lstm", "units": 2, "returnState": true, "inputShape": [3, 2]}]})")
            .find("a chain takes layers of one output") != std::string::npos);
}
