// The flat views of a model that engines exchange in data-parallel training: one engine
// (the leader) runs the fit session and sends each helper its rows of the batch with the
// current weights; the helpers send back their rows' gradients, predictions and batch
// normalization statistics, which the leader adds to its own before the one update.
#include <algorithm>

#include "train/sequential.h"

namespace dl {

namespace {

// Calls visit(values, size) for each parameter that `keep` selects, in order.
template <typename Keep, typename Visit>
void each_parameter(const std::vector<Parameter>& params, Keep keep, Visit visit) {
  for (const Parameter& p : params)
    if (keep(p)) visit(p, p.value->size());
}

bool any_parameter(const Parameter&) { return true; }
bool statistic(const Parameter& p) { return !p.trainable; }

}  // namespace

std::size_t Sequential::gradient_size() const {
  std::size_t n = 0;
  for (const Parameter& p : trainable_parameters()) n += p.grad->size();
  return n;
}

void Sequential::read_gradients(float* out) const {
  for (const Parameter& p : trainable_parameters())
    out = std::copy(p.grad->values().begin(), p.grad->values().end(), out);
}

void Sequential::add_gradients(const float* values) {
  for (const Parameter& p : trainable_parameters()) {
    float* g = p.grad->data();
    for (std::size_t i = 0; i < p.grad->size(); ++i) g[i] += values[i];
    values += p.grad->size();
  }
}

std::size_t Sequential::weight_size() const {
  std::size_t n = 0;
  each_parameter(parameters(), any_parameter, [&](const Parameter&, std::size_t size) { n += size; });
  return n;
}

void Sequential::read_weights(float* out) const {
  each_parameter(parameters(), any_parameter, [&](const Parameter& p, std::size_t) {
    out = std::copy(p.value->values().begin(), p.value->values().end(), out);
  });
}

void Sequential::write_weights(const float* values) {
  each_parameter(parameters(), any_parameter, [&](const Parameter& p, std::size_t size) {
    std::copy(values, values + size, p.value->data());
    values += size;
  });
}

std::size_t Sequential::statistics_size() const {
  std::size_t n = 0;
  each_parameter(parameters(), statistic, [&](const Parameter&, std::size_t size) { n += size; });
  return n;
}

void Sequential::read_statistics(float* out) const {
  each_parameter(parameters(), statistic, [&](const Parameter& p, std::size_t) {
    out = std::copy(p.value->values().begin(), p.value->values().end(), out);
  });
}

void Sequential::scale_statistics(float own) {
  each_parameter(parameters(), statistic, [&](const Parameter& p, std::size_t) {
    for (float& v : p.value->values()) v *= own;
  });
}

void Sequential::add_statistics(const float* other, float share) {
  each_parameter(parameters(), statistic, [&](const Parameter& p, std::size_t size) {
    float* v = p.value->data();
    for (std::size_t i = 0; i < size; ++i) v[i] += share * other[i];
    other += size;
  });
}

}  // namespace dl
