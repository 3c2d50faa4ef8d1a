// TensorFlow.js' tensor operations on Tensors, each as a method (x.argMax(-1)) and a
// function (dl.argMax(x, -1)): the rules of ops.js give the result's shape and dtype at
// once, the engine's op table computes its values, and its tape records it while a
// gradient is being taken (gradients.js). Operations TensorFlow.js builds from others
// (stack, split, dot, moments, ...) are built here the same way.
import { openTapeIds, recordOp } from './gradients_tape.js';
import { OPS, axesOf, axisOf, planOp, product } from './ops.js';
import { show } from './show.js';
import { Tensor, fill, tensor, tidy } from './tensor.js';
import { seedOf } from './tensor_random.js';

// A Tensor made from what TensorFlow.js takes for one (a number, an array, a typed array).
export function toTensor(x, name, dtype) {
  if (x instanceof Tensor) return x;
  if (typeof x === 'number') return tensor(x, [], dtype);
  if (Array.isArray(x) || ArrayBuffer.isView(x)) return tensor(x, undefined, dtype);
  throw new Error(`${name}: expected a Tensor, a number or an array; got ${x?.constructor?.name ?? typeof x}`);
}

// op(tensors) for what TensorFlow.js takes for tensors (given[k] with dtypes[k], if any):
// the tensors made here for numbers and arrays are disposed once op has read them.
function withTensors(given, name, op, dtypes = []) {
  const tensors = given.map((x, k) => toTensor(x, name, dtypes[k]));
  try {
    return op(tensors);
  } finally {
    tensors.forEach((t, k) => t !== given[k] && t.dispose());
  }
}

// The tensor op `name` makes of `inputs`; params: {args, scalar (a number as the second
// input)}. Its shape and dtype are known at once (a bad axis or shape is refused here)
// when its inputs' are.
function operate(name, inputs, params) {
  inputs.forEach((t) => t.check(name));
  const shapes = inputs.map((t) => t.shape);
  const dtypes = inputs.map((t) => t.dtype);
  if (params.scalar !== undefined) {
    shapes.push([]);
    // A number is float32, as TensorFlow.js makes it (so int32 + 1 is float32 there too).
    dtypes.push('float32');
  }
  // With every shape known, the op's plan (its result's shape, its settings) is worked out
  // here once; else where the engine is, once the shapes are.
  const call = shapes.every(Boolean) ? planOp(name, shapes, dtypes, params.args) : null;
  const dtype = OPS[name].dtype(dtypes, params.args);
  const out = new Tensor(call ? call.shape : null, dtype);
  const tapes = openTapeIds();
  fill([out], inputs, 'tensorOp', [name, inputs.map((t) => t.id), out.id, { ...params, call, tapes }, dtypes]);
  recordOp(name, inputs, out);
  return out;
}

const BINARY = [
  'add',
  'sub',
  'mul',
  'div',
  'pow',
  'maximum',
  'minimum',
  'squaredDifference',
  'atan2',
  'mod',
  'equal',
  'notEqual',
  'greater',
  'greaterEqual',
  'less',
  'lessEqual',
  'logicalAnd',
  'logicalOr',
];
// Ops of several tensors, given as a list (concat, addN) or one by one (where, gather,
// matMul), that have functions only or methods of their own below.
const OWN = ['concat', 'addN', 'where', 'gather', 'matMul', 'oneHot', 'conv2d', 'maxPool', 'avgPool', 'multinomial'];

// Each operation as a method and a function, as in TensorFlow.js. A binary one takes a
// Tensor, a number or an array as its second input (a number as the first, too).
export const operations = {};
for (const name of Object.keys(OPS)) {
  if (OWN.includes(name)) continue;
  const method = BINARY.includes(name)
    ? function (other) {
        if (typeof other === 'number') return operate(name, [this], { scalar: other, args: [] });
        return withTensors([other], name, ([t]) => operate(name, [this, t], { args: [] }));
      }
    : function (...args) {
        return operate(name, [this], { args });
      };
  Tensor.prototype[name] = method;
  operations[name] = (x, ...args) => withTensors([x], name, ([t]) => method.call(t, ...args));
}

