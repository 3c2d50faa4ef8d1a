// The flat views of a model that engines exchange in data-parallel training: one engine
// (the leader) runs the fit session and sends each helper its rows of the batch with the
// current weights; the helpers send back their rows' gradients, predictions and batch
// normalization statistics, which the leader adds to its own before the one update.
#include <algorithm>

#include "train/sequential.h"

namespace dl {

namespace {

bool any_parameter(const Parameter&) { return true; }
bool statistic(const Parameter& p) { return !p.trainable; }

// The values of the parameters `keep` selects: their count, and a copy of them in order.
std::size_t size_of(const std::vector<Parameter>& params, bool (*keep)(const Parameter&)) {
  std::size_t n = 0;
  for (const Parameter& p : params)
    if (keep(p)) n += p.value->size();
  return n;
}

void copy_out(const std::vector<Parameter>& params, bool (*keep)(const Parameter&), float* out) {
  for (const Parameter& p : params)
    if (keep(p)) out = std::copy(p.value->values().begin(), p.value->values().end(), out);
}

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

std::size_t Sequential::weight_size() const { return size_of(parameters(), any_parameter); }

void Sequential::read_weights(float* out) const { copy_out(parameters(), any_parameter, out); }

void Sequential::write_weights(const float* values) {
  for (const Parameter& p : parameters()) {
    std::copy(values, values + p.value->size(), p.value->data());
    values += p.value->size();
  }
}

std::size_t Sequential::statistics_size() const { return size_of(parameters(), statistic); }

void Sequential::read_statistics(float* out) const { copy_out(parameters(), statistic, out); }

void Sequential::scale_statistics(float own) {
  for (const Parameter& p : parameters())
    if (statistic(p))
      for (float& v : p.value->values()) v *= own;
}

void Sequential::add_statistics(const float* other, float share) {
  for (const Parameter& p : parameters()) {
    if (!statistic(p)) continue;
    float* v = p.value->data();
    for (std::size_t i = 0; i < p.value->size(); ++i) v[i] += share * other[i];
    other += p.value->size();
  }
}

}  // namespace dl
