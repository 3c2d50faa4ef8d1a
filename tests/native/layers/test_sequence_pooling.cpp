// Pooling over sequences: MaxPooling1D and AveragePooling1D (the image kernels on one-row
// images), global max and average pooling with and without a mask, GlobalMaxPooling2D:
// finite-difference gradient checks in double precision, the mask's meaning as Keras
// gives it, and the refusals.
#include <doctest/doctest.h>

#include "../gradient_check.h"
#include "io/model_description.h"
#include "kernels/pooling1d.h"
#include "layers/global_pooling.h"

using check::expect_gradient;

namespace {

void refuses(const std::string& layers, const std::string& part) {
  INFO(layers);
  CHECK_THROWS_WITH_AS(dl::model_from_json("{\"layers\": [" + layers + "]}"), doctest::Contains(part.c_str()),
                       dl::EngineError);
}

// Distinct values, so that the max of a window is unique and central differences do not
// cross a tie.
std::vector<double> distinct_values(std::size_t n, dl::Rng& rng) {
  std::vector<double> v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = 0.1 * static_cast<double>(i) - 0.05 * static_cast<double>(n);
  for (std::size_t i = n; i > 1; --i) std::swap(v[i - 1], v[static_cast<std::size_t>(rng.uniform() * i) % i]);
  return v;
}

}  // namespace

TEST_CASE("max and average pooling over steps match central differences for valid and same padding") {
  struct Case {
    int n, t, c, pool, stride;
    dl::Padding padding;
  };
  for (const Case& k : {Case{1, 1, 1, 1, 1, dl::Padding::valid}, Case{2, 7, 3, 2, 2, dl::Padding::valid},
                        Case{2, 7, 3, 3, 2, dl::Padding::same}, Case{1, 17, 5, 4, 3, dl::Padding::same},
                        Case{3, 6, 2, 3, 1, dl::Padding::valid}}) {
    CAPTURE(k.t);
    CAPTURE(k.pool);
    CAPTURE(k.stride);
    dl::PoolGeometry g = dl::pool1d_geometry(k.t, k.c, k.pool, k.stride, k.padding, "test");
    g.n = k.n;
    dl::Rng rng(29);
    auto x = distinct_values(static_cast<std::size_t>(g.n) * g.w * g.c, rng);
    auto r = check::random_values(static_cast<std::size_t>(g.n) * g.ow * g.c, rng);
    for (bool max : {true, false}) {
      auto forward = [&](std::vector<double>& y) {
        if (max)
          dl::max_pool_forward(x.data(), y.data(), g);
        else
          dl::average_pool_forward(x.data(), y.data(), g);
      };
      auto loss = [&] {
        std::vector<double> y(r.size());
        forward(y);
        return check::dot(y, r);
      };
      std::vector<double> y(r.size()), dx(x.size());
      forward(y);
      if (max)
        dl::max_pool_backward(x.data(), y.data(), r.data(), dx.data(), g);
      else
        dl::average_pool_backward(r.data(), dx.data(), g);
      expect_gradient(max ? "max_pooling1d dx" : "average_pooling1d dx", x, dx, loss, 1e-6);
    }
  }
}

TEST_CASE("pooling over steps: Keras' lengths, windows that skip the padding") {
  CHECK(dl::pool1d_geometry(7, 1, 2, 2, dl::Padding::valid, "t").ow == 3);
  CHECK(dl::pool1d_geometry(7, 1, 2, 2, dl::Padding::same, "t").ow == 4);
  CHECK(dl::pool1d_geometry(7, 1, 3, 1, dl::Padding::same, "t").pad_left == 1);
  dl::PoolGeometry g = dl::pool1d_geometry(3, 1, 2, 2, dl::Padding::same, "t");
  g.n = 1;
  const float x[] = {1, 2, 6};
  float y[2];
  dl::average_pool_forward(x, y, g);
  CHECK(y[0] == 1.5f);
  CHECK(y[1] == 6.0f);  // the last window holds one real step
}

