// Models of several outputs: the gradients of the weighted sum of per-output losses match
// central differences; the total loss is the weighted sum of each output's loss computed
// on its own; evaluate, predict, fit and the data-parallel shares work on the packed
// values; a model of one output compiled the per-output way trains bit for bit as before;
// bad compile options and targets are refused, naming the output; saliency and fromLogits
// probabilities read each output's columns; a diverging fit keeps the last finite weights.
#include <doctest/doctest.h>

#include <cmath>

#include "io/model_description.h"
#include "train/fit_session.h"
#include "train/introspection.h"
#include "train/sequential.h"

namespace {

// Three outputs of a shared hidden layer: classes (softmax, sparse labels, fused with its
// loss), a tanh regression (its activation must stay on while the others give logits) and
// a sigmoid (binary cross-entropy, fused).
std::string three_outputs(const std::string& compile) {
  return R"({"seed": 5,
    "inputs": [{"name": "x", "shape": [4]}],
    "layers": [
      {"type": "dense", "units": 6, "activation": "tanh", "name": "h", "inputs": ["x"]},
      {"type": "dense", "units": 3, "activation": "softmax", "name": "cls", "inputs": ["h"]},
      {"type": "dense", "units": 2, "activation": "tanh", "name": "reg", "inputs": ["h"]},
      {"type": "dense", "units": 1, "activation": "sigmoid", "name": "bin", "inputs": ["h"]}],
    "outputs": ["cls", "reg", "bin"],
    "compile": )" +
         compile + "}";
}

const char* kWeighted = R"({"optimizer": {"type": "sgd", "learningRate": 0.1},
  "loss": ["sparse_categorical_crossentropy", "mean_squared_error", "binary_crossentropy"],
  "lossWeights": [0.7, 1.8, 0.5], "metrics": [["accuracy"], ["mae"], []]})";

const dl::LossKind kLosses[] = {dl::LossKind::sparse_categorical_crossentropy, dl::LossKind::mean_squared_error,
                                dl::LossKind::binary_crossentropy};
const double kWeights[] = {0.7, 1.8, 0.5};
const int kSizes[] = {3, 2, 1}, kTargetWidths[] = {1, 2, 1};

// x (n, 4) and y (n, 1 + 2 + 1): a class index, two values in (-1, 1), a 0/1 label.
void make_data(int n, dl::Tensor& x, dl::Tensor& y, std::uint64_t seed) {
  dl::Rng rng(seed);
  x = dl::Tensor({n, 4});
  y = dl::Tensor({n, 4});
  for (float& v : x.values()) v = static_cast<float>(rng.uniform(-1, 1));
  for (int i = 0; i < n; ++i) {
    y[4 * i] = static_cast<float>(rng.below(3));
    y[4 * i + 1] = static_cast<float>(rng.uniform(-0.9, 0.9));
    y[4 * i + 2] = static_cast<float>(rng.uniform(-0.9, 0.9));
    y[4 * i + 3] = rng.uniform(0, 1) < 0.5 ? 0.0f : 1.0f;
  }
}

// Each output's mean loss in double, from the packed predictions of the model.
std::vector<double> output_losses(const dl::Tensor& predictions, const dl::Tensor& y) {
  const int n = predictions.rows();
  std::vector<double> means(3, 0.0);
  int column = 0, target_column = 0;
  for (int k = 0; k < 3; ++k) {
    for (int i = 0; i < n; ++i) {
      std::vector<double> p(kSizes[k]), t(kTargetWidths[k]);
      for (int j = 0; j < kSizes[k]; ++j) p[j] = predictions[6 * i + column + j];
      for (int j = 0; j < kTargetWidths[k]; ++j) t[j] = y[4 * i + target_column + j];
      double loss = 0;
      dl::loss_forward<double>(kLosses[k], p.data(), t.data(), &loss, 1, kSizes[k]);
      means[k] += loss / n;
    }
    column += kSizes[k];
    target_column += kTargetWidths[k];
  }
  return means;
}

