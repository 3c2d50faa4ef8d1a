// The merge layers: several tensors into one. Add, Subtract, Multiply, Average, Maximum
// and Minimum work element by element, broadcasting as Keras' merge layers do (shapes
// aligned from the right, a dimension of 1 stretching to the other's size); Concatenate
// joins along one axis; Dot takes dot products along an axis of each of two tensors.
// Axes count the batch as axis 0, as Keras and TensorFlow.js count them.
#pragma once

#include <map>

#include "kernels/merge.h"
#include "layers/layer.h"

namespace dl {

// xs: K tensors that broadcast to one shape -> y of that shape.
class ElementwiseMergeLayer : public Layer {
 public:
  explicit ElementwiseMergeLayer(MergeOp op) : op_(op) {}
  std::string type() const override;
  int max_inputs() const override { return op_ == MergeOp::subtract ? 2 : 1 << 16; }
  std::vector<int> build(const std::vector<int>& input_shape) override { return build_many({input_shape}); }
  std::vector<int> build_many(const std::vector<std::vector<int>>& input_shapes) override;
  void forward(const Tensor& x, Tensor& y, bool training) override { forward_many({&x}, y, training); }
  void backward(const Tensor& x, const Tensor& y, Tensor& dy, Tensor* dx) override { backward_many({&x}, y, dy, {dx}); }
  void forward_many(const std::vector<const Tensor*>& xs, Tensor& y, bool training) override;
  void backward_many(const std::vector<const Tensor*>& xs, const Tensor& y, Tensor& dy,
                     const std::vector<Tensor*>& dxs) override;

 private:
  // Per input, for a batch of `rows`: the index each output value reads (empty: none needed).
  const std::vector<std::vector<std::size_t>>& broadcast_index(int rows);
  MergeOp op_;
  std::vector<std::vector<int>> shapes_;  // each input's shape padded with 1s to the output's rank
  std::map<int, std::vector<std::vector<std::size_t>>> index_;
};

// xs[k]: (N, ..., a_k, ...) -> y: (N, ..., sum a_k, ...), along `axis`.
class ConcatenateLayer : public Layer {
 public:
  explicit ConcatenateLayer(int axis) : axis_(axis) {}
  std::string type() const override { return "Concatenate"; }
  int max_inputs() const override { return 1 << 16; }
  std::vector<int> build(const std::vector<int>& input_shape) override { return build_many({input_shape}); }
  std::vector<int> build_many(const std::vector<std::vector<int>>& input_shapes) override;
  void forward(const Tensor& x, Tensor& y, bool training) override { forward_many({&x}, y, training); }
  void backward(const Tensor& x, const Tensor& y, Tensor& dy, Tensor* dx) override { backward_many({&x}, y, dy, {dx}); }
  void forward_many(const std::vector<const Tensor*>& xs, Tensor& y, bool training) override;
  void backward_many(const std::vector<const Tensor*>& xs, const Tensor& y, Tensor& dy,
                     const std::vector<Tensor*>& dxs) override;

 private:
  int axis_;                           // as given
  std::vector<int> widths_;            // each input's size along the axis
  std::size_t outer_ = 1, inner_ = 1;  // per sample: the sizes before and after the axis
};

// x: (N, a...), w: (N, b...) -> y: (N, a without axes[0]..., b without axes[1]...), or
// (N, 1) when nothing is left; for inputs of rank 2 or 3 (the batch included).
class DotLayer : public Layer {
 public:
  DotLayer(std::vector<int> axes, bool normalize) : axes_(std::move(axes)), normalize_(normalize) {}
  std::string type() const override { return "Dot"; }
  int max_inputs() const override { return 2; }
  std::vector<int> build(const std::vector<int>& input_shape) override { return build_many({input_shape}); }
  std::vector<int> build_many(const std::vector<std::vector<int>>& input_shapes) override;
  void forward(const Tensor& x, Tensor& y, bool training) override { forward_many({&x}, y, training); }
  void backward(const Tensor& x, const Tensor& y, Tensor& dy, Tensor* dx) override { backward_many({&x}, y, dy, {dx}); }
  void forward_many(const std::vector<const Tensor*>& xs, Tensor& y, bool training) override;
  void backward_many(const std::vector<const Tensor*>& xs, const Tensor& y, Tensor& dy,
                     const std::vector<Tensor*>& dxs) override;

 private:
  std::vector<int> axes_;
  bool normalize_;
  DotOperand a_, b_;
  std::vector<float> xn_, wn_, dxn_, dwn_;  // normalized inputs and their gradients
};

}  // namespace dl
