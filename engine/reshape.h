// Layers that only change a tensor's shape: Flatten (all but the batch into one axis).
#pragma once

#include "layer.h"

namespace dl {

// x: (N, d1, d2, ...) -> y: (N, d1 * d2 * ...); backward restores the shape.
class FlattenLayer : public Layer {
 public:
  std::string type() const override { return "Flatten"; }
  std::vector<int> build(const std::vector<int>& input_shape) override {
    return {static_cast<int>(shape_size(input_shape))};
  }
  Tensor forward(const Tensor& x, bool) override {
    Tensor y = x;
    y.reshape({x.rows(), output_shape[0]});
    return y;
  }
  Tensor backward(const Tensor& dy) override {
    Tensor dx = dy;
    std::vector<int> s{dy.rows()};
    s.insert(s.end(), input_shape.begin(), input_shape.end());
    dx.reshape(s);
    return dx;
  }
};

}  // namespace dl
