// Conv2D: geometry checks, parameters, and the glue to the conv2d_* kernels.
#include "layers/conv2d.h"

#include "core/error.h"

namespace dl {

Conv2DLayer::Conv2DLayer(const Conv2DOptions& o) : options_(o) {
  if (o.filters <= 0) fail("Conv2D: filters must be a positive whole number; got ", o.filters);
  if (o.kernel_h <= 0 || o.kernel_w <= 0)
    fail("Conv2D: kernelSize must be positive; got ", o.kernel_h, "x", o.kernel_w);
  if (o.stride_h <= 0 || o.stride_w <= 0) fail("Conv2D: strides must be positive; got ", o.stride_h, "x", o.stride_w);
}

std::vector<int> Conv2DLayer::build(const std::vector<int>& input_shape) {
  if (input_shape.size() != 3)
    fail(label(), " expects images of shape (None, height, width, channels); got ", shape_text(input_shape),
         ". Add a Reshape layer first, e.g. targetShape [28, 28, 1].");
  g_.h = input_shape[0];
  g_.w = input_shape[1];
  g_.c = input_shape[2];
  g_.kh = options_.kernel_h;
  g_.kw = options_.kernel_w;
  g_.f = options_.filters;
  g_.sh = options_.stride_h;
  g_.sw = options_.stride_w;
  const AxisGeometry y = axis_geometry(g_.h, g_.kh, g_.sh, options_.padding, label(), "height");
  const AxisGeometry x = axis_geometry(g_.w, g_.kw, g_.sw, options_.padding, label(), "width");
  g_.oh = y.out;
  g_.ow = x.out;
  g_.pad_top = y.pad_before;
  g_.pad_left = x.pad_before;
  const std::vector<int> kernel_shape{g_.kh, g_.kw, g_.c, g_.f};
  kernel_ = Tensor(kernel_shape);
  kernel_grad_ = Tensor(kernel_shape);
  initialize(kernel_, options_.kernel_initializer, g_.patch(), g_.kh * g_.kw * g_.f, *rng);
  bias_ = Tensor({g_.f}, 0.0f);
  bias_grad_ = Tensor({g_.f}, 0.0f);
  if (options_.use_bias) initialize(bias_, options_.bias_initializer, g_.patch(), g_.f, *rng);
  return {g_.oh, g_.ow, g_.f};
}

ConvGeometry Conv2DLayer::geometry(int n) const {
  ConvGeometry g = g_;
  g.n = n;
  return g;
}

void Conv2DLayer::forward(const Tensor& x, Tensor& y, bool) {
  conv2d_forward(x.data(), kernel_.data(), bias_.data(), y.data(), geometry(x.rows()));
  if (emit_logits) return;
  if (activation_needs_input(options_.activation)) {
    if (static_cast<int>(pre_activation_.size()) <= call) pre_activation_.resize(call + 1);
    pre_activation_[call] = y;
  }
  apply_activation(options_.activation, y, g_.f);
}

void Conv2DLayer::backward(const Tensor& x, const Tensor& y, Tensor& dy, Tensor* dx) {
  if (!emit_logits)
    apply_activation_gradient(options_.activation, y, dy, g_.f,
                              call < static_cast<int>(pre_activation_.size()) ? &pre_activation_[call] : nullptr);
  conv2d_backward(x.data(), kernel_.data(), dy.data(), dx ? dx->data() : nullptr, kernel_grad_.data(),
                  bias_grad_.data(), geometry(x.rows()), accumulate_gradients);
  if (!options_.use_bias) bias_grad_.values().assign(g_.f, 0.0f);
}

std::vector<Parameter> Conv2DLayer::parameters() {
  std::vector<Parameter> p{
      {"kernel", &kernel_, &kernel_grad_, options_.kernel_regularizer, true, options_.kernel_constraint}};
  if (options_.use_bias)
    p.push_back({"bias", &bias_, &bias_grad_, options_.bias_regularizer, true, options_.bias_constraint});
  return p;
}

}  // namespace dl
