// Image augmentation by inverse mapping with bilinear sampling.
#include "train/augment.h"

#include <cmath>

namespace dl {

void transform_image(const float* in, float* out, int h, int w, int c, float shift_x, float shift_y, float angle,
                     float zoom) {
  const double radians = angle * 3.14159265358979323846 / 180.0;
  const double cos_a = std::cos(radians), sin_a = std::sin(radians);
  const double cx = (w - 1) / 2.0, cy = (h - 1) / 2.0;
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      // Undo the shift and the zoom, then rotate back by the angle (image y grows downwards).
      const double dx = (x - cx - shift_x) / zoom, dy = (y - cy - shift_y) / zoom;
      const double sx = cos_a * dx - sin_a * dy + cx;
      const double sy = sin_a * dx + cos_a * dy + cy;
      const int x0 = static_cast<int>(std::floor(sx)), y0 = static_cast<int>(std::floor(sy));
      const double fx = sx - x0, fy = sy - y0;
      for (int k = 0; k < c; ++k) {
        auto at = [&](int yy, int xx) -> double {
          if (xx < 0 || yy < 0 || xx >= w || yy >= h) return 0.0;
          return in[(static_cast<std::size_t>(yy) * w + xx) * c + k];
        };
        const double top = at(y0, x0) * (1 - fx) + at(y0, x0 + 1) * fx;
        const double bottom = at(y0 + 1, x0) * (1 - fx) + at(y0 + 1, x0 + 1) * fx;
        out[(static_cast<std::size_t>(y) * w + x) * c + k] = static_cast<float>(top * (1 - fy) + bottom * fy);
      }
    }
  }
}

void augment_batch(Tensor& batch, const Augmentation& a, const std::vector<int>& image_shape, Rng& rng) {
  const int h = image_shape[0], w = image_shape[1], c = image_shape[2];
  const std::size_t stride = static_cast<std::size_t>(h) * w * c;
  std::vector<float> source(stride);
  for (int i = 0; i < batch.rows(); ++i) {
    float* image = batch.data() + i * stride;
    std::copy(image, image + stride, source.begin());
    const float sx = static_cast<float>(rng.uniform(-a.max_shift, a.max_shift));
    const float sy = static_cast<float>(rng.uniform(-a.max_shift, a.max_shift));
    const float angle = static_cast<float>(rng.uniform(-a.max_rotation, a.max_rotation));
    const float zoom = a.max_zoom > 0 ? static_cast<float>(1.0 + rng.uniform(-a.max_zoom, a.max_zoom)) : 1.0f;
    transform_image(source.data(), image, h, w, c, sx, sy, angle, zoom);
  }
}

}  // namespace dl
