// Sequential: a stack of layers trained as Keras trains one. add, compile, fit,
// train_on_batch, evaluate, predict and summary behave as their Keras namesakes.
// Every public call checks its arguments before it changes anything, so a call that
// throws leaves the model as it was.
#pragma once

#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/rng.h"
#include "core/tensor.h"
#include "layers/layer.h"
#include "train/augment.h"
#include "train/graph.h"
#include "train/losses.h"
#include "train/metrics.h"
#include "train/optimizers.h"
#include "train/schedule.h"

namespace dl {

struct CompileOptions {
  OptimizerConfig optimizer;
  LossKind loss = LossKind::mean_squared_error;
  bool from_logits = false;          // the model outputs logits; the loss applies softmax/sigmoid
  std::vector<std::string> metrics;  // "accuracy", "mae", "mse"
  // A model of several outputs: the loss of each output (empty: `loss` for every one),
  // their weights in the total loss (empty: 1 each) and the metrics of each output
  // (empty: `metrics` for every one). The total is sum_k weight_k * loss_k.
  std::vector<LossKind> losses;
  std::vector<double> loss_weights;
  std::vector<std::vector<std::string>> output_metrics;
};

// Values after a batch or an epoch: "loss", "accuracy", "val_loss", ...
using Logs = std::map<std::string, double>;

struct BatchEnd {
  int epoch = 0, batch = 0, batches = 0;
  Logs logs;                   // running means over the epoch so far, as Keras' progress bar
  double seconds = 0.0;        // wall time of this batch
  int samples = 0;             // samples in this batch
  double learning_rate = 0.0;  // the rate this batch's update used
};
struct EpochEnd {
  int epoch = 0;
  Logs logs;
  double seconds = 0.0;
};

struct EarlyStopping {
  std::string monitor;  // empty: off. "val_loss", "loss", "val_accuracy", "accuracy"
  int patience = 0;
  double min_delta = 0.0;
  bool restore_best_weights = false;
  // "auto": higher is better for accuracies, lower for the rest; or "min", "max".
  std::string mode = "auto";
  // What the monitored value must beat to count as an improvement at all (NaN: none).
  double baseline = std::numeric_limits<double>::quiet_NaN();
  bool higher_is_better() const;
};

struct FitOptions {
  int epochs = 1;
  int batch_size = 32;
  bool shuffle = true;
  double validation_split = 0.0;  // the last fraction of x and y, as Keras takes it
  const Tensor* validation_x = nullptr;
  const Tensor* validation_y = nullptr;
  std::map<int, float> class_weight;
  // Keras' sample_weight: (N) per sample, or (N, T) per step of an output (T, ...);
  // multiplies class_weight. The validation split's rows weigh its validation loss.
  const Tensor* sample_weight = nullptr;
  const Tensor* validation_sample_weight = nullptr;  // validationData's third element
  EarlyStopping early_stopping;
  Augmentation augmentation;      // applied to each training batch, never to validation data
  LearningRateSchedule schedule;  // starts from the optimizer's rate; epochs log it as "lr"
  std::function<void(const BatchEnd&)> on_batch_end;
  std::function<void(const EpochEnd&)> on_epoch_end;
};

struct History {
  std::map<std::string, std::vector<double>> values;  // one entry per epoch
  int epochs_run = 0;
};

struct Evaluation {
  double loss = 0.0;
  Logs metrics;
  bool classification = false;  // false for a model of several outputs: it has no one report
  ClassReport report;           // confusion matrix and per-class scores when classification
  double roc_auc = 0.0;         // NaN unless the task is binary
};

class Sequential {
 public:
  explicit Sequential(std::uint64_t seed = 0);

