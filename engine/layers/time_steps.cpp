// Masking, RepeatVector and TimeDistributed: shapes, masks and the wrapped layer's rows.
#include "layers/time_steps.h"

#include <algorithm>

#include "core/names.h"
#include "core/show.h"

namespace dl {

namespace {

void expect_steps(const Layer& layer, const std::vector<int>& input_shape) {
  if (input_shape.size() < 2)
    fail(layer.label(), " expects a sequence of shape (None, steps, features); got ", shape_text(input_shape));
}

// The shape with the batch in front.
std::vector<int> with_rows(int rows, const std::vector<int>& shape) {
  std::vector<int> out{rows};
  out.insert(out.end(), shape.begin(), shape.end());
  return out;
}

}  // namespace

std::vector<int> MaskingLayer::build(const std::vector<int>& input_shape) {
  expect_steps(*this, input_shape);
  return input_shape;
}

void MaskingLayer::make_mask(const Tensor& x, Tensor& mask) const {
  const int n = x.rows(), steps = input_shape[0];
  const std::size_t width = x.size() / (static_cast<std::size_t>(n) * steps);
  mask.resize({n, steps});
  for (std::size_t s = 0; s < mask.size(); ++s) {
    const float* v = x.data() + s * width;
    mask[s] = std::any_of(v, v + width, [&](float value) { return value != mask_value_; }) ? 1.0f : 0.0f;
  }
}

void MaskingLayer::forward(const Tensor& x, Tensor& y, bool) {
  const std::size_t steps = static_cast<std::size_t>(x.rows()) * input_shape[0], width = x.size() / steps;
  for (std::size_t s = 0; s < steps; ++s) {
    const float* v = x.data() + s * width;
    const bool real = std::any_of(v, v + width, [&](float value) { return value != mask_value_; });
    std::transform(v, v + width, y.data() + s * width, [&](float value) { return real ? value : 0.0f; });
  }
}

void MaskingLayer::backward(const Tensor& x, const Tensor&, Tensor& dy, Tensor* dx) {
  if (!dx) return;
  const std::size_t steps = static_cast<std::size_t>(x.rows()) * input_shape[0], width = x.size() / steps;
  for (std::size_t s = 0; s < steps; ++s) {
    const float* v = x.data() + s * width;
    const bool real = std::any_of(v, v + width, [&](float value) { return value != mask_value_; });
    for (std::size_t k = 0; k < width; ++k) (*dx)[s * width + k] = real ? dy[s * width + k] : 0.0f;
  }
}

RepeatVectorLayer::RepeatVectorLayer(int n) : n_(n) {
  if (n < 1) fail("RepeatVector: n must be a positive whole number; got ", n);
}

std::vector<int> RepeatVectorLayer::build(const std::vector<int>& input_shape) {
  if (input_shape.size() != 1)
    fail(label(), " expects a flat input of shape (None, features); got ", shape_text(input_shape));
  const std::vector<int> out{n_, input_shape[0]};
  shape_size(out);  // refuses a sequence too large to hold
  return out;
}

void RepeatVectorLayer::forward(const Tensor& x, Tensor& y, bool) {
  const int features = input_shape[0];
  for (int i = 0; i < x.rows(); ++i)
    for (int t = 0; t < n_; ++t)
      std::copy_n(x.data() + static_cast<std::size_t>(i) * features, features,
                  y.data() + (static_cast<std::size_t>(i) * n_ + t) * features);
}

void RepeatVectorLayer::backward(const Tensor& x, const Tensor&, Tensor& dy, Tensor* dx) {
  if (!dx) return;
  const int features = input_shape[0];
  std::fill(dx->values().begin(), dx->values().end(), 0.0f);
  for (int i = 0; i < x.rows(); ++i)
    for (int t = 0; t < n_; ++t)
      for (int k = 0; k < features; ++k)
        (*dx)[static_cast<std::size_t>(i) * features + k] += dy[(static_cast<std::size_t>(i) * n_ + t) * features + k];
}

TimeDistributedLayer::TimeDistributedLayer(std::unique_ptr<Layer> inner) : inner_(std::move(inner)) {
  if (!inner_) fail("TimeDistributed: the layer to apply is missing");
  if (inner_->max_inputs() > 1)
    fail("TimeDistributed: ", inner_->type(), " takes several inputs; it wraps a layer of one");
}

std::vector<int> TimeDistributedLayer::build(const std::vector<int>& input_shape) {
  expect_steps(*this, input_shape);
  steps_ = input_shape[0];
  if (inner_->name.empty()) inner_->name = name + "_" + snake_case_name(inner_->type());
  inner_->rng = rng;
  const std::vector<int> step(input_shape.begin() + 1, input_shape.end());
  std::vector<int> out;
  try {
    out = inner_->build(step);
  } catch (const EngineError& e) {
    fail(label(), ": the layer it applies to each of the ", steps_, " steps, ", inner_->type(), ", cannot take ",
         shape_text(step), ": ", e.what());
  }
  inner_->input_shape = step;
  inner_->output_shape = out;
  out.insert(out.begin(), steps_);
  return out;
}

double TimeDistributedLayer::multiply_adds() const { return inner_->multiply_adds() * steps_; }

void TimeDistributedLayer::pass_settings() {
  inner_->call = call;
  inner_->emit_logits = emit_logits;
  inner_->accumulate_gradients = accumulate_gradients;
  inner_->trainable = trainable;
  inner_->noise_seed = noise_seed;
  inner_->first_row = first_row * steps_;
}

void TimeDistributedLayer::forward(const Tensor& x, Tensor& y, bool training) {
  pass_settings();
  if (rows_x_.size() <= static_cast<std::size_t>(call)) {
    rows_x_.resize(call + 1);
    rows_y_.resize(call + 1);
  }
  Tensor& rx = rows_x_[call];
  Tensor& ry = rows_y_[call];
  const int rows = x.rows() * steps_;
  rx.resize(with_rows(rows, inner_->input_shape));
  std::copy(x.values().begin(), x.values().end(), rx.values().begin());
  ry.resize(with_rows(rows, inner_->output_shape));
  inner_->forward(rx, ry, training);
  std::copy(ry.values().begin(), ry.values().end(), y.values().begin());
}

void TimeDistributedLayer::backward(const Tensor& x, const Tensor&, Tensor& dy, Tensor* dx) {
  pass_settings();
  const int rows = x.rows() * steps_;
  rows_dy_.resize(with_rows(rows, inner_->output_shape));
  std::copy(dy.values().begin(), dy.values().end(), rows_dy_.values().begin());
  if (dx) rows_dx_.resize(with_rows(rows, inner_->input_shape));
  inner_->backward(rows_x_[call], rows_y_[call], rows_dy_, dx ? &rows_dx_ : nullptr);
  if (dx) std::copy(rows_dx_.values().begin(), rows_dx_.values().end(), dx->values().begin());
}

}  // namespace dl
