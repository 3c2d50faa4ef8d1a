// The recurrent kernels of SimpleRNN, LSTM and GRU: forward over a whole sequence and the
// backward pass through time, as templates (float in training, double in the gradient
// checks). The input projection of every step is one matrix product, (N*T, F) x (F, G*u);
// then only the recurrent product (N, u) x (u, G*u) runs per step, added in place into
// that step's slice of the projection. Backward walks the steps in reverse and ends with
// one product each for the kernel, recurrent-kernel and input gradients. In float the
// products run on sgemm (gemm.h); in double on plain loops (matmul below), the reference
// the float path is tested against.
//
// Facts of the file formats (Keras and TensorFlow.js alike), which the weights' layouts
// follow: kernel (F, G*u), recurrent_kernel (u, G*u), bias (G*u), the gates side by side
// in this order: LSTM i, f, c, o; GRU z, r, h. GRU with reset_after (Keras 3's default)
// has bias (2, 3*u): the input bias row, then the recurrent bias row, and applies the
// reset gate after the recurrent product: h~ = act(x W_h + b_h + r * (h R_h + b'_h));
// without it (TensorFlow.js' only form) the reset gate scales h before the product:
// h~ = act(x W_h + b_h + (r * h) R_h). The new GRU state is z * h + (1 - z) * h~.
//
// Masks: a step whose mask is 0 leaves the state unchanged and its output (returning
// sequences) repeats the previous output, as TensorFlow.js' rnn(). go_backwards reads
// the steps from last to first; the output sequence stays in that (reversed) order.
#pragma once

#include <algorithm>
#include <cstddef>
#include <type_traits>
#include <vector>

#include "kernels/activations.h"
#include "kernels/gemm.h"

namespace dl {

enum class CellKind { simple_rnn, lstm, gru };

// Gates per unit: the columns of kernel and recurrent_kernel are G * units wide.
inline int gate_count(CellKind kind) { return kind == CellKind::lstm ? 4 : kind == CellKind::gru ? 3 : 1; }

struct RecurrentSpec {
  CellKind kind = CellKind::simple_rnn;
  ActivationKind activation = ActivationKind::tanh;
  ActivationKind recurrent_activation = ActivationKind::hard_sigmoid;
  bool reset_after = false;  // GRU only
  bool go_backwards = false;
  bool return_sequences = false;
  bool return_state = false;
  int n = 0, steps = 0, features = 0, units = 0;

