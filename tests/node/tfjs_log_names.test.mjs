// The names training logs go by, as TensorFlow.js 4.22 writes them: the same program is
// compiled and trained with each library and the keys compared, for every metric spelling
// both take, one output and several; in onBatchEnd, onEpochEnd, history, metricsNames,
// trainOnBatch, fitDataset; early stopping watching "val_acc" (and Keras' "val_accuracy")
// stops where TensorFlow.js' does; an unknown monitor is refused naming the known ones.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';

import { loadApi } from './engine.mjs';

const dl = await loadApi();
const tf = createRequire(import.meta.url)('@tensorflow/tfjs');

const X = [0.1, 0.9, -0.4, 0.3, 0.8, -0.7, 0.2, 0.5, -0.1, -0.9, 0.6, 0.4, -0.3, 0.7, 0.9, -0.2];
const CLASSES = [0, 1, 2, 0, 1, 2, 0, 1];

// One model in either library: 2 inputs to 3 classes (or one sigmoid unit), or a graph of
// two outputs "cls" and "reg".
function build(lib, { units = 3, several = false }) {
  if (!several)
    return lib.sequential({
      layers: [lib.layers.dense({ units, inputShape: [2], activation: units > 1 ? 'softmax' : 'sigmoid' })],
    });
  const input = lib.input({ shape: [2] });
  const cls = lib.layers.dense({ units: 3, activation: 'softmax', name: 'cls' }).apply(input);
  const reg = lib.layers.dense({ units: 1, name: 'reg' }).apply(input);
  return lib.model({ inputs: input, outputs: [cls, reg] });
}

function targets(lib, { units = 3, several = false }) {
  const oneHot = lib.tensor2d(
    CLASSES.flatMap((c) => [0, 1, 2].map((k) => (k === c ? 1 : 0))),
    [8, 3],
  );
  if (several) return [oneHot, lib.tensor2d([0.5, -0.2, 0.1, 0.9, -0.4, 0.3, 0.2, 0.0], [8, 1])];
  return units > 1 ? oneHot : lib.tensor2d([0, 1, 1, 0, 1, 0, 1, 0], [8, 1]);
}

// The keys each library's fit reports for one compile.
async function keys(lib, compile, shape = {}) {
  await lib.ready?.();
  const model = build(lib, shape);
  model.compile({ optimizer: 'sgd', ...compile });
  const x = lib.tensor2d(X, [8, 2]);
  const y = targets(lib, shape);
  const seen = { batch: [], epoch: [] };
  const history = await model.fit(x, y, {
    epochs: 2,
    batchSize: 4,
    validationSplit: 0.25,
    shuffle: false,
    verbose: 0,
    callbacks: {
      onBatchEnd: (batch, logs) => seen.batch.push(Object.keys(logs).sort().join(',')),
      onEpochEnd: (epoch, logs) => seen.epoch.push(Object.keys(logs).sort().join(',')),
    },
  });
  const trained = await model.trainOnBatch(x, y);
  const result = {
    batch: [...new Set(seen.batch)],
    epoch: [...new Set(seen.epoch)],
    history: Object.keys(history.history).sort().join(','),
    metricsNames: model.metricsNames.join(','),
    trainOnBatch: Array.isArray(trained) ? `${trained.length} numbers` : typeof trained,
  };
  model.dispose();
  return result;
}

const CASES = [
  [{ loss: 'categoricalCrossentropy', metrics: ['accuracy'] }],
  [{ loss: 'categoricalCrossentropy', metrics: ['acc'] }],
  [{ loss: 'binaryCrossentropy', metrics: ['accuracy'] }, { units: 1 }],
  [{ loss: 'categoricalCrossentropy', metrics: ['mse', 'mae'] }],
  [{ loss: 'categoricalCrossentropy', metrics: ['MSE'] }],
  [{ loss: 'categoricalCrossentropy', metrics: ['MAE', 'acc'] }],
  [{ loss: 'categoricalCrossentropy', metrics: [] }],
  [{ loss: 'categoricalCrossentropy' }],
  [{ loss: ['categoricalCrossentropy', 'meanSquaredError'], metrics: ['accuracy'] }, { several: true }],
  [
    { loss: ['categoricalCrossentropy', 'meanSquaredError'], metrics: { cls: ['acc'], reg: ['mae'] } },
    { several: true },
  ],
];

