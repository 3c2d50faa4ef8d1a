// The packed SGEMM against the triple-loop reference, for every transpose combination,
// with and without accumulation, on shapes that are not multiples of the tile or block.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "core/rng.h"
#include "kernels/gemm.h"

TEST_CASE("sgemm equals the reference on awkward shapes for all transposes") {
  dl::Rng rng(8);
  const int sizes[][3] = {{1, 1, 1},   {3, 7, 17},  {7, 3, 1},    {17, 67, 7},  {67, 17, 300},
                          {5, 9, 257}, {130, 9, 3}, {1, 1030, 2}, {33, 40, 513}};
  for (const auto& s : sizes) {
    const int m = s[0], n = s[1], k = s[2];
    for (int ta = 0; ta < 2; ++ta)
      for (int tb = 0; tb < 2; ++tb)
        for (int acc = 0; acc < 2; ++acc) {
          // Stored shapes, with a row stride larger than the row to test lda/ldb/ldc.
          const int a_rows = ta ? k : m, a_cols = ta ? m : k, lda = a_cols + 2;
          const int b_rows = tb ? n : k, b_cols = tb ? k : n, ldb = b_cols + 1;
          const int ldc = n + 3;
          std::vector<float> a(static_cast<std::size_t>(a_rows) * lda), b(static_cast<std::size_t>(b_rows) * ldb);
          std::vector<float> c(static_cast<std::size_t>(m) * ldc), expected;
          for (float& v : a) v = static_cast<float>(rng.uniform(-1, 1));
          for (float& v : b) v = static_cast<float>(rng.uniform(-1, 1));
          for (float& v : c) v = static_cast<float>(rng.uniform(-1, 1));
          expected = c;
          dl::sgemm(ta, tb, m, n, k, a.data(), lda, b.data(), ldb, c.data(), ldc, acc);
          dl::sgemm_reference(ta, tb, m, n, k, a.data(), lda, b.data(), ldb, expected.data(), ldc, acc);
          double worst = 0;
          for (std::size_t i = 0; i < c.size(); ++i) worst = std::max(worst, std::abs(double(c[i]) - expected[i]));
          INFO("m " << m << " n " << n << " k " << k << " trans_a " << ta << " trans_b " << tb << " accumulate "
                    << acc);
          CHECK(worst <= 1e-4 * std::sqrt(static_cast<double>(k)) + 1e-6);
        }
  }
}
