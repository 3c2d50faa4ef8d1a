// Weight constraints (layers/layer.h): norms over the constraint's axes, one per slice of
// the other axes, with Keras' epsilon of 1e-7 below the division.
#include <cmath>
#include <vector>

#include "core/error.h"
#include "layers/layer.h"

namespace dl {

void apply_constraint(const Constraint& c, Tensor& w) {
  if (!c.active()) return;
  float* v = w.data();
  const std::size_t n = w.size();
  if (c.kind == ConstraintKind::non_neg) {
    for (std::size_t i = 0; i < n; ++i) v[i] = v[i] < 0.0f ? 0.0f : v[i];
    return;
  }
  const std::vector<int>& shape = w.shape();
  const int rank = static_cast<int>(shape.size());
  std::vector<bool> reduced(static_cast<std::size_t>(rank), false);
  for (int axis : c.axes) {
    const int a = axis < 0 ? axis + rank : axis;
    if (a < 0 || a >= rank)
      fail("a weight constraint's axis ", axis, " is outside the weight's ", rank, " axes (shape ",
           shape_text(shape, false), ")");
    reduced[static_cast<std::size_t>(a)] = true;
  }
  // Each value's slice: its index over the axes not reduced.
  std::vector<std::size_t> slice(n, 0);
  std::size_t slices = 1;
  for (int d = rank - 1, inner = 1, kept = 1; d >= 0; --d) {
    if (!reduced[static_cast<std::size_t>(d)]) {
      for (std::size_t i = 0; i < n; ++i) slice[i] += (i / inner % shape[d]) * kept;
      kept *= shape[d];
      slices = static_cast<std::size_t>(kept);
    }
    inner *= shape[d];
  }
  std::vector<double> norm(slices, 0.0);
  for (std::size_t i = 0; i < n; ++i) norm[slice[i]] += static_cast<double>(v[i]) * v[i];
  constexpr double kEpsilon = 1e-7;
  for (double& s : norm) {
    const double length = std::sqrt(s);
    double wanted = 1.0;
    if (c.kind == ConstraintKind::max_norm) wanted = std::min(length, c.max_value);
    if (c.kind == ConstraintKind::min_max_norm)
      wanted = c.rate * std::min(std::max(length, c.min_value), c.max_value) + (1.0 - c.rate) * length;
    s = wanted / (kEpsilon + length);
  }
  for (std::size_t i = 0; i < n; ++i) v[i] = static_cast<float>(v[i] * norm[slice[i]]);
}

}  // namespace dl
