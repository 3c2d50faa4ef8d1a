// The Sequential model: layer stacking, compiling, forward and backward passes, the loss
// and its gradients, the training step, predict. Argument checks are in
// sequential_checks.cpp, evaluate and summary in evaluate.cpp.
#include "train/sequential.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/error.h"
#include "core/names.h"
#include "core/show.h"
#include "kernels/activations.h"
#include "train/fit_session.h"

namespace dl {

namespace {

std::string canonical_metric(const std::string& name) {
  std::string known;
  for (const std::vector<std::string>& names : metric_names()) {
    for (const std::string& n : names)
      if (n == name) return names[0];
    known += (known.empty() ? "" : ", ") + names[0];
  }
  fail("compile: unknown metric ", show(name), "; expected one of ", known);
}

}  // namespace

Sequential::Sequential(std::uint64_t seed) : rng_(seed) {}

std::vector<Parameter> Sequential::parameters() const {
  std::vector<Parameter> all;
  for (const auto& l : layers_)
    for (const Parameter& p : l->parameters()) all.push_back(p);
  return all;
}

void Sequential::set_weights(const std::vector<std::vector<float>>& values) {
  std::vector<Parameter> params;
  std::vector<std::string> owners;
  for (const auto& l : layers_)
    for (const Parameter& p : l->parameters()) {
      params.push_back(p);
      owners.push_back(l->name);
    }
  if (values.size() != params.size())
    fail("setWeights: the model has ", params.size(), " weight arrays; ", values.size(), " were given");
  for (std::size_t k = 0; k < params.size(); ++k) {
    if (values[k].size() != params[k].value->size())
      fail("setWeights: ", show(owners[k] + "/" + params[k].name), " holds ", params[k].value->size(), " values ",
           shape_text(params[k].value->shape(), false), "; ", values[k].size(), " were given");
    for (std::size_t i = 0; i < values[k].size(); ++i)
      if (!std::isfinite(values[k][i]))
        fail("setWeights: ", show(owners[k] + "/" + params[k].name), " holds ", show(values[k][i]), " at index ", i,
             "; weights must be finite");
  }
  for (std::size_t k = 0; k < params.size(); ++k) params[k].value->values() = values[k];
}

std::vector<Parameter> Sequential::trainable_parameters() const {
  std::vector<Parameter> all;
  for (const auto& l : layers_)
    if (l->trainable)
      for (const Parameter& p : l->parameters())
        if (p.trainable) all.push_back(p);
  return all;
}

std::vector<int> Sequential::input_shape() const {
  const std::vector<int>& inputs = graph_.inputs();
  if (inputs.empty()) return {};
  if (inputs.size() == 1) return graph_.nodes()[inputs[0]].shape;
  return {static_cast<int>(graph_.input_width())};
}
std::vector<int> Sequential::output_shape() const {
  const std::vector<int>& outputs = graph_.outputs();
  if (outputs.size() <= 1) return outputs.empty() ? std::vector<int>{} : graph_.nodes()[outputs[0]].shape;
  // Several outputs: their values side by side.
  std::size_t width = 0;
  for (int o : outputs) width += shape_size(graph_.nodes()[o].shape);
  return {static_cast<int>(width)};
}

Optimizer& Sequential::optimizer() {
  check_compiled("optimizer");
  return *optimizer_;
}

void Sequential::compile(const CompileOptions& options) {
  if (layers_.empty()) fail("compile: the model has no layers; add at least one layer first");
  if (graph_.outputs().empty()) fail("compile: the model has no output; set its outputs first");
  check_optimizer_config(options.optimizer);
  CompileOptions checked = options;
  checked.metrics.clear();
  for (const std::string& m : options.metrics) checked.metrics.push_back(canonical_metric(m));
  for (std::vector<std::string>& list : checked.output_metrics)
    for (std::string& m : list) m = canonical_metric(m);
  if (graph_.outputs().size() > 1) {
    std::vector<OutputSpec> specs = compile_outputs(checked);
    std::vector<char> fused;
    for (const OutputSpec& o : specs) fused.push_back(o.fused);
    compile_ = checked;
    outputs_ = std::move(specs);
    graph_.set_logit_outputs(fused);
    optimizer_ = std::make_unique<Optimizer>(checked.optimizer);
    return;
  }
  if (options.losses.size() > 1 || options.loss_weights.size() > 0 || options.output_metrics.size() > 1)
    fail("compile: ", options.losses.size() > 1 ? "a list of losses" : "lossWeights or metrics per output",
         " is for a model of several outputs; this model has one");
  if (options.output_metrics.size() == 1) checked.metrics = checked.output_metrics[0];
  const int c = static_cast<int>(shape_size(output_shape()));
  if (options.loss == LossKind::sparse_categorical_crossentropy && c < 2)
    fail("compile: loss sparse_categorical_crossentropy needs an output of at least 2 classes; the model outputs ",
         shape_text(output_shape()));
  compile_ = checked;
  outputs_.clear();
  optimizer_ = std::make_unique<Optimizer>(checked.optimizer);
}

bool Sequential::fused_loss() const {
  if (compile_.from_logits || !is_cross_entropy(compile_.loss)) return false;
  ActivationKind last = output_layer().output_activation();
  if (compile_.loss == LossKind::binary_crossentropy) return last == ActivationKind::sigmoid;
  return last == ActivationKind::softmax;
}

const Tensor& Sequential::forward(const Tensor& x, bool training, bool logits) {
  ++forwards_;
  graph_.forward(x, training, logits, noise_seed_, first_row_);
  const std::vector<int>& outputs = graph_.outputs();
  if (outputs.size() == 1) return graph_.value(outputs[0]);
  // Several outputs: their values side by side, as predictions travel.
  const int rows = x.rows();
  const std::size_t width = shape_size(output_shape());
  packed_.resize({rows, static_cast<int>(width)});
  std::size_t column = 0;
  for (int o : outputs) {
    const Tensor& v = graph_.value(o);
    const std::size_t size = v.size() / static_cast<std::size_t>(rows);
    for (int r = 0; r < rows; ++r) std::copy_n(v.data() + r * size, size, packed_.data() + r * width + column);
    column += size;
  }
  return packed_;
}

std::vector<Tensor> Sequential::layer_outputs() const {
  std::vector<Tensor> out;
  for (std::size_t i = 0; i < graph_.nodes().size(); ++i)
    if (graph_.nodes()[i].layer && graph_.nodes()[i].part < 0) out.push_back(graph_.value(static_cast<int>(i)));
  return out;
}

const Tensor* Sequential::backward(const Tensor&, Tensor& dy, bool input_gradient, int from_layer, bool accumulate) {
  int from = graph_.outputs().at(0);
  if (from_layer >= 0) {
    const Layer* layer = layers_.at(from_layer).get();
    for (std::size_t i = graph_.nodes().size(); i-- > 0;)
      if (graph_.nodes()[i].layer == layer && graph_.nodes()[i].call == 0) from = static_cast<int>(i);
  }
  if (from_layer < 0 && graph_.outputs().size() > 1)
    seed_outputs(dy, accumulate, input_gradient);
  else
    graph_.backward({{from, &dy}}, input_gradient, accumulate);
  if (!input_gradient) return nullptr;
  const std::vector<int>& inputs = graph_.inputs();
  if (inputs.size() == 1) return graph_.gradient(inputs[0]);
  // Several inputs: their gradients side by side, as x holds them.
  const int rows = dy.rows();
  const std::size_t width = graph_.input_width();
  input_gradient_.resize({rows, static_cast<int>(width)});
  std::fill(input_gradient_.values().begin(), input_gradient_.values().end(), 0.0f);
  for (int i : inputs) {
    const Tensor* g = graph_.gradient(i);
    if (!g) continue;
    const std::size_t size = g->size() / static_cast<std::size_t>(rows);
    for (int r = 0; r < rows; ++r)
      std::copy_n(g->data() + r * size, size, input_gradient_.data() + r * width + graph_.nodes()[i].column);
  }
  return &input_gradient_;
}

double Sequential::regularization_loss() const {
  double total = 0.0;
  for (const Parameter& p : parameters()) {
    if (!p.regularizer.active()) continue;
    for (float w : p.value->values()) total += p.regularizer.l1 * std::abs(w) + p.regularizer.l2 * w * w;
  }
  return total;
}

double Sequential::loss_and_gradients(const Tensor& x, const Tensor& y, const float* scale, bool backward,
                                      Tensor* predictions, int first_row) {
  const int n = x.rows();
  bool whole = !backward || n <= kSliceRows;
  for (const auto& layer : layers_) whole = whole || layer->uses_batch_statistics();
  double total = 0.0;
  if (whole) {
    first_row_ = first_row;
    total = piece_loss_and_gradients(x, y, scale, backward, predictions, false);
  } else {
    // Slices of the batch, their parameter gradients summed in place: the same gradient
    // as the whole batch (each row's scale already divides by the batch size, and dropout
    // draws its masks in the same order), with the activations of one slice in memory.
    if (predictions) {
      const std::vector<int> out = output_shape();
      std::vector<int> shape{n};
      shape.insert(shape.end(), out.begin(), out.end());
      predictions->resize(shape);
    }
    const std::size_t stride = shape_size(output_shape());
    for (int begin = 0; begin < n; begin += kSliceRows) {
      const int end = std::min(n, begin + kSliceRows);
      x.slice_rows(begin, end, slice_x_);
      y.slice_rows(begin, end, slice_y_);
      first_row_ = first_row + begin;
      total += piece_loss_and_gradients(slice_x_, slice_y_, scale + begin, true,
                                        predictions ? &slice_predictions_ : nullptr, begin > 0);
      if (predictions)
        std::copy(slice_predictions_.values().begin(), slice_predictions_.values().end(),
                  predictions->values().begin() + begin * stride);
    }
  }
  first_row_ = 0;
  return total;
}

double Sequential::piece_loss_and_gradients(const Tensor& x, const Tensor& y, const float* scale, bool backward,
                                            Tensor* predictions, bool accumulate) {
  if (!outputs_.empty()) return outputs_loss_and_gradients(x, y, scale, backward, predictions, accumulate);
  const int n = x.rows();
  const StepShape shape = step_shape(output_shape());
  const int rows = n * shape.steps, c = shape.classes;
  const bool fused = fused_loss();
  const Tensor& out = forward(x, backward, fused);
  const bool from_logits = (fused || compile_.from_logits) && is_cross_entropy(compile_.loss);
  // Each step's scale: the sample's, over its steps, and none for padded steps.
  const Tensor* mask = graph_.mask(graph_.outputs().at(0));
  const float* weights = sample_weights_
                             ? sample_weights_ + static_cast<std::size_t>(first_row_ - weight_first_) * weight_steps_
                             : nullptr;
  step_scale(scale, n, shape, mask ? mask->data() : nullptr, mask ? mask->cols() : 0, row_scale_, weights,
             weight_steps_);
  if (predictions || accumulate) {
    // The metrics' weights of these rows, after those of the batch's earlier slices.
    if (!accumulate) metric_weights_.clear();
    if (mask) {
      const std::vector<float> ones(n, 1.0f);
      std::vector<float> weights;
      step_scale(ones.data(), n, shape, mask->data(), mask->cols(), weights);
      metric_weights_.insert(metric_weights_.end(), weights.begin(), weights.end());
    }
  }
  std::vector<float> losses(rows);
  if (from_logits)
    loss_forward_logits(compile_.loss, out.data(), y.data(), losses.data(), rows, c);
  else
    loss_forward(compile_.loss, out.data(), y.data(), losses.data(), rows, c);
  double total = 0.0;
  for (int i = 0; i < rows; ++i) total += static_cast<double>(row_scale_[i]) * losses[i];

  if (predictions) {
    // Metrics read probabilities: the fused path computed logits, so apply the activation.
    predictions->resize(out.shape());
    std::copy(out.values().begin(), out.values().end(), predictions->values().begin());
    if (fused) apply_activation(output_layer().output_activation(), *predictions, c);
  }
  if (backward) {
    loss_grad_.resize(out.shape());
    if (from_logits)
      loss_backward_logits(compile_.loss, out.data(), y.data(), row_scale_.data(), loss_grad_.data(), rows, c);
    else
      loss_backward(compile_.loss, out.data(), y.data(), row_scale_.data(), loss_grad_.data(), rows, c);
    this->backward(x, loss_grad_, false, -1, accumulate);
  }
  return total;
}

std::vector<float> Sequential::sample_scale(const Tensor& y, const std::map<int, float>& class_weight,
                                            int batch_rows) const {
  const int n = y.rows();
  std::vector<float> scale(n, 1.0f / batch_rows);
  if (class_weight.empty()) return scale;
  if (!outputs_.empty())
    fail("fit: classWeight is not supported for a model of several outputs (", outputs_.size(), " outputs)");
  const StepShape shape = step_shape(output_shape());
  if (shape.steps > 1)
    fail("fit: classWeight is not supported for an output of several steps (", shape_text(output_shape()),
         "), as in Keras; weigh the classes in the data instead");
  const int c = shape.classes;
  const bool sparse = compile_.loss == LossKind::sparse_categorical_crossentropy;
  const std::size_t stride = sparse ? 1 : c;
  for (int i = 0; i < n; ++i) {
    auto it = class_weight.find(target_class(y.data() + i * stride, sparse ? c : c, sparse));
    if (it != class_weight.end()) scale[i] *= it->second;
  }
  return scale;
}

int Sequential::check_sample_weight(const Tensor& w, int n, const char* call) const {
  const std::vector<int> out = output_shape();
  const int steps = out.size() >= 2 ? out[0] : 0;
  const std::string expected =
      shape_text({n}, false) + (steps ? " or " + shape_text({n, steps}, false) : std::string());
  if (!outputs_.empty())
    fail(call, ": sampleWeight is not supported for a model of several outputs (", outputs_.size(),
         " outputs); train without it");
  const std::vector<int>& s = w.shape();
  const bool per_sample = s.size() == 1 && s[0] == n;
  const bool per_step = s.size() == 2 && s[0] == n && steps > 0 && s[1] == steps;
  if (!per_sample && !per_step)
    fail(call, ": sampleWeight has shape ", shape_text(s, false), "; expected ", expected,
         " (one weight per sample, or per step of the output ", shape_text(out), ")");
  for (std::size_t i = 0; i < w.size(); ++i)
    if (!std::isfinite(w.data()[i]) || w.data()[i] < 0)
      fail(call, ": sampleWeight[", i, "] is ", show(w.data()[i]), "; weights must be finite and >= 0");
  return per_sample ? 1 : steps;
}

double Sequential::train_step(const Tensor& x, const Tensor& y, const std::map<int, float>& class_weight,
                              Logs& metric_sums, const std::function<void()>& before_update) {
  begin_step();
  const std::vector<float> scale = sample_scale(y, class_weight, x.rows());
  const double data_loss = loss_and_gradients(x, y, scale.data(), true, &step_predictions_);
  return finish_step(data_loss, step_predictions_, y, metric_sums, before_update);
}

std::uint64_t Sequential::begin_step() {
  // 53 bits, so that the seed crosses to JavaScript as an exact number.
  noise_seed_ = rng_.next_u64() >> 11;
  return noise_seed_;
}

double Sequential::share_loss_and_gradients(const Tensor& x, const Tensor& y, const float* scale, int first_row,
                                            Tensor* predictions) {
  return loss_and_gradients(x, y, scale, true, predictions, first_row);
}

double Sequential::finish_step(double data_loss, const Tensor& predictions, const Tensor& y, Logs& metric_sums,
                               const std::function<void()>& before_update) {
  const double loss = data_loss + regularization_loss();
  if (!std::isfinite(loss)) return loss;
  for (const Parameter& p : trainable_parameters()) {
    if (!p.regularizer.active()) continue;
    float* g = p.grad->data();
    const float* w = p.value->data();
    for (std::size_t i = 0; i < p.value->size(); ++i)
      g[i] += p.regularizer.l1 * static_cast<float>((w[i] > 0) - (w[i] < 0)) + 2.0f * p.regularizer.l2 * w[i];
  }
  if (before_update) before_update();
  optimizer_->step(trainable_parameters());
  accumulate_metrics(predictions, y, y.rows(), metric_sums);
  return loss;
}

Logs Sequential::train_on_batch(const Tensor& x, const Tensor& y, const std::map<int, float>& class_weight) {
  check_compiled("train_on_batch");
  check_data(x, y, "train_on_batch");
  check_memory(x.rows(), true, "train_on_batch");
  Logs sums;
  const double loss = train_step(x, y, class_weight, sums);
  Logs logs{{"loss", loss}};
  for (auto& [name, sum] : sums) logs[name] = sum / x.rows();
  return logs;
}

History Sequential::fit(const Tensor& x, const Tensor& y, FitOptions options) {
  FitSession session(*this, x, y, std::move(options));
  while (session.step()) {
  }
  return session.history();
}

Tensor Sequential::predict(const Tensor& x, int batch_size) {
  check_inputs(x, "predict");
  if (batch_size < 1) fail("predict: batchSize must be at least 1; got ", batch_size);
  check_memory(std::min(batch_size, x.rows()), false, "predict");
  const int n = x.rows();
  std::vector<int> shape{n};
  for (int d : output_shape()) shape.push_back(d);
  Tensor out(shape);
  const std::size_t stride = shape_size(output_shape());
  Tensor batch;
  for (int begin = 0; begin < n; begin += batch_size) {
    const int end = std::min(n, begin + batch_size);
    x.slice_rows(begin, end, batch);
    const Tensor& y = forward(batch, false);
    std::copy(y.values().begin(), y.values().end(), out.values().begin() + begin * stride);
  }
  return out;
}

}  // namespace dl
