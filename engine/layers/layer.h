// The Layer interface every layer family implements: build from an input shape, forward,
// backward, and its parameters with their gradients. Shapes here exclude the batch
// dimension; tensors passed to forward and backward carry it first.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/rng.h"
#include "core/tensor.h"

namespace dl {

enum class ActivationKind;

// L1 and L2 penalties on a parameter: loss += l1 * sum|w| + l2 * sum w^2, as Keras.
struct Regularizer {
  float l1 = 0.0f;
  float l2 = 0.0f;
  bool active() const { return l1 != 0.0f || l2 != 0.0f; }
};

// Keras' weight constraints, applied to a weight after each optimizer update (as Keras
// does; TensorFlow.js 4.22 keeps them in its files but does not apply them in fit).
// max_norm, unit_norm and min_max_norm rescale each slice of the weight over `axes`
// (Keras' axis, 0 by default: a Dense kernel's column per unit) to a norm of at most
// max_value, exactly 1, or between min_value and max_value (moved a share `rate` of the
// way); non_neg sets negative values to 0.
enum class ConstraintKind { none, max_norm, unit_norm, non_neg, min_max_norm };
struct Constraint {
  ConstraintKind kind = ConstraintKind::none;
  double max_value = 2.0, min_value = 0.0, rate = 1.0;
  std::vector<int> axes = {0};
  bool active() const { return kind != ConstraintKind::none; }
};
// Applies c to w; fails (naming the weight's shape) where an axis is out of its range.
void apply_constraint(const Constraint& c, Tensor& w);

// A trainable parameter and its gradient, as the optimizer and the bindings see it.
struct Parameter {
  std::string name;  // "kernel", "bias"
  Tensor* value;
  Tensor* grad;
  Regularizer regularizer;
  bool trainable = true;  // false for statistics such as batch normalization's moving mean
  Constraint constraint = {};
};

// What a layer does with the mask of its input (Keras' masking of padded time steps):
// drop it (the default), keep it for its output (the output has the same steps: Dense per
// step, Dropout, recurrent layers returning sequences), or make a new one from its input
// (Embedding with maskZero, Masking).
enum class MaskFlow { drop, keep, make };

class Layer {
 public:
  virtual ~Layer() = default;

  // Keras' class name: "Dense", "Dropout", ...
  virtual std::string type() const = 0;

  // Checks that the layer can take inputs of this shape, creates its parameters and
  // returns its output shape. Throws EngineError naming the layer otherwise.
  virtual std::vector<int> build(const std::vector<int>& input_shape) = 0;

  // x: (N, input_shape...) -> y: (N, output_shape...); the caller sizes y. With
  // `training`, dropout drops and batch normalization uses the batch's statistics.
  virtual void forward(const Tensor& x, Tensor& y, bool training) = 0;

  // x and y: the input and output of the last forward; dy: the loss gradient with
  // respect to y, which the layer may overwrite. Writes (not adds) the parameter
  // gradients and, unless dx is null, the gradient with respect to x (sized like x).
  virtual void backward(const Tensor& x, const Tensor& y, Tensor& dy, Tensor* dx) = 0;

  // Layers of several inputs (the merge layers) override these three and max_inputs;
  // for the others they check for one input and call the methods above. dxs[i] may be
  // null: no gradient is wanted for that input.
  virtual int max_inputs() const { return 1; }
  virtual std::vector<int> build_many(const std::vector<std::vector<int>>& input_shapes);
  virtual void forward_many(const std::vector<const Tensor*>& xs, Tensor& y, bool training) {
    forward(*xs[0], y, training);
  }
  virtual void backward_many(const std::vector<const Tensor*>& xs, const Tensor& y, Tensor& dy,
                             const std::vector<Tensor*>& dxs) {
    backward(*xs[0], y, dy, dxs[0]);
  }

  virtual std::vector<Parameter> parameters() { return {}; }

  // Masks: a mask is a (N, T) tensor of 1 for a real step and 0 for padding, T the first
  // axis after the batch. Before each forward and backward the model points `masks` at the
  // masks of the layer's inputs (one per input, null where an input has none; empty when
  // no input has one). A layer that reads them (recurrent layers keep their state over
  // padded steps; pooling and attention leave them out) says so in its comments.
  virtual MaskFlow mask_flow() const { return MaskFlow::drop; }
  // For MaskFlow::make: the output's mask, (N, T), from the input x of the last forward.
  virtual void make_mask(const Tensor& x, Tensor& mask) const { (void)x, (void)mask; }
  std::vector<const Tensor*> masks;
  const Tensor* mask() const { return masks.empty() ? nullptr : masks[0]; }

  // Layers of several outputs (a recurrent layer's returnState, attention's scores) give
  // one tensor: the outputs' values flat and side by side per sample, output_shape the
  // total ({sum of sizes}), and here each output's shape; empty for one output.
  virtual std::vector<std::vector<int>> output_parts() const { return {}; }

  // Multiply-adds of the forward pass for one sample (products only: the dense and
  // convolution layers), for the benchmark's FLOP counts.
  virtual double multiply_adds() const { return 0; }

  // True for layers whose training output depends on the whole batch (batch
  // normalization): the model then never splits a batch into slices.
  virtual bool uses_batch_statistics() const { return false; }

  // For the fused, numerically stable softmax/sigmoid + cross-entropy: a layer that ends
  // in an activation says which; with emit_logits set, its forward stops before the
  // activation (y holds the logits) and its backward takes dy with respect to them.
  virtual ActivationKind output_activation() const;
  bool emit_logits = false;
  // When set, backward adds to the parameter gradients instead of overwriting them: the
  // model sums the gradients of the slices of a batch, and of each application of a
  // shared layer, this way.
  bool accumulate_gradients = false;

  std::size_t parameter_count() {
    std::size_t n = 0;
    for (const Parameter& p : parameters()) n += p.value->size();
    return n;
  }

  std::string name;
  // False: a frozen layer (Keras' and TensorFlow.js' trainable=False): no optimizer changes
  // its parameters, while gradients still flow through it to the layers before.
  bool trainable = true;
  std::vector<int> input_shape;   // set by build
  std::vector<int> output_shape;  // set by build
  Rng* rng = nullptr;             // the model's generator, for initialization
  // Set by the model before a training forward: dropout draws the mask of row r of x from
  // (noise_seed, first_row + r) alone, so that a batch split across engines, or into
  // slices, drops the same values as the whole batch in one piece.
  std::uint64_t noise_seed = 0;
  int first_row = 0;
  // Which application of the layer the next forward or backward is: a layer applied to
  // several tensors (shared weights) keeps what its backward needs once per application.
  int call = 0;

  // "dense_1 (Dense)" for messages.
  std::string label() const { return name + " (" + type() + ")"; }
};

}  // namespace dl
