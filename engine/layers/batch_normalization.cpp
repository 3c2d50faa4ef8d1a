// BatchNormalization: statistics, moving averages and the train/inference switch.
#include "layers/batch_normalization.h"

#include "core/error.h"
#include "core/show.h"

namespace dl {

BatchNormalizationLayer::BatchNormalizationLayer(float momentum, float epsilon, bool center, bool scale)
    : momentum_(momentum), epsilon_(epsilon), center_(center), scale_(scale) {
  if (!(momentum >= 0.0f && momentum < 1.0f))
    fail("BatchNormalization: momentum must be in [0, 1); got ", show(momentum));
  if (!(epsilon > 0.0f && std::isfinite(epsilon))) fail("BatchNormalization: epsilon must be > 0; got ", show(epsilon));
}

std::vector<int> BatchNormalizationLayer::build(const std::vector<int>& input_shape) {
  if (input_shape.empty()) fail(label(), " needs at least one feature axis");
  c_ = input_shape.back();
  gamma_ = Tensor({c_}, 1.0f);
  beta_ = Tensor({c_}, 0.0f);
  gamma_grad_ = Tensor({c_}, 0.0f);
  beta_grad_ = Tensor({c_}, 0.0f);
  moving_mean_ = Tensor({c_}, 0.0f);
  moving_variance_ = Tensor({c_}, 1.0f);
  unused_grad_mean_ = Tensor({c_}, 0.0f);
  unused_grad_var_ = Tensor({c_}, 0.0f);
  return input_shape;
}

void BatchNormalizationLayer::forward(const Tensor& x, Tensor& y, bool training) {
  const int m = static_cast<int>(x.size() / c_);
  if (static_cast<int>(calls_.size()) <= call) calls_.resize(call + 1);
  CallState& state = calls_[call];
  std::vector<float>& mean_ = state.mean;
  std::vector<float>& inv_std_ = state.inv_std;
  state.training = training;
  mean_.resize(c_);
  inv_std_.resize(c_);
  if (training) {
    // y doubles as the x_hat buffer the kernel fills on the way.
    batch_norm_forward(x.data(), gamma_.data(), beta_.data(), y.data(), y.data(), mean_.data(), inv_std_.data(), m, c_,
                       epsilon_);
    for (int j = 0; j < c_; ++j) {
      const float variance = 1.0f / (inv_std_[j] * inv_std_[j]) - epsilon_;
      moving_mean_[j] = momentum_ * moving_mean_[j] + (1.0f - momentum_) * mean_[j];
      moving_variance_[j] = momentum_ * moving_variance_[j] + (1.0f - momentum_) * variance;
    }
    return;
  }
  for (int j = 0; j < c_; ++j) {
    mean_[j] = moving_mean_[j];
    inv_std_[j] = 1.0f / std::sqrt(moving_variance_[j] + epsilon_);
  }
  for (int i = 0; i < m; ++i)
    for (int j = 0; j < c_; ++j) {
      const std::size_t k = static_cast<std::size_t>(i) * c_ + j;
      y[k] = gamma_[j] * (x[k] - mean_[j]) * inv_std_[j] + beta_[j];
    }
}

void BatchNormalizationLayer::backward(const Tensor& x, const Tensor&, Tensor& dy, Tensor* dx) {
  const int m = static_cast<int>(dy.size() / c_);
  const CallState& state = calls_.at(call);
  const std::vector<float>& mean_ = state.mean;
  const std::vector<float>& inv_std_ = state.inv_std;
  // A layer applied more than once adds each application's parameter gradients.
  std::vector<float> gamma_before, beta_before;
  if (accumulate_gradients) {
    gamma_before = gamma_grad_.values();
    beta_before = beta_grad_.values();
  }
  if (state.training) {
    batch_norm_backward(x.data(), dy.data(), gamma_.data(), mean_.data(), inv_std_.data(), dx ? dx->data() : nullptr,
                        gamma_grad_.data(), beta_grad_.data(), m, c_);
  } else {
    // Inference normalizes with constants, so the input gradient is a per-channel scale.
    if (dx)
      for (int i = 0; i < m; ++i)
        for (int j = 0; j < c_; ++j) {
          const std::size_t k = static_cast<std::size_t>(i) * c_ + j;
          (*dx)[k] = dy[k] * gamma_[j] * inv_std_[j];
        }
    gamma_grad_.values().assign(c_, 0.0f);
    beta_grad_.values().assign(c_, 0.0f);
  }
  if (accumulate_gradients)
    for (int j = 0; j < c_; ++j) {
      gamma_grad_[j] += gamma_before[j];
      beta_grad_[j] += beta_before[j];
    }
  if (!scale_) gamma_grad_.values().assign(c_, 0.0f);
  if (!center_) beta_grad_.values().assign(c_, 0.0f);
}

std::vector<Parameter> BatchNormalizationLayer::parameters() {
  std::vector<Parameter> p;
  if (scale_) p.push_back({"gamma", &gamma_, &gamma_grad_, {}});
  if (center_) p.push_back({"beta", &beta_, &beta_grad_, {}});
  p.push_back({"moving_mean", &moving_mean_, &unused_grad_mean_, {}, false});
  p.push_back({"moving_variance", &moving_variance_, &unused_grad_var_, {}, false});
  return p;
}

}  // namespace dl
