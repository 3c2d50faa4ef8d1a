// Embedding and PositionEmbedding: the lookup, the scatter-add gradient against central
// differences in double (repeated ids included), the refusal of bad ids naming them, the
// mask of maskZero, and the position table broadcast over the batch.
#include <doctest/doctest.h>

#include "../gradient_check.h"
#include "kernels/embedding.h"
#include "layers/embedding.h"
#include "layers/position_embedding.h"

using check::expect_gradient;

TEST_CASE("embedding gradient sums the rows of repeated ids, matching central differences") {
  const int rows = 7, width = 3;
  const std::vector<float> ids{0, 3, 3, 6, 1, 3, 0, 2, 5};
  dl::Rng rng(5);
  auto table = check::random_values(rows * width, rng);
  auto r = check::random_values(ids.size() * width, rng);
  auto loss = [&] {
    std::vector<double> y(ids.size() * width);
    dl::embedding_forward(ids.data(), table.data(), y.data(), ids.size(), width);
    return check::dot(y, r);
  };
  std::vector<double> dtable(table.size(), 42.0);
  dl::embedding_backward(ids.data(), r.data(), dtable.data(), ids.size(), rows, width, false);
  expect_gradient("embedding dtable", table, dtable, loss);
  // Accumulating adds the same again.
  std::vector<double> twice = dtable;
  dl::embedding_backward(ids.data(), r.data(), twice.data(), ids.size(), rows, width, true);
  for (std::size_t i = 0; i < dtable.size(); ++i) CHECK(twice[i] == doctest::Approx(2 * dtable[i]));
}

namespace {

dl::EmbeddingLayer built_embedding(dl::Rng& rng, int input_dim, int output_dim, int steps, bool mask_zero = false) {
  dl::EmbeddingOptions o;
  o.input_dim = input_dim;
  o.output_dim = output_dim;
  o.mask_zero = mask_zero;
  dl::EmbeddingLayer layer(o);
  layer.name = "embedding";
  layer.rng = &rng;
  layer.input_shape = {steps};
  layer.output_shape = layer.build({steps});
  return layer;
}

}  // namespace

TEST_CASE("embedding looks up rows, starts within Keras' +-0.05 and refuses bad ids naming them") {
  dl::Rng rng(2);
  dl::EmbeddingLayer layer = built_embedding(rng, 5, 4, 3);
  CHECK(layer.output_shape == std::vector<int>{3, 4});
  auto params = layer.parameters();
  REQUIRE(params.size() == 1);
  CHECK(params[0].name == "embeddings");
  CHECK(params[0].value->shape() == std::vector<int>{5, 4});
  for (float w : params[0].value->values()) CHECK(std::abs(w) <= 0.05f);
  dl::Tensor x({2, 3}, {4, 0, 2, 1, 1, 3}), y({2, 3, 4});
  layer.forward(x, y, false);
  for (int j = 0; j < 4; ++j) {
    CHECK(y[j] == (*params[0].value)[4 * 4 + j]);
    CHECK(y[(3 + 2) * 4 + j] == (*params[0].value)[3 * 4 + j]);
  }
  for (float bad : {5.0f, -1.0f, 1.5f, std::nanf("")}) {
    CAPTURE(bad);
    dl::Tensor wrong({2, 3}, {0, 1, 2, 3, bad, 0});
    CHECK_THROWS_WITH_AS(layer.forward(wrong, y, true),
                         doctest::Contains("at step 1 of row 1 of the batch is not a whole number in [0, 5)"),
                         dl::EngineError);
  }
}

TEST_CASE("embedding with maskZero makes a mask of the nonzero ids; inputLength is checked") {
  dl::Rng rng(3);
  dl::EmbeddingLayer layer = built_embedding(rng, 4, 2, 3, true);
  CHECK(layer.mask_flow() == dl::MaskFlow::make);
  dl::Tensor x({2, 3}, {1, 0, 0, 3, 2, 0}), mask;
  layer.make_mask(x, mask);
  CHECK(mask.shape() == std::vector<int>{2, 3});
  CHECK(mask.values() == std::vector<float>{1, 0, 0, 1, 1, 0});
  dl::EmbeddingOptions o;
  o.input_dim = 4, o.output_dim = 2, o.input_length = 5;
  dl::EmbeddingLayer fixed(o);
  fixed.name = "e";
  fixed.rng = &rng;
  CHECK_THROWS_WITH_AS(fixed.build({3}), doctest::Contains("inputLength is 5 but the input has 3"), dl::EngineError);
}

TEST_CASE("position embedding gives the table's first steps to every sample and sums their gradient") {
  dl::Rng rng(4);
  dl::PositionEmbeddingLayer layer(5, dl::Initializer::glorot_uniform, {});
  layer.name = "position_embedding";
  layer.rng = &rng;
  layer.input_shape = {3, 2};
  layer.output_shape = layer.build({3, 2});
  CHECK(layer.output_shape == std::vector<int>{3, 2});
  auto params = layer.parameters();
  REQUIRE(params.size() == 1);
  CHECK(params[0].name == "embeddings");
  CHECK(params[0].value->shape() == std::vector<int>{5, 2});
  dl::Tensor x({2, 3, 2}, 7.0f), y({2, 3, 2}), dx({2, 3, 2}, 9.0f);
  layer.forward(x, y, true);
  for (int i = 0; i < 6; ++i) {
    CHECK(y[i] == (*params[0].value)[i]);
    CHECK(y[6 + i] == (*params[0].value)[i]);
  }
  dl::Tensor dy({2, 3, 2}, {1, 2, 3, 4, 5, 6, 10, 20, 30, 40, 50, 60});
  layer.backward(x, y, dy, &dx);
  const std::vector<float> expected{11, 22, 33, 44, 55, 66, 0, 0, 0, 0};
  CHECK(params[0].grad->values() == expected);
  CHECK(dx.values() == std::vector<float>(12, 0.0f));
  dl::PositionEmbeddingLayer short_table(2, dl::Initializer::glorot_uniform, {});
  short_table.name = "p";
  short_table.rng = &rng;
  CHECK_THROWS_WITH_AS(short_table.build({3, 2}), doctest::Contains("3 steps, more than sequenceLength 2"),
                       dl::EngineError);
}
