// TensorFlow.js' tensor operations that programs apply to a model's outputs and labels
// (argMax, sums and means, comparisons, slices), on plain {shape, values}. Each has a
// `shape` rule, run where the program is (so that a result's shape is known at once and a
// wrong axis is refused there), and a `compute`, run where the engine keeps the values.
// TensorFlow.js' dtypes are kept as labels: values are float32 in the engine, and a
// tensor's dtype says how data() returns them (Float32Array, Int32Array, Uint8Array).
import { show } from './show.js';

const product = (shape) => shape.reduce((a, b) => a * b, 1);

function axisOf(axis, rank, call) {
  if (!Number.isInteger(axis) || axis < -Math.max(rank, 1) || axis >= Math.max(rank, 1))
    throw new Error(
      `${call}: axis ${show(axis)} is outside a tensor of rank ${rank}; expected ${-rank} to ${rank - 1}`,
    );
  return axis < 0 ? axis + rank : axis;
}

// Reduced axes: all when axis is null, else one or a list.
function axesOf(axis, rank, call) {
  if (axis == null) return [...Array(rank).keys()];
  const list = Array.isArray(axis) ? axis : [axis];
  return [...new Set(list.map((a) => axisOf(a, rank, call)))].sort((a, b) => a - b);
}

// Sizes before, along and after one axis.
function around(shape, axis) {
  return { outer: product(shape.slice(0, axis)), length: shape[axis], inner: product(shape.slice(axis + 1)) };
}

function reducedShape(shape, axes, keepDims) {
  return keepDims ? shape.map((d, i) => (axes.includes(i) ? 1 : d)) : shape.filter((d, i) => !axes.includes(i));
}

// Each value's index in the reduced output.
function reduceIndex(shape, axes) {
  const out = new Int32Array(product(shape));
  const strides = [];
  let stride = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = axes.includes(i) ? 0 : stride;
    if (!axes.includes(i)) stride *= shape[i];
  }
  for (let flat = 0; flat < out.length; flat++) {
    let rest = flat;
    let index = 0;
    for (let i = shape.length - 1; i >= 0; i--) {
      index += (rest % shape[i]) * strides[i];
      rest = Math.floor(rest / shape[i]);
    }
    out[flat] = index;
  }
  return out;
}

function reduction(name, start, step, finish = (v) => v, dtype = null) {
  return {
    shape: ([shape], [axis = null, keepDims = false]) =>
      reducedShape(shape, axesOf(axis, shape.length, name), Boolean(keepDims)),
    dtype: dtype ?? (([input]) => (input === 'float32' ? 'float32' : 'int32')),
    compute([{ shape, values }], [axis = null]) {
      const axes = axesOf(axis, shape.length, name);
      const index = reduceIndex(shape, axes);
      const count = product(axes.map((a) => shape[a]));
      if (count === 0) throw new Error(`${name}: cannot reduce over an empty axis`);
      const out = new Float64Array(values.length / count).fill(start);
      for (let i = 0; i < values.length; i++) out[index[i]] = step(out[index[i]], values[i]);
      return Float32Array.from(out, (v) => finish(v, count));
    },
  };
}

function argReduction(name, better) {
  return {
    shape: ([shape], [axis = 0]) => shape.filter((d, i) => i !== axisOf(axis, shape.length, name)),
    dtype: () => 'int32',
    compute([{ shape, values }], [axis = 0]) {
      const { outer, length, inner } = around(shape, axisOf(axis, shape.length, name));
      const out = new Float32Array(outer * inner);
      for (let o = 0; o < outer; o++)
        for (let k = 0; k < inner; k++) {
          let best = 0;
          for (let j = 1; j < length; j++)
            if (better(values[(o * length + j) * inner + k], values[(o * length + best) * inner + k])) best = j;
          out[o * inner + k] = best;
        }
      return out;
    },
  };
}

// NumPy's broadcasting, as TensorFlow.js does it.
function broadcastShape(a, b, name) {
  const rank = Math.max(a.length, b.length);
  const out = [];
  for (let i = 0; i < rank; i++) {
    const x = a[a.length - rank + i] ?? 1;
    const y = b[b.length - rank + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1)
      throw new Error(
        `${name}: shapes [${a}] and [${b}] cannot be broadcast together; each dimension must match or be 1`,
      );
    out.push(Math.max(x, y));
  }
  return out;
}

// For each output value, the index of the value of a tensor of `shape` it reads.
function broadcastIndex(shape, out) {
  const index = new Int32Array(product(out));
  const rank = out.length;
  const strides = new Array(rank).fill(0);
  let stride = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[rank - shape.length + i] = shape[i] === 1 ? 0 : stride;
    stride *= shape[i];
  }
  for (let flat = 0; flat < index.length; flat++) {
    let rest = flat;
    let at = 0;
    for (let i = rank - 1; i >= 0; i--) {
      at += (rest % out[i]) * strides[i];
      rest = Math.floor(rest / out[i]);
    }
    index[flat] = at;
  }
  return index;
}

