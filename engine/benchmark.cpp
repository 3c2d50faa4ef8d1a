// Benchmark timing: warm up, then the median of several timed runs.
#include "benchmark.h"

#include <algorithm>
#include <chrono>
#include <vector>

#include "gemm.h"
#include "rng.h"

namespace dl {

double now_seconds() {
  using clock = std::chrono::steady_clock;
  return std::chrono::duration<double>(clock::now().time_since_epoch()).count();
}

double measure_sgemm_gflops(int n, double min_seconds, int repetitions) {
  const std::size_t size = static_cast<std::size_t>(n) * n;
  std::vector<float> a(size), b(size), c(size);
  Rng rng(1);
  for (std::size_t i = 0; i < size; ++i) {
    a[i] = static_cast<float>(rng.uniform(-1, 1));
    b[i] = static_cast<float>(rng.uniform(-1, 1));
  }
  auto product = [&] { sgemm(false, false, n, n, n, a.data(), n, b.data(), n, c.data(), n, false); };
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
    rates.push_back(2.0 * n * n * static_cast<double>(n) * count / seconds / 1e9);
  }
  std::sort(rates.begin(), rates.end());
  return rates[rates.size() / 2];
}

}  // namespace dl
