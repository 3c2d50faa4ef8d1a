// Learning-rate schedules (see schedule.h for the formulas).
#include "train/schedule.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/error.h"
#include "core/names.h"

namespace dl {

namespace {
const Named<ScheduleKind> kSchedules[] = {
    {"none", ScheduleKind::none},
    {"step_decay", ScheduleKind::step_decay},
    {"exponential_decay", ScheduleKind::exponential_decay},
    {"cosine_decay", ScheduleKind::cosine_decay},
    {"reduce_on_plateau", ScheduleKind::reduce_on_plateau},
};
constexpr double kPi = 3.14159265358979323846;

}  // namespace

bool higher_is_better(const std::string& monitor) { return monitor.find("accuracy") != std::string::npos; }

ScheduleKind schedule_from_name(const std::string& name) { return kind_from_name(kSchedules, name, "fit", "schedule"); }
std::vector<std::string> schedule_names() { return names_of(kSchedules); }

double scheduled_rate(const LearningRateSchedule& s, double initial, long step) {
  const double t = static_cast<double>(std::max(step, 0L)) / static_cast<double>(s.decay_steps);
  switch (s.kind) {
    case ScheduleKind::step_decay: return initial * std::pow(s.decay_rate, std::floor(t));
    case ScheduleKind::exponential_decay: return initial * std::pow(s.decay_rate, t);
    case ScheduleKind::cosine_decay: {
      const double cosine = 0.5 * (1.0 + std::cos(kPi * std::min(t, 1.0)));
      return initial * ((1.0 - s.alpha) * cosine + s.alpha);
    }
    default: return initial;
  }
}

Plateau::Plateau(const LearningRateSchedule& s)
    : s_(s),
      best_(higher_is_better(s.monitor) ? -std::numeric_limits<double>::infinity()
                                        : std::numeric_limits<double>::infinity()) {}

double Plateau::after_epoch(double value, double rate) {
  const bool improved = higher_is_better(s_.monitor) ? value > best_ + s_.min_delta : value < best_ - s_.min_delta;
  if (improved) {
    best_ = value;
    waited_ = 0;
    return rate;
  }
  if (++waited_ < s_.patience) return rate;
  waited_ = 0;
  return std::max(rate * s_.factor, s_.min_rate);
}

}  // namespace dl
