// A model applied to a tensor as one computation on the op tape (ops/tape.h), so that
// gradients of any code that calls a model (TensorFlow.js' model.apply inside
// variableGrads or minimize) flow through the model's layers to its input and to its
// parameters. The parameters take part as tensors that share the layers' own values: an
// optimizer's update of them is the model's update.
#pragma once

#include <memory>
#include <vector>

#include "ops/tape.h"
#include "train/sequential.h"

namespace dl {

// The model's output for x ((N, input shape...), or the inputs side by side for several;
// the outputs side by side for several), recorded on the tapes listed (all open ones for
// null). `training`: dropout drops and batch normalization uses the batch's statistics,
// as in fit. Throws naming "apply" for an x the model cannot take.
std::shared_ptr<Tensor> apply_on_tape(ops::Tape& tape, const std::shared_ptr<Sequential>& model,
                                      const std::shared_ptr<Tensor>& x, bool training,
                                      const std::vector<int>* tapes = nullptr);

// Every parameter of the model, in the order of Sequential::parameters(), as tensors that
// share the parameters' values (and keep the model alive).
std::vector<std::shared_ptr<Tensor>> parameter_values(const std::shared_ptr<Sequential>& model);

}  // namespace dl
