// A model on the op tape: its forward now, its backward when a gradient is taken.
#include "train/model_on_tape.h"

#include <algorithm>

namespace dl {

namespace {

class ModelBackward : public ops::RecordedBackward {
 public:
  ModelBackward(std::shared_ptr<Sequential> model, bool training, std::uint64_t seed, std::uint64_t pass)
      : model_(std::move(model)), training_(training), seed_(seed), pass_(pass) {}

  // inputs: x, then every parameter.
  void backward(const std::vector<ops::Value>& inputs, const Tensor&, const Tensor& dy,
                const std::vector<float*>& dxs) override {
    Sequential& m = *model_;
    std::vector<Parameter> params = m.parameters();
    // The model has run since (another application, predict, fit): run this forward again,
    // with the same dropout, keeping the moving statistics it would change a second time.
    if (m.forwards() != pass_) {
      std::vector<std::vector<float>> kept;
      for (const Parameter& p : params)
        if (!p.trainable) kept.push_back(p.value->values());
      m.set_noise_seed(seed_);
      m.forward(*inputs[0], training_);
      std::size_t k = 0;
      for (const Parameter& p : params)
        if (!p.trainable) p.value->values() = kept[k++];
    }
    for (const Parameter& p : params) std::fill(p.grad->values().begin(), p.grad->values().end(), 0.0f);
    Tensor scratch = dy;
    const Tensor* dx = m.backward(*inputs[0], scratch, dxs[0] != nullptr);
    if (dxs[0]) std::copy(dx->data(), dx->data() + dx->size(), dxs[0]);
    for (std::size_t k = 0; k < params.size(); ++k)
      if (dxs[k + 1]) std::copy(params[k].grad->data(), params[k].grad->data() + params[k].grad->size(), dxs[k + 1]);
    pass_ = m.forwards();
  }

 private:
  std::shared_ptr<Sequential> model_;
  bool training_;
  std::uint64_t seed_, pass_;
};

}  // namespace

std::vector<std::shared_ptr<Tensor>> parameter_values(const std::shared_ptr<Sequential>& model) {
  std::vector<std::shared_ptr<Tensor>> out;
  for (const Parameter& p : model->parameters()) out.push_back(std::shared_ptr<Tensor>(model, p.value));
  return out;
}

std::shared_ptr<Tensor> apply_on_tape(ops::Tape& tape, const std::shared_ptr<Sequential>& model,
                                      const std::shared_ptr<Tensor>& x, bool training, const std::vector<int>* tapes) {
  Sequential& m = *model;
  m.check_inputs(*x, "apply");
  m.check_memory(x->rows(), training, "apply");
  const std::uint64_t seed = training ? m.begin_step() : 0;
  m.set_noise_seed(seed);
  auto out = std::make_shared<Tensor>(m.forward(*x, training));
  std::vector<ops::Value> inputs{x};
  for (auto& p : parameter_values(model)) inputs.push_back(std::move(p));
  tape.record(std::move(inputs), out, std::make_shared<ModelBackward>(model, training, seed, m.forwards()), tapes);
  return out;
}

}  // namespace dl
