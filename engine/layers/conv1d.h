// Conv1D over sequences, channels-last as Keras: x (N, T, C) with a kernel (K, C, F) gives
// y (N, T', F) = act(conv(x) + b), with strides, dilation and valid, same or causal
// padding. The math is in kernels/conv1d.h.
#pragma once

#include <string>

#include "kernels/activations.h"
#include "kernels/conv1d.h"
#include "layers/initializers.h"
#include "layers/layer.h"

namespace dl {

struct Conv1DOptions {
  int filters = 0;
  int kernel_size = 3;
  int stride = 1;
  int dilation = 1;
  Padding1D padding = Padding1D::valid;
  ActivationKind activation = ActivationKind::linear;
  bool use_bias = true;
  Initializer kernel_initializer = Initializer::glorot_uniform;
  Initializer bias_initializer = Initializer::zeros;
  Regularizer kernel_regularizer;
  Regularizer bias_regularizer;
  Constraint kernel_constraint, bias_constraint;
};

class Conv1DLayer : public Layer {
 public:
  explicit Conv1DLayer(const Conv1DOptions& options) : options_(options) {}
  std::string type() const override { return "Conv1D"; }
  std::vector<int> build(const std::vector<int>& input_shape) override;
  void forward(const Tensor& x, Tensor& y, bool training) override;
  void backward(const Tensor& x, const Tensor& y, Tensor& dy, Tensor* dx) override;
  std::vector<Parameter> parameters() override;
  ActivationKind output_activation() const override { return options_.activation; }
  double multiply_adds() const override { return static_cast<double>(g_.out) * g_.f * g_.patch(); }

 private:
  Conv1DOptions options_;
  Conv1DGeometry g_;
  Tensor kernel_, bias_, kernel_grad_, bias_grad_;
  std::vector<Tensor> pre_activation_;  // per call, for the activations that need it
};

}  // namespace dl
