// Keras' ELU layer: x where x > 0, alpha (e^x - 1) elsewhere (Keras' default alpha 1).
#pragma once

#include "layers/elementwise.h"

namespace dl {

class ELULayer : public ElementwiseLayer {
 public:
  explicit ELULayer(float alpha = 1.0f);
  std::string type() const override { return "ELU"; }
  void forward(const Tensor& x, Tensor& y, bool training) override;
  void backward(const Tensor& x, const Tensor& y, Tensor& dy, Tensor* dx) override;

 private:
  float alpha_;
};

}  // namespace dl
