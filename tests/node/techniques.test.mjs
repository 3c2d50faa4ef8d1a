// The training techniques of the seeds through the JavaScript API: learning-rate schedules
// (the rate each batch used, in its info; the epochs' rates in the history), Keras'
// ReduceLROnPlateau as a callback, imbalanced data and class weights, augmentation, the
// evaluation curves, and activation maximization on a trained MNIST MLP.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { loadApi, rejectsWith, xorData, xorModel } from './engine.mjs';

const dl = await loadApi();

test('a schedule sets each batch’s learning rate, as Keras’ schedules compute it', async () => {
  const model = xorModel();
  const [x, y] = xorData();
  const base = await model.learningRate();
  const rates = [];
  const { history } = await model.fit(x, y, {
    epochs: 5,
    batchSize: 1,
    shuffle: false,
    schedule: dl.schedules.cosineDecay({ decaySteps: 12, alpha: 0.2 }),
    callbacks: { onBatchEnd: (batch, logs, info) => rates.push(info.learningRate) },
  });
  assert.equal(rates.length, 20);
  rates.forEach((rate, step) => {
    const expected = base * (0.8 * 0.5 * (1 + Math.cos((Math.PI * Math.min(step, 12)) / 12)) + 0.2);
    assert.ok(Math.abs(rate - expected) < 1e-6 * base, `step ${step}: ${rate}, expected ${expected}`);
  });
  assert.equal(history.lr.length, 5);
  assert.ok(Math.abs(history.lr[4] - 0.2 * base) < 1e-6 * base);
  await model.dispose();
});

test('reduceLROnPlateau as a callback lowers the rate when the monitored loss stalls', async () => {
  const model = xorModel();
  const [x, y] = xorData();
  await model.setLearningRate(1e-7); // nothing improves after the first epoch
  const { history } = await model.fit(x, y, {
    epochs: 4,
    batchSize: 4,
    callbacks: [dl.callbacks.reduceLROnPlateau({ monitor: 'loss', factor: 0.5, patience: 1 })],
  });
  const expected = [1e-7, 1e-7, 5e-8, 2.5e-8];
  history.lr.forEach((v, i) => assert.ok(Math.abs(v - expected[i]) < 1e-12, `epoch ${i}: ${v}`));
  await model.dispose();
});

test('a schedule’s unknown type or option is refused by name', async () => {
  const model = xorModel();
  const [x, y] = xorData();
  await rejectsWith(
    model.fit(x, y, { schedule: { type: 'linear' } }),
    /unknown schedule "linear"; expected one of step_decay, exponential_decay, cosine_decay, reduce_on_plateau/,
  );
  await rejectsWith(
    model.fit(x, y, { schedule: dl.schedules.stepDecay({ alpha: 0.1 }) }),
    /schedule step_decay: unknown option "alpha"; expected one of type, decaySteps, decayRate/,
  );
  await model.dispose();
});

