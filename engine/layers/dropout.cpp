// Dropout draws each row's mask from a generator seeded by the step's noise seed and the
// row's place in the batch: the model's seed fixes the masks, however the batch is cut.
#include "layers/dropout.h"

#include <cmath>

#include "core/error.h"
#include "core/show.h"

namespace dl {

DropoutLayer::DropoutLayer(float rate) : rate_(rate) {
  if (!(rate >= 0.0f && rate < 1.0f)) fail("Dropout: rate must be in [0, 1); got ", show(rate));
}

void DropoutLayer::forward(const Tensor& x, Tensor& y, bool training) {
  if (static_cast<int>(masks_.size()) <= call) {
    masks_.resize(call + 1);
    was_training_.resize(call + 1);
  }
  was_training_[call] = training && rate_ > 0.0f;
  std::vector<float>& mask = masks_[call];
  if (!was_training_[call]) {
    std::copy(x.values().begin(), x.values().end(), y.values().begin());
    return;
  }
  mask.resize(x.size());
  const float keep = 1.0f - rate_, scale = 1.0f / keep;
  const std::size_t per_row = x.size() / static_cast<std::size_t>(x.rows());
  for (int r = 0; r < x.rows(); ++r) {
    Rng row(noise_seed + 0xD1B54A32D192ED03ull * static_cast<std::uint64_t>(first_row + r));
    float* m = mask.data() + per_row * r;
    for (std::size_t i = 0; i < per_row; ++i) m[i] = row.uniform() < keep ? scale : 0.0f;
  }
  dropout_apply(x.data(), mask.data(), y.data(), x.size());
}

void DropoutLayer::backward(const Tensor&, const Tensor&, Tensor& dy, Tensor* dx) {
  if (!dx) return;
  if (!was_training_.at(call))
    std::copy(dy.values().begin(), dy.values().end(), dx->values().begin());
  else
    dropout_apply(dy.data(), masks_[call].data(), dx->data(), dy.size());
}

}  // namespace dl
