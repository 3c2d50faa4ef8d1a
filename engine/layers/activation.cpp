// The Activation layer.
#include "layers/activation.h"

#include "core/error.h"

namespace dl {

void ActivationLayer::forward(const Tensor& x, Tensor& y, bool) {
  std::copy(x.values().begin(), x.values().end(), y.values().begin());
  if (!emit_logits) apply_activation(kind_, y, input_shape.back());
}

// gelu and swish differentiate from the input, which backward is given anyway.
void ActivationLayer::backward(const Tensor& x, const Tensor& y, Tensor& dy, Tensor* dx) {
  if (!emit_logits) apply_activation_gradient(kind_, y, dy, input_shape.back(), &x);
  if (dx) std::copy(dy.values().begin(), dy.values().end(), dx->values().begin());
}

}  // namespace dl
