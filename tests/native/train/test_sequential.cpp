// Sequential end to end: learning XOR, determinism by seed, fit options, metrics,
// summary, and the errors bad input gets (with the model left unchanged).
#include <doctest/doctest.h>

#include <cmath>

#include "io/model_description.h"
#include "train/fit_session.h"

namespace {

const char* kXorModel = R"({"seed": 7, "layers": [
  {"type": "dense", "units": 8, "activation": "tanh", "inputShape": [2]},
  {"type": "dense", "units": 1, "activation": "sigmoid"}],
  "compile": {"optimizer": {"type": "adam", "learningRate": 0.05}, "loss": "binary_crossentropy", "metrics": ["accuracy"]}})";

dl::Tensor xor_x() { return dl::Tensor({4, 2}, {0, 0, 0, 1, 1, 0, 1, 1}); }
dl::Tensor xor_y() { return dl::Tensor({4, 1}, {0, 1, 1, 0}); }

std::vector<std::vector<float>> weights_of(const dl::Sequential& m) {
  std::vector<std::vector<float>> out;
  for (const dl::Parameter& p : m.parameters()) out.push_back(p.value->values());
  return out;
}

// A 3-class toy problem: the class is which of three centres a point is near.
void blobs(int n, dl::Tensor& x, dl::Tensor& y, std::uint64_t seed) {
  dl::Rng rng(seed);
  x = dl::Tensor({n, 2});
  y = dl::Tensor({n});
  const float cx[3] = {-2, 2, 0}, cy[3] = {-1, -1, 2};
  for (int i = 0; i < n; ++i) {
    int k = i % 3;
    x[2 * i] = cx[k] + static_cast<float>(rng.normal() * 0.5);
    x[2 * i + 1] = cy[k] + static_cast<float>(rng.normal() * 0.5);
    y[i] = static_cast<float>(k);
  }
}

}  // namespace

TEST_CASE("an MLP learns XOR") {
  auto model = dl::model_from_json(kXorModel);
  dl::FitOptions options;
  options.epochs = 300;
  options.batch_size = 4;
  dl::History h = model->fit(xor_x(), xor_y(), options);
  CHECK(h.values["loss"].back() < 0.05);
  dl::Tensor p = model->predict(xor_x());
  INFO("predictions " << p[0] << " " << p[1] << " " << p[2] << " " << p[3]);
  CHECK(p[0] < 0.2f);
  CHECK(p[1] > 0.8f);
  CHECK(p[2] > 0.8f);
  CHECK(p[3] < 0.2f);
}

TEST_CASE("two runs with the same seed give bit-identical weights; another seed does not") {
  const char* model_text = R"({"seed": 3, "layers": [
    {"type": "dense", "units": 16, "activation": "relu", "inputShape": [2], "kernelInitializer": "he_normal"},
    {"type": "dropout", "rate": 0.3},
    {"type": "dense", "units": 3, "activation": "softmax"}],
    "compile": {"optimizer": "rmsprop", "loss": "sparse_categorical_crossentropy", "metrics": ["accuracy"]}})";
  dl::Tensor x, y;
  blobs(90, x, y, 1);
  dl::FitOptions options;
  options.epochs = 3;
  options.batch_size = 8;
  auto a = dl::model_from_json(model_text), b = dl::model_from_json(model_text);
  a->fit(x, y, options);
  b->fit(x, y, options);
  CHECK(weights_of(*a) == weights_of(*b));
  std::string other = model_text;
  other.replace(other.find("\"seed\": 3"), 9, "\"seed\": 4");
  auto c = dl::model_from_json(other);
  c->fit(x, y, options);
  CHECK(weights_of(*a) != weights_of(*c));
}

