// Image augmentation: shifts and rotations move pixels where expected, do nothing at
// zero, and are fixed by the seed.
#include <doctest/doctest.h>

#include "io/model_description.h"
#include "train/augment.h"

TEST_CASE("zero shift and rotation leave an image unchanged") {
  std::vector<float> in(5 * 7 * 2), out(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) in[i] = static_cast<float>(i);
  dl::transform_image(in.data(), out.data(), 5, 7, 2, 0, 0, 0);
  CHECK(out == in);
}

TEST_CASE("a shift of one pixel moves every pixel one to the right and fills with zero") {
  std::vector<float> in(3 * 3, 0.0f), out(9);
  in[1 * 3 + 1] = 1.0f;  // centre
  dl::transform_image(in.data(), out.data(), 3, 3, 1, 1, 0, 0);
  CHECK(out[1 * 3 + 2] == doctest::Approx(1.0f));
  CHECK(out[1 * 3 + 1] == doctest::Approx(0.0f));
  CHECK(out[1 * 3 + 0] == doctest::Approx(0.0f));
}

TEST_CASE("a rotation of 90 degrees turns the right-middle pixel to the top-middle") {
  std::vector<float> in(9, 0.0f), out(9);
  in[1 * 3 + 2] = 1.0f;
  dl::transform_image(in.data(), out.data(), 3, 3, 1, 0, 0, 90);
  CHECK(out[0 * 3 + 1] == doctest::Approx(1.0f));
  CHECK(out[1 * 3 + 2] == doctest::Approx(0.0f).epsilon(1e-6));
}

TEST_CASE("batch augmentation is the same for the same seed and differs between images") {
  dl::Tensor a({3, 8, 8, 1});
  for (std::size_t i = 0; i < a.size(); ++i) a[i] = static_cast<float>((i * 7) % 11);
  dl::Tensor b = a, original = a;
  dl::Augmentation aug{2.0f, 10.0f, {}};
  dl::Rng r1(5), r2(5);
  dl::augment_batch(a, aug, {8, 8, 1}, r1);
  dl::augment_batch(b, aug, {8, 8, 1}, r2);
  CHECK(a.values() == b.values());
  CHECK(a.values() != original.values());
}

TEST_CASE("fit augments image batches and refuses an augmentation without an image shape") {
  auto model = dl::model_from_json(R"({"seed": 1, "layers": [
    {"type": "dense", "units": 4, "activation": "softmax", "inputShape": [16]}],
    "compile": {"optimizer": "adam", "loss": "sparse_categorical_crossentropy"}})");
  dl::Tensor x({8, 16}, 0.5f), y({8}, {0, 1, 2, 3, 0, 1, 2, 3});
  CHECK_THROWS_WITH_AS(model->fit(x, y, dl::fit_options_from_json(R"({"augment": {"shift": 2}})")),
                       doctest::Contains("augment needs images of shape (height, width, channels)"), dl::EngineError);
  dl::History h = model->fit(
      x, y,
      dl::fit_options_from_json(R"({"epochs": 2, "augment": {"shift": 2, "rotation": 10, "imageShape": [4, 4, 1]}})"));
  CHECK(h.values["loss"].size() == 2);
  CHECK_THROWS_WITH_AS(dl::fit_options_from_json(R"({"augment": {"shift": 50}})"),
                       doctest::Contains("shifts up to 8 pixels"), dl::EngineError);
}

TEST_CASE("a zoom of 2 moves a pixel one step right of the centre to two steps right") {
  std::vector<float> in(25, 0.0f), out(25);
  in[2 * 5 + 3] = 1.0f;
  dl::transform_image(in.data(), out.data(), 5, 5, 1, 0, 0, 0, 2.0f);
  CHECK(out[2 * 5 + 4] == doctest::Approx(1.0f));
  CHECK(out[2 * 5 + 2] == doctest::Approx(0.0f));  // the centre stays where it is (and was 0)
  CHECK(dl::fit_options_from_json(R"({"augment": {"zoom": 0.2}})").augmentation.max_zoom == doctest::Approx(0.2f));
  CHECK_THROWS_WITH(dl::fit_options_from_json(R"({"augment": {"zoom": 0.9}})"),
                    doctest::Contains("augment zoom must be from 0 to 0.5"));
}
