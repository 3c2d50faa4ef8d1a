// The JavaScript API on the real WebAssembly build, loaded once per test file, in this
// thread (Node has no worker mode).
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';

import * as dl from '../../web/lib/index.js';

export const projectRoot = fileURLToPath(new URL('../../', import.meta.url));

export async function loadApi() {
  await dl.ready();
  return dl;
}

// Rejects (or throws) an Error whose message matches `pattern`.
export async function rejectsWith(promiseOrFn, pattern) {
  try {
    await (typeof promiseOrFn === 'function' ? promiseOrFn() : promiseOrFn);
  } catch (error) {
    if (!(error instanceof Error)) throw new Error(`expected an Error, got ${typeof error}: ${error}`);
    if (!pattern.test(error.message)) throw new Error(`error message "${error.message}" does not match ${pattern}`);
    return;
  }
  throw new Error(`expected an error matching ${pattern}, but the call succeeded`);
}

// Small models and data sets the API tests share.
export const xorLayers = () => [
  dl.layers.dense({ units: 8, activation: 'tanh', inputShape: [2] }),
  dl.layers.dense({ units: 1, activation: 'sigmoid' }),
];
export const xorModel = () => {
  const model = dl.sequential({ seed: 7, layers: xorLayers() });
  model.compile({ optimizer: dl.train.adam(0.05), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
  return model;
};
export const xorData = () => [
  dl.tensor([
    [0, 0],
    [0, 1],
    [1, 0],
    [1, 1],
  ]),
  dl.tensor([0, 1, 1, 0], [4, 1]),
];

// A 3-class problem big enough for many batches per epoch.
export function blobs(n) {
  const x = new Float32Array(n * 2);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const k = i % 3;
    x[2 * i] = Math.cos(2.1 * k) + 0.3 * Math.sin(7.3 * i);
    x[2 * i + 1] = Math.sin(2.1 * k) + 0.3 * Math.cos(5.1 * i);
    y[i] = k;
  }
  return { x, y };
}

export function blobModel(seed = 3) {
  const model = dl.sequential({
    seed,
    layers: [
      dl.layers.dense({ units: 16, activation: 'relu', inputShape: [2] }),
      dl.layers.dense({ units: 3, activation: 'softmax' }),
    ],
  });
  model.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

export const flat = (weights) => weights.flatMap((w) => Array.from(w.values));

// n values in [-1, 1) from a small seeded generator: data that this library and
// TensorFlow.js both see.
export function values(n, seed) {
  let s = seed;
  return Float32Array.from({ length: n }, () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648) * 2 - 1);
}

// Values a and b within 1e-5 relative to TF.js' (exact for whole numbers), same shape and dtype.
export function assertSame(ours, theirs, what) {
  assert.deepEqual(ours.shape, theirs.shape, `${what}: shape`);
  assert.equal(ours.dtype, theirs.dtype, `${what}: dtype`);
  const a = ours.dataSync();
  const b = theirs.dataSync();
  assert.equal(a.length, b.length, what);
  for (let i = 0; i < a.length; i++) {
    if (Number.isNaN(b[i])) assert.ok(Number.isNaN(a[i]), `${what}[${i}]: expected NaN, got ${a[i]}`);
    else
      assert.ok(
        Math.abs(a[i] - b[i]) <= 1e-5 * Math.max(1, Math.abs(b[i])),
        `${what}[${i}]: expected ${b[i]} (TensorFlow.js), got ${a[i]}`,
      );
  }
}
