// Classification metrics: accuracy during training; for evaluation the confusion matrix,
// per-class precision, recall and F1, and ROC AUC when the task is binary.
#pragma once

#include <string>
#include <vector>

namespace dl {

// The metric names compile takes: each entry the canonical name, then its aliases.
const std::vector<std::vector<std::string>>& metric_names();

// The class of one target row: a sparse index, the argmax of a one-hot row, or for a
// single output 1 when the target is >= 0.5.
int target_class(const float* y, int c, bool sparse);
// The class the model predicts from one output row: argmax, or for a single output
// 1 when it is >= threshold (0.5 for probabilities, 0 for logits).
int predicted_class(const float* p, int c, float threshold);

// Precision, recall and F1 averaged over the classes.
struct ClassAverages {
  double precision = 0.0, recall = 0.0, f1 = 0.0;
};

// The one computation of per-class scores in the project: the page's per-class table, the
// API's evaluateMetrics and dl.metrics.classificationReport all read it. Equal to
// scikit-learn's precision_recall_fscore_support and classification_report with
// labels = 0..classes-1 and zero_division = 0 (tests/node/metrics_sklearn.test.mjs).
struct ClassReport {
  int classes = 0;
  std::vector<long> confusion;                // classes x classes, row = true class, column = predicted
  std::vector<double> precision, recall, f1;  // per class; 0 where undefined, as scikit-learn
  std::vector<long> support;                  // samples of each true class
  ClassAverages macro;                        // the plain mean over the classes
  ClassAverages weighted;                     // the mean weighted by support
  double accuracy = 0.0;
};

// truth and predicted: a class from 0 to classes - 1 per sample, of the same length; a
// class outside that range is an error naming the sample.
ClassReport class_report(const std::vector<int>& truth, const std::vector<int>& predicted, int classes);

// The most classes of a report asked for on its own (dl.metrics.classificationReport): its
// confusion matrix has classes^2 cells. An evaluation reports as many classes as the
// model has outputs.
constexpr int kMaxRequestedReportClasses = 4096;
// class_report for a caller's own labels, refusing more than kMaxRequestedReportClasses.
ClassReport requested_class_report(const std::vector<int>& truth, const std::vector<int>& predicted, int classes);

// Area under the ROC curve from scores and 0/1 labels, by the rank-sum formula with ties
// averaged. NaN when only one class is present.
double roc_auc(const std::vector<float>& scores, const std::vector<int>& labels);

}  // namespace dl
