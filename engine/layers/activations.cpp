// Activation names and the Activation layer.
#include "layers/activations.h"

#include "core/names.h"
#include "core/simd.h"

namespace dl {

namespace {
const Named<ActivationKind> kActivations[] = {
    {"linear", ActivationKind::linear},         {"relu", ActivationKind::relu},
    {"leaky_relu", ActivationKind::leaky_relu}, {"elu", ActivationKind::elu},
    {"sigmoid", ActivationKind::sigmoid},       {"tanh", ActivationKind::tanh},
    {"softmax", ActivationKind::softmax},
};
}  // namespace

ActivationKind activation_from_name(const std::string& name, const std::string& where) {
  if (name.empty() || name == "none") return ActivationKind::linear;
  return kind_from_name(kActivations, name, where, "activation");
}

const char* activation_name(ActivationKind kind) { return name_of_kind(kActivations, kind); }

// Layers that do not end in an activation say so; the model then never fuses.
ActivationKind Layer::output_activation() const { return ActivationKind::linear; }

void apply_activation(ActivationKind kind, Tensor& t, int d) {
  const int n = static_cast<int>(t.size() / d);
  if (kind == ActivationKind::relu) {
    using namespace simd;
    float* v = t.data();
    const std::size_t count = t.size();
    const f32x4 zero = splat(0.0f);
    std::size_t i = 0;
    for (; i + 4 <= count; i += 4) store(v + i, max(load(v + i), zero));
    for (; i < count; ++i) v[i] = v[i] > 0.0f ? v[i] : 0.0f;
    return;
  }
  if (kind != ActivationKind::linear) activation_forward(kind, t.data(), t.data(), n, d);
}

void apply_activation_gradient(ActivationKind kind, const Tensor& y, Tensor& dy, int d) {
  const int n = static_cast<int>(y.size() / d);
  if (kind == ActivationKind::relu) {
    using namespace simd;
    const float* out = y.data();
    float* g = dy.data();
    const std::size_t count = y.size();
    const f32x4 zero = splat(0.0f);
    std::size_t i = 0;
    for (; i + 4 <= count; i += 4) store(g + i, select_positive(load(out + i), load(g + i), zero));
    for (; i < count; ++i) g[i] = out[i] > 0.0f ? g[i] : 0.0f;
    return;
  }
  if (kind != ActivationKind::linear) activation_backward(kind, y.data(), dy.data(), dy.data(), n, d);
}

std::vector<int> ActivationLayer::build(const std::vector<int>& input_shape) {
  if (input_shape.empty()) fail(label(), " needs at least one feature dimension");
  return input_shape;
}

void ActivationLayer::forward(const Tensor& x, Tensor& y, bool) {
  std::copy(x.values().begin(), x.values().end(), y.values().begin());
  if (!emit_logits) apply_activation(kind_, y, input_shape.back());
}

void ActivationLayer::backward(const Tensor&, const Tensor& y, Tensor& dy, Tensor* dx) {
  if (!emit_logits) apply_activation_gradient(kind_, y, dy, input_shape.back());
  if (dx) std::copy(dy.values().begin(), dy.values().end(), dx->values().begin());
}

}  // namespace dl
