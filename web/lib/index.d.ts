// Type declarations for the playground's JavaScript API (web/lib/index.js).
import type { Tensor } from './tensor.js';
import type { SymbolicTensor } from './functional.js';

export * from './engine.js';
export * from './layers.js';
import type { Conv2DConfig, DenseConfig, Pooling2DConfig, SequenceLayers } from './layers.js';

/** A value as error messages quote it: its JSON, cut to `limit` (72) characters with '…'; undefined,
 * NaN, ±Infinity, -0, BigInt, symbols, functions, cycles and typed arrays are spelled too. */
export function show(value: unknown, limit?: number): string;

export type ActivationName =
  | 'linear'
  | 'relu'
  | 'leakyRelu'
  | 'leaky_relu'
  | 'elu'
  | 'sigmoid'
  | 'tanh'
  | 'softmax'
  | 'hardSigmoid'
  | 'hard_sigmoid'
  | 'softplus'
  | 'softsign'
  | 'selu'
  | 'gelu'
  | 'gelu_new'
  | 'swish'
  | 'silu'
  | 'mish';
export type InitializerName =
  | 'glorotUniform'
  | 'glorot_uniform'
  | 'glorotNormal'
  | 'glorot_normal'
  | 'heNormal'
  | 'he_normal'
  | 'heUniform'
  | 'he_uniform'
  | 'zeros'
  | 'ones';

export interface Regularizer {
  l1: number;
  l2: number;
}

export interface LayerConfig {
  type: string;
  name?: string;
  inputShape?: number[];
  [option: string]: unknown;
  /** Joins the layer to a graph (symbolic tensors in, one out), or runs it once on Tensors. */
  apply(inputs: SymbolicTensor | SymbolicTensor[]): SymbolicTensor;
  apply(inputs: Tensor | Tensor[]): Tensor;
}

export const layers: SequenceLayers & {
  Layer: typeof import('./custom_layers.js').Layer;
  dense(config: DenseConfig): LayerConfig;
  conv2d(config: Conv2DConfig): LayerConfig;
  maxPooling2d(config?: Pooling2DConfig): LayerConfig;
  averagePooling2d(config?: Pooling2DConfig): LayerConfig;
  globalAveragePooling2d(config?: { inputShape?: number[]; name?: string }): LayerConfig;
  batchNormalization(config?: {
    momentum?: number;
    epsilon?: number;
    center?: boolean;
    scale?: boolean;
    inputShape?: number[];
    name?: string;
  }): LayerConfig;
  reshape(config: { targetShape: number[]; inputShape?: number[]; name?: string }): LayerConfig;
  dropout(config: { rate: number; inputShape?: number[]; name?: string }): LayerConfig;
  flatten(config?: { inputShape?: number[]; name?: string }): LayerConfig;
  activation(config: { activation: ActivationName; inputShape?: number[]; name?: string }): LayerConfig;
  reLU(config?: { maxValue?: number; inputShape?: number[]; name?: string }): LayerConfig;
  leakyReLU(config?: { alpha?: number; inputShape?: number[]; name?: string }): LayerConfig;
  elu(config?: { alpha?: number; inputShape?: number[]; name?: string }): LayerConfig;
  add(config?: { name?: string }): LayerConfig;
  subtract(config?: { name?: string }): LayerConfig;
  multiply(config?: { name?: string }): LayerConfig;
  average(config?: { name?: string }): LayerConfig;
  maximum(config?: { name?: string }): LayerConfig;
  minimum(config?: { name?: string }): LayerConfig;
  concatenate(config?: { axis?: number; name?: string }): LayerConfig;
  dot(config: { axes: number | [number, number]; normalize?: boolean; name?: string }): LayerConfig;
};

export interface OptimizerConfig {
  type: 'sgd' | 'adam' | 'rmsprop' | 'adagrad' | 'adadelta';
  learningRate?: number;
  momentum?: number;
  nesterov?: boolean;
  beta1?: number;
  beta2?: number;
  rho?: number;
  epsilon?: number;
  initialAccumulatorValue?: number;
}

