// The kernels that move values without arithmetic over channels-last images (a sequence
// is an image one row high): nearest-neighbour upsampling, and the margins of zero
// padding and cropping. Padding puts the image in the middle of a larger zeroed one;
// cropping takes the middle of a larger one: each is the other's backward pass.
#pragma once

#include <algorithm>
#include <cstddef>

namespace dl {

// x: (N, H, W, C) -> y: (N, H*sh, W*sw, C), y[s, i, j] = x[s, i / sh, j / sw].
template <typename T>
void upsample_nearest_forward(const T* x, T* y, int n, int h, int w, int c, int sh, int sw) {
  const int oh = h * sh, ow = w * sw;
  for (int s = 0; s < n; ++s)
    for (int i = 0; i < oh; ++i)
      for (int j = 0; j < ow; ++j)
        std::copy_n(x + ((static_cast<std::size_t>(s) * h + i / sh) * w + j / sw) * c, c,
                    y + ((static_cast<std::size_t>(s) * oh + i) * ow + j) * c);
}

// dy: (N, H*sh, W*sw, C) -> dx: (N, H, W, C), each pixel the sum of its sh x sw copies.
template <typename T>
void upsample_nearest_backward(const T* dy, T* dx, int n, int h, int w, int c, int sh, int sw) {
  const int oh = h * sh, ow = w * sw;
  std::fill(dx, dx + static_cast<std::size_t>(n) * h * w * c, T(0));
  for (int s = 0; s < n; ++s)
    for (int i = 0; i < oh; ++i)
      for (int j = 0; j < ow; ++j) {
        const T* from = dy + ((static_cast<std::size_t>(s) * oh + i) * ow + j) * c;
        T* to = dx + ((static_cast<std::size_t>(s) * h + i / sh) * w + j / sw) * c;
        for (int ci = 0; ci < c; ++ci) to[ci] += from[ci];
      }
}

// An (h, w) image inside an (outer_h, outer_w) one, its first pixel at (top, left).
struct Inset {
  int n = 0, h = 0, w = 0, c = 0;
  int outer_h = 0, outer_w = 0, top = 0, left = 0;
};

// inner: (N, h, w, C) -> outer: (N, outer_h, outer_w, C), zeros around (ZeroPadding's
// forward, Cropping's backward).
template <typename T>
void embed_inset(const T* inner, T* outer, const Inset& g) {
  std::fill(outer, outer + static_cast<std::size_t>(g.n) * g.outer_h * g.outer_w * g.c, T(0));
  const std::size_t row = static_cast<std::size_t>(g.w) * g.c;
  for (int s = 0; s < g.n; ++s)
    for (int i = 0; i < g.h; ++i)
      std::copy_n(inner + (static_cast<std::size_t>(s) * g.h + i) * row, row,
                  outer + ((static_cast<std::size_t>(s) * g.outer_h + g.top + i) * g.outer_w + g.left) * g.c);
}

// outer: (N, outer_h, outer_w, C) -> inner: (N, h, w, C), the middle (Cropping's forward,
// ZeroPadding's backward).
template <typename T>
void extract_inset(const T* outer, T* inner, const Inset& g) {
  const std::size_t row = static_cast<std::size_t>(g.w) * g.c;
  for (int s = 0; s < g.n; ++s)
    for (int i = 0; i < g.h; ++i)
      std::copy_n(outer + ((static_cast<std::size_t>(s) * g.outer_h + g.top + i) * g.outer_w + g.left) * g.c, row,
                  inner + (static_cast<std::size_t>(s) * g.h + i) * row);
}

}  // namespace dl