Tensor.prototype.matMul = function (b, transposeA = false, transposeB = false) {
  return withTensors([b], 'matMul', ([t]) => operate('matMul', [this, t], { args: [transposeA, transposeB] }));
};
Tensor.prototype.gather = function (indices, axis = 0) {
  return withTensors([indices], 'gather', ([t]) => operate('gather', [this, t], { args: [axis] }), ['int32']);
};
Tensor.prototype.oneHot = function (depth) {
  return operate('oneHot', [this], { args: [depth] });
};
// An image op on x of rank 4 (batch, height, width, channels) or 3 (one image), as in
// TensorFlow.js.
function onImages(x, name, op) {
  if (x.rank !== 3) return op(x);
  return tidy(() => op(x.expandDims(0)).squeeze([0]));
}
Tensor.prototype.conv2d = function (filter, strides, pad) {
  return withTensors([filter], 'conv2d', ([f]) =>
    onImages(this, 'conv2d', (x) => operate('conv2d', [x, f], { args: [strides, pad] })),
  );
};
for (const name of ['maxPool', 'avgPool'])
  Tensor.prototype[name] = function (filterSize, strides, pad) {
    return onImages(this, name, (x) => operate(name, [x], { args: [filterSize, strides, pad] }));
  };
export const conv2d = (x, filter, strides, pad) => withTensors([x], 'conv2d', ([t]) => t.conv2d(filter, strides, pad));
export const maxPool = (x, filterSize, strides, pad) =>
  withTensors([x], 'maxPool', ([t]) => t.maxPool(filterSize, strides, pad));
export const avgPool = (x, filterSize, strides, pad) =>
  withTensors([x], 'avgPool', ([t]) => t.avgPool(filterSize, strides, pad));
export const matMul = (a, b, transposeA, transposeB) =>
  withTensors([a], 'matMul', ([t]) => t.matMul(b, transposeA, transposeB));
export const gather = (x, indices, axis) => withTensors([x], 'gather', ([t]) => t.gather(indices, axis));

export function where(condition, a, b) {
  return withTensors([condition, a, b], 'where', (ts) => operate('where', ts, { args: [] }), ['bool']);
}

// op of a list of tensors (or numbers and arrays).
function ofList(tensors, name, op) {
  if (!Array.isArray(tensors)) throw new Error(`${name}: expected an array of tensors; got ${show(tensors)}`);
  return withTensors(tensors, name, op);
}

// TensorFlow.js' concat: tensors of one rank joined along `axis`.
export const concat = (tensors, axis = 0) => ofList(tensors, 'concat', (ts) => operate('concat', ts, { args: [axis] }));
export const addN = (tensors) => ofList(tensors, 'addN', (ts) => operate('addN', ts, { args: [] }));

// One-hot rows for class indices (a Tensor of any rank, or an array, as in TensorFlow.js)
// -> int32 (indices..., depth). An array's rows are made here, as tensor() makes a
// tensor, so that the first widget's engine (which has no op table) takes labels too.
export function oneHot(labels, depth) {
  if (labels instanceof Tensor) return labels.oneHot(depth);
  if (!Array.isArray(labels) && !ArrayBuffer.isView(labels))
    throw new Error(`oneHot: expected a Tensor or an array of class indices; got ${show(labels)}`);
  if (!Number.isInteger(depth) || depth < 1)
    throw new Error(`oneHot: depth must be a whole number >= 1; got ${show(depth)}`);
  const rows = new Float32Array(labels.length * depth);
  Array.from(labels).forEach((k, i) => {
    if (!Number.isInteger(k) || k < 0 || k >= depth)
      throw new Error(
        `oneHot: label ${show(k)} at index ${i} is outside the classes; expected a whole number from 0 to ${depth - 1}`,
      );
    rows[i * depth + k] = 1;
  });
  return tensor(rows, [labels.length, depth], 'int32');
}

// Operations TensorFlow.js builds from others.

// Tensors of one shape stacked along a new axis.
export function stack(tensors, axis = 0) {
  return ofList(tensors, 'stack', (list) => {
    if (!list.length) throw new Error('stack: expected at least one tensor');
    return tidy(() =>
      concat(
        list.map((t) => t.expandDims(axis)),
        axis,
      ),
    );
  });
}

