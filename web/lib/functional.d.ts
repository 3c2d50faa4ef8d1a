// Types of functional.js: graph models (dl.input, layer.apply, dl.model).
import type {
  Evaluation,
  FitArgs,
  History,
  LayerConfig,
  OptimizerConfig,
  Sequential,
  Tensor,
  Values,
} from './index.js';

export * from './weights.js';

/** A tensor of a graph being described (dl.input, layer.apply): a shape with null for the
 * batch (null as a whole for a layer's output), no values. */
export class SymbolicTensor {
  shape: (number | null)[] | null;
  name: string | undefined;
  dtype: 'float32';
  sourceLayer: LayerConfig | null;
  inputs: SymbolicTensor[];
}
/** shape: without the batch; null where a length varies from call to call ([null, 16]). */
export function input(config: {
  shape?: (number | null)[] | number;
  batchShape?: (number | null)[];
  name?: string;
  dtype?: 'float32';
}): SymbolicTensor;
/** Several inputs: a list of Tensors in the order of `inputs`, or an object by input name. */
export type Inputs = Tensor | Tensor[] | { [inputName: string]: Tensor };

/** Targets of several outputs: a list of Tensors in the order of `outputs`, or an object
 * by output name (the output layer's name). */
export type Targets = Tensor | Tensor[] | { [outputName: string]: Tensor };
/** A model's outputs: one, or a list. */
export type ModelOutputs = SymbolicTensor | [SymbolicTensor, ...SymbolicTensor[]] | SymbolicTensor[];
/** One value for a model of one output, a list (one per output) for several. */
export type PerOutput<O, T> = O extends SymbolicTensor | [SymbolicTensor] ? T : T[];
/** Something given per output: one for every output, a list in the outputs' order, or an
 * object by output name. */
export type ByOutput<T> = T | T[] | { [outputName: string]: T };

/** A model of a graph (Keras' Functional): trains, evaluates and predicts as a Sequential,
 * taking a list or an object by input name where it has several inputs, and by output
 * name where it has several outputs. */
export class Model<O extends ModelOutputs = SymbolicTensor> extends Sequential {
  constructor(config: { inputs: SymbolicTensor | SymbolicTensor[]; outputs: O; name?: string; seed?: number });
  /** The output layers' names, which key losses, metrics, targets and logs. */
  outputNames: string[];
  /** Several outputs: a loss per output, their weights in the total loss (1 each by
   * default) and metrics for all outputs (a list of names) or per output. Logs name
   * "<output>_loss" and "<output>_<metric>". */
  compile(config: {
    optimizer?: string | OptimizerConfig;
    loss: ByOutput<string>;
    lossWeights?: number[] | { [outputName: string]: number };
    metrics?: string[] | string[][] | { [outputName: string]: string | string[] };
    fromLogits?: boolean;
  }): Promise<void>;
  inputs: SymbolicTensor[];
  outputs: SymbolicTensor[];
  name: string;
  readonly layers: LayerConfig[];
  getLayer(nameOrIndex: string | number): LayerConfig;
  /** validationData: [x, y], each as fit takes it. */
  fit(
    x: Inputs,
    y: Targets,
    args?: Omit<FitArgs, 'validationData'> & { validationData?: [Inputs, Targets] },
  ): Promise<History>;
  /** Several outputs: [loss, each output's loss, each output's metrics], TensorFlow.js' order. */
  evaluate(x: Inputs, y: Targets, args?: { batchSize?: number }): Tensor | Tensor[];
  evaluateMetrics(x: Inputs, y: Targets, args?: { batchSize?: number }): Promise<Evaluation>;
  predict(x: Inputs, args?: { batchSize?: number; probabilities?: boolean }): PerOutput<O, Tensor>;
  apply(x: Inputs, kwargs?: { training?: boolean }): PerOutput<O, Tensor>;
  apply(x: SymbolicTensor | SymbolicTensor[]): O;
  predictValues(x: Inputs, args?: { batchSize?: number; probabilities?: boolean }): Promise<PerOutput<O, Values>>;
  trainOnBatch(x: Inputs, y: Targets): Promise<number | number[]>;
}
export function model<O extends ModelOutputs = SymbolicTensor>(config: {
  inputs: SymbolicTensor | SymbolicTensor[];
  outputs: O;
  name?: string;
  seed?: number;
}): Model<O>;
