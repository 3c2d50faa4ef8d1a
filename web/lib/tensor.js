// Tensors: data copied into engine memory once and read there by fit, evaluate and
// predict, with TensorFlow.js' constructors.
import { engine, newId, registry } from './engine.js';

function flatten(values, shape) {
  if (ArrayBuffer.isView(values)) return { flat: values, inferred: [values.length] };
  if (!Array.isArray(values)) throw new Error(`tensor: values must be a typed array or an array; got ${typeof values}`);
  const inferred = [];
  for (let level = values; Array.isArray(level); level = level[0]) inferred.push(level.length);
  const flat = values.flat(Infinity);
  if (flat.some((v) => typeof v !== 'number')) throw new Error('tensor: every value must be a number');
  return { flat, inferred: shape ? [flat.length] : inferred };
}

// The tensors made inside each running tidy(), innermost last.
const scopes = [];

export class Tensor {
  constructor(shape) {
    this.shape = shape;
    this.size = shape.reduce((a, b) => a * b, 1);
    this.id = newId();
    this.disposed = false;
    this.owner = engine();
    registry.register(this, { kind: 'tensor', id: this.id, owner: this.owner }, this);
    scopes.at(-1)?.push(this);
  }

  get rank() {
    return this.shape.length;
  }

  // A copy of the values.
  async data() {
    this.check('data');
    // A tensor filled from others (oneHot of a Tensor) exists in the engine only then.
    await this.created;
    return this.owner.call('readTensor', this.id);
  }

  dispose() {
    if (this.disposed) return;
    this.disposed = true;
    registry.unregister(this);
    const free = () => this.owner.call('disposeTensor', this.id).catch(() => {});
    // Calls reach the engine in order, so a tensor is freed after its creation; one filled
    // from others later (lazy) is freed once it exists.
    if (this.lazy) this.created.then(free, free);
    else free();
  }

  check(call) {
    if (this.disposed) throw new Error(`${call}: this tensor has been disposed`);
  }
}

// A tensor in engine memory from a typed array or (nested) array, with an optional shape.
// The values are copied once into WebAssembly memory; the engine reads them in place.
export function tensor(values, shape) {
  const { flat, inferred } = flatten(values, shape);
  const dims = shape ?? inferred;
  if (!Array.isArray(dims) || dims.length === 0 || dims.some((d) => !Number.isInteger(d) || d < 1))
    throw new Error(`tensor: shape must be an array of whole numbers >= 1; got ${JSON.stringify(dims)}`);
  const size = dims.reduce((a, b) => a * b, 1);
  if (size !== flat.length)
    throw new Error(`tensor: shape [${dims}] holds ${size} values but ${flat.length} were given`);
  const t = new Tensor(dims);
  const copy = flat instanceof Float32Array ? flat : Float32Array.from(flat);
  t.created = t.owner.call('createTensor', t.id, dims, copy);
  t.created.catch(() => {});
  return t;
}

// A tensor from bytes (pixels, labels), each value entering the engine as byte * scale:
// the bytes cross to the engine and become floats there, with no float copy of the whole
// set in JavaScript. transfer: hand the bytes' buffer to the worker (it becomes unusable
// here) instead of copying it.
export function tensorFromBytes(bytes, shape, { scale = 1 / 255, transfer = false } = {}) {
  if (!(bytes instanceof Uint8Array))
    throw new Error(`tensorFromBytes: bytes must be a Uint8Array; got ${bytes?.constructor?.name ?? typeof bytes}`);
  if (!Array.isArray(shape) || shape.length === 0 || shape.some((d) => !Number.isInteger(d) || d < 1))
    throw new Error(`tensorFromBytes: shape must be an array of whole numbers >= 1; got ${JSON.stringify(shape)}`);
  const size = shape.reduce((a, b) => a * b, 1);
  if (size !== bytes.length)
    throw new Error(`tensorFromBytes: shape [${shape}] holds ${size} values but ${bytes.length} bytes were given`);
  const t = new Tensor(shape);
  t.created = t.owner.callTransferring(
    'createTensorFromBytes',
    transfer ? [bytes.buffer] : [],
    t.id,
    shape,
    bytes,
    scale,
  );
  t.created.catch(() => {});
  return t;
}