// The tensors along `axis`, each without it.
export function unstack(x, axis = 0) {
  const t = toTensor(x, 'unstack');
  const at = axisOf(axis, t.rank, 'unstack');
  return tidy(() =>
    Array.from({ length: t.shape[at] }, (_, i) => {
      const begin = t.shape.map((d, k) => (k === at ? i : 0));
      const size = t.shape.map((d, k) => (k === at ? 1 : d));
      return t.slice(begin, size).squeeze([at]);
    }),
  );
}

// TensorFlow.js' split: numOrSizeSplits equal parts, or parts of the sizes listed (one may
// be -1).
export function split(x, numOrSizeSplits, axis = 0) {
  const t = toTensor(x, 'split');
  const at = axisOf(axis, t.rank, 'split');
  const length = t.shape[at];
  let sizes;
  if (Number.isInteger(numOrSizeSplits) && numOrSizeSplits > 0) {
    if (length % numOrSizeSplits !== 0)
      throw new Error(`split: axis ${at} of size ${length} does not split into ${numOrSizeSplits} equal parts`);
    sizes = Array(numOrSizeSplits).fill(length / numOrSizeSplits);
  } else if (Array.isArray(numOrSizeSplits)) {
    const known = numOrSizeSplits.filter((n) => n !== -1).reduce((a, b) => a + b, 0);
    sizes = numOrSizeSplits.map((n) => (n === -1 ? length - known : n));
    if (sizes.some((n) => !Number.isInteger(n) || n < 0) || sizes.reduce((a, b) => a + b, 0) !== length)
      throw new Error(`split: sizes ${show(numOrSizeSplits)} do not add up to axis ${at}'s size ${length}`);
  } else throw new Error(`split: expected a number of parts or a list of sizes; got ${show(numOrSizeSplits)}`);
  let start = 0;
  return sizes.map((size) => {
    const begin = t.shape.map((d, k) => (k === at ? start : 0));
    start += size;
    return t.slice(
      begin,
      t.shape.map((d, k) => (k === at ? size : d)),
    );
  });
}

// The dot product of vectors and matrices (ranks 1 and 2), as TensorFlow.js' dot.
export function dot(a, b) {
  const [x, y] = [toTensor(a, 'dot'), toTensor(b, 'dot')];
  if (![1, 2].includes(x.rank) || ![1, 2].includes(y.rank))
    throw new Error(`dot: expected tensors of rank 1 or 2; got shapes ${show(x.shape)} and ${show(y.shape)}`);
  return tidy(() => {
    const left = x.rank === 1 ? x.reshape([1, -1]) : x;
    const right = y.rank === 1 ? y.reshape([-1, 1]) : y;
    const out = left.matMul(right);
    const shape = [...(x.rank === 2 ? [x.shape[0]] : []), ...(y.rank === 2 ? [y.shape[1]] : [])];
    return out.reshape(shape);
  });
}

// The mean and variance over `axes` (all when null), as TensorFlow.js' moments.
export function moments(x, axes = null, keepDims = false) {
  const t = toTensor(x, 'moments');
  const list = axesOf(axes, t.rank, 'moments');
  return tidy(() => {
    const mean = t.mean(list, true);
    const variance = t.squaredDifference(mean).mean(list, keepDims);
    return { mean: keepDims ? mean : mean.reshape(variance.shape), variance };
  });
}

// TensorFlow.js' norm: of all values (axis null), a vector norm over one axis, or a matrix
// norm over two: 'euclidean' (2, 'fro'), 1, Infinity, -Infinity.
export function norm(x, ord = 'euclidean', axis = null, keepDims = false) {
  const t = toTensor(x, 'norm');
  const axes = axis == null ? null : Array.isArray(axis) ? axis : [axis];
  if (axes && axes.length > 2) throw new Error(`norm: axis must be one or two axes; got ${show(axis)}`);
  return tidy(() => {
    const a = t.abs();
    if (ord === 'euclidean' || ord === 'fro' || (ord === 2 && axes?.length !== 2))
      return t.square().sum(axes, keepDims).sqrt();
    if (axes?.length === 2) {
      // A matrix norm: 1 the largest column sum, Infinity the largest row sum.
      const [rows, cols] = ord === 1 ? axes : [axes[1], axes[0]];
      if (ord !== 1 && ord !== Infinity && ord !== -Infinity)
        throw new Error(`norm: ord ${show(ord)} over two axes is not supported; expected 'fro', 1 or Infinity`);
      const sums = a.sum(rows, true);
      const out = ord === -Infinity ? sums.min(cols, true) : sums.max(cols, true);
      return keepDims ? out : out.squeeze(axes);
    }
    if (ord === 1) return a.sum(axes, keepDims);
    if (ord === Infinity) return a.max(axes, keepDims);
    if (ord === -Infinity) return a.min(axes, keepDims);
    throw new Error(`norm: ord ${show(ord)} is not supported; expected 'euclidean', 1, Infinity or -Infinity`);
  });
}

