// Keras' global pooling: the max or mean of each channel over all steps of a sequence
// (GlobalMaxPooling1D, GlobalAveragePooling1D) or all pixels of an image
// (GlobalMaxPooling2D). GlobalAveragePooling1D reads its input's mask and averages over
// the real steps only, as Keras 3; Keras' GlobalMaxPooling1D takes no mask (its max
// includes padded steps), and so neither does ours, though the kernel could. The output
// has no steps, so the mask goes no further (MaskFlow::drop).
#pragma once

#include "layers/layer.h"

namespace dl {

// GlobalMaxPooling1D, GlobalAveragePooling1D: (N, T, C) -> (N, C) (or (N, 1, C) with
// keepdims), the average over the steps the input's mask marks real (all when it has
// none); and
// GlobalMaxPooling2D: (N, H, W, C) -> (N, C) (or (N, 1, 1, C)) over every pixel.
class GlobalPoolingLayer : public Layer {
 public:
  GlobalPoolingLayer(bool max, int spatial_axes, bool keepdims) : max_(max), axes_(spatial_axes), keepdims_(keepdims) {}
  std::string type() const override;
  std::vector<int> build(const std::vector<int>& input_shape) override;
  void forward(const Tensor& x, Tensor& y, bool training) override;
  void backward(const Tensor& x, const Tensor& y, Tensor& dy, Tensor* dx) override;

 private:
  // The mask of the current input, (N, T), for an average over a sequence that has one.
  const float* step_mask(int rows) const;
  bool max_;
  int axes_;  // 1: sequences, 2: images
  bool keepdims_;
  int steps_ = 0, channels_ = 0;
};

}  // namespace dl
