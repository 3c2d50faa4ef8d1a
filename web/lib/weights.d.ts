// Types of weights.js: weights and structure of models and layers, as TensorFlow.js names them.
import type { SymbolicTensor } from './functional.js';
import type { Tensor } from './tensor.js';

/** A Tensor of a weight's values that can write them back to the weight. */
export type WeightValue = Tensor & { assign(value: Tensor): void };

/** One weight of a built model, as TensorFlow.js' LayerVariable. */
export class LayerVariable {
  /** "<layer name>/<weight name>": "dense_1/kernel", "bn/moving_mean". */
  readonly name: string;
  readonly originalName: string;
  readonly shape: number[];
  readonly dtype: 'float32';
  /** False for statistics (batch normalization's moving mean and variance) and for every
   * weight of a layer set trainable = false. */
  readonly trainable: boolean;
  /** Its current values, as a new Tensor. */
  read(): WeightValue;
  readonly val: WeightValue;
  /** Replaces its values (shape checked); later reads, predict and fit see them. */
  write(value: Tensor): this;
}

/** TensorFlow.js' InputLayer, described. */
export interface InputLayerInfo {
  name: string;
  type: 'inputLayer';
  batchInputShape: (number | null)[];
}

declare module './index.js' {
  interface LayerConfig {
    /** True unless set; a change takes effect at the model's next compile. */
    trainable: boolean;
    /** The layer's weights in the model it was last built in (kernel, bias; gamma, beta,
     * moving_mean, moving_variance); throws if it is in no built model. */
    getWeights(): Tensor[];
    setWeights(weights: Tensor[]): void;
    readonly weights: LayerVariable[];
    readonly trainableWeights: LayerVariable[];
    readonly nonTrainableWeights: LayerVariable[];
  }
  interface Sequential {
    /** trainableWeights, then nonTrainableWeights, as TensorFlow.js lists them. */
    readonly weights: LayerVariable[];
    readonly trainableWeights: LayerVariable[];
    readonly nonTrainableWeights: LayerVariable[];
    /** Symbolic tensors with their shapes ([null, ...]); reading them builds a Sequential. */
    inputs: SymbolicTensor[];
    outputs: SymbolicTensor[];
    readonly inputLayers: InputLayerInfo[];
    readonly outputLayers: LayerConfig[];
    readonly layers: LayerConfig[];
    getLayer(nameOrIndex: string | number): LayerConfig;
  }
}
