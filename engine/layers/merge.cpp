// The merge layers' shape rules and their calls into kernels/merge.h.
#include "layers/merge.h"

#include "core/error.h"

namespace dl {

namespace {

std::vector<const float*> values_of(const std::vector<const Tensor*>& xs) {
  std::vector<const float*> out;
  for (const Tensor* x : xs) out.push_back(x->data());
  return out;
}

std::vector<float*> gradients_of(const std::vector<Tensor*>& dxs) {
  std::vector<float*> out;
  for (Tensor* dx : dxs) out.push_back(dx ? dx->data() : nullptr);
  return out;
}

std::string shapes_text(const std::vector<std::vector<int>>& shapes) {
  std::string text;
  for (const std::vector<int>& s : shapes) text += (text.empty() ? "" : ", ") + shape_text(s);
  return text;
}

void check_count(const Layer& layer, std::size_t given, std::size_t least, std::size_t most) {
  if (given >= least && given <= most) return;
  if (least == most) fail(layer.label(), " takes exactly ", least, " tensors; it was given ", given);
  fail(layer.label(), " merges at least ", least, " tensors; it was given ", given);
}

}  // namespace

std::string ElementwiseMergeLayer::type() const {
  switch (op_) {
    case MergeOp::add: return "Add";
    case MergeOp::subtract: return "Subtract";
    case MergeOp::multiply: return "Multiply";
    case MergeOp::average: return "Average";
    case MergeOp::maximum: return "Maximum";
    case MergeOp::minimum: return "Minimum";
  }
  return "?";
}

std::vector<int> ElementwiseMergeLayer::build_many(const std::vector<std::vector<int>>& input_shapes) {
  check_count(*this, input_shapes.size(), 2, static_cast<std::size_t>(max_inputs()));
  std::size_t rank = 0;
  for (const std::vector<int>& s : input_shapes) rank = std::max(rank, s.size());
  std::vector<int> out(rank, 1);
  shapes_.clear();
  for (const std::vector<int>& s : input_shapes) {
    std::vector<int> padded(rank - s.size(), 1);
    padded.insert(padded.end(), s.begin(), s.end());
    for (std::size_t d = 0; d < rank; ++d) {
      if (padded[d] == out[d] || padded[d] == 1) continue;
      if (out[d] != 1)
        fail(label(), ": inputs of shapes ", shapes_text(input_shapes),
             " do not broadcast; aligned from the right, each dimension must be equal or 1");
      out[d] = padded[d];
    }
    shapes_.push_back(padded);
  }
  index_.clear();
  return out;
}

const std::vector<std::vector<std::size_t>>& ElementwiseMergeLayer::broadcast_index(int rows) {
  auto found = index_.find(rows);
  if (found != index_.end()) return found->second;
  std::vector<int> out{rows};
  out.insert(out.end(), output_shape.begin(), output_shape.end());
  std::vector<std::vector<std::size_t>> index;
  for (const std::vector<int>& s : shapes_) {
    std::vector<int> in{rows};
    in.insert(in.end(), s.begin(), s.end());
    index.push_back(in == out ? std::vector<std::size_t>{} : merge_broadcast_index(out, in));
  }
  if (index_.size() > 8) index_.clear();  // a batch size, its last batch and slices: a few at most
  return index_[rows] = std::move(index);
}

void ElementwiseMergeLayer::forward_many(const std::vector<const Tensor*>& xs, Tensor& y, bool) {
  const auto& index = broadcast_index(y.rows());
  std::vector<const std::size_t*> at;
  for (const auto& i : index) at.push_back(i.empty() ? nullptr : i.data());
  merge_forward(op_, values_of(xs), at, y.data(), y.size());
}

void ElementwiseMergeLayer::backward_many(const std::vector<const Tensor*>& xs, const Tensor&, Tensor& dy,
                                          const std::vector<Tensor*>& dxs) {
  const auto& index = broadcast_index(dy.rows());
  std::vector<const std::size_t*> at;
  std::vector<std::size_t> sizes;
  for (std::size_t k = 0; k < xs.size(); ++k) {
    at.push_back(index[k].empty() ? nullptr : index[k].data());
    sizes.push_back(xs[k]->size());
  }
  merge_backward(op_, values_of(xs), at, dy.data(), gradients_of(dxs), sizes, dy.size());
}

std::vector<int> ConcatenateLayer::build_many(const std::vector<std::vector<int>>& input_shapes) {
  check_count(*this, input_shapes.size(), 1, static_cast<std::size_t>(max_inputs()));
  const int rank = static_cast<int>(input_shapes[0].size()) + 1;  // the batch included
  for (const std::vector<int>& s : input_shapes)
    if (static_cast<int>(s.size()) + 1 != rank)
      fail(label(), ": inputs of shapes ", shapes_text(input_shapes), " differ in rank; they must have the same rank");
  const int axis = axis_ < 0 ? axis_ + rank : axis_;
  if (axis < 1 || axis >= rank)
    fail(label(), ": axis ", axis_, " is outside the axes of inputs of shape ", shape_text(input_shapes[0]),
         "; expected 1 to ", rank - 1, " (or -1 to ", 1 - rank, "), axis 0 being the batch");
  const int at = axis - 1;  // in the shapes without the batch
  std::vector<int> out = input_shapes[0];
  out[at] = 0;
  widths_.clear();
  for (const std::vector<int>& s : input_shapes) {
    for (int d = 0; d + 1 < rank; ++d)
      if (d != at && s[d] != input_shapes[0][d])
        fail(label(), ": inputs of shapes ", shapes_text(input_shapes), " differ outside axis ", axis_,
             "; every other dimension must match");
    widths_.push_back(s[at]);
    out[at] += s[at];
  }
  outer_ = inner_ = 1;
  for (int d = 0; d < at; ++d) outer_ *= static_cast<std::size_t>(out[d]);
  for (int d = at + 1; d + 1 < rank; ++d) inner_ *= static_cast<std::size_t>(out[d]);
  return out;
}

void ConcatenateLayer::forward_many(const std::vector<const Tensor*>& xs, Tensor& y, bool) {
  concatenate_forward(values_of(xs), widths_, y.data(), y.rows() * outer_, inner_);
}

void ConcatenateLayer::backward_many(const std::vector<const Tensor*>&, const Tensor&, Tensor& dy,
                                     const std::vector<Tensor*>& dxs) {
  concatenate_backward(dy.data(), widths_, gradients_of(dxs), dy.rows() * outer_, inner_);
}

std::vector<int> DotLayer::build_many(const std::vector<std::vector<int>>& input_shapes) {
  check_count(*this, input_shapes.size(), 2, 2);
  if (axes_.empty() || axes_.size() > 2) fail(label(), ": axes must be one axis or a pair of axes");
  std::vector<int> out;
  DotOperand* operands[2] = {&a_, &b_};
  int depth[2] = {0, 0}, axis[2] = {0, 0};
  for (int k = 0; k < 2; ++k) {
    const std::vector<int>& s = input_shapes[k];
    const int rank = static_cast<int>(s.size()) + 1;
    if (rank != 2 && rank != 3)
      fail(label(), ": input ", k, " has shape ", shape_text(s),
           "; Dot takes inputs of rank 2 or 3, the batch included, such as [null, 8] or [null, 5, 8]");
    const int given = axes_[axes_.size() == 2 ? k : 0];
    axis[k] = given < 0 ? given + rank : given;
    if (axis[k] < 1 || axis[k] >= rank)
      fail(label(), ": axis ", given, " is outside input ", k, "'s axes (shape ", shape_text(s), "); expected 1 to ",
           rank - 1, " or -1 to ", 1 - rank, ", axis 0 being the batch");
    DotOperand& op = *operands[k];
    const int at = axis[k] - 1;
    depth[k] = s[at];
    if (rank == 2) {
      op = DotOperand{1, s[0], 0, 1};
    } else if (at == 1) {
      op = DotOperand{s[0], s[1], static_cast<std::size_t>(s[1]), 1};
      out.push_back(s[0]);
    } else {
      op = DotOperand{s[1], s[0], 1, static_cast<std::size_t>(s[1])};
      out.push_back(s[1]);
    }
  }
  if (depth[0] != depth[1])
    fail(label(), ": axis ", axis[0], " of input 0 (shape ", shape_text(input_shapes[0]), ") has ", depth[0],
         " values but axis ", axis[1], " of input 1 (shape ", shape_text(input_shapes[1]), ") has ", depth[1],
         "; they must match");
  if (out.empty()) out.push_back(1);
  return out;
}

void DotLayer::forward_many(const std::vector<const Tensor*>& xs, Tensor& y, bool) {
  const int n = y.rows();
  const float* x = xs[0]->data();
  const float* w = xs[1]->data();
  if (normalize_) {
    xn_.resize(xs[0]->size());
    wn_.resize(xs[1]->size());
    l2_normalize_forward(x, xn_.data(), a_, n);
    l2_normalize_forward(w, wn_.data(), b_, n);
    x = xn_.data();
    w = wn_.data();
  }
  dot_forward(x, w, y.data(), a_, b_, n);
}

void DotLayer::backward_many(const std::vector<const Tensor*>& xs, const Tensor&, Tensor& dy,
                             const std::vector<Tensor*>& dxs) {
  const int n = dy.rows();
  float* dx = dxs[0] ? dxs[0]->data() : nullptr;
  float* dw = dxs[1] ? dxs[1]->data() : nullptr;
  if (!normalize_) {
    dot_backward(xs[0]->data(), xs[1]->data(), dy.data(), dx, dw, a_, b_, n);
    return;
  }
  // Normalized again here rather than kept from forward: a shared layer's applications
  // would overwrite each other's.
  xn_.resize(xs[0]->size());
  wn_.resize(xs[1]->size());
  l2_normalize_forward(xs[0]->data(), xn_.data(), a_, n);
  l2_normalize_forward(xs[1]->data(), wn_.data(), b_, n);
  dxn_.resize(xn_.size());
  dwn_.resize(wn_.size());
  dot_backward(xn_.data(), wn_.data(), dy.data(), dx ? dxn_.data() : nullptr, dw ? dwn_.data() : nullptr, a_, b_, n);
  if (dx) l2_normalize_backward(xs[0]->data(), dxn_.data(), dx, a_, n);
  if (dw) l2_normalize_backward(xs[1]->data(), dwn_.data(), dw, b_, n);
}

}  // namespace dl
