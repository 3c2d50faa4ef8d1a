// The tape: building nodes, the forward pass and the backward pass that sums gradients.
#include "train/graph.h"

#include <algorithm>

#include "core/error.h"
#include "core/show.h"

namespace dl {

namespace {

// Output k of a layer of several, from its packed tensor (N, total): x -> y: (N, shape).
class PartLayer : public Layer {
 public:
  PartLayer(std::size_t offset, std::size_t total, int index) : offset_(offset), total_(total), index_(index) {}
  std::string type() const override { return "Part"; }
  std::vector<int> build(const std::vector<int>& input_shape) override { return input_shape; }
  void forward(const Tensor& x, Tensor& y, bool) override {
    const std::size_t width = y.size() / static_cast<std::size_t>(x.rows());
    for (int r = 0; r < x.rows(); ++r) std::copy_n(x.data() + r * total_ + offset_, width, y.data() + r * width);
  }
  void backward(const Tensor& x, const Tensor&, Tensor& dy, Tensor* dx) override {
    if (!dx) return;
    const std::size_t width = dy.size() / static_cast<std::size_t>(x.rows());
    std::fill(dx->values().begin(), dx->values().end(), 0.0f);
    for (int r = 0; r < x.rows(); ++r) std::copy_n(dy.data() + r * width, width, dx->data() + r * total_ + offset_);
  }
  // The first output carries the layer's steps (a recurrent layer's sequence), so its mask.
  MaskFlow mask_flow() const override { return index_ == 0 ? MaskFlow::keep : MaskFlow::drop; }

