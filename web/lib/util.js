// TensorFlow.js' tf.util helpers that programs call on their own data before it becomes
// tensors (its examples shuffle index arrays with tf.util.shuffle).
import { shuffle as shuffleWith } from './data/random.js';
import { product } from './ops.js';
import { show } from './show.js';

const checkArray = (array, call) => {
  if (!Array.isArray(array) && !ArrayBuffer.isView(array))
    throw new Error(`util.${call}: expected an array or a typed array; got ${show(array)}`);
};

// Shuffles `array` in place (Fisher-Yates with Math.random, as TensorFlow.js does).
export function shuffle(array) {
  checkArray(array, 'shuffle');
  shuffleWith(array, Math.random);
}

// Shuffles two arrays of the same length in place by the same permutation.
export function shuffleCombo(array, array2) {
  checkArray(array, 'shuffleCombo');
  checkArray(array2, 'shuffleCombo');
  if (array.length !== array2.length)
    throw new Error(
      `util.shuffleCombo: the arrays must have the same length; got ${array.length} and ${array2.length}`,
    );
  const order = shuffleWith(
    Array.from(array, (_, i) => i),
    Math.random,
  );
  const [first, second] = [Array.from(array), Array.from(array2)];
  order.forEach((from, to) => ((array[to] = first[from]), (array2[to] = second[from])));
}

// The number of values a shape holds.
export function sizeFromShape(shape) {
  checkArray(shape, 'sizeFromShape');
  return product(shape);
}

// Throws an Error with message() (a function, as TensorFlow.js takes it, or a string)
// unless expr holds.
export function assert(expr, message) {
  if (!expr) throw new Error(typeof message === 'function' ? message() : String(message ?? 'assertion failed'));
}

// 0..n-1 in a random order (a Uint32Array), for drawing batches.
export function createShuffledIndices(n) {
  if (!Number.isInteger(n) || n < 0)
    throw new Error(`util.createShuffledIndices: n must be a whole number >= 0; got ${show(n)}`);
  const indices = new Uint32Array(n);
  for (let i = 0; i < n; i++) indices[i] = i;
  shuffle(indices);
  return indices;
}

// Milliseconds, as precise as the platform gives them.
export const now = () => performance.now();

// The values of nested arrays (and typed arrays in them, unless skipTypedArray) in order,
// pushed onto `result`.
export function flatten(array, result = [], skipTypedArray = false) {
  if (Array.isArray(array) || (ArrayBuffer.isView(array) && !skipTypedArray)) {
    for (let i = 0; i < array.length; i++) flatten(array[i], result, skipTypedArray);
  } else result.push(array);
  return result;
}

// Whether two arrays hold the same values in the same order.
export function arraysEqual(a, b) {
  if (a === b) return true;
  if (a == null || b == null || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export const isTypedArray = (a) => ArrayBuffer.isView(a) && !(a instanceof DataView);

// Text as UTF-8 bytes and back (TensorFlow.js takes an encoding; UTF-8 is the one here).
function checkEncoding(encoding, call) {
  if (!/^utf-?8$/i.test(encoding)) throw new Error(`util.${call}: only utf-8 is supported; got ${show(encoding)}`);
}
export function encodeString(text, encoding = 'utf-8') {
  checkEncoding(encoding, 'encodeString');
  if (typeof text !== 'string') throw new Error(`util.encodeString: expected a string; got ${show(text)}`);
  return new TextEncoder().encode(text);
}
export function decodeString(bytes, encoding = 'utf-8') {
  checkEncoding(encoding, 'decodeString');
  if (!(bytes instanceof Uint8Array)) throw new Error(`util.decodeString: expected a Uint8Array; got ${show(bytes)}`);
  return new TextDecoder().decode(bytes);
}

// Flat values as nested arrays of `shape` (a scalar's shape [] gives the value's array).
export function toNestedArray(shape, values) {
  checkArray(shape, 'toNestedArray');
  checkArray(values, 'toNestedArray');
  if (shape.length === 0) return values[0];
  const size = product(shape);
  if (size !== values.length)
    throw new Error(`util.toNestedArray: shape ${show(shape)} holds ${size} values; ${values.length} were given`);
  const nest = (offset, dims) => {
    if (dims.length === 1) return Array.from(values.slice(offset, offset + dims[0]));
    const inner = product(dims.slice(1));
    return Array.from({ length: dims[0] }, (_, i) => nest(offset + i * inner, dims.slice(1)));
  };
  return nest(0, shape);
}

// value, held within [min, max].
export const clamp = (min, value, max) => Math.max(min, Math.min(value, max));

// Throws unless two shapes are equal, with `prefix` before the message.
export function assertShapesMatch(a, b, prefix = '') {
  checkArray(a, 'assertShapesMatch');
  checkArray(b, 'assertShapesMatch');
  if (!arraysEqual(a, b)) throw new Error(`${prefix}Shapes ${show(a)} and ${show(b)} must match`);
}