function binary(name, f, dtype) {
  return {
    shape: ([a, b]) => broadcastShape(a, b, name),
    dtype,
    compute([a, b], params, dtypes) {
      const shape = broadcastShape(a.shape, b.shape, name);
      const ia = broadcastIndex(a.shape, shape);
      const ib = broadcastIndex(b.shape, shape);
      const whole = dtypes && dtypes[0] !== 'float32' && dtypes[1] !== 'float32';
      return Float32Array.from(ia, (at, i) => f(a.values[at], b.values[ib[i]], whole));
    },
  };
}

const compared = () => 'bool';
const arithmetic = ([a, b]) => (a !== 'float32' && b !== 'float32' ? 'int32' : 'float32');

function unary(f) {
  return { shape: ([shape]) => shape, dtype: ([d]) => d, compute: ([{ values }]) => values.map(f) };
}

// An operation that keeps the values in their order and changes only the shape.
const reshaping = (shape) => ({ shape, dtype: ([d]) => d, compute: ([{ values }]) => values });

function reshapeTo(shape, target, name) {
  if (!Array.isArray(target) || target.some((d) => !Number.isInteger(d) || d < -1))
    throw new Error(`${name}: the new shape must be an array of whole numbers (one may be -1); got ${show(target)}`);
  const unknown = target.filter((d) => d === -1).length;
  if (unknown > 1) throw new Error(`${name}: at most one dimension may be -1; got [${target}]`);
  const known = product(target.filter((d) => d !== -1));
  const size = product(shape);
  const out = target.map((d) => (d === -1 ? size / known : d));
  if (product(out) !== size || out.some((d) => !Number.isInteger(d)))
    throw new Error(`${name}: a tensor of shape [${shape}] (${size} values) cannot become [${target}]`);
  return out;
}

// TensorFlow.js' slice: begin and size as numbers (the first axis) or lists; size -1 is
// "to the end".
function sliceBox(shape, begin, size) {
  const rank = shape.length;
  const starts = Array.isArray(begin) ? begin : [begin ?? 0];
  const sizes = size == null ? [] : Array.isArray(size) ? size : [size];
  const box = shape.map((d, i) => {
    const start = starts[i] ?? 0;
    const length = sizes[i] == null || sizes[i] === -1 ? d - start : sizes[i];
    if (!Number.isInteger(start) || !Number.isInteger(length) || start < 0 || length < 0 || start + length > d)
      throw new Error(
        `slice: begin ${show(starts)} and size ${show(sizes)} go outside a tensor of shape [${shape}] (axis ${i}: from ${show(start)}, ${show(length)} values, of ${d})`,
      );
    return { start, length };
  });
  if (starts.length > rank || sizes.length > rank)
    throw new Error(`slice: begin and size have at most ${rank} entries for a tensor of rank ${rank}`);
  return box;
}

function castValue(dtype) {
  if (dtype === 'int32') return (v) => Math.trunc(v);
  if (dtype === 'bool') return (v) => (v !== 0 ? 1 : 0);
  return (v) => v;
}

export const DTYPES = ['float32', 'int32', 'bool'];

