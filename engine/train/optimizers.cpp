// Optimizer update rules. Formulas follow Keras' current optimizers (epsilon outside the
// square root for adam, rmsprop and adagrad; inside for adadelta).
#include "train/optimizers.h"

#include <cctype>
#include <cmath>

#include "core/error.h"
#include "core/names.h"
#include "core/show.h"
#include "core/simd.h"

namespace dl {

namespace {
const Named<OptimizerKind> kOptimizers[] = {
    {"sgd", OptimizerKind::sgd},         {"adam", OptimizerKind::adam},         {"rmsprop", OptimizerKind::rmsprop},
    {"adagrad", OptimizerKind::adagrad}, {"adadelta", OptimizerKind::adadelta},
};
}  // namespace

// Case does not matter ("Adam", "adam"), as in Keras.
OptimizerKind optimizer_from_name(const std::string& name, const std::string& where) {
  std::string lower;
  for (char ch : name) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return kind_from_name(kOptimizers, lower, where, "optimizer");
}

const char* optimizer_name(OptimizerKind kind) { return name_of_kind(kOptimizers, kind); }
std::vector<std::string> optimizer_names() { return names_of(kOptimizers); }

OptimizerConfig optimizer_defaults(OptimizerKind kind) {
  OptimizerConfig c;
  c.kind = kind;
  c.learning_rate = kind == OptimizerKind::sgd ? 0.01f : 0.001f;
  c.rho = kind == OptimizerKind::adadelta ? 0.95f : 0.9f;
  return c;
}

void check_optimizer_config(const OptimizerConfig& c) {
  const char* name = optimizer_name(c.kind);
  auto finite = [](float v) { return std::isfinite(v); };
  if (!finite(c.learning_rate) || c.learning_rate < 0.0f)
    fail("optimizer ", name, ": learningRate must be a finite number >= 0; got ", show(c.learning_rate));
  if (!finite(c.momentum) || c.momentum < 0.0f || c.momentum >= 1.0f)
    fail("optimizer ", name, ": momentum must be in [0, 1); got ", show(c.momentum));
  if (!(c.beta_1 >= 0.0f && c.beta_1 < 1.0f))
    fail("optimizer ", name, ": beta1 must be in [0, 1); got ", show(c.beta_1));
  if (!(c.beta_2 >= 0.0f && c.beta_2 < 1.0f))
    fail("optimizer ", name, ": beta2 must be in [0, 1); got ", show(c.beta_2));
  if (!(c.rho >= 0.0f && c.rho < 1.0f)) fail("optimizer ", name, ": rho must be in [0, 1); got ", show(c.rho));
  if (!finite(c.epsilon) || c.epsilon <= 0.0f) fail("optimizer ", name, ": epsilon must be > 0; got ", show(c.epsilon));
  if (!finite(c.initial_accumulator_value) || c.initial_accumulator_value < 0.0f)
    fail("optimizer ", name, ": initialAccumulatorValue must be >= 0; got ", show(c.initial_accumulator_value));
}

// Each rule runs four lanes at a time (simd.h) and finishes the last n % 4 values one by
// one with the same arithmetic.

void sgd_update(float* w, const float* g, float* velocity, std::size_t n, const OptimizerConfig& c) {
  using namespace simd;
  const float lr = c.learning_rate, mu = c.momentum;
  std::size_t i = 0;
  if (mu == 0.0f) {
    const f32x4 vlr = splat(lr);
    for (; i + 4 <= n; i += 4) store(w + i, sub(load(w + i), mul(vlr, load(g + i))));
    for (; i < n; ++i) w[i] -= lr * g[i];
    return;
  }
  const f32x4 vlr = splat(lr), vmu = splat(mu);
  for (; i + 4 <= n; i += 4) {
    const f32x4 step = mul(vlr, load(g + i));
    const f32x4 v = sub(mul(vmu, load(velocity + i)), step);
    store(velocity + i, v);
    store(w + i, add(load(w + i), c.nesterov ? sub(mul(vmu, v), step) : v));
  }
  for (; i < n; ++i) {
    velocity[i] = mu * velocity[i] - lr * g[i];
    w[i] += c.nesterov ? mu * velocity[i] - lr * g[i] : velocity[i];
  }
}

void adam_update(float* w, const float* g, float* m, float* v, std::size_t n, const OptimizerConfig& c, long t) {
  using namespace simd;
  const double b1 = c.beta_1, b2 = c.beta_2;
  const float alpha = static_cast<float>(c.learning_rate * std::sqrt(1.0 - std::pow(b2, t)) / (1.0 - std::pow(b1, t)));
  const float one_minus_b1 = 1.0f - c.beta_1, one_minus_b2 = 1.0f - c.beta_2;
  const f32x4 va = splat(alpha), vb1 = splat(one_minus_b1), vb2 = splat(one_minus_b2), veps = splat(c.epsilon);
  std::size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    const f32x4 gi = load(g + i);
    const f32x4 mi = add(load(m + i), mul(sub(gi, load(m + i)), vb1));
    const f32x4 vi = add(load(v + i), mul(sub(mul(gi, gi), load(v + i)), vb2));
    store(m + i, mi);
    store(v + i, vi);
    store(w + i, sub(load(w + i), div(mul(va, mi), add(sqrt(vi), veps))));
  }
  for (; i < n; ++i) {
    m[i] += (g[i] - m[i]) * one_minus_b1;
    v[i] += (g[i] * g[i] - v[i]) * one_minus_b2;
    w[i] -= alpha * m[i] / (std::sqrt(v[i]) + c.epsilon);
  }
}

