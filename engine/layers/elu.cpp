// The ELU layer.
#include "layers/elu.h"

#include "core/error.h"
#include "core/show.h"
#include "kernels/activations.h"

namespace dl {

ELULayer::ELULayer(float alpha) : alpha_(alpha) {
  if (!(alpha >= 0.0f && alpha <= 1000.0f)) fail("ELU: alpha must be in [0, 1000]; got ", show(alpha));
}

void ELULayer::forward(const Tensor& x, Tensor& y, bool) { elu_forward(x.data(), y.data(), x.size(), alpha_); }

void ELULayer::backward(const Tensor&, const Tensor& y, Tensor& dy, Tensor* dx) {
  if (dx) elu_backward(y.data(), dy.data(), dx->data(), y.size(), alpha_);
}

}  // namespace dl
