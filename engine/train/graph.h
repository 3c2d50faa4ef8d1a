// The tape under every model. A graph is a list of nodes, each an input of the model or
// a layer applied to the tensors of earlier nodes; a chain (Sequential) is the graph
// whose nodes form a line. forward runs the nodes in order, keeping every node's tensor;
// backward replays them in reverse and adds (never overwrites) each node's input
// gradients into its inputs' gradients, so that a tensor used twice (a skip connection,
// a layer applied to two tensors) gets the sum. Buffers are kept from call to call and
// resized only when a batch's shape changes.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/tensor.h"
#include "layers/layer.h"

namespace dl {

struct Node {
  Layer* layer = nullptr;   // null for an input of the model
  std::vector<int> inputs;  // the nodes whose tensors the layer takes, in order
  int call = 0;             // which application of the layer this is (0: its first)
  std::vector<int> shape;   // of the node's tensor, without the batch dimension
  std::string name;         // an input's name; for a layer, "name" or "name:call" when shared
  std::size_t column = 0;   // an input's first value within a row of the model's x
  int part = -1;            // a part node: which output of its input's layer it takes out
};

class Graph {
 public:
  // Adds an input of the given shape; returns its node.
  int add_input(const std::string& name, const std::vector<int>& shape);
  // Applies `layer` to the tensors of `inputs` (earlier nodes); returns the new node. The
  // first application builds the layer from the inputs' shapes; a later one (shared
  // weights) must see the same shapes. Throws naming the layer otherwise, adding nothing.
  int add_node(Layer* layer, const std::vector<int>& inputs);
  // One output of a layer of several (Layer::output_parts) as a node of its own, named
  // "layer#k": it copies part k out of the layer's packed tensor, and its gradient goes
  // back into that part alone. The same node for the same part asked twice.
  int add_part(int node, int k);
  void set_outputs(const std::vector<int>& outputs);
  // Which outputs leave out their activation in a forward with `logits`, one flag per
  // output (a model of several outputs fuses the activation into some losses only);
  // empty: every output. set_outputs clears it.
  void set_logit_outputs(std::vector<char> mask) { logit_outputs_ = std::move(mask); }
  // Drops the nodes from `count` on (a model undoing a step that failed).
  void truncate(std::size_t count);

  const std::vector<Node>& nodes() const { return nodes_; }
  const std::vector<int>& inputs() const { return inputs_; }
  const std::vector<int>& outputs() const { return outputs_; }
  // Values per row of x: the inputs' sizes, side by side in the order of inputs().
  std::size_t input_width() const { return input_width_; }
  // The node's consumers, in order: which nodes take its tensor.
  std::vector<int> consumers(int node) const;

  // Runs every node on x: (N, input shape...) for a graph of one input, or (N,
  // input_width()) with the inputs side by side. `logits`: output layers leave out their
  // activation. noise_seed and first_row are passed to the layers (dropout's masks).
  void forward(const Tensor& x, bool training, bool logits, std::uint64_t noise_seed, int first_row);
  // The node's tensor from the last forward.
  const Tensor& value(int node) const { return *values_[node]; }
  // The node's mask from the last forward ((N, T), 1 for a real step), or null: made by
  // a layer such as Embedding with maskZero and carried by the layers that keep it.
  const Tensor* mask(int node) const { return node < static_cast<int>(masks_.size()) ? masks_[node] : nullptr; }

  // From seeds, the gradients with respect to the tensors of some nodes in the last
  // forward ({node, gradient}; used as scratch), back through every node that leads to
  // them. Parameter
  // gradients are written (added to when accumulate is set, as the slices of a batch
  // do); those of layers the pass never reaches read zero. With input_gradient the
  // gradients of the inputs are kept for gradient(); otherwise the pass stops where no
  // trainable parameter lies further back. Output layers take their gradient with respect
  // to the logits when the last forward left out their activation.
  void backward(const std::vector<std::pair<int, Tensor*>>& seeds, bool input_gradient, bool accumulate);
  // The gradient with respect to an input's tensor from the last backward with
  // input_gradient, or null when none reached it.
  const Tensor* gradient(int node) const { return gradients_[node]; }

 private:
  Tensor* take(const std::vector<int>& shape);
  void give_back(Tensor* t);
  // Node i is an output that leaves out its activation when a pass runs with logits.
  bool emits_logits(int i) const;
  // Points the node's layer at the masks of its inputs (empty when none has one).
  void give_masks(const Node& node) const;
  // After node i's forward: its mask as its layer's MaskFlow says.
  void carry_mask(std::size_t i);

  std::vector<Node> nodes_;
  std::vector<std::unique_ptr<Layer>> parts_;  // the layers of part nodes, which the graph owns
  std::vector<int> inputs_, outputs_;
  std::size_t input_width_ = 0;
  std::vector<char> logit_outputs_;
  bool logits_ = false;  // of the last forward
  // The tensors of the last forward: inputs point into x or into input_copies_.
  std::vector<Tensor> node_values_, input_copies_;
  std::vector<const Tensor*> values_;
  // Masks of the last forward: per node null, or a tensor of an input's node or of
  // mask_values_ (made here, or the AND of several inputs' masks).
  std::vector<const Tensor*> masks_;
  std::vector<Tensor> mask_values_;
  // Gradients during backward point at the caller's seed or at pool buffers, which pass
  // from node to node (a chain alternates between two).
  std::vector<Tensor*> gradients_;
  std::vector<char> pooled_;  // per node: its gradient is a pool buffer
  std::vector<std::unique_ptr<Tensor>> pool_;
  std::vector<Tensor*> free_;
  // Scratch reused by every call, so that a batch allocates nothing once shapes are known.
  std::vector<const Tensor*> xs_;
  std::vector<Tensor*> dxs_;
  std::vector<char> needs_, reached_;
  std::vector<std::pair<int, Tensor*>> pending_;
};

}  // namespace dl
