// LayerNormalization over the last axis (Keras' and TensorFlow.js' default axis -1): each
// sample's features at each step normalized by their own mean and variance, then scaled
// by gamma and shifted by beta, per feature. No batch statistics, so it behaves the same
// in training and inference, and keeps its input's mask.
#pragma once

#include <vector>

#include "layers/initializers.h"
#include "layers/layer.h"

namespace dl {

struct LayerNormalizationOptions {
  int axis = -1;  // -1, or the last axis counted from the batch's (TensorFlow.js saves that)
  float epsilon = 1e-3f;
  bool center = true, scale = true;
  Initializer beta_initializer = Initializer::zeros, gamma_initializer = Initializer::ones;
  Regularizer beta_regularizer, gamma_regularizer;
};

// x: (N, ..., C) -> y: (N, ..., C); gamma, beta: (C).
class LayerNormalizationLayer : public Layer {
 public:
  explicit LayerNormalizationLayer(const LayerNormalizationOptions& options) : options_(options) {}
  std::string type() const override { return "LayerNormalization"; }
  std::vector<int> build(const std::vector<int>& input_shape) override;
  void forward(const Tensor& x, Tensor& y, bool training) override;
  void backward(const Tensor& x, const Tensor& y, Tensor& dy, Tensor* dx) override;
  std::vector<Parameter> parameters() override;
  MaskFlow mask_flow() const override { return MaskFlow::keep; }

 private:
  LayerNormalizationOptions options_;
  int c_ = 0;
  Tensor gamma_, beta_, gamma_grad_, beta_grad_;
  // Each application's (Layer::call) row means and reciprocal standard deviations.
  std::vector<std::vector<float>> mean_, rstd_;
};

}  // namespace dl