  // Appends a layer to a chain. The first layer needs its input shape (without the batch
  // dimension); later ones take the previous layer's output shape.
  void add(std::unique_ptr<Layer> layer, const std::vector<int>& input_shape = {});
  // A graph instead of a chain: inputs, layers applied to nodes, and the outputs. A layer
  // object is owned by the model from its first application; applying it again (apply)
  // shares its weights. Each returns the new node; a call that throws adds nothing.
  int add_input(const std::string& name, const std::vector<int>& shape);
  int add_layer(std::unique_ptr<Layer> layer, const std::vector<int>& inputs);
  int apply(Layer& layer, const std::vector<int>& inputs);
  // Output k of a node whose layer gives several (Graph::add_part).
  int add_part(int node, int k) { return graph_.add_part(node, k); }
  void set_outputs(const std::vector<int>& outputs);
  const Graph& graph() const { return graph_; }
  void compile(const CompileOptions& options);
  History fit(const Tensor& x, const Tensor& y, FitOptions options);
  Logs train_on_batch(const Tensor& x, const Tensor& y, const std::map<int, float>& class_weight = {});
  Evaluation evaluate(const Tensor& x, const Tensor& y, int batch_size = 32, const Tensor* sample_weight = nullptr);
  // evaluate over rows [first, last) of data already checked (fit's validation split),
  // sample_weight (checked, rows as x's; may be null) weighing the loss.
  Evaluation evaluate_rows(const Tensor& x, const Tensor& y, int batch_size, int first, int last,
                           const Tensor* sample_weight = nullptr);
  Tensor predict(const Tensor& x, int batch_size = 32);
  // predict, then for a model compiled with from_logits the probabilities its logits
  // stand for, as its loss reads them: a softmax over the outputs, or a sigmoid for one.
  Tensor predict_probabilities(const Tensor& x, int batch_size = 32);
  std::string summary() const;

  // A model of several outputs: what compile made of each. Its predictions are the
  // outputs' values side by side, (N, sum of sizes); its y the targets side by side, each
  // as wide as its loss takes (1 for sparse_categorical_crossentropy, else the output's
  // size). Logs name each output's loss "<output>_loss" and metrics "<output>_<metric>",
  // as TensorFlow.js does. Empty for a model of one output.
  struct OutputSpec {
    std::string name;  // the output layer's
    int size = 0, column = 0;
    int target_width = 0, target_column = 0;
    LossKind loss = LossKind::mean_squared_error;
    double weight = 1.0;
    std::vector<std::string> metrics;
    bool fused = false;  // the loss starts from the layer's logits (softmax/sigmoid + cross-entropy)
  };
  const std::vector<OutputSpec>& output_specs() const { return outputs_; }
  // The names fit reports besides "loss" (and their "val_" forms).
  std::vector<std::string> log_names() const;

  const std::vector<std::unique_ptr<Layer>>& layers() const { return layers_; }
  std::vector<Parameter> parameters() const;
  // Replaces every parameter's values, in the order of parameters(). Checks the count and
  // every size first: a call that throws changes nothing.
  void set_weights(const std::vector<std::vector<float>>& values);
  // The parameters the optimizer updates (not, for example, moving statistics).
  std::vector<Parameter> trainable_parameters() const;
  std::vector<int> input_shape() const;
  std::vector<int> output_shape() const;
  bool compiled() const { return optimizer_ != nullptr; }
  Optimizer& optimizer();
  // The optimizer's state (moments, step count, learning rate) taken from `from`, a model
  // compiled alike whose trainable parameters have the same sizes in the same order (this
  // model made again for inputs of another length). Throws naming the first difference.
  void take_optimizer(const Sequential& from);
  const CompileOptions& compile_options() const { return compile_; }
  Rng& rng() { return rng_; }
  bool stop_training = false;  // a callback may set it to end fit after the current batch

