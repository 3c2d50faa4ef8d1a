// Pooling layers: geometry checks and the glue to the pooling kernels.
#include "pooling.h"

#include "error.h"

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

Tensor Pooling2DLayer::forward(const Tensor& x, bool) {
  PoolGeometry g = g_;
  g.n = x.rows();
  Tensor y({g.n, g.oh, g.ow, g.c});
  if (max_) {
    argmax_.resize(y.size());
    max_pool_forward(x.data(), y.data(), argmax_.data(), g);
  } else {
    average_pool_forward(x.data(), y.data(), g);
  }
  return y;
}

Tensor Pooling2DLayer::backward(const Tensor& dy) {
  PoolGeometry g = g_;
  g.n = dy.rows();
  Tensor dx({g.n, g.h, g.w, g.c});
  if (max_)
    max_pool_backward(dy.data(), argmax_.data(), dx.data(), g);
  else
    average_pool_backward(dy.data(), dx.data(), g);
  return dx;
}

std::vector<int> GlobalAveragePooling2DLayer::build(const std::vector<int>& input_shape) {
  if (input_shape.size() != 3)
    fail(label(), " expects images of shape (None, height, width, channels); got ", shape_text(input_shape));
  return {input_shape[2]};
}

Tensor GlobalAveragePooling2DLayer::forward(const Tensor& x, bool) {
  const int c = input_shape[2], pixels = input_shape[0] * input_shape[1];
  Tensor y({x.rows(), c});
  global_average_pool_forward(x.data(), y.data(), x.rows(), pixels, c);
  return y;
}

Tensor GlobalAveragePooling2DLayer::backward(const Tensor& dy) {
  const int c = input_shape[2], pixels = input_shape[0] * input_shape[1];
  Tensor dx({dy.rows(), input_shape[0], input_shape[1], c});
  global_average_pool_backward(dy.data(), dx.data(), dy.rows(), pixels, c);
  return dx;
}

}  // namespace dl
