// Keras draws its "normal" initializers from a normal truncated at two standard
// deviations, scaled so that the truncated distribution keeps the intended variance.
#include "layers/initializers.h"

#include <cmath>

#include "core/names.h"

namespace dl {

namespace {

const Named<Initializer> kInitializers[] = {
    {"glorot_uniform", Initializer::glorot_uniform},
    {"glorot_normal", Initializer::glorot_normal},
    {"he_normal", Initializer::he_normal},
    {"he_uniform", Initializer::he_uniform},
    {"zeros", Initializer::zeros},
    {"ones", Initializer::ones},
};

// Standard deviation of a unit normal truncated to [-2, 2].
constexpr double kTruncatedStd = 0.87962566103423978;

double truncated_normal(Rng& rng) {
  for (;;) {
    double v = rng.normal();
    if (v >= -2.0 && v <= 2.0) return v;
  }
}

}  // namespace

Initializer initializer_from_name(const std::string& name, const std::string& where) {
  return kind_from_name(kInitializers, name, where, "initializer");
}

const char* initializer_name(Initializer init) { return name_of_kind(kInitializers, init); }
std::vector<std::string> initializer_names() { return names_of(kInitializers); }

void initialize(Tensor& t, Initializer init, int fan_in, int fan_out, Rng& rng) {
  float* w = t.data();
  const std::size_t n = t.size();
  switch (init) {
    case Initializer::zeros:
    case Initializer::ones: std::fill(w, w + n, init == Initializer::ones ? 1.0f : 0.0f); break;
    case Initializer::glorot_uniform: {
      double limit = std::sqrt(6.0 / (fan_in + fan_out));
      for (std::size_t i = 0; i < n; ++i) w[i] = static_cast<float>(rng.uniform(-limit, limit));
      break;
    }
    case Initializer::he_uniform: {
      double limit = std::sqrt(6.0 / fan_in);
      for (std::size_t i = 0; i < n; ++i) w[i] = static_cast<float>(rng.uniform(-limit, limit));
      break;
    }
    case Initializer::glorot_normal:
    case Initializer::he_normal: {
      double variance = init == Initializer::he_normal ? 2.0 / fan_in : 2.0 / (fan_in + fan_out);
      double scale = std::sqrt(variance) / kTruncatedStd;
      for (std::size_t i = 0; i < n; ++i) w[i] = static_cast<float>(scale * truncated_normal(rng));
      break;
    }
  }
}

}  // namespace dl
