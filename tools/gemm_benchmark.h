// Timing helpers for `npm run bench`: the same measurement natively and in WebAssembly.
#pragma once

namespace dl {

// GFLOP/s of sgemm on square n x n matrices (2 n^3 flops per product), after a warm-up,
// the median of `repetitions` timings of at least `min_seconds` each.
double measure_sgemm_gflops(int n, double min_seconds, int repetitions);
// The same for any shape: C (m x n) = op(A) (m x k) op(B) (k x n).
double measure_sgemm_shape_gflops(int m, int n, int k, bool trans_a, bool trans_b, double min_seconds, int repetitions);

// Seconds since an arbitrary start, monotonic.
double now_seconds();

}  // namespace dl
