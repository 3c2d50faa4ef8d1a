// The recurrent layers' set-up and glue: weights in Keras' layouts, the dropout masks drawn
// per row like DropoutLayer's (so that a batch cut into slices drops the same values), and
// the tape of each application (call) kept for its backward.
#include "layers/recurrent.h"

#include <algorithm>

#include "core/error.h"
#include "core/show.h"

namespace dl {

RecurrentLayer::RecurrentLayer(const RecurrentOptions& options) : options_(options) {
  if (options.units <= 0) fail(type(), ": units must be a positive whole number; got ", options.units);
  if (!(options.dropout >= 0.0f && options.dropout < 1.0f))
    fail(type(), ": dropout must be in [0, 1); got ", show(options.dropout));
  if (!(options.recurrent_dropout >= 0.0f && options.recurrent_dropout < 1.0f))
    fail(type(), ": recurrentDropout must be in [0, 1); got ", show(options.recurrent_dropout));
}

std::string RecurrentLayer::type() const {
  switch (options_.kind) {
    case CellKind::lstm: return "LSTM";
    case CellKind::gru: return "GRU";
    default: return "SimpleRNN";
  }
}

RecurrentSpec RecurrentLayer::spec(int n) const {
  RecurrentSpec s;
  s.kind = options_.kind;
  s.activation = options_.activation;
  s.recurrent_activation = options_.recurrent_activation;
  s.reset_after = options_.reset_after;
  s.go_backwards = options_.go_backwards;
  s.return_sequences = options_.return_sequences;
  s.return_state = options_.return_state;
  s.n = n;
  if (input_shape.size() == 2) {
    s.steps = input_shape[0];
    s.features = input_shape[1];
  }
  s.units = options_.units;
  return s;
}

std::vector<int> RecurrentLayer::build(const std::vector<int>& shape) {
  if (shape.size() != 2)
    fail(label(), " expects a sequence of shape (None, steps, features); got ", shape_text(shape),
         shape.size() == 1 ? ". Reshape it to (steps, features) first, or embed it." : "");
  for (ActivationKind a : {options_.activation, options_.recurrent_activation})
    if (a == ActivationKind::softmax)
      fail(label(), ": softmax works on a whole row and cannot be a recurrent layer's activation");
  const int steps = shape[0], features = shape[1], u = options_.units;
  const int G = gate_count(options_.kind);
  const std::uint64_t width = static_cast<std::uint64_t>(G) * u;
  for (std::uint64_t rows : {static_cast<std::uint64_t>(features), static_cast<std::uint64_t>(u)})
    if (rows * width > kMaxTensorValues)
      fail(label(), ": a kernel of ", rows, " x ", width, " would need ",
           static_cast<double>(rows * width) * 4 / (1 << 20), " MiB; the limit is ", (kMaxTensorValues * 4) >> 20,
           " MiB per tensor");
  if (static_cast<std::uint64_t>(steps) * width > kMaxTensorValues)
    fail(label(), ": ", steps, " steps of ", width, " gates would need more than ", (kMaxTensorValues * 4) >> 20,
         " MiB per sample");
  input_shape = shape;
  const int Gu = static_cast<int>(width);
  kernel_ = Tensor({features, Gu});
  kernel_grad_ = Tensor({features, Gu});
  initialize(kernel_, options_.kernel_initializer, features, Gu, *rng);
  recurrent_ = Tensor({u, Gu});
  recurrent_grad_ = Tensor({u, Gu});
  initialize(recurrent_, options_.recurrent_initializer, u, Gu, *rng);
  if (options_.use_bias) {
    const std::vector<int> bias_shape =
        options_.kind == CellKind::gru && options_.reset_after ? std::vector<int>{2, Gu} : std::vector<int>{Gu};
    bias_ = Tensor(bias_shape);
    bias_grad_ = Tensor(bias_shape);
    initialize(bias_, options_.bias_initializer, features, Gu, *rng);
    // Keras' unit_forget_bias: the forget gate (the second) starts open.
    if (options_.kind == CellKind::lstm && options_.unit_forget_bias) std::fill_n(bias_.data() + u, u, 1.0f);
  }
  std::vector<int> out = options_.return_sequences ? std::vector<int>{steps, u} : std::vector<int>{u};
  if (options_.return_state) return {spec(1).output_size()};
  return out;
}

std::vector<std::vector<int>> RecurrentLayer::output_parts() const {
  if (!options_.return_state) return {};
  const int u = options_.units;
  std::vector<std::vector<int>> parts = {
      options_.return_sequences ? std::vector<int>{input_shape[0], u} : std::vector<int>{u}, {u}};
  if (options_.kind == CellKind::lstm) parts.push_back({u});
  return parts;
}

double RecurrentLayer::multiply_adds() const {
  if (input_shape.size() != 2) return 0;
  const double width = static_cast<double>(gate_count(options_.kind)) * options_.units;
  return input_shape[0] * (input_shape[1] + options_.units) * width;
}

std::vector<int> RecurrentLayer::build_many(const std::vector<std::vector<int>>& shapes) {
  const int states = max_inputs() - 1;
  if (shapes.size() != 1 && static_cast<int>(shapes.size()) != 1 + states)
    fail(label(), " takes its input, or its input and its initial state", states > 1 ? "s [h, c]" : " [h]",
         "; it was given ", shapes.size(), " inputs");
  for (std::size_t k = 1; k < shapes.size(); ++k)
    if (shapes[k] != std::vector<int>{options_.units})
      fail(label(), ": initial state ", k, " must have shape ", shape_text({options_.units}),
           ", one value per unit; got ", shape_text(shapes[k]));
  return build(shapes[0]);
}

void RecurrentLayer::forward(const Tensor& x, Tensor& y, bool training) {
  run_forward(x, nullptr, nullptr, y, training);
}

void RecurrentLayer::forward_many(const std::vector<const Tensor*>& xs, Tensor& y, bool training) {
  run_forward(*xs[0], xs.size() > 1 ? xs[1] : nullptr, xs.size() > 2 ? xs[2] : nullptr, y, training);
}

void RecurrentLayer::backward(const Tensor& x, const Tensor&, Tensor& dy, Tensor* dx) {
  run_backward(x, dy, dx, nullptr, nullptr);
}

void RecurrentLayer::backward_many(const std::vector<const Tensor*>& xs, const Tensor&, Tensor& dy,
                                   const std::vector<Tensor*>& dxs) {
  run_backward(*xs[0], dy, dxs[0], dxs.size() > 1 ? dxs[1] : nullptr, dxs.size() > 2 ? dxs[2] : nullptr);
}

void RecurrentLayer::run_forward(const Tensor& x, const Tensor* h0, const Tensor* c0, Tensor& y, bool training) {
  if (static_cast<int>(calls_.size()) <= call) calls_.resize(call + 1);
  Call& c = calls_[call];
  const RecurrentSpec s = spec(x.rows());
  c.input_keep.clear();
  c.state_keep.clear();
  if (training && (options_.dropout > 0.0f || options_.recurrent_dropout > 0.0f)) {
    // One mask per sequence, the same at every step (Keras' and TensorFlow.js' rule).
    if (options_.dropout > 0.0f) c.input_keep.resize(static_cast<std::size_t>(s.n) * s.features);
    if (options_.recurrent_dropout > 0.0f) c.state_keep.resize(static_cast<std::size_t>(s.n) * s.units);
    const float in_keep = 1.0f - options_.dropout, state_keep = 1.0f - options_.recurrent_dropout;
    for (int r = 0; r < s.n; ++r) {
      Rng row(noise_seed + 0xD1B54A32D192ED03ull * static_cast<std::uint64_t>(first_row + r));
      if (!c.input_keep.empty())
        for (int f = 0; f < s.features; ++f)
          c.input_keep[static_cast<std::size_t>(r) * s.features + f] = row.uniform() < in_keep ? 1.0f / in_keep : 0.0f;
      if (!c.state_keep.empty())
        for (int j = 0; j < s.units; ++j)
          c.state_keep[static_cast<std::size_t>(r) * s.units + j] =
              row.uniform() < state_keep ? 1.0f / state_keep : 0.0f;
    }
  }
  const Tensor* m = mask();
  recurrent_forward<float>(s, x.data(), kernel_.data(), recurrent_.data(), options_.use_bias ? bias_.data() : nullptr,
                           m ? m->data() : nullptr, c.input_keep.empty() ? nullptr : c.input_keep.data(),
                           c.state_keep.empty() ? nullptr : c.state_keep.data(), y.data(), c.tape,
                           h0 ? h0->data() : nullptr, c0 ? c0->data() : nullptr);
}

void RecurrentLayer::run_backward(const Tensor& x, Tensor& dy, Tensor* dx, Tensor* dh0, Tensor* dc0) {
  Call& c = calls_.at(call);
  const RecurrentSpec s = spec(x.rows());
  const Tensor* m = mask();
  recurrent_backward<float>(s, x.data(), kernel_.data(), recurrent_.data(), m ? m->data() : nullptr,
                            c.input_keep.empty() ? nullptr : c.input_keep.data(),
                            c.state_keep.empty() ? nullptr : c.state_keep.data(), dy.data(), c.tape,
                            dx ? dx->data() : nullptr, kernel_grad_.data(), recurrent_grad_.data(),
                            options_.use_bias ? bias_grad_.data() : nullptr, accumulate_gradients,
                            dh0 ? dh0->data() : nullptr, dc0 ? dc0->data() : nullptr);
}

std::vector<Parameter> RecurrentLayer::parameters() {
  std::vector<Parameter> p{
      {"kernel", &kernel_, &kernel_grad_, options_.kernel_regularizer, true, options_.kernel_constraint},
      {"recurrent_kernel", &recurrent_, &recurrent_grad_, options_.recurrent_regularizer, true,
       options_.recurrent_constraint}};
  if (options_.use_bias)
    p.push_back({"bias", &bias_, &bias_grad_, options_.bias_regularizer, true, options_.bias_constraint});
  return p;
}

}  // namespace dl
