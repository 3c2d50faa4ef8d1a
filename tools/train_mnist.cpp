// Trains one of the classic models on real MNIST natively and prints test accuracy and
// throughput: the long runs that do not belong in the test suite (`npm run slow`).
// Usage: train_mnist MODEL [epochs] [training images]   MODEL: mlp, cnn, lenet, batchnorm
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "catalog/catalog.h"
#include "io/idx.h"
#include "io/model_description.h"

namespace {

void load(const std::string& dir, const std::string& set, int limit, dl::Tensor& x, dl::Tensor& y) {
  dl::IdxFile images = dl::read_idx(dir + "/" + set + "-images-idx3-ubyte");
  dl::IdxFile labels = dl::read_idx(dir + "/" + set + "-labels-idx1-ubyte");
  const int n = std::min(limit, images.shape[0]);
  x = dl::Tensor({n, 28, 28, 1});
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = images.bytes[i] / 255.0f;
  y = dl::Tensor({n, 10}, 0.0f);
  for (int i = 0; i < n; ++i) y[static_cast<std::size_t>(i) * 10 + labels.bytes[i]] = 1.0f;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: train_mnist mlp|cnn|lenet|batchnorm [epochs] [training images]\n");
    return 2;
  }
  const std::string which = argv[1];
  const int epochs = argc > 2 ? std::atoi(argv[2]) : 1;
  const int limit = argc > 3 ? std::atoi(argv[3]) : 60000;
  const char* dir = std::getenv("MNIST_DIR") ? std::getenv("MNIST_DIR") : MNIST_DIR;
  try {
    dl::Tensor x, y, xt, yt;
    load(dir, "train", limit, x, y);
    load(dir, "t10k", 10000, xt, yt);
    const dl::ModelSpec& spec = dl::find_model_spec(which);
    auto model = dl::model_from_json(spec.description);
    dl::FitOptions options;
    options.epochs = epochs;
    options.batch_size = spec.batch_size;
    int seen = 0;
    const auto start = std::chrono::steady_clock::now();
    options.on_batch_end = [&](const dl::BatchEnd& e) {
      seen += e.samples;
      if (e.batch % 50 == 0) {
        const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        std::printf("epoch %d batch %d/%d loss %.4f accuracy %.4f, %.0f samples/s\n", e.epoch + 1, e.batch, e.batches,
                    e.logs.at("loss"), e.logs.at("accuracy"), seen / s);
        std::fflush(stdout);
      }
    };
    model->fit(x, y, options);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    dl::Evaluation e = model->evaluate(xt, yt, 500);
    std::printf("%s: %d epoch(s) on %d images in %.1f s (%.0f samples/s); test accuracy %.4f, loss %.4f\n",
                which.c_str(), epochs, x.rows(), seconds, seen / seconds, e.metrics.at("accuracy"), e.loss);
  } catch (const std::exception& error) {
    std::fprintf(stderr, "%s\n", error.what());
    return 1;
  }
  return 0;
}
