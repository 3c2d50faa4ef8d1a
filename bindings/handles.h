// The engine's objects as Embind sees them: a tensor in WebAssembly memory, a model, and
// a fit stepped one batch at a time. They translate types (typed arrays <-> tensors,
// results -> plain objects) and errors (errors.h); the engine does the work.
#pragma once

#include <emscripten/val.h>

#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "convert.h"
#include "core/show.h"
#include "errors.h"
#include "io/model_description.h"
#include "train/augment.h"
#include "train/fit_session.h"
#include "train/introspection.h"
#include "train/sequential.h"

namespace dl_bindings {

using emscripten::val;

// A tensor that lives in WebAssembly memory; JavaScript fills it once and the engine
// reads it in place for every fit, evaluate and predict.
class TensorHandle {
 public:
  explicit TensorHandle(val shape) {
    guarded([&] { tensor_ = std::make_shared<dl::Tensor>(shape_from_js(shape, "tensor")); });
  }

  // Copies `values` (a Float32Array) into the tensor from element `offset` on.
  void write(val values, double offset) {
    guarded([&] {
      if (!values.instanceof (val::global("Float32Array")))
        dl::fail("tensor write: values must be a Float32Array; got ", values.typeOf().as<std::string>());
      const double length = values["length"].as<double>();
      if (offset < 0 || offset != std::floor(offset) || offset + length > static_cast<double>(tensor_->size()))
        dl::fail("tensor write: ", dl::show(length), " values from offset ", dl::show(offset),
                 " do not fit in a tensor of ", tensor_->size());
      val(emscripten::typed_memory_view(static_cast<std::size_t>(length),
                                        tensor_->data() + static_cast<std::size_t>(offset)))
          .call<void>("set", values);
    });
  }

  // Copies bytes (a Uint8Array) into the tensor from element `offset` on, each times
  // `scale`: pixels go in as 0..1 floats with no float copy of the data in JavaScript.
  void write_bytes(val bytes, double offset, double scale) {
    guarded([&] {
      if (!bytes.instanceof (val::global("Uint8Array")))
        dl::fail("tensor writeBytes: bytes must be a Uint8Array; got ", bytes.typeOf().as<std::string>());
      const double length = bytes["length"].as<double>();
      if (offset < 0 || offset != std::floor(offset) || offset + length > static_cast<double>(tensor_->size()))
        dl::fail("tensor writeBytes: ", dl::show(length), " values from offset ", dl::show(offset),
                 " do not fit in a tensor of ", tensor_->size());
      if (!std::isfinite(scale)) dl::fail("tensor writeBytes: scale must be a finite number");
      constexpr std::size_t kChunk = 1 << 20;
      std::vector<std::uint8_t> chunk(std::min<std::size_t>(kChunk, static_cast<std::size_t>(length)));
      float* out = tensor_->data() + static_cast<std::size_t>(offset);
      for (std::size_t begin = 0; begin < static_cast<std::size_t>(length); begin += kChunk) {
        const std::size_t n = std::min(kChunk, static_cast<std::size_t>(length) - begin);
        val(emscripten::typed_memory_view(n, chunk.data()))
            .call<void>("set", bytes.call<val>("subarray", begin, begin + n));
        for (std::size_t i = 0; i < n; ++i) out[begin + i] = static_cast<float>(chunk[i] * scale);
      }
    });
  }

  val read() const { return values_to_js(*tensor_); }
  // A copy of these images (n, h, w, c) with fit's augmentation applied ({shift, rotation,
  // zoom}), drawn from `seed`: what a training batch would see.
  val augmented(const std::string& options, double seed) const {
    return guarded([&] {
      dl::FitOptions f = dl::fit_options_from_json("{\"augment\":" + options + "}");
      if (tensor_->rank() != 4) dl::fail("augment: expected images of shape (n, height, width, channels)");
      dl::Tensor copy = *tensor_;
      dl::Rng rng(static_cast<std::uint64_t>(seed));
      dl::augment_batch(copy, f.augmentation, {tensor_->shape()[1], tensor_->shape()[2], tensor_->shape()[3]}, rng);
      return tensor_to_js(copy);
    });
  }
  val shape() const { return shape_to_js(tensor_->shape()); }
  double size() const { return static_cast<double>(tensor_->size()); }
  const dl::Tensor& tensor() const { return *tensor_; }
  // The tensor itself, shared with the op tape (ops/tape.h), which may read it after
  // JavaScript has let go of this handle.
  const std::shared_ptr<dl::Tensor>& value() const { return tensor_; }
  // A handle of a tensor an op made.
  static TensorHandle of(std::shared_ptr<dl::Tensor> tensor) {
    TensorHandle h;
    h.tensor_ = std::move(tensor);
    return h;
  }

