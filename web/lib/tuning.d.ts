// Types of tuning.js: k-fold cross-validation and hyperparameter search.
import type { FitArgs, Sequential, Tensor } from './index.js';
import type { Surrogate } from './bayes.js';

export interface Samples {
  values: Float32Array | Uint8Array;
  shape: number[];
}
export function crossValidate(options: {
  makeModel: (fold: number) => Sequential;
  x: Samples;
  y: Samples;
  k?: number;
  fit?: Omit<FitArgs, 'validationData' | 'validationSplit'>;
  metric?: string;
  seed?: number;
  onFold?: (fold: { fold: number; validationRows: number[]; value: number; history: Record<string, number[]> }) => void;
}): Promise<{
  folds: { fold: number; validationRows: number[]; value: number; history: Record<string, number[]> }[];
  mean: number;
  std: number;
}>;
export type SearchSpace = Record<string, unknown[] | { min: number; max: number; log?: boolean; whole?: boolean }>;
export interface Trial {
  index: number;
  params: Record<string, unknown>;
  value: number;
  history: Record<string, number[]>;
}
export function searchTrials(
  space: SearchSpace,
  options?: { method?: 'grid' | 'random'; trials?: number; seed?: number },
): Record<string, unknown>[];
export function search(options: {
  space: SearchSpace;
  method?: 'grid' | 'random' | 'bayesian';
  trials?: number;
  seed?: number;
  /** Bayesian: random trials before the surrogate picks (max(3, parameters + 2)). */
  initialTrials?: number;
  makeModel: (params: Record<string, any>) => Sequential;
  fitOptions?: (params: Record<string, any>) => FitArgs;
  data: { x: Tensor; y: Tensor; xVal: Tensor; yVal: Tensor };
  metric?: string;
  onTrial?: (trial: Trial, trials: Trial[], surrogate: Surrogate | null) => void;
  signal?: AbortSignal;
}): Promise<{ trials: Trial[]; best: Trial | null; aborted: boolean }>;