test('fit, its callbacks, metricsNames and trainOnBatch name the logs as TensorFlow.js does', async () => {
  for (const [compile, shape] of CASES) {
    const ours = await keys(dl, compile, shape);
    const theirs = await keys(tf, compile, shape);
    assert.deepEqual(ours, theirs, `compiled with ${JSON.stringify(compile)}`);
  }
  // For example (so that a change in both would show):
  const { epoch } = await keys(dl, { loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  assert.deepEqual(epoch, ['acc,loss,val_acc,val_loss']);
});

test('fitDataset and evaluateDataset name the logs as fit does', async () => {
  await dl.ready();
  const model = build(dl, {});
  model.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy', metrics: ['accuracy', 'mae'] });
  const rows = CLASSES.map((c, i) => ({ xs: X.slice(2 * i, 2 * i + 2), ys: [0, 1, 2].map((k) => (k === c ? 1 : 0)) }));
  const data = dl.data.array(rows).batch(4);
  const batches = [];
  const history = await model.fitDataset(data, {
    epochs: 2,
    validationData: data,
    callbacks: { onBatchEnd: (b, logs) => batches.push(Object.keys(logs).sort().join(',')) },
  });
  assert.deepEqual([...new Set(batches)], ['acc,batch,loss,mae,size']);
  assert.deepEqual(Object.keys(history.history).sort(), ['acc', 'loss', 'mae', 'val_acc', 'val_loss', 'val_mae']);
  const evaluated = await model.evaluateDataset(data);
  assert.equal(evaluated.length, 3);
  const [loss, acc] = await Promise.all(evaluated.slice(0, 2).map((t) => t.data()));
  assert.ok(Math.abs(loss[0] - history.history.val_loss.at(-1)) < 1e-5, 'evaluateDataset gives the last val_loss');
  assert.ok(Math.abs(acc[0] - history.history.val_acc.at(-1)) < 1e-6, 'evaluateDataset gives the last val_acc');
  evaluated.forEach((t) => t.dispose());
  model.dispose();
});

// Early stopping: both libraries, the same weights, data and callback; the epochs run match,
// for each of TensorFlow.js' arguments.
test('earlyStopping watching val_acc (or val_accuracy) stops where TensorFlow.js stops', async () => {
  await dl.ready();
  const reference = build(tf, {});
  const start = reference.getWeights().map((w) => w.dataSync().slice());
  const run = async (lib, stopping) => {
    const model = build(lib, {});
    model.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy', metrics: ['acc'] });
    if (lib === tf) model.setWeights(start.map((w, i) => tf.tensor(w, reference.getWeights()[i].shape)));
    else await model.setWeights(start.map((w) => Float32Array.from(w)));
    const x = lib.tensor2d(X, [8, 2]);
    const history = await model.fit(x, targets(lib, {}), {
      epochs: 30,
      batchSize: 8,
      shuffle: false,
      validationData: [x, targets(lib, {})],
      verbose: 0,
      callbacks: [lib.callbacks.earlyStopping(stopping)],
    });
    return history.history.val_acc;
  };
  const theirs = await run(tf, { monitor: 'val_acc', patience: 2 });
  assert.ok(theirs.length < 30, `TensorFlow.js stopped early: ${theirs}`);
  const ours = await run(dl, { monitor: 'val_acc', patience: 2 });
  assert.deepEqual(ours, theirs, 'the same epochs, the same accuracies');
  assert.deepEqual(
    await run(dl, { monitor: 'val_accuracy', patience: 2 }),
    theirs,
    "Keras' spelling watches the same log",
  );
  // TensorFlow.js' other arguments: mode and baseline (and verbose, taken and ignored).
  for (const stopping of [
    { monitor: 'val_loss', patience: 3, mode: 'max', verbose: 1 },
    { monitor: 'val_acc', patience: 4, baseline: 1.5 },
    { monitor: 'loss', patience: 1, minDelta: 0.5 },
  ]) {
    const expected = (await run(tf, stopping)).length;
    assert.ok(expected < 30, `TensorFlow.js stopped early with ${JSON.stringify(stopping)}`);
    assert.equal((await run(dl, stopping)).length, expected, JSON.stringify(stopping));
  }
  assert.throws(
    () => dl.callbacks.earlyStopping({ monitor: 'val_acc', wait: 3 }),
    /callbacks.earlyStopping: unknown argument "wait"; expected one of monitor, minDelta, patience, verbose, mode, baseline, restoreBestWeights/,
  );
  const model = build(dl, {});
  model.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy', metrics: ['acc'] });
  await assert.rejects(
    model.fit(dl.tensor2d(X, [8, 2]), targets(dl, {}), {
      epochs: 2,
      validationSplit: 0.25,
      callbacks: [dl.callbacks.earlyStopping({ monitor: 'val_auc' })],
    }),
    /earlyStopping monitors "val_auc", which this model does not report; expected one of loss, acc or their val_ forms/,
  );
  model.dispose();
});
