// The windowed pooling both MaxPooling2D and AveragePooling2D are (max_pooling2d.h,
// average_pooling2d.h): pool size, strides, 'valid' or 'same' padding over the spatial
// axes of channels-last images. Padded positions never take part: a max ignores them, an
// average divides by the number of real pixels in the window (as TensorFlow does).
#pragma once

#include "kernels/pooling.h"
#include "layers/layer.h"

namespace dl {

struct PoolOptions {
  int pool_h = 2, pool_w = 2;
  int stride_h = 0, stride_w = 0;  // 0: the pool size, as Keras
  Padding padding = Padding::valid;
};

class Pooling2DLayer : public Layer {
 public:
  Pooling2DLayer(bool max, const PoolOptions& options);
  std::string type() const override { return max_ ? "MaxPooling2D" : "AveragePooling2D"; }
  std::vector<int> build(const std::vector<int>& input_shape) override;
  void forward(const Tensor& x, Tensor& y, bool training) override;
  void backward(const Tensor& x, const Tensor& y, Tensor& dy, Tensor* dx) override;

 private:
  bool max_;
  PoolOptions options_;
  PoolGeometry g_;
};

}  // namespace dl
