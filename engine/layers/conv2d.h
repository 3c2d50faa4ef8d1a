// Conv2D, channels-last as Keras: x (N, H, W, C) with a kernel (KH, KW, C, F) gives
// y (N, OH, OW, F) = act(conv(x) + b). The math is in kernels/conv2d.h.
#pragma once

#include <string>

#include "kernels/activations.h"
#include "kernels/conv2d.h"
#include "layers/initializers.h"
#include "layers/layer.h"

namespace dl {

struct Conv2DOptions {
  int filters = 0;
  int kernel_h = 3, kernel_w = 3;
  int stride_h = 1, stride_w = 1;
  Padding padding = Padding::valid;
  ActivationKind activation = ActivationKind::linear;
  bool use_bias = true;
  Initializer kernel_initializer = Initializer::glorot_uniform;
  Initializer bias_initializer = Initializer::zeros;
  Regularizer kernel_regularizer;
  Regularizer bias_regularizer;
  Constraint kernel_constraint, bias_constraint;
};

class Conv2DLayer : public Layer {
 public:
  explicit Conv2DLayer(const Conv2DOptions& options);
  std::string type() const override { return "Conv2D"; }
  std::vector<int> build(const std::vector<int>& input_shape) override;
  void forward(const Tensor& x, Tensor& y, bool training) override;
  void backward(const Tensor& x, const Tensor& y, Tensor& dy, Tensor* dx) override;
  std::vector<Parameter> parameters() override;
  ActivationKind output_activation() const override { return options_.activation; }
  // Each output value: one product per kernel weight of its filter.
  double multiply_adds() const override {
    return static_cast<double>(output_shape[0]) * output_shape[1] * output_shape[2] * options_.kernel_h *
           options_.kernel_w * input_shape[2];
  }

 private:
  ConvGeometry geometry(int n) const;
  Conv2DOptions options_;
  ConvGeometry g_;
  Tensor kernel_, bias_, kernel_grad_, bias_grad_;
  std::vector<Tensor> pre_activation_;  // per call, only for activations that need it (gelu, swish)
};

}  // namespace dl
