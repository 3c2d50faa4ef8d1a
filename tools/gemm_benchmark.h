// Timing helpers for `npm run bench`: the same measurement natively and in WebAssembly;
// and the check of sgemm against its reference that the native and the WebAssembly tests
// both run (the two builds take different vector paths).
#pragma once

namespace dl {

// GFLOP/s of sgemm on square n x n matrices (2 n^3 flops per product), after a warm-up,
// the median of `repetitions` timings of at least `min_seconds` each.
double measure_sgemm_gflops(int n, double min_seconds, int repetitions);
// The same for any shape: C (m x n) = op(A) (m x k) op(B) (k x n).
double measure_sgemm_shape_gflops(int m, int n, int k, bool trans_a, bool trans_b, double min_seconds, int repetitions);

// The largest difference between sgemm and sgemm_reference on random values in [-1, 1],
// with row strides larger than the rows (lda, ldb, ldc padded), divided by sqrt(k): the
// error a float sum of k products may have grows about so.
double sgemm_scaled_error(int m, int n, int k, bool trans_a, bool trans_b, bool accumulate);

// Seconds since an arbitrary start, monotonic.
double now_seconds();

}  // namespace dl
