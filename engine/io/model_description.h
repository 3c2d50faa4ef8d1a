// Models, compile settings and fit settings from JSON, in the vocabulary of Keras and
// TensorFlow.js (camelCase as TensorFlow.js writes it; Keras' snake_case is accepted too):
//
// {"seed": 1,
//  "layers": [{"type": "dense", "units": 128, "activation": "relu", "inputShape": [784]},
//             {"type": "dropout", "rate": 0.2},
//             {"type": "dense", "units": 10, "activation": "softmax"}],
//  "compile": {"optimizer": {"type": "adam", "learningRate": 0.001},
//              "loss": "categorical_crossentropy", "metrics": ["accuracy"]}}
//
// Unknown member names are errors, so a typo never silently falls back to a default.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "io/json.h"
#include "train/sequential.h"

namespace dl {

// A layer as built: what the page's builder shows beside it.
struct LayerSummary {
  std::string name, type;
  std::vector<int> output_shape;
  std::size_t parameters = 0;
};

// A model whose layer `layer_index` cannot be built: the message, the option at fault
// (empty when the layer as a whole does not fit, such as Conv2D after Dense), and the
// layers before it as they were built, so that a builder can mark the place without
// building again.
class ModelBuildError : public EngineError {
 public:
  ModelBuildError(const std::string& message, int layer_index, std::string option, std::vector<LayerSummary> built)
      : EngineError(message), layer_index(layer_index), option(std::move(option)), built(std::move(built)) {}
  int layer_index;
  std::string option;
  std::vector<LayerSummary> built;
};

// Throws ModelBuildError when a layer cannot be built, EngineError for anything else.
// A description with "inputs" and "outputs" is a graph (graph_description.cpp).
std::unique_ptr<Sequential> model_from_json(const std::string& text);
void graph_from_json(Sequential& model, const Json& inputs, const Json& layers, const Json& outputs);
std::unique_ptr<Layer> layer_from_json(const Json& spec, const std::string& where, std::vector<int>* input_shape);
CompileOptions compile_options_from_json(const Json& spec);
OptimizerConfig optimizer_from_json(const Json& spec);
// Fills the plain settings of fit (epochs, batchSize, shuffle, validationSplit,
// classWeight, earlyStopping, augment, schedule); data and callbacks are the caller's.
FitOptions fit_options_from_json(const std::string& text);
// A learning-rate schedule from its JSON form ({"type": "cosine_decay", "decaySteps": 500}).
LearningRateSchedule schedule_from_json(const Json& doc);

}  // namespace dl
