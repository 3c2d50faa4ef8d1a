// Conv1D: Keras' output lengths for valid, same and causal padding with strides and
// dilation, finite-difference gradient checks in double precision, the im2col
// convolution against its reference on awkward sizes, causality, and the refusals a bad
// Conv1D gets when it is built.
#include <doctest/doctest.h>

#include "../gradient_check.h"
#include "io/model_description.h"
#include "kernels/conv1d.h"

using check::expect_gradient;

namespace {

struct Conv1DCase {
  int n, t, c, k, f, stride, dilation;
  dl::Padding1D padding;
};

const Conv1DCase kCases[] = {
    {1, 1, 1, 1, 1, 1, 1, dl::Padding1D::valid},  {2, 7, 3, 3, 4, 1, 1, dl::Padding1D::valid},
    {2, 7, 3, 3, 2, 2, 1, dl::Padding1D::same},   {1, 8, 2, 4, 3, 3, 1, dl::Padding1D::same},
    {2, 9, 2, 3, 2, 1, 2, dl::Padding1D::valid},  {1, 6, 3, 2, 2, 1, 3, dl::Padding1D::same},
    {2, 5, 2, 3, 3, 1, 1, dl::Padding1D::causal}, {1, 7, 1, 2, 2, 1, 2, dl::Padding1D::causal},
    {1, 7, 2, 3, 2, 2, 1, dl::Padding1D::causal},
};

const char* padding_text(dl::Padding1D p) {
  return p == dl::Padding1D::valid ? "valid" : p == dl::Padding1D::same ? "same" : "causal";
}

dl::Conv1DGeometry geometry(const Conv1DCase& k) {
  dl::Conv1DGeometry g = dl::conv1d_geometry(k.t, k.c, k.k, k.f, k.stride, k.dilation, k.padding, "test");
  g.n = k.n;
  return g;
}

void refuses(const std::string& layers, const std::string& part) {
  INFO(layers);
  CHECK_THROWS_WITH_AS(dl::model_from_json("{\"layers\": [" + layers + "]}"), doctest::Contains(part.c_str()),
                       dl::EngineError);
}

}  // namespace

TEST_CASE("conv1d output lengths follow Keras: valid, same (extra pad after) and causal (all pad before)") {
  auto g = [](int t, int k, int s, int d, dl::Padding1D p) { return dl::conv1d_geometry(t, 1, k, 1, s, d, p, "t"); };
  CHECK(g(10, 3, 1, 1, dl::Padding1D::valid).out == 8);
  CHECK(g(10, 3, 2, 1, dl::Padding1D::valid).out == 4);
  CHECK(g(10, 3, 1, 2, dl::Padding1D::valid).out == 6);  // a span of 5 steps
  CHECK(g(10, 4, 3, 1, dl::Padding1D::same).out == 4);
  CHECK(g(10, 4, 3, 1, dl::Padding1D::same).pad_left == 1);  // total 3: 1 before, 2 after
  CHECK(g(10, 3, 1, 2, dl::Padding1D::same).pad_left == 2);
  const dl::Conv1DGeometry causal = g(10, 3, 1, 2, dl::Padding1D::causal);
  CHECK(causal.out == 10);
  CHECK(causal.pad_left == 4);
  CHECK(g(10, 3, 3, 1, dl::Padding1D::causal).out == 4);
}

TEST_CASE(
    "conv1d gradients match central differences for input, kernel and bias over strides, dilations and "
    "paddings") {
  for (const Conv1DCase& k : kCases) {
    CAPTURE(k.t);
    CAPTURE(k.k);
    CAPTURE(k.stride);
    CAPTURE(k.dilation);
    CAPTURE(padding_text(k.padding));
    const dl::Conv1DGeometry g = geometry(k);
    dl::Rng rng(19);
    auto x = check::random_values(static_cast<std::size_t>(g.n) * g.t * g.c, rng);
    auto w = check::random_values(static_cast<std::size_t>(g.patch()) * g.f, rng);
    auto b = check::random_values(g.f, rng);
    auto r = check::random_values(static_cast<std::size_t>(g.n) * g.out * g.f, rng);
    auto loss = [&] {
      std::vector<double> z(r.size());
      dl::conv1d_forward(x.data(), w.data(), b.data(), z.data(), g);
      return check::dot(z, r);
    };
    std::vector<double> dx(x.size()), dw(w.size()), db(b.size());
    dl::conv1d_backward(x.data(), w.data(), r.data(), dx.data(), dw.data(), db.data(), g);
    expect_gradient("conv1d dx", x, dx, loss);
    expect_gradient("conv1d dw", w, dw, loss);
    expect_gradient("conv1d db", b, db, loss);
  }
}

