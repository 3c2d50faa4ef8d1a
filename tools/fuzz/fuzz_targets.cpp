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
    // Ones and zeros: whole numbers, so that an Embedding takes them as ids, with zeros for
    // masks to find (maskZero, Masking).
    Tensor x(xs);
    for (std::size_t i = 0; i < x.size(); ++i) x[i] = i % 3 == 0 ? 0.0f : 1.0f;
    Tensor p = model->predict(x);
    if (model->compiled()) {
      Tensor y(p.shape(), 0.0f);
      // Sparse labels: one per step, the output's shape without its last axis.
      if (model->compile_options().loss == LossKind::sparse_categorical_crossentropy)
        y = Tensor(p.rank() > 1 ? std::vector<int>(p.shape().begin(), p.shape().end() - 1) : std::vector<int>{2}, 0.0f);
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
