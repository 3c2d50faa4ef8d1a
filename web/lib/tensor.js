// Tensors: data copied into engine memory once and read there by fit, evaluate and
// predict, with TensorFlow.js' constructors, reads, tidy and dispose. Their operations
// are in tensor_ops.js.
import { engine, newId, registry, syncReadBlocker, countTensors } from './engine.js';
import { product } from './ops.js';
import { catalog, catalogLoaded } from './catalog.js';
import { show } from './show.js';

function flatten(values, shape) {
  if (ArrayBuffer.isView(values)) return { flat: values, inferred: [values.length] };
  if (!Array.isArray(values)) throw new Error(`tensor: values must be a typed array or an array; got ${typeof values}`);
  const inferred = [];
  for (let level = values; Array.isArray(level); level = level[0]) inferred.push(level.length);
  let flat = values.flat(Infinity);
  if (flat.some((v) => typeof v !== 'number' && typeof v !== 'boolean'))
    throw new Error('tensor: every value must be a number (or a boolean)');
  // Booleans, as TensorFlow.js takes them: 1 and 0, of dtype bool unless one is given.
  const bools = flat.length > 0 && flat.every((v) => typeof v === 'boolean');
  if (flat.some((v) => typeof v === 'boolean')) flat = flat.map(Number);
  return { flat, inferred: shape ? [flat.length] : inferred, bools };
}

// The tensors made inside each running tidy(), innermost last.
const scopes = [];

// TensorFlow.js' dtypes; values are float32 in the engine and data() returns this type.
export const ARRAY_TYPES = { float32: Float32Array, int32: Int32Array, bool: Uint8Array };

export class Tensor {
  // shape: null when only the engine knows it yet (set once the tensor exists there).
  constructor(shape, dtype = 'float32') {
    if (!Object.hasOwn(ARRAY_TYPES, dtype))
      throw new Error(`tensor: unknown dtype ${show(dtype)}; expected one of ${Object.keys(ARRAY_TYPES).join(', ')}`);
    this.dtype = dtype;
    this.id = newId();
    this.disposed = false;
    this.settled = false;
    this.uses = [];
    this.owner = engine();
    this.held = { kind: 'tensor', id: this.id, owner: this.owner, bytes: 0 };
    countTensors(1, 0);
    this.shape = null;
    if (shape) this.setShape(shape);
    registry.register(this, this.held, this);
    scopes.at(-1)?.push(this);
  }

  setShape(shape) {
    this.shape = shape;
    this.size = product(shape);
    countTensors(0, 4 * this.size);
    this.held.bytes = 4 * this.size;
  }

  get rank() {
    return this.shape?.length;
  }

  // A copy of the values, typed by dtype.
  async data() {
    this.check('data');
    // Read now where it can be (the engine in this thread), as TensorFlow.js' data() holds
    // the values even if the tensor is disposed before the promise is awaited.
    if (this.settled && this.owner.sync) return typed(this.owner.callSync('readTensor', this.id), this.dtype);
    // A tensor filled from others (an operation, predict) exists in the engine only then.
    await this.created;
    return typed(await this.owner.call('readTensor', this.id), this.dtype);
  }

  // The values as nested arrays of the tensor's shape (a number for a scalar).
  async array() {
    return nest(await this.data(), this.shape);
  }

  // The same, at once: where the engine runs in this thread (Node, or a page that asked
  // for worker: false), not in a Web Worker.
  dataSync() {
    this.check('dataSync');
    const blocker = syncReadBlocker(this.owner);
    if (blocker) throw new Error(`dataSync: ${blocker}; use await tensor.data() instead`);
    if (!this.settled)
      throw new Error('dataSync: this tensor is still being computed from others; use await tensor.data() instead');
    return typed(this.owner.callSync('readTensor', this.id), this.dtype);
  }

  arraySync() {
    return nest(this.dataSync(), this.shape);
  }

