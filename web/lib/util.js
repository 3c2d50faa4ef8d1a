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
