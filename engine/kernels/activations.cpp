// Activation names, and activations applied to whole tensors (relu with SIMD).
#include "kernels/activations.h"

#include "core/error.h"
#include "core/names.h"
#include "core/simd.h"

namespace dl {

namespace {
const Named<ActivationKind> kActivations[] = {
    {"linear", ActivationKind::linear},
    {"relu", ActivationKind::relu},
    {"leaky_relu", ActivationKind::leaky_relu},
    {"elu", ActivationKind::elu},
    {"sigmoid", ActivationKind::sigmoid},
    {"tanh", ActivationKind::tanh},
    {"softmax", ActivationKind::softmax},
    {"hard_sigmoid", ActivationKind::hard_sigmoid},
    {"softplus", ActivationKind::softplus},
    {"softsign", ActivationKind::softsign},
    {"selu", ActivationKind::selu},
    {"gelu", ActivationKind::gelu},
    {"gelu_new", ActivationKind::gelu_new},
    {"swish", ActivationKind::swish},
    {"silu", ActivationKind::swish},
    {"mish", ActivationKind::mish},
    {"hard_sigmoid_keras", ActivationKind::hard_sigmoid_keras},
};
}  // namespace

ActivationKind activation_from_name(const std::string& name, const std::string& where) {
  if (name.empty() || name == "none") return ActivationKind::linear;
  return kind_from_name(kActivations, name, where, "activation");
}

const char* activation_name(ActivationKind kind) { return name_of_kind(kActivations, kind); }
std::vector<std::string> activation_names() { return names_of(kActivations); }

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

void apply_activation_gradient(ActivationKind kind, const Tensor& y, Tensor& dy, int d, const Tensor* input) {
  const int n = static_cast<int>(y.size() / d);
  if (activation_needs_input(kind)) {
    if (!input || input->size() != dy.size())
      fail("activation ", activation_name(kind),
           ": its gradient needs the pre-activation, which this layer did not keep");
    activation_backward_from_input(kind, input->data(), dy.data(), dy.data(), dy.size());
    return;
  }
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

}  // namespace dl
