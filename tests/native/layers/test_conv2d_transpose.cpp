// Conv2DTranspose: Keras' output sizes, finite-difference gradient checks in double
// precision, the fast path against its scatter reference, the adjoint identity with
// Conv2D, and the refusals when it is built.
#include <doctest/doctest.h>

#include "../geometry.h"
#include "../gradient_check.h"
#include "io/model_description.h"
#include "kernels/conv2d_transpose.h"

using check::expect_gradient;

namespace {

// The convolution a transposed convolution of (h, w, c) inputs to f filters transposes.
dl::ConvGeometry transpose_geometry(int n, int h, int w, int c, int kh, int kw, int f, int sh, int sw, dl::Padding p) {
  const int oh = dl::conv_transpose_length(h, kh, sh, p), ow = dl::conv_transpose_length(w, kw, sw, p);
  dl::ConvGeometry g = check::conv_geometry(n, oh, ow, f, kh, kw, c, sh, sw, p);
  REQUIRE(g.oh == h);
  REQUIRE(g.ow == w);
  return g;
}

struct Case {
  int n, h, w, c, kh, kw, f, sh, sw;
  dl::Padding padding;
};

const Case kCases[] = {
    {1, 1, 1, 1, 1, 1, 1, 1, 1, dl::Padding::valid}, {2, 3, 2, 2, 3, 3, 3, 2, 2, dl::Padding::valid},
    {2, 3, 4, 3, 3, 2, 2, 2, 1, dl::Padding::same},  {1, 2, 3, 2, 2, 2, 2, 3, 3, dl::Padding::valid},
    {1, 4, 3, 1, 4, 3, 2, 2, 3, dl::Padding::same},  {2, 3, 3, 2, 3, 3, 2, 1, 1, dl::Padding::same},
};

void refuses(const std::string& layers, const std::string& part) {
  INFO(layers);
  CHECK_THROWS_WITH_AS(dl::model_from_json("{\"layers\": [" + layers + "]}"), doctest::Contains(part.c_str()),
                       dl::EngineError);
}

}  // namespace

TEST_CASE("conv2dTranspose output sizes follow Keras: valid in*s + max(k - s, 0), same in*s") {
  CHECK(dl::conv_transpose_length(7, 3, 2, dl::Padding::valid) == 15);
  CHECK(dl::conv_transpose_length(7, 2, 2, dl::Padding::valid) == 14);
  CHECK(dl::conv_transpose_length(7, 1, 3, dl::Padding::valid) == 21);
  CHECK(dl::conv_transpose_length(7, 3, 2, dl::Padding::same) == 14);
  CHECK(dl::conv_transpose_length(5, 3, 1, dl::Padding::valid) == 7);
  CHECK(dl::conv_transpose_length(5, 3, 1, dl::Padding::same) == 5);
}

TEST_CASE("conv2dTranspose gradients match central differences for input, kernel and bias") {
  for (const Case& k : kCases) {
    CAPTURE(k.h);
    CAPTURE(k.kh);
    CAPTURE(k.sh);
    CAPTURE(dl::padding_name(k.padding));
    const dl::ConvGeometry g = transpose_geometry(k.n, k.h, k.w, k.c, k.kh, k.kw, k.f, k.sh, k.sw, k.padding);
    dl::Rng rng(23);
    auto x = check::random_values(static_cast<std::size_t>(g.n) * g.oh * g.ow * g.f, rng);
    auto w = check::random_values(static_cast<std::size_t>(g.patch()) * g.f, rng);
    auto b = check::random_values(g.c, rng);
    auto r = check::random_values(static_cast<std::size_t>(g.n) * g.h * g.w * g.c, rng);
    auto loss = [&] {
      std::vector<double> y(r.size());
      dl::conv2d_transpose_forward(x.data(), w.data(), b.data(), y.data(), g);
      return check::dot(y, r);
    };
    std::vector<double> dx(x.size()), dw(w.size()), db(b.size());
    dl::conv2d_transpose_backward(x.data(), w.data(), r.data(), dx.data(), dw.data(), db.data(), g);
    expect_gradient("conv2d_transpose dx", x, dx, loss);
    expect_gradient("conv2d_transpose dw", w, dw, loss);
    expect_gradient("conv2d_transpose db", b, db, loss);
  }
}

