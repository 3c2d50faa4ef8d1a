// Dense layer: parameter set-up and the glue between tensors and the dense_* kernels.
#include "layers/dense.h"

namespace dl {

DenseLayer::DenseLayer(const DenseOptions& options) : options_(options) {
  if (options.units <= 0) fail("Dense: units must be a positive whole number; got ", options.units);
}

std::vector<int> DenseLayer::build(const std::vector<int>& input_shape) {
  // Keras and TensorFlow.js apply Dense to the last axis of any input; this engine does so
  // over sequences, (None, steps, features) -> (None, steps, units), and keeps refusing
  // images, where a missing Flatten is the usual mistake.
  if (input_shape.empty() || input_shape.size() > 2)
    fail(label(), " expects a flat input of shape (None, features); got ", shape_text(input_shape),
         ". Add a Flatten layer before it (a sequence, (None, steps, features), it takes step by step).");
  const int in = input_shape.back(), out = options_.units;
  if (static_cast<std::uint64_t>(in) * out > kMaxTensorValues)
    fail(label(), ": a kernel of ", in, " x ", out, " would need ", static_cast<double>(in) * out * 4 / (1 << 20),
         " MiB; the limit is ", (kMaxTensorValues * 4) >> 20, " MiB per tensor");
  kernel_ = Tensor({in, out});
  kernel_grad_ = Tensor({in, out});
  initialize(kernel_, options_.kernel_initializer, in, out, *rng);
  if (options_.use_bias) {
    bias_ = Tensor({out});
    bias_grad_ = Tensor({out});
    initialize(bias_, options_.bias_initializer, in, out, *rng);
  } else {
    bias_ = Tensor({out}, 0.0f);
    bias_grad_ = Tensor({out}, 0.0f);
  }
  std::vector<int> shape = input_shape;
  shape.back() = out;
  return shape;
}

// Over a sequence every step is a row: (N, T, F) is (N*T, F) to the kernels.
void DenseLayer::forward(const Tensor& x, Tensor& y, bool) {
  const int in = input_shape.back(), rows = static_cast<int>(x.size() / in);
  dense_forward(x.data(), kernel_.data(), bias_.data(), y.data(), rows, in, options_.units);
  if (emit_logits) return;
  if (activation_needs_input(options_.activation)) {
    // gelu and swish differentiate from their input: keep it for this application.
    if (static_cast<int>(pre_activation_.size()) <= call) pre_activation_.resize(call + 1);
    pre_activation_[call] = y;
  }
  apply_activation(options_.activation, y, options_.units);
}

void DenseLayer::backward(const Tensor& x, const Tensor& y, Tensor& dy, Tensor* dx) {
  const int in = input_shape.back(), rows = static_cast<int>(x.size() / in);
  if (!emit_logits)
    apply_activation_gradient(options_.activation, y, dy, options_.units,
                              call < static_cast<int>(pre_activation_.size()) ? &pre_activation_[call] : nullptr);
  dense_backward(x.data(), kernel_.data(), dy.data(), dx ? dx->data() : nullptr, kernel_grad_.data(), bias_grad_.data(),
                 rows, in, options_.units, accumulate_gradients);
  if (!options_.use_bias) bias_grad_.values().assign(options_.units, 0.0f);
}

std::vector<Parameter> DenseLayer::parameters() {
  std::vector<Parameter> p{
      {"kernel", &kernel_, &kernel_grad_, options_.kernel_regularizer, true, options_.kernel_constraint}};
  if (options_.use_bias)
    p.push_back({"bias", &bias_, &bias_grad_, options_.bias_regularizer, true, options_.bias_constraint});
  return p;
}

}  // namespace dl
