// Looking inside a model for visualization: every layer's output for an input, the
// gradient of one output with respect to the input (saliency), and summary statistics
// of each parameter and its last gradient.
#pragma once

#include <string>
#include <vector>

#include "train/sequential.h"

namespace dl {

// x: (N, input...) -> one tensor per layer, (N, that layer's output...), in inference mode.
std::vector<Tensor> layer_outputs(Sequential& model, const Tensor& x);

// x: (N, input...) -> d output[:, index] / d x, shape of x. Output index counts over the
// flattened output. Parameter gradients from the last training step are kept.
Tensor input_gradient(Sequential& model, const Tensor& x, int output_index);
// The gradient, with respect to x, of one unit of layer `layer`'s output (a channel's mean
// over its map for convolution and pooling layers): what activation maximization climbs.
Tensor unit_gradient(Sequential& model, const Tensor& x, int layer, int unit);

struct Statistics {
  double mean = 0, std = 0, min = 0, max = 0;
  std::vector<long> histogram;  // equal-width bins over [min, max]
};

Statistics statistics(const Tensor& t, int bins);

}  // namespace dl
