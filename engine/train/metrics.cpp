// Metric computations, independent of the model.
#include "train/metrics.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <utility>

#include "core/error.h"

namespace dl {

const std::vector<std::vector<std::string>>& metric_names() {
  static const std::vector<std::vector<std::string>> names = {
      {"accuracy", "acc"}, {"mae", "mean_absolute_error"}, {"mse", "mean_squared_error"}};
  return names;
}

int target_class(const float* y, int c, bool sparse) {
  if (sparse) return static_cast<int>(y[0]);
  if (c == 1) return y[0] >= 0.5f ? 1 : 0;
  return static_cast<int>(std::max_element(y, y + c) - y);
}

int predicted_class(const float* p, int c, float threshold) {
  if (c == 1) return p[0] >= threshold ? 1 : 0;
  return static_cast<int>(std::max_element(p, p + c) - p);
}

ClassReport class_report(const std::vector<int>& truth, const std::vector<int>& predicted, int classes) {
  if (classes < 1) fail("class report: classes must be at least 1; got ", classes);
  if (truth.size() != predicted.size())
    fail("class report: ", truth.size(), " true classes but ", predicted.size(), " predicted ones; expected as many");
  ClassReport r;
  r.classes = classes;
  r.confusion.assign(static_cast<std::size_t>(classes) * classes, 0);
  long correct = 0;
  for (std::size_t i = 0; i < truth.size(); ++i) {
    for (const auto& [what, value] : {std::pair{"true", truth[i]}, std::pair{"predicted", predicted[i]}})
      if (value < 0 || value >= classes)
        fail("class report: the ", what, " class of sample ", i, " is ", value, "; expected 0 to ", classes - 1);
    ++r.confusion[static_cast<std::size_t>(truth[i]) * classes + predicted[i]];
    correct += truth[i] == predicted[i];
  }
  r.accuracy = truth.empty() ? 0.0 : static_cast<double>(correct) / truth.size();
  for (int k = 0; k < classes; ++k) {
    long tp = r.confusion[static_cast<std::size_t>(k) * classes + k], actual = 0, called = 0;
    for (int j = 0; j < classes; ++j) {
      actual += r.confusion[static_cast<std::size_t>(k) * classes + j];
      called += r.confusion[static_cast<std::size_t>(j) * classes + k];
    }
    double p = called ? static_cast<double>(tp) / called : 0.0;
    double q = actual ? static_cast<double>(tp) / actual : 0.0;
    r.precision.push_back(p);
    r.recall.push_back(q);
    r.f1.push_back(p + q > 0 ? 2 * p * q / (p + q) : 0.0);
    r.support.push_back(actual);
  }
  const double total = static_cast<double>(truth.size());
  for (int k = 0; k < classes; ++k) {
    const double share = total > 0 ? r.support[k] / total : 0.0;
    r.macro.precision += r.precision[k] / classes;
    r.macro.recall += r.recall[k] / classes;
    r.macro.f1 += r.f1[k] / classes;
    r.weighted.precision += r.precision[k] * share;
    r.weighted.recall += r.recall[k] * share;
    r.weighted.f1 += r.f1[k] * share;
  }
  return r;
}

ClassReport requested_class_report(const std::vector<int>& truth, const std::vector<int>& predicted, int classes) {
  if (classes > kMaxRequestedReportClasses)
    fail("class report: classes must be at most ", kMaxRequestedReportClasses, "; got ", classes);
  return class_report(truth, predicted, classes);
}

double roc_auc(const std::vector<float>& scores, const std::vector<int>& labels) {
  const std::size_t n = scores.size();
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return scores[a] < scores[b]; });
  // Average ranks (1-based) over runs of equal scores.
  std::vector<double> rank(n);
  for (std::size_t i = 0; i < n;) {
    std::size_t j = i;
    while (j + 1 < n && scores[order[j + 1]] == scores[order[i]]) ++j;
    double average = (i + j) / 2.0 + 1.0;
    for (std::size_t k = i; k <= j; ++k) rank[order[k]] = average;
    i = j + 1;
  }
  double positives = 0, rank_sum = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (labels[i] == 1) {
      positives += 1;
      rank_sum += rank[i];
    }
  }
  double negatives = static_cast<double>(n) - positives;
  if (positives == 0 || negatives == 0) return std::numeric_limits<double>::quiet_NaN();
  return (rank_sum - positives * (positives + 1) / 2.0) / (positives * negatives);
}

}  // namespace dl
