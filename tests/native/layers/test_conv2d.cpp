// Convolution, pooling, reshape and batch normalization: finite-difference gradient
// checks in double precision over stride and padding variants and odd sizes, the fast
// convolution against its reference, and the errors bad layer stacks get.
#include <doctest/doctest.h>

#include "../gradient_check.h"
#include "io/model_description.h"
#include "layers/batch_normalization.h"
#include "layers/conv2d.h"
#include "layers/pooling.h"

using check::expect_gradient;

namespace {

dl::ConvGeometry conv_geometry(int n, int h, int w, int c, int kh, int kw, int f, int sh, int sw, dl::Padding p) {
  dl::ConvGeometry g;
  g.n = n;
  g.h = h;
  g.w = w;
  g.c = c;
  g.kh = kh;
  g.kw = kw;
  g.f = f;
  g.sh = sh;
  g.sw = sw;
  const dl::AxisGeometry y = dl::axis_geometry(h, kh, sh, p, "test", "height");
  const dl::AxisGeometry x = dl::axis_geometry(w, kw, sw, p, "test", "width");
  g.oh = y.out;
  g.ow = x.out;
  g.pad_top = y.pad_before;
  g.pad_left = x.pad_before;
  return g;
}

dl::PoolGeometry pool_geometry(int n, int h, int w, int c, int ph, int pw, int sh, int sw, dl::Padding p) {
  dl::PoolGeometry g;
  g.n = n;
  g.h = h;
  g.w = w;
  g.c = c;
  g.ph = ph;
  g.pw = pw;
  g.sh = sh;
  g.sw = sw;
  const dl::AxisGeometry y = dl::axis_geometry(h, ph, sh, p, "test", "height");
  const dl::AxisGeometry x = dl::axis_geometry(w, pw, sw, p, "test", "width");
  g.oh = y.out;
  g.ow = x.out;
  g.pad_top = y.pad_before;
  g.pad_left = x.pad_before;
  return g;
}

struct ConvCase {
  int n, h, w, c, kh, kw, f, sh, sw;
  dl::Padding padding;
};

const ConvCase kConvCases[] = {
    {1, 1, 1, 1, 1, 1, 1, 1, 1, dl::Padding::valid}, {2, 5, 7, 3, 3, 2, 4, 1, 1, dl::Padding::valid},
    {2, 5, 7, 3, 3, 3, 2, 2, 1, dl::Padding::same},  {1, 7, 6, 2, 2, 3, 3, 2, 3, dl::Padding::same},
    {1, 6, 5, 1, 4, 4, 1, 3, 2, dl::Padding::valid}, {3, 3, 3, 2, 3, 3, 5, 1, 1, dl::Padding::same},
};

}  // namespace

TEST_CASE("axis geometry follows TensorFlow: valid floors, same keeps ceil(in / stride) with the extra pad after") {
  CHECK(dl::axis_geometry(28, 3, 1, dl::Padding::valid, "t", "h").out == 26);
  CHECK(dl::axis_geometry(7, 3, 2, dl::Padding::valid, "t", "h").out == 3);
  dl::AxisGeometry same = dl::axis_geometry(7, 4, 2, dl::Padding::same, "t", "h");
  CHECK(same.out == 4);
  CHECK(same.pad_before == 1);  // total padding 3: 1 before, 2 after
  CHECK(dl::axis_geometry(28, 3, 1, dl::Padding::same, "t", "h").out == 28);
}

TEST_CASE("conv2d gradients match central differences for input, kernel and bias over strides and paddings") {
  for (const ConvCase& k : kConvCases) {
    CAPTURE(k.h);
    CAPTURE(k.w);
    CAPTURE(k.sh);
    CAPTURE(dl::padding_name(k.padding));
    const dl::ConvGeometry g = conv_geometry(k.n, k.h, k.w, k.c, k.kh, k.kw, k.f, k.sh, k.sw, k.padding);
    dl::Rng rng(17);
    auto x = check::random_values(static_cast<std::size_t>(g.n) * g.h * g.w * g.c, rng);
    auto w = check::random_values(static_cast<std::size_t>(g.patch()) * g.f, rng);
    auto b = check::random_values(g.f, rng);
    auto r = check::random_values(static_cast<std::size_t>(g.n) * g.oh * g.ow * g.f, rng);
    auto loss = [&] {
      std::vector<double> z(r.size());
      dl::conv2d_forward(x.data(), w.data(), b.data(), z.data(), g);
      return check::dot(z, r);
    };
    std::vector<double> dx(x.size()), dw(w.size()), db(b.size());
    dl::conv2d_backward(x.data(), w.data(), r.data(), dx.data(), dw.data(), db.data(), g);
    expect_gradient("conv dx", x, dx, loss);
    expect_gradient("conv dw", w, dw, loss);
    expect_gradient("conv db", b, db, loss);
  }
}

