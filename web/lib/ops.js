// TensorFlow.js' tensor operations as the program sees them: for each, the rule that gives
// its result's shape and dtype from its inputs' (run where the program is, so that a
// result's shape is known at once and a wrong axis is refused there) and the settings the
// engine's op table (engine/ops) takes for it. The values are computed by the engine,
// which also takes their gradients.
//
// TensorFlow.js' dtypes are kept as labels: values are float32 in the engine, and a
// tensor's dtype says how data() returns them (Float32Array, Int32Array, Uint8Array) and
// which rules apply (int32 division floors, comparisons give bool).
import { IMAGE_OPS } from './ops_images.js';
import { show } from './show.js';

const product = (shape) => shape.reduce((a, b) => a * b, 1);

function axisOf(axis, rank, call) {
  if (rank === 0) throw new Error(`${call}: a scalar has no axis ${show(axis)}; expected a tensor of rank 1 or more`);
  if (!Number.isInteger(axis) || axis < -rank || axis >= rank)
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

function reducedShape(shape, axes, keepDims) {
  return keepDims ? shape.map((d, i) => (axes.includes(i) ? 1 : d)) : shape.filter((d, i) => !axes.includes(i));
}

// NumPy's broadcasting, as TensorFlow.js does it.
function broadcastShape(shapes, name) {
  const rank = Math.max(...shapes.map((s) => s.length));
  const out = [];
  for (let i = 0; i < rank; i++) {
    const dims = shapes.map((s) => s[s.length - rank + i] ?? 1);
    const size = Math.max(...dims);
    if (dims.some((d) => d !== size && d !== 1))
      throw new Error(
        `${name}: shapes ${shapes.map((s) => `[${s}]`).join(' and ')} cannot be broadcast together; each dimension must match or be 1`,
      );
    out.push(size);
  }
  return out;
}

// TensorFlow.js' dtype order: a mix of dtypes gives the widest.
const WIDTH = { bool: 0, int32: 1, float32: 2 };
const widest = (dtypes) => dtypes.reduce((a, b) => (WIDTH[b] > WIDTH[a] ? b : a), 'bool');

const same = ([d]) => d;
const float = () => 'float32';
const whole = () => 'int32';
const bool = () => 'bool';
const arithmetic = (dtypes) => (widest(dtypes) === 'bool' ? 'int32' : widest(dtypes));

function reduction(name, dtype) {
  return {
    shape: ([shape], [axis = null, keepDims = false]) =>
      reducedShape(shape, axesOf(axis, shape.length, name), Boolean(keepDims)),
    dtype,
    attrs: ([shape], [axis = null, keepDims = false]) => ({
      axes: axesOf(axis, shape.length, name),
      keepDims: Boolean(keepDims),
    }),
    // No axis to reduce (a scalar, or axis []): the values as they are, as in TensorFlow.js
    // (the engine reads no axes as all of them).
    instead: ([shape], [axis = null]) => (axesOf(axis, shape.length, name).length ? null : 'reshape'),
  };
}

function argReduction(name) {
  return {
    shape: ([shape], [axis = 0]) => shape.filter((d, i) => i !== axisOf(axis, shape.length, name)),
    dtype: whole,
    attrs: ([shape], [axis = 0]) => ({ axes: [axisOf(axis, shape.length, name)] }),
    differentiable: false,
  };
}

function binary(name, dtype = arithmetic, differentiable = true) {
  return { shape: (shapes) => broadcastShape(shapes, name), dtype, differentiable };
}

const unary = (dtype = same, attrs) => ({ shape: ([shape]) => shape, dtype, attrs });
const compared = (name) => binary(name, bool, false);

function lastAxis(name) {
  return {
    shape([shape], [dim = -1]) {
      if (axisOf(dim, shape.length, name) !== shape.length - 1)
        throw new Error(`${name}: only the last axis (-1) is supported, as in TensorFlow.js; got ${show(dim)}`);
      return shape;
    },
    dtype: float,
    attrs: () => ({ axes: [-1] }),
  };
}

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

// An op that keeps the values in their order and changes only the shape: the engine's
// reshape to the shape the rule gives.
const reshaping = (rule) => ({
  shape: rule,
  dtype: same,
  engine: 'reshape',
  attrs: (shapes, args) => ({ shape: rule(shapes, args) }),
});

// TensorFlow.js' slice: begin and size as numbers (the first axis) or lists; size -1 is
// "to the end".
function sliceBox(shape, begin, size) {
  const rank = shape.length;
  const starts = Array.isArray(begin) ? begin : [begin ?? 0];
  const sizes = size == null ? [] : Array.isArray(size) ? size : [size];
  if (starts.length > rank || sizes.length > rank)
    throw new Error(`slice: begin and size have at most ${rank} entries for a tensor of rank ${rank}`);
  return shape.map((d, i) => {
    const start = starts[i] ?? 0;
    const length = sizes[i] == null || sizes[i] === -1 ? d - start : sizes[i];
    if (!Number.isInteger(start) || !Number.isInteger(length) || start < 0 || length < 0 || start + length > d)
      throw new Error(
        `slice: begin ${show(starts)} and size ${show(sizes)} go outside a tensor of shape [${shape}] (axis ${i}: from ${show(start)}, ${show(length)} values, of ${d})`,
      );
    return { start, length };
  });
}

function matMulShape([a, b], [transposeA = false, transposeB = false]) {
  if (a.length < 2 || b.length < 2)
    throw new Error(`matMul: expected a and b of rank 2 or more; got shapes [${a}] and [${b}]`);
  const [m, k] = transposeA ? [a.at(-1), a.at(-2)] : [a.at(-2), a.at(-1)];
  const [k2, n] = transposeB ? [b.at(-1), b.at(-2)] : [b.at(-2), b.at(-1)];
  if (k !== k2)
    throw new Error(
      `matMul: the inner sizes differ: a [${a}]${transposeA ? ' transposed' : ''} has ${k} columns, b [${b}]${transposeB ? ' transposed' : ''} has ${k2} rows`,
    );
  const batch = broadcastShape([a.slice(0, -2), b.slice(0, -2)], 'matMul');
  return [...batch, m, n];
}

function permOf(rank, perm) {
  const p = perm ?? [...Array(rank).keys()].reverse();
  if (!Array.isArray(p) || p.length !== rank || [...p].sort((x, y) => x - y).some((axis, i) => axis !== i))
    throw new Error(`transpose: perm ${show(perm)} must order the ${rank} axes 0 to ${rank - 1}, each once`);
  return p;
}

function paddingsOf(shape, paddings) {
  if (
    !Array.isArray(paddings) ||
    paddings.length !== shape.length ||
    paddings.some((p) => !Array.isArray(p) || p.length !== 2 || p.some((n) => !Number.isInteger(n) || n < 0))
  )
    throw new Error(
      `pad: paddings must give [before, after] (whole numbers >= 0) for each of the ${shape.length} axes; got ${show(paddings)}`,
    );
  return paddings;
}

function repsOf(shape, reps) {
  if (!Array.isArray(reps) || reps.length !== shape.length || reps.some((r) => !Number.isInteger(r) || r < 0))
    throw new Error(`tile: reps must give a whole number >= 0 for each of the ${shape.length} axes; got ${show(reps)}`);
  return reps;
}

export const DTYPES = ['float32', 'int32', 'bool'];

// name: {shape(shapes, args), dtype(dtypes, args), attrs(shapes, args) -> the engine's
// settings (none when absent), engine: the table's name when it differs, differentiable}.
export const OPS = {
  sum: reduction('sum', (dtypes) => arithmetic(dtypes)),
  prod: reduction('prod', (dtypes) => arithmetic(dtypes)),
  mean: reduction('mean', float),
  max: reduction('max', same),
  min: reduction('min', same),
  logSumExp: reduction('logSumExp', float),
  argMax: argReduction('argMax'),
  argMin: argReduction('argMin'),
  softmax: lastAxis('softmax'),
  logSoftmax: lastAxis('logSoftmax'),
  add: binary('add'),
  sub: binary('sub'),
  mul: binary('mul'),
  div: {
    ...binary('div'),
    // Two int32 tensors divide with the result floored, as in TensorFlow.js.
    attrs: (shapes, args, dtypes) => ({ integer: dtypes.every((d) => d !== 'float32') }),
  },
  pow: binary('pow'),
  maximum: binary('maximum'),
  minimum: binary('minimum'),
  squaredDifference: binary('squaredDifference'),
  atan2: binary('atan2', float),
  mod: binary('mod'),
  equal: compared('equal'),
  notEqual: compared('notEqual'),
  greater: compared('greater'),
  greaterEqual: compared('greaterEqual'),
  less: compared('less'),
  lessEqual: compared('lessEqual'),
  logicalAnd: compared('logicalAnd'),
  logicalOr: compared('logicalOr'),
  where: {
    shape: (shapes) => broadcastShape(shapes, 'where'),
    dtype: ([, a, b]) => widest([a, b]),
  },
  addN: {
    shape(shapes) {
      if (!shapes.length) throw new Error('addN: expected at least one tensor');
      shapes.forEach((s, k) => {
        if (JSON.stringify(s) !== JSON.stringify(shapes[0]))
          throw new Error(`addN: tensor ${k} has shape ${show(s)}; every tensor must have shape ${show(shapes[0])}`);
      });
      return shapes[0];
    },
    dtype: arithmetic,
  },
  abs: unary(),
  neg: unary(),
  square: unary(),
  sign: unary(),
  floor: unary(),
  ceil: unary(),
  round: unary(),
  relu: unary(),
  relu6: unary(),
  sqrt: unary(float),
  rsqrt: unary(float),
  reciprocal: unary(float),
  exp: unary(float),
  expm1: unary(float),
  log: unary(float),
  log1p: unary(float),
  sigmoid: unary(float),
  tanh: unary(float),
  softplus: unary(float),
  sin: unary(float),
  cos: unary(float),
  erf: unary(float),
  // TensorFlow.js' elu has alpha 1 (the table's elu takes it as attrs.alpha).
  elu: unary(float, () => ({ alpha: 1 })),
  selu: unary(float),
  leakyRelu: unary(float, (shapes, [alpha = 0.2]) => ({ alpha })),
  step: unary(float, (shapes, [alpha = 0]) => ({ alpha })),
  clipByValue: unary(same, (shapes, [low, high]) => {
    if (typeof low !== 'number' || typeof high !== 'number' || !(low <= high))
      throw new Error(`clipByValue: expected clipValueMin <= clipValueMax, two numbers; got ${show([low, high])}`);
    return { low, high };
  }),
  logicalNot: { ...unary(bool), differentiable: false },
  isNaN: { ...unary(bool), differentiable: false },
  matMul: {
    shape: matMulShape,
    dtype: arithmetic,
    attrs: (shapes, [transposeA = false, transposeB = false]) => ({
      transposeA: Boolean(transposeA),
      transposeB: Boolean(transposeB),
    }),
  },
  transpose: {
    shape: ([shape], [perm]) => permOf(shape.length, perm).map((axis) => shape[axis]),
    dtype: same,
    attrs: ([shape], [perm]) => ({ axes: permOf(shape.length, perm) }),
  },
  tile: {
    shape: ([shape], [reps]) => repsOf(shape, reps).map((r, i) => r * shape[i]),
    dtype: same,
    attrs: ([shape], [reps]) => ({ reps: repsOf(shape, reps) }),
  },
  pad: {
    shape: ([shape], [paddings]) => paddingsOf(shape, paddings).map(([b, a], i) => b + shape[i] + a),
    dtype: same,
    attrs: ([shape], [paddings, constantValue = 0]) => ({
      paddings: paddingsOf(shape, paddings).flat(),
      alpha: constantValue,
    }),
  },
  gather: {
    shape([x, indices], [axis = 0]) {
      if (!x.length) throw new Error('gather: expected x of rank 1 or more; got a scalar');
      const at = axisOf(axis, x.length, 'gather');
      return [...x.slice(0, at), ...indices, ...x.slice(at + 1)];
    },
    dtype: same,
    attrs: ([x], [axis = 0]) => ({ axes: [axisOf(axis, x.length, 'gather')] }),
  },
  oneHot: {
    shape([shape], [depth]) {
      if (!Number.isInteger(depth) || depth < 1)
        throw new Error(`oneHot: depth must be a whole number >= 1; got ${show(depth)}`);
      return [...shape, depth];
    },
    dtype: whole,
    attrs: (shapes, [depth]) => ({ depth }),
    differentiable: false,
  },
  cast: {
    shape: ([shape], [dtype]) => {
      if (!DTYPES.includes(dtype))
        throw new Error(`cast: unknown dtype ${show(dtype)}; expected one of ${DTYPES.join(', ')}`);
      return shape;
    },
    dtype: (dtypes, [dtype]) => dtype,
    attrs: (shapes, [dtype]) => ({ dtype }),
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
  clone: reshaping(([shape]) => shape),
  slice: {
    shape: ([shape], [begin, size]) => sliceBox(shape, begin, size).map((b) => b.length),
    dtype: same,
    attrs: ([shape], [begin, size]) => {
      const box = sliceBox(shape, begin, size);
      return { begin: box.map((b) => b.start), size: box.map((b) => b.length) };
    },
  },
  ...IMAGE_OPS,
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
    attrs: ([first], [axis = 0]) => ({ axes: [axisOf(axis, first.length, 'concat')] }),
  },
};

// The result's shape and dtype, or an Error naming what was wrong.
export function opResult(name, shapes, dtypes, args) {
  const op = OPS[name];
  if (!op) throw new Error(`unknown tensor operation ${show(name)}`);
  return { shape: op.shape(shapes, args), dtype: op.dtype(dtypes, args) };
}

// What the engine runs for op `name`: {engine: its name in the table, settings: its
// settings as JSON ('' for none), shape: the result's}.
export function planOp(name, shapes, dtypes, args) {
  const { shape } = opResult(name, shapes, dtypes, args);
  const op = OPS[name];
  if (op.instead?.(shapes, args) === 'reshape')
    return { engine: 'reshape', settings: JSON.stringify({ shape }), shape };
  const attrs = op.attrs?.(shapes, args, dtypes);
  return { engine: op.engine ?? name, settings: attrs ? JSON.stringify(attrs) : '', shape };
}

// Whether a gradient flows through op `name` (comparisons, argMax and oneHot pass none).
export const differentiable = (name) => OPS[name].differentiable !== false;

export { axisOf, axesOf, broadcastShape, product };