export const regularizers: {
  l1(config?: { l1?: number }): Regularizer;
  l2(config?: { l2?: number }): Regularizer;
  l1l2(config?: { l1?: number; l2?: number }): Regularizer;
};

export * from './callbacks.js';
import type { EarlyStoppingConfig, ScheduleConfig } from './callbacks.js';

export type Logs = Record<string, number>;

export interface BatchInfo {
  epoch: number;
  batches: number;
  samples: number;
  /** Training throughput, measured after warm-up over at least 25 ms; null until then. */
  samplesPerSecond: number | null;
  /** Time per batch over the same window; null until then. */
  batchMs: number | null;
  /** The learning rate this batch's update used. */
  learningRate: number;
  /** How many engines computed this batch (more than 1 when it was split). */
  cores: number;
}

export interface Callbacks {
  onTrainBegin?(): void | Promise<void>;
  onEpochBegin?(epoch: number): void | Promise<void>;
  onBatchEnd?(batch: number, logs: Logs, info: BatchInfo): void | Promise<void>;
  onEpochEnd?(epoch: number, logs: Logs): void | Promise<void>;
  onTrainEnd?(): void | Promise<void>;
  onDiverged?(where: { epoch: number; batch: number }): void | Promise<void>;
  earlyStopping?: Required<EarlyStoppingConfig>;
  schedule?: ScheduleConfig;
}

export interface FitArgs {
  epochs?: number;
  batchSize?: number;
  validationSplit?: number;
  validationData?: [Tensor, Tensor] | [Tensor, Tensor, FitArgs['sampleWeight']];
  shuffle?: boolean;
  classWeight?: Record<number, number>;
  sampleWeight?: Tensor | number[] | number[][] | Float32Array;
  /** Random shifts (pixels) and rotations (degrees) of each training image. */
  augment?: { shift?: number; rotation?: number; zoom?: number; imageShape?: number[] };
  /** A learning-rate schedule (dl.schedules or dl.callbacks.reduceLROnPlateau). */
  schedule?: ScheduleConfig;
  callbacks?: Callbacks | Callbacks[];
  /** Start paused: nothing trains until step() or resume(). */
  startPaused?: boolean;
  /** At most this many batches per second (null or absent: full speed). */
  pace?: number | null;
  /** At most this many engines compute a batch (see ready's workers). */
  workers?: number;
  /** 'auto': split a batch among the engines when measured faster; 'always'; 'never'. */
  splitBatches?: 'auto' | 'always' | 'never';
  /** As TensorFlow.js: epochs - initialEpoch epochs run, numbered from initialEpoch. */
  initialEpoch?: number;
  /** Accepted from TensorFlow.js programs and ignored (see the README). */
  verbose?: number;
  yieldEvery?: 'auto' | 'batch' | 'epoch' | 'never' | number;
  stepsPerEpoch?: number;
  validationSteps?: number;
}

export interface History {
  epoch: number[];
  history: Record<string, number[]>;
  /** Where the loss turned NaN or infinite; the weights are those of the batch before. */
  diverged: { epoch: number; batch: number } | null;
}

export interface BatchEvent {
  epoch: number;
  batch: number;
  batches: number;
  samples: number;
  seconds: number;
  samplesPerSecond: number | null;
  batchMs: number | null;
  logs: Logs;
}

export interface Evaluation {
  loss: number;
  metrics: Logs;
  classes?: number;
  /** classes x classes, row-major: row = true class, column = predicted. */
  confusionMatrix?: number[];
  precision?: number[];
  recall?: number[];
  f1?: number[];
  /** Samples of each true class. */
  support?: number[];
  macro?: { precision: number; recall: number; f1: number };
  weighted?: { precision: number; recall: number; f1: number };
  accuracy?: number;
  /** For binary tasks; null otherwise. */
  rocAuc?: number | null;
}

export interface Values {
  shape: number[];
  values: Float32Array;
}

export interface Statistics {
  mean: number;
  std: number;
  min: number;
  max: number;
  histogram: number[];
}