// Class 1's recall on the test set of overlapping Gaussians after training on a training
// set where only 10% of class 1 remains, with the given fit options.
async function rareRecall(fitOptions) {
  const data = dl.data.toyDataset('gaussians', { points: 2000, noise: 0.5, seed: 4 });
  const rows = dl.data.imbalance(data.train.y, { classes: [1], keep: 10, seed: 4 });
  const labels = rows.map((r) => data.train.y[r]);
  const x = dl.tensor(dl.data.takeRows(data.train.x, 2, rows), [rows.length, 2]);
  const y = dl.tensor(Float32Array.from(labels), [rows.length, 1]);
  const model = dl.sequential({
    seed: 3,
    layers: [
      dl.layers.dense({ units: 8, activation: 'tanh', inputShape: [2] }),
      dl.layers.dense({ units: 1, activation: 'sigmoid' }),
    ],
  });
  model.compile({ optimizer: dl.train.adam(0.01), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
  await model.fit(x, y, { epochs: 20, batchSize: 32, ...fitOptions(labels) });
  const test = dl.tensor(data.test.x, [data.test.n, 2]);
  const p = await model.predict(test).data();
  let found = 0;
  let ones = 0;
  data.test.y.forEach((label, i) => {
    if (label !== 1) return;
    ones++;
    if (p[i] > 0.5) found++;
  });
  await model.dispose();
  [x, y, test].forEach((t) => t.dispose());
  return { recall: found / ones, counts: dl.data.classCounts(labels) };
}

test('balanced class weights raise a rare class’s recall on an imbalanced set', async () => {
  const plain = await rareRecall(() => ({}));
  const weighted = await rareRecall((labels) => ({ classWeight: dl.data.balancedClassWeights(labels) }));
  const again = await rareRecall(() => ({}));
  assert.ok(plain.counts[1] < plain.counts[0] / 5, `class counts ${plain.counts}`);
  console.log(`class 1 recall: ${plain.recall.toFixed(3)} plain, ${weighted.recall.toFixed(3)} balanced weights`);
  assert.ok(
    weighted.recall > plain.recall + 0.1,
    `class 1 recall: ${plain.recall.toFixed(3)} plain, ${weighted.recall.toFixed(3)} with balanced weights`,
  );
  assert.equal(again.recall, plain.recall, 'the same run twice gives the same recall');
});

test('imbalance keeps a share of some classes; resampling evens the classes out; weights follow the counts', () => {
  const labels = Array.from({ length: 1000 }, (_, i) => i % 4);
  const kept = dl.data.imbalance(labels, { classes: [2, 3], keep: 10, seed: 1 });
  const counts = dl.data.classCounts(kept.map((r) => labels[r]));
  assert.deepEqual(counts.slice(0, 2), [250, 250]);
  assert.ok(counts[2] > 10 && counts[2] < 45 && counts[3] > 10 && counts[3] < 45, `counts ${counts}`);
  const skewed = kept.map((r) => labels[r]);
  const over = dl.data.resample(skewed, { mode: 'over', seed: 2 });
  assert.deepEqual(dl.data.classCounts(over.map((r) => skewed[r])), [250, 250, 250, 250]);
  const under = dl.data.resample(skewed, { mode: 'under', seed: 2 });
  const low = Math.min(...counts);
  assert.deepEqual(dl.data.classCounts(under.map((r) => skewed[r])), [low, low, low, low]);
  assert.equal(new Set(under).size, under.length, 'undersampling never repeats a row');
  const w = dl.data.balancedClassWeights([0, 0, 0, 1]);
  assert.deepEqual(w, { 0: 4 / 6, 1: 2 });
  assert.throws(
    () => dl.data.resample(skewed, { mode: 'both' }),
    /resample: mode must be 'over' or 'under'; got "both"/,
  );
  assert.throws(() => dl.data.imbalance(labels, { classes: [1], keep: 0 }), /keep must be a percentage in \(0, 100\]/);
});

test('dl.augment shows what fit’s augmentation does to images, the same for the same seed', async () => {
  const pixels = new Float32Array(2 * 8 * 8);
  pixels[3 * 8 + 4] = 1; // one bright pixel right of the first image's centre
  const x = dl.tensor(pixels, [2, 8, 8, 1]);
  const none = await dl.augment(x, {});
  assert.deepEqual(none.shape, [2, 8, 8, 1]);
  assert.deepEqual(Array.from(none.values), Array.from(pixels), 'no option: the images as they are');
  const a = await dl.augment(x, { shift: 2, rotation: 20, zoom: 0.2, seed: 7 });
  const b = await dl.augment(x, { shift: 2, rotation: 20, zoom: 0.2, seed: 7 });
  const c = await dl.augment(x, { shift: 2, rotation: 20, zoom: 0.2, seed: 8 });
  assert.deepEqual(Array.from(a.values), Array.from(b.values));
  assert.notDeepEqual(Array.from(a.values), Array.from(c.values));
  assert.notDeepEqual(Array.from(a.values.subarray(0, 64)), Array.from(pixels.subarray(0, 64)));
  await rejectsWith(dl.augment(x, { zoom: 0.9 }), /augment zoom must be from 0 to 0\.5/);
  await rejectsWith(
    dl.augment(x, { stretch: 2 }),
    /augment: unknown option "stretch"; expected one of shift, rotation, zoom/,
  );
  await assert.rejects(dl.augment([1, 2], {}), /augment: x must be a Tensor made with dl\.tensor\(\)/);
  const flat = dl.tensor(new Float32Array(4), [2, 2]);
  await rejectsWith(dl.augment(flat, {}), /augment: expected images of shape \(n, height, width, channels\)/);
  [x, flat].forEach((t) => t.dispose());
});

test('ROC AUC matches a direct count of ranked pairs; PR curve, average precision and macro/weighted averages', async () => {
  const scores = [0.9, 0.8, 0.8, 0.6, 0.55, 0.4, 0.3, 0.2, 0.1, 0.05];
  const positives = [1, 1, 0, 1, 0, 1, 0, 0, 1, 0];
  // The share of (positive, negative) pairs the scores put in the right order, ties half.
  let right = 0;
  let pairs = 0;
  scores.forEach((s, i) =>
    scores.forEach((t, j) => {
      if (!positives[i] || positives[j]) return;
      pairs++;
      right += s > t ? 1 : s === t ? 0.5 : 0;
    }),
  );
  const roc = dl.metrics.rocCurve(scores, positives);
  assert.ok(Math.abs(roc.auc - right / pairs) < 1e-12, `auc ${roc.auc}, direct count ${right / pairs}`);
  assert.deepEqual([roc.fpr[0], roc.tpr[0], roc.fpr.at(-1), roc.tpr.at(-1)], [0, 0, 1, 1]);
  const pr = dl.metrics.precisionRecallCurve(scores, positives);
  assert.equal(pr.recall.at(-1), 1);
  // AP by hand: recall steps of 1/5 at precisions 1, 2/3 (tie at 0.8 adds 1 of 2), 3/4, 4/6, 5/9.
  const ap = 0.2 * 1 + 0.2 * (2 / 3) + 0.2 * (3 / 4) + 0.2 * (4 / 6) + 0.2 * (5 / 9);
  assert.ok(Math.abs(pr.averagePrecision - ap) < 1e-12, `AP ${pr.averagePrecision}, by hand ${ap}`);
  const report = await dl.metrics.classificationReport([0, 0, 0, 1, 1, 2], [0, 0, 1, 1, 2, 2], 3);
  assert.deepEqual(
    report.perClass.map((r) => [r.precision, r.recall, r.support]),
    [
      [1, 2 / 3, 3],
      [1 / 2, 1 / 2, 2],
      [1 / 2, 1, 1],
    ],
  );
  assert.ok(Math.abs(report.macro.recall - (2 / 3 + 1 / 2 + 1) / 3) < 1e-12);
  assert.ok(Math.abs(report.weighted.recall - (3 * (2 / 3) + 2 * 0.5 + 1) / 6) < 1e-12);
  assert.throws(
    () => dl.metrics.rocCurve([0.1, 0.2], [1, 1]),
    /rocCurve: the labels need both positives and negatives/,
  );
  assert.throws(() => dl.metrics.rocCurve([0.1, NaN], [1, 0]), /scores must be finite numbers; got NaN/);
});

// A fresh small classifier for the 2D blobs, compiled with `learningRate`.
const blobClassifier = ({ learningRate = 0.05, units = 6, seed = 2 } = {}) => {
  const model = dl.sequential({
    seed,
    layers: [
      dl.layers.dense({ units, activation: 'tanh', inputShape: [2] }),
      dl.layers.dense({ units: 1, activation: 'sigmoid' }),
    ],
  });
  model.compile({ optimizer: dl.train.adam(learningRate), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
  return model;
};

test('k-fold cross-validation: k models whose validation folds partition the data, with mean and spread', async () => {
  const data = dl.data.toyDataset('gaussians', { points: 200, noise: 0.3, seed: 2 });
  const x = { values: data.train.x, shape: [data.train.n, 2] };
  const y = { values: data.train.y, shape: [data.train.n, 1] };
  const seen = [];
  const result = await dl.crossValidate({
    makeModel: () => blobClassifier(),
    x,
    y,
    k: 4,
    fit: { epochs: 15, batchSize: 10 },
    metric: 'val_accuracy',
    onFold: (fold) => seen.push(fold.fold),
  });
  assert.deepEqual(seen, [0, 1, 2, 3]);
  const rows = result.folds.flatMap((f) => f.validationRows).sort((a, b) => a - b);
  assert.deepEqual(
    rows,
    Array.from({ length: data.train.n }, (_, i) => i),
    'every sample in exactly one fold',
  );
  assert.ok(result.folds.every((f) => f.validationRows.length === 25));
  const mean = result.folds.reduce((a, f) => a + f.value, 0) / 4;
  assert.ok(Math.abs(result.mean - mean) < 1e-12 && result.mean > 0.8, `mean ${result.mean}`);
  assert.ok(result.std >= 0 && result.std < 0.2, `std ${result.std}`);
  await assert.rejects(
    dl.crossValidate({ makeModel: () => blobClassifier(), x, y, k: 1 }),
    /k must be a whole number from 2 to 100; got 1/,
  );
});

test('search by grid and at random returns its best trial, and the best trial reproduces', async () => {
  assert.deepEqual(dl.searchTrials({ learningRate: [0.1, 0.01], units: [2, 4, 8] }).length, 6);
  const draws = dl.searchTrials(
    { learningRate: { min: 1e-4, max: 1e-1, log: true }, units: [2, 4] },
    { method: 'random', trials: 20, seed: 3 },
  );
  assert.equal(draws.length, 20);
  assert.ok(draws.every((d) => d.learningRate >= 1e-4 && d.learningRate <= 1e-1 && [2, 4].includes(d.units)));
  assert.throws(
    () => dl.searchTrials({ learningRate: { min: 0, max: 1 } }),
    /learningRate must be a non-empty list of values \(a grid takes lists\)/,
  );
  const toy = dl.data.toyDataset('xor', { points: 300, noise: 0.1, seed: 5 });
  const data = {
    x: dl.tensor(toy.train.x, [toy.train.n, 2]),
    y: dl.tensor(toy.train.y, [toy.train.n, 1]),
    xVal: dl.tensor(toy.test.x, [toy.test.n, 2]),
    yVal: dl.tensor(toy.test.y, [toy.test.n, 1]),
  };
  const heard = [];
  const result = await dl.search({
    space: { learningRate: [0.0005, 0.05], units: [1, 8] },
    makeModel: (p) => blobClassifier(p),
    fitOptions: () => ({ epochs: 20, batchSize: 10 }),
    data,
    onTrial: (t) => heard.push(t.index),
  });
  assert.deepEqual(heard, [0, 1, 2, 3]);
  const top = Math.max(...result.trials.map((t) => t.value));
  assert.equal(result.best.value, top);
  assert.deepEqual(result.best.params, { learningRate: 0.05, units: 8 });
  // The best setup, trained again from the same seed, gives the same score.
  const again = await dl.search({
    space: { learningRate: [result.best.params.learningRate], units: [result.best.params.units] },
    makeModel: (p) => blobClassifier(p),
    fitOptions: () => ({ epochs: 20, batchSize: 10 }),
    data,
  });
  assert.equal(again.best.value, result.best.value);
  // Cancelled before it starts: no trial runs.
  const controller = new AbortController();
  controller.abort();
  const none = await dl.search({
    space: { units: [2, 4] },
    makeModel: (p) => blobClassifier(p),
    data,
    signal: controller.signal,
  });
  assert.deepEqual([none.trials.length, none.aborted], [0, true]);
  Object.values(data).forEach((t) => t.dispose());
});
