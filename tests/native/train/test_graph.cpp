// The tape: a chain on it equals the plain chain loop on every catalog model; gradients
// through fan-out, shared layers, merges, two inputs and two outputs match central
// differences; graph descriptions that cannot be built are refused, naming the node.
#include <doctest/doctest.h>

#include <cmath>

#include "catalog/catalog.h"
#include "io/model_description.h"
#include "model_check.h"
#include "train/graph.h"
#include "train/introspection.h"

namespace {

using check::check_model_gradients;
using check::gradients_of;
using check::random_tensor;

// The chain as the engine ran it before the tape: each layer's forward in turn, then
// backward through two alternating buffers. The reference the tape must equal.
struct PlainChain {
  std::vector<dl::Tensor> outputs;
  dl::Tensor a, b;
  void run(dl::Sequential& model, const dl::Tensor& x, std::uint64_t seed, dl::Tensor dy) {
    const auto& layers = model.layers();
    outputs.resize(layers.size());
    const dl::Tensor* h = &x;
    for (std::size_t i = 0; i < layers.size(); ++i) {
      std::vector<int> shape{x.rows()};
      shape.insert(shape.end(), layers[i]->output_shape.begin(), layers[i]->output_shape.end());
      outputs[i] = dl::Tensor(shape);
      layers[i]->noise_seed = seed + 0x9E3779B97F4A7C15ull * (i + 1);
      layers[i]->first_row = 0;
      layers[i]->call = 0;
      layers[i]->emit_logits = false;
      layers[i]->forward(*h, outputs[i], true);
      h = &outputs[i];
    }
    dl::Tensor* grad = &dy;
    for (std::size_t i = layers.size(); i-- > 0;) {
      const dl::Tensor& in = i == 0 ? x : outputs[i - 1];
      dl::Tensor* dx = grad == &a ? &b : &a;
      *dx = dl::Tensor(in.shape());
      layers[i]->backward(in, outputs[i], *grad, dx);
      grad = dx;
    }
  }
};

std::string graph_error(const std::string& description) {
  try {
    dl::model_from_json(description);
  } catch (const dl::EngineError& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace

TEST_CASE("a chain on the tape gives the plain chain loop's outputs and gradients on every catalog model") {
  for (const dl::ModelSpec& spec : dl::model_catalog()) {
    CAPTURE(spec.name);
    auto model = dl::model_from_json(spec.description);
    dl::Rng rng(5);
    std::vector<int> shape{7};
    for (int d : model->input_shape()) shape.push_back(d);
    const dl::Tensor x = random_tensor(shape, rng);
    const std::uint64_t seed = model->begin_step();
    const dl::Tensor& out = model->forward(x, true);
    const dl::Tensor dy = random_tensor(out.shape(), rng);
    const std::vector<float> tape_out = out.values();
    dl::Tensor scratch = dy;
    const std::vector<float> tape_dx = model->backward(x, scratch, true)->values();
    const auto tape_gradients = gradients_of(*model);

    PlainChain plain;
    plain.run(*model, x, seed, dy);
    CHECK(plain.outputs.back().values() == tape_out);
    CHECK(gradients_of(*model) == tape_gradients);
    const dl::Tensor& plain_dx = model->layers().size() % 2 == 1 ? plain.a : plain.b;
    CHECK(plain_dx.values() == tape_dx);
  }
}

TEST_CASE("gradients through a fan-out, a skip and a shared layer match central differences") {
  auto model = dl::model_from_json(R"({"seed": 3,
    "inputs": [{"name": "x", "shape": [5]}],
    "layers": [
      {"type": "dense", "units": 4, "activation": "tanh", "name": "stem", "inputs": ["x"]},
      {"type": "dense", "units": 4, "activation": "tanh", "name": "left", "inputs": ["stem"]},
      {"type": "dense", "units": 4, "activation": "tanh", "name": "right", "inputs": ["stem"]},
      {"type": "add", "name": "join", "inputs": ["left", "right", "stem"]},
      {"apply": "left", "inputs": ["join"]},
      {"type": "multiply", "name": "gate", "inputs": ["left:1", "stem"]},
      {"type": "dense", "units": 3, "activation": "tanh", "name": "out", "inputs": ["gate"]}],
    "outputs": ["out"]})");
  CHECK(model->layers().size() == 6);
  CHECK(model->parameters().size() == 8);  // "left" counted once
  dl::Rng rng(1);
  check_model_gradients(*model, random_tensor({3, 5}, rng));
}

TEST_CASE("gradients of a two-input model through every merge layer match central differences") {
  const char* merges[] = {R"({"type": "add", "name": "m", "inputs": ["a", "b"]})",
                          R"({"type": "subtract", "name": "m", "inputs": ["a", "b"]})",
                          R"({"type": "multiply", "name": "m", "inputs": ["a", "b"]})",
                          R"({"type": "average", "name": "m", "inputs": ["a", "b"]})",
                          R"({"type": "maximum", "name": "m", "inputs": ["a", "b"]})",
                          R"({"type": "minimum", "name": "m", "inputs": ["a", "b"]})",
                          R"({"type": "concatenate", "name": "m", "inputs": ["a", "b"]})",
                          R"({"type": "dot", "axes": 1, "name": "m", "inputs": ["a", "b"]})",
                          R"({"type": "dot", "axes": 1, "normalize": true, "name": "m", "inputs": ["a", "b"]})"};
  for (const char* merge : merges) {
    CAPTURE(merge);
    auto model = dl::model_from_json(std::string(R"({"seed": 4,
      "inputs": [{"name": "p", "shape": [3]}, {"name": "q", "shape": [2]}],
      "layers": [
        {"type": "dense", "units": 4, "activation": "tanh", "name": "a", "inputs": ["p"]},
        {"type": "dense", "units": 4, "activation": "tanh", "name": "b", "inputs": ["q"]},
        )") + merge + R"(,
        {"type": "dense", "units": 2, "activation": "tanh", "name": "out", "inputs": ["m"]}],
      "outputs": ["out"]})");
    CHECK(model->input_shape() == std::vector<int>{5});  // p and q side by side in x
    dl::Rng rng(2);
    check_model_gradients(*model, random_tensor({3, 5}, rng));
  }
}

TEST_CASE("a graph with two outputs sums both outputs' gradients on the tape") {
  // Built on the Graph directly: the model's losses take one output for now.
  dl::Rng rng(8);
  std::vector<std::unique_ptr<dl::Layer>> layers;
  auto make = [&](const char* json) {
    std::vector<int> unused;
    layers.push_back(dl::layer_from_json(dl::Json::parse(json), "test", &unused));
    layers.back()->rng = &rng;
    return layers.back().get();
  };
  dl::Graph g;
  const int x = g.add_input("x", {4});
  const int h = g.add_node(make(R"({"type": "dense", "units": 3, "activation": "tanh"})"), {x});
  const int o1 = g.add_node(make(R"({"type": "dense", "units": 2, "activation": "tanh"})"), {h});
  const int o2 = g.add_node(make(R"({"type": "dense", "units": 5, "activation": "tanh"})"), {h});
  g.set_outputs({o1, o2});
  const dl::Tensor input = random_tensor({2, 4}, rng);
  g.forward(input, true, false, 0, 0);
  const dl::Tensor r1 = random_tensor(g.value(o1).shape(), rng), r2 = random_tensor(g.value(o2).shape(), rng);
  auto loss = [&] {
    g.forward(input, true, false, 0, 0);
    double sum = 0;
    for (std::size_t i = 0; i < r1.size(); ++i) sum += static_cast<double>(g.value(o1)[i]) * r1[i];
    for (std::size_t i = 0; i < r2.size(); ++i) sum += static_cast<double>(g.value(o2)[i]) * r2[i];
    return sum;
  };
  dl::Tensor s1 = r1, s2 = r2;
  g.backward({{o1, &s1}, {o2, &s2}}, false, false);
  for (const auto& layer : layers)
    for (const dl::Parameter& p : layer->parameters())
      for (std::size_t i = 0; i < p.value->size(); ++i) {
        const float saved = (*p.value)[i], eps = 1e-2f;
        (*p.value)[i] = saved + eps;
        const double up = loss();
        (*p.value)[i] = saved - eps;
        const double down = loss();
        (*p.value)[i] = saved;
        const double numeric = (up - down) / (2.0 * eps);
        INFO(layer->name << "/" << p.name << "[" << i << "]: tape " << (*p.grad)[i] << ", numeric " << numeric);
        CHECK(std::abs((*p.grad)[i] - numeric) <= 2e-3 * std::max(1.0, std::abs(numeric)));
      }
}

TEST_CASE("a residual graph trains, and its batches cut into slices give the whole batch's step") {
  const std::string description = R"({"seed": 11,
    "inputs": [{"name": "x", "shape": [2]}],
    "layers": [
      {"type": "dense", "units": 8, "activation": "tanh", "name": "h", "inputs": ["x"]},
      {"type": "dense", "units": 8, "activation": "tanh", "name": "r", "inputs": ["h"]},
      {"type": "add", "name": "skip", "inputs": ["h", "r"]},
      {"type": "dropout", "rate": 0.2, "name": "drop", "inputs": ["skip"]},
      {"type": "dense", "units": 1, "activation": "sigmoid", "name": "out", "inputs": ["drop"]}],
    "outputs": ["out"],
    "compile": {"optimizer": {"type": "adam", "learningRate": 0.05}, "loss": "binary_crossentropy",
                "metrics": ["accuracy"]}})";
  dl::Rng rng(3);
  const int n = 96;
  dl::Tensor x({n, 2}), y({n, 1});
  for (int i = 0; i < n; ++i) {
    x[2 * i] = static_cast<float>(rng.uniform(-1, 1));
    x[2 * i + 1] = static_cast<float>(rng.uniform(-1, 1));
    y[i] = x[2 * i] * x[2 * i + 1] > 0 ? 1.0f : 0.0f;
  }
  auto model = dl::model_from_json(description);
  dl::FitOptions options;
  options.epochs = 150;
  options.batch_size = n;  // 96 rows: three slices of 32 per step
  const dl::History h = model->fit(x, y, options);
  CHECK(h.values.at("loss").back() < 0.5 * h.values.at("loss").front());
  CHECK(h.values.at("accuracy").back() > 0.85);

