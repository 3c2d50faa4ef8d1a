// TensorFlow.js' tf.metrics: metrics as functions of tensors (yTrue, yPred), built from
// the engine's ops as TensorFlow.js defines them. The per-sample ones reduce over the
// last axis (one value per row); precision, recall and r2Score give one value.
import { show } from './show.js';
import { tidy } from './tensor.js';
import { toTensor } from './tensor_ops.js';

const EPSILON = 1e-7;

function pair(name, yTrue, yPred, same = true) {
  const [y, p] = [toTensor(yTrue, `metrics.${name}: yTrue`), toTensor(yPred, `metrics.${name}: yPred`)];
  if (same && y.shape && p.shape && show(y.shape) !== show(p.shape))
    throw new Error(`metrics.${name}: yTrue has shape ${show(y.shape)} and yPred ${show(p.shape)}; they must match`);
  return [y, p];
}
const metric =
  (name, f, same = true) =>
  (yTrue, yPred) =>
    tidy(() => f(...pair(name, yTrue, yPred, same)));

// Share of a row's values where the prediction, thresholded at 0.5, equals the label.
export const binaryAccuracy = metric('binaryAccuracy', (y, p) => y.equal(p.greater(0.5).toFloat()).toFloat().mean(-1));

// 1 where a row's largest prediction is at its label's largest value.
export const categoricalAccuracy = metric('categoricalAccuracy', (y, p) => y.argMax(-1).equal(p.argMax(-1)).toFloat());

// As categoricalAccuracy with class indices for labels (shape (n) or (n, 1)).
export const sparseCategoricalAccuracy = metric(
  'sparseCategoricalAccuracy',
  (y, p) => y.reshape([-1]).toFloat().equal(p.argMax(-1).toFloat()).toFloat(),
  false,
);

// Of the predicted 1s (predictions are 0 or 1), the share that are 1s; 0 when none are.
const positives = (y, p) => {
  const truePositives = y.equal(1).logicalAnd(p.equal(1)).toFloat().sum();
  return { truePositives, predicted: p.equal(1).toFloat().sum(), actual: y.equal(1).toFloat().sum() };
};
// Counts are whole: with none predicted (or actual) the count above is 0 too, and so is the share.
const ratio = (top, bottom) => top.div(bottom.maximum(1));
export const precision = metric('precision', (y, p) => {
  const { truePositives, predicted } = positives(y, p);
  return ratio(truePositives, predicted);
});
export const recall = metric('recall', (y, p) => {
  const { truePositives, actual } = positives(y, p);
  return ratio(truePositives, actual);
});

export const meanSquaredError = metric('meanSquaredError', (y, p) => y.squaredDifference(p).mean(-1));
export const meanAbsoluteError = metric('meanAbsoluteError', (y, p) => y.sub(p).abs().mean(-1));
export const meanAbsolutePercentageError = metric('meanAbsolutePercentageError', (y, p) =>
  y.sub(p).div(y.abs().maximum(EPSILON)).abs().mean(-1).mul(100),
);

// Binary cross-entropy of probabilities, clipped away from 0 and 1, per row.
export const binaryCrossentropy = metric('binaryCrossentropy', (y, p) => {
  const q = p.clipByValue(EPSILON, 1 - EPSILON);
  return y
    .mul(q.log())
    .add(y.neg().add(1).mul(q.neg().add(1).log()))
    .neg()
    .mean(-1);
});

// Categorical cross-entropy of probabilities (each row scaled to sum to 1), per row.
export const categoricalCrossentropy = metric('categoricalCrossentropy', (y, p) => {
  const q = p.div(p.sum(-1, true)).clipByValue(EPSILON, 1 - EPSILON);
  return y.mul(q.log()).sum(-1).neg();
});

export const sparseCategoricalCrossentropy = metric(
  'sparseCategoricalCrossentropy',
  (y, p) => categoricalCrossentropy(y.reshape([-1]).toInt().oneHot(p.shape.at(-1)).toFloat(), p),
  false,
);

// Minus the cosine of the angle between a row of labels and of predictions.
export const cosineProximity = metric('cosineProximity', (y, p) => {
  const unit = (t) => t.div(t.square().sum(-1, true).sqrt().maximum(EPSILON));
  return unit(y).mul(unit(p)).sum(-1).neg();
});

// The coefficient of determination over all values: 1 - residual / total sum of squares.
export const r2Score = metric('r2Score', (y, p) => {
  const residual = y.squaredDifference(p).sum();
  const total = y.squaredDifference(y.mean()).sum();
  return residual.div(total.maximum(EPSILON)).neg().add(1);
});

// TensorFlow.js' short names.
export const MSE = meanSquaredError;
export const mse = meanSquaredError;
export const MAE = meanAbsoluteError;
export const mae = meanAbsoluteError;
export const MAPE = meanAbsolutePercentageError;
export const mape = meanAbsolutePercentageError;
export const cosine = cosineProximity;