TEST_CASE("the im2col convolution equals the direct reference on awkward shapes") {
  for (int size : {1, 3, 7, 17}) {
    for (dl::Padding p : {dl::Padding::valid, dl::Padding::same}) {
      const int k = std::min(size, 3);
      const dl::ConvGeometry g = conv_geometry(2, size, size + 2, 3, k, k, 7, 1 + size % 2, 2, p);
      dl::Rng rng(3);
      std::vector<float> x(static_cast<std::size_t>(g.n) * g.h * g.w * g.c),
          w(static_cast<std::size_t>(g.patch()) * g.f), b(g.f);
      for (float& v : x) v = static_cast<float>(rng.uniform(-1, 1));
      for (float& v : w) v = static_cast<float>(rng.uniform(-1, 1));
      for (float& v : b) v = static_cast<float>(rng.uniform(-1, 1));
      std::vector<float> fast(static_cast<std::size_t>(g.n) * g.oh * g.ow * g.f), slow(fast.size());
      dl::conv2d_forward(x.data(), w.data(), b.data(), fast.data(), g);
      dl::conv2d_forward_reference(x.data(), w.data(), b.data(), slow.data(), g);
      for (std::size_t i = 0; i < fast.size(); ++i) {
        INFO("size " << size << " padding " << dl::padding_name(p) << " output " << i);
        CHECK(fast[i] == doctest::Approx(slow[i]).epsilon(1e-5));
      }
    }
  }
}

TEST_CASE("max, average and global average pooling gradients match central differences") {
  struct PoolCase {
    int h, w, c, ph, pw, sh, sw;
    dl::Padding padding;
  };
  const PoolCase cases[] = {{4, 4, 2, 2, 2, 2, 2, dl::Padding::valid},
                            {5, 7, 3, 2, 2, 2, 2, dl::Padding::same},
                            {7, 5, 1, 3, 2, 2, 1, dl::Padding::valid},
                            {3, 3, 2, 3, 3, 1, 1, dl::Padding::same}};
  for (const PoolCase& k : cases) {
    CAPTURE(k.h);
    CAPTURE(dl::padding_name(k.padding));
    const dl::PoolGeometry g = pool_geometry(2, k.h, k.w, k.c, k.ph, k.pw, k.sh, k.sw, k.padding);
    dl::Rng rng(23);
    // Distinct values well apart, so that no small step changes which one is the maximum.
    std::vector<double> x(static_cast<std::size_t>(g.n) * g.h * g.w * g.c);
    for (std::size_t i = 0; i < x.size(); ++i) x[i] = static_cast<double>((i * 7919) % x.size()) * 0.1;
    auto r = check::random_values(static_cast<std::size_t>(g.n) * g.oh * g.ow * g.c, rng);
    auto max_loss = [&] {
      std::vector<double> y(r.size());
      dl::max_pool_forward(x.data(), y.data(), g);
      return check::dot(y, r);
    };
    auto avg_loss = [&] {
      std::vector<double> y(r.size());
      dl::average_pool_forward(x.data(), y.data(), g);
      return check::dot(y, r);
    };
    std::vector<double> dx(x.size());
    std::vector<double> pooled(r.size());
    dl::max_pool_forward(x.data(), pooled.data(), g);
    dl::max_pool_backward(x.data(), pooled.data(), r.data(), dx.data(), g);
    expect_gradient("max pool dx", x, dx, max_loss, 1e-4);
    dl::average_pool_backward(r.data(), dx.data(), g);
    expect_gradient("average pool dx", x, dx, avg_loss, 1e-4);
  }
  dl::Rng rng(4);
  auto x = check::random_values(2 * 3 * 5 * 4, rng), r = check::random_values(2 * 4, rng);
  auto loss = [&] {
    std::vector<double> y(8);
    dl::global_average_pool_forward(x.data(), y.data(), 2, 15, 4);
    return check::dot(y, r);
  };
  std::vector<double> dx(x.size());
  dl::global_average_pool_backward(r.data(), dx.data(), 2, 15, 4);
  expect_gradient("global average pool dx", x, dx, loss);
}

