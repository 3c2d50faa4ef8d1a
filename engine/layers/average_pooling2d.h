// Keras' AveragePooling2D: the mean of each window's real pixels (pooling2d.h holds the
// windowing).
#pragma once

#include "layers/pooling2d.h"

namespace dl {

class AveragePooling2DLayer : public Pooling2DLayer {
 public:
  explicit AveragePooling2DLayer(const PoolOptions& options) : Pooling2DLayer(false, options) {}
};

}  // namespace dl
