// Tensor operations as TensorFlow.js' core API has them (add, matMul, sum, softmax,
// transpose, ...), each a pair of plain functions over raw arrays, forward and backward,
// with its shape rule. They run on the values of tensors of any shape; the tape
// (ops/tape.h) records them and replays their backward functions in reverse to take
// gradients of any computation. Every op is written once, as a template over the value
// type: float where the engine runs it, double where the gradient checks run it.
//
// An op reads its inputs as In<T> (values and shape, row-major) and writes its output,
// whose shape its rule gave: every value of it, since the output's buffer may hold an
// earlier tensor's values (ops/tape.cpp reuses them). Backward gets the inputs, the output, the output's gradient
// dy, and writes (overwrites) the gradient of each input asked for (dxs[k] null: not
// asked); an input broadcast against others gets the sum over the positions that read it.
#pragma once

#include <cstddef>
#include <string>
#include <type_traits>
#include <vector>

namespace dl::ops {

template <typename T>
struct In {
  const T* data;
  std::vector<int> shape;
};

// An op's settings; each op reads the fields its comment in op_table.cpp names.
struct Attrs {
  std::vector<int> axes;  // reductions, transpose's permutation, concat/split/softmax's axis
  bool keep_dims = false;
  bool transpose_a = false, transpose_b = false;
  std::vector<int> begin, size;  // slice
  std::vector<int> shape;        // reshape's target (-1 for one unknown dimension)
  std::vector<int> reps;         // tile
  std::vector<int> paddings;     // pad: before and after for each axis, in order
  double alpha = 0;              // leakyRelu's slope, elu's scale, pad's constant
  double low = 0, high = 0;      // clipByValue's bounds
  bool integer = false;          // div of whole numbers floors, as TensorFlow.js does for int32
  int depth = 0;                 // oneHot's number of classes
  std::string dtype;             // cast's target: "float32", "int32" or "bool"
  std::vector<int> strides;      // conv2d, pooling: (height, width), or one for both
  std::vector<int> window;       // pooling: the window's (height, width), or one for both
  std::string padding;           // conv2d, pooling: "valid" (the default) or "same"
  int count = 0;                 // multinomial: samples per row
  double seed = 0;               // multinomial: the generator's seed
  bool normalized = false;       // multinomial: the input holds probabilities, not logits
};

using Shape = std::vector<int>;
using Shapes = std::vector<Shape>;

template <typename T>
using Forward = void (*)(const std::vector<In<T>>& xs, const Attrs& attrs, T* y, const Shape& y_shape);
template <typename T>
using Backward = void (*)(const std::vector<In<T>>& xs, const T* y, const T* dy, const Attrs& attrs,
                          const Shape& y_shape, const std::vector<T*>& dxs);

struct OpDef {
  std::string name;
  int arity = 1;               // inputs; -1: one or more (concat, stack, addN)
  bool differentiable = true;  // false: comparisons, argMax, oneHot... (no gradient flows)
  // The output's shape for the inputs' shapes, or an EngineError naming the op, the
  // shapes and what was expected.
  Shape (*shape)(const Shapes& in, const Attrs& attrs) = nullptr;
  Forward<float> forward_float = nullptr;
  Forward<double> forward_double = nullptr;
  Backward<float> backward_float = nullptr;
  Backward<double> backward_double = nullptr;

  template <typename T>
  Forward<T> forward() const {
    if constexpr (std::is_same_v<T, float>)
      return forward_float;
    else
      return forward_double;
  }
  template <typename T>
  Backward<T> backward() const {
    if constexpr (std::is_same_v<T, float>)
      return backward_float;
    else
      return backward_double;
  }
};

// An op of the table from a struct of static members: shape, forward<T>, backward<T> and
// differentiable (op_table.cpp).
template <class Impl>
OpDef make_op(const char* name, int arity) {
  OpDef op;
  op.name = name;
  op.arity = arity;
  op.differentiable = Impl::differentiable;
  op.shape = &Impl::shape;
  op.forward_float = &Impl::template forward<float>;
  op.backward_float = &Impl::template backward<float>;
#ifndef DL_OPS_FLOAT_ONLY
  // The WebAssembly builds leave these out (DL_OPS_FLOAT_ONLY): only the native gradient
  // checks run an op in double.
  op.forward_double = &Impl::template forward<double>;
  op.backward_double = &Impl::template backward<double>;
#endif
  return op;
}

// The op of this name, or an EngineError listing the names there are.
const OpDef& find_op(const std::string& name);
// Every op's name, in the table's order.
std::vector<std::string> op_names();

// The output shape of op `name` for these input shapes, checked (the input count too).
Shape op_shape(const OpDef& op, const Shapes& in, const Attrs& attrs);

}  // namespace dl::ops