TEST_CASE("average pooling with same padding divides by the real pixels only") {
  const dl::PoolGeometry g = pool_geometry(1, 3, 3, 1, 2, 2, 2, 2, dl::Padding::same);
  std::vector<float> x(9, 1.0f), y(static_cast<std::size_t>(g.oh) * g.ow);
  dl::average_pool_forward(x.data(), y.data(), g);
  for (float v : y) CHECK(v == doctest::Approx(1.0f));
}

TEST_CASE("batch normalization gradients match central differences for input, gamma and beta") {
  for (auto [m, c] : {std::pair{6, 3}, std::pair{17, 1}, std::pair{2 * 3 * 5, 4}}) {
    dl::Rng rng(31);
    auto x = check::random_values(static_cast<std::size_t>(m) * c, rng, -2, 3);
    auto gamma = check::random_values(c, rng, 0.5, 1.5), beta = check::random_values(c, rng);
    auto r = check::random_values(x.size(), rng);
    auto loss = [&] {
      std::vector<double> y(x.size()), x_hat(x.size()), mean(c), inv_std(c);
      dl::batch_norm_forward(x.data(), gamma.data(), beta.data(), y.data(), x_hat.data(), mean.data(), inv_std.data(),
                             m, c, 1e-3);
      return check::dot(y, r);
    };
    std::vector<double> y(x.size()), x_hat(x.size()), mean(c), inv_std(c), dx(x.size()), dgamma(c), dbeta(c);
    dl::batch_norm_forward(x.data(), gamma.data(), beta.data(), y.data(), x_hat.data(), mean.data(), inv_std.data(), m,
                           c, 1e-3);
    dl::batch_norm_backward(x.data(), r.data(), gamma.data(), mean.data(), inv_std.data(), dx.data(), dgamma.data(),
                            dbeta.data(), m, c);
    expect_gradient("batch norm dx", x, dx, loss, 1e-5, 1e-5);
    expect_gradient("batch norm dgamma", gamma, dgamma, loss);
    expect_gradient("batch norm dbeta", beta, dbeta, loss);
  }
}

TEST_CASE("batch normalization uses batch statistics in training and moving ones in inference") {
  dl::Rng rng(1);
  dl::BatchNormalizationLayer layer(0.9f, 1e-3f, true, true);
  layer.rng = &rng;
  layer.input_shape = {2};
  layer.output_shape = layer.build({2});
  dl::Tensor x({4, 2}, {1, 10, 3, 20, 5, 30, 7, 40}), y({4, 2});
  layer.forward(x, y, true);
  double mean0 = (y[0] + y[2] + y[4] + y[6]) / 4;
  CHECK(mean0 == doctest::Approx(0.0).epsilon(1e-5));
  auto params = layer.parameters();
  REQUIRE(params.size() == 4);
  CHECK_FALSE(params[2].trainable);
  CHECK((*params[2].value)[0] == doctest::Approx(0.1 * 4.0));          // moving mean: 0.9*0 + 0.1*4
  CHECK((*params[3].value)[1] == doctest::Approx(0.9 + 0.1 * 125.0));  // variance of 10..40 is 125
  dl::Tensor inference({1, 2});
  layer.forward(dl::Tensor({1, 2}, {0.4f, 0.0f}), inference, false);
  CHECK(inference[0] == doctest::Approx(0.0).epsilon(1e-3));  // (0.4 - 0.4) / sqrt(...)
}