TEST_CASE("the im2col conv1d equals the direct reference on awkward sizes, dilated and causal included") {
  for (int size : {1, 3, 7, 17, 67})
    for (dl::Padding1D p : {dl::Padding1D::valid, dl::Padding1D::same, dl::Padding1D::causal})
      for (int dilation : {1, 2}) {
        const int k = std::min(size, 3), span = (k - 1) * dilation + 1;
        if (p == dl::Padding1D::valid && span > size) continue;
        const dl::Conv1DGeometry g = geometry({3, size, 5, k, 7, dilation == 1 ? 1 + size % 2 : 1, dilation, p});
        dl::Rng rng(3);
        std::vector<float> x(static_cast<std::size_t>(g.n) * g.t * g.c), w(static_cast<std::size_t>(g.patch()) * g.f),
            b(g.f);
        for (auto* v : {&x, &w, &b})
          for (float& value : *v) value = static_cast<float>(rng.uniform(-1, 1));
        std::vector<float> fast(static_cast<std::size_t>(g.n) * g.out * g.f), slow(fast.size());
        dl::conv1d_forward(x.data(), w.data(), b.data(), fast.data(), g);
        dl::conv1d_forward_reference(x.data(), w.data(), b.data(), slow.data(), g);
        for (std::size_t i = 0; i < fast.size(); ++i) {
          INFO("size " << size << " padding " << padding_text(p) << " dilation " << dilation << " output " << i);
          CHECK(fast[i] == doctest::Approx(slow[i]).epsilon(1e-5));
        }
      }
}

TEST_CASE("causal conv1d: no output step depends on a later input step") {
  const dl::Conv1DGeometry g = geometry({1, 9, 2, 3, 2, 1, 2, dl::Padding1D::causal});
  dl::Rng rng(8);
  auto x = check::random_values(static_cast<std::size_t>(g.t) * g.c, rng);
  auto w = check::random_values(static_cast<std::size_t>(g.patch()) * g.f, rng);
  auto b = check::random_values(g.f, rng);
  std::vector<double> before(static_cast<std::size_t>(g.out) * g.f), after(before.size());
  dl::conv1d_forward(x.data(), w.data(), b.data(), before.data(), g);
  for (int t = 0; t < g.t; ++t) {
    std::vector<double> changed = x;
    for (int c = 0; c < g.c; ++c) changed[t * g.c + c] += 1.0;
    dl::conv1d_forward(changed.data(), w.data(), b.data(), after.data(), g);
    for (int o = 0; o < g.out; ++o)
      for (int f = 0; f < g.f; ++f) {
        INFO("input step " << t << " output step " << o);
        if (o < t) CHECK(after[o * g.f + f] == before[o * g.f + f]);
      }
  }
}

