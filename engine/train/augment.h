// Data augmentation for image batches: a random shift and rotation per image, drawn from
// the model's generator so that a seed fixes them. Images are channels-last (H, W, C);
// pixels that come from outside the image are 0, as MNIST's background.
#pragma once

#include <vector>

#include "core/rng.h"
#include "core/tensor.h"

namespace dl {

struct Augmentation {
  float max_shift = 0.0f;        // pixels, each direction
  float max_rotation = 0.0f;     // degrees, each way
  float max_zoom = 0.0f;         // a zoom factor from 1 - max_zoom to 1 + max_zoom (Keras' zoom_range)
  std::vector<int> image_shape;  // (H, W, C); empty: the model's input shape
  bool active() const { return max_shift > 0.0f || max_rotation > 0.0f || max_zoom > 0.0f; }
};

// One image (h, w, c) -> out (h, w, c): out(p) = in(R^-1 (p - centre - shift) / zoom +
// centre), sampled bilinearly. angle in degrees, positive anticlockwise; zoom > 1 enlarges.
void transform_image(const float* in, float* out, int h, int w, int c, float shift_x, float shift_y, float angle,
                     float zoom = 1.0f);

// Applies an independent random shift and rotation to every image of `batch`, whose
// rows each hold one (h, w, c) image.
void augment_batch(Tensor& batch, const Augmentation& a, const std::vector<int>& image_shape, Rng& rng);

}  // namespace dl
