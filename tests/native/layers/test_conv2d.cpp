// Conv2D: finite-difference gradient checks in double precision over stride and padding
// variants and odd sizes, the fast convolution against its reference, TensorFlow's
// padding geometry, and the errors bad layer stacks get.
#include <doctest/doctest.h>

#include "../geometry.h"
#include "../gradient_check.h"
#include "io/model_description.h"
#include "layers/conv2d.h"

using check::conv_geometry;
using check::expect_gradient;
using check::pool_geometry;

namespace {

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

TEST_CASE("bad convolutional stacks are refused before training, naming the layer and the shapes") {
  auto refuses = [](const std::string& layers, const std::string& part) {
    INFO(layers);
    CHECK_THROWS_WITH_AS(dl::model_from_json("{\"layers\": [" + layers + "]}"), doctest::Contains(part.c_str()),
                         dl::EngineError);
  };
  refuses(R"({"type": "conv2d", "filters": 4, "kernelSize": 5, "inputShape": [3, 3, 1]})",
          "conv2d (Conv2D): the window of 5 is larger than the input's height of 3 with \"valid\" padding");
  refuses(R"({"type": "conv2d", "filters": 0, "kernelSize": 3, "inputShape": [8, 8, 1]})",
          "filters must be a whole number");
  refuses(R"({"type": "conv2d", "filters": 4, "kernelSize": [3, 0], "inputShape": [8, 8, 1]})",
          "kernelSize must be a whole number from 1");
  refuses(R"({"type": "conv2d", "filters": 4, "kernelSize": 3, "strides": -1, "inputShape": [8, 8, 1]})",
          "strides must be a whole number from 1");
  refuses(R"({"type": "conv2d", "filters": 4, "kernelSize": 3, "inputShape": [784]})",
          "conv2d (Conv2D) expects images of shape (None, height, width, channels); got (None, 784)");
  refuses(R"({"type": "conv2d", "filters": 4, "kernelSize": 3, "padding": "full", "inputShape": [8, 8, 1]})",
          "unknown padding \"full\"");
  refuses(
      R"({"type": "conv2d", "filters": 4, "kernelSize": 3, "inputShape": [8, 8, 1]}, {"type": "dense", "units": 10})",
      "dense (Dense) expects a flat input of shape (None, features); got (None, 6, 6, 4). Add a Flatten layer");
  refuses(R"({"type": "maxPooling2d", "poolSize": 4, "inputShape": [3, 3, 2]})",
          "max_pooling2d (MaxPooling2D): the window of 4 is larger than the input's height of 3");
  refuses(R"({"type": "globalAveragePooling2d", "inputShape": [10]})", "expects images of shape");
}
