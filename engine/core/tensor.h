// Tensor: float32 values, contiguous and row-major, with an explicit shape. The first
// dimension is the batch wherever a tensor carries samples. Math is done through Eigen
// maps over the same memory, so nothing is copied to use Eigen.
#pragma once

#include <Eigen/Core>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/error.h"

namespace dl {

using MatrixRM = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using MatrixMap = Eigen::Map<MatrixRM>;
using ConstMatrixMap = Eigen::Map<const MatrixRM>;

// The most values one tensor may hold: 2^28 floats, 1 GiB. WebAssembly memory is at most
// 2 GiB here, and a size past this would also overflow 32-bit sizes in the wasm build.
constexpr std::uint64_t kMaxTensorValues = std::uint64_t(1) << 28;

// Number of values in a shape; throws, naming the shape and the bytes it would need,
// when that is past kMaxTensorValues or a dimension is negative.
inline std::size_t shape_size(const std::vector<int>& shape) {
  std::uint64_t n = 1;
  bool too_large = false;
  for (int d : shape) {
    if (d < 0) fail("shape ", shape_text(shape, false), " has a negative dimension");
    n *= static_cast<std::uint64_t>(d);
    if (n > kMaxTensorValues) {
      too_large = true;
      n = kMaxTensorValues + 1;
    }
  }
  if (too_large) {
    long double bytes = 4.0L;
    for (int d : shape) bytes *= d;
    fail("a tensor of shape ", shape_text(shape, false), " would need ", static_cast<double>(bytes / (1 << 20)),
         " MiB; the limit is ", (kMaxTensorValues * 4) >> 20, " MiB per tensor");
  }
  return static_cast<std::size_t>(n);
}

class Tensor {
 public:
  Tensor() = default;
  explicit Tensor(std::vector<int> shape, float fill = 0.0f)
      : shape_(std::move(shape)), data_(shape_size(shape_), fill) {}
  Tensor(std::vector<int> shape, std::vector<float> data) : shape_(std::move(shape)), data_(std::move(data)) {
    if (data_.size() != shape_size(shape_))
      fail("tensor of shape ", shape_text(shape_, false), " needs ", shape_size(shape_), " values, got ", data_.size());
  }

  const std::vector<int>& shape() const { return shape_; }
  int dim(std::size_t i) const { return shape_.at(i); }
  int rank() const { return static_cast<int>(shape_.size()); }
  std::size_t size() const { return data_.size(); }
  bool empty() const { return data_.empty(); }

  float* data() { return data_.data(); }
  const float* data() const { return data_.data(); }
  std::vector<float>& values() { return data_; }
  const std::vector<float>& values() const { return data_; }
  float& operator[](std::size_t i) { return data_[i]; }
  float operator[](std::size_t i) const { return data_[i]; }

  // Rows are the first dimension; columns are everything else flattened.
  int rows() const { return shape_.empty() ? 0 : shape_[0]; }
  int cols() const { return rows() == 0 ? 0 : static_cast<int>(data_.size() / rows()); }
  MatrixMap matrix() { return MatrixMap(data_.data(), rows(), cols()); }
  ConstMatrixMap matrix() const { return ConstMatrixMap(data_.data(), rows(), cols()); }

  // Gives the tensor this shape, keeping its allocation when it is large enough; the
  // values are unspecified afterwards. For buffers reused from batch to batch.
  void resize(const std::vector<int>& shape) {
    if (shape == shape_) return;
    data_.resize(shape_size(shape));
    shape_ = shape;
  }

  // Same values under another shape with the same number of elements.
  void reshape(std::vector<int> shape) {
    if (shape_size(shape) != data_.size())
      fail("cannot reshape ", shape_text(shape_, false), " to ", shape_text(shape, false));
    shape_ = std::move(shape);
  }

  // Rows [begin, end) into `out`.
  void slice_rows(int begin, int end, Tensor& out) const {
    std::vector<int> s = shape_;
    s[0] = end - begin;
    out.resize(s);
    const std::size_t stride = data_.size() / static_cast<std::size_t>(shape_[0]);
    std::copy(data_.begin() + begin * stride, data_.begin() + end * stride, out.data_.begin());
  }

  // The rows named by index, in that order (a shuffled mini-batch), into `out`.
  void gather_rows(const int* index, int count, Tensor& out) const {
    std::vector<int> s = shape_;
    s[0] = count;
    out.resize(s);
    const std::size_t stride = data_.size() / static_cast<std::size_t>(shape_[0]);
    for (int i = 0; i < count; ++i)
      std::copy_n(data_.begin() + static_cast<std::size_t>(index[i]) * stride, stride,
                  out.data_.begin() + static_cast<std::size_t>(i) * stride);
  }

 private:
  std::vector<int> shape_;
  std::vector<float> data_;
};

}  // namespace dl
