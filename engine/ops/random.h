// Random tensors, as TensorFlow.js' randomUniform, randomNormal, truncatedNormal and
// multinomial, drawn from the engine's one generator (core/rng.h) with a seed, so that a
// seed gives the same numbers in every build.
#pragma once

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/rng.h"
#include "core/show.h"
#include "core/tensor.h"
#include "ops/broadcast.h"
#include "ops/op.h"

namespace dl::ops {

// kind "uniform": in [a, b); "normal": mean a, standard deviation b; "truncatedNormal":
// the same, drawn again while more than two deviations from the mean.
inline Tensor random_tensor(const std::string& kind, const std::vector<int>& shape, double a, double b,
                            std::uint64_t seed) {
  if (kind != "uniform" && kind != "normal" && kind != "truncatedNormal")
    fail("random: unknown kind ", show(kind), "; expected uniform, normal or truncatedNormal");
  if (kind == "uniform" ? !(a < b) : !(b >= 0))
    fail("random ", kind, ": ", kind == "uniform" ? "minval must be below maxval" : "stdDev must be >= 0", "; got ",
         show(a), " and ", show(b));
  Tensor out(shape);
  Rng rng(seed);
  for (std::size_t i = 0; i < out.size(); ++i) {
    double v;
    if (kind == "uniform")
      v = rng.uniform(a, b);
    else
      do v = rng.normal();
      while (kind == "truncatedNormal" && std::abs(v) > 2);
    out[i] = static_cast<float>(kind == "uniform" ? v : a + b * v);
  }
  return out;
}

// Draws attrs.count class indices per row of logits (classes) or (batch, classes) with
// probabilities softmax(logits) (or the values themselves when attrs.normalized), from
// attrs.seed. -> (count) or (batch, count). No gradient.
struct MultinomialOp {
  static constexpr bool differentiable = false;
  static Shape shape(const Shapes& in, const Attrs& a) {
    if (in[0].size() != 1 && in[0].size() != 2)
      fail("expected logits of rank 1 (classes) or 2 (batch, classes); got shape ", json_list(in[0]));
    if (a.count < 1) fail("numSamples must be a whole number >= 1; got ", a.count);
    return in[0].size() == 1 ? Shape{a.count} : Shape{in[0][0], a.count};
  }
  template <typename T>
  static void forward(const std::vector<In<T>>& xs, const Attrs& a, T* y, const Shape&) {
    const Shape& s = xs[0].shape;
    const std::size_t rows = s.size() == 1 ? 1 : static_cast<std::size_t>(s[0]);
    const std::size_t classes = static_cast<std::size_t>(s.back());
    Rng rng(static_cast<std::uint64_t>(a.seed));
    std::vector<double> cumulative(classes);
    for (std::size_t r = 0; r < rows; ++r) {
      const T* row = xs[0].data + r * classes;
      double top = row[0], total = 0;
      for (std::size_t k = 1; k < classes; ++k) top = std::max(top, static_cast<double>(row[k]));
      for (std::size_t k = 0; k < classes; ++k) {
        const double p = a.normalized ? static_cast<double>(row[k]) : std::exp(static_cast<double>(row[k]) - top);
        if (!(p >= 0)) fail("row ", r, " has a probability of ", show(p), "; expected numbers >= 0");
        cumulative[k] = total += p;
      }
      if (!(total > 0)) fail("row ", r, " has no probability to draw from");
      for (int n = 0; n < a.count; ++n) {
        const double u = rng.uniform() * total;
        std::size_t k = 0;
        while (k + 1 < classes && cumulative[k] <= u) ++k;
        y[r * a.count + n] = static_cast<T>(k);
      }
    }
  }
  template <typename T>
  static void backward(const std::vector<In<T>>&, const T*, const T*, const Attrs&, const Shape&,
                       const std::vector<T*>&) {}
};

}  // namespace dl::ops
