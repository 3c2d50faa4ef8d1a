// Evaluation curves and per-class scores from a classifier's outputs: the ROC curve and
// its area, the precision-recall curve and its average precision (for one class against
// the rest), computed here; precision, recall and F1 per class with their macro and
// weighted averages, computed by the engine.
import { engine } from './engine.js';
import { show } from './show.js';

function checkScores(scores, positives, call) {
  if (!scores || !positives || scores.length !== positives.length || scores.length === 0)
    throw new Error(`${call}: scores and labels must be non-empty and of the same length`);
  for (const s of scores)
    if (!Number.isFinite(s)) throw new Error(`${call}: scores must be finite numbers; got ${show(s)}`);
}

// The samples ordered by score, highest first, grouped where scores tie: [{tp, fp}] per
// distinct score, with the score.
function thresholds(scores, positives) {
  const order = Array.from(scores, (_, i) => i).sort((a, b) => scores[b] - scores[a]);
  const steps = [];
  for (const i of order) {
    const last = steps.at(-1);
    if (last && last.score === scores[i]) positives[i] ? last.tp++ : last.fp++;
    else steps.push({ score: scores[i], tp: positives[i] ? 1 : 0, fp: positives[i] ? 0 : 1 });
  }
  return steps;
}

// scores: a score per sample (higher: more likely positive); positives: true/false or 1/0.
// Returns {fpr, tpr, thresholds, auc}; auc is the chance that a random positive scores
// above a random negative (ties count half), the trapezoids under the curve.
export function rocCurve(scores, positives) {
  checkScores(scores, positives, 'rocCurve');
  const p = Array.from(positives, Boolean);
  const pos = p.filter(Boolean).length;
  const neg = p.length - pos;
  if (!pos || !neg) throw new Error('rocCurve: the labels need both positives and negatives');
  const fpr = [0];
  const tpr = [0];
  const cuts = [Infinity];
  let tp = 0;
  let fp = 0;
  let auc = 0;
  for (const step of thresholds(scores, p)) {
    const [tp0, fp0] = [tp, fp];
    tp += step.tp;
    fp += step.fp;
    auc += ((fp - fp0) / neg) * ((tp + tp0) / 2 / pos);
    fpr.push(fp / neg);
    tpr.push(tp / pos);
    cuts.push(step.score);
  }
  return { fpr, tpr, thresholds: cuts, auc };
}

// Returns {recall, precision, averagePrecision}: precision against recall as the threshold
// falls, and the sum of precision × recall gained at each threshold (scikit-learn's AP).
export function precisionRecallCurve(scores, positives) {
  checkScores(scores, positives, 'precisionRecallCurve');
  const p = Array.from(positives, Boolean);
  const pos = p.filter(Boolean).length;
  if (!pos) throw new Error('precisionRecallCurve: the labels need at least one positive');
  const recall = [0];
  const precision = [1];
  let tp = 0;
  let fp = 0;
  let averagePrecision = 0;
  for (const step of thresholds(scores, p)) {
    const before = tp / pos;
    tp += step.tp;
    fp += step.fp;
    recall.push(tp / pos);
    precision.push(tp / (tp + fp));
    averagePrecision += (tp / pos - before) * (tp / (tp + fp));
  }
  return { recall, precision, averagePrecision };
}

// Per class (0 to classes - 1) from true and predicted classes: precision, recall, F1 and
// support, and their macro (plain mean) and weighted (by support) averages, as
// scikit-learn's classification_report gives them. Computed by the engine (class_report
// in engine/train/metrics.cpp, the one implementation, which evaluateMetrics and the
// page's per-class table use too), so it resolves with {perClass: [{precision, recall,
// f1, support}], macro, weighted, confusionMatrix, accuracy}.
export async function classificationReport(labels, predictions, classes) {
  const classList = (list, what) => {
    if (!list || typeof list.length !== 'number' || typeof list === 'string')
      throw new Error(`classificationReport: ${what} must be an array of classes; got ${show(list)}`);
    const out = Array.from(list);
    // Whole numbers the engine's 32-bit ints hold (its message names one out of range).
    const bad = out.findIndex((c) => !Number.isInteger(c) || Math.abs(c) >= 2 ** 31);
    if (bad >= 0)
      throw new Error(`classificationReport: ${what}[${bad}] is ${show(out[bad])}; expected a whole number`);
    return out;
  };
  const truth = classList(labels, 'labels');
  const predicted = classList(predictions, 'predictions');
  if (truth.length !== predicted.length || truth.length === 0)
    throw new Error(
      `classificationReport: labels and predictions must be non-empty and of the same length; got ${truth.length} and ${predicted.length}`,
    );
  if (!Number.isInteger(classes) || classes < 1 || classes >= 2 ** 31)
    throw new Error(`classificationReport: classes must be a whole number >= 1; got ${show(classes)}`);
  return reportRows(await engine().call('classReport', truth, predicted, classes));
}

// The engine's report (flat arrays per score) as a row per class.
export function reportRows(report) {
  const { precision, recall, f1, support, macro, weighted, confusionMatrix, accuracy } = report;
  const perClass = precision.map((p, c) => ({ precision: p, recall: recall[c], f1: f1[c], support: support[c] }));
  return { perClass, macro, weighted, confusionMatrix, accuracy };
}
