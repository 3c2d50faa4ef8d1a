// Type declarations for tensors (web/lib/tensor.js): TensorFlow.js' constructors, reads,
// tidy and dispose, and the operations as methods (web/lib/tensor_ops.js).

export type NestedArray = number[] | NestedArray[];
export type DataType = 'float32' | 'int32' | 'bool';
export type TypedValues = Float32Array | Int32Array | Uint8Array;
export type Axis = number | number[] | null;
/** What an op takes for a tensor: a Tensor, a number or (nested) numbers. */
export type TensorLike = Tensor | number | NestedArray | ArrayLike<number>;

/** A tensor in engine (WebAssembly) memory. Free it with dispose(). */
export class Tensor {
  /** null only for a tensor computed from a model not yet built, until it exists. */
  readonly shape: number[];
  readonly size: number;
  readonly rank: number;
  readonly dtype: DataType;
  readonly disposed: boolean;
  /** A copy of the values (Float32Array, Int32Array for int32, Uint8Array for bool). */
  data(): Promise<TypedValues>;
  /** The values as nested arrays of the tensor's shape (a number for a scalar). */
  array(): Promise<NestedArray | number>;
  /** As data(), at once: in Node or with worker: false; in a Web Worker it throws, naming data(). */
  dataSync(): TypedValues;
  arraySync(): NestedArray | number;
  /** The values in a TensorBuffer, to read and change by coordinates. */
  buffer(): Promise<TensorBuffer>;
  bufferSync(): TensorBuffer;
  print(verbose?: boolean): Promise<void>;
  asScalar(): Tensor;
  toString(verbose?: boolean): string;
  dispose(): void;
  argMax(axis?: number): Tensor;
  argMin(axis?: number): Tensor;
  sum(axis?: Axis, keepDims?: boolean): Tensor;
  prod(axis?: Axis, keepDims?: boolean): Tensor;
  mean(axis?: Axis, keepDims?: boolean): Tensor;
  max(axis?: Axis, keepDims?: boolean): Tensor;
  min(axis?: Axis, keepDims?: boolean): Tensor;
  logSumExp(axis?: Axis, keepDims?: boolean): Tensor;
  add(other: TensorLike): Tensor;
  sub(other: TensorLike): Tensor;
  mul(other: TensorLike): Tensor;
  div(other: TensorLike): Tensor;
  pow(other: TensorLike): Tensor;
  maximum(other: TensorLike): Tensor;
  minimum(other: TensorLike): Tensor;
  squaredDifference(other: TensorLike): Tensor;
  atan2(other: TensorLike): Tensor;
  mod(other: TensorLike): Tensor;
  equal(other: TensorLike): Tensor;
  notEqual(other: TensorLike): Tensor;
  greater(other: TensorLike): Tensor;
  greaterEqual(other: TensorLike): Tensor;
  less(other: TensorLike): Tensor;
  lessEqual(other: TensorLike): Tensor;
  logicalAnd(other: TensorLike): Tensor;
  logicalOr(other: TensorLike): Tensor;
  abs(): Tensor;
  neg(): Tensor;
  square(): Tensor;
  sqrt(): Tensor;
  rsqrt(): Tensor;
  reciprocal(): Tensor;
  exp(): Tensor;
  expm1(): Tensor;
  log(): Tensor;
  log1p(): Tensor;
  sigmoid(): Tensor;
  tanh(): Tensor;
  relu(): Tensor;
  relu6(): Tensor;
  elu(): Tensor;
  selu(): Tensor;
  softplus(): Tensor;
  sin(): Tensor;
  cos(): Tensor;
  erf(): Tensor;
  sign(): Tensor;
  floor(): Tensor;
  ceil(): Tensor;
  round(): Tensor;
  logicalNot(): Tensor;
  isNaN(): Tensor;
  leakyRelu(alpha?: number): Tensor;
  step(alpha?: number): Tensor;
  clipByValue(min: number, max: number): Tensor;
  softmax(dim?: number): Tensor;
  logSoftmax(axis?: number): Tensor;
  matMul(b: TensorLike, transposeA?: boolean, transposeB?: boolean): Tensor;
  dot(b: TensorLike): Tensor;
  norm(ord?: number | 'euclidean' | 'fro', axis?: Axis, keepDims?: boolean): Tensor;
  conv2d(filter: TensorLike, strides: number | [number, number], pad: 'valid' | 'same'): Tensor;
  maxPool(filterSize: number | [number, number], strides: number | [number, number], pad: 'valid' | 'same'): Tensor;
  avgPool(filterSize: number | [number, number], strides: number | [number, number], pad: 'valid' | 'same'): Tensor;
  transpose(perm?: number[]): Tensor;
  tile(reps: number[]): Tensor;
  pad(paddings: Array<[number, number]>, constantValue?: number): Tensor;
  gather(indices: TensorLike, axis?: number): Tensor;
  oneHot(depth: number): Tensor;
  reshape(shape: number[]): Tensor;
  flatten(): Tensor;
  as1D(): Tensor;
  as2D(rows: number, columns: number): Tensor;
  as3D(a: number, b: number, c: number): Tensor;
  as4D(a: number, b: number, c: number, d: number): Tensor;
  as5D(a: number, b: number, c: number, d: number, e: number): Tensor;
  expandDims(axis?: number): Tensor;
  squeeze(axis?: number | number[]): Tensor;
  slice(begin: number | number[], size?: number | number[]): Tensor;
  split(numOrSizeSplits: number | number[], axis?: number): Tensor[];
  unstack(axis?: number): Tensor[];
  cast(dtype: DataType): Tensor;
  toFloat(): Tensor;
  asType(dtype: DataType): Tensor;
  toInt(): Tensor;
  toBool(): Tensor;
  clone(): Tensor;
}

