// The recurrent kernels (kernels/recurrent.h): central-difference gradient checks in double
// precision for SimpleRNN, LSTM and GRU (both reset conventions) over 1, 2 and 17 steps,
// returning sequences or not, backwards, with padded steps, states and dropout multipliers;
// and the float path (sgemm) held to the double one (plain loops) on awkward sizes.
#include <doctest/doctest.h>

#include <cmath>
#include <string>

#include "../gradient_check.h"
#include "kernels/recurrent.h"

using check::expect_gradient;
using dl::CellKind;

namespace {

struct Case {
  CellKind kind = CellKind::lstm;
  bool reset_after = false, return_sequences = false, go_backwards = false, return_state = false;
  bool use_bias = true, masked = false, dropout = false, initial = false;
  int n = 2, steps = 3, features = 3, units = 4;
  dl::ActivationKind recurrent_activation = dl::ActivationKind::sigmoid;
};

std::string describe(const Case& c) {
  const char* kinds[] = {"SimpleRNN", "LSTM", "GRU"};
  std::string s = kinds[static_cast<int>(c.kind)];
  if (c.kind == CellKind::gru) s += c.reset_after ? " reset_after" : " reset_before";
  s += " steps " + std::to_string(c.steps);
  if (c.return_sequences) s += " sequences";
  if (c.go_backwards) s += " backwards";
  if (c.return_state) s += " states";
  if (c.masked) s += " masked";
  if (c.dropout) s += " dropout";
  if (!c.use_bias) s += " no bias";
  if (c.initial) s += " initial states";
  return s;
}

dl::RecurrentSpec spec_of(const Case& c) {
  dl::RecurrentSpec s;
  s.kind = c.kind;
  s.recurrent_activation = c.recurrent_activation;
  s.reset_after = c.reset_after;
  s.go_backwards = c.go_backwards;
  s.return_sequences = c.return_sequences;
  s.return_state = c.return_state;
  s.n = c.n;
  s.steps = c.steps;
  s.features = c.features;
  s.units = c.units;
  return s;
}

// Every value one run needs, drawn from one seed.
template <typename T>
struct Values {
  std::vector<T> x, kernel, recurrent, bias, mask, input_keep, state_keep, h0, c0;
};

Values<double> draw(const Case& c, std::uint64_t seed) {
  dl::Rng rng(seed);
  const int Gu = dl::gate_count(c.kind) * c.units;
  Values<double> v;
  v.x = check::random_values(static_cast<std::size_t>(c.n) * c.steps * c.features, rng);
  v.kernel = check::random_values(static_cast<std::size_t>(c.features) * Gu, rng, -0.6, 0.6);
  v.recurrent = check::random_values(static_cast<std::size_t>(c.units) * Gu, rng, -0.6, 0.6);
  if (c.use_bias)
    v.bias = check::random_values(Gu * (c.kind == CellKind::gru && c.reset_after ? 2 : 1), rng, -0.3, 0.3);
  if (c.masked) {
    // Row 0 padded at its end, row 1 (when there is one) at its start and in the middle.
    v.mask.assign(static_cast<std::size_t>(c.n) * c.steps, 1.0);
    for (int t = 0; t < c.steps; ++t) {
      if (c.steps > 1 && t >= c.steps - c.steps / 3 - 1) v.mask[t] = 0;
      if (c.n > 1 && (t == 0 || t == c.steps / 2)) v.mask[c.steps + t] = 0;
    }
  }
  if (c.dropout) {
    v.input_keep.resize(static_cast<std::size_t>(c.n) * c.features);
    v.state_keep.resize(static_cast<std::size_t>(c.n) * c.units);
    for (double& k : v.input_keep) k = rng.uniform() < 0.3 ? 0.0 : 1.0 / 0.7;
    for (double& k : v.state_keep) k = rng.uniform() < 0.3 ? 0.0 : 1.0 / 0.7;
  }
  if (c.initial) {
    v.h0 = check::random_values(static_cast<std::size_t>(c.n) * c.units, rng);
    if (c.kind == CellKind::lstm) v.c0 = check::random_values(static_cast<std::size_t>(c.n) * c.units, rng);
  }
  return v;
}

template <typename T>
const T* or_null(const std::vector<T>& v) {
  return v.empty() ? nullptr : v.data();
}

template <typename T>
std::vector<T> run_forward(const dl::RecurrentSpec& s, const Values<T>& v, dl::RecurrentTape<T>& tape) {
  std::vector<T> y(static_cast<std::size_t>(s.n) * s.output_size());
  dl::recurrent_forward<T>(s, v.x.data(), v.kernel.data(), v.recurrent.data(), or_null(v.bias), or_null(v.mask),
                           or_null(v.input_keep), or_null(v.state_keep), y.data(), tape, or_null(v.h0), or_null(v.c0));
  return y;
}

template <typename T>
struct Gradients {
  std::vector<T> dx, dkernel, drecurrent, dbias, dh0, dc0;
};

template <typename T>
Gradients<T> run_backward(const dl::RecurrentSpec& s, const Values<T>& v, dl::RecurrentTape<T>& tape,
                          const std::vector<T>& dy) {
  Gradients<T> g;
  g.dx.resize(v.x.size());
  g.dkernel.resize(v.kernel.size());
  g.drecurrent.resize(v.recurrent.size());
  g.dbias.resize(v.bias.size());
  g.dh0.assign(v.h0.size(), T(42));  // (written, not added to)
  g.dc0.assign(v.c0.size(), T(42));
  dl::recurrent_backward<T>(s, v.x.data(), v.kernel.data(), v.recurrent.data(), or_null(v.mask), or_null(v.input_keep),
                            or_null(v.state_keep), dy.data(), tape, g.dx.data(), g.dkernel.data(), g.drecurrent.data(),
                            g.dbias.empty() ? nullptr : g.dbias.data(), false, g.dh0.empty() ? nullptr : g.dh0.data(),
                            g.dc0.empty() ? nullptr : g.dc0.data());
  return g;
}

void check_gradients(const Case& c) {
  INFO(describe(c));
  const dl::RecurrentSpec s = spec_of(c);
  Values<double> v = draw(c, 7 + c.steps);
  dl::Rng rng(99);
  const auto r = check::random_values(static_cast<std::size_t>(c.n) * s.output_size(), rng);
  auto loss = [&] {
    dl::RecurrentTape<double> tape;
    return check::dot(run_forward(s, v, tape), r);
  };
  dl::RecurrentTape<double> tape;
  run_forward(s, v, tape);
  const Gradients<double> g = run_backward(s, v, tape, r);
  expect_gradient("dx", v.x, g.dx, loss);
  expect_gradient("dkernel", v.kernel, g.dkernel, loss);
  expect_gradient("drecurrent_kernel", v.recurrent, g.drecurrent, loss);
  if (c.use_bias) expect_gradient("dbias", v.bias, g.dbias, loss);
  if (c.initial) expect_gradient("dh0", v.h0, g.dh0, loss);
  if (c.initial && c.kind == CellKind::lstm) expect_gradient("dc0", v.c0, g.dc0, loss);
  if (c.masked) {
    // A padded step's input reaches nothing.
    for (int n = 0; n < c.n; ++n)
      for (int t = 0; t < c.steps; ++t)
        if (v.mask[static_cast<std::size_t>(n) * c.steps + t] == 0)
          for (int f = 0; f < c.features; ++f)
            CHECK(g.dx[(static_cast<std::size_t>(n) * c.steps + t) * c.features + f] == 0.0);
  }
}

std::vector<Case> cells() {
  std::vector<Case> out;
  for (CellKind kind : {CellKind::simple_rnn, CellKind::lstm, CellKind::gru})
    for (bool reset_after : {false, true}) {
      if (reset_after && kind != CellKind::gru) continue;
      Case c;
      c.kind = kind;
      c.reset_after = reset_after;
      out.push_back(c);
    }
  return out;
}

}  // namespace

