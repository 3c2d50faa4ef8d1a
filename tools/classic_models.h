// The classic models of the seed documents and of this project's tests, as descriptions:
// the Keras MNIST MLP and CNN, a LeNet-style network and a small network with batch
// normalization. One place, so that tests, tools and benchmarks train the same models.
#pragma once

#include <string>

namespace dl {

struct ClassicModel {
  std::string description;  // JSON, compiled
  int batch_size;
};

// name: mlp, cnn, lenet, batchnorm. Inputs are (28, 28, 1) images, targets one-hot.
ClassicModel classic_model(const std::string& name);

}  // namespace dl
