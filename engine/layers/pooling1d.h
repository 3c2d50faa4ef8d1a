// Keras' MaxPooling1D and AveragePooling1D: the max or mean of windows of poolSize steps
// every `strides` steps, 'valid' or 'same' padding, (N, T, C) -> (N, T', C). Padded steps
// never take part (as TensorFlow). The kernels are the image ones on one-row images.
#pragma once

#include "kernels/pooling1d.h"
#include "layers/layer.h"

namespace dl {

class Pooling1DLayer : public Layer {
 public:
  // stride 0: the pool size, as Keras.
  Pooling1DLayer(bool max, int pool, int stride, Padding padding)
      : max_(max), pool_(pool), stride_(stride == 0 ? pool : stride), padding_(padding) {}
  std::string type() const override { return max_ ? "MaxPooling1D" : "AveragePooling1D"; }
  std::vector<int> build(const std::vector<int>& input_shape) override;
  void forward(const Tensor& x, Tensor& y, bool training) override;
  void backward(const Tensor& x, const Tensor& y, Tensor& dy, Tensor* dx) override;

 private:
  bool max_;
  int pool_, stride_;
  Padding padding_;
  PoolGeometry g_;
};

}  // namespace dl
