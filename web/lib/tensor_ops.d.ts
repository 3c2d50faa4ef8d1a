// Type declarations for TensorFlow.js' operations as functions (web/lib/tensor_ops.js);
// each is also a method of Tensor.
import type { Axis, DataType, NestedArray, Tensor, TensorLike } from './tensor.js';

export function abs(x: TensorLike): Tensor;
export function neg(x: TensorLike): Tensor;
export function square(x: TensorLike): Tensor;
export function sqrt(x: TensorLike): Tensor;
export function rsqrt(x: TensorLike): Tensor;
export function reciprocal(x: TensorLike): Tensor;
export function exp(x: TensorLike): Tensor;
export function expm1(x: TensorLike): Tensor;
export function log(x: TensorLike): Tensor;
export function log1p(x: TensorLike): Tensor;
export function sigmoid(x: TensorLike): Tensor;
export function tanh(x: TensorLike): Tensor;
export function relu(x: TensorLike): Tensor;
export function relu6(x: TensorLike): Tensor;
export function elu(x: TensorLike): Tensor;
export function selu(x: TensorLike): Tensor;
export function softplus(x: TensorLike): Tensor;
export function sin(x: TensorLike): Tensor;
export function cos(x: TensorLike): Tensor;
export function erf(x: TensorLike): Tensor;
export function sign(x: TensorLike): Tensor;
export function floor(x: TensorLike): Tensor;
export function ceil(x: TensorLike): Tensor;
export function round(x: TensorLike): Tensor;
export function logicalNot(x: TensorLike): Tensor;
export function isNaN(x: TensorLike): Tensor;
export function clone(x: TensorLike): Tensor;
export function flatten(x: TensorLike): Tensor;
export function add(a: TensorLike, b: TensorLike): Tensor;
export function sub(a: TensorLike, b: TensorLike): Tensor;
export function mul(a: TensorLike, b: TensorLike): Tensor;
export function div(a: TensorLike, b: TensorLike): Tensor;
export function pow(a: TensorLike, b: TensorLike): Tensor;
export function maximum(a: TensorLike, b: TensorLike): Tensor;
export function minimum(a: TensorLike, b: TensorLike): Tensor;
export function squaredDifference(a: TensorLike, b: TensorLike): Tensor;
export function atan2(a: TensorLike, b: TensorLike): Tensor;
export function mod(a: TensorLike, b: TensorLike): Tensor;
export function equal(a: TensorLike, b: TensorLike): Tensor;
export function notEqual(a: TensorLike, b: TensorLike): Tensor;
export function greater(a: TensorLike, b: TensorLike): Tensor;
export function greaterEqual(a: TensorLike, b: TensorLike): Tensor;
export function less(a: TensorLike, b: TensorLike): Tensor;
export function lessEqual(a: TensorLike, b: TensorLike): Tensor;
export function logicalAnd(a: TensorLike, b: TensorLike): Tensor;
export function logicalOr(a: TensorLike, b: TensorLike): Tensor;
export function sum(x: TensorLike, axis?: Axis, keepDims?: boolean): Tensor;
export function prod(x: TensorLike, axis?: Axis, keepDims?: boolean): Tensor;
export function mean(x: TensorLike, axis?: Axis, keepDims?: boolean): Tensor;
export function max(x: TensorLike, axis?: Axis, keepDims?: boolean): Tensor;
export function min(x: TensorLike, axis?: Axis, keepDims?: boolean): Tensor;
export function logSumExp(x: TensorLike, axis?: Axis, keepDims?: boolean): Tensor;
export function argMax(x: TensorLike, axis?: number): Tensor;
export function argMin(x: TensorLike, axis?: number): Tensor;
export function leakyRelu(x: TensorLike, alpha?: number): Tensor;
export function step(x: TensorLike, alpha?: number): Tensor;
export function clipByValue(x: TensorLike, min: number, max: number): Tensor;
export function softmax(x: TensorLike, dim?: number): Tensor;
export function logSoftmax(x: TensorLike, axis?: number): Tensor;
export function matMul(a: TensorLike, b: TensorLike, transposeA?: boolean, transposeB?: boolean): Tensor;
export function dot(a: TensorLike, b: TensorLike): Tensor;
export function norm(x: TensorLike, ord?: number | 'euclidean' | 'fro', axis?: Axis, keepDims?: boolean): Tensor;
export function moments(x: TensorLike, axes?: Axis, keepDims?: boolean): { mean: Tensor; variance: Tensor };
export function conv2d(
  x: TensorLike,
  filter: TensorLike,
  strides: number | [number, number],
  pad: 'valid' | 'same',
): Tensor;
export function maxPool(
  x: TensorLike,
  filterSize: number | [number, number],
  strides: number | [number, number],
  pad: 'valid' | 'same',
): Tensor;
export function avgPool(
  x: TensorLike,
  filterSize: number | [number, number],
  strides: number | [number, number],
  pad: 'valid' | 'same',
): Tensor;
export function transpose(x: TensorLike, perm?: number[]): Tensor;
export function tile(x: TensorLike, reps: number[]): Tensor;
export function pad(x: TensorLike, paddings: Array<[number, number]>, constantValue?: number): Tensor;
export function gather(x: TensorLike, indices: TensorLike, axis?: number): Tensor;
export function where(condition: TensorLike, a: TensorLike, b: TensorLike): Tensor;
/** One-hot rows (int32) for class indices of any rank: (indices..., depth). */
export function oneHot(indices: Tensor | ArrayLike<number>, depth: number): Tensor;
export function cast(x: TensorLike, dtype: DataType): Tensor;
export function reshape(x: TensorLike, shape: number[]): Tensor;
export function expandDims(x: TensorLike, axis?: number): Tensor;
export function squeeze(x: TensorLike, axis?: number | number[]): Tensor;
export function slice(x: TensorLike, begin: number | number[], size?: number | number[]): Tensor;
/** Tensors of one rank joined along `axis` (default 0), as TensorFlow.js' concat. */
export function concat(tensors: TensorLike[], axis?: number): Tensor;
export function addN(tensors: TensorLike[]): Tensor;
export function stack(tensors: TensorLike[], axis?: number): Tensor;
export function unstack(x: TensorLike, axis?: number): Tensor[];
export function split(x: TensorLike, numOrSizeSplits: number | number[], axis?: number): Tensor[];
export function fill(shape: number[], value: number, dtype?: DataType): Tensor;
export function zerosLike(x: Tensor): Tensor;
export function onesLike(x: Tensor): Tensor;
export function range(start: number, stop?: number, step?: number, dtype?: DataType): Tensor;
export function randomUniform(
  shape: number[],
  minval?: number,
  maxval?: number,
  dtype?: DataType,
  seed?: number,
): Tensor;
export function randomNormal(shape: number[], mean?: number, stdDev?: number, dtype?: DataType, seed?: number): Tensor;
export function truncatedNormal(
  shape: number[],
  mean?: number,
  stdDev?: number,
  dtype?: DataType,
  seed?: number,
): Tensor;
/** numSamples class indices (int32) per row of logits (classes) or (batch, classes). */
export function multinomial(logits: TensorLike, numSamples: number, seed?: number, normalized?: boolean): Tensor;
export function linspace(start: number, stop: number, num: number): Tensor;
export type { NestedArray };
/** Resolves after the event loop has turned (a page's next animation frame). */
export function nextFrame(): Promise<void>;
