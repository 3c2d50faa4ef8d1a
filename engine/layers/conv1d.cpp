// Conv1D: option and shape checks, parameters, and the glue to the conv1d_* kernels.
#include "layers/conv1d.h"

#include <algorithm>

#include "core/error.h"
#include "core/show.h"

namespace dl {

std::vector<int> Conv1DLayer::build(const std::vector<int>& input_shape) {
  const Conv1DOptions& o = options_;
  if (input_shape.size() != 2)
    fail(label(), " expects sequences of shape (None, steps, channels); got ", shape_text(input_shape),
         input_shape.size() == 1 ? ". Add a Reshape layer first, e.g. targetShape [steps, 1]." : "");
  if (o.filters <= 0) fail(label(), ": filters must be a positive whole number; got ", show(o.filters));
  if (o.kernel_size <= 0) fail(label(), ": kernelSize must be positive; got ", show(o.kernel_size));
  if (o.stride <= 0) fail(label(), ": strides must be positive; got ", show(o.stride));
  if (o.dilation <= 0) fail(label(), ": dilationRate must be positive; got ", show(o.dilation));
  if (o.stride > 1 && o.dilation > 1)
    fail(label(), ": strides ", show(o.stride), " with dilationRate ", show(o.dilation),
         " is not supported (as in Keras); one of them must be 1");
  g_ = conv1d_geometry(input_shape[0], input_shape[1], o.kernel_size, o.filters, o.stride, o.dilation, o.padding,
                       label());
  const double kernel_values = static_cast<double>(g_.patch()) * g_.f;
  const double output_values = static_cast<double>(g_.out) * g_.f;
  if (kernel_values > static_cast<double>(kMaxTensorValues) || output_values > static_cast<double>(kMaxTensorValues))
    fail(label(), ": a kernel of ", g_.k, " x ", g_.c, " x ", g_.f, " and outputs of ", g_.out, " x ", g_.f,
         " would need ", std::max(kernel_values, output_values) * 4 / (1 << 20), " MiB; the limit is ",
         (kMaxTensorValues * 4) >> 20, " MiB per tensor");
  const std::vector<int> kernel_shape{g_.k, g_.c, g_.f};
  kernel_ = Tensor(kernel_shape);
  kernel_grad_ = Tensor(kernel_shape);
  // Keras' fans for a convolution: receptive field times channels in, and times filters.
  initialize(kernel_, o.kernel_initializer, g_.patch(), g_.k * g_.f, *rng);
  bias_ = Tensor({g_.f}, 0.0f);
  bias_grad_ = Tensor({g_.f}, 0.0f);
  if (o.use_bias) initialize(bias_, o.bias_initializer, g_.patch(), g_.f, *rng);
  return {g_.out, g_.f};
}

void Conv1DLayer::forward(const Tensor& x, Tensor& y, bool) {
  Conv1DGeometry g = g_;
  g.n = x.rows();
  conv1d_forward(x.data(), kernel_.data(), bias_.data(), y.data(), g);
  if (emit_logits) return;
  // gelu, swish and mish take their gradient from the pre-activation, kept per application.
  if (activation_needs_input(options_.activation)) {
    if (static_cast<int>(pre_activation_.size()) <= call) pre_activation_.resize(call + 1);
    pre_activation_[call] = y;
  }
  apply_activation(options_.activation, y, g_.f);
}

void Conv1DLayer::backward(const Tensor& x, const Tensor& y, Tensor& dy, Tensor* dx) {
  if (!emit_logits)
    apply_activation_gradient(options_.activation, y, dy, g_.f,
                              call < static_cast<int>(pre_activation_.size()) ? &pre_activation_[call] : nullptr);
  Conv1DGeometry g = g_;
  g.n = x.rows();
  conv1d_backward(x.data(), kernel_.data(), dy.data(), dx ? dx->data() : nullptr, kernel_grad_.data(),
                  bias_grad_.data(), g, accumulate_gradients);
  if (!options_.use_bias) bias_grad_.values().assign(g_.f, 0.0f);
}

std::vector<Parameter> Conv1DLayer::parameters() {
  std::vector<Parameter> p{
      {"kernel", &kernel_, &kernel_grad_, options_.kernel_regularizer, true, options_.kernel_constraint}};
  if (options_.use_bias)
    p.push_back({"bias", &bias_, &bias_grad_, options_.bias_regularizer, true, options_.bias_constraint});
  return p;
}

}  // namespace dl