  dispose() {
    if (this.disposed) return;
    this.disposed = true;
    registry.unregister(this);
    countTensors(-1, -4 * (this.size ?? 0));
    const free = () => this.owner.call('disposeTensor', this.id).catch(() => {});
    // Calls reach the engine in order, so a tensor is freed after its creation; one filled
    // from others later (lazy), or that others are being computed from, is freed once
    // that is done.
    if (this.lazy || this.uses.length) Promise.allSettled([this.created, ...this.uses]).then(free);
    else if (this.owner.sync) {
      try {
        this.owner.callSync('disposeTensor', this.id);
      } catch {
        // A stopped engine has freed it already.
      }
    } else free();
  }

  check(call) {
    if (this.disposed) throw new Error(`${call}: this tensor has been disposed`);
  }

  toFloat() {
    return this.cast('float32');
  }

  // TensorFlow.js' older name of cast, which its examples still use.
  asType(dtype) {
    return this.cast(dtype);
  }

  toInt() {
    return this.cast('int32');
  }

  toBool() {
    return this.cast('bool');
  }
}

const typed = (values, dtype) => (dtype === 'float32' ? values : ARRAY_TYPES[dtype].from(values));

function nest(values, shape) {
  if (shape.length === 0) return values[0];
  const build = (offset, axis) => {
    if (axis === shape.length - 1) return Array.from(values.subarray(offset, offset + shape[axis]));
    const step = product(shape.slice(axis + 1));
    return Array.from({ length: shape[axis] }, (_, i) => build(offset + i * step, axis + 1));
  };
  return build(0, 0);
}

// Makes the engine tensors `outs` by one engine call once `waits` exist (tensors, or a
// model's {settled, created}): at once when the engine runs in this thread and they all
// do, so that dataSync can read them, throwing any error as TensorFlow.js would; else
// later, the error then given by data(). An out whose shape was unknown takes the
// call's result as its shape.
export function fill(outs, waits, method, args, transfer = []) {
  return issue(outs[0].owner, outs, waits, method, args, { transfer, fresh: true });
}

// One engine call that changes existing tensors `targets` (a variable's values, the
// tape's state when there are none), once `waits` exist; later reads of the targets wait
// for it. A failed call leaves them as they were. afterFailures: the call goes even when
// a wait failed.
export function update(targets, waits, method, args, { owner = targets[0]?.owner ?? engine(), afterFailures } = {}) {
  return issue(owner, targets, waits, method, args, { fresh: false, afterFailures });
}

function issue(owner, outs, waits, method, args, { transfer = [], fresh, afterFailures = false }) {
  // A change of existing tensors waits until the calls already reading them are done.
  const reading = fresh ? [] : outs.flatMap((t) => t.uses).map((use) => ({ created: use.catch(() => {}) }));
  waits = [...waits, ...reading];
  if (owner.sync && waits.every((w) => w.settled)) {
    let result;
    try {
      result = owner.callSync(method, ...args);
    } catch (error) {
      if (fresh) outs.forEach((t) => t.dispose());
      throw error;
    }
    for (const t of outs) {
      t.settled = true;
      t.created = Promise.resolve();
      if (!t.shape) t.setShape(result);
    }
    return result;
  }
  const call = () => owner.callTransferring(method, transfer, ...args);
  const all = (list) => (afterFailures ? Promise.allSettled(list) : Promise.all(list));
  // With nothing to wait for, the call goes at once (so that a transferred buffer leaves now).
  const done = waits.length ? all(waits.map((w) => w.created)).then(call) : call();
  done.catch(() => {});
  // A tensor being read is freed only after (dispose waits for its uses).
  for (const w of waits) {
    if (!w.uses) continue;
    w.uses.push(done);
    const over = () => w.uses.splice(w.uses.indexOf(done) >>> 0, 1);
    done.then(over, over);
  }
  for (const t of outs) {
    t.lazy = true;
    const before = t.created;
    t.settled = false;
    t.created = done.then(
      (result) => {
        if (!t.shape) t.setShape(result);
        t.settled = true;
      },
      (error) => {
        if (fresh) throw error;
        t.settled = true;
        return before;
      },
    );
    t.created.catch(() => {});
  }
  return done;
}

