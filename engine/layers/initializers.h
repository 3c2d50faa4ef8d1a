// Weight initializers with Keras' names and formulas. fan_in and fan_out are the
// kernel's input and output sizes (for a convolution: kernel area times channels).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "core/rng.h"
#include "core/tensor.h"

namespace dl {

// orthogonal (recurrent kernels' default): the rows or columns of a random normal matrix
// made orthonormal, as Keras' Orthogonal (over the tensor as rows x last axis), times gain.
// variance_scaling: variance scale / fan (fan_in, fan_out or their mean) from a normal
// truncated at two standard deviations (rescaled to keep the variance), an untruncated
// normal or a uniform; glorot, he and lecun are its named cases. identity: gain times the
// identity matrix (2D kernels only).
enum class InitKind {
  glorot_uniform,
  glorot_normal,
  he_normal,
  he_uniform,
  lecun_normal,
  lecun_uniform,
  zeros,
  ones,
  constant,
  random_uniform,
  random_normal,
  truncated_normal,
  variance_scaling,
  orthogonal,
  identity
};

enum class FanMode { fan_in, fan_out, fan_avg };
enum class Distribution { truncated_normal, untruncated_normal, uniform };

// An initializer and its arguments (TensorFlow.js' and Keras' defaults).
struct Initializer {
  InitKind kind = InitKind::zeros;
  double value = 0.0;                    // constant
  double minval = -0.05, maxval = 0.05;  // random_uniform
  double mean = 0.0, stddev = 0.05;      // random_normal, truncated_normal
  double scale = 1.0;                    // variance_scaling
  FanMode mode = FanMode::fan_in;        // variance_scaling
  Distribution distribution = Distribution::truncated_normal;
  double gain = 1.0;  // orthogonal, identity

  Initializer() = default;
  Initializer(InitKind k) : kind(k) {}  // NOLINT: an initializer of its default arguments
  bool operator==(const Initializer& o) const;
  bool operator!=(const Initializer& o) const { return !(*this == o); }

  static const Initializer glorot_uniform, glorot_normal, he_normal, he_uniform, zeros, ones, random_uniform,
      orthogonal;
};

inline const Initializer Initializer::glorot_uniform{InitKind::glorot_uniform};
inline const Initializer Initializer::glorot_normal{InitKind::glorot_normal};
inline const Initializer Initializer::he_normal{InitKind::he_normal};
inline const Initializer Initializer::he_uniform{InitKind::he_uniform};
inline const Initializer Initializer::zeros{InitKind::zeros};
inline const Initializer Initializer::ones{InitKind::ones};
inline const Initializer Initializer::random_uniform{InitKind::random_uniform};
inline const Initializer Initializer::orthogonal{InitKind::orthogonal};

// By name (snake_case, camelCase or a class name: "lecun_normal", "leCunNormal",
// "LecunNormal"), with its default arguments.
Initializer initializer_from_name(const std::string& name, const std::string& where);
const char* initializer_name(const Initializer& init);
std::vector<std::string> initializer_names();
FanMode fan_mode_from_name(const std::string& name, const std::string& where);
Distribution distribution_from_name(const std::string& name, const std::string& where);

void initialize(Tensor& t, const Initializer& init, int fan_in, int fan_out, Rng& rng);

// Keras' fans of a weight of this shape: (n, n) for one axis, (rows, columns) for two, and
// for a convolution kernel (..., in, out) the input and output channels times the area.
std::pair<int, int> keras_fans(const std::vector<int>& shape);

}  // namespace dl
