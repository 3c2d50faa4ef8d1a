// Type declarations for TensorFlow.js' tf.losses (web/lib/losses.js).
import type { Tensor } from './tensor.js';

export declare const Reduction: { NONE: 0; MEAN: 1; SUM: 2; SUM_BY_NONZERO_WEIGHTS: 3 };
export type ReductionValue = 0 | 1 | 2 | 3;
export type Weights = Tensor | number | undefined;
type Loss = (labels: Tensor, predictions: Tensor, weights?: Weights, reduction?: ReductionValue) => Tensor;
type WithSetting = (
  labels: Tensor,
  predictions: Tensor,
  weights?: Weights,
  setting?: number,
  reduction?: ReductionValue,
) => Tensor;
export function computeWeightedLoss(losses: Tensor, weights?: Weights, reduction?: ReductionValue): Tensor;
export declare const absoluteDifference: Loss;
export declare const meanSquaredError: Loss;
export declare const hingeLoss: Loss;
/** setting: huberLoss' delta, logLoss' epsilon, the cross-entropies' labelSmoothing. */
export declare const huberLoss: WithSetting;
export declare const logLoss: WithSetting;
export declare const sigmoidCrossEntropy: WithSetting;
export declare const softmaxCrossEntropy: WithSetting;
export function cosineDistance(
  labels: Tensor,
  predictions: Tensor,
  axis: number,
  weights?: Weights,
  reduction?: ReductionValue,
): Tensor;