  // One step on 96 rows, which the model cuts into slices of 32 that add their gradients,
  // equals three shares of 32 rows computed apart and summed (as data-parallel engines
  // do): the shared and skipped tensors accumulate right, dropout's masks follow the rows.
  auto sliced = dl::model_from_json(description);
  auto shared = dl::model_from_json(description);
  sliced->train_on_batch(x, y);
  shared->begin_step();
  std::vector<float> sum(shared->gradient_size(), 0.0f), part(sum.size());
  dl::Tensor predictions({n, 1}), xs, ys, ps;
  double data_loss = 0;
  for (int begin = 0; begin < n; begin += 32) {
    x.slice_rows(begin, begin + 32, xs);
    y.slice_rows(begin, begin + 32, ys);
    const std::vector<float> scale = shared->sample_scale(ys, {}, n);
    data_loss += shared->share_loss_and_gradients(xs, ys, scale.data(), begin, &ps);
    std::copy(ps.values().begin(), ps.values().end(), predictions.values().begin() + begin);
    shared->read_gradients(part.data());
    for (std::size_t i = 0; i < sum.size(); ++i) sum[i] += part[i];
  }
  for (std::size_t i = 0; i < sum.size(); ++i) sum[i] -= part[i];  // the model holds the last share's already
  shared->add_gradients(sum.data());
  dl::Logs metric_sums;
  shared->finish_step(data_loss, predictions, y, metric_sums);
  const std::vector<dl::Parameter> a = sliced->parameters(), b = shared->parameters();
  REQUIRE(a.size() == b.size());
  for (std::size_t k = 0; k < a.size(); ++k)
    for (std::size_t i = 0; i < a[k].value->size(); ++i)
      CHECK((*a[k].value)[i] == doctest::Approx((*b[k].value)[i]).epsilon(1e-5));
}

