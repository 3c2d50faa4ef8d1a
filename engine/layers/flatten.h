// Flatten: all axes but the batch into one.
#pragma once

#include <algorithm>

#include "layers/layer.h"

namespace dl {

// The values of `from` into `to`, whose shape the caller has set to the same size.
inline void copy_values(const Tensor& from, Tensor& to) {
  std::copy(from.values().begin(), from.values().end(), to.values().begin());
}

// x: (N, d1, d2, ...) -> y: (N, d1 * d2 * ...); backward restores the shape.
class FlattenLayer : public Layer {
 public:
  std::string type() const override { return "Flatten"; }
  std::vector<int> build(const std::vector<int>& input_shape) override {
    return {static_cast<int>(shape_size(input_shape))};
  }
  void forward(const Tensor& x, Tensor& y, bool) override { copy_values(x, y); }
  void backward(const Tensor&, const Tensor&, Tensor& dy, Tensor* dx) override {
    if (dx) copy_values(dy, *dx);
  }
};

}  // namespace dl