TEST_CASE("recurrent gradients match central differences over 1, 2 and 17 steps, sequences or the last output") {
  for (Case c : cells())
    for (int steps : {1, 2, 17})
      for (bool sequences : {false, true}) {
        c.steps = steps;
        c.return_sequences = sequences;
        c.n = steps == 17 ? 2 : 3;
        check_gradients(c);
      }
}

TEST_CASE("recurrent gradients match central differences backwards, with padded steps, states and dropout") {
  for (Case c : cells()) {
    c.steps = 5;
    Case b = c;
    b.go_backwards = true;
    b.return_sequences = true;
    check_gradients(b);
    Case m = c;
    m.masked = true;
    m.return_sequences = true;
    check_gradients(m);
    m.go_backwards = true;
    m.return_sequences = false;
    m.return_state = true;
    check_gradients(m);
    Case d = c;
    d.dropout = true;
    d.return_state = true;
    d.use_bias = false;
    d.recurrent_activation = dl::ActivationKind::hard_sigmoid;
    check_gradients(d);
  }
}

TEST_CASE("initial states' gradients match central differences, with padding, dropout, states and backwards") {
  for (Case c : cells()) {
    c.initial = true;
    for (int steps : {1, 4}) {
      c.steps = steps;
      check_gradients(c);
    }
    Case m = c;
    m.masked = true;
    m.return_sequences = true;
    m.go_backwards = true;
    check_gradients(m);
    Case d = c;
    d.dropout = true;
    d.return_state = true;
    check_gradients(d);
  }
}