TEST_CASE("reshape infers -1 and refuses shapes that do not divide") {
  auto model = dl::model_from_json(R"({"layers": [{"type": "reshape", "targetShape": [28, -1, 1], "inputShape": [784]},
    {"type": "conv2d", "filters": 2, "kernelSize": 3}]})");
  CHECK(model->layers()[0]->output_shape == std::vector<int>{28, 28, 1});
  CHECK(model->layers()[1]->output_shape == std::vector<int>{26, 26, 2});
  CHECK_THROWS_WITH_AS(
      dl::model_from_json(R"({"layers": [{"type": "reshape", "targetShape": [5, -1], "inputShape": [12]}]})"),
      doctest::Contains("cannot reshape (None, 12) (12 values) to (5, -1): 12 does not divide by 5"), dl::EngineError);
  CHECK_THROWS_WITH_AS(
      dl::model_from_json(R"({"layers": [{"type": "reshape", "targetShape": [5, 3], "inputShape": [12]}]})"),
      doctest::Contains("(12 values) to (5, 3) (15 values)"), dl::EngineError);
}

TEST_CASE("bad convolutional stacks are refused before training, naming the layer and the shapes") {
  auto refuses = [](const std::string& layers, const std::string& part) {
    INFO(layers);
    CHECK_THROWS_WITH_AS(dl::model_from_json("{\"layers\": [" + layers + "]}"), doctest::Contains(part.c_str()),
                         dl::EngineError);
  };
  refuses(R"({"type": "conv2d", "filters": 4, "kernelSize": 5, "inputShape": [3, 3, 1]})",
          "conv2d (Conv2D): the window of 5 is larger than the input's height of 3 with 'valid' padding");
  refuses(R"({"type": "conv2d", "filters": 0, "kernelSize": 3, "inputShape": [8, 8, 1]})",
          "filters must be a whole number");
  refuses(R"({"type": "conv2d", "filters": 4, "kernelSize": [3, 0], "inputShape": [8, 8, 1]})",
          "kernelSize must be a whole number from 1");
  refuses(R"({"type": "conv2d", "filters": 4, "kernelSize": 3, "strides": -1, "inputShape": [8, 8, 1]})",
          "strides must be a whole number from 1");
  refuses(R"({"type": "conv2d", "filters": 4, "kernelSize": 3, "inputShape": [784]})",
          "conv2d (Conv2D) expects images of shape (None, height, width, channels); got (None, 784)");
  refuses(R"({"type": "conv2d", "filters": 4, "kernelSize": 3, "padding": "full", "inputShape": [8, 8, 1]})",
          "unknown padding 'full'");
  refuses(
      R"({"type": "conv2d", "filters": 4, "kernelSize": 3, "inputShape": [8, 8, 1]}, {"type": "dense", "units": 10})",
      "dense (Dense) expects a flat input of shape (None, features); got (None, 6, 6, 4). Add a Flatten layer");
  refuses(R"({"type": "maxPooling2d", "poolSize": 4, "inputShape": [3, 3, 2]})",
          "max_pooling2d (MaxPooling2D): the window of 4 is larger than the input's height of 3");
  refuses(R"({"type": "globalAveragePooling2d", "inputShape": [10]})", "expects images of shape");
}

TEST_CASE("the summary counts batch normalization's moving statistics as non-trainable") {
  auto model =
      dl::model_from_json(R"({"layers": [{"type": "conv2d", "filters": 32, "kernelSize": 3, "inputShape": [28, 28, 1]},
    {"type": "batchNormalization"}, {"type": "maxPooling2d"}, {"type": "flatten"}, {"type": "dense", "units": 10}]})");
  std::string s = model->summary();
  INFO(s);
  CHECK(s.find("conv2d (Conv2D)             (None, 26, 26, 32)       320") != std::string::npos);
  CHECK(s.find("batch_normalization (BatchNormalization)") != std::string::npos);
  CHECK(s.find("max_pooling2d (MaxPooling2D)") != std::string::npos);
  CHECK(s.find("(None, 13, 13, 32)") != std::string::npos);
  CHECK(s.find("Non-trainable params: 64") != std::string::npos);
  CHECK(s.find("Total params: 54,538") != std::string::npos);
}