export class Sequential {
  constructor(config?: { layers?: LayerConfig[]; seed?: number });
  add(layer: LayerConfig | import('./custom_layers.js').Layer): void;
  /** Creates the engine model; called by compile, summary, predict and the rest. */
  build(): Promise<{ layers: LayerInfo[]; inputShape: number[]; outputShape: number[] }>;
  compile(config: {
    optimizer?: string | OptimizerConfig;
    loss: string;
    metrics?: string[];
    fromLogits?: boolean;
  }): Promise<void>;
  fit(x: Tensor, y: Tensor, args?: FitArgs): Promise<History>;
  /** Ends fit after the current batch, as TensorFlow.js' model.stopTraining = true. */
  stopTraining: boolean;
  stop(): void;
  pause(): Promise<void>;
  resume(): Promise<void>;
  /** While paused: trains exactly one batch. */
  step(): Promise<BatchEvent>;
  setPace(pace: number | null): Promise<void>;
  setLearningRate(rate: number): Promise<void>;
  learningRate(): Promise<number>;
  trainOnBatch(x: Tensor, y: Tensor): Promise<number | number[]>;
  /** TensorFlow.js' evaluate: the loss, or [loss, ...metrics] with metrics, as scalar tensors. */
  evaluate(x: Tensor, y: Tensor, args?: { batchSize?: number }): Tensor | Tensor[];
  /** Loss, metrics and, for classification, the confusion matrix and per-class scores. */
  evaluateMetrics(x: Tensor, y: Tensor, args?: { batchSize?: number }): Promise<Evaluation>;
  /** TensorFlow.js' predict: the outputs as a tensor, returned at once, computed in the engine. */
  predict(x: Tensor, args?: { batchSize?: number; probabilities?: boolean }): Tensor;
  /** On Tensors (with the core API): the output, with gradients to x and the weights; on symbolic tensors: the layers applied. */
  apply<X extends Tensor | SymbolicTensor>(x: X, kwargs?: { training?: boolean }): X;
  /** TensorFlow.js' save: to an IO handler or a URL (localstorage://, indexeddb://, downloads://, file://, http(s)://). */
  save(handlerOrUrl: import('./custom_layers.js').IOHandler | string): Promise<object>;
  /** The outputs read at once. */
  predictValues(x: Tensor, args?: { batchSize?: number; probabilities?: boolean }): Promise<Values>;
  /** TensorFlow.js' getWeights: Tensors in `weights`' order (with the engine in a worker, weightEntries()' promise). */
  getWeights(trainableOnly?: boolean): Array<Tensor & { layer: string; name: string; values: Float32Array }>;
  /** Every weight in the engine's order (each layer's in turn). */
  weightEntries(): Promise<Array<Values & { layer: string; name: string }>>;
  /** Replaces every weight: Tensors in `weights`' order, or Float32Arrays in weightEntries()' order; checked whole first. */
  setWeights(
    weights: Tensor[] | Array<Float32Array | { values: Float32Array }> | Promise<unknown[]>,
  ): Promise<void> | void;
  /** False: every layer frozen for the models compiled after (Keras' rule). */
  trainable: boolean;
  activations(x: Tensor): Promise<Array<Values & { layer: string }>>;
  saliency(x: Tensor, outputIndex: number): Promise<Values>;
  unitGradient(x: Tensor, layer: number, unit: number): Promise<{ shape: number[]; values: Float32Array }>;
  /** Gradient ascent on the input from noise towards a large value of one unit. */
  maximizeActivation(options?: {
    layer?: number | string;
    unit?: number;
    steps?: number;
    rate?: number;
    l2?: number;
    blurEvery?: number;
    low?: number;
    high?: number;
    seed?: number;
  }): Promise<{ shape: number[]; values: Float32Array; value: number }>;
  /** Transfer learning: a new, uncompiled model of this one's layers but the last `remove`
   * (their trained weights copied, frozen unless freeze is false), then the layers of `add`. */
  replaceHead(options?: { remove?: number; add?: LayerConfig[]; freeze?: boolean; seed?: number }): Promise<Sequential>;
  layerStatistics(args?: {
    bins?: number;
  }): Promise<Array<{ layer: string; name: string; weights: Statistics; gradients: Statistics }>>;
  layerInfo(): Promise<LayerInfo[]>;
  /** Prints the table line by line; summary(lineLength, positions, printFn) as TensorFlow.js also works. */
  summary(args?: { printFn?: ((line: string) => void) | null }): Promise<string>;
  summary(lineLength?: number, positions?: number[], printFn?: (line: string) => void): Promise<string>;
  dispose(): Promise<void>;
}

