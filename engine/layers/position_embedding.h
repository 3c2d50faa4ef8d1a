// PositionEmbedding (keras_hub's): a trained vector per position of a sequence. Its
// output is the table's first T rows, the same for every sample, whatever the input's
// values: the input only gives T and the width. A transformer adds it to the token
// embeddings with an Add layer, as keras_hub's examples do.
#pragma once

#include "layers/initializers.h"
#include "layers/layer.h"

namespace dl {

// x: (N, T, D) with T <= sequenceLength -> y: (N, T, D), y[n] = embeddings[:T];
// embeddings: (sequenceLength, D).
class PositionEmbeddingLayer : public Layer {
 public:
  PositionEmbeddingLayer(int sequence_length, Initializer initializer, Regularizer regularizer)
      : sequence_length_(sequence_length), initializer_(initializer), regularizer_(regularizer) {}
  std::string type() const override { return "PositionEmbedding"; }
  std::vector<int> build(const std::vector<int>& input_shape) override;
  void forward(const Tensor& x, Tensor& y, bool training) override;
  // The output does not depend on the input's values: dx, when asked for, is 0.
  void backward(const Tensor& x, const Tensor& y, Tensor& dy, Tensor* dx) override;
  std::vector<Parameter> parameters() override { return {{"embeddings", &table_, &table_grad_, regularizer_}}; }

 private:
  int sequence_length_;
  Initializer initializer_;
  Regularizer regularizer_;
  Tensor table_, table_grad_;
};

}  // namespace dl
