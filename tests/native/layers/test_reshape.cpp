// Reshape: the inferred -1 and the shapes it refuses.
#include <doctest/doctest.h>

#include "../geometry.h"
#include "../gradient_check.h"
#include "io/model_description.h"
#include "layers/reshape.h"

using check::conv_geometry;
using check::expect_gradient;
using check::pool_geometry;

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