TEST_CASE("fit reports validation metrics, calls back after each batch and epoch, and stops early") {
  auto model = dl::model_from_json(R"({"seed": 1, "layers": [
    {"type": "dense", "units": 8, "activation": "relu", "inputShape": [2]},
    {"type": "dense", "units": 3, "activation": "softmax"}],
    "compile": {"optimizer": {"type": "sgd", "learningRate": 0.1, "momentum": 0.9}, "loss": "sparse_categorical_crossentropy", "metrics": ["accuracy"]}})");
  dl::Tensor x, y;
  blobs(300, x, y, 2);
  dl::FitOptions options = dl::fit_options_from_json(R"({"epochs": 200, "batchSize": 30, "validationSplit": 0.2,
    "earlyStopping": {"monitor": "val_loss", "patience": 2, "minDelta": 0.01}})");
  int batch_events = 0, epoch_events = 0;
  options.on_batch_end = [&](const dl::BatchEnd& e) {
    ++batch_events;
    CHECK(e.batches == 8);  // 240 training samples in batches of 30
    CHECK(e.logs.count("accuracy") == 1);
  };
  options.on_epoch_end = [&](const dl::EpochEnd& e) {
    ++epoch_events;
    CHECK(e.logs.count("val_accuracy") == 1);
  };
  dl::History h = model->fit(x, y, options);
  CHECK(h.epochs_run < 200);
  CHECK(epoch_events == h.epochs_run);
  CHECK(batch_events == 8 * h.epochs_run);
  CHECK(h.values["val_accuracy"].back() > 0.9);
}

TEST_CASE("class weights scale each sample's loss") {
  auto model = dl::model_from_json(kXorModel);
  dl::Tensor x = xor_x(), y = xor_y();
  double plain = model->evaluate(x, y).loss;
  // train_on_batch reports the weighted loss before its update: weight 3 on class 1 and
  // 1 on class 0 gives mean(3 l1, 3 l2, l0, l3), checked against the per-sample losses.
  auto copy = dl::model_from_json(kXorModel);
  dl::Tensor p = copy->predict(x);
  double weighted = 0;
  for (int i = 0; i < 4; ++i) {
    double q = p[i], t = y[i];
    double l = -(t * std::log(q) + (1 - t) * std::log(1 - q));
    weighted += (t == 1 ? 3.0 : 1.0) * l / 4;
  }
  dl::Logs logs = model->train_on_batch(x, y, {{1, 3.0f}, {0, 1.0f}});
  CHECK(logs["loss"] == doctest::Approx(weighted).epsilon(1e-5));
  CHECK(logs["loss"] != doctest::Approx(plain));
}

TEST_CASE("L2 regularization adds rate * sum(w^2) to the loss") {
  const char* text = R"({"seed": 1, "layers": [
    {"type": "dense", "units": 4, "inputShape": [2], "kernelRegularizer": {"l2": 0.5}}],
    "compile": {"optimizer": "sgd", "loss": "mse"}})";
  auto model = dl::model_from_json(text);
  dl::Tensor x({3, 2}, 0.5f), y({3, 4}, 0.25f);
  double sum_sq = 0;
  for (float w : model->parameters()[0].value->values()) sum_sq += w * w;
  auto bare = dl::model_from_json(R"({"seed": 1, "layers": [{"type": "dense", "units": 4, "inputShape": [2]}],
    "compile": {"optimizer": "sgd", "loss": "mse"}})");
  CHECK(model->evaluate(x, y).loss == doctest::Approx(bare->evaluate(x, y).loss + 0.5 * sum_sq));
}

