// Data-parallel training through the JavaScript API with a helper engine in a worker
// thread (dl.ready({workers: 2})): batches split between the two engines give the
// single-engine weights up to float sums (MLP and CNN, with dropout), batch normalization
// normalizes each share, pause/step/stop/learning-rate changes and divergence rollback
// work while batches are split, a helper that dies mid-fit leaves the result unchanged,
// and a tiny model stays on one engine once measured.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { engine } from '../../web/lib/engine.js';
import * as dl from '../../web/lib/index.js';

const info = await dl.ready({ workers: 2 });

// n samples of 8x8 images; the class is the brightest quarter (4 classes, one-hot), in
// turn or (sorted) the first quarter of the samples of class 0 and so on.
function quarters(n, sorted = false) {
  const x = new Float32Array(n * 64);
  const y = new Float32Array(n * 4);
  for (let i = 0; i < n; i++) {
    const k = sorted ? Math.floor((i * 4) / n) : i % 4;
    y[i * 4 + k] = 1;
    for (let p = 0; p < 64; p++) {
      const bright = p >> 5 === k >> 1 && (p & 7) >> 2 === (k & 1);
      x[i * 64 + p] = (bright ? 0.8 : 0.2) + 0.2 * Math.sin(i * 7.1 + p * 1.3);
    }
  }
  return [dl.tensor(x, [n, 8, 8, 1]), dl.tensor(y, [n, 4])];
}

const MLP = [
  { type: 'flatten', inputShape: [8, 8, 1] },
  { type: 'dense', units: 32, activation: 'relu' },
  { type: 'dropout', rate: 0.3 },
  { type: 'dense', units: 4, activation: 'softmax' },
];
const CNN = [
  { type: 'conv2d', filters: 6, kernelSize: 3, activation: 'relu', inputShape: [8, 8, 1] },
  { type: 'maxPooling2d', poolSize: 2 },
  { type: 'dropout', rate: 0.25 },
  { type: 'flatten' },
  { type: 'dense', units: 4, activation: 'softmax' },
];

async function trained(layers, fitOptions, compile = { optimizer: 'adam', loss: 'categoricalCrossentropy' }) {
  const model = dl.sequential({ seed: 3, layers });
  model.compile({ ...compile, metrics: ['accuracy'] });
  const [x, y] = quarters(96);
  const cores = [];
  const callbacks = { onBatchEnd: (batch, logs, batchInfo) => cores.push(batchInfo.cores) };
  const result = await model.fit(x, y, { epochs: 3, batchSize: 40, callbacks, ...fitOptions });
  const weights = (await model.getWeights()).flatMap((w) => Array.from(w.values));
  model.dispose();
  return { weights, cores, history: result.history, diverged: result.diverged };
}

const largestDifference = (a, b) => Math.max(...a.map((v, i) => Math.abs(v - b[i])));

test('dl.ready({workers: 2}) starts a helper engine in a worker thread', () => {
  assert.equal(info.workers, 2);
});

test('an MLP and a CNN with dropout trained on split batches equal the one-engine runs up to float sums', async () => {
  for (const layers of [MLP, CNN]) {
    const alone = await trained(layers, { splitBatches: 'never' });
    const split = await trained(layers, { splitBatches: 'always' });
    assert.ok(alone.cores.every((c) => c === 1));
    assert.ok(
      split.cores.every((c) => c === 2),
      `cores per batch: ${split.cores}`,
    );
    const difference = largestDifference(split.weights, alone.weights);
    assert.ok(difference < 1e-4, `largest weight difference ${difference}`);
    assert.ok(difference > 0, 'the sums ran in another order, so some weight differs in its last bits');
    assert.ok(Math.abs(split.history.acc.at(-1) - alone.history.acc.at(-1)) < 1e-6);
    // workers: 1 keeps a fit on one engine even when asked to split.
    const one = await trained(layers, { splitBatches: 'always', workers: 1 });
    assert.deepEqual(one.weights, alone.weights);
  }
});

test('with batch normalization each engine normalizes its share: one split SGD step is the mean of the halves', async () => {
  const layers = [
    { type: 'flatten', inputShape: [8, 8, 1] },
    { type: 'dense', units: 6 },
    { type: 'batchNormalization' },
    { type: 'activation', activation: 'relu' },
    { type: 'dense', units: 4, activation: 'softmax' },
  ];
  const compile = { optimizer: dl.train.sgd(0.5), loss: 'categoricalCrossentropy' };
  // Sorted: the two halves hold different classes, so their statistics differ.
  const [x, y] = quarters(16, true);
  const make = () => {
    const model = dl.sequential({ seed: 8, layers });
    model.compile(compile);
    return model;
  };
  const split = make();
  await split.fit(x, y, { epochs: 1, batchSize: 16, shuffle: false, splitBatches: 'always' });
  const halves = [];
  for (const begin of [0, 8]) {
    const model = make();
    await model.trainOnBatch(x.slice([begin, 0, 0, 0], [8, 8, 8, 1]), y.slice([begin, 0], [8, 4]));
    halves.push((await model.getWeights()).flatMap((w) => Array.from(w.values)));
  }
  const whole = make();
  await whole.fit(x, y, { epochs: 1, batchSize: 16, shuffle: false, splitBatches: 'never' });
  const got = (await split.getWeights()).flatMap((w) => Array.from(w.values));
  const mean = halves[0].map((v, i) => (v + halves[1][i]) / 2);
  assert.ok(
    largestDifference(got, mean) < 1e-5,
    `weights and moving statistics are the mean of the halves: ${largestDifference(got, mean)}`,
  );
  const wholeWeights = (await whole.getWeights()).flatMap((w) => Array.from(w.values));
  assert.ok(largestDifference(got, wholeWeights) > 1e-3, 'normalizing the whole batch at once differs');
});

