// Layers about a sequence's time steps as a whole: Masking marks padded steps, RepeatVector
// makes a sequence of one vector, TimeDistributed applies a layer to every step.
#pragma once

#include <memory>

#include "layers/layer.h"

namespace dl {

// x: (N, T, F...) -> y = x with padded steps zeroed, and a mask (N, T): a step is padding
// when every one of its values equals mask_value (Keras' Masking).
class MaskingLayer : public Layer {
 public:
  explicit MaskingLayer(float mask_value) : mask_value_(mask_value) {}
  std::string type() const override { return "Masking"; }
  std::vector<int> build(const std::vector<int>& input_shape) override;
  void forward(const Tensor& x, Tensor& y, bool training) override;
  void backward(const Tensor& x, const Tensor& y, Tensor& dy, Tensor* dx) override;
  MaskFlow mask_flow() const override { return MaskFlow::make; }
  void make_mask(const Tensor& x, Tensor& mask) const override;

 private:
  float mask_value_;
};

// x: (N, F) -> y: (N, n, F), each row repeated n times; dx sums dy over the n steps.
class RepeatVectorLayer : public Layer {
 public:
  explicit RepeatVectorLayer(int n);
  std::string type() const override { return "RepeatVector"; }
  std::vector<int> build(const std::vector<int>& input_shape) override;
  void forward(const Tensor& x, Tensor& y, bool training) override;
  void backward(const Tensor& x, const Tensor& y, Tensor& dy, Tensor* dx) override;

 private:
  int n_;
};

// x: (N, T, rest...) -> y: (N, T, out...): the wrapped layer applied to the N * T steps as
// rows of its own, with one set of weights (Keras' TimeDistributed). The steps' mask passes on.
class TimeDistributedLayer : public Layer {
 public:
  explicit TimeDistributedLayer(std::unique_ptr<Layer> inner);
  std::string type() const override { return "TimeDistributed"; }
  std::vector<int> build(const std::vector<int>& input_shape) override;
  void forward(const Tensor& x, Tensor& y, bool training) override;
  void backward(const Tensor& x, const Tensor& y, Tensor& dy, Tensor* dx) override;
  std::vector<Parameter> parameters() override { return inner_->parameters(); }
  double multiply_adds() const override;
  bool uses_batch_statistics() const override { return inner_->uses_batch_statistics(); }
  ActivationKind output_activation() const override { return inner_->output_activation(); }
  MaskFlow mask_flow() const override { return MaskFlow::keep; }
  Layer& inner() { return *inner_; }

 private:
  // The wrapped layer sees this layer's settings for the call at hand.
  void pass_settings();
  std::unique_ptr<Layer> inner_;
  int steps_ = 0;
  // Per application: the steps as rows, and the inner layer's output.
  std::vector<Tensor> rows_x_, rows_y_;
  Tensor rows_dy_, rows_dx_;
};

}  // namespace dl
