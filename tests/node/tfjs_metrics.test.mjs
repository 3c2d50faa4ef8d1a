// TensorFlow.js' tf.metrics as functions of tensors: every metric TensorFlow.js 4.22 has
// is here under its name and gives its values on the same tensors (within 1e-6); shapes
// that do not match are refused by name.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';

import { loadApi } from './engine.mjs';

const dl = await loadApi();
const tf = createRequire(import.meta.url)('@tensorflow/tfjs');

// Labels and predictions of each kind a metric takes.
const BINARY = [
  [
    [1, 0, 1],
    [0, 0, 1],
    [1, 1, 0],
  ],
  [
    [0.9, 0.4, 0.2],
    [0.6, 0.1, 0.7],
    [0.51, 0.49, 0.05],
  ],
];
const CATEGORICAL = [
  [
    [0, 1, 0],
    [1, 0, 0],
    [0, 0, 1],
  ],
  [
    [0.2, 0.5, 0.3],
    [0.3, 0.6, 0.1],
    [0.1, 0.2, 0.7],
  ],
];
const ZERO_ONE = [
  [[1], [0], [1], [1], [0]],
  [[1], [1], [0], [1], [0]],
];
const REAL = [
  [
    [1.5, -2],
    [3, 0.5],
    [-1, 4],
  ],
  [
    [1, -1.5],
    [2.5, 1],
    [-0.5, 3],
  ],
];
const INPUTS = {
  binaryAccuracy: BINARY,
  binaryCrossentropy: BINARY,
  categoricalAccuracy: CATEGORICAL,
  categoricalCrossentropy: CATEGORICAL,
  sparseCategoricalAccuracy: [[1, 0, 2], CATEGORICAL[1]],
  precision: ZERO_ONE,
  recall: ZERO_ONE,
};

test('every TensorFlow.js metric, under its name, gives its values', async () => {
  const names = Object.keys(tf.metrics);
  assert.ok(names.length >= 16, `TensorFlow.js lists ${names}`);
  for (const name of names) {
    assert.equal(typeof dl.metrics[name], 'function', `dl.metrics.${name}`);
    const [y, p] = INPUTS[name] ?? REAL;
    const ours = Array.from(await dl.metrics[name](dl.tensor(y), dl.tensor(p)).data());
    const theirs = Array.from(tf.metrics[name](tf.tensor(y), tf.tensor(p)).dataSync());
    assert.equal(ours.length, theirs.length, `${name}: ${ours} vs ${theirs}`);
    ours.forEach((v, i) => assert.ok(Math.abs(v - theirs[i]) < 1e-6, `${name}: ${ours} vs ${theirs}`));
  }
  // No predicted (or actual) positives: precision (recall) is 0, as TensorFlow.js says.
  const none = [dl.tensor([[0], [0]]), dl.tensor([[0], [0]])];
  assert.deepEqual(Array.from(await dl.metrics.precision(...none).data()), [0]);
  assert.deepEqual(Array.from(await dl.metrics.recall(...none).data()), [0]);
});

test('metrics refuse labels and predictions of different shapes by name', () => {
  assert.throws(
    () => dl.metrics.meanSquaredError(dl.tensor([[1, 2]]), dl.tensor([[1, 2, 3]])),
    /metrics\.meanSquaredError: yTrue has shape \[1,2\] and yPred \[1,3\]; they must match/,
  );
  assert.throws(() => dl.metrics.binaryAccuracy('a', dl.tensor([1])), /metrics\.binaryAccuracy: yTrue/);
});
