// Types of functional.js: graph models (dl.input, layer.apply, dl.model).
import type { FitArgs, History, LayerConfig, Logs, Sequential, Tensor } from './index.js';

/** A tensor of a graph being described (dl.input, layer.apply): a shape with null for the
 * batch (null as a whole for a layer's output), no values. */
export class SymbolicTensor {
  shape: (number | null)[] | null;
  name: string | undefined;
  dtype: 'float32';
  sourceLayer: LayerConfig | null;
  inputs: SymbolicTensor[];
}
export function input(config: {
  shape?: number[];
  batchShape?: (number | null)[];
  name?: string;
  dtype?: 'float32';
}): SymbolicTensor;
/** Several inputs: a list of Tensors in the order of `inputs`, or an object by input name. */
export type Inputs = Tensor | Tensor[] | { [inputName: string]: Tensor };

/** A model of a graph (Keras' Functional): trains, evaluates and predicts as a Sequential,
 * taking a list or an object by input name where it has several inputs. */
export class Model extends Sequential {
  constructor(config: {
    inputs: SymbolicTensor | SymbolicTensor[];
    outputs: SymbolicTensor;
    name?: string;
    seed?: number;
  });
  inputs: SymbolicTensor[];
  outputs: SymbolicTensor[];
  name: string;
  readonly layers: LayerConfig[];
  getLayer(nameOrIndex: string | number): LayerConfig;
  fit(x: Inputs, y: Tensor, args?: FitArgs): Promise<History>;
  evaluate(x: Inputs, y: Tensor, args?: { batchSize?: number }): Tensor | Tensor[];
  predict(x: Inputs, args?: { batchSize?: number; probabilities?: boolean }): Tensor;
  trainOnBatch(x: Inputs, y: Tensor): Promise<Logs>;
}
export function model(config: {
  inputs: SymbolicTensor | SymbolicTensor[];
  outputs: SymbolicTensor;
  name?: string;
  seed?: number;
}): Model;
