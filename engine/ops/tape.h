// The tape of tensor operations: while it records, every op run through it is written
// down with its inputs and output; gradients() then replays the ops that lead from the
// sources to the target in reverse, each op's backward adding (never overwriting) into its
// inputs' gradients, so that a tensor read twice gets the sum. This is micrograd's and
// PyTorch autograd's idea over the op table (ops/op.h); a model's layers have their own
// tape (train/graph.h).
//
// Tensors are shared: the tape keeps what a later gradient reads alive after the program
// has let go of it (TensorFlow.js frees such tensors only once its tape is done too).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/tensor.h"
#include "ops/op.h"

namespace dl::ops {

using Value = std::shared_ptr<const Tensor>;

// The backward of a tape entry that is not an op of the table (a model applied to a
// tensor, train/model_on_tape.h): from the output's gradient dy, writes (overwrites) the
// gradient of each input k whose dxs[k] is not null, sized like that input.
class RecordedBackward {
 public:
  virtual ~RecordedBackward() = default;
  virtual void backward(const std::vector<Value>& inputs, const Tensor& output, const Tensor& dy,
                        const std::vector<float*>& dxs) = 0;
};

// Runs op on the inputs' values: the output, of the shape the op's rule gives (an
// EngineError naming the op and the shapes when they do not fit).
std::shared_ptr<Tensor> run_op(const OpDef& op, const std::vector<Value>& inputs, const Attrs& attrs);

class Tape {
 public:
  // Runs the op and writes it down for the open tapes: every one (tapes null), or those of
  // the ids listed (the program's: only the ops of the function whose gradient it takes).
  std::shared_ptr<Tensor> run(const std::string& op, const std::vector<Value>& inputs, const Attrs& attrs = {},
                              const std::vector<int>* tapes = nullptr);

  // Writes down, for the open tapes as run() does, that output was made of inputs by a
  // computation whose gradient `backward` takes.
  void record(std::vector<Value> inputs, Value output, std::shared_ptr<RecordedBackward> backward,
              const std::vector<int>* tapes = nullptr);

  // Opens tape `id` (nested or side by side with others).
  void start(int id = 0);
  // Closes tape `id`, forgetting the ops no other open tape recorded.
  void stop(int id = 0);
  bool recording() const { return !open_.empty(); }
  std::size_t size() const { return entries_.size(); }

  // The gradients of sum(target * seed) (seed null: ones, as for a scalar loss) with respect
  // to each source, through the ops recorded on tape `id` (-1: on any tape); null for a
  // source the target does not depend on. The seed must have the target's shape.
  std::vector<std::shared_ptr<Tensor>> gradients(const Value& target, const std::vector<Value>& sources,
                                                 const Value& seed = nullptr, int id = -1) const;

 private:
  struct Entry {
    const OpDef* op;  // null for a recorded computation: then `custom` takes the gradient
    std::vector<Value> inputs;
    Value output;
    Attrs attrs;
    std::vector<int> tapes;  // the open tapes it was recorded for
    std::shared_ptr<RecordedBackward> custom;
  };
  std::vector<int> recording_for(const std::vector<int>* tapes) const;
  std::vector<Entry> entries_;
  std::vector<int> open_;
};

}  // namespace dl::ops
