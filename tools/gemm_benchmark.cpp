// Benchmark timing: warm up, then the median of several timed runs.
#include "gemm_benchmark.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <vector>

#include "core/rng.h"
#include "kernels/gemm.h"

namespace dl {

double now_seconds() {
  using clock = std::chrono::steady_clock;
  return std::chrono::duration<double>(clock::now().time_since_epoch()).count();
}

double measure_sgemm_gflops(int n, double min_seconds, int repetitions) {
  return measure_sgemm_shape_gflops(n, n, n, false, false, min_seconds, repetitions);
}

double measure_sgemm_shape_gflops(int m, int n, int k, bool trans_a, bool trans_b, double min_seconds,
                                  int repetitions) {
  std::vector<float> a(static_cast<std::size_t>(m) * k), b(static_cast<std::size_t>(k) * n),
      c(static_cast<std::size_t>(m) * n);
  Rng rng(1);
  for (float& v : a) v = static_cast<float>(rng.uniform(-1, 1));
  for (float& v : b) v = static_cast<float>(rng.uniform(-1, 1));
  const int lda = trans_a ? m : k, ldb = trans_b ? k : n;
  auto product = [&] { sgemm(trans_a, trans_b, m, n, k, a.data(), lda, b.data(), ldb, c.data(), n, false); };
  // Warm-up, and the number of products that take at least min_seconds.
  int count = 1;
  for (;;) {
    const double start = now_seconds();
    for (int i = 0; i < count; ++i) product();
    if (now_seconds() - start >= min_seconds) break;
    count *= 2;
  }
  std::vector<double> rates;
  for (int r = 0; r < repetitions; ++r) {
    const double start = now_seconds();
    for (int i = 0; i < count; ++i) product();
    const double seconds = now_seconds() - start;
    rates.push_back(2.0 * m * n * static_cast<double>(k) * count / seconds / 1e9);
  }
  std::sort(rates.begin(), rates.end());
  return rates[rates.size() / 2];
}

double sgemm_scaled_error(int m, int n, int k, bool trans_a, bool trans_b, bool accumulate) {
  Rng rng(static_cast<std::uint64_t>(m) * 1000003 + n * 1009 + k);
  const int a_rows = trans_a ? k : m, a_cols = trans_a ? m : k, lda = a_cols + 2;
  const int b_rows = trans_b ? n : k, b_cols = trans_b ? k : n, ldb = b_cols + 1;
  const int ldc = n + 3;
  std::vector<float> a(static_cast<std::size_t>(a_rows) * lda), b(static_cast<std::size_t>(b_rows) * ldb);
  std::vector<float> c(static_cast<std::size_t>(m) * ldc);
  for (float& v : a) v = static_cast<float>(rng.uniform(-1, 1));
  for (float& v : b) v = static_cast<float>(rng.uniform(-1, 1));
  for (float& v : c) v = static_cast<float>(rng.uniform(-1, 1));
  std::vector<float> expected = c;
  sgemm(trans_a, trans_b, m, n, k, a.data(), lda, b.data(), ldb, c.data(), ldc, accumulate);
  sgemm_reference(trans_a, trans_b, m, n, k, a.data(), lda, b.data(), ldb, expected.data(), ldc, accumulate);
  double worst = 0;
  for (std::size_t i = 0; i < c.size(); ++i) worst = std::max(worst, std::abs(double(c[i]) - expected[i]));
  return worst / std::sqrt(static_cast<double>(std::max(k, 1)));
}

}  // namespace dl
