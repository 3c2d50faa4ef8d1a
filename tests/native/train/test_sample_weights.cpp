// Keras' sample_weight in fit and evaluate: per sample (N) or per step (N, T); the loss is
// sum(w * loss) / (N, or N * T entries) (Keras' sum_over_batch_size, not divided by the
// weights' sum), with a mask sum(w * m * loss) / sum(m); the weights follow their samples
// through shuffling and into the shares of a batch split between engines.
#include <doctest/doctest.h>

#include <cmath>

#include "io/model_description.h"
#include "model_check.h"
#include "train/fit_session.h"

namespace {

const char* kFlat = R"({"seed": 4, "layers": [
  {"type": "dense", "units": 6, "activation": "tanh", "inputShape": [3]},
  {"type": "dense", "units": 3, "activation": "softmax"}],
  "compile": {"optimizer": "sgd", "loss": "sparse_categorical_crossentropy", "metrics": ["accuracy"]}})";

// The same steps model with or without masking (the input's zero steps are padding).
std::string steps_model(bool masked) {
  return std::string(R"({"seed": 7, "layers": [)") +
         (masked ? R"({"type": "masking", "inputShape": [4, 3]},
  {"type": "timeDistributed", "layer": {"type": "dense", "units": 5, "activation": "softmax"}}],)"
                 : R"({"type": "timeDistributed", "inputShape": [4, 3], "layer": {"type": "dense", "units": 5,
  "activation": "softmax"}}],)") +
         R"("compile": {"optimizer": {"type": "sgd", "learningRate": 0.5}, "loss": "sparse_categorical_crossentropy",
  "metrics": ["accuracy"]}})";
}

double neg_log(const dl::Tensor& p, int row, int c, float label) {
  return -std::log(static_cast<double>(p[row * c + static_cast<int>(label)]));
}

std::vector<float> weights_of(const dl::Sequential& m) {
  std::vector<float> out(m.weight_size());
  m.read_weights(out.data());
  return out;
}

dl::Tensor tensor_of(std::vector<int> shape, std::vector<float> values) {
  dl::Tensor t(shape);
  t.values() = values;
  return t;
}

}  // namespace

TEST_CASE("per-sample weights: the loss is sum(w * loss) / N in evaluate and in fit's batch") {
  auto model = dl::model_from_json(kFlat);
  dl::Rng rng(1);
  const dl::Tensor x = check::random_tensor({5, 3}, rng);
  const dl::Tensor y = tensor_of({5}, {0, 1, 2, 1, 0});
  const dl::Tensor w = tensor_of({5}, {1, 0, 2.5f, 0.5f, 3});
  const dl::Tensor p = model->predict(x);
  double weighted = 0, plain = 0;
  for (int i = 0; i < 5; ++i) {
    weighted += w[i] * neg_log(p, i, 3, y[i]);
    plain += neg_log(p, i, 3, y[i]);
  }
  const dl::Evaluation e = model->evaluate(x, y, 2, &w);
  CHECK(e.loss == doctest::Approx(weighted / 5).epsilon(1e-5));  // not / sum(w) = 7
  // The metrics are not weighted (Keras 3 weighs only weighted_metrics).
  CHECK(e.metrics.at("accuracy") == doctest::Approx(model->evaluate(x, y, 2).metrics.at("accuracy")));
  CHECK(model->evaluate(x, y, 5).loss == doctest::Approx(plain / 5).epsilon(1e-5));

  // fit's one batch reports the loss before its update.
  dl::FitOptions options = dl::fit_options_from_json(R"({"epochs": 1, "batchSize": 5, "shuffle": false})");
  options.sample_weight = &w;
  const dl::History h = model->fit(x, y, options);
  CHECK(h.values.at("loss")[0] == doctest::Approx(weighted / 5).epsilon(1e-5));
}

TEST_CASE("zero weights follow the Keras formula: the other samples' gradient still divides by N") {
  dl::Rng rng(2);
  const dl::Tensor x = check::random_tensor({4, 3}, rng);
  const dl::Tensor y = tensor_of({4}, {0, 1, 2, 1});
  dl::Tensor kept_x, kept_y;
  const int kept[] = {0, 2};
  x.gather_rows(kept, 2, kept_x);
  y.gather_rows(kept, 2, kept_y);
  const dl::Tensor w = tensor_of({4}, {1, 0, 1, 0}), half = tensor_of({2}, {0.5f, 0.5f});
  auto fit = [](const dl::Tensor& fx, const dl::Tensor& fy, const dl::Tensor* fw) {
    auto m = dl::model_from_json(kFlat);
    dl::FitOptions o = dl::fit_options_from_json(R"({"epochs": 1, "batchSize": 8, "shuffle": false})");
    o.sample_weight = fw;
    m->fit(fx, fy, o);
    return weights_of(*m);
  };
  // sum(w l) / 4 over the batch of 4 = sum(0.5 l) / 2 over the two kept samples.
  CHECK(check::largest_difference(fit(x, y, &w), fit(kept_x, kept_y, &half)) < 1e-6);
  CHECK(check::largest_difference(fit(x, y, &w), fit(kept_x, kept_y, nullptr)) > 1e-4);
}

