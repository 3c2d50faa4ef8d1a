// Keras' LeakyReLU layer: x where x > 0, alpha x elsewhere (Keras' default alpha 0.3).
#pragma once

#include "layers/layer.h"

namespace dl {

class LeakyReLULayer : public Layer {
 public:
  explicit LeakyReLULayer(float alpha = 0.3f);
  std::string type() const override { return "LeakyReLU"; }
  std::vector<int> build(const std::vector<int>& input_shape) override;
  void forward(const Tensor& x, Tensor& y, bool training) override;
  void backward(const Tensor& x, const Tensor& y, Tensor& dy, Tensor* dx) override;
  float alpha() const { return alpha_; }

 private:
  float alpha_;
};

}  // namespace dl
