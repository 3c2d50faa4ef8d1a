// Four-lane float vectors for the hot loops: WebAssembly SIMD (wasm_simd128.h) in the
// browser build, SSE natively, plain scalars elsewhere. The kernels are written once
// against these few operations, so the native tests run the same code as the browser.
#pragma once

#if defined(__wasm_simd128__)
#include <wasm_simd128.h>
#elif defined(__SSE2__)
#include <emmintrin.h>
#else
#include <cmath>
#include <cstdint>
#include <cstring>
#endif

#include <cstddef>
#include <limits>

namespace dl::simd {

#if defined(__wasm_simd128__)
using f32x4 = v128_t;
constexpr const char* kName = "wasm-simd128";
inline f32x4 load(const float* p) { return wasm_v128_load(p); }
inline void store(float* p, f32x4 v) { wasm_v128_store(p, v); }
inline f32x4 splat(float v) { return wasm_f32x4_splat(v); }
inline f32x4 add(f32x4 a, f32x4 b) { return wasm_f32x4_add(a, b); }
inline f32x4 sub(f32x4 a, f32x4 b) { return wasm_f32x4_sub(a, b); }
inline f32x4 mul(f32x4 a, f32x4 b) { return wasm_f32x4_mul(a, b); }
inline f32x4 div(f32x4 a, f32x4 b) { return wasm_f32x4_div(a, b); }
inline f32x4 sqrt(f32x4 a) { return wasm_f32x4_sqrt(a); }
// max(a, b) for ordinary numbers; pmax is a plain compare-select, the fast one.
inline f32x4 max(f32x4 a, f32x4 b) { return wasm_f32x4_pmax(a, b); }
inline f32x4 min(f32x4 a, f32x4 b) { return wasm_f32x4_pmin(a, b); }
// x within [low, high], NaN left as it is.
inline f32x4 clamp(f32x4 x, f32x4 low, f32x4 high) { return min(max(x, low), high); }
// The float whose bits are t's shifted left by 23, plus 1.0f's: 2^k for t = 1.5 * 2^23 + k.
inline f32x4 power_of_two(f32x4 t) { return wasm_i32x4_add(wasm_i32x4_shl(t, 23), wasm_i32x4_splat(0x3F800000)); }
// Lanes of `a` where x > 0, else lanes of `b`.
inline f32x4 select_positive(f32x4 x, f32x4 a, f32x4 b) {
  return wasm_v128_bitselect(a, b, wasm_f32x4_gt(x, wasm_f32x4_splat(0.0f)));
}
// Lane masks: all bits set where a == b; a & b; a & ~b.
inline f32x4 equal(f32x4 a, f32x4 b) { return wasm_f32x4_eq(a, b); }
inline f32x4 bit_and(f32x4 a, f32x4 b) { return wasm_v128_and(a, b); }
inline f32x4 and_not(f32x4 a, f32x4 b) { return wasm_v128_andnot(a, b); }
// Rows r0..r3 of a 4x4 block become its columns.
inline void transpose(f32x4& r0, f32x4& r1, f32x4& r2, f32x4& r3) {
  const f32x4 t0 = wasm_i32x4_shuffle(r0, r1, 0, 4, 1, 5), t1 = wasm_i32x4_shuffle(r0, r1, 2, 6, 3, 7);
  const f32x4 t2 = wasm_i32x4_shuffle(r2, r3, 0, 4, 1, 5), t3 = wasm_i32x4_shuffle(r2, r3, 2, 6, 3, 7);
  r0 = wasm_i64x2_shuffle(t0, t2, 0, 2);
  r1 = wasm_i64x2_shuffle(t0, t2, 1, 3);
  r2 = wasm_i64x2_shuffle(t1, t3, 0, 2);
  r3 = wasm_i64x2_shuffle(t1, t3, 1, 3);
}
#elif defined(__SSE2__)
using f32x4 = __m128;
constexpr const char* kName = "sse";
inline f32x4 load(const float* p) { return _mm_loadu_ps(p); }
inline void store(float* p, f32x4 v) { _mm_storeu_ps(p, v); }
inline f32x4 splat(float v) { return _mm_set1_ps(v); }
inline f32x4 add(f32x4 a, f32x4 b) { return _mm_add_ps(a, b); }
inline f32x4 sub(f32x4 a, f32x4 b) { return _mm_sub_ps(a, b); }
inline f32x4 mul(f32x4 a, f32x4 b) { return _mm_mul_ps(a, b); }
inline f32x4 div(f32x4 a, f32x4 b) { return _mm_div_ps(a, b); }
inline f32x4 sqrt(f32x4 a) { return _mm_sqrt_ps(a); }
inline f32x4 max(f32x4 a, f32x4 b) { return _mm_max_ps(a, b); }
inline f32x4 min(f32x4 a, f32x4 b) { return _mm_min_ps(a, b); }
// (SSE's min and max give their second operand when one is NaN.)
inline f32x4 clamp(f32x4 x, f32x4 low, f32x4 high) { return min(high, max(low, x)); }
inline f32x4 power_of_two(f32x4 t) {
  return _mm_castsi128_ps(_mm_add_epi32(_mm_slli_epi32(_mm_castps_si128(t), 23), _mm_set1_epi32(0x3F800000)));
}
inline f32x4 select_positive(f32x4 x, f32x4 a, f32x4 b) {
  const __m128 mask = _mm_cmpgt_ps(x, _mm_setzero_ps());
  return _mm_or_ps(_mm_and_ps(mask, a), _mm_andnot_ps(mask, b));
}
inline f32x4 equal(f32x4 a, f32x4 b) { return _mm_cmpeq_ps(a, b); }
inline f32x4 bit_and(f32x4 a, f32x4 b) { return _mm_and_ps(a, b); }
inline f32x4 and_not(f32x4 a, f32x4 b) { return _mm_andnot_ps(b, a); }
inline void transpose(f32x4& r0, f32x4& r1, f32x4& r2, f32x4& r3) { _MM_TRANSPOSE4_PS(r0, r1, r2, r3); }
#else
struct f32x4 {
  float v[4];
};
constexpr const char* kName = "scalar";
inline f32x4 load(const float* p) { return {{p[0], p[1], p[2], p[3]}}; }
inline void store(float* p, f32x4 a) {
  for (int i = 0; i < 4; ++i) p[i] = a.v[i];
}
inline f32x4 splat(float x) { return {{x, x, x, x}}; }
#define DL_SIMD_LANEWISE(name, expr)             \
  inline f32x4 name(f32x4 a, f32x4 b) {          \
    f32x4 r;                                     \
    for (int i = 0; i < 4; ++i) r.v[i] = (expr); \
    return r;                                    \
  }
DL_SIMD_LANEWISE(add, a.v[i] + b.v[i])
DL_SIMD_LANEWISE(sub, a.v[i] - b.v[i])
DL_SIMD_LANEWISE(mul, a.v[i] * b.v[i])
DL_SIMD_LANEWISE(div, a.v[i] / b.v[i])
DL_SIMD_LANEWISE(max, a.v[i] > b.v[i] ? a.v[i] : b.v[i])
DL_SIMD_LANEWISE(min, a.v[i] < b.v[i] ? a.v[i] : b.v[i])
#undef DL_SIMD_LANEWISE
inline f32x4 clamp(f32x4 x, f32x4 low, f32x4 high) { return min(high, max(low, x)); }
inline f32x4 sqrt(f32x4 a) {
  for (int i = 0; i < 4; ++i) a.v[i] = std::sqrt(a.v[i]);
  return a;
}
inline f32x4 select_positive(f32x4 x, f32x4 a, f32x4 b) {
  for (int i = 0; i < 4; ++i) a.v[i] = x.v[i] > 0 ? a.v[i] : b.v[i];
  return a;
}
// Masks as bit patterns in the float lanes, as the vector versions have them.
inline f32x4 bitwise(f32x4 a, f32x4 b, std::uint32_t (*op)(std::uint32_t, std::uint32_t)) {
  for (int i = 0; i < 4; ++i) {
    std::uint32_t x, y;
    std::memcpy(&x, &a.v[i], 4);
    std::memcpy(&y, &b.v[i], 4);
    x = op(x, y);
    std::memcpy(&a.v[i], &x, 4);
  }
  return a;
}
inline f32x4 power_of_two(f32x4 t) {
  for (int i = 0; i < 4; ++i) {
    std::uint32_t bits;
    std::memcpy(&bits, &t.v[i], 4);
    bits = (bits << 23) + 0x3F800000u;
    std::memcpy(&t.v[i], &bits, 4);
  }
  return t;
}
inline f32x4 equal(f32x4 a, f32x4 b) {
  f32x4 r;
  for (int i = 0; i < 4; ++i) {
    const std::uint32_t m = a.v[i] == b.v[i] ? 0xFFFFFFFFu : 0u;
    std::memcpy(&r.v[i], &m, 4);
  }
  return r;
}
inline f32x4 bit_and(f32x4 a, f32x4 b) {
  return bitwise(a, b, [](std::uint32_t x, std::uint32_t y) { return x & y; });
}
inline f32x4 and_not(f32x4 a, f32x4 b) {
  return bitwise(a, b, [](std::uint32_t x, std::uint32_t y) { return x & ~y; });
}
inline void transpose(f32x4& r0, f32x4& r1, f32x4& r2, f32x4& r3) {
  f32x4* r[4] = {&r0, &r1, &r2, &r3};
  for (int i = 0; i < 4; ++i)
    for (int j = i + 1; j < 4; ++j) {
      const float t = r[i]->v[j];
      r[i]->v[j] = r[j]->v[i];
      r[j]->v[i] = t;
    }
}
#endif

// e^x in each lane, within 2 ulp of the correctly rounded value for x in [-87, 88] (below:
// e^-87.3, not 0; above 88.4: infinity; NaN stays NaN): x = k ln 2 + r with |r| <= ln 2 / 2, e^r by
// its Taylor polynomial to r^7 rounded to float (Cephes' expf constants), times 2^k made
// from k's bits.
inline f32x4 exp(f32x4 x) {
  x = clamp(x, splat(-87.3f), splat(88.7f));
  // k = round(x / ln 2): adding 1.5 * 2^23 leaves the whole part in the low mantissa bits.
  const f32x4 t = add(mul(x, splat(1.44269504088896341f)), splat(12582912.0f));
  const f32x4 k = sub(t, splat(12582912.0f));
  // r = x - k ln 2, ln 2 split in two so that k * its first part is exact.
  const f32x4 r = sub(sub(x, mul(k, splat(0.693359375f))), mul(k, splat(-2.12194440e-4f)));
  f32x4 p = splat(1.9875691500e-4f);
  p = add(mul(p, r), splat(1.3981999507e-3f));
  p = add(mul(p, r), splat(8.3334519073e-3f));
  p = add(mul(p, r), splat(4.1665795894e-2f));
  p = add(mul(p, r), splat(1.6666665459e-1f));
  p = add(mul(p, r), splat(5.0000001201e-1f));
  p = add(add(mul(mul(p, r), r), r), splat(1.0f));
  return mul(p, power_of_two(t));
}

// y[i] = e^(x[i] - shift) for n values; returns their sum.
inline float exp_shifted(const float* x, float shift, float* y, std::size_t n) {
  std::size_t i = 0;
  f32x4 total = splat(0.0f);
  const f32x4 s = splat(shift);
  for (; i + 4 <= n; i += 4) {
    const f32x4 e = exp(sub(load(x + i), s));
    store(y + i, e);
    total = add(total, e);
  }
  float lanes[4];
  store(lanes, total);
  float sum = (lanes[0] + lanes[1]) + (lanes[2] + lanes[3]);
  for (; i < n; ++i) {
    float tail[4] = {x[i] - shift, 0, 0, 0};
    store(tail, exp(load(tail)));
    y[i] = tail[0];
    sum += tail[0];
  }
  return sum;
}

// The largest of n >= 1 values; NaN if any is NaN (as std::max_element would not).
inline float max_of(const float* x, std::size_t n) {
  float top = x[0];
  bool nan = top != top;
  std::size_t i = 1;
  if (n >= 8) {
    f32x4 m = load(x), ok = equal(m, m);
    for (i = 4; i + 4 <= n; i += 4) {
      const f32x4 v = load(x + i);
      m = max(m, v);
      ok = bit_and(ok, equal(v, v));
    }
    float lanes[4], oks[4];
    store(lanes, m);
    store(oks, ok);
    // An all-ones lane (an ordinary value seen everywhere) reads as NaN, a zero lane as 0.
    for (int k = 0; k < 4; ++k) {
      top = lanes[k] > top ? lanes[k] : top;
      nan = nan || oks[k] == 0.0f;
    }
  }
  for (; i < n; ++i) {
    top = x[i] > top ? x[i] : top;
    nan = nan || x[i] != x[i];
  }
  return nan ? std::numeric_limits<float>::quiet_NaN() : top;
}

}  // namespace dl::simd
