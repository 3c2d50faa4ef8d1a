// NumPy's broadcasting, as TensorFlow.js applies it to its binary ops: shapes are aligned
// at their last dimension, and each dimension must match or be 1. An input of a smaller
// shape is read at every output position through strides that are 0 along the
// dimensions it is broadcast on.
#pragma once

#include <algorithm>
#include <cstddef>
#include <string>
#include <vector>

#include "core/error.h"

namespace dl::ops {

// A list of whole numbers as JSON ("[2,3]"), as error messages print shapes and settings.
inline std::string json_list(const std::vector<int>& values) {
  std::string out = "[";
  for (std::size_t i = 0; i < values.size(); ++i) out += (i ? "," : "") + std::to_string(values[i]);
  return out + "]";
}

inline std::size_t count_of(const std::vector<int>& shape) {
  std::size_t n = 1;
  for (int d : shape) n *= static_cast<std::size_t>(d);
  return n;
}

// The shape a and b broadcast to, or an error naming both shapes (op_shape adds the op).
inline std::vector<int> broadcast_shapes(const std::vector<int>& a, const std::vector<int>& b) {
  const std::size_t rank = std::max(a.size(), b.size());
  std::vector<int> out(rank);
  for (std::size_t i = 0; i < rank; ++i) {
    const int x = i + a.size() >= rank ? a[i + a.size() - rank] : 1;
    const int y = i + b.size() >= rank ? b[i + b.size() - rank] : 1;
    if (x != y && x != 1 && y != 1)
      fail("shapes ", json_list(a), " and ", json_list(b),
           " cannot be broadcast together; each dimension must match or be 1");
    out[i] = x == 1 ? y : x;
  }
  return out;
}

// For each output position of `out`, the flat index of the value of a tensor of `shape`
// (broadcast to out) that it reads, filled in order.
inline void broadcast_index(const std::vector<int>& shape, const std::vector<int>& out,
                            std::vector<std::size_t>& index) {
  const std::size_t rank = out.size();
  std::vector<std::size_t> strides(rank, 0);
  std::size_t stride = 1;
  for (std::size_t i = shape.size(); i-- > 0;) {
    strides[rank - shape.size() + i] = shape[i] == 1 ? 0 : stride;
    stride *= static_cast<std::size_t>(shape[i]);
  }
  index.resize(count_of(out));
  std::vector<int> at(rank, 0);
  std::size_t flat = 0;
  for (std::size_t i = 0; i < index.size(); ++i) {
    index[i] = flat;
    // The next position, as an odometer over out's dimensions.
    for (std::size_t d = rank; d-- > 0;) {
      flat += strides[d];
      if (++at[d] < out[d]) break;
      flat -= strides[d] * static_cast<std::size_t>(out[d]);
      at[d] = 0;
    }
  }
}

}  // namespace dl::ops
