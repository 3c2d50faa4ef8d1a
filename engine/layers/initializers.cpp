// Keras draws its "normal" initializers from a normal truncated at two standard
// deviations, scaled so that the truncated distribution keeps the intended variance.
#include "layers/initializers.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "core/error.h"
#include "core/names.h"
#include "core/show.h"

namespace dl {

namespace {

const Named<InitKind> kInitializers[] = {
    {"glorot_uniform", InitKind::glorot_uniform},
    {"glorot_normal", InitKind::glorot_normal},
    {"he_normal", InitKind::he_normal},
    {"he_uniform", InitKind::he_uniform},
    {"zeros", InitKind::zeros},
    {"ones", InitKind::ones},
    // Keras' "uniform" (RandomUniform) and TensorFlow.js' randomUniform: [-0.05, 0.05], the
    // default of Embedding.
    {"random_uniform", InitKind::random_uniform},
    {"orthogonal", InitKind::orthogonal},
    {"lecun_normal", InitKind::lecun_normal},
    {"lecun_uniform", InitKind::lecun_uniform},
    {"constant", InitKind::constant},
    {"random_normal", InitKind::random_normal},
    {"truncated_normal", InitKind::truncated_normal},
    {"variance_scaling", InitKind::variance_scaling},
    {"identity", InitKind::identity},
};

// Other spellings: TensorFlow.js' leCunNormal (snake_case: le_cun_normal) and Keras'
// short aliases.
const std::pair<const char*, const char*> kAliases[] = {
    {"le_cun_normal", "lecun_normal"},
    {"le_cun_uniform", "lecun_uniform"},
    {"normal", "random_normal"},
    {"uniform", "random_uniform"},
    {"zero", "zeros"},
    {"one", "ones"},
};

const Named<FanMode> kFanModes[] = {
    {"fan_in", FanMode::fan_in}, {"fan_out", FanMode::fan_out}, {"fan_avg", FanMode::fan_avg}};

// TensorFlow.js' "normal" is Keras 2's "truncated_normal".
const Named<Distribution> kDistributions[] = {{"truncated_normal", Distribution::truncated_normal},
                                              {"normal", Distribution::truncated_normal},
                                              {"untruncated_normal", Distribution::untruncated_normal},
                                              {"uniform", Distribution::uniform}};

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

bool Initializer::operator==(const Initializer& o) const {
  return kind == o.kind && value == o.value && minval == o.minval && maxval == o.maxval && mean == o.mean &&
         stddev == o.stddev && scale == o.scale && mode == o.mode && distribution == o.distribution && gain == o.gain;
}

Initializer initializer_from_name(const std::string& name, const std::string& where) {
  const std::string snake = snake_case_name(name);
  for (const auto& [alias, canonical] : kAliases)
    if (snake == alias) return Initializer(kind_from_name(kInitializers, canonical, where, "initializer"));
  return Initializer(kind_from_name(kInitializers, name, where, "initializer"));
}

std::pair<int, int> keras_fans(const std::vector<int>& shape) {
  if (shape.empty()) return {1, 1};
  if (shape.size() == 1) return {shape[0], shape[0]};
  int area = 1;
  for (std::size_t d = 0; d + 2 < shape.size(); ++d) area *= shape[d];
  return {shape[shape.size() - 2] * area, shape.back() * area};
}

const char* initializer_name(const Initializer& init) { return name_of_kind(kInitializers, init.kind); }
std::vector<std::string> initializer_names() { return names_of(kInitializers); }

FanMode fan_mode_from_name(const std::string& name, const std::string& where) {
  return kind_from_name(kFanModes, name, where, "mode");
}

Distribution distribution_from_name(const std::string& name, const std::string& where) {
  return kind_from_name(kDistributions, name, where, "distribution");
}

namespace {

// Variance scaling: scale / fan, drawn from `d`.
void scaled(float* w, std::size_t n, double variance, Distribution d, Rng& rng) {
  switch (d) {
    case Distribution::truncated_normal: {
      const double s = std::sqrt(variance) / kTruncatedStd;
      for (std::size_t i = 0; i < n; ++i) w[i] = static_cast<float>(s * truncated_normal(rng));
      break;
    }
    case Distribution::untruncated_normal: {
      const double s = std::sqrt(variance);
      for (std::size_t i = 0; i < n; ++i) w[i] = static_cast<float>(s * rng.normal());
      break;
    }
    case Distribution::uniform: {
      const double limit = std::sqrt(3.0 * variance);
      for (std::size_t i = 0; i < n; ++i) w[i] = static_cast<float>(rng.uniform(-limit, limit));
      break;
    }
  }
}

}  // namespace

void initialize(Tensor& t, const Initializer& init, int fan_in, int fan_out, Rng& rng) {
  float* w = t.data();
  const std::size_t n = t.size();
  switch (init.kind) {
    case InitKind::zeros:
    case InitKind::ones:
    case InitKind::constant: {
      const double v = init.kind == InitKind::ones ? 1.0 : init.kind == InitKind::zeros ? 0.0 : init.value;
      std::fill(w, w + n, static_cast<float>(v));
      break;
    }
    case InitKind::glorot_uniform: {
      double limit = std::sqrt(6.0 / (fan_in + fan_out));
      for (std::size_t i = 0; i < n; ++i) w[i] = static_cast<float>(rng.uniform(-limit, limit));
      break;
    }
    case InitKind::random_uniform:
      for (std::size_t i = 0; i < n; ++i) w[i] = static_cast<float>(rng.uniform(init.minval, init.maxval));
      break;
    case InitKind::he_uniform: {
      double limit = std::sqrt(6.0 / fan_in);
      for (std::size_t i = 0; i < n; ++i) w[i] = static_cast<float>(rng.uniform(-limit, limit));
      break;
    }
    case InitKind::orthogonal: {
      const int cols = t.shape().empty() ? 1 : t.shape().back();
      orthogonal(w, static_cast<int>(n / std::max(cols, 1)), cols, rng);
      if (init.gain != 1.0)
        for (std::size_t i = 0; i < n; ++i) w[i] = static_cast<float>(w[i] * init.gain);
      break;
    }
    case InitKind::glorot_normal:
    case InitKind::he_normal: {
      double variance = init.kind == InitKind::he_normal ? 2.0 / fan_in : 2.0 / (fan_in + fan_out);
      double scale = std::sqrt(variance) / kTruncatedStd;
      for (std::size_t i = 0; i < n; ++i) w[i] = static_cast<float>(scale * truncated_normal(rng));
      break;
    }
    case InitKind::lecun_normal: scaled(w, n, 1.0 / fan_in, Distribution::truncated_normal, rng); break;
    case InitKind::lecun_uniform: scaled(w, n, 1.0 / fan_in, Distribution::uniform, rng); break;
    case InitKind::variance_scaling: {
      const double fan = init.mode == FanMode::fan_in    ? fan_in
                         : init.mode == FanMode::fan_out ? fan_out
                                                         : (fan_in + fan_out) / 2.0;
      scaled(w, n, init.scale / std::max(fan, 1.0), init.distribution, rng);
      break;
    }
    case InitKind::random_normal:
      for (std::size_t i = 0; i < n; ++i) w[i] = static_cast<float>(init.mean + init.stddev * rng.normal());
      break;
    case InitKind::truncated_normal:
      // TensorFlow.js' and Keras' TruncatedNormal: stddev is that of the normal before the cut.
      for (std::size_t i = 0; i < n; ++i) w[i] = static_cast<float>(init.mean + init.stddev * truncated_normal(rng));
      break;
    case InitKind::identity: {
      if (t.shape().size() != 2)
        fail("the identity initializer is for 2D weights (a Dense kernel); this weight has shape ",
             shape_text(t.shape(), false));
      const int rows = t.shape()[0], cols = t.shape()[1];
      std::fill(w, w + n, 0.0f);
      for (int i = 0; i < std::min(rows, cols); ++i)
        w[static_cast<std::size_t>(i) * cols + i] = static_cast<float>(init.gain);
      break;
    }
  }
}

}  // namespace dl
