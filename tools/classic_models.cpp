// Descriptions of the classic models.
#include "classic_models.h"

#include "core/error.h"

namespace dl {

ClassicModel classic_model(const std::string& name) {
  if (name == "mlp")
    // The seeds' MNIST MLP: Flatten, Dense 128 relu, Dense 10 softmax; Adam, batch 32.
    return {R"({"seed": 42, "layers": [
      {"type": "flatten", "inputShape": [28, 28, 1]},
      {"type": "dense", "units": 128, "activation": "relu"},
      {"type": "dense", "units": 10, "activation": "softmax"}],
      "compile": {"optimizer": "adam", "loss": "categorical_crossentropy", "metrics": ["accuracy"]}})",
            32};
  if (name == "cnn")
    // The seeds' (and Keras') MNIST CNN, with Adadelta at learning rate 1.0 as in the example.
    return {R"({"seed": 42, "layers": [
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
            128};
  if (name == "lenet")
    return {R"({"seed": 42, "layers": [
      {"type": "conv2d", "filters": 6, "kernelSize": 5, "padding": "same", "activation": "relu", "inputShape": [28, 28, 1]},
      {"type": "averagePooling2d", "poolSize": 2},
      {"type": "conv2d", "filters": 16, "kernelSize": 5, "activation": "relu"},
      {"type": "averagePooling2d", "poolSize": 2},
      {"type": "flatten"},
      {"type": "dense", "units": 120, "activation": "relu"},
      {"type": "dense", "units": 84, "activation": "relu"},
      {"type": "dense", "units": 10, "activation": "softmax"}],
      "compile": {"optimizer": "adam", "loss": "categorical_crossentropy", "metrics": ["accuracy"]}})",
            32};
  if (name == "batchnorm")
    // Momentum 0.9 rather than Keras' 0.99: with 0.99 the moving statistics still lean on
    // their starting values after a few hundred steps, and inference suffers.
    return {R"({"seed": 42, "layers": [
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
            32};
  fail("unknown classic model '", name, "'; expected mlp, cnn, lenet or batchnorm");
}

}  // namespace dl