double weighted(const std::vector<double>& losses) {
  double total = 0;
  for (int k = 0; k < 3; ++k) total += kWeights[k] * losses[k];
  return total;
}

std::string error_of(const std::function<void()>& run) {
  try {
    run();
  } catch (const dl::EngineError& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace

TEST_CASE("gradients of a three-output model's weighted losses match central differences") {
  auto model = dl::model_from_json(three_outputs(kWeighted));
  dl::Tensor x, y;
  make_data(5, x, y, 1);
  model->begin_step();
  const std::vector<float> scale = model->sample_scale(y, {}, x.rows());
  dl::Tensor predictions;
  const double data_loss = model->share_loss_and_gradients(x, y, scale.data(), 0, &predictions);
  auto loss = [&] { return weighted(output_losses(model->forward(x, true), y)); };
  // The step's loss is the weighted sum of the three losses computed apart (in double).
  CHECK(data_loss == doctest::Approx(loss()).epsilon(1e-5));
  CHECK(predictions.shape() == std::vector<int>{5, 6});
  std::vector<std::vector<float>> analytic;
  for (const dl::Parameter& p : model->parameters()) analytic.push_back(p.grad->values());
  std::vector<dl::Parameter> params = model->parameters();
  REQUIRE(params.size() == 8);
  for (std::size_t k = 0; k < params.size(); ++k)
    for (std::size_t i = 0; i < params[k].value->size(); ++i) {
      float& value = (*params[k].value)[i];
      const float saved = value, eps = 1e-2f;
      value = saved + eps;
      const double up = loss();
      value = saved - eps;
      const double down = loss();
      value = saved;
      const double numeric = (up - down) / (2.0 * eps);
      INFO("parameter " << k << " (" << params[k].name << ") [" << i << "]: tape " << analytic[k][i]
                        << ", central differences " << numeric);
      CHECK(std::abs(analytic[k][i] - numeric) <= 2e-3 * std::max(1.0, std::abs(numeric)));
    }
}

TEST_CASE("a several-output model's loss is the weighted sum of each output's own loss; evaluate and predict pack") {
  auto model = dl::model_from_json(three_outputs(kWeighted));
  dl::Tensor x, y;
  make_data(37, x, y, 2);
  const dl::Tensor predicted = model->predict(x, 8);
  REQUIRE(predicted.shape() == std::vector<int>{37, 6});
  // Packed side by side: each output's softmax / tanh / sigmoid values in its own columns.
  for (int i = 0; i < 37; ++i) {
    double total = 0;
    for (int j = 0; j < 3; ++j) total += predicted[6 * i + j];
    CHECK(total == doctest::Approx(1.0).epsilon(1e-5));
    CHECK(std::abs(predicted[6 * i + 3]) < 1.0f);
    CHECK(predicted[6 * i + 5] > 0.0f);
    CHECK(predicted[6 * i + 5] < 1.0f);
  }
  const std::vector<double> alone = output_losses(predicted, y);
  const dl::Evaluation e = model->evaluate(x, y, 10);
  CHECK(e.loss == doctest::Approx(weighted(alone)).epsilon(1e-5));
  CHECK(e.metrics.at("cls_loss") == doctest::Approx(alone[0]).epsilon(1e-5));
  CHECK(e.metrics.at("reg_loss") == doctest::Approx(alone[1]).epsilon(1e-5));
  CHECK(e.metrics.at("bin_loss") == doctest::Approx(alone[2]).epsilon(1e-5));
  double correct = 0, mae = 0;
  for (int i = 0; i < 37; ++i) {
    const float* p = predicted.data() + 6 * i;
    correct += (std::max_element(p, p + 3) - p) == static_cast<int>(y[4 * i]);
    mae += (std::abs(p[3] - y[4 * i + 1]) + std::abs(p[4] - y[4 * i + 2])) / 2.0 / 37;
  }
  CHECK(e.metrics.at("cls_accuracy") == doctest::Approx(correct / 37).epsilon(1e-6));
  CHECK(e.metrics.at("reg_mae") == doctest::Approx(mae).epsilon(1e-5));
  CHECK(e.metrics.size() == 5);
  CHECK_FALSE(e.classification);
  const std::vector<std::string> names{"cls_loss", "reg_loss", "bin_loss", "cls_accuracy", "reg_mae"};
  CHECK(model->log_names() == names);

  // train_on_batch logs the loss before its update: the same values.
  const dl::Logs logs = model->train_on_batch(x, y);
  CHECK(logs.at("loss") == doctest::Approx(weighted(alone)).epsilon(1e-5));
  CHECK(logs.at("reg_loss") == doctest::Approx(alone[1]).epsilon(1e-5));
  CHECK(model->evaluate(x, y).loss < e.loss);
}

TEST_CASE("fit trains a several-output model, logging each output's loss and metrics, and early-stops on one") {
  auto model = dl::model_from_json(three_outputs(kWeighted));
  dl::Tensor x, y;
  make_data(120, x, y, 3);
  dl::FitOptions options;
  options.epochs = 40;
  options.batch_size = 48;  // sliced in 32-row pieces
  options.validation_split = 0.25;
  options.early_stopping.monitor = "val_cls_loss";
  options.early_stopping.patience = 100;
  const dl::History h = model->fit(x, y, options);
  std::vector<std::string> keys;
  for (const auto& [name, values] : h.values) keys.push_back(name);
  const std::vector<std::string> expected{"bin_loss",     "cls_accuracy", "cls_loss",     "loss",
                                          "reg_loss",     "reg_mae",      "val_bin_loss", "val_cls_accuracy",
                                          "val_cls_loss", "val_loss",     "val_reg_loss", "val_reg_mae"};
  CHECK(keys == expected);
  CHECK(h.values.at("loss").back() < h.values.at("loss").front());
  CHECK(h.values.at("reg_loss").back() < h.values.at("reg_loss").front());
  for (std::size_t e = 0; e < h.values.at("loss").size(); ++e) {
    const double sum = 0.7 * h.values.at("val_cls_loss")[e] + 1.8 * h.values.at("val_reg_loss")[e] +
                       0.5 * h.values.at("val_bin_loss")[e];
    CHECK(h.values.at("val_loss")[e] == doctest::Approx(sum).epsilon(1e-5));
  }
  options.early_stopping.monitor = "val_cls_acc";
  CHECK(error_of([&] { model->fit(x, y, options); }).find("val_cls_acc") != std::string::npos);
}

TEST_CASE("a several-output batch computed in shares gives the whole batch's step") {
  auto whole = dl::model_from_json(three_outputs(kWeighted));
  auto shared = dl::model_from_json(three_outputs(kWeighted));
  dl::Tensor x, y;
  make_data(70, x, y, 4);
  const dl::Logs logs = whole->train_on_batch(x, y);
  shared->begin_step();
  const int n = 70;
  std::vector<float> sum(shared->gradient_size(), 0.0f), part(sum.size());
  dl::Tensor predictions({n, 6}), xs, ys, ps;
  double data_loss = 0;
  for (int begin = 0; begin < n; begin += 35) {
    x.slice_rows(begin, begin + 35, xs);
    y.slice_rows(begin, begin + 35, ys);
    const std::vector<float> scale = shared->sample_scale(ys, {}, n);
    data_loss += shared->share_loss_and_gradients(xs, ys, scale.data(), begin, &ps);
    std::copy(ps.values().begin(), ps.values().end(), predictions.values().begin() + begin * 6);
    shared->read_gradients(part.data());
    for (std::size_t i = 0; i < sum.size(); ++i) sum[i] += part[i];
  }
  for (std::size_t i = 0; i < sum.size(); ++i) sum[i] -= part[i];
  shared->add_gradients(sum.data());
  dl::Logs sums;
  const double loss = shared->finish_step(data_loss, predictions, y, sums);
  CHECK(loss == doctest::Approx(logs.at("loss")).epsilon(1e-5));
  CHECK(sums.at("cls_loss") / n == doctest::Approx(logs.at("cls_loss")).epsilon(1e-5));
  const std::vector<dl::Parameter> a = whole->parameters(), b = shared->parameters();
  for (std::size_t k = 0; k < a.size(); ++k)
    for (std::size_t i = 0; i < a[k].value->size(); ++i)
      CHECK((*a[k].value)[i] == doctest::Approx((*b[k].value)[i]).epsilon(1e-5));
}

TEST_CASE("a one-output model compiled with a loss list and metric lists trains bit for bit as before") {
  const std::string layers = R"({"seed": 9,
    "inputs": [{"name": "x", "shape": [4]}],
    "layers": [
      {"type": "dense", "units": 6, "activation": "relu", "name": "h", "inputs": ["x"]},
      {"type": "dense", "units": 3, "activation": "softmax", "name": "cls", "inputs": ["h"]}],
    "outputs": ["cls"], "compile": )";
  auto plain = dl::model_from_json(
      layers + R"({"optimizer": "adam", "loss": "sparse_categorical_crossentropy", "metrics": ["accuracy"]}})");
  auto listed = dl::model_from_json(
      layers + R"({"optimizer": "adam", "loss": ["sparse_categorical_crossentropy"], "metrics": [["acc"]]}})");
  CHECK(listed->output_specs().empty());
  dl::Tensor x, y4, y({50, 1});
  make_data(50, x, y4, 5);
  for (int i = 0; i < 50; ++i) y[i] = y4[4 * i];
  for (int step = 0; step < 3; ++step) {
    const dl::Logs a = plain->train_on_batch(x, y), b = listed->train_on_batch(x, y);
    CHECK(a == b);
  }
  const std::vector<dl::Parameter> a = plain->parameters(), b = listed->parameters();
  for (std::size_t k = 0; k < a.size(); ++k) CHECK(a[k].value->values() == b[k].value->values());
}

TEST_CASE("bad compile options and targets of a several-output model are refused, naming the output") {
  auto compile_error = [](const std::string& compile) {
    return error_of([&] { dl::model_from_json(three_outputs(compile)); });
  };
  CHECK(compile_error(R"({"loss": ["mean_squared_error", "mean_squared_error"]})") ==
        "compile: 2 losses were given for a model of 3 outputs (\"cls\", \"reg\", \"bin\"); expected one per output");
  CHECK(compile_error(R"({"loss": "mean_squared_error", "lossWeights": [1, 2]})") ==
        "compile: 2 loss weights were given for a model of 3 outputs (\"cls\", \"reg\", \"bin\"); expected one per "
        "output");
  CHECK(compile_error(R"({"loss": "mean_squared_error", "lossWeights": [1, -2, 1]})") ==
        "compile: the loss weight of output \"reg\" is -2; loss weights must be finite and >= 0");
  CHECK(compile_error(R"({"loss": ["mean_squared_error", "mean_squared_error", "sparse_categorical_crossentropy"]})")
            .find("output \"bin\" has loss sparse_categorical_crossentropy") != std::string::npos);

  auto model = dl::model_from_json(three_outputs(kWeighted));
  dl::Tensor x, y;
  make_data(6, x, y, 6);
  dl::Tensor wide({6, 6});
  CHECK(error_of([&] { model->train_on_batch(x, wide); }) ==
        "train_on_batch: y has 6 values per sample; the model's 3 outputs take their targets side by side, 4 per "
        "sample (cls: 1, reg: 2, bin: 1)");
  y[4 * 2] = 3;
  CHECK(error_of([&] { model->evaluate(x, y); }) ==
        "evaluate: label 3 of output \"cls\" at sample 2 is outside the classes; expected a whole number from 0 to 2");
  y[4 * 2] = 0;
  y[4 * 5 + 3] = 2;
  CHECK(error_of([&] { model->evaluate(x, y); }).find("target 2 of output \"bin\" at sample 5 is outside [0, 1]") !=
        std::string::npos);
  y[4 * 5 + 3] = 1;
  dl::FitOptions options;
  options.class_weight = {{0, 2.0f}};
  const std::vector<float> before = model->parameters()[0].value->values();
  CHECK(error_of([&] { model->fit(x, y, options); }) ==
        "fit: classWeight is not supported for a model of several outputs (3 outputs); train without it");
  CHECK(model->parameters()[0].value->values() == before);
}

TEST_CASE("saliency of a several-output model starts from its packed column; fromLogits probabilities per output") {
  auto model = dl::model_from_json(three_outputs(kWeighted));
  dl::Tensor x, y;
  make_data(3, x, y, 7);
  const int column = 4;  // reg's second value
  const dl::Tensor dx = dl::input_gradient(*model, x, column);
  REQUIRE(dx.shape() == x.shape());
  dl::Tensor probe = x;
  for (std::size_t i = 0; i < probe.size(); ++i) {
    const float saved = probe[i], eps = 1e-2f;
    const int row = static_cast<int>(i / 4);
    probe[i] = saved + eps;
    const double up = model->predict(probe)[6 * row + column];
    probe[i] = saved - eps;
    const double down = model->predict(probe)[6 * row + column];
    probe[i] = saved;
    const double numeric = (up - down) / (2.0 * eps);
    INFO("input value " << i << ": tape " << dx[i] << ", central differences " << numeric);
    CHECK(std::abs(dx[i] - numeric) <= 2e-3 * std::max(1.0, std::abs(numeric)));
  }

  auto logits = dl::model_from_json(three_outputs(
      R"({"loss": ["sparse_categorical_crossentropy", "mean_squared_error", "binary_crossentropy"],
          "fromLogits": true})"));
  const dl::Tensor raw = logits->predict(x), probabilities = logits->predict_probabilities(x);
  for (int i = 0; i < 3; ++i) {
    const float* z = raw.data() + 6 * i;
    const double total = std::exp(z[0]) + std::exp(z[1]) + std::exp(z[2]);
    for (int j = 0; j < 3; ++j)
      CHECK(probabilities[6 * i + j] == doctest::Approx(std::exp(z[j]) / total).epsilon(1e-6));
    CHECK(probabilities[6 * i + 3] == z[3]);
    CHECK(probabilities[6 * i + 4] == z[4]);
    CHECK(probabilities[6 * i + 5] == doctest::Approx(1.0 / (1.0 + std::exp(-z[5]))).epsilon(1e-6));
  }
}

TEST_CASE("a several-output model whose loss diverges stops with the last weights that gave a finite loss") {
  // A linear regression output on relu units: its loss is not bounded as tanh's is.
  std::string description = three_outputs(R"({"optimizer": {"type": "sgd", "learningRate": 1e30},
      "loss": ["sparse_categorical_crossentropy", "mean_squared_error", "binary_crossentropy"]})");
  const std::pair<std::string, std::string> changes[] = {{R"("tanh", "name": "h")", R"("relu", "name": "h")"},
                                                         {R"("tanh", "name": "reg")", R"("linear", "name": "reg")"}};
  for (const auto& [from, to] : changes) description.replace(description.find(from), from.size(), to);
  auto model = dl::model_from_json(description);
  dl::Tensor x, y;
  make_data(8, x, y, 8);
  dl::FitOptions options;
  options.epochs = 50;
  options.batch_size = 2;
  options.shuffle = false;
  dl::FitSession session(*model, x, y, options);
  std::vector<std::vector<float>> seen;  // the weights before each batch
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
  REQUIRE(seen.size() >= 2);
  CHECK(now == seen[seen.size() - 2]);
}
