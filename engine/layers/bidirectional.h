// Bidirectional: one recurrent layer run forward in time and a copy of it run backward
// (goBackwards flipped), their outputs joined by mergeMode: concat (the default, along the
// last axis), sum, mul, ave, or none (null: both outputs, side by side as output_parts).
// When returning sequences, the backward copy's output is turned back into time order
// before the join, as Keras. Weights: the forward layer's, then the backward one's, named
// forward_<name>/kernel ... as TensorFlow.js' and Keras' files name them.
#pragma once

#include <memory>
#include <string>

#include "layers/recurrent.h"

namespace dl {

enum class MergeMode { concat, sum, mul, ave, none };
MergeMode merge_mode_from_name(const std::string& name);  // "null" is none

class BidirectionalLayer : public Layer {
 public:
  // inner_name: the wrapped layer's name ("" for Keras' default, its snake_case class).
  BidirectionalLayer(const RecurrentOptions& options, MergeMode mode, const std::string& inner_name);
  std::string type() const override { return "Bidirectional"; }
  std::vector<int> build(const std::vector<int>& input_shape) override;
  void forward(const Tensor& x, Tensor& y, bool training) override;
  void backward(const Tensor& x, const Tensor& y, Tensor& dy, Tensor* dx) override;
  std::vector<Parameter> parameters() override;
  MaskFlow mask_flow() const override { return forward_.mask_flow(); }
  std::vector<std::vector<int>> output_parts() const override;
  double multiply_adds() const override { return forward_.multiply_adds() * 2; }

 private:
  void pass_settings(RecurrentLayer& layer, std::uint64_t seed);
  struct Call {
    Tensor forward_y, backward_y;
  };
  RecurrentLayer forward_, backward_;
  MergeMode mode_;
  std::string inner_name_;
  std::vector<Call> calls_;
};

}  // namespace dl