TEST_CASE("graph descriptions that cannot be built are refused, naming the node and what was expected") {
  const std::string head = R"({"inputs": [{"name": "x", "shape": [4]}], "layers": [)";
  auto with = [&](const std::string& layers, const std::string& outputs = R"(["out"])") {
    return graph_error(head + layers + R"(], "outputs": )" + outputs + "}");
  };
  const std::string dense_out = R"({"type": "dense", "units": 2, "name": "out", "inputs": ["a"]})";
  CHECK(with(R"({"type": "dense", "units": 2, "name": "a", "inputs": ["a"]}, )" + dense_out)
            .find("takes its own output") != std::string::npos);
  const std::string cycle = with(R"({"type": "dense", "units": 2, "name": "a", "inputs": ["b"]},
    {"type": "dense", "units": 2, "name": "b", "inputs": ["a"]}, )" +
                                 dense_out);
  CHECK(cycle.find("cycle") != std::string::npos);
  CHECK(cycle.find("layers[0] (dense)") != std::string::npos);
  const std::string later = with(R"({"type": "add", "name": "a", "inputs": ["x", "b"]},
    {"type": "dense", "units": 4, "name": "b", "inputs": ["x"]}, )" +
                                 dense_out);
  CHECK(later.find("used before it exists") != std::string::npos);
  CHECK(with(R"({"type": "dense", "units": 2, "name": "a", "inputs": ["nope"]}, )" + dense_out)
            .find("input \"nope\" names no tensor") != std::string::npos);
  CHECK(with(R"({"type": "dense", "units": 2, "name": "a", "inputs": ["x"]},
    {"type": "dense", "units": 2, "name": "a", "inputs": ["x"]}, )" +
             dense_out)
            .find("\"a\" is already used by layers[0]") != std::string::npos);
  CHECK(with(R"({"type": "dense", "units": 2, "name": "a", "inputs": ["x"]},
    {"type": "dense", "units": 2, "name": "spare", "inputs": ["x"]}, )" +
             dense_out)
            .find("\"spare\" leads to no output") != std::string::npos);
  CHECK(graph_error(R"({"inputs": [{"name": "x", "shape": [4]}, {"name": "unused", "shape": [2]}],
    "layers": [{"type": "dense", "units": 2, "name": "out", "inputs": ["x"]}], "outputs": ["out"]})")
            .find("input \"unused\" reaches no output") != std::string::npos);
  CHECK(with(R"({"type": "dense", "units": 2, "name": "a", "inputs": ["x"]}, )" + dense_out, R"(["x"])")
            .find("output \"x\" is an input") != std::string::npos);
  const std::string merge = with(R"({"type": "dense", "units": 3, "name": "a", "inputs": ["x"]},
    {"type": "add", "name": "sum", "inputs": ["a", "x"]},
    {"type": "dense", "units": 2, "name": "out", "inputs": ["sum"]})");
  CHECK(merge.find("layers[1] (add)") != std::string::npos);
  CHECK(merge.find("(None, 3), (None, 4) do not broadcast") != std::string::npos);
  CHECK(with(R"({"type": "conv2d", "filters": 2, "kernelSize": 3, "name": "a", "inputs": ["x"]}, )" + dense_out)
            .find("layers[0] (conv2d)") != std::string::npos);
  CHECK(with(R"({"type": "subtract", "name": "a", "inputs": ["x", "x", "x"]}, )" + dense_out)
            .find("takes 2 inputs; it was given 3") != std::string::npos);
  CHECK(with(R"({"type": "dense", "units": 4, "name": "a", "inputs": ["x", "x"]}, )" + dense_out)
            .find("takes 1 input; it was given 2") != std::string::npos);
  CHECK(with(std::string(
                 R"({"type": "dense", "units": 3, "name": "a", "inputs": ["x"]}, {"apply": "a", "inputs": ["a"]}, )") +
             R"({"type": "dense", "units": 2, "name": "out", "inputs": ["a:1"]})")
            .find("is applied again to (None, 3) but was built for (None, 4)") != std::string::npos);
  CHECK(graph_error(R"({"inputs": [{"name": "x", "shape": [4]}], "layers": [
    {"type": "dense", "units": 2, "name": "out", "inputs": ["x"]}]})")
            .find("needs both \"inputs\" and \"outputs\"") != std::string::npos);
  CHECK(graph_error(R"({"layers": [{"type": "dense", "units": 2, "inputShape": [3], "inputs": ["x"]}]})")
            .find("only a graph takes") != std::string::npos);
}

TEST_CASE("introspection finds a layer's output by layer, not by node, when a layer is shared") {
  // Layers [h, out], nodes [x, h, h:1, out]: layer 1 is "out", node 2 is "h:1".
  auto model = dl::model_from_json(R"({"seed": 1, "inputs": [{"name": "x", "shape": [8]}],
    "layers": [{"type": "dense", "units": 8, "activation": "tanh", "name": "h", "inputs": ["x"]},
               {"apply": "h", "inputs": ["h"]},
               {"type": "dense", "units": 100, "name": "out", "inputs": ["h:1"]}],
    "outputs": ["out"]})");
  dl::Rng rng(4);
  const dl::Tensor x = random_tensor({2, 8}, rng);
  const dl::Tensor g = dl::unit_gradient(*model, x, 1, 99);
  CHECK(g.shape() == x.shape());
  for (float v : g.values()) CHECK(std::isfinite(v));
  const dl::Tensor first = dl::unit_gradient(*model, x, 0, 7);
  CHECK(first.shape() == x.shape());
}