TEST_CASE("the fast transposed convolution equals its scatter reference on awkward sizes") {
  for (int size : {1, 3, 7, 17})
    for (dl::Padding p : {dl::Padding::valid, dl::Padding::same}) {
      const int k = std::min(size + 1, 3), stride = 1 + size % 3;
      const dl::ConvGeometry g = transpose_geometry(2, size, size + 1, 3, k, k, 5, stride, 2, p);
      dl::Rng rng(4);
      std::vector<float> x(static_cast<std::size_t>(g.n) * g.oh * g.ow * g.f),
          w(static_cast<std::size_t>(g.patch()) * g.f), b(g.c);
      for (auto* v : {&x, &w, &b})
        for (float& value : *v) value = static_cast<float>(rng.uniform(-1, 1));
      std::vector<float> fast(static_cast<std::size_t>(g.n) * g.h * g.w * g.c), slow(fast.size());
      dl::conv2d_transpose_forward(x.data(), w.data(), b.data(), fast.data(), g);
      dl::conv2d_transpose_forward_reference(x.data(), w.data(), b.data(), slow.data(), g);
      for (std::size_t i = 0; i < fast.size(); ++i) {
        INFO("size " << size << " padding " << dl::padding_name(p) << " output " << i);
        CHECK(fast[i] == doctest::Approx(slow[i]).epsilon(1e-5));
      }
    }
}

TEST_CASE("the transposed convolution is the adjoint of the convolution with the same kernel") {
  // <conv(u), v> = <u, conv_transpose(v)> without bias, for every u and v.
  const dl::ConvGeometry g = transpose_geometry(2, 4, 5, 3, 3, 2, 4, 2, 2, dl::Padding::same);
  dl::Rng rng(6);
  auto u = check::random_values(static_cast<std::size_t>(g.n) * g.h * g.w * g.c, rng);
  auto v = check::random_values(static_cast<std::size_t>(g.n) * g.oh * g.ow * g.f, rng);
  auto w = check::random_values(static_cast<std::size_t>(g.patch()) * g.f, rng);
  std::vector<double> conv_u(v.size()), transposed_v(u.size()), no_bias_f(g.f, 0.0), no_bias_c(g.c, 0.0);
  dl::conv2d_forward(u.data(), w.data(), no_bias_f.data(), conv_u.data(), g);
  dl::conv2d_transpose_forward(v.data(), w.data(), no_bias_c.data(), transposed_v.data(), g);
  CHECK(check::dot(conv_u, v) == doctest::Approx(check::dot(u, transposed_v)).epsilon(1e-12));
}

TEST_CASE("bad Conv2DTranspose layers are refused when built, naming the layer and the expected shape") {
  refuses(R"({"type": "conv2dTranspose", "filters": 4, "kernelSize": 3, "inputShape": [10, 3]})",
          "conv2d_transpose (Conv2DTranspose) expects images of shape (None, height, width, channels); got (None, "
          "10, 3)");
  refuses(R"({"type": "conv2dTranspose", "filters": 4, "kernelSize": 3, "padding": "causal", "inputShape": [4, 4, 1]})",
          "unknown padding \"causal\"");
  refuses(R"({"type": "conv2dTranspose", "filters": 65536, "kernelSize": 64, "inputShape": [4, 4, 64]})",
          "conv2d_transpose (Conv2DTranspose): a kernel of 64 x 64 x 65536 x 64");
  refuses(R"({"type": "conv2dTranspose", "filters": 4096, "kernelSize": 3, "strides": 64, "inputShape": [64, 64, 1]})",
          "MiB; the limit is");
}

TEST_CASE("a Conv2DTranspose model upsamples as Keras: (7, 7, 2) to (14, 14, 3) with strides 2, same") {
  auto model = dl::model_from_json(
      R"({"layers": [{"type": "conv2dTranspose", "filters": 3, "kernelSize": 3, "strides": 2, "padding": "same",
                      "inputShape": [7, 7, 2]}]})");
  CHECK(model->output_shape() == std::vector<int>{14, 14, 3});
  const std::vector<dl::Parameter> p = model->layers()[0]->parameters();
  REQUIRE(p.size() == 2);
  CHECK(p[0].value->shape() == std::vector<int>{3, 3, 3, 2});  // (kh, kw, filters, channels)
  CHECK(p[1].value->shape() == std::vector<int>{3});
}

