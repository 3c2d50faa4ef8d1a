// Keras' GlobalAveragePooling2D: the mean of each channel over the whole image,
// (N, h, w, c) -> (N, c).
#pragma once

#include "layers/layer.h"

namespace dl {

class GlobalAveragePooling2DLayer : public Layer {
 public:
  std::string type() const override { return "GlobalAveragePooling2D"; }
  std::vector<int> build(const std::vector<int>& input_shape) override;
  void forward(const Tensor& x, Tensor& y, bool training) override;
  void backward(const Tensor& x, const Tensor& y, Tensor& dy, Tensor* dx) override;
};

}  // namespace dl
