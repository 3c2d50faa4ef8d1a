// Conv2DTranspose, channels-last as Keras: x (N, H, W, C) with a kernel (KH, KW, F, C)
// gives y (N, OH, OW, F) = act(conv_transpose(x) + b), OH = H*s + max(KH - s, 0) with
// padding valid, H*s with same (Keras' lengths when outputPadding is null). The math is
// in kernels/conv2d_transpose.h.
#pragma once

#include "layers/conv2d.h"

namespace dl {

class Conv2DTransposeLayer : public Layer {
 public:
  explicit Conv2DTransposeLayer(const Conv2DOptions& options) : options_(options) {}
  std::string type() const override { return "Conv2DTranspose"; }
  std::vector<int> build(const std::vector<int>& input_shape) override;
  void forward(const Tensor& x, Tensor& y, bool training) override;
  void backward(const Tensor& x, const Tensor& y, Tensor& dy, Tensor* dx) override;
  std::vector<Parameter> parameters() override;
  ActivationKind output_activation() const override { return options_.activation; }
  // Each input value: one product per kernel weight of its channel.
  double multiply_adds() const override { return static_cast<double>(g_.oh) * g_.ow * g_.f * g_.patch(); }

 private:
  Conv2DOptions options_;
  ConvGeometry g_;  // the convolution this one transposes (kernels/conv2d_transpose.h)
  Tensor kernel_, bias_, kernel_grad_, bias_grad_;
  std::vector<Tensor> pre_activation_;  // per call, for the activations that need it
};

}  // namespace dl
