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

#include "io/json.h"
#include "train/sequential.h"

namespace dl {

std::unique_ptr<Sequential> model_from_json(const std::string& text);
std::unique_ptr<Layer> layer_from_json(const Json& spec, const std::string& where, std::vector<int>* input_shape);
CompileOptions compile_options_from_json(const Json& spec);
OptimizerConfig optimizer_from_json(const Json& spec);
// Fills the plain settings of fit (epochs, batchSize, shuffle, validationSplit,
// classWeight, earlyStopping); data and callbacks are the caller's.
FitOptions fit_options_from_json(const std::string& text);

}  // namespace dl
