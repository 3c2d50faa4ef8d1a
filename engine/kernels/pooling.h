// The pooling kernels over the spatial axes of channels-last images: max, average and
// global average, forward and backward. Padded positions never take part: a max ignores
// them, an average divides by the number of real pixels in the window (as TensorFlow
// does).
#pragma once

#include <limits>
#include <type_traits>
#include <vector>

#include "core/simd.h"
#include "kernels/conv2d.h"

namespace dl {

struct PoolGeometry {
  int n = 0, h = 0, w = 0, c = 0;
  int ph = 2, pw = 2, sh = 2, sw = 2;
  int oh = 0, ow = 0, pad_top = 0, pad_left = 0;
};

// Visits the real (unpadded) input pixels of output (s, oy, ox)'s window, in row-major
// order: f(offset of the pixel's first channel in x). Returns how many there were.
template <typename F>
int for_window(const PoolGeometry& g, int s, int oy, int ox, F f) {
  int count = 0;
  for (int ky = 0; ky < g.ph; ++ky) {
    const int iy = oy * g.sh - g.pad_top + ky;
    if (iy < 0 || iy >= g.h) continue;
    for (int kx = 0; kx < g.pw; ++kx) {
      const int ix = ox * g.sw - g.pad_left + kx;
      if (ix < 0 || ix >= g.w) continue;
      f(((static_cast<std::size_t>(s) * g.h + iy) * g.w + ix) * g.c);
      ++count;
    }
  }
  return count;
}

// x: (N, H, W, C) -> y: (N, OH, OW, C), the maximum of each window, channel by channel.
template <typename T>
void max_pool_forward(const T* x, T* y, const PoolGeometry& g) {
  for (int s = 0; s < g.n; ++s)
    for (int oy = 0; oy < g.oh; ++oy)
      for (int ox = 0; ox < g.ow; ++ox) {
        T* out = y + ((static_cast<std::size_t>(s) * g.oh + oy) * g.ow + ox) * g.c;
        bool first = true;
        for_window(g, s, oy, ox, [&](std::size_t at) {
          const T* in = x + at;
          if (first) {
            std::copy(in, in + g.c, out);
            first = false;
            return;
          }
          int ci = 0;
          if constexpr (std::is_same_v<T, float>) {
            for (; ci + 4 <= g.c; ci += 4) simd::store(out + ci, simd::max(simd::load(out + ci), simd::load(in + ci)));
          }
          for (; ci < g.c; ++ci) out[ci] = in[ci] > out[ci] ? in[ci] : out[ci];
        });
      }
}

// x, y (the forward's output), dy: (N, OH, OW, C) -> dx: (N, H, W, C). Each gradient goes
// to the first pixel of its window that holds the maximum, found again rather than stored.
// Four channels at a time: a lane mask of channels still open takes the first match.
template <typename T>
void max_pool_backward(const T* x, const T* y, const T* dy, T* dx, const PoolGeometry& g) {
  std::fill(dx, dx + static_cast<std::size_t>(g.n) * g.h * g.w * g.c, T(0));
  const int vector_c = std::is_same_v<T, float> ? g.c / 4 * 4 : 0;
  std::vector<char> taken(g.c);
  for (int s = 0; s < g.n; ++s)
    for (int oy = 0; oy < g.oh; ++oy)
      for (int ox = 0; ox < g.ow; ++ox) {
        const std::size_t o = ((static_cast<std::size_t>(s) * g.oh + oy) * g.ow + ox) * g.c;
        if constexpr (std::is_same_v<T, float>) {
          for (int ci = 0; ci < vector_c; ci += 4) {
            const simd::f32x4 top = simd::load(y + o + ci), grad = simd::load(dy + o + ci);
            simd::f32x4 open = simd::equal(top, top);  // all set (y is finite in training)
            for_window(g, s, oy, ox, [&](std::size_t at) {
              const simd::f32x4 hit = simd::bit_and(open, simd::equal(simd::load(x + at + ci), top));
              simd::store(dx + at + ci, simd::add(simd::load(dx + at + ci), simd::bit_and(hit, grad)));
              open = simd::and_not(open, hit);
            });
          }
        }
        std::fill(taken.begin() + vector_c, taken.end(), 0);
        for_window(g, s, oy, ox, [&](std::size_t at) {
          for (int ci = vector_c; ci < g.c; ++ci)
            if (!taken[ci] && x[at + ci] == y[o + ci]) {
              dx[at + ci] += dy[o + ci];
              taken[ci] = 1;
            }
        });
      }
}

// x: (N, H, W, C) -> y: (N, OH, OW, C), the mean of each window's real pixels.
template <typename T>
void average_pool_forward(const T* x, T* y, const PoolGeometry& g) {
  for (int s = 0; s < g.n; ++s)
    for (int oy = 0; oy < g.oh; ++oy)
      for (int ox = 0; ox < g.ow; ++ox) {
        T* out = y + ((static_cast<std::size_t>(s) * g.oh + oy) * g.ow + ox) * g.c;
        std::fill(out, out + g.c, T(0));
        const int count = for_window(g, s, oy, ox, [&](std::size_t at) {
          for (int ci = 0; ci < g.c; ++ci) out[ci] += x[at + ci];
        });
        for (int ci = 0; ci < g.c; ++ci) out[ci] /= T(count);
      }
}

// dy: (N, OH, OW, C) -> dx: (N, H, W, C)
template <typename T>
void average_pool_backward(const T* dy, T* dx, const PoolGeometry& g) {
  std::fill(dx, dx + static_cast<std::size_t>(g.n) * g.h * g.w * g.c, T(0));
  for (int s = 0; s < g.n; ++s)
    for (int oy = 0; oy < g.oh; ++oy)
      for (int ox = 0; ox < g.ow; ++ox) {
        const T* grad = dy + ((static_cast<std::size_t>(s) * g.oh + oy) * g.ow + ox) * g.c;
        const int count = for_window(g, s, oy, ox, [](std::size_t) {});
        for_window(g, s, oy, ox, [&](std::size_t at) {
          for (int ci = 0; ci < g.c; ++ci) dx[at + ci] += grad[ci] / T(count);
        });
      }
}

// x: (N, H, W, C) -> y: (N, C), the mean over all pixels; backward spreads dy evenly.
template <typename T>
void global_average_pool_forward(const T* x, T* y, int n, int pixels, int c) {
  for (int s = 0; s < n; ++s) {
    T* out = y + static_cast<std::size_t>(s) * c;
    std::fill(out, out + c, T(0));
    for (int p = 0; p < pixels; ++p)
      for (int ci = 0; ci < c; ++ci) out[ci] += x[(static_cast<std::size_t>(s) * pixels + p) * c + ci];
    for (int ci = 0; ci < c; ++ci) out[ci] /= T(pixels);
  }
}

template <typename T>
void global_average_pool_backward(const T* dy, T* dx, int n, int pixels, int c) {
  for (int s = 0; s < n; ++s)
    for (int p = 0; p < pixels; ++p)
      for (int ci = 0; ci < c; ++ci)
        dx[(static_cast<std::size_t>(s) * pixels + p) * c + ci] = dy[static_cast<std::size_t>(s) * c + ci] / T(pixels);
}

}  // namespace dl
