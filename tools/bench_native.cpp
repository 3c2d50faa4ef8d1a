// The native side of `npm run bench`, printed as one JSON object:
//   peak_gflops: the 128-bit multiply-add ceiling, from independent chains of mulps and
//                addps (enough of them to fill the pipelines, all kept in registers);
//   gemm: GFLOP/s of Eigen (-O3 -msse4.2, one thread) and of our sgemm at 64..512.
#include <emmintrin.h>

#include <Eigen/Core>
#include <algorithm>
#include <cstdio>
#include <vector>

#include "gemm_benchmark.h"

namespace {

// Six independent multiply chains (x = x * m) and six add chains (y = y + a), interleaved:
// with a latency of about 3 cycles and two multiply and two add pipes, six of each keep
// every pipe busy, and 12 chains plus 2 constants fit in the 16 vector registers.
double peak_gflops() {
  const __m128 m = _mm_set1_ps(0.9999999f), a = _mm_set1_ps(1e-9f);
  __m128 x0 = _mm_set1_ps(1), x1 = _mm_set1_ps(2), x2 = _mm_set1_ps(3), x3 = _mm_set1_ps(4), x4 = _mm_set1_ps(5),
         x5 = _mm_set1_ps(6);
  __m128 y0 = x0, y1 = x1, y2 = x2, y3 = x3, y4 = x4, y5 = x5;
  const long steps = 50'000'000;
  std::vector<double> rates;
  for (int r = 0; r < 5; ++r) {
    const double start = dl::now_seconds();
    long count = steps;
    // Written as assembly so that the loop is exactly these twelve instructions, with
    // every chain and both constants in registers.
    __asm__ volatile(
        "1:\n\t"
        "mulps %[m], %[x0]\n\t"
        "addps %[a], %[y0]\n\t"
        "mulps %[m], %[x1]\n\t"
        "addps %[a], %[y1]\n\t"
        "mulps %[m], %[x2]\n\t"
        "addps %[a], %[y2]\n\t"
        "mulps %[m], %[x3]\n\t"
        "addps %[a], %[y3]\n\t"
        "mulps %[m], %[x4]\n\t"
        "addps %[a], %[y4]\n\t"
        "mulps %[m], %[x5]\n\t"
        "addps %[a], %[y5]\n\t"
        "dec %[n]\n\t"
        "jnz 1b\n\t"
        : [x0] "+x"(x0), [x1] "+x"(x1), [x2] "+x"(x2), [x3] "+x"(x3), [x4] "+x"(x4), [x5] "+x"(x5), [y0] "+x"(y0),
          [y1] "+x"(y1), [y2] "+x"(y2), [y3] "+x"(y3), [y4] "+x"(y4), [y5] "+x"(y5), [n] "+r"(count)
        : [m] "x"(m), [a] "x"(a));
    const double seconds = dl::now_seconds() - start;
    rates.push_back(steps * 12.0 * 4.0 / seconds / 1e9);
  }
  const float sink = _mm_cvtss_f32(_mm_add_ps(_mm_add_ps(x0, y5), _mm_add_ps(x3, y2)));
  if (sink == 12345.0f) std::printf(" ");
  std::sort(rates.begin(), rates.end());
  return rates[rates.size() / 2];
}

double eigen_gflops(int n) {
  using Matrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  Matrix a = Matrix::Random(n, n), b = Matrix::Random(n, n), c(n, n);
  int count = 1;
  for (;;) {
    const double start = dl::now_seconds();
    for (int i = 0; i < count; ++i) c.noalias() = a * b;
    if (dl::now_seconds() - start >= 0.2) break;
    count *= 2;
  }
  std::vector<double> rates;
  for (int r = 0; r < 5; ++r) {
    const double start = dl::now_seconds();
    for (int i = 0; i < count; ++i) c.noalias() = a * b;
    rates.push_back(2.0 * n * n * static_cast<double>(n) * count / (dl::now_seconds() - start) / 1e9);
  }
  std::sort(rates.begin(), rates.end());
  return rates[rates.size() / 2];
}

}  // namespace

int main() {
  std::printf("{\"peak_gflops\": %.2f, \"gemm\": [", peak_gflops());
  const int sizes[] = {64, 128, 256, 512};
  for (int i = 0; i < 4; ++i)
    std::printf("%s{\"n\": %d, \"native_sse_gflops\": %.2f, \"native_ours_gflops\": %.2f}", i ? ", " : "", sizes[i],
                eigen_gflops(sizes[i]), dl::measure_sgemm_gflops(sizes[i], 0.2, 5));
  std::printf("]}\n");
  return 0;
}
