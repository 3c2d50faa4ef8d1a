// Activation names and the Activation layer.
#include "activations.h"

#include "names.h"

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
const Tensor& Layer::logits() const { fail(label(), " has no pre-activation output"); }
Tensor Layer::backward_from_logits(const Tensor& dz) { return backward(dz); }

std::vector<int> ActivationLayer::build(const std::vector<int>& input_shape) {
  if (input_shape.empty()) fail(label(), " needs at least one feature dimension");
  return input_shape;
}

Tensor ActivationLayer::forward(const Tensor& x, bool) {
  const int d = input_shape.back();
  const int n = static_cast<int>(x.size() / d);
  input_ = x;
  output_ = Tensor(x.shape());
  activation_forward(kind_, x.data(), output_.data(), n, d);
  return output_;
}

Tensor ActivationLayer::backward(const Tensor& dy) {
  const int d = input_shape.back();
  const int n = static_cast<int>(dy.size() / d);
  Tensor dx(dy.shape());
  activation_backward(kind_, input_.data(), output_.data(), dy.data(), dx.data(), n, d);
  return dx;
}

}  // namespace dl