TEST_CASE("evaluate gives the confusion matrix, per-class scores and ROC AUC") {
  auto model = dl::model_from_json(kXorModel);
  dl::FitOptions options;
  options.epochs = 300;
  options.batch_size = 4;
  model->fit(xor_x(), xor_y(), options);
  dl::Evaluation e = model->evaluate(xor_x(), xor_y());
  REQUIRE(e.classification);
  CHECK(e.report.confusion == std::vector<long>{2, 0, 0, 2});
  CHECK(e.report.f1 == std::vector<double>{1.0, 1.0});
  CHECK(e.roc_auc == doctest::Approx(1.0));
  CHECK(e.metrics["accuracy"] == doctest::Approx(1.0));

  dl::ClassReport r = dl::class_report({0, 0, 1, 1, 2}, {0, 1, 1, 1, 0}, 3);
  CHECK(r.confusion == std::vector<long>{1, 1, 0, 0, 2, 0, 1, 0, 0});
  CHECK(r.precision[1] == doctest::Approx(2.0 / 3));
  CHECK(r.recall[0] == doctest::Approx(0.5));
  CHECK(r.f1[2] == 0.0);
  CHECK(r.support == std::vector<long>{2, 2, 1});
  CHECK(r.macro.recall == doctest::Approx((0.5 + 1.0 + 0.0) / 3));
  CHECK(r.weighted.precision == doctest::Approx((2 * 0.5 + 2 * (2.0 / 3) + 1 * 0.0) / 5));
  CHECK_THROWS_WITH(dl::class_report({0, 3}, {0, 1}, 3),
                    "class report: the true class of sample 1 is 3; expected 0 to 2");
  CHECK_THROWS_WITH(dl::class_report({0, 1}, {0, -1}, 3),
                    "class report: the predicted class of sample 1 is -1; expected 0 to 2");
  CHECK_THROWS_WITH(dl::requested_class_report({0}, {0}, 5000), "class report: classes must be at most 4096; got 5000");
  CHECK(dl::class_report({0}, {4999}, 5000).confusion.size() == 25000000u);
  CHECK_THROWS_WITH(dl::class_report({0, 1}, {0}, 3),
                    "class report: 2 true classes but 1 predicted ones; expected as many");
  // One positive (0.8) above one negative (0.4), tied with the other (0.8): AUC = (1 + 0.5) / 2
  CHECK(dl::roc_auc({0.8f, 0.4f, 0.8f}, {1, 0, 0}) == doctest::Approx(0.75));
}

TEST_CASE("summary lists layers, output shapes and parameter counts as Keras does") {
  auto model = dl::model_from_json(R"({"layers": [
    {"type": "flatten", "inputShape": [28, 28]},
    {"type": "dense", "units": 128, "activation": "relu"},
    {"type": "dense", "units": 10, "activation": "softmax"}]})");
  std::string s = model->summary();
  INFO(s);
  CHECK(s.find("flatten (Flatten)") != std::string::npos);
  CHECK(s.find("(None, 784)") != std::string::npos);
  CHECK(s.find("dense (Dense)") != std::string::npos);
  CHECK(s.find("dense_1 (Dense)") != std::string::npos);
  CHECK(s.find("100,480") != std::string::npos);
  CHECK(s.find("Total params: 101,770") != std::string::npos);
}

TEST_CASE("bad descriptions are refused with messages that name the problem") {
  auto refuses = [](const std::string& text, const std::string& part) {
    INFO("description: " << text);
    CHECK_THROWS_WITH_AS(dl::model_from_json(text), doctest::Contains(part.c_str()), dl::EngineError);
  };
  refuses(R"({"layers": []})", "no layers");
  refuses(R"({"layers": [{"type": "dense", "units": 4}]})", "needs an input shape");
  refuses(R"({"layers": [{"type": "dense", "units": 4, "inputShape": [2], "activation": "relux"}]})",
          "layers[0] (dense): unknown activation \"relux\"");
  refuses(R"({"layers": [{"type": "conv9d", "inputShape": [2]}]})", "unknown layer type \"conv9d\"");
  refuses(R"({"layers": [{"type": "dense", "unit": 4, "inputShape": [2]}]})", "unknown option \"unit\"");
  refuses(R"({"layers": [{"type": "dense", "units": 4, "inputShape": [2, 3, 1]}]})", "Add a Flatten layer");
  refuses(R"({"layers": [{"type": "dense", "units": 4, "inputShape": [2]}], "compile": {"loss": "hinge"}})",
          "unknown loss \"hinge\"");
  refuses(
      R"({"layers": [{"type": "dense", "units": 4, "inputShape": [2]}], "compile": {"loss": "mse", "optimizer": "adamw"}})",
      "unknown optimizer \"adamw\"");
  refuses(R"({"layers": [{"type": "dropout", "rate": 1.5, "inputShape": [2]}]})", "rate must be in [0, 1)");
  refuses(R"({"layers": [)", "JSON error at line 1, column 13");
}

