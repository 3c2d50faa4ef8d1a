// Keras' UpSampling1D and UpSampling2D: each step (or pixel) repeated, nearest-neighbour:
// (N, T, C) -> (N, T*size, C) and (N, H, W, C) -> (N, H*sh, W*sw, C). The kernels are in
// kernels/upsampling.h; a sequence is an image one row high.
#pragma once

#include "layers/layer.h"

namespace dl {

class UpSamplingLayer : public Layer {
 public:
  // spatial_axes 1: UpSampling1D (size_h is ignored); 2: UpSampling2D.
  UpSamplingLayer(int spatial_axes, int size_h, int size_w) : axes_(spatial_axes), sh_(size_h), sw_(size_w) {
    if (axes_ == 1) sh_ = 1;
  }
  std::string type() const override { return axes_ == 1 ? "UpSampling1D" : "UpSampling2D"; }
  std::vector<int> build(const std::vector<int>& input_shape) override;
  void forward(const Tensor& x, Tensor& y, bool training) override;
  void backward(const Tensor& x, const Tensor& y, Tensor& dy, Tensor* dx) override;

 private:
  int axes_, sh_, sw_;
  int h_ = 1, w_ = 0, c_ = 0;
};

}  // namespace dl