export const OPS = {
  argMax: argReduction('argMax', (a, b) => a > b),
  argMin: argReduction('argMin', (a, b) => a < b),
  sum: reduction('sum', 0, (a, v) => a + v),
  prod: reduction('prod', 1, (a, v) => a * v),
  mean: reduction(
    'mean',
    0,
    (a, v) => a + v,
    (v, count) => v / count,
    () => 'float32',
  ),
  max: reduction('max', -Infinity, Math.max, undefined, ([d]) => d),
  min: reduction('min', Infinity, Math.min, undefined, ([d]) => d),
  add: binary('add', (a, b) => a + b, arithmetic),
  sub: binary('sub', (a, b) => a - b, arithmetic),
  mul: binary('mul', (a, b) => a * b, arithmetic),
  div: binary('div', (a, b, whole) => (whole ? Math.floor(a / b) : a / b), arithmetic),
  equal: binary('equal', (a, b) => (a === b ? 1 : 0), compared),
  notEqual: binary('notEqual', (a, b) => (a !== b ? 1 : 0), compared),
  greater: binary('greater', (a, b) => (a > b ? 1 : 0), compared),
  greaterEqual: binary('greaterEqual', (a, b) => (a >= b ? 1 : 0), compared),
  less: binary('less', (a, b) => (a < b ? 1 : 0), compared),
  lessEqual: binary('lessEqual', (a, b) => (a <= b ? 1 : 0), compared),
  abs: unary(Math.abs),
  neg: unary((v) => -v),
  square: unary((v) => v * v),
  sqrt: { ...unary(Math.sqrt), dtype: () => 'float32' },
  exp: { ...unary(Math.exp), dtype: () => 'float32' },
  log: { ...unary(Math.log), dtype: () => 'float32' },
  softmax: {
    shape: ([shape], [dim = -1]) => {
      if (axisOf(dim, shape.length, 'softmax') !== shape.length - 1)
        throw new Error(`softmax: only the last axis (-1) is supported, as in TensorFlow.js; got ${show(dim)}`);
      return shape;
    },
    dtype: () => 'float32',
    compute([{ shape, values }]) {
      const length = shape.at(-1);
      const out = new Float32Array(values.length);
      for (let row = 0; row < values.length; row += length) {
        let top = -Infinity;
        for (let j = 0; j < length; j++) top = Math.max(top, values[row + j]);
        let total = 0;
        for (let j = 0; j < length; j++) total += out[row + j] = Math.exp(values[row + j] - top);
        for (let j = 0; j < length; j++) out[row + j] /= total;
      }
      return out;
    },
  },
  reshape: reshaping(([shape], [target]) => reshapeTo(shape, target, 'reshape')),
  flatten: reshaping(([shape]) => [product(shape)]),
  expandDims: reshaping(([shape], [axis = 0]) => {
    const at = axisOf(axis, shape.length + 1, 'expandDims');
    return [...shape.slice(0, at), 1, ...shape.slice(at)];
  }),
  squeeze: reshaping(([shape], [axis = null]) => {
    const axes = axis == null ? shape.flatMap((d, i) => (d === 1 ? [i] : [])) : axesOf(axis, shape.length, 'squeeze');
    for (const a of axes)
      if (shape[a] !== 1) throw new Error(`squeeze: axis ${a} has size ${shape[a]}; only axes of size 1 can go`);
    return shape.filter((d, i) => !axes.includes(i));
  }),
  slice: {
    shape: ([shape], [begin, size]) => sliceBox(shape, begin, size).map((b) => b.length),
    dtype: ([d]) => d,
    compute([{ shape, values }], [begin, size]) {
      const box = sliceBox(shape, begin, size);
      const out = new Float32Array(product(box.map((b) => b.length)));
      const strides = shape.map((d, i) => product(shape.slice(i + 1)));
      for (let flat = 0; flat < out.length; flat++) {
        let rest = flat;
        let at = 0;
        for (let i = shape.length - 1; i >= 0; i--) {
          at += (box[i].start + (rest % box[i].length)) * strides[i];
          rest = Math.floor(rest / box[i].length);
        }
        out[flat] = values[at];
      }
      return out;
    },
  },
  cast: {
    shape: ([shape], [dtype]) => {
      if (!DTYPES.includes(dtype))
        throw new Error(`cast: unknown dtype ${show(dtype)}; expected one of ${DTYPES.join(', ')}`);
      return shape;
    },
    dtype: (dtypes, [dtype]) => dtype,
    compute: ([{ values }], [dtype]) => values.map(castValue(dtype)),
  },
  oneHot: {
    shape: ([shape], [depth]) => [...shape, depth],
    dtype: () => 'int32',
    compute([{ values }], [depth]) {
      const out = new Float32Array(values.length * depth);
      values.forEach((k, i) => {
        if (!Number.isInteger(k) || k < 0 || k >= depth)
          throw new Error(
            `oneHot: label ${show(k)} at index ${i} is outside the classes; expected a whole number from 0 to ${depth - 1}`,
          );
        out[i * depth + k] = 1;
      });
      return out;
    },
  },
  clone: { shape: ([shape]) => shape, dtype: ([d]) => d, compute: ([{ values }]) => values.slice() },
  concat: {
    shape(shapes, [axis = 0]) {
      if (!shapes.length) throw new Error('concat: expected at least one tensor');
      const [first] = shapes;
      const at = axisOf(axis, first.length, 'concat');
      shapes.forEach((shape, k) => {
        if (shape.length !== first.length || shape.some((d, i) => i !== at && d !== first[i]))
          throw new Error(`concat: tensor ${k} has shape ${show(shape)}; expected ${show(first)} but for axis ${at}`);
      });
      return first.map((d, i) => (i === at ? shapes.reduce((sum, s) => sum + s[at], 0) : d));
    },
    dtype: (dtypes) => (dtypes.every((d) => d === dtypes[0]) ? dtypes[0] : 'float32'),
    compute(inputs, [axis = 0]) {
      const at = axisOf(axis, inputs[0].shape.length, 'concat');
      const outer = product(inputs[0].shape.slice(0, at));
      const out = new Float32Array(inputs.reduce((n, { values }) => n + values.length, 0));
      let offset = 0;
      for (let o = 0; o < outer; o++)
        for (const { values } of inputs) {
          const piece = values.length / outer;
          out.set(values.subarray(o * piece, (o + 1) * piece), offset);
          offset += piece;
        }
      return out;
    },
  },
};

// The result's shape and dtype, or an Error naming what was wrong.
export function opResult(name, shapes, dtypes, params) {
  const op = OPS[name];
  if (!op) throw new Error(`unknown tensor operation ${show(name)}`);
  return { shape: op.shape(shapes, params), dtype: op.dtype(dtypes, params) };
}

// inputs: [{shape, values}] -> the result's values.
export function computeOp(name, inputs, params, dtypes) {
  return OPS[name].compute(inputs, params, dtypes);
}

export { product };
