// The convolution kernels, channels-last as Keras: x (N, H, W, C) with a kernel
// (KH, KW, C, F) gives z (N, OH, OW, F). The fast path lays each sample's receptive fields
// out as rows (im2col) and multiplies by the kernel seen as a (KH*KW*C, F) matrix; the
// direct seven-loop version at the end is the reference the tests hold it to. Also the
// padding geometry that pooling shares.
#pragma once

#include <algorithm>
#include <string>
#include <vector>

#include "kernels/dense.h"

namespace dl {

enum class Padding { valid, same };
Padding padding_from_name(const std::string& name, const std::string& where);
const char* padding_name(Padding p);

// Output size and padding of one spatial axis, as TensorFlow computes them:
// valid: out = floor((in - k) / s) + 1;  same: out = ceil(in / s), padding split with the
// extra pixel at the end. Throws naming `where` when the window does not fit.
struct AxisGeometry {
  int out = 0, pad_before = 0;
};
AxisGeometry axis_geometry(int in, int k, int stride, Padding padding, const std::string& where, const char* axis);

struct ConvGeometry {
  int n = 0, h = 0, w = 0, c = 0;  // input
  int kh = 0, kw = 0, f = 0;       // kernel and filters
  int sh = 1, sw = 1;              // strides
  int oh = 0, ow = 0;              // output
  int pad_top = 0, pad_left = 0;
  int patch() const { return kh * kw * c; }
};

// Copies n floats (a few dozen at most: one window row of channels) without a call.
template <typename T>
inline void copy_short(const T* src, int n, T* dst) {
  for (int i = 0; i < n; ++i) dst[i] = src[i];
}
template <typename T>
inline void add_short(const T* src, int n, T* dst) {
  for (int i = 0; i < n; ++i) dst[i] += src[i];
}

// For output column ox: the window's columns [kx_begin, kx_end) are inside the image.
struct WindowSpan {
  int begin, end;
};
inline WindowSpan window_columns(const ConvGeometry& g, int ox) {
  const int first = ox * g.sw - g.pad_left;
  return {std::max(0, -first), std::min(g.kw, g.w - first)};
}

// x: one sample (H, W, C) -> cols: (OH*OW, KH*KW*C), zeros where the window leaves x.
// Within a window row the pixels inside the image are neighbours in x and in the row of
// cols: one span of up to KW*C values.
template <typename T>
void im2col(const T* x, T* cols, const ConvGeometry& g) {
  const int k = g.patch(), span = g.kw * g.c;
  for (int oy = 0; oy < g.oh; ++oy)
    for (int ox = 0; ox < g.ow; ++ox) {
      T* row = cols + static_cast<std::size_t>(oy * g.ow + ox) * k;
      const WindowSpan cols_in = window_columns(g, ox);
      const int ix0 = ox * g.sw - g.pad_left;
      for (int ky = 0; ky < g.kh; ++ky) {
        const int iy = oy * g.sh - g.pad_top + ky;
        T* dst = row + ky * span;
        if (iy < 0 || iy >= g.h || cols_in.begin >= cols_in.end) {
          std::fill(dst, dst + span, T(0));
          continue;
        }
        std::fill(dst, dst + cols_in.begin * g.c, T(0));
        copy_short(x + (static_cast<std::size_t>(iy) * g.w + ix0 + cols_in.begin) * g.c,
                   (cols_in.end - cols_in.begin) * g.c, dst + cols_in.begin * g.c);
        std::fill(dst + cols_in.end * g.c, dst + span, T(0));
      }
    }
}

// The adjoint of im2col: adds each row of cols back into the (H, W, C) sample dx.
template <typename T>
void col2im_add(const T* cols, T* dx, const ConvGeometry& g) {
  const int k = g.patch(), span = g.kw * g.c;
  for (int oy = 0; oy < g.oh; ++oy)
    for (int ox = 0; ox < g.ow; ++ox) {
      const T* row = cols + static_cast<std::size_t>(oy * g.ow + ox) * k;
      const WindowSpan cols_in = window_columns(g, ox);
      if (cols_in.begin >= cols_in.end) continue;
      const int ix0 = ox * g.sw - g.pad_left;
      for (int ky = 0; ky < g.kh; ++ky) {
        const int iy = oy * g.sh - g.pad_top + ky;
        if (iy < 0 || iy >= g.h) continue;
        add_short(row + ky * span + cols_in.begin * g.c, (cols_in.end - cols_in.begin) * g.c,
                  dx + (static_cast<std::size_t>(iy) * g.w + ix0 + cols_in.begin) * g.c);
      }
    }
}

// Samples are lowered a few at a time, so that each product has about a thousand rows
// (at least one sample): enough for the kernel to run at speed, and the lowered chunk
// stays within a megabyte or two (the seeds' CNN: one 24x24 sample, 576 rows of 288, ran
// as fast as three at a time and used 2.6 MB less).
inline int conv_chunk(const ConvGeometry& g) { return std::max(1, std::min(g.n, 1024 / std::max(1, g.oh * g.ow))); }

// Scratch for the lowered samples, kept between calls so that training does not
// allocate and free megabytes per layer per batch (which fragments WebAssembly memory).
template <typename T>
std::vector<T>& conv_scratch(int which, std::size_t size) {
  static thread_local std::vector<T> buffers[2];
  if (buffers[which].size() < size) buffers[which].resize(size);
  return buffers[which];
}

// x: (N, H, W, C), w: (KH, KW, C, F), b: (F) -> z: (N, OH, OW, F)
template <typename T>
void conv2d_forward(const T* x, const T* w, const T* b, T* z, const ConvGeometry& g) {
  const int rows = g.oh * g.ow, chunk = conv_chunk(g);
  std::vector<T>& cols = conv_scratch<T>(0, static_cast<std::size_t>(chunk) * rows * g.patch());
  const std::size_t in_stride = static_cast<std::size_t>(g.h) * g.w * g.c;
  const std::size_t out_stride = static_cast<std::size_t>(rows) * g.f;
  const std::size_t col_stride = static_cast<std::size_t>(rows) * g.patch();
  for (int s0 = 0; s0 < g.n; s0 += chunk) {
    const int count = std::min(chunk, g.n - s0);
    for (int s = 0; s < count; ++s) im2col(x + (s0 + s) * in_stride, cols.data() + s * col_stride, g);
    dense_forward(cols.data(), w, b, z + s0 * out_stride, count * rows, g.patch(), g.f);
  }
}

// dz: (N, OH, OW, F) -> dx: (N, H, W, C) (may be null), dw: (KH, KW, C, F), db: (F).
// With accumulate, dw and db are added to rather than overwritten.
template <typename T>
void conv2d_backward(const T* x, const T* w, const T* dz, T* dx, T* dw, T* db, const ConvGeometry& g,
                     bool accumulate = false) {
  const int rows = g.oh * g.ow, k = g.patch(), chunk = conv_chunk(g);
  std::vector<T>& cols = conv_scratch<T>(0, static_cast<std::size_t>(chunk) * rows * k);
  std::vector<T>& dcols = conv_scratch<T>(1, dx ? static_cast<std::size_t>(chunk) * rows * k : 0);
  const std::size_t in_stride = static_cast<std::size_t>(g.h) * g.w * g.c;
  const std::size_t out_stride = static_cast<std::size_t>(rows) * g.f;
  const std::size_t col_stride = static_cast<std::size_t>(rows) * k;
  if (dx) std::fill(dx, dx + in_stride * g.n, T(0));
  for (int s0 = 0; s0 < g.n; s0 += chunk) {
    const int count = std::min(chunk, g.n - s0);
    for (int s = 0; s < count; ++s) im2col(x + (s0 + s) * in_stride, cols.data() + s * col_stride, g);
    dense_backward(cols.data(), w, dz + s0 * out_stride, dx ? dcols.data() : nullptr, dw, db, count * rows, k, g.f,
                   accumulate || s0 > 0);
    if (dx)
      for (int s = 0; s < count; ++s) col2im_add(dcols.data() + s * col_stride, dx + (s0 + s) * in_stride, g);
  }
}

// The reference: the definition of a convolution (cross-correlation, as every framework
// computes it), one output value at a time.
template <typename T>
void conv2d_forward_reference(const T* x, const T* w, const T* b, T* z, const ConvGeometry& g) {
  for (int s = 0; s < g.n; ++s)
    for (int oy = 0; oy < g.oh; ++oy)
      for (int ox = 0; ox < g.ow; ++ox)
        for (int fo = 0; fo < g.f; ++fo) {
          T sum = b[fo];
          for (int ky = 0; ky < g.kh; ++ky)
            for (int kx = 0; kx < g.kw; ++kx) {
              const int iy = oy * g.sh - g.pad_top + ky, ix = ox * g.sw - g.pad_left + kx;
              if (iy < 0 || iy >= g.h || ix < 0 || ix >= g.w) continue;
              for (int ci = 0; ci < g.c; ++ci)
                sum += x[((static_cast<std::size_t>(s) * g.h + iy) * g.w + ix) * g.c + ci] *
                       w[((static_cast<std::size_t>(ky) * g.kw + kx) * g.c + ci) * g.f + fo];
            }
          z[((static_cast<std::size_t>(s) * g.oh + oy) * g.ow + ox) * g.f + fo] = sum;
        }
}

}  // namespace dl