void rmsprop_update(float* w, const float* g, float* a, float* velocity, std::size_t n, const OptimizerConfig& c) {
  using namespace simd;
  const float rho = c.rho, lr = c.learning_rate;
  const f32x4 vrho = splat(rho), vone_rho = splat(1.0f - rho), vlr = splat(lr), veps = splat(c.epsilon),
              vmu = splat(c.momentum);
  std::size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    const f32x4 gi = load(g + i);
    const f32x4 ai = add(mul(vrho, load(a + i)), mul(vone_rho, mul(gi, gi)));
    store(a + i, ai);
    f32x4 step = div(mul(vlr, gi), add(sqrt(ai), veps));
    if (c.momentum > 0.0f) {
      step = add(mul(vmu, load(velocity + i)), step);
      store(velocity + i, step);
    }
    store(w + i, sub(load(w + i), step));
  }
  for (; i < n; ++i) {
    a[i] = rho * a[i] + (1.0f - rho) * g[i] * g[i];
    float step = lr * g[i] / (std::sqrt(a[i]) + c.epsilon);
    if (c.momentum > 0.0f) {
      velocity[i] = c.momentum * velocity[i] + step;
      step = velocity[i];
    }
    w[i] -= step;
  }
}

void adagrad_update(float* w, const float* g, float* a, std::size_t n, const OptimizerConfig& c) {
  using namespace simd;
  const f32x4 vlr = splat(c.learning_rate), veps = splat(c.epsilon);
  std::size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    const f32x4 gi = load(g + i);
    const f32x4 ai = add(load(a + i), mul(gi, gi));
    store(a + i, ai);
    store(w + i, sub(load(w + i), div(mul(vlr, gi), add(sqrt(ai), veps))));
  }
  for (; i < n; ++i) {
    a[i] += g[i] * g[i];
    w[i] -= c.learning_rate * g[i] / (std::sqrt(a[i]) + c.epsilon);
  }
}

void adadelta_update(float* w, const float* g, float* a, float* b, std::size_t n, const OptimizerConfig& c) {
  using namespace simd;
  const float rho = c.rho, eps = c.epsilon;
  const f32x4 vrho = splat(rho), vone_rho = splat(1.0f - rho), veps = splat(eps), vlr = splat(c.learning_rate);
  std::size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    const f32x4 gi = load(g + i);
    const f32x4 ai = add(mul(vrho, load(a + i)), mul(vone_rho, mul(gi, gi)));
    store(a + i, ai);
    const f32x4 delta = mul(div(sqrt(add(load(b + i), veps)), sqrt(add(ai, veps))), gi);
    store(b + i, add(mul(vrho, load(b + i)), mul(vone_rho, mul(delta, delta))));
    store(w + i, sub(load(w + i), mul(vlr, delta)));
  }
  for (; i < n; ++i) {
    a[i] = rho * a[i] + (1.0f - rho) * g[i] * g[i];
    float delta = std::sqrt(b[i] + eps) / std::sqrt(a[i] + eps) * g[i];
    b[i] = rho * b[i] + (1.0f - rho) * delta * delta;
    w[i] -= c.learning_rate * delta;
  }
}

Optimizer::Optimizer(const OptimizerConfig& c) : config(c) { check_optimizer_config(c); }

void Optimizer::step(const std::vector<Parameter>& parameters) {
  if (slot_a_.size() != parameters.size()) {
    slot_a_.assign(parameters.size(), {});
    slot_b_.assign(parameters.size(), {});
    for (std::size_t k = 0; k < parameters.size(); ++k) {
      std::size_t n = parameters[k].value->size();
      float a0 = config.kind == OptimizerKind::adagrad ? config.initial_accumulator_value : 0.0f;
      slot_a_[k].assign(n, a0);
      slot_b_[k].assign(n, 0.0f);
    }
  }
  ++iterations_;
  for (std::size_t k = 0; k < parameters.size(); ++k) {
    float* w = parameters[k].value->data();
    const float* g = parameters[k].grad->data();
    const std::size_t n = parameters[k].value->size();
    float* a = slot_a_[k].data();
    float* b = slot_b_[k].data();
    switch (config.kind) {
      case OptimizerKind::sgd: sgd_update(w, g, a, n, config); break;
      case OptimizerKind::adam: adam_update(w, g, a, b, n, config, iterations_); break;
      case OptimizerKind::rmsprop: rmsprop_update(w, g, a, b, n, config); break;
      case OptimizerKind::adagrad: adagrad_update(w, g, a, n, config); break;
      case OptimizerKind::adadelta: adadelta_update(w, g, a, b, n, config); break;
    }
    apply_constraint(parameters[k].constraint, *parameters[k].value);
  }
}

}  // namespace dl