TEST_CASE("a padded step keeps the state, and its output repeats the previous one") {
  for (Case c : cells()) {
    c.steps = 6;
    c.masked = true;
    c.return_sequences = true;
    INFO(describe(c));
    const dl::RecurrentSpec s = spec_of(c);
    Values<double> v = draw(c, 3);
    dl::RecurrentTape<double> tape;
    const std::vector<double> y = run_forward(s, v, tape);
    const int u = c.units;
    for (int n = 0; n < c.n; ++n)
      for (int t = 0; t < c.steps; ++t) {
        if (v.mask[static_cast<std::size_t>(n) * c.steps + t] != 0) continue;
        for (int j = 0; j < u; ++j) {
          const double before = t == 0 ? 0.0 : y[(static_cast<std::size_t>(n) * c.steps + t - 1) * u + j];
          CHECK(y[(static_cast<std::size_t>(n) * c.steps + t) * u + j] == before);
        }
      }
  }
}

TEST_CASE("the float recurrent kernels (sgemm) agree with the double reference on awkward sizes") {
  for (Case c : cells())
    for (auto [n, steps, features, units] :
         {std::tuple{1, 1, 1, 1}, std::tuple{3, 7, 17, 7}, std::tuple{7, 3, 5, 17}, std::tuple{2, 17, 67, 3}}) {
      c.n = n;
      c.steps = steps;
      c.features = features;
      c.units = units;
      c.return_sequences = steps % 2 == 1;
      c.masked = n > 1;
      INFO(describe(c) << " n " << n << " features " << features << " units " << units);
      const dl::RecurrentSpec s = spec_of(c);
      const Values<double> v = draw(c, 5);
      Values<float> f;
      auto to_float = [](const std::vector<double>& d) { return std::vector<float>(d.begin(), d.end()); };
      f.x = to_float(v.x);
      f.kernel = to_float(v.kernel);
      f.recurrent = to_float(v.recurrent);
      f.bias = to_float(v.bias);
      f.mask = to_float(v.mask);
      dl::RecurrentTape<double> tape;
      dl::RecurrentTape<float> tape_f;
      const std::vector<double> y = run_forward(s, v, tape);
      const std::vector<float> yf = run_forward(s, f, tape_f);
      dl::Rng rng(4);
      const std::vector<double> dy = check::random_values(y.size(), rng);
      const Gradients<double> g = run_backward(s, v, tape, dy);
      const Gradients<float> gf = run_backward(s, f, tape_f, to_float(dy));
      auto close = [](const char* what, const auto& a, const auto& b) {
        REQUIRE(a.size() == b.size());
        for (std::size_t i = 0; i < a.size(); ++i) {
          INFO(what << "[" << i << "]: double " << a[i] << ", float " << b[i]);
          CHECK(std::abs(a[i] - b[i]) <= 1e-4 * std::max(1.0, std::abs(a[i])));
        }
      };
      close("y", y, yf);
      close("dx", g.dx, gf.dx);
      close("dkernel", g.dkernel, gf.dkernel);
      close("drecurrent_kernel", g.drecurrent, gf.drecurrent);
      close("dbias", g.dbias, gf.dbias);
    }
}
