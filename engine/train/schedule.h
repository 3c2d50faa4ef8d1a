// Learning-rate schedules, as Keras defines them. Decay schedules give the rate for an
// optimizer step (its count of updates so far); reduce-on-plateau acts after each epoch on
// a monitored value. Step decay is Keras' ExponentialDecay with staircase=True.
#pragma once

#include <string>
#include <vector>

namespace dl {

enum class ScheduleKind { none, step_decay, exponential_decay, cosine_decay, reduce_on_plateau };

struct LearningRateSchedule {
  ScheduleKind kind = ScheduleKind::none;
  // step and exponential decay: rate = initial * decay_rate ^ (step / decay_steps), the
  // exponent rounded down for step decay. Cosine: from initial down to alpha * initial
  // over decay_steps, then alpha * initial.
  long decay_steps = 1000;
  double decay_rate = 0.5;
  double alpha = 0.0;
  // reduce on plateau: after `patience` epochs without the monitored value improving by
  // min_delta, rate *= factor (never below min_rate), and the count starts again.
  std::string monitor = "val_loss";
  double factor = 0.1;
  int patience = 10;
  double min_delta = 1e-4;
  double min_rate = 0.0;
  bool active() const { return kind != ScheduleKind::none; }
  bool per_step() const { return kind != ScheduleKind::none && kind != ScheduleKind::reduce_on_plateau; }
};

// The rate at optimizer step `step` (0 for the first update) for a decay schedule.
double scheduled_rate(const LearningRateSchedule& s, double initial, long step);

// Whether a larger value of a monitored log is better (accuracies), or a smaller (losses):
// for early stopping and reduce-on-plateau alike.
bool higher_is_better(const std::string& monitor);

ScheduleKind schedule_from_name(const std::string& name);
std::vector<std::string> schedule_names();

// Reduce-on-plateau's state over the epochs of one fit.
class Plateau {
 public:
  explicit Plateau(const LearningRateSchedule& s);
  // After an epoch: the monitored value and the current rate; returns the next rate.
  double after_epoch(double value, double rate);

 private:
  LearningRateSchedule s_;
  double best_;
  int waited_ = 0;
};

}  // namespace dl
