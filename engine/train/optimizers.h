// Optimizers with Keras' update rules and default hyperparameters. Each rule is a plain
// function over one parameter's values, gradient and state ("slots"); the Optimizer class
// keeps the slots per parameter and the step count.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "layers/layer.h"

namespace dl {

enum class OptimizerKind { sgd, adam, rmsprop, adagrad, adadelta };

struct OptimizerConfig {
  OptimizerKind kind = OptimizerKind::sgd;
  float learning_rate = 0.01f;
  float momentum = 0.0f;                   // sgd, rmsprop
  bool nesterov = false;                   // sgd
  float beta_1 = 0.9f;                     // adam
  float beta_2 = 0.999f;                   // adam
  float rho = 0.9f;                        // rmsprop (0.9), adadelta (0.95)
  float epsilon = 1e-7f;                   // all but sgd
  float initial_accumulator_value = 0.1f;  // adagrad
};

// Keras' defaults for each optimizer: sgd 0.01, adam/rmsprop/adagrad/adadelta 0.001.
OptimizerConfig optimizer_defaults(OptimizerKind kind);
OptimizerKind optimizer_from_name(const std::string& name, const std::string& where);
const char* optimizer_name(OptimizerKind kind);
std::vector<std::string> optimizer_names();
// Throws naming the hyperparameter when a value is out of its range.
void check_optimizer_config(const OptimizerConfig& config);

// v <- momentum v - lr g;  w <- w + v  (nesterov: w <- w + momentum v - lr g)
void sgd_update(float* w, const float* g, float* velocity, std::size_t n, const OptimizerConfig& c);
// m <- m + (1-b1)(g-m);  v <- v + (1-b2)(g^2-v);  w <- w - lr sqrt(1-b2^t)/(1-b1^t) m / (sqrt(v)+eps)
void adam_update(float* w, const float* g, float* m, float* v, std::size_t n, const OptimizerConfig& c, long t);
// a <- rho a + (1-rho) g^2;  w <- w - lr g / (sqrt(a)+eps)   (with momentum: through a velocity)
void rmsprop_update(float* w, const float* g, float* a, float* velocity, std::size_t n, const OptimizerConfig& c);
// a <- a + g^2;  w <- w - lr g / (sqrt(a)+eps)
void adagrad_update(float* w, const float* g, float* a, std::size_t n, const OptimizerConfig& c);
// a <- rho a + (1-rho) g^2;  d <- sqrt(b+eps)/sqrt(a+eps) g;  b <- rho b + (1-rho) d^2;  w <- w - lr d
void adadelta_update(float* w, const float* g, float* a, float* b, std::size_t n, const OptimizerConfig& c);

class Optimizer {
 public:
  explicit Optimizer(const OptimizerConfig& config);
  // One update of every parameter from its gradient. The parameter list must be the
  // same, in the same order, at every call.
  void step(const std::vector<Parameter>& parameters);
  long iterations() const { return iterations_; }
  // Forgets the state (moments, accumulators, step count), as a new optimizer would.
  void reset() {
    iterations_ = 0;
    slot_a_.clear();
    slot_b_.clear();
  }

  OptimizerConfig config;  // hyperparameters may change between steps

 private:
  long iterations_ = 0;
  std::vector<std::vector<float>> slot_a_, slot_b_;
};

}  // namespace dl
