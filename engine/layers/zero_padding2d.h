// Keras' ZeroPadding2D: rows and columns of zeros around each image,
// (N, h, w, c) -> (N, top + h + bottom, left + w + right, c).
#pragma once

#include <array>

#include "layers/layer.h"

namespace dl {

// {top, bottom, left, right}, as Keras' ((top, bottom), (left, right)).
using Margins = std::array<int, 4>;

class ZeroPadding2DLayer : public Layer {
 public:
  explicit ZeroPadding2DLayer(Margins margins) : margins_(margins) {}
  std::string type() const override { return "ZeroPadding2D"; }
  std::vector<int> build(const std::vector<int>& input_shape) override;
  void forward(const Tensor& x, Tensor& y, bool training) override;
  void backward(const Tensor& x, const Tensor& y, Tensor& dy, Tensor* dx) override;

 private:
  Margins margins_;
};

}  // namespace dl