  int gates() const { return gate_count(kind); }
  int state_count() const { return kind == CellKind::lstm ? 2 : 1; }
  // One sample's output: [sequence (T*u) or last (u)], then the states when return_state.
  int output_size() const {
    return (return_sequences ? steps * units : units) + (return_state ? state_count() * units : 0);
  }
};

// C (m x n) = op(A) op(B) [+ C], row-major with row strides, as sgemm. The double path is
// the plain triple loop: the reference for the gradient checks.
template <typename T>
void matmul(bool trans_a, bool trans_b, int m, int n, int k, const T* a, int lda, const T* b, int ldb, T* c, int ldc,
            bool accumulate) {
  if constexpr (std::is_same_v<T, float>) {
    sgemm(trans_a, trans_b, m, n, k, a, lda, b, ldb, c, ldc, accumulate);
  } else {
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
}

// What backward needs from forward, all (N, T, .) and indexed by the input's time step.
template <typename T>
struct RecurrentTape {
  std::vector<T> x;       // the input after input dropout (empty: none, use x itself)
  std::vector<T> z;       // (N, T, G*u): the gates' pre-activations, then reused as gradients
  std::vector<T> gates;   // (N, T, G*u): activated gates (SimpleRNN: the cell's output)
  std::vector<T> h_prev;  // (N, T, u): the state each step starts from
  std::vector<T> c_prev;  // LSTM: (N, T, u) the carry each step starts from
  std::vector<T> c_act;   // LSTM: (N, T, u) act(c) of the step's new carry
  std::vector<T> extra;   // GRU: (N, T, u) r * h (before) or h R_h + b'_h (after)
  std::vector<T> h, c;    // (N, u): the running state
};

// x: (N, T, F), kernel: (F, G*u), recurrent: (u, G*u), bias: (G*u) or (2, 3u) for GRU
// reset_after, or null; step_mask: (N, T) or null; input_keep: (N, F) and state_keep:
// (N, u) dropout multipliers or null -> y: (N, output_size()). h0 (and for LSTM c0): the
// initial states, (N, u), or null for zeros (Keras' initial_state).
template <typename T>
void recurrent_forward(const RecurrentSpec& s, const T* x, const T* kernel, const T* recurrent, const T* bias,
                       const T* step_mask, const T* input_keep, const T* state_keep, T* y, RecurrentTape<T>& tape,
                       const T* h0 = nullptr, const T* c0 = nullptr) {
  const int N = s.n, S = s.steps, F = s.features, u = s.units, G = s.gates(), Gu = G * u;
  const std::size_t rows = static_cast<std::size_t>(N) * S;
  const T* xin = x;
  tape.x.clear();
  if (input_keep) {
    tape.x.assign(x, x + rows * F);
    for (std::size_t r = 0; r < rows; ++r)
      for (int f = 0; f < F; ++f) tape.x[r * F + f] *= input_keep[(r / S) * F + f];
    xin = tape.x.data();
  }
  tape.z.assign(rows * Gu, T(0));
  tape.gates.assign(rows * Gu, T(0));
  tape.h_prev.assign(rows * u, T(0));
  tape.h.assign(static_cast<std::size_t>(N) * u, T(0));
  if (h0) std::copy_n(h0, tape.h.size(), tape.h.begin());
  const bool lstm = s.kind == CellKind::lstm, gru = s.kind == CellKind::gru;
  if (lstm) {
    tape.c_prev.assign(rows * u, T(0));
    tape.c_act.assign(rows * u, T(0));
    tape.c.assign(static_cast<std::size_t>(N) * u, T(0));
    if (c0) std::copy_n(c0, tape.c.size(), tape.c.begin());
  }
  if (gru) tape.extra.assign(rows * u, T(0));
  // Every step's input projection at once: Z = x W + b.
  T* Z = tape.z.data();
  matmul<T>(false, false, static_cast<int>(rows), Gu, F, xin, F, kernel, Gu, Z, Gu, false);
  if (bias)
    for (std::size_t r = 0; r < rows; ++r)
      for (int j = 0; j < Gu; ++j) Z[r * Gu + j] += bias[j];
  const T* recurrent_bias = gru && s.reset_after && bias ? bias + Gu : nullptr;
  const int ld = S * Gu, ldu = S * u;  // row strides of one step's slice
  std::vector<T> hd(static_cast<std::size_t>(N) * u), inner(static_cast<std::size_t>(N) * Gu);
  const int out_seq = s.return_sequences ? S * u : u, stride = s.output_size();
  for (int step = 0; step < S; ++step) {
    const int t = s.go_backwards ? S - 1 - step : step;
    T* zt = Z + static_cast<std::size_t>(t) * Gu;
    T* at = tape.gates.data() + static_cast<std::size_t>(t) * Gu;
    T* hp = tape.h_prev.data() + static_cast<std::size_t>(t) * u;
    for (int n = 0; n < N; ++n) std::copy_n(&tape.h[n * u], u, hp + static_cast<std::size_t>(n) * ldu);
    for (int n = 0; n < N; ++n)
      for (int j = 0; j < u; ++j) hd[n * u + j] = tape.h[n * u + j] * (state_keep ? state_keep[n * u + j] : T(1));
    auto zrow = [&](int n, int gate) { return zt + static_cast<std::size_t>(n) * ld + gate * u; };
    auto arow = [&](int n, int gate) { return at + static_cast<std::size_t>(n) * ld + gate * u; };
    if (gru && !s.reset_after) {
      matmul<T>(false, false, N, 2 * u, u, hd.data(), u, recurrent, Gu, zt, ld, true);
    } else if (gru) {
      matmul<T>(false, false, N, Gu, u, hd.data(), u, recurrent, Gu, inner.data(), Gu, false);
      for (int n = 0; n < N; ++n)
        for (int j = 0; j < Gu; ++j) {
          inner[n * Gu + j] += recurrent_bias ? recurrent_bias[j] : T(0);
          if (j < 2 * u) zt[static_cast<std::size_t>(n) * ld + j] += inner[n * Gu + j];
        }
    } else {
      matmul<T>(false, false, N, Gu, u, hd.data(), u, recurrent, Gu, zt, ld, true);
    }
    for (int n = 0; n < N; ++n) {
      T* h = &tape.h[n * u];
      const bool real = !step_mask || step_mask[static_cast<std::size_t>(n) * S + t] != T(0);
      if (s.kind == CellKind::simple_rnn) {
        activation_forward(s.activation, zrow(n, 0), arow(n, 0), 1, u);
        if (real) std::copy_n(arow(n, 0), u, h);
      } else if (lstm) {
        for (int g : {0, 1, 3}) activation_forward(s.recurrent_activation, zrow(n, g), arow(n, g), 1, u);
        activation_forward(s.activation, zrow(n, 2), arow(n, 2), 1, u);
        T* c = &tape.c[n * u];
        T* cp = tape.c_prev.data() + static_cast<std::size_t>(n) * ldu + static_cast<std::size_t>(t) * u;
        T* ca = tape.c_act.data() + static_cast<std::size_t>(n) * ldu + static_cast<std::size_t>(t) * u;
        std::copy_n(c, u, cp);
        for (int j = 0; j < u; ++j) ca[j] = arow(n, 1)[j] * cp[j] + arow(n, 0)[j] * arow(n, 2)[j];
        if (real) std::copy_n(ca, u, c);
        activation_forward(s.activation, ca, ca, 1, u);
        if (real)
          for (int j = 0; j < u; ++j) h[j] = arow(n, 3)[j] * ca[j];
      } else {
        for (int g : {0, 1}) activation_forward(s.recurrent_activation, zrow(n, g), arow(n, g), 1, u);
        T* e = tape.extra.data() + static_cast<std::size_t>(n) * ldu + static_cast<std::size_t>(t) * u;
        const T* r = arow(n, 1);
        if (!s.reset_after) {
          // The candidate's recurrent product needs r * h of every row: below, per step.
          for (int j = 0; j < u; ++j) e[j] = r[j] * hd[n * u + j];
          continue;
        }
        std::copy_n(&inner[n * Gu + 2 * u], u, e);
        for (int j = 0; j < u; ++j) zrow(n, 2)[j] += r[j] * e[j];
        activation_forward(s.activation, zrow(n, 2), arow(n, 2), 1, u);
        if (real)
          for (int j = 0; j < u; ++j) h[j] = arow(n, 0)[j] * h[j] + (T(1) - arow(n, 0)[j]) * arow(n, 2)[j];
      }
    }
    if (gru && !s.reset_after) {
      // (r * h) R_h into the candidate's slice, then its activation and the new state.
      matmul<T>(false, false, N, u, u, tape.extra.data() + static_cast<std::size_t>(t) * u, ldu, recurrent + 2 * u, Gu,
                zt + 2 * u, ld, true);
      for (int n = 0; n < N; ++n) {
        activation_forward(s.activation, zrow(n, 2), arow(n, 2), 1, u);
        const bool real = !step_mask || step_mask[static_cast<std::size_t>(n) * S + t] != T(0);
        T* h = &tape.h[n * u];
        if (real)
          for (int j = 0; j < u; ++j) h[j] = arow(n, 0)[j] * h[j] + (T(1) - arow(n, 0)[j]) * arow(n, 2)[j];
      }
    }
    if (s.return_sequences)
      for (int n = 0; n < N; ++n) std::copy_n(&tape.h[n * u], u, y + static_cast<std::size_t>(n) * stride + step * u);
  }
  for (int n = 0; n < N; ++n) {
    T* out = y + static_cast<std::size_t>(n) * stride;
    if (!s.return_sequences) std::copy_n(&tape.h[n * u], u, out);
    if (s.return_state) {
      std::copy_n(&tape.h[n * u], u, out + out_seq);
      if (lstm) std::copy_n(&tape.c[n * u], u, out + out_seq + u);
    }
  }
}

// dy: (N, output_size()) -> dx: (N, T, F) unless null; dkernel, drecurrent, dbias (shaped
// as the weights; dbias may be null without bias) written, or added to with accumulate;
// dh0 (and dc0), (N, u), the gradients of the initial states, written unless null.
// tape: the forward's, whose z is overwritten with the gates' gradients.
template <typename T>
void recurrent_backward(const RecurrentSpec& s, const T* x, const T* kernel, const T* recurrent, const T* step_mask,
                        const T* input_keep, const T* state_keep, const T* dy, RecurrentTape<T>& tape, T* dx,
                        T* dkernel, T* drecurrent, T* dbias, bool accumulate, T* dh0 = nullptr, T* dc0 = nullptr) {
  const int N = s.n, S = s.steps, F = s.features, u = s.units, G = s.gates(), Gu = G * u;
  const std::size_t rows = static_cast<std::size_t>(N) * S;
  const bool lstm = s.kind == CellKind::lstm, gru = s.kind == CellKind::gru;
  const int ld = S * Gu, ldu = S * u, out_seq = s.return_sequences ? S * u : u, stride = s.output_size();
  std::vector<T>& dz = tape.z;  // the pre-activations are not needed any more
  std::vector<T> dinner;        // GRU reset_after: gradient of h R + b' per step, (N, T, 3u)
  if (gru && s.reset_after) dinner.assign(rows * Gu, T(0));
  std::vector<T> dh(static_cast<std::size_t>(N) * u, T(0)), dc(lstm ? dh.size() : 0, T(0));
  std::vector<T> dhd(dh.size()), tmp(dh.size());
  for (int n = 0; n < N; ++n) {
    const T* g = dy + static_cast<std::size_t>(n) * stride;
    if (!s.return_sequences) std::copy_n(g, u, &dh[n * u]);
    if (s.return_state) {
      for (int j = 0; j < u; ++j) dh[n * u + j] += g[out_seq + j];
      if (lstm) std::copy_n(g + out_seq + u, u, &dc[n * u]);
    }
  }
  for (int step = S - 1; step >= 0; --step) {
    const int t = s.go_backwards ? S - 1 - step : step;
    T* dzt = dz.data() + static_cast<std::size_t>(t) * Gu;
    const T* at = tape.gates.data() + static_cast<std::size_t>(t) * Gu;
    auto drow = [&](int n, int gate) { return dzt + static_cast<std::size_t>(n) * ld + gate * u; };
    auto arow = [&](int n, int gate) { return at + static_cast<std::size_t>(n) * ld + gate * u; };
    auto at_t = [&](const std::vector<T>& v, int n) { return v.data() + static_cast<std::size_t>(n) * ldu + t * u; };
    std::fill(dhd.begin(), dhd.end(), T(0));
    for (int n = 0; n < N; ++n) {
      T* dhn = &dh[n * u];
      if (s.return_sequences) {
        const T* g = dy + static_cast<std::size_t>(n) * stride + step * u;
        for (int j = 0; j < u; ++j) dhn[j] += g[j];
      }
      const bool real = !step_mask || step_mask[static_cast<std::size_t>(n) * S + t] != T(0);
      if (!real) {
        // The state passed through unchanged: its gradient goes on to the step before.
        std::fill_n(drow(n, 0), Gu, T(0));
        if (gru && s.reset_after) std::fill_n(&dinner[(static_cast<std::size_t>(n) * S + t) * Gu], Gu, T(0));
        continue;
      }
      if (s.kind == CellKind::simple_rnn) {
        activation_backward(s.activation, arow(n, 0), dhn, drow(n, 0), 1, u);
        std::fill_n(dhn, u, T(0));
      } else if (lstm) {
        const T* ca = at_t(tape.c_act, n);
        const T* cp = at_t(tape.c_prev, n);
        T* dcn = &dc[n * u];
        for (int j = 0; j < u; ++j) drow(n, 3)[j] = dhn[j] * ca[j];
        for (int j = 0; j < u; ++j) tmp[n * u + j] = dhn[j] * arow(n, 3)[j];
        activation_backward(s.activation, ca, &tmp[n * u], &tmp[n * u], 1, u);
        for (int j = 0; j < u; ++j) {
          dcn[j] += tmp[n * u + j];
          drow(n, 0)[j] = dcn[j] * arow(n, 2)[j];
          drow(n, 1)[j] = dcn[j] * cp[j];
          drow(n, 2)[j] = dcn[j] * arow(n, 0)[j];
          dcn[j] *= arow(n, 1)[j];
        }
        for (int g : {0, 1, 3}) activation_backward(s.recurrent_activation, arow(n, g), drow(n, g), drow(n, g), 1, u);
        activation_backward(s.activation, arow(n, 2), drow(n, 2), drow(n, 2), 1, u);
        std::fill_n(dhn, u, T(0));
      } else {
        const T* hp = at_t(tape.h_prev, n);
        const T* zg = arow(n, 0);
        const T* hh = arow(n, 2);
        for (int j = 0; j < u; ++j) {
          drow(n, 0)[j] = dhn[j] * (hp[j] - hh[j]);
          drow(n, 2)[j] = dhn[j] * (T(1) - zg[j]);
          dhn[j] *= zg[j];  // the direct path z * h
        }
        activation_backward(s.activation, hh, drow(n, 2), drow(n, 2), 1, u);
        if (!s.reset_after) continue;  // r's gradient needs (r * h)'s, a product over every row: below
        const T* r = arow(n, 1);
        const T* e = at_t(tape.extra, n);
        T* di = &dinner[(static_cast<std::size_t>(n) * S + t) * Gu];
        for (int j = 0; j < u; ++j) {
          drow(n, 1)[j] = drow(n, 2)[j] * e[j];
          di[2 * u + j] = drow(n, 2)[j] * r[j];
        }
        for (int g : {0, 1}) activation_backward(s.recurrent_activation, arow(n, g), drow(n, g), drow(n, g), 1, u);
        std::copy_n(drow(n, 0), 2 * u, di);
      }
    }
    if (gru && !s.reset_after) {
      // d(r * h) = dz_h R_h^T for every row at once (padded rows' dz_h are 0), then r's
      // gradient and the path through r * h to the state.
      matmul<T>(false, true, N, u, u, dzt + 2 * u, ld, recurrent + 2 * u, Gu, tmp.data(), u, false);
      for (int n = 0; n < N; ++n) {
        if (step_mask && step_mask[static_cast<std::size_t>(n) * S + t] == T(0)) continue;
        const T* hp = at_t(tape.h_prev, n);
        const T* r = arow(n, 1);
        for (int j = 0; j < u; ++j) {
          const T keep = state_keep ? state_keep[n * u + j] : T(1);
          drow(n, 1)[j] = tmp[n * u + j] * hp[j] * keep;
          dhd[n * u + j] += tmp[n * u + j] * r[j];
        }
        for (int g : {0, 1}) activation_backward(s.recurrent_activation, arow(n, g), drow(n, g), drow(n, g), 1, u);
      }
    }
    // The recurrent product's gradient to the state this step started from.
    if (gru && s.reset_after)
      matmul<T>(false, true, N, u, Gu, dinner.data() + static_cast<std::size_t>(t) * Gu, ld, recurrent, Gu, dhd.data(),
                u, true);
    else
      matmul<T>(false, true, N, u, gru ? 2 * u : Gu, dzt, ld, recurrent, Gu, dhd.data(), u, true);
    for (int n = 0; n < N; ++n) {
      const bool real = !step_mask || step_mask[static_cast<std::size_t>(n) * S + t] != T(0);
      if (!real) continue;
      for (int j = 0; j < u; ++j) dh[n * u + j] += dhd[n * u + j] * (state_keep ? state_keep[n * u + j] : T(1));
    }
  }
  // What is left of the states' gradients is that of the states the first step started from.
  if (dh0) std::copy(dh.begin(), dh.end(), dh0);
  if (dc0 && lstm) std::copy(dc.begin(), dc.end(), dc0);
  // The weights' gradients, one product each over every step at once.
  const T* xin = tape.x.empty() ? x : tape.x.data();
  const int R = static_cast<int>(rows);
  matmul<T>(true, false, F, Gu, R, xin, F, dz.data(), Gu, dkernel, Gu, accumulate);
  std::vector<T> hd;  // the states as the recurrent product saw them (after recurrent dropout)
  const T* hs = tape.h_prev.data();
  if (state_keep) {
    hd = tape.h_prev;
    for (std::size_t r = 0; r < rows; ++r)
      for (int j = 0; j < u; ++j) hd[r * u + j] *= state_keep[(r / S) * u + j];
    hs = hd.data();
  }
  if (gru && s.reset_after) {
    matmul<T>(true, false, u, Gu, R, hs, u, dinner.data(), Gu, drecurrent, Gu, accumulate);
  } else if (gru) {
    matmul<T>(true, false, u, 2 * u, R, hs, u, dz.data(), Gu, drecurrent, Gu, accumulate);
    matmul<T>(true, false, u, u, R, tape.extra.data(), u, dz.data() + 2 * u, Gu, drecurrent + 2 * u, Gu, accumulate);
  } else {
    matmul<T>(true, false, u, Gu, R, hs, u, dz.data(), Gu, drecurrent, Gu, accumulate);
  }
  if (dbias) {
    const int width = gru && s.reset_after ? 2 * Gu : Gu;
    if (!accumulate) std::fill(dbias, dbias + width, T(0));
    for (std::size_t r = 0; r < rows; ++r)
      for (int j = 0; j < Gu; ++j) dbias[j] += dz[r * Gu + j];
    if (gru && s.reset_after)
      for (std::size_t r = 0; r < rows; ++r)
        for (int j = 0; j < Gu; ++j) dbias[Gu + j] += dinner[r * Gu + j];
  }
  if (dx) {
    matmul<T>(false, true, R, F, Gu, dz.data(), Gu, kernel, Gu, dx, F, false);
    if (input_keep)
      for (std::size_t r = 0; r < rows; ++r)
        for (int f = 0; f < F; ++f) dx[r * F + f] *= input_keep[(r / S) * F + f];
  }
}

}  // namespace dl
