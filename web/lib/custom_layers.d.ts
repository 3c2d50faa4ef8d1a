// Types of layers written in JavaScript (web/lib/custom_layers.js), TensorFlow.js' save
// and load (tfjs_io.js).
import type { SymbolicTensor } from './functional.js';
import type { Sequential } from './index.js';
import type { Tensor } from './tensor.js';

/** A JavaScript layer's weight, as TensorFlow.js' LayerVariable. */
export interface LayerWeight {
  readonly name: string;
  readonly shape: number[];
  readonly trainable: boolean;
  /** The variable itself: gradients and optimizers use it. */
  readonly val: Tensor;
  read(): Tensor;
  write(value: Tensor): LayerWeight;
}

export interface Initializer {
  className: string;
  apply(shape: number[]): Tensor;
}

/** What a class that extends dl.layers.Layer overrides: build, call, computeOutputShape, getConfig. */
export class Layer {
  constructor(config?: {
    name?: string;
    trainable?: boolean;
    inputShape?: number[];
    batchInputShape?: (number | null)[];
  });
  static readonly className: string;
  readonly name: string;
  readonly type: string;
  trainable: boolean;
  built: boolean;
  build(inputShape: (number | null)[] | (number | null)[][]): void;
  call(inputs: Tensor | Tensor[], kwargs: { training?: boolean }): Tensor;
  computeOutputShape(inputShape: (number | null)[] | (number | null)[][]): (number | null)[];
  getConfig(): Record<string, unknown>;
  invokeCallHook(inputs: unknown, kwargs: unknown): void;
  addWeight(
    name: string,
    shape: number[],
    dtype?: 'float32',
    initializer?: Initializer | string,
    regularizer?: null,
    trainable?: boolean,
  ): LayerWeight;
  readonly weights: LayerWeight[];
  readonly trainableWeights: LayerWeight[];
  readonly nonTrainableWeights: LayerWeight[];
  getWeights(): Tensor[];
  setWeights(weights: Tensor[]): void;
  countParams(): number;
  apply(inputs: Tensor | Tensor[], kwargs?: { training?: boolean }): Tensor;
  apply(inputs: SymbolicTensor | SymbolicTensor[]): SymbolicTensor;
  dispose(): void;
}

export const serialization: { registerClass<T extends typeof Layer>(cls: T): T };

type InitializerConfig = {
  value?: number;
  minval?: number;
  maxval?: number;
  mean?: number;
  stddev?: number;
  scale?: number;
  mode?: 'fanIn' | 'fanOut' | 'fanAvg';
  distribution?: 'normal' | 'truncatedNormal' | 'untruncatedNormal' | 'uniform';
  gain?: number;
  seed?: number;
};
/** TensorFlow.js' initializers: {className, config} objects a layer's kernelInitializer
 * (and the like) takes; apply(shape) draws a weight's first values (web/lib/initializers.js). */
export const initializers: Record<
  | 'zeros'
  | 'ones'
  | 'constant'
  | 'randomNormal'
  | 'randomUniform'
  | 'truncatedNormal'
  | 'varianceScaling'
  | 'glorotUniform'
  | 'glorotNormal'
  | 'heNormal'
  | 'heUniform'
  | 'leCunNormal'
  | 'leCunUniform'
  | 'orthogonal'
  | 'identity',
  (config?: InitializerConfig) => Initializer & { config: InitializerConfig }
>;

export interface Constraint {
  className: 'MaxNorm' | 'UnitNorm' | 'NonNeg' | 'MinMaxNorm';
  config: { maxValue?: number; minValue?: number; rate?: number; axis?: number | number[] };
  apply(w: Tensor): Tensor;
}
/** TensorFlow.js' constraints, for a layer's kernelConstraint (and the like): applied after
 * every update in fit, as Keras applies them. */
export const constraints: {
  maxNorm(config?: { maxValue?: number; axis?: number | number[] }): Constraint;
  unitNorm(config?: { axis?: number | number[] }): Constraint;
  nonNeg(): Constraint;
  minMaxNorm(config?: { minValue?: number; maxValue?: number; rate?: number; axis?: number | number[] }): Constraint;
};

/** An IO handler, as TensorFlow.js' io.withSaveHandler and io.fromMemory make them. */
export interface IOHandler {
  save?(artifacts: object): Promise<object>;
  load?(): Promise<object>;
}

/** The options of http(s):// loads, as TensorFlow.js takes them. */
export interface LoadOptions {
  requestInit?: RequestInit;
  weightPathPrefix?: string;
  fetchFunc?: typeof fetch;
}
/** TensorFlow.js' loadLayersModel: from an IO handler or a URL (localstorage://, indexeddb://, file://, http(s)://). */
export function loadLayersModel(handlerOrUrl: IOHandler | string, options?: LoadOptions): Promise<Sequential>;
/** TensorFlow.js' ModelArtifactsInfo. */
export interface ModelArtifactsInfo {
  dateSaved: Date;
  modelTopologyType: 'JSON';
  modelTopologyBytes: number;
  weightSpecsBytes: number;
  weightDataBytes: number;
}

/** dl.io: TensorFlow.js' layers format (web/lib/io/index.js) and TensorFlow.js' IO handlers. */
export const io: {
  withSaveHandler(save: (artifacts: object) => Promise<unknown>): IOHandler;
  fromMemory(artifacts: object, weightSpecs?: object[], weightData?: ArrayBuffer): IOHandler;
  exportModel(model: Sequential): Promise<object>;
  importModel(artifacts: object): Promise<Sequential>;
  modelFromJSON(json: object | string): Promise<Sequential>;
  saveToBrowser(model: Sequential, name: string): Promise<void>;
  loadFromBrowser(name: string): Promise<Sequential>;
  modelJson(artifacts: object, weightsFile?: string): string;
  http(url: string, options?: LoadOptions): IOHandler;
  browserHTTPRequest(url: string, options?: LoadOptions): IOHandler;
  browserFiles(files: ArrayLike<File> | File[]): IOHandler;
  listModels(): Promise<Record<string, ModelArtifactsInfo>>;
  removeModel(url: string): Promise<ModelArtifactsInfo>;
  copyModel(from: string, to: string): Promise<ModelArtifactsInfo>;
  moveModel(from: string, to: string): Promise<ModelArtifactsInfo>;
  /** Routers: a URL to a handler (or null), asked before the schemes the library knows. */
  registerSaveRouter(router: (url: string) => IOHandler | null): void;
  registerLoadRouter(router: (url: string, options?: LoadOptions) => IOHandler | null): void;
  getSaveHandlers(url: string): IOHandler[];
  getLoadHandlers(url: string, options?: LoadOptions): IOHandler[];
};
