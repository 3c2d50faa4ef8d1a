// Evaluation curves and per-class scores from a classifier's outputs, computed in
// JavaScript: the ROC curve and its area, the precision-recall curve and its average
// precision (for one class against the rest), and precision, recall and F1 per class with
// their macro and weighted averages.

function checkScores(scores, positives, call) {
  if (!scores || !positives || scores.length !== positives.length || scores.length === 0)
    throw new Error(`${call}: scores and labels must be non-empty and of the same length`);
  for (const s of scores) if (!Number.isFinite(s)) throw new Error(`${call}: scores must be finite numbers; got ${s}`);
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
// support, and their macro (plain mean) and weighted (by support) averages.
export function classificationReport(labels, predictions, classes) {
  if (labels.length !== predictions.length || labels.length === 0)
    throw new Error('classificationReport: labels and predictions must be non-empty and of the same length');
  const rows = Array.from({ length: classes }, () => ({ tp: 0, fp: 0, fn: 0, support: 0 }));
  labels.forEach((t, i) => {
    const q = predictions[i];
    rows[t].support++;
    if (q === t) rows[t].tp++;
    else {
      rows[t].fn++;
      if (rows[q]) rows[q].fp++;
    }
  });
  const perClass = rows.map(({ tp, fp, fn, support }) => {
    const precision = tp + fp ? tp / (tp + fp) : 0;
    const recall = tp + fn ? tp / (tp + fn) : 0;
    const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
    return { precision, recall, f1, support };
  });
  const total = labels.length;
  const average = (weight) => {
    const out = {};
    for (const key of ['precision', 'recall', 'f1'])
      out[key] = perClass.reduce((sum, r) => sum + r[key] * weight(r), 0);
    return out;
  };
  return {
    perClass,
    macro: average(() => 1 / classes),
    weighted: average((r) => r.support / total),
  };
}
