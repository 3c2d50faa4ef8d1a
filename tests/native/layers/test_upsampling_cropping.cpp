// UpSampling1D/2D, Cropping1D/2D and ZeroPadding1D: finite-difference gradient checks in
// double precision of the kernels, the layers' shapes and values as Keras gives them, and
// the refusals (cropping that removes everything, outputs past the memory limit, bilinear
// interpolation).
#include <doctest/doctest.h>

#include "../gradient_check.h"
#include "io/model_description.h"
#include "kernels/upsampling.h"
#include "layers/cropping.h"
#include "layers/upsampling.h"

using check::expect_gradient;

namespace {

void refuses(const std::string& layers, const std::string& part) {
  INFO(layers);
  CHECK_THROWS_WITH_AS(dl::model_from_json("{\"layers\": [" + layers + "]}"), doctest::Contains(part.c_str()),
                       dl::EngineError);
}

std::vector<float> run(dl::Layer& layer, const std::vector<int>& shape, const std::vector<float>& values) {
  std::vector<int> in{1};
  in.insert(in.end(), shape.begin(), shape.end());
  std::vector<int> out{1};
  const std::vector<int> built = layer.build(shape);
  layer.input_shape = shape;
  layer.output_shape = built;
  out.insert(out.end(), built.begin(), built.end());
  dl::Tensor x(in, values), y(out);
  layer.forward(x, y, false);
  return y.values();
}

}  // namespace

TEST_CASE("nearest upsampling's gradient sums the copies: central differences agree") {
  for (auto [h, w, c, sh, sw] : {std::tuple{1, 1, 1, 1, 1}, std::tuple{1, 7, 3, 1, 2}, std::tuple{3, 2, 2, 2, 3}}) {
    const int n = 2;
    dl::Rng rng(37);
    auto x = check::random_values(static_cast<std::size_t>(n) * h * w * c, rng);
    auto r = check::random_values(static_cast<std::size_t>(n) * h * sh * w * sw * c, rng);
    auto loss = [&, h = h, w = w, c = c, sh = sh, sw = sw] {
      std::vector<double> y(r.size());
      dl::upsample_nearest_forward(x.data(), y.data(), n, h, w, c, sh, sw);
      return check::dot(y, r);
    };
    std::vector<double> dx(x.size());
    dl::upsample_nearest_backward(r.data(), dx.data(), n, h, w, c, sh, sw);
    expect_gradient("upsampling dx", x, dx, loss);
  }
}

TEST_CASE("padding and cropping insets are each other's gradient: central differences agree") {
  for (auto [h, w, top, left, oh, ow] :
       {std::tuple{1, 1, 0, 0, 1, 1}, std::tuple{1, 5, 0, 2, 1, 8}, std::tuple{3, 2, 1, 2, 6, 7}}) {
    const dl::Inset g{2, h, w, 3, oh, ow, top, left};
    dl::Rng rng(41);
    auto inner = check::random_values(static_cast<std::size_t>(g.n) * h * w * g.c, rng);
    auto outer = check::random_values(static_cast<std::size_t>(g.n) * oh * ow * g.c, rng);
    auto r_outer = check::random_values(outer.size(), rng), r_inner = check::random_values(inner.size(), rng);
    auto pad_loss = [&] {
      std::vector<double> y(outer.size());
      dl::embed_inset(inner.data(), y.data(), g);
      return check::dot(y, r_outer);
    };
    auto crop_loss = [&] {
      std::vector<double> y(inner.size());
      dl::extract_inset(outer.data(), y.data(), g);
      return check::dot(y, r_inner);
    };
    std::vector<double> d_inner(inner.size()), d_outer(outer.size());
    dl::extract_inset(r_outer.data(), d_inner.data(), g);
    dl::embed_inset(r_inner.data(), d_outer.data(), g);
    expect_gradient("zero padding dx", inner, d_inner, pad_loss);
    expect_gradient("cropping dx", outer, d_outer, crop_loss);
  }
}

TEST_CASE("the upsampling, cropping and 1D padding layers give Keras' shapes and values") {
  dl::UpSamplingLayer up1(1, 1, 3);
  CHECK(run(up1, {2, 1}, {1, 2}) == std::vector<float>{1, 1, 1, 2, 2, 2});
  dl::UpSamplingLayer up2(2, 2, 1);
  CHECK(run(up2, {1, 2, 1}, {1, 2}) == std::vector<float>{1, 2, 1, 2});
  dl::MarginLayer crop1(dl::MarginLayer::Kind::cropping1d, {0, 0, 1, 2});
  CHECK(run(crop1, {5, 1}, {1, 2, 3, 4, 5}) == std::vector<float>{2, 3});
  dl::MarginLayer pad1(dl::MarginLayer::Kind::zero_padding1d, {0, 0, 2, 1});
  CHECK(run(pad1, {2, 2}, {1, 2, 3, 4}) == std::vector<float>{0, 0, 0, 0, 1, 2, 3, 4, 0, 0});
  dl::MarginLayer crop2(dl::MarginLayer::Kind::cropping2d, {1, 0, 0, 1});
  CHECK(run(crop2, {2, 3, 1}, {1, 2, 3, 4, 5, 6}) == std::vector<float>{4, 5});
  dl::Tensor dy({1, 1, 2, 1}, std::vector<float>{7, 8}), dx({1, 2, 3, 1});
  crop2.backward(dl::Tensor(), dl::Tensor(), dy, &dx);
  CHECK(dx.values() == std::vector<float>{0, 0, 0, 7, 8, 0});
}

