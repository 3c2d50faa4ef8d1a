// FitSession: Keras' fit loop cut into steps of one batch, so that a caller (the
// Sequential::fit loop, or a Web Worker between messages) can pause, step, resume, stop
// and change hyperparameters between batches. The session reads x and y in place: they
// must outlive it, and only one mini-batch at a time is ever copied.
#pragma once

#include <cstdint>
#include <limits>
#include <map>
#include <memory>
#include <vector>

#include "train/sequential.h"

namespace dl {

class FitSession {
 public:
  // Checks every argument first; a session that throws here has changed nothing.
  FitSession(Sequential& model, const Tensor& x, const Tensor& y, FitOptions options);

  // Runs one batch (and, after an epoch's last batch, the epoch's end: validation, history,
  // callbacks, early stopping). Returns false, doing nothing, once training is over.
  bool step();
  bool finished() const { return finished_; }

  // step() in parts, for a batch shared by several engines: begin_batch assembles the next
  // batch (shuffle, augmentation, the scheduled rate, the noise seed) and returns its rows
  // (0 once training is over); compute_share runs rows [begin, end) here; add_share adds
  // what another engine computed for its rows (gradients in the order of the trainable
  // parameters, the summed scaled loss, one prediction per row, and its batch statistics
  // after its rows, when the model has any); finish_batch updates once and closes the
  // batch as step() does. Every row is computed here or added, each once.
  int begin_batch();
  const Tensor& batch_x() const { return batch_x_; }
  const Tensor& batch_y() const { return batch_y_; }
  std::uint64_t noise_seed() const { return noise_seed_; }
  const std::map<int, float>& class_weight() const { return options_.class_weight; }
  // The batch's sample weights (weight_steps() per row, in the batch's order), or empty.
  const std::vector<float>& batch_weights() const { return batch_weights_; }
  int weight_steps() const { return weight_steps_; }
  void compute_share(int begin, int end);
  void add_share(int begin, int end, const float* gradients, double loss, const float* predictions,
                 const float* statistics);
  void finish_batch();
  // Ends training now, without another batch: a partly run epoch is closed with the
  // logs of the batches it ran (as Keras does when stop_training is set mid-epoch).
  void stop();

  const BatchEnd& last_batch() const { return last_batch_; }
  // True when the last step closed an epoch; last_epoch() then holds its logs.
  bool epoch_ended() const { return epoch_ended_; }
  const EpochEnd& last_epoch() const { return last_epoch_; }
  const History& history() const { return history_; }
  // True when a batch's loss came out NaN or infinite: the weights were set back to the
  // last ones that gave a finite loss, the optimizer's state was reset, and training ended.
  bool diverged() const { return diverged_; }
  int batches_per_epoch() const { return batches_; }
  int epochs() const { return options_.epochs; }

 private:
  void end_epoch();
  void check_schedule(Sequential& model);
  void check_monitor(const Sequential& model, const std::string& monitor, const char* who) const;
  void diverge(int count);
  void place_predictions(int begin, int end, const float* predictions);

  Sequential& model_;
  const Tensor& x_;
  const Tensor& y_;
  FitOptions options_;
  int n_train_ = 0, n_all_ = 0, batches_ = 0;
  bool split_validation_ = false;
  std::vector<int> order_;
  std::vector<int> image_shape_;      // for augmentation
  Tensor batch_x_, batch_y_;          // reused from batch to batch
  std::vector<float> batch_weights_;  // options_.sample_weight's rows of the batch
  int weight_steps_ = 0;              // sample weights per row: 1, T, or 0 without
  Tensor share_x_, share_y_, share_predictions_, batch_predictions_;
  std::uint64_t noise_seed_ = 0;
  double batch_start_ = 0.0, batch_rate_ = 0.0, batch_loss_ = 0.0;
  int batch_rows_ = 0, rows_done_ = 0;
  int epoch_ = 0, batch_ = 0, seen_ = 0;
  double loss_sum_ = 0.0, epoch_start_ = 0.0;
  Logs metric_sums_;
  bool finished_ = false, epoch_ended_ = false;
  BatchEnd last_batch_;
  EpochEnd last_epoch_;
  History history_;
  double best_ = 0.0;
  int waited_ = 0;
  std::vector<std::vector<float>> best_weights_;
  std::vector<std::vector<float>> last_finite_;  // the weights of the last finite-loss batch
  bool diverged_ = false;
  double base_rate_ = 0.0;            // the optimizer's rate when the session began
  std::unique_ptr<Plateau> plateau_;  // reduce-on-plateau's state, when it is the schedule
};

}  // namespace dl
