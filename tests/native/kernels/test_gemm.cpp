// The packed SGEMM against the triple-loop reference, for every transpose combination,
// with and without accumulation, on shapes that are not multiples of the tile or block.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "../../../tools/gemm_benchmark.h"
#include "core/rng.h"
#include "kernels/gemm.h"

TEST_CASE("sgemm equals the reference on awkward shapes for all transposes") {
  // k = 800 and 770 take several equal blocks of K; the others one.
  const int sizes[][3] = {{1, 1, 1},   {3, 7, 17},   {7, 3, 1},     {17, 67, 7},   {67, 17, 300}, {5, 9, 257},
                          {130, 9, 3}, {1, 1030, 2}, {33, 40, 513}, {12, 24, 770}, {9, 16, 800}};
  for (const auto& s : sizes)
    for (int ta = 0; ta < 2; ++ta)
      for (int tb = 0; tb < 2; ++tb)
        for (int acc = 0; acc < 2; ++acc) {
          INFO("m " << s[0] << " n " << s[1] << " k " << s[2] << " trans_a " << ta << " trans_b " << tb
                    << " accumulate " << acc);
          CHECK(dl::sgemm_scaled_error(s[0], s[1], s[2], ta, tb, acc) <= 1e-4 + 1e-6);
        }
}
