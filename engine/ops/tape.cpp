// The op tape: recording, and gradients by replaying the recorded ops in reverse.
#include "ops/tape.h"

#include <algorithm>
#include <mutex>
#include <unordered_map>
#include <unordered_set>

#include "core/error.h"
#include "ops/broadcast.h"

namespace dl::ops {

namespace {

// Buffers of op outputs freed lately, by size, so that the next output of that size skips
// the allocation and its zero fill (an op writes every value of its output): at most
// kPoolBytes in all. Never destroyed, since tensors may die after static destructors ran.
constexpr std::size_t kPoolBytes = std::size_t(64) << 20;
struct BufferPool {
  std::mutex lock;
  std::unordered_multimap<std::size_t, std::vector<float>> free;
  std::size_t bytes = 0;
};
BufferPool& pool() {
  static BufferPool* const p = new BufferPool;
  return *p;
}

// A tensor of this shape for an op to fill; its buffer goes back to the pool when it dies.
std::shared_ptr<Tensor> output_tensor(const Shape& shape) {
  const std::size_t n = count_of(shape);
  std::vector<float> values;
  {
    BufferPool& p = pool();
    std::lock_guard<std::mutex> guard(p.lock);
    const auto found = p.free.find(n);
    if (found != p.free.end()) {
      values = std::move(found->second);
      p.free.erase(found);
      p.bytes -= n * sizeof(float);
    }
  }
  Tensor* made = values.size() == n ? new Tensor(shape, std::move(values)) : new Tensor(shape);
  return std::shared_ptr<Tensor>(made, [](Tensor* t) {
    std::vector<float>& v = t->values();
    const std::size_t bytes = v.size() * sizeof(float);
    if (!v.empty() && bytes <= kPoolBytes / 4) {
      BufferPool& p = pool();
      std::lock_guard<std::mutex> guard(p.lock);
      if (p.bytes + bytes <= kPoolBytes) {
        p.bytes += bytes;
        p.free.emplace(v.size(), std::move(v));
      }
    }
    delete t;
  });
}

std::vector<In<float>> views(const std::vector<Value>& inputs) {
  std::vector<In<float>> in;
  in.reserve(inputs.size());
  for (const Value& v : inputs) in.push_back({v->data(), v->shape()});
  return in;
}

}  // namespace

std::shared_ptr<Tensor> run_op(const OpDef& op, const std::vector<Value>& inputs, const Attrs& attrs) {
  Shapes shapes;
  for (const Value& v : inputs) {
    if (!v) fail(op.name, ": an input is missing");
    shapes.push_back(v->shape());
  }
  const Shape shape = op_shape(op, shapes, attrs);
  auto out = output_tensor(shape);
  try {
    op.forward_float(views(inputs), attrs, out->data(), shape);
  } catch (const EngineError& e) {
    fail(op.name, ": ", e.what());
  }
  return out;
}

std::shared_ptr<Tensor> Tape::run(const std::string& name, const std::vector<Value>& inputs, const Attrs& attrs,
                                  const std::vector<int>* tapes) {
  const OpDef& op = find_op(name);
  auto out = run_op(op, inputs, attrs);
  if (!op.differentiable) return out;
  std::vector<int> on = recording_for(tapes);
  if (!on.empty()) entries_.push_back({&op, inputs, out, attrs, std::move(on), nullptr});
  return out;
}

std::vector<int> Tape::recording_for(const std::vector<int>* tapes) const {
  std::vector<int> on;
  for (int id : open_)
    if (!tapes || std::find(tapes->begin(), tapes->end(), id) != tapes->end()) on.push_back(id);
  return on;
}

void Tape::record(std::vector<Value> inputs, Value output, std::shared_ptr<RecordedBackward> backward,
                  const std::vector<int>* tapes) {
  std::vector<int> on = recording_for(tapes);
  if (!on.empty())
    entries_.push_back({nullptr, std::move(inputs), std::move(output), {}, std::move(on), std::move(backward)});
}

void Tape::start(int id) { open_.push_back(id); }

void Tape::stop(int id) {
  const auto at = std::find(open_.begin(), open_.end(), id);
  if (at == open_.end()) return;
  open_.erase(at);
  // A tape opened twice under one id stays open until its last stop.
  if (std::find(open_.begin(), open_.end(), id) != open_.end()) return;
  for (Entry& e : entries_) e.tapes.erase(std::remove(e.tapes.begin(), e.tapes.end(), id), e.tapes.end());
  entries_.erase(std::remove_if(entries_.begin(), entries_.end(), [](const Entry& e) { return e.tapes.empty(); }),
                 entries_.end());
}

std::vector<std::shared_ptr<Tensor>> Tape::gradients(const Value& target, const std::vector<Value>& sources,
                                                     const Value& seed, int id) const {
  const auto on_tape = [id](const Entry& e) {
    return id == -1 || std::find(e.tapes.begin(), e.tapes.end(), id) != e.tapes.end();
  };
  if (!target) fail("gradients: the target is missing");
  if (seed && seed->shape() != target->shape())
    fail("gradients: the seed has shape ", json_list(seed->shape()), "; the target's shape is ",
         json_list(target->shape()));
  // The tensors that depend on a source, in the order the ops ran.
  std::unordered_set<const Tensor*> depends;
  for (const Value& s : sources) depends.insert(s.get());
  for (const Entry& e : entries_)
    if (on_tape(e) &&
        std::any_of(e.inputs.begin(), e.inputs.end(), [&](const Value& v) { return depends.count(v.get()); }))
      depends.insert(e.output.get());

  std::unordered_map<const Tensor*, std::shared_ptr<Tensor>> grads;
  auto seeded = std::make_shared<Tensor>(target->shape(), 1.0f);
  if (seed) std::copy(seed->data(), seed->data() + seed->size(), seeded->data());
  grads[target.get()] = seeded;
  // Back from the last op: each op whose output has a gradient and depends on a source
  // passes it to those of its inputs that depend on one too.
  for (auto e = entries_.rbegin(); e != entries_.rend(); ++e) {
    const auto found = grads.find(e->output.get());
    if (!on_tape(*e) || found == grads.end() || !depends.count(e->output.get())) continue;
    const std::shared_ptr<Tensor> dy = found->second;
    std::vector<std::unique_ptr<Tensor>> parts(e->inputs.size());
    std::vector<float*> dxs(e->inputs.size(), nullptr);
    for (std::size_t k = 0; k < e->inputs.size(); ++k)
      if (depends.count(e->inputs[k].get())) {
        parts[k] = std::make_unique<Tensor>(e->inputs[k]->shape());
        dxs[k] = parts[k]->data();
      }
    if (e->custom)
      e->custom->backward(e->inputs, *e->output, *dy, dxs);
    else
      e->op->backward_float(views(e->inputs), e->output->data(), dy->data(), e->attrs, e->output->shape(), dxs);
    for (std::size_t k = 0; k < e->inputs.size(); ++k) {
      if (!parts[k]) continue;
      auto& sum = grads[e->inputs[k].get()];
      if (!sum)
        sum = std::make_shared<Tensor>(std::move(*parts[k]));
      else
        for (std::size_t i = 0; i < sum->size(); ++i) (*sum)[i] += (*parts[k])[i];
    }
  }
  std::vector<std::shared_ptr<Tensor>> out;
  for (const Value& s : sources) {
    const auto found = grads.find(s.get());
    // A source that is the target itself has the seed as its gradient.
    out.push_back(found == grads.end() ? nullptr : found->second);
  }
  return out;
}

}  // namespace dl::ops
