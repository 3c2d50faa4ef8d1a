// Introspection runs the same layer code as training, in inference mode.
#include "train/introspection.h"

#include <algorithm>
#include <cmath>

#include "core/error.h"

namespace dl {

std::vector<Tensor> layer_outputs(Sequential& model, const Tensor& x) {
  model.check_inputs(x, "activations");
  model.forward(x, false);
  return model.layer_outputs();
}

Tensor input_gradient(Sequential& model, const Tensor& x, int output_index) {
  model.check_inputs(x, "saliency");
  const int outputs = static_cast<int>(shape_size(model.output_shape()));
  if (output_index < 0 || output_index >= outputs)
    fail("saliency: output index ", output_index, " is outside the model's ", outputs, " outputs (0 to ", outputs - 1,
         ")");
  // Backward passes overwrite parameter gradients; keep the training step's.
  std::vector<Parameter> params = model.parameters();
  std::vector<std::vector<float>> kept;
  for (const Parameter& p : params) kept.push_back(p.grad->values());

  const Tensor& out = model.forward(x, false);
  Tensor grad(out.shape(), 0.0f);
  for (int i = 0; i < grad.rows(); ++i) grad[static_cast<std::size_t>(i) * outputs + output_index] = 1.0f;
  Tensor dx = *model.backward(x, grad, true);

  for (std::size_t k = 0; k < params.size(); ++k) params[k].grad->values() = kept[k];
  return dx;
}

Tensor unit_gradient(Sequential& model, const Tensor& x, int layer, int unit) {
  model.check_inputs(x, "maximizeActivation");
  const int layers = static_cast<int>(model.layers().size());
  if (layer < 0 || layer >= layers)
    fail("maximizeActivation: layer ", layer, " is outside the model's ", layers, " layers (0 to ", layers - 1, ")");
  const std::vector<int>& shape = model.layers()[layer]->output_shape;
  const int channels = shape.back();
  if (unit < 0 || unit >= channels)
    fail("maximizeActivation: unit ", unit, " is outside layer ", layer, "'s ", channels, " units (0 to ", channels - 1,
         ")");
  std::vector<Parameter> params = model.parameters();
  std::vector<std::vector<float>> kept;
  for (const Parameter& p : params) kept.push_back(p.grad->values());

  model.forward(x, false);
  // The layer's output (its first, for a layer applied more than once) by its shape: the
  // model's node list and its layer list differ once a layer is shared.
  std::vector<int> grad_shape{x.rows()};
  grad_shape.insert(grad_shape.end(), shape.begin(), shape.end());
  Tensor grad(grad_shape, 0.0f);
  const std::size_t positions = grad.size() / static_cast<std::size_t>(channels);
  const float share = static_cast<float>(x.rows()) / static_cast<float>(positions);
  for (std::size_t p = 0; p < positions; ++p) grad[p * channels + unit] = share;
  Tensor dx = *model.backward(x, grad, true, layer);

  for (std::size_t k = 0; k < params.size(); ++k) params[k].grad->values() = kept[k];
  return dx;
}

Statistics statistics(const Tensor& t, int bins) {
  if (bins < 1 || bins > 4096) fail("statistics: bins must be from 1 to 4096; got ", bins);
  Statistics s;
  s.histogram.assign(bins, 0);
  if (t.empty()) return s;
  double sum = 0, sum_sq = 0;
  s.min = s.max = t[0];
  for (float v : t.values()) {
    sum += v;
    sum_sq += static_cast<double>(v) * v;
    s.min = std::min<double>(s.min, v);
    s.max = std::max<double>(s.max, v);
  }
  const double n = static_cast<double>(t.size());
  s.mean = sum / n;
  s.std = std::sqrt(std::max(0.0, sum_sq / n - s.mean * s.mean));
  const double width = (s.max - s.min) / bins;
  for (float v : t.values()) {
    int b = width > 0 ? static_cast<int>((v - s.min) / width) : 0;
    ++s.histogram[std::min(std::max(b, 0), bins - 1)];
  }
  return s;
}

}  // namespace dl
