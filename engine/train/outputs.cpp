// Models of several outputs, as Keras compiles them: one loss per output, the total loss
// sum_k weight_k * loss_k (plus regularization), metrics per output. Predictions travel as
// the outputs' values side by side, (N, sum of sizes), and targets side by side too, each
// as wide as its loss takes. A model of one output never comes here: its path in
// sequential.cpp stays as it was.
#include <algorithm>
#include <cmath>

#include "core/error.h"
#include "core/show.h"
#include "kernels/activations.h"
#include "train/sequential.h"

namespace dl {

namespace {

// Copies columns [column, column + width) of each row of `from` (rows of from_width) into
// `to`, whose rows are `width` wide (or the other way round with `back`).
void copy_columns(const float* from, std::size_t from_width, float* to, std::size_t to_width, std::size_t width,
                  int rows) {
  for (int r = 0; r < rows; ++r) std::copy_n(from + r * from_width, width, to + r * to_width);
}

// The activation a cross-entropy reads its output through: sigmoid for one unit or a
// binary loss, softmax otherwise.
ActivationKind probability_activation(LossKind loss, int size) {
  return size == 1 || loss == LossKind::binary_crossentropy ? ActivationKind::sigmoid : ActivationKind::softmax;
}

// Applies `kind` to columns [column, column + size) of packed (rows of `width`), a softmax
// over groups of `axis` values (the output's last axis, as a model of one output applies it).
void activate_columns(ActivationKind kind, Tensor& packed, std::size_t width, std::size_t column, int size, int axis,
                      Tensor& scratch) {
  const int rows = packed.rows();
  scratch.resize({rows, size});
  copy_columns(packed.data() + column, width, scratch.data(), size, size, rows);
  apply_activation(kind, scratch, axis);
  copy_columns(scratch.data(), size, packed.data() + column, width, size, rows);
}

}  // namespace

std::vector<Sequential::OutputSpec> Sequential::compile_outputs(const CompileOptions& options) const {
  const std::vector<int>& outs = graph_.outputs();
  const std::size_t count = outs.size();
  std::vector<std::string> names;
  for (int o : outs) names.push_back(graph_.nodes()[o].layer->name);
  std::string listed;
  for (const std::string& n : names) listed += (listed.empty() ? "" : ", ") + show(n);
  for (std::size_t k = 0; k < count; ++k)
    for (std::size_t j = 0; j < k; ++j)
      if (names[j] == names[k])
        fail("compile: outputs ", j, " and ", k, " both come from layer ", show(names[k]),
             "; each output needs a layer of its own, whose name keys its loss and metrics");
  auto check_count = [&](std::size_t given, const char* what) {
    if (given != 0 && given != count)
      fail("compile: ", given, " ", what, " were given for a model of ", count, " outputs (", listed,
           "); expected one per output");
  };
  check_count(options.losses.size(), "losses");
  check_count(options.loss_weights.size(), "loss weights");
  check_count(options.output_metrics.size(), "metric lists");
  std::vector<OutputSpec> specs(count);
  int column = 0, target_column = 0;
  for (std::size_t k = 0; k < count; ++k) {
    const Node& node = graph_.nodes()[outs[k]];
    OutputSpec& o = specs[k];
    o.name = names[k];
    o.size = static_cast<int>(shape_size(node.shape));
    o.loss = options.losses.empty() ? options.loss : options.losses[k];
    o.weight = options.loss_weights.empty() ? 1.0 : options.loss_weights[k];
    if (!std::isfinite(o.weight) || o.weight < 0)
      fail("compile: the loss weight of output ", show(o.name), " is ", show(o.weight),
           "; loss weights must be finite and >= 0");
    const bool sparse = o.loss == LossKind::sparse_categorical_crossentropy;
    if (sparse && o.size < 2)
      fail("compile: output ", show(o.name),
           " has loss sparse_categorical_crossentropy, which needs at least 2 "
           "classes; the output is ",
           shape_text(node.shape));
    o.target_width = sparse ? 1 : o.size;
    o.column = column;
    o.target_column = target_column;
    column += o.size;
    target_column += o.target_width;
    o.metrics = options.output_metrics.empty() ? options.metrics : options.output_metrics[k];
    const ActivationKind last = node.layer->output_activation();
    o.fused = !options.from_logits && is_cross_entropy(o.loss) &&
              last == (o.loss == LossKind::binary_crossentropy ? ActivationKind::sigmoid : ActivationKind::softmax);
  }
  return specs;
}

std::vector<std::string> Sequential::log_names() const {
  if (outputs_.empty()) return compile_.metrics;
  // TensorFlow.js' order: every output's loss, then every output's metrics.
  std::vector<std::string> names;
  for (const OutputSpec& o : outputs_) names.push_back(o.name + "_loss");
  for (const OutputSpec& o : outputs_)
    for (const std::string& m : o.metrics) names.push_back(o.name + "_" + m);
  return names;
}

double Sequential::outputs_loss_and_gradients(const Tensor& x, const Tensor& y, const float* scale, bool backward,
                                              Tensor* predictions, bool accumulate) {
  const int n = x.rows();
  bool any_fused = false;
  for (const OutputSpec& o : outputs_) any_fused = any_fused || o.fused;
  ++forwards_;
  graph_.forward(x, backward, any_fused, noise_seed_, first_row_);
  const std::size_t width = shape_size(output_shape()), y_width = y.size() / n;
  output_y_.resize(outputs_.size());
  output_grad_.resize(outputs_.size());
  output_losses_.resize(n);
  if (predictions) predictions->resize({n, static_cast<int>(width)});
  seeds_.clear();
  double total = 0.0;
  for (std::size_t k = 0; k < outputs_.size(); ++k) {
    const OutputSpec& o = outputs_[k];
    const int node = graph_.outputs()[k];
    const Tensor& out = graph_.value(node);
    Tensor& target = output_y_[k];
    target.resize({n, o.target_width});
    copy_columns(y.data() + o.target_column, y_width, target.data(), o.target_width, o.target_width, n);
    const bool from_logits = (o.fused || compile_.from_logits) && is_cross_entropy(o.loss);
    if (from_logits)
      loss_forward_logits(o.loss, out.data(), target.data(), output_losses_.data(), n, o.size);
    else
      loss_forward(o.loss, out.data(), target.data(), output_losses_.data(), n, o.size);
    double sum = 0.0;
    for (int i = 0; i < n; ++i) sum += static_cast<double>(scale[i]) * output_losses_[i];
    total += o.weight * sum;
    if (predictions) {
      copy_columns(out.data(), o.size, predictions->data() + o.column, width, o.size, n);
      // Metrics read probabilities: the fused path computed logits.
      if (o.fused)
        activate_columns(graph_.nodes()[node].layer->output_activation(), *predictions, width, o.column, o.size,
                         graph_.nodes()[node].shape.back(), packed_);
    }
    if (!backward) continue;
    Tensor& grad = output_grad_[k];
    grad.resize(out.shape());
    if (from_logits)
      loss_backward_logits(o.loss, out.data(), target.data(), scale, grad.data(), n, o.size);
    else
      loss_backward(o.loss, out.data(), target.data(), scale, grad.data(), n, o.size);
    if (o.weight != 1.0) {
      const float w = static_cast<float>(o.weight);
      for (float& g : grad.values()) g *= w;
    }
    seeds_.push_back({node, &grad});
  }
  if (backward) graph_.backward(seeds_, false, accumulate);
  return total;
}

void Sequential::seed_outputs(const Tensor& dy, bool accumulate, bool input_gradient) {
  const std::vector<int>& outs = graph_.outputs();
  const int rows = dy.rows();
  const std::size_t width = dy.size() / rows;
  output_grad_.resize(outs.size());
  seeds_.clear();
  std::size_t column = 0;
  for (std::size_t k = 0; k < outs.size(); ++k) {
    const std::vector<int>& shape = graph_.nodes()[outs[k]].shape;
    std::vector<int> full{rows};
    full.insert(full.end(), shape.begin(), shape.end());
    Tensor& grad = output_grad_[k];
    grad.resize(full);
    const std::size_t size = shape_size(shape);
    copy_columns(dy.data() + column, width, grad.data(), size, size, rows);
    column += size;
    seeds_.push_back({outs[k], &grad});
  }
  graph_.backward(seeds_, input_gradient, accumulate);
}

void Sequential::output_probabilities(Tensor& packed) const {
  if (!compile_.from_logits) return;
  const std::size_t width = packed.size() / packed.rows();
  Tensor scratch;
  for (const OutputSpec& o : outputs_)
    if (is_cross_entropy(o.loss))
      activate_columns(probability_activation(o.loss, o.size), packed, width, o.column, o.size,
                       graph_.nodes()[graph_.outputs()[&o - outputs_.data()]].shape.back(), scratch);
}

void Sequential::check_output_data(const Tensor& y, int n, const char* call) const {
  int width = 0;
  std::string parts;
  for (const OutputSpec& o : outputs_) {
    width += o.target_width;
    parts += (parts.empty() ? "" : ", ") + o.name + ": " + std::to_string(o.target_width);
  }
  if (y.rank() < 1 || y.rows() != n)
    fail(call, ": y has ", y.rank() < 1 ? 0 : y.rows(), " samples but x has ", n, "; they must match");
  const std::size_t per_sample = y.size() / n;
  if (per_sample != static_cast<std::size_t>(width))
    fail(call, ": y has ", per_sample, " values per sample; the model's ", outputs_.size(),
         " outputs take their targets side by side, ", width, " per sample (", parts, ")");
  for (const OutputSpec& o : outputs_) {
    const bool sparse = o.loss == LossKind::sparse_categorical_crossentropy;
    for (int i = 0; i < n; ++i)
      for (int j = 0; j < o.target_width; ++j) {
        const float v = y[static_cast<std::size_t>(i) * width + o.target_column + j];
        if (!std::isfinite(v))
          fail(call, ": y of output ", show(o.name), " holds ", show(v), " at sample ", i,
               "; targets must be finite numbers");
        if (sparse && (v < 0 || v >= o.size || v != std::floor(v)))
          fail(call, ": label ", show(v), " of output ", show(o.name), " at sample ", i,
               " is outside the classes; expected a whole number from 0 to ", o.size - 1);
        if (!sparse && is_cross_entropy(o.loss) && (v < 0.0f || v > 1.0f))
          fail(call, ": target ", show(v), " of output ", show(o.name), " at sample ", i, " is outside [0, 1]; ",
               loss_name(o.loss), " expects probabilities (one-hot rows for classes)");
      }
  }
}

}  // namespace dl
