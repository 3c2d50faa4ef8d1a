// SimpleRNN, LSTM and GRU: one layer class over the kernels of kernels/recurrent.h, with
// Keras' and TensorFlow.js' options. Input (N, T, F); output (N, T, units) when returning
// sequences, else (N, units); with returnState the final states follow side by side
// (output_parts: [output, h] or, for LSTM, [output, h, c]). Reads the mask of its input:
// a padded step leaves the state as it was.
#pragma once

#include <vector>

#include "kernels/recurrent.h"
#include "layers/initializers.h"
#include "layers/layer.h"

namespace dl {

struct RecurrentOptions {
  CellKind kind = CellKind::simple_rnn;
  int units = 0;
  ActivationKind activation = ActivationKind::tanh;
  ActivationKind recurrent_activation = ActivationKind::hard_sigmoid;
  bool use_bias = true;
  bool return_sequences = false;
  bool return_state = false;
  bool go_backwards = false;
  bool unit_forget_bias = true;    // LSTM: the forget gate's bias starts at 1
  bool reset_after = false;        // GRU
  float dropout = 0.0f;            // of the inputs, one mask per sequence (training only)
  float recurrent_dropout = 0.0f;  // of the state entering the recurrent product
  Initializer kernel_initializer = Initializer::glorot_uniform;
  Initializer recurrent_initializer = Initializer::orthogonal;
  Initializer bias_initializer = Initializer::zeros;
  Regularizer kernel_regularizer, recurrent_regularizer, bias_regularizer;
  Constraint kernel_constraint, recurrent_constraint, bias_constraint;
};

class RecurrentLayer : public Layer {
 public:
  explicit RecurrentLayer(const RecurrentOptions& options);
  std::string type() const override;
  std::vector<int> build(const std::vector<int>& input_shape) override;
  void forward(const Tensor& x, Tensor& y, bool training) override;
  void backward(const Tensor& x, const Tensor& y, Tensor& dy, Tensor* dx) override;
  // With initial states (Keras' initial_state): the input, then h (and for LSTM c), each
  // (N, units); their gradients flow back to them.
  int max_inputs() const override { return options_.kind == CellKind::lstm ? 3 : 2; }
  std::vector<int> build_many(const std::vector<std::vector<int>>& input_shapes) override;
  void forward_many(const std::vector<const Tensor*>& xs, Tensor& y, bool training) override;
  void backward_many(const std::vector<const Tensor*>& xs, const Tensor& y, Tensor& dy,
                     const std::vector<Tensor*>& dxs) override;
  std::vector<Parameter> parameters() override;
  MaskFlow mask_flow() const override { return options_.return_sequences ? MaskFlow::keep : MaskFlow::drop; }
  std::vector<std::vector<int>> output_parts() const override;
  double multiply_adds() const override;
  const RecurrentOptions& options() const { return options_; }

 private:
  RecurrentSpec spec(int n) const;
  void run_forward(const Tensor& x, const Tensor* h0, const Tensor* c0, Tensor& y, bool training);
  void run_backward(const Tensor& x, Tensor& dy, Tensor* dx, Tensor* dh0, Tensor* dc0);
  struct Call {
    RecurrentTape<float> tape;
    std::vector<float> input_keep, state_keep;  // dropout multipliers; empty: none
  };
  RecurrentOptions options_;
  Tensor kernel_, recurrent_, bias_, kernel_grad_, recurrent_grad_, bias_grad_;
  std::vector<Call> calls_;
};

}  // namespace dl