 private:
  TensorHandle() = default;
  std::shared_ptr<dl::Tensor> tensor_ = std::make_shared<dl::Tensor>();
};

class SessionHandle;

class ModelHandle {
 public:
  explicit ModelHandle(const std::string& description)
      : model_(guarded([&] { return dl::model_from_json(description); })) {}

  void compile(const std::string& options) {
    guarded([&] { model_->compile(dl::compile_options_from_json(dl::Json::parse(options))); });
  }

  // validation_x / validation_y: TensorHandles, or null for none (or validationSplit);
  // sample_weight / validation_weight: TensorHandles of Keras' sample weights, or null.
  SessionHandle* fit_session(const TensorHandle& x, const TensorHandle& y, const std::string& options, val validation_x,
                             val validation_y, val sample_weight, val validation_weight);

  val train_on_batch(const TensorHandle& x, const TensorHandle& y) {
    return guarded([&] { return logs_to_js(model_->train_on_batch(x.tensor(), y.tensor())); });
  }

  val evaluate(const TensorHandle& x, const TensorHandle& y, int batch_size) {
    return guarded([&] {
      dl::Evaluation e = model_->evaluate(x.tensor(), y.tensor(), batch_size);
      val out = val::object();
      out.set("loss", e.loss);
      out.set("metrics", logs_to_js(e.metrics));
      if (e.classification) {
        report_to_js(e.report, out);
        out.set("rocAuc", std::isnan(e.roc_auc) ? val::null() : val(e.roc_auc));
      }
      return out;
    });
  }

  val predict(const TensorHandle& x, int batch_size) {
    return guarded([&] { return tensor_to_js(model_->predict(x.tensor(), batch_size)); });
  }
  val predict_probabilities(const TensorHandle& x, int batch_size) {
    return guarded([&] { return tensor_to_js(model_->predict_probabilities(x.tensor(), batch_size)); });
  }

  val activations(const TensorHandle& x) {
    return guarded([&] {
      std::vector<dl::Tensor> outputs = dl::layer_outputs(*model_, x.tensor());
      std::vector<std::string> names;  // per layer node: "name", or "name:k" for a shared layer's k-th application
      for (const dl::Node& node : model_->graph().nodes())
        if (node.layer) names.push_back(node.name);
      val out = val::array();
      for (std::size_t i = 0; i < outputs.size(); ++i) {
        val a = tensor_to_js(outputs[i]);
        a.set("layer", names[i]);
        out.call<void>("push", a);
      }
      return out;
    });
  }

  val input_gradient(const TensorHandle& x, int output_index) {
    return guarded([&] { return tensor_to_js(dl::input_gradient(*model_, x.tensor(), output_index)); });
  }
  val unit_gradient(const TensorHandle& x, int layer, int unit) {
    return guarded([&] { return tensor_to_js(dl::unit_gradient(*model_, x.tensor(), layer, unit)); });
  }

  // Every parameter as {layer, name, shape, values, trainable}, in layer order; trainable
  // is false for statistics such as batch normalization's moving mean.
  val weights() const {
    val out = val::array();
    for (const auto& layer : model_->layers())
      for (const dl::Parameter& p : layer->parameters()) {
        val w = tensor_to_js(*p.value);
        w.set("layer", layer->name);
        w.set("name", p.name);
        w.set("trainable", p.trainable);
        out.call<void>("push", w);
      }
    return out;
  }

  // values: an array of Float32Arrays, in the order of weights().
  // The optimizer's state of `other`, a model compiled alike (made again for inputs of
  // another length).
  void take_optimizer(const ModelHandle& other) {
    guarded([&] { model_->take_optimizer(*other.model_); });
  }

  void set_weights(val values) {
    guarded([&] {
      if (!values.isArray()) dl::fail("setWeights: expected an array of Float32Arrays");
      std::vector<std::vector<float>> arrays;
      const int count = values["length"].as<int>();
      for (int i = 0; i < count; ++i) {
        val v = values[i];
        if (!v.instanceof (val::global("Float32Array"))) dl::fail("setWeights: entry ", i, " is not a Float32Array");
        arrays.push_back(emscripten::convertJSArrayToNumberVector<float>(v));
      }
      model_->set_weights(arrays);
    });
  }

  val parameter_statistics(int bins) const {
    return guarded([&] {
      val out = val::array();
      for (const auto& layer : model_->layers())
        for (const dl::Parameter& p : layer->parameters()) {
          val s = val::object();
          s.set("layer", layer->name);
          s.set("name", p.name);
          s.set("weights", statistics_to_js(dl::statistics(*p.value, bins)));
          s.set("gradients", statistics_to_js(dl::statistics(*p.grad, bins)));
          out.call<void>("push", s);
        }
      return out;
    });
  }

  // [{name, type, outputShape, parameters}] for every layer.
  val layers() const {
    val out = val::array();
    for (const auto& layer : model_->layers()) {
      val l = val::object();
      l.set("name", layer->name);
      l.set("type", layer->type());
      l.set("outputShape", shape_to_js(layer->output_shape));
      l.set("parameters", static_cast<double>(layer->parameter_count()));
      out.call<void>("push", l);
    }
    return out;
  }