test('pause, step, a new learning rate and stop work while batches are split', async () => {
  const model = dl.sequential({ seed: 3, layers: CNN });
  model.compile({ optimizer: dl.train.sgd(0.1), loss: 'categoricalCrossentropy' });
  const [x, y] = quarters(96);
  const infos = [];
  const callbacks = { onBatchEnd: (batch, logs, batchInfo) => infos.push(batchInfo) };
  // Far more epochs than run before stop: a split batch of this model takes about 0.5 ms
  // (50 epochs were over within the 150 ms below on a fast run).
  const fit = model.fit(x, y, { epochs: 5000, batchSize: 16, splitBatches: 'always', startPaused: true, callbacks });
  while (!model.training) await new Promise((resolve) => setTimeout(resolve, 5));
  await new Promise((resolve) => setTimeout(resolve, 20));
  const first = await model.step();
  const second = await model.step();
  assert.equal(first.cores, 2);
  assert.equal(second.batch, first.batch + 1);
  await model.setLearningRate(0.02);
  await model.resume();
  await new Promise((resolve) => setTimeout(resolve, 150));
  model.stop();
  const { history } = await fit;
  assert.ok(history.loss.length < 5000, 'stop ended the fit early');
  const rates = infos.map((i) => i.learningRate);
  assert.ok(Math.abs(rates[0] - 0.1) < 1e-7);
  assert.ok(Math.abs(rates.at(-1) - 0.02) < 1e-7, `the last batches used the new rate: ${rates.at(-1)}`);
  assert.ok(infos.every((i) => i.cores === 2));
  model.dispose();
});

test('a diverging fit on split batches stops with the same last finite weights as on one engine', async () => {
  const compile = { optimizer: dl.train.sgd(1e30), loss: 'meanSquaredError' };
  const layers = [...MLP.slice(0, 3), { type: 'dense', units: 4 }];
  const alone = await trained(layers, { splitBatches: 'never', epochs: 30 }, compile);
  const split = await trained(layers, { splitBatches: 'always', epochs: 30 }, compile);
  assert.ok(alone.diverged, 'the learning rate is large enough to diverge');
  assert.deepEqual(split.diverged, alone.diverged);
  assert.ok(split.weights.every(Number.isFinite));
  assert.ok(largestDifference(split.weights, alone.weights) < 1e-3 * Math.max(...alone.weights.map(Math.abs)));
});

test('a helper that stops mid-fit is replaced by the leader: the weights stay those of one engine', async () => {
  const alone = await trained(CNN, { splitBatches: 'never', epochs: 6 });
  const model = dl.sequential({ seed: 3, layers: CNN });
  model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  const [x, y] = quarters(96);
  const cores = [];
  const onBatchEnd = (batch, logs, batchInfo) => {
    cores.push(batchInfo.cores);
    // The helper thread ends between batches, as a crash would: the next share is posted
    // to a thread that will never answer. (A timer here lost the race on a fast machine:
    // the fit ended before it fired.)
    if (cores.length === 4) engine().helpers.stop();
  };
  try {
    await model.fit(x, y, { epochs: 6, batchSize: 40, splitBatches: 'always', callbacks: { onBatchEnd } });
    const weights = (await model.getWeights()).flatMap((w) => Array.from(w.values));
    assert.ok(largestDifference(weights, alone.weights) < 1e-4);
    assert.equal(cores[0], 2);
    assert.deepEqual(cores.slice(-6), [1, 1, 1, 1, 1, 1], `the last batches ran on the leader alone: ${cores}`);
  } finally {
    model.dispose();
    // The next tests need the helpers whatever happened here.
    assert.equal(await dl.setWorkers(2), 2, 'new helpers start');
  }
});