TEST_CASE("messages quote the values they were given as JSON, cut to a readable length") {
  auto message = [](auto call) {
    try {
      call();
    } catch (const dl::EngineError& e) {
      return std::string(e.what());
    }
    return std::string("(no error)");
  };
  auto model = [&](const std::string& text) { return message([&] { dl::model_from_json(text); }); };
  auto fit = [&](const std::string& text) { return message([&] { dl::fit_options_from_json(text); }); };
  const std::string activations =
      "; expected one of linear, relu, leaky_relu, elu, sigmoid, tanh, softmax, hard_sigmoid, softplus, softsign, "
      "selu, gelu, gelu_new, swish, silu, mish, hard_sigmoid_keras";
  CHECK(model(R"({"layers": [{"type": "dense", "units": 4, "inputShape": [2], "activation": "re\"lu\n"}]})") ==
        R"(layers[0] (dense): unknown activation "re\"lu\n")" + activations);
  CHECK(model(R"({"layers": [{"type": "dense", "units": 4, "inputShape": [2], "activation": ")" +
              std::string(500, 'a') + R"("}]})") ==
        "layers[0] (dense): unknown activation \"" + std::string(70, 'a') + "\xE2\x80\xA6" + activations);
  CHECK(model(R"({"layers": [{"type": "dense", "units": 1e10, "inputShape": [2]}]})") ==
        "layers[0] (dense): units must be a whole number from 1 to 1048576; got 10000000000");
  CHECK(model(R"({"seed": -1e21, "layers": []})") == "model: seed must be a whole number >= 0; got -1e+21");
  CHECK(model(R"({"layers": [{"type": "leakyReLU", "alpha": 1e5, "inputShape": [2]}]})") ==
        "layers[0] (leakyReLU): alpha must be in [0, 1000]; got 100000");
  CHECK(model(R"({"layers": [{"type": "dense", "units": 1, "inputShape": [2]}],
                  "compile": {"loss": "mse", "optimizer": {"type": "sgd", "learningRate": -0.001}}})") ==
        "optimizer sgd: learningRate must be a finite number >= 0; got -0.001");
  CHECK(model(R"({"layers": [{"type": "dense", "units": 1, "inputShape": [2], "name": "a"},
                             {"type": "dense", "units": 1, "name": "a"}]})") ==
        R"(add: a layer named "a" is already in the model; names must be unique)");
  CHECK(model(R"({"layers": [{"type": "dense", "units": 1, "inputShape": [2]}],
                  "compile": {"loss": "mse", "metrics": ["acc uracy"]}})") ==
        R"(compile: unknown metric "acc uracy"; expected one of accuracy, mae, mse)");
  CHECK(model(R"({"layers": ]})") == R"(JSON error at line 1, column 12: unexpected character "]"; expected a value)");
  CHECK(model("{\"layers\": \xC3\xA9}") ==
        "JSON error at line 1, column 12: unexpected character \"\xC3\xA9\"; expected a value");
  CHECK(model(R"({"layers" 1})") == R"(JSON error at line 1, column 11: expected ':' after member name "layers")");
  CHECK(model(R"({"layers": "\q"})") == R"(JSON error at line 1, column 15: unknown escape "\\q")");
  CHECK(fit(R"({"classWeight": {"x": 1}})") == R"(fit: classWeight key "x" is not a class index)");
  CHECK(fit(R"({"classWeight": {" 1": "a"}})") == R"(fit: classWeight for class " 1" must be a number)");
  CHECK(fit(R"({"augment": {"shift": 9.5}})") ==
        "fit: augment allows shifts up to 8 pixels and rotations up to 180 degrees; got shift 9.5, rotation 0");
  CHECK(
      fit(R"({"schedule": {"type": "linear"}})") ==
      R"(fit: unknown schedule "linear"; expected one of step_decay, exponential_decay, cosine_decay, reduce_on_plateau)");
}

