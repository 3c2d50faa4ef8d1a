// Embind bindings: the engine's Sequential model as a JavaScript class. This file only
// translates types (typed arrays <-> tensors, results -> plain objects) and errors
// (EngineError -> JavaScript Error with the engine's message); no logic lives here.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <cmath>
#include <exception>
#include <memory>
#include <string>
#include <vector>

#include "model.h"
#include "model_description.h"

using emscripten::val;

namespace {

// The message of the last error, kept outside any frame so that nothing needs to be
// destroyed when the JavaScript exception unwinds through this code.
std::string g_error_message;

// Calls a JavaScript callback and returns what it threw, or null: JavaScript exceptions
// must not unwind through C++ frames, whose destructors would not run.
val safe_call() {
  static val caller =
      val::global("Function")
          .new_(val("f"), val("e"), val("try { f(e); return null; } catch (x) { return x === null ? 'null' : x; }"));
  return caller;
}

[[noreturn]] void throw_js_error() { val::global("Error").new_(val(g_error_message)).throw_(); }

// Runs f and turns any C++ exception into a JavaScript Error carrying its message.
template <typename F>
auto guarded(F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const std::bad_alloc&) {
    g_error_message = "out of memory: the model or data set is too large for this browser tab";
  } catch (const std::exception& e) {
    g_error_message = e.what();
  } catch (...) {
    g_error_message = "unknown engine error";
  }
  throw_js_error();
}

dl::Tensor tensor_from_js(const val& values, const val& shape, const char* what) {
  if (!values.instanceof (val::global("Float32Array")))
    dl::fail(what, " must be a Float32Array; got ", values.typeOf().as<std::string>());
  if (!shape.isArray()) dl::fail(what, " needs its shape as an array of whole numbers");
  std::vector<double> dims = emscripten::vecFromJSArray<double>(shape);
  std::vector<int> s;
  double total = 1;
  for (double d : dims) {
    if (!(d >= 0 && d == std::floor(d) && d < 2147483648.0))
      dl::fail(what, ": shape entries must be whole numbers >= 0; got ", d);
    s.push_back(static_cast<int>(d));
    total *= d;
  }
  const double length = values["length"].as<double>();
  if (s.empty() || total != length)
    dl::fail(what, ": shape ", dl::shape_text(s, false), " holds ", total, " values but the Float32Array has ", length);
  return dl::Tensor(s, emscripten::convertJSArrayToNumberVector<float>(values));
}

val tensor_to_js(const dl::Tensor& t) {
  val out = val::object();
  out.set("values", val(emscripten::typed_memory_view(t.size(), t.data())).call<val>("slice"));
  out.set("shape", val::array(t.shape()));
  return out;
}

val logs_to_js(const dl::Logs& logs) {
  val out = val::object();
  for (const auto& [name, value] : logs) out.set(name, value);
  return out;
}

class Model {
 public:
  explicit Model(const std::string& description) : model_(guarded([&] { return dl::model_from_json(description); })) {}

  void compile(const std::string& options) {
    guarded([&] { model_->compile(dl::compile_options_from_json(dl::Json::parse(options))); });
  }

