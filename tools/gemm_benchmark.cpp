// Benchmark timing: warm up, then the median of several timed runs.
#include "gemm_benchmark.h"

#include <algorithm>
#include <chrono>
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

}  // namespace dl
