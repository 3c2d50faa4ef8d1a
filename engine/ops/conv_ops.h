// Convolution and pooling as ops, as TensorFlow.js' conv2d, maxPool and avgPool: images
// channels-last (N, H, W, C). They run the layers' kernels (kernels/conv2d.h,
// kernels/pooling.h) with their geometry from attrs.window (the pool's or, for conv2d, none:
// the filter's own size), attrs.strides and attrs.padding ("valid" or "same").
#pragma once

#include <vector>

#include "core/error.h"
#include "kernels/conv2d.h"
#include "kernels/pooling.h"
#include "ops/broadcast.h"
#include "ops/op.h"

namespace dl::ops {

inline void check_image(const Shape& x, const char* what) {
  if (x.size() != 4) fail("expected ", what, " of rank 4 (batch, height, width, channels); got shape ", json_list(x));
}

// strides: 1 or 2 whole numbers >= 1 -> (height, width).
inline std::pair<int, int> strides_of(const Attrs& a) {
  const std::vector<int> s = a.strides.empty() ? std::vector<int>{1} : a.strides;
  if (s.size() > 2 || s[0] < 1 || s.back() < 1)
    fail("strides ", json_list(a.strides), " must be one or two whole numbers >= 1");
  return {s[0], s.back()};
}

inline Padding padding_of(const Attrs& a) { return padding_from_name(a.padding.empty() ? "valid" : a.padding, "pad"); }

// x: (N, H, W, C), filter: (KH, KW, C, F) -> y: (N, OH, OW, F)
struct Conv2DOp {
  static constexpr bool differentiable = true;
  static ConvGeometry geometry(const Shape& x, const Shape& w, const Attrs& a) {
    check_image(x, "x");
    if (w.size() != 4) fail("expected a filter of rank 4 (height, width, in channels, filters); got ", json_list(w));
    if (w[2] != x[3]) fail("the filter ", json_list(w), " takes ", w[2], " channels; x ", json_list(x), " has ", x[3]);
    ConvGeometry g;
    g.n = x[0], g.h = x[1], g.w = x[2], g.c = x[3];
    g.kh = w[0], g.kw = w[1], g.f = w[3];
    std::tie(g.sh, g.sw) = strides_of(a);
    const Padding p = padding_of(a);
    const AxisGeometry rows = axis_geometry(g.h, g.kh, g.sh, p, "conv2d", "height");
    const AxisGeometry cols = axis_geometry(g.w, g.kw, g.sw, p, "conv2d", "width");
    g.oh = rows.out, g.ow = cols.out, g.pad_top = rows.pad_before, g.pad_left = cols.pad_before;
    return g;
  }
  static Shape shape(const Shapes& in, const Attrs& a) {
    const ConvGeometry g = geometry(in[0], in[1], a);
    return {g.n, g.oh, g.ow, g.f};
  }
  template <typename T>
  static void forward(const std::vector<In<T>>& xs, const Attrs& a, T* y, const Shape&) {
    const ConvGeometry g = geometry(xs[0].shape, xs[1].shape, a);
    const std::vector<T> no_bias(g.f, T(0));
    conv2d_forward(xs[0].data, xs[1].data, no_bias.data(), y, g);
  }
  // dy: (N, OH, OW, F) -> dx: x's shape, dfilter: the filter's
  template <typename T>
  static void backward(const std::vector<In<T>>& xs, const T*, const T* dy, const Attrs& a, const Shape&,
                       const std::vector<T*>& dxs) {
    const ConvGeometry g = geometry(xs[0].shape, xs[1].shape, a);
    std::vector<T> db(g.f), dw_unused(dxs[1] ? 0 : count_of(xs[1].shape));
    conv2d_backward(xs[0].data, xs[1].data, dy, dxs[0], dxs[1] ? dxs[1] : dw_unused.data(), db.data(), g);
  }
};

// x: (N, H, W, C) -> y: (N, OH, OW, C), each window's maximum (kMax) or mean.
template <bool kMax>
struct PoolOp {
  static constexpr bool differentiable = true;
  static PoolGeometry geometry(const Shape& x, const Attrs& a) {
    check_image(x, "x");
    if (a.window.empty() || a.window.size() > 2 || a.window[0] < 1 || a.window.back() < 1)
      fail("filterSize ", json_list(a.window), " must be one or two whole numbers >= 1");
    PoolGeometry g;
    g.n = x[0], g.h = x[1], g.w = x[2], g.c = x[3];
    g.ph = a.window[0], g.pw = a.window.back();
    std::tie(g.sh, g.sw) = strides_of(a);
    const Padding p = padding_of(a);
    const char* name = kMax ? "maxPool" : "avgPool";
    const AxisGeometry rows = axis_geometry(g.h, g.ph, g.sh, p, name, "height");
    const AxisGeometry cols = axis_geometry(g.w, g.pw, g.sw, p, name, "width");
    g.oh = rows.out, g.ow = cols.out, g.pad_top = rows.pad_before, g.pad_left = cols.pad_before;
    return g;
  }
  static Shape shape(const Shapes& in, const Attrs& a) {
    const PoolGeometry g = geometry(in[0], a);
    return {g.n, g.oh, g.ow, g.c};
  }
  template <typename T>
  static void forward(const std::vector<In<T>>& xs, const Attrs& a, T* y, const Shape&) {
    const PoolGeometry g = geometry(xs[0].shape, a);
    if constexpr (kMax)
      max_pool_forward(xs[0].data, y, g);
    else
      average_pool_forward(xs[0].data, y, g);
  }
  template <typename T>
  static void backward(const std::vector<In<T>>& xs, const T* y, const T* dy, const Attrs& a, const Shape&,
                       const std::vector<T*>& dxs) {
    if (!dxs[0]) return;
    const PoolGeometry g = geometry(xs[0].shape, a);
    if constexpr (kMax)
      max_pool_backward(xs[0].data, y, dy, dxs[0], g);
    else
      average_pool_backward(dy, dxs[0], g);
  }
};

}  // namespace dl::ops
