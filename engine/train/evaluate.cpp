// The Sequential model's evaluation (loss, metrics, per-class report, ROC AUC) and its
// Keras-style summary.
#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>

#include "core/error.h"
#include "kernels/activations.h"
#include "train/sequential.h"

namespace dl {

namespace {

std::string with_commas(std::size_t n) {
  std::string digits = std::to_string(n), out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

// The sum over `count` rows of metric m ("accuracy", "mae" or "mse"): predictions of c
// values each, rows p_stride apart; targets rows t_stride apart (one class index when sparse).
// With weights, row i counts weights[i] times.
double metric_sum(const std::string& m, const float* predictions, std::size_t p_stride, const float* targets,
                  std::size_t t_stride, int count, int c, bool sparse, float threshold,
                  const float* weights = nullptr) {
  double sum = 0.0;
  for (int i = 0; i < count; ++i) {
    if (weights && weights[i] == 0.0f) continue;
    const double before = sum;
    const float* p = predictions + static_cast<std::size_t>(i) * p_stride;
    const float* t = targets + i * t_stride;
    if (m == "accuracy") {
      sum += predicted_class(p, c, threshold) == target_class(t, c, sparse);
    } else {
      double e = 0.0;
      for (int j = 0; j < c; ++j) {
        double d = p[j] - (sparse ? (j == static_cast<int>(t[0])) : t[j]);
        e += m == "mae" ? std::abs(d) : d * d;
      }
      sum += e / c;
    }
    if (weights) sum = before + (sum - before) * weights[i];
  }
  return sum;
}

}  // namespace

void Sequential::accumulate_metrics(const Tensor& predictions, const Tensor& y, int count, Logs& sums) const {
  if (!outputs_.empty()) return accumulate_output_metrics(predictions, y, count, sums);
  // Per step (a sequence's steps count alike, padded ones not at all), as Keras.
  const StepShape shape = step_shape(output_shape());
  const int c = shape.classes, rows = count * shape.steps;
  const bool sparse = compile_.loss == LossKind::sparse_categorical_crossentropy;
  const std::size_t ystride = sparse ? 1 : c;
  const float threshold = compile_.from_logits ? 0.0f : 0.5f;
  const bool weighted = metric_weights_.size() == static_cast<std::size_t>(rows);
  for (const std::string& m : compile_.metrics)
    sums[m] += metric_sum(m, predictions.data(), c, y.data(), ystride, rows, c, sparse, threshold,
                          weighted ? metric_weights_.data() : nullptr) /
               (weighted ? 1 : shape.steps);
}

void Sequential::accumulate_output_metrics(const Tensor& predictions, const Tensor& y, int count, Logs& sums) const {
  const std::size_t width = predictions.size() / count, y_width = y.size() / count;
  const float threshold = compile_.from_logits ? 0.0f : 0.5f;
  for (const OutputSpec& o : outputs_) {
    const float* p = predictions.data() + o.column;
    const float* t = y.data() + o.target_column;
    // Each output's own loss, unweighted, from the probabilities (or the logits the model
    // outputs with fromLogits), as TensorFlow.js logs it.
    const bool logits = compile_.from_logits && is_cross_entropy(o.loss);
    double loss = 0.0;
    for (int i = 0; i < count; ++i) {
      float value = 0.0f;
      if (logits)
        loss_forward_logits(o.loss, p + i * width, t + i * y_width, &value, 1, o.size);
      else
        loss_forward(o.loss, p + i * width, t + i * y_width, &value, 1, o.size);
      loss += value;
    }
    sums[o.name + "_loss"] += loss;
    const bool sparse = o.loss == LossKind::sparse_categorical_crossentropy;
    for (const std::string& m : o.metrics)
      sums[o.name + "_" + m] += metric_sum(m, p, width, t, y_width, count, o.size, sparse, threshold);
  }
}

Evaluation Sequential::evaluate_outputs(const Tensor& x, const Tensor& y, int batch_size, int first, int last) {
  Evaluation result;
  result.roc_auc = std::numeric_limits<double>::quiet_NaN();
  Logs sums;
  double loss_sum = 0.0;
  Tensor bx, by, predictions;
  std::vector<float> ones;
  for (int begin = first; begin < last; begin += batch_size) {
    const int end = std::min(last, begin + batch_size), count = end - begin;
    x.slice_rows(begin, end, bx);
    y.slice_rows(begin, end, by);
    ones.assign(count, 1.0f);
    loss_sum += loss_and_gradients(bx, by, ones.data(), false, &predictions);
    accumulate_metrics(predictions, by, count, sums);
  }
  const int n = last - first;
  result.loss = loss_sum / n + regularization_loss();
  for (auto& [name, sum] : sums) result.metrics[name] = sum / n;
  return result;
}

Evaluation Sequential::evaluate(const Tensor& x, const Tensor& y, int batch_size, const Tensor* sample_weight) {
  check_compiled("evaluate");
  check_data(x, y, "evaluate");
  if (sample_weight) check_sample_weight(*sample_weight, x.rows(), "evaluate");
  if (batch_size < 1) fail("evaluate: batchSize must be at least 1; got ", batch_size);
  check_memory(std::min(batch_size, x.rows()), false, "evaluate");
  return evaluate_rows(x, y, batch_size, 0, x.rows(), sample_weight);
}

// sample_weight weighs the loss only: Keras 3 passes sample_weight to compile's
// weighted_metrics alone (compile_utils.CompileMetrics.update_state), never to `metrics`,
// and this API has no weighted metrics; the metrics stay unweighted, masks aside.
Evaluation Sequential::evaluate_rows(const Tensor& x, const Tensor& y, int batch_size, int first, int last,
                                     const Tensor* sample_weight) {
  if (!outputs_.empty()) return evaluate_outputs(x, y, batch_size, first, last);
  const int n = last - first;
  const StepShape shape = step_shape(output_shape());
  const int c = shape.classes;
  const bool sparse = compile_.loss == LossKind::sparse_categorical_crossentropy;
  const std::size_t ystride = sparse ? 1 : c;
  Evaluation result;
  result.classification = is_cross_entropy(compile_.loss);
  std::vector<int> truth, predicted, labels;
  std::vector<float> scores;
  Logs sums;
  double loss_sum = 0.0;
  const float threshold = compile_.from_logits ? 0.0f : 0.5f;
  Tensor bx, by, predictions;
  for (int begin = first; begin < last; begin += batch_size) {
    const int end = std::min(last, begin + batch_size), count = end - begin;
    x.slice_rows(begin, end, bx);
    y.slice_rows(begin, end, by);
    const std::vector<float> ones(count, 1.0f);
    const int per = sample_weight ? static_cast<int>(sample_weight->size() / x.rows()) : 0;
    if (sample_weight) set_sample_weights(sample_weight->data() + static_cast<std::size_t>(begin) * per, per);
    try {
      loss_sum += loss_and_gradients(bx, by, ones.data(), false, &predictions);
    } catch (...) {
      set_sample_weights(nullptr, 0);
      throw;
    }
    set_sample_weights(nullptr, 0);
    accumulate_metrics(predictions, by, count, sums);
    if (!result.classification) continue;
    // The report counts steps (padded ones left out) as Keras' metrics do.
    const bool weighted = metric_weights_.size() == static_cast<std::size_t>(count) * shape.steps;
    for (int i = 0; i < count * shape.steps; ++i) {
      if (weighted && metric_weights_[i] == 0.0f) continue;
      const float* p = predictions.data() + static_cast<std::size_t>(i) * c;
      int t = target_class(by.data() + i * ystride, c, sparse);
      truth.push_back(t);
      predicted.push_back(predicted_class(p, c, threshold));
      if (c <= 2) {
        labels.push_back(t);
        scores.push_back(c == 1 ? p[0] : p[1] - p[0]);
      }
    }
  }
  result.loss = loss_sum / n + regularization_loss();
  for (auto& [name, sum] : sums) result.metrics[name] = sum / n;
  result.roc_auc = std::numeric_limits<double>::quiet_NaN();
  if (result.classification) {
    result.report = class_report(truth, predicted, std::max(c, 2));
    if (c <= 2) result.roc_auc = roc_auc(scores, labels);
  }
  return result;
}

std::string Sequential::summary() const {
  // A chain as Keras prints a Sequential; any other graph as Keras prints a Functional
  // model: a row per node, inputs included, with the tensors each takes.
  const std::vector<Node>& nodes = graph_.nodes();
  bool chain = graph_.inputs().size() == 1;
  for (std::size_t i = 1; i < nodes.size(); ++i)
    chain = chain && nodes[i].inputs.size() == 1 && nodes[i].inputs[0] == static_cast<int>(i) - 1;
  std::ostringstream out;
  const int width = chain ? 65 : 98;
  const std::string rule(width, '_'), double_rule(width, '=');
  // A cell padded to its column, and at least one space wide of the next (a long name such
  // as "time_distributed (TimeDistributed)" runs past its column).
  auto cell = [](const std::string& text, std::size_t w) {
    return text + std::string(text.size() < w ? w - text.size() : 1, ' ');
  };
  auto row = [&](const std::string& a, const std::string& b, const std::string& c, const std::string& d) {
    out << ' ' << cell(a, 28) << cell(b, 25);
    if (chain)
      out << c << '\n';
    else
      out << cell(c, 12) << d << '\n';
  };
  out << "Model: \"" << (chain ? "sequential" : "model") << "\"\n" << rule << '\n';
  row("Layer (type)", "Output Shape", "Param #", "Connected to");
  out << double_rule << '\n';
  std::size_t total = 0, trainable = 0;
  for (const Parameter& p : trainable_parameters()) trainable += p.value->size();
  bool first = true;
  for (const Node& node : nodes) {
    if ((chain && !node.layer) || node.part >= 0) continue;
    if (!first) out << '\n';
    first = false;
    std::string from;
    for (int i : node.inputs) from += (from.empty() ? "" : ", ") + nodes[i].name;
    if (!node.layer) {
      row(node.name + " (InputLayer)", shape_text(node.shape), "0", "");
      continue;
    }
    // A shared layer's weights count once, at its first application.
    const std::size_t count = node.call == 0 ? node.layer->parameter_count() : 0;
    total += count;
    row(node.name + " (" + node.layer->type() + ")", shape_text(node.shape), with_commas(count), from);
  }
  out << double_rule << '\n';
  out << "Total params: " << with_commas(total) << '\n';
  out << "Trainable params: " << with_commas(trainable) << '\n';
  out << "Non-trainable params: " << with_commas(total - trainable) << '\n' << rule << '\n';
  return out.str();
}

Tensor Sequential::predict_probabilities(const Tensor& x, int batch_size) {
  Tensor out = predict(x, batch_size);
  if (!outputs_.empty()) {
    output_probabilities(out);
    return out;
  }
  const int outputs = step_shape(output_shape()).classes;
  if (compile_.from_logits)
    apply_activation(outputs == 1 ? ActivationKind::sigmoid : ActivationKind::softmax, out, outputs);
  return out;
}

}  // namespace dl