  // The graph: [{name, layer (null for an input), inputs: [tensor names], shape}] per node,
  // and which nodes are the inputs and outputs.
  val graph() const {
    const dl::Graph& g = model_->graph();
    val nodes = val::array();
    for (const dl::Node& node : g.nodes()) {
      val n = val::object();
      n.set("name", node.name);
      n.set("layer", node.layer ? val(node.layer->name) : val::null());
      val inputs = val::array();
      for (int i : node.inputs) inputs.call<void>("push", g.nodes()[i].name);
      n.set("inputs", inputs);
      n.set("shape", shape_to_js(node.shape));
      nodes.call<void>("push", n);
    }
    val out = val::object();
    out.set("nodes", nodes);
    val inputs = val::array(), outputs = val::array();
    for (int i : g.inputs()) inputs.call<void>("push", g.nodes()[i].name);
    for (int o : g.outputs()) outputs.call<void>("push", g.nodes()[o].name);
    out.set("inputs", inputs);
    out.set("outputs", outputs);
    return out;
  }

  std::string summary() const { return model_->summary(); }
  // Each layer's forward multiply-adds per sample (Layer::multiply_adds).
  val multiply_adds() const {
    val out = val::array();
    for (const auto& layer : model_->layers()) out.call<void>("push", layer->multiply_adds());
    return out;
  }

  void set_learning_rate(double rate) {
    guarded([&] {
      dl::OptimizerConfig c = model_->optimizer().config;
      c.learning_rate = static_cast<float>(rate);
      dl::check_optimizer_config(c);
      model_->optimizer().config = c;
    });
  }
  double learning_rate() {
    return guarded([&] { return static_cast<double>(model_->optimizer().config.learning_rate); });
  }
  val input_shape() const { return shape_to_js(model_->input_shape()); }
  val output_shape() const { return shape_to_js(model_->output_shape()); }
  dl::Sequential& model() { return *model_; }
  // The model, shared with what the op tape recorded of it (ops.h).
  const std::shared_ptr<dl::Sequential>& shared() const { return model_; }

 private:
  std::shared_ptr<dl::Sequential> model_;
};

// One fit, stepped one batch at a time from JavaScript.
class SessionHandle {
 public:
  SessionHandle(dl::Sequential& model, const dl::Tensor& x, const dl::Tensor& y, dl::FitOptions options)
      : model_(model), session_(model, x, y, std::move(options)) {}

  bool step() {
    return guarded([&] { return session_.step(); });
  }
  bool finished() const { return session_.finished(); }
  bool epoch_ended() const { return session_.epoch_ended(); }
  bool diverged() const { return session_.diverged(); }
  void stop() { session_.stop(); }
  int batches_per_epoch() const { return session_.batches_per_epoch(); }
  int epochs() const { return session_.epochs(); }

  val last_batch() const {
    const dl::BatchEnd& e = session_.last_batch();
    val out = val::object();
    out.set("epoch", e.epoch);
    out.set("batch", e.batch);
    out.set("batches", e.batches);
    out.set("seconds", e.seconds);
    out.set("samples", e.samples);
    out.set("learningRate", e.learning_rate);
    out.set("logs", logs_to_js(e.logs));
    return out;
  }

  val last_epoch() const {
    const dl::EpochEnd& e = session_.last_epoch();
    val out = val::object();
    out.set("epoch", e.epoch);
    out.set("seconds", e.seconds);
    out.set("logs", logs_to_js(e.logs));
    return out;
  }

  val history() const {
    val out = val::object();
    for (const auto& [name, values] : session_.history().values) out.set(name, val::array(values));
    return out;
  }

  dl::FitSession& session() { return session_; }
  dl::Sequential& model() { return model_; }

 private:
  dl::Sequential& model_;
  dl::FitSession session_;
};

inline SessionHandle* ModelHandle::fit_session(const TensorHandle& x, const TensorHandle& y, const std::string& options,
                                               val validation_x, val validation_y, val sample_weight,
                                               val validation_weight) {
  return guarded([&] {
    dl::FitOptions fit = dl::fit_options_from_json(options);
    if (!validation_x.isNull() && !validation_x.isUndefined()) {
      fit.validation_x = &validation_x.as<const TensorHandle&>().tensor();
      fit.validation_y = &validation_y.as<const TensorHandle&>().tensor();
    }
    if (!sample_weight.isNull() && !sample_weight.isUndefined())
      fit.sample_weight = &sample_weight.as<const TensorHandle&>().tensor();
    if (!validation_weight.isNull() && !validation_weight.isUndefined())
      fit.validation_sample_weight = &validation_weight.as<const TensorHandle&>().tensor();
    return new SessionHandle(*model_, x.tensor(), y.tensor(), fit);
  });
}

}  // namespace dl_bindings
