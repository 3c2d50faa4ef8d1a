// TensorFlow.js' TensorBuffer: values of a shape, set and read one at a time by their
// coordinates in plain JavaScript, then made into a tensor at once (toTensor). Programs
// fill one this way (tf.buffer(shape, dtype), buffer.set(value, ...coordinates)) rather
// than making a tensor per value. tensor.bufferSync() and await tensor.buffer() give one.
// Also tensor.print, toString and tf.print, the other way programs look at values (a
// program's, index.js: the page's own library goes without).
import { ARRAY_TYPES, Tensor, tensor } from './tensor.js';
import { formatTensor } from './tensor_format.js';
import { show } from './show.js';

export class TensorBuffer {
  constructor(shape, dtype = 'float32', values) {
    if (!Array.isArray(shape) || shape.some((d) => !Number.isInteger(d) || d < 0))
      throw new Error(`buffer: shape must be an array of whole numbers >= 0; got ${show(shape)}`);
    if (!Object.hasOwn(ARRAY_TYPES, dtype))
      throw new Error(`buffer: unknown dtype ${show(dtype)}; expected one of ${Object.keys(ARRAY_TYPES).join(', ')}`);
    this.shape = shape.slice();
    this.dtype = dtype;
    this.size = shape.reduce((a, b) => a * b, 1);
    if (values !== undefined && values !== null) {
      if (!ArrayBuffer.isView(values) && !Array.isArray(values))
        throw new Error(`buffer: values must be a typed array or an array; got ${show(values)}`);
      if (values.length !== this.size)
        throw new Error(`buffer: shape ${show(shape)} holds ${this.size} values; ${values.length} were given`);
    }
    this.values = values ?? new ARRAY_TYPES[dtype](this.size);
    // Row-major strides of every dimension but the last, as TensorFlow.js gives them.
    this.strides = [];
    for (let i = shape.length - 2, stride = 1; i >= 0; i--) this.strides.unshift((stride *= shape[i + 1]));
  }

  get rank() {
    return this.shape.length;
  }

  // The flat index of coordinates (one per dimension, each inside it).
  locToIndex(locs) {
    if (locs.length !== this.rank)
      throw new Error(
        `buffer: ${locs.length} coordinates were given; a buffer of shape ${show(this.shape)} takes ${this.rank}`,
      );
    let index = 0;
    for (let i = 0; i < locs.length; i++) {
      if (!Number.isInteger(locs[i]) || locs[i] < 0 || locs[i] >= this.shape[i])
        throw new Error(
          `buffer: coordinates ${show(locs)} are outside the shape ${show(this.shape)} (dimension ${i} goes from 0 to ${this.shape[i] - 1})`,
        );
      index = index * this.shape[i] + locs[i];
    }
    return index;
  }

  // The coordinates of a flat index.
  indexToLoc(index) {
    if (!Number.isInteger(index) || index < 0 || index >= Math.max(this.size, 1))
      throw new Error(`buffer: index ${show(index)} is outside 0..${this.size - 1}`);
    const locs = new Array(this.rank);
    for (let i = this.rank - 1; i >= 0; i--) {
      locs[i] = index % this.shape[i];
      index = Math.floor(index / this.shape[i]);
    }
    return locs;
  }

  set(value, ...locs) {
    this.values[this.locToIndex(locs)] = value;
  }

  get(...locs) {
    return this.values[this.locToIndex(locs)];
  }

  toTensor() {
    return tensor(this.values, this.shape, this.dtype);
  }
}

// A tensor's values in a buffer, to read and change one by one (the methods come with the
// core API, as the operations do).
// Logs the values as TensorFlow.js' print writes them (tensor_format.js; verbose: with
// dtype, rank and shape): at once where the engine runs in this thread, else once read
// (the promise resolves then).
Tensor.prototype.print = function print(verbose = false) {
  if (this.settled && this.owner.sync) return Promise.resolve(console.log(this.toString(verbose)));
  return this.data().then((values) => console.log(formatTensor(values, this.shape, this.dtype, verbose)));
};

Tensor.prototype.toString = function toString(verbose = false) {
  if (!(this.settled && this.owner.sync)) return `Tensor ${this.dtype} [${this.shape}] (read it with await data())`;
  return formatTensor(this.dataSync(), this.shape, this.dtype, verbose);
};

Tensor.prototype.buffer = async function buffer() {
  const values = await this.data();
  return new TensorBuffer(this.shape.slice(), this.dtype, values);
};
Tensor.prototype.bufferSync = function bufferSync() {
  const values = this.dataSync();
  return new TensorBuffer(this.shape.slice(), this.dtype, values);
};

// tf.buffer(shape, dtype, values): a new buffer of zeros, or over `values` (not copied).
export const buffer = (shape, dtype = 'float32', values) => new TensorBuffer(shape, dtype, values);

// tf.print(x): the tensor's values on the console (resolves once printed).
export const print = (x) =>
  x instanceof Tensor ? x.print() : Promise.reject(new Error(`print: expected a Tensor; got ${show(x)}`));
