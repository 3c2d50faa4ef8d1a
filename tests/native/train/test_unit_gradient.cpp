// The gradient of one unit (a channel's mean for a map) with respect to the input, which
// activation maximization climbs, agrees with finite differences.
#include <doctest/doctest.h>

#include "io/model_description.h"
#include "train/introspection.h"

namespace {

// The mean of channel `unit` of layer `layer`'s output for one image.
double unit_value(dl::Sequential& model, const dl::Tensor& x, int layer, int unit) {
  const std::vector<dl::Tensor> outputs = dl::layer_outputs(model, x);
  const dl::Tensor& out = outputs[layer];
  const int channels = out.shape().back();
  double sum = 0;
  const std::size_t positions = out.size() / channels;
  for (std::size_t p = 0; p < positions; ++p) sum += out[p * channels + unit];
  return sum / static_cast<double>(positions);
}

}  // namespace

TEST_CASE("a unit's input gradient matches finite differences, for a map and for an output") {
  auto model = dl::model_from_json(R"({"seed": 4, "layers": [
    {"type": "conv2d", "filters": 2, "kernelSize": 3, "activation": "tanh", "inputShape": [5, 5, 1]},
    {"type": "flatten"},
    {"type": "dense", "units": 3, "activation": "softmax"}]})");
  dl::Tensor x({1, 5, 5, 1});
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = static_cast<float>((i * 37 % 11) / 11.0);
  for (auto [layer, unit] : {std::pair{0, 1}, std::pair{2, 2}}) {
    const dl::Tensor g = dl::unit_gradient(*model, x, layer, unit);
    for (int pixel : {0, 6, 12, 24}) {
      dl::Tensor up = x, down = x;
      up[pixel] += 1e-2f;
      down[pixel] -= 1e-2f;
      const double numeric = (unit_value(*model, up, layer, unit) - unit_value(*model, down, layer, unit)) / 2e-2;
      CHECK(g[pixel] == doctest::Approx(numeric).epsilon(0.02).scale(1e-3));
    }
  }
  CHECK_THROWS_WITH(dl::unit_gradient(*model, x, 3, 0), doctest::Contains("layer 3 is outside the model's 3 layers"));
  CHECK_THROWS_WITH(dl::unit_gradient(*model, x, 0, 2), doctest::Contains("unit 2 is outside layer 0's 2 units"));
}
