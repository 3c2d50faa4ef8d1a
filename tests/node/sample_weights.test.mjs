// Keras' sample_weight through the public API: fit's sampleWeight (a Tensor, array or typed
// array; (N) per sample or (N, T) per step) weighs the loss as sum(w * loss) / entries,
// validationData's third element weighs val_loss, batches split between engines see the
// same weights, and wrong shapes, negative or non-finite weights are refused.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import * as dl from '../../web/lib/index.js';
import { rejectsWith } from './engine.mjs';

await dl.ready({ workers: 2 });

const n = 8;
const xs = Array.from({ length: n * 3 }, (_, i) => Math.sin(i * 1.7));
const labels = Array.from({ length: n }, (_, i) => (i * 5) % 3);
const weights = [1, 0, 2.5, 0.5, 3, 1, 0, 2];

function flat(seed = 3) {
  const model = dl.sequential({
    seed,
    layers: [
      dl.layers.dense({ units: 6, activation: 'tanh', inputShape: [3] }),
      dl.layers.dense({ units: 3, activation: 'softmax' }),
    ],
  });
  model.compile({ optimizer: dl.train.sgd(0.1), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

function steps(seed = 5) {
  const model = dl.sequential({
    seed,
    layers: [
      dl.layers.timeDistributed({ layer: dl.layers.dense({ units: 4, activation: 'softmax' }), inputShape: [5, 2] }),
    ],
  });
  model.compile({ optimizer: dl.train.sgd(0.5), loss: 'sparseCategoricalCrossentropy' });
  return model;
}

// sum(w * -log p[label]) / rows, from the model's predictions of rows of c classes.
async function weightedLoss(model, x, ys, ws, c) {
  const p = await model.predict(x).data();
  let sum = 0;
  ys.forEach((y, r) => (sum += ws[r] * -Math.log(p[r * c + y])));
  return sum / ys.length;
}

test('fit with per-sample weights reports sum(w * loss) / N, not divided by the sum of weights', async () => {
  const model = flat();
  const x = dl.tensor(xs, [n, 3]);
  const y = dl.tensor(labels, [n]);
  const expected = await weightedLoss(model, x, labels, weights, 3);
  for (const sampleWeight of [dl.tensor(weights, [n]), weights, new Float32Array(weights)]) {
    const fresh = flat();
    const { history } = await fresh.fit(x, y, { epochs: 1, batchSize: n, shuffle: false, sampleWeight });
    assert.ok(Math.abs(history.loss[0] - expected) < 1e-5, `${history.loss[0]} vs ${expected}`);
    await fresh.dispose();
  }
  // Training without weights reports the plain mean: the weights did change the step.
  const plain = flat();
  const { history } = await plain.fit(x, y, { epochs: 1, batchSize: n, shuffle: false });
  const unweighted = await weightedLoss(model, x, labels, new Array(n).fill(1), 3);
  assert.ok(Math.abs(history.loss[0] - unweighted) < 1e-5);
  assert.ok(Math.abs(unweighted - expected) > 1e-3);
  // validationData's third element weighs val_loss (computed after the epoch's update).
  const v = flat();
  const out = await v.fit(x, y, { epochs: 1, batchSize: n, validationData: [x, y, weights] });
  const after = await weightedLoss(v, x, labels, weights, 3);
  assert.ok(Math.abs(out.history.val_loss[0] - after) < 1e-5, `${out.history.val_loss[0]} vs ${after}`);
  for (const m of [model, plain, v]) await m.dispose();
});

test('per-step weights (N, T) on a sequence model: the loss formula, and training follows the weights', async () => {
  const t = 5;
  const x = dl.tensor(
    Array.from({ length: n * t * 2 }, (_, i) => Math.cos(i * 0.9)),
    [n, t, 2],
  );
  const ys = Array.from({ length: n * t }, (_, r) => (r % t === t - 1 ? 3 : r % 2));
  // The last step's label 3 weighs nothing.
  const ws = Array.from({ length: n * t }, (_, r) => (r % t === t - 1 ? 0 : 1 + (r % 3)));
  const nested = Array.from({ length: n }, (_, i) => ws.slice(i * t, i * t + t));
  const y = dl.tensor(ys, [n, t]);
  const model = steps();
  const expected = await weightedLoss(model, x, ys, ws, 4);
  const first = await model.fit(x, y, { epochs: 1, batchSize: n, shuffle: false, sampleWeight: nested });
  assert.ok(Math.abs(first.history.loss[0] - expected) < 1e-5, `${first.history.loss[0]} vs ${expected}`);
  const { history } = await model.fit(x, y, { epochs: 40, batchSize: 4, sampleWeight: new Float32Array(ws) });
  assert.ok(history.loss.at(-1) < 0.7 * history.loss[0], `loss ${history.loss[0]} -> ${history.loss.at(-1)}`);
  const p = await model.predict(x).data();
  let last = 0;
  for (let i = 0; i < n; i += 1) last += p[(i * t + t - 1) * 4 + 3] / n;
  assert.ok(last < 0.3, `the unweighted label's mean probability ${last}`);
  await model.dispose();
});

test('batches split between two engines see the same sample weights', async () => {
  const x = dl.tensor(xs, [n, 3]);
  const y = dl.tensor(labels, [n]);
  const run = async (splitBatches, sampleWeight) => {
    const model = flat(9);
    const cores = new Set();
    const callbacks = { onBatchEnd: (batch, logs, info) => cores.add(info.cores) };
    await model.fit(x, y, { epochs: 3, batchSize: 8, splitBatches, sampleWeight, callbacks });
    assert.deepEqual([...cores], [splitBatches === 'always' ? 2 : 1]);
    const w = (await model.getWeights()).flatMap((t) => Array.from(t.values ?? t));
    await model.dispose();
    return w;
  };
  const largest = (a, b) => Math.max(...a.map((v, i) => Math.abs(v - b[i])));
  const alone = await run('never', weights);
  const split = await run('always', weights);
  assert.ok(largest(alone, split) < 1e-5, `largest difference ${largest(alone, split)}`);
  assert.ok(largest(alone, await run('never', undefined)) > 1e-4, 'the weights changed training');
});

test('sampleWeight of a wrong shape, negative or non-finite, for several outputs or in evaluate is refused', async () => {
  const x = dl.tensor(xs, [n, 3]);
  const y = dl.tensor(labels, [n]);
  const model = flat();
  await rejectsWith(
    model.fit(x, y, { sampleWeight: [1, 2, 3] }),
    /fit: sampleWeight has shape \(3,\); expected \(8,\) \(one weight per sample/,
  );
  await rejectsWith(model.fit(x, y, { sampleWeight: new Float32Array(16) }), /has shape \(8, 2\); expected \(8,\)/);
  const negative = weights.map((w, i) => (i === 2 ? -1 : w));
  await rejectsWith(model.fit(x, y, { sampleWeight: negative }), /sampleWeight\[2\] is -1; weights must be finite/);
  await rejectsWith(model.fit(x, y, { sampleWeight: weights.map(() => NaN) }), /sampleWeight\[0\] is NaN/);
  await rejectsWith(model.fit(x, y, { sampleWeight: 'heavy' }), /fit: sampleWeight must be a Tensor, an array/);
  await rejectsWith(
    model.fit(x, y, { validationData: [x, y, [1]] }),
    /fit \(validationData\): sampleWeight has shape \(1,\); expected \(8,\)/,
  );
  assert.throws(() => model.evaluate(x, y, { sampleWeight: weights }), /evaluate: sampleWeight is not supported/);
  const seq = steps();
  const sx = dl.tensor(new Float32Array(n * 10), [n, 5, 2]);
  await rejectsWith(
    seq.fit(sx, dl.tensor(new Float32Array(n * 5), [n, 5]), {
      sampleWeight: dl.tensor(new Float32Array(n * 4), [n, 4]),
    }),
    /expected \(8,\) or \(8, 5\)/,
  );
  const input = dl.input({ shape: [3] });
  const two = dl.model({
    inputs: input,
    outputs: [dl.layers.dense({ units: 2 }).apply(input), dl.layers.dense({ units: 1 }).apply(input)],
  });
  await two.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
  await rejectsWith(
    two.fit(x, [dl.tensor(new Float32Array(n * 2), [n, 2]), dl.tensor(new Float32Array(n), [n, 1])], {
      sampleWeight: weights,
    }),
    /fit: sampleWeight is not supported for a model of several outputs \(2 outputs\)/,
  );
  for (const m of [model, seq, two]) await m.dispose();
});