TEST_CASE("global max and average pooling over steps match central differences, with and without a mask") {
  const int n = 3, steps = 7, c = 4;
  // Sample 0: every step real; 1: the last three padded; 2: steps 0 and 4 padded.
  std::vector<float> mask(n * steps, 1.0f);
  for (int t = 4; t < 7; ++t) mask[steps + t] = 0.0f;
  mask[2 * steps] = mask[2 * steps + 4] = 0.0f;
  for (const float* m : {static_cast<const float*>(nullptr), static_cast<const float*>(mask.data())}) {
    dl::Rng rng(31);
    auto x = distinct_values(n * steps * c, rng);
    auto r = check::random_values(n * c, rng);
    for (bool max : {true, false}) {
      CAPTURE(max);
      CAPTURE(m != nullptr);
      auto forward = [&](std::vector<double>& y) {
        if (max)
          dl::global_max_pool1d_forward(x.data(), m, y.data(), n, steps, c);
        else
          dl::global_average_pool1d_forward(x.data(), m, y.data(), n, steps, c);
      };
      auto loss = [&] {
        std::vector<double> y(r.size());
        forward(y);
        return check::dot(y, r);
      };
      std::vector<double> y(r.size()), dx(x.size());
      forward(y);
      if (max)
        dl::global_max_pool1d_backward(x.data(), y.data(), r.data(), m, dx.data(), n, steps, c);
      else
        dl::global_average_pool1d_backward(r.data(), m, dx.data(), n, steps, c);
      expect_gradient(max ? "global max dx" : "global average dx", x, dx, loss);
      if (m)
        for (int i = 0; i < n * steps; ++i)
          for (int ci = 0; ci < c && mask[i] == 0.0f; ++ci) {
            INFO("padded step " << i << " channel " << ci);
            CHECK(dx[i * c + ci] == 0.0);
          }
    }
  }
}

TEST_CASE(
    "GlobalAveragePooling1D averages the unmasked steps only (an all-padded sample gives 0); "
    "GlobalMaxPooling1D takes no mask, as Keras") {
  // x: 2 samples, 4 steps, 1 channel. Sample 0: the large values are on padded steps.
  dl::Tensor x({2, 4, 1}, std::vector<float>{1, 3, 100, 200, -1, -2, -3, -4});
  dl::Tensor mask({2, 4}, std::vector<float>{1, 1, 0, 0, 0, 0, 0, 0});
  for (bool max : {true, false}) {
    dl::GlobalPoolingLayer layer(max, 1, false);
    layer.name = max ? "global_max_pooling1d" : "global_average_pooling1d";
    CHECK(layer.build({4, 1}) == std::vector<int>{1});
    layer.masks = {&mask};
    dl::Tensor y({2, 1});
    layer.forward(x, y, false);
    CHECK(y[0] == (max ? 200.0f : 2.0f));
    CHECK(y[1] == (max ? -1.0f : 0.0f));
    dl::Tensor dy({2, 1}, 1.0f), dx({2, 4, 1});
    layer.backward(x, y, dy, &dx);
    CHECK(dx.values() ==
          (max ? std::vector<float>{0, 0, 0, 1, 1, 0, 0, 0} : std::vector<float>{0.5f, 0.5f, 0, 0, 0, 0, 0, 0}));
    layer.masks = {};
    layer.forward(x, y, false);
    CHECK(y[0] == (max ? 200.0f : 76.0f));
  }
}

TEST_CASE("global pooling keeps the pooled axes with keepdims and GlobalMaxPooling2D pools every pixel") {
  dl::GlobalPoolingLayer keep(true, 1, true);
  CHECK(keep.build({5, 3}) == std::vector<int>{1, 3});
  dl::GlobalPoolingLayer image(true, 2, false);
  CHECK(image.type() == "GlobalMaxPooling2D");
  CHECK(image.build({2, 2, 2}) == std::vector<int>{2});
  dl::Tensor x({1, 2, 2, 2}, std::vector<float>{1, -5, 7, -6, 3, -2, 0, -9}), y({1, 2});
  image.forward(x, y, false);
  CHECK(y.values() == std::vector<float>{7, -2});
  dl::GlobalPoolingLayer keep_image(false, 2, true);
  CHECK(keep_image.build({4, 4, 3}) == std::vector<int>{1, 1, 3});
}

TEST_CASE("bad pooling layers over sequences are refused when built, naming the layer and the expected shape") {
  refuses(R"({"type": "maxPooling1d", "inputShape": [28, 28, 1]})",
          "max_pooling1d (MaxPooling1D) expects sequences of shape (None, steps, channels); got (None, 28, 28, 1)");
  refuses(R"({"type": "averagePooling1d", "poolSize": 5, "inputShape": [3, 2]})",
          "average_pooling1d (AveragePooling1D): the window of 5 is larger than the input's steps of 3");
  refuses(R"({"type": "maxPooling1d", "poolSize": [2, 2], "inputShape": [8, 2]})",
          "poolSize must be a number; got an array");
  refuses(R"({"type": "globalMaxPooling1d", "inputShape": [10]})",
          "global_max_pooling1d (GlobalMaxPooling1D) expects sequences of shape (None, steps, channels); got (None, "
          "10)");
  refuses(R"({"type": "globalAveragePooling1d", "inputShape": [4, 4, 1]})",
          "(GlobalAveragePooling1D) expects sequences of shape");
  refuses(R"({"type": "globalMaxPooling2d", "inputShape": [4, 1]})",
          "global_max_pooling2d (GlobalMaxPooling2D) expects images of shape (None, height, width, channels)");
  refuses(R"({"type": "globalMaxPooling1d", "keepdims": 1, "inputShape": [4, 1]})", "keepdims must be true or false");
}
