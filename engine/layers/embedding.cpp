// Embedding: the checks of the ids and the glue to the lookup and scatter-add kernels.
#include "layers/embedding.h"

#include "core/show.h"
#include "kernels/embedding.h"

namespace dl {

std::vector<int> EmbeddingLayer::build(const std::vector<int>& input_shape) {
  if (options_.input_dim <= 0) fail(label(), ": inputDim must be a positive whole number; got ", options_.input_dim);
  if (options_.output_dim <= 0) fail(label(), ": outputDim must be a positive whole number; got ", options_.output_dim);
  if (input_shape.empty())
    fail(label(), " expects ids of shape (None, steps); got ", shape_text(input_shape),
         ". Give the input a shape such as [10] for 10 ids per sample.");
  if (options_.mask_zero && input_shape.size() != 1)
    fail(label(), ": maskZero needs ids of shape (None, steps), a mask per step; got ", shape_text(input_shape));
  if (options_.input_length > 0 && input_shape.back() != options_.input_length)
    fail(label(), ": inputLength is ", options_.input_length, " but the input has ", input_shape.back(),
         " ids per sample (shape ", shape_text(input_shape), ")");
  const std::uint64_t values = static_cast<std::uint64_t>(options_.input_dim) * options_.output_dim;
  if (values > kMaxTensorValues)
    fail(label(), ": a table of ", options_.input_dim, " x ", options_.output_dim, " would need ",
         static_cast<double>(values) * 4 / (1 << 20), " MiB; the limit is ", (kMaxTensorValues * 4) >> 20,
         " MiB per tensor");
  table_ = Tensor({options_.input_dim, options_.output_dim});
  table_grad_ = Tensor({options_.input_dim, options_.output_dim});
  initialize(table_, options_.initializer, options_.input_dim, options_.output_dim, *rng);
  std::vector<int> out = input_shape;
  out.push_back(options_.output_dim);
  return out;
}

void EmbeddingLayer::forward(const Tensor& x, Tensor& y, bool) {
  const std::ptrdiff_t bad = embedding_first_bad_id(x.data(), x.size(), options_.input_dim);
  if (bad >= 0) {
    const std::size_t per_row = x.size() / static_cast<std::size_t>(x.rows());
    // The row within this batch: fit shuffles, so the sample's place in the data is not known here.
    fail(label(), ": the id ", show(x[bad]), " at step ", bad % per_row, " of row ",
         first_row + static_cast<int>(bad / per_row), " of the batch is not a whole number in [0, ", options_.input_dim,
         ") (inputDim ", options_.input_dim, ")");
  }
  embedding_forward(x.data(), table_.data(), y.data(), x.size(), options_.output_dim);
}

void EmbeddingLayer::backward(const Tensor& x, const Tensor&, Tensor& dy, Tensor* dx) {
  embedding_backward(x.data(), dy.data(), table_grad_.data(), x.size(), options_.input_dim, options_.output_dim,
                     accumulate_gradients);
  if (dx) dx->values().assign(dx->size(), 0.0f);
}

std::vector<Parameter> EmbeddingLayer::parameters() {
  return {{"embeddings", &table_, &table_grad_, options_.regularizer, true, options_.constraint}};
}

void EmbeddingLayer::make_mask(const Tensor& x, Tensor& mask) const {
  mask.resize({x.rows(), x.cols()});
  for (std::size_t i = 0; i < x.size(); ++i) mask[i] = x[i] != 0.0f ? 1.0f : 0.0f;
}

}  // namespace dl