// One-hot rows for class indices: labels (n), an array or a Tensor as in TensorFlow.js,
// -> tensor (n, classes). From a Tensor the result is returned at once and filled when the
// labels have been read (anything that uses it waits for that).
export function oneHot(labels, classes) {
  if (!Number.isInteger(classes) || classes < 1)
    throw new Error(`oneHot: classes must be a whole number >= 1; got ${classes}`);
  if (labels instanceof Tensor) {
    labels.check('oneHot');
    if (labels.rank !== 1) throw new Error(`oneHot: labels must be a 1D tensor; got shape [${labels.shape}]`);
    const t = new Tensor([labels.shape[0], classes]);
    t.lazy = true;
    t.created = labels
      .data()
      .then((values) => oneHotValues(values, classes))
      .then((values) => t.owner.call('createTensor', t.id, t.shape, values));
    t.created.catch(() => {});
    return t;
  }
  return tensor(oneHotValues(labels, classes), [labels.length, classes]);
}

function oneHotValues(labels, classes) {
  const out = new Float32Array(labels.length * classes);
  for (let i = 0; i < labels.length; i++) {
    const k = labels[i];
    if (!Number.isInteger(k) || k < 0 || k >= classes)
      throw new Error(
        `oneHot: label ${k} at index ${i} is outside the classes; expected a whole number from 0 to ${classes - 1}`,
      );
    out[i * classes + k] = 1;
  }
  return out;
}

// TensorFlow.js' ranked constructors: the shape given or inferred from nested arrays must
// have `rank` dimensions (a dtype argument, as in tensor1d(values, 'int32'), is accepted;
// values are float32 here).
function ranked(rank, name) {
  return (values, shape) => {
    const dims = Array.isArray(shape) ? shape : ArrayBuffer.isView(values) ? [values.length] : flatten(values).inferred;
    if (dims.length !== rank)
      throw new Error(`${name}: expected a shape of ${rank} dimension${rank > 1 ? 's' : ''}; got [${dims}]`);
    return tensor(values, dims);
  };
}
export const tensor1d = ranked(1, 'tensor1d');
export const tensor2d = ranked(2, 'tensor2d');
export const tensor3d = ranked(3, 'tensor3d');
export const tensor4d = ranked(4, 'tensor4d');

// The tensors in a tensor, array or object (nested), as TensorFlow.js' containers.
function tensorsIn(container, found = []) {
  if (container instanceof Tensor) found.push(container);
  else if (Array.isArray(container)) container.forEach((v) => tensorsIn(v, found));
  else if (container && typeof container === 'object') Object.values(container).forEach((v) => tensorsIn(v, found));
  return found;
}

// Disposes a tensor, or every tensor in an array or object (as TensorFlow.js' dispose).
export function dispose(container) {
  for (const t of tensorsIn(container)) t.dispose();
}

// TensorFlow.js' tidy: runs fn (synchronous) and disposes every tensor made during it but
// those it returns (a tensor, or an array or object of them).
export function tidy(fn) {
  if (typeof fn !== 'function') throw new Error('tidy: expected a function');
  scopes.push([]);
  let result;
  let made;
  try {
    result = fn();
  } finally {
    made = scopes.pop();
  }
  if (result instanceof Promise) throw new Error('tidy: fn must not be async (as in TensorFlow.js); await outside it');
  const kept = new Set(tensorsIn(result));
  for (const t of made) if (!kept.has(t)) t.dispose();
  // Kept tensors belong to the enclosing tidy, if any.
  scopes.at(-1)?.push(...kept);
  return result;
}

// The engine id of a tensor given as `what`, once it exists there.
export async function idOf(t, what) {
  if (!(t instanceof Tensor)) throw new Error(`${what} must be a Tensor made with dl.tensor(); got ${typeof t}`);
  t.check(what);
  await t.created;
  return t.id;
}

// Images (a tensor of shape (n, height, width, channels)) as fit's augmentation would
// change them: random shifts (pixels), rotations (degrees) and zooms (a factor from 1 - zoom
// to 1 + zoom), drawn from `seed`. Resolves with {shape, values}; the tensor is unchanged.
export async function augment(x, { seed = 1, ...options } = {}) {
  const id = await idOf(x, 'augment: x');
  return x.owner.call('augment', id, options, seed);
}
