// The embedding kernels: a lookup of one table row per id, and its gradient, the rows of
// dy added into the rows of the table they came from (a scatter-add: the "unsorted
// segment sum" of TensorFlow). Ids arrive as floats, as every tensor of the engine holds
// them; the layer checks them (embedding_first_bad_id) before any lookup.
#pragma once

#include <cmath>
#include <cstddef>

namespace dl {

// The index of the first id that is not a whole number in [0, rows), or -1 when all are.
inline std::ptrdiff_t embedding_first_bad_id(const float* ids, std::size_t count, int rows) {
  for (std::size_t i = 0; i < count; ++i) {
    const float id = ids[i];
    if (!(id >= 0.0f && id < static_cast<float>(rows)) || std::floor(id) != id) return static_cast<std::ptrdiff_t>(i);
  }
  return -1;
}

// ids: (count) whole numbers in [0, rows), table: (rows, width) -> y: (count, width).
template <typename T>
void embedding_forward(const float* ids, const T* table, T* y, std::size_t count, int width) {
  for (std::size_t i = 0; i < count; ++i) {
    const T* row = table + static_cast<std::size_t>(ids[i]) * width;
    for (int j = 0; j < width; ++j) y[i * width + j] = row[j];
  }
}

// ids: (count), dy: (count, width) -> dtable: (rows, width), written (or added to, with
// accumulate): row r of dtable is the sum of the rows of dy whose id is r.
template <typename T>
void embedding_backward(const float* ids, const T* dy, T* dtable, std::size_t count, int rows, int width,
                        bool accumulate) {
  if (!accumulate)
    for (std::size_t k = 0; k < static_cast<std::size_t>(rows) * width; ++k) dtable[k] = 0;
  for (std::size_t i = 0; i < count; ++i) {
    T* row = dtable + static_cast<std::size_t>(ids[i]) * width;
    for (int j = 0; j < width; ++j) row[j] += dy[i * width + j];
  }
}

}  // namespace dl
