// Weight initializers with Keras' names and formulas. fan_in and fan_out are the
// kernel's input and output sizes (for a convolution: kernel area times channels).
#pragma once

#include <string>
#include <vector>

#include "core/rng.h"
#include "core/tensor.h"

namespace dl {

enum class Initializer { glorot_uniform, glorot_normal, he_normal, he_uniform, zeros, ones };

Initializer initializer_from_name(const std::string& name, const std::string& where);
const char* initializer_name(Initializer init);
std::vector<std::string> initializer_names();

void initialize(Tensor& t, Initializer init, int fan_in, int fan_out, Rng& rng);

}  // namespace dl
