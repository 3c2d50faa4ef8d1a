// What the layers that map each value on its own share (Activation, ReLU, LeakyReLU, ELU):
// the output has the input's shape, which must have a feature dimension.
#pragma once

#include "core/error.h"
#include "layers/layer.h"

namespace dl {

class ElementwiseLayer : public Layer {
 public:
  std::vector<int> build(const std::vector<int>& input_shape) override {
    if (input_shape.empty()) fail(label(), " needs at least one feature dimension");
    return input_shape;
  }
};

}  // namespace dl
