// GlobalAveragePooling2D: shape check and the glue to the pooling kernels.
#include "layers/global_average_pooling2d.h"

#include "core/error.h"
#include "kernels/pooling.h"

namespace dl {

std::vector<int> GlobalAveragePooling2DLayer::build(const std::vector<int>& input_shape) {
  if (input_shape.size() != 3)
    fail(label(), " expects images of shape (None, height, width, channels); got ", shape_text(input_shape));
  return {input_shape[2]};
}

void GlobalAveragePooling2DLayer::forward(const Tensor& x, Tensor& y, bool) {
  global_average_pool_forward(x.data(), y.data(), x.rows(), input_shape[0] * input_shape[1], input_shape[2]);
}

void GlobalAveragePooling2DLayer::backward(const Tensor&, const Tensor&, Tensor& dy, Tensor* dx) {
  if (dx)
    global_average_pool_backward(dy.data(), dx->data(), dy.rows(), input_shape[0] * input_shape[1], input_shape[2]);
}

}  // namespace dl
