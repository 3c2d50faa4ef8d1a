// MultiHeadAttention, as Keras' layer (TensorFlow.js has none): the query attends to the
// key and value in several heads; the heads' results are projected to the output. Inputs,
// in this order: query (N, Tq, Dq), value (N, Tv, Dv), optionally key (N, Tv, Dk; the
// value when absent), and, with the option attentionMask (ours), last an (N, Tq, Tv)
// tensor of 1 where a query step may attend to a key step and 0 where not (Keras'
// attention_mask call argument). Padding masks of the inputs (Layer::masks) combine as in
// Keras: a query step, value step or key step masked out takes no part; useCausalMask
// (ours: Keras' use_causal_mask call argument, as an option) lets step i see steps <= i
// only. The output keeps the query's mask. With returnAttentionScores (ours) the output
// has two parts: the result (Tq, out) and the attention weights (heads, Tq, Tv).
#pragma once

#include <vector>

#include "kernels/attention.h"
#include "layers/initializers.h"
#include "layers/layer.h"

namespace dl {

struct MultiHeadAttentionOptions {
  int num_heads = 0, key_dim = 0;
  int value_dim = 0;     // 0: key_dim
  int output_shape = 0;  // 0: the query's features
  float dropout = 0.0f;  // on the attention weights, in training
  bool use_bias = true, use_causal_mask = false, return_attention_scores = false, attention_mask_input = false;
  Initializer kernel_initializer = Initializer::glorot_uniform, bias_initializer = Initializer::zeros;
  Regularizer kernel_regularizer, bias_regularizer;
};

class MultiHeadAttentionLayer : public Layer {
 public:
  explicit MultiHeadAttentionLayer(const MultiHeadAttentionOptions& options) : options_(options) {}
  std::string type() const override { return "MultiHeadAttention"; }
  int max_inputs() const override { return 4; }
  std::vector<int> build(const std::vector<int>& input_shape) override { return build_many({input_shape}); }
  std::vector<int> build_many(const std::vector<std::vector<int>>& input_shapes) override;
  void forward(const Tensor& x, Tensor& y, bool training) override { forward_many({&x}, y, training); }
  void backward(const Tensor& x, const Tensor& y, Tensor& dy, Tensor* dx) override { backward_many({&x}, y, dy, {dx}); }
  void forward_many(const std::vector<const Tensor*>& xs, Tensor& y, bool training) override;
  void backward_many(const std::vector<const Tensor*>& xs, const Tensor& y, Tensor& dy,
                     const std::vector<Tensor*>& dxs) override;
  std::vector<Parameter> parameters() override;
  MaskFlow mask_flow() const override { return MaskFlow::keep; }
  std::vector<std::vector<int>> output_parts() const override;
  double multiply_adds() const override;

 private:
  AttentionSize size(int batch) const;
  AttentionWeights<float> weights() const;
  MultiHeadAttentionOptions options_;
  bool has_key_ = false;
  int tq_ = 0, tv_ = 0, dq_ = 0, dk_ = 0, dv_ = 0, out_ = 0;
  Tensor wq_, bq_, wk_, bk_, wv_, bv_, wo_, bo_;
  Tensor gwq_, gbq_, gwk_, gbk_, gwv_, gbv_, gwo_, gbo_;
  // What the backward needs, per application (Layer::call).
  struct CallState {
    AttentionState<float> state;
    std::vector<float> mask, drop;
    bool masked = false, dropped = false;
  };
  std::vector<CallState> calls_;
  std::vector<float> y_, dy_, dscores_;  // the output and its gradient apart from the scores
};

}  // namespace dl
