// The optimizers with their options and defaults, and the models of the seed
// documents and of the tests.
#include <sstream>

#include "catalog/catalog.h"
#include "core/names.h"
#include "core/show.h"
#include "train/optimizers.h"
#include "train/schedule.h"

namespace dl {

namespace {

// Seven significant digits: a float's default reads back as written ("0.001", "1e-07").
std::string number_text(double v) {
  std::ostringstream out;
  out.precision(7);
  out << v;
  return out.str();
}

std::vector<OptimizerSpec> make_optimizers() {
  std::vector<OptimizerSpec> out;
  for (const std::string& name : optimizer_names()) {
    const OptimizerConfig d = optimizer_defaults(optimizer_from_name(name, "catalog"));
    static const char* const keras_classes[] = {"SGD", "Adam", "RMSprop", "Adagrad", "Adadelta"};
    static const char* const tfjs_classes[] = {"SGD", "Adam", "RMSProp", "Adagrad", "Adadelta"};
    const int k = static_cast<int>(d.kind);
    OptimizerSpec spec{name, keras_classes[k], tfjs_classes[k], {{"learningRate", number_text(d.learning_rate)}}, {}};
    auto add = [&](const char* option, double value) { spec.options.push_back({option, number_text(value)}); };
    switch (d.kind) {
      case OptimizerKind::sgd:
        add("momentum", d.momentum);
        spec.options.push_back({"nesterov", d.nesterov ? "true" : "false"});
        spec.tfjs_names.push_back({"nesterov", "useNesterov"});
        break;
      case OptimizerKind::adam:
        add("beta1", d.beta_1);
        add("beta2", d.beta_2);
        add("epsilon", d.epsilon);
        break;
      case OptimizerKind::rmsprop:
        add("rho", d.rho);
        spec.tfjs_names.push_back({"rho", "decay"});
        add("momentum", d.momentum);
        add("epsilon", d.epsilon);
        break;
      case OptimizerKind::adagrad:
        add("initialAccumulatorValue", d.initial_accumulator_value);
        add("epsilon", d.epsilon);
        break;
      case OptimizerKind::adadelta:
        add("rho", d.rho);
        add("epsilon", d.epsilon);
        break;
    }
    out.push_back(spec);
  }
  return out;
}

// The schedules' defaults are those of LearningRateSchedule (decay over 1,000 steps by half;
// Keras' ReduceLROnPlateau's factor 0.1, patience 10, min_delta 1e-4).
std::vector<ScheduleSpec> make_schedules() {
  const LearningRateSchedule d;
  const std::pair<std::string, std::string> steps{"decaySteps", std::to_string(d.decay_steps)},
      rate{"decayRate", number_text(d.decay_rate)};
  const std::vector<std::pair<std::string, std::string>> decay_names{{"decaySteps", "decay_steps"},
                                                                     {"decayRate", "decay_rate"}};
  return {
      {"step_decay", "ExponentialDecay", {steps, rate}, decay_names},
      {"exponential_decay", "ExponentialDecay", {steps, rate}, decay_names},
      {"cosine_decay",
       "CosineDecay",
       {steps, {"alpha", number_text(d.alpha)}},
       {{"decaySteps", "decay_steps"}, {"alpha", "alpha"}}},
      {"reduce_on_plateau",
       "ReduceLROnPlateau",
       {{"monitor", "\"" + d.monitor + "\""},
        {"factor", number_text(d.factor)},
        {"patience", std::to_string(d.patience)},
        {"minDelta", number_text(d.min_delta)},
        {"minRate", number_text(d.min_rate)}},
       {{"monitor", "monitor"},
        {"factor", "factor"},
        {"patience", "patience"},
        {"minDelta", "min_delta"},
        {"minRate", "min_lr"}}},
  };
}

}  // namespace

const std::vector<ScheduleSpec>& schedule_catalog() {
  static const std::vector<ScheduleSpec> catalog = make_schedules();
  return catalog;
}

const ScheduleSpec& find_schedule_spec(const std::string& name) {
  const std::string snake = snake_case_name(name);
  std::string known;
  for (const ScheduleSpec& s : schedule_catalog()) {
    if (s.name == name || s.name == snake) return s;
    known += (known.empty() ? "" : ", ") + s.name;
  }
  fail("fit: unknown schedule ", show(name), "; expected one of ", known);
}

const std::vector<OptimizerSpec>& optimizer_catalog() {
  static const std::vector<OptimizerSpec> catalog = make_optimizers();
  return catalog;
}

const std::vector<ModelSpec>& model_catalog() {
  static const std::vector<ModelSpec> catalog = {
      // The seeds' MNIST MLP: Flatten, Dense 128 relu, Dense 10 softmax; Adam, batch 32.
      {"mlp", "MNIST MLP (seeds)", R"({"seed": 42, "layers": [
        {"type": "flatten", "inputShape": [28, 28, 1]},
        {"type": "dense", "units": 128, "activation": "relu"},
        {"type": "dense", "units": 10, "activation": "softmax"}],
        "compile": {"optimizer": "adam", "loss": "categorical_crossentropy", "metrics": ["accuracy"]}})",
       32, "mnist"},
      // The seeds' (and Keras') MNIST CNN, with Adadelta at learning rate 1.0 as in the example.
      {"cnn", "MNIST CNN (seeds)", R"({"seed": 42, "layers": [
        {"type": "conv2d", "filters": 32, "kernelSize": 3, "activation": "relu", "inputShape": [28, 28, 1]},
        {"type": "conv2d", "filters": 64, "kernelSize": 3, "activation": "relu"},
        {"type": "maxPooling2d", "poolSize": 2},
        {"type": "dropout", "rate": 0.25},
        {"type": "flatten"},
        {"type": "dense", "units": 128, "activation": "relu"},
        {"type": "dropout", "rate": 0.5},
        {"type": "dense", "units": 10, "activation": "softmax"}],
        "compile": {"optimizer": {"type": "adadelta", "learningRate": 1.0}, "loss": "categorical_crossentropy",
                    "metrics": ["accuracy"]}})",
       128, "mnist"},
      // The seeds' regression network: 100 inputs, Dense 32 relu, one linear output, mean
      // squared error.
      {"regression", "Regression MLP (seeds)", R"({"seed": 42, "layers": [
        {"type": "dense", "units": 32, "activation": "relu", "inputShape": [100]},
        {"type": "dense", "units": 1, "activation": "linear"}],
        "compile": {"optimizer": "adam", "loss": "mean_squared_error"}})",
       32, "regression"},
      {"lenet", "LeNet-style CNN", R"({"seed": 42, "layers": [
        {"type": "conv2d", "filters": 6, "kernelSize": 5, "padding": "same", "activation": "relu",
         "inputShape": [28, 28, 1]},
        {"type": "averagePooling2d", "poolSize": 2},
        {"type": "conv2d", "filters": 16, "kernelSize": 5, "activation": "relu"},
        {"type": "averagePooling2d", "poolSize": 2},
        {"type": "flatten"},
        {"type": "dense", "units": 120, "activation": "relu"},
        {"type": "dense", "units": 84, "activation": "relu"},
        {"type": "dense", "units": 10, "activation": "softmax"}],
        "compile": {"optimizer": "adam", "loss": "categorical_crossentropy", "metrics": ["accuracy"]}})",
       32, "mnist"},
      // Momentum 0.9 rather than Keras' 0.99: with 0.99 the moving statistics still lean on
      // their starting values after a few hundred steps, and inference suffers.
      {"batchnorm", "CNN with batch normalization", R"({"seed": 42, "layers": [
        {"type": "conv2d", "filters": 16, "kernelSize": 3, "useBias": false, "inputShape": [28, 28, 1]},
        {"type": "batchNormalization", "momentum": 0.9},
        {"type": "activation", "activation": "relu"},
        {"type": "maxPooling2d", "poolSize": 2},
        {"type": "conv2d", "filters": 32, "kernelSize": 3, "useBias": false},
        {"type": "batchNormalization", "momentum": 0.9},
        {"type": "activation", "activation": "relu"},
        {"type": "maxPooling2d", "poolSize": 2},
        {"type": "flatten"},
        {"type": "dense", "units": 10, "activation": "softmax"}],
        "compile": {"optimizer": "adam", "loss": "categorical_crossentropy", "metrics": ["accuracy"]}})",
       32, "mnist"},
  };
  return catalog;
}

const ModelSpec& find_model_spec(const std::string& name) {
  std::string known;
  for (const ModelSpec& m : model_catalog()) {
    if (m.name == name) return m;
    known += known.empty() ? m.name : ", " + m.name;
  }
  fail("unknown model ", show(name), "; expected one of ", known);
}

}  // namespace dl
