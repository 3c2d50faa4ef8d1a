// Cropping1D, Cropping2D, ZeroPadding1D: shape checks and the glue to the inset kernels.
#include "layers/cropping.h"

#include "core/error.h"
#include "core/show.h"

namespace dl {

MarginLayer::MarginLayer(Kind kind, std::array<int, 4> margins) : kind_(kind), margins_(margins) {
  if (kind != Kind::cropping2d) margins_[0] = margins_[1] = 0;
}

std::string MarginLayer::type() const {
  switch (kind_) {
    case Kind::cropping1d: return "Cropping1D";
    case Kind::cropping2d: return "Cropping2D";
    case Kind::zero_padding1d: return "ZeroPadding1D";
  }
  return "?";
}

std::vector<int> MarginLayer::build(const std::vector<int>& input_shape) {
  const bool image = kind_ == Kind::cropping2d;
  if (input_shape.size() != (image ? 3u : 2u))
    fail(label(), " expects ",
         image ? "images of shape (None, height, width, channels)" : "sequences of shape (None, steps, channels)",
         "; got ", shape_text(input_shape));
  for (int m : margins_)
    if (m < 0) fail(label(), ": ", kind_ == Kind::zero_padding1d ? "padding" : "cropping", " must not be negative");
  const auto [top, bottom, left, right] = margins_;
  const int h = image ? input_shape[0] : 1, w = input_shape[image ? 1 : 0], c = input_shape.back();
  if (kind_ == Kind::zero_padding1d) {
    g_ = {0, h, w, c, h, w + left + right, 0, left};
    if (static_cast<double>(g_.outer_w) * c > static_cast<double>(kMaxTensorValues))
      fail(label(), ": an output of ", shape_text({g_.outer_w, c}), " is past the limit of ",
           (kMaxTensorValues * 4) >> 20, " MiB per tensor");
    return {g_.outer_w, c};
  }
  if (top + bottom >= h || left + right >= w) {
    if (image)
      fail(label(), ": cropping ", show(top), " + ", show(bottom), " rows and ", show(left), " + ", show(right),
           " columns from images of ", h, " x ", w, " leaves nothing; each pair must sum to less than its side");
    fail(label(), ": cropping ", show(left), " + ", show(right), " steps from sequences of ", w,
         " leaves nothing; the two must sum to less than ", w);
  }
  g_ = {0, h - top - bottom, w - left - right, c, h, w, top, left};
  return image ? std::vector<int>{g_.h, g_.w, c} : std::vector<int>{g_.w, c};
}

void MarginLayer::forward(const Tensor& x, Tensor& y, bool) {
  if (kind_ == Kind::zero_padding1d)
    embed_inset(x.data(), y.data(), inset(x.rows()));
  else
    extract_inset(x.data(), y.data(), inset(x.rows()));
}

void MarginLayer::backward(const Tensor&, const Tensor&, Tensor& dy, Tensor* dx) {
  if (!dx) return;
  if (kind_ == Kind::zero_padding1d)
    extract_inset(dy.data(), dx->data(), inset(dy.rows()));
  else
    embed_inset(dy.data(), dx->data(), inset(dy.rows()));
}

}  // namespace dl