  // The most memory one call may plan to use: a browser tab's WebAssembly memory is at
  // most 2 GiB here, and the data sets live there too.
  static constexpr std::size_t kMemoryLimit = std::size_t(1536) << 20;
  // A training batch larger than this goes through in slices of this many rows.
  static constexpr int kSliceRows = 32;
  // Bytes a call would need for `rows` samples at once: the weights (and, in training,
  // their gradients and two optimizer slots each) and every layer's activations and
  // gradients. Throws naming `call`, both parts and the limit when past kMemoryLimit.
  void check_memory(int rows, bool training, const char* call) const;

  // Throws unless x is (N, input_shape...) with N >= 1 and finite values; `call` names the caller.
  void check_inputs(const Tensor& x, const char* call) const;

  // Runs every node on x (already checked), keeping each node's tensor until the next
  // forward; returns the output's. With `logits`, the output layer leaves out its activation.
  const Tensor& forward(const Tensor& x, bool training, bool logits = false);
  // How many forwards have run: a caller that kept one's count knows whether the nodes'
  // tensors are still that forward's.
  std::uint64_t forwards() const { return forwards_; }
  // The tensors of the last forward, one per layer node in the graph's order (for a chain,
  // one per layer).
  std::vector<Tensor> layer_outputs() const;
  // Back from dy, the gradient with respect to the last forward's output, through every
  // node, writing parameter gradients (adding to them with `accumulate`). dy is used as
  // scratch. With input_gradient, returns the gradient with respect to x (owned by the
  // model until the next call); else null. from_layer: the layer whose (first) output dy
  // is the gradient of (-1: the output).
  const Tensor* backward(const Tensor& x, Tensor& dy, bool input_gradient, int from_layer = -1,
                         bool accumulate = false);

  // The one training step, for fit (FitSession) and train_on_batch: the loss of the batch
  // x, y (already checked) with per-sample weights from class_weight, its gradients, and
  // the optimizer's update. When the loss is NaN or infinite nothing is updated and no
  // metric is added. Otherwise before_update (if any) runs just before the update (fit
  // keeps the weights that gave a finite loss there) and the batch's metric sums are added
  // to metric_sums. Returns the loss, regularization included.
  double train_step(const Tensor& x, const Tensor& y, const std::map<int, float>& class_weight, Logs& metric_sums,
                    const std::function<void()>& before_update = nullptr);

  // The same step in parts, for a batch shared by several engines (data-parallel training,
  // data_parallel.cpp). begin_step draws the step's noise seed (dropout) from the model's
  // generator; an engine that computes a share sets the seed it was given instead.
  // share_loss_and_gradients runs rows of the batch (x, y: those rows; first_row: where
  // they start in the batch; scale: their per-sample weights, which divide by the whole
  // batch's size) and writes their parameter gradients, returning sum(scale * loss); the
  // shares' gradients summed give the whole batch's. finish_step adds regularization and
  // updates, as train_step: data_loss is the shares' summed loss, predictions and y the
  // whole batch's.
  std::uint64_t begin_step();
  void set_noise_seed(std::uint64_t seed) { noise_seed_ = seed; }
  double share_loss_and_gradients(const Tensor& x, const Tensor& y, const float* scale, int first_row,
                                  Tensor* predictions);
  double finish_step(double data_loss, const Tensor& predictions, const Tensor& y, Logs& metric_sums,
                     const std::function<void()>& before_update = nullptr);
  // Per-sample loss weights of rows y of a batch of batch_rows: class weight / batch_rows.
  std::vector<float> sample_scale(const Tensor& y, const std::map<int, float>& class_weight, int batch_rows) const;
  // Keras' sample_weight for the following loss computations: `per_sample` values per
  // sample (1, or one per step of the output's first axis), the first for batch row
  // first_row; null: none. The caller keeps them alive and clears them (null) after.
  void set_sample_weights(const float* weights, int per_sample, int first_row = 0) {
    sample_weights_ = weights;
    weight_steps_ = per_sample;
    weight_first_ = first_row;
  }
  // Throws naming `call` unless w is (N) or (N, T) for this model's output, finite, >= 0.
  // Returns the weights per sample (1 or T).
  int check_sample_weight(const Tensor& w, int n, const char* call) const;

