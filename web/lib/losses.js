// TensorFlow.js' tf.losses: losses as functions of tensors, built from the engine's ops so
// that their gradients come from the tape. Each takes optional weights (broadcast against
// the per-value losses) and a reduction, as TensorFlow.js' computeWeightedLoss does.
import { show } from './show.js';
import { tidy } from './tensor.js';
import { onesLike, toTensor } from './tensor_ops.js';

export const Reduction = { NONE: 0, MEAN: 1, SUM: 2, SUM_BY_NONZERO_WEIGHTS: 3 };

function sameShape(name, labels, predictions) {
  if (labels.shape && predictions.shape && show(labels.shape) !== show(predictions.shape))
    throw new Error(
      `losses.${name}: labels have shape ${show(labels.shape)} and predictions ${show(predictions.shape)}; they must match`,
    );
}

// Per-value losses -> weighted and reduced.
export function computeWeightedLoss(losses, weights, reduction = Reduction.SUM_BY_NONZERO_WEIGHTS) {
  if (!Object.values(Reduction).includes(reduction))
    throw new Error(`losses: unknown reduction ${show(reduction)}; expected one of ${show(Reduction)}`);
  return tidy(() => {
    const w = weights == null ? null : toTensor(weights, 'losses: weights');
    const weighted = w ? losses.mul(w) : losses;
    if (reduction === Reduction.NONE) return weighted;
    if (reduction === Reduction.SUM) return weighted.sum();
    if (reduction === Reduction.MEAN) return w ? weighted.sum().div(w.mul(onesLike(losses)).sum()) : weighted.mean();
    if (!w) return weighted.sum().div(losses.size);
    const nonzero = w.mul(onesLike(losses)).notEqual(0).sum().toFloat();
    return weighted.sum().div(nonzero);
  });
}

function loss(name, perValue) {
  return (labels, predictions, ...rest) => {
    const [y, p] = [toTensor(labels, `losses.${name}`), toTensor(predictions, `losses.${name}`)];
    sameShape(name, y, p);
    return perValue(y, p, ...rest);
  };
}

const weighted = (perValue) => (y, p, weights, reduction) =>
  tidy(() => computeWeightedLoss(perValue(y, p), weights, reduction));

export const absoluteDifference = loss(
  'absoluteDifference',
  weighted((y, p) => y.sub(p).abs()),
);
export const meanSquaredError = loss(
  'meanSquaredError',
  weighted((y, p) => y.squaredDifference(p)),
);
export const hingeLoss = loss(
  'hingeLoss',
  weighted((y, p) => y.mul(2).sub(1).mul(p).neg().add(1).relu()),
);

export const cosineDistance = loss('cosineDistance', (y, p, axis, weights, reduction) =>
  tidy(() => computeWeightedLoss(y.mul(p).sum(axis, true).neg().add(1), weights, reduction)),
);

export const huberLoss = loss('huberLoss', (y, p, weights, delta = 1, reduction) =>
  tidy(() => {
    const error = p.sub(y).abs();
    const quadratic = error.minimum(delta);
    const linear = error.sub(quadratic);
    return computeWeightedLoss(quadratic.square().mul(0.5).add(linear.mul(delta)), weights, reduction);
  }),
);

export const logLoss = loss('logLoss', (y, p, weights, epsilon = 1e-7, reduction) =>
  tidy(() => {
    const positive = y.mul(p.add(epsilon).log());
    const negative = y
      .neg()
      .add(1)
      .mul(
        p
          .neg()
          .add(1 + epsilon)
          .log(),
      );
    return computeWeightedLoss(positive.add(negative).neg(), weights, reduction);
  }),
);

// Cross-entropy of logits against labels in 0..1, stable for large logits:
// max(x, 0) - x y + log(1 + exp(-|x|)).
export const sigmoidCrossEntropy = loss('sigmoidCrossEntropy', (y, logits, weights, labelSmoothing = 0, reduction) =>
  tidy(() => {
    const labels = labelSmoothing > 0 ? y.mul(1 - labelSmoothing).add(0.5 * labelSmoothing) : y;
    const perValue = logits.relu().sub(logits.mul(labels)).add(logits.abs().neg().exp().log1p());
    return computeWeightedLoss(perValue, weights, reduction);
  }),
);

// Cross-entropy of logits (..., classes) against one-hot labels, one loss per row.
export const softmaxCrossEntropy = loss('softmaxCrossEntropy', (y, logits, weights, labelSmoothing = 0, reduction) =>
  tidy(() => {
    const classes = logits.shape.at(-1);
    const labels = labelSmoothing > 0 ? y.mul(1 - labelSmoothing).add(labelSmoothing / classes) : y;
    const perRow = labels.mul(logits.logSoftmax()).sum(-1).neg();
    return computeWeightedLoss(perRow, weights, reduction);
  }),
);