TEST_CASE("bad Conv1D layers are refused when built, naming the layer, the option and the expected shape") {
  refuses(R"({"type": "conv1d", "filters": 4, "kernelSize": 3, "inputShape": [784]})",
          "conv1d (Conv1D) expects sequences of shape (None, steps, channels); got (None, 784)");
  refuses(R"({"type": "conv1d", "filters": 4, "kernelSize": 3, "inputShape": [8, 8, 1]})",
          "conv1d (Conv1D) expects sequences of shape (None, steps, channels); got (None, 8, 8, 1)");
  refuses(R"({"type": "conv1d", "filters": 4, "kernelSize": 5, "inputShape": [3, 2]})",
          "conv1d (Conv1D): the kernel covers 5 steps, more than the input's 3 with padding \"valid\"");
  refuses(R"({"type": "conv1d", "filters": 4, "kernelSize": 3, "dilationRate": 3, "inputShape": [6, 2]})",
          "the kernel covers 7 steps (dilated), more than the input's 6");
  refuses(R"({"type": "conv1d", "filters": 4, "kernelSize": 3, "strides": 2, "dilationRate": 2, "inputShape": [9, 2]})",
          "conv1d (Conv1D): strides 2 with dilationRate 2 is not supported (as in Keras)");
  refuses(R"({"type": "conv1d", "filters": 4, "kernelSize": 3, "padding": "full", "inputShape": [9, 2]})",
          "padding must be one of valid, same, causal; got \"full\"");
  refuses(R"({"type": "conv1d", "filters": 4, "kernelSize": [3, 3], "inputShape": [9, 2]})",
          "kernelSize must be a number; got an array");
  refuses(R"({"type": "conv1d", "filters": 0, "kernelSize": 3, "inputShape": [9, 2]})",
          "filters must be a whole number from 1");
  refuses(R"({"type": "conv1d", "kernelSize": 3, "inputShape": [9, 2]})", "needs filters");
  refuses(R"({"type": "conv1d", "filters": 65536, "kernelSize": 4096, "inputShape": [4096, 4096]})",
          "conv1d (Conv1D): a kernel of 4096 x 4096 x 65536 and outputs of 1 x 65536 would need");
  refuses(R"({"type": "conv1d", "filters": 65536, "kernelSize": 1, "inputShape": [16777216, 1]})",
          "and outputs of 16777216 x 65536 would need");
  refuses(R"({"type": "conv1d", "filters": 4, "kernelSize": 3, "inputShape": [9, 2]},
             {"type": "conv2d", "filters": 2, "kernelSize": 3})",
          "conv2d (Conv2D) expects images of shape (None, height, width, channels); got (None, 7, 4)");
}

TEST_CASE(
    "a Conv1D model reads Keras' [n] sizes, runs and names its weights as Keras: kernel (k, channels, filters), bias") {
  auto model = dl::model_from_json(
      R"({"layers": [{"type": "conv1d", "filters": 5, "kernel_size": [3], "padding": "causal", "dilation_rate": [2],
                      "activation": "relu", "inputShape": [11, 2]},
                     {"type": "globalMaxPooling1d"}, {"type": "dense", "units": 3}]})");
  CHECK(model->summary().find("(None, 11, 5)") != std::string::npos);
  const std::vector<dl::Parameter> p = model->layers()[0]->parameters();
  REQUIRE(p.size() == 2);
  CHECK(p[0].name == "kernel");
  CHECK(p[0].value->shape() == std::vector<int>{3, 2, 5});
  CHECK(p[1].name == "bias");
  dl::Tensor x({4, 11, 2}, 0.5f);
  CHECK(model->predict(x).shape() == std::vector<int>{4, 3});
}

TEST_CASE("the float conv1d backward (SGEMM) equals the double one (Eigen) on awkward sizes") {
  for (int size : {1, 3, 7, 17, 67})
    for (dl::Padding1D p : {dl::Padding1D::same, dl::Padding1D::causal}) {
      const dl::Conv1DGeometry g = geometry({3, size, 5, 3, 7, 1 + size % 2, 1, p});
      dl::Rng rng(12);
      std::vector<float> x(static_cast<std::size_t>(g.n) * g.t * g.c), w(static_cast<std::size_t>(g.patch()) * g.f),
          dz(static_cast<std::size_t>(g.n) * g.out * g.f);
      for (auto* v : {&x, &w, &dz})
        for (float& value : *v) value = static_cast<float>(rng.uniform(-1, 1));
      std::vector<float> dx(x.size()), dw(w.size()), db(g.f);
      dl::conv1d_backward(x.data(), w.data(), dz.data(), dx.data(), dw.data(), db.data(), g);
      const std::vector<double> xd(x.begin(), x.end()), wd(w.begin(), w.end()), dzd(dz.begin(), dz.end());
      std::vector<double> dxd(x.size()), dwd(w.size()), dbd(g.f);
      dl::conv1d_backward(xd.data(), wd.data(), dzd.data(), dxd.data(), dwd.data(), dbd.data(), g);
      auto expect_close = [&](const char* what, const std::vector<float>& fast, const std::vector<double>& slow) {
        for (std::size_t i = 0; i < fast.size(); ++i) {
          INFO(what << " size " << size << " padding " << padding_text(p) << " [" << i << "]");
          CHECK(fast[i] == doctest::Approx(slow[i]).epsilon(1e-4));
        }
      };
      expect_close("dx", dx, dxd);
      expect_close("dw", dw, dwd);
      expect_close("db", db, dbd);
    }
}
