// The blocked, packed SGEMM (after the GotoBLAS/BLIS scheme): for each block of NC
// columns and KC of the inner dimension, B is packed into NR-wide panels; for each block
// of MC rows, A into MR-high panels; the micro-kernel then walks the panels, keeping an
// MR x NR tile of C in vector registers.
#include "kernels/gemm.h"

#include <algorithm>
#include <vector>

#include "core/simd.h"

namespace dl {

namespace {

constexpr int MR = 4;       // rows of the register tile
constexpr int NV = 2;       // four-lane vectors per tile row
constexpr int NR = 4 * NV;  // columns of the register tile
constexpr int KC = 384;     // largest inner-dimension block: an A and a B panel stay in L1
constexpr int MC = 128;     // rows of A packed at once (MC x KC floats: 128 KiB, in L2)
constexpr int NC = 1024;    // columns of B packed at once

// op(A)[i][p] and op(B)[p][j] in the stored layouts.
inline float a_at(const float* a, int lda, bool trans, int i, int p) { return trans ? a[p * lda + i] : a[i * lda + p]; }
inline float b_at(const float* b, int ldb, bool trans, int p, int j) { return trans ? b[j * ldb + p] : b[p * ldb + j]; }

// Packs rows [i0, i0+mc) x inner [p0, p0+kc) of op(A) into panels of MR rows: panel by
// panel, for each p the MR values of that column; rows past m are zeros.
void pack_a(const float* a, int lda, bool trans, int i0, int mc, int p0, int kc, float* out) {
  static_assert(MR == 4, "the fast path transposes 4 x 4 blocks");
  for (int ir = 0; ir < mc; ir += MR) {
    const int rows = std::min(MR, mc - ir);
    int p = 0;
    if (!trans && rows == MR) {
      // Four rows of A, four values at a time, transposed in registers.
      const float* row = a + static_cast<std::size_t>(i0 + ir) * lda + p0;
      for (; p + 4 <= kc; p += 4) {
        simd::f32x4 r0 = simd::load(row + p), r1 = simd::load(row + lda + p), r2 = simd::load(row + 2 * lda + p),
                    r3 = simd::load(row + 3 * lda + p);
        simd::transpose(r0, r1, r2, r3);
        simd::store(out, r0);
        simd::store(out + 4, r1);
        simd::store(out + 8, r2);
        simd::store(out + 12, r3);
        out += 4 * MR;
      }
    } else if (trans && rows == MR) {
      // A stored transposed: op(A)'s four rows are four neighbours in memory.
      for (; p < kc; ++p, out += MR) simd::store(out, simd::load(a + static_cast<std::size_t>(p0 + p) * lda + i0 + ir));
    }
    for (; p < kc; ++p) {
      for (int r = 0; r < rows; ++r) out[r] = a_at(a, lda, trans, i0 + ir + r, p0 + p);
      for (int r = rows; r < MR; ++r) out[r] = 0.0f;
      out += MR;
    }
  }
}

// Packs inner [p0, p0+kc) x columns [j0, j0+nc) of op(B) into panels of NR columns.
void pack_b(const float* b, int ldb, bool trans, int p0, int kc, int j0, int nc, float* out) {
  for (int jr = 0; jr < nc; jr += NR) {
    const int cols = std::min(NR, nc - jr);
    int p = 0;
    if (trans && cols == NR) {
      // B stored transposed: NR rows of it, four values at a time, transposed in
      // registers as two 4 x 4 blocks.
      static_assert(NR == 8, "the transposed fast path packs two 4 x 4 blocks");
      const float* col = b + static_cast<std::size_t>(j0 + jr) * ldb + p0;
      for (; p + 4 <= kc; p += 4) {
        for (int half = 0; half < 2; ++half) {
          const float* r = col + static_cast<std::size_t>(4 * half) * ldb + p;
          simd::f32x4 r0 = simd::load(r), r1 = simd::load(r + ldb), r2 = simd::load(r + 2 * ldb),
                      r3 = simd::load(r + 3 * ldb);
          simd::transpose(r0, r1, r2, r3);
          simd::store(out + 4 * half, r0);
          simd::store(out + 4 * half + NR, r1);
          simd::store(out + 4 * half + 2 * NR, r2);
          simd::store(out + 4 * half + 3 * NR, r3);
        }
        out += 4 * NR;
      }
    }
    for (; p < kc; ++p) {
      if (!trans && cols == NR) {
        const float* src = b + (p0 + p) * ldb + j0 + jr;
        std::copy(src, src + NR, out);
      } else {
        for (int c = 0; c < cols; ++c) out[c] = b_at(b, ldb, trans, p0 + p, j0 + jr + c);
        for (int c = cols; c < NR; ++c) out[c] = 0.0f;
      }
      out += NR;
    }
  }
}

// C tile (MR x NR at c, stride ldc) = [C +] packed A panel * packed B panel over kc.
// rows x cols is the part of the tile inside C. The accumulators are a fixed-size array
// the compiler keeps in registers (the loops over it are unrolled).
void micro_kernel(int kc, const float* ap, const float* bp, float* c, int ldc, bool accumulate, int rows, int cols) {
  using namespace simd;
  f32x4 acc[MR][NV];
  for (int r = 0; r < MR; ++r)
    for (int v = 0; v < NV; ++v) acc[r][v] = splat(0.0f);
  for (int p = 0; p < kc; ++p) {
    f32x4 b[NV];
    for (int v = 0; v < NV; ++v) b[v] = load(bp + 4 * v);
    for (int r = 0; r < MR; ++r) {
      const f32x4 a = splat(ap[r]);
      for (int v = 0; v < NV; ++v) acc[r][v] = add(acc[r][v], mul(a, b[v]));
    }
    ap += MR;
    bp += NR;
  }
  if (rows == MR && cols == NR) {
    for (int r = 0; r < MR; ++r) {
      float* row = c + r * ldc;
      for (int v = 0; v < NV; ++v) store(row + 4 * v, accumulate ? add(load(row + 4 * v), acc[r][v]) : acc[r][v]);
    }
    return;
  }
  float tile[MR * NR];
  for (int r = 0; r < MR; ++r)
    for (int v = 0; v < NV; ++v) store(tile + r * NR + 4 * v, acc[r][v]);
  for (int r = 0; r < rows; ++r)
    for (int j = 0; j < cols; ++j) c[r * ldc + j] = accumulate ? c[r * ldc + j] + tile[r * NR + j] : tile[r * NR + j];
}

}  // namespace

GemmTile gemm_tile() { return {MR, NR, KC, MC, NC}; }

void warm_up_kernels() {
  constexpr int n = 64;
  std::vector<float> a(n * n, 0.5f), b(n * n, 0.25f), c(n * n);
  for (int repetition = 0; repetition < 40; ++repetition)
    for (bool trans_b : {false, true}) sgemm(false, trans_b, n, n, n, a.data(), n, b.data(), n, c.data(), n, false);
}

void sgemm(bool trans_a, bool trans_b, int m, int n, int k, const float* a, int lda, const float* b, int ldb, float* c,
           int ldc, bool accumulate) {
  if (m <= 0 || n <= 0) return;
  if (k <= 0) {
    if (!accumulate)
      for (int i = 0; i < m; ++i) std::fill(c + i * ldc, c + i * ldc + n, 0.0f);
    return;
  }
  // One buffer per thread is enough: the engine runs on one thread.
  static thread_local std::vector<float> packed_a, packed_b;
  packed_a.resize(static_cast<std::size_t>(MC + MR) * KC);
  packed_b.resize(static_cast<std::size_t>(NC + NR) * KC);
  // K is cut into equal blocks of at most KC: each block after the first reads and
  // writes all of C again, so K = 288 (a 3x3x32 convolution) is one block, not 256 + 32.
  const int k_blocks = (k + KC - 1) / KC;
  const int k_step = (k + k_blocks - 1) / k_blocks;
  for (int j0 = 0; j0 < n; j0 += NC) {
    const int nc = std::min(NC, n - j0);
    for (int p0 = 0; p0 < k; p0 += k_step) {
      const int kc = std::min(k_step, k - p0);
      // The first block of K writes C (unless accumulating); later ones add to it.
      const bool add_to_c = accumulate || p0 > 0;
      pack_b(b, ldb, trans_b, p0, kc, j0, nc, packed_b.data());
      for (int i0 = 0; i0 < m; i0 += MC) {
        const int mc = std::min(MC, m - i0);
        pack_a(a, lda, trans_a, i0, mc, p0, kc, packed_a.data());
        for (int jr = 0; jr < nc; jr += NR) {
          const float* bp = packed_b.data() + static_cast<std::size_t>(jr) * kc;
          for (int ir = 0; ir < mc; ir += MR) {
            const float* ap = packed_a.data() + static_cast<std::size_t>(ir) * kc;
            micro_kernel(kc, ap, bp, c + (i0 + ir) * ldc + j0 + jr, ldc, add_to_c, std::min(MR, mc - ir),
                         std::min(NR, nc - jr));
          }
        }
      }
    }
  }
}

void sgemm_reference(bool trans_a, bool trans_b, int m, int n, int k, const float* a, int lda, const float* b, int ldb,
                     float* c, int ldc, bool accumulate) {
  for (int i = 0; i < m; ++i)
    for (int j = 0; j < n; ++j) {
      double sum = 0.0;
      for (int p = 0; p < k; ++p) sum += static_cast<double>(a_at(a, lda, trans_a, i, p)) * b_at(b, ldb, trans_b, p, j);
      c[i * ldc + j] = static_cast<float>(accumulate ? c[i * ldc + j] + sum : sum);
    }
}

}  // namespace dl