// A tensor in engine memory from a typed array, (nested) array or number, with an
// optional shape and dtype. The values are copied once into WebAssembly memory; the
// engine reads them in place.
export function tensor(values, shape, given) {
  if (typeof values === 'number' || typeof values === 'boolean') return tensor([values], shape ?? [], given);
  const { flat, inferred, bools } = flatten(values, shape);
  const dtype = given ?? (bools ? 'bool' : 'float32');
  const dims = shape ?? inferred;
  if (!Array.isArray(dims) || dims.some((d) => !Number.isInteger(d) || d < 1))
    throw new Error(`tensor: shape must be an array of whole numbers >= 1; got ${show(dims)}`);
  const size = product(dims);
  if (size !== flat.length)
    throw new Error(`tensor: shape [${dims}] holds ${size} values but ${flat.length} were given`);
  const t = new Tensor(dims, dtype);
  // int32 values are whole and bool values 0 or 1 in the engine, as TensorFlow.js keeps them.
  const exact = dtype === 'int32' ? Math.trunc : dtype === 'bool' ? (v) => (v !== 0 ? 1 : 0) : null;
  const copy = exact ? Float32Array.from(flat, exact) : flat instanceof Float32Array ? flat : Float32Array.from(flat);
  fill([t], [], 'createTensor', [t.id, dims, copy]);
  return t;
}

export const scalar = (value, dtype) => tensor([value], [], dtype);

// The values of a new tensor of `shape` made by `call`, after its shape is checked against
// the engine's limit (its catalog says it once loaded; before that, the typed array's own).
function valuesFor(call, shape) {
  if (!Array.isArray(shape) || shape.some((d) => !Number.isInteger(d) || d < 1))
    throw new Error(`${call}: shape must be an array of whole numbers >= 1; got ${show(shape)}`);
  const size = product(shape);
  const limit = catalogLoaded() ? catalog().limits.tensorValues : Infinity;
  const tooLarge = (reason) =>
    new Error(
      `${call}: a tensor of shape ${show(shape)} would need ${Math.round((size * 4) / 2 ** 20)} MiB; ${reason}`,
    );
  if (size > limit) throw tooLarge(`the limit is ${(limit * 4) / 2 ** 20} MiB per tensor`);
  try {
    return new Float32Array(size);
  } catch {
    throw tooLarge('this JavaScript engine cannot hold it');
  }
}
export const zeros = (shape, dtype) => tensor(valuesFor('zeros', shape), shape, dtype);
export const ones = (shape, dtype) => tensor(valuesFor('ones', shape).fill(1), shape, dtype);

// A tensor from bytes (pixels, labels), each value entering the engine as byte * scale:
// the bytes cross to the engine and become floats there, with no float copy of the whole
// set in JavaScript. transfer: hand the bytes' buffer to the worker (it becomes unusable
// here) instead of copying it.
export function tensorFromBytes(bytes, shape, { scale = 1 / 255, transfer = false } = {}) {
  if (!(bytes instanceof Uint8Array))
    throw new Error(`tensorFromBytes: bytes must be a Uint8Array; got ${bytes?.constructor?.name ?? typeof bytes}`);
  if (!Array.isArray(shape) || shape.length === 0 || shape.some((d) => !Number.isInteger(d) || d < 1))
    throw new Error(`tensorFromBytes: shape must be an array of whole numbers >= 1; got ${show(shape)}`);
  const size = product(shape);
  if (size !== bytes.length)
    throw new Error(`tensorFromBytes: shape [${shape}] holds ${size} values but ${bytes.length} bytes were given`);
  const t = new Tensor(shape);
  fill([t], [], 'createTensorFromBytes', [t.id, shape, bytes, scale], transfer ? [bytes.buffer] : []);
  return t;
}

