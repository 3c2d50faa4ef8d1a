// Operations TensorFlow.js builds from others (stack, unstack, split, dot, moments, norm),
// built here the same way from the engine's ops, as methods and functions.
import { axesOf, axisOf } from './ops.js';
import { show } from './show.js';
import { Tensor, tidy } from './tensor.js';
import { concat, ofList, toTensor } from './tensor_ops.js';

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
