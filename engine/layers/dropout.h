// Inverted dropout: in training each value is kept with probability 1 - rate and scaled
// by 1 / (1 - rate), so inference needs no rescaling and is the identity.
#pragma once

#include <vector>

#include "layers/layer.h"

namespace dl {

// x: (count), mask: (count) with 0 or 1/(1-rate) -> y = x * mask. backward is the same product.
template <typename T>
void dropout_apply(const T* x, const T* mask, T* y, std::size_t count) {
  for (std::size_t i = 0; i < count; ++i) y[i] = x[i] * mask[i];
}

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
  bool was_training_ = false;
  std::vector<float> mask_;  // 0 or 1 / (1 - rate) per value of the last training forward
};

}  // namespace dl
