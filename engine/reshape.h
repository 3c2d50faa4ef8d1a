// Layers that only change a tensor's shape: Flatten (all but the batch into one axis) and
// Reshape (to a target shape; one entry may be -1, to be inferred).
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

// x: (N, input...) -> y: (N, target...), the same values in the same order.
class ReshapeLayer : public Layer {
 public:
  explicit ReshapeLayer(std::vector<int> target) : target_(std::move(target)) {}
  std::string type() const override { return "Reshape"; }
  std::vector<int> build(const std::vector<int>& input_shape) override {
    const std::size_t in = shape_size(input_shape);
    std::size_t known = 1;
    int unknown = -1;
    for (std::size_t i = 0; i < target_.size(); ++i) {
      if (target_[i] == -1 && unknown < 0) {
        unknown = static_cast<int>(i);
      } else if (target_[i] <= 0) {
        fail(label(), ": targetShape ", shape_text(target_, false), " may hold positive sizes and at most one -1");
      } else {
        known *= static_cast<std::size_t>(target_[i]);
      }
    }
    std::vector<int> out = target_;
    if (unknown >= 0) {
      if (known == 0 || in % known != 0)
        fail(label(), ": cannot reshape ", shape_text(input_shape), " (", in, " values) to ",
             shape_text(target_, false), ": ", in, " does not divide by ", known);
      out[unknown] = static_cast<int>(in / known);
    } else if (known != in) {
      fail(label(), ": cannot reshape ", shape_text(input_shape), " (", in, " values) to ", shape_text(target_, false),
           " (", known, " values)");
    }
    return out;
  }
  Tensor forward(const Tensor& x, bool) override {
    Tensor y = x;
    std::vector<int> s{x.rows()};
    s.insert(s.end(), output_shape.begin(), output_shape.end());
    y.reshape(s);
    return y;
  }
  Tensor backward(const Tensor& dy) override {
    Tensor dx = dy;
    std::vector<int> s{dy.rows()};
    s.insert(s.end(), input_shape.begin(), input_shape.end());
    dx.reshape(s);
    return dx;
  }

 private:
  std::vector<int> target_;
};

}  // namespace dl
