// The training loop, one batch per step.
#include "train/fit_session.h"

#include <algorithm>
#include <chrono>
#include <cmath>

#include "core/error.h"
#include "core/show.h"

namespace dl {

namespace {

double now_seconds() {
  using clock = std::chrono::steady_clock;
  return std::chrono::duration<double>(clock::now().time_since_epoch()).count();
}

}  // namespace

FitSession::FitSession(Sequential& model, const Tensor& x, const Tensor& y, FitOptions options)
    : model_(model), x_(x), y_(y), options_(std::move(options)) {
  model.check_compiled("fit");
  model.check_data(x, y, "fit");
  if (options_.epochs < 1) fail("fit: epochs must be at least 1; got ", options_.epochs);
  if (options_.batch_size < 1) fail("fit: batchSize must be at least 1; got ", options_.batch_size);
  if (!(options_.validation_split >= 0.0 && options_.validation_split < 1.0))
    fail("fit: validationSplit must be in [0, 1); got ", show(options_.validation_split));
  n_all_ = x.rows();
  const int n_val_split = static_cast<int>(std::floor(n_all_ * options_.validation_split));
  n_train_ = n_all_ - n_val_split;
  if (n_train_ < 1)
    fail("fit: validationSplit ", show(options_.validation_split), " leaves no training samples out of ", n_all_);
  if ((options_.validation_x == nullptr) != (options_.validation_y == nullptr))
    fail("fit: validationData needs both x and y");
  if (options_.validation_x) model.check_data(*options_.validation_x, *options_.validation_y, "fit (validationData)");
  split_validation_ = n_val_split > 0 && !options_.validation_x;
  if (options_.sample_weight) weight_steps_ = model.check_sample_weight(*options_.sample_weight, n_all_, "fit");
  if (options_.validation_sample_weight) {
    if (!options_.validation_x) fail("fit: validation sampleWeight needs validationData's x and y");
    model.check_sample_weight(*options_.validation_sample_weight, options_.validation_x->rows(),
                              "fit (validationData)");
  }

  if (!options_.class_weight.empty() && !model.output_specs().empty())
    fail("fit: classWeight is not supported for a model of several outputs (", model.output_specs().size(),
         " outputs); train without it");
  const int c = static_cast<int>(shape_size(model.output_shape()));
  const bool classes = is_cross_entropy(model.compile_options().loss);
  for (const auto& [k, w] : options_.class_weight) {
    const int limit = classes ? std::max(c, 2) : 0;
    if (k < 0 || k >= limit)
      fail("fit: classWeight names class ", k, " but the model has ", limit, " classes",
           classes ? "" : " (classWeight needs a cross-entropy loss)");
    if (!std::isfinite(w) || w < 0)
      fail("fit: classWeight for class ", k, " is ", show(w), "; weights must be finite and >= 0");
  }
  const std::string& monitor = options_.early_stopping.monitor;
  if (!monitor.empty()) {
    check_monitor(model, monitor, "earlyStopping");
    if (options_.early_stopping.patience < 0)
      fail("fit: patience must be >= 0; got ", options_.early_stopping.patience);
  }

  const Augmentation& aug = options_.augmentation;
  if (aug.max_shift < 0 || aug.max_rotation < 0 || !std::isfinite(aug.max_shift) || !std::isfinite(aug.max_rotation))
    fail("fit: augment shift and rotation must be finite and >= 0");
  if (aug.active()) {
    image_shape_ = aug.image_shape.empty() ? model.input_shape() : aug.image_shape;
    if (image_shape_.size() != 3 || shape_size(image_shape_) != shape_size(model.input_shape()))
      fail("fit: augment needs images of shape (height, width, channels) holding the model's ",
           shape_size(model.input_shape()), " inputs; got ", shape_text(image_shape_, false),
           aug.image_shape.empty() ? " (set augment.imageShape, e.g. [28, 28, 1])" : "");
  }

  check_schedule(model);

  model.check_memory(std::min(options_.batch_size, n_train_), true, "fit");
  batches_ = (n_train_ + options_.batch_size - 1) / options_.batch_size;
  order_.resize(n_train_);
  for (int i = 0; i < n_train_; ++i) order_[i] = i;
  const EarlyStopping& stopping = options_.early_stopping;
  best_ = !std::isnan(stopping.baseline) ? stopping.baseline
          : stopping.higher_is_better()  ? -std::numeric_limits<double>::infinity()
                                         : std::numeric_limits<double>::infinity();
  model.stop_training = false;
}

bool EarlyStopping::higher_is_better() const {
  return mode == "max" || (mode == "auto" && dl::higher_is_better(monitor));
}

// What early stopping or reduce-on-plateau (`who`) watches must be a value fit reports.
void FitSession::check_monitor(const Sequential& model, const std::string& monitor, const char* who) const {
  bool known = monitor == "loss" || monitor == "val_loss";
  std::string names = "loss";
  for (const std::string& m : model.log_names()) {
    known = known || monitor == m || monitor == "val_" + m;
    names += ", " + m;
  }
  if (!known)
    fail("fit: ", who, " monitors ", show(monitor), ", which this model does not report; expected one of ", names,
         " or their val_ forms");
  if (monitor.rfind("val_", 0) == 0 && !options_.validation_x && !split_validation_)
    fail("fit: ", who, " monitors ", show(monitor),
         " but there is no validation data; set validationSplit or validationData");
}

void FitSession::check_schedule(Sequential& model) {
  const LearningRateSchedule& s = options_.schedule;
  base_rate_ = model.optimizer().config.learning_rate;
  if (!s.active()) return;
  if (s.per_step()) {
    if (s.decay_steps < 1) fail("fit: schedule decaySteps must be at least 1; got ", s.decay_steps);
    if (!(s.decay_rate > 0 && s.decay_rate <= 1))
      fail("fit: schedule decayRate must be in (0, 1]; got ", show(s.decay_rate));
    if (!(s.alpha >= 0 && s.alpha <= 1)) fail("fit: schedule alpha must be in [0, 1]; got ", show(s.alpha));
    return;
  }
  if (!(s.factor > 0 && s.factor < 1)) fail("fit: schedule factor must be in (0, 1); got ", show(s.factor));
  if (s.patience < 0) fail("fit: schedule patience must be >= 0; got ", s.patience);
  if (!(s.min_rate >= 0) || !(s.min_delta >= 0)) fail("fit: schedule minRate and minDelta must be >= 0");
  check_monitor(model, s.monitor, "schedule");
  plateau_ = std::make_unique<Plateau>(s);
}

bool FitSession::step() {
  const int count = begin_batch();
  if (count == 0) return false;
  compute_share(0, count);
  finish_batch();
  return true;
}

int FitSession::begin_batch() {
  if (finished_) return 0;
  epoch_ended_ = false;
  if (batch_ == 0) {
    epoch_start_ = now_seconds();
    loss_sum_ = 0.0;
    metric_sums_.clear();
    seen_ = 0;
    if (options_.shuffle)
      for (int i = n_train_ - 1; i > 0; --i)
        std::swap(order_[i], order_[model_.rng().below(static_cast<std::uint32_t>(i + 1))]);
  }
  batch_start_ = now_seconds();
  const int begin = batch_ * options_.batch_size, count = std::min(options_.batch_size, n_train_ - begin);
  x_.gather_rows(order_.data() + begin, count, batch_x_);
  y_.gather_rows(order_.data() + begin, count, batch_y_);
  // The weights follow their samples through the shuffle.
  batch_weights_.resize(static_cast<std::size_t>(count) * weight_steps_);
  for (int i = 0; i < count && weight_steps_ > 0; ++i)
    std::copy_n(options_.sample_weight->data() + static_cast<std::size_t>(order_[begin + i]) * weight_steps_,
                weight_steps_, batch_weights_.data() + static_cast<std::size_t>(i) * weight_steps_);
  if (options_.augmentation.active()) augment_batch(batch_x_, options_.augmentation, image_shape_, model_.rng());
  OptimizerConfig& optimizer = model_.optimizer().config;
  if (options_.schedule.per_step())
    optimizer.learning_rate =
        static_cast<float>(scheduled_rate(options_.schedule, base_rate_, model_.optimizer().iterations()));
  batch_rate_ = optimizer.learning_rate;
  noise_seed_ = model_.begin_step();
  batch_rows_ = count;
  rows_done_ = 0;
  batch_loss_ = 0.0;
  return count;
}

void FitSession::compute_share(int begin, int end) {
  if (begin < 0 || end > batch_rows_ || begin >= end || rows_done_ > 0)
    fail("fit: rows ", begin, " to ", end, " are not a first share of the batch of ", batch_rows_);
  const std::vector<float> scale = model_.sample_scale(batch_y_, options_.class_weight, batch_rows_);
  // The batch's sample weights, for this share's loss only.
  struct Weights {
    Sequential& m;
    ~Weights() { m.set_sample_weights(nullptr, 0); }
  } weights{model_};
  if (weight_steps_ > 0) model_.set_sample_weights(batch_weights_.data(), weight_steps_, 0);
  if (begin == 0 && end == batch_rows_) {
    batch_loss_ = model_.share_loss_and_gradients(batch_x_, batch_y_, scale.data(), 0, &batch_predictions_);
  } else {
    batch_x_.slice_rows(begin, end, share_x_);
    batch_y_.slice_rows(begin, end, share_y_);
    batch_loss_ = model_.share_loss_and_gradients(share_x_, share_y_, scale.data() + begin, begin, &share_predictions_);
    place_predictions(begin, end, share_predictions_.data());
    // The statistics weighted by this engine's share of the rows; add_share adds the rest.
    model_.scale_statistics(static_cast<float>(end - begin) / batch_rows_);
  }
  rows_done_ += end - begin;
}

void FitSession::add_share(int begin, int end, const float* gradients, double loss, const float* predictions,
                           const float* statistics) {
  if (begin < 0 || end > batch_rows_ || begin >= end || rows_done_ == 0 || rows_done_ + (end - begin) > batch_rows_)
    fail("fit: rows ", begin, " to ", end, " cannot be added to the batch of ", batch_rows_, " (", rows_done_,
         " rows done)");
  model_.add_gradients(gradients);
  batch_loss_ += loss;
  place_predictions(begin, end, predictions);
  if (statistics) model_.add_statistics(statistics, static_cast<float>(end - begin) / batch_rows_);
  rows_done_ += end - begin;
}

// Copies the predictions of rows [begin, end) into the batch's (sized for the whole batch).
void FitSession::place_predictions(int begin, int end, const float* predictions) {
  const std::vector<int> out = model_.output_shape();
  const std::size_t stride = shape_size(out);
  std::vector<int> shape{batch_rows_};
  shape.insert(shape.end(), out.begin(), out.end());
  batch_predictions_.resize(shape);
  std::copy(predictions, predictions + stride * (end - begin), batch_predictions_.data() + stride * begin);
}

void FitSession::finish_batch() {
  if (rows_done_ != batch_rows_)
    fail("fit: ", rows_done_, " of the batch's ", batch_rows_, " rows were computed; every row is needed");
  const int count = batch_rows_;
  const double loss = model_.finish_step(batch_loss_, batch_predictions_, batch_y_, metric_sums_, [this] {
    // These weights gave a finite loss: keep them before the update that may break them.
    std::vector<Parameter> params = model_.parameters();
    last_finite_.resize(params.size());
    for (std::size_t k = 0; k < params.size(); ++k) last_finite_[k] = params[k].value->values();
  });
  batch_rows_ = 0;
  if (!std::isfinite(loss)) {
    diverge(count);
    return;
  }
  loss_sum_ += loss * count;
  seen_ += count;
  last_batch_ = BatchEnd{epoch_, batch_,     batches_, {{"loss", loss_sum_ / seen_}}, now_seconds() - batch_start_,
                         count,  batch_rate_};
  for (auto& [name, sum] : metric_sums_) last_batch_.logs[name] = sum / seen_;
  ++batch_;
  if (options_.on_batch_end) options_.on_batch_end(last_batch_);
  if (batch_ == batches_ || model_.stop_training) end_epoch();
}

void FitSession::diverge(int count) {
  diverged_ = true;
  if (!last_finite_.empty()) {
    std::vector<Parameter> params = model_.parameters();
    for (std::size_t k = 0; k < params.size(); ++k) params[k].value->values() = last_finite_[k];
  }
  model_.optimizer().reset();
  last_batch_ = BatchEnd{epoch_, batch_, batches_, {{"loss", std::numeric_limits<double>::quiet_NaN()}}, 0.0, count};
  model_.stop_training = true;
  finished_ = true;
}

void FitSession::stop() {
  if (finished_) return;
  model_.stop_training = true;
  if (batch_ > 0)
    end_epoch();
  else
    finished_ = true;
}

void FitSession::end_epoch() {
  Logs logs{{"loss", loss_sum_ / std::max(seen_, 1)}};
  for (auto& [name, sum] : metric_sums_) logs[name] = sum / std::max(seen_, 1);
  Evaluation v;
  bool validated = true;
  if (options_.validation_x)
    v = model_.evaluate(*options_.validation_x, *options_.validation_y, options_.batch_size,
                        options_.validation_sample_weight);
  else if (split_validation_)
    v = model_.evaluate_rows(x_, y_, options_.batch_size, n_train_, n_all_, options_.sample_weight);
  else
    validated = false;
  if (validated) {
    logs["val_loss"] = v.loss;
    for (auto& [name, value] : v.metrics) logs["val_" + name] = value;
  }
  // The rate of the epoch's last update; reduce-on-plateau then sets the next epoch's.
  if (options_.schedule.active()) {
    OptimizerConfig& optimizer = model_.optimizer().config;
    logs["lr"] = optimizer.learning_rate;
    if (plateau_)
      optimizer.learning_rate =
          static_cast<float>(plateau_->after_epoch(logs[options_.schedule.monitor], optimizer.learning_rate));
  }
  for (auto& [name, value] : logs) history_.values[name].push_back(value);
  history_.epochs_run = epoch_ + 1;
  last_epoch_ = EpochEnd{epoch_, logs, now_seconds() - epoch_start_};
  epoch_ended_ = true;
  if (options_.on_epoch_end) options_.on_epoch_end(last_epoch_);

  const std::string& monitor = options_.early_stopping.monitor;
  if (!monitor.empty()) {
    const double value = logs[monitor], delta = options_.early_stopping.min_delta;
    const bool improved = options_.early_stopping.higher_is_better() ? value > best_ + delta : value < best_ - delta;
    if (improved) {
      best_ = value;
      waited_ = 0;
      if (options_.early_stopping.restore_best_weights) {
        best_weights_.clear();
        for (const Parameter& p : model_.parameters()) best_weights_.push_back(p.value->values());
      }
    } else if (++waited_ >= options_.early_stopping.patience) {
      // As Keras and TensorFlow.js: after `patience` epochs in a row without improvement.
      model_.stop_training = true;
    }
  }
  ++epoch_;
  batch_ = 0;
  if (epoch_ == options_.epochs || model_.stop_training) {
    finished_ = true;
    if (!best_weights_.empty()) {
      std::vector<Parameter> params = model_.parameters();
      for (std::size_t k = 0; k < params.size(); ++k) params[k].value->values() = best_weights_[k];
    }
  }
}

}  // namespace dl
