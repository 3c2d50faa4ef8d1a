// The recurrent layers as a model builds them: shapes, weights named and shaped as Keras',
// the refusals (a flat input, units 0 or too many, stateful, an unknown mergeMode), the
// mask read at the layer, returnState's parts, and Bidirectional's merge modes checked by
// central differences (in float, through the layer, with a tolerance to match).
#include <doctest/doctest.h>

#include <cmath>
#include <string>

#include "../gradient_check.h"
#include "io/model_description.h"
#include "layers/bidirectional.h"
#include "layers/recurrent.h"

namespace {

void refuses(const std::string& layers, const std::string& message) {
  CHECK_THROWS_WITH_AS(dl::model_from_json("{\"layers\": [" + layers + "]}"), doctest::Contains(message.c_str()),
                       dl::EngineError);
}

template <typename L>
void set_up(L& layer, const std::vector<int>& shape, dl::Rng& rng) {
  layer.rng = &rng;
  layer.name = "l";
  layer.output_shape = layer.build(shape);
  layer.input_shape = shape;
}

dl::Tensor random_tensor(std::vector<int> shape, dl::Rng& rng) {
  dl::Tensor t(std::move(shape));
  for (float& v : t.values()) v = static_cast<float>(rng.uniform(-1, 1));
  return t;
}

std::size_t size_of(const std::vector<int>& shape) {
  std::size_t n = 1;
  for (int d : shape) n *= d;
  return n;
}

}  // namespace

TEST_CASE("bad recurrent layers are refused when built, naming the layer, the option and the expected shape") {
  refuses(R"({"type": "lstm", "units": 4, "inputShape": [8]})",
          "lstm (LSTM) expects a sequence of shape (None, steps, features); got (None, 8)");
  refuses(R"({"type": "gru", "units": 4, "inputShape": [8, 8, 1]})",
          "gru (GRU) expects a sequence of shape (None, steps, features); got (None, 8, 8, 1)");
  refuses(R"({"type": "simpleRNN", "units": 0, "inputShape": [5, 2]})", "units must be a whole number from 1");
  refuses(R"({"type": "lstm", "units": 1000000, "inputShape": [5, 2]})",
          "lstm (LSTM): a kernel of 1000000 x 4000000 would need");
  refuses(R"({"type": "lstm", "units": 4, "stateful": true, "inputShape": [5, 2]})", "stateful true is not supported");
  refuses(R"({"type": "gru", "units": 4, "unroll": true, "inputShape": [5, 2]})", "unroll true is not supported");
  refuses(R"({"type": "lstm", "units": 4, "recurrentActivation": "sigmoidal", "inputShape": [5, 2]})",
          "recurrentActivation: unknown activation \"sigmoidal\"");
  refuses(R"({"type": "lstm", "units": 4, "activation": "softmax", "inputShape": [5, 2]})",
          "softmax works on a whole row");
  refuses(R"({"type": "bidirectional", "layer": {"type": "lstm", "units": 4}, "mergeMode": "max",
              "inputShape": [5, 2]})",
          "mergeMode must be one of concat, sum, mul, ave, null; got \"max\"");
  refuses(R"({"type": "bidirectional", "layer": {"type": "dense", "units": 4}, "inputShape": [5, 2]})",
          "layer must be a SimpleRNN, LSTM or GRU; got Dense");
  refuses(R"({"type": "bidirectional", "layer": {"type": "lstm", "units": 4}, "inputShape": [5]})",
          "expects a sequence of shape (None, steps, features); got (None, 5)");
}

TEST_CASE("recurrent layers name and shape their weights as Keras, and give the output shapes Keras gives") {
  auto model = dl::model_from_json(R"({"layers": [
      {"type": "lstm", "units": 4, "returnSequences": true, "inputShape": [6, 3]},
      {"type": "gru", "units": 5, "resetAfter": true, "returnSequences": true},
      {"type": "bidirectional", "layer": {"type": "simpleRNN", "units": 2}, "mergeMode": "concat"},
      {"type": "dense", "units": 1}]})");
  std::vector<std::string> names;
  std::vector<std::vector<int>> shapes;
  for (const auto& layer : model->layers())
    for (const dl::Parameter& p : layer->parameters()) {
      names.push_back(p.name);
      shapes.push_back(p.value->shape());
    }
  CHECK(names == std::vector<std::string>{"kernel", "recurrent_kernel", "bias", "kernel", "recurrent_kernel", "bias",
                                          "forward_simple_rnn/kernel", "forward_simple_rnn/recurrent_kernel",
                                          "forward_simple_rnn/bias", "backward_simple_rnn/kernel",
                                          "backward_simple_rnn/recurrent_kernel", "backward_simple_rnn/bias", "kernel",
                                          "bias"});
  CHECK(shapes[0] == std::vector<int>{3, 16});
  CHECK(shapes[1] == std::vector<int>{4, 16});
  CHECK(shapes[5] == std::vector<int>{2, 15});
  CHECK(shapes[6] == std::vector<int>{5, 2});
  CHECK(model->layers()[2]->output_shape == std::vector<int>{4});
  // unitForgetBias: the forget gate's bias starts at 1, the others at 0.
  const dl::Tensor& bias = *model->layers()[0]->parameters()[2].value;
  CHECK(bias[0] == 0.0f);
  CHECK(bias[4] == 1.0f);
  CHECK(bias[8] == 0.0f);
}

