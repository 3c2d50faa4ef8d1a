// The Sequential model's argument checks: compiled, data shapes and values, memory; and
// the optimizer taken over from a model alike.
// Each throws naming the call and what was expected.
#include <algorithm>
#include <cmath>

#include "core/error.h"
#include "core/show.h"
#include "train/sequential.h"

namespace dl {

namespace {

// Index of the first value that is NaN or infinite, or -1.
long first_non_finite(const Tensor& t) {
  for (std::size_t i = 0; i < t.size(); ++i)
    if (!std::isfinite(t[i])) return static_cast<long>(i);
  return -1;
}

}  // namespace

void Sequential::check_compiled(const char* call) const {
  if (!optimizer_) fail(call, ": the model is not compiled; call compile(optimizer, loss) first");
}

void Sequential::check_inputs(const Tensor& x, const char* call) const {
  if (layers_.empty() || graph_.outputs().empty()) fail(call, ": the model has no layers");
  const std::vector<int>& in = input_shape();
  std::vector<int> sample(x.shape().begin() + std::min<std::size_t>(1, x.shape().size()), x.shape().end());
  if (x.rank() < 1 || sample != in)
    fail(call, ": x has shape ", shape_text(x.shape(), false), "; the model expects ", shape_text(in));
  if (x.rows() == 0) fail(call, ": x has no samples");
  long bad = first_non_finite(x);
  if (bad >= 0) {
    std::size_t stride = x.size() / x.rows();
    fail(call, ": x holds ", show(x[bad]), " at sample ", bad / stride, ", value ", bad % stride,
         "; inputs must be finite numbers");
  }
}

void Sequential::check_data(const Tensor& x, const Tensor& y, const char* call) const {
  check_inputs(x, call);
  const int n = x.rows();
  if (!outputs_.empty()) {
    check_output_data(y, n, call);
    return;
  }
  const int size = static_cast<int>(shape_size(output_shape()));
  const StepShape steps = step_shape(output_shape());
  const int c = steps.classes;
  const bool sparse = compile_.loss == LossKind::sparse_categorical_crossentropy;
  if (y.rank() < 1 || y.rows() != n)
    fail(call, ": y has ", y.rank() < 1 ? 0 : y.rows(), " samples but x has ", n, "; they must match");
  const std::size_t per_sample = y.size() / n;
  if (sparse && per_sample != static_cast<std::size_t>(steps.steps)) {
    if (steps.steps == 1)
      fail(call, ": y has ", per_sample,
           " values per sample; loss sparse_categorical_crossentropy expects one class index per sample (shape (", n,
           "))");
    fail(call, ": y has ", per_sample, " values per sample; the model outputs ", shape_text(output_shape()),
         " so loss sparse_categorical_crossentropy expects one class index per step (shape (", n, ", ", steps.steps,
         "))");
  }
  if (!sparse && per_sample != static_cast<std::size_t>(size))
    fail(call, ": y has ", per_sample, " values per sample; the model outputs ", shape_text(output_shape()),
         " so y must have ", size, " per sample",
         c > 1 && is_cross_entropy(compile_.loss)
             ? " (one-hot rows, or use sparse_categorical_crossentropy for class indices)"
             : "");
  long bad = first_non_finite(y);
  if (bad >= 0)
    fail(call, ": y holds ", show(y[bad]), " at sample ", bad / per_sample, "; targets must be finite numbers");
  for (std::size_t i = 0; i < y.size(); ++i) {
    float v = y[i];
    if (sparse && (v < 0 || v >= c || v != std::floor(v)))
      fail(call, ": label ", show(v), " at sample ", i / per_sample,
           steps.steps > 1 ? ", step " + std::to_string(i % per_sample) : std::string(),
           " is outside the classes; expected a whole number from 0 to ", c - 1);
    if (!sparse && is_cross_entropy(compile_.loss) && (v < 0.0f || v > 1.0f))
      fail(call, ": target ", show(v), " at sample ", i / per_sample, " is outside [0, 1]; ", loss_name(compile_.loss),
           " expects probabilities (one-hot rows for classes)");
  }
}

void Sequential::check_memory(int rows, bool training, const char* call) const {
  double weights = 0.0, largest = 0.0, activations = 0.0;
  for (const Parameter& p : parameters()) weights += 4.0 * p.value->size() * (training ? 4 : 1);
  bool sliced = training && rows > kSliceRows;
  for (const auto& layer : layers_) sliced = sliced && !layer->uses_batch_statistics();
  const int at_once = sliced ? kSliceRows : rows;
  for (const Node& node : graph_.nodes()) {
    if (!node.layer) continue;
    const double bytes = 4.0 * at_once * shape_size(node.shape);
    activations += bytes;
    largest = std::max(largest, bytes);
  }
  // Gradients flow through a few buffers of the largest activation (two in a chain, one
  // more per skip alive); the batch is copied once.
  if (training) activations += 2 * largest + 4.0 * rows * shape_size(input_shape());
  const double mb = 1024.0 * 1024.0;
  if (weights + activations > static_cast<double>(kMemoryLimit))
    fail(call, ": ", training ? "training" : "running", " this model on ", rows, " samples at once needs about ",
         static_cast<long>((weights + activations) / mb), " MB (weights",
         training ? ", gradients and optimizer state " : " ", static_cast<long>(weights / mb), " MB; activations ",
         static_cast<long>(activations / mb), " MB); the limit is ", kMemoryLimit >> 20,
         " MB. Use a smaller batch size or a smaller model.");
}

void Sequential::take_optimizer(const Sequential& from) {
  check_compiled("take_optimizer");
  from.check_compiled("take_optimizer");
  const std::vector<Parameter> mine = trainable_parameters(), theirs = from.trainable_parameters();
  if (mine.size() != theirs.size())
    fail("take_optimizer: the models have ", mine.size(), " and ", theirs.size(),
         " trainable weights; expected the same");
  for (std::size_t k = 0; k < mine.size(); ++k)
    if (mine[k].value->shape() != theirs[k].value->shape())
      fail("take_optimizer: trainable weight ", k, " (", show(mine[k].name), ") has shape ",
           shape_text(mine[k].value->shape(), false), " here and ", shape_text(theirs[k].value->shape(), false),
           " in the other model; expected the same");
  *optimizer_ = *from.optimizer_;
}

}  // namespace dl
