// Weight initializers with Keras' names and formulas. fan_in and fan_out are the
// kernel's input and output sizes (for a convolution: kernel area times channels).
#pragma once

#include <string>
#include <vector>

#include "core/rng.h"
#include "core/tensor.h"

namespace dl {

// orthogonal (recurrent kernels' default): the rows or columns of a random normal matrix
// made orthonormal, as Keras' Orthogonal with gain 1 (over the tensor as rows x last axis).
enum class Initializer {
  glorot_uniform,
  glorot_normal,
  he_normal,
  he_uniform,
  zeros,
  ones,
  random_uniform,
  orthogonal
};

Initializer initializer_from_name(const std::string& name, const std::string& where);
const char* initializer_name(Initializer init);
std::vector<std::string> initializer_names();

void initialize(Tensor& t, Initializer init, int fan_in, int fan_out, Rng& rng);

}  // namespace dl