// One-hot rows for class indices (a Tensor of any rank, or an array, as in TensorFlow.js)
// -> int32 (indices..., depth). An array's rows are made here, as tensor() makes a
// tensor, so that the first widget's engine (which has no op table) takes labels too.
export function oneHot(labels, depth) {
  if (labels instanceof Tensor) {
    // (The method comes with the operations, tensor_ops.js.)
    if (typeof labels.oneHot !== 'function')
      throw new Error('oneHot: labels as a Tensor need the whole API (web/lib/index.js); pass an array');
    return labels.oneHot(depth);
  }
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

// TensorFlow.js' ranked constructors: the shape given or inferred from nested arrays must
// have `rank` dimensions; a dtype ('int32' in tensor1d(labels, 'int32')) may follow the
// values or the shape.
function ranked(rank, name) {
  return (values, shape, dtype) => {
    if (typeof shape === 'string') [shape, dtype] = [undefined, shape];
    const dims = Array.isArray(shape) ? shape : ArrayBuffer.isView(values) ? [values.length] : flatten(values).inferred;
    if (dims.length !== rank)
      throw new Error(`${name}: expected a shape of ${rank} dimension${rank > 1 ? 's' : ''}; got ${show(dims)}`);
    return tensor(values, dims, dtype);
  };
}
export const [tensor1d, tensor2d, tensor3d, tensor4d] = [1, 2, 3, 4].map((rank) => ranked(rank, `tensor${rank}d`));

// The tensors in a tensor, array or object (nested), as TensorFlow.js' containers.
function tensorsIn(container, found = []) {
  if (container instanceof Tensor) found.push(container);
  // (An array's named members too, as TensorFlow.js finds them: a program may key an array.)
  else if (container && typeof container === 'object' && !ArrayBuffer.isView(container))
    Object.values(container).forEach((v) => tensorsIn(v, found));
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
  try {
    result = fn();
  } catch (error) {
    // What fn made before it failed is freed too, as in TensorFlow.js.
    for (const t of scopes.pop()) if (!t.kept) t.dispose();
    throw error;
  }
  const made = scopes.pop();
  if (result instanceof Promise) throw new Error('tidy: fn must not be async (as in TensorFlow.js); await outside it');
  const kept = new Set(tensorsIn(result));
  for (const t of made) if (!kept.has(t) && !t.kept) t.dispose();
  // Those it made and returns belong to the enclosing tidy, if any.
  const mine = new Set(made);
  scopes.at(-1)?.push(...[...kept].filter((t) => mine.has(t)));
  return result;
}

// TensorFlow.js' keep: tidy() will not dispose this tensor.
export function keep(t) {
  if (!(t instanceof Tensor)) throw new Error(`keep: expected a Tensor; got ${t?.constructor?.name ?? typeof t}`);
  t.kept = true;
  return t;
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

// Tensors (n, ...) side by side as one (n, sum of widths): the inputs or targets of a
// model of several, packed for the engine; widths: each one's size per row.
export function packColumns(tensors, widths) {
  tensors.forEach((t) => t.check('pack'));
  const rows = tensors.find((t) => t.shape)?.shape[0];
  const out = new Tensor(rows === undefined ? null : [rows, widths.reduce((a, b) => a + b, 0)]);
  fill([out], tensors, 'packColumns', [tensors.map((t) => t.id), widths, out.id]);
  return out;
}

// Columns column to column + size of a packed tensor (n, width), as a tensor of shape
// [n, ...shape]: one output of a model of several.
export function takeColumns(packed, column, size, shape) {
  packed.check('unpack');
  const out = new Tensor(packed.shape && [packed.shape[0], ...shape]);
  fill([out], [packed], 'takeColumns', [packed.id, column, size, shape, out.id]);
  return out;
}
