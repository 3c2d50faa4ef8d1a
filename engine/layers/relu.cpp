// The ReLU layer.
#include "layers/relu.h"

#include <cmath>

#include "core/error.h"
#include "core/show.h"
#include "kernels/activations.h"

namespace dl {

ReLULayer::ReLULayer(float max_value) : max_value_(max_value) {
  if (!(max_value > 0.0f)) fail("ReLU: maxValue must be a number > 0; got ", show(max_value));
}

void ReLULayer::forward(const Tensor& x, Tensor& y, bool) {
  if (std::isinf(max_value_)) {
    std::copy(x.values().begin(), x.values().end(), y.values().begin());
    apply_activation(ActivationKind::relu, y, input_shape.back());
  } else {
    relu_forward(x.data(), y.data(), x.size(), max_value_);
  }
}

void ReLULayer::backward(const Tensor&, const Tensor& y, Tensor& dy, Tensor* dx) {
  if (!dx) return;
  relu_backward(y.data(), dy.data(), dx->data(), y.size(), max_value_);
}

}  // namespace dl
