// UpSampling1D and UpSampling2D: shape checks and the glue to the upsampling kernels.
#include "layers/upsampling.h"

#include "core/error.h"
#include "core/show.h"
#include "kernels/upsampling.h"

namespace dl {

std::vector<int> UpSamplingLayer::build(const std::vector<int>& input_shape) {
  if (input_shape.size() != static_cast<std::size_t>(axes_) + 1)
    fail(label(), " expects ",
         axes_ == 1 ? "sequences of shape (None, steps, channels)" : "images of shape (None, height, width, channels)",
         "; got ", shape_text(input_shape));
  if (sh_ <= 0 || sw_ <= 0) fail(label(), ": size must be positive; got ", show(axes_ == 1 ? sw_ : sh_));
  h_ = axes_ == 1 ? 1 : input_shape[0];
  w_ = input_shape[axes_ - 1];
  c_ = input_shape.back();
  const std::vector<int> out = axes_ == 1 ? std::vector<int>{w_ * sw_, c_} : std::vector<int>{h_ * sh_, w_ * sw_, c_};
  double values = 1;
  for (int d : out) values *= d;
  if (values > static_cast<double>(kMaxTensorValues))
    fail(label(), ": an output of ", shape_text(out), " would need ", values * 4 / (1 << 20),
         " MiB per sample; the limit is ", (kMaxTensorValues * 4) >> 20, " MiB per tensor");
  return out;
}

void UpSamplingLayer::forward(const Tensor& x, Tensor& y, bool) {
  upsample_nearest_forward(x.data(), y.data(), x.rows(), h_, w_, c_, sh_, sw_);
}

void UpSamplingLayer::backward(const Tensor&, const Tensor&, Tensor& dy, Tensor* dx) {
  if (dx) upsample_nearest_backward(dy.data(), dx->data(), dy.rows(), h_, w_, c_, sh_, sw_);
}

}  // namespace dl
