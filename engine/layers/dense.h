// Dense (fully connected) layer: y = act(x W + b), with Keras' `activation` argument;
// over a sequence, the same for every step (the last axis).
#pragma once

#include "kernels/activations.h"
#include "kernels/dense.h"
#include "layers/initializers.h"
#include "layers/layer.h"

namespace dl {

struct DenseOptions {
  int units = 0;
  ActivationKind activation = ActivationKind::linear;
  bool use_bias = true;
  Initializer kernel_initializer = Initializer::glorot_uniform;
  Initializer bias_initializer = Initializer::zeros;
  Regularizer kernel_regularizer;
  Regularizer bias_regularizer;
  Constraint kernel_constraint, bias_constraint;
};

class DenseLayer : public Layer {
 public:
  explicit DenseLayer(const DenseOptions& options);
  std::string type() const override { return "Dense"; }
  std::vector<int> build(const std::vector<int>& input_shape) override;
  void forward(const Tensor& x, Tensor& y, bool training) override;
  void backward(const Tensor& x, const Tensor& y, Tensor& dy, Tensor* dx) override;
  std::vector<Parameter> parameters() override;
  ActivationKind output_activation() const override { return options_.activation; }
  // Over a sequence each step stays a step: padded steps stay padded.
  MaskFlow mask_flow() const override { return MaskFlow::keep; }
  double multiply_adds() const override {
    double inputs = 1;
    for (int d : input_shape) inputs *= d;
    return inputs * options_.units;
  }
  const DenseOptions& options() const { return options_; }

 private:
  DenseOptions options_;
  Tensor kernel_, bias_, kernel_grad_, bias_grad_;
  std::vector<Tensor> pre_activation_;  // per call, only for activations that need it
};

}  // namespace dl
