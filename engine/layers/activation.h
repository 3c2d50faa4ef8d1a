// The Activation layer: applies one activation (kernels/activations.h) to its whole input.
#pragma once

#include "kernels/activations.h"
#include "layers/elementwise.h"

namespace dl {

// Applies one activation to its whole input; the shape passes through unchanged.
class ActivationLayer : public ElementwiseLayer {
 public:
  explicit ActivationLayer(ActivationKind kind) : kind_(kind) {}
  std::string type() const override { return "Activation"; }
  void forward(const Tensor& x, Tensor& y, bool training) override;
  void backward(const Tensor& x, const Tensor& y, Tensor& dy, Tensor* dx) override;
  ActivationKind output_activation() const override { return kind_; }

 private:
  ActivationKind kind_;
};

}  // namespace dl
