// BatchNormalization over the last axis (the channels), as Keras: in training each
// channel is normalized by the batch's mean and variance and the moving statistics are
// updated (moving = momentum * moving + (1 - momentum) * batch); in inference the moving
// statistics are used. gamma and beta are trained; the moving mean and variance are not.
#pragma once

#include <cmath>
#include <vector>

#include "kernels/batch_normalization.h"
#include "layers/layer.h"

namespace dl {

class BatchNormalizationLayer : public Layer {
 public:
  BatchNormalizationLayer(float momentum, float epsilon, bool center, bool scale);
  std::string type() const override { return "BatchNormalization"; }
  std::vector<int> build(const std::vector<int>& input_shape) override;
  void forward(const Tensor& x, Tensor& y, bool training) override;
  void backward(const Tensor& x, const Tensor& y, Tensor& dy, Tensor* dx) override;
  std::vector<Parameter> parameters() override;
  bool uses_batch_statistics() const override { return true; }

 private:
  float momentum_, epsilon_;
  bool center_, scale_;
  int c_ = 0;
  Tensor gamma_, beta_, gamma_grad_, beta_grad_, moving_mean_, moving_variance_, unused_grad_mean_, unused_grad_var_;
  // What backward needs, per application (Layer::call): the statistics the last forward
  // normalized with, and whether it trained.
  struct CallState {
    std::vector<float> mean, inv_std;
    bool training = false;
  };
  std::vector<CallState> calls_;
};

}  // namespace dl
