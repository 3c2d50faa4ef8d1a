// The table of ops by name, as TensorFlow.js names them, and the few ops small enough to
// be written here (oneHot, cast, addN). Each entry says how many inputs it takes; the
// comment beside a group says which Attrs fields its ops read.
#include <algorithm>
#include <cmath>
#include <map>
#include <sstream>

#include "core/error.h"
#include "core/show.h"
#include "ops/conv_ops.h"
#include "ops/elementwise.h"
#include "ops/matmul.h"
#include "ops/op.h"
#include "ops/random.h"
#include "ops/reduce.h"
#include "ops/shape_ops.h"

namespace dl::ops {
namespace {

// One-hot rows for whole-number indices: indices (any) -> y: (indices..., depth), 1 at
// each index and 0 elsewhere. An index outside 0 to depth - 1 is refused (TensorFlow.js
// would give a row of zeros, which hides a label set that does not fit). No gradient.
struct OneHotOp {
  static constexpr bool differentiable = false;
  static Shape shape(const Shapes& in, const Attrs& a) {
    if (a.depth < 1) fail("depth must be a whole number >= 1; got ", a.depth);
    Shape out = in[0];
    out.push_back(a.depth);
    return out;
  }
  template <typename T>
  static void forward(const std::vector<In<T>>& xs, const Attrs& a, T* y, const Shape& shape) {
    std::fill(y, y + count_of(shape), T(0));
    const std::size_t n = count_of(xs[0].shape);
    for (std::size_t i = 0; i < n; ++i) {
      const T k = xs[0].data[i];
      if (!(k >= 0 && k < static_cast<T>(a.depth) && k == std::floor(k)))
        fail("label ", show(static_cast<double>(k)), " at index ", i,
             " is outside the classes; expected a whole number from 0 to ", a.depth - 1);
      y[i * a.depth + static_cast<std::size_t>(k)] = T(1);
    }
  }
  template <typename T>
  static void backward(const std::vector<In<T>>&, const T*, const T*, const Attrs&, const Shape&,
                       const std::vector<T*>&) {}
};

// Values as another dtype: int32 truncates toward zero, bool is 1 for every value but 0.
// The gradient passes through unchanged, as TensorFlow.js passes it.
struct CastOp {
  static constexpr bool differentiable = true;
  static Shape shape(const Shapes& in, const Attrs& a) {
    if (a.dtype != "float32" && a.dtype != "int32" && a.dtype != "bool")
      fail("unknown dtype ", show(a.dtype), "; expected one of float32, int32, bool");
    return in[0];
  }
  template <typename T>
  static void forward(const std::vector<In<T>>& xs, const Attrs& a, T* y, const Shape& shape) {
    const std::size_t n = count_of(shape);
    for (std::size_t i = 0; i < n; ++i) {
      const T v = xs[0].data[i];
      y[i] = a.dtype == "int32" ? std::trunc(v) : a.dtype == "bool" ? T(v != 0) : v;
    }
  }
  template <typename T>
  static void backward(const std::vector<In<T>>&, const T*, const T* dy, const Attrs&, const Shape& shape,
                       const std::vector<T*>& dxs) {
    if (!dxs[0]) return;
    const std::size_t n = count_of(shape);
    std::copy(dy, dy + n, dxs[0]);
  }
};

// The sum of one or more tensors of one shape (TensorFlow.js' addN).
struct AddNOp {
  static constexpr bool differentiable = true;
  static Shape shape(const Shapes& in, const Attrs&) {
    for (std::size_t k = 1; k < in.size(); ++k)
      if (in[k] != in[0])
        fail("tensor ", k, " has shape ", json_list(in[k]), "; every tensor must have shape ", json_list(in[0]));
    return in[0];
  }
  template <typename T>
  static void forward(const std::vector<In<T>>& xs, const Attrs&, T* y, const Shape& shape) {
    const std::size_t n = count_of(shape);
    std::copy(xs[0].data, xs[0].data + n, y);
    for (std::size_t k = 1; k < xs.size(); ++k)
      for (std::size_t i = 0; i < n; ++i) y[i] += xs[k].data[i];
  }
  template <typename T>
  static void backward(const std::vector<In<T>>& xs, const T*, const T* dy, const Attrs&, const Shape& shape,
                       const std::vector<T*>& dxs) {
    for (std::size_t k = 0; k < xs.size(); ++k)
      if (dxs[k]) std::copy(dy, dy + count_of(shape), dxs[k]);
  }
};

std::vector<OpDef> build_table() {
  using U = Unary;
  using B = Binary;
  return {
      // Element-wise, one input.
      make_op<UnaryOp<U::neg>>("neg", 1),
      make_op<UnaryOp<U::abs>>("abs", 1),
      make_op<UnaryOp<U::exp>>("exp", 1),
      make_op<UnaryOp<U::log>>("log", 1),
      make_op<UnaryOp<U::sqrt>>("sqrt", 1),
      make_op<UnaryOp<U::square>>("square", 1),
      // Two inputs broadcast together (div: attrs.integer floors).
      make_op<BinaryOp<B::add>>("add", 2),
      make_op<BinaryOp<B::sub>>("sub", 2),
      make_op<BinaryOp<B::mul>>("mul", 2),
      make_op<BinaryOp<B::div>>("div", 2),
      make_op<BinaryOp<B::equal>>("equal", 2),
      make_op<BinaryOp<B::not_equal>>("notEqual", 2),
      make_op<BinaryOp<B::greater>>("greater", 2),
      make_op<BinaryOp<B::greater_equal>>("greaterEqual", 2),
      make_op<BinaryOp<B::less>>("less", 2),
      make_op<BinaryOp<B::less_equal>>("lessEqual", 2),
      // Reductions (axes, keep_dims); argMax, argMin (axes[0]); softmax (axes[0], the last).
      make_op<ReduceOp<Reduce::sum>>("sum", 1),
      make_op<ReduceOp<Reduce::mean>>("mean", 1),
      make_op<ReduceOp<Reduce::prod>>("prod", 1),
      make_op<ReduceOp<Reduce::max>>("max", 1),
      make_op<ReduceOp<Reduce::min>>("min", 1),
      make_op<ArgOp<true>>("argMax", 1),
      make_op<ArgOp<false>>("argMin", 1),
      make_op<SoftmaxOp<false>>("softmax", 1),
      // Element-wise, one input (elu, leakyRelu, step: attrs.alpha; clipByValue: low, high).
      make_op<UnaryOp<U::rsqrt>>("rsqrt", 1),
      make_op<UnaryOp<U::reciprocal>>("reciprocal", 1),
      make_op<UnaryOp<U::sigmoid>>("sigmoid", 1),
      make_op<UnaryOp<U::tanh>>("tanh", 1),
      make_op<UnaryOp<U::relu>>("relu", 1),
      make_op<UnaryOp<U::relu6>>("relu6", 1),
      make_op<UnaryOp<U::elu>>("elu", 1),
      make_op<UnaryOp<U::selu>>("selu", 1),
      make_op<UnaryOp<U::leaky_relu>>("leakyRelu", 1),
      make_op<UnaryOp<U::softplus>>("softplus", 1),
      make_op<UnaryOp<U::sin>>("sin", 1),
      make_op<UnaryOp<U::cos>>("cos", 1),
      make_op<UnaryOp<U::log1p>>("log1p", 1),
      make_op<UnaryOp<U::expm1>>("expm1", 1),
      make_op<UnaryOp<U::erf>>("erf", 1),
      make_op<UnaryOp<U::clip>>("clipByValue", 1),
      make_op<UnaryOp<U::sign>>("sign", 1),
      make_op<UnaryOp<U::floor>>("floor", 1),
      make_op<UnaryOp<U::ceil>>("ceil", 1),
      make_op<UnaryOp<U::round>>("round", 1),
      make_op<UnaryOp<U::step>>("step", 1),
      make_op<UnaryOp<U::logical_not>>("logicalNot", 1),
      make_op<UnaryOp<U::is_nan>>("isNaN", 1),
      // Two inputs broadcast together.
      make_op<BinaryOp<B::pow>>("pow", 2),
      make_op<BinaryOp<B::maximum>>("maximum", 2),
      make_op<BinaryOp<B::minimum>>("minimum", 2),
      make_op<BinaryOp<B::squared_difference>>("squaredDifference", 2),
      make_op<BinaryOp<B::atan2>>("atan2", 2),
      make_op<BinaryOp<B::mod>>("mod", 2),
      make_op<BinaryOp<B::logical_and>>("logicalAnd", 2),
      make_op<BinaryOp<B::logical_or>>("logicalOr", 2),
      make_op<WhereOp>("where", 3),
      make_op<AddNOp>("addN", -1),
      // Reductions (axes, keep_dims) and logSoftmax (axes[0], the last).
      make_op<ReduceOp<Reduce::log_sum_exp>>("logSumExp", 1),
      make_op<SoftmaxOp<true>>("logSoftmax", 1),
      // Products (transpose_a, transpose_b).
      make_op<MatMulOp>("matMul", 2),
      // Moving values (transpose: axes; tile: reps; pad: paddings, alpha; gather: axes[0]).
      make_op<TransposeOp>("transpose", 1),
      make_op<TileOp>("tile", 1),
      make_op<PadOp>("pad", 1),
      make_op<GatherOp>("gather", 2),
      make_op<OneHotOp>("oneHot", 1),
      make_op<CastOp>("cast", 1),
      // Moving values (reshape: shape; slice: begin, size; concat: axes[0]).
      make_op<ReshapeOp>("reshape", 1),
      make_op<SliceOp>("slice", 1),
      make_op<ConcatOp>("concat", -1),
      // Images (strides, padding; pooling: window).
      make_op<Conv2DOp>("conv2d", 2),
      make_op<PoolOp<true>>("maxPool", 1),
      make_op<PoolOp<false>>("avgPool", 1),
      // Draws (count, seed, normalized).
      make_op<MultinomialOp>("multinomial", 1),
  };
}

const std::vector<OpDef>& table() {
  static const std::vector<OpDef> ops = build_table();
  return ops;
}

}  // namespace

const OpDef& find_op(const std::string& name) {
  static const std::map<std::string, const OpDef*> by_name = [] {
    std::map<std::string, const OpDef*> m;
    for (const OpDef& op : table()) m[op.name] = &op;
    return m;
  }();
  const auto it = by_name.find(name);
  if (it == by_name.end()) {
    std::ostringstream names;
    for (const OpDef& op : table()) names << (&op == &table().front() ? "" : ", ") << op.name;
    fail("unknown tensor operation ", show(name), "; expected one of ", names.str());
  }
  return *it->second;
}

std::vector<std::string> op_names() {
  std::vector<std::string> names;
  for (const OpDef& op : table()) names.push_back(op.name);
  return names;
}

Shape op_shape(const OpDef& op, const Shapes& in, const Attrs& attrs) {
  if (op.arity >= 0 && in.size() != static_cast<std::size_t>(op.arity))
    fail(op.name, ": expected ", op.arity, " input", op.arity == 1 ? "" : "s", "; got ", in.size());
  if (op.arity < 0 && in.empty()) fail(op.name, ": expected at least one input");
  try {
    return op.shape(in, attrs);
  } catch (const EngineError& e) {
    fail(op.name, ": ", e.what());
  }
}

}  // namespace dl::ops
