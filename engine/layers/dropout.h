// Inverted dropout: in training each value is kept with probability 1 - rate and scaled
// by 1 / (1 - rate), so inference needs no rescaling and is the identity.
#pragma once

#include <vector>

#include "kernels/dropout.h"
#include "layers/layer.h"

namespace dl {

class DropoutLayer : public Layer {
 public:
  explicit DropoutLayer(float rate);
  std::string type() const override { return "Dropout"; }
  std::vector<int> build(const std::vector<int>& input_shape) override { return input_shape; }
  void forward(const Tensor& x, Tensor& y, bool training) override;
  void backward(const Tensor& x, const Tensor& y, Tensor& dy, Tensor* dx) override;
  float rate() const { return rate_; }

 private:
  float rate_;
  // Per application (Layer::call): whether the last forward trained, and its mask of 0 or
  // 1 / (1 - rate) per value.
  std::vector<char> was_training_;
  std::vector<std::vector<float>> masks_;
};

}  // namespace dl
