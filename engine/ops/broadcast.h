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

// How a tensor of `shape` broadcast to `out` is read, when it is one of the common cases:
// the output position i reads value i % period, where period is the tensor's size (its
// shape, without leading 1s, is the end of out's: the same shape, a row added to every
// row, a scalar). 0 when it is another case (the index above is needed then).
inline std::size_t trailing_period(const std::vector<int>& shape, const std::vector<int>& out) {
  std::size_t first = 0;
  while (first < shape.size() && shape[first] == 1) ++first;
  const std::size_t rank = shape.size() - first;
  if (rank > out.size()) return 0;
  for (std::size_t i = 0; i < rank; ++i)
    if (shape[first + i] != out[out.size() - rank + i]) return 0;
  return count_of(shape);
}

// Calls f(i, ia, ib) for every output position i of out, with the positions of a and b
// (of shapes sa and sb, broadcast to out) it reads: by periods in the common cases, by
// index otherwise.
template <typename F>
void for_each_broadcast(const std::vector<int>& sa, const std::vector<int>& sb, const std::vector<int>& out, F f) {
  const std::size_t n = count_of(out);
  const std::size_t pa = trailing_period(sa, out), pb = trailing_period(sb, out);
  if (pa == n && pb == n) {
    for (std::size_t i = 0; i < n; ++i) f(i, i, i);
  } else if (pa == n && pb) {
    for (std::size_t i = 0; i < n; i += pb)
      for (std::size_t k = 0; k < pb; ++k) f(i + k, i + k, k);
  } else if (pb == n && pa) {
    for (std::size_t i = 0; i < n; i += pa)
      for (std::size_t k = 0; k < pa; ++k) f(i + k, k, i + k);
  } else {
    std::vector<std::size_t> ia, ib;
    broadcast_index(sa, out, ia);
    broadcast_index(sb, out, ib);
    for (std::size_t i = 0; i < n; ++i) f(i, ia[i], ib[i]);
  }
}

}  // namespace dl::ops