// Tensors of a shape filled, or shaped like another.
export function fillTensor(shape, value, dtype = 'float32') {
  if (!Array.isArray(shape)) throw new Error(`fill: shape must be an array of whole numbers >= 1; got ${show(shape)}`);
  if (typeof value !== 'number') throw new Error(`fill: value must be a number; got ${show(value)}`);
  return tensor(new Float32Array(product(shape)).fill(value), shape, dtype);
}
export const zerosLike = (x) => fillTensor(toTensor(x, 'zerosLike').shape, 0, x.dtype);
export const onesLike = (x) => fillTensor(toTensor(x, 'onesLike').shape, 1, x.dtype);

// Numbers from start up to (not including) stop by step, as TensorFlow.js' range.
export function range(start, stop, step = 1, dtype = 'float32') {
  if (stop === undefined) [start, stop] = [0, start];
  if (step === 0) throw new Error('range: step must not be 0');
  const count = Math.max(0, Math.ceil((stop - start) / step));
  if (count === 0)
    throw new Error(
      `range: from ${show(start)} to ${show(stop)} by ${show(step)} is empty; the engine's tensors hold at least one value`,
    );
  return tensor(
    Float32Array.from({ length: count }, (_, i) => start + i * step),
    [count],
    dtype,
  );
}

// num numbers from start to stop, both included.
export function linspace(start, stop, num) {
  if (!Number.isInteger(num) || num < 1) throw new Error(`linspace: num must be a whole number >= 1; got ${show(num)}`);
  const step = num > 1 ? (stop - start) / (num - 1) : 0;
  return tensor(
    Float32Array.from({ length: num }, (_, i) => start + i * step),
    [num],
  );
}

// numSamples class indices per row of logits (classes) or (batch, classes), int32.
export function multinomial(logits, numSamples, seed, normalized = false) {
  return withTensors([logits], 'multinomial', ([t]) =>
    operate('multinomial', [t], { args: [numSamples, seedOf(seed, 'multinomial'), normalized] }),
  );
}

Object.assign(Tensor.prototype, {
  dot(b) {
    return dot(this, b);
  },
  norm(ord, axis, keepDims) {
    return norm(this, ord, axis, keepDims);
  },
  split(numOrSizeSplits, axis) {
    return split(this, numOrSizeSplits, axis);
  },
  unstack(axis) {
    return unstack(this, axis);
  },
});

// The operations as functions: dl.argMax(x, -1) as x.argMax(-1).
export const {
  abs,
  add,
  argMax,
  argMin,
  atan2,
  cast,
  ceil,
  clipByValue,
  clone,
  cos,
  div,
  elu,
  equal,
  erf,
  exp,
  expandDims,
  expm1,
  flatten,
  floor,
  greater,
  greaterEqual,
  isNaN,
  leakyRelu,
  less,
  lessEqual,
  log,
  log1p,
  logicalAnd,
  logicalNot,
  logicalOr,
  logSoftmax,
  logSumExp,
  max,
  maximum,
  mean,
  min,
  minimum,
  mod,
  mul,
  neg,
  notEqual,
  pad,
  pow,
  prod,
  reciprocal,
  relu,
  relu6,
  reshape,
  round,
  rsqrt,
  selu,
  sigmoid,
  sign,
  sin,
  slice,
  softmax,
  softplus,
  sqrt,
  square,
  squaredDifference,
  squeeze,
  step,
  sub,
  sum,
  tanh,
  tile,
  transpose,
} = operations;
