// The LeakyReLU layer.
#include "layers/leaky_relu.h"

#include "core/error.h"
#include "core/show.h"
#include "kernels/activations.h"

namespace dl {

LeakyReLULayer::LeakyReLULayer(float alpha) : alpha_(alpha) {
  if (!(alpha >= 0.0f && alpha <= 1000.0f)) fail("LeakyReLU: alpha must be in [0, 1000]; got ", show(alpha));
}

void LeakyReLULayer::forward(const Tensor& x, Tensor& y, bool) {
  leaky_relu_forward(x.data(), y.data(), x.size(), alpha_);
}

void LeakyReLULayer::backward(const Tensor&, const Tensor& y, Tensor& dy, Tensor* dx) {
  if (dx) leaky_relu_backward(y.data(), dy.data(), dx->data(), y.size(), alpha_);
}

}  // namespace dl
