// LayerNormalization: parameters and the glue to the layer_norm_* kernels.
#include "layers/layer_normalization.h"

#include "core/show.h"
#include "kernels/layer_normalization.h"

namespace dl {

std::vector<int> LayerNormalizationLayer::build(const std::vector<int>& input_shape) {
  if (input_shape.empty())
    fail(label(), " expects inputs with at least one feature axis, (None, features); got ", shape_text(input_shape));
  const int last = static_cast<int>(input_shape.size());
  if (options_.axis != -1 && options_.axis != last)
    fail(label(), ": axis ", options_.axis, " is not supported; only the last axis (-1, or ", last,
         " for an input of shape ", shape_text(input_shape), ") is");
  if (!(options_.epsilon > 0.0f)) fail(label(), ": epsilon must be positive; got ", show(options_.epsilon));
  c_ = input_shape.back();
  gamma_ = Tensor({c_}, 1.0f);
  beta_ = Tensor({c_}, 0.0f);
  gamma_grad_ = Tensor({c_}, 0.0f);
  beta_grad_ = Tensor({c_}, 0.0f);
  if (options_.scale) initialize(gamma_, options_.gamma_initializer, c_, c_, *rng);
  if (options_.center) initialize(beta_, options_.beta_initializer, c_, c_, *rng);
  return input_shape;
}

void LayerNormalizationLayer::forward(const Tensor& x, Tensor& y, bool) {
  if (static_cast<int>(mean_.size()) <= call) {
    mean_.resize(call + 1);
    rstd_.resize(call + 1);
  }
  const int m = static_cast<int>(x.size() / c_);
  mean_[call].resize(m);
  rstd_[call].resize(m);
  layer_norm_forward(x.data(), options_.scale ? gamma_.data() : nullptr, options_.center ? beta_.data() : nullptr,
                     y.data(), mean_[call].data(), rstd_[call].data(), m, c_, options_.epsilon);
}

void LayerNormalizationLayer::backward(const Tensor& x, const Tensor&, Tensor& dy, Tensor* dx) {
  const int m = static_cast<int>(x.size() / c_);
  layer_norm_backward(x.data(), dy.data(), options_.scale ? gamma_.data() : nullptr, mean_.at(call).data(),
                      rstd_.at(call).data(), dx ? dx->data() : nullptr, gamma_grad_.data(), beta_grad_.data(), m, c_,
                      accumulate_gradients);
}

std::vector<Parameter> LayerNormalizationLayer::parameters() {
  std::vector<Parameter> p;
  if (options_.scale) p.push_back({"gamma", &gamma_, &gamma_grad_, options_.gamma_regularizer});
  if (options_.center) p.push_back({"beta", &beta_, &beta_grad_, options_.beta_regularizer});
  return p;
}

}  // namespace dl
