// The op table and its tape as JavaScript calls: runOp(name, [tensors], settings) makes a
// new tensor; startTape, stopTape and gradients take gradients of any computation made of
// ops (web/lib/core.js). Only types are translated here; the engine's ops/tape.h does it.
#pragma once

#include <emscripten/val.h>

#include <memory>
#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "errors.h"
#include "handles.h"
#include "io/json.h"
#include "io/model_description.h"
#include "io/op_attrs.h"
#include "ops/random.h"
#include "ops/tape.h"
#include "train/model_on_tape.h"
#include "train/variable_optimizer.h"

namespace dl_bindings {

// The engine's one tape: ops recorded while any gradient is being taken.
inline dl::ops::Tape& op_tape() {
  static dl::ops::Tape tape;
  return tape;
}

inline std::vector<dl::ops::Value> values_of(val tensors, const std::string& what) {
  std::vector<dl::ops::Value> out;
  const int n = tensors["length"].as<int>();
  for (int i = 0; i < n; ++i) {
    val t = tensors[i];
    if (t.isNull() || t.isUndefined()) dl::fail(what, ": tensor ", i, " is missing");
    out.push_back(t.as<const TensorHandle&>().value());
  }
  return out;
}

// The new tensor op `name` makes of `inputs` (an array of Tensors), or undefined with the
// error pending; settings: JSON of the op's settings ("" for none); tapes: the ids of the
// open tapes that record it (the program's open gradients), [] for none.
inline val run_op(const std::string& name, val inputs, const std::string& settings, val tapes) {
  return guarded([&] {
    const std::vector<int> ids = emscripten::vecFromJSArray<int>(tapes);
    auto out = op_tape().run(name, values_of(inputs, name), dl::ops::attrs_from_json(settings), &ids);
    return val(TensorHandle::of(std::move(out)));
  });
}

// A tensor of rank 0 holding value (a number an op takes as a tensor).
inline TensorHandle scalar_tensor(double value) {
  return TensorHandle::of(std::make_shared<dl::Tensor>(std::vector<int>{}, static_cast<float>(value)));
}

// A tensor of random values (ops/random.h): kind uniform (a, b: the bounds), normal or
// truncatedNormal (a, b: the mean and standard deviation).
inline val random_tensor(const std::string& kind, val shape, double a, double b, double seed) {
  return guarded([&] {
    return val(TensorHandle::of(std::make_shared<dl::Tensor>(
        dl::ops::random_tensor(kind, shape_from_js(shape, "random"), a, b, static_cast<std::uint64_t>(seed)))));
  });
}

// A weight's first values for an initializer given as JSON text (a name, or TensorFlow.js'
// {className, config}), with Keras' fans of `shape`: what a JavaScript layer's addWeight
// and dl.initializers' apply use, the same numbers the engine's layers draw.
inline val initial_tensor(const std::string& spec, val shape, double seed) {
  return guarded([&] {
    const dl::Json json = dl::Json::parse(spec);
    const dl::Initializer init = json.is(dl::Json::Kind::object)
                                     ? dl::initializer_from_json(json, "initializer", "initializer")
                                     : dl::initializer_from_name(json.text, "initializer");
    auto t = std::make_shared<dl::Tensor>(shape_from_js(shape, "initializer"));
    const auto [fan_in, fan_out] = dl::keras_fans(t->shape());
    dl::Rng rng(static_cast<std::uint64_t>(seed));
    dl::initialize(*t, init, fan_in, fan_out, rng);
    return val(TensorHandle::of(t));
  });
}

inline void start_tape(int id) { op_tape().start(id); }
inline void stop_tape(int id) { op_tape().stop(id); }
inline double tape_size() { return static_cast<double>(op_tape().size()); }

// The gradients of target (times seed, a Tensor or null) with respect to each of sources,
// through the ops tape `id` recorded: an array of new Tensors, null for a source the
// target does not depend on.
inline val gradients(const TensorHandle& target, val sources, val seed, int id) {
  return guarded([&] {
    const dl::ops::Value s = seed.isNull() || seed.isUndefined() ? nullptr : seed.as<const TensorHandle&>().value();
    const auto grads = op_tape().gradients(target.value(), values_of(sources, "gradients"), s, id);
    val out = val::array();
    for (std::size_t i = 0; i < grads.size(); ++i) out.set(i, grads[i] ? val(TensorHandle::of(grads[i])) : val::null());
    return out;
  });
}

// The model's output for x as a new tensor, recorded on the open tapes listed in `tapes`
// (TensorFlow.js' model.apply(x, {training}) in a function whose gradient is taken).
inline val apply_model(ModelHandle& model, const TensorHandle& x, bool training, val tapes) {
  return guarded([&] {
    const std::vector<int> ids = emscripten::vecFromJSArray<int>(tapes);
    return val(TensorHandle::of(dl::apply_on_tape(op_tape(), model.shared(), x.value(), training, &ids)));
  });
}

// Every parameter of the model as a Tensor sharing its values (the layers' weights as
// variables), in the order of weights().
inline val model_parameters(ModelHandle& model) {
  val out = val::array();
  for (auto& p : dl::parameter_values(model.shared())) out.call<void>("push", val(TensorHandle::of(std::move(p))));
  return out;
}

// An optimizer for the core API's variables: step(names, values, grads) updates each
// value (a Tensor) in place by its gradient; config: the JSON compile() takes.
class VariableOptimizerHandle {
 public:
  explicit VariableOptimizerHandle(const std::string& config) {
    guarded([&] {
      optimizer_ = std::make_unique<dl::VariableOptimizer>(dl::optimizer_from_json(dl::Json::parse(config)));
    });
  }
  void step(val names, val values, val grads) {
    guarded([&] {
      if (!optimizer_) dl::fail("applyGradients: this optimizer could not be made");
      const int n = values["length"].as<int>();
      if (grads["length"].as<int>() != n || names["length"].as<int>() != n)
        dl::fail("applyGradients: expected as many names and gradients as variables (", n, ")");
      for (int i = 0; i < n; ++i)
        optimizer_->step(names[i].as<std::string>(), *values[i].as<const TensorHandle&>().value(),
                         *grads[i].as<const TensorHandle&>().value());
    });
  }
  void set_learning_rate(double rate) {
    if (optimizer_) optimizer_->config.learning_rate = static_cast<float>(rate);
  }

 private:
  std::unique_ptr<dl::VariableOptimizer> optimizer_;
};

}  // namespace dl_bindings
