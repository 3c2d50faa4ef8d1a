// Types of the layers' configs, options as TensorFlow.js names them: Dense, Conv2D and 2D
// pooling here; the sequence layers (embeddings, recurrent layers and their wrappers, 1D
// convolutions and pooling, attention) as SequenceLayers, which dl.layers has too.
import type { ActivationName, InitializerName, LayerConfig, Regularizer } from './index.js';
import type { SymbolicTensor } from './functional.js';
import type { Tensor } from './tensor.js';

/** A layer that gives several tensors: an LSTM's [output, h, c] with returnState,
 * Bidirectional's [forward, backward] with mergeMode null, attention's [output, scores]. */
export interface LayerOfParts extends Omit<LayerConfig, 'apply'> {
  apply(inputs: SymbolicTensor | SymbolicTensor[]): SymbolicTensor[];
  apply(inputs: Tensor | Tensor[]): Tensor[];
}

/** An initializer: a name, or dl.initializers.x({...}) (TensorFlow.js' {className, config}). */
type Init =
  | InitializerName
  | 'leCunNormal'
  | 'leCunUniform'
  | 'randomNormal'
  | 'randomUniform'
  | 'truncatedNormal'
  | 'varianceScaling'
  | 'orthogonal'
  | 'identity'
  | 'constant'
  | { className: string; config?: object };
/** A constraint applied after every update: a name, or dl.constraints.x({...}). */
type Constrain = 'maxNorm' | 'unitNorm' | 'nonNeg' | 'minMaxNorm' | { className: string; config?: object };

/** What layers with a kernel and a bias share. */
interface WithKernel {
  activation?: ActivationName;
  useBias?: boolean;
  kernelInitializer?: Init;
  biasInitializer?: Init;
  kernelRegularizer?: Regularizer;
  biasRegularizer?: Regularizer;
  kernelConstraint?: Constrain;
  biasConstraint?: Constrain;
  inputShape?: number[];
  name?: string;
}

export interface DenseConfig extends WithKernel {
  units: number;
  inputDim?: number;
}

export type Size2 = number | [number, number];

export interface Conv2DConfig extends WithKernel {
  filters: number;
  kernelSize: Size2;
  strides?: Size2;
  padding?: 'valid' | 'same';
}

export interface Pooling2DConfig {
  poolSize?: Size2;
  strides?: Size2;
  padding?: 'valid' | 'same';
  inputShape?: number[];
  name?: string;
}

interface Common {
  inputShape?: number[];
  name?: string;
}

export interface RecurrentConfig extends Common {
  units: number;
  activation?: ActivationName;
  recurrentActivation?: ActivationName;
  useBias?: boolean;
  returnSequences?: boolean;
  returnState?: boolean;
  goBackwards?: boolean;
  dropout?: number;
  recurrentDropout?: number;
  kernelInitializer?: Init;
  recurrentInitializer?: Init;
  biasInitializer?: Init;
  kernelRegularizer?: Regularizer;
  recurrentRegularizer?: Regularizer;
  biasRegularizer?: Regularizer;
  kernelConstraint?: Constrain;
  recurrentConstraint?: Constrain;
  biasConstraint?: Constrain;
}

interface Recurrent<C> {
  (config: C & { returnState: true }): LayerOfParts;
  (config: C): LayerConfig;
}

export interface Conv1DConfig extends WithKernel {
  filters: number;
  kernelSize: number;
  strides?: number;
  padding?: 'valid' | 'same' | 'causal';
  dilationRate?: number;
}

export interface Pooling1DConfig extends Common {
  poolSize?: number;
  strides?: number;
  padding?: 'valid' | 'same';
}

export interface MultiHeadAttentionConfig extends Common {
  numHeads: number;
  keyDim: number;
  valueDim?: number;
  dropout?: number;
  useBias?: boolean;
  outputShape?: number;
  useCausalMask?: boolean;
  returnAttentionScores?: boolean;
}

export interface SequenceLayers {
  embedding(
    config: Common & {
      inputDim: number;
      outputDim: number;
      maskZero?: boolean;
      inputLength?: number;
      embeddingsInitializer?: Init;
      embeddingsRegularizer?: Regularizer;
      embeddingsConstraint?: Constrain;
    },
  ): LayerConfig;
  simpleRNN: Recurrent<RecurrentConfig>;
  lstm: Recurrent<RecurrentConfig & { unitForgetBias?: boolean }>;
  gru: Recurrent<RecurrentConfig & { resetAfter?: boolean }>;
  bidirectional(config: Common & { layer: LayerConfig; mergeMode: null }): LayerOfParts;
  bidirectional(config: Common & { layer: LayerConfig; mergeMode?: 'concat' | 'sum' | 'mul' | 'ave' }): LayerConfig;
  timeDistributed(config: Common & { layer: LayerConfig }): LayerConfig;
  repeatVector(config: Common & { n: number }): LayerConfig;
  masking(config?: Common & { maskValue?: number }): LayerConfig;
  conv1d(config: Conv1DConfig): LayerConfig;
  maxPooling1d(config?: Pooling1DConfig): LayerConfig;
  averagePooling1d(config?: Pooling1DConfig): LayerConfig;
  globalMaxPooling1d(config?: Common): LayerConfig;
  /** TensorFlow.js' other names. */
  globalMaxPool1d(config?: Common): LayerConfig;
  maxPool1d(config?: Pooling1DConfig): LayerConfig;
  avgPool1d(config?: Pooling1DConfig): LayerConfig;
  avgPooling1d(config?: Pooling1DConfig): LayerConfig;
  globalMaxPool2d(config?: Common): LayerConfig;
  maxPool2d(config?: object): LayerConfig;
  avgPool2d(config?: object): LayerConfig;
  avgPooling2d(config?: object): LayerConfig;
  /** TensorFlow.js' tf.layers.input: dl.input. */
  input(config: { shape?: number[]; batchShape?: (number | null)[]; name?: string }): SymbolicTensor;
  /** A Sequential's input shape, for the layer added after it. */
  inputLayer(config: {
    inputShape?: (number | null)[];
    batchInputShape?: (number | null)[];
    name?: string;
  }): LayerConfig;
  globalAveragePooling1d(config?: Common): LayerConfig;
  globalMaxPooling2d(config?: Common): LayerConfig;
  upSampling1d(config?: Common & { size?: number }): LayerConfig;
  upSampling2d(config?: Common & { size?: Size2 }): LayerConfig;
  conv2dTranspose(
    config: Common & {
      filters: number;
      kernelSize: Size2;
      strides?: Size2;
      padding?: 'valid' | 'same';
      activation?: ActivationName;
      useBias?: boolean;
    },
  ): LayerConfig;
  cropping1d(config?: Common & { cropping?: number | [number, number] }): LayerConfig;
  cropping2D(
    config?: Common & { cropping?: number | [number, number] | [[number, number], [number, number]] },
  ): LayerConfig;
  zeroPadding1d(config?: Common & { padding?: number | [number, number] }): LayerConfig;
  layerNormalization(
    config?: Common & { axis?: number; epsilon?: number; center?: boolean; scale?: boolean },
  ): LayerConfig;
  multiHeadAttention(config: MultiHeadAttentionConfig & { returnAttentionScores: true }): LayerOfParts;
  multiHeadAttention(config: MultiHeadAttentionConfig): LayerConfig;
  positionEmbedding(config: Common & { sequenceLength: number; initializer?: Init }): LayerConfig;
}
