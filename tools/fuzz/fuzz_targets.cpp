// Fuzz entry points over the engine's parsers.
#include "fuzz_targets.h"

#include <string>
#include <vector>

#include "core/error.h"
#include "io/idx.h"
#include "io/model_description.h"

namespace dl::fuzz {

void model_description(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    auto model = model_from_json(text);
    // A model that builds must also run: one small batch through fit and predict.
    const std::vector<int> in = model->input_shape();
    if (shape_size(in) > 4096) return;
    std::vector<int> xs{2};
    xs.insert(xs.end(), in.begin(), in.end());
    Tensor x(xs, 0.5f);
    Tensor p = model->predict(x);
    if (model->compiled()) {
      Tensor y(p.shape(), 0.0f);
      if (model->compile_options().loss == LossKind::sparse_categorical_crossentropy) y = Tensor({2}, 0.0f);
      FitOptions options;
      options.batch_size = 2;
      model->fit(x, y, options);
    }
  } catch (const EngineError&) {
  }
  try {
    fit_options_from_json(text);
  } catch (const EngineError&) {
  }
}

void idx(const std::uint8_t* data, std::size_t size) {
  try {
    parse_idx(std::vector<std::uint8_t>(data, data + size), "fuzz input");
  } catch (const EngineError&) {
  }
}

}  // namespace dl::fuzz
