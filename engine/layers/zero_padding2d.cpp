// ZeroPadding2D: forward copies each image into the middle of a zeroed one; backward
// takes the middle of the gradient (the zeros depend on nothing).
#include "layers/zero_padding2d.h"

#include <algorithm>

#include "core/error.h"

namespace dl {

std::vector<int> ZeroPadding2DLayer::build(const std::vector<int>& input_shape) {
  if (input_shape.size() != 3)
    fail(label(), " expects images of shape (None, height, width, channels); got ", shape_text(input_shape));
  const auto [top, bottom, left, right] = margins_;
  return {input_shape[0] + top + bottom, input_shape[1] + left + right, input_shape[2]};
}

namespace {

// Calls copy(inner offset, outer offset, length) for every image row: the input's row
// and where it sits in the padded output.
template <typename Copy>
void for_each_row(const std::vector<int>& in, const std::vector<int>& out, const Margins& m, std::size_t n, Copy copy) {
  const std::size_t row = static_cast<std::size_t>(in[1]) * in[2];
  const std::size_t out_row = static_cast<std::size_t>(out[1]) * out[2];
  for (std::size_t s = 0; s < n; ++s)
    for (int i = 0; i < in[0]; ++i)
      copy((s * in[0] + i) * row, (s * out[0] + i + m[0]) * out_row + static_cast<std::size_t>(m[2]) * out[2], row);
}

}  // namespace

void ZeroPadding2DLayer::forward(const Tensor& x, Tensor& y, bool) {
  float* out = y.data();
  const float* in = x.data();
  std::fill(out, out + y.size(), 0.0f);
  for_each_row(input_shape, output_shape, margins_, x.rows(),
               [&](std::size_t from, std::size_t to, std::size_t n) { std::copy(in + from, in + from + n, out + to); });
}

void ZeroPadding2DLayer::backward(const Tensor&, const Tensor&, Tensor& dy, Tensor* dx) {
  if (!dx) return;
  const float* grad = dy.data();
  float* out = dx->data();
  for_each_row(input_shape, output_shape, margins_, dy.rows(), [&](std::size_t from, std::size_t to, std::size_t n) {
    std::copy(grad + to, grad + to + n, out + from);
  });
}

}  // namespace dl
