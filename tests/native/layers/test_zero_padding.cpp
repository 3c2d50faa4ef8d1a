// ZeroPadding2D: where each value lands, the gradient that comes back, the three ways of
// giving the padding, and what it refuses.
#include <doctest/doctest.h>

#include "io/model_description.h"
#include "layers/zero_padding2d.h"

namespace {

std::unique_ptr<dl::Sequential> padded(const std::string& padding) {
  return dl::model_from_json(R"({"layers": [{"type": "zeroPadding2d", "padding": )" + padding +
                             R"(, "inputShape": [2, 3, 2]}]})");
}

}  // namespace

TEST_CASE("zero padding puts each image in the middle of zeros and crops the gradient back") {
  dl::ZeroPadding2DLayer layer({1, 0, 2, 1});  // top 1, bottom 0, left 2, right 1
  layer.name = "pad";
  layer.input_shape = {2, 3, 2};
  layer.output_shape = layer.build(layer.input_shape);
  CHECK(layer.output_shape == std::vector<int>{3, 6, 2});
  dl::Tensor x({2, 2, 3, 2});
  for (std::size_t i = 0; i < x.size(); ++i) x.data()[i] = static_cast<float>(i + 1);
  dl::Tensor y({2, 3, 6, 2});
  layer.forward(x, y, false);
  // Sample 1, row 1 of the input is row 2 of the output, from column 2: value at (1, 0, 1).
  auto at = [&](int s, int r, int c, int k) { return y.data()[((s * 3 + r) * 6 + c) * 2 + k]; };
  CHECK(at(1, 2, 2, 1) == x.data()[((1 * 2 + 1) * 3 + 0) * 2 + 1]);
  CHECK(at(0, 1, 2, 0) == 1.0f);
  CHECK(at(0, 1, 4, 1) == 6.0f);
  double inside = 0;
  double total = 0;
  for (std::size_t i = 0; i < y.size(); ++i) total += y.data()[i];
  for (std::size_t i = 0; i < x.size(); ++i) inside += x.data()[i];
  CHECK(total == inside);  // every other value is zero
  CHECK(at(0, 0, 3, 0) == 0.0f);
  CHECK(at(1, 2, 5, 1) == 0.0f);
  // The gradient with respect to x is the middle of dy.
  dl::Tensor dy({2, 3, 6, 2});
  for (std::size_t i = 0; i < dy.size(); ++i) dy.data()[i] = static_cast<float>(i) * 0.5f;
  dl::Tensor dx({2, 2, 3, 2});
  layer.backward(x, y, dy, &dx);
  for (int s = 0; s < 2; ++s)
    for (int r = 0; r < 2; ++r)
      for (int c = 0; c < 3; ++c)
        for (int k = 0; k < 2; ++k)
          CHECK(dx.data()[((s * 2 + r) * 3 + c) * 2 + k] == dy.data()[((s * 3 + r + 1) * 6 + c + 2) * 2 + k]);
}

TEST_CASE("zero padding takes n, [height, width] or [[top, bottom], [left, right]], and refuses the rest") {
  CHECK(padded("1")->layers()[0]->output_shape == std::vector<int>{4, 5, 2});
  CHECK(padded("[2, 0]")->layers()[0]->output_shape == std::vector<int>{6, 3, 2});
  CHECK(padded("[[0, 1], [3, 2]]")->layers()[0]->output_shape == std::vector<int>{3, 8, 2});
  CHECK(dl::model_from_json(R"({"layers": [{"type": "zeroPadding2d", "inputShape": [2, 3, 2]}]})")
            ->layers()[0]
            ->output_shape == std::vector<int>{4, 5, 2});  // Keras' default: 1 all around
  for (const char* bad : {"-1", "1.5", "[1, 2, 3]", "[[1, 2], 3]", "[[1], [2]]", "\"same\""})
    CHECK_THROWS_WITH_AS(padded(bad), doctest::Contains("padding must be a whole number from 0 to 4096"),
                         dl::EngineError);
  CHECK_THROWS_WITH_AS(
      dl::model_from_json(R"({"layers": [{"type": "zeroPadding2d", "padding": 1, "inputShape": [12]}]})"),
      doctest::Contains("expects images of shape (None, height, width, channels); got (None, 12)"), dl::EngineError);
}
