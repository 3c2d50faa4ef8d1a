// Windowed pooling: geometry checks and the glue to the pooling kernels.
#include "layers/pooling2d.h"

#include "core/error.h"

namespace dl {

Pooling2DLayer::Pooling2DLayer(bool max, const PoolOptions& o) : max_(max), options_(o) {
  if (options_.stride_h == 0) options_.stride_h = options_.pool_h;
  if (options_.stride_w == 0) options_.stride_w = options_.pool_w;
  const char* name = max ? "MaxPooling2D" : "AveragePooling2D";
  if (o.pool_h <= 0 || o.pool_w <= 0) fail(name, ": poolSize must be positive; got ", o.pool_h, "x", o.pool_w);
  if (options_.stride_h <= 0 || options_.stride_w <= 0)
    fail(name, ": strides must be positive; got ", options_.stride_h, "x", options_.stride_w);
}

std::vector<int> Pooling2DLayer::build(const std::vector<int>& input_shape) {
  if (input_shape.size() != 3)
    fail(label(), " expects images of shape (None, height, width, channels); got ", shape_text(input_shape));
  g_.h = input_shape[0];
  g_.w = input_shape[1];
  g_.c = input_shape[2];
  g_.ph = options_.pool_h;
  g_.pw = options_.pool_w;
  g_.sh = options_.stride_h;
  g_.sw = options_.stride_w;
  const AxisGeometry y = axis_geometry(g_.h, g_.ph, g_.sh, options_.padding, label(), "height");
  const AxisGeometry x = axis_geometry(g_.w, g_.pw, g_.sw, options_.padding, label(), "width");
  g_.oh = y.out;
  g_.ow = x.out;
  g_.pad_top = y.pad_before;
  g_.pad_left = x.pad_before;
  return {g_.oh, g_.ow, g_.c};
}

void Pooling2DLayer::forward(const Tensor& x, Tensor& y, bool) {
  PoolGeometry g = g_;
  g.n = x.rows();
  if (max_)
    max_pool_forward(x.data(), y.data(), g);
  else
    average_pool_forward(x.data(), y.data(), g);
}

void Pooling2DLayer::backward(const Tensor& x, const Tensor& y, Tensor& dy, Tensor* dx) {
  if (!dx) return;
  PoolGeometry g = g_;
  g.n = dy.rows();
  if (max_)
    max_pool_backward(x.data(), y.data(), dy.data(), dx->data(), g);
  else
    average_pool_backward(dy.data(), dx->data(), g);
}

}  // namespace dl