TEST_CASE("calls with bad data are refused and leave the model unchanged") {
  auto model = dl::model_from_json(R"({"seed": 1, "layers": [
    {"type": "dense", "units": 4, "activation": "relu", "inputShape": [2]},
    {"type": "dense", "units": 3, "activation": "softmax"}]})");
  dl::Tensor x({4, 2}, 0.5f), labels({4}, {0, 1, 2, 1});
  CHECK_THROWS_WITH_AS(model->fit(x, labels, {}), doctest::Contains("fit: the model is not compiled"), dl::EngineError);
  model->compile(dl::compile_options_from_json(
      dl::Json::parse(R"({"optimizer": "adam", "loss": "sparse_categorical_crossentropy", "metrics": ["accuracy"]})")));
  const auto before = weights_of(*model);
  auto refuses = [&](const dl::Tensor& bx, const dl::Tensor& by, const char* part) {
    CHECK_THROWS_WITH_AS(model->fit(bx, by, {}), doctest::Contains(part), dl::EngineError);
    CHECK_THROWS_WITH_AS(model->train_on_batch(bx, by), doctest::Contains(part), dl::EngineError);
    CHECK(weights_of(*model) == before);
  };
  refuses(dl::Tensor({4, 3}, 0.5f), labels, "x has shape (4, 3); the model expects (None, 2)");
  refuses(x, dl::Tensor({4}, {0, 1, 3, 1}),
          "label 3 at sample 2 is outside the classes; expected a whole number from 0 to 2");
  refuses(x, dl::Tensor({3}, {0, 1, 2}), "y has 3 samples but x has 4");
  dl::Tensor nan_x = x;
  nan_x[5] = std::nanf("");
  refuses(nan_x, labels, "x holds NaN at sample 2, value 1");
  refuses(x, dl::Tensor({4}, {0, 1, 2.5f, 1}), "label 2.5 at sample 2 is outside the classes");
  refuses(x, dl::Tensor({4}, {0, 1, -INFINITY, 1}), "y holds -Infinity at sample 2; targets must be finite numbers");
  CHECK_THROWS_WITH_AS(model->predict(dl::Tensor({1, 5})), doctest::Contains("predict: x has shape (1, 5)"),
                       dl::EngineError);
  dl::FitOptions bad;
  bad.batch_size = 0;
  CHECK_THROWS_WITH_AS(model->fit(x, labels, bad), doctest::Contains("batchSize must be at least 1"), dl::EngineError);
  bad = {};
  bad.early_stopping.monitor = "val_loss";
  CHECK_THROWS_WITH_AS(model->fit(x, labels, bad), doctest::Contains("no validation data"), dl::EngineError);
  CHECK(weights_of(*model) == before);
}

TEST_CASE("when the loss diverges, training stops with the last weights that gave a finite loss") {
  auto model = dl::model_from_json(R"({"seed": 1, "layers": [
    {"type": "dense", "units": 4, "activation": "relu", "inputShape": [2]},
    {"type": "dense", "units": 1}],
    "compile": {"optimizer": {"type": "sgd", "learningRate": 1e30}, "loss": "mse"}})");
  dl::Tensor x({8, 2}, 3.0f), y({8, 1}, 1.0f);
  std::vector<std::vector<float>> seen;  // the weights before each batch
  dl::FitOptions options;
  options.epochs = 50;
  options.batch_size = 2;
  options.shuffle = false;
  dl::FitSession session(*model, x, y, options);
  for (;;) {
    std::vector<float> before;
    for (const dl::Parameter& p : model->parameters())
      before.insert(before.end(), p.value->values().begin(), p.value->values().end());
    if (!session.step()) break;
    seen.push_back(before);
  }
  REQUIRE(session.diverged());
  std::vector<float> now;
  for (const dl::Parameter& p : model->parameters())
    now.insert(now.end(), p.value->values().begin(), p.value->values().end());
  for (float v : now) CHECK(std::isfinite(v));
  // The weights of the last batch whose loss was finite: the one before the diverging batch.
  REQUIRE(seen.size() >= 2);
  CHECK(now == seen[seen.size() - 2]);
  CHECK(model->optimizer().iterations() == 0);
}

