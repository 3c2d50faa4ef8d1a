// Dropout's kernel: the product with a mask of 0 and 1 / (1 - rate), forward and backward
// alike. A template, so that tests check it in double precision too.
#pragma once

#include <cstddef>

namespace dl {

// x: (count), mask: (count) with 0 or 1/(1-rate) -> y = x * mask. backward is the same product.
template <typename T>
void dropout_apply(const T* x, const T* mask, T* y, std::size_t count) {
  for (std::size_t i = 0; i < count; ++i) y[i] = x[i] * mask[i];
}

}  // namespace dl
