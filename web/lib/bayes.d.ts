// Types of bayes.js: the surrogate of a Bayesian search (a Gaussian process) and expected
// improvement.
import type { SearchSpace } from './tuning.js';

export interface Encoding {
  parameters: { name: string; kind: 'range' | 'choice'; spec: unknown; at: number; width: number }[];
  size: number;
}
export function encoding(space: SearchSpace): Encoding;
export function encode(code: Encoding, params: Record<string, unknown>): Float64Array;
export function decode(code: Encoding, point: ArrayLike<number>): Record<string, unknown>;
export function draw(space: SearchSpace, random: () => number): Record<string, unknown>;
export interface GaussianProcess {
  predict(point: ArrayLike<number>): { mean: number; std: number };
  best: number;
  logLikelihood: number;
  hyperparameters: { lengthScales: number[]; signal: number; noise: number };
  /** The hyperparameters' logarithms, for the next fit to start from. */
  theta: number[];
}
export function gaussianProcess(
  code: Encoding,
  points: ArrayLike<number>[],
  values: number[],
  options?: { random?: () => number; starts?: number; from?: number[] | null },
): GaussianProcess;
export function expectedImprovement(mean: number, std: number, best: number, margin?: number): number;
export interface Surrogate {
  params: Record<string, any> | null;
  chosenBy?: 'random draw' | 'expected improvement';
  predict(params: Record<string, unknown>): { mean: number; std: number };
  expectedImprovement(params: Record<string, unknown>): number;
  hyperparameters: GaussianProcess['hyperparameters'];
  theta: number[];
  slice(
    name: string,
    points?: number,
  ): { x: unknown[]; mean: number[]; std: number[]; ei: number[]; at: Record<string, unknown> };
}
export function surrogate(
  space: SearchSpace,
  trials: { params: Record<string, unknown>; value: number }[],
  options?: {
    lower?: boolean;
    random?: () => number;
    margin?: number;
    next?: Record<string, unknown> | null;
    from?: number[] | null;
  },
): Surrogate | null;