 private:
  std::size_t offset_, total_;
  int index_;
};

bool has_trainable_parameters(Layer& layer) {
  if (!layer.trainable) return false;
  for (const Parameter& p : layer.parameters())
    if (p.trainable) return true;
  return false;
}

}  // namespace

int Graph::add_input(const std::string& name, const std::vector<int>& shape) {
  if (shape.empty()) fail("input ", show(name), " needs a shape, such as [784]");
  for (int d : shape)
    if (d <= 0)
      fail("input ", show(name), " has shape ", shape_text(shape),
           " with a dimension <= 0; every dimension must be "
           "positive");
  for (const Node& n : nodes_)
    if (n.name == name) fail("a tensor named ", show(name), " is already in the model; names must be unique");
  Node node;
  node.shape = shape;
  node.name = name;
  node.column = input_width_;
  input_width_ += shape_size(shape);
  nodes_.push_back(node);
  inputs_.push_back(static_cast<int>(nodes_.size()) - 1);
  return inputs_.back();
}

int Graph::add_node(Layer* layer, const std::vector<int>& inputs) {
  if (!layer) fail("the layer is missing");
  if (inputs.empty()) fail(layer->label(), " is applied to no tensor; it needs at least one input");
  std::vector<std::vector<int>> shapes;
  for (int i : inputs) {
    if (i < 0 || i >= static_cast<int>(nodes_.size()))
      fail(layer->label(), " is applied to node ", i, ", which does not exist yet");
    shapes.push_back(nodes_[i].shape);
  }
  Node node;
  node.layer = layer;
  node.inputs = inputs;
  for (const Node& n : nodes_)
    if (n.layer == layer) ++node.call;
  if (node.call == 0) {
    node.shape = layer->build_many(shapes);
    for (int d : node.shape)
      if (d <= 0)
        fail(layer->label(), ": input ", shape_text(shapes[0]), " gives an empty output ", shape_text(node.shape));
    layer->input_shape = shapes[0];
    layer->output_shape = node.shape;
  } else {
    const Node* first = nullptr;
    for (const Node& n : nodes_)
      if (n.layer == layer && !first) first = &n;
    std::vector<std::vector<int>> built;
    for (int i : first->inputs) built.push_back(nodes_[i].shape);
    if (built != shapes) {
      std::string given, expected;
      for (const auto& s : shapes) given += (given.empty() ? "" : ", ") + shape_text(s);
      for (const auto& s : built) expected += (expected.empty() ? "" : ", ") + shape_text(s);
      fail(layer->label(), " is applied again to ", given, " but was built for ", expected,
           "; a shared layer takes tensors of the same shapes each time");
    }
    node.shape = first->shape;
  }
  node.name = node.call == 0 ? layer->name : layer->name + ":" + std::to_string(node.call);
  nodes_.push_back(node);
  return static_cast<int>(nodes_.size()) - 1;
}

int Graph::add_part(int node, int k) {
  if (node < 0 || node >= static_cast<int>(nodes_.size())) fail("node ", node, " does not exist");
  const Node& from = nodes_[node];
  const std::vector<std::vector<int>> parts = from.layer ? from.layer->output_parts() : std::vector<std::vector<int>>{};
  if (parts.empty())
    fail("output ", k, " of ", show(from.name), " does not exist: ", show(from.name), " has one output; name it ",
         show(from.name), " alone");
  if (k < 0 || k >= static_cast<int>(parts.size()))
    fail("output ", k, " of ", show(from.name), " does not exist: ", from.layer->label(), " gives ", parts.size(),
         " outputs (", show(from.name), "#0 to #", parts.size() - 1, ")");
  for (std::size_t i = 0; i < nodes_.size(); ++i)
    if (nodes_[i].part == k && nodes_[i].inputs[0] == node) return static_cast<int>(i);
  std::size_t offset = 0;
  for (int j = 0; j < k; ++j) offset += shape_size(parts[j]);
  auto layer = std::make_unique<PartLayer>(offset, shape_size(from.shape), k);
  layer->name = from.name + "#" + std::to_string(k);
  layer->input_shape = from.shape;
  layer->output_shape = parts[k];
  Node n;
  n.layer = layer.get();
  n.inputs = {node};
  n.shape = parts[k];
  n.name = layer->name;
  n.part = k;
  parts_.push_back(std::move(layer));
  nodes_.push_back(n);
  return static_cast<int>(nodes_.size()) - 1;
}

void Graph::set_outputs(const std::vector<int>& outputs) {
  for (int o : outputs)
    if (o < 0 || o >= static_cast<int>(nodes_.size())) fail("output node ", o, " does not exist");
  outputs_ = outputs;
  logit_outputs_.clear();
}

bool Graph::emits_logits(int i) const {
  const auto at = std::find(outputs_.begin(), outputs_.end(), i);
  if (at == outputs_.end()) return false;
  return logit_outputs_.empty() || logit_outputs_[at - outputs_.begin()];
}

void Graph::truncate(std::size_t count) {
  if (count >= nodes_.size()) return;
  nodes_.resize(count);
  parts_.erase(std::remove_if(parts_.begin(), parts_.end(),
                              [&](const std::unique_ptr<Layer>& p) {
                                return std::none_of(nodes_.begin(), nodes_.end(),
                                                    [&](const Node& n) { return n.layer == p.get(); });
                              }),
               parts_.end());
  while (!inputs_.empty() && inputs_.back() >= static_cast<int>(count)) {
    inputs_.pop_back();
  }
  input_width_ = 0;
  for (int i : inputs_) input_width_ += shape_size(nodes_[i].shape);
  std::vector<int> kept;
  for (int o : outputs_)
    if (o < static_cast<int>(count)) kept.push_back(o);
  outputs_ = kept;
  logit_outputs_.clear();
}

std::vector<int> Graph::consumers(int node) const {
  std::vector<int> out;
  for (std::size_t i = 0; i < nodes_.size(); ++i)
    if (std::find(nodes_[i].inputs.begin(), nodes_[i].inputs.end(), node) != nodes_[i].inputs.end())
      out.push_back(static_cast<int>(i));
  return out;
}

void Graph::give_masks(const Node& node) const {
  Layer& layer = *node.layer;
  layer.masks.clear();
  bool any = false;
  for (int j : node.inputs) any = any || masks_[j];
  if (!any) return;
  for (int j : node.inputs) layer.masks.push_back(masks_[j]);
}

void Graph::carry_mask(std::size_t i) {
  const Node& node = nodes_[i];
  Layer& layer = *node.layer;
  masks_[i] = nullptr;
  const MaskFlow flow = layer.mask_flow();
  if (flow == MaskFlow::make) {
    layer.make_mask(*values_[node.inputs[0]], mask_values_[i]);
    masks_[i] = &mask_values_[i];
    return;
  }
  if (flow == MaskFlow::drop || layer.masks.empty()) return;
  // Kept: the output has the inputs' steps (a mask's length must still match them); for a
  // layer of several outputs, the first output's.
  const std::vector<std::vector<int>> parts = layer.output_parts();
  const std::vector<int>& shape = parts.empty() ? node.shape : parts[0];
  const Tensor* only = nullptr;
  int count = 0;
  for (const Tensor* m : layer.masks)
    if (m && !shape.empty() && m->cols() == shape[0]) {
      only = m;
      ++count;
    }
  if (count <= 1) {
    masks_[i] = only;
    return;
  }
  // Several masked inputs (a merge): a step is real where it is real in every input, as Keras.
  Tensor& both = mask_values_[i];
  both.resize(only->shape());
  std::fill(both.values().begin(), both.values().end(), 1.0f);
  for (const Tensor* m : layer.masks)
    if (m && m->cols() == shape[0])
      for (std::size_t k = 0; k < both.size(); ++k) both[k] = both[k] * (*m)[k];
  masks_[i] = &both;
}

void Graph::forward(const Tensor& x, bool training, bool logits, std::uint64_t noise_seed, int first_row) {
  const std::size_t count = nodes_.size();
  node_values_.resize(count);
  values_.resize(count);
  masks_.assign(count, nullptr);
  mask_values_.resize(count);
  const int rows = x.rows();
  logits_ = logits;
  if (inputs_.size() == 1) {
    values_[inputs_[0]] = &x;
  } else {
    // x holds the inputs side by side: each input's columns into a tensor of its shape.
    input_copies_.resize(inputs_.size());
    for (std::size_t k = 0; k < inputs_.size(); ++k) {
      const Node& in = nodes_[inputs_[k]];
      std::vector<int> shape{rows};
      shape.insert(shape.end(), in.shape.begin(), in.shape.end());
      Tensor& copy = input_copies_[k];
      copy.resize(shape);
      const std::size_t width = copy.size() / static_cast<std::size_t>(rows);
      for (int r = 0; r < rows; ++r)
        std::copy_n(x.data() + r * input_width_ + in.column, width, copy.data() + r * width);
      values_[inputs_[k]] = &copy;
    }
  }
  for (std::size_t i = 0; i < count; ++i) {
    const Node& node = nodes_[i];
    if (!node.layer) continue;
    Layer& layer = *node.layer;
    std::vector<int> shape{rows};
    shape.insert(shape.end(), node.shape.begin(), node.shape.end());
    Tensor& out = node_values_[i];
    out.resize(shape);
    xs_.clear();
    for (int j : node.inputs) xs_.push_back(values_[j]);
    layer.call = node.call;
    layer.emit_logits = logits && emits_logits(static_cast<int>(i));
    layer.noise_seed = noise_seed + 0x9E3779B97F4A7C15ull * i;
    layer.first_row = first_row;
    give_masks(node);
    layer.forward_many(xs_, out, training);
    values_[i] = &out;
    carry_mask(i);
  }
}

Tensor* Graph::take(const std::vector<int>& shape) {
  Tensor* t;
  if (free_.empty()) {
    pool_.push_back(std::make_unique<Tensor>());
    t = pool_.back().get();
  } else {
    t = free_.back();
    free_.pop_back();
  }
  t->resize(shape);
  return t;
}

void Graph::give_back(Tensor* t) { free_.push_back(t); }

void Graph::backward(const std::vector<std::pair<int, Tensor*>>& seeds, bool input_gradient, bool accumulate) {
  const bool logits = logits_;
  const std::size_t count = nodes_.size();
  // The input gradients kept from the last pass go back to the pool.
  gradients_.resize(count, nullptr);
  pooled_.resize(count, 0);
  for (std::size_t i = 0; i < count; ++i) {
    if (gradients_[i] && pooled_[i]) give_back(gradients_[i]);
    gradients_[i] = nullptr;
    pooled_[i] = 0;
  }
  // A tensor needs its gradient when a trainable parameter lies behind it (or it is an
  // input and the caller asked for the inputs' gradients).
  needs_.assign(count, 0);
  for (std::size_t i = 0; i < count; ++i) {
    const Node& node = nodes_[i];
    if (!node.layer) {
      needs_[i] = input_gradient;
      continue;
    }
    bool needed = has_trainable_parameters(*node.layer);
    for (int j : node.inputs) needed = needed || needs_[j];
    needs_[i] = needed;
  }
  int last = -1;
  for (const auto& [node, gradient] : seeds) {
    gradients_[node] = gradient;
    last = std::max(last, node);
  }
  reached_.assign(count, 0);  // per node: its layer's backward has run in this pass
  auto layer_reached = [&](const Layer* layer) {
    for (std::size_t j = 0; j < count; ++j)
      if (reached_[j] && nodes_[j].layer == layer) return true;
    return false;
  };
  for (int i = last; i >= 0; --i) {
    const Node& node = nodes_[i];
    if (!gradients_[i] || !node.layer) continue;
    if (needs_[i]) {
      Layer& layer = *node.layer;
      dxs_.clear();
      pending_.clear();
      for (std::size_t s = 0; s < node.inputs.size(); ++s) {
        const int t = node.inputs[s];
        if (!needs_[t]) {
          dxs_.push_back(nullptr);
          continue;
        }
        const bool earlier_slot = std::find(node.inputs.begin(), node.inputs.begin() + s, t) != node.inputs.begin() + s;
        if (!gradients_[t] && !earlier_slot) {
          // The first gradient to reach t is written in place; later ones are added.
          gradients_[t] = take(values_[t]->shape());
          pooled_[t] = 1;
          dxs_.push_back(gradients_[t]);
        } else {
          Tensor* scratch = take(values_[t]->shape());
          dxs_.push_back(scratch);
          pending_.push_back({t, scratch});
        }
      }
      xs_.clear();
      for (int j : node.inputs) xs_.push_back(values_[j]);
      layer.call = node.call;
      layer.emit_logits = logits && emits_logits(i);
      layer.accumulate_gradients = accumulate || layer_reached(&layer);
      give_masks(node);
      layer.backward_many(xs_, *values_[i], *gradients_[i], dxs_);
      reached_[i] = 1;
      for (const auto& [t, scratch] : pending_) {
        float* sum = gradients_[t]->data();
        const float* add = scratch->data();
        const std::size_t n = scratch->size();
        for (std::size_t k = 0; k < n; ++k) sum[k] += add[k];
        give_back(scratch);
      }
    }
    if (pooled_[i]) give_back(gradients_[i]);
    gradients_[i] = nullptr;
    pooled_[i] = 0;
  }
  for (const Node& node : nodes_)
    if (node.layer) node.layer->accumulate_gradients = false;
  if (accumulate) return;
  // Layers the pass never reached have no gradient: theirs read zero rather than as left
  // from an earlier pass.
  for (std::size_t i = 0; i < count; ++i) {
    Layer* layer = nodes_[i].layer;
    if (!layer || layer_reached(layer)) continue;
    for (const Parameter& p : layer->parameters()) std::fill(p.grad->values().begin(), p.grad->values().end(), 0.0f);
  }
}

}  // namespace dl
