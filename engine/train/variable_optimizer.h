// An optimizer for named variables, as the core API's optimizer.minimize and
// applyGradients use one: each call updates any subset of the variables, each variable
// keeping its own state (moments, accumulators, step count), found by its name. The
// update rules are the model optimizers' (optimizers.h).
#pragma once

#include <map>
#include <string>

#include "core/error.h"
#include "core/show.h"
#include "ops/broadcast.h"
#include "train/optimizers.h"

namespace dl {

class VariableOptimizer {
 public:
  explicit VariableOptimizer(const OptimizerConfig& config) : config(config) {}

  // value <- the rule's update of value by grad (of value's shape).
  void step(const std::string& name, Tensor& value, Tensor& grad) {
    if (grad.shape() != value.shape())
      fail("applyGradients: the gradient of ", show(name), " has shape ", ops::json_list(grad.shape()),
           "; the variable's shape is ", ops::json_list(value.shape()));
    auto found = state_.find(name);
    // A variable of the same name but another shape starts afresh.
    if (found != state_.end() && found->second.shape != value.shape()) state_.erase(found);
    auto& s = state_.try_emplace(name, State{Optimizer(config), value.shape()}).first->second;
    s.optimizer.config = config;
    s.optimizer.step({Parameter{name, &value, &grad, {}, true}});
  }

  // Forgets the state of every variable (a new optimizer would).
  void reset() { state_.clear(); }

  OptimizerConfig config;  // the learning rate may change between steps

 private:
  struct State {
    Optimizer optimizer;
    std::vector<int> shape;
  };
  std::map<std::string, State> state_;
};

}  // namespace dl
