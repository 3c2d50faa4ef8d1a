// Keras' ReLU layer: max(x, 0), capped at maxValue when one is given (ReLU6 is maxValue
// 6). Without a cap it runs the SIMD relu of kernels/activations.
#pragma once

#include <limits>

#include "layers/elementwise.h"

namespace dl {

class ReLULayer : public ElementwiseLayer {
 public:
  // max_value: infinity for no cap.
  explicit ReLULayer(float max_value = std::numeric_limits<float>::infinity());
  std::string type() const override { return "ReLU"; }
  void forward(const Tensor& x, Tensor& y, bool training) override;
  void backward(const Tensor& x, const Tensor& y, Tensor& dy, Tensor* dx) override;
  float max_value() const { return max_value_; }

 private:
  float max_value_;
};

}  // namespace dl
