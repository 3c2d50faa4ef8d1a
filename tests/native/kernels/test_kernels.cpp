// Every fast kernel against its reference, from one table, on awkward sizes (1, 3, 7, 17,
// 67: not multiples of the four SIMD lanes or of the GEMM tile). The reference is the
// plain version of the same operation: the scalar template instantiated in double (which
// takes no SIMD path and runs products on Eigen), or the direct convolution.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include "../geometry.h"
#include "core/rng.h"
#include "core/tensor.h"
#include "kernels/activations.h"
#include "kernels/conv2d.h"
#include "kernels/dense.h"
#include "kernels/pooling.h"

namespace {

std::vector<float> random_values(dl::Rng& rng, std::size_t count) {
  std::vector<float> v(count);
  for (float& x : v) x = static_cast<float>(rng.uniform(-2, 2));
  return v;
}

std::vector<double> widened(const std::vector<float>& v) { return {v.begin(), v.end()}; }

double worst_difference(const float* fast, const std::vector<double>& reference) {
  double worst = 0;
  for (std::size_t i = 0; i < reference.size(); ++i) worst = std::max(worst, std::abs(fast[i] - reference[i]));
  return worst;
}

struct KernelCase {
  const char* kernel;
  // Runs the fast kernel and its reference on inputs of the given size; returns the
  // largest difference between their outputs.
  std::function<double(int size, dl::Rng& rng)> worst_error;
  double tolerance;
};

const KernelCase kCases[] = {
    {"relu forward (SIMD, in place over a tensor)",
     [](int size, dl::Rng& rng) {
       dl::Tensor t({3, size}, random_values(rng, 3 * static_cast<std::size_t>(size)));
       std::vector<double> reference = widened(t.values());
       dl::activation_forward(dl::ActivationKind::relu, reference.data(), reference.data(), 3, size);
       dl::apply_activation(dl::ActivationKind::relu, t, size);
       return worst_difference(t.data(), reference);
     },
     0.0},
    {"relu gradient (SIMD select on the output's sign)",
     [](int size, dl::Rng& rng) {
       const std::size_t count = 3 * static_cast<std::size_t>(size);
       dl::Tensor y({3, size}, random_values(rng, count)), dy({3, size}, random_values(rng, count));
       for (float& v : y.values()) v = std::max(v, 0.0f);
       const std::vector<double> y64 = widened(y.values());
       std::vector<double> reference = widened(dy.values());
       dl::activation_backward(dl::ActivationKind::relu, y64.data(), reference.data(), reference.data(), 3, size);
       dl::apply_activation_gradient(dl::ActivationKind::relu, y, dy, size);
       return worst_difference(dy.data(), reference);
     },
     0.0},
    {"max pooling forward (SIMD across channels)",
     [](int size, dl::Rng& rng) {
       // 3x2 windows with stride 2 and same padding: some windows reach past the edge.
       const dl::PoolGeometry g = check::pool_geometry(2, 7, 5, size, 3, 2, 2, 2, dl::Padding::same);
       const std::vector<float> x = random_values(rng, static_cast<std::size_t>(g.n) * g.h * g.w * g.c);
       std::vector<float> y(static_cast<std::size_t>(g.n) * g.oh * g.ow * g.c);
       std::vector<double> reference(y.size());
       dl::max_pool_forward(x.data(), y.data(), g);
       dl::max_pool_forward(widened(x).data(), reference.data(), g);
       return worst_difference(y.data(), reference);
     },
     0.0},
    {"max pooling backward (SIMD lane masks), ties going to the window's first maximum",
     [](int size, dl::Rng& rng) {
       // Overlapping 3x3 windows with stride 2: a pixel can take gradients from two windows.
       const dl::PoolGeometry g = check::pool_geometry(2, 7, 5, size, 3, 3, 2, 2, dl::Padding::same);
       std::vector<float> x = random_values(rng, static_cast<std::size_t>(g.n) * g.h * g.w * g.c);
       // Ties: a third of the values rounded to whole numbers in [-2, 2].
       for (std::size_t i = 0; i < x.size(); i += 3) x[i] = std::round(x[i]);
       std::vector<float> y(static_cast<std::size_t>(g.n) * g.oh * g.ow * g.c), dx(x.size());
       const std::vector<float> dy = random_values(rng, y.size());
       dl::max_pool_forward(x.data(), y.data(), g);
       std::vector<double> reference(x.size());
       dl::max_pool_backward(widened(x).data(), widened(y).data(), widened(dy).data(), reference.data(), g);
       dl::max_pool_backward(x.data(), y.data(), dy.data(), dx.data(), g);
       return worst_difference(dx.data(), reference);
     },
     1e-6},
    {"dense forward (packed SGEMM)",
     [](int size, dl::Rng& rng) {
       const int n = 5, in = size, out = size + 2;
       const std::vector<float> x = random_values(rng, static_cast<std::size_t>(n) * in);
       const std::vector<float> w = random_values(rng, static_cast<std::size_t>(in) * out);
       const std::vector<float> b = random_values(rng, out);
       std::vector<float> z(static_cast<std::size_t>(n) * out);
       std::vector<double> reference(z.size());
       dl::dense_forward(x.data(), w.data(), b.data(), z.data(), n, in, out);
       dl::dense_forward(widened(x).data(), widened(w).data(), widened(b).data(), reference.data(), n, in, out);
       return worst_difference(z.data(), reference);
     },
     5e-4},
    {"dense backward (packed SGEMM, column sums)",
     [](int size, dl::Rng& rng) {
       const int n = 5, in = size + 1, out = size;
       const std::vector<float> x = random_values(rng, static_cast<std::size_t>(n) * in);
       const std::vector<float> w = random_values(rng, static_cast<std::size_t>(in) * out);
       const std::vector<float> dz = random_values(rng, static_cast<std::size_t>(n) * out);
       std::vector<float> dx(x.size()), dw(w.size()), db(out);
       std::vector<double> rdx(dx.size()), rdw(dw.size()), rdb(db.size());
       dl::dense_backward(x.data(), w.data(), dz.data(), dx.data(), dw.data(), db.data(), n, in, out);
       dl::dense_backward(widened(x).data(), widened(w).data(), widened(dz).data(), rdx.data(), rdw.data(), rdb.data(),
                          n, in, out);
       return std::max(
           {worst_difference(dx.data(), rdx), worst_difference(dw.data(), rdw), worst_difference(db.data(), rdb)});
     },
     5e-4},
    {"conv2d forward (im2col + SGEMM) against the direct convolution",
     [](int size, dl::Rng& rng) {
       const dl::ConvGeometry g =
           check::conv_geometry(2, 6, 5, std::min(size, 17), 3, 2, size, 2, 1, dl::Padding::same);
       const std::vector<float> in = random_values(rng, static_cast<std::size_t>(g.n) * g.h * g.w * g.c);
       const std::vector<float> w = random_values(rng, static_cast<std::size_t>(g.patch()) * g.f);
       const std::vector<float> b = random_values(rng, g.f);
       std::vector<float> z(static_cast<std::size_t>(g.n) * g.oh * g.ow * g.f);
       std::vector<double> reference(z.size());
       dl::conv2d_forward(in.data(), w.data(), b.data(), z.data(), g);
       dl::conv2d_forward_reference(widened(in).data(), widened(w).data(), widened(b).data(), reference.data(), g);
       return worst_difference(z.data(), reference);
     },
     5e-4},
};

}  // namespace

TEST_CASE("every fast kernel equals its reference on sizes 1, 3, 7, 17 and 67") {
  dl::Rng rng(21);
  for (const KernelCase& c : kCases)
    for (int size : {1, 3, 7, 17, 67}) {
      const double error = c.worst_error(size, rng);
      INFO(c.kernel << " at size " << size << ": largest difference " << error << ", allowed " << c.tolerance);
      CHECK(error <= c.tolerance);
    }
}