TEST_CASE("returnState packs the output and the final states side by side, as output_parts says") {
  dl::Rng rng(3);
  dl::RecurrentOptions o;
  o.kind = dl::CellKind::lstm;
  o.units = 3;
  o.return_state = true;
  o.return_sequences = true;
  dl::RecurrentLayer layer(o);
  set_up(layer, {4, 2}, rng);
  CHECK(layer.output_shape == std::vector<int>{4 * 3 + 3 + 3});
  CHECK(layer.output_parts() == std::vector<std::vector<int>>{{4, 3}, {3}, {3}});
  dl::Tensor x = random_tensor({2, 4, 2}, rng), y({2, 18});
  layer.forward(x, y, false);
  for (int n = 0; n < 2; ++n)
    for (int j = 0; j < 3; ++j) CHECK(y[n * 18 + 12 + j] == y[n * 18 + 9 + j]);  // h is the last output
  CHECK(layer.mask_flow() == dl::MaskFlow::keep);
}

TEST_CASE("a mask set on the layer keeps the state over padded steps; dropout draws the same masks per row") {
  dl::Rng rng(5);
  dl::RecurrentOptions o;
  o.kind = dl::CellKind::gru;
  o.units = 3;
  o.return_sequences = true;
  o.dropout = 0.3f;
  o.recurrent_dropout = 0.3f;
  dl::RecurrentLayer layer(o);
  set_up(layer, {5, 2}, rng);
  dl::Tensor x = random_tensor({2, 5, 2}, rng), y({2, 15}), mask({2, 5}, 1.0f);
  mask[3] = 0.0f;
  layer.masks = {&mask};
  layer.noise_seed = 42;
  layer.forward(x, y, true);
  for (int j = 0; j < 3; ++j) CHECK(y[9 + j] == y[6 + j]);
  // The second row alone, as the slice of a split batch: the same values.
  dl::Tensor x1({1, 5, 2}), y1({1, 15}), mask1({1, 5}, 1.0f);
  std::copy(x.data() + 10, x.data() + 20, x1.data());
  layer.masks = {&mask1};
  layer.first_row = 1;
  layer.forward(x1, y1, true);
  for (int j = 0; j < 15; ++j) CHECK(y1[j] == y[15 + j]);
}

TEST_CASE("Bidirectional's gradients match central differences for every merge mode") {
  for (auto mode :
       {dl::MergeMode::concat, dl::MergeMode::sum, dl::MergeMode::mul, dl::MergeMode::ave, dl::MergeMode::none})
    for (bool sequences : {false, true}) {
      CAPTURE(static_cast<int>(mode));
      CAPTURE(sequences);
      dl::Rng rng(8);
      dl::RecurrentOptions o;
      o.kind = dl::CellKind::lstm;
      o.units = 3;
      o.return_sequences = sequences;
      o.recurrent_activation = dl::ActivationKind::sigmoid;
      dl::BidirectionalLayer layer(o, mode, "");
      set_up(layer, {4, 2}, rng);
      dl::Tensor x = random_tensor({2, 4, 2}, rng);
      const std::size_t out = size_of(layer.output_shape);
      dl::Tensor r = random_tensor({2, static_cast<int>(out)}, rng);
      auto loss = [&] {
        dl::Tensor y({2, static_cast<int>(out)});
        layer.forward(x, y, false);
        double s = 0;
        for (std::size_t i = 0; i < y.size(); ++i) s += static_cast<double>(y[i]) * r[i];
        return s;
      };
      dl::Tensor y({2, static_cast<int>(out)}), dx(x.shape());
      layer.forward(x, y, false);
      dl::Tensor dy = r;
      layer.backward(x, y, dy, &dx);
      std::vector<std::pair<std::string, std::pair<dl::Tensor*, dl::Tensor>>> checks;
      checks.push_back({"dx", {&x, dx}});
      for (const dl::Parameter& p : layer.parameters()) checks.push_back({p.name, {p.value, *p.grad}});
      for (auto& [name, pair] : checks) {
        dl::Tensor& values = *pair.first;
        const dl::Tensor analytic = pair.second;
        for (std::size_t i = 0; i < values.size(); ++i) {
          const float saved = values[i];
          const float eps = 1e-2f;
          values[i] = saved + eps;
          const double up = loss();
          values[i] = saved - eps;
          const double down = loss();
          values[i] = saved;
          const double numeric = (up - down) / (2 * eps);
          INFO(name << "[" << i << "]: analytic " << analytic[i] << ", numeric " << numeric);
          CHECK(std::abs(analytic[i] - numeric) <= 2e-3 * std::max(1.0, std::abs(numeric)));
        }
      }
    }
}

TEST_CASE("Bidirectional returns the backward direction's sequence in time order") {
  dl::Rng rng(9);
  dl::RecurrentOptions o;
  o.kind = dl::CellKind::simple_rnn;
  o.units = 2;
  o.return_sequences = true;
  dl::BidirectionalLayer both(o, dl::MergeMode::none, "rnn");
  set_up(both, {3, 2}, rng);
  CHECK(both.output_parts() == std::vector<std::vector<int>>{{3, 2}, {3, 2}});
  dl::Tensor x = random_tensor({1, 3, 2}, rng), y({1, 12});
  both.forward(x, y, false);
  // The backward copy alone with the same weights, then reversed in time.
  dl::RecurrentOptions back = o;
  back.go_backwards = true;
  dl::RecurrentLayer reversed(back);
  set_up(reversed, {3, 2}, rng);
  auto params = both.parameters();
  auto mine = reversed.parameters();
  for (int i = 0; i < 3; ++i) *mine[i].value = *params[3 + i].value;
  dl::Tensor yb({1, 6});
  reversed.forward(x, yb, false);
  for (int t = 0; t < 3; ++t)
    for (int j = 0; j < 2; ++j) CHECK(y[6 + t * 2 + j] == yb[(2 - t) * 2 + j]);
}