  // Flat views for the engines' messages: the gradients of the parameters the optimizer
  // updates, every parameter's values (weights and statistics), and the statistics alone
  // (batch normalization's moving mean and variance), each in the order of parameters().
  std::size_t gradient_size() const;
  void read_gradients(float* out) const;
  void add_gradients(const float* values);
  std::size_t weight_size() const;
  void read_weights(float* out) const;
  void write_weights(const float* values);  // unchecked: values come from read_weights
  std::size_t statistics_size() const;
  void read_statistics(float* out) const;
  // statistics = own * statistics (+ share * other): the shares' statistics, weighted by
  // their rows, combine into the batch's.
  void scale_statistics(float own);
  void add_statistics(const float* other, float share);

  // Throw naming `call` unless the model is compiled / x and y fit it (shapes, finite values).
  void check_compiled(const char* call) const;
  void check_data(const Tensor& x, const Tensor& y, const char* call) const;

 private:
  // The loss of a batch with per-sample scale (weight / N) and, when `backward` is set,
  // the gradients of every parameter. Returns the mean loss and fills `predictions`.
  double loss_and_gradients(const Tensor& x, const Tensor& y, const float* scale, bool backward, Tensor* predictions,
                            int first_row = 0);
  // The same for rows that go through in one piece; scale has one entry per row of x.
  double piece_loss_and_gradients(const Tensor& x, const Tensor& y, const float* scale, bool backward,
                                  Tensor* predictions, bool accumulate);
  // The layer of the model's output node.
  Layer& output_layer() const;
  // The new layer's default name ("dense_2"), checked unique; throws otherwise.
  void name_layer(Layer& layer) const;
  double regularization_loss() const;
  bool fused_loss() const;
  void accumulate_metrics(const Tensor& predictions, const Tensor& y, int count, Logs& sums) const;
  // The same for a model of several outputs (outputs.cpp).
  std::vector<OutputSpec> compile_outputs(const CompileOptions& options) const;
  double outputs_loss_and_gradients(const Tensor& x, const Tensor& y, const float* scale, bool backward,
                                    Tensor* predictions, bool accumulate);
  void accumulate_output_metrics(const Tensor& predictions, const Tensor& y, int count, Logs& sums) const;
  void check_output_data(const Tensor& y, int n, const char* call) const;
  Evaluation evaluate_outputs(const Tensor& x, const Tensor& y, int batch_size, int first, int last);
  void seed_outputs(const Tensor& dy, bool accumulate, bool input_gradient);
  void output_probabilities(Tensor& packed) const;

  Rng rng_;
  std::uint64_t noise_seed_ = 0;  // this step's, for dropout
  int first_row_ = 0;             // the batch row where the rows in forward start
  std::uint64_t forwards_ = 0;
  std::vector<std::unique_ptr<Layer>> layers_;  // each once, in the order of first application
  Graph graph_;
  CompileOptions compile_;
  std::unique_ptr<Optimizer> optimizer_;
  std::vector<OutputSpec> outputs_;
  // Several outputs: each one's targets, loss gradients and per-sample losses, and the
  // outputs packed side by side; reused from batch to batch.
  std::vector<Tensor> output_y_, output_grad_;
  std::vector<std::pair<int, Tensor*>> seeds_;
  std::vector<float> output_losses_;
  Tensor packed_;
  // Buffers reused from batch to batch.
  Tensor loss_grad_, input_gradient_;
  Tensor slice_x_, slice_y_, slice_predictions_, step_predictions_;
  // Per row the loss sees (a sample's step): its scale, and the weight the metrics give it
  // (empty when the output has no mask: every step weighs alike).
  std::vector<float> row_scale_, metric_weights_;
  const float* sample_weights_ = nullptr;  // set_sample_weights'
  int weight_steps_ = 0, weight_first_ = 0;
};

}  // namespace dl
