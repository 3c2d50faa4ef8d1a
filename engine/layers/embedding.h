// Embedding: each id of the input looks up one row of a trained table (Keras' and
// TensorFlow.js' Embedding). Ids arrive as floats; an id that is not a whole number in
// [0, inputDim) is refused, naming it and its place, before anything changes. With
// maskZero the layer makes the mask of its output: 0 where the id is 0 (id 0 still has its
// row, as in Keras).
#pragma once

#include "layers/initializers.h"
#include "layers/layer.h"

namespace dl {

struct EmbeddingOptions {
  int input_dim = 0, output_dim = 0;
  Initializer initializer = Initializer::random_uniform;
  Regularizer regularizer;
  Constraint constraint;
  bool mask_zero = false;
  int input_length = 0;  // TensorFlow.js' inputLength: 0 when not given
};

// x: (N, T...) ids -> y: (N, T..., outputDim); the table `embeddings`: (inputDim, outputDim).
class EmbeddingLayer : public Layer {
 public:
  explicit EmbeddingLayer(const EmbeddingOptions& options) : options_(options) {}
  std::string type() const override { return "Embedding"; }
  std::vector<int> build(const std::vector<int>& input_shape) override;
  void forward(const Tensor& x, Tensor& y, bool training) override;
  // No gradient for the ids: dx, when asked for, is 0.
  void backward(const Tensor& x, const Tensor& y, Tensor& dy, Tensor* dx) override;
  std::vector<Parameter> parameters() override;
  MaskFlow mask_flow() const override { return options_.mask_zero ? MaskFlow::make : MaskFlow::drop; }
  void make_mask(const Tensor& x, Tensor& mask) const override;

 private:
  EmbeddingOptions options_;
  Tensor table_, table_grad_;
};

}  // namespace dl
