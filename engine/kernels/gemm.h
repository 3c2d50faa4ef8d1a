// Single-precision matrix multiplication for every product in training: Dense forward
// and both backward products, and convolution through im2col. Row-major throughout:
//
//   C (m x n) = op(A) (m x k) * op(B) (k x n)  [+ C when accumulate]
//
// where op(A) is A, or A transposed when trans_a (A then stored k x m); likewise B.
// lda, ldb and ldc are the row strides of A, B and C as stored.
//
// The fast version packs panels of A (MR rows) and B (NR columns) for blocks of K and
// runs a register-tiled MR x NR micro-kernel on four-lane vectors (simd.h); edges that
// are not a multiple of the tile are padded in the packed panels. sgemm_reference is the
// triple loop it is tested against.
#pragma once

namespace dl {

void sgemm(bool trans_a, bool trans_b, int m, int n, int k, const float* a, int lda, const float* b, int ldb, float* c,
           int ldc, bool accumulate);

void sgemm_reference(bool trans_a, bool trans_b, int m, int n, int k, const float* a, int lda, const float* b, int ldb,
                     float* c, int ldc, bool accumulate);

// Tile sizes of the micro-kernel, for the benchmark's report.
struct GemmTile {
  int mr, nr, kc, mc, nc;
};
GemmTile gemm_tile();

// A few small products, so that a new WebAssembly instance's compiler tiers the kernels up
// before their first timed use (a helper engine's first share).
void warm_up_kernels();

}  // namespace dl
