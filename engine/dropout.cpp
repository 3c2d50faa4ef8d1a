// Dropout draws its masks from the model's generator, so a seed fixes them too.
#include "dropout.h"

#include <cmath>

namespace dl {

DropoutLayer::DropoutLayer(float rate) : rate_(rate) {
  if (!(rate >= 0.0f && rate < 1.0f)) fail("Dropout: rate must be in [0, 1); got ", rate);
}

Tensor DropoutLayer::forward(const Tensor& x, bool training) {
  was_training_ = training && rate_ > 0.0f;
  if (!was_training_) return x;
  mask_ = Tensor(x.shape());
  const float keep = 1.0f - rate_, scale = 1.0f / keep;
  for (std::size_t i = 0; i < x.size(); ++i) mask_[i] = rng->uniform() < keep ? scale : 0.0f;
  Tensor y(x.shape());
  dropout_apply(x.data(), mask_.data(), y.data(), x.size());
  return y;
}

Tensor DropoutLayer::backward(const Tensor& dy) {
  if (!was_training_) return dy;
  Tensor dx(dy.shape());
  dropout_apply(dy.data(), mask_.data(), dx.data(), dy.size());
  return dx;
}

}  // namespace dl