export interface LayerInfo {
  name: string;
  type: string;
  outputShape: number[];
  parameters: number;
}

export function sequential(config?: { layers?: LayerConfig[]; seed?: number }): Sequential;

/** Copies `from`'s weights into `to` for their leading layers of the same type, activation,
 * output shape and weight shapes (at most `limit`); resolves with how many layers were copied. */
export function copyLeadingWeights(from: Sequential, to: Sequential, options?: { limit?: number }): Promise<number>;
export function replaceHead(
  model: Sequential,
  options?: { remove?: number; add?: LayerConfig[]; freeze?: boolean; seed?: number },
): Promise<Sequential>;

/** Images (n, height, width, channels) as fit's augmentation would change them. */
export function augment(
  x: Tensor,
  options?: { shift?: number; rotation?: number; zoom?: number; seed?: number },
): Promise<{ shape: number[]; values: Float32Array }>;

export * from './catalog.js';

/** TensorFlow.js' tf.util helpers for a program's own data. */
export namespace util {
  function shuffle(array: unknown[] | ArrayBufferView): void;
  function shuffleCombo(array: unknown[] | ArrayBufferView, array2: unknown[] | ArrayBufferView): void;
  function sizeFromShape(shape: number[]): number;
  function assert(expr: unknown, message?: string | (() => string)): void;
  function createShuffledIndices(n: number): Uint32Array;
  function now(): number;
  function flatten<T>(array: unknown, result?: T[], skipTypedArray?: boolean): T[];
  function arraysEqual(a: ArrayLike<unknown>, b: ArrayLike<unknown>): boolean;
  function isTypedArray(a: unknown): boolean;
  function encodeString(text: string, encoding?: string): Uint8Array;
  function decodeString(bytes: Uint8Array, encoding?: string): string;
  function toNestedArray(shape: number[], values: ArrayLike<number>): unknown;
  function clamp(min: number, value: number, max: number): number;
}

export * from './environment.js';
export { Dataset, data } from './dataset.js';
export * from './tfjs_names.js';

export namespace metrics {
  function rocCurve(
    scores: ArrayLike<number>,
    positives: ArrayLike<boolean | number>,
  ): { fpr: number[]; tpr: number[]; thresholds: number[]; auc: number };
  function precisionRecallCurve(
    scores: ArrayLike<number>,
    positives: ArrayLike<boolean | number>,
  ): { recall: number[]; precision: number[]; averagePrecision: number };
  interface ClassScores {
    precision: number;
    recall: number;
    f1: number;
  }
  interface ClassificationReport {
    perClass: (ClassScores & { support: number })[];
    macro: ClassScores;
    weighted: ClassScores;
    confusionMatrix: number[];
    accuracy: number;
  }
  /** Computed by the engine, as evaluateMetrics' per-class scores are. */
  function classificationReport(
    labels: ArrayLike<number>,
    predictions: ArrayLike<number>,
    classes: number,
  ): Promise<ClassificationReport>;
  /** An evaluateMetrics result's per-class arrays as a row per class. */
  function reportRows(evaluation: Evaluation): ClassificationReport;
}

export * from './tensor.js';
export * from './tensor_ops.js';
export * from './gradients.js';
export * from './custom_layers.js';

/** TensorFlow.js' tf.losses, of tensors (web/lib/losses.js). */
export * as losses from './losses.js';
export * from './tuning.js';
/** The surrogate of a Bayesian search (web/lib/bayes.js). */
export * as bayesian from './bayes.js';
export * from './functional.js';
