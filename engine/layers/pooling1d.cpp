// MaxPooling1D, AveragePooling1D: shape checks and the glue to the pooling kernels.
#include "layers/pooling1d.h"

#include "core/error.h"
#include "core/show.h"

namespace dl {

std::vector<int> Pooling1DLayer::build(const std::vector<int>& input_shape) {
  if (input_shape.size() != 2)
    fail(label(), " expects sequences of shape (None, steps, channels); got ", shape_text(input_shape));
  if (pool_ <= 0) fail(label(), ": poolSize must be positive; got ", show(pool_));
  if (stride_ <= 0) fail(label(), ": strides must be positive; got ", show(stride_));
  g_ = pool1d_geometry(input_shape[0], input_shape[1], pool_, stride_, padding_, label());
  return {g_.ow, g_.c};
}

void Pooling1DLayer::forward(const Tensor& x, Tensor& y, bool) {
  PoolGeometry g = g_;
  g.n = x.rows();
  if (max_)
    max_pool_forward(x.data(), y.data(), g);
  else
    average_pool_forward(x.data(), y.data(), g);
}

void Pooling1DLayer::backward(const Tensor& x, const Tensor& y, Tensor& dy, Tensor* dx) {
  if (!dx) return;
  PoolGeometry g = g_;
  g.n = dy.rows();
  if (max_)
    max_pool_backward(x.data(), y.data(), dy.data(), dx->data(), g);
  else
    average_pool_backward(dy.data(), dx->data(), g);
}

}  // namespace dl