TEST_CASE("train_on_batch takes fit's training step: a batch whose loss is not finite changes no weight") {
  auto model = dl::model_from_json(R"({"seed": 1, "layers": [
    {"type": "dense", "units": 4, "activation": "relu", "inputShape": [2]},
    {"type": "dense", "units": 1}],
    "compile": {"optimizer": {"type": "sgd", "learningRate": 1e30}, "loss": "mse"}})");
  dl::Tensor x({2, 2}, 3.0f), y({2, 1}, 1.0f);
  // The first step's huge rate sends the weights to the float limits; a later step's loss
  // overflows, and that step must leave the weights as they were.
  for (int i = 0; i < 10; ++i) {
    const std::vector<std::vector<float>> before = weights_of(*model);
    const dl::Logs logs = model->train_on_batch(x, y);
    if (std::isfinite(logs.at("loss"))) continue;
    CHECK(weights_of(*model) == before);
    return;
  }
  FAIL("the loss never stopped being finite; the test needs a larger learning rate");
}

TEST_CASE("a model made again for sequences of another length takes over the optimizer's state") {
  // An LSTM over 4 steps trained 3 steps with Adam, then made again: the copy that takes
  // the optimizer steps exactly as the original does; over 6 steps it goes on from step 3.
  auto description = [](int steps) {
    return std::string(R"({"seed": 3, "layers": [{"type": "lstm", "units": 3, "inputShape": [)") +
           std::to_string(steps) + R"(, 2]}, {"type": "dense", "units": 1}],
           "compile": {"optimizer": "adam", "loss": "mse"}})";
  };
  dl::Rng rng(5);
  auto data = [&](int steps) {
    dl::Tensor x({8, steps, 2}), y({8, 1});
    for (std::size_t i = 0; i < x.size(); ++i) x[i] = static_cast<float>(rng.uniform(-1, 1));
    for (std::size_t i = 0; i < y.size(); ++i) y[i] = static_cast<float>(rng.uniform(-1, 1));
    return std::make_pair(x, y);
  };
  auto first = dl::model_from_json(description(4));
  auto [x4, y4] = data(4);
  for (int i = 0; i < 3; ++i) first->train_on_batch(x4, y4);
  auto copy = dl::model_from_json(description(4));
  copy->set_weights(weights_of(*first));
  copy->take_optimizer(*first);
  auto [next_x, next_y] = data(4);
  first->train_on_batch(next_x, next_y);
  copy->train_on_batch(next_x, next_y);
  CHECK(weights_of(*copy) == weights_of(*first));

  auto longer = dl::model_from_json(description(6));
  auto fresh = dl::model_from_json(description(6));
  longer->set_weights(weights_of(*first));
  fresh->set_weights(weights_of(*first));
  longer->take_optimizer(*first);
  CHECK(longer->optimizer().iterations() == 4);
  auto [x6, y6] = data(6);
  longer->train_on_batch(x6, y6);
  fresh->train_on_batch(x6, y6);  // a fresh Adam's first step differs
  CHECK(weights_of(*longer) != weights_of(*fresh));

  // A model of other weights is refused, naming the weight and both shapes.
  auto wider = dl::model_from_json(
      R"({"seed": 3, "layers": [{"type": "lstm", "units": 5, "inputShape": [4, 2]}, {"type": "dense", "units": 1}],
          "compile": {"optimizer": "adam", "loss": "mse"}})");
  CHECK_THROWS_WITH_AS(wider->take_optimizer(*first),
                       doctest::Contains("trainable weight 0 (\"kernel\") has shape (2, 20) here and (2, 12)"),
                       dl::EngineError);
}
