// Pooling over sequences, channels-last: windowed max and average pooling of (N, T, C)
// are the image kernels of pooling.h on images one row high (pool1d_geometry), and the
// global pooling here takes the max or mean of each channel over all steps, leaving out
// the steps a mask marks as padding when given one (Keras' masking: its average reads the
// mask, its max does not; layers/global_pooling.h). The same global max over the pixels
// of an image is GlobalMaxPooling2D.
#pragma once

#include <algorithm>
#include <string>

#include "kernels/pooling.h"

namespace dl {

// A window of `pool` steps every `stride` steps over T steps of C channels.
inline PoolGeometry pool1d_geometry(int t, int c, int pool, int stride, Padding padding, const std::string& where) {
  PoolGeometry g;
  g.h = 1;
  g.w = t;
  g.c = c;
  g.ph = 1;
  g.sh = 1;
  g.pw = pool;
  g.sw = stride;
  const AxisGeometry a = axis_geometry(t, pool, stride, padding, where, "steps");
  g.oh = 1;
  g.ow = a.out;
  g.pad_left = a.pad_before;
  return g;
}

// mask: (N, T) of 1 (a real step) and 0 (padding), or null: every step is real.
inline bool step_is_real(const float* mask, int s, int t, int steps) {
  return !mask || mask[static_cast<std::size_t>(s) * steps + t] != 0.0f;
}

// x: (N, T, C) -> y: (N, C), the mean of each channel over the real steps (0 when a
// sample has none, where Keras would divide 0 by 0).
template <typename T>
void global_average_pool1d_forward(const T* x, const float* mask, T* y, int n, int steps, int c) {
  for (int s = 0; s < n; ++s) {
    T* out = y + static_cast<std::size_t>(s) * c;
    std::fill(out, out + c, T(0));
    int count = 0;
    for (int t = 0; t < steps; ++t) {
      if (!step_is_real(mask, s, t, steps)) continue;
      ++count;
      const T* in = x + (static_cast<std::size_t>(s) * steps + t) * c;
      for (int ci = 0; ci < c; ++ci) out[ci] += in[ci];
    }
    if (count > 0)
      for (int ci = 0; ci < c; ++ci) out[ci] /= T(count);
  }
}

// dy: (N, C) -> dx: (N, T, C): dy shared evenly among the real steps, 0 on padding.
template <typename T>
void global_average_pool1d_backward(const T* dy, const float* mask, T* dx, int n, int steps, int c) {
  for (int s = 0; s < n; ++s) {
    int count = 0;
    for (int t = 0; t < steps; ++t) count += step_is_real(mask, s, t, steps);
    for (int t = 0; t < steps; ++t) {
      T* out = dx + (static_cast<std::size_t>(s) * steps + t) * c;
      const bool real = step_is_real(mask, s, t, steps);
      for (int ci = 0; ci < c; ++ci) out[ci] = real ? dy[static_cast<std::size_t>(s) * c + ci] / T(count) : T(0);
    }
  }
}

// x: (N, T, C) -> y: (N, C), the max of each channel over the real steps (0 when a sample
// has none).
template <typename T>
void global_max_pool1d_forward(const T* x, const float* mask, T* y, int n, int steps, int c) {
  for (int s = 0; s < n; ++s) {
    T* out = y + static_cast<std::size_t>(s) * c;
    bool first = true;
    std::fill(out, out + c, T(0));
    for (int t = 0; t < steps; ++t) {
      if (!step_is_real(mask, s, t, steps)) continue;
      const T* in = x + (static_cast<std::size_t>(s) * steps + t) * c;
      for (int ci = 0; ci < c; ++ci) out[ci] = first || in[ci] > out[ci] ? in[ci] : out[ci];
      first = false;
    }
  }
}

// x, y (the forward's output), dy: (N, C) -> dx: (N, T, C). Each channel's gradient goes
// to the first real step holding its maximum, found again rather than stored.
template <typename T>
void global_max_pool1d_backward(const T* x, const T* y, const T* dy, const float* mask, T* dx, int n, int steps,
                                int c) {
  std::fill(dx, dx + static_cast<std::size_t>(n) * steps * c, T(0));
  for (int s = 0; s < n; ++s)
    for (int ci = 0; ci < c; ++ci) {
      const std::size_t o = static_cast<std::size_t>(s) * c + ci;
      for (int t = 0; t < steps; ++t) {
        const std::size_t at = (static_cast<std::size_t>(s) * steps + t) * c + ci;
        if (step_is_real(mask, s, t, steps) && x[at] == y[o]) {
          dx[at] = dy[o];
          break;
        }
      }
    }
}

}  // namespace dl