TEST_CASE("the float transposed convolution backward (SGEMM) equals the double one (Eigen) on awkward sizes") {
  for (int size : {1, 3, 7, 17})
    for (dl::Padding p : {dl::Padding::valid, dl::Padding::same}) {
      const dl::ConvGeometry g = transpose_geometry(2, size, size + 2, 3, 3, 2, 5, 1 + size % 3, 2, p);
      dl::Rng rng(13);
      std::vector<float> x(static_cast<std::size_t>(g.n) * g.oh * g.ow * g.f),
          w(static_cast<std::size_t>(g.patch()) * g.f), dy(static_cast<std::size_t>(g.n) * g.h * g.w * g.c);
      for (auto* v : {&x, &w, &dy})
        for (float& value : *v) value = static_cast<float>(rng.uniform(-1, 1));
      std::vector<float> dx(x.size()), dw(w.size()), db(g.c);
      dl::conv2d_transpose_backward(x.data(), w.data(), dy.data(), dx.data(), dw.data(), db.data(), g);
      const std::vector<double> xd(x.begin(), x.end()), wd(w.begin(), w.end()), dyd(dy.begin(), dy.end());
      std::vector<double> dxd(x.size()), dwd(w.size()), dbd(g.c);
      dl::conv2d_transpose_backward(xd.data(), wd.data(), dyd.data(), dxd.data(), dwd.data(), dbd.data(), g);
      auto expect_close = [&](const char* what, const std::vector<float>& fast, const std::vector<double>& slow) {
        for (std::size_t i = 0; i < fast.size(); ++i) {
          INFO(what << " size " << size << " padding " << dl::padding_name(p) << " [" << i << "]");
          CHECK(fast[i] == doctest::Approx(slow[i]).epsilon(1e-4));
        }
      };
      expect_close("dx", dx, dxd);
      expect_close("dw", dw, dwd);
      expect_close("db", db, dbd);
    }
}

TEST_CASE("Conv1D and Conv2DTranspose layers sum the gradients of a batch's slices under accumulate_gradients") {
  // The model trains a large batch in slices, adding each slice's parameter gradients.
  for (const std::string& description :
       {std::string(R"({"type": "conv1d", "filters": 3, "kernelSize": 3, "padding": "causal",
                        "activation": "tanh", "inputShape": [9, 2]})"),
        std::string(R"({"type": "conv2dTranspose", "filters": 3, "kernelSize": 3, "strides": 2,
                        "activation": "tanh", "inputShape": [3, 4, 2]})")}) {
    INFO(description);
    auto model = dl::model_from_json("{\"layers\": [" + description + "]}");
    dl::Layer& layer = *model->layers()[0];
    std::vector<int> in{6}, out{6};
    in.insert(in.end(), layer.input_shape.begin(), layer.input_shape.end());
    out.insert(out.end(), layer.output_shape.begin(), layer.output_shape.end());
    dl::Rng rng(2);
    dl::Tensor x(in), dy(out);
    for (float& v : x.values()) v = static_cast<float>(rng.uniform(-1, 1));
    for (float& v : dy.values()) v = static_cast<float>(rng.uniform(-1, 1));
    auto gradients = [&](int first, int last, bool accumulate) {
      dl::Tensor xs, dys, y;
      x.slice_rows(first, last, xs);
      dy.slice_rows(first, last, dys);
      y.resize(dys.shape());
      layer.forward(xs, y, true);
      layer.accumulate_gradients = accumulate;
      layer.backward(xs, y, dys, nullptr);
      layer.accumulate_gradients = false;
    };
    gradients(0, 6, false);
    std::vector<std::vector<float>> whole;
    for (const dl::Parameter& p : layer.parameters()) whole.push_back(p.grad->values());
    gradients(0, 2, false);
    gradients(2, 6, true);
    const std::vector<dl::Parameter> p = layer.parameters();
    for (std::size_t k = 0; k < p.size(); ++k)
      for (std::size_t i = 0; i < whole[k].size(); ++i) {
        INFO(p[k].name << "[" << i << "]");
        CHECK(p[k].grad->values()[i] == doctest::Approx(whole[k][i]).epsilon(1e-5));
      }
  }
}
