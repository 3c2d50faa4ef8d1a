// Type declarations for tensors (web/lib/tensor.js): TensorFlow.js' constructors, reads
// and the operations programs apply to outputs and labels.

export type NestedArray = number[] | NestedArray[];
export type DataType = 'float32' | 'int32' | 'bool';
export type TypedValues = Float32Array | Int32Array | Uint8Array;
type Axis = number | number[] | null;

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
  print(): Promise<void>;
  dispose(): void;
  argMax(axis?: number): Tensor;
  argMin(axis?: number): Tensor;
  sum(axis?: Axis, keepDims?: boolean): Tensor;
  prod(axis?: Axis, keepDims?: boolean): Tensor;
  mean(axis?: Axis, keepDims?: boolean): Tensor;
  max(axis?: Axis, keepDims?: boolean): Tensor;
  min(axis?: Axis, keepDims?: boolean): Tensor;
  add(other: Tensor | number): Tensor;
  sub(other: Tensor | number): Tensor;
  mul(other: Tensor | number): Tensor;
  div(other: Tensor | number): Tensor;
  equal(other: Tensor | number): Tensor;
  notEqual(other: Tensor | number): Tensor;
  greater(other: Tensor | number): Tensor;
  greaterEqual(other: Tensor | number): Tensor;
  less(other: Tensor | number): Tensor;
  lessEqual(other: Tensor | number): Tensor;
  abs(): Tensor;
  neg(): Tensor;
  square(): Tensor;
  sqrt(): Tensor;
  exp(): Tensor;
  log(): Tensor;
  softmax(dim?: number): Tensor;
  reshape(shape: number[]): Tensor;
  flatten(): Tensor;
  expandDims(axis?: number): Tensor;
  squeeze(axis?: number | number[]): Tensor;
  slice(begin: number | number[], size?: number | number[]): Tensor;
  cast(dtype: DataType): Tensor;
  toFloat(): Tensor;
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
export function oneHot(labels: ArrayLike<number> | Tensor, classes: number): Tensor;
export function tensorFromBytes(
  bytes: Uint8Array,
  shape: number[],
  options?: { scale?: number; transfer?: boolean },
): Tensor;
export type TensorContainer = Tensor | TensorContainer[] | { [key: string]: TensorContainer } | null | undefined;
/** Disposes a tensor, or every tensor in an array or object. */
/** Tensors of one rank joined along `axis` (default 0), as TensorFlow.js' concat. */
export function concat(tensors: Tensor[], axis?: number): Tensor;
export function dispose(container: TensorContainer): void;
/** Runs fn and disposes every tensor made during it but those it returns. */
export function tidy<T extends TensorContainer>(fn: () => T): T;

export interface MemoryInfo {
  numTensors: number;
  numDataBuffers: number;
  numBytes: number;
  unreliable: boolean;
}
/** TensorFlow.js' memory(): the tensors made and not yet disposed, and their bytes. */
export function memory(): MemoryInfo;

export function argMax(x: Tensor, axis?: number): Tensor;
export function argMin(x: Tensor, axis?: number): Tensor;
export function sum(x: Tensor, axis?: Axis, keepDims?: boolean): Tensor;
export function prod(x: Tensor, axis?: Axis, keepDims?: boolean): Tensor;
export function mean(x: Tensor, axis?: Axis, keepDims?: boolean): Tensor;
export function max(x: Tensor, axis?: Axis, keepDims?: boolean): Tensor;
export function min(x: Tensor, axis?: Axis, keepDims?: boolean): Tensor;
export function add(a: Tensor, b: Tensor | number): Tensor;
export function sub(a: Tensor, b: Tensor | number): Tensor;
export function mul(a: Tensor, b: Tensor | number): Tensor;
export function div(a: Tensor, b: Tensor | number): Tensor;
export function equal(a: Tensor, b: Tensor | number): Tensor;
export function notEqual(a: Tensor, b: Tensor | number): Tensor;
export function greater(a: Tensor, b: Tensor | number): Tensor;
export function greaterEqual(a: Tensor, b: Tensor | number): Tensor;
export function less(a: Tensor, b: Tensor | number): Tensor;
export function lessEqual(a: Tensor, b: Tensor | number): Tensor;
export function abs(x: Tensor): Tensor;
export function neg(x: Tensor): Tensor;
export function square(x: Tensor): Tensor;
export function sqrt(x: Tensor): Tensor;
export function exp(x: Tensor): Tensor;
export function log(x: Tensor): Tensor;
export function softmax(x: Tensor, dim?: number): Tensor;
export function reshape(x: Tensor, shape: number[]): Tensor;
export function expandDims(x: Tensor, axis?: number): Tensor;
export function squeeze(x: Tensor, axis?: number | number[]): Tensor;
export function slice(x: Tensor, begin: number | number[], size?: number | number[]): Tensor;
export function cast(x: Tensor, dtype: DataType): Tensor;
export function clone(x: Tensor): Tensor;