  // validation: null, or {x, xShape, y, yShape} for Keras' validation_data.
  val fit(val x, val x_shape, val y, val y_shape, const std::string& options, val on_batch_end, val on_epoch_end,
          val validation) {
    return guarded([&] {
      dl::Tensor tx = tensor_from_js(x, x_shape, "fit: x"), ty = tensor_from_js(y, y_shape, "fit: y");
      dl::FitOptions fit = dl::fit_options_from_json(options);
      dl::Tensor vx, vy;
      if (!validation.isNull() && !validation.isUndefined()) {
        vx = tensor_from_js(validation["x"], validation["xShape"], "fit: validation x");
        vy = tensor_from_js(validation["y"], validation["yShape"], "fit: validation y");
        fit.validation_x = &vx;
        fit.validation_y = &vy;
      }
      // A callback that throws stops training; its error is rethrown after fit returns,
      // so that the engine's own state is never abandoned halfway through a batch.
      std::string callback_error;
      auto call = [&](val& callback, const val& event, const char* which) {
        if (!callback_error.empty()) return;
        val error = safe_call()(callback, event);
        if (!error.isNull()) {
          callback_error =
              std::string("fit: the ") + which + " callback threw: " + val::global("String")(error).as<std::string>();
          model_->stop_training = true;
        }
      };
      if (on_batch_end.typeOf().as<std::string>() == "function")
        fit.on_batch_end = [&](const dl::BatchEnd& e) {
          val event = val::object();
          event.set("epoch", e.epoch);
          event.set("batch", e.batch);
          event.set("batches", e.batches);
          event.set("seconds", e.seconds);
          event.set("samples", e.samples);
          event.set("logs", logs_to_js(e.logs));
          call(on_batch_end, event, "onBatchEnd");
        };
      if (on_epoch_end.typeOf().as<std::string>() == "function")
        fit.on_epoch_end = [&](const dl::EpochEnd& e) {
          val event = val::object();
          event.set("epoch", e.epoch);
          event.set("seconds", e.seconds);
          event.set("logs", logs_to_js(e.logs));
          call(on_epoch_end, event, "onEpochEnd");
        };
      dl::History history = model_->fit(tx, ty, fit);
      if (!callback_error.empty()) dl::fail(callback_error);
      val out = val::object();
      for (const auto& [name, values] : history.values) out.set(name, val::array(values));
      return out;
    });
  }

  val train_on_batch(val x, val x_shape, val y, val y_shape) {
    return guarded([&] {
      dl::Tensor tx = tensor_from_js(x, x_shape, "trainOnBatch: x"), ty = tensor_from_js(y, y_shape, "trainOnBatch: y");
      return logs_to_js(model_->train_on_batch(tx, ty));
    });
  }

  val evaluate(val x, val x_shape, val y, val y_shape, int batch_size) {
    return guarded([&] {
      dl::Tensor tx = tensor_from_js(x, x_shape, "evaluate: x"), ty = tensor_from_js(y, y_shape, "evaluate: y");
      dl::Evaluation e = model_->evaluate(tx, ty, batch_size);
      val out = val::object();
      out.set("loss", e.loss);
      out.set("metrics", logs_to_js(e.metrics));
      if (e.classification) {
        out.set("confusionMatrix", val::array(e.report.confusion));
        out.set("classes", e.report.classes);
        out.set("precision", val::array(e.report.precision));
        out.set("recall", val::array(e.report.recall));
        out.set("f1", val::array(e.report.f1));
        out.set("rocAuc", std::isnan(e.roc_auc) ? val::null() : val(e.roc_auc));
      }
      return out;
    });
  }

  val predict(val x, val x_shape, int batch_size) {
    return guarded([&] { return tensor_to_js(model_->predict(tensor_from_js(x, x_shape, "predict: x"), batch_size)); });
  }

  // Every parameter as {layer, name, shape, values}, in layer order.
  val weights() const {
    val out = val::array();
    for (const auto& layer : model_->layers())
      for (const dl::Parameter& p : layer->parameters()) {
        val w = tensor_to_js(*p.value);
        w.set("layer", layer->name);
        w.set("name", p.name);
        out.call<void>("push", w);
      }
    return out;
  }

  std::string summary() const { return model_->summary(); }
  void stop_training() { model_->stop_training = true; }
  void set_learning_rate(double rate) {
    guarded([&] {
      dl::OptimizerConfig c = model_->optimizer().config;
      c.learning_rate = static_cast<float>(rate);
      dl::check_optimizer_config(c);
      model_->optimizer().config = c;
    });
  }
  val input_shape() const { return val::array(model_->input_shape()); }
  val output_shape() const { return val::array(model_->output_shape()); }

 private:
  std::unique_ptr<dl::Sequential> model_;
};

}  // namespace

EMSCRIPTEN_BINDINGS(dl_engine) {
  emscripten::class_<Model>("Model")
      .constructor<std::string>()
      .function("compile", &Model::compile)
      .function("fit", &Model::fit)
      .function("trainOnBatch", &Model::train_on_batch)
      .function("evaluate", &Model::evaluate)
      .function("predict", &Model::predict)
      .function("weights", &Model::weights)
      .function("summary", &Model::summary)
      .function("stopTraining", &Model::stop_training)
      .function("setLearningRate", &Model::set_learning_rate)
      .function("inputShape", &Model::input_shape)
      .function("outputShape", &Model::output_shape);
}
