// Global pooling: shape checks, the input's mask, and the glue to the kernels of
// kernels/pooling1d.h.
#include "layers/global_pooling.h"

#include "core/error.h"
#include "core/show.h"
#include "kernels/pooling1d.h"

namespace dl {

std::string GlobalPoolingLayer::type() const {
  return std::string(max_ ? "GlobalMaxPooling" : "GlobalAveragePooling") + (axes_ == 1 ? "1D" : "2D");
}

std::vector<int> GlobalPoolingLayer::build(const std::vector<int>& input_shape) {
  if (input_shape.size() != static_cast<std::size_t>(axes_) + 1)
    fail(label(), " expects ",
         axes_ == 1 ? "sequences of shape (None, steps, channels)" : "images of shape (None, height, width, channels)",
         "; got ", shape_text(input_shape));
  steps_ = axes_ == 1 ? input_shape[0] : input_shape[0] * input_shape[1];
  channels_ = input_shape.back();
  if (!keepdims_) return {channels_};
  return axes_ == 1 ? std::vector<int>{1, channels_} : std::vector<int>{1, 1, channels_};
}

const float* GlobalPoolingLayer::step_mask(int rows) const {
  const Tensor* m = axes_ == 1 && !max_ ? mask() : nullptr;
  if (!m) return nullptr;
  if (m->rows() != rows || static_cast<int>(m->size()) != rows * steps_)
    fail(label(), ": the mask has shape ", shape_text(m->shape(), false), "; expected (", rows, ", ", steps_, ")");
  return m->data();
}

void GlobalPoolingLayer::forward(const Tensor& x, Tensor& y, bool) {
  const float* m = step_mask(x.rows());
  if (max_)
    global_max_pool1d_forward(x.data(), m, y.data(), x.rows(), steps_, channels_);
  else
    global_average_pool1d_forward(x.data(), m, y.data(), x.rows(), steps_, channels_);
}

void GlobalPoolingLayer::backward(const Tensor& x, const Tensor& y, Tensor& dy, Tensor* dx) {
  if (!dx) return;
  const float* m = step_mask(x.rows());
  if (max_)
    global_max_pool1d_backward(x.data(), y.data(), dy.data(), m, dx->data(), x.rows(), steps_, channels_);
  else
    global_average_pool1d_backward(dy.data(), m, dx->data(), x.rows(), steps_, channels_);
}

}  // namespace dl
