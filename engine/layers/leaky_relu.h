// Keras' LeakyReLU layer: x where x > 0, alpha x elsewhere (Keras' default alpha 0.3).
#pragma once

#include "layers/elementwise.h"

namespace dl {

class LeakyReLULayer : public ElementwiseLayer {
 public:
  explicit LeakyReLULayer(float alpha = 0.3f);
  std::string type() const override { return "LeakyReLU"; }
  void forward(const Tensor& x, Tensor& y, bool training) override;
  void backward(const Tensor& x, const Tensor& y, Tensor& dy, Tensor* dx) override;
  float alpha() const { return alpha_; }

 private:
  float alpha_;
};

}  // namespace dl
