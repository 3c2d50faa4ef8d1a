// The rules of TensorFlow.js' image operations (conv2d, maxPool, avgPool) and draws
// (multinomial), as ops.js has them for the others: the result's shape and dtype and the
// engine's settings (engine/ops/conv_ops.h, random.h).
import { show } from './show.js';

const float = () => 'float32';
const whole = () => 'int32';

// One spatial axis of an image op, as TensorFlow computes it: valid: floor((in - k) / s) + 1;
// same: ceil(in / s).
function outSize(name, axis, size, window, stride, pad) {
  if (pad === 'same') return Math.ceil(size / stride);
  if (window > size)
    throw new Error(
      `${name}: the window of ${window} is larger than the input's ${axis} of ${size} with "valid" padding; use a smaller window or pad "same"`,
    );
  return Math.floor((size - window) / stride) + 1;
}

// strides and window sizes as TensorFlow.js takes them: a number or [height, width].
function pairOf(name, what, value) {
  const pair = typeof value === 'number' ? [value, value] : value;
  if (!Array.isArray(pair) || pair.length !== 2 || pair.some((v) => !Number.isInteger(v) || v < 1))
    throw new Error(`${name}: ${what} must be a whole number >= 1 or two of them; got ${show(value)}`);
  return pair;
}

// 'valid', 'same', or 0 (no padding, as 'valid').
function padOf(name, pad) {
  if (pad === 0) return 'valid';
  if (pad !== 'valid' && pad !== 'same')
    throw new Error(`${name}: pad must be 'valid', 'same' or 0 (explicit padding is not supported); got ${show(pad)}`);
  return pad;
}

function imageShape(name, x) {
  if (x.length !== 4)
    throw new Error(`${name}: expected x of rank 4 (batch, height, width, channels); got shape ${show(x)}`);
  return x;
}

// An image op's output (N, OH, OW, channels) and settings.
function imageOp(name, [x, filter], window, strides, pad) {
  imageShape(name, x);
  const [sh, sw] = pairOf(name, 'strides', strides);
  const [kh, kw] = window;
  const padding = padOf(name, pad);
  const rows = outSize(name, 'height', x[1], kh, sh, padding);
  const cols = outSize(name, 'width', x[2], kw, sw, padding);
  return {
    shape: [x[0], rows, cols, filter ? filter[3] : x[3]],
    attrs: { strides: [sh, sw], padding, ...(filter ? {} : { window }) },
  };
}

function conv2dPlan(shapes, [strides, pad]) {
  const [x, filter] = shapes;
  if (filter.length !== 4)
    throw new Error(`conv2d: expected a filter of rank 4 (height, width, in channels, filters); got ${show(filter)}`);
  if (x.length === 4 && filter[2] !== x[3])
    throw new Error(`conv2d: the filter ${show(filter)} takes ${filter[2]} channels; x ${show(x)} has ${x[3]}`);
  return imageOp('conv2d', shapes, filter.slice(0, 2), strides, pad);
}

function pool(name) {
  const plan = ([x], [filterSize, strides, pad]) =>
    imageOp(name, [x], pairOf(name, 'filterSize', filterSize), strides, pad);
  return {
    shape: (shapes, args) => plan(shapes, args).shape,
    dtype: float,
    attrs: (shapes, args) => plan(shapes, args).attrs,
  };
}

export const IMAGE_OPS = {
  conv2d: {
    shape: (shapes, args) => conv2dPlan(shapes, args).shape,
    dtype: float,
    attrs: (shapes, args) => conv2dPlan(shapes, args).attrs,
  },
  maxPool: pool('maxPool'),
  avgPool: pool('avgPool'),
  multinomial: {
    shape([logits], [numSamples]) {
      if (logits.length !== 1 && logits.length !== 2)
        throw new Error(`multinomial: expected logits of rank 1 or 2; got shape ${show(logits)}`);
      if (!Number.isInteger(numSamples) || numSamples < 1)
        throw new Error(`multinomial: numSamples must be a whole number >= 1; got ${show(numSamples)}`);
      return logits.length === 1 ? [numSamples] : [logits[0], numSamples];
    },
    dtype: whole,
    attrs: (shapes, [numSamples, seed, normalized = false]) => ({ count: numSamples, seed, normalized }),
    differentiable: false,
  },
};
