// The multi-head attention kernels (Keras' MultiHeadAttention, as llm.c writes attention):
//
//   Q = xq Wq + bq, K = xk Wk + bk, V = xv Wv + bv          (each head a slice of columns)
//   S_h = Q_h K_h^T / sqrt(key_dim), P_h = masked softmax of S_h over the keys
//   O_h = dropout(P_h) V_h,  y = O Wo + bo                   (O: the heads side by side)
//
// Weights are laid out as Keras stores them: Wq (dq, heads, key_dim) is the matrix
// (dq, heads * key_dim), so head h's columns are [h * key_dim, (h + 1) * key_dim); Wo
// (heads, value_dim, out) is (heads * value_dim, out). Templates, so that the tests check
// every gradient in double; the float products go to sgemm, others to the plain loop.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <vector>

#include "kernels/gemm.h"

namespace dl {

struct AttentionSize {
  int batch = 0, tq = 0, tv = 0;  // samples, query steps, key and value steps
  int dq = 0, dk = 0, dv = 0;     // features of the query, key and value inputs
  int heads = 0, key_dim = 0, value_dim = 0, out = 0;
};

// C (m x n) = op(A) op(B) [+ C], row-major with row strides, as sgemm (kernels/gemm.h).
template <typename T>
void attention_gemm(bool trans_a, bool trans_b, int m, int n, int k, const T* a, int lda, const T* b, int ldb, T* c,
                    int ldc, bool accumulate) {
  for (int i = 0; i < m; ++i)
    for (int j = 0; j < n; ++j) {
      T sum = 0;
      for (int p = 0; p < k; ++p)
        sum += (trans_a ? a[static_cast<std::size_t>(p) * lda + i] : a[static_cast<std::size_t>(i) * lda + p]) *
               (trans_b ? b[static_cast<std::size_t>(j) * ldb + p] : b[static_cast<std::size_t>(p) * ldb + j]);
      T& out = c[static_cast<std::size_t>(i) * ldc + j];
      out = accumulate ? out + sum : sum;
    }
}
inline void attention_gemm(bool trans_a, bool trans_b, int m, int n, int k, const float* a, int lda, const float* b,
                           int ldb, float* c, int ldc, bool accumulate) {
  sgemm(trans_a, trans_b, m, n, k, a, lda, b, ldb, c, ldc, accumulate);
}

// s: (rows, cols), mask: (rows, cols) of 1 and 0, or null -> p: (rows, cols); p may be s.
// Each row: p = exp(s - max) / sum, the max and the sum over the unmasked entries only,
// so it is stable for any logits; masked entries are 0, and a row with every entry masked
// is all 0 (not NaN), as Keras' Softmax, which multiplies its output by the mask.
template <typename T>
void masked_softmax_forward(const T* s, const T* mask, T* p, int rows, int cols) {
  for (int i = 0; i < rows; ++i) {
    const std::size_t row = static_cast<std::size_t>(i) * cols;
    bool any = false;
    T max = 0;
    for (int j = 0; j < cols; ++j)
      if (!mask || mask[row + j] != 0) {
        max = any ? std::max(max, s[row + j]) : s[row + j];
        any = true;
      }
    T sum = 0;
    for (int j = 0; j < cols; ++j) {
      const T e = (!mask || mask[row + j] != 0) ? std::exp(s[row + j] - max) : T(0);
      p[row + j] = e;
      sum += e;
    }
    const T inv = any ? T(1) / sum : T(0);
    for (int j = 0; j < cols; ++j) p[row + j] *= inv;
  }
}

// The specification the fused softmax is tested against, Keras' formula: s + (1 - mask)
// * -1e9, a plain softmax, then times the mask.
template <typename T>
void masked_softmax_reference(const T* s, const T* mask, T* p, int rows, int cols) {
  for (int i = 0; i < rows; ++i) {
    const std::size_t row = static_cast<std::size_t>(i) * cols;
    std::vector<T> shifted(cols);
    T max = -std::numeric_limits<T>::infinity(), sum = 0;
    for (int j = 0; j < cols; ++j) {
      shifted[j] = s[row + j] + (mask ? (1 - mask[row + j]) * T(-1e9) : T(0));
      max = std::max(max, shifted[j]);
    }
    for (int j = 0; j < cols; ++j) sum += std::exp(shifted[j] - max);
    for (int j = 0; j < cols; ++j) p[row + j] = std::exp(shifted[j] - max) / sum * (mask ? mask[row + j] : T(1));
  }
}

// p: (rows, cols) of the forward, dp: (rows, cols) -> ds: (rows, cols); ds may be dp.
// ds = p * (dp - sum_j p dp) per row; masked entries have p = 0 and get 0.
template <typename T>
void softmax_backward(const T* p, const T* dp, T* ds, int rows, int cols) {
  for (int i = 0; i < rows; ++i) {
    const std::size_t row = static_cast<std::size_t>(i) * cols;
    T dot = 0;
    for (int j = 0; j < cols; ++j) dot += p[row + j] * dp[row + j];
    for (int j = 0; j < cols; ++j) ds[row + j] = p[row + j] * (dp[row + j] - dot);
  }
}

// query_mask: (N, tq), value_mask and key_mask: (N, tv), given: (N, tq, tv), each null
// when absent -> mask: (N, tq, tv), 1 where query step i may attend to key step j: all
// masks and, with causal, j <= i (Keras' use_causal_mask, also for tq != tv). Returns
// false, mask untouched, when there is nothing to mask.
inline bool attention_mask(const float* query_mask, const float* value_mask, const float* key_mask, const float* given,
                           bool causal, int batch, int tq, int tv, std::vector<float>& mask) {
  if (!query_mask && !value_mask && !key_mask && !given && !causal) return false;
  mask.assign(static_cast<std::size_t>(batch) * tq * tv, 1.0f);
  for (int b = 0; b < batch; ++b)
    for (int i = 0; i < tq; ++i)
      for (int j = 0; j < tv; ++j) {
        const std::size_t at = (static_cast<std::size_t>(b) * tq + i) * tv + j;
        const bool keep = (!query_mask || query_mask[b * tq + i] != 0) &&
                          (!value_mask || value_mask[b * tv + j] != 0) && (!key_mask || key_mask[b * tv + j] != 0) &&
                          (!given || given[at] != 0) && (!causal || j <= i);
        mask[at] = keep ? 1.0f : 0.0f;
      }
  return true;
}

template <typename T>
struct AttentionWeights {
  const T *wq, *bq, *wk, *bk, *wv, *bv, *wo, *bo;  // biases null without useBias
};
template <typename T>
struct AttentionGrads {
  T *wq, *bq, *wk, *bk, *wv, *bv, *wo, *bo;  // biases null without useBias
};
// What the forward keeps for the backward: q: (N * tq, heads * key_dim), k: (N * tv,
// heads * key_dim), v: (N * tv, heads * value_dim), p: (N, heads, tq, tv) the attention
// weights before dropout, o: (N * tq, heads * value_dim).
template <typename T>
struct AttentionState {
  std::vector<T> q, k, v, p, o;
};

// x: (rows, d), w: (d, cols), b: (cols) or null -> y: (rows, cols) = x w + b.
template <typename T>
void attention_project(const T* x, const T* w, const T* b, T* y, int rows, int d, int cols) {
  attention_gemm(false, false, rows, cols, d, x, d, w, cols, y, cols, false);
  if (b)
    for (int i = 0; i < rows; ++i)
      for (int j = 0; j < cols; ++j) y[static_cast<std::size_t>(i) * cols + j] += b[j];
}

// dy: (rows, cols) of y = x w + b -> dw: (d, cols), db: (cols) (written, or added to with
// accumulate; db may be null), dx: (rows, d) (written, or added to with add_dx; may be null).
template <typename T>
void attention_project_backward(const T* x, const T* w, const T* dy, T* dw, T* db, T* dx, int rows, int d, int cols,
                                bool accumulate, bool add_dx) {
  attention_gemm(true, false, d, cols, rows, x, d, dy, cols, dw, cols, accumulate);
  if (db) {
    if (!accumulate) std::fill(db, db + cols, T(0));
    for (int i = 0; i < rows; ++i)
      for (int j = 0; j < cols; ++j) db[j] += dy[static_cast<std::size_t>(i) * cols + j];
  }
  if (dx) attention_gemm(false, true, rows, d, cols, dy, cols, w, cols, dx, d, add_dx);
}

// xq: (N, tq, dq), xk: (N, tv, dk), xv: (N, tv, dv), mask: (N, tq, tv) or null, drop:
// (N, heads, tq, tv) of 0 and 1 / (1 - rate), or null -> y: (N, tq, out).
template <typename T>
void attention_forward(const AttentionSize& z, const T* xq, const T* xk, const T* xv, const AttentionWeights<T>& w,
                       const T* mask, const T* drop, AttentionState<T>& s, T* y) {
  const int hk = z.heads * z.key_dim, hv = z.heads * z.value_dim;
  const std::size_t nq = static_cast<std::size_t>(z.batch) * z.tq, nv = static_cast<std::size_t>(z.batch) * z.tv;
  const std::size_t block = static_cast<std::size_t>(z.tq) * z.tv;
  s.q.resize(nq * hk), s.k.resize(nv * hk), s.v.resize(nv * hv), s.o.resize(nq * hv);
  s.p.resize(z.batch * z.heads * block);
  attention_project(xq, w.wq, w.bq, s.q.data(), static_cast<int>(nq), z.dq, hk);
  attention_project(xk, w.wk, w.bk, s.k.data(), static_cast<int>(nv), z.dk, hk);
  attention_project(xv, w.wv, w.bv, s.v.data(), static_cast<int>(nv), z.dv, hv);
  const T scale = T(1) / std::sqrt(static_cast<T>(z.key_dim));
  std::vector<T> dropped(drop ? block : 0);
  for (int b = 0; b < z.batch; ++b)
    for (int h = 0; h < z.heads; ++h) {
      T* p = s.p.data() + (static_cast<std::size_t>(b) * z.heads + h) * block;
      const T* q = s.q.data() + static_cast<std::size_t>(b) * z.tq * hk + h * z.key_dim;
      const T* k = s.k.data() + static_cast<std::size_t>(b) * z.tv * hk + h * z.key_dim;
      const T* v = s.v.data() + static_cast<std::size_t>(b) * z.tv * hv + h * z.value_dim;
      attention_gemm(false, true, z.tq, z.tv, z.key_dim, q, hk, k, hk, p, z.tv, false);
      for (std::size_t i = 0; i < block; ++i) p[i] *= scale;
      masked_softmax_forward(p, mask ? mask + b * block : nullptr, p, z.tq, z.tv);
      const T* used = p;
      if (drop) {
        const T* d = drop + (static_cast<std::size_t>(b) * z.heads + h) * block;
        for (std::size_t i = 0; i < block; ++i) dropped[i] = p[i] * d[i];
        used = dropped.data();
      }
      T* o = s.o.data() + static_cast<std::size_t>(b) * z.tq * hv + h * z.value_dim;
      attention_gemm(false, false, z.tq, z.value_dim, z.tv, used, z.tv, v, hv, o, hv, false);
    }
  attention_project(s.o.data(), w.wo, w.bo, y, static_cast<int>(nq), hv, z.out);
}

// dy: (N, tq, out), dscores: (N, heads, tq, tv) the gradient for the attention weights
// when they are an output too, or null -> the weights' gradients (written, or added to
// with accumulate), dxq, dxk, dxv (written; each may be null; when dxk == dxv, one input
// serves as key and value and gets the sum).
template <typename T>
void attention_backward(const AttentionSize& z, const T* xq, const T* xk, const T* xv, const AttentionWeights<T>& w,
                        const T* drop, const AttentionState<T>& s, const T* dy, const T* dscores,
                        const AttentionGrads<T>& g, T* dxq, T* dxk, T* dxv, bool accumulate) {
  const int hk = z.heads * z.key_dim, hv = z.heads * z.value_dim;
  const std::size_t nq = static_cast<std::size_t>(z.batch) * z.tq, nv = static_cast<std::size_t>(z.batch) * z.tv;
  const std::size_t block = static_cast<std::size_t>(z.tq) * z.tv;
  std::vector<T> d_o(nq * hv), dq(nq * hk), dk(nv * hk), dv(nv * hv), dp(block), dropped(drop ? block : 0);
  attention_project_backward(s.o.data(), w.wo, dy, g.wo, g.bo, d_o.data(), static_cast<int>(nq), hv, z.out, accumulate,
                             false);
  const T scale = T(1) / std::sqrt(static_cast<T>(z.key_dim));
  for (int b = 0; b < z.batch; ++b)
    for (int h = 0; h < z.heads; ++h) {
      const std::size_t at = (static_cast<std::size_t>(b) * z.heads + h) * block;
      const T* p = s.p.data() + at;
      const std::size_t q_at = static_cast<std::size_t>(b) * z.tq * hk + h * z.key_dim;
      const std::size_t k_at = static_cast<std::size_t>(b) * z.tv * hk + h * z.key_dim;
      const std::size_t v_at = static_cast<std::size_t>(b) * z.tv * hv + h * z.value_dim;
      const std::size_t o_at = static_cast<std::size_t>(b) * z.tq * hv + h * z.value_dim;
      const T* used = p;
      if (drop) {
        for (std::size_t i = 0; i < block; ++i) dropped[i] = p[i] * drop[at + i];
        used = dropped.data();
      }
      // dV_h = P_used^T dO_h; dP = dO_h V_h^T, through dropout, plus the scores' own gradient.
      attention_gemm(true, false, z.tv, z.value_dim, z.tq, used, z.tv, d_o.data() + o_at, hv, dv.data() + v_at, hv,
                     false);
      attention_gemm(false, true, z.tq, z.tv, z.value_dim, d_o.data() + o_at, hv, s.v.data() + v_at, hv, dp.data(),
                     z.tv, false);
      for (std::size_t i = 0; i < block; ++i) {
        if (drop) dp[i] *= drop[at + i];
        if (dscores) dp[i] += dscores[at + i];
      }
      softmax_backward(p, dp.data(), dp.data(), z.tq, z.tv);
      for (std::size_t i = 0; i < block; ++i) dp[i] *= scale;
      attention_gemm(false, false, z.tq, z.key_dim, z.tv, dp.data(), z.tv, s.k.data() + k_at, hk, dq.data() + q_at, hk,
                     false);
      attention_gemm(true, false, z.tv, z.key_dim, z.tq, dp.data(), z.tv, s.q.data() + q_at, hk, dk.data() + k_at, hk,
                     false);
    }
  attention_project_backward(xq, w.wq, dq.data(), g.wq, g.bq, dxq, static_cast<int>(nq), z.dq, hk, accumulate, false);
  attention_project_backward(xk, w.wk, dk.data(), g.wk, g.bk, dxk, static_cast<int>(nv), z.dk, hk, accumulate, false);
  attention_project_backward(xv, w.wv, dv.data(), g.wv, g.bv, dxv, static_cast<int>(nv), z.dv, hv, accumulate,
                             dxv != nullptr && dxv == dxk);
}

}  // namespace dl