TEST_CASE("shuffled batches of one: the weights follow their samples") {
  dl::Rng rng(3);
  const dl::Tensor x = check::random_tensor({6, 3}, rng);
  const dl::Tensor y = tensor_of({6}, {0, 1, 2, 1, 0, 2});
  // Only sample 4 weighs: plain SGD leaves the weights alone at every other step.
  const dl::Tensor w = tensor_of({6}, {0, 0, 0, 0, 2, 0});
  auto shuffled = dl::model_from_json(kFlat);
  dl::FitOptions o = dl::fit_options_from_json(R"({"epochs": 1, "batchSize": 1, "shuffle": true})");
  o.sample_weight = &w;
  shuffled->fit(x, y, o);
  auto alone = dl::model_from_json(kFlat);
  dl::Tensor one_x, one_y;
  const int four = 4;
  x.gather_rows(&four, 1, one_x);
  y.gather_rows(&four, 1, one_y);
  const dl::Tensor two = tensor_of({1}, {2});
  dl::FitOptions once = dl::fit_options_from_json(R"({"epochs": 1, "batchSize": 1})");
  once.sample_weight = &two;
  alone->fit(one_x, one_y, once);
  CHECK(check::largest_difference(weights_of(*shuffled), weights_of(*alone)) < 1e-6);
  CHECK(check::largest_difference(weights_of(*shuffled), weights_of(*dl::model_from_json(kFlat))) > 1e-4);
}

TEST_CASE("per-step weights: sum(w * loss) / (N * T), and with a mask sum(w * m * loss) / sum(m)") {
  dl::Rng rng(5);
  dl::Tensor x = check::random_tensor({3, 4, 3}, rng);
  // Sample i has its last i steps padded (all zeros): 4 + 3 + 2 = 9 real steps.
  for (int i = 0; i < 3; ++i)
    for (int t = 4 - i; t < 4; ++t) std::fill_n(x.data() + (i * 4 + t) * 3, 3, 0.0f);
  dl::Tensor y({3, 4}), w({3, 4});
  for (int r = 0; r < 12; ++r) {
    y[r] = static_cast<float>(r * 3 % 5);
    w[r] = static_cast<float>(r % 3) * 0.75f;
  }
  for (bool masked : {false, true}) {
    INFO("masked " << masked);
    auto model = dl::model_from_json(steps_model(masked));
    const dl::Tensor p = model->predict(x);
    double sum = 0, real = 0;
    for (int i = 0; i < 3; ++i)
      for (int t = 0; t < 4; ++t) {
        const bool pad = masked && t >= 4 - i;
        if (pad) continue;
        real += 1;
        sum += w[i * 4 + t] * neg_log(p, i * 4 + t, 5, y[i * 4 + t]);
      }
    CHECK(real == (masked ? 9 : 12));
    CHECK(model->evaluate(x, y, 3, &w).loss == doctest::Approx(sum / real).epsilon(1e-5));
    dl::FitOptions o = dl::fit_options_from_json(R"({"epochs": 1, "batchSize": 3, "shuffle": false})");
    o.sample_weight = &w;
    CHECK(model->fit(x, y, o).values.at("loss")[0] == doctest::Approx(sum / real).epsilon(1e-5));
  }
}

