// Embind bindings: the engine's tensors, models and training sessions as JavaScript
// classes. This file only translates types (typed arrays <-> tensors, results -> plain
// objects) and errors (EngineError -> JavaScript Error with the engine's message); no
// logic lives here. The JavaScript library in web/lib/ is the only intended caller.
#include <emscripten/bind.h>
#include <emscripten/val.h>
#include <malloc.h>

#include <cmath>
#include <exception>
#include <memory>
#include <string>
#include <type_traits>
#include <vector>

#include "catalog/catalog.h"
#include "core/simd.h"
#include "handles.h"
#include "kernels/gemm.h"
#include "ops.h"
#include "shares.h"

using emscripten::val;

namespace {

using namespace dl_bindings;

// Bytes the engine has allocated and not freed (malloc's in-use count), for leak checks.
double heap_in_use() { return static_cast<double>(mallinfo().uordblks); }

// truth, predicted: arrays of whole numbers (checked by the library's caller).
val class_report(val truth, val predicted, int classes) {
  return guarded([&] {
    val out = val::object();
    report_to_js(dl::requested_class_report(emscripten::vecFromJSArray<int>(truth),
                                            emscripten::vecFromJSArray<int>(predicted), classes),
                 out);
    return out;
  });
}

}  // namespace

EMSCRIPTEN_BINDINGS(dl_engine) {
  emscripten::class_<TensorHandle>("Tensor")
      .constructor<val>()
      .function("write", &TensorHandle::write)
      .function("writeBytes", &TensorHandle::write_bytes)
      .function("read", &TensorHandle::read)
      .function("augmented", &TensorHandle::augmented)
      .function("shape", &TensorHandle::shape)
      .function("size", &TensorHandle::size);
  emscripten::class_<SessionHandle>("FitSession")
      .function("step", &SessionHandle::step)
      .function("finished", &SessionHandle::finished)
      .function("epochEnded", &SessionHandle::epoch_ended)
      .function("diverged", &SessionHandle::diverged)
      .function("stop", &SessionHandle::stop)
      .function("batchesPerEpoch", &SessionHandle::batches_per_epoch)
      .function("epochs", &SessionHandle::epochs)
      .function("lastBatch", &SessionHandle::last_batch)
      .function("lastEpoch", &SessionHandle::last_epoch)
      .function("history", &SessionHandle::history)
      .function("beginBatch", &begin_batch)
      .function("batchShare", &batch_share)
      .function("computeShare", &compute_share)
      .function("addShare", &add_share)
      .function("finishBatch", &finish_batch);
  emscripten::class_<ModelHandle>("Model")
      .constructor<std::string>()
      .function("compile", &ModelHandle::compile)
      .function("fitSession", &ModelHandle::fit_session, emscripten::allow_raw_pointers())
      .function("trainOnBatch", &ModelHandle::train_on_batch)
      .function("evaluate", &ModelHandle::evaluate)
      .function("predict", &ModelHandle::predict)
      .function("predictProbabilities", &ModelHandle::predict_probabilities)
      .function("activations", &ModelHandle::activations)
      .function("inputGradient", &ModelHandle::input_gradient)
      .function("unitGradient", &ModelHandle::unit_gradient)
      .function("weights", &ModelHandle::weights)
      .function("setWeights", &ModelHandle::set_weights)
      .function("takeOptimizer", &ModelHandle::take_optimizer)
      .function("parameterStatistics", &ModelHandle::parameter_statistics)
      .function("layers", &ModelHandle::layers)
      .function("graph", &ModelHandle::graph)
      .function("summary", &ModelHandle::summary)
      .function("multiplyAdds", &ModelHandle::multiply_adds)
      .function("setLearningRate", &ModelHandle::set_learning_rate)
      .function("learningRate", &ModelHandle::learning_rate)
      .function("inputShape", &ModelHandle::input_shape)
      .function("outputShape", &ModelHandle::output_shape)
      .function("weightsFlat", &weights_flat)
      .function("weightsInto", &weights_into)
      .function("setWeightsFlat", &set_weights_flat)
      .function("shareGradients", &share_gradients);
  emscripten::function("catalog", &dl::catalog_json);
#ifndef DL_LITE
  // The op table and its tape; the first widget's engine leaves them out (CMakeLists.txt).
  emscripten::function("runOp", &run_op);
  emscripten::function("scalarTensor", &scalar_tensor);
  emscripten::function("randomTensor", &random_tensor);
  emscripten::function("initialTensor", &initial_tensor);
  emscripten::function("startTape", &start_tape);
  emscripten::function("stopTape", &stop_tape);
  emscripten::function("tapeSize", &tape_size);
  emscripten::function("gradients", &gradients);
  emscripten::function("applyModel", &apply_model);
  emscripten::function("modelParameters", &model_parameters);
  emscripten::class_<VariableOptimizerHandle>("VariableOptimizer")
      .constructor<std::string>()
      .function("step", &VariableOptimizerHandle::step)
      .function("setLearningRate", &VariableOptimizerHandle::set_learning_rate);
#endif
  emscripten::function("heapInUse", &heap_in_use);
  emscripten::function("classReport", &class_report);
  emscripten::function("hasError", &has_error);
  emscripten::function("takeError", &take_error);
  emscripten::function("takeErrorPlace", &take_error_place);
  // A real WebAssembly trap, for the tests of recovery from a dead engine.
  emscripten::function(
      "trapForTesting", +[] { __builtin_trap(); });
  emscripten::constant("simd", std::string(dl::simd::kName));
  emscripten::function("warmUpKernels", &dl::warm_up_kernels);
}
