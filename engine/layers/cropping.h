// Keras' Cropping1D, Cropping2D and ZeroPadding1D: steps (or rows and columns) taken off
// or added as zeros at the edges. (N, T, C) -> (N, start + T + end, C) for ZeroPadding1D,
// (N, T - start - end, C) for Cropping1D, and (N, H - top - bottom, W - left - right, C)
// for Cropping2D. A sequence is an image one row high; the kernels (kernels/upsampling.h)
// put an image inside a larger one or take it out, each the other's backward.
#pragma once

#include <array>

#include "kernels/upsampling.h"
#include "layers/layer.h"

namespace dl {

class MarginLayer : public Layer {
 public:
  enum class Kind { cropping1d, cropping2d, zero_padding1d };
  // margins: {top, bottom, left, right}; for the 1D layers only left (start) and right
  // (end) count.
  MarginLayer(Kind kind, std::array<int, 4> margins);
  std::string type() const override;
  std::vector<int> build(const std::vector<int>& input_shape) override;
  void forward(const Tensor& x, Tensor& y, bool training) override;
  void backward(const Tensor& x, const Tensor& y, Tensor& dy, Tensor* dx) override;

 private:
  Inset inset(int n) const {
    Inset g = g_;
    g.n = n;
    return g;
  }
  Kind kind_;
  std::array<int, 4> margins_;
  Inset g_;  // the smaller image inside the larger one
};

}  // namespace dl