TEST_CASE("a sequence model with per-step weights trains, and a weightless step's label is not learned") {
  auto model = dl::model_from_json(steps_model(false));
  dl::Rng rng(8);
  const dl::Tensor x = check::random_tensor({16, 4, 3}, rng);
  dl::Tensor y({16, 4}), w({16, 4});
  for (int r = 0; r < 64; ++r) {
    y[r] = static_cast<float>(r % 4 == 3 ? 4 : (x[r * 3] > 0 ? 1 : 2));
    w[r] = r % 4 == 3 ? 0.0f : 1.0f;  // the last step's label (4) weighs nothing
  }
  const double before = model->evaluate(x, y, 16, &w).loss;
  dl::FitOptions o = dl::fit_options_from_json(R"({"epochs": 60, "batchSize": 8})");
  o.sample_weight = &w;
  model->fit(x, y, o);
  CHECK(model->evaluate(x, y, 16, &w).loss < 0.6 * before);
  // Label 4 was never rewarded: its probability at the last step stays small.
  const dl::Tensor p = model->predict(x);
  double last = 0;
  for (int i = 0; i < 16; ++i) last += p[(i * 4 + 3) * 5 + 4];
  CHECK(last / 16 < 0.25);
}

TEST_CASE("a batch split between engines sees the same sample weights as the whole batch") {
  const std::string description = kFlat;
  dl::Rng rng(6);
  const dl::Tensor x = check::random_tensor({20, 3}, rng);
  dl::Tensor y({20}), w({20});
  for (int i = 0; i < 20; ++i) {
    y[i] = static_cast<float>(i % 3);
    w[i] = static_cast<float>(i % 4) * 0.5f;
  }
  dl::FitOptions options = dl::fit_options_from_json(R"({"epochs": 2, "batchSize": 8})");
  options.sample_weight = &w;
  auto whole = dl::model_from_json(description);
  whole->fit(x, y, options);

  auto leader = dl::model_from_json(description), helper = dl::model_from_json(description);
  dl::FitSession session(*leader, x, y, options);
  std::vector<float> weights(leader->weight_size()), gradients(leader->gradient_size());
  dl::Tensor hx, hy, predictions;
  for (int rows; (rows = session.begin_batch()) > 0;) {
    leader->read_weights(weights.data());
    const int half = rows / 2;
    session.compute_share(0, half);
    helper->write_weights(weights.data());
    helper->set_noise_seed(session.noise_seed());
    session.batch_x().slice_rows(half, rows, hx);
    session.batch_y().slice_rows(half, rows, hy);
    helper->set_sample_weights(session.batch_weights().data() + half * session.weight_steps(), session.weight_steps(),
                               half);
    const std::vector<float> scale = helper->sample_scale(hy, session.class_weight(), rows);
    const double loss = helper->share_loss_and_gradients(hx, hy, scale.data(), half, &predictions);
    helper->set_sample_weights(nullptr, 0);
    helper->read_gradients(gradients.data());
    session.add_share(half, rows, gradients.data(), loss, predictions.data(), nullptr);
    session.finish_batch();
  }
  CHECK(check::largest_difference(weights_of(*leader), weights_of(*whole)) < 1e-5);
}

TEST_CASE("sample weights of the wrong shape, negative, non-finite or for several outputs are refused") {
  auto model = dl::model_from_json(steps_model(false));
  dl::Rng rng(9);
  const dl::Tensor x = check::random_tensor({3, 4, 3}, rng);
  const dl::Tensor y({3, 4});
  auto refused = [&](const dl::Tensor& w, const char* part) {
    dl::FitOptions o;
    o.sample_weight = &w;
    CHECK_THROWS_WITH_AS(model->fit(x, y, o), doctest::Contains(part), dl::EngineError);
  };
  refused(dl::Tensor({2}), "sampleWeight has shape (2,); expected (3,) or (3, 4)");
  refused(dl::Tensor({3, 5}), "expected (3,) or (3, 4)");
  refused(dl::Tensor({3, 4, 1}), "expected (3,) or (3, 4)");
  refused(tensor_of({3}, {1, -1, 1}), "sampleWeight[1] is -1; weights must be finite and >= 0");
  refused(tensor_of({3}, {1, 1, NAN}), "sampleWeight[2] is");
  const dl::Tensor ok({3});
  CHECK_THROWS_WITH_AS(model->evaluate(x, y, 3, &x), doctest::Contains("evaluate: sampleWeight has shape (3, 4, 3)"),
                       dl::EngineError);
  // A flat output takes (N) only.
  auto flat = dl::model_from_json(kFlat);
  dl::FitOptions o;
  const dl::Tensor fx({3, 3}), fy({3}), w2({3, 2});
  o.sample_weight = &w2;
  CHECK_THROWS_WITH_AS(flat->fit(fx, fy, o), doctest::Contains("expected (3,) (one weight per sample"),
                       dl::EngineError);
  o.sample_weight = &ok;
  o.validation_sample_weight = &ok;
  CHECK_THROWS_WITH_AS(flat->fit(fx, fy, o), doctest::Contains("needs validationData"), dl::EngineError);
}
