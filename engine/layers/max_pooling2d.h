// Keras' MaxPooling2D: the largest value of each window (pooling2d.h holds the windowing).
#pragma once

#include "layers/pooling2d.h"

namespace dl {

class MaxPooling2DLayer : public Pooling2DLayer {
 public:
  explicit MaxPooling2DLayer(const PoolOptions& options) : Pooling2DLayer(true, options) {}
};

}  // namespace dl
