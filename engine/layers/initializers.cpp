// Keras draws its "normal" initializers from a normal truncated at two standard
// deviations, scaled so that the truncated distribution keeps the intended variance.
#include "layers/initializers.h"

#include <algorithm>
#include <cmath>
#include <vector>

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
    // Keras' "uniform" (RandomUniform) and TensorFlow.js' randomUniform: [-0.05, 0.05], the
    // default of Embedding.
    {"random_uniform", Initializer::random_uniform},
    {"orthogonal", Initializer::orthogonal},
};

// Standard deviation of a unit normal truncated to [-2, 2].
constexpr double kTruncatedStd = 0.87962566103423978;

double truncated_normal(Rng& rng) {
  for (;;) {
    double v = rng.normal();
    if (v >= -2.0 && v <= 2.0) return v;
  }
}

// w: (rows, cols) with orthonormal columns (rows >= cols) or rows (rows < cols): modified
// Gram-Schmidt over the min(rows, cols) vectors of a normal matrix, which is its QR with
// the diagonal of R positive, the sign Keras fixes too.
void orthogonal(float* w, int rows, int cols, Rng& rng) {
  const int count = std::min(rows, cols), length = std::max(rows, cols);
  std::vector<double> v(static_cast<std::size_t>(count) * length);
  for (double& x : v) x = rng.normal();
  for (int i = 0; i < count; ++i) {
    double* vi = &v[static_cast<std::size_t>(i) * length];
    for (int j = 0; j < i; ++j) {
      const double* vj = &v[static_cast<std::size_t>(j) * length];
      double dot = 0;
      for (int k = 0; k < length; ++k) dot += vi[k] * vj[k];
      for (int k = 0; k < length; ++k) vi[k] -= dot * vj[k];
    }
    double norm = 0;
    for (int k = 0; k < length; ++k) norm += vi[k] * vi[k];
    norm = std::sqrt(norm);
    for (int k = 0; k < length; ++k) vi[k] = norm > 0 ? vi[k] / norm : 0.0;
  }
  // Vector i is column i when rows >= cols, else row i.
  for (int r = 0; r < rows; ++r)
    for (int c = 0; c < cols; ++c)
      w[static_cast<std::size_t>(r) * cols + c] = static_cast<float>(
          rows >= cols ? v[static_cast<std::size_t>(c) * length + r] : v[static_cast<std::size_t>(r) * length + c]);
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
    case Initializer::random_uniform:
      for (std::size_t i = 0; i < n; ++i) w[i] = static_cast<float>(rng.uniform(-0.05, 0.05));
      break;
    case Initializer::he_uniform: {
      double limit = std::sqrt(6.0 / fan_in);
      for (std::size_t i = 0; i < n; ++i) w[i] = static_cast<float>(rng.uniform(-limit, limit));
      break;
    }
    case Initializer::orthogonal: {
      const int cols = t.shape().empty() ? 1 : t.shape().back();
      orthogonal(w, static_cast<int>(n / std::max(cols, 1)), cols, rng);
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
