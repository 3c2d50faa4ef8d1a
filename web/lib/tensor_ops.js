// TensorFlow.js' tensor operations on Tensors, each as a method (x.argMax(-1)) and a
// function (dl.argMax(x, -1)): the rules of ops.js give the result's shape and dtype at
// once, the engine's op table computes its values, and its tape records it while a
// gradient is being taken (gradients.js). Operations TensorFlow.js builds from others
// (stack, split, dot, moments, ...) are built here the same way.
import { openTapeIds, recordOp } from './gradients_tape.js';
import { OPS, planOp, product } from './ops.js';
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
export function withTensors(given, name, op, dtypes = []) {
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
export function ofList(tensors, name, op) {
  if (!Array.isArray(tensors)) throw new Error(`${name}: expected an array of tensors; got ${show(tensors)}`);
  return withTensors(tensors, name, op);
}

// TensorFlow.js' concat: tensors of one rank joined along `axis`.
export const concat = (tensors, axis = 0) => ofList(tensors, 'concat', (ts) => operate('concat', ts, { args: [axis] }));
export const addN = (tensors) => ofList(tensors, 'addN', (ts) => operate('addN', ts, { args: [] }));

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

// TensorFlow.js' reshapes to a rank: x.as2D(rows, columns), ...
for (const rank of [1, 2, 3, 4, 5])
  Tensor.prototype[`as${rank}D`] = function (...shape) {
    if (rank === 1 && shape.length === 0) return this.reshape([-1]);
    if (shape.length !== rank)
      throw new Error(`as${rank}D: expected ${rank} dimension${rank > 1 ? 's' : ''}; got ${show(shape)}`);
    return this.reshape(shape);
  };
// x.asScalar(): a tensor of one value as a scalar.
Tensor.prototype.asScalar = function () {
  if (this.shape && this.shape.reduce((a, b) => a * b, 1) !== 1)
    throw new Error(`asScalar: the tensor must hold one value; its shape is ${show(this.shape)}`);
  return this.reshape([]);
};

// Resolves after the event loop has turned (TensorFlow.js' nextFrame: a page's next
// animation frame, so that a training loop lets the page draw; in Node, setImmediate, as
// TensorFlow.js does there: a setTimeout costs about a millisecond each).
export const nextFrame = () =>
  new Promise((resolve) =>
    typeof requestAnimationFrame === 'function'
      ? requestAnimationFrame(() => resolve())
      : typeof setImmediate === 'function'
        ? setImmediate(resolve)
        : setTimeout(resolve, 0),
  );

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
