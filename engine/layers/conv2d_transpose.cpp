// Conv2DTranspose: option and shape checks, parameters, and the glue to the
// conv2d_transpose_* kernels.
#include "layers/conv2d_transpose.h"

#include <algorithm>

#include "core/error.h"
#include "core/show.h"
#include "kernels/conv2d_transpose.h"

namespace dl {

std::vector<int> Conv2DTransposeLayer::build(const std::vector<int>& input_shape) {
  const Conv2DOptions& o = options_;
  if (input_shape.size() != 3)
    fail(label(), " expects images of shape (None, height, width, channels); got ", shape_text(input_shape),
         ". Add a Reshape layer first, e.g. targetShape [7, 7, 1].");
  if (o.filters <= 0) fail(label(), ": filters must be a positive whole number; got ", show(o.filters));
  if (o.kernel_h <= 0 || o.kernel_w <= 0)
    fail(label(), ": kernelSize must be positive; got ", o.kernel_h, "x", o.kernel_w);
  if (o.stride_h <= 0 || o.stride_w <= 0)
    fail(label(), ": strides must be positive; got ", o.stride_h, "x", o.stride_w);
  // In double first: the lengths of huge inputs and strides would not fit in an int.
  const double long_h = static_cast<double>(input_shape[0]) * o.stride_h + std::max(o.kernel_h - o.stride_h, 0);
  const double long_w = static_cast<double>(input_shape[1]) * o.stride_w + std::max(o.kernel_w - o.stride_w, 0);
  const double kernel_values = static_cast<double>(o.kernel_h) * o.kernel_w * o.filters * input_shape[2];
  const double output_values = long_h * long_w * o.filters;
  if (kernel_values > static_cast<double>(kMaxTensorValues) || output_values > static_cast<double>(kMaxTensorValues))
    fail(label(), ": a kernel of ", o.kernel_h, " x ", o.kernel_w, " x ", o.filters, " x ", input_shape[2],
         " and outputs of ", long_h, " x ", long_w, " x ", o.filters, " need ",
         std::max(kernel_values, output_values) * 4 / (1 << 20), " MiB; the limit is ", (kMaxTensorValues * 4) >> 20,
         " MiB per tensor");
  const int out_h = conv_transpose_length(input_shape[0], o.kernel_h, o.stride_h, o.padding);
  const int out_w = conv_transpose_length(input_shape[1], o.kernel_w, o.stride_w, o.padding);
  g_.h = out_h;
  g_.w = out_w;
  g_.c = o.filters;
  g_.kh = o.kernel_h;
  g_.kw = o.kernel_w;
  g_.f = input_shape[2];
  g_.sh = o.stride_h;
  g_.sw = o.stride_w;
  const AxisGeometry y = axis_geometry(out_h, g_.kh, g_.sh, o.padding, label(), "height");
  const AxisGeometry x = axis_geometry(out_w, g_.kw, g_.sw, o.padding, label(), "width");
  g_.oh = y.out;  // equals input_shape[0] by the choice of out_h
  g_.ow = x.out;
  g_.pad_top = y.pad_before;
  g_.pad_left = x.pad_before;
  const std::vector<int> kernel_shape{g_.kh, g_.kw, g_.c, g_.f};
  kernel_ = Tensor(kernel_shape);
  kernel_grad_ = Tensor(kernel_shape);
  // Keras' fans read the kernel's last two axes as (in, out) whatever the layer: here
  // (filters, channels).
  initialize(kernel_, o.kernel_initializer, g_.kh * g_.kw * g_.c, g_.kh * g_.kw * g_.f, *rng);
  bias_ = Tensor({g_.c}, 0.0f);
  bias_grad_ = Tensor({g_.c}, 0.0f);
  if (o.use_bias) initialize(bias_, o.bias_initializer, g_.kh * g_.kw * g_.c, g_.c, *rng);
  return {g_.h, g_.w, g_.c};
}

void Conv2DTransposeLayer::forward(const Tensor& x, Tensor& y, bool) {
  ConvGeometry g = g_;
  g.n = x.rows();
  conv2d_transpose_forward(x.data(), kernel_.data(), bias_.data(), y.data(), g);
  if (emit_logits) return;
  // gelu, swish and mish take their gradient from the pre-activation, kept per application.
  if (activation_needs_input(options_.activation)) {
    if (static_cast<int>(pre_activation_.size()) <= call) pre_activation_.resize(call + 1);
    pre_activation_[call] = y;
  }
  apply_activation(options_.activation, y, g_.c);
}

void Conv2DTransposeLayer::backward(const Tensor& x, const Tensor& y, Tensor& dy, Tensor* dx) {
  if (!emit_logits)
    apply_activation_gradient(options_.activation, y, dy, g_.c,
                              call < static_cast<int>(pre_activation_.size()) ? &pre_activation_[call] : nullptr);
  ConvGeometry g = g_;
  g.n = x.rows();
  conv2d_transpose_backward(x.data(), kernel_.data(), dy.data(), dx ? dx->data() : nullptr, kernel_grad_.data(),
                            bias_grad_.data(), g, accumulate_gradients);
  if (!options_.use_bias) bias_grad_.values().assign(g_.c, 0.0f);
}

std::vector<Parameter> Conv2DTransposeLayer::parameters() {
  std::vector<Parameter> p{
      {"kernel", &kernel_, &kernel_grad_, options_.kernel_regularizer, true, options_.kernel_constraint}};
  if (options_.use_bias)
    p.push_back({"bias", &bias_, &bias_grad_, options_.bias_regularizer, true, options_.bias_constraint});
  return p;
}

}  // namespace dl
