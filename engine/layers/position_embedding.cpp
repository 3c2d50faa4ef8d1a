// PositionEmbedding: the table's rows copied to every sample, and their gradient summed
// over the batch.
#include "layers/position_embedding.h"

#include <algorithm>

namespace dl {

std::vector<int> PositionEmbeddingLayer::build(const std::vector<int>& input_shape) {
  if (sequence_length_ <= 0) fail(label(), ": sequenceLength must be a positive whole number; got ", sequence_length_);
  if (input_shape.size() != 2)
    fail(label(), " expects sequences of shape (None, steps, features); got ", shape_text(input_shape));
  if (input_shape[0] > sequence_length_)
    fail(label(), ": the input has ", input_shape[0], " steps, more than sequenceLength ", sequence_length_);
  const int width = input_shape[1];
  if (static_cast<std::uint64_t>(sequence_length_) * width > kMaxTensorValues)
    fail(label(), ": a table of ", sequence_length_, " x ", width, " is past the limit of ", kMaxTensorValues,
         " values per tensor");
  table_ = Tensor({sequence_length_, width});
  table_grad_ = Tensor({sequence_length_, width}, 0.0f);
  initialize(table_, initializer_, sequence_length_, width, *rng);
  return input_shape;
}

void PositionEmbeddingLayer::forward(const Tensor& x, Tensor& y, bool) {
  const std::size_t per_sample = static_cast<std::size_t>(input_shape[0]) * input_shape[1];
  for (int n = 0; n < x.rows(); ++n) std::copy_n(table_.data(), per_sample, y.data() + n * per_sample);
}

// dy: (N, T, D) -> dembeddings[:T] = sum over the batch of dy; the rows past T get nothing.
void PositionEmbeddingLayer::backward(const Tensor&, const Tensor&, Tensor& dy, Tensor* dx) {
  const std::size_t per_sample = static_cast<std::size_t>(input_shape[0]) * input_shape[1];
  float* g = table_grad_.data();
  if (!accumulate_gradients) std::fill(g, g + table_grad_.size(), 0.0f);
  for (int n = 0; n < dy.rows(); ++n)
    for (std::size_t i = 0; i < per_sample; ++i) g[i] += dy[n * per_sample + i];
  if (dx) dx->values().assign(dx->size(), 0.0f);
}

}  // namespace dl
