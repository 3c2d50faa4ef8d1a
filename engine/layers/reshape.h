// Reshape: to a target shape (one entry may be -1, to be inferred); the values stay in
// the same order.
#pragma once

#include "layers/flatten.h"

namespace dl {

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
  void forward(const Tensor& x, Tensor& y, bool) override { copy_values(x, y); }
  void backward(const Tensor&, const Tensor&, Tensor& dy, Tensor* dx) override {
    if (dx) copy_values(dy, *dx);
  }

 private:
  std::vector<int> target_;
};

}  // namespace dl
