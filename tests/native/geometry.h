// Convolution and pooling geometries for tests, computed as the layers compute them.
#pragma once

#include "kernels/conv2d.h"
#include "kernels/pooling.h"

namespace check {

inline dl::ConvGeometry conv_geometry(int n, int h, int w, int c, int kh, int kw, int f, int sh, int sw,
                                      dl::Padding p) {
  dl::ConvGeometry g;
  g.n = n;
  g.h = h;
  g.w = w;
  g.c = c;
  g.kh = kh;
  g.kw = kw;
  g.f = f;
  g.sh = sh;
  g.sw = sw;
  const dl::AxisGeometry y = dl::axis_geometry(h, kh, sh, p, "test", "height");
  const dl::AxisGeometry x = dl::axis_geometry(w, kw, sw, p, "test", "width");
  g.oh = y.out;
  g.ow = x.out;
  g.pad_top = y.pad_before;
  g.pad_left = x.pad_before;
  return g;
}

inline dl::PoolGeometry pool_geometry(int n, int h, int w, int c, int ph, int pw, int sh, int sw, dl::Padding p) {
  dl::PoolGeometry g;
  g.n = n;
  g.h = h;
  g.w = w;
  g.c = c;
  g.ph = ph;
  g.pw = pw;
  g.sh = sh;
  g.sw = sw;
  const dl::AxisGeometry y = dl::axis_geometry(h, ph, sh, p, "test", "height");
  const dl::AxisGeometry x = dl::axis_geometry(w, pw, sw, p, "test", "width");
  g.oh = y.out;
  g.ow = x.out;
  g.pad_top = y.pad_before;
  g.pad_left = x.pad_before;
  return g;
}

}  // namespace check