test('a tiny model stays on one engine once splitting is measured slower', async () => {
  const layers = [
    { type: 'dense', units: 8, activation: 'tanh', inputShape: [2] },
    { type: 'dense', units: 1, activation: 'sigmoid' },
  ];
  const model = dl.sequential({ seed: 1, layers });
  model.compile({ optimizer: 'adam', loss: 'binaryCrossentropy' });
  const n = 2000;
  const x = dl.tensor(
    Float32Array.from({ length: n * 2 }, (_, i) => Math.sin(i)),
    [n, 2],
  );
  const y = dl.tensor(
    Float32Array.from({ length: n }, (_, i) => (Math.sin(2 * i) > 0 ? 1 : 0)),
    [n, 1],
  );
  const cores = [];
  await model.fit(x, y, {
    epochs: 2,
    batchSize: 10,
    callbacks: { onBatchEnd: (batch, logs, batchInfo) => cores.push(batchInfo.cores) },
  });
  assert.ok(cores.slice(0, 10).includes(2), 'the split was measured');
  assert.ok(
    cores.slice(20, 390).every((c) => c === 1),
    'then every batch ran on one engine',
  );
  model.dispose();
});

test('a model of two outputs trained on split batches equals the one-engine run up to float sums', async () => {
  const run = async (splitBatches) => {
    const x = dl.input({ shape: [8, 8, 1], name: 'x' });
    const h = dl.layers.dense({ units: 16, activation: 'relu' }).apply(dl.layers.flatten().apply(x));
    const cls = dl.layers.dense({ units: 4, activation: 'softmax', name: 'cls' }).apply(h);
    const bright = dl.layers.dense({ units: 1, name: 'bright' }).apply(h);
    const model = dl.model({ inputs: x, outputs: [cls, bright], seed: 3 });
    model.compile({ optimizer: 'adam', loss: ['categoricalCrossentropy', 'meanSquaredError'], lossWeights: [1, 0.5] });
    const [images, y] = quarters(96);
    const mean = dl.mean(dl.reshape(images, [96, 64]), 1, true);
    const cores = [];
    const callbacks = { onBatchEnd: (batch, logs, batchInfo) => cores.push(batchInfo.cores) };
    const { history } = await model.fit(
      images,
      { cls: y, bright: mean },
      { epochs: 2, batchSize: 40, splitBatches, callbacks },
    );
    const weights = (await model.getWeights()).flatMap((w) => Array.from(w.values));
    model.dispose();
    return { weights, cores, history };
  };
  const alone = await run('never');
  const split = await run('always');
  assert.ok(
    split.cores.every((c) => c === 2),
    `cores per batch: ${split.cores}`,
  );
  const difference = largestDifference(split.weights, alone.weights);
  assert.ok(difference < 1e-4, `largest weight difference ${difference}`);
  assert.deepEqual(Object.keys(split.history).sort(), ['bright_loss', 'cls_loss', 'loss']);
  for (const key of ['loss', 'cls_loss', 'bright_loss'])
    assert.ok(Math.abs(split.history[key].at(-1) - alone.history[key].at(-1)) < 1e-5, key);
});

test('dl.setWorkers(1) turns the helpers off; bad counts are refused by name', async () => {
  assert.equal(await dl.setWorkers(1), 1);
  const { cores } = await trained(MLP, { splitBatches: 'always', epochs: 1 });
  assert.ok(cores.every((c) => c === 1));
  await assert.rejects(dl.setWorkers(0), /workers must be 'auto' or a whole number from 1 to 64; got 0/);
  await assert.rejects(dl.setWorkers('many'), /workers must be 'auto' or a whole number/);
  assert.equal(await dl.setWorkers(2), 2);
  const restarted = await dl.restart();
  assert.equal(restarted.workers, 2, 'a restarted engine has its helpers again');
});

test('the leader takes more rows when its helpers answer late, and gives them back when they do not', async () => {
  const { ShareBalance, cutRows } = await import('../../web/lib/team.js');
  assert.deepEqual(cutRows(32, 2), [0, 16, 32]);
  assert.deepEqual(cutRows(32, 3, 14), [0, 14, 23, 32]);
  const balance = new ShareBalance();
  assert.equal(balance.lead(32, 2), 16, 'even before anything is measured');
  // A helper that needs 6 ms more than the leader for the same rows (1 ms a row here).
  for (let i = 0; i < 40; i++) {
    const lead = balance.lead(32, 2);
    const helperRows = 32 - lead;
    balance.record(lead, lead, Math.max(0, helperRows + 6 - lead), helperRows);
  }
  // Balanced at 19 rows (19 ms each side); it probes back a row now and then.
  assert.ok(
    [18, 19].includes(balance.lead(32, 2)),
    `the leader takes 2 or 3 of the helper’s rows: ${balance.lead(32, 2)}`,
  );
  // The helper becomes as fast as the leader: the cut creeps back to even.
  for (let i = 0; i < 60; i++) {
    const lead = balance.lead(32, 2);
    balance.record(lead, lead, Math.max(0, 32 - lead - lead), 32 - lead);
  }
  assert.equal(balance.lead(32, 2), 16);
  // Each helper keeps a row at least.
  balance.delayMs = 1e6;
  assert.equal(balance.lead(8, 3), 6);
});