export function tensor(values: ArrayLike<number> | NestedArray | number, shape?: number[], dtype?: DataType): Tensor;
export function scalar(value: number, dtype?: DataType): Tensor;
export function zeros(shape: number[], dtype?: DataType): Tensor;
export function ones(shape: number[], dtype?: DataType): Tensor;
export function tensor1d(values: ArrayLike<number> | number[], dtype?: DataType): Tensor;
export function tensor2d(values: ArrayLike<number> | NestedArray, shape?: number[], dtype?: DataType): Tensor;
export function tensor3d(values: ArrayLike<number> | NestedArray, shape?: number[], dtype?: DataType): Tensor;
export function tensor4d(values: ArrayLike<number> | NestedArray, shape?: number[], dtype?: DataType): Tensor;
export function tensorFromBytes(
  bytes: Uint8Array,
  shape: number[],
  options?: { scale?: number; transfer?: boolean },
): Tensor;
export type TensorContainer = Tensor | TensorContainer[] | { [key: string]: TensorContainer } | null | undefined;
/** Disposes a tensor, or every tensor in an array or object. */
export function dispose(container: TensorContainer): void;
/** Runs fn and disposes every tensor made during it but those it returns (and kept ones). */
export function tidy<T extends TensorContainer>(fn: () => T): T;
/** tidy() will not dispose this tensor. */
export function keep<T extends Tensor>(t: T): T;

export interface MemoryInfo {
  numTensors: number;
  numDataBuffers: number;
  numBytes: number;
  unreliable: boolean;
}
/** TensorFlow.js' memory(): the tensors made and not yet disposed, and their bytes. */
export function memory(): MemoryInfo;

/** TensorFlow.js' TensorBuffer: values of a shape set and read by coordinates (tf.buffer). */
export class TensorBuffer {
  constructor(shape: number[], dtype?: DataType, values?: TypedValues | number[]);
  readonly shape: number[];
  readonly dtype: DataType;
  readonly size: number;
  readonly rank: number;
  readonly strides: number[];
  values: TypedValues | number[];
  set(value: number, ...locs: number[]): void;
  get(...locs: number[]): number;
  locToIndex(locs: number[]): number;
  indexToLoc(index: number): number[];
  toTensor(): Tensor;
}
export function buffer(shape: number[], dtype?: DataType, values?: TypedValues | number[]): TensorBuffer;
export function print(x: Tensor): Promise<void>;
