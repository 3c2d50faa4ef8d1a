// Keras' ELU layer: x where x > 0, alpha (e^x - 1) elsewhere (Keras' default alpha 1).
#pragma once

#include "layers/layer.h"

namespace dl {

class ELULayer : public Layer {
 public:
  explicit ELULayer(float alpha = 1.0f);
  std::string type() const override { return "ELU"; }
  std::vector<int> build(const std::vector<int>& input_shape) override;
  void forward(const Tensor& x, Tensor& y, bool training) override;
  void backward(const Tensor& x, const Tensor& y, Tensor& dy, Tensor* dx) override;

 private:
  float alpha_;
};

}  // namespace dl