TEST_CASE("the layers' options read as Keras writes them: n, [start, end], [[top, bottom], [left, right]]") {
  auto shape_of = [](const std::string& layer, const std::string& input) {
    auto model = dl::model_from_json("{\"layers\": [" + layer + "]}");
    (void)input;
    return model->output_shape();
  };
  CHECK(shape_of(R"({"type": "cropping1d", "inputShape": [9, 2]})", "") == std::vector<int>{7, 2});
  CHECK(shape_of(R"({"type": "cropping1d", "cropping": [3, 0], "inputShape": [9, 2]})", "") == std::vector<int>{6, 2});
  CHECK(shape_of(R"({"type": "zeroPadding1d", "padding": [0, 4], "inputShape": [9, 2]})", "") ==
        std::vector<int>{13, 2});
  CHECK(shape_of(R"({"type": "cropping2D", "cropping": [[1, 2], [0, 3]], "inputShape": [9, 8, 2]})", "") ==
        std::vector<int>{6, 5, 2});
  CHECK(shape_of(R"({"type": "upSampling2d", "size": [2, 3], "inputShape": [4, 5, 1]})", "") ==
        std::vector<int>{8, 15, 1});
  CHECK(shape_of(R"({"type": "upSampling1d", "inputShape": [4, 5]})", "") == std::vector<int>{8, 5});
}

TEST_CASE("bad upsampling, cropping and padding layers are refused when built, naming the layer and the option") {
  refuses(R"({"type": "cropping1d", "cropping": [4, 5], "inputShape": [9, 2]})",
          "cropping1d (Cropping1D): cropping 4 + 5 steps from sequences of 9 leaves nothing");
  refuses(R"({"type": "cropping2D", "cropping": [[1, 1], [2, 2]], "inputShape": [9, 4, 2]})",
          "cropping2d (Cropping2D): cropping 1 + 1 rows and 2 + 2 columns from images of 9 x 4 leaves nothing");
  refuses(R"({"type": "cropping2D", "inputShape": [9, 4, 2]})", "needs cropping");
  refuses(R"({"type": "cropping1d", "cropping": -1, "inputShape": [9, 2]})", "cropping must be a whole number from 0");
  refuses(R"({"type": "cropping1d", "cropping": 1, "inputShape": [9, 2, 1]})",
          "cropping1d (Cropping1D) expects sequences of shape (None, steps, channels); got (None, 9, 2, 1)");
  refuses(R"({"type": "cropping2D", "cropping": 1, "inputShape": [9, 2]})",
          "cropping2d (Cropping2D) expects images of shape (None, height, width, channels); got (None, 9, 2)");
  refuses(R"({"type": "zeroPadding1d", "padding": [1, 2, 3], "inputShape": [9, 2]})", "padding must be one axis");
  refuses(R"({"type": "zeroPadding1d", "inputShape": [9]})",
          "zero_padding1d (ZeroPadding1D) expects sequences of shape (None, steps, channels); got (None, 9)");
  refuses(R"({"type": "upSampling1d", "inputShape": [9]})",
          "up_sampling1d (UpSampling1D) expects sequences of shape (None, steps, channels); got (None, 9)");
  refuses(R"({"type": "upSampling2d", "inputShape": [9, 2]})",
          "up_sampling2d (UpSampling2D) expects images of shape (None, height, width, channels)");
  refuses(R"({"type": "upSampling2d", "interpolation": "bilinear", "inputShape": [9, 2, 1]})",
          "interpolation \"bilinear\" is not supported yet; use \"nearest\"");
  refuses(R"({"type": "upSampling2d", "interpolation": "cubic", "inputShape": [9, 2, 1]})",
          "interpolation must be one of nearest, bilinear; got \"cubic\"");
  refuses(R"({"type": "upSampling2d", "size": 4096, "inputShape": [4096, 4096, 1]})",
          "up_sampling2d (UpSampling2D): an output of (None, 16777216, 16777216, 1) would need");
  refuses(R"({"type": "zeroPadding1d", "padding": 1048576, "inputShape": [9, 4096]})",
          "zero_padding1d (ZeroPadding1D): an output of (None, 2097161, 4096) is past the limit");
}
